//! OpenID Connect federation, offline: the claims an IdP would return are given to the
//! engine (`simulate-login --claims FILE`, an ID token's payload per OIDC Core 1.0 §2).

use super::{Answer, Attempt, SourceUser};
use crate::identifier;
use crate::pool::Issuer;
use serde_json::Value;

pub(super) fn authenticate(issuer: &Issuer, attempt: &Attempt<'_>) -> Answer {
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
    let Some(Value::String(iss)) = claims.get("iss") else {
        return Answer::NotAsked(format!(
            "the claims have no `iss` string: an ID token names its issuer (OIDC Core 1.0 §2); this pool's is {ours}"
        ));
    };
    // The Issuer Identifier MUST exactly match `iss` (OIDC Core 1.0 §3.1.3.7): no case
    // folding, no trailing-slash trimming.
    if iss != ours {
        return Answer::NotAsked(format!(
            "the claims are issued by {iss:?}, not by this pool's issuer {ours:?} (issuers compare exactly, OIDC Core 1.0 §3.1.3.7)"
        ));
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
        hash_scheme: None,
    })
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
