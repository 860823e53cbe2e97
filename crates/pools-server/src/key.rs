//! The server's key: 32 random bytes that encrypt at rest the secrets clients send it
//! (`--client-secret -`, AES-256-GCM). The server refuses to start without one, so no
//! secret is ever kept in clear because a key was forgotten.

use pools_core::error::Error;
use std::path::Path;

/// The environment variable holding the key, standard base64 of 32 bytes.
pub const KEY_VAR: &str = "POOLS_SERVER_KEY";

/// The server's key. `Debug` does not show it.
pub struct ServerKey([u8; 32]);

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerKey(..)")
    }
}

impl Drop for ServerKey {
    fn drop(&mut self) {
        self.0 = [0; 32];
    }
}

impl ServerKey {
    /// The key bytes.
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

const HINT: &str = "make one with `head -c 32 /dev/urandom | base64`, and give it as POOLS_SERVER_KEY or in a file only its owner may read (chmod 600) named by --key-file";

/// The key from `file` (its text, standard base64 of 32 bytes; the file must not be
/// readable or writable by group or others), else from `env_value` ([`KEY_VAR`]).
///
/// Errors: [`Error::Invalid`] on `--key-file` or `POOLS_SERVER_KEY` when neither is given,
/// the file cannot be read, is open to others, or the text is not base64 of 32 bytes (the
/// message never shows it).
pub fn load(file: Option<&Path>, env_value: Option<&str>) -> Result<ServerKey, Error> {
    let (field, text) = match (file, env_value) {
        (Some(path), _) => {
            use std::os::unix::fs::PermissionsExt;
            let meta = std::fs::metadata(path).map_err(|e| {
                Error::invalid("--key-file", format!("{}: {e}", path.display())).with_hint(HINT)
            })?;
            if meta.permissions().mode() & 0o077 != 0 {
                return Err(Error::invalid(
                    "--key-file",
                    format!(
                        "{} may be read or written by others (mode {:o})",
                        path.display(),
                        meta.permissions().mode() & 0o777
                    ),
                )
                .with_hint(format!("chmod 600 {}", path.display())));
            }
            let text = std::fs::read_to_string(path).map_err(|e| {
                Error::invalid("--key-file", format!("{}: {e}", path.display())).with_hint(HINT)
            })?;
            ("--key-file", text)
        }
        (None, Some(v)) => (KEY_VAR, v.to_owned()),
        (None, None) => {
            return Err(Error::invalid(
                "--key-file",
                "the server needs a key to keep the secrets clients send it encrypted, and none was given",
            )
            .with_hint(HINT));
        }
    };
    let bytes = <base64ct::Base64 as base64ct::Encoding>::decode_vec(text.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or_else(|| {
            Error::invalid(field, "the key is not standard base64 of 32 bytes").with_hint(HINT)
        })?;
    Ok(ServerKey(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_32_bytes_of_base64_from_a_private_file_or_the_variable() {
        use std::os::unix::fs::PermissionsExt;
        let good = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
        assert_eq!(load(None, Some(good)).unwrap().bytes()[31], 31);
        assert!(load(None, None).is_err());
        // Empty, not base64, 31 bytes: refused, the value never in the message.
        for bad in ["", "sh*rt", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg=="] {
            let e = load(None, Some(bad)).unwrap_err().to_string();
            assert!(e.contains("32 bytes"), "{e}");
            assert!(bad.is_empty() || !e.contains(bad), "{e}");
        }
        let dir = std::env::temp_dir().join(format!("pools-key-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("key");
        std::fs::write(&f, format!("{good}\n")).unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = load(Some(&f), None).unwrap_err();
        assert!(e.hint().unwrap().contains("chmod 600"), "{e}");
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(load(Some(&f), Some("ignored")).unwrap().bytes()[0], 0);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
