//! Errors raised while detecting or reading user export files (Firebase CLI
//! auth:export JSON, Auth0 bulk user import schema, Auth0 user export job
//! NDJSON, Keycloak realm export, AWS CLI cognito-idp list-users output,
//! RFC 4180 CSV with header).
//!
//! Every message names `file:line[:column]`, the problem and the fix, and never
//! contains hash or salt values.

use std::fmt;
use std::path::{Path, PathBuf};

use super::ExportFormat;

/// Where a problem was found in an export file (any of the supported formats:
/// Firebase CLI auth:export JSON, Auth0 bulk user import schema, Auth0 user
/// export job NDJSON, Keycloak realm export, AWS CLI cognito-idp list-users
/// output, RFC 4180 CSV with header).
///
/// Displays as `path`, `path:line` or `path:line:column` (1-based; the column
/// counts bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The export file.
    pub path: PathBuf,
    /// 1-based line, where known.
    pub line: Option<u64>,
    /// 1-based byte column within the line, where known.
    pub column: Option<u64>,
}

impl Location {
    /// A location naming only the file.
    pub fn file(path: &Path) -> Self {
        Location {
            path: path.to_path_buf(),
            line: None,
            column: None,
        }
    }

    /// A location naming the file and a line.
    pub fn at_line(path: &Path, line: u64) -> Self {
        Location {
            path: path.to_path_buf(),
            line: Some(line),
            column: None,
        }
    }

    /// A location naming the file, a line and a column.
    pub fn at(path: &Path, line: u64, column: u64) -> Self {
        Location {
            path: path.to_path_buf(),
            line: Some(line),
            column: Some(column),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// The original text of a rejected record (a JSON object, an NDJSON line or a
/// CSV row of any supported export format), kept so that a reject file can be
/// written in the input's own format.
///
/// Bytes as read: a record that is not valid UTF-8 is kept byte for byte.
/// Its `Debug` prints only the length: the text may hold password hashes.
#[derive(Clone, PartialEq, Eq)]
pub struct RawText(pub Vec<u8>);

impl fmt::Debug for RawText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawText(<{} bytes>)", self.0.len())
    }
}

/// An error while detecting or reading a user export file (Firebase CLI
/// auth:export JSON, Auth0 bulk user import schema, Auth0 user export job
/// NDJSON, Keycloak realm export, AWS CLI cognito-idp list-users output,
/// RFC 4180 CSV with header).
///
/// Every variant carries the file and, where known, the 1-based line and
/// column. Per-record variants also carry the record's original text, where it
/// could be read, for reject files.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The file could not be opened or read.
    #[error("{at}: cannot read the file: {source}; check that the path is right and readable")]
    Io {
        /// Where.
        at: Location,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// The file (or one NDJSON line / CSV row) is not valid UTF-8.
    #[error(
        "{at}: invalid UTF-8 (byte 0x{byte:02X}); export files must be UTF-8: re-encode the file (e.g. `iconv -f LATIN1 -t UTF-8`) or re-export it"
    )]
    Encoding {
        /// Where the first invalid byte is.
        at: Location,
        /// The first invalid byte.
        byte: u8,
        /// The record's bytes, when the problem is confined to one record.
        raw: Option<RawText>,
    },

    /// The input is text in another Unicode encoding (UTF-16 or UTF-32, told by its byte
    /// order mark or its NUL bytes): re-encoded, it would read.
    #[error(
        "{at}: the file is {encoding} text; export files must be UTF-8: re-encode it (e.g. `iconv -f {iconv} -t UTF-8 FILE > FILE.utf8`) or re-export it",
        iconv = encoding.split(' ').next().unwrap_or(encoding)
    )]
    WrongEncoding {
        /// The input.
        at: Location,
        /// E.g. `UTF-16 (little-endian)`: see [`crate::limits::wide_encoding`].
        encoding: &'static str,
    },

    /// The input has no content at all, or only whitespace.
    #[error(
        "{at}: the file {}: there are no user records to read; check that the export finished and that the path is right",
        if *blank { "holds only whitespace" } else { "is empty" }
    )]
    Empty {
        /// The input.
        at: Location,
        /// Whitespace, rather than nothing at all.
        blank: bool,
    },

    /// The input reads to its end but holds no user record: a CSV header alone, an empty
    /// `users` array, `[]`. For a source this is no answer (an export job that died part-way
    /// looks so): a login fails closed on it (R5), an import refuses it, `doctor` reports it.
    #[error(
        "{at}: no user records: the file holds {}; check that the export finished and that the path is right",
        match format {
            ExportFormat::Csv => "a header row and no data rows",
            ExportFormat::Auth0Ndjson => "no user lines",
            _ => "an empty users array",
        }
    )]
    NoRecords {
        /// The input.
        at: Location,
        /// The format it was read as.
        format: ExportFormat,
    },

    /// Malformed JSON or CSV, including a truncated file.
    #[error("{at}: malformed {format} file: {problem}; {fix}")]
    Syntax {
        /// Where.
        at: Location,
        /// Which format was being read.
        format: ExportFormat,
        /// What is wrong (no field values).
        problem: String,
        /// How to fix it.
        fix: &'static str,
        /// The record's text, for an NDJSON line that is not valid JSON.
        raw: Option<RawText>,
    },

    /// Valid JSON (or CSV) that does not have the format's shape, e.g. `users`
    /// is not an array or a field has the wrong type.
    #[error("{at}: not a valid {format} export ({}): {problem}; {fix}", format.source_name())]
    Shape {
        /// Where.
        at: Location,
        /// Which format was being read.
        format: ExportFormat,
        /// What is wrong (no field values).
        problem: String,
        /// How to fix it.
        fix: &'static str,
        /// The record's text, when the problem is in one record.
        raw: Option<RawText>,
    },

    /// A record has no usable identifier (no email and no username).
    #[error(
        "{at}: the {format} user record{} has no {field}; add one to the record or remove the record",
        external_id.as_deref().map(|id| format!(" with id {id:?}")).unwrap_or_default()
    )]
    MissingField {
        /// Where the record starts.
        at: Location,
        /// Which format was being read.
        format: ExportFormat,
        /// What is missing, e.g. "email or username".
        field: &'static str,
        /// The record's id (localId, user_id, id, sub, Username), if it has one.
        external_id: Option<String>,
        /// The record's text.
        raw: Option<RawText>,
    },

    /// The content does not look like any supported export format.
    #[error(
        "{at}: cannot tell the export format from the content: {reason}; pass --format NAME with one of: {}",
        ExportFormat::NAMES.join(", ")
    )]
    UnknownFormat {
        /// The file.
        at: Location,
        /// What was seen.
        reason: String,
    },

    /// A CSV row has a different number of fields than the header.
    #[error("{at}: CSV row has {found} fields but the header has {expected}; {}", field_count_fix(*expected, *found))]
    FieldCount {
        /// Where the row starts.
        at: Location,
        /// Fields in the header.
        expected: usize,
        /// Fields in this row.
        found: usize,
        /// The row's text.
        raw: Option<RawText>,
    },
}

fn field_count_fix(expected: usize, found: usize) -> &'static str {
    if found > expected {
        "a value that contains commas (such as a PHC hash `$argon2id$v=19$m=65536,t=2,p=1$...`) must be enclosed in double quotes: quote the field"
    } else {
        "every row needs one value per header column: keep the commas of empty cells"
    }
}

impl ExportError {
    /// Where the problem is.
    pub fn location(&self) -> &Location {
        match self {
            ExportError::Io { at, .. }
            | ExportError::Encoding { at, .. }
            | ExportError::Syntax { at, .. }
            | ExportError::Shape { at, .. }
            | ExportError::MissingField { at, .. }
            | ExportError::UnknownFormat { at, .. }
            | ExportError::Empty { at, .. }
            | ExportError::NoRecords { at, .. }
            | ExportError::WrongEncoding { at, .. }
            | ExportError::FieldCount { at, .. } => at,
        }
    }

    /// The reason code an import reports the record under: `invalid_identifier` for a
    /// record without an identifier (its email and username absent or empty, F21), as for
    /// one the identifier rules refuse (R6); `unreadable` for any other.
    pub fn reason(&self) -> &'static str {
        match self {
            ExportError::MissingField { .. } => "invalid_identifier",
            _ => "unreadable",
        }
    }

    /// The export file.
    pub fn path(&self) -> &Path {
        &self.location().path
    }

    /// The 1-based line, where known.
    pub fn line(&self) -> Option<u64> {
        self.location().line
    }

    /// The 1-based byte column, where known.
    pub fn column(&self) -> Option<u64> {
        self.location().column
    }

    /// The original bytes of the rejected record, where it could be read (for a
    /// reject file in the input's own format): exactly as in the input, also when
    /// they are not UTF-8.
    pub fn raw(&self) -> Option<&[u8]> {
        match self {
            ExportError::Syntax { raw, .. }
            | ExportError::Shape { raw, .. }
            | ExportError::MissingField { raw, .. }
            | ExportError::Encoding { raw, .. }
            | ExportError::FieldCount { raw, .. } => raw.as_ref().map(|r| r.0.as_slice()),
            _ => None,
        }
    }

    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        ExportError::Io {
            at: Location::file(path),
            source,
        }
    }

    /// A shape error; `line` where known; `raw` for a problem in one record
    /// (which then gets a per-record fix).
    pub(crate) fn shape(
        path: &Path,
        line: Option<u64>,
        format: ExportFormat,
        problem: impl Into<String>,
        raw: Option<String>,
    ) -> Self {
        ExportError::Shape {
            at: Location {
                path: path.to_path_buf(),
                line,
                column: None,
            },
            format,
            problem: problem.into(),
            fix: if raw.is_some() {
                "correct this record or remove it (the other records are still read)"
            } else {
                shape_fix(format)
            },
            raw: raw.map(|r| RawText(r.into_bytes())),
        }
    }
}

fn shape_fix(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Firebase => {
            "export the users with `firebase auth:export FILE --format=json`, or pass the right --format"
        }
        ExportFormat::Auth0Json => {
            "the file must be a JSON array of user objects as in Auth0's bulk user import schema, or pass the right --format"
        }
        ExportFormat::Auth0Ndjson => {
            "the file must hold one JSON user object per line, as an Auth0 user export job writes it, or pass the right --format"
        }
        ExportFormat::Keycloak => {
            "export the realm with its users (`kc.sh export --realm NAME --file FILE --users realm_file`), or pass the right --format"
        }
        ExportFormat::Cognito => {
            "save the output of `aws cognito-idp list-users --user-pool-id ID` as JSON, or pass the right --format"
        }
        ExportFormat::Csv => {
            "the first row must be a header naming the columns, with an `email` column, or pass the right --format"
        }
    }
}
