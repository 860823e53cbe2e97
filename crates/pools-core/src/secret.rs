//! Secret references and the credential store (R11).
//!
//! Pools hold secrets by reference only: `env:VAR`, `file:PATH` or `keyring:NAME`. A
//! `keyring:` name lives in the OS keyring (service `pools`) when one is reachable; on
//! headless machines, or when `POOLS_KEYRING=file`, it lives in a credentials file of mode
//! 0600 (`POOLS_CREDENTIALS_FILE`, else `$XDG_CONFIG_HOME/pools/credentials.json`). On the
//! environment server every `keyring:` name lives in its sealed secrets file instead
//! ([`sealed`], [`CredentialStore::install_sealed`]): encrypted at rest with the server's key.

mod sealed;
pub use sealed::{SealedFile, SealingKey};

use crate::error::{Error, Result, phrased, setting};
use crate::input_file::{self, Source};
use crate::keyword;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Where a secret value is kept. Its text form is what stores and YAML hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretRef {
    /// An environment variable of the process that uses the secret.
    Env(String),
    /// A file whose content (trailing newline trimmed) is the secret.
    File(PathBuf),
    /// An entry of the credential store.
    Keyring(String),
}

/// A resolved secret value. `Debug` and `Display` print `********`.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        Secret(value)
    }
    /// The value itself: pass it to the source, never to output.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("********")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("********")
    }
}

fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 200
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-/".contains(&b))
}

impl SecretRef {
    /// Parses the reference given for `field`.
    ///
    /// Errors: [`Error::Invalid`] citing R11 when `s` is a plain value rather than a
    /// reference; the message never repeats the value.
    pub fn parse(field: &str, s: &str) -> Result<Self> {
        let s = s.trim();
        // The prefix in any case (F17); the name or path after it as written.
        let parsed = if let Some(v) = keyword::strip_prefix(s, "env:") {
            (!v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
                .then(|| SecretRef::Env(v.to_owned()))
        } else if let Some(v) = keyword::strip_prefix(s, "file:") {
            (!v.is_empty()).then(|| SecretRef::File(PathBuf::from(v)))
        } else if let Some(v) = keyword::strip_prefix(s, "keyring:") {
            valid_name(v).then(|| SecretRef::Keyring(v.to_owned()))
        } else {
            return Err(Error::invalid(
                field,
                "secrets are taken by reference only, not as plain values (R11)",
            )
            .with_hint(phrased(
                // Only a flag reads the value from stdin.
                &format!(
                    "use {}, {} or {}, or {} to read it from stdin",
                    setting(field, Some("env:VAR")),
                    setting(field, Some("file:PATH")),
                    setting(field, Some("keyring:NAME")),
                    setting(field, Some("-"))
                ),
                &format!(
                    "use {}, file:PATH or keyring:NAME",
                    setting(field, Some("env:VAR"))
                ),
            )));
        };
        parsed.ok_or_else(|| {
            Error::invalid(field, "malformed secret reference (R11)").with_hint(
                "env:VAR takes letters, digits and _; file:PATH a path; keyring:NAME takes letters, digits and . _ - /",
            )
        })
    }

    /// Reads the secret now.
    ///
    /// Errors: [`Error::Invalid`] on `field` when the variable is unset, the file unreadable
    /// or the credential store has no such entry.
    pub fn resolve(&self, field: &str) -> Result<Secret> {
        match self {
            SecretRef::Env(var) => std::env::var(var).map(Secret).map_err(|_| {
                Error::invalid(field, format!("environment variable {var} is not set"))
                    .with_hint(format!("export {var}=... before running pools"))
            }),
            SecretRef::File(path) => {
                input_file::read(Source::Path(path), field, input_file::SECRET)
                    .map(|s| Secret(s.trim_end_matches(['\r', '\n']).to_owned()))
            }
            SecretRef::Keyring(name) => CredentialStore::from_env().get(name)?.ok_or_else(|| {
                Error::invalid(
                    field,
                    format!("no credential named {name:?} in the credential store"),
                )
                .with_hint("store it again with the flag's `-` form (read from stdin)")
            }),
        }
    }
}

/// Why a secret reference would not resolve in this process; see
/// [`SecretRef::unresolvable_here`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolvable {
    /// It does not resolve here: an unset variable, a missing file, a `keyring:` name that
    /// the keyring (or the credentials file standing in for it) has no entry for.
    Missing(String),
    /// `keyring:` references cannot be looked up here at all (no OS keyring is reachable with
    /// `POOLS_KEYRING=os`, or the credentials file cannot be read): the same for every such
    /// reference, so worth saying once per command.
    Unchecked(String),
}

impl SecretRef {
    /// Why this reference would not resolve in this process, without printing the secret:
    /// an unset variable, a missing file, a `keyring:` name with no entry in the credential
    /// store ([`CredentialStore::presence`]). `None` when it resolves. A pool may run
    /// elsewhere, so this is a warning, not a refusal.
    pub fn unresolvable_here(&self) -> Option<Unresolvable> {
        let missing = |why: String| Some(Unresolvable::Missing(why));
        match self {
            SecretRef::Env(var) if std::env::var_os(var).is_none() => {
                missing(format!("environment variable {var} is not set here"))
            }
            SecretRef::Env(_) => None,
            SecretRef::File(path) => match std::fs::metadata(path) {
                Err(_) => missing(format!("file {} does not exist here", path.display())),
                Ok(m) if !m.is_file() => missing(format!(
                    "{} is not a regular file (a device, FIFO or directory)",
                    path.display()
                )),
                Ok(m) if m.len() > crate::input_file::SECRET.max_bytes => missing(format!(
                    "file {} is {} bytes, more than a secret can be ({} bytes)",
                    path.display(),
                    m.len(),
                    crate::input_file::SECRET.max_bytes
                )),
                // Read (it is small): an empty file or one that is not UTF-8 would be a wrong
                // secret at every use (retrial finding 22). The value is never shown.
                Ok(_) => match std::fs::read(path) {
                    Err(e) => missing(format!("file {} cannot be read here: {e}", path.display())),
                    Ok(bytes) if std::str::from_utf8(&bytes).is_err() => missing(format!(
                        "file {} is not UTF-8 text, which a secret must be",
                        path.display()
                    )),
                    Ok(bytes) if bytes.iter().all(|b| matches!(b, b'\r' | b'\n')) => {
                        missing(format!("file {} is empty", path.display()))
                    }
                    Ok(_) => None,
                },
            },
            SecretRef::Keyring(name) => match CredentialStore::from_env().presence(name) {
                Presence::Found => None,
                Presence::Missing(why) => missing(why),
                Presence::Unchecked(why) => Some(Unresolvable::Unchecked(why)),
            },
        }
    }
}

impl fmt::Display for SecretRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretRef::Env(v) => write!(f, "env:{v}"),
            SecretRef::File(p) => write!(f, "file:{}", p.display()),
            SecretRef::Keyring(n) => write!(f, "keyring:{n}"),
        }
    }
}

/// Where `keyring:` secrets were written.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Backend {
    /// The OS keyring (Secret Service, macOS Keychain, Windows Credential Manager).
    Os,
    /// The 0600 credentials file at this path.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    File(PathBuf),
    /// The environment server's sealed secrets file at this path: encrypted with its key.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    Sealed(PathBuf),
}

/// The store behind `keyring:NAME` references.
#[derive(Debug, Clone)]
pub struct CredentialStore {
    mode: KeyringMode,
    /// `None` when there is no home directory and POOLS_CREDENTIALS_FILE is unset.
    file: Option<PathBuf>,
    /// The server's sealed secrets file: when set, the only place this store keeps and looks
    /// up entries (never the OS keyring or the credentials file, which hold values in clear).
    sealed: Option<Arc<SealedFile>>,
}

/// The sealed secrets file of this process, once the environment server installs it
/// ([`CredentialStore::install_sealed`]).
///
/// A process-wide default rather than a handle passed down: `keyring:` references are
/// resolved deep inside live sources ([`SecretRef::resolve`]), warned about when a pool is
/// written ([`SecretRef::unresolvable_here`]) and kept by `Local`'s own store, none of which
/// has the server at hand. The server serves one environment per process, so one place set
/// once before the environment is built means every lookup and every write of the process
/// goes to the sealed file, and none can fall back to a store in clear after it is set (a
/// `OnceLock`: it is never unset or replaced).
static SEALED: OnceLock<Arc<SealedFile>> = OnceLock::new();

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyringMode {
    Auto,
    Os,
    File,
}

const SERVICE: &str = "pools";

impl CredentialStore {
    /// Reads `POOLS_KEYRING` (`auto` default, `os`, `file`; callers refuse other values
    /// first with [`check_keyring_env`]) and `POOLS_CREDENTIALS_FILE`.
    /// Once the server installed its sealed secrets file, that file alone, whatever the
    /// variables say.
    pub fn from_env() -> Self {
        if let Some(sealed) = SEALED.get() {
            return CredentialStore::sealed(Arc::clone(sealed));
        }
        let mode = std::env::var("POOLS_KEYRING")
            .ok()
            .and_then(|v| keyring_mode(&v))
            .unwrap_or(KeyringMode::Auto);
        let file = std::env::var_os("POOLS_CREDENTIALS_FILE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(default_credentials_file);
        CredentialStore {
            mode,
            file,
            sealed: None,
        }
    }

    /// A store that keeps and looks up every entry in `sealed` only.
    pub fn sealed(sealed: Arc<SealedFile>) -> Self {
        CredentialStore {
            mode: KeyringMode::File,
            file: None,
            sealed: Some(sealed),
        }
    }

    /// Makes `sealed` the credential store of this process: every [`CredentialStore::from_env`]
    /// from now on is [`CredentialStore::sealed`] over it, so `keyring:` references resolve
    /// from it and `-` secrets are kept in it (the environment server, before it builds its
    /// environment). Set once per process.
    ///
    /// Errors: [`Error::Bug`] when one is installed already.
    pub fn install_sealed(sealed: SealedFile) -> Result<()> {
        SEALED
            .set(Arc::new(sealed))
            .map_err(|_| Error::bug("a sealed secrets file is installed already"))
    }

    /// The credentials file this store reads and writes when the OS keyring is not used
    /// (whether or not it exists yet); `None` without a home directory or
    /// `POOLS_CREDENTIALS_FILE`.
    /// With a sealed secrets file, that file.
    pub fn file(&self) -> Option<&Path> {
        match &self.sealed {
            Some(s) => Some(s.path()),
            None => self.file.as_deref(),
        }
    }

    fn os_entry(&self, name: &str) -> Option<keyring::Entry> {
        if self.mode == KeyringMode::File {
            return None;
        }
        keyring::Entry::new(SERVICE, name).ok()
    }

    /// Stores `value` under `name` and tells where it went.
    ///
    /// Errors: [`Error::Credentials`] when `POOLS_KEYRING=os` and no OS keyring answers, or
    /// when the credentials file cannot be written.
    pub fn put(&self, name: &str, value: &Secret) -> Result<Backend> {
        if let Some(sealed) = &self.sealed {
            sealed.put(name, value)?;
            return Ok(Backend::Sealed(sealed.path().to_owned()));
        }
        if let Some(entry) = self.os_entry(name) {
            match entry.set_password(value.expose()) {
                Ok(()) => return Ok(Backend::Os),
                Err(e) if self.mode == KeyringMode::Os => {
                    return Err(Error::Credentials(format!(
                        "the OS keyring refused the secret: {e}; set POOLS_KEYRING=file to use a 0600 credentials file"
                    )));
                }
                Err(_) => {}
            }
        } else if self.mode == KeyringMode::Os {
            return Err(Error::Credentials(
                "no OS keyring is reachable (POOLS_KEYRING=os); set POOLS_KEYRING=file to use a 0600 credentials file".into(),
            ));
        }
        let file = self.edit_file(|all| {
            all.insert(name.to_owned(), value.expose().to_owned());
        })?;
        Ok(Backend::File(file))
    }

    /// Removes `name` from the OS keyring and from the credentials file, whatever
    /// `POOLS_KEYRING` says now: only names `pools` made are removed, each unique, and one
    /// kept in the file under another mode must not outlive its pool there. A missing entry
    /// is fine: returns whether an entry was removed (`false`: none was found where this
    /// store looks, see [`CredentialStore::where_it_looks`]).
    ///
    /// Errors: [`Error::Credentials`] when the credentials file cannot be rewritten, or when
    /// `POOLS_KEYRING=os` and the OS keyring fails to remove an entry it may hold.
    pub fn delete(&self, name: &str) -> Result<bool> {
        if let Some(sealed) = &self.sealed {
            return sealed.delete(name);
        }
        let os = self.os_entry(name).map(|e| e.delete_credential());
        let in_file = match &self.file {
            Some(f) if f.exists() => {
                let mut removed = false;
                self.edit_file(|all| removed = all.remove(name).is_some())?;
                removed
            }
            _ => false,
        };
        match os {
            Some(Ok(())) => Ok(true),
            Some(Err(e))
                if self.mode == KeyringMode::Os
                    && !in_file
                    && !matches!(e, keyring::Error::NoEntry) =>
            {
                Err(Error::Credentials(format!(
                    "the OS keyring could not remove {name:?}: {e} (POOLS_KEYRING=os); remove the entry (service `pools`) by hand"
                )))
            }
            _ => Ok(in_file),
        }
    }

    /// Where this store keeps and looks for `keyring:` entries, for messages: the OS keyring
    /// and/or the credentials file, as `POOLS_KEYRING` and `POOLS_CREDENTIALS_FILE` say.
    pub fn where_it_looks(&self) -> String {
        if let Some(sealed) = &self.sealed {
            return format!(
                "the server's sealed secrets file {}",
                sealed.path().display()
            );
        }
        let file = self
            .file
            .as_ref()
            .map(|f| format!("the credentials file {}", f.display()));
        match (self.mode, file) {
            (KeyringMode::File, Some(f)) => f,
            (_, Some(f)) => format!("the OS keyring or {f}"),
            (_, None) => "the OS keyring".to_owned(),
        }
    }

    /// Read-modify-write of the credentials file under an exclusive lock, so concurrent
    /// `pools` processes never lose each other's entries.
    fn edit_file(&self, change: impl FnOnce(&mut BTreeMap<String, String>)) -> Result<PathBuf> {
        let Some(file) = &self.file else {
            return Err(Error::Credentials(
                "no OS keyring is reachable and there is no home directory for the credentials file; set POOLS_CREDENTIALS_FILE".into(),
            ));
        };
        let dir = file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        create_private_dir(dir)?;
        let mut lock_path = file.clone().into_os_string();
        lock_path.push(".lock");
        let lock = open_private(Path::new(&lock_path))?;
        lock.lock()
            .map_err(|e| Error::io(Path::new(&lock_path).display(), e))?;
        let mut all = read_file(file)?;
        change(&mut all);
        write_file(file, &all)?;
        // The lock is released when `lock` is dropped.
        Ok(file.clone())
    }

    /// Looks `name` up: the OS keyring first (unless `POOLS_KEYRING=file`), then the file.
    ///
    /// Errors: [`Error::Credentials`] when the credentials file exists but cannot be read.
    pub fn get(&self, name: &str) -> Result<Option<Secret>> {
        if let Some(sealed) = &self.sealed {
            return sealed.get(name);
        }
        if let Some(entry) = self.os_entry(name)
            && let Ok(v) = entry.get_password()
        {
            return Ok(Some(Secret(v)));
        }
        match (&self.file, self.mode) {
            (Some(file), KeyringMode::Auto | KeyringMode::File) => {
                Ok(read_file(file)?.remove(name).map(Secret))
            }
            _ => Ok(None),
        }
    }
}

/// Whether the credential store holds a `keyring:` name; see [`CredentialStore::presence`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presence {
    /// It has an entry of that name.
    Found,
    /// Where it looked and found none, e.g. "the credentials file PATH has no entry ...".
    Missing(String),
    /// Why it cannot look here (no OS keyring with `POOLS_KEYRING=os`, an unreadable
    /// credentials file).
    Unchecked(String),
}

/// What the OS keyring said about one name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum OsAnswer {
    Found,
    NoEntry,
    /// Not used (`POOLS_KEYRING=file`), not reachable, locked or failing.
    Unavailable,
}

impl CredentialStore {
    /// Looks `name` up where [`CredentialStore::get`] would, and says where it looked when it
    /// is not there: with `POOLS_KEYRING=file` the credentials file is the keyring; with
    /// `auto` the OS keyring, then the file (the only keyring where no OS keyring answers);
    /// with `os` the OS keyring only. The value read is dropped at once.
    pub fn presence(&self, name: &str) -> Presence {
        if let Some(sealed) = &self.sealed {
            return match sealed.get(name) {
                Ok(Some(_)) => Presence::Found,
                Ok(None) => Presence::Missing(format!(
                    "the server's sealed secrets file {} has no entry {name:?}",
                    sealed.path().display()
                )),
                Err(e) => Presence::Unchecked(format!(
                    "the server's sealed secrets file cannot be read: {e}"
                )),
            };
        }
        let os = match self.os_entry(name).map(|e| e.get_password()) {
            Some(Ok(_)) => OsAnswer::Found,
            Some(Err(keyring::Error::NoEntry)) => OsAnswer::NoEntry,
            Some(Err(_)) | None => OsAnswer::Unavailable,
        };
        if os == OsAnswer::Found {
            return Presence::Found;
        }
        let os_keyring = "the OS keyring (service `pools`)";
        if self.mode == KeyringMode::Os {
            return match os {
                OsAnswer::NoEntry => {
                    Presence::Missing(format!("{os_keyring} has no entry {name:?} here"))
                }
                _ => Presence::Unchecked("no OS keyring is reachable (POOLS_KEYRING=os)".into()),
            };
        }
        let Some(file) = &self.file else {
            return match os {
                OsAnswer::NoEntry => Presence::Missing(format!(
                    "{os_keyring} has no entry {name:?} here (and there is no credentials file: no home directory, POOLS_CREDENTIALS_FILE unset)"
                )),
                _ => Presence::Unchecked(
                    "no OS keyring is reachable, and there is no credentials file (no home directory, POOLS_CREDENTIALS_FILE unset)".into(),
                ),
            };
        };
        match read_file(file) {
            Err(e) => Presence::Unchecked(format!("the credentials file cannot be read: {e}")),
            Ok(all) if all.contains_key(name) => Presence::Found,
            Ok(_) => Presence::Missing(match (self.mode, os) {
                (KeyringMode::File, _) => format!(
                    "the credentials file {} (POOLS_KEYRING=file) has no entry {name:?} here",
                    file.display()
                ),
                (_, OsAnswer::NoEntry) => format!(
                    "neither {os_keyring} nor the credentials file {} has an entry {name:?} here",
                    file.display()
                ),
                _ => format!(
                    "the credentials file {}, the keyring here since no OS keyring is reachable, has no entry {name:?}",
                    file.display()
                ),
            }),
        }
    }
}

/// `$XDG_CONFIG_HOME/pools/credentials.json`, else under `~/.config`; `None` without a home
/// (secrets are never scattered into the working directory).
fn default_credentials_file() -> Option<PathBuf> {
    let base = xdg_dir("XDG_CONFIG_HOME").or_else(|| {
        std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(|h| PathBuf::from(h).join(".config"))
    })?;
    Some(base.join("pools").join("credentials.json"))
}

/// An XDG base directory variable (`XDG_DATA_HOME`, `XDG_CONFIG_HOME`) when it holds an
/// absolute path; the XDG Base Directory spec makes relative ones invalid, to be ignored.
pub fn xdg_dir(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
}

/// The values `POOLS_KEYRING` takes.
pub const KEYRING_MODES: &str = "auto, os, file";

/// Checks `POOLS_KEYRING` (unset or empty means `auto`).
///
/// Errors: [`Error::Invalid`] on `POOLS_KEYRING` naming the allowed values.
pub fn check_keyring_env() -> Result<()> {
    match std::env::var_os("POOLS_KEYRING") {
        None => Ok(()),
        Some(v) if v.is_empty() || keyring_mode(&v.to_string_lossy()).is_some() => Ok(()),
        Some(v) => Err(Error::invalid(
            "POOLS_KEYRING",
            format!(
                "{:?} is not a keyring mode: use one of {KEYRING_MODES}",
                v.to_string_lossy()
            ),
        )),
    }
}

fn keyring_mode(v: &str) -> Option<KeyringMode> {
    // One case rule for every enum value pools reads (flags, YAML, environment).
    keyword::lookup(
        v,
        &[
            ("auto", KeyringMode::Auto),
            ("os", KeyringMode::Os),
            ("file", KeyringMode::File),
        ],
    )
}

/// The credentials file's entries; none when it does not exist.
///
/// Errors: [`Error::Credentials`] when it is past [`input_file::CREDENTIALS_FILE`]'s limit, not
/// a regular file or not a credentials file; [`Error::Io`] when it cannot be read.
fn read_file(path: &Path) -> Result<BTreeMap<String, String>> {
    let text = match input_file::read_optional(
        Source::Path(path),
        "credentials file",
        input_file::CREDENTIALS_FILE,
    ) {
        Ok(None) => return Ok(BTreeMap::new()),
        Ok(Some(text)) => text,
        // The store's own file, as broken as a damaged store (exit 1), with the fix.
        Err(Error::Invalid { message, hint, .. }) => {
            return Err(Error::Credentials(match hint {
                Some(h) => format!("{message}; {h}"),
                None => message,
            }));
        }
        Err(e) => return Err(e),
    };
    serde_json::from_str(&text).map_err(|e| {
        Error::Credentials(format!(
            "{} is not a credentials file (a JSON object of names and values, as pools writes it): {e}; move it away and give the secrets again (`pools configure POOL --client-secret -`), or point POOLS_CREDENTIALS_FILE at the right file",
            path.display()
        ))
    })
}

/// Writes the whole map to a temporary file of mode 0600 in the same directory, then renames
/// it into place, so a crash never leaves a half-written or world-readable file. A symbolic
/// link (a credentials file kept elsewhere, on an encrypted volume say) is followed: its
/// target is written, and the link stays.
fn write_file(path: &Path, all: &BTreeMap<String, String>) -> Result<()> {
    let resolved;
    let path = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            resolved = std::fs::canonicalize(path).map_err(|e| {
                Error::io(path.display(), e).with_hint(
                    "the credentials file is a symbolic link to nothing: point it at a file, or remove it",
                )
            })?;
            resolved.as_path()
        }
        _ => path,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    // A map of strings always serialises: a failure is a bug, not the credential store's.
    let text = serde_json::to_string_pretty(all)
        .map_err(|e| Error::bug(format!("the credentials do not serialise: {e}")))?;
    write_private(dir, path, text.as_bytes())
}

/// Writes `bytes` as the file `path` (in `dir`) whole or not at all: into a temporary file
/// of mode 0600 in `dir` (whatever the umask), synced, then renamed over `path` (R11: a
/// secrets file is never half-written, nor readable by others for a moment).
///
/// Errors: [`Error::Io`] naming the file.
pub(crate) fn write_private(dir: &Path, path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir.display(), e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| Error::io(path.display(), e))?;
    }
    tmp.write_all(bytes)
        .map_err(|e| Error::io(path.display(), e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::io(path.display(), e))?;
    tmp.persist(path)
        .map_err(|e| Error::io(path.display(), e.error))?;
    Ok(())
}

/// Opens (creating) the credentials file's lock file with the credentials file's mode, 0600,
/// whatever the umask; one an older `pools` left readable by others is tightened (issue 8).
fn open_private(path: &Path) -> Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options
        .open(path)
        .map_err(|e| Error::io(path.display(), e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file
            .metadata()
            .map_err(|e| Error::io(path.display(), e))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(|e| Error::io(path.display(), e))?;
        }
    }
    Ok(file)
}

fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| Error::io(dir.display(), e))
}

#[cfg(test)]
mod tests {
    /// Retrial 2, finding 13: a credentials file that is not JSON says what it should hold
    /// and how to recover, not only the parser's position.
    #[test]
    fn a_credentials_file_that_is_no_json_says_how_to_recover() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials.json");
        std::fs::write(&path, "not json").unwrap();
        let e = read_file(&path).unwrap_err().to_string();
        for needle in [
            "is not a credentials file",
            "JSON object",
            "POOLS_CREDENTIALS_FILE",
        ] {
            assert!(e.contains(needle), "{needle:?} in {e}");
        }
    }

    /// Retrial 2, finding 15: a credentials file that is a symbolic link keeps being the link;
    /// the file it points at is the one written, with mode 0600.
    #[cfg(unix)]
    #[test]
    fn a_credentials_file_that_is_a_link_stays_a_link() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("vault").join("credentials.json");
        std::fs::create_dir(target.parent().unwrap()).unwrap();
        std::fs::write(&target, "{}").unwrap();
        let link = dir.path().join("credentials.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let mut all = BTreeMap::new();
        all.insert("k".to_owned(), "v".to_owned());
        write_file(&link, &all).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(read_file(&target).unwrap(), all);
        let mode = std::fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        // A link to nothing is an error that says so, not a file made in its place.
        let dangling = dir.path().join("gone.json");
        std::os::unix::fs::symlink(dir.path().join("nowhere.json"), &dangling).unwrap();
        assert!(write_file(&dangling, &all).is_err());
        assert!(
            std::fs::symlink_metadata(&dangling)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    /// A `file:` reference to a device or an oversized file is named for what it is, not as
    /// missing; a small regular file resolves.
    #[test]
    fn file_references_say_why_they_would_not_resolve() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("s");
        std::fs::write(&small, "x").unwrap();
        let big = dir.path().join("b");
        std::fs::write(&big, vec![b'x'; 70 * 1024]).unwrap();
        let why = |p: &std::path::Path| match SecretRef::File(p.to_path_buf()).unresolvable_here() {
            Some(Unresolvable::Missing(why)) => Some(why),
            other => other.map(|u| format!("{u:?}")),
        };
        assert_eq!(why(&small), None);
        assert!(why(&big).unwrap().contains("more than a secret can be"));
        assert!(
            why(std::path::Path::new("/dev/zero"))
                .unwrap()
                .contains("not a regular file")
        );
        assert!(
            why(&dir.path().join("missing"))
                .unwrap()
                .contains("does not exist here")
        );
    }

    use super::*;

    #[test]
    fn keyring_modes_are_read_in_any_case() {
        assert!(matches!(keyring_mode("OS"), Some(KeyringMode::Os)));
        assert!(matches!(keyring_mode("File"), Some(KeyringMode::File)));
        assert!(keyring_mode("bogus").is_none());
    }

    #[test]
    fn r11_plain_values_are_refused_without_echo() {
        let err = SecretRef::parse("client_secret", "hunter2-very-secret").unwrap_err();
        assert!(!err.to_string().contains("hunter2"));
        assert!(err.to_string().contains("R11"));
        assert_eq!(
            SecretRef::parse("x", "env:A_B").unwrap(),
            SecretRef::Env("A_B".into())
        );
        assert!(SecretRef::parse("x", "env:").is_err());
        assert!(SecretRef::parse("x", "keyring:a b").is_err());
        assert_eq!(format!("{:?}", Secret::new("s3cret".into())), "********");
    }

    /// F17: the reference prefixes in any case; the name or path after them as written, and
    /// written back with the canonical lower-case prefix (R11: still a reference).
    #[test]
    fn r11_reference_prefixes_in_any_case() {
        for (text, want) in [
            ("ENV:My_Var", SecretRef::Env("My_Var".into())),
            ("Env:My_Var", SecretRef::Env("My_Var".into())),
            ("FILE:/Run/Secret", SecretRef::File("/Run/Secret".into())),
            (
                "Keyring:Partner/Key",
                SecretRef::Keyring("Partner/Key".into()),
            ),
        ] {
            let r = SecretRef::parse("x", text).unwrap();
            assert_eq!(r, want, "{text}");
            assert_eq!(r.to_string(), want.to_string());
            assert!(r.to_string().starts_with(char::is_lowercase), "{r}");
        }
    }

    /// Issue 8: a `file:` secret is read up to 64 KiB, never to the end of a device.
    #[test]
    fn file_secrets_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("ok");
        std::fs::write(&ok, "s3cret\r\n").unwrap();
        let r = SecretRef::File(ok);
        assert_eq!(r.resolve("client_secret").unwrap().expose(), "s3cret");
        for path in [PathBuf::from("/dev/zero"), dir.path().join("big")] {
            if path.starts_with(dir.path()) {
                std::fs::write(&path, "x".repeat(64 * 1024 + 1)).unwrap();
            }
            let e = SecretRef::File(path.clone())
                .resolve("client_secret")
                .unwrap_err();
            let text = e.to_string();
            assert!(
                text.starts_with("client_secret: ") && text.contains("more than 64 KiB"),
                "{text}"
            );
            assert!(e.hint().is_some());
        }
    }

    /// Issue 8 (F5): with `POOLS_KEYRING=file` the credentials file is the keyring, so a name
    /// it lacks is missing, and the message names the file and the entry.
    #[test]
    fn presence_in_the_credentials_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("credentials.json");
        let store = CredentialStore {
            mode: KeyringMode::File,
            file: Some(file.clone()),
            sealed: None,
        };
        let missing = Presence::Missing(format!(
            "the credentials file {} (POOLS_KEYRING=file) has no entry \"a/b\" here",
            file.display()
        ));
        assert_eq!(store.presence("a/b"), missing, "no file yet");
        store.put("a/b", &Secret::new("v1".into())).unwrap();
        assert_eq!(store.presence("a/b"), Presence::Found);
        assert!(matches!(store.presence("a/c"), Presence::Missing(_)));
        std::fs::write(&file, "[]").unwrap();
        assert!(matches!(store.presence("a/b"), Presence::Unchecked(_)));
    }

    /// R11 (encrypted at rest on a server): a store over a sealed secrets file keeps `-`
    /// secrets there (and says so), looks names up there only, and says where it looked.
    #[test]
    fn r11_a_sealed_store_keeps_and_finds_entries_in_the_sealed_file_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pools.db.secrets.json");
        let sealed = SealedFile::open(&path, SealingKey::new(&[5; 32], "POOLS_SERVER_KEY"));
        let store = CredentialStore::sealed(Arc::new(sealed.unwrap()));
        let backend = store.put("e/p/client_secret/01234567", &Secret::new("v".into()));
        assert_eq!(backend.unwrap(), Backend::Sealed(path.clone()));
        assert_eq!(
            store.presence("e/p/client_secret/01234567"),
            Presence::Found
        );
        assert_eq!(
            store
                .get("e/p/client_secret/01234567")
                .unwrap()
                .unwrap()
                .expose(),
            "v"
        );
        match store.presence("other") {
            Presence::Missing(why) => {
                assert!(why.contains("sealed secrets file"), "{why}");
                assert!(why.contains(&path.display().to_string()), "{why}");
            }
            other => panic!("{other:?}"),
        }
        assert!(store.where_it_looks().contains("sealed secrets file"));
        assert_eq!(store.file(), Some(path.as_path()));
        assert!(store.delete("e/p/client_secret/01234567").unwrap());
        assert!(store.get("e/p/client_secret/01234567").unwrap().is_none());
        assert!(!std::fs::read_to_string(&path).unwrap().contains("\"v\""));
        assert!(!format!("{store:?}").contains("[5, 5"), "{store:?}");
    }

    #[test]
    fn file_fallback_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let store = CredentialStore {
            mode: KeyringMode::File,
            file: Some(dir.path().join("sub/credentials.json")),
            sealed: None,
        };
        let backend = store.put("a/b", &Secret::new("v1".into())).unwrap();
        assert_eq!(
            backend,
            Backend::File(dir.path().join("sub/credentials.json"))
        );
        assert_eq!(store.get("a/b").unwrap().unwrap().expose(), "v1");
        assert!(store.get("other").unwrap().is_none());
        store.delete("a/b").unwrap();
        assert!(store.get("a/b").unwrap().is_none());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("sub/credentials.json"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
