//! Where the tenants' domains are stored: a SQLite file for one process (`sqlite.rs`), or a
//! PostgreSQL table that every replica shares (`postgres.rs`). The admin API sees only [`Store`]:
//! the same three calls and the same answers whichever database holds the table.

pub mod postgres;
pub mod sqlite;

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

/// One stored domain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Domain {
    pub tenant: String,
    pub origin: String,
    /// When it was stored, UTC, e.g. `2026-12-02T06:11:58Z`.
    pub added_at: String,
}

/// What storing a domain did.
#[derive(Debug, PartialEq, Eq)]
pub enum Stored {
    /// A new row.
    Added,
    /// The tenant had it already.
    AlreadyThere,
    /// Another tenant owns it; nothing changed.
    OwnedBy(String),
}

/// The database could not be used: which one, what went wrong, and whether it is out of reach
/// (the admin API answers `503`: try again later) rather than failing the statement (`500`).
#[derive(Debug)]
pub struct StoreError {
    /// `the tenants database /tmp/t.db`, or `the tenants database `app` on db.internal:5432`.
    pub database: String,
    pub what: String,
    pub unreachable: bool,
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.database, self.what)
    }
}

impl std::error::Error for StoreError {}

/// The tenants table, in one database or the other.
#[derive(Debug)]
pub enum Store {
    /// SQLite calls block: they run on tokio's blocking threads, one at a time.
    Sqlite(Arc<Mutex<sqlite::Sqlite>>),
    Postgres(Box<postgres::Postgres>),
}

impl Store {
    /// Every stored domain, by tenant then origin.
    pub async fn all(&self) -> Result<Vec<Domain>, StoreError> {
        match self {
            Store::Sqlite(file) => blocking(file, |file| file.all()).await,
            Store::Postgres(table) => table.all().await,
        }
    }

    /// Stores `origin` for `tenant`, unless it is stored already.
    pub async fn add(&self, tenant: &str, origin: &str) -> Result<Stored, StoreError> {
        match self {
            Store::Sqlite(file) => {
                let (tenant, origin) = (tenant.to_owned(), origin.to_owned());
                blocking(file, move |file| file.add(&tenant, &origin)).await
            }
            Store::Postgres(table) => table.add(tenant, origin).await,
        }
    }

    /// Deletes `origin`; the tenant that owned it, if one did.
    pub async fn remove(&self, origin: &str) -> Result<Option<String>, StoreError> {
        match self {
            Store::Sqlite(file) => {
                let origin = origin.to_owned();
                blocking(file, move |file| file.remove(&origin)).await
            }
            Store::Postgres(table) => table.remove(origin).await,
        }
    }
}

async fn blocking<T: Send + 'static>(
    file: &Arc<Mutex<sqlite::Sqlite>>,
    work: impl FnOnce(&mut sqlite::Sqlite) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let file = Arc::clone(file);
    let database = file.lock().unwrap_or_else(PoisonError::into_inner).name();
    tokio::task::spawn_blocking(move || work(&mut file.lock().unwrap_or_else(PoisonError::into_inner)))
        .await
        .unwrap_or_else(|panic| Err(StoreError { database, what: panic.to_string(), unreachable: false }))
}
