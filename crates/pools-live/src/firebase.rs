//! The `firebase` source: Firebase Authentication asked through the Identity Toolkit REST
//! API with the project's Web API key. `accounts:signInWithPassword` checks the password;
//! `accounts:lookup` with the ID token it returns gives the user record, the only place the
//! profile comes from (the token's claims are never read: the emulator's are unsigned, and
//! a profile needs no second source). The record is turned into a profile as the export
//! reader turns an `auth:export` user ([`pools_core::export::firebase_profile`]), so
//! `--tenant property:customAttributes.tenantId` means the same for a live and an export pool.
//!
//! The API key travels in the URL query (`?key=`), so no URL is ever put in a message or
//! an exchange (R11); [`crate::http::Http::send`] names host and port only.

use crate::http::{Http, Response, str_at};
use pools_core::secret::SecretRef;
use pools_core::source::{Answer, Asked, ExchangeLog, Probe, SourceUser};
use serde_json::{Value, json};
use std::time::Instant;

pub(crate) struct FirebaseSource {
    /// The pool's name, for the fixes `pools check` gives.
    pub(crate) pool: String,
    pub(crate) http: Http,
    /// `https://identitytoolkit.googleapis.com/v1/`, or under the pool's `endpoint_url`.
    pub(crate) base: url::Url,
    pub(crate) api_key: SecretRef,
    /// The pool's `project_id`: the ID token must be issued for it.
    pub(crate) project_id: String,
}

/// The project an ID token was issued for: its `aud` claim (Firebase Authentication,
/// "Verify ID tokens using a third-party JWT library": `aud` is the project ID, `iss`
/// `https://securetoken.google.com/<projectId>`). Read without verifying the token (the
/// emulator's are unsigned): it only tells an API key of another project than the pool's;
/// nothing of the user is taken from it (`accounts:lookup` gives that).
pub(crate) fn token_project(token: &str) -> Option<String> {
    crate::plain_id(&crate::unverified_claim(token, "aud")?, 64)
}

const SIGN_IN: &str = "accounts:signInWithPassword";
const LOOKUP: &str = "accounts:lookup";

/// The Identity Toolkit's `v1/` base: the Google host, or, with `endpoint_url` (the
/// emulator's address, as `FIREBASE_AUTH_EMULATOR_HOST` gives it to the SDKs),
/// `{endpoint_url}/identitytoolkit.googleapis.com/v1/`.
pub(crate) fn base(endpoint_url: Option<&url::Url>) -> url::Url {
    match endpoint_url {
        None => {
            url::Url::parse("https://identitytoolkit.googleapis.com/v1/").expect("a constant URL")
        }
        Some(u) => {
            let mut u = u.clone();
            u.set_query(None);
            u.set_fragment(None);
            let path = format!(
                "{}/identitytoolkit.googleapis.com/v1/",
                u.path().trim_end_matches('/')
            );
            u.set_path(&path);
            u
        }
    }
}

/// The URL of `call` with the API key as `key` (never shown anywhere).
fn call_url(base: &url::Url, call: &str, key: &str) -> url::Url {
    // `./`: without it `accounts:` would read as a URL scheme.
    let mut u = base
        .join(&format!("./{call}"))
        .expect("a call name is a relative path");
    u.query_pairs_mut().append_pair("key", key);
    u
}

/// The Identity Toolkit's error code of a response: `error.message` up to its first
/// `" : "` or space (`INVALID_PASSWORD`, `TOO_MANY_ATTEMPTS_TRY_LATER : Access to this
/// account...`), when it is a code (capitals, digits, `_`); else `error.status`
/// (`PERMISSION_DENIED` for a missing or wrong API key).
pub(crate) fn error_code(r: &Response) -> Option<String> {
    if r.status == 200 {
        return None;
    }
    let err = r.json.as_ref()?.get("error")?;
    let is_code = |s: &str| {
        !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    };
    if let Some(m) = str_at(err, "message") {
        let head = m.split(" : ").next().unwrap_or(m);
        let word = head.split(' ').next().unwrap_or(head);
        // A code alone, before " : ", or one with a `_` (not the "API" of "API key not
        // valid. Please pass a valid API key.").
        if is_code(word) && (word == head || word.contains('_')) {
            return Some(word.to_owned());
        }
    }
    str_at(err, "status")
        .filter(|s| is_code(s))
        .map(str::to_owned)
}

/// What an `accounts:signInWithPassword` answer means: the ID token and `localId` to look
/// the user up with, or the answer of the login (README "Live sources", Firebase).
pub(crate) fn sign_in_answer(r: &Response) -> Result<(String, String), Answer> {
    if r.status == 200 {
        let Some(j) = &r.json else {
            return Err(Answer::Unavailable(format!(
                "{SIGN_IN} answered 200 with a body that is not JSON"
            )));
        };
        if j.get("mfaPendingCredential").is_some() {
            return Err(Answer::Challenge("MFA".into()));
        }
        return match (str_at(j, "idToken"), str_at(j, "localId")) {
            (Some(t), Some(id)) if !t.is_empty() && !id.is_empty() => {
                Ok((t.to_owned(), id.to_owned()))
            }
            _ => Err(Answer::Unavailable(format!(
                "{SIGN_IN} answered 200 without an idToken and a localId"
            ))),
        };
    }
    let code = error_code(r);
    Err(match (r.status, code.as_deref()) {
        (400, Some("EMAIL_NOT_FOUND" | "INVALID_EMAIL")) => Answer::Unknown,
        (400, Some("INVALID_PASSWORD")) => Answer::WrongPassword,
        (400, Some("USER_DISABLED")) => Answer::Disabled,
        // Email enumeration protection: an unknown email and a wrong password look alike.
        (400, Some("INVALID_LOGIN_CREDENTIALS")) => Answer::CannotTell,
        _ => Answer::Unavailable(unexpected(SIGN_IN, r)),
    })
}

/// A sentence for an answer `r` to `call` that fails the login closed: its status, its
/// code, and a hint where there is one.
fn unexpected(call: &str, r: &Response) -> String {
    let (status, code) = (r.status, error_code(r));
    let code = code.as_deref();
    let bad_key = r
        .json
        .as_ref()
        .and_then(|j| j.get("error"))
        .and_then(|e| str_at(e, "message"))
        .is_some_and(|m| m.contains("API key"));
    let hint = match (status, code) {
        _ if bad_key => ": check the pool's api_key (the project's Web API key)",
        (_, Some("TOO_MANY_ATTEMPTS_TRY_LATER")) => {
            ": Firebase is throttling sign-ins for this account or address; try later"
        }
        (403, _) | (_, Some("API_KEY_INVALID" | "PERMISSION_DENIED")) => {
            ": check the pool's api_key (the project's Web API key)"
        }
        (_, Some("OPERATION_NOT_ALLOWED" | "PASSWORD_LOGIN_DISABLED")) => {
            ": enable the Email/Password sign-in provider of the project"
        }
        _ => "",
    };
    match code {
        Some(c) => format!("{call} answered HTTP {status} {c}{hint}"),
        None => format!("{call} answered HTTP {status}{hint}"),
    }
}

/// The user an `accounts:lookup` answer describes, which must be the one signed in
/// (`localId`): identifier its email, source user ID its `localId`, profile the record as
/// an export's ([`pools_core::export::firebase_profile`]: no `passwordHash` or `salt`,
/// `customAttributes` as an object). Disabled there is [`Answer::Disabled`] (R15).
pub(crate) fn lookup_answer(r: &Response, local_id: &str) -> Answer {
    if r.status != 200 {
        return Answer::Unavailable(unexpected(LOOKUP, r));
    }
    let users = r
        .json
        .as_ref()
        .and_then(|j| j.get("users"))
        .and_then(Value::as_array);
    let Some(Value::Object(record)) = users.and_then(|u| u.first()) else {
        return Answer::Unavailable(format!("{LOOKUP} answered 200 without a user record"));
    };
    if users.map_or(0, Vec::len) != 1
        || record.get("localId").and_then(Value::as_str) != Some(local_id)
    {
        return Answer::Unavailable(format!(
            "{LOOKUP} answered with another user than the one signed in"
        ));
    }
    if record.get("disabled").and_then(Value::as_bool) == Some(true) {
        return Answer::Disabled;
    }
    let Some(email) = record
        .get("email")
        .and_then(Value::as_str)
        .filter(|e| !e.trim().is_empty())
        .map(str::to_owned)
    else {
        return Answer::Unavailable(format!("{LOOKUP}: the user record has no email"));
    };
    // The sign-in just made changes these at every login: kept, a sync pool would rewrite
    // its shadow copy at each one for nothing (R16 refreshes what the user's profile says).
    let mut record = record.clone();
    for volatile in ["lastLoginAt", "lastRefreshAt", "validSince"] {
        record.remove(volatile);
    }
    let profile = match pools_core::export::firebase_profile(record) {
        Ok(p) => p,
        Err(why) => return Answer::Unavailable(format!("{LOOKUP}: the user record's {why}")),
    };
    Answer::Authenticated(SourceUser {
        identifier: email,
        aliases: Vec::new(),
        external_id: Some(local_id.to_owned()),
        profile,
        hash: None,
    })
}

impl FirebaseSource {
    async fn sign_in(
        &self,
        log: &ExchangeLog,
        key: &str,
        email: &str,
        password: &str,
        deadline: Instant,
    ) -> Result<Response, String> {
        let req = self
            .http
            .post(call_url(&self.base, SIGN_IN, key))
            .json(&json!({"email": email, "password": password, "returnSecureToken": true}));
        self.http
            .send(log, SIGN_IN, req, deadline, error_code)
            .await
    }
}

#[async_trait::async_trait]
impl pools_core::source::Source for FirebaseSource {
    async fn ask(&self, asked: Asked) -> Answer {
        let Some(password) = asked.password.as_ref() else {
            return Answer::NotAsked("no password: Firebase is asked with one".into());
        };
        let key = match self.api_key.resolve("api_key") {
            Ok(k) => k,
            Err(e) => return Answer::Unavailable(format!("{e}")),
        };
        let resp = match self
            .sign_in(
                &asked.exchanges,
                key.expose(),
                &asked.identifier,
                password.expose(),
                asked.deadline,
            )
            .await
        {
            Ok(r) => r,
            Err(why) => return Answer::Unavailable(why),
        };
        let (token, local_id) = match sign_in_answer(&resp) {
            Ok(t) => t,
            Err(answer) => return answer,
        };
        // A user of another project is not this pool's to migrate (fail closed, R5).
        if let Some(project) = token_project(&token)
            && project != self.project_id
        {
            return Answer::Unavailable(format!(
                "the API key signs users in to project {project} (its ID token's audience), not to the pool's project_id {}: set the right one ({}) or the Web API key of {}",
                self.project_id,
                crate::configure(&self.pool, &format!("--project-id {project}")),
                self.project_id
            ));
        }
        let req = self
            .http
            .post(call_url(&self.base, LOOKUP, key.expose()))
            .json(&json!({ "idToken": token }));
        match self
            .http
            .send(&asked.exchanges, LOOKUP, req, asked.deadline, error_code)
            .await
        {
            Ok(r) => lookup_answer(&r, &local_id),
            Err(why) => Answer::Unavailable(why),
        }
    }

    async fn check(&self, deadline: Instant, log: ExchangeLog) -> Vec<Probe> {
        let key = match self.api_key.resolve("api_key") {
            Ok(k) => k,
            Err(e) => return vec![crate::unresolved(&self.pool, &e, "--api-key")],
        };
        let resp = match self
            .sign_in(
                &log,
                key.expose(),
                &crate::http::nobody(),
                "pools-check-not-a-password",
                deadline,
            )
            .await
        {
            Ok(r) => r,
            Err(why) => return vec![crate::http::unreachable(&log, why, &self.pool)],
        };
        if let Some(failed) = not_identity_toolkit(&resp, &self.base, &self.pool) {
            return vec![failed];
        }
        let mut out = crate::http::reached(resp.status, &self.base);
        out.extend(check_answer(&resp, &self.pool));
        out
    }
}

/// The failed `reachable` probe of an answer that is not the Identity Toolkit's: a 404 or
/// a body without its error shape (another service at `base`: a wrong `endpoint_url`), or
/// a 5xx/429 (Google failing or throttling). Neither says anything of the API key.
pub(crate) fn not_identity_toolkit(r: &Response, base: &url::Url, pool: &str) -> Option<Probe> {
    let shaped = r
        .json
        .as_ref()
        .is_some_and(|j| j.get("error").is_some() || j.get("idToken").is_some());
    if r.status >= 500 || r.status == 429 {
        return Some(Probe::fail(
            "reachable",
            format!("{SIGN_IN} answered HTTP {}", r.status),
            "the Identity Toolkit is failing or throttling: run the check again later",
        ));
    }
    if r.status == 404 || !shaped {
        return Some(Probe::fail(
            "reachable",
            format!(
                "{SIGN_IN} under {base} answered HTTP {} without an Identity Toolkit answer: no Firebase Authentication there",
                r.status
            ),
            format!(
                "for the emulator, give its host and port alone, as FIREBASE_AUTH_EMULATOR_HOST: {}; for Google, remove it: {}",
                crate::configure(
                    pool,
                    &format!("--endpoint-url {}", base.origin().ascii_serialization())
                ),
                crate::configure(pool, "--endpoint-url none")
            ),
        ));
    }
    None
}

/// What the probe's sign-in (an email that cannot exist) tells of the prerequisites.
pub(crate) fn check_answer(r: &Response, pool: &str) -> Vec<Probe> {
    let code = error_code(r);
    let creds_ok = || Probe::pass("credentials", "the API key is accepted");
    match (r.status, code.as_deref()) {
        (400, Some("EMAIL_NOT_FOUND" | "INVALID_LOGIN_CREDENTIALS")) => vec![
            creds_ok(),
            Probe::pass("password_flow", "email/password sign-in answers"),
        ],
        (400, Some("OPERATION_NOT_ALLOWED" | "PASSWORD_LOGIN_DISABLED")) => vec![
            creds_ok(),
            Probe::fail(
                "password_flow",
                unexpected(SIGN_IN, r),
                "enable the Email/Password provider in the project's Authentication sign-in methods",
            ),
        ],
        _ => vec![Probe::fail(
            "credentials",
            unexpected(SIGN_IN, r),
            format!(
                "set the pool's api_key to the project's Web API key: {}",
                crate::configure(pool, "--api-key -")
            ),
        )],
    }
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

    /// R5, R11, R15: each answer the emulator was recorded giving
    /// (tests/fixtures/firebase/identitytoolkit-answers.json) means the login's answer
    /// noted with it; the looked-up user's profile keeps no password hash.
    #[test]
    fn the_emulators_recorded_answers_mean_what_they_say() {
        let doc: Value = serde_json::from_str(include_str!(
            "../../../tests/fixtures/firebase/identitytoolkit-answers.json"
        ))
        .unwrap();
        for case in doc["cases"].as_array().unwrap() {
            let r = resp(
                case["status"].as_u64().unwrap() as u16,
                &case["body"].to_string(),
            );
            let got = match case["call"].as_str().unwrap() {
                SIGN_IN => sign_in_answer(&r).unwrap_err(),
                _ => lookup_answer(&r, "EeIhIOykb9aw0ACY0swEsxpQhh7l"),
            };
            assert_eq!(got.code(), case["answer"], "{}: {got:?}", case["case"]);
            if let Answer::Authenticated(u) = got {
                assert_eq!(u.profile["customAttributes"]["tenantId"], "acme");
                let text = serde_json::to_string(&u.profile).unwrap();
                assert!(!text.contains("Harbor-lights-9") && !text.contains("fakeSalt"));
            }
        }
    }

    /// The emulator's error shape (as recorded in tests/fixtures/firebase/), with `message`.
    fn err(status: u16, message: &str) -> Response {
        resp(
            status,
            &json!({"error": {"code": status, "message": message,
                    "errors": [{"message": message, "reason": "invalid", "domain": "global"}]}})
            .to_string(),
        )
    }

    /// R5, R15: each documented signInWithPassword error means one answer; the exchange's
    /// error code is the message's code; anything else fails closed.
    #[test]
    fn sign_in_errors_map_as_documented_and_anything_else_fails_closed() {
        let is = |r: Response, want: &str| {
            let got = sign_in_answer(&r).unwrap_err();
            assert_eq!(got.code(), want, "{got:?}");
        };
        is(err(400, "EMAIL_NOT_FOUND"), "unknown_identifier");
        is(err(400, "INVALID_EMAIL"), "unknown_identifier");
        is(err(400, "INVALID_PASSWORD"), "wrong_password");
        is(err(400, "USER_DISABLED"), "user_disabled");
        is(err(400, "INVALID_LOGIN_CREDENTIALS"), "cannot_tell");
        is(
            resp(
                200,
                r#"{"localId":"u1","mfaPendingCredential":"p","mfaInfo":[]}"#,
            ),
            "challenge",
        );
        for r in [
            err(
                400,
                "TOO_MANY_ATTEMPTS_TRY_LATER : Access to this account has been temporarily disabled",
            ),
            err(403, "The request is missing a valid API key."),
            err(400, "API key not valid. Please pass a valid API key."),
            err(400, "MISSING_PASSWORD"),
            err(400, "OPERATION_NOT_ALLOWED"),
            // The codes mean their answer only in a 400: a 5xx saying one is still down.
            err(500, "EMAIL_NOT_FOUND"),
            err(503, "INVALID_PASSWORD"),
            resp(502, "<html>Bad Gateway</html>"),
            resp(400, "not json"),
            resp(400, r#"{"error":"EMAIL_NOT_FOUND"}"#),
            resp(200, "not json"),
            resp(200, r#"{"localId":"u1"}"#),
            resp(200, r#"{"idToken":"","localId":"u1"}"#),
        ] {
            is(r, "unavailable");
        }
        assert_eq!(
            error_code(&err(
                400,
                "TOO_MANY_ATTEMPTS_TRY_LATER : Access to this account has been temporarily disabled"
            ))
            .as_deref(),
            Some("TOO_MANY_ATTEMPTS_TRY_LATER")
        );
        assert_eq!(
            error_code(&err(400, "INVALID_PASSWORD")).as_deref(),
            Some("INVALID_PASSWORD")
        );
        let no_key = resp(
            403,
            r#"{"error":{"code":403,"message":"The request is missing a valid API key.","status":"PERMISSION_DENIED"}}"#,
        );
        assert_eq!(error_code(&no_key).as_deref(), Some("PERMISSION_DENIED"));
        assert_eq!(error_code(&resp(500, "oops")), None);
        let Answer::Unavailable(why) = sign_in_answer(&no_key).unwrap_err() else {
            unreachable!()
        };
        assert!(why.contains("api_key"), "{why}");
        let ok = resp(
            200,
            r#"{"localId":"u1","idToken":"t.o.k","email":"a@x.org"}"#,
        );
        assert_eq!(sign_in_answer(&ok).unwrap(), ("t.o.k".into(), "u1".into()));
    }

    /// R4, R11, R15, R17: the lookup record is the profile, as an export's: no password hash
    /// or salt (the emulator's fake hash holds the password), `customAttributes` an object
    /// and its keys at the top level; the `localId` is the source user ID; a disabled record
    /// is refused; a record of someone else, none, or bad customAttributes fail closed.
    #[test]
    fn the_lookup_record_is_the_profile_as_an_exports() {
        let rec = r#"{"users":[{"localId":"u1","email":"rosa@x.org","displayName":"Rosa",
            "passwordHash":"fakeHash:salt=s:password=Harbor-lights-9","salt":"s",
            "customAttributes":"{\"tenantId\":\"acme\",\"plan\":\"pro\"}"}]}"#;
        let Answer::Authenticated(u) = lookup_answer(&resp(200, rec), "u1") else {
            panic!()
        };
        assert_eq!(u.identifier, "rosa@x.org");
        assert_eq!(u.external_id.as_deref(), Some("u1"));
        assert_eq!(u.profile["customAttributes"]["tenantId"], "acme");
        assert_eq!(u.profile["tenantId"], "acme");
        assert_eq!(u.profile["displayName"], "Rosa");
        assert!(!u.profile.contains_key("passwordHash") && !u.profile.contains_key("salt"));
        assert!(
            !serde_json::to_string(&u.profile)
                .unwrap()
                .contains("Harbor")
        );
        let off = r#"{"users":[{"localId":"u1","email":"a@x.org","disabled":true}]}"#;
        assert!(matches!(
            lookup_answer(&resp(200, off), "u1"),
            Answer::Disabled
        ));
        for (status, body) in [
            (200, rec),
            (200, r#"{"kind":"identitytoolkit#GetAccountInfoResponse"}"#),
            (200, r#"{"users":[{"localId":"u1"}]}"#),
            (
                200,
                r#"{"users":[{"localId":"u1","email":"a@x.org","customAttributes":"[1]"}]}"#,
            ),
            (
                200,
                r#"{"users":[{"localId":"u1","email":"a@x.org","customAttributes":"{\"a\":1,\"a\":2}"}]}"#,
            ),
            (
                400,
                r#"{"error":{"code":400,"message":"INVALID_ID_TOKEN"}}"#,
            ),
            (200, "not json"),
        ] {
            let local = if body == rec { "someone-else" } else { "u1" };
            let got = lookup_answer(&resp(status, body), local);
            assert!(matches!(got, Answer::Unavailable(_)), "{body}: {got:?}");
        }
    }

    /// The emulator's form of the base (FIREBASE_AUTH_EMULATOR_HOST), and no key anywhere
    /// but the query.
    #[test]
    fn the_base_is_googles_or_under_the_endpoint_url() {
        assert_eq!(
            call_url(&base(None), SIGN_IN, "k1").as_str(),
            "https://identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=k1"
        );
        for e in ["http://127.0.0.1:9099", "http://127.0.0.1:9099/"] {
            let u = url::Url::parse(e).unwrap();
            assert_eq!(
                call_url(&base(Some(&u)), LOOKUP, "a b").as_str(),
                "http://127.0.0.1:9099/identitytoolkit.googleapis.com/v1/accounts:lookup?key=a+b"
            );
        }
    }

    /// The project of an ID token is its audience; a token without one, or not a JWT,
    /// tells none. The emulator's tokens are unsigned (`alg: none`) and read all the same.
    #[test]
    fn the_project_of_a_token_is_its_audience() {
        use base64ct::Encoding;
        let b64 = |s: &str| base64ct::Base64UrlUnpadded::encode_string(s.as_bytes());
        let token =
            |claims: &str| format!("{}.{}.", b64(r#"{"alg":"none","typ":"JWT"}"#), b64(claims));
        let t = token(r#"{"aud":"demo-pools","iss":"https://securetoken.google.com/demo-pools"}"#);
        assert_eq!(token_project(&t).as_deref(), Some("demo-pools"));
        assert_eq!(token_project(&token(r#"{"sub":"x"}"#)), None);
        assert_eq!(token_project(&token(r#"{"aud":"a b"}"#)), None);
        assert_eq!(token_project("nope"), None);
    }

    /// `pools check`, trial finding (issue 10): an endpoint_url where no Identity Toolkit
    /// answers (a 404 page, another service's JSON) fails `reachable` with the fix naming
    /// --endpoint-url, not the API key; a failing Google, `reachable` with "later"; a real
    /// error answer is left to [`check_answer`].
    #[test]
    fn check_tells_a_wrong_endpoint_from_a_wrong_key() {
        let base =
            url::Url::parse("http://127.0.0.1:9/identitytoolkit.googleapis.com/v1/").unwrap();
        for r in [
            resp(404, "Not Found"),
            resp(200, r#"{"status":"ok"}"#),
            resp(400, "<html>"),
        ] {
            let p = not_identity_toolkit(&r, &base, "live").expect("a failed probe");
            assert_eq!((p.check.as_str(), p.ok), ("reachable", false), "{p:?}");
            let fix = p.fix.unwrap();
            assert!(
                fix.contains("`pools configure live --endpoint-url"),
                "{fix}"
            );
            assert!(!fix.contains("api-key"), "{fix}");
        }
        let down = not_identity_toolkit(&resp(503, ""), &base, "live").unwrap();
        assert!(down.fix.unwrap().contains("later"));
        let keyed = err(400, "API key not valid. Please pass a valid API key.");
        assert!(not_identity_toolkit(&keyed, &base, "live").is_none());
        assert!(not_identity_toolkit(&err(400, "EMAIL_NOT_FOUND"), &base, "live").is_none());
    }

    /// `pools check`: an unknown email (either code) passes; a bad key or a disabled
    /// provider fails with its fix.
    #[test]
    fn check_reports_a_bad_key_and_a_disabled_provider_with_their_fix() {
        for m in ["EMAIL_NOT_FOUND", "INVALID_LOGIN_CREDENTIALS"] {
            assert!(check_answer(&err(400, m), "live").iter().all(|p| p.ok));
        }
        let off = check_answer(&err(400, "OPERATION_NOT_ALLOWED"), "live");
        assert!(off.iter().any(|p| !p.ok
            && p.check == "password_flow"
            && p.fix.as_deref().unwrap().contains("Email/Password")));
        let bad = check_answer(
            &err(400, "API key not valid. Please pass a valid API key."),
            "live",
        );
        assert!(bad[0].check == "credentials" && !bad[0].ok);
        assert!(
            bad[0]
                .fix
                .as_deref()
                .unwrap()
                .contains("`pools configure live --api-key -`")
        );
    }
}
