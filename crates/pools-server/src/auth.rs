//! Who is calling: the bearer token of a request (RFC 6750 §2.1), found among the store's
//! tokens in constant time ([`pools_core::api_token::find`]), and whether its role allows
//! the request. No token is 401 with `WWW-Authenticate: Bearer`; a role that may not is 403.

use crate::problem::Problem;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use pools_core::api_token::{Access, Role};
use pools_core::error::ErrorKind;

/// The caller of an authorised request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The token's name: the audit log's actor (`token:NAME`).
    pub name: String,
    pub role: Role,
}

/// A request as authorisation sees it, taken from its parts by every route (an extractor).
pub struct Request {
    pub headers: HeaderMap,
    /// `GET /v1/pools`: what the audit log records as the target of a refusal.
    pub target: String,
    /// The URL's query, undecoded.
    pub query: Option<String>,
    /// The client's address (unspecified when the server was not told it).
    pub peer: std::net::SocketAddr,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Request {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or(std::net::SocketAddr::from(([0, 0, 0, 0], 0)), |c| c.0);
        Ok(Request {
            headers: parts.headers.clone(),
            target: format!("{} {}", parts.method, parts.uri.path()),
            query: parts.uri.query().map(str::to_owned),
            peer,
        })
    }
}

impl Request {
    /// `error` as this request's problem document (spelled as it asked).
    pub fn problem(
        &self,
        error: &pools_core::Error,
        flag_of_key: fn(&str) -> Option<String>,
    ) -> Problem {
        Problem::of(error, &self.headers, flag_of_key)
    }
}

/// The caller of `req` wanting `access`, or the refusal to answer; every refusal is in the
/// audit log (`access.denied`: by the token's name, or `anonymous`, never a token). Either
/// way the request gets an ID of its own ([`Local::act_as`]), under which its refusal or its
/// changes are audited (`token:NAME`).
///
/// Errors: 401 without a bearer token, or with one that is unknown or revoked (alike: the
/// answer tells nothing of which; the audit log does); 403 when the token's role does not
/// allow `access`; the store's error when the tokens cannot be read.
///
/// [`Local::act_as`]: pools_core::service::Local::act_as
pub fn authorize(
    env: &pools_core::service::Local,
    req: &Request,
    access: Access,
    flag_of_key: fn(&str) -> Option<String>,
) -> Result<Caller, Problem> {
    let request_id = uuid::Uuid::now_v7().to_string();
    match check(env, &req.headers, access, flag_of_key) {
        Ok(caller) => {
            env.act_as(pools_core::audit::Op {
                actor: format!("token:{}", caller.name),
                request_id,
            });
            Ok(caller)
        }
        Err(refusal) => {
            env.act_as(pools_core::audit::Op {
                actor: refusal.actor.clone(),
                request_id,
            });
            let detail = serde_json::json!({
                "status": refusal.problem.status.as_u16(),
                "reason": refusal.reason.as_deref().unwrap_or(&refusal.problem.body.message),
                "client": req.peer.ip().to_string(),
            });
            // The refusal stands whether or not it could be recorded.
            if let Err(e) = env.audit_refusal(&refusal.actor, &req.target, &detail) {
                tracing::warn!(error = %e, "a refusal could not be audited");
            }
            Err(refusal.problem)
        }
    }
}

/// A refused request: who it was, the answer, and the audit's reason where it says more
/// than the answer (a revoked token).
struct Refusal {
    actor: String,
    problem: Problem,
    reason: Option<String>,
}

fn check(
    env: &pools_core::service::Local,
    headers: &HeaderMap,
    access: Access,
    flag_of_key: fn(&str) -> Option<String>,
) -> Result<Caller, Refusal> {
    let anonymous = |problem: Problem| Refusal {
        actor: "anonymous".to_owned(),
        problem,
        reason: None,
    };
    let unauthorized = |message: &str| {
        let mut p = Problem::refusal(
            ErrorKind::Unauthorized,
            StatusCode::UNAUTHORIZED,
            message.to_owned(),
            "give a token of this server: `pools env login NAME`, or Authorization: Bearer TOKEN (issued by `pools serve token create`)",
        );
        p.headers
            .push((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
        p
    };
    let Some(presented) = bearer(headers) else {
        return Err(anonymous(unauthorized("no bearer token")));
    };
    let tokens = env
        .api_tokens()
        .map_err(|e| anonymous(Problem::of(&e, headers, flag_of_key)))?;
    // Revoked and unknown tokens are answered alike (the answer tells nothing of which);
    // the audit log names a revoked one.
    let not_ours = "the bearer token is not one of this server's (unknown or revoked)";
    let token = match pools_core::api_token::find(&tokens, presented) {
        Some(t) if t.revoked_at.is_none() => t,
        Some(t) => {
            return Err(Refusal {
                actor: format!("token:{}", t.name),
                problem: unauthorized(not_ours),
                reason: Some(format!("token '{}' was revoked", t.name)),
            });
        }
        None => return Err(anonymous(unauthorized(not_ours))),
    };
    if !token.role.allows(access) {
        let what = match access {
            Access::Read => "read",
            Access::Write => {
                "change anything, read password hashes or run the engine for an operator"
            }
            Access::Login => "call POST /v1/login",
            Access::Identify => "say who it is",
        };
        return Err(Refusal {
            actor: format!("token:{}", token.name),
            problem: Problem::refusal(
                ErrorKind::Unauthorized,
                StatusCode::FORBIDDEN,
                format!(
                    "token '{}' has the role {}, which may not {what}",
                    token.name, token.role
                ),
                match access {
                    Access::Login => "applications log in with a token of role login",
                    _ => "use a token of role admin (changes) or read (reads)",
                },
            ),
            reason: None,
        });
    }
    Ok(Caller {
        name: token.name.clone(),
        role: token.role,
    })
}

/// The token of `Authorization: Bearer TOKEN` (the scheme in any case).
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| token.trim())
}
