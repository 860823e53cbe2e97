//! Files a run holds locked beside other files (the import lock beside the store, the reject
//! file's temp file beside the reject file): the next run takes a stale one over, so each is
//! opened the same careful way and checked, once locked, to still be the file its name names.

use std::fs::File;
use std::path::Path;

/// Opens (creating) `path` for reading and writing: 0600, never through a symbolic link
/// planted under the name, never waiting on a FIFO.
///
/// Errors: the OS error (`ELOOP` for a link, `ENXIO` for a FIFO without a writer).
pub fn open(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Whether `path` still names the file `meta` describes: no other run renamed it into place
/// or removed it between our open and our lock.
pub fn still_names(path: &Path, meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::symlink_metadata(path)
            .is_ok_and(|now| now.dev() == meta.dev() && now.ino() == meta.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        path.is_file()
    }
}
