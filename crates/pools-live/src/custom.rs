//! The `custom` source: the operator's own HTTP endpoint, answering the contract this project
//! defines (README "Custom HTTP sources"; machine-readable in `schemas/custom-source.json`):
//! `POST {url}` with `{"identifier": ..., "password": ...}` and the pool's `auth_header` as
//! `Authorization`; `200` with the user, `404` unknown, `401` wrong password, `403` disabled,
//! anything else unavailable (R5: fail closed).

use crate::http::{Http, Response};
use pools_core::secret::SecretRef;
use pools_core::source::{Answer, Asked, Probe, SourceUser};
use serde::Deserialize;
use serde_json::{Map, Value};

pub(crate) struct CustomSource {
    /// The pool's name, for the fixes `pools check` gives.
    pub(crate) pool: String,
    pub(crate) http: Http,
    pub(crate) url: url::Url,
    pub(crate) auth_header: Option<SecretRef>,
}

/// The user a `200` answer carries. Only `id` and `identifier` are required; members the
/// contract does not name are ignored (an endpoint may say more).
#[derive(Deserialize)]
struct Found {
    id: String,
    identifier: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    profile: Map<String, Value>,
    #[serde(default)]
    disabled: bool,
}

/// The exchange's error code: the answer's meaning for statuses the contract gives one.
fn error_code(r: &Response) -> Option<String> {
    match r.status {
        200 => None,
        401 => Some("wrong_password".into()),
        403 => Some("user_disabled".into()),
        404 => Some("unknown_identifier".into()),
        _ => r
            .json
            .as_ref()
            .and_then(|j| crate::http::str_at(j, "error"))
            .map(|s| s.chars().take(64).collect()),
    }
}

#[async_trait::async_trait]
impl pools_core::source::Source for CustomSource {
    async fn ask(&self, asked: Asked) -> Answer {
        let Some(password) = asked.password.as_ref() else {
            return Answer::NotAsked("no password: the endpoint is asked with one".into());
        };
        let mut req = self.http.post(self.url.clone()).json(&serde_json::json!({
            "identifier": asked.identifier,
            "password": password.expose(),
        }));
        if let Some(r) = &self.auth_header {
            match r.resolve("auth_header") {
                Ok(v) => req = req.header(reqwest::header::AUTHORIZATION, v.expose()),
                Err(e) => return Answer::Unavailable(format!("{e}")),
            }
        }
        let resp = match self
            .http
            .send(&asked.exchanges, "POST", req, asked.deadline, error_code)
            .await
        {
            Ok(r) => r,
            Err(why) => return Answer::Unavailable(why),
        };
        // R11: what the profile must lose (the password, the header echoed back) the
        // engine drops from every source's answer.
        answer(&resp)
    }

    async fn check(
        &self,
        deadline: std::time::Instant,
        log: pools_core::source::ExchangeLog,
    ) -> Vec<Probe> {
        let mut req = self.http.post(self.url.clone()).json(&serde_json::json!({
            "identifier": crate::http::nobody(),
            "password": "pools-check-not-a-password",
        }));
        if let Some(r) = &self.auth_header {
            match r.resolve("auth_header") {
                Ok(v) => req = req.header(reqwest::header::AUTHORIZATION, v.expose()),
                Err(e) => return vec![crate::unresolved(&self.pool, &e, "--auth-header")],
            }
        }
        let resp = match self
            .http
            .send(&log, "POST", req, deadline, error_code)
            .await
        {
            Ok(r) => r,
            Err(why) => return vec![crate::http::unreachable(&log, why, &self.pool)],
        };
        let mut out = crate::http::reached(resp.status, &self.url);
        out.push(match resp.status {
            404 => Probe::pass(
                "contract",
                "answers 404 for an identifier that cannot exist",
            ),
            s => Probe::fail(
                "contract",
                format!("answered HTTP {s} for an identifier that cannot exist (pools-check-…@check.invalid)"),
                match s {
                    400 | 401 | 403 => "check the pool's --auth-header (the endpoint may refuse it), and that the endpoint answers 404 for unknown users (README: The custom source contract)",
                    _ => "make the endpoint answer 404 for an unknown user (README: The custom source contract)",
                },
            ),
        });
        out
    }
}

/// What a response means (the contract's table).
fn answer(resp: &Response) -> Answer {
    match resp.status {
        200 => {}
        401 => return Answer::WrongPassword,
        403 => return Answer::Disabled,
        404 => return Answer::Unknown,
        s => {
            return Answer::Unavailable(format!(
                "the endpoint answered HTTP {s}, which the custom-source contract does not define (200, 401, 403, 404)"
            ));
        }
    }
    let found: Found = match serde_json::from_slice(&resp.body) {
        Ok(f) => f,
        Err(e) => {
            return Answer::Unavailable(format!(
                "the endpoint's 200 answer is not the contract's user object: {e}"
            ));
        }
    };
    if found.id.trim().is_empty() || found.identifier.trim().is_empty() {
        return Answer::Unavailable(
            "the endpoint's 200 answer has an empty `id` or `identifier`".into(),
        );
    }
    if found.disabled {
        return Answer::Disabled;
    }
    Answer::Authenticated(SourceUser {
        identifier: found.identifier,
        aliases: found.aliases,
        external_id: Some(found.id),
        profile: found.profile,
        hash: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> Response {
        Response {
            status,
            body: body.as_bytes().to_vec(),
            json: serde_json::from_str(body).ok(),
        }
    }

    /// The contract's answer table (R5, R15): each status means one answer, a 200 must
    /// carry the user object, and anything else fails closed.
    #[test]
    fn each_status_of_the_contract_means_one_answer() {
        let ok = answer(&resp(
            200,
            r#"{"id":"u1","identifier":"a@x.org","aliases":["al"],"profile":{"tenantId":"acme"}}"#,
        ));
        let Answer::Authenticated(u) = ok else {
            panic!("{ok:?}")
        };
        assert_eq!(u.external_id.as_deref(), Some("u1"));
        assert_eq!(u.aliases, ["al"]);
        assert_eq!(u.profile["tenantId"], "acme");
        assert!(matches!(
            answer(&resp(
                200,
                r#"{"id":"u1","identifier":"a@x.org","disabled":true}"#
            )),
            Answer::Disabled
        ));
        assert!(matches!(answer(&resp(401, "")), Answer::WrongPassword));
        assert!(matches!(answer(&resp(403, "")), Answer::Disabled));
        assert!(matches!(answer(&resp(404, "")), Answer::Unknown));
        for (status, body) in [
            (200, "not json"),
            (200, r#"{"identifier":"a@x.org"}"#),
            (200, r#"{"id":"","identifier":"a@x.org"}"#),
            (200, r#"{"id":"u1","identifier":"a@x.org","profile":[1]}"#),
            (500, ""),
            (429, ""),
            (400, ""),
        ] {
            assert!(
                matches!(answer(&resp(status, body)), Answer::Unavailable(_)),
                "{status} {body}"
            );
        }
    }
}
