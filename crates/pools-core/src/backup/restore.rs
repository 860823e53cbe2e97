//! `users restore`: a backup written by `users export` back into a store, record by record
//! with flat memory, one transaction per batch (R12). Each user is written whole with its own
//! ID, names, times, version and hash, or not at all: a record already in the store (same ID,
//! same content) is unchanged, so restoring twice is a no-op; anything that would overwrite
//! or duplicate a user is refused and reported with its line (R6, R17).

use super::{BackupHash, BackupUser, Rows};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::user::{Origin, User};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

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

/// What the store did with one checked record ([`Store::restore_batch`]).
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
#[derive(Debug, Clone, Default, Serialize)]
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
    fn refuse(&mut self, r: Report, report: &mut dyn FnMut(Report)) {
        self.refused += 1;
        *self.by_reason.entry(r.reason.to_owned()).or_default() += 1;
        report(r);
    }
}

/// Reads `rows` into `store`, `batch` records per transaction; `report` gets every record
/// not restored, in file order. A user whose pool is not in the store is refused: the pools
/// come first (`pools apply`).
///
/// Errors: [`Error::Invalid`] on `--file` for a backup with no record that does not say it
/// holds none ([`Rows::may_hold_no_users`]: a backup of nothing restores as nothing, read 0),
/// or one that cannot be read on (batches before it are committed); store failures.
pub fn run(
    store: &mut dyn Store,
    rows: Rows,
    batch: usize,
    report: &mut dyn FnMut(Report),
) -> std::result::Result<Summary, Stopped> {
    let started = std::time::Instant::now();
    let mut summary = Summary {
        format: rows.format().name().to_owned(),
        ..Summary::default()
    };
    let result = restore_into(store, rows, batch, report, &mut summary);
    summary.elapsed_ms = started.elapsed().as_millis() as u64;
    match result {
        Ok(()) => Ok(summary),
        Err(error) => {
            // A batch that failed was rolled back and reported nothing: read counts the
            // records whose outcome is known.
            summary.read = summary.restored + summary.unchanged + summary.refused;
            Err(Stopped {
                error,
                committed: summary.committed_batches > 0,
                summary: Box::new(summary),
            })
        }
    }
}

/// A restore that stopped on an error (a store that filled up, a backup unreadable from some
/// line on), with the figures of the batches it committed before, which stay.
pub type Stopped = crate::error::Stopped<Summary>;

/// [`run`], counting into `summary` as it goes.
fn restore_into(
    store: &mut dyn Store,
    mut rows: Rows,
    batch: usize,
    report: &mut dyn FnMut(Report),
    summary: &mut Summary,
) -> Result<()> {
    let batch = batch.max(1);
    let pools: HashSet<String> = store
        .pools()?
        .into_iter()
        .map(|p| p.pool.name.to_string())
        .collect();
    let mut pending: Vec<BackupUser> = Vec::with_capacity(batch.min(4096));
    // Refusals met among the pending rows, each with the number of rows before it, so the
    // reports keep file order.
    let mut held: Vec<(usize, Report)> = Vec::new();
    let mut flush = |pending: &mut Vec<BackupUser>,
                     held: &mut Vec<(usize, Report)>,
                     summary: &mut Summary,
                     store: &mut dyn Store|
     -> Result<()> {
        let outcomes = if pending.is_empty() {
            Vec::new()
        } else {
            let outcomes = store.restore_batch(pending)?;
            summary.committed_batches += 1;
            outcomes
        };
        let mut held = held.drain(..).peekable();
        for (i, (row, outcome)) in pending.iter().zip(outcomes).enumerate() {
            while let Some((_, r)) = held.next_if(|(at, _)| *at <= i) {
                summary.refuse(r, report);
            }
            match outcome {
                Outcome::Restored => {
                    summary.restored += 1;
                    count_login_needs(summary, &row.user);
                }
                Outcome::Unchanged => summary.unchanged += 1,
                Outcome::Conflict { reason, detail } => summary.refuse(
                    Report {
                        line: row.line,
                        identifier: Some(row.user.identifier.clone()),
                        reason,
                        detail,
                    },
                    report,
                ),
            }
        }
        for (_, r) in held {
            summary.refuse(r, report);
        }
        pending.clear();
        Ok(())
    };
    loop {
        let next = match rows.next_row() {
            Ok(next) => next,
            Err(e) => {
                // What was read before the failure is written: a re-run finds it unchanged.
                flush(&mut pending, &mut held, summary, store)?;
                return Err(e);
            }
        };
        let Some(item) = next else { break };
        summary.read += 1;
        match item {
            Err(r) => held.push((pending.len(), r)),
            Ok(row) => {
                if !matches!(row.password_hash, BackupHash::NotInBackup) {
                    summary.has_hashes = true;
                }
                match row.user.pool.as_deref().filter(|p| !pools.contains(*p)) {
                    Some(p) => held.push((pending.len(), unknown_pool(&row, p))),
                    None => pending.push(row),
                }
            }
        }
        if pending.len() >= batch {
            flush(&mut pending, &mut held, summary, store)?;
        }
    }
    flush(&mut pending, &mut held, summary, store)?;
    // A backup of nothing (`users export` of an empty store or filter) restores as nothing.
    if summary.read == 0 && !rows.may_hold_no_users() {
        let what = match summary.format.as_str() {
            "csv" => "a header row and no data rows",
            _ => "no user lines",
        };
        return Err(Error::invalid(
            "--file",
            format!("no users to restore: the backup holds {what}"),
        )
        .with_hint(
            "check that the export finished and that this is the right file; nothing was written",
        ));
    }
    Ok(())
}

fn count_login_needs(summary: &mut Summary, user: &User) {
    let hash = user.password_hash.is_some();
    match user.origin {
        Origin::Shadow => summary.need_pool += 1,
        Origin::Migrated if !hash => summary.need_pool += 1,
        Origin::Native if !hash => summary.native_without_password += 1,
        _ => {}
    }
}

fn unknown_pool(row: &BackupUser, pool: &str) -> Report {
    Report {
        line: row.line,
        identifier: Some(row.user.identifier.clone()),
        reason: "unknown_pool",
        detail: format!(
            "pool '{pool}' is not in this store: apply the pools before their users (on the source: `pools export > pools.yaml`; here: `pools apply -f pools.yaml`)"
        ),
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
