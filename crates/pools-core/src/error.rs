//! Library errors. Every variant names the field or rule at fault and, where one exists, the fix;
//! the binary maps [`ErrorKind`] to its documented exit codes.

use std::fmt;

/// What went wrong, in the terms that decide the exit code. Serialised in snake_case
/// (`not_found`, ...): the `kind` of an [`ErrorBody`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A named pool or user, or the file an import or restore reads, does not exist (exit 3).
    NotFound,
    /// The name exists already, the record changed since it was read, or an import into the
    /// pool is running (exit 4).
    Conflict,
    /// A rule of SPEC.md or an input file is wrong (exit 5).
    Validation,
    /// Something the command needs is not reachable now and the same command may work when
    /// retried unchanged: the store is busy (another process holds its lock; nothing was
    /// written, R12), and, with the coming environment server and live sources, a server or
    /// source that times out or refuses the connection (exit 8).
    Unavailable,
    /// Credentials were refused: by the coming environment server, or a live source asked
    /// with the pool's client secret or API key (exit 9).
    Unauthorized,
    /// The store or the file system failed, or a bug in pools ([`Error::Bug`]) (exit 1).
    Internal,
}

impl ErrorKind {
    /// Every kind, in the order of their exit codes.
    pub const ALL: [ErrorKind; 6] = [
        ErrorKind::Internal,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::Validation,
        ErrorKind::Unavailable,
        ErrorKind::Unauthorized,
    ];

    /// The kind as it is serialised (`not_found`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Validation => "validation",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The hint of every bug ([`Error::Bug`], and a panic the binary catches): it says the bug
/// is pools', not the operator's, and where to report it.
pub const BUG_HINT: &str = concat!(
    "this is a bug in pools ",
    env!("CARGO_PKG_VERSION"),
    ", not in your input: please report it with the command line and this message to the maintainers (see README: Reporting bugs)"
);

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

    /// Something needed is not reachable now; the same command may work when retried
    /// ([`ErrorKind::Unavailable`]). `message` names what (the server, the pool and its
    /// source) and for how long it was waited for.
    #[error("{}", render(message, Spelling::Key))]
    Unavailable {
        message: String,
        hint: Option<String>,
    },

    /// Credentials were refused ([`ErrorKind::Unauthorized`]); `message` says whose, never
    /// the credentials themselves (R11).
    #[error("{}", render(message, Spelling::Key))]
    Unauthorized {
        message: String,
        hint: Option<String>,
    },

    /// A bug in pools: something the code relies on does not hold (a broken invariant).
    /// Said as an internal error, with [`BUG_HINT`] as its hint; not for failures of the
    /// store or the file system, which are [`Error::Store`] and [`Error::Io`].
    #[error("internal error: {message}")]
    Bug { message: String },

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

    /// An error rebuilt from its [`ErrorBody`] (what an environment server sends): it says,
    /// hints and classifies exactly what the body says, so a client reports a remote error
    /// with the lines and the exit code of the same error made locally.
    #[error("{}", .0.message)]
    Reported(Box<ErrorBody>),

    /// `error`, met while doing `context` (`cannot create pool 'crm'`): said as
    /// `context: error`, of `error`'s kind, rule, field and hint.
    #[error("{context}: {error}")]
    Context { context: String, error: Box<Error> },
}

/// An [`Error`] as it travels (the server's RFC 9457 problem document carries these members):
/// the text is already spelled for the adapter that shows it ([`Error::body`]), and
/// [`Error::from`] turns it back into an error that reports the same lines and exit code.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ErrorBody {
    /// The class, which decides the exit code.
    pub kind: ErrorKind,
    /// The rule of SPEC.md the error cites (`R10`), when it cites one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The setting at fault, as its YAML key (`client_secret`), or the other name a
    /// validation error names (`store`, `--file`); never a rule, which is `rule`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The `error:` line without its prefix, as [`Error::text`] writes it.
    pub message: String,
    /// The `hint:` line without its prefix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl From<ErrorBody> for Error {
    fn from(body: ErrorBody) -> Self {
        Error::Reported(Box::new(body))
    }
}

/// `R1`..`R17` when `text` is one of the rules of SPEC.md.
fn rule_named(text: &str) -> Option<String> {
    let n: u8 = text.strip_prefix('R')?.parse().ok()?;
    let plain = !text[1..].starts_with(['0', '+']);
    (plain && (1..=17).contains(&n)).then(|| text.to_owned())
}

/// The first rule of SPEC.md that `text` cites (`... nothing was written (R12)`): an `R`
/// and a number from 1 to 17, neither part of a longer word.
fn rule_cited(text: &str) -> Option<String> {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices('R').find_map(|(i, _)| {
        if text[..i].chars().next_back().is_some_and(word) {
            return None;
        }
        let digits: String = text[i + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let end = i + 1 + digits.len();
        if text[end..].chars().next().is_some_and(word) {
            return None;
        }
        rule_named(&text[i..end])
    })
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
        self.set_hint(text.into());
        self
    }

    fn set_hint(&mut self, text: String) {
        match self {
            Error::NotFound { hint, .. }
            | Error::Conflict { hint, .. }
            | Error::Invalid { hint, .. }
            | Error::Unavailable { hint, .. }
            | Error::Unauthorized { hint, .. }
            | Error::Io { hint, .. } => *hint = Some(text),
            Error::Reported(body) => body.hint = Some(text),
            Error::Context { error, .. } => error.set_hint(text),
            Error::Bug { .. } | Error::Store { .. } | Error::Credentials(_) => {}
        }
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
            | Error::Unavailable { hint, .. }
            | Error::Unauthorized { hint, .. }
            | Error::Io { hint, .. } => hint.as_deref().map(|h| render(h, spelling)),
            Error::Store { problem, .. } => problem.hint().map(str::to_owned),
            Error::Bug { .. } => Some(BUG_HINT.to_owned()),
            Error::Reported(body) => body.hint.clone(),
            Error::Context { error, .. } => error.hint_as(spelling),
            Error::Credentials(_) => None,
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
            Error::Conflict { message, .. }
            | Error::Unavailable { message, .. }
            | Error::Unauthorized { message, .. } => render(message, spelling),
            Error::Context { context, error } => format!("{context}: {}", error.text(spelling)),
            other => other.to_string(),
        }
    }

    /// The class of the error, which decides the exit code.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Conflict { .. } => ErrorKind::Conflict,
            Error::Invalid { .. } => ErrorKind::Validation,
            Error::Unavailable { .. } => ErrorKind::Unavailable,
            Error::Unauthorized { .. } => ErrorKind::Unauthorized,
            // Busy is the one store problem a retry of the same command can cure: SQLite
            // gave up waiting (10 s) for another process's lock, or refused at once to
            // avoid a deadlock, and nothing was written (R12). The others (damaged, full,
            // read-only, not a store, I/O) need the operator first, so they stay failures
            // (exit 1), as the credential store's and the file system's do: an unreachable
            // OS keyring is a setting (POOLS_KEYRING) to change, not a wait.
            Error::Store {
                problem: StoreProblem::Busy,
                ..
            } => ErrorKind::Unavailable,
            Error::Store { .. } | Error::Io { .. } | Error::Credentials(_) | Error::Bug { .. } => {
                ErrorKind::Internal
            }
            Error::Reported(body) => body.kind,
            Error::Context { error, .. } => error.kind(),
        }
    }

    /// The error as it travels, spelled for the adapter that will show it (an environment
    /// server is told which by its client): turned back by [`Error::from`], it reports the
    /// same `error:` and `hint:` lines and the same kind.
    pub fn body(&self, spelling: Spelling) -> ErrorBody {
        if let Error::Reported(body) = self {
            return (**body).clone();
        }
        if let Error::Context { error, .. } = self {
            return ErrorBody {
                message: self.text(spelling),
                ..error.body(spelling)
            };
        }
        let message = self.text(spelling);
        let (rule, field) = match self {
            Error::Invalid { field, .. } => match rule_named(field) {
                Some(rule) => (Some(rule), None),
                None => (rule_cited(&message), Some(field.clone())),
            },
            _ => (rule_cited(&message), None),
        };
        ErrorBody {
            kind: self.kind(),
            rule,
            field,
            hint: self.hint_as(spelling),
            message,
        }
    }

    /// This error, met while doing `context` (`cannot create pool 'crm'`).
    pub fn context(self, context: impl Into<String>) -> Self {
        Error::Context {
            context: context.into(),
            error: Box::new(self),
        }
    }

    /// A bug in pools: `message` says which invariant does not hold.
    pub fn bug(message: impl fmt::Display) -> Self {
        Error::Bug {
            message: message.to_string(),
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

    /// One error of each variant and kind, and real ones: a stale version (R12), an R10
    /// refusal, the store busy, a pool not found.
    fn samples() -> Vec<Error> {
        vec![
            Error::pool_not_found("legacy"),
            Error::NotFound {
                what: "user 'a@example.com'".into(),
                hint: None,
            },
            // As the SQLite store says a stale --if-version.
            Error::Conflict {
                message: "pool 'legacy' changed since it was read (version 2 expected, store has 3); nothing was written (R12)".into(),
                hint: Some("run `pools inspect legacy` to see the current settings, then retry".into()),
            },
            // As the SQLite store refuses deleting a pool whose users still need it.
            Error::invalid(
                "R10",
                "pool 'legacy' has 2 user(s) who still need it to log in (2 shadow, 0 imported without a password hash)",
            )
            .with_hint("add --force to delete it anyway: shadow copies are removed"),
            Error::invalid(
                "client_secret",
                format!("is empty; give {}", setting("client_secret", Some("env:VAR"))),
            )
            .with_hint(format!(
                "see {}{}",
                setting("client_id", None),
                phrased(" (or `-` for a prompt)", "")
            )),
            Error::Unavailable {
                message: "pool 'legacy': source did not answer within 5000 ms".into(),
                hint: Some("retry later".into()),
            },
            Error::Unauthorized {
                message: "environment server https://pools.example.com refused the token".into(),
                hint: None,
            },
            Error::bug("the order lists pool 'x' twice"),
            Error::Store {
                path: "/tmp/pools.db".into(),
                problem: StoreProblem::Busy,
            },
            Error::Store {
                path: "/tmp/pools.db".into(),
                problem: StoreProblem::Full,
            },
            Error::Store {
                path: "/tmp/pools.db".into(),
                problem: StoreProblem::Other("weird".into()),
            },
            Error::io(
                "/tmp/in.csv",
                std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            )
            .with_hint("check the file's mode"),
            Error::Credentials("no OS keyring is reachable (POOLS_KEYRING=os)".into()),
        ]
    }

    /// Issue 9 (errors that travel): every error, sent as JSON and rebuilt, says the same
    /// `error:` text and `hint:` in either spelling and has the same kind; its body says the
    /// rule it cites.
    #[test]
    fn an_error_rebuilt_from_its_json_body_reads_and_classifies_the_same() {
        let flag = |k: &str| (!k.starts_with('R')).then(|| format!("--{}", k.replace('_', "-")));
        let mut kinds = std::collections::BTreeSet::new();
        for e in samples() {
            for spelling in [Spelling::Key, Spelling::Flag(&flag)] {
                let body = e.body(spelling);
                let json = serde_json::to_string(&body).unwrap();
                let back: ErrorBody = serde_json::from_str(&json).unwrap();
                assert_eq!(back, body, "{json}");
                let rebuilt = Error::from(back);
                assert_eq!(rebuilt.text(spelling), e.text(spelling), "{json}");
                assert_eq!(rebuilt.hint_as(spelling), e.hint_as(spelling), "{json}");
                assert_eq!(rebuilt.kind(), e.kind(), "{json}");
                assert_eq!(rebuilt.body(spelling), body, "{json}");
                // Spelled once, at the sender: the client shows the text as it came.
                assert_eq!(rebuilt.to_string(), body.message);
            }
            kinds.insert(e.kind().as_str());
        }
        assert_eq!(kinds.len(), ErrorKind::ALL.len(), "{kinds:?}");
    }

    #[test]
    fn bodies_say_kind_rule_and_field() {
        let json = |e: &Error| serde_json::to_value(e.body(Spelling::Key)).unwrap();
        let all = samples();
        assert_eq!(
            json(&all[0]),
            serde_json::json!({
                "kind": "not_found",
                "message": "pool 'legacy' not found",
                "hint": "run `pools list` to see the pools of this store",
            })
        );
        assert_eq!(json(&all[2])["kind"], "conflict");
        assert_eq!(json(&all[2])["rule"], "R12");
        // A refusal on a rule names the rule, not a field.
        assert_eq!(json(&all[3])["rule"], "R10");
        assert!(json(&all[3]).get("field").is_none());
        assert_eq!(json(&all[4])["field"], "client_secret");
        assert!(json(&all[4]).get("rule").is_none());
        let flag = |k: &str| Some(format!("--{}", k.replace('_', "-")));
        let spelled = all[4].body(Spelling::Flag(&flag));
        assert_eq!(spelled.field.as_deref(), Some("client_secret"));
        assert_eq!(
            spelled.message,
            "--client-secret: is empty; give --client-secret env:VAR"
        );
        assert_eq!(
            spelled.hint.as_deref(),
            Some("see --client-id (or `-` for a prompt)")
        );
        // The store busy is the one store problem a retry cures.
        assert_eq!(json(&all[8])["kind"], "unavailable");
        assert_eq!(json(&all[9])["kind"], "internal");
        assert_eq!(json(&all[5])["kind"], "unavailable");
        assert_eq!(json(&all[6])["kind"], "unauthorized");
        // A bug says so and where to report it; a store failure does not call itself one.
        let bug = all[7].body(Spelling::Key);
        assert_eq!(bug.kind, ErrorKind::Internal);
        assert_eq!(
            bug.message,
            "internal error: the order lists pool 'x' twice"
        );
        let hint = bug.hint.unwrap();
        assert!(
            hint.contains("this is a bug in pools") && hint.contains("README: Reporting bugs"),
            "{hint}"
        );
        for e in &all[8..] {
            let b = e.body(Spelling::Key);
            assert!(!b.message.contains("bug") && !b.hint.unwrap_or_default().contains("bug"));
        }
        // Unknown members (an RFC 9457 document's `type`, `status`) are read past.
        let read: ErrorBody = serde_json::from_str(
            r#"{"type":"about:blank","status":503,"kind":"unavailable","message":"m"}"#,
        )
        .unwrap();
        assert_eq!(Error::from(read).kind(), ErrorKind::Unavailable);
    }

    #[test]
    fn the_rule_cited_is_a_whole_word_of_r1_to_r17() {
        for (text, rule) in [
            ("nothing was written (R12)", Some("R12")),
            ("existing users keep their tenant (R4, R10)", Some("R4")),
            ("R2: pool 'x' is an idp pool", Some("R2")),
            ("R17.", Some("R17")),
            ("R18 and R0 and R010 are no rules", None),
            ("PR12 or R12a or R_1 are not rules", None),
            ("Reading R", None),
            ("no rule", None),
        ] {
            assert_eq!(rule_cited(text).as_deref(), rule, "{text}");
        }
    }

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
