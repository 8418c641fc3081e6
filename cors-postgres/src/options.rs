//! How a sync follows its table: the reconcile period, the reconnect backoff, whether it may
//! install the trigger itself, and whom its TLS trusts.

use std::path::PathBuf;
use std::time::Duration;

/// Options of [`OriginsSync::start_with`](crate::OriginsSync::start_with); `Default` is what
/// [`OriginsSync::start`](crate::OriginsSync::start) uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncOptions {
    /// How often the version the trigger bumps is compared with the one loaded, reloading on
    /// any difference: the safety net for a notification lost in flight (default 30 s).
    pub reconcile_every: Duration,
    /// The first wait before reconnecting after a fault; it doubles on each failure (default
    /// 100 ms).
    pub backoff_first: Duration,
    /// The longest wait between reconnects (default 2 s), so the list is current again soon
    /// after the database answers, however long it was away.
    pub backoff_cap: Duration,
    /// Whether `start` runs [`OriginsTable::install_sql`](crate::OriginsTable::install_sql) when
    /// the trigger is missing (default true). Without it, or without the rights, `start` fails
    /// and its error holds the SQL to run.
    pub install_trigger: bool,
    /// The certificate authorities a `sslmode=require` connection trusts (default: the
    /// system's trust store). The server's certificate and host name are always verified.
    pub tls_roots: TlsRoots,
}

/// Whom the server's TLS certificate must be signed by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlsRoots {
    /// The system's trust store: public CAs, and private ones the system was given.
    System,
    /// The certificates of one PEM file, as libpq's `sslrootcert`: a managed database's own CA
    /// (for example the cloud provider's bundle).
    PemFile(PathBuf),
}

impl Default for SyncOptions {
    fn default() -> SyncOptions {
        SyncOptions {
            reconcile_every: Duration::from_secs(30),
            backoff_first: Duration::from_millis(100),
            backoff_cap: Duration::from_secs(2),
            install_trigger: true,
            tls_roots: TlsRoots::System,
        }
    }
}
