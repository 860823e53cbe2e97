//! One store, one name.
//!
//! SQLite keeps a database's journal, its `-wal` and `-shm` files, beside the NAME the
//! database was opened by, not beside the file: two names for one file (a hard link
//! `ln s.db h.db`, a bind mount `mount --bind s.db x.db` or of a directory above it) give
//! two journals, and two processes writing through the two names each ignore the other's
//! commits and checkpoint over them: the store is corrupted ("database disk image is
//! malformed"). The import lock ([`pools_core::store::ImportLock`]) lives beside the name too.
//! A symbolic link is no second name: SQLite resolves it, and so does the lock.
//!
//! So every open refuses a second name. A file with several names in its file system (hard
//! links, `st_nlink > 1`) is refused outright, whichever name is given. A store records the
//! canonical path it is used under, its home, in its `settings` table (key [`KEY`]): a path
//! that is not the home while the home still names the same file (same device and inode:
//! a bind mount) is refused, unless both name it by the same file name in the same
//! directory (a bind mount of a directory above it, a read-only view of the store's
//! directory in a container): those share the journal files, and the lock file, beside it.
//! When the home is gone or is another file (the store was moved with `mv`, or copied),
//! the new path becomes the home (a write, made only when the home changes; a read-only
//! open only checks). A copy, whose home is still there, also takes a new environment ID
//! (see [`crate::SqliteStore::open`]): two stores, each counted among the users of the
//! credentials their pools share. Every process that gets past the check then uses one journal and one
//! import lock.
//!
//! A bind mount of the file whose other name is out of sight (another mount namespace, a
//! container volume of one file) looks like a moved store to the home; the file being a
//! mount point tells it ([`refuse_file_mount`]). A name that is refused is closed without
//! checkpointing a journal an earlier writer may have left beside it.
//!
//! Limits: the home is read through the name given, which sees the writes the home's
//! journal holds only once they are checkpointed into the file (the home is written when
//! the store is made, and checkpointed when it changes, so this is a window of a moving
//! or first-used older store at most). A directory bind mount seen from two mount
//! namespaces, each blind to the other's path, shares one journal (one directory) and is
//! safe, but each side records its own path as the home when it opens the store after the
//! other.

use pools_core::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension};
use std::path::{Path, PathBuf};

/// The `settings` key of the store's home: its canonical path, as UTF-8 (lossy).
pub(crate) const KEY: &str = "home";

/// Why a second name is refused, said in every refusal.
const WHY: &str = "SQLite keeps the store's journal (its -wal and -shm files) beside the name it is opened by, so two names give two journals, and writes through both corrupt the store";

/// The canonical path of `path`, or, while it does not exist, of its directory joined with
/// its file name (a store being made).
pub(crate) fn canonical(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            std::fs::canonicalize(dir)
                .map(|d| d.join(name))
                .unwrap_or_else(|_| std::path::absolute(path).unwrap_or_else(|_| path.into()))
        }
        _ => std::path::absolute(path).unwrap_or_else(|_| path.into()),
    }
}

/// Refuses a store file with more than one name in its file system (hard links), before
/// SQLite opens it under any of them. A name is in the middle of being made for a moment
/// when a new store is moved into place by link and unlink (file systems without
/// `renameat2`): looked at twice before refusing.
pub(crate) fn refuse_hard_links(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let links = |p: &Path| std::fs::metadata(p).map(|m| m.nlink()).unwrap_or(1);
        if links(path) > 1 {
            std::thread::sleep(std::time::Duration::from_millis(50));
            let n = links(path);
            if n > 1 {
                let shown = path.display();
                return Err(Error::invalid(
                    "store",
                    format!(
                        "{shown} has {n} names (hard links): refused, {WHY}"
                    ),
                )
                .with_hint(format!(
                    "with no pools process running, remove every name of the file but the one you use as --store (`find / -xdev -samefile {shown}` lists them); to move a store, `mv` it"
                )));
            }
        }
    }
    Ok(())
}

/// The device and inode of the file at `path`.
#[cfg(unix)]
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(_path: &Path) -> Option<(u64, u64)> {
    None
}

/// What [`check`] found.
pub(crate) enum Home {
    /// `path` is the store's home.
    Here,
    /// The store has no home yet, or its home is gone: `path` (canonical) is to become it.
    Moved(PathBuf),
    /// Its home is another file that still exists: this file is a copy (`cp`), another store
    /// from now on, and `path` (canonical) is to become its home.
    Copied(PathBuf),
}

/// Checks that `path`, the name the store was opened by on `conn`, is its home.
///
/// Errors: [`Error::Invalid`] (exit 5) when the home is another name of the same file.
pub(crate) fn check(conn: &Connection, path: &Path) -> Result<Home> {
    let here = canonical(path);
    let recorded: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [KEY], |r| {
            r.get(0)
        })
        .optional()
        // A store without a settings table yet (made by a first release that is being
        // migrated) has no home either.
        .unwrap_or(None);
    let Some(home) = recorded else {
        return Ok(Home::Moved(here));
    };
    let home = PathBuf::from(home);
    if home == here {
        return Ok(Home::Here);
    }
    match (file_id(&home), file_id(path)) {
        // One directory, one file name: the same journal and lock files, only reached by
        // another path (a bind mount of a directory above the store).
        (Some(a), Some(b))
            if a == b
                && home.file_name() == here.file_name()
                && home.parent().and_then(file_id).is_some()
                && home.parent().and_then(file_id) == here.parent().and_then(file_id) =>
        {
            Ok(Home::Here)
        }
        (Some(a), Some(b)) if a == b => {
            let shown = path.display();
            let home = home.display();
            Err(Error::invalid(
                "store",
                format!(
                    "{shown} is a second name of the store {home} (the same file: a bind mount of the file, or a hard link): refused, {WHY}"
                ),
            )
            .with_hint(format!(
                "use --store {home}; to move the store, `mv` it with no pools process running, and use the new name"
            )))
        }
        (Some(_), _) => Ok(Home::Copied(here)),
        _ => Ok(Home::Moved(here)),
    }
}

/// Refuses a store file that is itself a mount point, a bind mount of the file (`mount
/// --bind s.db x.db`, a container volume of one file), which [`check`] cannot tell from a
/// moved store when the file's other name is out of sight (another mount namespace): its
/// journal is kept beside the mount point, apart from the journal of the file's other name,
/// and, in a container, in a layer that goes away with it. A read-only mount writes nothing
/// through it and is let be. Asked of the kernel (`statx`, Linux 5.8 and later; elsewhere
/// nothing is refused).
pub(crate) fn refuse_file_mount(path: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{AtFlags, CWD, StatVfsMountFlags, StatxAttributes, StatxFlags};
        let Ok(st) = rustix::fs::statx(CWD, path, AtFlags::empty(), StatxFlags::BASIC_STATS) else {
            return Ok(());
        };
        let root = StatxAttributes::MOUNT_ROOT;
        let read_only =
            rustix::fs::statvfs(path).is_ok_and(|v| v.f_flag.contains(StatVfsMountFlags::RDONLY));
        if st.stx_attributes_mask.contains(root) && st.stx_attributes.contains(root) && !read_only {
            let shown = path.display();
            return Err(Error::invalid(
                "store",
                format!(
                    "{shown} is a mount point, a bind mount of the store file (`mount --bind`, a container volume of one file): refused, {WHY}"
                ),
            )
            .with_hint(
                "mount the directory that holds the store instead of the file (its journal files are kept beside it), and use the store's path in it",
            ));
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = path;
    Ok(())
}

/// Records `home` as the store's home, and checkpoints it into the database file, where
/// opens through any name read it (best effort: a reader holding an older snapshot defers
/// it to a later checkpoint).
pub(crate) fn record(conn: &Connection, home: &Path) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE value IS NOT excluded.value",
        [KEY, &home.to_string_lossy()],
    )?;
    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
    Ok(())
}
