//! The `pools` command line: clap definitions, one module per command, and the mapping of
//! library errors to exit codes. Commands parse nothing further, call the library and render.

mod apply;
mod args;
mod audit;
mod check;
mod choice;
mod configure;
mod create;
mod delete;
mod docs;
mod environments;
mod export;
mod import;
mod inspect;
mod methods;
mod output;
mod prompt;
mod reorder;
mod restore;
mod serve;
mod simulate;
mod status;
mod users;

use clap::{FromArgMatches, Parser, Subcommand, ValueEnum};
use pools_core::service::{Environment, Local, Notice};
use pools_core::store::Store;
use pools_core::{Error, ErrorKind};
use pools_sqlite::SqliteStore;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit codes, as documented in the README and the man page.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FAILURE: u8 = 1;
    pub const USAGE: u8 = 2;
    /// A pool, user or import (the file to import or restore) not found.
    pub const NOT_FOUND: u8 = 3;
    pub const CONFLICT: u8 = 4;
    pub const VALIDATION: u8 = 5;
    /// `simulate-login`: the login was refused (the reason code is in the output).
    pub const REFUSED: u8 = 6;
    /// A confirmation was answered no: nothing was changed.
    pub const DECLINED: u8 = 7;
    /// Something needed is not reachable now (the store busy); a retry may work. New codes
    /// take the next free numbers, so that no documented code changes its meaning.
    pub const UNAVAILABLE: u8 = 8;
    /// Credentials were refused (an environment server, a live source).
    pub const UNAUTHORIZED: u8 = 9;
    /// `users import` stopped by Ctrl-C (SIGINT), SIGTERM or SIGHUP, after committing the rows
    /// it had taken in (a last transaction that may be shorter than `--batch`).
    pub const INTERRUPTED: u8 = 130;

    /// Every code `pools` exits with, as the README's table lists them.
    pub const ALL: [u8; 11] = [
        OK,
        FAILURE,
        USAGE,
        NOT_FOUND,
        CONFLICT,
        VALIDATION,
        REFUSED,
        DECLINED,
        UNAVAILABLE,
        UNAUTHORIZED,
        INTERRUPTED,
    ];
}

// The rows of the README's exit-code table, in its words (a test compares them).
const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  unexpected failure (store or file system), or an internal error: a bug in pools (see
     Reporting bugs in the README)
  2  usage: unknown flag, missing value, a confirmation needed without a terminal (--yes), or
     an empty password given to users create or simulate-login (--password-stdin,
     --password-file)
  3  not found: a pool, user or import not found (no such pool or user; the file to import,
     given with users import --file or the pool's export file, or the file to restore does
     not exist)
  4  conflict: the name of a pool or user exists already, a pool, a user or the order changed
     since it was read (--if-version, a pool's version in the file apply reads), or an import
     into the pool or to the same --reject-file is running
  5  validation: a rule of the specification (R1..R17) or an input file is wrong
  6  simulate-login only: the login was refused (the reason code is in the output)
  7  declined: a confirmation was answered no; nothing was changed
  8  unavailable: something needed is not reachable now (the store is busy: another process
     holds its lock; an environment server does not answer); the change that failed was not
     written: retry the command
  9  unauthorized: credentials were refused (by an environment server: no token, or one it
     does not accept; or by a live source)
  130  users import only: stopped by Ctrl-C (or SIGTERM, SIGHUP), the rows it had taken in
       committed; run it again to continue

Environment:
  POOLS_STORE              store file, when --store is not given (empty: unset)
  POOLS_KEYRING            auto (default), os or file: where `-` secrets are kept
  POOLS_CREDENTIALS_FILE   the 0600 credentials file used when no OS keyring is reachable
  NO_COLOR                 disables colour";

/// Manage user pools — the sources of users an authentication platform does not own yet —
/// and rehearse their migration.
#[derive(Debug, Parser)]
#[command(name = "pools", version, about, max_term_width = 100, after_long_help = EXIT_CODES)]
pub struct Cli {
    /// The SQLite store file [default: $POOLS_STORE, else $XDG_DATA_HOME/pools/pools.db]
    #[arg(long, global = true, value_name = "PATH")]
    store: Option<PathBuf>,

    /// A remote environment (`pools env add`) instead of a local store [default: $POOLS_ENV,
    /// else the one `pools env use` chose, unless --store or $POOLS_STORE is given]
    #[arg(
        long = "env",
        global = true,
        value_name = "NAME",
        conflicts_with = "store"
    )]
    environment: Option<String>,

    /// Output format of results on stdout (ndjson: one JSON object per line); messages always
    /// go to stderr
    #[arg(short, long, global = true, value_enum, default_value_t = Format::Table)]
    output: Format,

    /// Never prompt: fail instead, naming what is missing
    #[arg(long, global = true)]
    no_input: bool,

    /// Answer yes to confirmations (needed for destructive commands without a terminal)
    #[arg(short, long, global = true)]
    yes: bool,

    /// Print only results, warnings and errors (no notes, hints of next steps or progress)
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,

    /// Print more detail on stderr (store location, timings)
    #[arg(short, long, global = true)]
    verbose: bool,

    #[command(subcommand)]
    command: Command,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Yaml,
    // One JSON value per line: a list's elements (streamed by `users list`), else one line.
    // (No doc comment: it would turn every command's `-h` into the long listing.)
    Ndjson,
}

#[derive(Debug, Subcommand)]
enum Command {
    Create(create::Args),
    Configure(configure::Args),
    Reorder(reorder::Args),
    #[command(visible_alias = "list")]
    Inspect(inspect::Args),
    Delete(delete::Args),
    Apply(apply::Args),
    Export(export::Args),
    SimulateLogin(simulate::Args),
    Users(users::Args),
    Methods(methods::Args),
    Status(status::StatusArgs),
    Doctor(status::DoctorArgs),
    Check(check::Args),
    Audit(audit::Args),
    Serve(serve::Args),
    Env(environments::Args),
    Completions(docs::CompletionsArgs),
    Man(docs::ManArgs),
}

/// What every command gets: the global flags and a way to reach the store.
pub struct Ctx {
    pub format: Format,
    pub no_input: bool,
    pub yes: bool,
    pub quiet: bool,
    pub verbose: bool,
    /// `-o` was given on the command line (not the default): commands whose output has one
    /// format refuse it rather than ignore it.
    pub format_given: bool,
    store_path: Option<PathBuf>,
    /// `--env NAME`: a remote environment instead of a local store.
    env_flag: Option<String>,
    /// The command reads a YAML document (`apply`): errors name settings by their YAML key,
    /// not their flag.
    pub yaml_input: bool,
    /// What the command committed so far, for the error report if it fails afterwards.
    committed: std::cell::RefCell<Option<String>>,
    /// `-v` said where the store is: once per command, however often the path is needed.
    store_shown: std::cell::Cell<bool>,
    /// The command's async runtime: one thread, the CLI's (uv's pattern). Always `Some`
    /// until the context is dropped, which shuts it down without waiting for a blocking task
    /// still reading a source that hangs (R5: its login already failed closed).
    runtime: Option<tokio::runtime::Runtime>,
}

/// Shows what an environment noticed: warnings always, notes unless `-q`.
pub fn notify(ctx: &Ctx, n: Notice) {
    notify_quiet(ctx.quiet, n)
}

fn notify_quiet(quiet: bool, n: Notice) {
    match n {
        Notice::Warning(w) => output::message(format_args!("warning: {w}")),
        Notice::Note(m) => {
            if !quiet {
                output::message(m)
            }
        }
    }
}

impl Drop for Ctx {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Ctx {
    /// The remote environment the command goes to, if any: `--env`, else none with
    /// `--store`, else `$POOLS_ENV`, else none with `$POOLS_STORE`, else the one `pools env
    /// use` chose. Empty variables count as unset.
    fn chosen_env(&self) -> anyhow::Result<Option<String>> {
        if let Some(e) = &self.env_flag {
            return Ok(Some(e.clone()));
        }
        if self.store_path.is_some() {
            return Ok(None);
        }
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if let Some(e) = var("POOLS_ENV") {
            return Ok(Some(e));
        }
        if var("POOLS_STORE").is_some() {
            return Ok(None);
        }
        match pools_client::config::path() {
            Some(p) => Ok(pools_client::config::load(&p)?.current),
            None => Ok(None),
        }
    }

    /// The remote environment chosen ([`Ctx::chosen_env`]), with its token: `$POOLS_TOKEN`,
    /// else the one `pools env login` kept.
    ///
    /// Errors: not found (no such environment), unauthorized (no token).
    fn remote(&self) -> anyhow::Result<Option<pools_client::Remote>> {
        let Some(name) = self.chosen_env()? else {
            return Ok(None);
        };
        let path = pools_client::config::path().unwrap_or_default();
        let cfg = pools_client::config::load(&path)?;
        let Some(entry) = cfg.environments.get(&name) else {
            anyhow::bail!(pools_core::Error::NotFound {
                what: format!("environment '{name}'"),
                hint: Some("`pools env list` shows the environments; `pools env add NAME --url URL` adds one".into()),
            });
        };
        // Trimmed as `env login --token-stdin` trims: `POOLS_TOKEN=$(cat file)` may keep
        // a line break, or a paste a space.
        let from_env = std::env::var("POOLS_TOKEN").ok();
        let token = match from_env.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => pools_core::secret::Secret::new(t.to_owned()),
            None => pools_core::secret::CredentialStore::from_env()
                .get(&pools_client::config::token_key(&name))?
                .ok_or_else(|| pools_core::Error::Unauthorized {
                    message: format!("no token for environment '{name}'"),
                    hint: Some(format!(
                        "`pools env login {name}` keeps one (or set POOLS_TOKEN)"
                    )),
                })?,
        };
        if self.verbose {
            self.detail(format!("environment: {name} ({})", entry.url));
        }
        let quiet = self.quiet;
        Ok(Some(
            pools_client::Remote::of_entry(&name, entry, token)?
                .with_notify(Box::new(move |n| notify_quiet(quiet, n))),
        ))
    }

    /// Refuses a command that runs against a local store only when a remote environment
    /// is chosen (`pools serve` and its tokens).
    pub(crate) fn local_only(&self) -> anyhow::Result<()> {
        if let Some(name) = self.chosen_env()? {
            anyhow::bail!(UsageError {
                message: format!(
                    "this command runs against a local store only, and environment '{name}' is chosen"
                ),
                hint: Some(
                    "run it on the server's machine against its store (--store PATH), without --env or POOLS_ENV".into()
                ),
            });
        }
        Ok(())
    }

    fn store_path(&self) -> anyhow::Result<PathBuf> {
        // Read here rather than by clap: an empty POOLS_STORE means unset, as empty XDG
        // variables do.
        let from_env = std::env::var_os("POOLS_STORE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let path = match self.store_path.clone().or(from_env) {
            Some(p) => p,
            None => pools_core::store::default_location().ok_or_else(|| {
                usage(
                    "no home directory to keep the store in",
                    "pass --store PATH or set POOLS_STORE",
                )
            })?,
        };
        if self.verbose && !self.store_shown.replace(true) {
            self.detail(format!("store: {}", path.display()));
            warn_if_exposed(&path);
        }
        Ok(path)
    }

    /// The environment the command goes to, for a change: the remote one chosen, else the
    /// local store (created on first use); what it notices goes to stderr.
    pub fn env(&self) -> anyhow::Result<Box<dyn Environment>> {
        Ok(match self.remote()? {
            Some(r) => Box::new(r),
            None => Box::new(self.local(self.store()?)),
        })
    }

    /// The environment the command goes to, for reading: the remote one chosen, else the
    /// local store (nothing created or written).
    pub fn env_read(&self) -> anyhow::Result<Box<dyn Environment>> {
        Ok(match self.remote()? {
            Some(r) => Box::new(r),
            None => Box::new(self.local(self.store_read()?)),
        })
    }

    /// The local store's environment, for a change, refusing a remote one: for what only
    /// runs on the server's machine (`pools serve`, its tokens).
    pub fn local_env(&self) -> anyhow::Result<Local> {
        self.local_only()?;
        Ok(self.local(self.store()?))
    }

    /// [`Ctx::local_env`], for reading.
    pub fn local_env_read(&self) -> anyhow::Result<Local> {
        self.local_only()?;
        Ok(self.local(self.store_read()?))
    }

    /// A local environment over `store`, telling what it notices through `notify`: the
    /// server's, one per request slot.
    pub fn local_with(
        &self,
        store: Box<dyn Store + Send>,
        notify: pools_core::service::Notify,
    ) -> Local {
        Local::new(
            store,
            pools_core::secret::CredentialStore::from_env(),
            notify,
        )
        .with_sources(std::sync::Arc::new(pools_live::LiveSources::new()))
    }

    fn local(&self, store: Box<dyn Store + Send>) -> Local {
        let quiet = self.quiet;
        // Live pools are asked over the network: `simulate-login` rehearses against the
        // real sources, with the same engine an environment server runs.
        Local::new(
            store,
            pools_core::secret::CredentialStore::from_env(),
            Box::new(move |n| notify_quiet(quiet, n)),
        )
        .with_sources(std::sync::Arc::new(pools_live::LiveSources::new()))
    }

    /// Runs `f` (a call of the environment) to its end on the command's runtime.
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.runtime
            .as_ref()
            .expect("the runtime lives as long as the context")
            .block_on(f)
    }

    /// Opens the environment's store for a change (created on first use).
    pub fn store(&self) -> anyhow::Result<Box<dyn Store + Send>> {
        Ok(Box::new(SqliteStore::open(&self.store_path()?)?))
    }

    /// Opens the store for reading: nothing is created or written (R14 for simulate-login).
    pub fn store_read(&self) -> anyhow::Result<Box<dyn Store + Send>> {
        let path = self.store_path()?;
        match SqliteStore::open_read_only(&path)? {
            Some(s) => Ok(Box::new(s)),
            None => {
                self.detail(format!(
                    "store {} does not exist yet: the first change creates it",
                    path.display()
                ));
                Ok(Box::new(SqliteStore::empty()?))
            }
        }
    }

    /// A message for people, on stderr (escaped, never failing); silenced by `-q`.
    pub fn note(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            output::message(msg);
        }
    }

    /// A warning on stderr, prefixed `warning: `; kept under `-q` (it promises results,
    /// warnings and errors).
    pub fn warn(&self, msg: impl std::fmt::Display) {
        output::message(format_args!("warning: {msg}"));
    }

    /// Detail for `-v` only (store location).
    pub fn detail(&self, msg: impl std::fmt::Display) {
        if self.verbose {
            output::message(msg);
        }
    }

    /// Records what the command has committed (e.g. `imported 3 rows`), so that an error
    /// after the commit (stdout full, say) tells the operator what did happen.
    pub fn committed(&self, what: impl Into<String>) {
        *self.committed.borrow_mut() = Some(what.into());
    }

    /// Refuses `-o` for a command whose output has one format, instead of ignoring it.
    ///
    /// Errors: a usage error naming the command and what to use instead.
    pub fn refuse_format(&self, command: &str, instead: &str) -> anyhow::Result<()> {
        if self.format_given {
            return Err(usage(
                format!("`{command}` does not take -o/--output"),
                instead.to_owned(),
            ));
        }
        Ok(())
    }
}

/// `-v`: an existing store others may read holds password hashes and signer keys (R11).
fn warn_if_exposed(path: &std::path::Path) {
    #[cfg(unix)]
    if let Ok(m) = std::fs::metadata(path) {
        use std::os::unix::fs::PermissionsExt;
        let mode = m.permissions().mode() & 0o777;
        if m.is_file() && mode & 0o077 != 0 {
            output::message(format_args!(
                "warning: store {} is readable by others (mode {mode:04o}) and holds password hashes: chmod 600 {}",
                path.display(),
                path.display()
            ));
        }
    }
}

/// An error of the command line itself (exit 2), e.g. required flags missing without a
/// terminal to prompt on.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct UsageError {
    pub message: String,
    pub hint: Option<String>,
}

/// A confirmation answered no (exit 7); the text says what was left unchanged, e.g.
/// `nothing deleted`.
#[derive(Debug, thiserror::Error)]
#[error("not confirmed: {0}")]
pub struct Declined(pub String);

pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    UsageError {
        message: message.into(),
        hint: Some(hint.into()),
    }
    .into()
}

/// The clap definition as `pools` parses it (and documents it: completions, man pages):
/// every enum value (`--mode`, `--type`, `-o`, ...) is written in lower case and accepted in
/// any case.
pub fn command() -> clap::Command {
    fn ignore_case(cmd: clap::Command) -> clap::Command {
        let cmd = cmd.mut_args(|a| {
            if !a.get_action().takes_values() || a.get_possible_values().is_empty() {
                a
            } else {
                a.ignore_case(true)
            }
        });
        let names: Vec<String> = cmd
            .get_subcommands()
            .map(|c| c.get_name().to_owned())
            .collect();
        names
            .iter()
            .fold(cmd, |c, n| c.mut_subcommand(n, ignore_case))
    }
    use clap::CommandFactory;
    ignore_case(output_flags(Cli::command()))
}

/// The global `-o` as each command documents it: hidden on the commands whose output has one
/// format (`completions`, `man`, `users export`: they refuse `-o`, see [`Ctx::refuse_format`]),
/// and on `export` with its own default and values (`yaml`, `json`). Each gets its own copy,
/// which clap keeps instead of the propagated one; the value still reaches [`Cli::output`].
fn output_flags(cmd: clap::Command) -> clap::Command {
    let output = cmd
        .get_arguments()
        .find(|a| a.get_id() == "output")
        .expect("the global -o")
        .clone()
        .global(false);
    let hidden = output.clone().hide(true);
    let document = output
        .help("Format of the document: YAML for `pools apply`, or the same document as JSON")
        .value_parser(DocumentFormat)
        .default_value("yaml");
    cmd.mut_subcommand("completions", |c| c.arg(hidden.clone()))
        .mut_subcommand("man", |c| c.arg(hidden.clone()))
        .mut_subcommand("users", |c| {
            c.mut_subcommand("export", |c| c.arg(hidden.clone()))
        })
        .mut_subcommand("export", |c| c.arg(document))
}

/// `export`'s `-o`: offers `yaml` and `json` (help, completions, man page) but parses every
/// [`Format`], so that `-o table` reaches `export`, which says what to use instead.
#[derive(Clone)]
struct DocumentFormat;

impl clap::builder::TypedValueParser for DocumentFormat {
    type Value = Format;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Format, clap::Error> {
        // An unknown value is told the values offered here, not every format.
        clap::builder::EnumValueParser::<Format>::new()
            .parse_ref(cmd, arg, value)
            .map_err(|e| {
                let offered: Vec<_> = self.possible_values().into_iter().flatten().collect();
                match clap::builder::PossibleValuesParser::new(offered).parse_ref(cmd, arg, value) {
                    Err(told) => told,
                    Ok(_) => e,
                }
            })
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            [Format::Yaml, Format::Json]
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}

/// While held, SIGPIPE is ignored: a server that closes its connection while an upload is
/// sent to it (it refused an import part way) is an error the command reports, not SIGPIPE's
/// death. Taken around an upload only, which writes nothing to stdout: elsewhere a stdout
/// whose reader went away (`| head`) ends the command quietly, as it does other Unix tools.
pub(crate) struct UploadingWithoutSigpipe(());

impl UploadingWithoutSigpipe {
    pub(crate) fn new() -> Self {
        #[cfg(unix)]
        // SAFETY: setting a signal's disposition to SIG_IGN has no handler to race with.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_IGN);
        }
        UploadingWithoutSigpipe(())
    }
}

impl Drop for UploadingWithoutSigpipe {
    fn drop(&mut self) {
        #[cfg(unix)]
        // SAFETY: restoring the default disposition, as `main` sets it.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
}

/// Runs the command line and turns its outcome into an exit code. Exits only with the codes
/// of [`exit::ALL`]: a panic is reported as an internal error (exit 1), never as Rust's 101.
pub fn main() -> ExitCode {
    // Die quietly like other Unix tools when the reader of stdout goes away (`| head`),
    // instead of reporting the failed write.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".to_owned());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        panic_lines(&what, &at).iter().for_each(output::message);
    }));
    match std::panic::catch_unwind(run) {
        Ok(code) => code,
        Err(_) => ExitCode::from(exit::FAILURE),
    }
}

/// What a caught panic prints: an internal error (`at` is ` at FILE:LINE`, or empty) and the
/// hint of every bug, which says where to report it.
fn panic_lines(what: &str, at: &str) -> Vec<String> {
    let mut lines = what.lines();
    let first = lines.next().unwrap_or_default();
    let mut out = vec![format!("error: internal error{at}: {first}")];
    out.extend(lines.map(str::to_owned));
    out.push(format!("hint: {}", pools_core::error::BUG_HINT));
    out
}

fn run() -> ExitCode {
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        console::set_colors_enabled(false);
        console::set_colors_enabled_stderr(false);
    }
    let parsed = command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map(|cli| (m, cli)));
    let (matches, cli) = match parsed {
        Ok(p) => p,
        Err(e) => {
            // --help and --version print to stdout: a failed write is reported, not lost.
            let to_stdout = !e.use_stderr();
            return match e.print() {
                Err(io) if to_stdout => {
                    output::message(format_args!("error: stdout: {io}"));
                    ExitCode::from(exit::FAILURE)
                }
                _ => ExitCode::from(if e.exit_code() == 0 {
                    exit::OK
                } else {
                    exit::USAGE
                }),
            };
        }
    };
    let ctx = Ctx {
        format: cli.output,
        no_input: cli.no_input,
        yes: cli.yes,
        quiet: cli.quiet,
        verbose: cli.verbose,
        format_given: matches.value_source("output")
            == Some(clap::parser::ValueSource::CommandLine),
        store_path: cli.store,
        env_flag: cli.environment,
        yaml_input: matches!(cli.command, Command::Apply(_)),
        committed: Default::default(),
        store_shown: Default::default(),
        runtime: match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(r) => Some(r),
            Err(e) => {
                output::message(format_args!("error: cannot start the async runtime: {e}"));
                return ExitCode::from(exit::FAILURE);
            }
        },
    };
    if let Err(e) = pools_core::secret::check_keyring_env() {
        return ExitCode::from(report(
            &ctx,
            &usage(
                e.to_string(),
                "unset POOLS_KEYRING (auto) or set it to os or file",
            ),
        ));
    }
    let result = match cli.command {
        Command::Create(a) => create::run(&ctx, a).map(|()| exit::OK),
        Command::Configure(a) => configure::run(&ctx, a).map(|()| exit::OK),
        Command::Reorder(a) => reorder::run(&ctx, a).map(|()| exit::OK),
        Command::Inspect(a) => inspect::run(&ctx, a).map(|()| exit::OK),
        Command::Delete(a) => delete::run(&ctx, a).map(|()| exit::OK),
        Command::Apply(a) => apply::run(&ctx, a).map(|()| exit::OK),
        Command::Export(a) => export::run(&ctx, a).map(|()| exit::OK),
        Command::SimulateLogin(a) => simulate::run(&ctx, a),
        Command::Users(a) => users::run(&ctx, a),
        Command::Methods(a) => methods::run(&ctx, a).map(|()| exit::OK),
        Command::Status(a) => status::status(&ctx, a).map(|()| exit::OK),
        Command::Doctor(a) => status::doctor(&ctx, a),
        Command::Check(a) => check::run(&ctx, a),
        Command::Audit(a) => audit::run(&ctx, a).map(|()| exit::OK),
        Command::Serve(a) => serve::run(&ctx, a).map(|()| exit::OK),
        Command::Env(a) => environments::run(&ctx, a).map(|()| exit::OK),
        Command::Completions(a) => docs::completions(&ctx, a).map(|()| exit::OK),
        Command::Man(a) => docs::man(&ctx, a).map(|()| exit::OK),
    };
    // Output still buffered is written now, so its failure decides the exit code too.
    match result.and_then(|code| output::flush().map(|()| code)) {
        Ok(code) => ExitCode::from(code),
        Err(err) => ExitCode::from(report(&ctx, &err)),
    }
}

/// The error and its causes, joined by `: `, each once: a library error's message is complete,
/// so the errors it wraps (a source error whose text the message already says) are not appended; a cause
/// whose text ends the message already (`stdout: No space left on device` over the I/O error
/// itself) is not repeated.
fn chain_text(err: &anyhow::Error, spelling: pools_core::error::Spelling) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let t = match cause.downcast_ref::<Error>() {
            Some(e) => e.text(spelling),
            None => cause.to_string(),
        };
        if !out.ends_with(&t) {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&t);
        }
        if cause.is::<Error>() || cause.is::<UsageError>() {
            break;
        }
    }
    out
}

/// Prints `error: ...` (with context) and any `hint: ...`, and picks the exit code.
/// When the command had committed a change before failing, the error says so first.
fn report(ctx: &Ctx, err: &anyhow::Error) -> u8 {
    // One spelling per command: `apply` reads YAML keys, the others take flags.
    let spelling = if ctx.yaml_input {
        pools_core::error::Spelling::Key
    } else {
        pools_core::error::Spelling::Flag(&args::flag_of_key)
    };
    let committed = ctx.committed.borrow_mut().take();
    let (lines, code) = report_lines(committed.as_deref(), err, spelling);
    lines.iter().for_each(output::message);
    debug_assert!(exit::ALL.contains(&code), "undocumented exit code {code}");
    code
}

/// The lines [`report`] prints (`error: ...`, then any `hint: ...`) and the exit code.
fn report_lines(
    committed: Option<&str>,
    err: &anyhow::Error,
    spelling: pools_core::error::Spelling,
) -> (Vec<String>, u8) {
    let text = chain_text(err, spelling);
    let mut lines = vec![match committed {
        Some(what) => format!("error: {what} (committed); {text}"),
        None => format!("error: {text}"),
    }];
    if let Some(u) = err.downcast_ref::<UsageError>() {
        lines.extend(u.hint.iter().map(|h| format!("hint: {h}")));
        return (lines, exit::USAGE);
    }
    if err.downcast_ref::<Declined>().is_some() {
        return (lines, exit::DECLINED);
    }
    let Some(e) = err.chain().find_map(|c| c.downcast_ref::<Error>()) else {
        return (lines, exit::FAILURE);
    };
    lines.extend(e.hint_as(spelling).map(|h| format!("hint: {h}")));
    (lines, exit_code(e.kind()))
}

/// The exit code of a library error of `kind` (README: Exit codes).
fn exit_code(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::NotFound => exit::NOT_FOUND,
        ErrorKind::Conflict => exit::CONFLICT,
        ErrorKind::Validation => exit::VALIDATION,
        ErrorKind::Unavailable => exit::UNAVAILABLE,
        ErrorKind::Unauthorized => exit::UNAUTHORIZED,
        ErrorKind::Internal => exit::FAILURE,
    }
}

#[cfg(test)]
mod tests {
    use pools_core::error::{Spelling, StoreProblem, setting};
    use pools_core::{Error, ErrorBody, ErrorKind};

    /// The codes of the `--help` table are [`super::exit::ALL`], and each kind of library
    /// error has a code of its own among them (but Internal, which shares 1 with failures
    /// that are no library error).
    #[test]
    fn exit_codes_are_documented_and_each_kind_has_its_own() {
        let section = super::EXIT_CODES.split("\n\n").next().unwrap();
        let listed: Vec<u8> = section
            .lines()
            .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
            .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(listed, super::exit::ALL);
        let codes: Vec<u8> = ErrorKind::ALL
            .iter()
            .map(|k| super::exit_code(*k))
            .collect();
        assert_eq!(codes, [1, 3, 4, 5, 8, 9]);
        assert_eq!(
            super::exit_code(ErrorKind::Unavailable),
            super::exit::UNAVAILABLE
        );
        assert_eq!(
            super::exit_code(ErrorKind::Unauthorized),
            super::exit::UNAUTHORIZED
        );
    }

    /// Issue 9: the client of an environment server gets an error body and reports it with
    /// the `error:` and `hint:` lines and the exit code of the same error made locally, in
    /// each spelling, under context and after a commit.
    #[test]
    fn an_error_rebuilt_from_its_body_reports_the_same_lines_and_code() {
        let errors = || {
            vec![
                Error::pool_not_found("legacy"),
                Error::Conflict {
                    message: "pool 'legacy' changed since it was read (version 2 expected, store has 3); nothing was written (R12)".into(),
                    hint: Some("run `pools inspect legacy` to see the current settings, then retry".into()),
                },
                Error::invalid("R10", "pool 'legacy' has 2 user(s) who still need it")
                    .with_hint("add --force to delete it anyway"),
                Error::invalid("tenant_fallback", format!("see {}", setting("tenant", None)))
                    .with_hint(setting("tenant_fallback", Some("none"))),
                Error::Store {
                    path: "/s/pools.db".into(),
                    problem: StoreProblem::Busy,
                },
                Error::Store {
                    path: "/s/pools.db".into(),
                    problem: StoreProblem::Corrupt,
                },
                Error::Unavailable {
                    message: "pool 'legacy': source timed out".into(),
                    hint: None,
                },
                Error::Unauthorized {
                    message: "the server refused the token".into(),
                    hint: Some("log in again".into()),
                },
                Error::bug("broken"),
                Error::Credentials("no OS keyring is reachable".into()),
                // A store refusal the environment says it met while creating a pool.
                Error::invalid("R10", "pool 'legacy' has 2 user(s) who still need it")
                    .with_hint("add --force")
                    .context("cannot configure pool 'legacy'"),
            ]
        };
        let mut seen = Vec::new();
        for yaml in [false, true] {
            let spelling = || {
                if yaml {
                    Spelling::Key
                } else {
                    Spelling::Flag(&super::args::flag_of_key)
                }
            };
            for committed in [None, Some("imported 3 rows")] {
                for (local, sent) in errors().into_iter().zip(errors()) {
                    let json = serde_json::to_string(&sent.body(spelling())).unwrap();
                    let body: ErrorBody = serde_json::from_str(&json).unwrap();
                    let direct = super::report_lines(
                        committed,
                        &anyhow::Error::new(local).context("reading p.yaml"),
                        spelling(),
                    );
                    let via_wire = super::report_lines(
                        committed,
                        &anyhow::Error::new(Error::from(body)).context("reading p.yaml"),
                        spelling(),
                    );
                    assert_eq!(via_wire, direct, "{json}");
                    seen.push(direct.1);
                }
            }
        }
        for code in [1, 3, 4, 5, 8, 9] {
            assert!(seen.contains(&code), "{code}: {seen:?}");
        }
        // The flag spelling reached the wire: `tenant_fallback` is `--tenant-fallback`.
        let e = Error::invalid("tenant_fallback", "x");
        let (lines, _) = super::report_lines(
            None,
            &anyhow::Error::new(Error::from(
                e.body(Spelling::Flag(&super::args::flag_of_key)),
            )),
            Spelling::Key,
        );
        assert_eq!(lines, ["error: --tenant-fallback: x"]);
    }

    /// A panic is reported as a bug in pools, with where to report it, and as a bug made by
    /// the library ([`Error::bug`]) is.
    #[test]
    fn a_panic_says_it_is_a_bug_and_where_to_report_it() {
        let lines = super::panic_lines("index out of bounds\nsecond line", " at src/x.rs:3");
        assert_eq!(
            lines[0],
            "error: internal error at src/x.rs:3: index out of bounds"
        );
        assert_eq!(lines[1], "second line");
        let hint = lines[2].strip_prefix("hint: ").unwrap();
        assert!(hint.contains("this is a bug in pools"), "{hint}");
        assert!(hint.contains("README: Reporting bugs"), "{hint}");
        let (bug, code) =
            super::report_lines(None, &anyhow::Error::new(Error::bug("x")), Spelling::Key);
        assert_eq!(
            bug,
            ["error: internal error: x".to_owned(), lines[2].clone()]
        );
        assert_eq!(code, super::exit::FAILURE);
        // The README has the section the hint names.
        assert!(include_str!("../../README.md").contains("\n## Reporting bugs\n"));
    }

    #[test]
    fn clap_definition_is_consistent() {
        super::command().debug_assert();
    }

    /// Issue 8 (F13): every argument a help page or man page lists says what it is (an
    /// empty description under `Arguments:` was the case of six positionals).
    #[test]
    fn every_shown_argument_is_described() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for a in cmd.get_arguments() {
                let builtin = matches!(a.get_id().as_str(), "help" | "version");
                if !a.is_hide_set() && !builtin && a.get_help().is_none() {
                    missing.push(format!("{path} {}", a.get_id()));
                }
            }
            for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut cmd = super::command();
        cmd.build();
        let mut missing = Vec::new();
        walk(&cmd, "pools", &mut missing);
        assert!(
            missing.is_empty(),
            "arguments without a description: {missing:#?}"
        );
    }

    /// Item 1 of the hardening issue: tests/cli/output.rs runs every command line of
    /// tests/fixtures/every-command.txt with stdout on /dev/full; this fails when a command
    /// (or subcommand) exists that no line there runs.
    #[test]
    fn every_command_is_in_the_robustness_list() {
        let lines: Vec<Vec<&str>> = include_str!("../../tests/fixtures/every-command.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| l.split_whitespace().collect())
            .collect();
        fn walk(cmd: &clap::Command, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
            for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                path.push(sub.get_name().to_owned());
                out.push(path.clone());
                walk(sub, path, out);
                path.pop();
            }
        }
        let mut paths = Vec::new();
        walk(&super::command(), &mut Vec::new(), &mut paths);
        assert!(paths.len() > 15, "{paths:?}");
        for path in paths {
            assert!(
                lines
                    .iter()
                    .any(|l| l.len() >= path.len() && l[..path.len()] == path[..]),
                "`pools {}` is missing from tests/fixtures/every-command.txt",
                path.join(" ")
            );
        }
    }
}
