//! The audit log: every change an operator makes to a store — pools, the order, users made or
//! edited by hand, restores, imports — with who made it, when, and the record before and after.
//! The store writes each entry in the transaction of the change it records, so the log never
//! names a change that was not committed, nor misses one that was.
//!
//! No secret enters it (R11): pools are recorded as their settings, which hold secrets by
//! reference only; users without their password hash. Logins are not recorded here: a JIT
//! migration is the data plane (each user keeps `migrated_at`), not an operator's change.

use serde::{Deserialize, Serialize};

/// What changed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = AuditAction))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    #[serde(rename = "pool.create")]
    PoolCreate,
    #[serde(rename = "pool.update")]
    PoolUpdate,
    #[serde(rename = "pool.delete")]
    PoolDelete,
    /// The login order, by `reorder` or `apply`.
    #[serde(rename = "order.set")]
    OrderSet,
    #[serde(rename = "user.create")]
    UserCreate,
    #[serde(rename = "user.set_metadata")]
    UserSetMetadata,
    /// One batch of `users restore`: the counts, not the users.
    #[serde(rename = "users.restore")]
    UsersRestore,
    /// A run of `users import` began: the pool and the export's identity.
    #[serde(rename = "users.import")]
    UsersImport,
    /// An environment setting changed (`pools methods enable social`): the key, and its
    /// value before and after.
    #[serde(rename = "setting.set")]
    SettingSet,
    /// An environment server token was issued: its name and role, never the token.
    #[serde(rename = "token.create")]
    TokenCreate,
    #[serde(rename = "token.revoke")]
    TokenRevoke,
    /// The environment server refused a request: no token, one it does not accept, or a
    /// role that may not (the route, the status and the client's address; never a token).
    #[serde(rename = "access.denied")]
    AccessDenied,
}

impl Action {
    /// As the log shows it: `pool.create`, `order.set`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Action::PoolCreate => "pool.create",
            Action::PoolUpdate => "pool.update",
            Action::PoolDelete => "pool.delete",
            Action::OrderSet => "order.set",
            Action::UserCreate => "user.create",
            Action::UserSetMetadata => "user.set_metadata",
            Action::UsersRestore => "users.restore",
            Action::UsersImport => "users.import",
            Action::SettingSet => "setting.set",
            Action::TokenCreate => "token.create",
            Action::TokenRevoke => "token.revoke",
            Action::AccessDenied => "access.denied",
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of the log.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Position in the log: 1, 2, ... in commit order.
    pub seq: u64,
    /// When the change was committed: RFC 3339, UTC, milliseconds.
    pub at: String,
    /// Who made it: `local:USER@HOST` for a local command (the OS user and host), later a
    /// server's token name.
    pub actor: String,
    /// The request that made it ([`Op::request_id`]): the same for every entry one command
    /// wrote. `None` for entries written before the log recorded it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    pub action: Action,
    /// The pool it concerns, if any (a user's pool, an import's pool).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
    /// What it changed: a pool's name, a user's ID and identifier, `order`, an import's source.
    pub target: String,
    /// The record before, as JSON, without secrets; `None` for a creation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<serde_json::Value>,
    /// The record after, as JSON, without secrets; `None` for a deletion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<serde_json::Value>,
}

/// Which entries to read.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Entries committed at or after this instant (RFC 3339).
    pub since: Option<time::OffsetDateTime>,
    /// Entries about this pool only.
    pub pool: Option<String>,
    /// Entries after this one only (its `seq`): where the previous page ended.
    pub after: Option<u64>,
    /// At most this many entries (`None`: all).
    pub limit: Option<u64>,
}

/// Who makes the changes a store connection writes, and under which request: every entry of
/// the log names both. One request is one CLI invocation (later one server request): every
/// entry a command writes carries its request ID, so the entries of one command read together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Op {
    /// `local:USER@HOST` for a local command ([`local_actor`]), later a server's token name.
    pub actor: String,
    /// A UUID v7 (time-ordered), one per request ([`local_request_id`] for this process).
    pub request_id: String,
}

impl Op {
    /// This process's: the local actor and the process's request ID.
    pub fn local() -> Op {
        Op {
            actor: local_actor(),
            request_id: local_request_id().to_owned(),
        }
    }
}

/// The request ID of this process: a UUID v7 made at its first use, the same for every store
/// the process opens (a local command is one request, whatever it opens).
pub fn local_request_id() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| uuid::Uuid::now_v7().to_string())
}

/// The actor of a local command: `local:USER@HOST`, the name of the account the process runs
/// as (the password database's entry for its real user ID: what `id -un` prints, so `USER=ceo`
/// changes nothing), and the machine's host name ([`host_name`]). Without an entry, `USER` or
/// `LOGNAME`, else `uid N`. Control and format characters are escaped (`\u{1b}`): the log is
/// read on terminals.
pub fn local_actor() -> String {
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    let user = account_name(uid)
        .or_else(|| {
            ["USER", "LOGNAME"]
                .iter()
                .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
                .map(|u| u.trim().to_owned())
        })
        .unwrap_or_else(|| format!("uid {uid}"));
    format!("local:{}@{}", printable(&user), printable(&host_name()))
}

/// The login name of `uid` in the password database (getpwuid_r(3)), if it has one.
fn account_name(uid: libc::uid_t) -> Option<String> {
    let mut buf = vec![0u8; 4096];
    // SAFETY: a zeroed passwd is a valid out-parameter; getpwuid_r writes its strings into
    // `buf` (of `buf.len()` bytes) and sets `found` to `pwd` or null.
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    let rc = unsafe {
        libc::getpwuid_r(
            uid,
            &mut pwd,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut found,
        )
    };
    if rc != 0 || found.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    // SAFETY: on success pw_name points at a NUL-terminated string inside `buf`.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned()).filter(|n| !n.is_empty())
}

/// `text` with control and other non-printing characters escaped as `\u{..}`.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if crate::limits::refused_char(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The machine's host name as the OS gives it (gethostname(2)), else `HOSTNAME`, else
/// `localhost`: never empty, so an actor always reads `USER@HOST`.
pub fn host_name() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for `len` bytes; gethostname writes at most that many.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    let os = (rc == 0).then(|| {
        // POSIX leaves a truncated name without its NUL: take what is there up to one.
        let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
        String::from_utf8_lossy(&buf[..end]).trim().to_owned()
    });
    os.filter(|h| !h.is_empty())
        .or_else(|| {
            std::env::var("HOSTNAME")
                .ok()
                .map(|h| h.trim().to_owned())
                .filter(|h| !h.is_empty())
        })
        .unwrap_or_else(|| "localhost".to_owned())
}

/// Now, as entries write it: RFC 3339 UTC with milliseconds (`2026-12-04T21:30:00.123Z`),
/// made by the program rather than the database, so every store backend writes the same.
pub fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    let fmt = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    t.format(&fmt).expect("a UTC time always formats")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every action round-trips through JSON under the name the log shows.
    #[test]
    fn actions_round_trip_under_their_names() {
        for a in [
            Action::PoolCreate,
            Action::PoolUpdate,
            Action::PoolDelete,
            Action::OrderSet,
            Action::UserCreate,
            Action::UserSetMetadata,
            Action::UsersRestore,
            Action::UsersImport,
            Action::SettingSet,
        ] {
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(json, format!("\"{}\"", a.as_str()));
            assert_eq!(serde_json::from_str::<Action>(&json).unwrap(), a);
        }
    }

    /// The local actor is `local:USER@HOST`, the user from `USER` and the host as the OS
    /// names it.
    #[test]
    fn the_local_actor_names_the_user_and_the_host() {
        let host = host_name();
        assert!(!host.is_empty() && !host.contains('\0'), "{host:?}");
        let actor = local_actor();
        assert!(actor.starts_with("local:"), "{actor}");
        assert!(actor.ends_with(&format!("@{host}")), "{actor}");
        let user = &actor["local:".len()..actor.len() - host.len() - 1];
        assert!(!user.is_empty(), "{actor}");
    }

    /// What the log shows of a name is printable: ESC and format characters escaped.
    #[test]
    fn actor_names_are_escaped() {
        assert_eq!(printable("evil\u{1b}[31m"), "evil\\u{1b}[31m");
        assert_eq!(printable("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(printable("root"), "root");
    }

    /// One request ID per process: a UUID v7, the same at every call.
    #[test]
    fn the_request_id_is_one_uuid_v7_per_process() {
        let id = local_request_id();
        let parsed = uuid::Uuid::parse_str(id).unwrap();
        assert_eq!(parsed.get_version_num(), 7, "{id}");
        assert_eq!(local_request_id(), id);
        assert_eq!(Op::local().request_id, id);
        assert_eq!(Op::local().actor, local_actor());
    }

    #[test]
    fn now_is_rfc3339_utc_with_milliseconds() {
        let t = now();
        let parsed =
            time::OffsetDateTime::parse(&t, &time::format_description::well_known::Rfc3339)
                .unwrap();
        assert_eq!(parsed.offset(), time::UtcOffset::UTC);
        assert_eq!(t.len(), "2026-12-04T21:30:00.123Z".len(), "{t}");
    }
}
