//! LDAP userPassword values (RFC 2307 section 5.3; salted forms as in OpenLDAP's
//! slapd-pw-sha2 and the OpenLDAP FAQ): `{SCHEME}base64(digest || salt)`.

use super::SALT_LEN;
use super::digests::Digest;
use super::encoding::{PasswordEncoding, b64_decode_any};
use super::error::{HashError, malformed, safe_name, unsupported};
use super::salted::{SaltPosition, SaltedDigest, SaltedOrigin, ldap_scheme};

const SCHEME: &str = "ldap";

/// Parse `{MD5}`, `{SMD5}`, `{SHA}`, `{SSHA}`, `{SHA256}`, `{SSHA256}`, `{SHA384}`,
/// `{SSHA384}`, `{SHA512}` and `{SSHA512}` values (scheme names case-insensitive).
pub(super) fn parse(s: &str) -> Result<SaltedDigest, HashError> {
    let Some((name, body)) = s.strip_prefix('{').and_then(|r| r.split_once('}')) else {
        return Err(malformed(
            SCHEME,
            "expected `{SCHEME}base64`, the closing `}` is missing; fix: re-export the value",
        ));
    };
    let upper = name.to_ascii_uppercase();
    let (digest, salted) = match upper.as_str() {
        "MD5" => (Digest::Md5, false),
        "SMD5" => (Digest::Md5, true),
        "SHA" | "SHA1" => (Digest::Sha1, false),
        "SSHA" | "SSHA1" => (Digest::Sha1, true),
        "SHA256" => (Digest::Sha256, false),
        "SSHA256" => (Digest::Sha256, true),
        "SHA384" => (Digest::Sha384, false),
        "SSHA384" => (Digest::Sha384, true),
        "SHA512" => (Digest::Sha512, false),
        "SSHA512" => (Digest::Sha512, true),
        "CRYPT" => {
            return Err(unsupported(
                "ldap-crypt",
                "{CRYPT} defers to the server's crypt(3), whose algorithm the value alone does not \
                 pin down; fix: strip the `{CRYPT}` prefix if the rest is a `$2b$`-style bcrypt \
                 string, else import these users without a password",
            ));
        }
        _ => {
            return Err(unsupported(
                // LDAP scheme names are upper case; anything else is not echoed.
                format!("ldap-{}", ldap_name(name)),
                "unknown LDAP password scheme (supported: MD5, SMD5, SHA, SSHA, SHA256, SSHA256, \
                 SHA384, SSHA384, SHA512, SSHA512); fix: import these users without a password",
            ));
        }
    };
    let scheme = ldap_scheme(digest, salted);
    let bytes = b64_decode_any(body).ok_or_else(|| {
        malformed(
            scheme,
            "the value after the `{SCHEME}` prefix is not valid base64; fix: the value is damaged \
             or truncated, re-export it",
        )
    })?;
    let n = digest.output_len();
    let (hash, salt) = match (salted, bytes.len()) {
        (false, len) if len == n => (bytes, Vec::new()),
        (true, len) if len > n && len - n <= *SALT_LEN.end() => {
            let mut hash = bytes;
            let salt = hash.split_off(n);
            (hash, salt)
        }
        (_, len) => {
            let want = if salted {
                format!("more than {n} bytes (digest then salt)")
            } else {
                format!("exactly {n} bytes")
            };
            return Err(malformed(
                scheme,
                format!(
                    "the value decodes to {len} bytes, expected {want}; fix: the value is \
                     damaged or truncated, re-export it"
                ),
            ));
        }
    };
    Ok(SaltedDigest {
        origin: SaltedOrigin::Ldap { salted },
        digest,
        salt,
        position: SaltPosition::Suffix,
        encoding: PasswordEncoding::Utf8,
        hash,
    })
}

/// The lower-cased scheme name for an error when it looks like an LDAP scheme (upper-case
/// letters, digits, `-`), else "unknown".
fn ldap_name(name: &str) -> String {
    if name
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
    {
        safe_name(&name.to_ascii_lowercase(), "unknown")
    } else {
        "unknown".to_owned()
    }
}
