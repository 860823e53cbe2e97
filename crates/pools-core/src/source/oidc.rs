//! OpenID Connect federation, offline: the claims an IdP would return are given to the
//! engine (`simulate-login --claims FILE`, an ID token's payload per OIDC Core 1.0 §2),
//! and checked as a client checks an ID token's claims (OIDC Core 1.0 §3.1.3.7): `iss`,
//! `aud`, `azp`, `exp`, `iat`, `nbf`. The signature is not checked: a rehearsal has claims,
//! not a signed token.

use super::{Answer, Attempt, SourceUser};
use crate::identifier;
use crate::pool::Issuer;
use serde_json::{Map, Value};
use std::time::{SystemTime, UNIX_EPOCH};

/// The clock skew allowed between the IdP and this machine when checking `exp`, `iat` and
/// `nbf`, in seconds (OIDC Core 1.0 §3.1.3.7 leaves it to the client: "a small leeway").
pub const CLOCK_SKEW_SECS: i64 = 60;

/// An idp pool's IdP, offline: the claims given stand for its ID token.
pub(super) struct OidcSource {
    pub(super) issuer: Issuer,
    pub(super) client_id: String,
}

#[async_trait::async_trait]
impl super::Source for OidcSource {
    async fn ask(&self, asked: super::Asked) -> Answer {
        // Claims checks only: no I/O, nothing to wait for.
        authenticate(
            &self.issuer,
            &self.client_id,
            &Attempt {
                identifier: &asked.identifier,
                password: asked.password.as_ref().map(crate::secret::Secret::expose),
                claims: asked.claims.as_ref(),
            },
        )
    }
}

pub(super) fn authenticate(issuer: &Issuer, client_id: &str, attempt: &Attempt<'_>) -> Answer {
    authenticate_at(issuer, client_id, attempt, now())
}

/// Seconds since the Unix epoch (a JWT NumericDate, RFC 7519 §2).
fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn authenticate_at(issuer: &Issuer, client_id: &str, attempt: &Attempt<'_>, now: i64) -> Answer {
    let Some(claims) = attempt.claims else {
        return Answer::NotAsked(
            "federation needs the IdP's claims: pass --claims FILE to simulate it".into(),
        );
    };
    // An ID token always names its issuer (OIDC Core 1.0 §2: `iss` REQUIRED); a pool takes
    // only its own issuer's claims.
    // Claims this pool cannot judge are "not asked", with the reason in the trace: a
    // rehearsal with another IdP's token, or someone else's, must not pass for an unknown user.
    let ours = issuer.as_str();
    let iss = match claims.get("iss") {
        Some(Value::String(iss)) => iss,
        // A UserInfo response (OIDC Core 1.0 §5.3.2) has the user's claims but no `iss`: the
        // commonest slip when rehearsing with what an IdP "returns".
        None => {
            return Answer::NotAsked(format!(
                "the claims carry no `iss`: they look like a UserInfo response, not an ID token's; give the ID token's claims (its payload), which name the issuer (OIDC Core 1.0 §2); this pool's is {ours:?}"
            ));
        }
        Some(other) => {
            return Answer::NotAsked(format!(
                "the claims' `iss` is {}, not a string: an ID token names its issuer as a string (OIDC Core 1.0 §2); this pool's is {ours:?}",
                crate::export::type_name(other)
            ));
        }
    };
    // The Issuer Identifier MUST exactly match `iss` (OIDC Core 1.0 §3.1.3.7): no case
    // folding, no trailing-slash trimming.
    if iss != ours {
        return Answer::NotAsked(format!(
            "the claims are issued by {iss:?}, not by this pool's issuer {ours:?} (issuers compare exactly, OIDC Core 1.0 §3.1.3.7)"
        ));
    }
    // Issued to this pool's client: another client's token (a token substitution, or another
    // pool of the same IdP) is not this pool's, as another issuer's is not.
    if let Err(why) = audience(claims, client_id) {
        return Answer::NotAsked(why);
    }
    // A token of this pool's client that is not valid now is no credential at all.
    if let Err(why) = validity(claims, now) {
        return Answer::NoCredential(why);
    }
    // The IdP's subject is what tells one person from another who types the same email (R6,
    // R17): an ID token always has one (OIDC Core 1.0 §2: `sub` REQUIRED, a string). Claims
    // of this issuer without it are no usable credential; they are never taken as a user.
    if let Err(why) = subject(claims.get("sub")) {
        return Answer::NoCredential(why);
    }
    let names = ["email", "preferred_username", "sub"];
    let matches = names
        .iter()
        .filter_map(|n| claims.get(*n).and_then(Value::as_str))
        .any(|v| identifier::same(v, attempt.identifier));
    if !matches {
        return Answer::NotAsked(
            "the claims' email, preferred_username and sub are not this identifier: they are another user's".into(),
        );
    }
    if claims.get("email_verified") == Some(&Value::Bool(false))
        && claims
            .get("email")
            .and_then(Value::as_str)
            .is_some_and(|e| identifier::same(e, attempt.identifier))
    {
        return Answer::NoCredential(
            "the IdP reports the email as unverified (email_verified: false)".into(),
        );
    }
    // One IdP subject is one user whatever name it typed (R6): the email is the identifier,
    // the other names its aliases.
    let mut names = names
        .iter()
        .filter_map(|n| claims.get(*n).and_then(Value::as_str))
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty());
    let identifier = names
        .next()
        .unwrap_or_else(|| attempt.identifier.trim().to_owned());
    Answer::Authenticated(SourceUser {
        identifier,
        aliases: names.collect(),
        external_id: claims.get("sub").and_then(Value::as_str).map(str::to_owned),
        profile: claims.clone(),
        hash: None,
    })
}

/// `aud` contains `client_id` (a string, or an array of strings), and `azp`, when present,
/// is `client_id` (OIDC Core 1.0 §3.1.3.7, items 3 to 5).
///
/// Errors: why the claims are not issued to this client, naming the claim and the value
/// expected.
fn audience(claims: &Map<String, Value>, client_id: &str) -> Result<(), String> {
    let audiences: Vec<&str> = match claims.get("aud") {
        Some(Value::String(a)) => vec![a.as_str()],
        Some(Value::Array(items)) if !items.is_empty() => {
            match items.iter().map(Value::as_str).collect::<Option<Vec<_>>>() {
                Some(a) => a,
                None => {
                    return Err(format!(
                        "the claims' `aud` holds a value that is not a string: an ID token's audience is its client IDs, strings (OIDC Core 1.0 §2); this pool's client_id is {client_id:?}"
                    ));
                }
            }
        }
        None => {
            return Err(format!(
                "the claims carry no `aud`: an ID token names the client it is issued to (OIDC Core 1.0 §2); this pool's client_id is {client_id:?}"
            ));
        }
        Some(other) => {
            return Err(format!(
                "the claims' `aud` is {}: an ID token's audience is a client ID or an array of them (OIDC Core 1.0 §2); this pool's client_id is {client_id:?}",
                crate::export::type_name(other)
            ));
        }
    };
    // Client IDs compare exactly, as issuers do.
    if !audiences.contains(&client_id) {
        return Err(format!(
            "the claims' `aud` {audiences:?} does not contain this pool's client_id {client_id:?}: issued to another client (OIDC Core 1.0 §3.1.3.7)"
        ));
    }
    match claims.get("azp") {
        None => Ok(()),
        Some(Value::String(azp)) if azp == client_id => Ok(()),
        Some(Value::String(azp)) => Err(format!(
            "the claims' `azp` is {azp:?}, not this pool's client_id {client_id:?}: the token was issued to another party (OIDC Core 1.0 §3.1.3.7)"
        )),
        Some(other) => Err(format!(
            "the claims' `azp` is {}, not a string; it must be this pool's client_id {client_id:?} (OIDC Core 1.0 §2)",
            crate::export::type_name(other)
        )),
    }
}

/// The token is valid at `now`, give or take [`CLOCK_SKEW_SECS`]: `exp` present and not
/// past, `iat` present and not in the future, `nbf`, if present, not in the future (OIDC
/// Core 1.0 §2 and §3.1.3.7 items 9 and 10; RFC 7519 §4.1.4, §4.1.5). Values are NumericDates:
/// JSON numbers of seconds since the epoch, fractions allowed.
///
/// Errors: why not, naming the claim, its time and the time now.
fn validity(claims: &Map<String, Value>, now: i64) -> Result<(), String> {
    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, in seconds since 1970.
    const MIN_DATE: f64 = -62_135_596_800.0;
    const MAX_DATE: f64 = 253_402_300_799.0;
    let date = |name: &str, required: bool| -> Result<Option<i64>, String> {
        match claims.get(name) {
            None if required => Err(format!(
                "the claims carry no `{name}`: an ID token always has one (OIDC Core 1.0 §2)"
            )),
            None => Ok(None),
            Some(Value::Number(n)) => match n.as_f64() {
                // Whole seconds: a fraction neither makes a token valid nor expires it. A time
                // beyond year 9999 is no date (a token that never expires is a forged or
                // broken one), as numbers beyond 64 bits are refused elsewhere.
                Some(f) if f.is_finite() && (MIN_DATE..=MAX_DATE).contains(&f) => {
                    Ok(Some(f.floor() as i64))
                }
                Some(f) if f.is_finite() => Err(format!(
                    "the claims' `{name}` is {n}, outside the years 1 to 9999: not a NumericDate pools accepts"
                )),
                _ => Err(format!("the claims' `{name}` is not a usable number")),
            },
            Some(other) => Err(format!(
                "the claims' `{name}` is {}, not a number of seconds since 1970 (a NumericDate, OIDC Core 1.0 §2)",
                crate::export::type_name(other)
            )),
        }
    };
    let skew = CLOCK_SKEW_SECS;
    let exp = date("exp", true)?.unwrap_or_default();
    if now >= exp.saturating_add(skew) {
        return Err(format!(
            "the claims expired: `exp` is {} and it is {} (allowing {skew} s of clock skew); an expired ID token is refused (OIDC Core 1.0 §3.1.3.7); give claims with an `exp` in the future",
            shown(exp),
            shown(now)
        ));
    }
    let iat = date("iat", true)?.unwrap_or_default();
    if iat > now.saturating_add(skew) {
        return Err(format!(
            "the claims' `iat` is {}, in the future (it is {}, allowing {skew} s of clock skew): an ID token is not issued later than now",
            shown(iat),
            shown(now)
        ));
    }
    if let Some(nbf) = date("nbf", false)?
        && nbf > now.saturating_add(skew)
    {
        return Err(format!(
            "the claims' `nbf` is {}: not valid before then (it is {}, allowing {skew} s of clock skew; RFC 7519 §4.1.5)",
            shown(nbf),
            shown(now)
        ));
    }
    Ok(())
}

/// A NumericDate as messages show it: the number, and its UTC time when it has one.
fn shown(t: i64) -> String {
    let utc = time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| {
            d.format(&time::format_description::well_known::Rfc3339)
                .ok()
        });
    match utc {
        Some(u) => format!("{t} ({u})"),
        None => t.to_string(),
    }
}

/// The ID token's subject, a non-empty string (OIDC Core 1.0 §2).
///
/// Errors: why the `sub` claim is unusable.
fn subject(sub: Option<&Value>) -> Result<&str, String> {
    let why = match sub {
        // The subject is the user's source user ID, kept and shown as the user's name at the
        // IdP: a character that rewrites a terminal or hides is refused as in identifiers.
        Some(Value::String(s)) if !s.trim().is_empty() => match crate::limits::check_name(s.trim())
        {
            Ok(()) => return Ok(s),
            Err(why) => {
                return Err(format!(
                    "the claims' `sub` (the user's source user ID at the IdP) {why}: it is kept and shown, so it must be plain text"
                ));
            }
        },
        Some(Value::String(_)) => "is empty".to_owned(),
        Some(other) => format!("is {}, not a string", crate::export::type_name(other)),
        None => "is missing".to_owned(),
    };
    Err(format!(
        "the claims' `sub` {why}: an ID token always names its subject as a string (OIDC Core 1.0 §2), and without it this user cannot be told from another with the same email"
    ))
}
