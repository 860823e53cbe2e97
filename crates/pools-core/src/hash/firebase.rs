//! Firebase Authentication's modified scrypt (firebase/scrypt README): the scrypt key of
//! `password` and `salt || salt_separator` (N = 2^mem_cost, r = rounds, p = 1, 32 bytes) is used
//! as an AES-256-CTR key (all-zero IV) to encrypt the project's signer key; the ciphertext is the
//! stored hash.

use aes::Aes256;
use ctr::Ctr128BE;
use ctr::cipher::{KeyIvInit, StreamCipher};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::encoding::{Params, b64_decode, b64_decode_any, b64_encode, json_error, split_dollar};
use super::error::{HashError, malformed, safe_label};
use super::{MAX_KEY_LEN, SALT_LEN};

const SCHEME: &str = "firebase-scrypt";
/// Firebase Admin SDK user-import limits for SCRYPT: rounds 1..=8, memory cost 1..=14.
const ROUNDS: std::ops::RangeInclusive<u32> = 1..=8;
const MEM_COST: std::ops::RangeInclusive<u32> = 1..=14;

/// A Firebase project's password-hash parameters, as the Firebase console shows them
/// (Authentication → Users → ⋮ → Password hash parameters) with the console's JSON keys.
///
/// Source: firebase/scrypt README and the Firebase Admin SDK user-import docs. Only
/// `algorithm: "SCRYPT"` (Firebase's modified scrypt) is accepted. `Debug` hides the signer
/// key, which is a project secret.
#[derive(Clone)]
pub struct FirebaseHashConfig {
    /// Must be `"SCRYPT"`.
    pub algorithm: String,
    /// The project's signer key, standard or URL-safe base64 (64 bytes for real projects).
    pub base64_signer_key: String,
    /// The salt separator appended to every user's salt, base64 (usually `Bw==`).
    pub base64_salt_separator: String,
    /// scrypt `r` (block size), 1..=8.
    pub rounds: u32,
    /// log2 of scrypt `N` (CPU/memory cost), 1..=14.
    pub mem_cost: u32,
}

impl std::fmt::Debug for FirebaseHashConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FirebaseHashConfig")
            .field("algorithm", &self.algorithm)
            .field("rounds", &self.rounds)
            .field("mem_cost", &self.mem_cost)
            .finish_non_exhaustive()
    }
}

/// The decoded, checked parameters of a [`FirebaseHashConfig`].
pub(super) struct Decoded {
    log_n: u8,
    rounds: u32,
    signer_key: Vec<u8>,
    separator: Vec<u8>,
}

fn config_err(field: impl Into<String>, reason: impl Into<String>) -> HashError {
    HashError::FirebaseConfig {
        field: field.into(),
        reason: reason.into(),
    }
}

/// The console's keys, in the order it shows them.
const KEYS: [&str; 5] = [
    "algorithm",
    "base64_signer_key",
    "base64_salt_separator",
    "rounds",
    "mem_cost",
];

/// The `field` of an error about the document as a whole (empty, not an object, not JSON).
const DOCUMENT: &str = "(document)";

/// The fix of a document that is not the console's parameters at all.
const PASTE: &str = "fix: paste the five values the Firebase console shows (Authentication > \
                     Users > Password hash parameters) as one JSON object: \
                     {\"algorithm\": \"SCRYPT\", \"base64_signer_key\": \"...\", \
                     \"base64_salt_separator\": \"...\", \"rounds\": 8, \"mem_cost\": 14}";

/// The console key another tool's name for a parameter means: the Admin SDK's `key`,
/// `saltSeparator`, `memoryCost`, the CLI's `--hash-key`, `--salt-separator`, `--mem-cost`, and
/// the console's own keys in another case or spelling (`memCost`, `Rounds`).
fn meant(key: &str) -> Option<&'static str> {
    let plain: String = key
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    match plain.as_str() {
        "algorithm" | "algo" | "hashalgorithm" => Some("algorithm"),
        "base64signerkey" | "signerkey" | "key" | "hashkey" => Some("base64_signer_key"),
        "base64saltseparator" | "saltseparator" | "separator" => Some("base64_salt_separator"),
        "rounds" => Some("rounds"),
        "memcost" | "memorycost" => Some("mem_cost"),
        _ => None,
    }
}

/// An input's key for a message: itself when it is a short identifier, never anything that
/// may be a pasted value (a key is no secret, but a broken paste may put the signer key
/// where a key belongs).
fn key_label(key: &str) -> String {
    let ok = !key.is_empty()
        && key.len() <= 32
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.');
    if ok {
        key.to_owned()
    } else {
        "(a key not shown)".to_owned()
    }
}

impl FirebaseHashConfig {
    /// Parse the console's parameters as a JSON object with exactly the keys `algorithm`,
    /// `base64_signer_key`, `base64_salt_separator`, `rounds` and `mem_cost`, and check them.
    /// A leading byte-order mark (an editor on Windows writes one) is skipped.
    ///
    /// # Errors
    /// [`HashError::FirebaseConfig`] naming the field at fault and the fix: a key written
    /// twice, missing, unknown (with the console key it likely means) or of the wrong type,
    /// `algorithm` not `"SCRYPT"`, a base64 value that does not decode, `rounds` (1..=8) or
    /// `mem_cost` (1..=14) out of range; or naming `(document)` when the file is empty, not
    /// JSON, or not an object. Messages never contain the key's or separator's value.
    pub fn from_json(text: &str) -> Result<Self, HashError> {
        let text = crate::json::strip_bom(text);
        if text.trim().is_empty() {
            return Err(config_err(
                DOCUMENT,
                format!(
                    "the file is {}; {PASTE}",
                    if text.is_empty() {
                        "empty"
                    } else {
                        "only whitespace"
                    }
                ),
            ));
        }
        let value =
            crate::json::parse_unique(text).map_err(|e| match crate::json::repeated_key(&e) {
                Some(key) => config_err(
                    key_label(&key),
                    format!(
                        "appears twice (the second at line {}, column {}), so the file says two \
                         things; fix: keep the key once, with the value the console shows",
                        e.line(),
                        e.column()
                    ),
                ),
                None => config_err(DOCUMENT, format!("{}; {PASTE}", json_error(&e))),
            })?;
        let serde_json::Value::Object(map) = value else {
            return Err(config_err(
                DOCUMENT,
                format!(
                    "is {}, expected a JSON object of the five parameters; {PASTE}",
                    crate::export::type_name(&value)
                ),
            ));
        };
        if let Some(key) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
            let reason = match meant(key) {
                Some(known) => format!(
                    "is not a key of the console's parameters; fix: name it `{known}`, as the \
                     console does"
                ),
                None => format!(
                    "is not a key of the console's parameters (they are {}); fix: remove it",
                    KEYS.join(", ")
                ),
            };
            return Err(config_err(key_label(key), reason));
        }
        if let Some(missing) = KEYS.iter().find(|k| !map.contains_key(**k)) {
            return Err(config_err(
                *missing,
                "is missing; fix: copy it from the console's password hash parameters \
                 (Authentication > Users > Password hash parameters)",
            ));
        }
        let string = |key: &'static str, what: &str| match &map[key] {
            serde_json::Value::String(s) => Ok(s.clone()),
            other => Err(config_err(
                key,
                format!(
                    "is {}, expected a string ({what}); fix: copy it from the console, in quotes",
                    crate::export::type_name(other)
                ),
            )),
        };
        let number = |key: &'static str, range: &std::ops::RangeInclusive<u32>| {
            let value = &map[key];
            let found = match value {
                serde_json::Value::Number(n) => match n.as_u64() {
                    Some(n) => return Ok(u32::try_from(n).unwrap_or(u32::MAX)),
                    None if n.is_i64() => "a negative number".to_owned(),
                    None => "a number with a fraction or exponent".to_owned(),
                },
                other => crate::export::type_name(other).to_owned(),
            };
            Err(config_err(
                key,
                format!(
                    "is {found}, expected a whole number {}..={}; fix: copy it from the console{}",
                    range.start(),
                    range.end(),
                    if value.is_string() {
                        ", without quotes"
                    } else {
                        ""
                    }
                ),
            ))
        };
        let config = FirebaseHashConfig {
            algorithm: string("algorithm", "`SCRYPT`")?,
            base64_signer_key: string("base64_signer_key", "base64")?,
            base64_salt_separator: string("base64_salt_separator", "base64, usually `Bw==`")?,
            rounds: number("rounds", &ROUNDS)?,
            mem_cost: number("mem_cost", &MEM_COST)?,
        };
        config.decode()?;
        Ok(config)
    }

    /// Check and decode every field.
    pub(super) fn decode(&self) -> Result<Decoded, HashError> {
        if self.algorithm != "SCRYPT" {
            let hint = if self.algorithm.eq_ignore_ascii_case("STANDARD_SCRYPT") {
                "standard scrypt is not Firebase's modified scrypt; hash such users with \
                 `$scrypt$` PHC strings instead"
            } else {
                "only Firebase's modified scrypt is supported; fix: copy the parameters of a \
                 project whose console shows algorithm SCRYPT"
            };
            return Err(config_err(
                "algorithm",
                format!(
                    "is {}, expected `SCRYPT`: {hint}",
                    safe_label(&self.algorithm)
                ),
            ));
        }
        let signer_key = b64_decode_any(self.base64_signer_key.trim())
            .filter(|k| (1..=MAX_KEY_LEN).contains(&k.len()))
            .ok_or_else(|| {
                config_err(
                    "base64_signer_key",
                    format!(
                        "is not base64 of 1..={MAX_KEY_LEN} bytes; fix: copy it again from the \
                         console"
                    ),
                )
            })?;
        let separator = b64_decode_any(self.base64_salt_separator.trim())
            .filter(|s| s.len() <= MAX_KEY_LEN)
            .ok_or_else(|| {
                config_err(
                    "base64_salt_separator",
                    "is not valid base64; fix: copy it again from the console (usually `Bw==`)",
                )
            })?;
        if !ROUNDS.contains(&self.rounds) {
            return Err(config_err(
                "rounds",
                format!(
                    "is {}, Firebase allows {}..={}; fix: copy it again from the console",
                    self.rounds,
                    ROUNDS.start(),
                    ROUNDS.end()
                ),
            ));
        }
        let log_n = u8::try_from(self.mem_cost)
            .ok()
            .filter(|m| MEM_COST.contains(&u32::from(*m)))
            .ok_or_else(|| {
                config_err(
                    "mem_cost",
                    format!(
                        "is {}, Firebase allows {}..={}; fix: copy it again from the console",
                        self.mem_cost,
                        MEM_COST.start(),
                        MEM_COST.end()
                    ),
                )
            })?;
        Ok(Decoded {
            log_n,
            rounds: self.rounds,
            signer_key,
            separator,
        })
    }
}

/// A Firebase user's hash with its project's parameters, so it verifies on its own.
#[derive(Clone)]
pub(super) struct FirebaseScrypt {
    log_n: u8,
    rounds: u32,
    signer_key: Vec<u8>,
    separator: Vec<u8>,
    salt: Vec<u8>,
    hash: Vec<u8>,
}

/// Check the hash length against the signer key: AES-CTR output is as long as its input.
fn check_hash_len(hash: &[u8], signer_key: &[u8]) -> Result<(), HashError> {
    if hash.len() == signer_key.len() {
        Ok(())
    } else {
        Err(malformed(
            SCHEME,
            format!(
                "the hash is {} bytes but the signer key is {}; they must be equal; fix: use the \
                 hash config of the project this user was exported from",
                hash.len(),
                signer_key.len()
            ),
        ))
    }
}

/// Build from `auth:export`'s `passwordHash` and `salt` and the project's config.
pub(super) fn from_export(
    hash_b64: &str,
    salt_b64: &str,
    config: &FirebaseHashConfig,
) -> Result<FirebaseScrypt, HashError> {
    let d = config.decode()?;
    let (hash_b64, salt_b64) = (hash_b64.trim(), salt_b64.trim());
    if hash_b64.is_empty() || salt_b64.is_empty() {
        return Err(malformed(
            SCHEME,
            "passwordHash or salt is empty: this user has no password (e.g. signs in with a \
             social provider only); fix: import the user without a password",
        ));
    }
    let salt = b64_decode_any(salt_b64)
        .filter(|s| SALT_LEN.contains(&s.len()))
        .ok_or_else(|| {
            malformed(
                SCHEME,
                "salt is not base64 of 1..=1024 bytes; fix: take `salt` unmodified from the \
                 auth:export file",
            )
        })?;
    let hash = b64_decode_any(hash_b64).ok_or_else(|| {
        malformed(
            SCHEME,
            "passwordHash is not valid base64; fix: take `passwordHash` unmodified from the \
             auth:export file",
        )
    })?;
    check_hash_len(&hash, &d.signer_key)?;
    Ok(FirebaseScrypt {
        log_n: d.log_n,
        rounds: d.rounds,
        signer_key: d.signer_key,
        separator: d.separator,
        salt,
        hash,
    })
}

/// Parse the canonical `$firebase-scrypt$r=…,m=…,k=…,s=…$salt$hash`.
pub(super) fn parse(s: &str) -> Result<FirebaseScrypt, HashError> {
    let (_, fields) = split_dollar(s).ok_or_else(|| malformed(SCHEME, "missing leading `$`"))?;
    let &[params, salt, hash] = fields.as_slice() else {
        return Err(malformed(
            SCHEME,
            "expected `$firebase-scrypt$r=…,m=…,k=…,s=…$salt$hash`; fix: store the string \
             unmodified",
        ));
    };
    let params = Params::parse(SCHEME, params, &["r", "m", "k", "s"])?;
    let rounds = params.u32_req("r", ROUNDS)?;
    let log_n = params.u32_req("m", MEM_COST)?;
    let log_n = u8::try_from(log_n)
        .map_err(|_| malformed(SCHEME, "`m` out of range; fix: store the string unmodified"))?;
    let key_or_sep = |name: &str, min: usize| -> Result<Vec<u8>, HashError> {
        params
            .get(name)
            .and_then(|v| {
                if v.is_empty() {
                    Some(Vec::new())
                } else {
                    b64_decode(v)
                }
            })
            .filter(|b| (min..=MAX_KEY_LEN).contains(&b.len()))
            .ok_or_else(|| {
                malformed(
                    SCHEME,
                    format!(
                        "parameter `{name}` is missing or not valid base64; fix: store the \
                         string unmodified"
                    ),
                )
            })
    };
    let signer_key = key_or_sep("k", 1)?;
    let separator = key_or_sep("s", 0)?;
    let salt = super::encoding::decode_field(SCHEME, "salt", salt, b64_decode, SALT_LEN)?;
    let hash = super::encoding::decode_field(SCHEME, "hash", hash, b64_decode, 1..=MAX_KEY_LEN)?;
    check_hash_len(&hash, &signer_key)?;
    Ok(FirebaseScrypt {
        log_n,
        rounds,
        signer_key,
        separator,
        salt,
        hash,
    })
}

impl FirebaseScrypt {
    /// scrypt's log2(N) and r (p is 1).
    pub(super) fn cost_params(&self) -> (u8, u32) {
        (self.log_n, self.rounds)
    }

    /// The canonical string.
    pub(super) fn encode(&self) -> String {
        format!(
            "${SCHEME}$r={},m={},k={},s={}${}${}",
            self.rounds,
            self.log_n,
            b64_encode(&self.signer_key),
            b64_encode(&self.separator),
            b64_encode(&self.salt),
            b64_encode(&self.hash)
        )
    }

    pub(super) fn verify(&self, password: &[u8]) -> Result<bool, HashError> {
        let eval = |reason: String| HashError::Evaluation {
            scheme: SCHEME,
            reason,
        };
        let params =
            scrypt::Params::new(self.log_n, self.rounds, 1).map_err(|e| eval(e.to_string()))?;
        let mut salted = Zeroizing::new(Vec::with_capacity(self.salt.len() + self.separator.len()));
        salted.extend_from_slice(&self.salt);
        salted.extend_from_slice(&self.separator);
        let mut key = Zeroizing::new([0u8; 32]);
        scrypt::scrypt(password, &salted, &params, key.as_mut_slice())
            .map_err(|e| eval(e.to_string()))?;
        let mut cipher = Ctr128BE::<Aes256>::new_from_slices(key.as_slice(), &[0u8; 16])
            .map_err(|e| eval(e.to_string()))?;
        let mut out = Zeroizing::new(self.signer_key.clone());
        cipher.apply_keystream(&mut out);
        Ok(out.ct_eq(&self.hash).into())
    }
}
