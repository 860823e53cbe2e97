//! `pools users import --pool NAME [--file F] ...`

use super::choice::choice;
use super::{Ctx, output, usage};
use indicatif::{ProgressBar, ProgressStyle};
use pools_core::export::ExportFormat;
use pools_core::import::{self, OnConflict, Report};
use pools_core::service::environment::{ImportEvents, ImportRequest, InputHead};
use pools_core::service::import::{self as importing, Progress};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// Import an export file into the store as users migrated from a pool
///
/// Streams the file (flat memory), one transaction per batch; through --env it is streamed
/// to the server, which checks every row again. Users keep their source hash,
/// verified and upgraded to argon2id at their first login (R13). Identifier collisions follow
/// --on-conflict (R6, R17). Interrupted imports continue where they stopped when run again.
/// One import at a time per pool: a second one while one runs is refused (exit 4; R12).
/// Exit 0 when every row landed (or was skipped), 5 when rows were rejected, 3 when the pool or
/// the file is not found, 130 when stopped by Ctrl-C, SIGTERM or SIGHUP (the rows read until
/// then are committed; run the command again to continue).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The pool the users come from (its tenant source applies, R4)
    #[arg(long, value_name = "NAME")]
    pool: String,
    /// The export file, `-` for stdin (a pipe or FIFO is read once) [default: the pool's --file,
    /// which through --env the server reads]
    #[arg(long, value_name = "PATH")]
    file: Option<PathBuf>,
    /// firebase | auth0-json | auth0-ndjson | keycloak | cognito | csv [default: the pool's, else detected]
    #[arg(long)]
    format: Option<ExportFormat>,
    /// Firebase password-hash parameters [default: the pool's]; through --env, a file of
    /// the server's machine, as a pool's hash config is
    #[arg(long, value_name = "PATH")]
    hash_config: Option<PathBuf>,
    /// Check every row against the store and the file, write nothing
    #[arg(long)]
    dry_run: bool,
    /// When an identifier is already a user: skip the row, merge into the user, or reject the row
    #[arg(long, value_parser = choice::<OnConflict>(), default_value_t = OnConflict::Skip)]
    on_conflict: OnConflict,
    /// Write the rows that did not land to this file, in the input's own format, to fix and re-import
    ///
    /// Every run that reads the file to its end replaces it, also when no row needs fixing:
    /// it is then written without rows (a CSV keeps its header, a JSON export has an empty
    /// users array, NDJSON is empty), so it never lists rows of an earlier run, and the
    /// summary says `rejects: 0 rows written to PATH`. A run stopped by an error or by Ctrl-C
    /// writes the rows it rejected until then, and leaves an earlier reject file alone if
    /// there are none.
    /// Not written by --dry-run.
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
    /// Name the import: runs with the same ID are one import, resumed (rows committed before
    /// are already imported), whatever the input [default: this host and the file's path; a
    /// new import each run for stdin]
    ///
    /// Lets a stream (`--file -`, a pipe) be resumed, or a file moved or copied to another
    /// path or host go on as the same import. Up to 512 bytes, no control characters.
    #[arg(long, value_name = "ID")]
    import_id: Option<String>,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<u8> {
    // `--file -` is stdin, but stdout carries the report: a reject file named `-` would be a
    // file of that name in the working directory, which nobody asked for.
    if a.reject_file.as_deref() == Some(Path::new("-")) {
        return Err(usage(
            "--reject-file -: a reject file must be a path (stdout carries the import's report)",
            "name a file, e.g. --reject-file rejects.json",
        ));
    }
    let remote = ctx.chosen_env()?.is_some();
    let env = if a.dry_run {
        ctx.env_read()?
    } else {
        ctx.env()?
    };
    // Before the input is opened and the reject file made: a second import into the pool
    // is refused before it reads a byte of a pipe or touches a reject file (R12).
    let (pool, lock) = ctx.block_on(env.begin_import(&a.pool, a.dry_run))?;
    // Opened once, for the reject file and the import alike (a pipe can be read only once).
    // Through --env without --file, the pool's export file is the server's, read there.
    let (mut input, format) = match (remote, &a.file) {
        (true, None) => (None, a.format),
        _ => {
            let (input, format) = importing::input(&pool.pool, a.file.as_deref(), a.format)?;
            (Some(input), Some(format))
        }
    };

    // A dry run writes nothing, not even the reject file: the report on stderr tells it all.
    let rejects = match a.reject_file.as_ref().filter(|_| !a.dry_run) {
        Some(path) => {
            // Every file pools reads or writes: a reject file must never replace one.
            let mut guarded = vec![(ctx.store_path()?, "the store")];
            for suffix in ["-wal", "-shm", "-journal"] {
                let mut p = ctx.store_path()?.into_os_string();
                p.push(suffix);
                guarded.push((p.into(), "the store"));
            }
            guarded.extend(a.hash_config.clone().map(|p| (p, "the hash config")));
            guarded.extend(
                lock.as_ref()
                    .and_then(|l| l.path())
                    .map(|p| (p.to_path_buf(), "the pool's import lock")),
            );
            if let Some(f) = pools_core::secret::CredentialStore::from_env().file() {
                guarded.push((f.to_path_buf(), "the credentials file"));
            }
            for other in ctx.block_on(env.pools())? {
                let settings = &other.pool.settings;
                if let pools_core::pool::SourceSettings::Export {
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
                    if let pools_core::secret::SecretRef::File(f) = secret {
                        guarded.push((f.clone(), "a pool's secret file"));
                    }
                }
            }
            match (&mut input, format) {
                (Some(input), Some(format)) => {
                    let at = input.path().to_path_buf();
                    Some(Rejects::Open(RejectWriter::create(
                        path,
                        Some(&at),
                        &mut || Head::of(input, format),
                        format,
                        &guarded,
                    )?))
                }
                // The server reads the pool's export file: the reject file is made when it
                // tells the file's format and first line, before any row.
                _ => {
                    let input = match &pool.pool.settings {
                        pools_core::pool::SourceSettings::Export { file, .. } => {
                            Some(PathBuf::from(file))
                        }
                        _ => None,
                    };
                    RejectWriter::check(path, input.as_deref(), &guarded)?;
                    // Made (and locked) now, as for a file of this machine: a run writing the
                    // same reject file is refused before the import starts.
                    let held = RejectTemp::open(path, reject_dir(path))?;
                    Some(Rejects::Awaiting(path.clone(), held))
                }
            }
        }
        None => None,
    };
    // A regular file's size gives the bar its percent and ETA; a stream has none.
    let size = input
        .as_ref()
        .filter(|i| !i.is_stream())
        .and_then(|i| std::fs::metadata(i.path()).ok())
        .filter(|m| m.is_file() && m.len() > 0)
        .map(|m| m.len());
    let bar = progress_bar(ctx, size);
    let started = std::time::Instant::now();
    catch_ctrl_c();
    let req = ImportRequest {
        pool: a.pool.clone(),
        input,
        format,
        hash_config: a.hash_config.clone(),
        on_conflict: a.on_conflict,
        batch: a.batch as usize,
        dry_run: a.dry_run,
        cancel: Some(Arc::clone(interrupted())),
        lock,
        import_id: a.import_id.clone(),
        file_id: None,
    };
    let mut events = Events {
        bar: bar.clone(),
        size,
        started,
        quiet: ctx.quiet,
        rejects,
        write_error: None,
    };
    let uploading = remote.then(super::UploadingWithoutSigpipe::new);
    let summary = ctx.block_on(env.import(req, &mut events))?;
    drop(uploading);
    let Events {
        rejects,
        write_error,
        ..
    } = events;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    // A run that reads to the end replaces the reject file, also with no rows (a CSV keeps
    // its header): it never lists rows an earlier run left. A run stopped by an error or a
    // signal writes the rows it rejected until then, and keeps an earlier reject file if
    // there are none (its rows may hold the operator's fixes). A
    // reject file that cannot be written is reported after the summary: what the import
    // committed is the operator's first concern.
    let reject_path = a.reject_file.as_deref().unwrap_or(Path::new("-"));
    let reject_error = |e: std::io::Error| {
        pools_core::Error::io(format!("--reject-file {}", reject_path.display()), e).with_hint(
            "the import's rows are committed as the summary says; the reject file is not written: free space (or pass another --reject-file) and run the same command again",
        )
    };
    let mut reject_failed = write_error.map(reject_error);
    let mut written = None;
    let read_to_the_end = summary.as_ref().is_ok_and(|s| !s.interrupted);
    if let Some(Rejects::Open(w)) = rejects
        && (read_to_the_end || w.count > 0)
        && reject_failed.is_none()
    {
        let rows = w.count;
        match w.finish() {
            Ok(()) => {
                written = Some(RejectFile {
                    path: reject_path.display().to_string(),
                    rows,
                })
            }
            Err(e) => reject_failed = Some(reject_error(e)),
        }
    }
    // Batches committed before a failure (a full disk under the store, a file unreadable
    // from some row on) stay: the summary of what they hold comes first, as for a finished
    // run, then the error (README: a command that committed says what it committed).
    let (summary, failure) = match summary {
        Ok(summary) => (summary, None),
        Err(importing::Stopped {
            error,
            summary,
            committed: true,
        }) => (*summary, Some(error)),
        Err(importing::Stopped { error, .. }) => {
            if let Some(w) = &written {
                output::message(w.line());
            }
            return Err(
                anyhow::Error::new(error).context(format!("importing into pool '{}'", a.pool))
            );
        }
    };
    if a.hash_config.is_some() && summary.format != ExportFormat::Firebase.name() {
        ctx.warn(format!(
            "--hash-config is read only for Firebase exports; this file is {}: it was not used",
            summary.format
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
    let outcome = Outcome {
        summary: &summary,
        reject_file: written,
        stopped_by: failure.as_ref().map(|e| e.to_string()),
    };
    if !output::structured(ctx, &outcome)? {
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
        if summary.aliases_skipped > 0 {
            output::outln!(
                "  aliases not kept: {} (names another user holds: see the alias_skipped and alias_moved lines, R6)",
                summary.aliases_skipped
            )?;
        }
        if let Some(w) = &outcome.reject_file {
            output::outln!("{}", w.line())?;
        }
    }
    if let Some(e) = failure {
        return Err(anyhow::Error::new(e).context(format!("importing into pool '{}'", a.pool)));
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

/// Where the import's progress and row reports go: the progress bar (or stderr) and the
/// reject file.
struct Events {
    bar: Option<indicatif::ProgressBar>,
    /// The file's size, when the bar shows a percentage.
    size: Option<u64>,
    started: std::time::Instant,
    quiet: bool,
    rejects: Option<Rejects>,
    /// The first failure to write the reject file, reported after the summary.
    write_error: Option<std::io::Error>,
}

impl ImportEvents for Events {
    fn head(&mut self, h: InputHead) {
        if let (Some(b), Some(len)) = (&self.bar, h.size.filter(|l| *l > 0)) {
            b.set_length(len);
            b.set_style(bar_style(true));
            self.size = Some(len);
        }
        if let Some(Rejects::Awaiting(..)) = &self.rejects {
            let Some(Rejects::Awaiting(path, held)) = self.rejects.take() else {
                return;
            };
            let mut head = Some(Head {
                first_line: h.first_line,
                bom: h.bom,
            });
            let mut head = || Ok(head.take().unwrap_or_default());
            match RejectWriter::start(&path, held, &mut head, h.format) {
                Ok(w) => self.rejects = Some(Rejects::Open(w)),
                Err(e) => {
                    self.write_error
                        .get_or_insert(std::io::Error::other(format!("{e:#}")));
                }
            }
        }
    }

    fn progress(&mut self, p: Progress) {
        if let Some(b) = &self.bar {
            if self.size.is_some() {
                b.set_position(p.bytes);
            }
            b.set_message(progress_text(p.rows, self.started.elapsed()));
        }
    }

    fn report(&mut self, r: Report) {
        if !self.quiet {
            let who = r.identifier.as_deref().unwrap_or("-");
            let line = format!(
                "line {}: {} {} ({}): {}",
                r.line, r.action, who, r.reason, r.detail
            );
            match &self.bar {
                Some(b) => b.println(output::escape(&line)),
                None => output::message(line),
            }
        }
        if let Some(Rejects::Open(w)) = self.rejects.as_mut()
            && let Err(e) = w.write(&r)
        {
            self.write_error.get_or_insert(e);
        }
    }
}

/// What `users import` prints: the import's summary and, when one was written, the reject
/// file (`-o json` adds it as `reject_file`).
#[derive(serde::Serialize)]
struct Outcome<'a> {
    #[serde(flatten)]
    summary: &'a import::Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    reject_file: Option<RejectFile>,
    /// The error that stopped a run part-way, after the batches the figures count were
    /// committed (the command then exits with that error's code).
    #[serde(skip_serializing_if = "Option::is_none")]
    stopped_by: Option<String>,
}

/// The reject file a run wrote: its path as given and the rows in it (0 for a run without
/// any: then it holds a CSV header or an empty users array, or nothing for NDJSON).
#[derive(serde::Serialize)]
struct RejectFile {
    path: String,
    rows: u64,
}

impl RejectFile {
    /// `rejects: 0 rows written to rejects.csv`.
    fn line(&self) -> String {
        let rows = if self.rows == 1 { "row" } else { "rows" };
        format!("rejects: {} {rows} written to {}", self.rows, self.path)
    }
}

/// Set at the first Ctrl-C (or SIGTERM, SIGHUP); the import finishes a commit under way,
/// commits the rows it has taken in since (a short last transaction) and stops.
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
    bar.set_style(bar_style(size.is_some()));
    bar.set_message(progress_text(0, std::time::Duration::ZERO));
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar.tick(); // drawn at once, not at the first tick
    Some(bar)
}

/// The bar's look: with a percentage and ETA when the file's size is known (`sized`).
fn bar_style(sized: bool) -> ProgressStyle {
    ProgressStyle::with_template(progress_template(sized))
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
        .progress_chars("=> ")
}

/// The reject file, in the input's own format: the original text of each row that did not
/// land, so it can be fixed and imported again.
struct RejectWriter {
    /// Declared before `out`: a writer dropped unfinished removes its temp file while it
    /// still holds the lock on it.
    temp: RejectTemp,
    out: std::io::BufWriter<std::fs::File>,
    path: PathBuf,
    format: ExportFormat,
    count: u64,
    /// What ends each row of a line format: the line end of the input's first line (`\r\n`
    /// or `\n`), so that a CRLF file's rows come back byte for byte.
    line_end: &'static [u8],
    /// The input's UTF-8 BOM, written before an NDJSON file's first row.
    bom: &'static [u8],
}

/// The directory a reject file is written in (beside its path), then renamed into place.
fn reject_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// What a reject file repeats of its input's start: for a line format (CSV, Auth0 NDJSON),
/// its first line (a CSV header, with its line end) and whether a UTF-8 BOM precedes it.
#[derive(Default)]
struct Head {
    first_line: Option<Vec<u8>>,
    bom: bool,
}

impl Head {
    /// Read ahead from `input`, which the import then reads from its start.
    fn of(input: &mut pools_core::export::Input, format: ExportFormat) -> anyhow::Result<Head> {
        if !matches!(format, ExportFormat::Csv | ExportFormat::Auth0Ndjson) {
            return Ok(Head::default());
        }
        Ok(Head {
            first_line: input.first_line()?,
            bom: input.bom_len()? > 0,
        })
    }
}

/// The reject file of an import: open, or to be opened when the server tells the head of
/// the pool's export file it reads.
enum Rejects {
    Open(RejectWriter),
    /// The reject file's path, and its temp file, made and locked.
    Awaiting(PathBuf, (RejectTemp, std::fs::File)),
}

/// The UTF-8 byte order mark, which a reject file repeats when its input starts with one.
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl RejectWriter {
    /// Refuses a reject file that would replace a file this import reads or writes (the
    /// input at `input`, the `guarded` ones), or that could not be renamed into place.
    fn check(
        path: &Path,
        input: Option<&Path>,
        guarded: &[(PathBuf, &'static str)],
    ) -> anyhow::Result<()> {
        // Never let the reject file be a file this import reads or writes.
        let same = |other: &Path| match (std::fs::canonicalize(path), std::fs::canonicalize(other))
        {
            (Ok(a), Ok(b)) => a == b,
            // A file not made yet (the credentials file) is compared by its absolute path.
            _ => std::path::absolute(path).ok() == std::path::absolute(other).ok(),
        };
        let mut protected: Vec<(PathBuf, &str)> = input
            .map(|i| (i.to_path_buf(), "the input file"))
            .into_iter()
            .collect();
        protected.extend(guarded.iter().cloned());
        if let Some((_, role)) = protected.iter().find(|(p, _)| same(p)) {
            anyhow::bail!(
                pools_core::Error::invalid(
                    "--reject-file",
                    format!("{} is {role}", path.display())
                )
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
                pools_core::Error::invalid("--reject-file", format!("{} {why}", path.display()))
                    .with_hint("name a file in an existing directory, e.g. rejects.json")
            );
        }
        Ok(())
    }

    /// The reject file at `path` of an input of `format` starting with what `head` reads, written
    /// beside it until [`RejectWriter::finish`] renames it into place.
    fn create(
        path: &Path,
        input: Option<&Path>,
        head: &mut dyn FnMut() -> anyhow::Result<Head>,
        format: ExportFormat,
        guarded: &[(PathBuf, &'static str)],
    ) -> anyhow::Result<Self> {
        Self::check(path, input, guarded)?;
        let held = RejectTemp::open(path, reject_dir(path))?;
        Self::start(path, held, head, format)
    }

    /// [`RejectWriter::create`] once its temp file is `held`.
    fn start(
        path: &Path,
        (temp, f): (RejectTemp, std::fs::File),
        head: &mut dyn FnMut() -> anyhow::Result<Head>,
        format: ExportFormat,
    ) -> anyhow::Result<Self> {
        let mut out = std::io::BufWriter::new(f);
        // After the temp file is made: reading the head may wait on a pipe.
        let head = head()?;
        let first = head.first_line.clone();
        let line_end: &[u8] = match &first {
            Some(line) if line.ends_with(b"\r\n") => b"\r\n",
            _ => b"\n",
        };
        let mut bom: &[u8] = if head.bom { BOM } else { b"" };
        match format {
            ExportFormat::Csv => {
                // The input's header, byte for byte, so the reject file imports as it is.
                if let Some(header) = first {
                    out.write_all(std::mem::take(&mut bom))?;
                    out.write_all(&header)?;
                    if !header.ends_with(b"\n") {
                        out.write_all(line_end)?;
                    }
                }
            }
            ExportFormat::Firebase => write!(out, "{{\"users\": [")?,
            ExportFormat::Keycloak => write!(out, "{{\"users\": [")?,
            ExportFormat::Cognito => write!(out, "{{\"Users\": [")?,
            ExportFormat::Auth0Json => write!(out, "[")?,
            ExportFormat::Auth0Ndjson => {}
        }
        Ok(RejectWriter {
            temp,
            out,
            path: path.to_path_buf(),
            format,
            count: 0,
            line_end,
            bom,
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
                self.out.write_all(std::mem::take(&mut self.bom))?;
                self.out.write_all(raw)?;
                self.out.write_all(self.line_end)?;
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
        let RejectWriter {
            mut temp,
            out,
            path,
            ..
        } = self;
        // Renamed while it is still open, hence locked: no other run can take it meanwhile.
        let file = out.into_inner().map_err(|e| e.into_error())?;
        std::fs::rename(&temp.path, &path)?;
        temp.placed = true;
        drop(file);
        Ok(())
    }
}

/// The file a reject file is written to before it is renamed into place: beside it, named
/// after it (`.pools-rejects-NAME.tmp`), 0600 (rejected rows may hold hashes). A run killed
/// with SIGKILL cleans nothing up: the next run for the same reject file takes the one it
/// left over and replaces it, so they never pile up, and no other file is ever touched. The
/// run writing it holds an exclusive lock on it, which the system drops when the run dies:
/// a file that is locked belongs to a live run, and a second run for the same reject file is
/// refused rather than let in to overwrite it.
struct RejectTemp {
    path: PathBuf,
    /// Renamed into place: nothing left to remove.
    placed: bool,
}

impl RejectTemp {
    /// Opens (creating, or taking over a stale one) and locks the temp file of `target` in
    /// `dir`, emptied.
    ///
    /// Errors: [`pools_core::Error::Conflict`] when another run holds it; [`pools_core::Error::Invalid`]
    /// on `--reject-file` when it cannot be made, or its name is taken by something that is
    /// not a regular file.
    fn open(target: &Path, dir: &Path) -> anyhow::Result<(Self, std::fs::File)> {
        let path = dir.join(Self::name(target));
        let refused = |why: String| {
            pools_core::Error::invalid("--reject-file", format!("{}: {why}", target.display()))
        };
        // A handful of tries: each lost race means another run renamed or removed the file
        // between our open and our lock.
        for _ in 0..8 {
            let file = pools_core::lock_file::open(&path)
                .map_err(|e| refused(format!("cannot write beside it: {}", e.kind())))?;
            let meta = file
                .metadata()
                .map_err(|e| refused(format!("cannot write beside it: {}", e.kind())))?;
            if !meta.is_file() {
                anyhow::bail!(
                    refused(format!("{} is not a regular file", path.display())).with_hint(
                        "that name is where pools writes this reject file first: move it away"
                    )
                );
            }
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    anyhow::bail!(pools_core::Error::Conflict {
                        message: format!(
                            "--reject-file {}: another `pools users import` is writing it now",
                            target.display()
                        ),
                        hint: Some(
                            "wait for that import to end, or pass another --reject-file".into()
                        ),
                    });
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    anyhow::bail!(refused(format!(
                        "cannot lock {}: {}",
                        path.display(),
                        e.kind()
                    )))
                }
            }
            if !pools_core::lock_file::still_names(&path, &meta) {
                continue;
            }
            file.set_len(0)
                .map_err(|e| refused(format!("cannot write beside it: {}", e.kind())))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                // One left by someone else's umask or chmod is made private again.
                let _ = file.set_permissions(std::fs::Permissions::from_mode(0o600));
            }
            return Ok((
                RejectTemp {
                    path,
                    placed: false,
                },
                file,
            ));
        }
        anyhow::bail!(refused(format!(
            "{} keeps changing: other imports are writing this reject file",
            path.display()
        )))
    }

    /// `.pools-rejects-NAME.tmp` for a reject file named NAME; a name too long for that is
    /// replaced by its SHA-256 (still one name per reject file).
    fn name(target: &Path) -> std::ffi::OsString {
        const PREFIX: &str = ".pools-rejects-";
        const SUFFIX: &str = ".tmp";
        let name = target.file_name().unwrap_or_default();
        let mut temp = std::ffi::OsString::from(PREFIX);
        if PREFIX.len() + name.len() + SUFFIX.len() <= 255 {
            temp.push(name);
        } else {
            use sha2::Digest;
            let digest = sha2::Sha256::digest(name.as_encoded_bytes());
            temp.push(base16ct::lower::encode_string(&digest));
        }
        temp.push(SUFFIX);
        temp
    }
}

impl Drop for RejectTemp {
    fn drop(&mut self) {
        // An import that wrote no reject file leaves no temp file either.
        if !self.placed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
