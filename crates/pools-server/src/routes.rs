//! The routes: each one authorises, calls the environment and answers JSON (or a problem).

use crate::State;
use crate::auth::Request;
use crate::auth::authorize;
use crate::problem::Problem;
use axum::extract::{Path, State as Shared};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use pools_core::api_token::Access;
use pools_core::error::ErrorKind;
use pools_core::service::Environment;

pub(crate) fn router(state: State) -> axum::Router {
    axum::Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/v1/pools", get(list_pools))
        .route("/v1/pools/{name}", get(get_pool))
        .route("/v1/audit", get(audit))
        .fallback(no_route)
        .with_state(state)
}

/// Alive: the process answers. No token needed.
async fn healthz() -> &'static str {
    "ok\n"
}

/// Ready: the store answers a read. No token needed; 503 (problem+json) when it does not.
async fn readyz(Shared(s): Shared<State>, headers: HeaderMap) -> Response {
    match s.env.pools().await {
        Ok(_) => "ready\n".into_response(),
        Err(e) => {
            let mut p = Problem::of(&e, &headers, s.flag_of_key);
            p.status = StatusCode::SERVICE_UNAVAILABLE;
            p.into_response()
        }
    }
}

/// `GET /v1/pools`: the pools in login order, each as `inspect -o json` shows it.
async fn list_pools(Shared(s): Shared<State>, req: Request) -> Result<Response, Problem> {
    authorize(&s.env, &req, Access::Read, s.flag_of_key)?;
    let pools = s
        .env
        .pools()
        .await
        .map_err(|e| req.problem(&e, s.flag_of_key))?;
    let views: Vec<_> = pools.iter().map(|p| p.view()).collect();
    Ok(axum::Json(views).into_response())
}

/// `GET /v1/pools/{name}`: the pool and its users by what deleting it would do, with the
/// pool's version as its `ETag` (R12: a change sends it back as `If-Match`).
async fn get_pool(
    Shared(s): Shared<State>,
    Path(name): Path<String>,
    req: Request,
) -> Result<Response, Problem> {
    authorize(&s.env, &req, Access::Read, s.flag_of_key)?;
    let (pool, users) = s
        .env
        .pool(&name)
        .await
        .map_err(|e| req.problem(&e, s.flag_of_key))?;
    let mut res =
        axum::Json(serde_json::json!({ "pool": pool.view(), "users": users })).into_response();
    if let Ok(tag) = HeaderValue::from_str(&etag(pool.version)) {
        res.headers_mut().insert(header::ETAG, tag);
    }
    Ok(res)
}

/// The most entries one `GET /v1/audit` answers.
const AUDIT_PAGE_MAX: u64 = 1_000;

/// `GET /v1/audit`'s query: entries at or after `since` (RFC 3339), of `pool`, after the
/// entry `after` (its `seq`), at most `limit` (and [`AUDIT_PAGE_MAX`]).
#[derive(serde::Deserialize)]
struct AuditQuery {
    since: Option<String>,
    pool: Option<String>,
    after: Option<u64>,
    limit: Option<u64>,
}

/// `GET /v1/audit`: one page of the audit log, oldest first, as `pools audit -o json` shows
/// it; a client pages on with the last entry's `seq` as `after`.
async fn audit(
    Shared(s): Shared<State>,
    req: Request,
    query: Result<axum::extract::Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Problem> {
    authorize(&s.env, &req, Access::Read, s.flag_of_key)?;
    let problem = |e: pools_core::Error| req.problem(&e, s.flag_of_key);
    let axum::extract::Query(q) = query.map_err(|e| {
        problem(
            pools_core::Error::invalid("query", e.body_text()).with_hint(
                "since=RFC3339 time, pool=NAME, after=SEQ and limit=N, each at most once",
            ),
        )
    })?;
    let since =
        q.since
            .as_deref()
            .map(|t| {
                time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
                    .map_err(|e| {
                        problem(
                            pools_core::Error::invalid("since", format!("{t:?}: {e}"))
                                .with_hint("an RFC 3339 time, e.g. 2026-12-01T00:00:00Z"),
                        )
                    })
            })
            .transpose()?;
    let filter = pools_core::audit::Filter {
        since,
        pool: q.pool,
        after: q.after,
        limit: Some(q.limit.unwrap_or(AUDIT_PAGE_MAX).min(AUDIT_PAGE_MAX)),
    };
    let entries = s.env.audit(&filter).await.map_err(problem)?;
    Ok(axum::Json(entries).into_response())
}

/// The `ETag` of a record at `version` (a strong validator, RFC 9110 §8.8.3).
pub(crate) fn etag(version: u64) -> String {
    format!("\"{version}\"")
}

async fn no_route() -> Problem {
    Problem::refusal(
        ErrorKind::NotFound,
        StatusCode::NOT_FOUND,
        "no such route".into(),
        "the routes start with /v1/ (/healthz and /readyz need no token)",
    )
}
