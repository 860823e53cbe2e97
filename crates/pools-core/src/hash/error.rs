//! The error type of the `hash` module.

/// Why a stored password hash could not be parsed, built or evaluated.
///
/// Every message names the scheme (or field), the problem and the fix. Messages never contain
/// the hash, salt, key or password text, so they are safe to log and to show in import reports;
/// names taken from the input (an unknown scheme id, a JSON key) are echoed only when they are
/// short identifiers.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HashError {
    /// The input has the shape of `scheme` but a field is missing, not decodable, or out of the
    /// accepted range. Also used for empty and unrecognisable strings (`scheme` is then
    /// `"password hash"`).
    #[error("malformed {scheme}: {reason}")]
    Malformed {
        /// Scheme or source format whose rules the input broke, e.g. `"argon2id"`,
        /// `"django-pbkdf2-sha256"`, `"keycloak credential"`, `"auth0 custom_password_hash"`.
        scheme: &'static str,
        /// What is wrong and how to fix it.
        reason: String,
    },

    /// The input uses a scheme this module recognises but cannot verify.
    #[error("unsupported password hash scheme `{scheme}`: {reason}")]
    Unsupported {
        /// The scheme as named by its source (e.g. `"sha512-crypt"`, `"auth0-scrypt"`).
        scheme: String,
        /// Why it is refused and what to do with the affected users.
        reason: String,
    },

    /// A bcrypt `$2x$` hash. The 2x prefix marks hashes made by crypt_blowfish before 1.1 (2011),
    /// whose sign-extension bug (CVE-2011-2483) hashed passwords with 8-bit characters wrongly;
    /// no bcrypt library reproduces that bug safely.
    #[error(
        "bcrypt `$2x$` hashes are refused: the 2x prefix marks hashes made by the buggy pre-2011 \
         crypt_blowfish (CVE-2011-2483) and they cannot be verified safely; fix: import these \
         users without a password and ask them to reset it"
    )]
    Bcrypt2x,

    /// The Firebase project password-hash parameters are unusable.
    #[error("invalid Firebase password-hash config{}: {reason}", config_field(.field))]
    FirebaseConfig {
        /// The JSON key at fault (`"algorithm"`, `"base64_signer_key"`, a key written twice,
        /// an unknown key), or `"(document)"` when the file as a whole is not the parameters
        /// (empty, not JSON, not an object).
        field: String,
        /// What is wrong and how to fix it.
        reason: String,
    },

    /// A parsed hash could not be evaluated by its algorithm implementation (the stored
    /// parameters were rejected at verification time).
    #[error("cannot evaluate {scheme} hash: {reason}")]
    Evaluation {
        /// Scheme name as returned by `PasswordHash::scheme`.
        scheme: &'static str,
        /// The algorithm's complaint; never contains secret material.
        reason: String,
    },

    /// Verifying the hash would cost more than one login may spend ([`super::cost`]): its
    /// parameters are each in range, their product is not. Refused before anything is computed.
    #[error("{scheme} hash too costly to verify: {reason}")]
    TooCostly {
        /// Scheme name as returned by `PasswordHash::scheme`.
        scheme: &'static str,
        /// The parameters, the cost and the budget, and the fix.
        reason: String,
    },

    /// The operating system's random number generator failed while making a salt.
    #[error(
        "the operating system random number generator failed ({reason}); fix: make getrandom(2) \
         or /dev/urandom available to the process"
    )]
    Random {
        /// The OS error.
        reason: String,
    },
}

/// Shorthand for [`HashError::Malformed`].
pub(super) fn malformed(scheme: &'static str, reason: impl Into<String>) -> HashError {
    HashError::Malformed {
        scheme,
        reason: reason.into(),
    }
}

/// Shorthand for [`HashError::Unsupported`].
pub(super) fn unsupported(scheme: impl Into<String>, reason: impl Into<String>) -> HashError {
    HashError::Unsupported {
        scheme: scheme.into(),
        reason: reason.into(),
    }
}

/// Quote an input-derived name for an error message only when it is a short identifier, so a
/// misplaced password or hash never lands in a log.
/// `, field `NAME`` for [`HashError::FirebaseConfig`]; nothing for the document as a whole.
fn config_field(field: &str) -> String {
    if field == "(document)" {
        String::new()
    } else {
        format!(", field `{field}`")
    }
}

pub(super) fn safe_label(s: &str) -> String {
    let ok = !s.is_empty()
        && s.len() <= 24
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    if ok {
        format!("`{s}`")
    } else {
        "(a value not shown)".to_owned()
    }
}

/// An input-derived scheme name for [`HashError::Unsupported`]: the name itself when it looks
/// like a scheme id (lower-case letters, digits, `-`, `_`, `.`; at most 32 bytes), else
/// `fallback`. Mixed-case text is more likely a misplaced password than a scheme id.
pub(super) fn safe_name(s: &str, fallback: &str) -> String {
    let ok = !s.is_empty()
        && s.len() <= 32
        && s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_' || b == b'.'
        });
    if ok {
        s.to_owned()
    } else {
        fallback.to_owned()
    }
}
