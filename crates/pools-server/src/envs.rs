//! The server's environments: a fixed set of [`Local`]s over one store, each with its own
//! store connection, lent to one request at a time. A request never waits on another's
//! store connection (a live login waiting on its source holds only its own), and what the
//! environment notices while serving it (warnings, where a secret went) is collected for
//! that request alone, to travel back in its answer ([`crate::notice`]).

use pools_core::service::{Local, Notice, Notify};
use std::sync::{Arc, Mutex};

/// One environment and the notices it said while lent out.
pub struct Slot {
    env: Local,
    notices: Arc<Mutex<Vec<Notice>>>,
}

impl Slot {
    /// A slot whose environment `make` builds with the [`Notify`] it is given: that notify
    /// keeps the notices for the request the slot serves.
    pub fn new(make: impl FnOnce(Notify) -> Local) -> Slot {
        let notices = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&notices);
        let notify: Notify = Box::new(move |n| {
            kept.lock().unwrap_or_else(|p| p.into_inner()).push(n);
        });
        Slot {
            env: make(notify),
            notices,
        }
    }
}

/// The slots, and a semaphore counting the free ones.
pub(crate) struct Envs {
    free: Mutex<Vec<Slot>>,
    permits: Arc<tokio::sync::Semaphore>,
}

impl Envs {
    /// Errors: none given (a bug of the caller).
    pub(crate) fn new(slots: Vec<Slot>) -> Result<Envs, pools_core::Error> {
        if slots.is_empty() {
            return Err(pools_core::Error::bug(
                "a server needs one environment at least",
            ));
        }
        Ok(Envs {
            permits: Arc::new(tokio::sync::Semaphore::new(slots.len())),
            free: Mutex::new(slots),
        })
    }

    /// A free environment, waiting for one when every one is lent.
    pub(crate) async fn lease(self: &Arc<Self>) -> Lease {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        let slot = self
            .free
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop()
            .expect("a permit means a free slot");
        // Notices of a request that was dropped half-way are not the next one's.
        slot.notices
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        // The request's reads (its token, then what it asks) look at the store's state once,
        // none older than the request: each look is a read transaction, whose locks the
        // slots contend for.
        slot.env.one_look(true);
        Lease {
            slot: Some(slot),
            envs: Arc::clone(self),
            _permit: permit,
        }
    }
}

/// An environment lent to one request; back to the free ones when dropped.
pub(crate) struct Lease {
    slot: Option<Slot>,
    envs: Arc<Envs>,
    _permit: tokio::sync::OwnedSemaphorePermit,
}

impl Lease {
    pub(crate) fn env(&self) -> &Local {
        &self.slot.as_ref().expect("held until drop").env
    }

    /// The notices said so far for this request, taken.
    pub(crate) fn take_notices(&self) -> Vec<Notice> {
        let slot = self.slot.as_ref().expect("held until drop");
        std::mem::take(&mut *slot.notices.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(slot) = self.slot.take() {
            slot.env.one_look(false);
            // Pushed back before the permit is released (fields drop after this body).
            self.envs
                .free
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(slot);
        }
    }
}
