//! Bearer tokens of the environment server (`pools serve`): who may call it, and for what.
//! A token is shown once, when it is issued; the store keeps its SHA-256 digest only (the
//! token is 256 random bits, so a fast digest cannot be searched: no password KDF needed),
//! and a presented token is compared with every kept digest in constant time (R11).

use crate::secret::Secret;
use subtle::ConstantTimeEq;

crate::terms::choice! {
    /// What a token may do on the server.
    pub enum Role {
        /// Everything: every route, reads and changes.
        Admin = "admin",
        /// Reads only (GET routes).
        Read = "read",
        /// Only the login route applications call (`POST /v1/login`).
        Login = "login",
    }
}

/// What a request does, as a role is checked against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// A GET of any resource.
    Read,
    /// A change, or a call that runs the engine for an operator (simulate-login, check).
    Write,
    /// `POST /v1/login`.
    Login,
    /// `GET /v1/token`: who the token presented is, which every role may ask (`pools env
    /// login` checks a token with it before keeping it).
    Identify,
}

impl Role {
    /// Whether a token of this role may make a request of `access`.
    pub fn allows(self, access: Access) -> bool {
        matches!(
            (self, access),
            (_, Access::Identify)
                | (Role::Admin, Access::Read | Access::Write | Access::Login)
                | (Role::Read, Access::Read)
                | (Role::Login, Access::Login)
        )
    }
}

/// The prefix of every token, so a leaked one is recognisable (secret scanners) and a
/// value pasted in the wrong place is told apart.
pub const PREFIX: &str = "pools_";

/// A token as the store keeps it: never the token itself.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApiToken {
    /// Unique among tokens not revoked; what the audit log records as the actor.
    pub name: String,
    pub role: Role,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// RFC 3339 UTC; revoked tokens are refused and kept for the record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
    /// Lowercase hex SHA-256 of the token (not serialised: no output shows it).
    #[serde(skip)]
    pub digest: String,
}

/// A token just issued: `token` is shown to the operator once and never stored.
pub struct Issued {
    pub token: Secret,
    pub record: ApiToken,
}

/// Lowercase hex SHA-256 of `token`.
pub fn digest(token: &str) -> String {
    use sha2::Digest;
    base16ct::lower::encode_string(&sha2::Sha256::digest(token.as_bytes()))
}

/// A new token named `name` of `role`, created now: [`PREFIX`] and 32 random bytes in
/// unpadded base64url (49 characters in all).
///
/// Errors: [`crate::Error::Invalid`] on `name` when it is empty, over 64 bytes or holds
/// other characters than letters, digits, `.`, `_`, `-` and `@`; [`crate::Error::Bug`]
/// when the system's random source fails.
pub fn issue(name: &str, role: Role) -> crate::Result<Issued> {
    check_name(name)?;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| crate::Error::Bug {
        message: format!("the system's random source failed: {e}"),
    })?;
    let token = format!(
        "{PREFIX}{}",
        <base64ct::Base64UrlUnpadded as base64ct::Encoding>::encode_string(&bytes)
    );
    let record = ApiToken {
        name: name.to_owned(),
        role,
        created_at: crate::audit::now(),
        revoked_at: None,
        digest: digest(&token),
    };
    Ok(Issued {
        token: Secret::new(token),
        record,
    })
}

/// Refuses a token name that is empty, over 64 bytes, or holds a character outside
/// letters, digits and `. _ - @` (names are shown in the audit log and in tables).
pub fn check_name(name: &str) -> crate::Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'@'));
    if ok {
        Ok(())
    } else {
        Err(crate::Error::invalid(
            "--name",
            format!(
                "token name {:?} is not 1 to 64 letters, digits, `.`, `_`, `-` or `@`",
                name.chars().take(64).collect::<String>()
            ),
        )
        .with_hint("name the token for who holds it, e.g. --name ci-deploy or --name app@prod"))
    }
}

/// The token among `tokens` (revoked ones included, so a revoked token is told as such)
/// that `presented` is, comparing its digest with every one in constant time: how long it
/// takes says nothing of which, or how much of one, matched.
pub fn find<'a>(tokens: &'a [ApiToken], presented: &str) -> Option<&'a ApiToken> {
    let wanted = digest(presented);
    let mut found = None;
    for t in tokens {
        if bool::from(t.digest.as_bytes().ct_eq(wanted.as_bytes())) {
            found = Some(t);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terms::Choice;

    /// R11: a token is the prefix and 43 base64url characters, new each time; the record keeps
    /// its digest, not the token; `find` finds it by the token alone and nothing else.
    #[test]
    fn an_issued_token_is_found_by_itself_only() {
        let a = issue("ci", Role::Admin).unwrap();
        let b = issue("app", Role::Login).unwrap();
        let token = a.token.expose();
        assert!(
            token.starts_with(PREFIX) && token.len() == PREFIX.len() + 43,
            "{token}"
        );
        assert_ne!(a.token.expose(), b.token.expose());
        assert_ne!(a.record.digest, token);
        assert!(!a.record.digest.contains(&token[PREFIX.len()..]));
        let kept = [a.record.clone(), b.record.clone()];
        assert_eq!(find(&kept, token).map(|t| t.name.as_str()), Some("ci"));
        assert_eq!(
            find(&kept, b.token.expose()).map(|t| t.role),
            Some(Role::Login)
        );
        let mut near = token.to_owned();
        near.pop();
        for wrong in ["", PREFIX, near.as_str(), &a.record.digest] {
            assert!(find(&kept, wrong).is_none(), "{wrong}");
        }
        let json = serde_json::to_string(&a.record).unwrap();
        assert!(
            !json.contains(&a.record.digest) && !json.contains(token),
            "{json}"
        );
    }

    /// Issue 11: admin does everything (POST /v1/login too), read only reads, login only logs in.
    #[test]
    fn each_role_allows_what_it_says() {
        use Access::*;
        let allowed = |r: Role| {
            [Read, Write, Login]
                .into_iter()
                .filter(|a| r.allows(*a))
                .collect::<Vec<_>>()
        };
        assert_eq!(allowed(Role::Admin), [Read, Write, Login]);
        assert_eq!(allowed(Role::Read), [Read]);
        assert_eq!(allowed(Role::Login), [Login]);
        assert_eq!(Role::from_name("READ"), Some(Role::Read));
    }

    #[test]
    fn a_token_name_is_short_and_plain() {
        for good in ["ci", "app@prod", "a.b_c-d", &"x".repeat(64)] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in ["", "two words", "tab\tname", &"x".repeat(65), "ünï"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }
}
