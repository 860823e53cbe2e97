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

/// The caller of a request with `headers` wanting `access`, or the refusal to answer.
///
/// Errors: 401 without a bearer token, or with one that is unknown or revoked; 403 when the
/// token's role does not allow `access`; the store's error when the tokens cannot be read.
pub fn authorize(
    env: &pools_core::service::Local,
    headers: &HeaderMap,
    access: Access,
    flag_of_key: fn(&str) -> Option<String>,
) -> Result<Caller, Problem> {
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
        return Err(unauthorized("no bearer token"));
    };
    let tokens = env
        .api_tokens()
        .map_err(|e| Problem::of(&e, headers, flag_of_key))?;
    let token = match pools_core::api_token::find(&tokens, presented) {
        Some(t) if t.revoked_at.is_none() => t,
        // Revoked and unknown tokens are refused alike: the answer tells nothing of which.
        _ => return Err(unauthorized("the bearer token is not one of this server's")),
    };
    if !token.role.allows(access) {
        let what = match access {
            Access::Read => "read",
            Access::Write => "change anything or run the engine for an operator",
            Access::Login => "call POST /v1/login",
        };
        return Err(Problem::refusal(
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
        ));
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
