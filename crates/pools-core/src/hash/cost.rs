//! What verifying one stored hash costs, and the budget a login may spend on it (issue 8,
//! F14). Each parameter of a hash is range-checked where it is parsed; their product is what
//! a login pays, for every attempt against that user, a wrong password included. A hash past
//! the budget is refused when it is read (import, `doctor`, login), before anything is
//! computed, as a bcrypt cost past [`super::MAX_BCRYPT_COST`] is.

use super::error::HashError;
use super::{Inner, MAX_BCRYPT_COST};

/// The work budget of one verification, in work units: one unit is one Argon2 pass over one
/// 1 KiB block (about 0.8 µs of one core on the machine this was measured on).
///
/// The budget is what a bcrypt cost 16 hash costs, the most `pools` verifies
/// ([`super::MAX_BCRYPT_COST`]): 2^16 rounds took 3.9 s of CPU on the same core, that is
/// about 4.9 million units ([`BCRYPT_UNITS_PER_ROUND`]); 5 million is that, rounded. Measured
/// there (user CPU, `pools simulate-login` with a wrong password): Argon2id m=256 MiB, t=4
/// (2^20 units) 0.83 s, and the same with p=8 0.77 s (lanes split the memory, they add no
/// work); scrypt N·r·p = 2^20 0.21 s whatever the split between N and p; PBKDF2-HMAC-SHA512
/// 0.56 µs per iteration, -SHA256 0.14 µs. So, for the schemes `pools` reads:
/// - Argon2: m (KiB) × t units;
/// - scrypt (also Django's and Firebase's): N·r·p / 4 units (each of the N·r·p steps mixes
///   256 bytes, a quarter of an Argon2 block);
/// - PBKDF2 (PHC, passlib, Django, Keycloak, Auth0): one unit per HMAC iteration per output
///   block of the digest's size, generous for every common digest;
/// - bcrypt: [`BCRYPT_UNITS_PER_ROUND`] per round, 2^cost rounds; its cap stays the cost
///   check of `crypt_bcrypt`, and the budget is set so that cost 16 fits and 17 does not;
/// - salted digests and HMACs: one unit (one pass over the password).
///
/// The trial's hashes cost 1,000 to 13 times the budget: Argon2id m=1 GiB, t=64 (67 million
/// units, 112 s), scrypt ln=20, r=8, p=16 (34 million, 65 s), PBKDF2-SHA512 10 million
/// iterations (10 million, 12 s). Common hashes stay far below: Django's Argon2 default
/// (m=100 MiB, t=2) is 0.2 million, OWASP's PBKDF2-SHA256 600,000 iterations 0.6 million,
/// Django's scrypt (N=2^14, r=8, p=5) 0.16 million.
pub const MAX_HASH_WORK_UNITS: u64 = 5_000_000;

/// The memory budget of one verification: 256 MiB. bcrypt needs 4 KiB; the memory-hard schemes
/// need m (Argon2) or 128·N·r bytes (scrypt) per attempt, and a few concurrent wrong-password
/// attempts against a 1 GiB hash exhaust a server. The largest default among the sources
/// `pools` imports is Django's Argon2, 100 MiB; 256 MiB leaves room above it.
pub const MAX_HASH_MEMORY_BYTES: u64 = 256 << 20;

/// Work units of one bcrypt round (2^cost rounds per verification): 3.9 s for 2^16 rounds,
/// at 0.8 µs per unit.
pub const BCRYPT_UNITS_PER_ROUND: u64 = 75;

// The budget is bcrypt cost 16's: cost 16 fits, cost 17 would not.
const _: () = assert!(
    BCRYPT_UNITS_PER_ROUND << MAX_BCRYPT_COST <= MAX_HASH_WORK_UNITS
        && BCRYPT_UNITS_PER_ROUND << (MAX_BCRYPT_COST + 1) > MAX_HASH_WORK_UNITS
);

/// What one verification of a hash costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    /// Work units ([`MAX_HASH_WORK_UNITS`]).
    pub work_units: u64,
    /// Working memory in bytes.
    pub memory_bytes: u64,
}

/// The cost of verifying `inner`, and the parameters that make it, for messages.
pub(super) fn of(inner: &Inner) -> (Cost, String) {
    let sat = |a: u64, b: u64| a.saturating_mul(b);
    match inner {
        Inner::Argon2(a) => (
            Cost {
                work_units: sat(u64::from(a.m_kib), u64::from(a.t)),
                memory_bytes: sat(u64::from(a.m_kib), 1024),
            },
            format!("m={} KiB, t={}, p={}", a.m_kib, a.t, a.p),
        ),
        Inner::Scrypt(s) => scrypt(s.log_n, s.r, s.p),
        Inner::Firebase(f) => {
            let (log_n, r) = f.cost_params();
            scrypt(log_n, r, 1)
        }
        Inner::Pbkdf2(p) => {
            let blocks = p.hash.len().div_ceil(p.digest.output_len()).max(1) as u64;
            (
                Cost {
                    work_units: sat(u64::from(p.iterations), blocks),
                    memory_bytes: 0,
                },
                format!(
                    "{} iterations × {blocks} output block(s) of {}",
                    p.iterations,
                    p.digest.name()
                ),
            )
        }
        Inner::Bcrypt(b) => (
            Cost {
                work_units: BCRYPT_UNITS_PER_ROUND << b.cost().min(40),
                memory_bytes: 4096,
            },
            format!("cost {}", b.cost()),
        ),
        Inner::Salted(_) | Inner::Hmac(_) => (
            Cost {
                work_units: 1,
                memory_bytes: 0,
            },
            "one digest".to_owned(),
        ),
    }
}

fn scrypt(log_n: u8, r: u32, p: u32) -> (Cost, String) {
    let n = 1u64.checked_shl(u32::from(log_n)).unwrap_or(u64::MAX);
    let nr = n.saturating_mul(u64::from(r));
    (
        Cost {
            work_units: nr.saturating_mul(u64::from(p)) / 4,
            memory_bytes: nr.saturating_mul(128),
        },
        format!("N=2^{log_n}, r={r}, p={p}"),
    )
}

/// Refuses a hash whose verification would cost more than the budget, before anything is
/// computed.
///
/// Errors: [`HashError::TooCostly`], naming the parameters, the cost and the budget, and the fix.
pub(super) fn check(scheme: &'static str, inner: &Inner) -> Result<(), HashError> {
    let (cost, params) = of(inner);
    let work = cost.work_units > MAX_HASH_WORK_UNITS;
    let memory = cost.memory_bytes > MAX_HASH_MEMORY_BYTES;
    if !work && !memory {
        return Ok(());
    }
    let mut over = Vec::new();
    if work {
        over.push(format!(
            "{} work units, {:.1} times the budget of {MAX_HASH_WORK_UNITS} (what bcrypt cost {MAX_BCRYPT_COST} costs: seconds of one core)",
            cost.work_units,
            cost.work_units as f64 / MAX_HASH_WORK_UNITS as f64
        ));
    }
    if memory {
        over.push(format!(
            "{} MiB of memory, above the {} MiB budget",
            cost.memory_bytes.div_ceil(1 << 20),
            MAX_HASH_MEMORY_BYTES >> 20
        ));
    }
    Err(HashError::TooCostly {
        scheme,
        reason: format!(
            "{params}: every login attempt, a wrong password included, would cost {}; fix: check the export (a damaged row?), or import these users without a password and have them reset it",
            over.join(" and ")
        ),
    })
}
