//! Users: listed in pages, shown, created (native, R13), their metadata set (R7), exported.

use super::{bad_body, query_flag, query_number, query_value};
use crate::State;
use crate::auth::Request;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State as Shared};
use axum::http::StatusCode;
use axum::response::Response;
use pools_core::api_token::Access;
use pools_core::secret::Secret;
use pools_core::service::Environment;
use pools_core::service::environment::{CreateUser, MAX_USERS_PAGE, UsersQuery};
use pools_core::service::wire;
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
pub(super) async fn create(
    Shared(s): Shared<State>,
    req: Request,
    body: Result<Json<wire::CreateUserBody>, JsonRejection>,
) -> Response {
    let call = begin!(s, req, Access::Write);
    let r = match body {
        Err(e) => Err(bad_body(e)),
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
pub(super) async fn set_metadata(
    Shared(s): Shared<State>,
    Path(identifier): Path<String>,
    req: Request,
    body: Result<Json<serde_json::Map<String, serde_json::Value>>, JsonRejection>,
) -> Response {
    let call = begin!(s, req, Access::Write);
    let r = match body {
        Err(e) => Err(bad_body(e)),
        Ok(Json(changes)) => call.env().set_user_metadata(&identifier, &changes).await,
    };
    call.answer(r, StatusCode::OK)
}
