//! The CPU gate: at most as many password hashes at once as it has permits (a core's worth
//! each), for work run on the runtime's blocking pool ([`run`]). Work that waits on a
//! source's answer in the middle (a login asking a live pool) gives its permit back while
//! it waits ([`io_wait`]): a slow or hanging source holds a thread, never a core's share,
//! so it holds up no other login's hash.

use std::cell::RefCell;
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

thread_local! {
    /// The gate of the work running on this thread, and its permit while it holds one.
    static HELD: RefCell<Option<(Arc<Semaphore>, Option<OwnedSemaphorePermit>)>> =
        const { RefCell::new(None) };
}

/// Runs `f` on the runtime's blocking pool once `gate` gives a permit; the permit goes back
/// when `f` ends, on its own thread (not when the caller is next polled, which may be a while
/// on a busy runtime, with a core idle meanwhile).
///
/// Errors: `None` when the gate was closed or `f` panicked (the caller says which bug).
pub(crate) async fn run<T: Send + 'static>(
    gate: &Arc<Semaphore>,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, &'static str> {
    let permit = Arc::clone(gate)
        .acquire_owned()
        .await
        .map_err(|_| "the environment's CPU gate was closed")?;
    let gate = Arc::clone(gate);
    tokio::task::spawn_blocking(move || {
        HELD.with(|h| *h.borrow_mut() = Some((gate, Some(permit))));
        // Cleared however `f` ends: the thread serves other work next.
        struct Clear;
        impl Drop for Clear {
            fn drop(&mut self) {
                HELD.with(|h| h.borrow_mut().take());
            }
        }
        let _clear = Clear;
        f()
    })
    .await
    .map_err(|_| "a login or hashing task failed")
}

/// Runs `wait` (blocking on I/O: a source's answer) without this thread's CPU permit, and
/// takes one again before returning; outside [`run`] it just runs `wait`.
pub fn io_wait<T>(wait: impl FnOnce() -> T) -> T {
    let gate = HELD.with(|h| {
        let mut held = h.borrow_mut();
        let (gate, permit) = held.as_mut()?;
        drop(permit.take()?);
        Some(Arc::clone(gate))
    });
    let out = wait();
    if let Some(gate) = gate {
        let again = match tokio::runtime::Handle::try_current() {
            Ok(rt) => rt.block_on(gate.acquire_owned()).ok(),
            Err(_) => None,
        };
        HELD.with(|h| {
            if let Some((_, permit)) = h.borrow_mut().as_mut() {
                *permit = again;
            }
        });
    }
    out
}
