//! Why a sync could not start: always with the host, the database and the cause.

use std::fmt;

use tokio_postgres::config::Host;
use tokio_postgres::Config;

/// [`OriginsSync::start`](crate::OriginsSync::start) failed; nothing follows the table.
#[derive(Debug)]
pub struct StartError {
    /// `host:port` (or the socket folder) and database, as the connection string names them.
    pub(crate) target: String,
    pub(crate) cause: String,
}

impl StartError {
    pub(crate) fn new(config: &Config, cause: impl Into<String>) -> StartError {
        StartError { target: target(config), cause: cause.into() }
    }

    /// A connection string that does not parse: there is no host or database to name yet. The
    /// libpq words tokio-postgres does not know get what to write instead.
    pub(crate) fn conninfo(cause: impl fmt::Display, conninfo: &str) -> StartError {
        let instead = if conninfo.contains("verify-full") || conninfo.contains("verify-ca") {
            "; write sslmode=require: cors-postgres always verifies the server's certificate and host name"
        } else if conninfo.contains("sslrootcert") {
            "; name the CA file in SyncOptions::tls_roots (TlsRoots::PemFile) instead of sslrootcert"
        } else {
            ""
        };
        StartError { target: "the connection string".to_owned(), cause: format!("cannot be read: {cause}{instead}") }
    }
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CORS origins from PostgreSQL ({}): {}", self.target, self.cause)
    }
}

impl std::error::Error for StartError {}

/// `database app on 127.0.0.1:5432`, from what the connection string says (libpq's defaults
/// where it says nothing).
pub(crate) fn target(config: &Config) -> String {
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(host)) => host.clone(),
        #[cfg(unix)]
        Some(Host::Unix(path)) => path.display().to_string(),
        None => "localhost".to_owned(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let database = config.get_dbname().or(config.get_user()).unwrap_or("postgres");
    format!("database `{database}` on {host}:{port}")
}

/// A driver error with every cause it wraps, since its own text often says only "error
/// connecting to server".
pub(crate) fn causes(error: &tokio_postgres::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        source = cause.source();
    }
    text
}
