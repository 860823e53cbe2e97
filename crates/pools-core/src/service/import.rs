//! `users import`: an export file streamed into the store, one transaction per batch, with
//! the rows' outcomes reported in file order (R6, R12, R17). The decisions about each row are
//! the import module's ([`crate::import::classify`], [`crate::import::yields_alias`]); this
//! drives them over the [`Store`].

use crate::error::{Error, Result};
use crate::export::{self, ExportFormat};
use crate::import::{
    AliasClaims, AliasNote, BatchOutcome, ImportId, ImportRow, OnConflict, Report, RowOutcome,
    RowReason, Summary, classify, prepare, yields_alias,
};
use crate::pool::{Pool, SourceSettings};
use crate::store::Store;
use crate::user::{Origin, User};
use crate::{credential, identifier};
use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::Path;

/// The import's settings.
pub struct Options<'a> {
    pub pool: &'a Pool,
    /// The export, opened once (a file, a FIFO or stdin): see [`input`].
    pub input: export::Input,
    /// Its format, as [`input`] resolved it.
    pub format: ExportFormat,
    pub hash_config: Option<&'a Path>,
    pub on_conflict: OnConflict,
    /// Rows per transaction.
    pub batch: usize,
    pub dry_run: bool,
    /// When set (by a Ctrl-C handler), the import commits the rows it holds, stops and
    /// returns a summary marked `interrupted`; running it again continues (resume).
    pub cancel: Option<&'a std::sync::atomic::AtomicBool>,
    /// The pool's import lock ([`Store::import_lock`]), when the caller took it before
    /// opening anything (a refused second run then reads no byte of its input); `None`: the
    /// import takes it itself. A dry run writes nothing and needs none.
    pub lock: Option<crate::store::ImportLock>,
    /// The import's ID as the operator gave it (`--import-id`): runs with the same ID are one
    /// import (resumed, its rows already imported), whatever the input. `None`: the file's
    /// host and path, or, for a stream, a new import each run ([`ImportId`]).
    pub import_id: Option<String>,
    /// The ID of a file read as a stream by another host (a client's file sent to
    /// `pools serve`): the client's host and path, so that a run again of the same file
    /// resumes as it would locally. `None` for an input opened here.
    pub file_id: Option<ImportId>,
}

/// How far an import has read, for a progress display.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub struct Progress {
    /// Records read (including unreadable ones).
    pub rows: u64,
    /// About how many bytes of the file those records span (their text plus a separator):
    /// compared with the file size it gives a percentage.
    pub bytes: u64,
}

/// Rows per message from the reading thread to the writing one.
pub const CHUNK_ROWS: usize = 256;
/// Chunks the queue holds at most, whatever `--batch` (memory: about 16,000 rows).
const MAX_QUEUE_CHUNKS: usize = 64;

/// Rows gathered by the writer for its next transaction, and the reports that arrived among
/// them (each with the number of rows before it), so output keeps file order.
#[derive(Default)]
struct Pending {
    rows: Vec<ImportRow>,
    raws: Vec<Option<String>>,
    held: Vec<(usize, Report)>,
}

impl Pending {
    /// Splits off what lies past the first `n` rows (the next transaction's share), with
    /// the reports that arrived after row `n`, so each transaction holds exactly `--batch`
    /// rows whatever the reader's chunk size.
    fn split_off(&mut self, n: usize) -> Pending {
        let rows = self.rows.split_off(n);
        let raws = self.raws.split_off(n);
        let (held, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.held)
            .into_iter()
            .partition(|(at, _)| *at <= n);
        self.held = held;
        Pending {
            rows,
            raws,
            held: later.into_iter().map(|(at, r)| (at - n, r)).collect(),
        }
    }
}

/// What the reading thread hands to the writing thread, in file order.
enum Item {
    Rows(Vec<ImportRow>, Vec<Option<String>>),
    Report(Report),
    /// Records read so far (progress).
    Read(Progress),
}

/// The export an import reads, opened once, and its format: `file` (`-` for stdin) or the
/// pool's export file; `format`, the pool's, or detected from the first bytes of the same
/// stream, which the import then reads again from memory (a pipe or FIFO is read once).
///
/// Errors: [`Error::NotFound`] when the file does not exist (exit 3, as a missing pool or
/// user); [`Error::Invalid`] naming `--file` (none, a directory, unreadable) or `--format`
/// (undetectable).
pub fn input(
    pool: &Pool,
    file: Option<&Path>,
    format: Option<ExportFormat>,
) -> Result<(export::Input, ExportFormat)> {
    let pool_file = match &pool.settings {
        SourceSettings::Export { file, .. } => Some(file.as_str()),
        _ => None,
    };
    let given = file.is_some();
    let file = match (file, pool_file) {
        (Some(f), _) => f.to_path_buf(),
        (None, Some(f)) => f.into(),
        (None, None) => {
            return Err(Error::invalid(
                "--file",
                format!("pool '{}' has no export file to import from", pool.name),
            )
            .with_hint("pass the export with --file"));
        }
    };
    let stdin = file == Path::new("-");
    if !stdin && !file.exists() {
        return Err(Error::NotFound {
            what: format!("export file {}", file.display()),
            hint: Some(if given {
                "check the path given to --file".into()
            } else {
                format!(
                    "it is pool '{}''s file: pass the export with --file, or point the pool at it with `pools configure {} --file PATH`",
                    pool.name, pool.name
                )
            }),
        });
    }
    if !stdin && file.is_dir() {
        return Err(
            Error::invalid("--file", format!("{}: a directory", file.display()))
                .with_hint("pass the export file to read"),
        );
    }
    let mut input = export::Input::open(&file).map_err(|e| Error::invalid("--file", e))?;
    let format = format_of(pool, &mut input, format)?;
    Ok((input, format))
}

/// The format an import reads `input` as: `format` as given, else the pool's, else told
/// from its first bytes (kept for the reader).
///
/// Errors: [`Error::Invalid`] naming `--file` (empty, unreadable, UTF-16) or `--format`
/// (undetectable).
pub fn format_of(
    pool: &Pool,
    input: &mut export::Input,
    format: Option<ExportFormat>,
) -> Result<ExportFormat> {
    let pool_format = match &pool.settings {
        SourceSettings::Export { format, .. } => *format,
        _ => None,
    };
    match format.or(pool_format) {
        Some(f) => Ok(f),
        None => input.detect().map_err(|e| match e {
            export::ExportError::Io { .. }
            | export::ExportError::Empty { .. }
            | export::ExportError::WrongEncoding { .. } => Error::invalid("--file", e),
            _ => Error::invalid("--format", e),
        }),
    }
}

/// Streams the file into the store. `progress` gets the number of records read so far;
/// `report` every row that was skipped, merged or rejected, in file order.
///
/// Two threads: one reads and prepares records (parsing, hash and tenant checks), the other
/// writes one transaction per `batch` rows, so on two cores parsing and SQLite overlap; a
/// bounded queue of small chunks keeps memory flat whatever the file size (`batch` rows and
/// up to two more batches, at most 16,000 rows, in flight).
///
/// Errors: [`Error::Invalid`] when the file cannot be read at all or the pool's settings
/// don't allow an import; store failures. Rows already committed stay (resumable).
pub fn run(
    store: &mut dyn Store,
    opts: Options<'_>,
    progress: &mut dyn FnMut(Progress),
    report: &mut dyn FnMut(Report),
) -> std::result::Result<Summary, Stopped> {
    let started = std::time::Instant::now();
    let mut summary = Summary {
        format: opts.format.name().to_owned(),
        dry_run: opts.dry_run,
        ..Summary::default()
    };
    let result = import_into(store, opts, progress, report, &mut summary);
    summary.elapsed_ms = started.elapsed().as_millis() as u64;
    match result {
        Ok(()) => Ok(summary),
        Err(error) => {
            // The rows of the batch that failed were rolled back and reported nothing: read
            // counts the rows whose outcome is known (committed, skipped or rejected).
            summary.read = summary.imported
                + summary.already_imported
                + summary.skipped
                + summary.merged
                + summary.renamed
                + summary.rejected;
            Err(Stopped {
                error,
                committed: summary.committed_batches > 0,
                summary: Box::new(summary),
            })
        }
    }
}

/// An import that stopped on an error, with the figures of what it did before: the batches
/// it committed stay committed (a store that filled up part-way, a file unreadable from
/// some row on), and running it again continues.
pub type Stopped = crate::error::Stopped<Summary>;

/// [`run`], counting into `summary` as it goes, so that an error leaves the figures of what
/// was committed before it.
fn import_into(
    store: &mut dyn Store,
    opts: Options<'_>,
    progress: &mut dyn FnMut(Progress),
    report: &mut dyn FnMut(Report),
    summary: &mut Summary,
) -> Result<()> {
    let Options {
        pool,
        input: export_input,
        format,
        hash_config: hash_config_path,
        on_conflict,
        batch,
        dry_run,
        cancel,
        lock,
        import_id,
        file_id,
    } = opts;
    let pool_name = pool.name.to_string();
    // Held until the run has settled its rows: one import at a time per pool (R6, R12, R17).
    let _lock = match lock {
        Some(l) => Some(l),
        None if !dry_run => Some(store.import_lock(&pool_name)?),
        None => None,
    };
    let pool_hash_config = match &pool.settings {
        SourceSettings::Export { hash_config, .. } => hash_config.as_deref(),
        _ => None,
    };
    let hash_config = match hash_config_path.or(pool_hash_config.map(Path::new)) {
        Some(p) => Some(credential::load_hash_config(p)?),
        None => None,
    };
    // Asked for at the first record that has a Firebase scrypt hash, not up front: an
    // export of users without passwords (phone-only, anonymous) needs no parameters, and an
    // empty one is reported as empty.
    // The line of that record, 0 while none was met.
    let missing_config = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    if pool.pool_type() == crate::pool::PoolType::Idp {
        return Err(Error::invalid("R2", format!("pool '{pool_name}' is an idp pool: its users sign in at the IdP and are never migrated"))
            .with_hint("import into an external pool"));
    }
    let import = import_key(&export_input, import_id.as_deref(), file_id)?;
    let source = import.as_str().to_owned();
    let batch_size = batch.max(1);
    let run = if dry_run {
        0
    } else {
        // Runs a killed import left unsettled (their rows have no source-ID key yet) are
        // settled first, so this run's rename detection sees them (R17).
        store.import_settle(&pool_name, &source, 0, opts.on_conflict)?;
        store.import_start(&pool_name, &import)?
    };
    // The number of the run's next batch: a batch sent again keeps its number, so the store
    // answers a retry with what the batch did (idempotent by run and number).
    let mut seq = 0u64;

    let mut seen = DrySeen::default(); // dry run only
    // The reader sends small chunks; the writer gathers `batch` rows per transaction. At most
    // about 3 × `batch` rows are held at once (16,000 + `batch` for large batches), whatever
    // the file size.
    let chunk = batch_size.clamp(1, CHUNK_ROWS);
    // The queue holds two transactions' worth (up to 64 chunks), so the reader keeps
    // preparing rows while the writer commits (commit times vary with the checkpoints).
    let depth = (2 * batch_size.div_ceil(chunk)).min(MAX_QUEUE_CHUNKS) + 4;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Item>(depth);
    let (spent_tx, spent_rx) = std::sync::mpsc::channel::<(Vec<ImportRow>, Vec<Option<String>>)>();
    // The reader runs on a thread of its own, not joined when the import is stopped (Ctrl-C,
    // SIGTERM): it may be blocked reading a pipe whose writer sends nothing more, and the
    // rows it handed on are committed without it.
    let (reader_pool, reader_hash, reader_missing) = (
        pool.clone(),
        hash_config.clone(),
        std::sync::Arc::clone(&missing_config),
    );
    let scoped = (|| -> Result<std::result::Result<export::ReadSummary, export::ExportError>> {
        let reader = std::thread::Builder::new()
            .name("import reader".into())
            .spawn(move || {
                let (pool, hash_config, missing_config) =
                    (&reader_pool, &reader_hash, &reader_missing);
                let mut rows = Vec::with_capacity(chunk);
                let mut raws = Vec::with_capacity(chunk);
                let (mut read, mut bytes, mut chunks) = (0u64, 0u64, 0u64);
                let mut closed = false;
                let mut claims = AliasClaims::default();
                let send = |item: Item, closed: &mut bool| {
                    if tx.send(item).is_err() {
                        *closed = true; // the writer stopped on an error
                    }
                };
                // A JSON document is read whole before its first row is handed on: one that
                // breaks off past its first users (a second `users` array, a truncated copy)
                // is refused with nothing committed, not imported in part.
                let result = export::read_input_checked(export_input, Some(format), |item| {
                    while let Ok(spent) = spent_rx.try_recv() {
                        drop(spent);
                    }
                    read += 1;
                    // The records' own text plus a separator: close to the file offset.
                    bytes += 1 + match &item {
                        Ok(rec) => rec.raw.len(),
                        Err(e) => e.raw().map_or(0, <[u8]>::len),
                    } as u64;
                    // Before `prepare`: a record it rejects holds its names all the same.
                    let shared = match &item {
                        Ok(rec) => claims.claim(rec),
                        Err(_) => Vec::new(),
                    };
                    match item {
                        Err(e) => {
                            let r = Report {
                                line: e.line().unwrap_or(0),
                                identifier: None,
                                action: "rejected",
                                reason: e.reason(),
                                detail: e.to_string(),
                                raw: e.raw().map(<[u8]>::to_vec),
                            };
                            if !rows.is_empty() {
                                let rows = std::mem::take(&mut rows);
                                send(Item::Rows(rows, std::mem::take(&mut raws)), &mut closed);
                            }
                            send(Item::Report(r), &mut closed);
                        }
                        Ok(rec)
                            if hash_config.is_none()
                                && matches!(
                                    rec.credential,
                                    crate::export::RawCredential::FirebaseScrypt { .. }
                                ) =>
                        {
                            missing_config
                                .store(rec.line.max(1), std::sync::atomic::Ordering::Relaxed);
                            closed = true;
                        }
                        Ok(rec) => match prepare(rec, format, pool, hash_config.as_ref()) {
                            Ok((mut row, raw)) => {
                                row.shared_aliases = shared;
                                rows.push(row);
                                raws.push(Some(raw));
                            }
                            Err(r) => {
                                if !rows.is_empty() {
                                    let rows = std::mem::take(&mut rows);
                                    send(Item::Rows(rows, std::mem::take(&mut raws)), &mut closed);
                                }
                                send(Item::Report(r), &mut closed);
                            }
                        },
                    }
                    if rows.len() >= chunk {
                        let full = std::mem::replace(&mut rows, Vec::with_capacity(chunk));
                        let full_raws = std::mem::replace(&mut raws, Vec::with_capacity(chunk));
                        send(Item::Rows(full, full_raws), &mut closed);
                        chunks += 1;
                        // Progress now and then: each message wakes the writer.
                        if chunks % 32 == 0 {
                            send(Item::Read(Progress { rows: read, bytes }), &mut closed);
                        }
                    }
                    if closed {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                });
                if !rows.is_empty() {
                    send(Item::Rows(rows, raws), &mut closed);
                }
                send(Item::Read(Progress { rows: read, bytes }), &mut closed);
                result
            })
            .map_err(|e| Error::io("a thread to read the export", e))?;
        let mut pending = Pending::default();
        // Rows refused because another source user of the pool holds their identifier,
        // tried again at the end: that user may be renamed by a later row of the file
        // (two people swapping or passing on an email), and the store must be the same
        // whatever the row order (R6, R17). Bounded: past it, a row is reported at once.
        let mut deferred = Pending::default();
        let mut flush = |pending: &mut Pending,
                         summary: &mut Summary,
                         report: &mut dyn FnMut(Report),
                         deferred: Option<&mut Pending>|
         -> Result<()> {
            let mut deferred = deferred;
            let Pending { rows, raws, held } = std::mem::take(pending);
            let batch = if dry_run {
                // One read transaction per batch, not one per lookup (issue 8, F21).
                let mut batch = BatchOutcome::default();
                let store: &dyn Store = store;
                store.read_snapshot(&mut || {
                    for (i, r) in rows.iter().enumerate() {
                        let (outcome, notes) =
                            dry_outcome(store, &mut seen, r, &pool_name, &source, on_conflict)?;
                        batch.rows.push(outcome);
                        batch.aliases.extend(notes.into_iter().map(|n| (i, n)));
                    }
                    Ok(())
                })?;
                batch
            } else {
                seq += 1;
                let outcomes =
                    store.import_batch(&pool_name, &source, run, seq, &rows, on_conflict)?;
                summary.committed_batches += 1;
                outcomes
            };
            let mut held = held.into_iter().peekable();
            let mut alias_notes = batch.aliases.into_iter().peekable();
            for (i, ((row, raw), outcome)) in rows.iter().zip(&raws).zip(batch.rows).enumerate() {
                while let Some((_, r)) = held.next_if(|(at, _)| *at <= i) {
                    summary.note(r, report);
                }
                let mk = |action, reason, detail| Report {
                    line: row.line,
                    identifier: Some(row.identifier.clone()),
                    action,
                    reason,
                    detail,
                    raw: raw.clone().map(String::into_bytes),
                };
                let collided = matches!(
                    &outcome,
                    RowOutcome::Skipped {
                        reason: RowReason::IdentifierCollision,
                        ..
                    } | RowOutcome::Rejected {
                        reason: RowReason::IdentifierCollision,
                        ..
                    }
                );
                let defer = match deferred.as_deref_mut() {
                    Some(d)
                        if collided && row.external_id.is_some() && d.rows.len() < MAX_DEFERRED =>
                    {
                        d.rows.push(row.clone());
                        d.raws.push(raw.clone());
                        true
                    }
                    _ => false,
                };
                match outcome {
                    _ if defer => {}
                    RowOutcome::Imported => summary.imported += 1,
                    RowOutcome::AlreadyImported => summary.already_imported += 1,
                    RowOutcome::Skipped { reason, detail } => {
                        summary.note(mk("skipped", reason.as_str(), detail), report)
                    }
                    // One wording, one count: the action is `merged`, the reason why.
                    RowOutcome::Merged { reason, detail } => {
                        summary.note(mk("merged", reason.as_str(), detail), report)
                    }
                    // Reported, but it landed: no reason count, no reject-file line.
                    RowOutcome::Renamed { detail } => {
                        summary.renamed += 1;
                        report(Report {
                            raw: None,
                            ..mk("renamed", "renamed", detail)
                        });
                    }
                    RowOutcome::Rejected { reason, detail } => {
                        summary.note(mk("rejected", reason.as_str(), detail), report)
                    }
                }
                // The row landed; a name it lists is reported, never dropped silently (R6).
                while let Some((_, n)) = alias_notes.next_if(|(at, _)| *at == i) {
                    summary.aliases_skipped += 1;
                    report(Report {
                        raw: None,
                        ..mk(n.action.as_str(), n.reason.as_str(), n.detail)
                    });
                }
            }
            for (_, r) in held {
                summary.note(r, report);
            }
            // Freed where they were allocated: glibc's malloc locks an arena for a free
            // from another thread, which stalled the reader.
            let _ = spent_tx.send((rows, raws));
            Ok(())
        };
        let cancelled = || cancel.is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed));
        // Records that reached the writer: on Ctrl-C those read past them were never
        // looked at, so `read` counts only these (never fewer than were imported).
        let mut handled = 0u64;
        loop {
            // Woken now and then without a row, so that a stop is seen while the reader
            // waits on a pipe that sends nothing.
            let item = match rx.recv_timeout(std::time::Duration::from_millis(100)) {
                Ok(item) => Some(item),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => None,
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            };
            if cancelled() {
                // Leaving the loop drops the queue: the reader stops at its next send.
                if !pending.rows.is_empty() || !pending.held.is_empty() {
                    flush(&mut pending, summary, report, None)?;
                }
                summary.interrupted = true;
                break;
            }
            let Some(item) = item else { continue };
            match item {
                // Reports keep their place in file order among the rows around them.
                Item::Report(r) if pending.rows.is_empty() => {
                    handled += 1;
                    summary.note(r, report)
                }
                Item::Report(r) => {
                    handled += 1;
                    pending.held.push((pending.rows.len(), r))
                }
                Item::Read(p) => progress(p),
                Item::Rows(rows, raws) => {
                    handled += rows.len() as u64;
                    pending.rows.extend(rows);
                    pending.raws.extend(raws);
                    while pending.rows.len() >= batch_size {
                        let next = pending.split_off(batch_size);
                        flush(&mut pending, summary, report, Some(&mut deferred))?;
                        pending = next;
                    }
                }
            }
        }
        if !pending.rows.is_empty() || !pending.held.is_empty() {
            flush(&mut pending, summary, report, Some(&mut deferred))?;
        }
        // Once more, now that every row of the file had its turn; reported as they land
        // now, after the last batch.
        while !deferred.rows.is_empty() && !summary.interrupted {
            let next = deferred.split_off(batch_size.min(deferred.rows.len()));
            flush(&mut deferred, summary, report, None)?;
            deferred = next;
        }
        summary.read = handled;
        if summary.interrupted {
            // Not joined: the reader may wait on its input for good (see above).
            return Ok(Ok(export::ReadSummary {
                format,
                records: handled,
                record_errors: 0,
            }));
        }
        // An error above drops the receiver; the reader then stops at its next send.
        Ok(reader
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p)))
    })();
    // The rows this run committed get their source-ID keys, also when the file failed
    // part-way; a store error leaves the run unsettled for the next import.
    let settled = match (&scoped, opts.dry_run) {
        (Ok(_), false) => Some(store.import_settle(&pool_name, &source, run, opts.on_conflict)),
        _ => None,
    };
    let finished = store.import_finished();
    let read_result = scoped?;
    for (dup, first) in settled.transpose()?.unwrap_or_default() {
        summary.imported = summary.imported.saturating_sub(1);
        summary.note(
            settled_report(&dup, &first, &pool_name, &source, run, opts.on_conflict),
            report,
        );
    }
    finished?;
    let config_line = missing_config.load(std::sync::atomic::Ordering::Relaxed);
    if config_line > 0 {
        let before = if summary.imported > 0 {
            format!(
                "; the {} rows before it (without a hash) were imported",
                summary.imported
            )
        } else {
            String::new()
        };
        return Err(Error::invalid(
            "--hash-config",
            format!(
                "the record at line {config_line} has a Firebase scrypt hash: reading it needs the project's password-hash parameters{before}"
            ),
        )
        .with_hint(format!(
            "pass --hash-config FILE (console > Authentication > Users > Password hash parameters), or set it on the pool with `pools configure {pool_name} --hash-config FILE`",
        )));
    }
    read_result.map_err(|e| {
        // Content that holds no record (a header alone, an empty users array) is no success.
        if let export::ExportError::NoRecords { .. } = e {
            return Error::invalid("--file", e).with_hint(
                "nothing was written; an export job that stopped early leaves such a file: export again, or pass the right file",
            );
        }
        let hint = if summary.read > 0 {
            "rows before the error were imported; fix the file and run the same command again to continue"
        } else {
            "nothing was imported; fix the file and run the same command again"
        };
        Error::invalid("--file", e).with_hint(hint)
    })?;
    Ok(())
}

/// The report of a row of this run that [`Store::import_settle`] found to be a second user of
/// one source user and removed: reported as a duplicate met while writing would be (R6, R17),
/// after the rows of the last batch, without the record (no reject-file line).
fn settled_report(
    dup: &User,
    first: &User,
    pool: &str,
    source: &str,
    run: u64,
    policy: OnConflict,
) -> Report {
    let x = dup.external_id.as_deref().unwrap_or("?");
    let this_run = first.pool.as_deref() == Some(pool)
        && first.import_source.as_deref() == Some(source)
        && first.import_run == Some(run);
    let (reason, detail) = match first.import_line {
        Some(line) if this_run => (
            "duplicate_in_file",
            format!(
                "same source user {x} as line {line}, '{}' (R6)",
                first.identifier
            ),
        ),
        _ => (
            "duplicate_source_id",
            format!("source user {x} is already {} (R17)", first.describe()),
        ),
    };
    let (action, reason, detail) = match policy {
        OnConflict::Skip => ("skipped", reason, format!("{detail}; not imported")),
        OnConflict::Fail => ("rejected", reason, format!("{detail}; not imported")),
        OnConflict::Merge => ("merged", reason, detail),
    };
    Report {
        line: dup.import_line.unwrap_or(0),
        identifier: Some(dup.identifier.clone()),
        action,
        reason,
        detail,
        raw: None,
    }
}

/// Rows held for a second try at the end of an import (see `deferred` in `import_into`).
const MAX_DEFERRED: usize = 100_000;

/// What a dry run has read so far, since it writes nothing the store could tell: each
/// identifier and alias key, and each source user ID, with the record that brought it.
#[derive(Default)]
struct DrySeen {
    keys: HashMap<String, DryName>,
    external_ids: HashMap<String, u64>,
    /// Shared aliases already taken from their holder (the import would have deleted them).
    released: std::collections::HashSet<String>,
    /// Identifier keys of store users an earlier row renamed away from (the import would
    /// have changed them): they find nobody now.
    freed: std::collections::HashSet<String>,
    /// Rows seen so far: a row's number tells rows apart where lines do not (the records of a
    /// one-line JSON document all start on line 1).
    rows: u64,
}

/// A name that a row of the dry run holds, as the import would have written it.
struct DryName {
    /// The row's number in the run ([`DrySeen::rows`]) and its line.
    row: u64,
    line: u64,
    external_id: Option<String>,
    /// An alias of that row, not its identifier.
    alias: bool,
}

impl DryName {
    /// Whether `row` may be the source user of the row that brought this name: without
    /// source user IDs to tell them apart, a name is one user.
    fn same_source(&self, row: &ImportRow) -> bool {
        match (&self.external_id, &row.external_id) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
    }

    fn describe(&self) -> String {
        match &self.external_id {
            Some(x) => format!("the row at line {} (source user {x})", self.line),
            None => format!("the row at line {}", self.line),
        }
    }
}

fn dry_outcome(
    store: &dyn Store,
    seen: &mut DrySeen,
    row: &ImportRow,
    pool: &str,
    source: &str,
    policy: OnConflict,
) -> Result<(RowOutcome, Vec<AliasNote>)> {
    seen.rows += 1;
    let this_row = seen.rows;
    // An earlier row's alias that is this row's identifier moves to this row (R6).
    let (by_name, mut moved) = match seen.keys.get(&row.key) {
        Some(n) if n.alias && !n.same_source(row) => (None, Some(n.describe())),
        other => (other, None),
    };
    let earlier = match by_name {
        Some(n) => Some(if n.same_source(row) {
            (
                RowReason::DuplicateInFile,
                format!("same identifier as line {} (R6)", n.line),
            )
        } else {
            let theirs = n.external_id.as_deref().unwrap_or("?");
            let this = row.external_id.as_deref().unwrap_or("?");
            (
                RowReason::IdentifierCollision,
                format!(
                    "'{}' is already a name of line {} (source user {theirs}); this row is source user {this}: two people, one identifier (R6)",
                    row.identifier, n.line
                ),
            )
        }),
        None => row
            .external_id
            .as_ref()
            .and_then(|x| seen.external_ids.get(x).map(|first| (x, first)))
            .map(|(x, first)| {
                (
                    RowReason::DuplicateInFile,
                    format!("same source user {x} as line {first} (R6)"),
                )
            }),
    };
    if let Some((reason, detail)) = earlier {
        let outcome = match policy {
            OnConflict::Skip => RowOutcome::Skipped { reason, detail },
            OnConflict::Fail => RowOutcome::Rejected { reason, detail },
            OnConflict::Merge if reason == RowReason::DuplicateInFile => {
                RowOutcome::Merged { reason, detail }
            }
            OnConflict::Merge => RowOutcome::Rejected {
                reason,
                detail: format!("{detail}; not merged: another person"),
            },
        };
        return Ok((outcome, Vec::new()));
    }
    let by_source = |store: &dyn Store| match &row.external_id {
        Some(x) => store.user_by_source_id(pool, x),
        None => Ok(None),
    };
    let existing = match store.user_by_key(&row.key)? {
        // Renamed away by an earlier row of this run: as if the store no longer held it.
        Some(u)
            if u.key == row.key
                && seen.freed.contains(&u.key)
                && !u.is_source_user(pool, row.external_id.as_deref(), &row.key) =>
        {
            by_source(store)?
        }
        Some(u) if !yields_alias(&u, row, pool) => Some(u),
        Some(u) => {
            moved.get_or_insert_with(|| u.describe());
            by_source(store)?
        }
        None => by_source(store)?,
    };
    let outcome = match &existing {
        Some(u) => classify(u, row, pool, source, 0, policy),
        None => RowOutcome::Imported,
    };
    if let (RowOutcome::Renamed { .. }, Some(u)) = (&outcome, &existing) {
        seen.freed.insert(u.key.clone());
    }
    // As the import would write it: a user this file wrote before is marked met by this
    // run (its next record is a duplicate); a row that lands or renames holds its names
    // from now on, but not an alias another user holds (reported).
    // Only by its own record (the same person): another person's row meeting it is a
    // collision and leaves the user's own record, later in the file, already imported.
    let met = existing.as_ref().is_some_and(|u| {
        u.pool.as_deref() == Some(pool)
            && u.import_source.as_deref() == Some(source)
            && u.is_source_user(pool, row.external_id.as_deref(), &row.key)
    });
    let lands = matches!(outcome, RowOutcome::Imported | RowOutcome::Renamed { .. });
    let mut notes = Vec::new();
    if met || lands {
        seen.keys.insert(
            row.key.clone(),
            DryName {
                row: this_row,
                line: row.line,
                external_id: row.external_id.clone(),
                alias: false,
            },
        );
        if let Some(x) = &row.external_id {
            seen.external_ids.insert(x.clone(), row.line);
        }
    }
    // As the import's release of shared aliases: whatever the row's outcome, the user that
    // holds such a name as an alias (an earlier row, or a user of the pool in the store)
    // loses it.
    for shared in &row.shared_aliases {
        if !seen.released.insert(shared.key.clone()) {
            continue;
        }
        match seen.keys.get(&shared.key) {
            Some(n) if n.alias && n.row != this_row && !n.same_source(row) => {
                notes.push(AliasNote::taken_back(shared, &n.describe()));
                seen.keys.remove(&shared.key);
            }
            Some(_) => {}
            None => {
                if let Some(holder) = store.user_by_key(&shared.key)?
                    && holder.key != shared.key
                    && holder.origin == Origin::Migrated
                    && holder.pool.as_deref() == Some(pool)
                    && !holder.is_source_user(pool, row.external_id.as_deref(), &row.key)
                {
                    notes.push(AliasNote::taken_back(shared, &holder.describe()));
                }
            }
        }
    }
    if !lands {
        return Ok((outcome, notes));
    }
    if let Some(who) = moved {
        notes.push(AliasNote::moved(&row.identifier, &who));
    }
    let me = existing.as_ref().map(|u| u.id.as_str());
    for shared in &row.shared_aliases {
        notes.push(AliasNote::shared(shared));
    }
    for a in &row.aliases {
        let k = identifier::key(a);
        if k.is_empty() || k == row.key || row.shared_aliases.iter().any(|s| s.key == k) {
            continue;
        }
        if let Some(other) = store.user_by_key(&k)?
            && Some(other.id.as_str()) != me
        {
            // As the import decides (`add_row_aliases` of the store): another source user of
            // the pool loses the alias it holds, anyone else keeps the name.
            notes.push(
                if other.key != k && crate::import::shares_pool_alias(&other, row, pool) {
                    AliasNote::taken_from(a, &other.describe())
                } else {
                    AliasNote::taken(a, other.key == k, &other.describe())
                },
            );
            continue;
        }
        if store
            .alias_claimants(&k)?
            .iter()
            .any(|c| Some(c.id.as_str()) != me)
        {
            notes.push(AliasNote::disputed(a));
            continue;
        }
        match seen.keys.get(&k) {
            Some(n) if n.row != this_row => {
                notes.push(AliasNote::taken(a, !n.alias, &n.describe()));
            }
            Some(_) => {}
            None => {
                seen.keys.insert(
                    k,
                    DryName {
                        row: this_row,
                        line: row.line,
                        external_id: row.external_id.clone(),
                        alias: true,
                    },
                );
            }
        }
    }
    Ok((outcome, notes))
}

/// The ID of the import, so a run recognises the rows an earlier run of the same import
/// wrote (same pool, import and line): `given` (`--import-id`), else the file's host and
/// path, with symbolic links and `..` resolved ([`ImportId::of_file`]). Not the file's size,
/// mtime or content: fixing a rejected row in place, then running again, must find the other
/// rows imported. (An export replaced at the same path is the same import too: give a new
/// export a new name, or a new `--import-id`.) A stream (stdin, a pipe, a FIFO) without a
/// given ID is an import of its own at each run, whose rows a later run meets as imported
/// before.
///
/// Errors: [`Error::Invalid`] on `--file` when the file cannot be examined, on `--import-id`
/// when the given ID is unusable ([`ImportId::given`]).
fn import_key(
    input: &export::Input,
    given: Option<&str>,
    file_id: Option<ImportId>,
) -> Result<ImportId> {
    let file = input.path();
    if let Some(of_file) = file_id {
        return match given {
            Some(id) => ImportId::given(id, of_file.shown()),
            None => Ok(of_file),
        };
    }
    if input.is_stream() {
        return match given {
            Some(id) => ImportId::given(id, &format!("stream {}", file.display())),
            None => Ok(ImportId::of_stream(file)),
        };
    }
    std::fs::metadata(file)
        .map_err(|e| Error::invalid("--file", format!("{}: {e}", file.display())))?;
    let of_file = ImportId::of_file(file);
    match given {
        Some(id) => ImportId::given(id, of_file.shown()),
        None => Ok(of_file),
    }
}
