//! `users restore`: a backup written by `users export` back into a store, record by record
//! with flat memory, one transaction per batch (R12). Each user is written whole with its own
//! ID, names, times, version and hash, or not at all: a record already in the store (same ID,
//! same content) is unchanged, so restoring twice is a no-op; anything that would overwrite
//! or duplicate a user is refused and reported with its line (R6, R17).

use super::{BackupHash, BackupUser};
use crate::user::User;
use serde::Serialize;
use std::collections::BTreeMap;

/// A record that was not restored: its line, identifier (when it was read), reason code and
/// what is wrong. Never holds a hash (R11).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// `unreadable`, `invalid_record`, `unknown_pool`, `id_conflict`, `identifier_conflict`,
    /// `source_id_conflict`, `unusable_hash`, `incomplete`, or a limit's code
    /// ([`crate::limits::Refusal::reason`]).
    pub reason: &'static str,
    pub detail: String,
}

/// What the store did with one checked record ([`crate::store::Store::restore_batch`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Written whole.
    Restored,
    /// The store holds this user already, as the backup does.
    Unchanged,
    /// Not written: it would overwrite or duplicate another record (R6, R17).
    Conflict {
        reason: &'static str,
        detail: String,
    },
}

/// Figures of a restore (`-o json` prints this).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Summary {
    /// `ndjson` or `csv`, as told from the content.
    pub format: String,
    /// Records read, refused ones included.
    pub read: u64,
    pub restored: u64,
    pub unchanged: u64,
    pub refused: u64,
    /// Refused records by reason code.
    pub by_reason: BTreeMap<String, u64>,
    /// Whether the backup carries password hashes (`users export --include-hashes`).
    pub has_hashes: bool,
    /// Restored users who need their pool to log in: shadow copies, and migrated users
    /// without a password hash (their first login asks the pool, R10, R17).
    pub need_pool: u64,
    /// Restored native users without a password hash: no pool can check one for them.
    pub native_without_password: u64,
    pub elapsed_ms: u64,
    /// Transactions of records committed.
    #[serde(skip)]
    pub committed_batches: u64,
}

impl Summary {
    pub(crate) fn refuse(&mut self, r: Report, report: &mut dyn FnMut(Report)) {
        self.refused += 1;
        *self.by_reason.entry(r.reason.to_owned()).or_default() += 1;
        report(r);
    }
}

/// The fields in which `stored` differs from the backup's `row` (same ID), by name; the hash
/// only when the backup carries hashes. Empty: the record is unchanged. Aliases are the
/// store's to compare (they live in their own table).
pub fn differences(stored: &User, row: &BackupUser) -> Vec<&'static str> {
    let b = &row.user;
    let mut out = Vec::new();
    let mut differs = |name: &'static str, same: bool| {
        if !same {
            out.push(name);
        }
    };
    differs("identifier", stored.identifier == b.identifier);
    differs("origin", stored.origin == b.origin);
    differs("pool", stored.pool == b.pool);
    differs("external_id", stored.external_id == b.external_id);
    differs("tenant_id", stored.tenant_id == b.tenant_id);
    differs(
        "tenant_resolution",
        stored.tenant_resolution == b.tenant_resolution,
    );
    differs("enabled", stored.enabled == b.enabled);
    differs("created_at", stored.created_at == b.created_at);
    differs("migrated_at", stored.migrated_at == b.migrated_at);
    differs("last_login_at", stored.last_login_at == b.last_login_at);
    differs("version", stored.version == b.version);
    differs("imported_at", stored.imported_at == b.imported_at);
    differs("import_line", stored.import_line == b.import_line);
    differs("import_run", stored.import_run == b.import_run);
    // A document the store cannot read back reads as empty: never equal to the backup's.
    let readable = |name: &str| !stored.unreadable.iter().any(|u| u.starts_with(name));
    differs(
        "profile",
        stored.profile == b.profile && readable("profile"),
    );
    differs(
        "metadata",
        stored.metadata == b.metadata && readable("metadata"),
    );
    let stored_hash = stored.password_hash.as_ref().map(|h| h.expose());
    match &row.password_hash {
        BackupHash::NotInBackup => {}
        BackupHash::None => differs("password_hash", stored_hash.is_none()),
        BackupHash::Hash(h) => differs("password_hash", stored_hash == Some(h.expose())),
    }
    out
}
