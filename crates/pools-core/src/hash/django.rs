//! Django password hashers' `algorithm$…` strings (django.contrib.auth.hashers):
//! `pbkdf2_sha256$ITER$SALT$B64HASH` and `pbkdf2_sha1$…` (PBKDF2PasswordHasher, salt used as
//! its UTF-8 text), `argon2$argon2id$v=19$…` (Argon2PasswordHasher) and
//! `scrypt$N$SALT$R$P$B64HASH` (ScryptPasswordHasher).

use super::digests::Digest;
use super::encoding::{b64_decode, check_len, decode_field, parse_u32};
use super::error::{HashError, malformed, unsupported};
use super::phc::{Argon2Hash, Pbkdf2Hash, Pbkdf2Origin, ScryptHash, check_scrypt, parse_argon2};
use super::{MAX_PBKDF2_ITERATIONS, OUTPUT_LEN, SALT_LEN};

/// What a Django string parses to.
pub(super) enum Django {
    Pbkdf2(Pbkdf2Hash),
    Argon2(Argon2Hash),
    Scrypt(ScryptHash),
}

/// The Django algorithm names this module knows, whether or not it can verify them.
pub(super) const KNOWN: [&str; 11] = [
    "pbkdf2_sha256",
    "pbkdf2_sha1",
    "argon2",
    "scrypt",
    "bcrypt_sha256",
    "bcrypt",
    "sha1",
    "md5",
    "unsalted_sha1",
    "unsalted_md5",
    "crypt",
];

/// Parse a Django hash string whose algorithm prefix (before the first `$`) is `algorithm`.
pub(super) fn parse(algorithm: &str, s: &str) -> Result<Django, HashError> {
    match algorithm {
        "pbkdf2_sha256" => parse_pbkdf2(s, Digest::Sha256).map(Django::Pbkdf2),
        "pbkdf2_sha1" => parse_pbkdf2(s, Digest::Sha1).map(Django::Pbkdf2),
        "argon2" => {
            // Django stores "argon2" + argon2-cffi's PHC string minus its leading `$`.
            let phc = s.get("argon2".len()..).unwrap_or("");
            parse_argon2(phc, true).map(Django::Argon2)
        }
        "scrypt" => parse_scrypt(s).map(Django::Scrypt),
        _ => Err(unsupported(
            format!("django-{algorithm}"),
            "this Django hasher is not supported (supported: pbkdf2_sha256, pbkdf2_sha1, argon2, \
             scrypt); fix: import these users without a password and ask them to reset it",
        )),
    }
}

fn parse_pbkdf2(s: &str, digest: Digest) -> Result<Pbkdf2Hash, HashError> {
    let scheme = super::phc::pbkdf2_scheme(Pbkdf2Origin::Django, digest);
    let parts: Vec<&str> = s.split('$').collect();
    let &[_, iterations, salt, hash] = parts.as_slice() else {
        return Err(malformed(
            scheme,
            "expected 4 `$`-separated fields `pbkdf2_sha256$ITERATIONS$SALT$HASH`; fix: the \
             string is truncated or damaged, re-export it",
        ));
    };
    let iterations = parse_u32(scheme, "iterations", iterations, 1..=MAX_PBKDF2_ITERATIONS)?;
    if salt.is_empty() {
        return Err(malformed(
            scheme,
            "the salt is empty; fix: re-export the hash",
        ));
    }
    // Django salts are text; PBKDF2 uses their UTF-8 bytes, not a decoding.
    let salt = check_len(scheme, "salt", salt.as_bytes().to_vec(), SALT_LEN)?;
    let hash = decode_field(scheme, "hash", hash, b64_decode, OUTPUT_LEN)?;
    Ok(Pbkdf2Hash {
        origin: Pbkdf2Origin::Django,
        digest,
        iterations,
        salt,
        hash,
    })
}

/// `scrypt$N$SALT$R$P$HASH`: N is the cost itself (a power of two), the salt is text, the hash
/// standard base64 of a 64-byte key.
fn parse_scrypt(s: &str) -> Result<ScryptHash, HashError> {
    const SCHEME: &str = "django-scrypt";
    let parts: Vec<&str> = s.split('$').collect();
    let &[_, n, salt, r, p, hash] = parts.as_slice() else {
        return Err(malformed(
            SCHEME,
            "expected 6 `$`-separated fields `scrypt$N$SALT$R$P$HASH`; fix: the string is \
             truncated or damaged, re-export it",
        ));
    };
    let n = parse_u32(SCHEME, "N", n, 2..=u32::MAX)?;
    if !n.is_power_of_two() {
        return Err(malformed(
            SCHEME,
            format!("N={n} is not a power of two; fix: re-export the hash"),
        ));
    }
    let r = parse_u32(SCHEME, "r", r, 1..=u32::MAX)?;
    let p = parse_u32(SCHEME, "p", p, 1..=u32::MAX)?;
    let log_n = check_scrypt(SCHEME, n.trailing_zeros(), r, p)?;
    if salt.is_empty() {
        return Err(malformed(
            SCHEME,
            "the salt is empty; fix: re-export the hash",
        ));
    }
    let salt = check_len(SCHEME, "salt", salt.as_bytes().to_vec(), SALT_LEN)?;
    let hash = decode_field(SCHEME, "hash", hash, b64_decode, OUTPUT_LEN)?;
    Ok(ScryptHash {
        log_n,
        r,
        p,
        salt,
        hash,
        django: true,
    })
}
