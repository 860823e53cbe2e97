//! Keycloak password credentials from a realm export (Keycloak server-spi
//! PasswordCredentialModel): `secretData` = `{"value": b64 hash, "salt": b64 salt}` and
//! `credentialData` = `{"hashIterations": n, "algorithm": "pbkdf2" | "pbkdf2-sha256" |
//! "pbkdf2-sha512" | "argon2", "additionalParameters": {…}}`, each a JSON string.
//! PBKDF2 uses the password's UTF-8 bytes (Java PBEKeySpec via SunJCE) and derives as many bytes
//! as the stored value has; argon2 keeps its settings in `additionalParameters`.

use serde_json::{Map, Value};

use super::digests::Digest;
use super::encoding::{b64_decode_any, check_len, json_error, split_dollar};
use super::error::{HashError, malformed, safe_name, unsupported};
use super::phc::{Argon2Hash, Pbkdf2Hash, Pbkdf2Origin, parse_pbkdf2_phc_fields};
use super::{
    MAX_ARGON2_ITERATIONS, MAX_ARGON2_LANES, MAX_ARGON2_MEMORY_KIB, MAX_PBKDF2_ITERATIONS,
    OUTPUT_LEN, SALT_LEN,
};

const SCHEME: &str = "keycloak credential";

/// What a Keycloak credential becomes.
pub(super) enum Keycloak {
    Pbkdf2(Pbkdf2Hash),
    Argon2(Argon2Hash),
}

fn object(what: &str, text: &str) -> Result<Map<String, Value>, HashError> {
    // Strictly: `{"salt": "a", "salt": "b"}` would otherwise verify against one of the two.
    match crate::json::parse_unique(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(malformed(
            SCHEME,
            format!(
                "{what} is not a JSON object; fix: pass the credential's `{what}` string as \
                 exported"
            ),
        )),
        Err(e) => Err(malformed(
            SCHEME,
            format!(
                "{what} {}; fix: pass the credential's `{what}` string as exported",
                json_error(&e)
            ),
        )),
    }
}

fn string<'a>(map: &'a Map<String, Value>, what: &str, key: &str) -> Result<&'a str, HashError> {
    map.get(key).and_then(Value::as_str).ok_or_else(|| {
        malformed(
            SCHEME,
            format!(
                "{what}.{key} is missing or not a string; fix: pass the credential as exported"
            ),
        )
    })
}

/// Build from the two JSON strings of one credential.
pub(super) fn from_credential(
    secret_data: &str,
    credential_data: &str,
) -> Result<Keycloak, HashError> {
    let secret = object("secretData", secret_data)?;
    let cred = object("credentialData", credential_data)?;
    let algorithm = string(&cred, "credentialData", "algorithm")?;
    let iterations = cred
        .get("hashIterations")
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| {
            malformed(
                SCHEME,
                "credentialData.hashIterations is missing or not a non-negative integer; fix: \
                 pass the credential as exported",
            )
        })?;
    let value = string(&secret, "secretData", "value")?;
    let salt = string(&secret, "secretData", "salt")?;
    let hash = b64_decode_any(value.trim()).ok_or_else(|| {
        malformed(
            SCHEME,
            "secretData.value is not valid base64; fix: pass the credential as exported",
        )
    })?;
    let salt = b64_decode_any(salt.trim()).ok_or_else(|| {
        malformed(
            SCHEME,
            "secretData.salt is not valid base64; fix: pass the credential as exported",
        )
    })?;
    let digest = match algorithm {
        "pbkdf2" => Some(Digest::Sha1),
        "pbkdf2-sha256" => Some(Digest::Sha256),
        "pbkdf2-sha512" => Some(Digest::Sha512),
        _ => None,
    };
    if let Some(digest) = digest {
        let scheme = super::phc::pbkdf2_scheme(Pbkdf2Origin::Keycloak, digest);
        if !(1..=MAX_PBKDF2_ITERATIONS).contains(&iterations) {
            return Err(malformed(
                scheme,
                format!(
                    "hashIterations={iterations} is outside 1..={MAX_PBKDF2_ITERATIONS}; fix: \
                     check the export"
                ),
            ));
        }
        return Ok(Keycloak::Pbkdf2(Pbkdf2Hash {
            origin: Pbkdf2Origin::Keycloak,
            digest,
            iterations,
            salt: check_len(scheme, "salt", salt, SALT_LEN)?,
            hash: check_len(scheme, "value", hash, OUTPUT_LEN)?,
        }));
    }
    if algorithm == "argon2" {
        return argon2(&cred, iterations, salt, hash).map(Keycloak::Argon2);
    }
    Err(unsupported(
        format!("keycloak-{}", safe_name(algorithm, "unknown")),
        "unknown Keycloak hash algorithm (supported: pbkdf2, pbkdf2-sha256, pbkdf2-sha512, \
         argon2); fix: import these users without a password and ask them to reset it",
    ))
}

/// Keycloak's Argon2PasswordHashProvider: `additionalParameters` holds `type` (id|i|d),
/// `version` (1.3|1.0), `memory` (KiB), `parallelism` and `hashLength`, each as a one-element
/// string list; `hashIterations` is t.
fn argon2(
    cred: &Map<String, Value>,
    t: u32,
    salt: Vec<u8>,
    hash: Vec<u8>,
) -> Result<Argon2Hash, HashError> {
    const S: &str = "keycloak argon2 credential";
    let extra = cred.get("additionalParameters").and_then(Value::as_object);
    // MultivaluedHashMap exports as {"k": ["v"]}; accept a bare scalar too.
    let param = |key: &str| -> Option<String> {
        let v = extra?.get(key)?;
        let v = match v {
            Value::Array(a) if a.len() == 1 => a.first()?,
            other => other,
        };
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let missing = |key: &str| {
        malformed(
            S,
            format!(
                "credentialData.additionalParameters.{key} is missing or not a single value; fix: \
                 pass the credential as exported"
            ),
        )
    };
    let number = |key: &str, range: std::ops::RangeInclusive<u32>| -> Result<u32, HashError> {
        let v = param(key).ok_or_else(|| missing(key))?;
        super::encoding::parse_u32(S, key, &v, range)
    };
    let variant = match param("type").as_deref() {
        Some("id") => argon2::Algorithm::Argon2id,
        Some("i") => argon2::Algorithm::Argon2i,
        Some("d") => argon2::Algorithm::Argon2d,
        _ => return Err(missing("type")),
    };
    let version = match param("version").as_deref() {
        Some("1.3") | None => argon2::Version::V0x13,
        Some("1.0") => argon2::Version::V0x10,
        Some(_) => {
            return Err(malformed(
                S,
                "version must be 1.3 or 1.0; fix: check the export",
            ));
        }
    };
    let m_kib = number("memory", 8..=MAX_ARGON2_MEMORY_KIB)?;
    let p = number("parallelism", 1..=MAX_ARGON2_LANES)?;
    if !(1..=MAX_ARGON2_ITERATIONS).contains(&t) {
        return Err(malformed(
            S,
            format!(
                "hashIterations={t} is outside 1..={MAX_ARGON2_ITERATIONS}; fix: check the export"
            ),
        ));
    }
    if u64::from(m_kib) < 8 * u64::from(p) {
        return Err(malformed(
            S,
            "memory is below 8 KiB per lane; fix: check the export",
        ));
    }
    let hash = check_len(S, "value", hash, OUTPUT_LEN)?;
    if let Some(len) = param("hashLength")
        && len.parse::<usize>().ok() != Some(hash.len())
    {
        return Err(malformed(
            S,
            "hashLength does not match the length of secretData.value; fix: the value is \
             truncated, re-export it",
        ));
    }
    Ok(Argon2Hash {
        variant,
        version,
        m_kib,
        t,
        p,
        salt: check_len(S, "salt", salt, 8..=*SALT_LEN.end())?,
        hash,
        django: false,
    })
}

/// Parse the canonical `$keycloak-pbkdf2-<sha1|sha256|sha512>$i=…,l=…$salt$hash`.
pub(super) fn parse(s: &str) -> Result<Pbkdf2Hash, HashError> {
    let (id, fields) = split_dollar(s).ok_or_else(|| malformed(SCHEME, "missing leading `$`"))?;
    let digest = match id {
        "keycloak-pbkdf2-sha1" => Digest::Sha1,
        "keycloak-pbkdf2-sha256" => Digest::Sha256,
        "keycloak-pbkdf2-sha512" => Digest::Sha512,
        _ => {
            return Err(unsupported(
                safe_name(id, "keycloak"),
                "not a canonical Keycloak form (keycloak-pbkdf2-sha1|sha256|sha512); fix: build \
                 it with PasswordHash::from_keycloak",
            ));
        }
    };
    parse_pbkdf2_phc_fields(Pbkdf2Origin::Keycloak, digest, &fields)
}
