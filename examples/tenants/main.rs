//! A multi-tenant service whose customers bring their own domains (DESIGN §9.1): the tenants and
//! their domains live in a SQLite file, every stored domain is put in force at start-up, and the
//! admin API adds and removes domains while the service runs. A domain is checked by the rules a
//! written allowlist passes before it is stored; a typo gets `422` with the rule and the fix.
//! With `--postgres CONNINFO` (DESIGN §10.1) any number of replicas share one PostgreSQL table,
//! and `cors-postgres` keeps every replica's list equal to it, whoever writes it.
//!
//! Run: `cargo run --example tenants` (or `-- --port 3001 --db ./tenants.db`, or
//! `-- --postgres 'host=127.0.0.1 user=app dbname=app'`), then try the printed commands.
//! `RUST_LOG=cors=debug` logs every refusal and every change.
//!
//! - `api.rs`: the routes tenants' pages call, under the `TenantApps` policy (`origins = dynamic`).
//! - `admin.rs`: the admin API (no CORS, a token).
//! - `domains.rs`: the database and the list in force, changed together.
//! - `store.rs`: the table, in a SQLite file (`store/sqlite.rs`) or PostgreSQL
//!   (`store/postgres.rs`).
//! - `state.rs`: what the handlers share.
//! - `walkthrough.rs`: what it prints.

mod admin;
mod api;
mod domains;
mod state;
mod store;
mod walkthrough;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use cors_examples::{CommandLine, ADMIN_TOKEN};
use cors_postgres::{OriginsSync, OriginsTable};
use cors_runtime::Routes;
use tracing_subscriber::filter::{EnvFilter, LevelFilter};

use api::TenantApps;
use domains::{Domains, LoadError};
use state::AppState;
use store::postgres::{self, Postgres};
use store::sqlite::Sqlite;
use store::Store;
use walkthrough::Database;

/// The port when neither `--port` nor `PORT` says another.
const DEFAULT_PORT: u16 = 3001;

/// The routes tenants' pages call, as served.
pub fn routes() -> Routes<AppState> {
    api::routes().nest(api::PREFIX)
}

/// The service: the tenants' API under `/api`, the admin API beside it with its token check, and
/// the CORS layer of the tenants' routes outermost (the admin routes are not in its table, so it
/// lets them through untouched: no CORS headers, ever).
pub fn app(state: AppState) -> Router {
    let api = routes();
    let cors = api.layer();
    Router::new().merge(api).merge(admin::routes(state.clone())).layer(cors).with_state(state)
}

/// The database when `--db` does not name one: in the system's temporary folder, so a first
/// run needs no setup (and a reboot may clear it: use `--db` for tenants that must stay).
fn default_db_path() -> PathBuf {
    std::env::temp_dir().join("cors-tenants.db")
}

#[tokio::main]
async fn main() {
    if let Err((code, message)) = run().await {
        eprintln!("tenants: {message}");
        std::process::exit(code);
    }
}

/// Exit codes: 2 for what the user must fix (arguments, a stored row the rules refuse in the
/// SQLite file), 1 for what failed (the database, the port).
async fn run() -> Result<(), (i32, String)> {
    let args = CommandLine::parse(&[("--db", "PATH"), ("--postgres", "CONNINFO")]).map_err(|e| (2, e))?;
    let addr = args.listen_addr(DEFAULT_PORT).map_err(|e| (2, e))?;
    // Logs on stderr, so stdout stays the table, the commands and `--routes-json`. `RUST_LOG`
    // picks what is logged (e.g. `cors=debug` for every CORS refusal); info by default.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(EnvFilter::builder().with_default_directive(LevelFilter::INFO.into()).from_env_lossy())
        .init();
    let table = routes();
    table.check().map_err(|e| (2, format!("the CORS configuration is invalid:\n{e}")))?;

    let (domains, database) = match (args.value("--db"), args.value("--postgres")) {
        (Some(_), Some(_)) => {
            return Err((
                2,
                "--db and --postgres name two databases: choose one (--db PATH, a SQLite file for one process; \
                 --postgres CONNINFO, a database every replica shares)"
                    .into(),
            ))
        }
        (_, Some(conninfo)) => {
            let config = postgres::parse(conninfo).map_err(|e| (2, e))?;
            (follow_postgres(conninfo, config.clone()).await?, Database::Postgres(Box::new(config)))
        }
        (db, None) => {
            let path = db.map_or_else(default_db_path, PathBuf::from);
            (load_sqlite(&path).await?, Database::File(path))
        }
    };
    let domains = Arc::new(domains);

    // After loading: the table's JSON lists the origins in force.
    cors_examples::print_routes_json_if_asked(&table);
    println!("Routes and their CORS policies:\n\n{table}");
    walkthrough::print(addr, &database, &domains).await;

    let listener =
        tokio::net::TcpListener::bind(addr).await.map_err(|e| (1, format!("cannot listen on {addr}: {e}")))?;
    println!("listening on http://{addr}");
    let state = AppState { domains, admin_token: ADMIN_TOKEN.into() };
    axum::serve(listener, app(state)).await.map_err(|e| (1, e.to_string()))
}

/// The SQLite file: every stored domain in force, or none when a row breaks a rule.
async fn load_sqlite(path: &std::path::Path) -> Result<Domains, (i32, String)> {
    let file = Sqlite::open(path).map_err(|e| (1, e.to_string()))?;
    Domains::load(Store::Sqlite(Arc::new(Mutex::new(file))), TenantApps::origins()).await.map_err(|e| match e {
        LoadError::Store(e) => (1, e.to_string()),
        LoadError::Refused(rows) => (
            2,
            format!(
                "the tenants database {} holds domains the CORS rules refuse, so none was put in force; \
                 fix or delete these rows (table tenant_domains) and start again:\n{}",
                path.display(),
                rows.join("\n")
            ),
        ),
    })
}

/// The shared table, created with its trigger when missing, and followed from its first full
/// load on: until the database answers, nothing listens.
async fn follow_postgres(conninfo: &str, config: tokio_postgres::Config) -> Result<Domains, (i32, String)> {
    let table = OriginsTable::new("tenant_domains", "origin").map_err(|e| (1, e.to_string()))?;
    let store = Postgres::open(config, &table.install_sql()).await.map_err(|e| (1, e.to_string()))?;
    let sync = OriginsSync::start(conninfo, table, TenantApps::origins()).await.map_err(|e| (1, e.to_string()))?;
    Ok(Domains::followed(Store::Postgres(Box::new(store)), TenantApps::origins(), sync))
}
