//! Library errors. Every variant names the field or rule at fault and, where one exists, the fix;
//! the binary maps [`ErrorKind`] to its documented exit codes.

use std::fmt;

/// What went wrong, in the terms that decide the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A named pool or user, or the file an import or restore reads, does not exist (exit 3).
    NotFound,
    /// The name exists already, the record changed since it was read, or an import into the
    /// pool is running (exit 4).
    Conflict,
    /// A rule of SPEC.md or an input file is wrong (exit 5).
    Validation,
    /// The store or the file system failed (exit 1).
    Internal,
}

/// A refusal or failure of the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `what` is a noun phrase such as `pool 'legacy'`.
    #[error("{what} not found")]
    NotFound { what: String, hint: Option<String> },

    #[error("{}", render(message, Spelling::Key))]
    Conflict {
        message: String,
        hint: Option<String>,
    },

    /// `field` is the setting the operator must change, as its YAML key (`client_secret`;
    /// adapters spell it: [`Error::text`]), or a rule (`R2`) or other name (`store`).
    /// Settings named in `message` and `hint` are written with [`setting`].
    #[error("{field}: {}", render(message, Spelling::Key))]
    Invalid {
        field: String,
        message: String,
        hint: Option<String>,
    },

    /// A failure of the store at `path`, said once in words ([`StoreProblem`]): no backend
    /// type travels inside the library error, so the server can send it and a client rebuild it.
    #[error("store {path}: {problem}")]
    Store { path: String, problem: StoreProblem },

    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
        hint: Option<String>,
    },

    #[error("credential store: {0}")]
    Credentials(String),
}

/// What a store failure means to the operator, whatever the backend said: each backend maps
/// its own codes (SQLite result codes for the embedded store) onto these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreProblem {
    /// The store is on a file system mounted read-only.
    ReadOnlyMount,
    /// The file is not a store database (or its header is damaged).
    NotADatabase,
    /// The database is damaged.
    Corrupt,
    /// The file or its directory may not be written by this user.
    ReadOnly,
    /// The file cannot be opened.
    CannotOpen,
    /// Another process holds the store's lock; nothing was written (R12).
    Busy,
    /// The disk is full; the change that failed was not written (R12).
    Full,
    /// The operating system reported an input/output error.
    Io,
    /// Anything else, as the backend said it (one line, no repetition).
    Other(String),
}

/// Said of a store on a read-only mount, by store errors and file system errors alike.
pub const READ_ONLY_FS: &str = "the file system is read-only";

/// The hint for a store that cannot be written: the permission case and the read-only mount.
pub const READ_ONLY_HINT: &str = "reads need read access only; changes need write access to the file and its directory: run them as the store's owner, on a file system mounted read-write";

impl StoreProblem {
    /// How to fix it, when there is something to do.
    pub fn hint(&self) -> Option<&'static str> {
        Some(match self {
            StoreProblem::ReadOnlyMount | StoreProblem::ReadOnly => READ_ONLY_HINT,
            StoreProblem::NotADatabase => {
                "point --store (or POOLS_STORE) at a pools store, or move this file away and pools creates a new store there"
            }
            StoreProblem::Corrupt => {
                "restore the store from a backup (`sqlite3 FILE .recover` may save what is left)"
            }
            StoreProblem::CannotOpen => {
                "check that the file and its directory exist and are readable"
            }
            StoreProblem::Busy => {
                "retry when the other pools process has finished: the change that failed was not written (R12)"
            }
            StoreProblem::Full => {
                "free some space and retry: the change that failed was not written (R12); an import or a restore keeps the batches it committed before: run it again to continue"
            }
            StoreProblem::Io => "check the disk and the file system the store is on",
            StoreProblem::Other(_) => return None,
        })
    }
}

impl fmt::Display for StoreProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StoreProblem::ReadOnlyMount => READ_ONLY_FS,
            StoreProblem::NotADatabase => "not a SQLite database (or its header is damaged)",
            StoreProblem::Corrupt => "the file is damaged (database disk image is malformed)",
            StoreProblem::ReadOnly => "read-only for this user (the file or its directory)",
            StoreProblem::CannotOpen => "cannot be opened",
            StoreProblem::Busy => "busy: another process holds its lock",
            StoreProblem::Full => "the disk is full",
            StoreProblem::Io => "input/output error",
            StoreProblem::Other(text) => text,
        })
    }
}

/// Library result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A command of many transactions (an import, a restore) that stopped on an error: the
/// transactions it committed before stay, and `summary` counts what they hold, so that the
/// command can say what it committed before the error (README: exit codes).
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct Stopped<S: fmt::Debug> {
    /// Why it stopped.
    #[source]
    pub error: Error,
    /// The figures until then, as the finished command's summary would give them.
    pub summary: Box<S>,
    /// Whether a transaction was committed before the error (else nothing was written).
    pub committed: bool,
}

impl Error {
    /// A validation error on `field` (a flag, YAML key or rule such as `R2`).
    pub fn invalid(field: impl Into<String>, message: impl fmt::Display) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.to_string(),
            hint: None,
        }
    }

    /// A missing pool.
    pub fn pool_not_found(name: &str) -> Self {
        Error::NotFound {
            what: format!("pool '{name}'"),
            hint: Some("run `pools list` to see the pools of this store".into()),
        }
    }

    /// Adds a `hint:` line telling the operator how to fix it.
    pub fn with_hint(mut self, text: impl Into<String>) -> Self {
        match &mut self {
            Error::NotFound { hint, .. }
            | Error::Conflict { hint, .. }
            | Error::Invalid { hint, .. }
            | Error::Io { hint, .. } => *hint = Some(text.into()),
            _ => {}
        }
        self
    }

    /// The hint line, if any, settings spelled as YAML keys.
    pub fn hint(&self) -> Option<String> {
        self.hint_as(Spelling::Key)
    }

    /// The hint line, if any, settings spelled for the adapter showing it.
    pub fn hint_as(&self, spelling: Spelling) -> Option<String> {
        match self {
            Error::NotFound { hint, .. }
            | Error::Conflict { hint, .. }
            | Error::Invalid { hint, .. }
            | Error::Io { hint, .. } => hint.as_deref().map(|h| render(h, spelling)),
            Error::Store { problem, .. } => problem.hint().map(str::to_owned),
            _ => None,
        }
    }

    /// The error as `Display` writes it, settings (the field among them) spelled for the
    /// adapter showing it.
    pub fn text(&self, spelling: Spelling) -> String {
        match self {
            Error::Invalid { field, message, .. } => {
                let field = match spelling {
                    Spelling::Key => field.clone(),
                    Spelling::Flag(flag) => flag(field).unwrap_or_else(|| field.clone()),
                };
                format!("{field}: {}", render(message, spelling))
            }
            Error::Conflict { message, .. } => render(message, spelling),
            other => other.to_string(),
        }
    }

    /// The class of the error, which decides the exit code.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Conflict { .. } => ErrorKind::Conflict,
            Error::Invalid { .. } => ErrorKind::Validation,
            Error::Store { .. } | Error::Io { .. } | Error::Credentials(_) => ErrorKind::Internal,
        }
    }

    /// An I/O failure on `path`.
    pub fn io(path: impl fmt::Display, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_string(),
            source,
            hint: None,
        }
    }
}

/// How an adapter spells the settings an error names: `client_secret` is `client_secret:` in
/// a YAML document and `--client-secret` on the command line.
#[derive(Clone, Copy)]
pub enum Spelling<'a> {
    /// YAML keys (`mode: sync`), as `Display` writes them.
    Key,
    /// Command-line flags: the flag of a key (`--client-secret`), `None` for a name that is
    /// not a setting (`R2`, `store`), which stays as written.
    Flag(&'a dyn Fn(&str) -> Option<String>),
}

// Private-use characters frame the settings in messages and hints until they are spelled.
const SET: char = '\u{E000}';
const VALUE: char = '\u{E001}';
const END: char = '\u{E002}';
const ALT: char = '\u{E003}';
const OR: char = '\u{E004}';
const ALT_END: char = '\u{E005}';

/// Names the setting `key` (snake_case, its YAML key) in a message or hint, with an example
/// `value` or none: spelled `key: value` in YAML, `--key value` on the command line.
pub fn setting(key: &str, value: Option<&str>) -> String {
    match value {
        Some(v) => format!("{SET}{key}{VALUE}{v}{END}"),
        None => format!("{SET}{key}{END}"),
    }
}

/// Text that reads differently on the command line (`flags`) and in a YAML document
/// (`keys`), such as `-` (stdin), which only a flag takes; both may hold [`setting`]s.
pub fn phrased(flags: &str, keys: &str) -> String {
    format!("{ALT}{flags}{OR}{keys}{ALT_END}")
}

/// Spells the [`setting`]s and [`phrased`] parts of `text`.
pub fn render(text: &str, spelling: Spelling) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find([SET, ALT]) {
        out.push_str(&rest[..i]);
        let c = rest[i..].chars().next().expect("found");
        let after = &rest[i + c.len_utf8()..];
        let end = if c == SET { END } else { ALT_END };
        let Some(j) = after.find(end) else {
            // Unframed (never built by `setting`/`phrased`): keep the text.
            out.push_str(after);
            return out;
        };
        let inner = &after[..j];
        rest = &after[j + end.len_utf8()..];
        if c == ALT {
            let (flags, keys) = inner.split_once(OR).unwrap_or((inner, inner));
            let chosen = match spelling {
                Spelling::Key => keys,
                Spelling::Flag(_) => flags,
            };
            out.push_str(&render(chosen, spelling));
            continue;
        }
        let (key, value) = match inner.split_once(VALUE) {
            Some((k, v)) => (k, Some(v)),
            None => (inner, None),
        };
        match (spelling, value) {
            (Spelling::Key, Some(v)) => out.push_str(&format!("{key}: {v}")),
            (Spelling::Key, None) => out.push_str(key),
            (Spelling::Flag(flag), v) => {
                out.push_str(&flag(key).unwrap_or_else(|| key.to_owned()));
                if let Some(v) = v {
                    out.push(' ');
                    out.push_str(v);
                }
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_spelled_per_adapter() {
        let flag = |k: &str| (k != "R2").then(|| format!("--{}", k.replace('_', "-")));
        let text = format!(
            "use {} or {}{}",
            setting("mode", Some("sync")),
            setting("client_secret", None),
            phrased(&format!(", or {} -", setting("api_key", None)), ""),
        );
        assert_eq!(
            render(&text, Spelling::Key),
            "use mode: sync or client_secret"
        );
        assert_eq!(
            render(&text, Spelling::Flag(&flag)),
            "use --mode sync or --client-secret, or --api-key -"
        );
        let e = Error::invalid(
            "tenant_fallback",
            format!("see {}", setting("tenant", None)),
        )
        .with_hint(setting("tenant_fallback", Some("none")));
        assert_eq!(e.to_string(), "tenant_fallback: see tenant");
        assert_eq!(
            e.text(Spelling::Flag(&flag)),
            "--tenant-fallback: see --tenant"
        );
        assert_eq!(e.hint().as_deref(), Some("tenant_fallback: none"));
        assert_eq!(
            e.hint_as(Spelling::Flag(&flag)).as_deref(),
            Some("--tenant-fallback none")
        );
        assert_eq!(
            Error::invalid("R2", "x").text(Spelling::Flag(&flag)),
            "R2: x"
        );
    }
}
