//! `pools users import --pool NAME [--file F] ...`

use super::{Ctx, output};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use pools::export::ExportFormat;
use pools::import::{self, OnConflict, Options, Progress, Report};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// Import an export file into the local store as users migrated from a pool
///
/// Streams the file (flat memory), one transaction per batch; users keep their source hash,
/// verified and upgraded to argon2id at their first login (R13). Identifier collisions follow
/// --on-conflict (R6, R17). Interrupted imports continue where they stopped when run again.
/// Exit 0 when every row landed (or was skipped), 5 when rows were rejected, 130 when stopped
/// by Ctrl-C, SIGTERM or SIGHUP (the rows read until then are committed; run the command again
/// to continue).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The pool the users come from (its tenant source applies, R4)
    #[arg(long, value_name = "NAME")]
    pool: String,
    /// The export file, `-` for stdin (a pipe or FIFO is read once) [default: the pool's --file]
    #[arg(long, value_name = "PATH")]
    file: Option<PathBuf>,
    /// firebase | auth0-json | auth0-ndjson | keycloak | cognito | csv [default: the pool's, else detected]
    #[arg(long)]
    format: Option<ExportFormat>,
    /// Firebase password-hash parameters [default: the pool's]
    #[arg(long, value_name = "PATH")]
    hash_config: Option<PathBuf>,
    /// Check every row against the store and the file, write nothing
    #[arg(long)]
    dry_run: bool,
    /// When an identifier is already a user: skip the row, merge into the user, or reject the row
    #[arg(long, value_enum, default_value_t = OnConflict::Skip)]
    on_conflict: OnConflict,
    /// Write the rows that did not land to this file, in the input's own format, to fix and re-import
    #[arg(long, value_name = "PATH")]
    reject_file: Option<PathBuf>,
    /// Rows per transaction (held in memory until committed: a large batch costs memory)
    #[arg(long, value_name = "N", default_value_t = 5000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    batch: u64,
    /// Continue an interrupted import: the same as running the command again. Rows it
    /// committed are recognised (already imported, never duplicated); rows it skipped or
    /// rejected are reported, and written to --reject-file, again
    #[arg(long)]
    #[allow(dead_code)] // accepted for scripts; every run resumes
    resume: bool,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<u8> {
    let mut store = if a.dry_run {
        ctx.store_read()?
    } else {
        ctx.store()?
    };
    let pool = store.pool(&a.pool)?;
    // Opened once, for the reject file and the import alike (a pipe can be read only once).
    let (mut input, format) = import::input(&pool.pool, a.file.as_deref(), a.format)?;

    // A dry run writes nothing, not even the reject file: the report on stderr tells it all.
    let mut rejects = match a.reject_file.as_ref().filter(|_| !a.dry_run) {
        Some(path) => {
            // Every file pools reads or writes: a reject file must never replace one.
            let mut guarded = vec![(ctx.store_path()?, "the store")];
            for suffix in ["-wal", "-shm", "-journal"] {
                let mut p = ctx.store_path()?.into_os_string();
                p.push(suffix);
                guarded.push((p.into(), "the store"));
            }
            guarded.extend(a.hash_config.clone().map(|p| (p, "the hash config")));
            if let Some(f) = pools::secret::CredentialStore::from_env().file() {
                guarded.push((f.to_path_buf(), "the credentials file"));
            }
            for other in store.pools()? {
                let settings = &other.pool.settings;
                if let pools::pool::SourceSettings::Export {
                    file, hash_config, ..
                } = settings
                {
                    guarded.push((file.into(), "a pool's export file"));
                    guarded.extend(
                        hash_config
                            .as_ref()
                            .map(|h| (h.into(), "a pool's hash config")),
                    );
                }
                for (_, secret) in settings.secrets() {
                    if let pools::secret::SecretRef::File(f) = secret {
                        guarded.push((f.clone(), "a pool's secret file"));
                    }
                }
            }
            Some(RejectWriter::create(path, &mut input, format, &guarded)?)
        }
        None => None,
    };
    // A regular file's size gives the bar its percent and ETA; a stream has none.
    let size = std::fs::metadata(input.path())
        .ok()
        .filter(|_| !input.is_stream())
        .filter(|m| m.is_file() && m.len() > 0)
        .map(|m| m.len());
    let bar = progress_bar(ctx, size);
    let started = std::time::Instant::now();
    catch_ctrl_c();
    let opts = Options {
        pool: &pool.pool,
        input,
        format,
        hash_config: a.hash_config.as_deref(),
        on_conflict: a.on_conflict,
        batch: a.batch as usize,
        dry_run: a.dry_run,
        cancel: Some(interrupted().as_ref()),
    };
    let mut write_error: Option<std::io::Error> = None;
    let summary = import::run(
        store.as_mut(),
        opts,
        &mut |p: Progress| {
            if let Some(b) = &bar {
                if size.is_some() {
                    b.set_position(p.bytes);
                }
                b.set_message(progress_text(p.rows, started.elapsed()));
            }
        },
        &mut |r: Report| {
            if !ctx.quiet {
                let who = r.identifier.as_deref().unwrap_or("-");
                let line = format!(
                    "line {}: {} {} ({}): {}",
                    r.line, r.action, who, r.reason, r.detail
                );
                match &bar {
                    Some(b) => b.println(output::escape(&line)),
                    None => output::message(line),
                }
            }
            if let Some(w) = rejects.as_mut()
                && let Err(e) = w.write(&r)
            {
                write_error.get_or_insert(e);
            }
        },
    );
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    // Rows rejected before a fatal error are kept too; a run that rejected nothing leaves an
    // earlier reject file as it was. A reject file that cannot be written is reported after
    // the summary: what the import committed is the operator's first concern.
    let reject_path = a.reject_file.as_deref().unwrap_or(Path::new("-"));
    let reject_error = |e: std::io::Error| {
        pools::Error::io(format!("--reject-file {}", reject_path.display()), e).with_hint(
            "the import's rows are committed as the summary says; the reject file is not written: free space (or pass another --reject-file) and run the same command again",
        )
    };
    let mut reject_failed = write_error.map(reject_error);
    if let Some(w) = rejects
        && (summary.is_ok() || w.count > 0)
        && reject_failed.is_none()
        && let Err(e) = w.finish()
    {
        reject_failed = Some(reject_error(e));
    }
    if summary.is_err() && !a.dry_run {
        // Batches committed before a failure (a full disk under the store) stay: say how
        // many, as the summary would have (the run is left unsettled until the next import).
        if let Ok(pending) = store.import_pending()
            && let Some((_, n)) = pending.iter().find(|(p, _)| *p == a.pool)
            && *n > 0
        {
            ctx.committed(format!(
                "{n} imported row(s) of pool '{}' are committed; run the same command again to continue",
                a.pool
            ));
        }
    }
    let summary = summary.with_context(|| format!("importing into pool '{}'", a.pool))?;
    if a.hash_config.is_some() && format != ExportFormat::Firebase {
        ctx.warn(format!(
            "--hash-config is read only for Firebase exports; this file is {}: it was not used",
            format.name()
        ));
    }
    if !summary.dry_run {
        ctx.committed(format!(
            "imported {} row(s) (read {}, already imported {}, skipped {}, merged {}, rejected {})",
            summary.imported,
            summary.read,
            summary.already_imported,
            summary.skipped,
            summary.merged,
            summary.rejected
        ));
    }
    if !output::structured(ctx, &summary)? {
        output::outln!(
            "{}read {}, imported {}, already imported {}, skipped {}, merged {}, renamed {}, rejected {} ({} ms)",
            if summary.dry_run { "dry run: " } else { "" },
            summary.read,
            summary.imported,
            summary.already_imported,
            summary.skipped,
            summary.merged,
            summary.renamed,
            summary.rejected,
            summary.elapsed_ms
        )?;
        for (reason, n) in &summary.by_reason {
            output::outln!("  {reason}: {n}")?;
        }
    }
    if let Some(e) = reject_failed {
        return Err(e.into());
    }
    if summary.interrupted {
        // Not a note: the operator must learn the import is incomplete, also under -q.
        let by = signal_name(received_signal().load(Ordering::SeqCst));
        output::message(format_args!(
            "interrupted by {by}: {} rows imported before it are committed; the rest of the file was not imported",
            summary.imported
        ));
        output::message(
            "hint: run the same command again to continue: committed rows are recognised, never duplicated",
        );
        return Ok(super::exit::INTERRUPTED);
    }
    Ok(if summary.rejected > 0 {
        super::exit::VALIDATION
    } else {
        super::exit::OK
    })
}

/// Set at the first Ctrl-C (or SIGTERM, SIGHUP); the import stops after the batch it is
/// committing.
fn interrupted() -> &'static Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(|| Arc::new(AtomicBool::new(false)))
}

/// The number of the signal that set [`interrupted`] (0 before one came), so the message
/// names what stopped the import.
fn received_signal() -> &'static Arc<AtomicUsize> {
    static SIGNAL: OnceLock<Arc<AtomicUsize>> = OnceLock::new();
    SIGNAL.get_or_init(|| Arc::new(AtomicUsize::new(0)))
}

/// How the interrupt message names `signal`: `Ctrl-C (SIGINT)`, `SIGTERM`, `SIGHUP`.
fn signal_name(signal: usize) -> &'static str {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    match i32::try_from(signal) {
        Ok(SIGINT) => "Ctrl-C (SIGINT)",
        Ok(SIGTERM) => "SIGTERM",
        Ok(SIGHUP) => "SIGHUP",
        _ => "a signal",
    }
}

/// Makes the first Ctrl-C set [`interrupted`] and a second one kill the process at once
/// (signal-hook's "terminate on the second signal" pattern: the first arms the default action).
///
/// SIGTERM (a service manager, `kill`) and SIGHUP (a closed terminal or SSH session) stop it
/// the same way: the summary of what was committed is the operator's next step either way.
fn catch_ctrl_c() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let flag = interrupted();
    // Registration fails only for forbidden signals; without it the signal simply kills, as
    // before.
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        let _ = signal_hook::flag::register_conditional_default(signal, Arc::clone(flag));
        // Before the flag: the import may read the signal's name as soon as the flag is set.
        let _ = signal_hook::flag::register_usize(
            signal,
            Arc::clone(received_signal()),
            signal as usize,
        );
        let _ = signal_hook::flag::register(signal, Arc::clone(flag));
    }
}

/// `12,345 rows, 8,100 rows/s`: the rows read and the rate since the start.
fn progress_text(rows: u64, elapsed: std::time::Duration) -> String {
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 {
        (rows as f64 / secs).round() as u64
    } else {
        0
    };
    format!(
        "{} rows, {} rows/s",
        indicatif::HumanCount(rows),
        indicatif::HumanCount(rate)
    )
}

/// The bar's layout: with the file size known, a bar of bytes read with percent and ETA;
/// else a spinner. The message is [`progress_text`].
fn progress_template(size_known: bool) -> &'static str {
    if size_known {
        "{spinner} [{bar:20}] {percent:>3}%  {msg}  ETA {eta}"
    } else {
        "{spinner} {msg}  {elapsed_precise}"
    }
}

/// Progress on stderr, only for a person watching: never under `-q` or when stderr is not a
/// terminal (a log file gets the report lines and the summary only).
fn progress_bar(ctx: &Ctx, size: Option<u64>) -> Option<ProgressBar> {
    if ctx.quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = match size {
        Some(len) => ProgressBar::new(len),
        None => ProgressBar::new_spinner(),
    };
    bar.set_style(
        ProgressStyle::with_template(progress_template(size.is_some()))
            .unwrap_or_else(|_| ProgressStyle::default_spinner())
            .progress_chars("=> "),
    );
    bar.set_message(progress_text(0, std::time::Duration::ZERO));
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar.tick(); // drawn at once, not at the first tick
    Some(bar)
}

/// The reject file, in the input's own format: the original text of each row that did not
/// land, so it can be fixed and imported again.
struct RejectWriter {
    out: std::io::BufWriter<tempfile::NamedTempFile>,
    path: PathBuf,
    format: ExportFormat,
    count: u64,
}

impl RejectWriter {
    fn create(
        path: &Path,
        input: &mut pools::export::Input,
        format: ExportFormat,
        guarded: &[(PathBuf, &'static str)],
    ) -> anyhow::Result<Self> {
        // Never let the reject file be a file this import reads or writes.
        let same = |other: &Path| match (std::fs::canonicalize(path), std::fs::canonicalize(other))
        {
            (Ok(a), Ok(b)) => a == b,
            // A file not made yet (the credentials file) is compared by its absolute path.
            _ => std::path::absolute(path).ok() == std::path::absolute(other).ok(),
        };
        let mut protected: Vec<(PathBuf, &str)> =
            vec![(input.path().to_path_buf(), "the input file")];
        protected.extend(guarded.iter().cloned());
        if let Some((_, role)) = protected.iter().find(|(p, _)| same(p)) {
            anyhow::bail!(
                pools::Error::invalid("--reject-file", format!("{} is {role}", path.display()))
                    .with_hint("write rejects to a new file, e.g. rejects.json")
            );
        }
        // Written beside the target and renamed into place at the end: an earlier reject file
        // stays whole until this import finishes, and a failed import leaves no torn file.
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        // The file is renamed into place at the end: only a new path or a regular file may be
        // replaced (never a device such as /dev/null, a FIFO, a directory or a symlink).
        let existing = std::fs::symlink_metadata(path).ok().map(|m| m.file_type());
        let problem = match existing {
            Some(t) if t.is_dir() => Some("is a directory"),
            Some(t) if t.is_symlink() => Some("is a symbolic link (name the file it points to)"),
            Some(t) if !t.is_file() => Some("is not a regular file (a device, FIFO or socket)"),
            _ if !dir.is_dir() => Some("is in a directory that does not exist"),
            _ => None,
        };
        if let Some(why) = problem {
            anyhow::bail!(
                pools::Error::invalid("--reject-file", format!("{} {why}", path.display()))
                    .with_hint("name a file in an existing directory, e.g. rejects.json")
            );
        }
        // Named so that one left by a killed run (0600, rejected rows) is recognisable.
        let f = tempfile::Builder::new()
            .prefix(".pools-rejects-")
            .tempfile_in(dir)
            .map_err(|e| {
                pools::Error::invalid("--reject-file", format!("{}: {}", path.display(), e.kind()))
            })?;
        let mut out = std::io::BufWriter::new(f);
        match format {
            ExportFormat::Csv => {
                // The input's header, so the reject file imports as it is: read ahead from
                // the same stream, which the import then reads from its start.
                if let Some(header) = input.first_line()? {
                    out.write_all(&header)?;
                    writeln!(out)?;
                }
            }
            ExportFormat::Firebase => write!(out, "{{\"users\": [")?,
            ExportFormat::Keycloak => write!(out, "{{\"users\": [")?,
            ExportFormat::Cognito => write!(out, "{{\"Users\": [")?,
            ExportFormat::Auth0Json => write!(out, "[")?,
            ExportFormat::Auth0Ndjson => {}
        }
        Ok(RejectWriter {
            out,
            path: path.to_path_buf(),
            format,
            count: 0,
        })
    }

    fn write(&mut self, r: &Report) -> std::io::Result<()> {
        let Some(raw) = r.raw.as_ref().filter(|_| r.needs_fixing()) else {
            return Ok(());
        };
        // Byte for byte: a row that is not UTF-8 is kept as it was read.
        let mut raw = raw.as_slice();
        while let Some(rest) = raw.strip_suffix(b"\n").or_else(|| raw.strip_suffix(b"\r")) {
            raw = rest;
        }
        match self.format {
            ExportFormat::Csv | ExportFormat::Auth0Ndjson => {
                self.out.write_all(raw)?;
                writeln!(self.out)?;
            }
            _ => {
                if self.count > 0 {
                    write!(self.out, ",")?;
                }
                writeln!(self.out)?;
                self.out.write_all(raw)?;
            }
        }
        self.count += 1;
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<()> {
        match self.format {
            ExportFormat::Firebase | ExportFormat::Keycloak | ExportFormat::Cognito => {
                writeln!(self.out, "\n]}}")?
            }
            ExportFormat::Auth0Json => writeln!(self.out, "\n]")?,
            _ => {}
        }
        let tmp = self.out.into_inner().map_err(|e| e.into_error())?;
        tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}
