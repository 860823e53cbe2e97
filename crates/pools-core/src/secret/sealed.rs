//! The environment server's credential store (R11: "encrypted at rest on a server"): one
//! JSON file of mode 0600 whose values are each sealed with AES-256-GCM (RustCrypto's
//! `aes-gcm`) under the server's key, with a fresh random 96-bit nonce per write and the
//! credential's name as associated data, so a value moved to another name does not open.
//! The file also holds a key check (a constant sealed the same way), so a server started
//! with another key is refused at once, before it writes anything, rather than failing at
//! each login or mixing two keys in one file. Names are in clear (they are references, which
//! `inspect` and `export` show anyway); values never are.
//!
//! Every change is a read-modify-write under an exclusive lock (`PATH.lock`) written to a
//! temporary file of mode 0600 beside it and renamed into place, so a crash never leaves a
//! half-written file and concurrent requests never lose each other's entries.

use super::{Secret, create_private_dir, open_private};
use crate::error::{Error, Result};
use crate::input_file::{self, Source};
use aes_gcm::aead::{Aead, Generate, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64ct::{Base64, Encoding};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What the `format` field of a sealed secrets file says.
const FORMAT: &str = "pools sealed credentials";
/// The version of the layout this code writes and reads.
const VERSION: u32 = 1;
/// The cipher, written down so a later version can tell a file of another one.
const CIPHER: &str = "AES-256-GCM";
/// The key check's plaintext and associated data. The associated data holds a space, which a
/// credential name never does (`keyring:` names are letters, digits and `._-/`), so no entry
/// can stand in for the key check or the other way round.
const CHECK_PLAINTEXT: &[u8] = b"pools sealed credentials key check";
const CHECK_AAD: &[u8] = b"pools key check";

/// The key that seals the values: the server's 32 bytes, and where it was given (the flag or
/// variable a wrong key is blamed on). `Debug` shows neither the key nor its schedule.
pub struct SealingKey {
    cipher: Aes256Gcm,
    origin: String,
}

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealingKey({}, ..)", self.origin)
    }
}

impl SealingKey {
    /// The key `bytes`, given as `origin` (`POOLS_SERVER_KEY`, `--key-file`): the setting a
    /// refusal names. The bytes are copied into the cipher's key schedule only (zeroed when
    /// it is dropped).
    pub fn new(bytes: &[u8; 32], origin: &str) -> Self {
        use zeroize::Zeroize;
        let mut key = Key::<Aes256Gcm>::from(*bytes);
        let cipher = Aes256Gcm::new(&key);
        key.as_mut_slice().zeroize();
        SealingKey {
            cipher,
            origin: origin.to_owned(),
        }
    }

    fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Result<Sealed> {
        let nonce = Nonce::try_generate().map_err(|e| {
            Error::Credentials(format!(
                "no random nonce for the sealed secrets file: the system's random source failed: {e}"
            ))
        })?;
        let ciphertext = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .map_err(|_| Error::bug("AES-256-GCM refused to seal a value"))?;
        Ok(Sealed {
            nonce: Base64::encode_string(&nonce),
            ciphertext: Base64::encode_string(&ciphertext),
        })
    }

    /// The plaintext, or `None` when `sealed` does not open with this key and `aad` (another
    /// key, another name, altered bytes).
    fn open(&self, sealed: &Sealed, aad: &[u8]) -> Option<Vec<u8>> {
        let nonce = Base64::decode_vec(&sealed.nonce).ok()?;
        let nonce = Nonce::try_from(nonce.as_slice()).ok()?;
        let ciphertext = Base64::decode_vec(&sealed.ciphertext).ok()?;
        self.cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: &ciphertext,
                    aad,
                },
            )
            .ok()
    }
}

/// One sealed value: its nonce and its ciphertext with the 16-byte tag, standard base64.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Sealed {
    nonce: String,
    ciphertext: String,
}

/// The file's content.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    format: String,
    version: u32,
    cipher: String,
    key_check: Sealed,
    entries: BTreeMap<String, Sealed>,
}

/// The sealed secrets file of a server, opened with its key; see the module's doc.
pub struct SealedFile {
    path: PathBuf,
    key: SealingKey,
}

impl std::fmt::Debug for SealedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealedFile")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SealedFile {
    /// Opens the sealed secrets file at `path` with `key`, creating it (mode 0600, holding
    /// only the key check) when it does not exist, so that a later start with another key is
    /// refused even before the first secret is kept.
    ///
    /// Errors: [`Error::Invalid`] on the key's origin (`POOLS_SERVER_KEY`, `--key-file`)
    /// when the file was sealed with another key, naming the fix; [`Error::Credentials`] when
    /// it is not a sealed secrets file or cannot be read or written.
    pub fn open(path: &Path, key: SealingKey) -> Result<SealedFile> {
        let sealed = SealedFile {
            path: path.to_owned(),
            key,
        };
        sealed.edit(|_| Ok(()))?;
        Ok(sealed)
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Seals `value` under `name` (a fresh nonce, `name` as associated data), replacing any
    /// value it had.
    ///
    /// Errors: as [`SealedFile::open`].
    pub fn put(&self, name: &str, value: &Secret) -> Result<()> {
        let sealed = self.key.seal(value.expose().as_bytes(), name.as_bytes())?;
        self.edit(|doc| {
            doc.entries.insert(name.to_owned(), sealed);
            Ok(())
        })
    }

    /// The value kept under `name`, `None` when there is none.
    ///
    /// Errors: as [`SealedFile::open`]; [`Error::Credentials`] when the entry does not open
    /// although the key check does (the file was altered or damaged).
    pub fn get(&self, name: &str) -> Result<Option<Secret>> {
        let Some(doc) = self.read()? else {
            return Ok(None);
        };
        self.check_key(&doc)?;
        let Some(sealed) = doc.entries.get(name) else {
            return Ok(None);
        };
        let plaintext = self
            .key
            .open(sealed, name.as_bytes())
            .and_then(|p| String::from_utf8(p).ok())
            .ok_or_else(|| {
                Error::Credentials(format!(
                    "the sealed secrets file {}: the entry {name:?} does not open with the server's key, which opens the file: it was altered or damaged; give that secret again (`pools configure POOL --client-secret -`) or restore the file from a backup",
                    self.path.display()
                ))
            })?;
        Ok(Some(Secret::new(plaintext)))
    }

    /// Removes `name`; whether there was such an entry.
    ///
    /// Errors: as [`SealedFile::open`].
    pub fn delete(&self, name: &str) -> Result<bool> {
        if !self.path.exists() {
            return Ok(false);
        }
        let mut removed = false;
        self.edit(|doc| {
            removed = doc.entries.remove(name).is_some();
            Ok(())
        })?;
        Ok(removed)
    }

    /// Read-modify-write under the lock; a missing file starts as an empty one with a new key
    /// check. The key check is verified before `change` runs, so a wrong key never writes.
    fn edit(&self, change: impl FnOnce(&mut Document) -> Result<()>) -> Result<()> {
        let dir = self
            .path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        create_private_dir(dir)?;
        let mut lock_path = self.path.clone().into_os_string();
        lock_path.push(".lock");
        let lock = open_private(Path::new(&lock_path))?;
        lock.lock()
            .map_err(|e| Error::io(Path::new(&lock_path).display(), e))?;
        let (mut doc, existed) = match self.read()? {
            Some(doc) => {
                self.check_key(&doc)?;
                (doc, true)
            }
            None => (
                Document {
                    format: FORMAT.to_owned(),
                    version: VERSION,
                    cipher: CIPHER.to_owned(),
                    key_check: self.key.seal(CHECK_PLAINTEXT, CHECK_AAD)?,
                    entries: BTreeMap::new(),
                },
                false,
            ),
        };
        let before = doc.entries.clone();
        change(&mut doc)?;
        if !existed || doc.entries != before {
            self.write(dir, &doc)?;
        }
        // The lock is released when `lock` is dropped.
        Ok(())
    }

    fn check_key(&self, doc: &Document) -> Result<()> {
        if self.key.open(&doc.key_check, CHECK_AAD).as_deref() == Some(CHECK_PLAINTEXT) {
            return Ok(());
        }
        let path = self.path.display();
        Err(Error::invalid(
            &self.key.origin,
            format!(
                "this key does not open the sealed secrets file {path}: its secrets were sealed with another key (or its key check was altered)"
            ),
        )
        .with_hint(format!(
            "start the server with the key it ran with before; if that key is lost, so are the secrets: move {path} away, start the server, and give each pool's secret again (`pools configure POOL --client-secret -`)"
        )))
    }

    /// The document, `None` when the file does not exist.
    fn read(&self) -> Result<Option<Document>> {
        let text = match input_file::read_optional(
            Source::Path(&self.path),
            "sealed secrets file",
            input_file::SEALED_FILE,
        ) {
            Ok(None) => return Ok(None),
            Ok(Some(text)) => text,
            Err(Error::Invalid { message, hint, .. }) => {
                return Err(Error::Credentials(match hint {
                    Some(h) => format!("{message}; {h}"),
                    None => message,
                }));
            }
            Err(e) => return Err(e),
        };
        let not_sealed = |why: String| {
            Error::Credentials(format!(
                "{} is not a sealed secrets file of this version of pools ({why}); point the server at its own file, or move this one away and give the pools' secrets again",
                self.path.display()
            ))
        };
        let doc: Document = serde_json::from_str(&text).map_err(|e| not_sealed(e.to_string()))?;
        if doc.format != FORMAT || doc.version != VERSION || doc.cipher != CIPHER {
            return Err(not_sealed(format!(
                "format {:?} version {} cipher {:?}; expected {FORMAT:?} version {VERSION} cipher {CIPHER:?}",
                doc.format, doc.version, doc.cipher
            )));
        }
        Ok(Some(doc))
    }

    /// Writes `doc` to a temporary file of mode 0600 in `dir`, then renames it into place.
    fn write(&self, dir: &Path, doc: &Document) -> Result<()> {
        let text = serde_json::to_string_pretty(doc)
            .map_err(|e| Error::bug(format!("the sealed secrets do not serialise: {e}")))?;
        super::write_private(dir, &self.path, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> SealingKey {
        SealingKey::new(&[byte; 32], "POOLS_SERVER_KEY")
    }

    fn doc(path: &Path) -> Document {
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    /// R11 (encrypted at rest on a server): a value put is got back whole, under its name
    /// only; deleting it forgets it; the file is mode 0600 and no temporary file is left.
    #[test]
    fn r11_sealed_values_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/pools.db.secrets.json");
        let sealed = SealedFile::open(&path, key(7)).unwrap();
        assert!(sealed.get("a/b").unwrap().is_none());
        sealed.put("a/b", &Secret::new("s3cret-ÿ".into())).unwrap();
        sealed.put("c", &Secret::new("other".into())).unwrap();
        assert_eq!(sealed.get("a/b").unwrap().unwrap().expose(), "s3cret-ÿ");
        // Another opening of the same file with the same key (a restarted server).
        let again = SealedFile::open(&path, key(7)).unwrap();
        assert_eq!(again.get("c").unwrap().unwrap().expose(), "other");
        assert!(again.delete("a/b").unwrap());
        assert!(!again.delete("a/b").unwrap());
        assert!(sealed.get("a/b").unwrap().is_none());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let mut left: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            ["pools.db.secrets.json", "pools.db.secrets.json.lock"]
        );
    }

    /// R11: the file holds no value in clear, nor in base64; names are references, in clear.
    #[test]
    fn r11_the_file_holds_no_plaintext_value() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let sealed = SealedFile::open(&path, key(1)).unwrap();
        let value = "client-secret-VALUE-1234567890";
        sealed
            .put("corp/client_secret", &Secret::new(value.into()))
            .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("corp/client_secret"), "{text}");
        assert!(!text.contains(value), "{text}");
        assert!(
            !text.contains(&Base64::encode_string(value.as_bytes())),
            "{text}"
        );
        assert!(!text.contains("VALUE"), "{text}");
    }

    /// R11: a server started with another key is refused, naming the key's setting and the
    /// fix, never the key; nothing is written by the refused key, and the right key still
    /// opens every value.
    #[test]
    fn r11_a_wrong_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let sealed = SealedFile::open(&path, key(1)).unwrap();
        sealed.put("n", &Secret::new("v".into())).unwrap();
        let before = std::fs::read(&path).unwrap();
        let e = SealedFile::open(&path, SealingKey::new(&[2; 32], "--key-file")).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Validation);
        let text = e.to_string();
        assert!(text.starts_with("--key-file: "), "{text}");
        assert!(text.contains("sealed with another key"), "{text}");
        assert!(
            e.hint().unwrap().contains("the key it ran with before"),
            "{e:?}"
        );
        assert!(!format!("{e:?}").contains("[2, 2"), "{e:?}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "nothing written");
        // Even a file with no entry yet tells its key.
        let empty = dir.path().join("e.json");
        SealedFile::open(&empty, key(1)).unwrap();
        assert!(SealedFile::open(&empty, key(3)).is_err());
        assert_eq!(sealed.get("n").unwrap().unwrap().expose(), "v");
        assert_eq!(format!("{:?}", key(9)), "SealingKey(POOLS_SERVER_KEY, ..)");
    }

    /// R11: an altered ciphertext, a value moved under another name (the name is associated
    /// data) or an altered nonce is refused as altered, never read as another value.
    #[test]
    fn r11_tampered_values_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let sealed = SealedFile::open(&path, key(1)).unwrap();
        sealed.put("a", &Secret::new("value-a".into())).unwrap();
        sealed.put("b", &Secret::new("value-b".into())).unwrap();
        let original = doc(&path);
        let rewrite =
            |d: &Document| std::fs::write(&path, serde_json::to_string(d).unwrap()).unwrap();

        let mut flipped = original.clone();
        let entry = flipped.entries.get_mut("a").unwrap();
        let mut bytes = Base64::decode_vec(&entry.ciphertext).unwrap();
        bytes[0] ^= 1;
        entry.ciphertext = Base64::encode_string(&bytes);
        rewrite(&flipped);
        let e = sealed.get("a").unwrap_err();
        assert!(e.to_string().contains("altered or damaged"), "{e}");
        assert!(!e.to_string().contains("value-"), "{e}");
        assert_eq!(sealed.get("b").unwrap().unwrap().expose(), "value-b");

        let mut moved = original.clone();
        let b = moved.entries["b"].clone();
        moved.entries.insert("a".into(), b);
        rewrite(&moved);
        assert!(sealed.get("a").is_err(), "b's value under a's name");

        let mut renonced = original.clone();
        renonced.entries.get_mut("a").unwrap().nonce = original.entries["b"].nonce.clone();
        rewrite(&renonced);
        assert!(sealed.get("a").is_err());

        rewrite(&original);
        assert_eq!(sealed.get("a").unwrap().unwrap().expose(), "value-a");
        std::fs::write(&path, "not json").unwrap();
        let e = sealed.get("a").unwrap_err();
        assert!(
            e.to_string().contains("is not a sealed secrets file"),
            "{e}"
        );
    }

    /// R11: every write seals with a fresh nonce: the same value put twice under the same
    /// name is two different ciphertexts, and every nonce in the file is 96 bits and unique.
    #[test]
    fn r11_the_nonce_differs_per_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let sealed = SealedFile::open(&path, key(1)).unwrap();
        let mut seen = vec![doc(&path).key_check];
        for _ in 0..5 {
            sealed.put("n", &Secret::new("same".into())).unwrap();
            seen.push(doc(&path).entries["n"].clone());
        }
        let nonces: std::collections::BTreeSet<_> = seen.iter().map(|s| &s.nonce).collect();
        let ciphertexts: std::collections::BTreeSet<_> =
            seen.iter().map(|s| &s.ciphertext).collect();
        assert_eq!((nonces.len(), ciphertexts.len()), (6, 6));
        for s in &seen {
            assert_eq!(Base64::decode_vec(&s.nonce).unwrap().len(), 12);
        }
        assert_eq!(sealed.get("n").unwrap().unwrap().expose(), "same");
    }
}
