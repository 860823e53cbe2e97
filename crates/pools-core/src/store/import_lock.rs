//! One import at a time per pool: an OS advisory lock on a file beside the store.
//!
//! An import tells "a user this run met already" (a duplicate in the file, R6) from "a user an
//! earlier run wrote" (already imported, or renamed at the source, R17) by the run number it
//! stamps on the users it meets. Two imports into one pool at once stamp each other's users,
//! and an in-file duplicate of one run then reads as a rename to the other (issue 8, F15).
//! So a second import into a pool whose import is running is refused at once (R12: the
//! concurrent change is detected, never silently applied), rather than made to wait.
//!
//! The lock is the system's (`flock` on Unix, `LockFileEx` on Windows): a process that dies,
//! also by SIGKILL, releases it with its last file descriptor, so a killed import never
//! blocks the next one. The file itself is only where the lock lives: made 0600, it holds the
//! PID of the import holding it, and is removed by that import when it ends (a killed one
//! leaves it, unlocked, for the next run to take over).

use crate::error::{Error, Result};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The lock an import holds on its pool for as long as it writes ([`crate::store::Store::import_lock`]).
/// Dropping it releases the pool.
#[derive(Debug)]
pub struct ImportLock {
    /// `None` for a store no other process can open (in memory).
    held: Option<(PathBuf, File)>,
}

/// The lock file of `pool`'s imports into the store at `store`: `STORE-import-POOL.lock`
/// beside it (pool names are lower-case letters, digits and `-`: always a file name). Stores
/// pass the one name every process that opened them uses (the SQLite store refuses a second
/// name for its file, a hard link or a bind mount, and passes its recorded home), so the
/// lock holds however the store was reached.
pub fn lock_path(store: &Path, pool: &str) -> PathBuf {
    // One file per store, however the store is named (a symbolic link, `./`, `..`).
    let store = std::fs::canonicalize(store).unwrap_or_else(|_| store.to_path_buf());
    let mut name = store.file_name().unwrap_or_default().to_os_string();
    name.push(format!("-import-{pool}.lock"));
    store.with_file_name(name)
}

impl ImportLock {
    /// No lock: for a store only this process can reach (in memory).
    pub fn unshared() -> Self {
        ImportLock { held: None }
    }

    /// The lock file, when there is one.
    pub fn path(&self) -> Option<&Path> {
        self.held.as_ref().map(|(p, _)| p.as_path())
    }

    /// Takes the import lock of `pool` in the store at `store`, without waiting.
    ///
    /// Errors: [`Error::Conflict`] (exit 4) when another process holds it: an import into
    /// the pool is running; [`Error::Io`] when the lock file cannot be made or locked (a
    /// directory the store's user cannot write), or its name is taken by something that is
    /// not a regular file.
    pub fn acquire(store: &Path, pool: &str) -> Result<Self> {
        let path = lock_path(store, pool);
        let io = |e: std::io::Error| {
            Error::io(format!("import lock {}", path.display()), e).with_hint(
                "an import locks its pool in a file beside the store: make the store's directory writable",
            )
        };
        // Each lost race means the holder removed the file between our open and our lock.
        for _ in 0..8 {
            let file = crate::lock_file::open(&path).map_err(io)?;
            let meta = file.metadata().map_err(io)?;
            if !meta.is_file() {
                return Err(io(std::io::Error::other(
                    "not a regular file: that name is where pools locks a pool's imports; move it away",
                )));
            }
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => return Err(running(pool, &file)),
                Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
            }
            if !crate::lock_file::still_names(&path, &meta) {
                continue;
            }
            let mut file = file;
            // Who holds it, for the message of the run it refuses.
            let _ = file.set_len(0);
            let _ = writeln!(file, "{}", std::process::id());
            return Ok(ImportLock {
                held: Some((path, file)),
            });
        }
        Err(io(std::io::Error::other(
            "it keeps changing: other imports are taking and releasing it",
        )))
    }
}

impl Drop for ImportLock {
    fn drop(&mut self) {
        // Removed while still locked: a run that opened it meanwhile finds, once it holds
        // the lock, that the name is no longer its file, and opens the name again.
        if let Some((path, file)) = self.held.take() {
            let _ = std::fs::remove_file(&path);
            drop(file);
        }
    }
}

/// The refusal of a second import into `pool`, naming the PID the holder wrote (when it
/// had written it yet).
fn running(pool: &str, file: &File) -> Error {
    let mut text = String::new();
    let _ = file.take(32).read_to_string(&mut text);
    let pid = text
        .trim()
        .parse::<u32>()
        .map(|p| format!(" (pid {p})"))
        .unwrap_or_default();
    Error::Conflict {
        message: format!("an import into pool '{pool}' is running{pid}; wait for it or stop it"),
        hint: Some(
            "one import at a time per pool (R12): run this one when that one has ended; Ctrl-C stops it at once, committing the rows it has taken in, and a killed import releases the pool at once"
                .into(),
        ),
    }
}
