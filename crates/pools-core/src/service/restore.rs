//! `users restore`: a backup written by `users export` read back into the store, one
//! transaction per batch (R12); what becomes of each record is [`crate::backup::restore`]'s.

use crate::backup::restore::{Outcome, Report, Summary};
use crate::backup::{BackupHash, BackupUser, Rows};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::user::{Origin, User};
use std::collections::HashSet;

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
