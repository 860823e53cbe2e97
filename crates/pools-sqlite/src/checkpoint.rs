//! Background WAL checkpoints for bulk writes.
//!
//! In WAL mode with `synchronous=NORMAL`, commits don't wait for the disk; checkpoints do
//! (they sync the WAL, copy it into the database file and sync that). Run by the writing
//! connection, every checkpoint stalls the import for its two syncs. Here a second connection
//! checkpoints in `PASSIVE` mode on its own thread, so the syncs overlap the writes; the
//! durability is the same (SQLite "Write-Ahead Logging" §"Checkpointing", "Application-Initiated
//! Checkpoints").

use rusqlite::Connection;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How often the background connection checkpoints.
const INTERVAL: Duration = Duration::from_millis(50);

/// WAL pages (of 8 KiB) after which the writing connection checkpoints by itself anyway: the
/// backstop that bounds the WAL (128 MiB) if the background thread falls behind.
pub(super) const BACKSTOP_PAGES: i64 = 16_384;

/// A thread checkpointing one database file until dropped.
pub(super) struct Checkpointer {
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts checkpointing the WAL of the database at `path`. `None` when the second
    /// connection or its thread cannot be had: the writer then checkpoints by itself, as
    /// without this.
    pub(super) fn start(path: &Path) -> Option<Self> {
        let conn = Connection::open(path).ok()?;
        conn.pragma_update(None, "synchronous", "NORMAL").ok()?;
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let signal = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("pools-checkpoint".into())
            .spawn(move || {
                let (lock, wake) = &*signal;
                let mut stopped = lock.lock().unwrap_or_else(|e| e.into_inner());
                while !*stopped {
                    stopped = wake
                        .wait_timeout(stopped, INTERVAL)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                    // Busy or failed checkpoints are retried next round; the writer's own
                    // backstop checkpoint bounds the WAL meanwhile.
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            })
            .ok()?;
        Some(Checkpointer {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        let (lock, wake) = &*self.stop;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = true;
        wake.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
