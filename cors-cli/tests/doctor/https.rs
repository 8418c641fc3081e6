//! https end to end: a loopback server with a certificate from a test CA, which the `cors`
//! binary trusts through `SSL_CERT_FILE` (as curl does), and distrusts without it.

use std::sync::Arc;

use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

use super::{apps, APP};

/// A CA, and a certificate it signed for `localhost`.
fn test_ca() -> (String, CertificateDer<'static>, PrivateKeyDer<'static>) {
    let mut ca_params = rcgen::CertificateParams::new(Vec::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["localhost".into()]).unwrap().signed_by(&key, &ca, &ca_key).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    (ca.pem(), cert.der().clone(), key)
}

/// Serves the cors-runtime app over TLS on a loopback port; returns the port.
async fn serve_tls(cert: CertificateDer<'static>, key: PrivateKeyDer<'static>) -> u16 {
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else { return };
                let service = TowerToHyperService::new(apps::cors_runtime_app());
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(tls), service).await;
            });
        }
    });
    port
}

/// The `cors` binary run twice in `dir` against a fresh TLS server: trusting the test CA through
/// `SSL_CERT_FILE`, then with only the platform's roots. `args(port)` gives its arguments.
async fn run_trusted_and_distrusted(
    dir: &std::path::Path,
    args: impl Fn(u16) -> Vec<String>,
) -> (u16, std::process::Output, std::process::Output) {
    let (ca_pem, cert, key) = test_ca();
    let port = serve_tls(cert, key).await;
    let ca_file = dir.join(format!("test-ca-{port}.pem"));
    std::fs::write(&ca_file, ca_pem).unwrap();
    let run = |ca: Option<&std::path::Path>| {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_cors"));
        command.current_dir(dir).args(args(port));
        match ca {
            Some(file) => command.env("SSL_CERT_FILE", file),
            None => command.env_remove("SSL_CERT_FILE"),
        };
        command.output()
    };
    let trusted = run(Some(&ca_file)).await.unwrap();
    let distrusted = run(None).await.unwrap();
    (port, trusted, distrusted)
}

#[tokio::test(flavor = "multi_thread")]
async fn https_is_verified_against_the_configured_roots() {
    let dir = super::support::TempDir::new("doctor-https-url");
    let url = |port: u16| format!("https://localhost:{port}/orders");
    let (port, trusted, distrusted) = run_trusted_and_distrusted(&dir.0, |port| {
        ["doctor", &url(port), "--origin", APP, "--credentials"].map(String::from).to_vec()
    })
    .await;

    let report = String::from_utf8_lossy(&trusted.stdout);
    assert_eq!(trusted.status.code(), Some(0), "{report}{}", String::from_utf8_lossy(&trusted.stderr));
    assert!(report.starts_with(&format!("cors doctor: GET {} from {APP}, with credentials\n", url(port))), "{report}");

    let message = String::from_utf8_lossy(&distrusted.stderr);
    assert_eq!(distrusted.status.code(), Some(2), "{message}");
    assert!(
        message.starts_with(&format!("cors doctor: TLS with localhost:{port} failed: invalid peer certificate")),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_route_of_a_table_over_https() {
    let dir = super::support::TempDir::new("doctor-https");
    std::fs::write(dir.0.join("table.json"), serde_json::to_string(&apps::cors_runtime_routes()).unwrap()).unwrap();
    let base = |port: u16| format!("https://localhost:{port}");
    let (port, trusted, distrusted) = run_trusted_and_distrusted(&dir.0, |port| {
        ["doctor", "--routes", "table.json", &base(port)].map(String::from).to_vec()
    })
    .await;
    let report = String::from_utf8_lossy(&trusted.stdout);
    assert_eq!(trusted.status.code(), Some(0), "{report}{}", String::from_utf8_lossy(&trusted.stderr));
    assert!(report.starts_with(&format!("cors doctor --routes table.json {}: 3 routes, ", base(port))), "{report}");
    // The deployment's certificate is checked once, before any route: one line, exit 2.
    let message = String::from_utf8_lossy(&distrusted.stderr);
    assert_eq!(distrusted.status.code(), Some(2), "{message}");
    assert!(message.starts_with(&format!("cors doctor: TLS with localhost:{port} failed: invalid peer certificate")));
    assert_eq!(message.lines().count(), 1, "{message}");
}
