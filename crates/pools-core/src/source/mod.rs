//! Sources: where a pool's users are asked at login. Each answers one of the outcomes R5
//! distinguishes; the engine decides what they mean for the login.

mod export;
mod name_index;
mod oidc;

pub use oidc::CLOCK_SKEW_SECS;

use crate::hash::PasswordHash;
use crate::pool::{Pool, SourceSettings};
use serde_json::{Map, Value};
use std::time::Instant;

/// A user as a source returned it on successful authentication.
#[derive(Debug, Clone)]
pub struct SourceUser {
    /// The identifier as the source spells it.
    pub identifier: String,
    /// Other login names the source knows the user by (e.g. a username beside the email).
    pub aliases: Vec<String>,
    pub external_id: Option<String>,
    /// Attributes (or, for idp pools, the claims): tenant lookup and sync (R4, R16).
    pub profile: Map<String, Value>,
    /// The hash that verified the password, when the source verified one (an export file's):
    /// its scheme is reported, and a login keeps it when it did not compare the whole password
    /// typed ([`PasswordHash::lossy_for`], R13).
    pub hash: Option<Box<PasswordHash>>,
}

/// What a source said about an identifier and password (R5, R15).
#[derive(Debug, Clone)]
pub enum Answer {
    /// The password is right and the user may log in.
    Authenticated(SourceUser),
    /// The source does not know the identifier: the next pool is asked.
    Unknown,
    /// The source knows the identifier; the password is wrong: the login fails here.
    WrongPassword,
    /// The user is disabled or blocked at the source (R15).
    Disabled,
    /// The source knows the identifier but holds no usable credential (why).
    NoCredential(String),
    /// The source cannot tell an unknown user from a wrong password: counts as not
    /// recognising (R5).
    CannotTell,
    /// Not asked (why), e.g. federation without claims to simulate it.
    NotAsked(String),
    /// Unreachable or failing (why): the login fails closed (R5).
    Unavailable(String),
    /// The source knows the user and the password but asks for another step first (a
    /// challenge: a new password, MFA; its name): refused, never authenticated.
    Challenge(String),
    /// The user exists at the source but has not confirmed their account (Cognito
    /// `UserNotConfirmedException`): refused, not migrated.
    NotConfirmed,
    /// The source requires the user to reset their password first (Cognito
    /// `PasswordResetRequiredException`): refused, not migrated.
    ResetRequired,
}

impl Answer {
    /// The stable code of the answer, as traces print it.
    pub fn code(&self) -> &'static str {
        match self {
            Answer::Authenticated(_) => "authenticated",
            Answer::Unknown => "unknown_identifier",
            Answer::WrongPassword => "wrong_password",
            Answer::Disabled => "user_disabled",
            Answer::NoCredential(_) => "no_credential",
            Answer::CannotTell => "cannot_tell",
            Answer::NotAsked(_) => "not_asked",
            Answer::Unavailable(_) => "unavailable",
            Answer::Challenge(_) => "challenge",
            Answer::NotConfirmed => "user_not_confirmed",
            Answer::ResetRequired => "password_reset_required",
        }
    }
}

/// One login attempt as a source sees it.
pub struct Attempt<'a> {
    pub identifier: &'a str,
    pub password: Option<&'a str>,
    /// Claims an IdP returned (offline federation, `simulate-login --claims`).
    pub claims: Option<&'a Map<String, Value>>,
}

/// A source user that has a name as its identifier or an alias, as the source tells without
/// a password ([`holders`]).
#[derive(Debug, Clone)]
pub struct Holder {
    /// Its identifier, as the source spells it.
    pub identifier: String,
    pub external_id: Option<String>,
    /// Whether the name is its identifier (else one of its aliases).
    pub by_identifier: bool,
    /// Where the source keeps it (`file:line`).
    pub location: String,
}

/// One login attempt, owned, as a [`Source`] is asked it (wherever it runs).
pub struct Asked {
    pub identifier: String,
    pub password: Option<crate::secret::Secret>,
    pub claims: Option<Map<String, Value>>,
    /// When the answer is due: the pool's `timeout_ms` from the call, capped by what is
    /// left of the login's budget (R5). An answer after it counts as none.
    pub deadline: Instant,
    /// Where a live source records each request it makes, as it makes it: kept when the
    /// engine's timeout drops the source mid-way.
    pub exchanges: ExchangeLog,
}

/// One request a live source made: which call, the HTTP status (none when no response
/// came), the provider's error code when it sent one, and the latency in milliseconds.
/// Never a header, body, token or password (R11).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Exchange {
    /// The provider's name for the call, e.g. `InitiateAuth`, `accounts:signInWithPassword`.
    pub call: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// E.g. `NotAuthorizedException`, `INVALID_PASSWORD`, `invalid_grant`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub elapsed_ms: f64,
}

/// The requests of one source call, shared between the source and the engine.
#[derive(Debug, Clone, Default)]
pub struct ExchangeLog(std::sync::Arc<std::sync::Mutex<Vec<Exchange>>>);

impl ExchangeLog {
    /// Records one request.
    pub fn push(&self, e: Exchange) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(e);
    }

    /// The error code of the last request recorded (`connect`, `tls`, `timeout`, a
    /// provider's code), if it has one.
    pub fn last_error(&self) -> Option<String> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .last()
            .and_then(|e| e.error.clone())
    }

    /// The requests recorded so far, leaving none.
    pub fn take(&self) -> Vec<Exchange> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// Makes the [`Source`] of a pool. The core knows the sources that need no network
/// ([`OfflineSources`]: export files, idp claims); a program that reaches the network
/// passes a factory that knows the live kinds too (the `pools-live` crate).
pub trait Sources: Send + Sync {
    /// The source of `pool`, as its settings say.
    fn source(&self, pool: &Pool) -> Box<dyn Source>;
}

/// The sources asked without a network: export and idp pools; a live kind answers
/// [`Answer::Unavailable`], saying that it needs a running environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct OfflineSources;

impl Sources for OfflineSources {
    fn source(&self, pool: &Pool) -> Box<dyn Source> {
        for_pool(pool)
    }
}

/// A pool's source of users, as the engine asks it at login (R5). Object-safe and async.
/// Each call has a deadline: a source waiting on I/O is dropped by the engine's timeout
/// at that instant; a source that reads a regular file does so in the caller's task (the
/// engine runs off the async threads) and stops itself between records once it has passed.
/// Neither method fails: a source that cannot answer says [`Answer::Unavailable`] (why).
#[async_trait::async_trait]
pub trait Source: Send + Sync {
    /// What the source says about an attempt.
    async fn ask(&self, attempt: Asked) -> Answer;

    /// The source users that have `name` as identifier or alias (R6), where the source can
    /// tell without a password (an export file); `None` for sources that can only be asked
    /// with a password (the network sources, idp); `Some(Err)` when it cannot be read.
    async fn holders(
        &self,
        _name: String,
        _deadline: Instant,
    ) -> Option<Result<Vec<Holder>, String>> {
        None
    }

    /// Probes the source with harmless requests (a login of a user that cannot exist) and
    /// reports each prerequisite it can see (`pools check`, SPEC "Prerequisites"), by
    /// `deadline`, recording its requests in `exchanges`. Sources without a probe report
    /// none.
    async fn check(&self, _deadline: Instant, _exchanges: ExchangeLog) -> Vec<Probe> {
        Vec::new()
    }
}

/// One prerequisite of a pool as `pools check` saw it: `check` names it (`reachable`, `tls`,
/// `credentials`, `password_flow`, `management`, `contract`, `file`, `format`, `hash_config`), `ok` whether
/// it holds, `detail` what was seen, `fix` what to do when it does not.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Probe {
    pub check: String,
    pub ok: bool,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Probe {
    pub fn pass(check: &str, detail: impl Into<String>) -> Probe {
        Probe {
            check: check.into(),
            ok: true,
            detail: detail.into(),
            fix: None,
        }
    }

    pub fn fail(check: &str, detail: impl Into<String>, fix: impl Into<String>) -> Probe {
        Probe {
            check: check.into(),
            ok: false,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }
}

/// The source of `pool`, as its settings say.
pub fn for_pool(pool: &Pool) -> Box<dyn Source> {
    match &pool.settings {
        SourceSettings::Export {
            file,
            format,
            hash_config,
        } => Box::new(export::ExportSource {
            pool: pool.name.to_string(),
            file: file.clone(),
            format: *format,
            hash_config: hash_config.clone(),
        }),
        SourceSettings::Oidc {
            issuer, client_id, ..
        } => Box::new(oidc::OidcSource {
            issuer: issuer.clone(),
            client_id: client_id.clone(),
        }),
        other => Box::new(Offline(other.kind())),
    }
}

/// A source reached over the network by a running environment: not asked offline.
struct Offline(crate::pool::SourceKind);

#[async_trait::async_trait]
impl Source for Offline {
    async fn ask(&self, _: Asked) -> Answer {
        Answer::Unavailable(format!(
            "the {} source is asked over the network, and this program has no client for it (a live factory, `pools-live`, makes one)",
            self.0
        ))
    }
}

/// Runs `f`, which reads `path`, and waits for it. A regular file is read right here, on
/// the caller's thread (the engine's, off the async threads): `f` checks its deadline between
/// records, and a thread handoff per login would cost more than a short search (the login
/// bench's first user). Anything else (a FIFO no one may write, a device) may block in
/// `open(2)` or `read(2)` for ever, so it is read on a detached thread of its own, left
/// behind when the waiting future is dropped (the engine's timeout, R5). A regular file on
/// a network filesystem that stops answering holds the login up, as its `stat(2)` would.
async fn off_thread<T: Send + 'static>(
    name: String,
    path: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    if std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return Ok(f());
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name(name)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .map_err(|e| format!("no thread to read it on: {e}"))?;
    rx.await
        .map_err(|_| "the thread reading it stopped without an answer".to_owned())
}

/// A deadline checked between the records of a read: every 64th record looks at the clock
/// (a clock read per record would cost a few per cent of a long read).
pub(super) struct Deadline {
    at: Instant,
    seen: u32,
    passed: bool,
}

impl Deadline {
    pub(super) fn new(at: Instant) -> Deadline {
        Deadline {
            at,
            seen: 0,
            passed: false,
        }
    }

    /// Whether the read must stop now; once passed, it stays passed.
    pub(super) fn passed(&mut self) -> bool {
        self.seen = self.seen.wrapping_add(1);
        if !self.passed && self.seen.is_multiple_of(64) {
            self.passed = Instant::now() >= self.at;
        }
        self.passed
    }

    /// Why a read that stopped at it gave no answer.
    pub(super) fn why(&self) -> String {
        format!(
            "its read stopped at the deadline, {} records into the file",
            self.seen
        )
    }

    pub(super) fn was_passed(&self) -> bool {
        self.passed
    }

    /// Whether the deadline has passed now (a clock read).
    pub(super) fn is_past(&self) -> bool {
        Instant::now() >= self.at
    }
}
