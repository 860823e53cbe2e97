//! Auth0 bulk user import `custom_password_hash` objects (Auth0 docs, "Bulk User Import Database
//! Schema and Examples"), and this module's canonical strings for the ones that are not already
//! a standard string:
//!
//! - `$auth0-<md4|md5|sha1|sha256|sha512>$enc=<e>[,pos=<p>]$<salt>$<hash>`
//! - `$auth0-hmac-<digest>$enc=<e>[,pos=<p>],key=<key>$<salt>$<hash>`
//!
//! `e` is the password encoding (utf8|utf16le|latin1), `p` the salt position (prefix|suffix,
//! present only with a salt); key, salt and hash are PHC B64 (standard alphabet, no padding) of
//! the raw bytes; an empty salt field means unsalted.

use serde_json::{Map, Value};

use super::digests::Digest;
use super::encoding::{
    Params, PasswordEncoding, b64_decode, b64_decode_any, b64_encode, check_len, hex_decode,
    split_dollar,
};
use super::error::{HashError, malformed, safe_label, safe_name, unsupported};
use super::salted::{
    HmacDigest, SaltPosition, SaltedDigest, SaltedOrigin, auth0_digest_scheme, auth0_hmac_scheme,
};
use super::{Inner, MAX_KEY_LEN, PasswordHash, SALT_LEN};

const S: &str = "auth0 custom_password_hash";

/// Default PBKDF2 parameters Auth0 applies when a PHC string omits them.
const PBKDF2_DEFAULTS: (&str, &str) = ("i=100000", "l=64");

fn bad(reason: impl Into<String>) -> HashError {
    malformed(S, reason)
}

fn object<'a>(v: &'a Value, path: &str) -> Result<&'a Map<String, Value>, HashError> {
    v.as_object().ok_or_else(|| {
        bad(format!(
            "`{path}` must be a JSON object; fix: follow the bulk import schema"
        ))
    })
}

/// Refuse keys the schema does not define (it sets additionalProperties: false).
fn only_keys(map: &Map<String, Value>, path: &str, allowed: &[&str]) -> Result<(), HashError> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(bad(format!(
            "`{path}` has unknown key {} (allowed: {}); fix: remove it",
            safe_label(k),
            allowed.join(", ")
        ))),
        None => Ok(()),
    }
}

fn opt_str<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<Option<&'a str>, HashError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(bad(format!(
            "`{path}` must be a string; fix: follow the bulk import schema"
        ))),
    }
}

fn req_str<'a>(map: &'a Map<String, Value>, key: &str, path: &str) -> Result<&'a str, HashError> {
    opt_str(map, key, path)?.ok_or_else(|| bad(format!("`{path}` is missing; fix: add it")))
}

fn opt_object<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    allowed: &[&str],
) -> Result<Option<&'a Map<String, Value>>, HashError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => {
            let m = object(v, key)?;
            only_keys(m, key, allowed)?;
            Ok(Some(m))
        }
    }
}

/// Decode a value in one of the schema's encodings (`utf8` only where `allow_utf8`).
/// Hex may be either case and base64 may be URL-safe, as the schema allows.
fn decode(path: &str, encoding: &str, text: &str, allow_utf8: bool) -> Result<Vec<u8>, HashError> {
    let decoded = match encoding.to_ascii_lowercase().as_str() {
        "hex" => hex_decode(text.trim()),
        "base64" => b64_decode_any(text.trim()),
        "utf8" if allow_utf8 => Some(text.as_bytes().to_vec()),
        _ => {
            let allowed = if allow_utf8 {
                "hex, base64 or utf8"
            } else {
                "hex or base64"
            };
            return Err(bad(format!(
                "the encoding of `{path}` is {}; fix: use {allowed}",
                safe_label(encoding)
            )));
        }
    };
    decoded.ok_or_else(|| {
        bad(format!(
            "`{path}` is not valid {encoding}; fix: check the value and its encoding"
        ))
    })
}

/// Build a hash from a `custom_password_hash` object.
pub(super) fn from_custom(obj: &Value) -> Result<PasswordHash, HashError> {
    let top = object(obj, "custom_password_hash")?;
    only_keys(
        top,
        "custom_password_hash",
        &["algorithm", "hash", "salt", "password"],
    )?;
    let algorithm = req_str(top, "algorithm", "algorithm")?.to_ascii_lowercase();
    let hash = top
        .get("hash")
        .ok_or_else(|| bad("`hash` is missing; fix: add {\"value\": …}"))?;
    let hash = object(hash, "hash")?;
    only_keys(hash, "hash", &["value", "encoding", "digest", "key"])?;
    let value = req_str(hash, "value", "hash.value")?;
    let encoding = opt_str(hash, "encoding", "hash.encoding")?;
    let salt = opt_object(top, "salt", &["value", "encoding", "position"])?;
    let password = opt_object(top, "password", &["encoding"])?;
    let pw_encoding = match password
        .map(|p| opt_str(p, "encoding", "password.encoding"))
        .transpose()?
        .flatten()
    {
        None => PasswordEncoding::Utf8,
        Some(e) => PasswordEncoding::from_auth0(e).ok_or_else(|| {
            bad(format!(
                "password.encoding is {}; fix: use ascii, utf8, utf16le, ucs2, latin1 or binary",
                safe_label(e)
            ))
        })?,
    };
    let hmac_only = hash.contains_key("digest") || hash.contains_key("key");

    match algorithm.as_str() {
        "bcrypt" | "argon2" | "pbkdf2" | "ldap" => {
            if let Some(e) = encoding.filter(|e| !e.eq_ignore_ascii_case("utf8")) {
                return Err(bad(format!(
                    "hash.encoding is {} but must be utf8 for {algorithm}; fix: set utf8 or omit it",
                    safe_label(e)
                )));
            }
            if salt.is_some() {
                return Err(bad(format!(
                    "`salt` is not allowed with {algorithm}: the salt is inside hash.value; fix: \
                     remove it"
                )));
            }
            if hmac_only {
                return Err(bad(
                    "hash.digest and hash.key are only used with algorithm hmac; fix: remove them",
                ));
            }
            if pw_encoding != PasswordEncoding::Utf8 {
                return Err(bad(format!(
                    "password.encoding must be utf8 for {algorithm} (other encodings are \
                     supported for md4, md5, sha1, sha256, sha512 and hmac)"
                )));
            }
            string_hash(&algorithm, value.trim())
        }
        "md4" | "md5" | "sha1" | "sha256" | "sha512" => {
            let Some(digest) = Digest::from_name(&algorithm) else {
                return Err(bad(
                    "unknown digest; fix: use md4, md5, sha1, sha256 or sha512",
                ));
            };
            if hmac_only {
                return Err(bad(
                    "hash.digest and hash.key are only used with algorithm hmac; fix: remove them",
                ));
            }
            let encoding = encoding.ok_or_else(|| {
                bad(format!(
                    "hash.encoding is missing; fix: set hex or base64 for {algorithm}"
                ))
            })?;
            let scheme = auth0_digest_scheme(digest);
            let hash = digest_value(scheme, digest, encoding, value)?;
            let (salt, position) = salt_of(salt)?;
            let d = SaltedDigest {
                origin: SaltedOrigin::Auth0,
                digest,
                salt,
                position,
                encoding: pw_encoding,
                hash,
            };
            let encoded = encode_salted(&d);
            Ok(PasswordHash {
                inner: Inner::Salted(d),
                encoded,
            })
        }
        "hmac" => {
            let name = req_str(hash, "digest", "hash.digest")?;
            let digest = Digest::from_name(&name.to_ascii_lowercase()).ok_or_else(|| {
                bad(format!(
                    "hash.digest is {}; fix: use md4, md5, ripemd160, sha1, sha224, sha256, \
                     sha384, sha512 or whirlpool",
                    safe_label(name)
                ))
            })?;
            let key = hash.get("key").ok_or_else(|| {
                bad("hash.key is missing; fix: add {\"value\": …, \"encoding\": …}")
            })?;
            let key = object(key, "hash.key")?;
            only_keys(key, "hash.key", &["value", "encoding"])?;
            let key_value = req_str(key, "value", "hash.key.value")?;
            let key_encoding = opt_str(key, "encoding", "hash.key.encoding")?.unwrap_or("utf8");
            let key = decode("hash.key.value", key_encoding, key_value, true)?;
            if !(1..=MAX_KEY_LEN).contains(&key.len()) {
                return Err(bad(format!(
                    "hash.key.value must decode to 1..={MAX_KEY_LEN} bytes; fix: check the key"
                )));
            }
            let encoding = encoding
                .ok_or_else(|| bad("hash.encoding is missing; fix: set hex or base64 for hmac"))?;
            let scheme = auth0_hmac_scheme(digest);
            let hash = digest_value(scheme, digest, encoding, value)?;
            let (salt, position) = salt_of(salt)?;
            let h = HmacDigest {
                digest,
                key,
                salt,
                position,
                encoding: pw_encoding,
                hash,
            };
            let encoded = encode_hmac(&h);
            Ok(PasswordHash {
                inner: Inner::Hmac(h),
                encoded,
            })
        }
        "scrypt" => Err(unsupported(
            "auth0-scrypt",
            "Auth0 scrypt custom hashes are not supported; fix: if you have N, r, p and the salt, \
             write a `$scrypt$ln=…,r=…,p=…$salt$hash` PHC string instead, else import these \
             users without a password",
        )),
        _ => Err(unsupported(
            format!("auth0-{}", safe_name(&algorithm, "unknown")),
            "unknown custom_password_hash algorithm (supported: argon2, bcrypt, hmac, ldap, md4, \
             md5, sha1, sha256, sha512, pbkdf2); fix: import these users without a password",
        )),
    }
}

/// Decode `hash.value` of a digest or hmac hash and check its length.
fn digest_value(
    scheme: &'static str,
    digest: Digest,
    encoding: &str,
    value: &str,
) -> Result<Vec<u8>, HashError> {
    let bytes = decode("hash.value", encoding, value, false)?;
    let n = digest.output_len();
    check_len(scheme, "hash.value", bytes, n..=n)
}

/// Decode the optional `salt` object.
fn salt_of(salt: Option<&Map<String, Value>>) -> Result<(Vec<u8>, SaltPosition), HashError> {
    let Some(salt) = salt else {
        return Ok((Vec::new(), SaltPosition::Prefix));
    };
    let value = req_str(salt, "value", "salt.value")?;
    let encoding = opt_str(salt, "encoding", "salt.encoding")?.unwrap_or("utf8");
    let bytes = decode("salt.value", encoding, value, true)?;
    if bytes.is_empty() {
        return Ok((bytes, SaltPosition::Prefix));
    }
    let bytes = check_len(S, "salt.value", bytes, SALT_LEN)?;
    let position = req_str(salt, "position", "salt.position")?;
    let position = SaltPosition::from_name(&position.to_ascii_lowercase()).ok_or_else(|| {
        bad(format!(
            "salt.position is {}; fix: use prefix or suffix",
            safe_label(position)
        ))
    })?;
    Ok((bytes, position))
}

/// argon2 / bcrypt / pbkdf2 / ldap: hash.value is itself a standard string.
fn string_hash(algorithm: &str, value: &str) -> Result<PasswordHash, HashError> {
    let (shape_ok, shape) = match algorithm {
        "bcrypt" => (value.starts_with("$2"), "a `$2a$`/`$2b$` bcrypt string"),
        "argon2" => (value.starts_with("$argon2"), "an `$argon2id$…` PHC string"),
        "pbkdf2" => (
            value.starts_with("$pbkdf2"),
            "a `$pbkdf2-<digest>$i=…,l=…$salt$hash` PHC string",
        ),
        _ => (value.starts_with('{'), "an RFC 2307 `{SSHA}…`-style value"),
    };
    if !shape_ok {
        return Err(bad(format!(
            "hash.value for algorithm {algorithm} must be {shape}; fix: check the algorithm field"
        )));
    }
    let normalized;
    let value = if algorithm == "pbkdf2" {
        normalized = normalize_pbkdf2(value)?;
        normalized.as_str()
    } else {
        value
    };
    PasswordHash::parse(value)
}

/// Rewrite an Auth0 PBKDF2 PHC string into the form `parse` accepts: OpenSSL digest aliases
/// (`RSA-SHA256`, `sha256WithRSAEncryption`, …) become plain names and omitted `i`/`l` get
/// Auth0's defaults (i=100000, l=64).
fn normalize_pbkdf2(value: &str) -> Result<String, HashError> {
    let Some((id, fields)) = split_dollar(value) else {
        return Err(bad(
            "hash.value is not a PHC string; fix: use `$pbkdf2-<digest>$i=…,l=…$salt$hash`",
        ));
    };
    let name = if id == "pbkdf2" {
        "sha1"
    } else {
        id.get("pbkdf2-".len()..).unwrap_or("")
    };
    let digest = match name.to_ascii_lowercase().as_str() {
        "md4" | "rsa-md4" | "md4withrsaencryption" => Digest::Md4,
        "md5" | "rsa-md5" | "md5withrsaencryption" | "ssl3-md5" => Digest::Md5,
        "sha1" | "rsa-sha1" | "rsa-sha1-2" | "sha1withrsaencryption" | "ssl3-sha1" => Digest::Sha1,
        "sha224" | "rsa-sha224" | "sha224withrsaencryption" => Digest::Sha224,
        "sha256" | "rsa-sha256" | "sha256withrsaencryption" => Digest::Sha256,
        "sha384" | "rsa-sha384" | "sha384withrsaencryption" => Digest::Sha384,
        "sha512" | "rsa-sha512" | "sha512withrsaencryption" => Digest::Sha512,
        "ripemd" | "ripemd160" | "rmd160" | "rsa-ripemd160" | "ripemd160withrsa" => {
            Digest::Ripemd160
        }
        "whirlpool" => Digest::Whirlpool,
        _ => {
            return Err(unsupported(
                format!("auth0-pbkdf2-{}", safe_name(name, "unknown")),
                "this PBKDF2 digest is not supported (MDC2 has no maintained implementation); \
                 fix: import these users without a password",
            ));
        }
    };
    let (params, salt, hash) = match *fields.as_slice() {
        [salt, hash] => (
            format!("{},{}", PBKDF2_DEFAULTS.0, PBKDF2_DEFAULTS.1),
            salt,
            hash,
        ),
        [params, salt, hash] => {
            let has = |k: &str| params.split(',').any(|kv| kv.split('=').next() == Some(k));
            let mut p: Vec<&str> = Vec::new();
            if !has("i") {
                p.push(PBKDF2_DEFAULTS.0);
            }
            if !params.is_empty() {
                p.push(params);
            }
            if !has("l") {
                p.push(PBKDF2_DEFAULTS.1);
            }
            (p.join(","), salt, hash)
        }
        _ => {
            return Err(bad(
                "hash.value is not `$pbkdf2-<digest>$i=…,l=…$salt$hash`; fix: the string is \
                 truncated or damaged",
            ));
        }
    };
    Ok(format!("$pbkdf2-{}${params}${salt}${hash}", digest.name()))
}

/// Canonical string of an Auth0 digest hash.
pub(super) fn encode_salted(d: &SaltedDigest) -> String {
    encode(d.scheme(), d.encoding, &d.salt, d.position, None, &d.hash)
}

/// Canonical string of an Auth0 hmac hash.
pub(super) fn encode_hmac(h: &HmacDigest) -> String {
    encode(
        h.scheme(),
        h.encoding,
        &h.salt,
        h.position,
        Some(&h.key),
        &h.hash,
    )
}

fn encode(
    id: &str,
    enc: PasswordEncoding,
    salt: &[u8],
    pos: SaltPosition,
    key: Option<&[u8]>,
    hash: &[u8],
) -> String {
    let mut params = format!("enc={}", enc.name());
    if !salt.is_empty() {
        params.push_str(",pos=");
        params.push_str(pos.name());
    }
    if let Some(key) = key {
        params.push_str(",key=");
        params.push_str(&b64_encode(key));
    }
    format!("${id}${params}${}${}", b64_encode(salt), b64_encode(hash))
}

/// Parse a canonical `$auth0-…` string.
pub(super) fn parse(s: &str) -> Result<Inner, HashError> {
    let (id, fields) = split_dollar(s).ok_or_else(|| bad("missing leading `$`"))?;
    let rest = id.get("auth0-".len()..).unwrap_or("");
    let (digest, hmac) = match rest.strip_prefix("hmac-") {
        Some(d) => (Digest::from_name(d), true),
        None => (
            Digest::from_name(rest).filter(|d| {
                matches!(
                    d,
                    Digest::Md4 | Digest::Md5 | Digest::Sha1 | Digest::Sha256 | Digest::Sha512
                )
            }),
            false,
        ),
    };
    let Some(digest) = digest else {
        return Err(unsupported(
            safe_name(id, "auth0"),
            "not a canonical Auth0 form (auth0-md4|md5|sha1|sha256|sha512 or auth0-hmac-<digest>); \
             fix: build it with PasswordHash::from_auth0_custom",
        ));
    };
    let scheme = if hmac {
        auth0_hmac_scheme(digest)
    } else {
        auth0_digest_scheme(digest)
    };
    let &[params, salt, hash] = fields.as_slice() else {
        return Err(malformed(
            scheme,
            "expected `$auth0-…$enc=…$salt$hash`; fix: store the string unmodified",
        ));
    };
    let known: &[&str] = if hmac {
        &["enc", "pos", "key"]
    } else {
        &["enc", "pos"]
    };
    let params = Params::parse(scheme, params, known)?;
    let encoding = params
        .get("enc")
        .and_then(PasswordEncoding::from_name)
        .ok_or_else(|| {
            malformed(
                scheme,
                "`enc` is missing or not utf8|utf16le|latin1; fix: store the string unmodified",
            )
        })?;
    let salt = if salt.is_empty() {
        Vec::new()
    } else {
        super::encoding::decode_field(scheme, "salt", salt, b64_decode, SALT_LEN)?
    };
    let position = match (salt.is_empty(), params.get("pos")) {
        (true, None) => SaltPosition::Prefix,
        (false, Some(p)) => SaltPosition::from_name(p)
            .ok_or_else(|| malformed(scheme, "`pos` must be prefix or suffix"))?,
        (true, Some(_)) => {
            return Err(malformed(
                scheme,
                "`pos` is given without a salt; fix: store the string unmodified",
            ));
        }
        (false, None) => {
            return Err(malformed(
                scheme,
                "`pos` is missing for a salted hash; fix: store the string unmodified",
            ));
        }
    };
    let n = digest.output_len();
    let hash = super::encoding::decode_field(scheme, "hash", hash, b64_decode, n..=n)?;
    if hmac {
        let key = params
            .get("key")
            .and_then(b64_decode)
            .filter(|k| (1..=MAX_KEY_LEN).contains(&k.len()))
            .ok_or_else(|| {
                malformed(
                    scheme,
                    "`key` is missing or not valid base64; fix: store the string unmodified",
                )
            })?;
        Ok(Inner::Hmac(HmacDigest {
            digest,
            key,
            salt,
            position,
            encoding,
            hash,
        }))
    } else {
        Ok(Inner::Salted(SaltedDigest {
            origin: SaltedOrigin::Auth0,
            digest,
            salt,
            position,
            encoding,
            hash,
        }))
    }
}
