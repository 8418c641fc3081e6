//! `sslmode=require` against a real PostgreSQL 15 serving TLS with a private CA's certificate:
//! the sync connects over TLS when it trusts that CA, follows changes over it, and refuses to
//! start (naming the cause) when it does not, when the file is wrong, or when the server offers
//! no TLS.

#[path = "support/cluster.rs"]
mod cluster;

use std::path::PathBuf;
use std::time::Duration;

use cluster::{wait_until, Cluster};
use cors_postgres::{OriginsSync, OriginsTable, SyncOptions, TlsRoots};
use cors_runtime::cors_policy;

/// A CA, and a certificate it signs for 127.0.0.1 and localhost: (CA PEM, chain PEM, key PEM).
fn private_ca() -> (String, String, String) {
    let mut ca_params = rcgen::CertificateParams::new(Vec::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let names = vec!["127.0.0.1".to_owned(), "localhost".to_owned()];
    let cert = rcgen::CertificateParams::new(names).unwrap().signed_by(&key, &ca, &ca_key).unwrap();
    (ca.pem(), cert.pem(), key.serialize_pem())
}

fn table() -> OriginsTable {
    OriginsTable::new("tenant_domains", "origin").unwrap()
}

fn roots(path: PathBuf) -> SyncOptions {
    SyncOptions { tls_roots: TlsRoots::PemFile(path), ..SyncOptions::default() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sslmode_require_verifies_the_server_against_the_named_roots() {
    #[cors_policy(origins = dynamic)]
    pub struct Encrypted;
    #[cors_policy(origins = dynamic)]
    pub struct Refused;

    let db = Cluster::start();
    db.psql("CREATE TABLE tenant_domains (origin text PRIMARY KEY)");
    db.psql("INSERT INTO tenant_domains VALUES ('https://a.example')");
    let (ca, chain, key) = private_ca();
    db.enable_tls(&chain, &key);
    let ca_file = db.data().join("test-ca.pem");
    std::fs::write(&ca_file, &ca).unwrap();
    let require = db.conninfo().replace("sslmode=disable", "sslmode=require");

    let sync = OriginsSync::start_with(&require, table(), Encrypted::origins(), roots(ca_file.clone())).await.unwrap();
    assert_eq!(Encrypted::origins().list(), ["https://a.example"]);
    let ssl = "SELECT string_agg(s.ssl::text, ',') FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
               WHERE a.application_name = 'cors-postgres'";
    assert_eq!(db.psql(ssl), "true");
    db.psql("INSERT INTO tenant_domains VALUES ('https://b.example')");
    assert!(wait_until(Duration::from_secs(5), || Encrypted::origins().len() == 2));
    // A reconnection is made over TLS too.
    assert_eq!(db.terminate_listeners(), 1);
    db.psql("INSERT INTO tenant_domains VALUES ('https://c.example')");
    assert!(wait_until(Duration::from_secs(5), || Encrypted::origins().len() == 3 && sync.status().connected));
    assert!(wait_until(Duration::from_secs(5), || db.psql(ssl) == "true"));

    let start = |options: SyncOptions| OriginsSync::start_with(&require, table(), Refused::origins(), options);
    let port = db.port();
    let prefix = format!("CORS origins from PostgreSQL (database `postgres` on 127.0.0.1:{port}): ");
    // The system's roots do not hold the private CA.
    let error = start(SyncOptions::default()).await.unwrap_err().to_string();
    assert!(error.starts_with(&format!("{prefix}cannot connect: ")), "{error}");
    assert!(error.contains("invalid peer certificate: UnknownIssuer"), "{error}");
    // A file that is not there, and one without a certificate.
    let missing = db.data().join("no-such-ca.pem");
    let error = start(roots(missing.clone())).await.unwrap_err().to_string();
    assert!(
        error.starts_with(&format!("{prefix}cannot read the TLS root certificates {}: ", missing.display())),
        "{error}"
    );
    let empty = db.data().join("empty.pem");
    std::fs::write(&empty, "not a certificate\n").unwrap();
    let error = start(roots(empty.clone())).await.unwrap_err().to_string();
    assert_eq!(
        error,
        format!("{prefix}cannot read the TLS root certificates {}: the file holds no PEM certificate", empty.display())
    );
    assert!(Refused::origins().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn require_against_a_server_without_tls_and_libpq_only_words_fail_with_the_fix() {
    #[cors_policy(origins = dynamic)]
    pub struct Plain;

    let db = Cluster::start();
    db.psql("CREATE TABLE tenant_domains (origin text PRIMARY KEY)");
    let require = db.conninfo().replace("sslmode=disable", "sslmode=require");
    let error = OriginsSync::start(&require, table(), Plain::origins()).await.unwrap_err().to_string();
    assert!(error.contains("cannot connect: "), "{error}");
    assert!(error.contains("server does not support TLS"), "{error}");

    let verify = db.conninfo().replace("sslmode=disable", "sslmode=verify-full");
    let error = OriginsSync::start(&verify, table(), Plain::origins()).await.unwrap_err().to_string();
    assert!(error.starts_with("CORS origins from PostgreSQL (the connection string): cannot be read: "), "{error}");
    assert!(
        error
            .ends_with("; write sslmode=require: cors-postgres always verifies the server's certificate and host name"),
        "{error}"
    );
    let rootcert = format!("{} sslrootcert=/etc/ca.pem", db.conninfo());
    let error = OriginsSync::start(&rootcert, table(), Plain::origins()).await.unwrap_err().to_string();
    assert!(
        error.ends_with("; name the CA file in SyncOptions::tls_roots (TlsRoots::PemFile) instead of sslrootcert"),
        "{error}"
    );
    // Without sslmode (libpq's `prefer`) the sync connects in plain, as before.
    let prefer = db.conninfo().replace(" sslmode=disable", "");
    let sync = OriginsSync::start(&prefer, table(), Plain::origins()).await.unwrap();
    assert!(sync.status().connected);
}
