//! The `cognito` source: an Amazon Cognito user pool asked with the app client's password
//! flow. `InitiateAuth` with `USER_PASSWORD_AUTH` (Amazon Cognito Identity Provider API
//! Reference, "InitiateAuth"), over the AWS JSON 1.1 protocol (`X-Amz-Target`; these two
//! calls are public: no SigV4), with `SECRET_HASH` when the app client has a secret
//! ("Computing secret hash values": Base64(HMAC-SHA256(secret, username + client ID))); then
//! `GetUser` with the access token for the attributes (`custom:*` included).

use crate::http::{Http, Response, str_at};
use hmac::{KeyInit, Mac};
use pools_core::secret::SecretRef;
use pools_core::source::{Answer, Asked, Probe, SourceUser};
use serde_json::{Map, Value, json};

pub(crate) struct CognitoSource {
    /// The pool's name, for the fixes `pools check` gives.
    pub(crate) pool: String,
    pub(crate) http: Http,
    pub(crate) endpoint: url::Url,
    pub(crate) client_id: String,
    pub(crate) client_secret: Option<SecretRef>,
    /// The pool's `user_pool_id`: the app client must belong to it.
    pub(crate) user_pool_id: String,
}

/// The user pool an access token was issued by: the last path segment of its `iss` claim
/// (`https://cognito-idp.{region}.amazonaws.com/{userPoolId}`, Amazon Cognito Developer
/// Guide, "Understanding the access token"). Read without verifying the token: it only
/// tells an app client of another user pool than the pool's settings say; nothing of the
/// user is taken from it (GetUser gives that).
pub(crate) fn token_user_pool(token: &str) -> Option<String> {
    let iss = crate::unverified_claim(token, "iss")?;
    crate::plain_id(iss.trim_end_matches('/').rsplit('/').next()?, 55)
}

/// `https://cognito-idp.{region}.amazonaws.com/`, or the pool's `endpoint_url`.
pub(crate) fn endpoint(region: &str, endpoint_url: Option<&url::Url>) -> url::Url {
    match endpoint_url {
        Some(u) => u.clone(),
        None => url::Url::parse(&format!("https://cognito-idp.{region}.amazonaws.com/"))
            .expect("a region is a valid host label"),
    }
}

/// `SECRET_HASH` for `username` ("Computing secret hash values" in the Cognito developer
/// guide): Base64 of HMAC-SHA256 keyed by the client secret over username + client ID.
pub(crate) fn secret_hash(secret: &str, username: &str, client_id: &str) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    <base64ct::Base64 as base64ct::Encoding>::encode_string(&mac.finalize().into_bytes())
}

/// The `InitiateAuth` request body.
pub(crate) fn initiate_auth_body(
    client_id: &str,
    username: &str,
    password: &str,
    secret: Option<&str>,
) -> Value {
    let mut params = Map::new();
    params.insert("USERNAME".into(), username.into());
    params.insert("PASSWORD".into(), password.into());
    if let Some(s) = secret {
        params.insert(
            "SECRET_HASH".into(),
            secret_hash(s, username, client_id).into(),
        );
    }
    json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id, "AuthParameters": params})
}

/// The AWS error type of a response: `__type` (or the `X-Amzn-ErrorType` form), without a
/// namespace (`com.amazonaws...#NotAuthorizedException`) or a `:url` suffix.
pub(crate) fn error_type(r: &Response) -> Option<String> {
    let raw = r.json.as_ref().and_then(|j| str_at(j, "__type"))?;
    let raw = raw.rsplit('#').next().unwrap_or(raw);
    let raw = raw.split(':').next().unwrap_or(raw);
    // Shown in traces: only an AWS error type's characters, never free text a server (or
    // something in front of it) may fill with what it was sent (R11).
    if raw.is_empty()
        || raw.len() > 80
        || !raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return Some("UnrecognisedError".into());
    }
    Some(raw.to_owned())
}

fn message(r: &Response) -> String {
    r.json
        .as_ref()
        .and_then(|j| str_at(j, "message").or_else(|| str_at(j, "Message")))
        .unwrap_or("")
        .chars()
        .take(200)
        .collect()
}

/// What an `InitiateAuth` answer means (the mapping of README "Live sources").
pub(crate) fn initiate_answer(r: &Response) -> Result<String, Answer> {
    if r.status == 200 {
        let Some(j) = &r.json else {
            return Err(Answer::Unavailable(
                "InitiateAuth answered 200 with a body that is not JSON".into(),
            ));
        };
        if let Some(token) = j
            .get("AuthenticationResult")
            .and_then(|a| str_at(a, "AccessToken"))
        {
            return Ok(token.to_owned());
        }
        if let Some(challenge) = str_at(j, "ChallengeName") {
            return Err(Answer::Challenge(challenge.chars().take(64).collect()));
        }
        return Err(Answer::Unavailable(
            "InitiateAuth answered 200 with neither tokens nor a challenge".into(),
        ));
    }
    let kind = error_type(r).unwrap_or_default();
    let msg = message(r);
    Err(match kind.as_str() {
        "UserNotFoundException" => Answer::Unknown,
        "NotAuthorizedException" if msg == "User is disabled." => Answer::Disabled,
        "NotAuthorizedException" if msg == "Incorrect username or password." => {
            Answer::WrongPassword
        }
        "UserNotConfirmedException" => Answer::NotConfirmed,
        "PasswordResetRequiredException" => Answer::ResetRequired,
        "InvalidParameterException" if msg.contains("USER_PASSWORD_AUTH") => {
            Answer::Unavailable("the app client does not allow the password flow (InvalidParameterException): enable ALLOW_USER_PASSWORD_AUTH on it".into())
        }
        "NotAuthorizedException" if msg.contains("SECRET_HASH") || msg.contains("secret") => {
            Answer::Unavailable("the app client refused the secret hash (NotAuthorizedException): check the pool's client_secret".into())
        }
        "" => Answer::Unavailable(format!("InitiateAuth answered HTTP {}", r.status)),
        // The error type only: its message is the server's free text (R11).
        other => Answer::Unavailable(format!("InitiateAuth answered HTTP {} {other}", r.status)),
    })
}

/// The user a `GetUser` answer describes: identifier the `email` attribute (else the
/// username), source user ID the `sub`, the attributes as the profile.
pub(crate) fn user_of(r: &Response) -> Result<SourceUser, String> {
    if r.status != 200 {
        return Err(format!(
            "GetUser answered HTTP {}{}",
            r.status,
            error_type(r).map(|t| format!(" {t}")).unwrap_or_default()
        ));
    }
    let j = r
        .json
        .as_ref()
        .ok_or("GetUser answered 200 with a body that is not JSON")?;
    let username = str_at(j, "Username").ok_or("GetUser's answer has no Username")?;
    let mut profile = Map::new();
    for a in j
        .get("UserAttributes")
        .and_then(Value::as_array)
        .ok_or("GetUser's answer has no UserAttributes")?
    {
        if let (Some(n), Some(v)) = (str_at(a, "Name"), str_at(a, "Value")) {
            profile.insert(n.to_owned(), Value::String(v.to_owned()));
        }
    }
    let email = profile
        .get("email")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let sub = profile
        .get("sub")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let identifier = email.clone().unwrap_or_else(|| username.to_owned());
    let mut aliases = Vec::new();
    if let Some(p) = profile.get("preferred_username").and_then(Value::as_str)
        && p != identifier
    {
        aliases.push(p.to_owned());
    }
    profile.insert("username".into(), Value::String(username.to_owned()));
    Ok(SourceUser {
        identifier,
        aliases,
        external_id: Some(sub.unwrap_or_else(|| username.to_owned())),
        profile,
        hash: None,
    })
}

impl CognitoSource {
    /// After "Incorrect username or password.": an app client with PreventUserExistenceErrors
    /// (the console's default for new clients) answers an unknown user so too, so the answer
    /// alone cannot tell. The same `InitiateAuth` for a user that cannot exist decides:
    /// `UserNotFoundException` means the client tells unknown users apart, so this one exists
    /// and the password is wrong; the same answer again means it hides them, `cannot_tell`
    /// (R5: later pools are asked, as for Firebase's INVALID_LOGIN_CREDENTIALS). Anything else
    /// fails closed.
    async fn hidden_or_wrong(&self, asked: &Asked, secret: Option<&str>) -> Answer {
        let nobody = crate::http::nobody();
        let probe = (nobody.as_str(), "Pools-probe-not-a-password-1");
        match self
            .initiate(
                &asked.exchanges,
                "InitiateAuth (unknown-user probe)",
                probe,
                secret,
                asked.deadline,
            )
            .await
        {
            Ok(r) => probe_answer(&r),
            Err(why) => Answer::Unavailable(why),
        }
    }

    /// One `InitiateAuth` (USER_PASSWORD_AUTH) of `(username, password)`, recorded in `log`
    /// as `call`, by `deadline`.
    async fn initiate(
        &self,
        log: &pools_core::source::ExchangeLog,
        call: &str,
        (username, password): (&str, &str),
        secret: Option<&str>,
        deadline: std::time::Instant,
    ) -> Result<Response, String> {
        let body = initiate_auth_body(&self.client_id, username, password, secret);
        let req =
            target(self.http.post(self.endpoint.clone()), "InitiateAuth").body(body.to_string());
        self.http.send(log, call, req, deadline, error_type).await
    }
}

/// What the unknown-user probe after a wrong password says of that wrong password (see
/// [`CognitoSource::hidden_or_wrong`]).
pub(crate) fn probe_answer(r: &Response) -> Answer {
    match initiate_answer(r) {
        Err(Answer::Unknown) => Answer::WrongPassword,
        Err(Answer::WrongPassword) => Answer::CannotTell,
        Err(Answer::Unavailable(why)) => Answer::Unavailable(why),
        _ => Answer::Unavailable(format!(
            "InitiateAuth for a user that cannot exist answered HTTP {}{}: cannot tell a wrong password from an unknown user",
            r.status,
            error_type(r).map(|t| format!(" {t}")).unwrap_or_default()
        )),
    }
}

fn target(req: reqwest::RequestBuilder, op: &str) -> reqwest::RequestBuilder {
    req.header("Content-Type", "application/x-amz-json-1.1")
        .header(
            "X-Amz-Target",
            format!("AWSCognitoIdentityProviderService.{op}"),
        )
}

#[async_trait::async_trait]
impl pools_core::source::Source for CognitoSource {
    async fn ask(&self, asked: Asked) -> Answer {
        let Some(password) = asked.password.as_ref() else {
            return Answer::NotAsked("no password: Cognito is asked with one".into());
        };
        let secret = match &self.client_secret {
            None => None,
            Some(r) => match r.resolve("client_secret") {
                Ok(s) => Some(s),
                Err(e) => return Answer::Unavailable(format!("{e}")),
            },
        };
        let resp = match self
            .initiate(
                &asked.exchanges,
                "InitiateAuth",
                (&asked.identifier, password.expose()),
                secret.as_ref().map(|s| s.expose()),
                asked.deadline,
            )
            .await
        {
            Ok(r) => r,
            Err(why) => return Answer::Unavailable(why),
        };
        let token = match initiate_answer(&resp) {
            Ok(t) => t,
            Err(Answer::WrongPassword) => {
                return self
                    .hidden_or_wrong(&asked, secret.as_ref().map(|s| s.expose()))
                    .await;
            }
            Err(answer) => return answer,
        };
        // A user of another user pool is not this pool's to migrate (fail closed, R5).
        if let Some(issuer) = token_user_pool(&token)
            && issuer != self.user_pool_id
        {
            return Answer::Unavailable(format!(
                "app client {} belongs to user pool {issuer} (its access token's issuer), not to the pool's user_pool_id {}: set the right one ({}) or the app client of {}",
                self.client_id,
                self.user_pool_id,
                crate::configure(&self.pool, &format!("--user-pool-id {issuer}")),
                self.user_pool_id
            ));
        }
        let req = target(self.http.post(self.endpoint.clone()), "GetUser")
            .body(json!({ "AccessToken": token }).to_string());
        let resp = match self
            .http
            .send(&asked.exchanges, "GetUser", req, asked.deadline, error_type)
            .await
        {
            Ok(r) => r,
            Err(why) => return Answer::Unavailable(why),
        };
        match user_of(&resp) {
            Ok(u) => Answer::Authenticated(u),
            Err(why) => Answer::Unavailable(why),
        }
    }

    async fn check(
        &self,
        deadline: std::time::Instant,
        log: pools_core::source::ExchangeLog,
    ) -> Vec<Probe> {
        let secret = match &self.client_secret {
            None => None,
            Some(r) => match r.resolve("client_secret") {
                Ok(s) => Some(s),
                Err(e) => return vec![crate::unresolved(&self.pool, &e, "--client-secret")],
            },
        };
        let nobody = crate::http::nobody();
        let resp = match self
            .initiate(
                &log,
                "InitiateAuth",
                (&nobody, "Pools-check-not-a-password-1"),
                secret.as_ref().map(|s| s.expose()),
                deadline,
            )
            .await
        {
            Ok(r) => r,
            Err(why) => return vec![crate::http::unreachable(&log, why, &self.pool)],
        };
        let mut out = crate::http::reached(resp.status, &self.endpoint);
        out.extend(check_answer(&resp, &self.client_id, &self.pool));
        out
    }
}

/// What the probe's `InitiateAuth` (a user that cannot exist) tells of the prerequisites.
pub(crate) fn check_answer(r: &Response, client_id: &str, pool: &str) -> Vec<Probe> {
    let kind = error_type(r).unwrap_or_default();
    let msg = message(r);
    let flow_ok = || Probe::pass("password_flow", "USER_PASSWORD_AUTH is accepted");
    let creds_ok = || {
        Probe::pass(
            "credentials",
            format!(
                "app client {client_id} accepted (its user pool is compared with user_pool_id at the first login that succeeds)"
            ),
        )
    };
    match kind.as_str() {
        "UserNotFoundException" => vec![creds_ok(), flow_ok()],
        // PreventUserExistenceErrors answers the unknown user as a wrong password.
        "NotAuthorizedException" if msg == "Incorrect username or password." => vec![
            creds_ok(),
            Probe::pass(
                "password_flow",
                format!(
                    "USER_PASSWORD_AUTH is accepted; app client {client_id} hides unknown users (PreventUserExistenceErrors), so each wrong password costs one more request to tell, and is answered cannot_tell: later pools are asked for it (R5)"
                ),
            ),
        ],
        "InvalidParameterException" if msg.contains("USER_PASSWORD_AUTH") => vec![
            creds_ok(),
            Probe::fail(
                "password_flow",
                "InvalidParameterException: the USER_PASSWORD_AUTH flow is not enabled".to_owned(),
                format!(
                    "enable ALLOW_USER_PASSWORD_AUTH in the authentication flows of app client {client_id}"
                ),
            ),
        ],
        "NotAuthorizedException" if msg.to_ascii_lowercase().contains("secret") => {
            vec![Probe::fail(
                "credentials",
                "NotAuthorizedException: the secret hash was not accepted".to_owned(),
                format!(
                    "set the pool's client secret to the app client's: {} (or remove it if the client has none)",
                    crate::configure(pool, "--client-secret -")
                ),
            )]
        }
        "ResourceNotFoundException" => vec![Probe::fail(
            "credentials",
            "ResourceNotFoundException: the app client or user pool was not found".to_owned(),
            "check --client-id, --user-pool-id and --region: the app client was not found",
        )],
        _ => vec![Probe::fail(
            "credentials",
            format!("InitiateAuth answered HTTP {} {kind}", r.status),
            "check the pool's Cognito settings against the user pool and app client",
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

    fn err(kind: &str, msg: &str) -> Response {
        resp(400, &json!({"__type": kind, "message": msg}).to_string())
    }

    /// The exact request (moto accepts any SECRET_HASH, so its value is checked here): the
    /// vector was computed with Python's hmac module,
    /// base64(hmac.new(b"s3cret", b"lee@x.org" + b"client1", sha256).digest()).
    #[test]
    fn initiate_auth_carries_the_secret_hash_of_username_and_client_id() {
        assert_eq!(
            secret_hash("s3cret", "lee@x.org", "client1"),
            "tmn8S0EB1Gk7CjdQl1NHXXcrdycMlIz5vcxAC03tY6M="
        );
        let body = initiate_auth_body("client1", "lee@x.org", "pw", Some("s3cret"));
        assert_eq!(body["AuthFlow"], "USER_PASSWORD_AUTH");
        assert_eq!(body["ClientId"], "client1");
        assert_eq!(body["AuthParameters"]["USERNAME"], "lee@x.org");
        assert_eq!(
            body["AuthParameters"]["SECRET_HASH"],
            secret_hash("s3cret", "lee@x.org", "client1")
        );
        let plain = initiate_auth_body("client1", "lee@x.org", "pw", None);
        assert!(plain["AuthParameters"].get("SECRET_HASH").is_none());
    }

    /// R5, R15: each documented InitiateAuth answer means one thing; anything else fails
    /// closed.
    #[test]
    fn initiate_auth_answers_map_as_documented() {
        let ok = resp(
            200,
            r#"{"AuthenticationResult":{"AccessToken":"t","IdToken":"i"}}"#,
        );
        assert_eq!(initiate_answer(&ok).unwrap(), "t");
        let is = |r: Response, want: &str| {
            let got = initiate_answer(&r).unwrap_err();
            assert_eq!(got.code(), want, "{got:?}");
        };
        is(
            err("UserNotFoundException", "User does not exist."),
            "unknown_identifier",
        );
        is(
            err("NotAuthorizedException", "Incorrect username or password."),
            "wrong_password",
        );
        is(
            err("NotAuthorizedException", "User is disabled."),
            "user_disabled",
        );
        is(
            err(
                "com.amazonaws.cognito#UserNotConfirmedException",
                "User is not confirmed.",
            ),
            "user_not_confirmed",
        );
        is(
            err(
                "PasswordResetRequiredException",
                "Password reset required for the user",
            ),
            "password_reset_required",
        );
        is(
            resp(
                200,
                r#"{"ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"s"}"#,
            ),
            "challenge",
        );
        is(
            resp(200, r#"{"ChallengeName":"SOFTWARE_TOKEN_MFA"}"#),
            "challenge",
        );
        for r in [
            err("TooManyRequestsException", "Rate exceeded"),
            err("NotAuthorizedException", "Password attempts exceeded"),
            err(
                "InvalidParameterException",
                "USER_PASSWORD_AUTH flow not enabled for this client",
            ),
            resp(500, "oops"),
            resp(200, "not json"),
            resp(200, "{}"),
        ] {
            is(r, "unavailable");
        }
        let Answer::Unavailable(why) = initiate_answer(&err(
            "InvalidParameterException",
            "USER_PASSWORD_AUTH flow not enabled for this client",
        ))
        .unwrap_err() else {
            unreachable!()
        };
        assert!(why.contains("ALLOW_USER_PASSWORD_AUTH"), "{why}");
    }

    /// GetUser's attributes become the profile, `custom:*` as they are named (so
    /// `--tenant property:custom:tenantId` reads them); the email is the identifier and
    /// the sub the source user ID.
    #[test]
    fn get_user_attributes_become_the_profile() {
        let u = user_of(&resp(
            200,
            r#"{"Username":"d0bd","UserAttributes":[{"Name":"email","Value":"lee@x.org"},{"Name":"custom:tenantId","Value":"umbrella"},{"Name":"sub","Value":"d0bd"}]}"#,
        ))
        .unwrap();
        assert_eq!(u.identifier, "lee@x.org");
        assert_eq!(u.external_id.as_deref(), Some("d0bd"));
        assert_eq!(u.profile["custom:tenantId"], "umbrella");
        assert!(user_of(&err("NotAuthorizedException", "Invalid token")).is_err());
        assert!(user_of(&resp(200, r#"{"Username":"x"}"#)).is_err());
    }

    /// `pools check` on what moto cannot show (it ignores ExplicitAuthFlows and any
    /// SECRET_HASH): the real Cognito answers to a missing password flow and a wrong secret
    /// each fail their check with the fix.
    #[test]
    fn check_reports_a_missing_flow_and_a_wrong_secret_with_their_fix() {
        let flow = check_answer(
            &err(
                "InvalidParameterException",
                "USER_PASSWORD_AUTH flow not enabled for this client",
            ),
            "c1",
            "live",
        );
        let p = flow.iter().find(|p| p.check == "password_flow").unwrap();
        assert!(!p.ok);
        assert!(
            p.fix
                .as_deref()
                .unwrap()
                .contains("ALLOW_USER_PASSWORD_AUTH")
        );
        let secret = check_answer(
            &err(
                "NotAuthorizedException",
                "Unable to verify secret hash for client c1",
            ),
            "c1",
            "live",
        );
        assert_eq!(secret.len(), 1);
        assert!(!secret[0].ok && secret[0].check == "credentials");
        assert!(
            secret[0]
                .fix
                .as_deref()
                .unwrap()
                .contains("`pools configure live --client-secret -`")
        );
        let fine = check_answer(
            &err("UserNotFoundException", "User does not exist."),
            "c1",
            "live",
        );
        assert!(fine.iter().all(|p| p.ok), "{fine:?}");
        let hidden = check_answer(
            &err("NotAuthorizedException", "Incorrect username or password."),
            "c1",
            "live",
        );
        assert!(hidden.iter().all(|p| p.ok), "{hidden:?}");
    }

    /// R5, trial finding (issue 10): after "Incorrect username or password.", the unknown-user
    /// probe decides: UserNotFoundException (unknown users told apart) keeps the wrong
    /// password; the same answer (PreventUserExistenceErrors) is cannot_tell, so later pools
    /// are asked; a throttled or broken probe fails closed.
    #[test]
    fn a_client_that_hides_unknown_users_cannot_tell_a_wrong_password() {
        assert_eq!(
            probe_answer(&err("UserNotFoundException", "User does not exist.")).code(),
            "wrong_password"
        );
        assert_eq!(
            probe_answer(&err(
                "NotAuthorizedException",
                "Incorrect username or password."
            ))
            .code(),
            "cannot_tell"
        );
        for r in [
            err("TooManyRequestsException", "Rate exceeded"),
            resp(500, "oops"),
        ] {
            assert_eq!(probe_answer(&r).code(), "unavailable", "{:?}", r.status);
        }
        let hidden = check_answer(
            &err("NotAuthorizedException", "Incorrect username or password."),
            "c1",
            "live",
        );
        assert!(hidden.iter().all(|p| p.ok), "{hidden:?}");
        assert!(
            hidden
                .iter()
                .any(|p| p.detail.contains("PreventUserExistenceErrors")),
            "{hidden:?}"
        );
    }

    /// The user pool of an access token is its issuer's last segment; a token that is not
    /// a JWT, has no `iss`, or whose issuer ends in text that is no user pool ID tells none.
    #[test]
    fn the_user_pool_of_a_token_is_its_issuer() {
        use base64ct::Encoding;
        let token = |claims: &str| {
            let b64 = |s: &str| base64ct::Base64UrlUnpadded::encode_string(s.as_bytes());
            format!(
                "{}.{}.sig",
                b64(r#"{"alg":"RS256","kid":"k"}"#),
                b64(claims)
            )
        };
        let iss = r#"{"iss":"https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123","token_use":"access"}"#;
        assert_eq!(
            token_user_pool(&token(iss)).as_deref(),
            Some("eu-west-1_AbC123")
        );
        for none in [
            token(r#"{"sub":"x"}"#),
            token(r#"{"iss":"https://evil.test/Harbor lights"}"#),
            "not-a-jwt".to_owned(),
        ] {
            assert_eq!(token_user_pool(&none), None, "{none}");
        }
    }

    /// R11, trial finding (issue 10): a server that echoes the request in its error message
    /// (a proxy, a mock) never gets the password or SECRET_HASH into a trace or a check: only
    /// the error type is shown, and a type that is not one is not shown either.
    #[test]
    fn an_echoed_request_never_reaches_a_message() {
        let echo = r#"echo {"PASSWORD":"Harbor-lights-9","SECRET_HASH":"6JNs"}"#;
        for kind in ["WeirdException", "Weird Exception: Harbor-lights-9"] {
            let r = err(kind, echo);
            let Answer::Unavailable(why) = initiate_answer(&r).unwrap_err() else {
                panic!("not unavailable")
            };
            let probes = format!("{:?}", check_answer(&r, "c1", "live"));
            for text in [&why, &probes] {
                assert!(!text.contains("Harbor"), "{text}");
                assert!(!text.contains("SECRET_HASH"), "{text}");
            }
        }
    }
}
