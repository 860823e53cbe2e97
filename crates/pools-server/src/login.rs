//! `POST /v1/login`: the real login applications call (the engine, committed: R3, R5, R6).
//!
//! What a caller learns is only "signed in" or "not": an unknown user, a wrong password, a
//! disabled user and every other refusal answer the same 401 and the same body, no sooner
//! than a floor (the time of one password hash with the store's parameters, measured at
//! start), so neither the body nor the time tells an existing user from one that is not
//! (the reasons are in `simulate-login`'s trace, for operators). A source that does not
//! answer is 503 with `Retry-After`: the application should retry, the user did nothing
//! wrong.
//!
//! That 503 is the one existence signal left, and it is kept on purpose. A migrated user is
//! checked here and never asks a source, so while a live pool's source is down an
//! identifier no local user holds is 503 where a migrated user's wrong password is 401.
//! Answering 401 instead would tell a user whose source is down that the password is
//! wrong (and send them to a reset, the thing a JIT migration exists to avoid), and would
//! hide an outage from the application's retries and alerts. The signal reaches only a
//! holder of a login token (an application's backend), during an outage, at the
//! per-identifier quota; an application that must not let its users learn it shows both
//! answers to them alike ("could not sign in, try again"), keeping the status for its own
//! retries.
//!
//! Brute force is bounded per identifier (its comparison key: case variants count as one)
//! and per client address, by GCRA limiters (`governor`): past either quota the answer is
//! 429 with `Retry-After` (RFC 9110 §10.2.3), before the engine runs. Their memory is kept
//! to the keys seen within a quota's period ([`Guard::forget_idle`]).

use crate::problem::Problem;
use axum::http::{HeaderValue, StatusCode, header};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use pools_core::error::ErrorKind;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::{Duration, Instant};

/// `Retry-After` of a login answered 503 because a source did not answer, in seconds.
pub const UNAVAILABLE_RETRY_AFTER_S: u64 = 5;

/// The login quotas, in attempts per minute.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Attempts per identifier per minute (a burst of as many).
    pub per_identifier: NonZeroU32,
    /// Attempts per client address per minute (a burst of as many): an application's
    /// backend calls from one address for all its users, so this is a large number.
    pub per_client: NonZeroU32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_identifier: NonZeroU32::new(20).expect("non-zero"),
            per_client: NonZeroU32::new(6_000).expect("non-zero"),
        }
    }
}

/// The limiters and the refusal floor.
pub(crate) struct Guard {
    by_identifier: DefaultKeyedRateLimiter<String>,
    by_client: DefaultKeyedRateLimiter<IpAddr>,
    /// No refusal is answered sooner than this after the request came.
    pub(crate) floor: Duration,
}

impl Guard {
    pub(crate) fn new(limits: Limits, floor: Duration) -> Guard {
        Guard {
            by_identifier: RateLimiter::keyed(Quota::per_minute(limits.per_identifier)),
            by_client: RateLimiter::keyed(Quota::per_minute(limits.per_client)),
            floor,
        }
    }

    /// Counts an attempt of `identifier` from `client`; the refusal (429, `Retry-After` in
    /// whole seconds) when either is past its quota.
    pub(crate) fn admit(&self, identifier: &str, client: IpAddr) -> Result<(), Problem> {
        let now = DefaultClock::default().now();
        let wait = match self.by_client.check_key(&client) {
            Err(not_until) => Some(("this client address", not_until.wait_time_from(now))),
            Ok(()) => match self
                .by_identifier
                .check_key(&pools_core::identifier::key(identifier))
            {
                Err(not_until) => Some(("this identifier", not_until.wait_time_from(now))),
                Ok(()) => None,
            },
        };
        let Some((whose, wait)) = wait else {
            return Ok(());
        };
        let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        let mut p = Problem::refusal(
            ErrorKind::Unavailable,
            StatusCode::TOO_MANY_REQUESTS,
            format!("too many login attempts for {whose}; try again in {secs} s"),
            "wait for Retry-After; the server limits attempts per identifier and per client address (pools serve --login-rate-per-identifier, --login-rate-per-client)",
        );
        if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
            p.headers.push((header::RETRY_AFTER, v));
        }
        Err(p)
    }

    /// Drops the limiters' keys that are back to a full quota: run every period, so their
    /// memory holds only keys seen lately.
    pub(crate) fn forget_idle(&self) {
        self.by_identifier.retain_recent();
        self.by_client.retain_recent();
        self.by_identifier.shrink_to_fit();
        self.by_client.shrink_to_fit();
    }
}

/// The time of one password hash with the store's parameters (argon2id): the floor of a
/// refusal. Measured once, before the server takes requests.
pub(crate) fn measure_floor() -> Duration {
    let t = Instant::now();
    let _ = pools_core::hash::hash_password("floor measurement, not a password");
    t.elapsed()
}

/// The one refusal every refused login answers.
pub(crate) fn refused() -> Problem {
    Problem::refusal(
        ErrorKind::Unauthorized,
        StatusCode::UNAUTHORIZED,
        "the identifier or the password is not accepted".into(),
        "check them and try again",
    )
}
