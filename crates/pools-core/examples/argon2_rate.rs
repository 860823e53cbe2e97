//! The raw argon2id verify rate, the ceiling of `POST /v1/login` in `bench/server.sh`: one
//! password hashed with the store's parameters ([`pools_core::hash::hash_password`]), then
//! verified through the library's own path ([`PasswordHash::parse`] once, then
//! [`PasswordHash::verify`], as a login of a local user does) in THREADS threads for
//! SECONDS seconds.
//!
//!     cargo run --release -p pools-core --example argon2_rate -- [THREADS [SECONDS]]   # 2 10
//!
//! Prints one line: `argon2id verify: R/s (N verifies, T threads, S s, m=.. t=.. p=..)`.

use pools_core::hash::{self, PasswordHash};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let threads: usize = args.next().map_or(Ok(2), |a| a.parse())?;
    let seconds: f64 = args.next().map_or(Ok(10.0), |a| a.parse())?;
    let password = "bench password, not a secret";
    let encoded = hash::hash_password(password)?;
    let parsed = PasswordHash::parse(&encoded)?;
    assert!(
        parsed.is_current(),
        "hash_password gives the store's format"
    );
    let stop = AtomicBool::new(false);
    let done = AtomicU64::new(0);
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    let ok = parsed.verify(password).expect("argon2id evaluates");
                    assert!(ok, "the password verifies");
                    done.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
        std::thread::sleep(Duration::from_secs_f64(seconds));
        stop.store(true, Ordering::Relaxed);
    });
    let elapsed = started.elapsed().as_secs_f64();
    let n = done.load(Ordering::Relaxed);
    println!(
        "argon2id verify: {:.1}/s ({n} verifies, {threads} threads, {elapsed:.1} s, m={},t={},p={})",
        n as f64 / elapsed,
        hash::CURRENT_ARGON2_MEMORY_KIB,
        hash::CURRENT_ARGON2_ITERATIONS,
        hash::CURRENT_ARGON2_LANES,
    );
    Ok(())
}
