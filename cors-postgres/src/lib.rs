//! Keeps one `origins = dynamic` policy's list (`cors_runtime::DynamicOrigins`) equal to the
//! valid rows of one PostgreSQL table on every replica of a service (DESIGN §10.1).
//!
//! ```no_run
//! use cors_runtime::cors_policy;
//!
//! #[cors_policy(origins = dynamic, credentials)]
//! pub struct TenantApps;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let table = cors_postgres::OriginsTable::new("tenant_domains", "origin")?;
//! let sync = cors_postgres::OriginsSync::start("host=db.internal user=app dbname=app", table, TenantApps::origins()).await?;
//! println!("{} origins in force", sync.status().in_force);
//! # Ok(()) }
//! ```
//!
//! A trigger ([`OriginsTable::install_sql`]) NOTIFYs each row's change with the table's new
//! version, delivered at commit; the sync LISTENs, loads the whole table on every
//! (re)connection, applies each burst of changes in one store, loads again when the versions
//! have a gap, and compares the version every [`SyncOptions::reconcile_every`]. Every row is
//! checked by the rules a written list passes; a row they refuse is left out and reported
//! ([`SyncStatus::refused`]), never rewritten, and the other rows stay in force. While the
//! database is away, the list in force keeps answering. With `sslmode=require` the connection
//! is TLS (rustls), the server verified against [`SyncOptions::tls_roots`].
#![deny(missing_docs)]

mod change;
mod error;
mod load;
mod options;
mod rows;
mod status;
mod sync;
mod table;
mod tls;

pub use error::StartError;
pub use options::{SyncOptions, TlsRoots};
pub use status::{RefusedRow, SyncStatus};
pub use sync::{OriginsSync, APPLICATION_NAME};
pub use table::{OriginsTable, TableError};
