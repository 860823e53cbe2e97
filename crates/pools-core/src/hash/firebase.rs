//! Firebase Authentication's modified scrypt (firebase/scrypt README): the scrypt key of
//! `password` and `salt || salt_separator` (N = 2^mem_cost, r = rounds, p = 1, 32 bytes) is used
//! as an AES-256-CTR key (all-zero IV) to encrypt the project's signer key; the ciphertext is the
//! stored hash.

use aes::Aes256;
use ctr::Ctr128BE;
use ctr::cipher::{KeyIvInit, StreamCipher};
use serde::Deserialize;
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
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
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

fn config_err(field: &'static str, reason: impl Into<String>) -> HashError {
    HashError::FirebaseConfig {
        field,
        reason: reason.into(),
    }
}

impl FirebaseHashConfig {
    /// Parse the console's parameters as a JSON object with exactly the keys `algorithm`,
    /// `base64_signer_key`, `base64_salt_separator`, `rounds` and `mem_cost`, and check them.
    ///
    /// # Errors
    /// [`HashError::FirebaseConfig`] naming the field when the JSON is broken, a key is missing
    /// or unknown, `algorithm` is not `"SCRYPT"`, a base64 value does not decode, or `rounds`
    /// (1..=8) / `mem_cost` (1..=14) is out of range. Messages never contain the key.
    pub fn from_json(text: &str) -> Result<Self, HashError> {
        // A byte-order mark, as an editor on Windows saves it, is no content.
        let config: Self = serde_json::from_str(crate::json::strip_bom(text)).map_err(|e| {
            config_err(
                "(document)",
                format!(
                    "{}; fix: paste the five values from the console's password hash parameters",
                    json_error(&e)
                ),
            )
        })?;
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
