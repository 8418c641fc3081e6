//! TLS for the sync's connections: with `sslmode=require`, rustls, the server's certificate and
//! host verified against the roots [`SyncOptions::tls_roots`](crate::SyncOptions::tls_roots)
//! names; otherwise plain TCP or a Unix socket.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};
use tokio_postgres::config::SslMode;
use tokio_postgres::Config;
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::options::TlsRoots;

/// How the sync connects, decided once at start-up (the roots are read then).
#[derive(Clone)]
pub(crate) enum Tls {
    Plain,
    Rustls(MakeRustlsConnect),
}

impl Tls {
    /// `sslmode=require` gets rustls with `roots`; `prefer` (libpq's default) and `disable`
    /// connect without TLS: libpq's `prefer` encrypts without verifying the server, which keeps
    /// out no attacker able to intercept, so it is not pretended here.
    pub(crate) fn for_config(config: &Config, roots: &TlsRoots) -> Result<Tls, String> {
        if config.get_ssl_mode() != SslMode::Require {
            return Ok(Tls::Plain);
        }
        let roots = match roots {
            TlsRoots::System => system_roots()?,
            TlsRoots::PemFile(path) => file_roots(path)?,
        };
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot set up TLS: {e}"))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Tls::Rustls(MakeRustlsConnect::new(config)))
    }
}

/// The system's trust store, as libpq's OpenSSL reads it (`SSL_CERT_FILE` and `SSL_CERT_DIR`
/// included).
fn system_roots() -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    if roots.is_empty() {
        return Err("sslmode=require, but the system's trust store holds no certificate: install \
                    the CA certificates (Debian: ca-certificates) or name the server's CA in \
                    SyncOptions::tls_roots"
            .to_owned());
    }
    Ok(roots)
}

/// The certificates of one PEM file: libpq's `sslrootcert`.
fn file_roots(path: &Path) -> Result<RootCertStore, String> {
    let unreadable =
        |e: &dyn std::fmt::Display| format!("cannot read the TLS root certificates {}: {e}", path.display());
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(path).map_err(|e| unreadable(&e))? {
        let cert = cert.map_err(|e| unreadable(&e))?;
        roots.add(cert).map_err(|e| unreadable(&e))?;
    }
    if roots.is_empty() {
        return Err(unreadable(&"the file holds no PEM certificate"));
    }
    Ok(roots)
}
