//! The tenants table in a SQLite file: one row per domain (an origin, or a pattern such as
//! `https://*.shops.acme.example`), each owned by one tenant. The file and its table are
//! created on first run; what it holds survives restarts.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use super::{Domain, StoreError, Stored};

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS tenant_domains (
        origin   TEXT PRIMARY KEY NOT NULL,
        tenant   TEXT NOT NULL,
        added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX IF NOT EXISTS tenant_domains_by_tenant ON tenant_domains (tenant);
";

/// The open tenants database.
#[derive(Debug)]
pub struct Sqlite {
    connection: Connection,
    path: PathBuf,
}

impl Sqlite {
    /// Opens `path`, creating the file and its table when missing. The folder must exist and be
    /// writable: a typo in `--db` is an error, not a new folder.
    pub fn open(path: &Path) -> Result<Sqlite, StoreError> {
        let fail = |what: String| StoreError { database: describe(path), what, unreachable: false };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.is_dir() {
                return Err(fail(format!(
                    "the folder {} does not exist; create it or choose another --db",
                    dir.display()
                )));
            }
        }
        if path.is_dir() {
            return Err(fail("is a folder; --db names the database file, e.g. --db ./tenants.db".into()));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(path, flags).map_err(|e| fail(format!("cannot open it: {e}")))?;
        // Creating the table, or on later runs setting the schema version, writes to the file:
        // a read-only file or folder is found now, before the service listens.
        connection
            .execute_batch(&format!("{SCHEMA} PRAGMA user_version = 1;"))
            .map_err(|e| fail(format!("cannot create or update its table: {e}")))?;
        Ok(Sqlite { connection, path: path.to_owned() })
    }

    /// Every stored domain, by tenant then origin.
    pub fn all(&self) -> Result<Vec<Domain>, StoreError> {
        let read = || -> rusqlite::Result<Vec<Domain>> {
            let mut statement = self
                .connection
                .prepare("SELECT tenant, origin, added_at FROM tenant_domains ORDER BY tenant, origin")?;
            let rows = statement
                .query_map([], |row| Ok(Domain { tenant: row.get(0)?, origin: row.get(1)?, added_at: row.get(2)? }))?;
            rows.collect()
        };
        read().map_err(|e| self.error("cannot read the tenants", e))
    }

    /// Stores `origin` for `tenant`, unless it is stored already.
    pub fn add(&mut self, tenant: &str, origin: &str) -> Result<Stored, StoreError> {
        let mut add = || -> rusqlite::Result<Stored> {
            let transaction = self.connection.transaction()?;
            let owner: Option<String> = transaction
                .query_row("SELECT tenant FROM tenant_domains WHERE origin = ?1", [origin], |row| row.get(0))
                .optional()?;
            let stored = match owner {
                Some(owner) if owner == tenant => Stored::AlreadyThere,
                Some(owner) => Stored::OwnedBy(owner),
                None => {
                    transaction.execute(
                        "INSERT INTO tenant_domains (origin, tenant) VALUES (?1, ?2)",
                        params![origin, tenant],
                    )?;
                    Stored::Added
                }
            };
            transaction.commit()?;
            Ok(stored)
        };
        add().map_err(|e| self.error("cannot store the domain", e))
    }

    /// Deletes `origin`; the tenant that owned it, if one did.
    pub fn remove(&mut self, origin: &str) -> Result<Option<String>, StoreError> {
        let remove = || -> rusqlite::Result<Option<String>> {
            self.connection
                .query_row("DELETE FROM tenant_domains WHERE origin = ?1 RETURNING tenant", [origin], |row| row.get(0))
                .optional()
        };
        remove().map_err(|e| self.error("cannot delete the domain", e))
    }

    /// `the tenants database PATH`, as errors name it.
    pub fn name(&self) -> String {
        describe(&self.path)
    }

    fn error(&self, doing: &str, e: rusqlite::Error) -> StoreError {
        StoreError { database: self.name(), what: format!("{doing}: {e}"), unreachable: false }
    }
}

fn describe(path: &Path) -> String {
    format!("the tenants database {}", path.display())
}
