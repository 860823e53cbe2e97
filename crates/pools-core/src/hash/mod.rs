//! Stored password hashes: parsing every format `pools` imports, verifying passwords against
//! them in constant time, and hashing new passwords with the store's own algorithm.
//!
//! [`PasswordHash`] holds one credential in any supported scheme. Its
//! [`Display`](std::fmt::Display) form is the canonical storage string, and
//! [`PasswordHash::parse`] reads it back:
//!
//! | source | how to build | [`PasswordHash::scheme`] | canonical string |
//! | --- | --- | --- | --- |
//! | bcrypt crypt(3) | [`PasswordHash::parse`] | `bcrypt` | the input, `$2b$10$…` |
//! | Argon2 PHC string | `parse` | `argon2id`, `argon2i`, `argon2d` | the input |
//! | scrypt PHC string | `parse` | `scrypt` | the input |
//! | PBKDF2 PHC / passlib string | `parse` | `pbkdf2-sha256`, `pbkdf2-sha1`, `pbkdf2-sha512`, … | the input |
//! | Django hashers | `parse` | `django-pbkdf2-sha256`, `django-pbkdf2-sha1`, `django-argon2id`, `django-scrypt` | the input |
//! | LDAP RFC 2307 | `parse` | `ldap-ssha`, `ldap-sha`, `ldap-ssha256`, `ldap-smd5`, … | the input |
//! | Firebase `auth:export` | [`PasswordHash::from_firebase_scrypt`] | `firebase-scrypt` | `$firebase-scrypt$r=8,m=14,k=<key>,s=<sep>$<salt>$<hash>` |
//! | Keycloak realm export | [`PasswordHash::from_keycloak`] | `keycloak-pbkdf2-sha256`, `-sha1`, `-sha512`; `argon2id`… | `$keycloak-pbkdf2-sha256$i=27500,l=32$<salt>$<hash>`; Argon2 as its PHC string |
//! | Auth0 bulk import | [`PasswordHash::from_auth0_custom`] | `auth0-sha256`, `auth0-hmac-sha1`, …; or the scheme of the embedded string | `$auth0-sha256$enc=utf8,pos=prefix$<salt>$<hash>`, `$auth0-hmac-sha1$enc=utf8,key=<key>$$<hash>`; or the embedded string |
//!
//! In the canonical forms this module defines, `<…>` fields are PHC B64 (standard base64
//! alphabet, no padding) of the raw bytes. They are self-contained: a Firebase hash carries its
//! project's signer key and separator, so it verifies even after its source is gone.
//!
//! New passwords are hashed by [`hash_password`] (argon2id, OWASP parameters); after a
//! successful login, rehash when [`PasswordHash::is_current`] is false.
//!
//! Inputs are untrusted: parsing never panics, refuses parameters above the `MAX_*` limits
//! below and hashes whose verification as a whole would cost more than
//! [`MAX_HASH_WORK_UNITS`] or [`MAX_HASH_MEMORY_BYTES`] (so one hostile row cannot exhaust
//! memory or time at login), and errors never echo hash or password text.

mod argon2_memory;
mod argon2_workers;
mod auth0;
mod cost;
mod crypt_bcrypt;
mod digests;
mod django;
mod encoding;
mod error;
mod firebase;
mod keycloak;
mod ldap;
mod phc;
mod salted;
#[cfg(test)]
mod tests;

use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use zeroize::Zeroizing;

pub use cost::{BCRYPT_UNITS_PER_ROUND, Cost, MAX_HASH_MEMORY_BYTES, MAX_HASH_WORK_UNITS};
pub use error::HashError;
pub use firebase::FirebaseHashConfig;

use error::{malformed, safe_name, unsupported};

/// Largest Argon2 memory cost accepted, in KiB (1 GiB, libsodium's "sensitive" level).
pub const MAX_ARGON2_MEMORY_KIB: u32 = 1 << 20;
/// Largest Argon2 time cost (passes) accepted.
pub const MAX_ARGON2_ITERATIONS: u32 = 64;
/// Largest Argon2 parallelism (lanes) accepted.
pub const MAX_ARGON2_LANES: u32 = 255;
/// Largest scrypt working memory (128 · r · N) accepted, in bytes (1 GiB).
pub const MAX_SCRYPT_MEMORY_BYTES: u64 = 1 << 30;
/// Largest scrypt parallelism `p` accepted.
pub const MAX_SCRYPT_PARALLELISM: u32 = 16;
/// Largest bcrypt cost accepted: 2^16 rounds take seconds per login on a server core (cost
/// 10, Auth0's, about 70 ms; each step doubles), and bcrypt's own ceiling, 31, would take
/// hours: a record with such a hash would stall every login of its user.
pub const MAX_BCRYPT_COST: u32 = 16;
/// Largest PBKDF2 iteration count accepted (Django 5 uses about 10⁶).
pub const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;
/// The password length, in bytes, from which bcrypt no longer compares the whole password
/// (see [`PasswordHash::lossy_for`]).
pub const BCRYPT_MAX_PASSWORD_BYTES: usize = 72;

/// Argon2id memory cost of new hashes and the floor for [`PasswordHash::is_current`], in KiB
/// (OWASP Password Storage Cheat Sheet).
pub const CURRENT_ARGON2_MEMORY_KIB: u32 = 19_456;
/// Argon2id time cost of new hashes and the floor for [`PasswordHash::is_current`].
pub const CURRENT_ARGON2_ITERATIONS: u32 = 2;
/// Argon2id parallelism of new hashes and the floor for [`PasswordHash::is_current`].
pub const CURRENT_ARGON2_LANES: u32 = 1;

/// Accepted salt length in bytes.
const SALT_LEN: RangeInclusive<usize> = 1..=1024;
/// Accepted derived-key length of KDF hashes in bytes (10 is the PHC format's minimum output).
const OUTPUT_LEN: RangeInclusive<usize> = 10..=128;
/// Largest key (Firebase signer key, HMAC key, salt separator) accepted, in bytes.
const MAX_KEY_LEN: usize = 1024;

/// One stored password credential in any supported scheme (see the module docs for the list).
///
/// Build it with [`PasswordHash::parse`] (or `str::parse`) for self-describing strings, or with
/// [`PasswordHash::from_firebase_scrypt`], [`PasswordHash::from_keycloak`] and
/// [`PasswordHash::from_auth0_custom`] for exports that keep parameters apart from the hash.
/// [`Display`](fmt::Display) gives the canonical storage string, and parsing that string yields
/// an equal value. Two values are equal when their canonical strings are (compared in constant
/// time). `Debug` shows only the scheme, never salts, keys or hash bytes.
#[derive(Clone)]
pub struct PasswordHash {
    inner: Inner,
    /// The canonical storage string (the trimmed input for self-describing strings).
    encoded: String,
}

#[derive(Clone)]
enum Inner {
    Bcrypt(crypt_bcrypt::Bcrypt),
    Argon2(phc::Argon2Hash),
    Scrypt(phc::ScryptHash),
    Pbkdf2(phc::Pbkdf2Hash),
    Firebase(firebase::FirebaseScrypt),
    Salted(salted::SaltedDigest),
    Hmac(salted::HmacDigest),
}

impl PasswordHash {
    /// Parse a stored hash string (surrounding whitespace is ignored).
    ///
    /// Accepted formats:
    /// - bcrypt crypt(3) strings `$2a$`, `$2b$`, `$2y$` (OpenBSD bcrypt; `$2y$` is PHP's
    ///   name for `$2b$`). `$2x$` is refused with [`HashError::Bcrypt2x`].
    /// - PHC string format (P-H-C phc-string-format spec): `$argon2id$`, `$argon2i$`,
    ///   `$argon2d$` (the `v=` field may be absent, meaning version 0x10),
    ///   `$scrypt$ln=…,r=…,p=…`, `$pbkdf2-sha256$i=ITER,l=LEN$…` and `$pbkdf2-sha1$`,
    ///   `$pbkdf2-sha512$`, `$pbkdf2$` (sha1), … Salt and hash are B64 (standard base64, no
    ///   padding); padded base64 is accepted too. passlib's `$pbkdf2-sha256$ROUNDS$salt$hash` (ab64 alphabet) is accepted.
    /// - Django hashers: `pbkdf2_sha256$ITER$SALT$B64HASH`, `pbkdf2_sha1$…`,
    ///   `argon2$argon2id$…`, `scrypt$N$SALT$R$P$B64HASH`.
    /// - LDAP userPassword (RFC 2307): `{SSHA}`, `{SHA}`, `{SSHA256}`, `{SHA256}`, `{SSHA384}`,
    ///   `{SHA384}`, `{SSHA512}`, `{SHA512}`, `{SMD5}`, `{MD5}` + base64.
    /// - This module's canonical strings `$firebase-scrypt$…`, `$keycloak-pbkdf2-…$…` and
    ///   `$auth0-…$…` (see the module docs).
    ///
    /// # Errors
    /// [`HashError::Malformed`] for empty, truncated or damaged strings and for parameters
    /// beyond the `MAX_*` limits; [`HashError::TooCostly`] for a hash whose verification
    /// would cost more than the budget ([`MAX_HASH_WORK_UNITS`], [`MAX_HASH_MEMORY_BYTES`]);
    /// [`HashError::Unsupported`] for recognised but unsupported schemes
    /// (md5-crypt, sha512-crypt, yescrypt, phpass, Django bcrypt, LDAP `{CRYPT}`, …);
    /// [`HashError::Bcrypt2x`] for `$2x$`.
    pub fn parse(s: &str) -> Result<Self, HashError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(malformed(
                "password hash",
                "the string is empty; fix: import users who have no password without a hash",
            ));
        }
        let inner = if s.starts_with("$2") {
            Inner::Bcrypt(crypt_bcrypt::parse(s)?)
        } else if let Some((id, fields)) = encoding::split_dollar(s) {
            match id {
                "argon2id" | "argon2i" | "argon2d" => Inner::Argon2(phc::parse_argon2(s, false)?),
                "scrypt" => Inner::Scrypt(phc::parse_scrypt(s)?),
                "firebase-scrypt" => Inner::Firebase(firebase::parse(s)?),
                _ if id == "pbkdf2" || id.starts_with("pbkdf2-") => {
                    Inner::Pbkdf2(phc::parse_pbkdf2(s)?)
                }
                _ if id.starts_with("keycloak-") => Inner::Pbkdf2(keycloak::parse(s)?),
                _ if id.starts_with("auth0-") => auth0::parse(s)?,
                // A lone `$word` is more likely a stray password than a scheme: don't echo it.
                _ if fields.is_empty() => return Err(unrecognised()),
                _ => return Err(unknown_crypt_id(id)),
            }
        } else if s.starts_with('{') {
            Inner::Salted(ldap::parse(s)?)
        } else if let Some((algorithm, _)) =
            s.split_once('$').filter(|(a, _)| django::KNOWN.contains(a))
        {
            match django::parse(algorithm, s)? {
                django::Django::Pbkdf2(h) => Inner::Pbkdf2(h),
                django::Django::Argon2(h) => Inner::Argon2(h),
                django::Django::Scrypt(h) => Inner::Scrypt(h),
            }
        } else {
            return Err(unrecognised());
        };
        Self::within_budget(inner, s.to_owned())
    }

    /// The hash, if verifying it costs no more than a login may spend ([`cost`]): every
    /// constructor ends here, so import, `doctor` and login refuse such a hash alike.
    fn within_budget(inner: Inner, encoded: String) -> Result<Self, HashError> {
        let hash = Self { inner, encoded };
        cost::check(hash.scheme(), &hash.inner)?;
        Ok(hash)
    }

    /// What verifying this hash costs (work units and memory, see [`MAX_HASH_WORK_UNITS`]).
    pub fn cost(&self) -> Cost {
        cost::of(&self.inner).0
    }

    /// Build a Firebase modified-scrypt hash (firebase/scrypt README) from one user's
    /// `passwordHash` and `salt` in the `firebase auth:export` file and the project's
    /// [`FirebaseHashConfig`]. Both values are base64; standard and URL-safe alphabets, with or
    /// without padding, are accepted.
    ///
    /// The result carries the config's signer key and separator, so its canonical string
    /// `$firebase-scrypt$r=<rounds>,m=<mem_cost>,k=<signer key>,s=<separator>$<salt>$<hash>`
    /// verifies on its own.
    ///
    /// # Errors
    /// [`HashError::FirebaseConfig`] for a bad config; [`HashError::Malformed`] (scheme
    /// `firebase-scrypt`) when hash or salt is empty (users without a password), not base64,
    /// or the hash length differs from the signer key length (config of another project);
    /// [`HashError::TooCostly`] past the budget (as [`PasswordHash::parse`]).
    pub fn from_firebase_scrypt(
        hash_b64: &str,
        salt_b64: &str,
        config: &FirebaseHashConfig,
    ) -> Result<Self, HashError> {
        let f = firebase::from_export(hash_b64, salt_b64, config)?;
        let encoded = f.encode();
        Self::within_budget(Inner::Firebase(f), encoded)
    }

    /// Build a hash from a Keycloak realm export credential (Keycloak credential JSON: the
    /// `secretData` and `credentialData` strings of a `"type": "password"` credential).
    ///
    /// `secretData` is `{"value": <base64 hash>, "salt": <base64 salt>, …}`; `credentialData`
    /// is `{"hashIterations": n, "algorithm": "pbkdf2" | "pbkdf2-sha256" | "pbkdf2-sha512" |
    /// "argon2", "additionalParameters": {…}}`. `pbkdf2` is PBKDF2-HMAC-SHA1. The derived key
    /// length is the stored value's length (Keycloak uses 32 bytes for sha256, 64 for sha512).
    /// Keycloak argon2 credentials read `type`, `version`, `memory` (KiB), `parallelism` and
    /// `hashLength` from `additionalParameters`.
    ///
    /// Canonical string: `$keycloak-pbkdf2-<sha1|sha256|sha512>$i=<iterations>,l=<key
    /// bytes>$<salt>$<hash>`; argon2 credentials become their standard `$argon2id$v=19$…` PHC
    /// string (scheme `argon2id`, …).
    ///
    /// # Errors
    /// [`HashError::Malformed`] (scheme `keycloak credential` or the PBKDF2 scheme) for broken
    /// JSON, missing fields, bad base64 or out-of-range iterations; [`HashError::Unsupported`]
    /// for other algorithms; [`HashError::TooCostly`] past the budget (as
    /// [`PasswordHash::parse`]).
    pub fn from_keycloak(secret_data: &str, credential_data: &str) -> Result<Self, HashError> {
        match keycloak::from_credential(secret_data, credential_data)? {
            keycloak::Keycloak::Pbkdf2(p) => {
                let encoded = p.to_phc(p.scheme());
                Self::within_budget(Inner::Pbkdf2(p), encoded)
            }
            keycloak::Keycloak::Argon2(a) => {
                let encoded = a.to_phc();
                Self::within_budget(Inner::Argon2(a), encoded)
            }
        }
    }

    /// Build a hash from an Auth0 bulk user import `custom_password_hash` object (Auth0 "Bulk
    /// User Import Database Schema and Examples": `{"algorithm", "hash": {"value", "encoding",
    /// "digest", "key": {"value", "encoding"}}, "salt": {"value", "encoding", "position"},
    /// "password": {"encoding"}}`).
    ///
    /// - `argon2`, `bcrypt`, `pbkdf2`, `ldap`: `hash.value` is a PHC string, bcrypt string or
    ///   RFC 2307 `{SSHA}…` value (`hash.encoding` utf8, no `salt`). The result is that string's
    ///   scheme (`argon2id`, `bcrypt`, `pbkdf2-sha512`, `ldap-ssha384`, …) and canonical string;
    ///   PBKDF2 strings get Auth0's defaults `i=100000,l=64` written in when omitted and OpenSSL
    ///   digest aliases (`RSA-SHA256`, …) renamed.
    /// - `md4`, `md5`, `sha1`, `sha256`, `sha512`: digest of salt (prefix or suffix) and
    ///   password; `hash.encoding` hex or base64. Scheme `auth0-<algorithm>`, canonical
    ///   `$auth0-<algorithm>$enc=<utf8|utf16le|latin1>[,pos=<prefix|suffix>]$<salt>$<hash>`.
    /// - `hmac`: HMAC-`hash.digest` keyed by `hash.key` over the salted password. Scheme
    ///   `auth0-hmac-<digest>`, canonical
    ///   `$auth0-hmac-<digest>$enc=…[,pos=…],key=<key>$<salt>$<hash>`.
    ///
    /// `password.encoding` follows Node.js buffer encodings (ascii, utf8, utf16le, ucs2,
    /// latin1, binary). Hex values may be either case; base64 may be URL-safe.
    ///
    /// # Errors
    /// [`HashError::Malformed`] (scheme `auth0 custom_password_hash` or the hash's scheme) for
    /// missing, unknown or inconsistent fields and undecodable values; [`HashError::Unsupported`]
    /// for `scrypt`, MDC2 PBKDF2 and unknown algorithms; [`HashError::Bcrypt2x`] for `$2x$`;
    /// [`HashError::TooCostly`] past the budget (as [`PasswordHash::parse`]).
    pub fn from_auth0_custom(obj: &serde_json::Value) -> Result<Self, HashError> {
        let hash = auth0::from_custom(obj)?;
        Self::within_budget(hash.inner, hash.encoded)
    }

    /// Short scheme name for reports. One of: `bcrypt`; `argon2id`, `argon2i`, `argon2d`;
    /// `scrypt`; `pbkdf2-<digest>` (`pbkdf2-sha1`, `pbkdf2-sha256`, `pbkdf2-sha512`, …);
    /// `django-pbkdf2-sha256`, `django-pbkdf2-sha1`, `django-argon2id` (…`i`, …`d`),
    /// `django-scrypt`; `ldap-md5`, `ldap-smd5`, `ldap-sha`, `ldap-ssha`, `ldap-sha256`,
    /// `ldap-ssha256`, `ldap-sha384`, `ldap-ssha384`, `ldap-sha512`, `ldap-ssha512`;
    /// `firebase-scrypt`; `keycloak-pbkdf2-sha1`, `keycloak-pbkdf2-sha256`,
    /// `keycloak-pbkdf2-sha512`; `auth0-md4`, `auth0-md5`, `auth0-sha1`, `auth0-sha256`,
    /// `auth0-sha512`; `auth0-hmac-<digest>`.
    pub fn scheme(&self) -> &'static str {
        match &self.inner {
            Inner::Bcrypt(_) => "bcrypt",
            Inner::Argon2(a) => a.scheme(),
            Inner::Scrypt(s) => s.scheme(),
            Inner::Pbkdf2(p) => p.scheme(),
            Inner::Firebase(_) => "firebase-scrypt",
            Inner::Salted(d) => d.scheme(),
            Inner::Hmac(h) => h.scheme(),
        }
    }

    /// Check `password` against this hash. The derived value is compared with the stored one in
    /// constant time; the running time depends only on the stored parameters.
    ///
    /// Passwords are hashed as UTF-8 unless the source defined another encoding (Auth0
    /// `password.encoding`). bcrypt uses the first 72 bytes, as every bcrypt implementation does.
    ///
    /// # Errors
    /// [`HashError::Evaluation`] only when the algorithm implementation rejects the stored
    /// parameters; a wrong password is `Ok(false)`.
    pub fn verify(&self, password: &str) -> Result<bool, HashError> {
        let pw = password.as_bytes();
        match &self.inner {
            Inner::Bcrypt(b) => b.verify(pw, self.scheme()),
            Inner::Argon2(a) => a.verify(pw),
            Inner::Scrypt(s) => s.verify(pw),
            Inner::Pbkdf2(p) => Ok(p.verify(pw)),
            Inner::Firebase(f) => f.verify(pw),
            Inner::Salted(d) => Ok(d.verify(password)),
            Inner::Hmac(h) => h.verify(password),
        }
    }

    /// Why verifying `password` against this hash did not compare all of it, when it did not:
    /// the scheme reads a lossy form of what was typed, so other passwords pass it too, and
    /// the one typed need not be the user's real one. Rehashing it then would keep only the
    /// string typed and lock out the password the user really has (R13), so a login keeps
    /// such a hash as it is (a later login within the limit upgrades it).
    ///
    /// - bcrypt: a password of [`BCRYPT_MAX_PASSWORD_BYTES`] bytes or more (bcrypt reads the
    ///   first 72 bytes and, below 72, the terminating NUL: a 72-byte password and every
    ///   longer one starting with it pass alike).
    /// - Auth0 custom hashes with `password.encoding` latin1 (ascii, binary): a password with
    ///   a character beyond U+00FF (Node keeps the low byte of each UTF-16 code unit).
    ///
    /// Every other scheme compares the whole password (`None`).
    pub fn lossy_for(&self, password: &str) -> Option<String> {
        let latin1 = |e: encoding::PasswordEncoding| {
            (e == encoding::PasswordEncoding::Latin1 && password.chars().any(|c| c > '\u{ff}'))
                .then(|| {
                    format!(
                        "{} reads the password as latin1, one byte per character, and this one has characters beyond U+00FF, so other passwords with the same low bytes pass it",
                        self.scheme()
                    )
                })
        };
        match &self.inner {
            Inner::Bcrypt(_) if password.len() >= BCRYPT_MAX_PASSWORD_BYTES => Some(format!(
                "bcrypt compares only the first {BCRYPT_MAX_PASSWORD_BYTES} bytes of a password and this one has {} bytes, so every password with the same first {BCRYPT_MAX_PASSWORD_BYTES} bytes passes it",
                password.len()
            )),
            Inner::Salted(d) => latin1(d.encoding),
            Inner::Hmac(h) => latin1(h.encoding),
            _ => None,
        }
    }

    /// `true` when this is already the store's own format, a `$argon2id$v=19$` PHC string, with
    /// at least the current parameters (m >= [`CURRENT_ARGON2_MEMORY_KIB`] KiB, t >=
    /// [`CURRENT_ARGON2_ITERATIONS`], p >= [`CURRENT_ARGON2_LANES`]), so no rehash is needed
    /// at login. Everything else should be replaced by [`hash_password`] after a successful
    /// [`verify`](Self::verify).
    pub fn is_current(&self) -> bool {
        match &self.inner {
            Inner::Argon2(a) => {
                !a.django
                    && a.variant == argon2::Algorithm::Argon2id
                    && a.version == argon2::Version::V0x13
                    && a.m_kib >= CURRENT_ARGON2_MEMORY_KIB
                    && a.t >= CURRENT_ARGON2_ITERATIONS
                    && a.p >= CURRENT_ARGON2_LANES
            }
            _ => false,
        }
    }
}

/// The error for strings of no known shape.
fn unrecognised() -> HashError {
    malformed(
        "password hash",
        "not a recognised hash format (expected bcrypt `$2b$…`, a PHC string such as \
         `$argon2id$…`, `$scrypt$…`, `$pbkdf2-sha256$…`, Django `pbkdf2_sha256$…` or LDAP \
         `{SSHA}…`); fix: export the hash in one of these forms (Firebase scrypt, Keycloak and \
         Auth0 custom hashes come from their own export formats)",
    )
}

/// Named refusals for `$id$` strings this module does not implement.
fn unknown_crypt_id(id: &str) -> HashError {
    let name = match id {
        "1" => "md5-crypt",
        "5" => "sha256-crypt",
        "6" => "sha512-crypt",
        "apr1" => "apache-md5-crypt",
        "y" | "gy" | "7" => "yescrypt",
        "sha1" => "sha1-crypt",
        "P" | "H" => "phpass",
        "md5" => "sun-md5-crypt",
        "" | "argon2" => {
            return malformed(
                "password hash",
                "the `$…$` scheme id is empty or incomplete (for Argon2 it must be argon2id, \
                 argon2i or argon2d); fix: re-export the hash unmodified",
            );
        }
        other => {
            return unsupported(
                safe_name(other, "unknown"),
                "unknown `$id$` hash scheme; fix: import these users without a password and ask \
                 them to reset it",
            );
        }
    };
    unsupported(
        name,
        "this crypt(3) scheme is not supported; fix: import these users without a password and \
         ask them to reset it",
    )
}

impl fmt::Display for PasswordHash {
    /// The canonical storage string: the trimmed input for bcrypt, PHC, Django and LDAP
    /// strings; this module's canonical form for Firebase, Keycloak and Auth0 custom hashes.
    /// Contains the hash, so treat it as a credential.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encoded)
    }
}

impl fmt::Debug for PasswordHash {
    /// `PasswordHash { scheme: "bcrypt", .. }`: no salt, key or hash material.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordHash")
            .field("scheme", &self.scheme())
            .finish_non_exhaustive()
    }
}

impl PartialEq for PasswordHash {
    fn eq(&self, other: &Self) -> bool {
        use subtle::ConstantTimeEq;
        self.encoded
            .as_bytes()
            .ct_eq(other.encoded.as_bytes())
            .into()
    }
}

impl Eq for PasswordHash {}

impl FromStr for PasswordHash {
    type Err = HashError;

    /// Same as [`PasswordHash::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Runs every argon2 hash of this process (verifies and [`hash_password`]) on `threads`
/// dedicated threads from now on, fed by one queue: a server starts one per core, so that
/// its logins' hashes use each core without a gap between them and never more hashes than
/// cores run at once. A caller waits for its hash holding no CPU. The first call decides;
/// later ones change nothing.
///
/// Errors: the OS's, when a thread cannot be spawned (hashes then run on their callers'
/// threads, as without workers).
pub fn hash_on_workers(threads: usize) -> std::io::Result<()> {
    argon2_workers::start(threads)
}

/// Hash a new password with argon2id (RFC 9106) using the OWASP Password Storage Cheat Sheet
/// parameters m = 19456 KiB, t = 2, p = 1, a 32-byte output and a random 16-byte salt from the
/// operating system's RNG (getrandom, the source behind `OsRng`).
///
/// Returns the PHC string `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`, which
/// [`PasswordHash::parse`] reads back as a hash for which [`PasswordHash::is_current`] is true.
///
/// # Errors
/// [`HashError::Random`] if the OS RNG fails; [`HashError::Evaluation`] if Argon2 refuses the
/// password (longer than 4 GiB).
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| HashError::Random {
        reason: e.to_string(),
    })?;
    let eval = |e: argon2::Error| HashError::Evaluation {
        scheme: "argon2id",
        reason: e.to_string(),
    };
    let params = argon2::Params::new(
        CURRENT_ARGON2_MEMORY_KIB,
        CURRENT_ARGON2_ITERATIONS,
        CURRENT_ARGON2_LANES,
        Some(32),
    )
    .map_err(eval)?;
    let mut out = Zeroizing::new([0u8; 32]);
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    argon2_workers::hash_into(&argon, password.as_bytes(), &salt, out.as_mut_slice())
        .map_err(eval)?;
    Ok(format!(
        "$argon2id$v=19$m={},t={},p={}${}${}",
        CURRENT_ARGON2_MEMORY_KIB,
        CURRENT_ARGON2_ITERATIONS,
        CURRENT_ARGON2_LANES,
        encoding::b64_encode(&salt),
        encoding::b64_encode(out.as_slice())
    ))
}
