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
