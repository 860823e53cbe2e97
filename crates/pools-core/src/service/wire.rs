//! The JSON bodies of the environment API (`pools serve` and its client `--env`): the
//! requests of [`super::Environment`]'s calls and the answers that are not a library type
//! already. One definition for both sides, so they cannot drift. Secret values cross only
//! in requests (a `-` setting's value, a new user's password, a login's password), never in
//! an answer but `users export --include-hashes`'s hashes (R11: an operator's explicit ask).

use crate::pool::{PoolName, PoolSpec};
use crate::user::User;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A `-` secret setting's value (`POST /v1/pools`, `PATCH /v1/pools/{name}`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize)]
pub struct SecretValue {
    /// The setting: `client_secret`, `api_key` or `auth_header`.
    pub field: String,
    pub value: String,
}

impl std::fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretValue")
            .field("field", &self.field)
            .finish_non_exhaustive()
    }
}

/// `POST /v1/pools`: a pool to create, at a 1-based `position` (absent: last).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize, Deserialize)]
pub struct CreatePoolBody {
    pub pool: PoolSpec,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<SecretValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
}

/// `PATCH /v1/pools/{name}`: the settings given (others keep their value); the version it
/// is based on travels as `If-Match`. Lists the patch clears (`--domains none`) are named in
/// `clear`, as an empty list is not written in a spec.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize, Deserialize)]
pub struct ConfigurePoolBody {
    pub patch: PoolSpec,
    /// `allow`, `domains`: lists set to none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clear: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<SecretValue>,
    /// Replace the source of users who still need it (R10).
    #[serde(default)]
    pub force: bool,
}

/// `PUT /v1/order`: the new login order, if the order is still `expected` (R5, R12).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize, Deserialize)]
pub struct ReorderBody {
    pub order: Vec<PoolName>,
    pub expected: Vec<PoolName>,
}

/// `POST /v1/apply/plan`: the document to plan.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize, Deserialize)]
pub struct PlanBody {
    pub document: super::environment::ApplyDocument,
    #[serde(default)]
    pub prune: bool,
}

/// `POST /v1/apply`: a plan as `POST /v1/apply/plan` answered it, to carry out.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize, Deserialize)]
pub struct ApplyBody {
    pub plan: super::environment::ApplyPlan,
    #[serde(default)]
    pub force: bool,
}

/// `POST /v1/users`: a native user (R13).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize)]
pub struct CreateUserBody {
    pub identifier: String,
    pub password: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
}

/// A page of `GET /v1/users`: the users, and the cursor of the next page (`users list
/// --after`'s value) when users are left.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize, Deserialize)]
pub struct UsersPageBody<T> {
    pub users: Vec<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// One user of `GET /v1/users/export`: the record, its alias keys, and its password hash
/// when the request asked for hashes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize)]
pub struct ExportedUser {
    pub user: User,
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,
}

/// `PUT /v1/methods/{method}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize, Deserialize)]
pub struct MethodBody {
    pub enabled: bool,
}

/// `POST /v1/simulate-login`: a login to run on the engine (R14), as `simulate-login` gives
/// it; `budget_ms` is the whole login's time (R5).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize)]
pub struct SimulateLoginBody {
    pub identifier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims: Option<Map<String, Value>>,
    pub budget_ms: u64,
    #[serde(default)]
    pub commit: bool,
}

/// `POST /v1/login`: an application's login (the engine, committed).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize)]
pub struct LoginBody {
    pub identifier: String,
    pub password: String,
}

/// `GET /v1/token`'s answer: the token presented, by its name and role (never the token).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenInfo {
    /// The name the audit log records its changes by (`token:NAME`).
    pub name: String,
    pub role: crate::api_token::Role,
}

/// `POST /v1/login`'s answer: the user signed in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize, Deserialize)]
pub struct LoggedIn {
    pub id: String,
    pub identifier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    pub origin: crate::user::Origin,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
}

impl ConfigurePoolBody {
    /// The body of a configure with `patch` (whose empty lists clear them).
    pub fn new(patch: PoolSpec, secrets: Vec<SecretValue>, force: bool) -> Self {
        let mut clear = Vec::new();
        if patch.allow.as_ref().is_some_and(Vec::is_empty) {
            clear.push("allow".to_owned());
        }
        if patch.domains.as_ref().is_some_and(Vec::is_empty) {
            clear.push("domains".to_owned());
        }
        ConfigurePoolBody {
            patch,
            clear,
            secrets,
            force,
        }
    }

    /// The patch as the client made it (lists in `clear` set to empty).
    ///
    /// Errors: [`crate::Error::Invalid`] on a `clear` entry that is no list setting.
    pub fn patch(&self) -> crate::Result<PoolSpec> {
        let mut patch = self.patch.clone();
        for c in &self.clear {
            match c.as_str() {
                "allow" => patch.allow = Some(Vec::new()),
                "domains" => patch.domains = Some(Vec::new()),
                other => {
                    return Err(crate::Error::invalid(
                        "clear",
                        format!("{other:?} is not a list setting"),
                    )
                    .with_hint("clear names allow or domains"));
                }
            }
        }
        Ok(patch)
    }
}

/// One line of the NDJSON answer of `POST /v1/pools/{name}/import` (`users import`
/// through `--env`), in the import's order: `progress` and `report` lines as it goes, then
/// one `summary` (it read to the end, or was interrupted) or `stopped` (an error after rows
/// were read; the batches committed before it stay).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportEvent {
    /// First, when the server opened the input (`from=pool`).
    Head(InputHead),
    Progress(super::import::Progress),
    Report(RowReport),
    Summary(crate::import::Summary),
    Stopped(StoppedBody<crate::import::Summary>),
}

/// The start of the pool's export file as a reject file repeats it
/// ([`super::environment::ImportEvents::head`]); `first_line` in standard base64.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize, Deserialize)]
pub struct InputHead {
    pub format: crate::export::ExportFormat,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_line: Option<String>,
    pub bom: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

impl InputHead {
    /// The head of `input` read as `format` (read ahead, kept for the reader).
    ///
    /// Errors: the input's, reading it.
    pub fn of(
        input: &mut crate::export::Input,
        format: crate::export::ExportFormat,
    ) -> Result<Self, crate::export::ExportError> {
        use crate::export::ExportFormat::{Auth0Ndjson, Csv};
        use base64ct::Encoding;
        let lines = matches!(format, Csv | Auth0Ndjson);
        Ok(InputHead {
            format,
            first_line: if lines { input.first_line()? } else { None }
                .map(|l| base64ct::Base64::encode_string(&l)),
            bom: lines && input.bom_len()? > 0,
            size: std::fs::metadata(input.path())
                .ok()
                .filter(|m| m.is_file() && !input.is_stream())
                .map(|m| m.len()),
        })
    }

    /// The head as the library holds it. Errors: a first line that is not base64.
    pub fn into_head(self) -> crate::Result<super::environment::InputHead> {
        let first_line = bytes_of(self.first_line.as_deref(), "a first line")?;
        Ok(super::environment::InputHead {
            format: self.format,
            first_line,
            bom: self.bom,
            size: self.size,
        })
    }
}

/// One line of the NDJSON answer of `POST /v1/users/restore` (`users restore` through
/// `--env`): a `refused` line per record not restored, in file order, then one `summary`,
/// `stopped` or `error`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RestoreEvent {
    Refused(RefusedRecord),
    /// The backup did not start to restore (not a backup, empty): nothing was written.
    Error(crate::error::ErrorBody),
    Summary(crate::backup::restore::Summary),
    Stopped(StoppedBody<crate::backup::restore::Summary>),
}

/// A run stopped by an error: the error (as a problem document's body, RFC 9457), whether
/// a batch was committed before it, and the figures until then.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize, Deserialize)]
pub struct StoppedBody<S> {
    pub problem: crate::error::ErrorBody,
    pub committed: bool,
    pub summary: S,
}

impl<S: std::fmt::Debug> StoppedBody<S> {
    /// The stop as the library reports it.
    pub fn into_stopped(self) -> crate::error::Stopped<S> {
        crate::error::Stopped {
            error: crate::Error::from(self.problem),
            summary: Box::new(self.summary),
            committed: self.committed,
        }
    }
}

/// An import row that did not simply land ([`crate::import::Report`]), with the record's
/// original bytes in `raw` (standard base64) for the client's reject file: they go back
/// only to the client that sent them, and may hold a hash (R11: never logged).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize)]
pub struct RowReport {
    pub line: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    pub action: String,
    pub reason: String,
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
}

impl std::fmt::Debug for RowReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowReport")
            .field("line", &self.line)
            .field("action", &self.action)
            .field("reason", &self.reason)
            .finish_non_exhaustive()
    }
}

impl From<crate::import::Report> for RowReport {
    fn from(r: crate::import::Report) -> Self {
        use base64ct::Encoding;
        RowReport {
            line: r.line,
            identifier: r.identifier,
            action: r.action.to_owned(),
            reason: r.reason.to_owned(),
            detail: r.detail,
            raw: r.raw.map(|b| base64ct::Base64::encode_string(&b)),
        }
    }
}

impl RowReport {
    /// The report as the library holds it.
    ///
    /// Errors: [`crate::Error::Unavailable`] when `raw` is not base64 (not this server's
    /// answer).
    pub fn into_report(self) -> crate::Result<crate::import::Report> {
        let raw = bytes_of(self.raw.as_deref(), "a row's bytes")?;
        Ok(crate::import::Report {
            line: self.line,
            identifier: self.identifier,
            action: code(self.action),
            reason: code(self.reason),
            detail: self.detail,
            raw,
        })
    }
}

/// A backup record not restored ([`crate::backup::restore::Report`]).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Serialize, Deserialize)]
pub struct RefusedRecord {
    pub line: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    pub reason: String,
    pub detail: String,
}

impl From<crate::backup::restore::Report> for RefusedRecord {
    fn from(r: crate::backup::restore::Report) -> Self {
        RefusedRecord {
            line: r.line,
            identifier: r.identifier,
            reason: r.reason.to_owned(),
            detail: r.detail,
        }
    }
}

impl From<RefusedRecord> for crate::backup::restore::Report {
    fn from(r: RefusedRecord) -> Self {
        crate::backup::restore::Report {
            line: r.line,
            identifier: r.identifier,
            reason: code(r.reason),
            detail: r.detail,
        }
    }
}

/// The bytes `text` (standard base64) holds, `what` the answer says they are.
///
/// Errors: [`crate::Error::Unavailable`] when it is not base64 (not this server's answer).
fn bytes_of(text: Option<&str>, what: &str) -> crate::Result<Option<Vec<u8>>> {
    use base64ct::Encoding;
    text.map(base64ct::Base64::decode_vec)
        .transpose()
        .map_err(|_| crate::Error::Unavailable {
            message: format!("the server sent {what} that is not base64"),
            hint: Some("check that the server and this pools are the same version".into()),
        })
}

/// The most distinct codes [`code`] keeps.
const MAX_CODES: usize = 256;

/// A reason or action code read from a server, as the `&'static str` the library's reports
/// hold: each distinct code is kept once for the process (they are a small fixed set);
/// past [`MAX_CODES`] of them, `unknown`, so a faulty server cannot grow memory.
fn code(text: String) -> &'static str {
    static CODES: std::sync::Mutex<std::collections::BTreeSet<&'static str>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    let mut codes = CODES.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(c) = codes.get(text.as_str()) {
        return c;
    }
    if codes.len() >= MAX_CODES {
        return "unknown";
    }
    let kept: &'static str = Box::leak(text.into_boxed_str());
    codes.insert(kept);
    kept
}
