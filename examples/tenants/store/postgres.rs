//! The tenants table in PostgreSQL, shared by every replica (`--postgres CONNINFO`). This file
//! writes and reads the table for the admin API; what is in force comes from `cors-postgres`,
//! which follows the table on every replica (`domains.rs`).
//!
//! One connection, made again when it is lost: admin writes are few, and one at a time keeps
//! each replica's own changes in order. Each write is one statement, so a lost connection
//! leaves it whole or not done at all.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio_postgres::config::Host;
use tokio_postgres::{Client, Config, NoTls};

use super::{Domain, StoreError, Stored};

/// The table of DESIGN §10.1, created when missing. `IF NOT EXISTS` alone is not enough when
/// replicas start at once: two `CREATE TABLE`s can both find it missing, and one fails on the
/// catalog's unique index; [`SETUP_LOCK`] makes them take turns.
const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS tenant_domains (
        origin   TEXT PRIMARY KEY,
        tenant   TEXT NOT NULL,
        added_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE INDEX IF NOT EXISTS tenant_domains_by_tenant ON tenant_domains (tenant);
";

/// The transaction-level advisory lock held while the table and its trigger are set up: any
/// number the service's other code does not lock (`tenants` in ASCII).
const SETUP_LOCK: i64 = 0x74_65_6e_61_6e_74_73;

/// How long a connection attempt may take before the admin API answers `503`.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// `added_at` as the SQLite file writes it, so both modes list the same text.
const SELECT_ALL: &str =
    "SELECT tenant, origin, to_char(added_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') \
                          FROM tenant_domains ORDER BY tenant, origin";

/// The shared tenants table.
#[derive(Debug)]
pub struct Postgres {
    config: Config,
    name: String,
    /// `None` once the connection is lost: the next call connects again.
    client: Mutex<Option<Client>>,
}

/// Reads `--postgres`: a libpq connection string or a `postgres://` URL.
pub fn parse(conninfo: &str) -> Result<Config, String> {
    let mut config: Config = conninfo.parse().map_err(|e| {
        format!("--postgres `{conninfo}` is not a connection string: {}; write e.g. `host=127.0.0.1 port=5432 user=app dbname=app` or `postgres://app@127.0.0.1:5432/app`", with_causes(&e))
    })?;
    if config.get_hosts().is_empty() {
        return Err(format!("--postgres `{conninfo}` names no host: add `host=...` (or the URL's host)"));
    }
    config.connect_timeout(CONNECT_TIMEOUT);
    Ok(config)
}

/// `the tenants database `app` on db.internal:5432`: where it is, never the password.
pub fn describe(config: &Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let port = config.get_ports().get(i).or(config.get_ports().first()).copied().unwrap_or(5432);
            match host {
                Host::Tcp(name) => format!("{name}:{port}"),
                Host::Unix(folder) => format!("{}/.s.PGSQL.{port}", folder.display()),
            }
        })
        .collect();
    let database = config.get_dbname().or(config.get_user()).unwrap_or("postgres");
    format!("the tenants database `{database}` on {}", hosts.join(", "))
}

/// `psql` arguments that reach the same database (without the password: psql asks, or reads
/// `PGPASSWORD` or `~/.pgpass`).
pub fn psql_target(config: &Config) -> String {
    let mut words = Vec::new();
    if let Some(Host::Tcp(host)) = config.get_hosts().first() {
        words.push(format!("host={host}"));
    }
    if let Some(port) = config.get_ports().first() {
        words.push(format!("port={port}"));
    }
    if let Some(user) = config.get_user() {
        words.push(format!("user={user}"));
    }
    if let Some(database) = config.get_dbname() {
        words.push(format!("dbname={database}"));
    }
    format!("'{}'", words.join(" "))
}

impl Postgres {
    /// Connects, and creates the table and the sync's trigger (`install_sql`) when missing, in
    /// one transaction under [`SETUP_LOCK`], so replicas starting at once take turns.
    pub async fn open(config: Config, install_sql: &str) -> Result<Postgres, StoreError> {
        let store = Postgres { name: describe(&config), config, client: Mutex::new(None) };
        store
            .with_client("cannot create the table tenant_domains and its trigger", async |client: &mut Client| {
                let setup = client.transaction().await?;
                setup.execute("SELECT pg_advisory_xact_lock($1)", &[&SETUP_LOCK]).await?;
                // Not a notice per start for what exists already ("relation ... already exists").
                setup.batch_execute("SET LOCAL client_min_messages = warning").await?;
                setup.batch_execute(SCHEMA).await?;
                setup.batch_execute(install_sql).await?;
                setup.commit().await
            })
            .await?;
        Ok(store)
    }

    /// Every stored domain, by tenant then origin.
    pub async fn all(&self) -> Result<Vec<Domain>, StoreError> {
        self.with_client("cannot read the tenants", async |client: &mut Client| {
            let rows = client.query(SELECT_ALL, &[]).await?;
            Ok(rows.iter().map(|row| Domain { tenant: row.get(0), origin: row.get(1), added_at: row.get(2) }).collect())
        })
        .await
    }

    /// Stores `origin` for `tenant`, unless it is stored already. Two statements, each whole:
    /// the insert, and when the origin was there, who owns it.
    pub async fn add(&self, tenant: &str, origin: &str) -> Result<Stored, StoreError> {
        self.with_client("cannot store the domain", async |client: &mut Client| {
            let insert = "INSERT INTO tenant_domains (origin, tenant) VALUES ($1, $2) ON CONFLICT (origin) DO NOTHING";
            // Deleted by another writer between the two statements: try again (rarely twice).
            loop {
                if client.execute(insert, &[&origin, &tenant]).await? == 1 {
                    return Ok(Stored::Added);
                }
                let owner = client.query_opt("SELECT tenant FROM tenant_domains WHERE origin = $1", &[&origin]).await?;
                match owner.map(|row| row.get::<_, String>(0)) {
                    Some(owner) if owner == tenant => return Ok(Stored::AlreadyThere),
                    Some(owner) => return Ok(Stored::OwnedBy(owner)),
                    None => continue,
                }
            }
        })
        .await
    }

    /// Deletes `origin`; the tenant that owned it, if one did.
    pub async fn remove(&self, origin: &str) -> Result<Option<String>, StoreError> {
        self.with_client("cannot delete the domain", async |client: &mut Client| {
            let deleted =
                client.query_opt("DELETE FROM tenant_domains WHERE origin = $1 RETURNING tenant", &[&origin]).await?;
            Ok(deleted.map(|row| row.get(0)))
        })
        .await
    }

    /// Runs `work` on the connection, connecting first when there is none. On an error that
    /// says the server is out of reach, the connection is dropped, and the error says so.
    async fn with_client<T>(
        &self,
        doing: &str,
        work: impl AsyncFnOnce(&mut Client) -> Result<T, tokio_postgres::Error>,
    ) -> Result<T, StoreError> {
        let mut slot = self.client.lock().await;
        let client = match slot.take().filter(|client| !client.is_closed()) {
            Some(client) => slot.insert(client),
            None => slot.insert(self.connect().await?),
        };
        let done = work(client).await.map_err(|e| self.error(doing, &e));
        if done.as_ref().is_err_and(|e| e.unreachable) {
            *slot = None;
        }
        done
    }

    async fn connect(&self) -> Result<Client, StoreError> {
        let (client, connection) = self.config.connect(NoTls).await.map_err(|e| self.error("cannot connect", &e))?;
        let name = self.name.clone();
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::warn!(target: "tenants", "{name}: the admin API's connection is lost: {e}");
            }
        });
        Ok(client)
    }

    fn error(&self, doing: &str, e: &tokio_postgres::Error) -> StoreError {
        // No SQLSTATE: the connection failed or was closed. Class 08 (connection exception) and
        // 57P (the server shutting down or restarting) mean the same to a caller.
        let unreachable =
            e.code().is_none_or(|state| state.code().starts_with("08") || state.code().starts_with("57P"));
        StoreError { database: self.name.clone(), what: format!("{doing}: {}", with_causes(e)), unreachable }
    }
}

/// `error connecting to server: Connection refused (os error 111)`: tokio-postgres's own text
/// says what it was doing, its sources why.
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(next) = cause {
        text.push_str(&format!(": {next}"));
        cause = next.source();
    }
    text
}
