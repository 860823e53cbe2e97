//! The operator's other calls: the audit log, sign-in methods (R8, R9), status, check,
//! doctor, and `simulate-login` (R14).

use super::{query_number, query_value, query_values};
use crate::State;
use crate::auth::Request;
use crate::problem::{PROBLEM_JSON, ProblemDocument};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State as Shared};
use axum::http::StatusCode;
use axum::response::Response;
use pools_core::api_token::Access;
use pools_core::audit::Entry;
use pools_core::doctor::Scan;
use pools_core::engine::Trace;
use pools_core::methods::Method;
use pools_core::methods::Settings;
use pools_core::secret::Secret;
use pools_core::service::Environment;
use pools_core::service::environment::LoginRequest;
use pools_core::service::environment::{MethodsChanged, PoolCheck, Status};
use pools_core::service::wire;
use pools_core::terms::Choice;

/// The most entries one `GET /v1/audit` answers.
const AUDIT_PAGE_MAX: u64 = 1_000;

/// `GET /v1/audit?since=RFC3339&pool=NAME&after=SEQ&limit=N`: one page of the audit log,
/// oldest first, as `pools audit -o json` shows it; a client pages on with the last
/// entry's `seq` as `after`.
#[utoipa::path(get, path = "/v1/audit", operation_id = "audit", tag = "operations",
    params(
        ("since" = Option<String>, Query, description = "Only entries at or after this RFC 3339 time."),
        ("pool" = Option<String>, Query, description = "Only entries about this pool."),
        ("after" = Option<u64>, Query, description = "Only entries after this `seq` (the last one of the previous page)."),
        ("limit" = Option<u64>, Query, description = "At most this many entries (and at most 1000, the default)."),
    ),
    responses(
        (status = 200, description = "One page of the audit log, oldest first; before/after never hold a secret (R11).", body = Vec<Entry>),
        (status = 404, description = "The pool filter names no pool, nor one the log knows.", body = ProblemDocument, content_type = PROBLEM_JSON),
    ))]
pub(super) async fn audit(Shared(s): Shared<State>, req: Request) -> Response {
    let query = req.query.clone();
    let call = begin!(s, req, Access::Read);
    let r = match audit_filter(query.as_deref()) {
        Err(e) => Err(e),
        Ok(f) => call.env().audit(&f).await,
    };
    call.answer(r, StatusCode::OK)
}

fn audit_filter(query: Option<&str>) -> Result<pools_core::audit::Filter, pools_core::Error> {
    let since = query_value(query, "since")?
        .map(|t| {
            time::OffsetDateTime::parse(&t, &time::format_description::well_known::Rfc3339).map_err(
                |e| {
                    pools_core::Error::invalid("since", format!("{t:?}: {e}"))
                        .with_hint("an RFC 3339 time, e.g. 2026-12-01T00:00:00Z")
                },
            )
        })
        .transpose()?;
    Ok(pools_core::audit::Filter {
        since,
        pool: query_value(query, "pool")?,
        after: query_number(query, "after")?,
        limit: Some(
            query_number(query, "limit")?
                .unwrap_or(AUDIT_PAGE_MAX)
                .min(AUDIT_PAGE_MAX),
        ),
    })
}

/// `GET /v1/methods`: the sign-in methods enabled.
#[utoipa::path(get, path = "/v1/methods", operation_id = "methods", tag = "operations",
    responses((status = 200, description = "The sign-in methods enabled (R8, R9).", body = Settings)))]
pub(super) async fn methods(Shared(s): Shared<State>, req: Request) -> Response {
    let call = begin!(s, req, Access::Read);
    let r = call.env().methods().await;
    call.answer(r, StatusCode::OK)
}

/// `PUT /v1/methods/{method}` with `{"enabled": BOOL}`: the methods after, and how many
/// users stored externally cannot use the method just enabled (R8).
#[utoipa::path(put, path = "/v1/methods/{method}", operation_id = "setMethod", tag = "operations",
    params(("method" = Method, Path, description = "The sign-in method.")),
    request_body(content = wire::MethodBody, example = json!({"enabled": true})),
    responses((status = 200, description = "The methods after, and how many users stored externally cannot use the method just enabled (R8).", body = MethodsChanged)))]
pub(super) async fn set_method(
    Shared(s): Shared<State>,
    Path(method): Path<String>,
    req: Request,
    body: Result<Json<wire::MethodBody>, JsonRejection>,
) -> Response {
    let call = begin!(s, req, Access::Write);
    let r = match (Method::from_name(&method), body) {
        (None, _) => Err(pools_core::Error::invalid(
            "method",
            format!("{method:?} is not a sign-in method"),
        )
        .with_hint(format!(
            "one of {}",
            Method::ALL
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
        (_, Err(e)) => Err(call.bad_body(e)),
        (Some(m), Ok(Json(b))) => call.env().set_method(m, b.enabled).await,
    };
    call.answer(r, StatusCode::OK)
}

/// `GET /v1/status`: migration progress per pool.
#[utoipa::path(get, path = "/v1/status", operation_id = "status", tag = "operations",
    responses((status = 200, description = "Migration progress per pool.", body = Status)))]
pub(super) async fn status(Shared(s): Shared<State>, req: Request) -> Response {
    let call = begin!(s, req, Access::Read);
    let r = call.env().status().await;
    call.answer(r, StatusCode::OK)
}

/// `POST /v1/check?pool=NAME...`: probes the pools named (none: every pool) for their
/// prerequisites; it asks live sources, so it is an operator's call.
#[utoipa::path(post, path = "/v1/check", operation_id = "check", tag = "operations",
    params(("pool" = Option<Vec<String>>, Query, explode = true, description = "The pools to probe (repeatable); none: every pool.")),
    responses(
        (status = 200, description = "Each pool's prerequisites as probed, and the requests made.", body = Vec<PoolCheck>),
        (status = 404, description = "A name that is no pool.", body = ProblemDocument, content_type = PROBLEM_JSON),
    ))]
pub(super) async fn check(Shared(s): Shared<State>, req: Request) -> Response {
    let only = query_values(req.query.as_deref(), "pool");
    let call = begin!(s, req, Access::Write);
    let r = call.env().check(&only).await;
    call.answer(r, StatusCode::OK)
}

/// `GET /v1/doctor?pool=NAME...`: scans the export pools named (none: every one) and the
/// store.
#[utoipa::path(get, path = "/v1/doctor", operation_id = "doctor", tag = "operations",
    params(("pool" = Option<Vec<String>>, Query, explode = true, description = "The export pools to scan (repeatable); none: every one.")),
    responses(
        (status = 200, description = "What the scan of the export files and the store found.", body = Scan),
        (status = 404, description = "A name that is no pool.", body = ProblemDocument, content_type = PROBLEM_JSON),
    ))]
pub(super) async fn doctor(Shared(s): Shared<State>, req: Request) -> Response {
    let only = query_values(req.query.as_deref(), "pool");
    let call = begin!(s, req, Access::Read);
    let r = call.env().doctor(&only).await;
    call.answer(r, StatusCode::OK)
}

/// The longest login budget a rehearsal may ask: `simulate-login --budget-ms`'s.
pub(super) const MAX_BUDGET_MS: u64 = 600_000;

/// `POST /v1/simulate-login`: runs a login on the engine for an operator, its trace of every
/// step (R14); written only with `commit`.
#[utoipa::path(post, path = "/v1/simulate-login", operation_id = "simulateLogin", tag = "logins",
    request_body(content = wire::SimulateLoginBody,
        example = json!({"identifier": "ada@example.org", "password": "correct horse battery", "budget_ms": 5000})),
    responses((status = 200, description = "The login's trace, step by step (R14); written only with `commit`.", body = Trace)))]
pub(super) async fn simulate_login(
    Shared(s): Shared<State>,
    req: Request,
    body: Result<Json<wire::SimulateLoginBody>, JsonRejection>,
) -> Response {
    let call = begin!(s, req, Access::Write);
    let r = match body {
        Err(e) => Err(call.bad_body(e)),
        Ok(Json(b)) if b.budget_ms == 0 || b.budget_ms > MAX_BUDGET_MS => {
            Err(pools_core::Error::invalid(
                "budget_ms",
                format!("{} is outside 1..={MAX_BUDGET_MS}", b.budget_ms),
            )
            .with_hint("a login's budget within the server's request time limit"))
        }
        Ok(Json(b)) => {
            call.env()
                .login(LoginRequest {
                    identifier: b.identifier,
                    password: b.password.map(Secret::new),
                    claims: b.claims,
                    limits: pools_core::engine::Limits {
                        budget: std::time::Duration::from_millis(b.budget_ms),
                    },
                    commit: b.commit,
                })
                .await
        }
    };
    call.answer(r, StatusCode::OK)
}

/// `POST /v1/login` with `{"identifier", "password"}`: an application's login, committed
/// (a first login migrates the user, R3): 200 with the user signed in; every refusal the
/// same 401 and body, no sooner than the floor; 503 when a source did not answer; 429 past
/// the brute-force quotas (see [`crate::login`]).
#[utoipa::path(post, path = "/v1/login", operation_id = "login", tag = "logins",
    request_body(content = wire::LoginBody,
        example = json!({"identifier": "ada@example.org", "password": "correct horse battery"})),
    responses(
        (status = 200, description = "The user signed in (a first login through a JIT pool migrates it, R3).", body = wire::LoggedIn),
        (status = 401, description = "Not signed in: every refusal answers alike (or no token of this server).", body = ProblemDocument, content_type = PROBLEM_JSON,
            headers(("WWW-Authenticate" = String, description = "`Bearer`, when no token of this server was given."))),
        (status = 429, description = "Past the attempts allowed per identifier or per client address.", body = ProblemDocument, content_type = PROBLEM_JSON,
            headers(("Retry-After" = u64, description = "Seconds to wait (RFC 9110 §10.2.3)."))),
        (status = 503, description = "A pool's source did not answer (R5, fails closed): retry later. Only an identifier no local user holds asks a source, so while one is down this answer tells it from a migrated user's 401 (see the server's docs).", body = ProblemDocument, content_type = PROBLEM_JSON,
            headers(("Retry-After" = u64, description = "Seconds to wait (RFC 9110 §10.2.3)."))),
    ))]
pub(super) async fn login(
    Shared(s): Shared<State>,
    req: Request,
    body: Result<Json<wire::LoginBody>, JsonRejection>,
) -> Response {
    use axum::response::IntoResponse;
    use pools_core::engine::{Outcome, Reason};
    let started = tokio::time::Instant::now();
    let client = req.peer.ip();
    let call = begin!(s, req, Access::Login);
    let b = match body {
        Ok(Json(b)) => b,
        Err(e) => {
            let e = call.bad_body(e);
            return call.answer::<()>(Err(e), StatusCode::OK);
        }
    };
    if let Err(p) = s.login.admit(&b.identifier, client) {
        return p.into_response();
    }
    let trace = call
        .env()
        .login(LoginRequest {
            identifier: b.identifier,
            password: Some(Secret::new(b.password)),
            claims: None,
            limits: pools_core::engine::Limits::default(),
            commit: true,
        })
        .await;
    let trace = match trace {
        Ok(t) => t,
        Err(e) => return call.answer::<()>(Err(e), StatusCode::OK),
    };
    match (&trace.outcome, trace.user) {
        (Outcome::Authenticated, Some(u)) if u.id.is_some() => {
            let answer = wire::LoggedIn {
                id: u.id.unwrap_or_default(),
                identifier: u.identifier,
                tenant_id: u.tenant_id,
                origin: u.origin,
                pool: u.pool,
            };
            (StatusCode::OK, Json(answer)).into_response()
        }
        (Outcome::Refused(Reason::SourceUnavailable), _) => {
            tracing::warn!(reason = "source_unavailable", "login refused");
            // No sooner than a refusal either: its time would tell an identifier no user
            // holds (asked of the source) from a migrated user's (checked here).
            tokio::time::sleep_until(started + s.login.floor).await;
            let mut p = crate::problem::Problem::refusal(
                pools_core::error::ErrorKind::Unavailable,
                StatusCode::SERVICE_UNAVAILABLE,
                "a user pool's source is unavailable (not reachable, failing or too slow)".into(),
                "retry later; `pools check` shows which source",
            );
            p.headers.push((
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(crate::login::UNAVAILABLE_RETRY_AFTER_S),
            ));
            p.into_response()
        }
        (outcome, _) => {
            let reason = match outcome {
                Outcome::Refused(r) => r.as_str(),
                Outcome::Authenticated => "not_committed",
            };
            tracing::info!(reason, "login refused");
            tokio::time::sleep_until(started + s.login.floor).await;
            crate::login::refused().into_response()
        }
    }
}
