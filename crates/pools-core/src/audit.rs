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
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Position in the log: 1, 2, ... in commit order.
    pub seq: u64,
    /// When the change was committed: RFC 3339, UTC, milliseconds.
    pub at: String,
    /// Who made it: `cli:USER` for a local command (the OS user), later a server's token name.
    pub actor: String,
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

/// The actor of a local command: `cli:` and the OS user's name (`USER`, else `LOGNAME`, else
/// `uid N`), as the audit log names who made a change.
pub fn local_actor() -> String {
    let user = ["USER", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()));
    match user {
        Some(u) => format!("cli:{}", u.trim()),
        // SAFETY: getuid has no preconditions and cannot fail.
        None => format!("cli:uid {}", unsafe { libc::getuid() }),
    }
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
