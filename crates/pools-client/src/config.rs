//! The environments an operator added (`pools env add NAME --url URL`), and the one in use:
//! `$XDG_CONFIG_HOME/pools/config.yaml` (else `~/.config/pools/config.yaml`). Tokens are not
//! here: they are kept in the OS keyring or the 0600 credentials file ([`token_key`]).

use pools_core::error::Error;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file's contents.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The environment commands use without `--env` (`pools env use NAME`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    #[serde(default)]
    pub environments: BTreeMap<String, Environment>,
}

/// One environment: where its server answers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// The server's base URL (https, or http to a loopback host).
    pub url: String,
    /// A CA certificate (PEM) trusted for this server besides the system's roots: a private
    /// CA's (`pools env add --ca-cert`). An absolute path, read at each use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_cert: Option<PathBuf>,
}

/// A CA certificate file: 1 MiB, far above a bundle of a few certificates.
const CA_CERT: pools_core::input_file::Kind = pools_core::input_file::Kind {
    what: "a CA certificate file",
    max_bytes: 1 << 20,
    hint: "give the CA's certificate in PEM (-----BEGIN CERTIFICATE-----)",
    regular_only: true,
};

/// The PEM text of the CA certificate file at `path`, checked to hold at least one
/// certificate. `field` is what the operator fixes (`--ca-cert`, or the environment's
/// setting).
///
/// Errors: [`Error::Invalid`] on `field` when the file cannot be read or holds no PEM
/// certificate.
pub fn read_ca_cert(path: &Path, field: &str) -> Result<Vec<u8>, Error> {
    let text =
        pools_core::input_file::read(pools_core::input_file::Source::Path(path), field, CA_CERT)?;
    match reqwest::Certificate::from_pem_bundle(text.as_bytes()) {
        Ok(certs) if !certs.is_empty() => Ok(text.into_bytes()),
        Ok(_) => Err(Error::invalid(
            field,
            format!("{}: holds no PEM certificate", path.display()),
        )
        .with_hint(CA_CERT.hint)),
        Err(e) => Err(Error::invalid(
            field,
            format!("{}: not a PEM certificate: {e}", path.display()),
        )
        .with_hint(CA_CERT.hint)),
    }
}

/// The name under which an environment's token is kept in the keyring or credentials file.
pub fn token_key(name: &str) -> String {
    format!("pools-env/{name}")
}

/// `$XDG_CONFIG_HOME/pools/config.yaml`, else `$HOME/.config/pools/config.yaml`; `None`
/// when neither variable is set.
pub fn path() -> Option<PathBuf> {
    pools_core::secret::xdg_dir("XDG_CONFIG_HOME")
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .map(|d| d.join("pools").join("config.yaml"))
}

/// The file at `path`; an absent file is an empty configuration.
///
/// Errors: [`Error::Invalid`] on the file when it cannot be read or is not the format.
pub fn load(path: &Path) -> Result<Config, Error> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => {
            return Err(Error::invalid("config", format!("{}: {e}", path.display())));
        }
    };
    if text.trim().is_empty() {
        return Ok(Config::default());
    }
    serde_yaml_ng::from_str(&text).map_err(|e| {
        Error::invalid("config", format!("{}: {e}", path.display())).with_hint(
            "fix the file, or remove it and add the environments again (`pools env add`)",
        )
    })
}

/// Writes `config` to `path` whole (a temporary file renamed over it: never half a file).
///
/// Errors: [`Error::Io`] when the directory or the file cannot be written.
pub fn save(path: &Path, config: &Config) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::Io {
        path: path.display().to_string(),
        source: e,
        hint: None,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let text = serde_yaml_ng::to_string(config).map_err(|e| Error::Bug {
        message: format!("the environments do not serialise: {e}"),
    })?;
    let tmp = dir.join(format!(".config.yaml.{}", std::process::id()));
    std::fs::write(&tmp, text).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })
}

/// Refuses an environment name that is empty, over 64 bytes, or holds other characters than
/// letters, digits, `.`, `_` and `-`.
pub fn check_name(name: &str) -> Result<(), Error> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "NAME",
            format!(
                "environment name {:?} is not 1 to 64 letters, digits, `.`, `_` or `-`",
                name.chars().take(64).collect::<String>()
            ),
        )
        .with_hint("name it for what it is, e.g. prod or staging"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_round_trips_and_an_absent_file_is_empty() {
        let dir = std::env::temp_dir().join(format!("pools-client-config-{}", std::process::id()));
        let p = dir.join("pools/config.yaml");
        assert_eq!(load(&p).unwrap(), Config::default());
        let mut c = Config::default();
        c.environments.insert(
            "prod".into(),
            Environment {
                url: "https://pools.example.com".into(),
                ca_cert: None,
            },
        );
        c.current = Some("prod".into());
        save(&p, &c).unwrap();
        assert_eq!(load(&p).unwrap(), c);
        // A file without `ca_cert` is unchanged by it; one with it keeps it.
        assert!(!std::fs::read_to_string(&p).unwrap().contains("ca_cert"));
        c.environments.get_mut("prod").unwrap().ca_cert = Some("/etc/pools/ca.pem".into());
        save(&p, &c).unwrap();
        assert_eq!(load(&p).unwrap(), c);
        std::fs::write(&p, "environments: [1, 2]\n").unwrap();
        assert!(load(&p).unwrap_err().to_string().contains("config.yaml"));
        let _ = std::fs::remove_dir_all(&dir);
        assert!(check_name("prod-eu.1").is_ok());
        assert!(check_name("a b").is_err() && check_name("").is_err());
    }
}
