//! Library errors. Every variant names the field or rule at fault and, where one exists, the fix;
//! the binary maps [`ErrorKind`] to its documented exit codes.

use std::fmt;

/// What went wrong, in the terms that decide the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A named pool or user does not exist (exit 3).
    NotFound,
    /// The name exists already, or the record changed since it was read (exit 4).
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

    #[error("{message}")]
    Conflict {
        message: String,
        hint: Option<String>,
    },

    /// `field` is the flag / YAML key / rule number the operator must change.
    #[error("{field}: {message}")]
    Invalid {
        field: String,
        message: String,
        hint: Option<String>,
    },

    /// The message says the problem once, in words ([`crate::store::sqlite::describe`]);
    /// the hint comes from the SQLite error code.
    #[error("store {path}: {}", crate::store::sqlite::describe(source))]
    Store {
        path: String,
        #[source]
        source: rusqlite::Error,
    },

    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },

    #[error("credential store: {0}")]
    Credentials(String),
}

/// Library result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

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
            | Error::Invalid { hint, .. } => *hint = Some(text.into()),
            _ => {}
        }
        self
    }

    /// The hint line, if any.
    pub fn hint(&self) -> Option<&str> {
        match self {
            Error::NotFound { hint, .. }
            | Error::Conflict { hint, .. }
            | Error::Invalid { hint, .. } => hint.as_deref(),
            Error::Store { source, .. } => crate::store::sqlite::hint(source),
            _ => None,
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
        }
    }
}
