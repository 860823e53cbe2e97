//! Backups of the local store's users: the NDJSON and CSV that `users export` writes, and
//! the restore that reads them back ([`restore`]).
//!
//! One record per user holds everything the store keeps of it: local user ID, identifier and
//! aliases (R6), origin, pool and source user ID (the pool's identity key, R17), tenant and how
//! it was resolved (R4), enabled flag, times, version (R12), import provenance, profile,
//! metadata and, only when asked, the password hash (R11).
//!
//! NDJSON: one JSON object per line, the fields of [`crate::user::User`] as `-o json` shows
//! them plus `aliases` (alias keys) and, with hashes, `password_hash` (`null` for a user
//! without one). CSV: a header naming [`CSV_COLUMNS`] in that order (`password_hash` only
//! with hashes), profile, metadata and aliases as JSON text, an empty cell for none.

mod csv_rows;
mod read;
pub mod restore;

use crate::secret::Secret;
use crate::user::User;
use serde_json::Value;

pub use read::{Format, Rows, open};

/// The CSV columns, in order. `password_hash` is written only with hashes; the columns after
/// it were added later, so the ones before it stay where they always were.
pub const CSV_COLUMNS: [&str; 19] = [
    "identifier",
    "id",
    "origin",
    "pool",
    "tenant_id",
    "enabled",
    "created_at",
    "migrated_at",
    "last_login_at",
    "profile",
    "metadata",
    "password_hash",
    "external_id",
    "tenant_resolution",
    "aliases",
    "version",
    "imported_at",
    "import_line",
    "import_run",
];

/// The one line `users export` writes in NDJSON when it exports no user (an empty store, a
/// `--pool` or `--origin` that matches none): a backup of nothing, which restores as nothing,
/// told apart from an empty file, which a backup that did not run or was cut leaves. (A CSV
/// backup of nothing is its header alone: the header already says what it is.)
pub const NDJSON_NO_USERS: &str = r#"{"backup":"pools users export","users":0}"#;

/// What a backup record says of the user's password hash.
#[derive(Clone)]
pub enum BackupHash {
    /// The backup was written without hashes: it says nothing about the user's.
    NotInBackup,
    /// The user has no password hash (its first login asks its pool, R17).
    None,
    /// The user's hash: a PHC / crypt string or a canonical encoding of [`crate::hash`].
    Hash(Secret),
}

impl std::fmt::Debug for BackupHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BackupHash::NotInBackup => "NotInBackup",
            BackupHash::None => "None",
            BackupHash::Hash(_) => "Hash(********)",
        })
    }
}

/// One user of a backup, as read back and checked ([`restore`] writes it as it is).
/// `Debug` masks the hash (R11).
#[derive(Debug, Clone)]
pub struct BackupUser {
    /// 1-based line of the backup where the record starts.
    pub line: u64,
    pub user: User,
    /// Alias keys ([`crate::identifier::key`] of the user's other login names).
    pub aliases: Vec<String>,
    pub password_hash: BackupHash,
}

/// The CSV header of a backup, with or without the hash column.
pub fn csv_header(hashes: bool) -> Vec<&'static str> {
    CSV_COLUMNS
        .iter()
        .copied()
        .filter(|c| hashes || *c != "password_hash")
        .collect()
}

/// One CSV record of `user`, in the order of [`csv_header`]: absent values are empty cells,
/// profile, metadata and aliases JSON text; the hash (when `hashes`) is empty for none.
pub fn csv_record(user: &User, aliases: &[String], hashes: bool) -> Vec<String> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let num = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
    let mut rec = vec![
        user.identifier.clone(),
        user.id.clone(),
        user.origin.as_str().to_owned(),
        opt(&user.pool),
        opt(&user.tenant_id),
        user.enabled.to_string(),
        user.created_at.clone(),
        opt(&user.migrated_at),
        opt(&user.last_login_at),
        Value::Object(user.profile.clone()).to_string(),
        Value::Object(user.metadata.clone()).to_string(),
    ];
    if hashes {
        rec.push(
            user.password_hash
                .as_ref()
                .map(|h| h.expose().to_owned())
                .unwrap_or_default(),
        );
    }
    rec.extend([
        opt(&user.external_id),
        opt(&user.tenant_resolution),
        if aliases.is_empty() {
            String::new()
        } else {
            serde_json::to_string(aliases).expect("strings always serialise")
        },
        user.version.to_string(),
        opt(&user.imported_at),
        num(user.import_line),
        num(user.import_run),
    ]);
    rec
}

/// One NDJSON line of `user` (without its line end): the user as `-o json` shows it, its
/// alias keys and, when `hashes`, its hash (`null` for none).
pub fn ndjson_line(user: &User, aliases: &[String], hashes: bool) -> String {
    let mut v = serde_json::to_value(user).expect("a user always serialises");
    if let Some(obj) = v.as_object_mut() {
        obj.insert("aliases".into(), Value::from(aliases.to_vec()));
        if hashes {
            let hash = user
                .password_hash
                .as_ref()
                .map_or(Value::Null, |h| Value::String(h.expose().to_owned()));
            obj.insert("password_hash".into(), hash);
        }
    }
    v.to_string()
}

#[cfg(test)]
mod tests;
