//! What a source's profile must lose before it is stored or shown (R11): a live source is
//! the operator's or a provider's server, and one that echoes the request, or returns its
//! own record whole, would otherwise put the typed password, a hash or a token into the
//! store, `users show` and every export of it.

use serde_json::{Map, Value};

/// Members named so hold credentials whatever their value (compared without case, `_` or
/// `-`): passwords and their hashes, salts, tokens, secrets, keys.
const SECRET_NAMES: &[&str] = &[
    "password",
    "passwordhash",
    "hash",
    "salt",
    "secret",
    "clientsecret",
    "token",
    "accesstoken",
    "idtoken",
    "refreshtoken",
    "apikey",
    "authorization",
];

/// Passwords shorter than this are only matched as a whole value: a short one would match
/// inside ordinary text.
const MIN_CONTAINED: usize = 6;

fn secret_name(key: &str) -> bool {
    let folded: String = key
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_NAMES.contains(&folded.as_str())
}

fn holds(text: &str, password: Option<&str>) -> bool {
    match password {
        Some(p) if !p.is_empty() => {
            text == p || (p.chars().count() >= MIN_CONTAINED && text.contains(p))
        }
        _ => false,
    }
}

/// `profile` without the members a stored profile must never hold (R11), at any depth: a
/// member named as a credential ([`SECRET_NAMES`]), and any string that is the typed
/// `password` or, for one of at least 6 characters, holds it. Array items that hold the
/// password are dropped; everything else is kept as it was.
pub fn scrub(profile: Map<String, Value>, password: Option<&str>) -> Map<String, Value> {
    profile
        .into_iter()
        .filter(|(k, _)| !secret_name(k))
        .filter_map(|(k, v)| scrub_value(v, password).map(|v| (k, v)))
        .collect()
}

fn scrub_value(v: Value, password: Option<&str>) -> Option<Value> {
    match v {
        Value::String(s) if holds(&s, password) => None,
        Value::Object(m) => Some(Value::Object(scrub(m, password))),
        Value::Array(items) => Some(Value::Array(
            items
                .into_iter()
                .filter_map(|i| scrub_value(i, password))
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
        let out = Value::Object(scrub(p, Some("Harbor-lights-9")));
        assert_eq!(
            out,
            json!({"given_name": "Ann", "tenantId": "acme",
                   "app_metadata": {"plan": "pro", "notes": ["ok"]},
                   "logins": 3, "verified": true})
        );
    }

    /// A short password is matched whole only: "ann" must not take "Anna Mann" away.
    #[test]
    fn a_short_password_is_matched_whole() {
        let Value::Object(p) = json!({"name": "Joanna", "nick": "ann"}) else {
            unreachable!()
        };
        assert_eq!(
            Value::Object(scrub(p, Some("ann"))),
            json!({"name": "Joanna"})
        );
    }
}
