//! The `pools` command line: clap definitions, one module per command, and the mapping of
//! library errors to exit codes. Commands parse nothing further, call the library and render.

mod apply;
mod args;
mod configure;
mod create;
mod delete;
mod docs;
mod export;
mod import;
mod inspect;
mod methods;
mod output;
mod prompt;
mod reorder;
mod simulate;
mod status;
mod users;

use clap::{Parser, Subcommand, ValueEnum};
use pools::store::Store;
use pools::store::sqlite::SqliteStore;
use pools::{Error, ErrorKind};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit codes, as documented in the README and the man page.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FAILURE: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const NOT_FOUND: u8 = 3;
    pub const CONFLICT: u8 = 4;
    pub const VALIDATION: u8 = 5;
    /// `simulate-login`: the login was refused (the reason code is in the output).
    pub const REFUSED: u8 = 6;
}

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  unexpected failure (store or file system)
  2  usage: unknown flag, missing value, or a confirmation needed without a terminal
  3  not found: no such pool
  4  conflict: the name exists, or the pool or order changed since it was read
  5  validation: a rule of the spec (R1..R17) or an input file is wrong
  6  simulate-login: the login was refused (reason code in the output)

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

    /// Output format of results on stdout; messages always go to stderr
    #[arg(short, long, global = true, value_enum, default_value_t = Format::Table)]
    output: Format,

    /// Never prompt: fail instead, naming what is missing
    #[arg(long, global = true)]
    no_input: bool,

    /// Answer yes to confirmations (needed for destructive commands without a terminal)
    #[arg(short, long, global = true)]
    yes: bool,

    /// Print only results and errors
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
    store_path: Option<PathBuf>,
}

impl Ctx {
    fn store_path(&self) -> anyhow::Result<PathBuf> {
        // Read here rather than by clap: an empty POOLS_STORE means unset, as empty XDG
        // variables do.
        let from_env = std::env::var_os("POOLS_STORE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let path = match self.store_path.clone().or(from_env) {
            Some(p) => p,
            None => pools::store::default_location().ok_or_else(|| {
                usage(
                    "no home directory to keep the store in",
                    "pass --store PATH or set POOLS_STORE",
                )
            })?,
        };
        if self.verbose {
            eprintln!("store: {}", path.display());
            warn_if_exposed(&path);
        }
        Ok(path)
    }

    /// Opens the environment's store for a change (created on first use).
    pub fn store(&self) -> anyhow::Result<Box<dyn Store>> {
        Ok(Box::new(SqliteStore::open(&self.store_path()?)?))
    }

    /// Opens the store for reading: nothing is created or written (R14 for simulate-login).
    pub fn store_read(&self) -> anyhow::Result<Box<dyn Store>> {
        let path = self.store_path()?;
        match SqliteStore::open_read_only(&path)? {
            Some(s) => Ok(Box::new(s)),
            None => {
                if self.verbose {
                    eprintln!(
                        "store {} does not exist yet: the first change creates it",
                        path.display()
                    );
                }
                Ok(Box::new(SqliteStore::empty()?))
            }
        }
    }

    /// A message for people, on stderr; silenced by `-q`.
    pub fn note(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            eprintln!("{msg}");
        }
    }
}

/// `-v`: an existing store others may read holds password hashes and signer keys (R11).
fn warn_if_exposed(path: &std::path::Path) {
    #[cfg(unix)]
    if let Ok(m) = std::fs::metadata(path) {
        use std::os::unix::fs::PermissionsExt;
        let mode = m.permissions().mode() & 0o777;
        if m.is_file() && mode & 0o077 != 0 {
            eprintln!(
                "warning: store {} is readable by others (mode {mode:04o}) and holds password hashes: chmod 600 {}",
                path.display(),
                path.display()
            );
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

pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    UsageError {
        message: message.into(),
        hint: Some(hint.into()),
    }
    .into()
}

/// Runs the command line and turns its outcome into an exit code.
pub fn main() -> ExitCode {
    // Die quietly like other Unix tools when the reader of stdout goes away (`| head`),
    // instead of panicking on the failed write.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        console::set_colors_enabled(false);
        console::set_colors_enabled_stderr(false);
    }
    let cli = Cli::parse();
    if let Err(e) = pools::secret::check_keyring_env() {
        return ExitCode::from(report(&usage(
            e.to_string(),
            "unset POOLS_KEYRING (auto) or set it to os or file",
        )));
    }
    let ctx = Ctx {
        format: cli.output,
        no_input: cli.no_input,
        yes: cli.yes,
        quiet: cli.quiet,
        verbose: cli.verbose,
        store_path: cli.store,
    };
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
        Command::Completions(a) => docs::completions(a).map(|()| exit::OK),
        Command::Man(a) => docs::man(a).map(|()| exit::OK),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => ExitCode::from(report(&err)),
    }
}

/// Prints `error: ...` (with context) and any `hint: ...`, and picks the exit code.
fn report(err: &anyhow::Error) -> u8 {
    // Contexts, then the error itself; a library error's message is complete, so the errors
    // it wraps (rusqlite's text, which repeats itself) are not appended again.
    let mut parts = Vec::new();
    for e in err.chain() {
        parts.push(e.to_string());
        if e.is::<Error>() || e.is::<UsageError>() {
            break;
        }
    }
    eprintln!("error: {}", parts.join(": "));
    if let Some(u) = err.downcast_ref::<UsageError>() {
        if let Some(h) = &u.hint {
            eprintln!("hint: {h}");
        }
        return exit::USAGE;
    }
    let Some(e) = err.chain().find_map(|c| c.downcast_ref::<Error>()) else {
        return exit::FAILURE;
    };
    if let Some(h) = e.hint() {
        eprintln!("hint: {h}");
    }
    match e.kind() {
        ErrorKind::NotFound => exit::NOT_FOUND,
        ErrorKind::Conflict => exit::CONFLICT,
        ErrorKind::Validation => exit::VALIDATION,
        ErrorKind::Internal => exit::FAILURE,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
