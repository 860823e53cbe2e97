//! An export record's credential as a verifier: the one place where the raw forms of the
//! export formats meet the hash schemes (used at login, import and doctor).

use crate::export::RawCredential;
use crate::hash::{FirebaseHashConfig, HashError, PasswordHash};
use crate::input_file::{self, Source};
use std::path::Path;

/// Why a record's credential cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum Unusable {
    /// A Firebase scrypt hash, but no project hash parameters were given.
    #[error("a Firebase scrypt hash needs the project's hash parameters (--hash-config)")]
    NeedsHashConfig,
    #[error("{0}")]
    Hash(#[from] HashError),
}

/// The verifier of a record's credential; `Ok(None)` when the record carries none.
///
/// Errors: [`Unusable`] naming what is missing or malformed (never the hash itself).
pub fn password_hash(
    raw: &RawCredential,
    config: Option<&FirebaseHashConfig>,
) -> Result<Option<PasswordHash>, Unusable> {
    Ok(Some(match raw {
        RawCredential::Crypt(s) => PasswordHash::parse(s)?,
        RawCredential::Keycloak {
            secret_data,
            credential_data,
        } => PasswordHash::from_keycloak(secret_data, credential_data)?,
        RawCredential::Auth0Custom(v) => PasswordHash::from_auth0_custom(v)?,
        RawCredential::FirebaseScrypt { hash, salt } => PasswordHash::from_firebase_scrypt(
            hash,
            salt,
            config.ok_or(Unusable::NeedsHashConfig)?,
        )?,
        RawCredential::None(_) => return Ok(None),
    }))
}

/// Reads a Firebase project's hash parameters (console JSON), at most
/// [`input_file::HASH_CONFIG`] bytes.
///
/// Errors: [`crate::Error::Invalid`] on `hash_config` (`--hash-config`), naming the file and
/// the problem: unreadable, past the limit (with a hint), or no hash parameters.
pub fn load_hash_config(path: &Path) -> crate::Result<FirebaseHashConfig> {
    let text = input_file::read(Source::Path(path), "hash_config", input_file::HASH_CONFIG)?;
    FirebaseHashConfig::from_json(&text)
        .map_err(|e| crate::Error::invalid("hash_config", format!("{}: {e}", path.display())))
}
