//! Argon2 on dedicated threads: once [`super::hash_on_workers`] starts them (a server does),
//! every argon2 hash of the process runs on exactly that many threads, taking jobs from one
//! queue. A server's logins otherwise hash on the runtime's blocking threads behind the CPU
//! gate, which either leaves a core idle while the next login's hash is handed to it (a gate
//! of `cores` permits) or runs more hashes than cores, time-sliced over 19 MiB working sets
//! each (a gate of one more): measured 4–9% fewer raw verifies with 3 threads on 2 cores
//! than with 2 (issue 11). A worker takes the next job the moment it ends one.
//!
//! The caller's thread waits for its answer holding no CPU. Without workers, or if they are
//! gone, the hash runs on the caller's thread.

use std::cell::Cell;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex, OnceLock};

use argon2::Argon2;
use zeroize::Zeroizing;

/// One hash to run: its inputs, copied for the worker, and where the output goes.
struct Job {
    argon: Argon2<'static>,
    password: Zeroizing<Vec<u8>>,
    salt: Vec<u8>,
    out_len: usize,
    answer: SyncSender<argon2::Result<Zeroizing<Vec<u8>>>>,
}

static QUEUE: OnceLock<Sender<Job>> = OnceLock::new();

/// Jobs the workers answered, for the tests to see where hashes ran.
#[cfg(test)]
static SERVED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

thread_local! {
    /// Set on a worker: its own hashes run in place (never queued behind themselves).
    static ON_WORKER: Cell<bool> = const { Cell::new(false) };
}

/// Starts `threads` (at least one) workers, the first time only; later calls keep the
/// workers there are.
///
/// Errors: the OS's, when a thread cannot be spawned (the workers already started keep
/// serving; none started leaves hashing on the callers' threads).
pub(super) fn start(threads: usize) -> std::io::Result<()> {
    let mut spawned = Ok(());
    QUEUE.get_or_init(|| {
        let (queue, jobs) = mpsc::channel();
        let jobs = Arc::new(Mutex::new(jobs));
        for i in 0..threads.max(1) {
            let jobs = Arc::clone(&jobs);
            let worker = std::thread::Builder::new().name(format!("pools-argon2-{i}"));
            if let Err(e) = worker.spawn(move || serve(&jobs)) {
                spawned = Err(e);
                break;
            }
        }
        queue
    });
    spawned
}

fn serve(jobs: &Mutex<Receiver<Job>>) {
    ON_WORKER.set(true);
    loop {
        // One worker waits on the queue at a time; the others wait for the lock.
        let job = match jobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .recv()
        {
            Ok(job) => job,
            Err(_) => return,
        };
        let hashed = std::panic::catch_unwind(|| {
            let mut out = Zeroizing::new(vec![0u8; job.out_len]);
            super::argon2_memory::hash_into(&job.argon, &job.password, &job.salt, &mut out)
                .map(|()| out)
        });
        // A panic drops the answer unsent: the caller hashes in place and meets it there.
        if let Ok(hashed) = hashed {
            #[cfg(test)]
            SERVED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let _ = job.answer.send(hashed);
        }
    }
}

/// `argon.hash_password_into(pwd, salt, out)`, on a worker when they were started.
///
/// Errors: the `argon2` crate's (a salt or output of the wrong length, a password too long).
pub(super) fn hash_into(
    argon: &Argon2<'static>,
    pwd: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> argon2::Result<()> {
    if let Some(queue) = QUEUE.get().filter(|_| !ON_WORKER.get()) {
        let (answer, answered) = mpsc::sync_channel(1);
        let job = Job {
            argon: argon.clone(),
            password: Zeroizing::new(pwd.to_vec()),
            salt: salt.to_vec(),
            out_len: out.len(),
            answer,
        };
        if queue.send(job).is_ok()
            && let Ok(hashed) = answered.recv()
        {
            out.copy_from_slice(&hashed?);
            return Ok(());
        }
    }
    super::argon2_memory::hash_into(argon, pwd, salt, out)
}

#[cfg(test)]
mod tests {
    use super::super::argon2_memory::argon;
    use super::*;

    #[test]
    fn hashes_on_workers_are_the_hashes_in_place() {
        start(2).expect("workers start");
        let served = SERVED.load(std::sync::atomic::Ordering::SeqCst);
        std::thread::scope(|s| {
            for t in 0..6u8 {
                s.spawn(move || {
                    let password = [b'p', t];
                    let mut queued = [0u8; 32];
                    hash_into(&argon(64), &password, b"saltsaltsalt", &mut queued).expect("hashes");
                    let mut in_place = [0u8; 32];
                    let memory = super::super::argon2_memory::hash_into;
                    memory(&argon(64), &password, b"saltsaltsalt", &mut in_place).expect("hashes");
                    assert_eq!(
                        queued, in_place,
                        "caller {t}: the worker's hash is the same"
                    );
                });
            }
        });
        let now = SERVED.load(std::sync::atomic::Ordering::SeqCst);
        assert!(
            now >= served + 6,
            "the 6 hashes ran on the workers ({served} -> {now})"
        );
    }

    #[test]
    fn a_workers_refusal_reaches_the_caller() {
        start(2).expect("workers start");
        let mut out = [0u8; 32];
        let refused = hash_into(&argon(64), b"pw", b"short", &mut out);
        assert_eq!(
            refused,
            Err(argon2::Error::SaltTooShort),
            "the salt's error comes back"
        );
    }
}
