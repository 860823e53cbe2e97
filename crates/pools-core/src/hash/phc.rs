//! PHC string format hashes (P-H-C phc-string-format spec):
//! `$argon2id$v=19$m=…,t=…,p=…$salt$hash`, `$scrypt$ln=…,r=…,p=…$salt$hash` and
//! `$pbkdf2-sha256$i=…,l=…$salt$hash`, plus passlib's `$pbkdf2-sha256$ROUNDS$salt$hash`
//! variant. Salts are the decoded bytes, as in the argon2
//! reference implementation, RustCrypto and passlib.

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::digests::Digest;
use super::encoding::{Params, ab64_decode, b64_decode, decode_field, parse_u32, split_dollar};
use super::error::{HashError, malformed, safe_label, safe_name, unsupported};
use super::{
    MAX_ARGON2_ITERATIONS, MAX_ARGON2_LANES, MAX_ARGON2_MEMORY_KIB, MAX_PBKDF2_ITERATIONS,
    MAX_SCRYPT_MEMORY_BYTES, MAX_SCRYPT_PARALLELISM, OUTPUT_LEN, SALT_LEN,
};

/// Reason text for a wrong number of `$` fields.
fn field_count(expected: &str, got: usize, want: usize) -> String {
    if got < want {
        format!(
            "the string is truncated (expected `{expected}`); fix: re-export the hash unmodified"
        )
    } else {
        format!(
            "the string has extra `$`-separated fields (expected `{expected}`); fix: re-export \
             the hash unmodified"
        )
    }
}

// ---------------------------------------------------------------- argon2

/// An Argon2 hash (RFC 9106), from a PHC string or a Django `argon2$` string.
#[derive(Clone)]
pub(super) struct Argon2Hash {
    pub(super) variant: argon2::Algorithm,
    pub(super) version: argon2::Version,
    pub(super) m_kib: u32,
    pub(super) t: u32,
    pub(super) p: u32,
    pub(super) salt: Vec<u8>,
    pub(super) hash: Vec<u8>,
    /// Stored as Django's `argon2$argon2id$…`.
    pub(super) django: bool,
}

fn argon2_scheme(variant: argon2::Algorithm, django: bool) -> &'static str {
    use argon2::Algorithm::{Argon2d, Argon2i, Argon2id};
    match (variant, django) {
        (Argon2id, false) => "argon2id",
        (Argon2i, false) => "argon2i",
        (Argon2d, false) => "argon2d",
        (Argon2id, true) => "django-argon2id",
        (Argon2i, true) => "django-argon2i",
        (Argon2d, true) => "django-argon2d",
    }
}

/// Parse `$argon2{id,i,d}[$v=16|19]$m=…,t=…,p=…$salt$hash`. A missing `v=` means version
/// 0x10, as in the reference implementation's strings from before version 1.3.
pub(super) fn parse_argon2(s: &str, django: bool) -> Result<Argon2Hash, HashError> {
    const SHAPE: &str = "$argon2id$v=19$m=…,t=…,p=…$salt$hash";
    let generic = if django { "django-argon2" } else { "argon2" };
    let (id, fields) = split_dollar(s).ok_or_else(|| malformed(generic, "missing leading `$`"))?;
    let variant = match id {
        "argon2id" => argon2::Algorithm::Argon2id,
        "argon2i" => argon2::Algorithm::Argon2i,
        "argon2d" => argon2::Algorithm::Argon2d,
        _ => {
            return Err(malformed(
                generic,
                format!(
                    "variant {} is not argon2id, argon2i or argon2d",
                    safe_label(id)
                ),
            ));
        }
    };
    let scheme = argon2_scheme(variant, django);
    let (version, rest) = match fields.split_first() {
        Some((first, rest)) if first.starts_with("v=") => {
            let v = parse_u32(scheme, "v", first.get(2..).unwrap_or(""), 16..=19)?;
            (v, rest)
        }
        _ => (0x10, fields.as_slice()),
    };
    let version = match version {
        0x10 => argon2::Version::V0x10,
        0x13 => argon2::Version::V0x13,
        _ => {
            return Err(malformed(
                scheme,
                "`v` must be 16 or 19; fix: re-export the hash unmodified",
            ));
        }
    };
    let &[params, salt, hash] = rest else {
        return Err(malformed(scheme, field_count(SHAPE, rest.len(), 3)));
    };
    let params = Params::parse(scheme, params, &["m", "t", "p", "keyid", "data"])?;
    if params.get("keyid").is_some() || params.get("data").is_some() {
        return Err(unsupported(
            scheme,
            "hashes with `keyid`/`data` were made with a server-side secret key or associated \
             data that exports do not carry; fix: import these users without a password and ask \
             them to reset it",
        ));
    }
    let m_kib = params.u32_req("m", 8..=MAX_ARGON2_MEMORY_KIB)?;
    let t = params.u32_req("t", 1..=MAX_ARGON2_ITERATIONS)?;
    let p = params.u32_req("p", 1..=MAX_ARGON2_LANES)?;
    if u64::from(m_kib) < 8 * u64::from(p) {
        return Err(malformed(
            scheme,
            format!(
                "m={m_kib} is below Argon2's minimum of 8 KiB per lane (p={p}); fix: re-export \
                 the hash"
            ),
        ));
    }
    let salt = decode_field(scheme, "salt", salt, b64_decode, 8..=*SALT_LEN.end())?;
    let hash = decode_field(scheme, "hash", hash, b64_decode, OUTPUT_LEN)?;
    Ok(Argon2Hash {
        variant,
        version,
        m_kib,
        t,
        p,
        salt,
        hash,
        django,
    })
}

impl Argon2Hash {
    pub(super) fn scheme(&self) -> &'static str {
        argon2_scheme(self.variant, self.django)
    }

    pub(super) fn verify(&self, password: &[u8]) -> Result<bool, HashError> {
        let scheme = self.scheme();
        let eval = |e: argon2::Error| HashError::Evaluation {
            scheme,
            reason: e.to_string(),
        };
        let params =
            argon2::Params::new(self.m_kib, self.t, self.p, Some(self.hash.len())).map_err(eval)?;
        let mut out = Zeroizing::new(vec![0u8; self.hash.len()]);
        let argon = argon2::Argon2::new(self.variant, self.version, params);
        super::argon2_workers::hash_into(&argon, password, &self.salt, &mut out).map_err(eval)?;
        Ok(out.ct_eq(&self.hash).into())
    }

    /// Format as a PHC string (used for Keycloak argon2 credentials).
    pub(super) fn to_phc(&self) -> String {
        use super::encoding::b64_encode;
        let v = match self.version {
            argon2::Version::V0x10 => 16,
            argon2::Version::V0x13 => 19,
        };
        format!(
            "${}$v={v}$m={},t={},p={}${}${}",
            argon2_scheme(self.variant, false),
            self.m_kib,
            self.t,
            self.p,
            b64_encode(&self.salt),
            b64_encode(&self.hash)
        )
    }
}

// ---------------------------------------------------------------- scrypt

/// A scrypt hash (RFC 7914), from a PHC string or Django's `scrypt$` string.
#[derive(Clone)]
pub(super) struct ScryptHash {
    pub(super) log_n: u8,
    pub(super) r: u32,
    pub(super) p: u32,
    pub(super) salt: Vec<u8>,
    pub(super) hash: Vec<u8>,
    pub(super) django: bool,
}

/// Check scrypt cost parameters against this module's limits and the scrypt crate's rules.
pub(super) fn check_scrypt(
    scheme: &'static str,
    log_n: u32,
    r: u32,
    p: u32,
) -> Result<u8, HashError> {
    let log_n_u8 = u8::try_from(log_n).ok().filter(|l| (1..=63).contains(l));
    let Some(log_n_u8) = log_n_u8 else {
        return Err(malformed(
            scheme,
            format!("log2(N)={log_n} is outside 1..=63; fix: re-export the hash"),
        ));
    };
    // 128·r·N bytes is scrypt's working memory; u128 cannot overflow here.
    let mem = 128u128 * u128::from(r) * (1u128 << log_n_u8);
    if r == 0 || mem > u128::from(MAX_SCRYPT_MEMORY_BYTES) {
        return Err(malformed(
            scheme,
            format!(
                "N=2^{log_n}, r={r} needs {mem} bytes of memory, above the \
                 {MAX_SCRYPT_MEMORY_BYTES}-byte limit (or r is 0); fix: check the export, or have \
                 these users reset their password"
            ),
        ));
    }
    if !(1..=MAX_SCRYPT_PARALLELISM).contains(&p) {
        return Err(malformed(
            scheme,
            format!("p={p} is outside 1..={MAX_SCRYPT_PARALLELISM}; fix: check the export"),
        ));
    }
    scrypt::Params::new(log_n_u8, r, p).map_err(|_| {
        malformed(
            scheme,
            "scrypt rejects this N, r, p combination; fix: check the export",
        )
    })?;
    Ok(log_n_u8)
}

/// Parse `$scrypt$ln=…,r=…,p=…$salt$hash`.
pub(super) fn parse_scrypt(s: &str) -> Result<ScryptHash, HashError> {
    const SCHEME: &str = "scrypt";
    const SHAPE: &str = "$scrypt$ln=…,r=…,p=…$salt$hash";
    let (_, fields) = split_dollar(s).ok_or_else(|| malformed(SCHEME, "missing leading `$`"))?;
    let &[params, salt, hash] = fields.as_slice() else {
        return Err(malformed(SCHEME, field_count(SHAPE, fields.len(), 3)));
    };
    let params = Params::parse(SCHEME, params, &["ln", "r", "p"])?;
    let log_n = params.u32_req("ln", 1..=63)?;
    let r = params.u32_req("r", 1..=u32::MAX)?;
    let p = params.u32_req("p", 1..=u32::MAX)?;
    let log_n = check_scrypt(SCHEME, log_n, r, p)?;
    let salt = decode_field(SCHEME, "salt", salt, b64_decode, SALT_LEN)?;
    let hash = decode_field(SCHEME, "hash", hash, b64_decode, OUTPUT_LEN)?;
    Ok(ScryptHash {
        log_n,
        r,
        p,
        salt,
        hash,
        django: false,
    })
}

impl ScryptHash {
    pub(super) fn scheme(&self) -> &'static str {
        if self.django {
            "django-scrypt"
        } else {
            "scrypt"
        }
    }

    pub(super) fn verify(&self, password: &[u8]) -> Result<bool, HashError> {
        let scheme = self.scheme();
        let params =
            scrypt::Params::new(self.log_n, self.r, self.p).map_err(|e| HashError::Evaluation {
                scheme,
                reason: e.to_string(),
            })?;
        let mut out = Zeroizing::new(vec![0u8; self.hash.len()]);
        scrypt::scrypt(password, &self.salt, &params, &mut out).map_err(|e| {
            HashError::Evaluation {
                scheme,
                reason: e.to_string(),
            }
        })?;
        Ok(out.ct_eq(&self.hash).into())
    }
}

// ---------------------------------------------------------------- pbkdf2

/// Where a PBKDF2 hash came from; decides its scheme name (the algorithm is the same).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Pbkdf2Origin {
    /// `$pbkdf2-<digest>$i=…,l=…$salt$hash` (RustCrypto / PHC).
    Phc,
    /// `$pbkdf2-<digest>$ROUNDS$salt$hash` (passlib, "ab64" alphabet).
    Passlib,
    /// `pbkdf2_sha256$ITER$SALT$HASH` (Django).
    Django,
    /// Keycloak credential, canonical `$keycloak-pbkdf2-<digest>$i=…,l=…$salt$hash`.
    Keycloak,
}

/// A PBKDF2-HMAC hash (RFC 8018).
#[derive(Clone)]
pub(super) struct Pbkdf2Hash {
    pub(super) origin: Pbkdf2Origin,
    pub(super) digest: Digest,
    pub(super) iterations: u32,
    pub(super) salt: Vec<u8>,
    pub(super) hash: Vec<u8>,
}

/// Scheme name for a PBKDF2 origin and digest.
pub(super) fn pbkdf2_scheme(origin: Pbkdf2Origin, digest: Digest) -> &'static str {
    match origin {
        Pbkdf2Origin::Phc | Pbkdf2Origin::Passlib => match digest {
            Digest::Md4 => "pbkdf2-md4",
            Digest::Md5 => "pbkdf2-md5",
            Digest::Sha1 => "pbkdf2-sha1",
            Digest::Sha224 => "pbkdf2-sha224",
            Digest::Sha256 => "pbkdf2-sha256",
            Digest::Sha384 => "pbkdf2-sha384",
            Digest::Sha512 => "pbkdf2-sha512",
            Digest::Ripemd160 => "pbkdf2-ripemd160",
            Digest::Whirlpool => "pbkdf2-whirlpool",
        },
        Pbkdf2Origin::Django => match digest {
            Digest::Sha1 => "django-pbkdf2-sha1",
            _ => "django-pbkdf2-sha256",
        },
        Pbkdf2Origin::Keycloak => match digest {
            Digest::Sha1 => "keycloak-pbkdf2-sha1",
            Digest::Sha512 => "keycloak-pbkdf2-sha512",
            _ => "keycloak-pbkdf2-sha256",
        },
    }
}

/// Parse `$pbkdf2[-<digest>]$…` in PHC or passlib form.
pub(super) fn parse_pbkdf2(s: &str) -> Result<Pbkdf2Hash, HashError> {
    let (id, fields) = split_dollar(s).ok_or_else(|| malformed("pbkdf2", "missing leading `$`"))?;
    let digest = if id == "pbkdf2" {
        Some(Digest::Sha1)
    } else {
        id.strip_prefix("pbkdf2-").and_then(Digest::from_name)
    };
    let Some(digest) = digest else {
        return Err(unsupported(
            safe_name(id, "pbkdf2"),
            "unknown PBKDF2 digest (supported: md4, md5, sha1, sha224, sha256, sha384, sha512, \
             ripemd160, whirlpool); fix: import these users without a password",
        ));
    };
    let passlib =
        matches!(fields.first(), Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if passlib {
        let scheme = pbkdf2_scheme(Pbkdf2Origin::Passlib, digest);
        let &[rounds, salt, hash] = fields.as_slice() else {
            return Err(malformed(
                scheme,
                field_count("$pbkdf2-sha256$ROUNDS$salt$hash", fields.len(), 3),
            ));
        };
        let iterations = parse_u32(scheme, "rounds", rounds, 1..=MAX_PBKDF2_ITERATIONS)?;
        let salt = decode_field(scheme, "salt", salt, ab64_decode, SALT_LEN)?;
        let hash = decode_field(scheme, "hash", hash, ab64_decode, OUTPUT_LEN)?;
        return Ok(Pbkdf2Hash {
            origin: Pbkdf2Origin::Passlib,
            digest,
            iterations,
            salt,
            hash,
        });
    }
    parse_pbkdf2_phc_fields(Pbkdf2Origin::Phc, digest, &fields)
}

/// Parse the `i=…,l=…`, salt and hash fields of a PHC-style PBKDF2 string.
pub(super) fn parse_pbkdf2_phc_fields(
    origin: Pbkdf2Origin,
    digest: Digest,
    fields: &[&str],
) -> Result<Pbkdf2Hash, HashError> {
    let scheme = pbkdf2_scheme(origin, digest);
    let &[params, salt, hash] = fields else {
        let reason = if fields.len() == 2 {
            "the `i=ITER,l=LEN` parameter field is missing (expected \
             `$pbkdf2-sha256$i=…,l=…$salt$hash`); fix: add the iteration count the hash was made \
             with"
                .to_owned()
        } else {
            field_count("$pbkdf2-sha256$i=…,l=…$salt$hash", fields.len(), 3)
        };
        return Err(malformed(scheme, reason));
    };
    let params = Params::parse(scheme, params, &["i", "l"])?;
    let iterations = params.u32_req("i", 1..=MAX_PBKDF2_ITERATIONS)?;
    let len = params.u32_opt("l", 1..=u32::MAX)?;
    let salt = decode_field(scheme, "salt", salt, b64_decode, SALT_LEN)?;
    let hash = decode_field(scheme, "hash", hash, b64_decode, OUTPUT_LEN)?;
    if let Some(len) = len
        && usize::try_from(len).ok() != Some(hash.len())
    {
        return Err(malformed(
            scheme,
            format!(
                "l={len} but the hash is {} bytes; fix: the hash is truncated or `l` is wrong, \
                 re-export it",
                hash.len()
            ),
        ));
    }
    Ok(Pbkdf2Hash {
        origin,
        digest,
        iterations,
        salt,
        hash,
    })
}

impl Pbkdf2Hash {
    pub(super) fn scheme(&self) -> &'static str {
        pbkdf2_scheme(self.origin, self.digest)
    }

    pub(super) fn verify(&self, password: &[u8]) -> bool {
        let mut out = Zeroizing::new(vec![0u8; self.hash.len()]);
        self.digest
            .pbkdf2(password, &self.salt, self.iterations, &mut out);
        out.ct_eq(&self.hash).into()
    }

    /// Canonical PHC-style string, used for Keycloak credentials.
    pub(super) fn to_phc(&self, id: &str) -> String {
        use super::encoding::b64_encode;
        format!(
            "${id}$i={},l={}${}${}",
            self.iterations,
            self.hash.len(),
            b64_encode(&self.salt),
            b64_encode(&self.hash)
        )
    }
}
