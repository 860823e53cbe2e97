//! Errors as they leave the server: RFC 9457 `application/problem+json` documents whose
//! members extend the RFC's (`type`, `title`, `status`, `detail`) with the library's
//! [`ErrorBody`] (`kind`, `rule`, `field`, `message`, `hint`), so a client rebuilds the very
//! error, with the `error:` and `hint:` lines and the exit code the CLI gives locally.

use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pools_core::error::{Error, ErrorBody, ErrorKind, Spelling};

/// The media type of a problem document (RFC 9457 §3).
pub const PROBLEM_JSON: &str = "application/problem+json";

/// The request header by which a client asks errors spelled for its command line.
pub const SPELLING_HEADER: &str = "pools-error-spelling";

/// The HTTP status of an error kind.
pub fn status(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Validation => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A problem document as this server writes it (`application/problem+json`): the members
/// of RFC 9457 §3.1, then the library's [`ErrorBody`] (`kind`, `rule`, `field`, `message`,
/// `hint`). Its schema is the OpenAPI document's `ProblemDocument`.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ProblemDocument {
    /// `urn:pools:problem:KIND`, KIND the error's `kind`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// The reason phrase of `status` (RFC 9110 §15).
    pub title: String,
    /// The HTTP status code, as answered.
    pub status: u16,
    /// The error line, as `message`.
    pub detail: String,
    #[serde(flatten)]
    pub body: ErrorBody,
}

/// The problem document of `body` with `status`.
pub fn document(status: StatusCode, body: &ErrorBody) -> serde_json::Value {
    let doc = ProblemDocument {
        problem_type: format!("urn:pools:problem:{}", body.kind.as_str()),
        title: status.canonical_reason().unwrap_or("error").to_owned(),
        status: status.as_u16(),
        detail: body.message.clone(),
        body: body.clone(),
    };
    serde_json::to_value(doc).unwrap_or_default()
}

/// A library error as a handler answers it, spelled as the request asked.
pub struct Problem {
    pub status: StatusCode,
    pub body: Box<ErrorBody>,
    /// Extra headers (`WWW-Authenticate` on a 401).
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl Problem {
    /// `error` for a request with `headers`: settings spelled as flags when the client asks
    /// ([`SPELLING_HEADER`]: `flag`), else as YAML keys.
    pub fn of(
        error: &Error,
        request: &HeaderMap,
        flag_of_key: fn(&str) -> Option<String>,
    ) -> Problem {
        let flags = request
            .get(SPELLING_HEADER)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"flag"));
        let body = if flags {
            error.body(Spelling::Flag(&flag_of_key))
        } else {
            error.body(Spelling::Key)
        };
        let status = status(body.kind);
        if body.kind == ErrorKind::Internal {
            tracing::error!(error = %body.message, "request failed");
        }
        Problem {
            status,
            body: Box::new(body),
            headers: Vec::new(),
        }
    }

    /// A refusal of the server's own (no token, a role that may not), of `kind`, with
    /// `status`.
    pub fn refusal(kind: ErrorKind, status: StatusCode, message: String, hint: &str) -> Problem {
        Problem {
            status,
            body: Box::new(ErrorBody {
                kind,
                rule: None,
                field: None,
                message,
                hint: Some(hint.to_owned()),
            }),
            headers: Vec::new(),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let doc = document(self.status, &self.body);
        let mut res = (self.status, axum::Json(doc)).into_response();
        res.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        for (name, value) in self.headers {
            res.headers_mut().insert(name, value);
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document carries the RFC's members and the library's, and the body read back
    /// from it is the body sent: the client rebuilds the same error.
    #[test]
    fn a_problem_document_round_trips_the_error() {
        let e = Error::invalid("client_secret", "env:X is not set (R11)").with_hint("set it");
        let p = Problem::of(&e, &HeaderMap::new(), |_| None);
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        let doc = document(p.status, &p.body);
        assert_eq!(doc["type"], "urn:pools:problem:validation");
        assert_eq!(doc["status"], 422);
        assert_eq!(doc["rule"], "R11");
        assert_eq!(doc["field"], "client_secret");
        let back: ErrorBody = serde_json::from_value(doc).unwrap();
        assert_eq!(back, *p.body);
        let mut flagged = HeaderMap::new();
        flagged.insert(SPELLING_HEADER, HeaderValue::from_static("flag"));
        let p = Problem::of(&e, &flagged, |k| Some(format!("--{}", k.replace('_', "-"))));
        assert!(
            p.body.message.starts_with("--client-secret: "),
            "{}",
            p.body.message
        );
    }
}
