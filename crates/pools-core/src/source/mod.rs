//! Sources: where a pool's users are asked at login. Each answers one of the outcomes R5
//! distinguishes; the engine decides what they mean for the login.

mod export;
mod name_index;
mod oidc;

pub use oidc::CLOCK_SKEW_SECS;

use crate::hash::PasswordHash;
use crate::pool::{Pool, SourceSettings};
use serde_json::{Map, Value};

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
}

/// A pool's source of users, as the engine asks it at login (R5). Object-safe and async:
/// network sources wait on I/O; sources that read files do so off the async threads.
/// Neither method fails: a source that cannot answer says [`Answer::Unavailable`] (why).
#[async_trait::async_trait]
pub trait Source: Send + Sync {
    /// What the source says about an attempt.
    async fn ask(&self, attempt: Asked) -> Answer;

    /// The source users that have `name` as identifier or alias (R6), where the source can
    /// tell without a password (an export file); `None` for sources that can only be asked
    /// with a password (the network sources, idp); `Some(Err)` when it cannot be read.
    async fn holders(&self, name: String) -> Option<Result<Vec<Holder>, String>>;
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
            "the {} source is reached over the network by a running environment; `pools` rehearses export and idp pools offline only",
            self.0
        ))
    }

    async fn holders(&self, _: String) -> Option<Result<Vec<Holder>, String>> {
        None
    }
}

/// Runs `f`, which reads `path`, off the async thread and waits for it. A regular file is
/// read on the runtime's blocking pool (its threads are reused: a thread made per login cost
/// a fresh malloc arena and a third of the read's time); anything else (a FIFO no one may
/// write) on a detached thread of its own, left behind when the waiting future is dropped
/// (the engine's timeout, R5), as it may never return. The CLI shuts its runtime down
/// without waiting for its blocking pool, so a stalled disk never holds up its exit either.
async fn off_thread<T: Send + 'static>(
    name: String,
    path: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    let regular = std::fs::metadata(path).is_ok_and(|m| m.is_file());
    if regular && tokio::runtime::Handle::try_current().is_ok() {
        return tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| format!("the task reading it failed: {e}"));
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
