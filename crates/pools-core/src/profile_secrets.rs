//! What a source's profile must lose before it is stored or shown (R11): a live source is
//! the operator's or a provider's server, and one that echoes the request, or returns its
//! own record whole, would otherwise put the typed password, a hash or a token into the
//! store, `users show` and every export of it.

use serde_json::{Map, Value};

/// Member names that hold credentials whatever their value, compared without case, `_` or
/// `-`: a name that is one of these, or holds one of [`SECRET_PARTS`].
const SECRET_NAMES: &[&str] = &["hash", "salt", "pw", "pwd", "pass", "otp", "mfa"];

/// Parts of a member name that say it holds a credential (`session_token`, `secret_key`,
/// `user_password`, `credentials`, `bearer`).
const SECRET_PARTS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "credential",
    "apikey",
    "authorization",
    "bearer",
    "privatekey",
    "passwordhash",
];

/// Needles shorter than this are only matched as a whole value or name: a short one would
/// match inside ordinary text.
const MIN_CONTAINED: usize = 6;

fn folded(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

fn secret_name(key: &str) -> bool {
    let k = folded(key);
    SECRET_NAMES.contains(&k.as_str()) || SECRET_PARTS.iter().any(|p| k.contains(p))
}

/// The forms in which a secret may come back: as typed, in lower case, and in standard and
/// URL-safe base64.
fn forms(secret: &str) -> Vec<String> {
    use base64ct::Encoding;
    let mut out = vec![
        secret.to_lowercase(),
        base64ct::Base64::encode_string(secret.as_bytes()).to_lowercase(),
        base64ct::Base64UrlUnpadded::encode_string(secret.as_bytes()).to_lowercase(),
    ];
    out.dedup();
    out
}

/// What the scrub looks for: each secret in each of its [`forms`].
struct Needles(Vec<(String, bool)>);

impl Needles {
    fn new(secrets: &[&str]) -> Needles {
        Needles(
            secrets
                .iter()
                .filter(|s| !s.is_empty())
                .flat_map(|s| {
                    let long = s.chars().count() >= MIN_CONTAINED;
                    forms(s).into_iter().map(move |f| (f, long))
                })
                .collect(),
        )
    }

    /// Whether `text` is a needle, or holds a long one (without case).
    fn hit(&self, text: &str) -> bool {
        let t = text.to_lowercase();
        let bearer = t.trim_start().starts_with("bearer ") || t.trim_start().starts_with("basic ");
        bearer
            || self
                .0
                .iter()
                .any(|(n, long)| t == *n || (*long && t.contains(n.as_str())))
    }
}

/// The values of `pool`'s secrets that resolve here (a client secret, an API key, an
/// Authorization header and the credential after its scheme), to look for in a profile.
/// One that does not resolve was not sent, so cannot come back.
pub fn pool_secrets(pool: &crate::pool::Pool) -> Vec<crate::secret::Secret> {
    let mut out = Vec::new();
    for (field, reference) in pool.settings.secrets() {
        if let Ok(v) = reference.resolve(field) {
            if let Some((_, credential)) = v.expose().split_once(' ') {
                out.push(crate::secret::Secret::new(credential.trim().to_owned()));
            }
            out.push(v);
        }
    }
    out
}

/// `profile` without what a stored profile must never hold (R11), at any depth: a member
/// named as a credential ([`SECRET_NAMES`], [`SECRET_PARTS`]), a member whose name holds a
/// secret, and any string that is, or (for one of at least 6 characters) holds, one of
/// `secrets` (the typed password, the pool's own secret values) as typed, in another case
/// or in base64, or that is an HTTP credential (`Bearer ...`, `Basic ...`). Array items
/// that hold one are dropped; everything else is kept as it was.
pub fn scrub(profile: Map<String, Value>, secrets: &[&str]) -> Map<String, Value> {
    scrub_with(profile, &Needles::new(secrets))
}

fn scrub_with(profile: Map<String, Value>, needles: &Needles) -> Map<String, Value> {
    profile
        .into_iter()
        .filter(|(k, _)| !secret_name(k) && !needles.hit(k))
        .filter_map(|(k, v)| scrub_value(v, needles).map(|v| (k, v)))
        .collect()
}

fn scrub_value(v: Value, needles: &Needles) -> Option<Value> {
    match v {
        Value::String(s) if needles.hit(&s) => None,
        Value::Object(m) => Some(Value::Object(scrub_with(m, needles))),
        Value::Array(items) => Some(Value::Array(
            items
                .into_iter()
                .filter_map(|i| scrub_value(i, needles))
                .collect(),
        )),
        other => Some(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// R11: the typed password (whole, or inside a longer string), credential-named members
    /// at any depth and in any spelling are gone; the rest of the profile is as it was.
    #[test]
    fn a_profile_loses_the_password_hashes_and_tokens() {
        let p = json!({
            "given_name": "Ann", "tenantId": "acme",
            "pw": "Harbor-lights-9", "echo": "you sent Harbor-lights-9",
            "password_hash": "$2b$04$x", "Access-Token": "eyJ.x.y", "passwordHash": "aGFzaA==",
            "app_metadata": {"plan": "pro", "refresh_token": "r1", "notes": ["ok", "Harbor-lights-9"]},
            "logins": 3, "verified": true
        });
        let Value::Object(p) = p else { unreachable!() };
        let out = Value::Object(scrub(p, &["Harbor-lights-9"]));
        assert_eq!(
            out,
            json!({"given_name": "Ann", "tenantId": "acme",
                   "app_metadata": {"plan": "pro", "notes": ["ok"]},
                   "logins": 3, "verified": true})
        );
    }

    /// Retrial finding (issue 10): a member named by the password, the pool's own secret
    /// echoed back, the password in capitals or in base64, and credential-like names beyond
    /// the plain ones are gone too.
    #[test]
    fn every_form_of_a_secret_and_credential_like_names_are_gone() {
        let p = json!({
            "Harbor-lights-9": "keyed-by-password", "hdr": "Bearer hdr-secret-77",
            "upper": "HARBOR-LIGHTS-9", "b64": "SGFyYm9yLWxpZ2h0cy05",
            "session_token": "s", "secret_key": "k", "bearer": "b", "credentials": {"value": "v"},
            "echo": "x-hdr-secret-77-y", "tokens_left": 3, "city": "Oslo"
        });
        let Value::Object(p) = p else { unreachable!() };
        let out = Value::Object(scrub(p, &["Harbor-lights-9", "hdr-secret-77"]));
        assert_eq!(out, json!({"city": "Oslo"}));
    }

    /// A short password is matched whole only: "ann" must not take "Anna Mann" away.
    #[test]
    fn a_short_password_is_matched_whole() {
        let Value::Object(p) = json!({"name": "Joanna", "nick": "ann"}) else {
            unreachable!()
        };
        assert_eq!(Value::Object(scrub(p, &["ann"])), json!({"name": "Joanna"}));
    }
}
