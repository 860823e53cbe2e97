//! Streaming readers for the user export files of other identity providers:
//!
//! | name | source format |
//! | --- | --- |
//! | `firebase` | Firebase CLI auth:export JSON (`{"users": [...]}`) |
//! | `auth0-json` | Auth0 bulk user import schema (JSON array of users) |
//! | `auth0-ndjson` | Auth0 user export job NDJSON (one user per line, no hashes) |
//! | `keycloak` | Keycloak realm export (`users` array of the realm JSON) |
//! | `cognito` | AWS CLI cognito-idp list-users output (`{"Users": [...]}`) |
//! | `csv` | RFC 4180 CSV with header (`email`, `password_hash`, `tenant_id`, ...) |
//!
//! [`read`] streams the users of a file to a callback in file order with flat
//! memory: JSON documents are walked with a serde visitor that takes each user
//! as a raw JSON value, NDJSON and CSV are read record by record. Every record
//! and every error carries its 1-based line. Credentials are passed on
//! uninterpreted ([`RawCredential`]) and are never printed by `Debug` or error
//! messages.

#![warn(missing_docs)]

mod csv_file;
mod detect;
mod error;
mod json_doc;
mod ndjson;
mod profile;
mod records;
pub(crate) use records::type_name;
#[cfg(test)]
mod tests;
mod text;

use std::fmt;
use std::ops::ControlFlow;
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use detect::detect;
pub use error::{ExportError, Location, RawText};
pub use profile::Profile;
pub use records::firebase_profile;
pub use text::Input;
pub(crate) use text::skip_line;

/// The export formats understood by [`read`]: Firebase CLI auth:export JSON,
/// Auth0 bulk user import schema, Auth0 user export job NDJSON, Keycloak realm
/// export, AWS CLI cognito-idp list-users output and RFC 4180 CSV with header.
///
/// Parsed from and displayed as `firebase`, `auth0-json`, `auth0-ndjson`,
/// `keycloak`, `cognito`, `csv` (the same names in serde).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    /// Firebase CLI auth:export JSON: `{"users": [...]}`, hashes are Firebase's
    /// modified scrypt (base64 `passwordHash` and `salt`).
    Firebase,
    /// Auth0 bulk user import schema: a JSON array of users with
    /// `password_hash` or `custom_password_hash`.
    Auth0Json,
    /// Auth0 user export job NDJSON: one user object per line, without hashes.
    Auth0Ndjson,
    /// Keycloak realm export: the realm JSON whose `users` array holds
    /// credentials with `secretData` and `credentialData` JSON strings.
    Keycloak,
    /// AWS CLI cognito-idp list-users output: `{"Users": [...]}` (or the bare
    /// array of `--query Users`), without hashes.
    Cognito,
    /// RFC 4180 CSV with header: `email` (required), `password_hash` (crypt or
    /// PHC string), `tenant_id`, other columns are profile attributes.
    Csv,
}

impl ExportFormat {
    /// Every format (Firebase CLI auth:export JSON, Auth0 bulk user import
    /// schema, Auth0 user export job NDJSON, Keycloak realm export, AWS CLI
    /// cognito-idp list-users output, RFC 4180 CSV with header), in the order of
    /// [`ExportFormat::NAMES`].
    pub const ALL: [ExportFormat; 6] = [
        ExportFormat::Firebase,
        ExportFormat::Auth0Json,
        ExportFormat::Auth0Ndjson,
        ExportFormat::Keycloak,
        ExportFormat::Cognito,
        ExportFormat::Csv,
    ];

    /// The names accepted by `FromStr` and `--format`: `firebase` (Firebase CLI
    /// auth:export JSON), `auth0-json` (Auth0 bulk user import schema),
    /// `auth0-ndjson` (Auth0 user export job NDJSON), `keycloak` (Keycloak realm
    /// export), `cognito` (AWS CLI cognito-idp list-users output), `csv`
    /// (RFC 4180 CSV with header).
    pub const NAMES: [&'static str; 6] = [
        "firebase",
        "auth0-json",
        "auth0-ndjson",
        "keycloak",
        "cognito",
        "csv",
    ];

    /// The `--format` name, e.g. `auth0-json` for the Auth0 bulk user import
    /// schema.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Firebase => "firebase",
            ExportFormat::Auth0Json => "auth0-json",
            ExportFormat::Auth0Ndjson => "auth0-ndjson",
            ExportFormat::Keycloak => "keycloak",
            ExportFormat::Cognito => "cognito",
            ExportFormat::Csv => "csv",
        }
    }

    /// What a file of this format holds when it has no user record (a header alone, an
    /// empty users array), for messages: `a header row and no data rows`.
    pub fn no_records(self) -> &'static str {
        match self {
            ExportFormat::Csv => "a header row and no data rows",
            ExportFormat::Auth0Ndjson => "no user lines",
            ExportFormat::Firebase
            | ExportFormat::Auth0Json
            | ExportFormat::Keycloak
            | ExportFormat::Cognito => "an empty users array",
        }
    }

    /// The documented source format, e.g. "Firebase CLI auth:export JSON".
    pub fn source_name(self) -> &'static str {
        match self {
            ExportFormat::Firebase => "Firebase CLI auth:export JSON",
            ExportFormat::Auth0Json => "Auth0 bulk user import schema",
            ExportFormat::Auth0Ndjson => "Auth0 user export job NDJSON",
            ExportFormat::Keycloak => "Keycloak realm export",
            ExportFormat::Cognito => "AWS CLI cognito-idp list-users output",
            ExportFormat::Csv => "RFC 4180 CSV with header",
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A `--format` name that is none of `firebase` (Firebase CLI auth:export
/// JSON), `auth0-json` (Auth0 bulk user import schema), `auth0-ndjson` (Auth0
/// user export job NDJSON), `keycloak` (Keycloak realm export), `cognito` (AWS
/// CLI cognito-idp list-users output), `csv` (RFC 4180 CSV with header).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown export format {name:?}; valid formats: {}", ExportFormat::NAMES.join(", "))]
pub struct UnknownFormatName {
    /// The name given.
    pub name: String,
}

impl FromStr for ExportFormat {
    type Err = UnknownFormatName;

    /// Parses a `--format` name (ASCII case-insensitive, surrounding blanks
    /// ignored) into one of the formats: Firebase CLI auth:export JSON, Auth0
    /// bulk user import schema, Auth0 user export job NDJSON, Keycloak realm
    /// export, AWS CLI cognito-idp list-users output, RFC 4180 CSV with header.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        ExportFormat::ALL
            .into_iter()
            .find(|f| crate::keyword::is(wanted, f.name()))
            .ok_or_else(|| UnknownFormatName {
                name: s.to_string(),
            })
    }
}

/// A credential as found in an export file (Firebase CLI auth:export JSON,
/// Auth0 bulk user import schema, Keycloak realm export, RFC 4180 CSV with
/// header), not yet interpreted: another module turns it into a verifier.
///
/// `Debug` prints no hash or salt material.
#[derive(Clone, PartialEq)]
pub enum RawCredential {
    /// A modular crypt, PHC or Django hash string: Auth0 bulk user import
    /// schema `password_hash`, CSV `password_hash`.
    Crypt(String),
    /// Firebase CLI auth:export JSON `passwordHash` and `salt`, base64 as
    /// exported; verifying needs the project's hash config (modified scrypt).
    FirebaseScrypt {
        /// `passwordHash`, base64.
        hash: String,
        /// `salt`, base64 (empty if the record has none).
        salt: String,
    },
    /// Keycloak realm export password credential: its `secretData` (value,
    /// salt) and `credentialData` (algorithm, iterations) JSON strings as
    /// exported. Pre-11 exports (`hashedSaltedValue`, `salt`, `hashIterations`,
    /// `algorithm`) are rewritten into the same two JSON strings.
    Keycloak {
        /// `secretData`, a JSON object as a string.
        secret_data: String,
        /// `credentialData`, a JSON object as a string.
        credential_data: String,
    },
    /// Auth0 bulk user import schema `custom_password_hash` object
    /// (`algorithm`, `hash {value, encoding, digest, key}`, `salt {...}`, ...).
    Auth0Custom(serde_json::Value),
    /// No credential in the record, and why.
    None(NoCredential),
}

impl RawCredential {
    /// A short name of the kind of credential: `crypt`, `firebase-scrypt`,
    /// `keycloak`, `auth0-custom`, or for none `not-exported`,
    /// `federated-only`, `password-change-required`, `missing`.
    pub fn kind(&self) -> &'static str {
        match self {
            RawCredential::Crypt(_) => "crypt",
            RawCredential::FirebaseScrypt { .. } => "firebase-scrypt",
            RawCredential::Keycloak { .. } => "keycloak",
            RawCredential::Auth0Custom(_) => "auth0-custom",
            RawCredential::None(NoCredential::NotExported) => "not-exported",
            RawCredential::None(NoCredential::FederatedOnly { .. }) => "federated-only",
            RawCredential::None(NoCredential::PasswordChangeRequired) => "password-change-required",
            RawCredential::None(NoCredential::Missing) => "missing",
        }
    }

    /// Whether the record carries a password hash.
    pub fn is_some(&self) -> bool {
        !matches!(self, RawCredential::None(_))
    }
}

impl fmt::Debug for RawCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const HIDDEN: &str = "********";
        match self {
            RawCredential::Crypt(_) => write!(f, "Crypt({HIDDEN})"),
            RawCredential::FirebaseScrypt { .. } => {
                write!(f, "FirebaseScrypt {{ hash: {HIDDEN}, salt: {HIDDEN} }}")
            }
            RawCredential::Keycloak { .. } => write!(
                f,
                "Keycloak {{ secret_data: {HIDDEN}, credential_data: {HIDDEN} }}"
            ),
            RawCredential::Auth0Custom(v) => {
                let algorithm = v.get("algorithm").and_then(|a| a.as_str()).unwrap_or("?");
                write!(f, "Auth0Custom {{ algorithm: {algorithm:?}, {HIDDEN} }}")
            }
            RawCredential::None(why) => f.debug_tuple("None").field(why).finish(),
        }
    }
}

/// Why a record of an export file has no credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoCredential {
    /// The source never exports hashes: AWS CLI cognito-idp list-users output,
    /// Auth0 user export job NDJSON.
    NotExported,
    /// The user signs in only through these identity providers (Firebase CLI
    /// auth:export JSON `providerUserInfo[].providerId`, Keycloak realm export
    /// `federatedIdentities[].identityProvider`, Cognito `EXTERNAL_PROVIDER`).
    FederatedOnly {
        /// Provider ids, e.g. `google.com`.
        providers: Vec<String>,
    },
    /// AWS CLI cognito-idp list-users output status `FORCE_CHANGE_PASSWORD` or
    /// `RESET_REQUIRED`: the user has no usable password yet.
    PasswordChangeRequired,
    /// The format can carry a hash but this record has none.
    Missing,
}

impl fmt::Display for NoCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoCredential::NotExported => {
                f.write_str("this export format carries no password hashes")
            }
            NoCredential::FederatedOnly { providers } => {
                write!(f, "the user signs in only through {}", providers.join(", "))
            }
            NoCredential::PasswordChangeRequired => {
                f.write_str("the user must set a password at the source first")
            }
            NoCredential::Missing => f.write_str("the record has no password hash"),
        }
    }
}

/// One user of an export file (Firebase CLI auth:export JSON, Auth0 bulk user
/// import schema, Auth0 user export job NDJSON, Keycloak realm export, AWS CLI
/// cognito-idp list-users output, RFC 4180 CSV with header).
///
/// `Debug` prints neither the credential nor `raw` (which holds the hash).
#[derive(Clone, PartialEq)]
pub struct ExportRecord {
    /// 1-based line of the file where this record starts.
    pub line: u64,
    /// The email if present, else the username (Keycloak `username`, Cognito
    /// `Username`, Auth0 `username`), as written (no normalisation).
    pub identifier: String,
    /// Other login names of the same user (Auth0/Keycloak `username` when the
    /// identifier is the email; Cognito `Username` unless it is the `sub`, and
    /// `preferred_username`).
    pub aliases: Vec<String>,
    /// The source's user id: Firebase `localId`, Auth0 `user_id`, Keycloak
    /// `id`, Cognito `sub` (else `Username`); none for CSV.
    pub external_id: Option<String>,
    /// Firebase `disabled`, Auth0 `blocked`, Keycloak `enabled: false`,
    /// Cognito `Enabled: false`.
    pub disabled: bool,
    /// The password credential as exported.
    pub credential: RawCredential,
    /// Attributes for tenant lookup by dotted path and attribute sync:
    /// Firebase: the record without `passwordHash`/`salt`, `customAttributes`
    /// parsed into an object and its keys also merged at the top level
    /// (record fields win); Auth0: the record without `password_hash`,
    /// `custom_password_hash` and `mfa_factors`; Keycloak: the record without
    /// `credentials`; Cognito: `Attributes` as Name -> Value plus `Username`,
    /// `Enabled`, `UserStatus`; CSV: every column but `password_hash`, as
    /// strings, empty cells omitted.
    pub profile: Profile,
    /// The record's original text (the JSON object, NDJSON line or CSV row
    /// without its line end), for a reject file in the input's own format.
    pub raw: String,
}

impl fmt::Debug for ExportRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExportRecord")
            .field("line", &self.line)
            .field("identifier", &self.identifier)
            .field("aliases", &self.aliases)
            .field("external_id", &self.external_id)
            .field("disabled", &self.disabled)
            .field("credential", &self.credential)
            .field("profile", &self.profile)
            .field("raw", &format_args!("<{} bytes>", self.raw.len()))
            .finish()
    }
}

/// What [`read`] went through: the format read (Firebase CLI auth:export
/// JSON, Auth0 bulk user import schema, Auth0 user export job NDJSON, Keycloak
/// realm export, AWS CLI cognito-idp list-users output, RFC 4180 CSV with
/// header) and how many records and per-record errors were passed to the
/// callback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadSummary {
    /// The format read (given or detected).
    pub format: ExportFormat,
    /// Records passed to the callback as `Ok`.
    pub records: u64,
    /// Per-record errors passed to the callback as `Err`.
    pub record_errors: u64,
}

/// Reads an export file (Firebase CLI auth:export JSON, Auth0 bulk user import
/// schema, Auth0 user export job NDJSON, Keycloak realm export, AWS CLI
/// cognito-idp list-users output, RFC 4180 CSV with header) and streams its
/// users to `on_record` in file order, with flat memory whatever the size.
///
/// `format` `None` detects the format from the content ([`detect`]).
///
/// Problems confined to one record (an NDJSON line that is not JSON or not
/// UTF-8, a record without email/username, a CSV row with the wrong number of
/// fields, a wrongly typed field) are passed to `on_record` as `Err` and
/// reading goes on. Problems after which nothing more can be read (truncated
/// or malformed JSON document, invalid UTF-8 inside a JSON document, no
/// `users` key, no CSV header) are returned as `Err`; records before them
/// have been passed already. A file read to its end without a single record
/// (a CSV header alone, an empty users array) is [`ExportError::NoRecords`]:
/// no consumer may take it for a source without users. `ControlFlow::Break`
/// from `on_record` stops reading at once and returns `Ok`.
pub fn read(
    path: &Path,
    format: Option<ExportFormat>,
    on_record: impl FnMut(Result<ExportRecord, ExportError>) -> ControlFlow<()>,
) -> Result<ReadSummary, ExportError> {
    read_input(Input::open(path)?, format, on_record)
}

/// [`read`] on an input opened already (stdin, a FIFO): it is read once, the format
/// detected from its first bytes, which the reader then reads again from memory.
///
/// Errors: as [`read`]; an input with no content, or only whitespace, is
/// [`ExportError::Empty`] whatever the format, one with content but no record
/// [`ExportError::NoRecords`].
pub fn read_input(
    input: Input,
    format: Option<ExportFormat>,
    on_record: impl FnMut(Result<ExportRecord, ExportError>) -> ControlFlow<()>,
) -> Result<ReadSummary, ExportError> {
    read_with(input, format, false, on_record)
}

/// [`read_input`] for a consumer that must not act on part of a document it cannot read to
/// its end (an import commits rows as they come): a JSON document (Firebase CLI auth:export
/// JSON, Auth0 bulk user import schema, Keycloak realm export, AWS CLI cognito-idp
/// list-users output) is first read whole by a pass that builds nothing, so an error that
/// stops the read (a `users` key written twice, a syntax error, a truncated file, invalid
/// UTF-8 outside a record) is returned before the first record is passed to `on_record`. A
/// regular file is read twice through the handle it was opened with; a stream (stdin, a
/// FIFO) is kept in an unlinked temporary file as the first pass reads it. NDJSON and CSV
/// are read once: their records are lines and rows, each readable or refused on its own.
///
/// Errors: as [`read_input`].
pub fn read_input_checked(
    input: Input,
    format: Option<ExportFormat>,
    on_record: impl FnMut(Result<ExportRecord, ExportError>) -> ControlFlow<()>,
) -> Result<ReadSummary, ExportError> {
    read_with(input, format, true, on_record)
}

/// [`read_input`]; `check_first`: as [`read_input_checked`].
fn read_with(
    mut input: Input,
    format: Option<ExportFormat>,
    check_first: bool,
    mut on_record: impl FnMut(Result<ExportRecord, ExportError>) -> ControlFlow<()>,
) -> Result<ReadSummary, ExportError> {
    input.refuse_empty()?;
    let format = match format {
        Some(format) => format,
        None => input.detect()?,
    };
    let path = input.path().to_path_buf();
    let mut sink = Sink {
        path: &path,
        format,
        source: Some(input),
        start: 0,
        check_first,
        on_record: &mut on_record,
        records: 0,
        record_errors: 0,
    };
    match format {
        ExportFormat::Csv => csv_file::read(&mut sink)?,
        ExportFormat::Auth0Ndjson => ndjson::read(&mut sink)?,
        ExportFormat::Firebase
        | ExportFormat::Auth0Json
        | ExportFormat::Keycloak
        | ExportFormat::Cognito => json_doc::read(&mut sink)?,
    }
    // Read to the end without one record (a stop from `on_record` follows a record).
    if sink.records + sink.record_errors == 0 {
        return Err(ExportError::NoRecords {
            at: Location::file(&path),
            format,
        });
    }
    Ok(ReadSummary {
        format,
        records: sink.records,
        record_errors: sink.record_errors,
    })
}

/// Where the readers of all formats deliver records: counts them and calls the
/// user's callback.
pub(crate) struct Sink<'a> {
    pub path: &'a Path,
    pub format: ExportFormat,
    source: Option<Input>,
    /// The file offset of the source's first byte (3 after a UTF-8 BOM), once it is taken.
    pub start: u64,
    /// A JSON document is read whole before its first record is handed on
    /// ([`read_input_checked`]).
    pub check_first: bool,
    on_record: &'a mut dyn FnMut(Result<ExportRecord, ExportError>) -> ControlFlow<()>,
    records: u64,
    record_errors: u64,
}

impl Sink<'_> {
    /// The input's bytes, from the first after its BOM; taken once by the reader.
    /// Sets [`Sink::start`].
    pub(crate) fn source(&mut self) -> Result<text::Source, ExportError> {
        self.input()?.into_source()
    }

    /// The input itself, for a reader that reads it more than once
    /// ([`Input::check_whole`]), then [`Input::into_source`]; taken once. Sets
    /// [`Sink::start`].
    pub(crate) fn input(&mut self) -> Result<Input, ExportError> {
        let mut input = self.source.take().expect("a reader takes the input once");
        self.start = input.bom_len()?;
        Ok(input)
    }

    /// Passes one record or per-record error on; `Break` means stop reading.
    pub(crate) fn emit(&mut self, item: Result<ExportRecord, ExportError>) -> ControlFlow<()> {
        match item {
            Ok(_) => self.records += 1,
            Err(_) => self.record_errors += 1,
        }
        (self.on_record)(item)
    }
}
