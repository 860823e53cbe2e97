//! TLS for the server (`pools serve --tls-cert PEM --tls-key PEM`): rustls, with the
//! certificate chain and private key read from PEM files, each refusal naming the flag at
//! fault and the fix (never the key's bytes).

use pools_core::error::Error;
use pools_core::input_file::{self, Kind, Source};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::Path;
use std::sync::Arc;

/// A PEM file of the server's: 1 MiB, far above a certificate chain or a key.
const PEM: Kind = Kind {
    what: "a PEM file",
    max_bytes: 1 << 20,
    hint: "give the PEM file itself (-----BEGIN ...-----), not a bundle or an archive",
    regular_only: true,
};

/// The server's TLS settings, ready to serve. `Debug` shows nothing of the key.
#[derive(Clone)]
pub struct Tls(axum_server::tls_rustls::RustlsConfig);

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tls(..)")
    }
}

impl Tls {
    pub(crate) fn config(&self) -> axum_server::tls_rustls::RustlsConfig {
        self.0.clone()
    }
}

/// Reads the certificate chain at `cert` (the server's certificate first, then any
/// intermediates) and the private key at `key` (PKCS#8, PKCS#1 or SEC1), and checks that
/// they belong together.
///
/// Errors: [`Error::Invalid`] on `--tls-cert` when the file cannot be read or holds no
/// certificate, on `--tls-key` when it cannot be read, holds no private key, or the key is
/// not the certificate's.
pub fn load(cert: &Path, key: &Path) -> Result<Tls, Error> {
    let cert_text = input_file::read(Source::Path(cert), "--tls-cert", PEM).map_err(|e| {
        with_hint(
            e,
            "give the path of the server's certificate chain, a PEM file this user may read",
        )
    })?;
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert_text.as_bytes())
        .collect::<Result<_, _>>()
        .map_err(|e| {
            Error::invalid(
                "--tls-cert",
                format!("{}: not a PEM certificate chain: {e}", cert.display()),
            )
            .with_hint("give the server's certificate in PEM (-----BEGIN CERTIFICATE-----), then any intermediates")
        })?;
    if chain.is_empty() {
        return Err(Error::invalid(
            "--tls-cert",
            format!("{}: holds no certificate", cert.display()),
        )
        .with_hint(
            "give the server's certificate in PEM (-----BEGIN CERTIFICATE-----), then any intermediates; the key goes to --tls-key",
        ));
    }
    let key_text = input_file::read(Source::Path(key), "--tls-key", PEM)
        .map_err(|e| with_hint(e, "give the path of the certificate's private key, a PEM file this user may read (mode 600)"))?;
    // The parser's own message is not repeated: nothing of the key's text reaches output.
    let private = PrivateKeyDer::from_pem_slice(key_text.as_bytes()).map_err(|_| {
        Error::invalid(
            "--tls-key",
            format!("{}: holds no PEM private key", key.display()),
        )
        .with_hint(
            "give the certificate's private key in PEM (-----BEGIN PRIVATE KEY-----, RSA or EC PRIVATE KEY), not encrypted",
        )
    })?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::bug(format!("no TLS protocol versions: {e}")))?
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .map_err(|e| {
            Error::invalid(
                "--tls-key",
                format!(
                    "{} cannot serve {}: {e}",
                    key.display(),
                    cert.display()
                ),
            )
            .with_hint("give the private key of the certificate --tls-cert names (the pair a CA issued, or `openssl x509 -noout -pubkey` of both agree)")
        })?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Tls(axum_server::tls_rustls::RustlsConfig::from_config(
        Arc::new(config),
    )))
}

/// `e` with `hint` when it has none (an I/O error says what failed, not what to do).
fn with_hint(e: Error, hint: &str) -> Error {
    if e.hint().is_some() {
        e
    } else {
        e.with_hint(hint)
    }
}
