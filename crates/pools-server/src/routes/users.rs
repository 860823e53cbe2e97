//! Users: listed in pages, shown, created (native, R13), their metadata set (R7), exported.

use super::{query_flag, query_number, query_value};
use crate::State;
use crate::auth::Request;
use crate::problem::{PROBLEM_JSON, ProblemDocument};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State as Shared};
use axum::http::StatusCode;
use axum::response::Response;
use pools_core::api_token::Access;
use pools_core::secret::Secret;
use pools_core::service::Environment;
use pools_core::service::environment::UserView;
use pools_core::service::environment::{CreateUser, MAX_USERS_PAGE, UsersQuery};
use pools_core::service::wire;
use pools_core::user::User;
use pools_core::user::{Origin, Page, UserFilter};

/// The page a query asks: `pool=NAME`, `origin=ORIGIN`, `after=KEY` (the `next` of the
/// previous page), `limit=N` (at most [`MAX_USERS_PAGE`], the default).
fn users_query(query: Option<&str>) -> Result<UsersQuery, pools_core::Error> {
    Ok(UsersQuery {
        filter: UserFilter {
            pool: query_value(query, "pool")?,
            origin: query_value(query, "origin")?
                .map(|o| Origin::parse(&o))
                .transpose()?,
        },
        page: Page {
            after: query_value(query, "after")?,
            limit: Some(
                query_number(query, "limit")?
                    .unwrap_or(MAX_USERS_PAGE)
                    .min(MAX_USERS_PAGE),
            ),
        },
    })
}

/// `GET /v1/users`: one page of users in identifier order (never a hash, R11).
#[utoipa::path(get, path = "/v1/users", operation_id = "listUsers", tag = "users",
    params(
        ("pool" = Option<String>, Query, description = "Only the users of this pool (owned or given)."),
        ("origin" = Option<Origin>, Query, description = "Only the users of this origin."),
        ("after" = Option<String>, Query, description = "The `next` of the previous page."),
        ("limit" = Option<u64>, Query, description = "At most this many users (and at most 1000, the default)."),
    ),
    responses(
        (status = 200, description = "One page of users in identifier order, never a password hash (R11).", body = wire::UsersPageBody<User>),
        (status = 404, description = "The pool filter names no pool, nor one that left users.", body = ProblemDocument, content_type = PROBLEM_JSON),
    ))]
pub(super) async fn list(Shared(s): Shared<State>, req: Request) -> Response {
    let query = req.query.clone();
    let call = begin!(s, req, Access::Read);
    let r = match users_query(query.as_deref()) {
        Err(e) => Err(e),
        Ok(q) => call.env().users(&q).await.map(|p| wire::UsersPageBody {
            users: p.users,
            next: p.next.map(|c| c.0),
        }),
    };
    call.answer(r, StatusCode::OK)
}

/// `GET /v1/users/export[?hashes=true]`: one page of users with their aliases, for a backup;
/// their password hashes only with `hashes=true` (R11: the operator's explicit ask).
#[utoipa::path(get, path = "/v1/users/export", operation_id = "exportUsers", tag = "users",
    params(
        ("pool" = Option<String>, Query, description = "Only the users of this pool (owned or given)."),
        ("origin" = Option<Origin>, Query, description = "Only the users of this origin."),
        ("after" = Option<String>, Query, description = "The `next` of the previous page."),
        ("limit" = Option<u64>, Query, description = "At most this many users (and at most 1000, the default)."),
        ("hashes" = Option<bool>, Query, description = "Include the password hashes (R11: an operator's explicit ask; an admin token)."),
    ),
    responses(
        (status = 200, description = "One page of users with their alias keys, for a backup.", body = wire::UsersPageBody<wire::ExportedUser>),
        (status = 404, description = "The pool filter names no pool, nor one that left users.", body = ProblemDocument, content_type = PROBLEM_JSON),
    ))]
pub(super) async fn export(Shared(s): Shared<State>, req: Request) -> Response {
    let query = req.query.clone();
    // Hashes are a change's business (admin); the records alone, a read's.
    let access = match query_flag(query.as_deref(), "hashes") {
        Ok(false) => Access::Read,
        _ => Access::Write,
    };
    let call = begin!(s, req, access);
    let asked = users_query(query.as_deref())
        .and_then(|q| Ok((q, query_flag(query.as_deref(), "hashes")?)));
    let r = match asked {
        Err(e) => Err(e),
        Ok((q, hashes)) => call
            .env()
            .export_users(&q, hashes)
            .await
            .map(|p| wire::UsersPageBody {
                users: p
                    .users
                    .into_iter()
                    .map(|(user, aliases)| wire::ExportedUser {
                        password_hash: hashes
                            .then(|| user.password_hash.as_ref().map(|h| h.expose().to_owned()))
                            .flatten(),
                        user,
                        aliases,
                    })
                    .collect(),
                next: p.next.map(|c| c.0),
            }),
    };
    call.answer(r, StatusCode::OK)
}

/// `GET /v1/users/{identifier}`: a user by identifier or alias.
#[utoipa::path(get, path = "/v1/users/{identifier}", operation_id = "getUser", tag = "users",
    params(("identifier" = String, Path, description = "An identifier or alias (R6: compared case-insensitively after NFC).", example = "ada@example.org")),
    responses(
        (status = 200, description = "The user, its aliases, its hash's scheme and its sign-in options (R8, R9).", body = UserView),
        (status = 404, description = "No such user.", body = ProblemDocument, content_type = PROBLEM_JSON),
    ))]
pub(super) async fn get(
    Shared(s): Shared<State>,
    Path(identifier): Path<String>,
    req: Request,
) -> Response {
    let call = begin!(s, req, Access::Read);
    let r = call.env().user(&identifier).await;
    call.answer(r, StatusCode::OK)
}

/// `POST /v1/users`: creates a native user (R13); 201 with it.
#[utoipa::path(post, path = "/v1/users", operation_id = "createUser", tag = "users",
    request_body(content = wire::CreateUserBody,
        example = json!({"identifier": "ada@example.org", "password": "correct horse battery"})),
    responses(
        (status = 201, description = "The native user created (R13).", body = User),
        (status = 409, description = "The identifier is a user's already (R6).", body = ProblemDocument, content_type = PROBLEM_JSON),
    ))]
pub(super) async fn create(
    Shared(s): Shared<State>,
    req: Request,
    body: Result<Json<wire::CreateUserBody>, JsonRejection>,
) -> Response {
    let call = begin!(s, req, Access::Write);
    let r = match body {
        Err(e) => Err(call.bad_body(e)),
        Ok(Json(b)) => {
            call.env()
                .create_user(CreateUser {
                    identifier: b.identifier,
                    password: Secret::new(b.password),
                    tenant: b.tenant,
                })
                .await
        }
    };
    call.answer(r, StatusCode::CREATED)
}

/// `PATCH /v1/users/{identifier}/metadata`: merges the body's members into the user's
/// metadata (R7); the user after.
#[utoipa::path(patch, path = "/v1/users/{identifier}/metadata", operation_id = "setUserMetadata", tag = "users",
    params(("identifier" = String, Path, description = "An identifier or alias (R6).", example = "ada@example.org")),
    request_body(content = Object, description = "The members to merge into the user's metadata; a null removes one."),
    responses(
        (status = 200, description = "The user after the change.", body = User),
        (status = 404, description = "No such user.", body = ProblemDocument, content_type = PROBLEM_JSON),
        (status = 409, description = "The user is a read-only copy of a sync pool (R7), or changed meanwhile (R12).", body = ProblemDocument, content_type = PROBLEM_JSON),
    ))]
pub(super) async fn set_metadata(
    Shared(s): Shared<State>,
    Path(identifier): Path<String>,
    req: Request,
    body: Result<Json<serde_json::Map<String, serde_json::Value>>, JsonRejection>,
) -> Response {
    let call = begin!(s, req, Access::Write);
    let r = match body {
        Err(e) => Err(call.bad_body(e)),
        Ok(Json(changes)) => call.env().set_user_metadata(&identifier, &changes).await,
    };
    call.answer(r, StatusCode::OK)
}
