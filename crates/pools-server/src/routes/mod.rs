//! The routes: each one leases an environment, authorises, calls the environment and
//! answers JSON (or a problem), with what the environment noticed in `Pools-Notice`
//! headers ([`crate::notice`]).

/// The call of a route, or its refusal (401, 403) as the answer.
macro_rules! begin {
    ($s:expr, $req:expr, $access:expr) => {
        match $crate::routes::Call::begin(&$s, $req, $access).await {
            Ok(c) => c,
            Err(p) => return axum::response::IntoResponse::into_response(p),
        }
    };
}

pub mod doc;
mod imports;
mod ops;
mod pools;
mod users;

pub(crate) use imports::Runs;

use crate::State;
use crate::auth::{Caller, Request, authorize};
use crate::envs::Lease;
use crate::problem::Problem;
use axum::extract::{DefaultBodyLimit, State as Shared};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use pools_core::api_token::Access;
use pools_core::error::ErrorKind;
use pools_core::service::{Environment, Local};

/// The largest `apply` document or plan read, in bytes: a document of tens of thousands of
/// pools.
pub const APPLY_BODY_LIMIT: usize = 64 << 20;

/// The time limit of `POST /v1/simulate-login`: its longest budget and some.
const SIMULATE_TIMEOUT: std::time::Duration =
    std::time::Duration::from_millis(ops::MAX_BUDGET_MS + 10_000);

/// The routes; each request is answered 503 past `request_timeout` (a rehearsal past its
/// budget's own limit).
pub(crate) fn router(state: State, request_timeout: std::time::Duration) -> axum::Router {
    let timeout =
        |d| tower_http::timeout::TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, d);
    // A rehearsal may take the budget an operator gives it (up to 10 minutes).
    let rehearsal = axum::Router::new()
        .route("/v1/simulate-login", post(ops::simulate_login))
        .layer(timeout(SIMULATE_TIMEOUT))
        .with_state(state.clone());
    axum::Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/v1/openapi.json", get(doc::openapi_json))
        .route("/v1/token", get(token))
        .route("/v1/pools", get(pools::list).post(pools::create))
        .route(
            "/v1/pools/{name}",
            get(pools::get)
                .patch(pools::configure)
                .delete(pools::delete),
        )
        .route("/v1/order", put(pools::reorder))
        .route(
            "/v1/apply/plan",
            post(pools::plan_apply).layer(DefaultBodyLimit::max(APPLY_BODY_LIMIT)),
        )
        .route(
            "/v1/apply",
            post(pools::apply).layer(DefaultBodyLimit::max(APPLY_BODY_LIMIT)),
        )
        .route("/v1/export", get(pools::export))
        // An export or backup of any size: read as a stream, never held whole.
        .route(
            "/v1/pools/{name}/import",
            post(imports::import).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/v1/users/restore",
            post(imports::restore).layer(DefaultBodyLimit::disable()),
        )
        .route("/v1/imports/{run}/stop", post(imports::stop))
        .route("/v1/users", get(users::list).post(users::create))
        .route("/v1/users/export", get(users::export))
        .route("/v1/users/{identifier}", get(users::get))
        .route(
            "/v1/users/{identifier}/metadata",
            axum::routing::patch(users::set_metadata),
        )
        .route("/v1/audit", get(ops::audit))
        .route("/v1/methods", get(ops::methods))
        .route("/v1/methods/{method}", put(ops::set_method))
        .route("/v1/status", get(ops::status))
        .route("/v1/check", post(ops::check))
        .route("/v1/doctor", get(ops::doctor))
        .route("/v1/login", post(ops::login))
        .layer(timeout(request_timeout))
        .with_state(state)
        .merge(rehearsal)
        .fallback(no_route)
        .method_not_allowed_fallback(method_not_allowed)
}

/// A route asked with a method it does not take: 405 as a problem document like every other
/// error (axum adds the route's `Allow`, RFC 9110 §15.5.6).
async fn method_not_allowed(method: axum::http::Method) -> Problem {
    Problem::refusal(
        ErrorKind::NotFound,
        StatusCode::METHOD_NOT_ALLOWED,
        format!("this route does not take {method}"),
        "its Allow header names the methods it takes; /v1/openapi.json describes each",
    )
}

/// Alive: the process answers. No token needed.
#[utoipa::path(get, path = "/healthz", operation_id = "healthz", tag = "server",
    responses((status = 200, description = "The process answers.", content_type = "text/plain", body = String, example = "ok\n")))]
async fn healthz() -> &'static str {
    "ok\n"
}

/// Ready: the store answers a read. No token needed; 503 (problem+json) when it does not.
#[utoipa::path(get, path = "/readyz", operation_id = "readyz", tag = "server",
    responses(
        (status = 200, description = "The store answers a read.", content_type = "text/plain", body = String, example = "ready\n"),
        (status = 503, description = "The store does not answer.", content_type = "application/problem+json", body = crate::problem::ProblemDocument),
    ))]
async fn readyz(Shared(s): Shared<State>, headers: HeaderMap) -> Response {
    let lease = s.envs.lease().await;
    match lease.env().pools().await {
        Ok(_) => "ready\n".into_response(),
        Err(e) => {
            let mut p = Problem::of(&e, &headers, s.flag_of_key);
            p.status = StatusCode::SERVICE_UNAVAILABLE;
            p.into_response()
        }
    }
}

/// `GET /v1/token`: the token presented, by its name and role, for every role (`pools env
/// login` checks a token with it before keeping it); an unknown or revoked one is 401.
#[utoipa::path(get, path = "/v1/token", operation_id = "token", tag = "server",
    responses((status = 200, description = "The token presented: its name and role.", body = pools_core::service::wire::TokenInfo)))]
async fn token(Shared(s): Shared<State>, req: Request) -> Response {
    let lease = s.envs.lease().await;
    match authorize(lease.env(), &req, Access::Identify, s.flag_of_key) {
        Ok(Caller { name, role }) => {
            axum::Json(pools_core::service::wire::TokenInfo { name, role }).into_response()
        }
        Err(p) => p.into_response(),
    }
}

/// One authorised call: the environment lent to it, the request, who called.
pub(crate) struct Call {
    lease: Lease,
    req: Request,
    flag_of_key: fn(&str) -> Option<String>,
    /// Whether the request made its change conditional (`If-Match`, an expected order): a
    /// conflict then answers 412 Precondition Failed (R12), else 409.
    conditional: bool,
    /// Whether its body was past the size limit: its refusal answers 413.
    too_large: std::cell::Cell<bool>,
}

impl Call {
    /// Leases an environment and authorises `req` for `access`; the changes it makes are
    /// the caller's in the audit log (`token:NAME`), under a request ID of their own
    /// ([`authorize`]).
    ///
    /// Errors: the refusal (401, 403), audited.
    pub(crate) async fn begin(s: &State, req: Request, access: Access) -> Result<Call, Problem> {
        let lease = s.envs.lease().await;
        authorize(lease.env(), &req, access, s.flag_of_key)?;
        Ok(Call {
            lease,
            req,
            flag_of_key: s.flag_of_key,
            conditional: false,
            too_large: std::cell::Cell::new(false),
        })
    }

    pub(crate) fn env(&self) -> &Local {
        self.lease.env()
    }

    /// The version `If-Match` names (`"7"`, or `W/"7"`), `None` without one or with `*`;
    /// marks the call conditional.
    ///
    /// Errors: a value that is not one entity tag of a version.
    pub(crate) fn if_match(&mut self) -> Result<Option<u64>, pools_core::Error> {
        let Some(v) = self.req.headers.get(header::IF_MATCH) else {
            return Ok(None);
        };
        self.conditional = true;
        let text = v.to_str().unwrap_or_default().trim();
        if text == "*" {
            return Ok(None);
        }
        let tag = text.strip_prefix("W/").unwrap_or(text);
        tag.strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .and_then(|t| t.parse().ok())
            .map(Some)
            .ok_or_else(|| {
                pools_core::Error::invalid(
                    "If-Match",
                    format!("{text:?} is not the entity tag of a version"),
                )
                .with_hint("send back the ETag the pool was read with, e.g. If-Match: \"3\"")
            })
    }

    /// Marks the call conditional (its body names what it expects).
    pub(crate) fn conditional(&mut self) {
        self.conditional = true;
    }

    /// The answer: `value` as JSON with `status`, or the error as a problem; the notices
    /// either way.
    pub(crate) fn answer<T: serde::Serialize>(
        self,
        result: Result<T, pools_core::Error>,
        status: StatusCode,
    ) -> Response {
        self.answer_tagged(result.map(|v| (v, None)), status)
    }

    /// [`Call::answer`], with the `ETag` of the version given with the value.
    pub(crate) fn answer_tagged<T: serde::Serialize>(
        self,
        result: Result<(T, Option<u64>), pools_core::Error>,
        status: StatusCode,
    ) -> Response {
        let mut res = match result {
            Ok((value, version)) => {
                let mut res = (status, axum::Json(value)).into_response();
                if let Some(tag) = version.and_then(|v| HeaderValue::from_str(&etag(v)).ok()) {
                    res.headers_mut().insert(header::ETAG, tag);
                }
                res
            }
            Err(e) => self.problem(&e).into_response(),
        };
        for n in self.lease.take_notices() {
            if let Some(v) = crate::notice::header_value(&n) {
                res.headers_mut().append(crate::notice::NOTICE_HEADER, v);
            }
        }
        res
    }

    /// `error` as this call's problem: a conflict of a conditional call is 412; the refusal
    /// of a body past the size limit is 413 (RFC 9110 §15.5.14).
    pub(crate) fn problem(&self, error: &pools_core::Error) -> Problem {
        let mut p = self.req.problem(error, self.flag_of_key);
        if self.conditional && p.body.kind == ErrorKind::Conflict {
            p.status = StatusCode::PRECONDITION_FAILED;
        }
        if self.too_large.get() && p.body.kind == ErrorKind::Validation {
            p.status = StatusCode::PAYLOAD_TOO_LARGE;
        }
        p
    }

    /// [`bad_body`], remembering a body past the size limit so that its answer is 413.
    pub(crate) fn bad_body(&self, e: axum::extract::rejection::JsonRejection) -> pools_core::Error {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            self.too_large.set(true);
        }
        bad_body(e)
    }
}

/// A request body that does not read: 422 naming what is wrong (never echoing the body: it
/// may hold a secret).
pub(crate) fn bad_body(e: axum::extract::rejection::JsonRejection) -> pools_core::Error {
    let what = match &e {
        axum::extract::rejection::JsonRejection::MissingJsonContentType(_) => {
            "the body is not application/json".to_owned()
        }
        too_large if too_large.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            "the body is larger than this server reads for this request".to_owned()
        }
        other => without_values(&other.body_text()),
    };
    pools_core::Error::invalid("body", what)
        .with_hint("send the JSON body the API document describes (GET /v1/openapi.json)")
}

/// `text` (serde's words about a body) with every string value it quotes (`"..."`)
/// replaced by `…`: serde quotes the string it met (`invalid type: string "hunter2",
/// expected u64`), which may be a password or a secret (R11). Field names (`` `password` ``)
/// and numbers stay: they say what to fix.
fn without_values(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut open: Option<char> = None;
    for c in text.chars() {
        match open {
            Some(q) if c == q => {
                out.push('…');
                out.push(c);
                open = None;
            }
            Some(_) => {}
            None if c == '"' => {
                out.push(c);
                open = Some(c);
            }
            None => out.push(c),
        }
    }
    if open.is_some() {
        out.push('…');
    }
    out
}

/// The values of `key` in a URL query (`pool=a&pool=b`), decoded.
pub(crate) fn query_values(query: Option<&str>, key: &str) -> Vec<String> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .collect()
}

/// The one value of `key` in a URL query, if given.
///
/// Errors: given more than once.
pub(crate) fn query_value(
    query: Option<&str>,
    key: &str,
) -> Result<Option<String>, pools_core::Error> {
    let mut values = query_values(query, key);
    if values.len() > 1 {
        return Err(pools_core::Error::invalid(
            "query",
            format!("{key} is given {} times", values.len()),
        )
        .with_hint(format!("give {key} once")));
    }
    Ok(values.pop())
}

/// A number of a URL query.
///
/// Errors: not a whole number, or given twice.
pub(crate) fn query_number(
    query: Option<&str>,
    key: &str,
) -> Result<Option<u64>, pools_core::Error> {
    query_value(query, key)?
        .map(|v| {
            v.parse().map_err(|_| {
                pools_core::Error::invalid("query", format!("{key}={v:?} is not a whole number"))
                    .with_hint(format!("give {key} as a number, e.g. {key}=100"))
            })
        })
        .transpose()
}

/// A flag of a URL query: `true` or `false`, absent is false.
///
/// Errors: another value.
pub(crate) fn query_flag(query: Option<&str>, key: &str) -> Result<bool, pools_core::Error> {
    match query_value(query, key)?.as_deref() {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(v) => Err(pools_core::Error::invalid(
            "query",
            format!("{key}={v:?} is not true or false"),
        )
        .with_hint(format!("{key}=true or {key}=false"))),
    }
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

#[cfg(test)]
mod tests {
    /// R11: a body that does not read is refused without the value serde met: a password
    /// sent where another type was expected is not echoed.
    #[test]
    fn a_bad_body_is_refused_without_its_values() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Body {
            budget_ms: u64,
        }
        let e = serde_json::from_str::<Body>(r#"{"budget_ms": "hunter2-secret"}"#).unwrap_err();
        assert!(
            e.to_string().contains("hunter2-secret"),
            "serde quotes it: {e}"
        );
        let said = super::without_values(&e.to_string());
        assert!(!said.contains("hunter2"), "{said}");
        assert!(said.contains("expected u64"), "{said}");
        let e = serde_json::from_str::<Body>("{}").unwrap_err();
        assert!(super::without_values(&e.to_string()).contains("missing field `budget_ms`"));
    }
}
