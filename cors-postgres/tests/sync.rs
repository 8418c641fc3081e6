//! `OriginsSync` against a real PostgreSQL 15 (DESIGN §10.1): followers kept equal to the
//! table's valid rows through SQL changes, bursts, refused rows and faults. Each test has its own
//! cluster and its own policies (a policy's list is a static).

#[path = "support/cluster.rs"]
mod cluster;

use std::time::Duration;

use cluster::{wait_until, Cluster};
use cors_postgres::{OriginsSync, OriginsTable, SyncOptions};
use cors_runtime::{cors_policy, DynamicOrigins};

const SCHEMA: &str = "CREATE TABLE tenant_domains (origin text PRIMARY KEY, tenant text NOT NULL DEFAULT 't')";

fn table() -> OriginsTable {
    OriginsTable::new("tenant_domains", "origin").unwrap()
}

/// The bound of DESIGN §10.1 after any fault: equal to the table within 5 s.
const FIVE_SECONDS: Duration = Duration::from_secs(5);

fn equal(origins: &DynamicOrigins, expected: &[&str]) -> bool {
    origins.list() == expected
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_followers_see_every_commit_and_no_rollback() {
    #[cors_policy(origins = dynamic, credentials)]
    pub struct First;
    #[cors_policy(origins = dynamic, credentials)]
    pub struct Second;
    #[cors_policy(origins = dynamic, credentials)]
    pub struct Third;

    let db = Cluster::start();
    db.psql(SCHEMA);
    db.psql("INSERT INTO tenant_domains (origin) VALUES ('https://shop.acme.example')");
    let followers = [First::origins(), Second::origins(), Third::origins()];
    let mut syncs = Vec::new();
    for origins in followers {
        syncs.push(OriginsSync::start(&db.conninfo(), table(), origins).await.unwrap());
    }
    // `start` returns after the first full load, and installed the trigger (it was missing).
    for origins in followers {
        assert_eq!(origins.list(), ["https://shop.acme.example"]);
    }
    assert_eq!(db.psql("SELECT count(*) FROM pg_trigger WHERE tgname = 'cors_notify_tenant_domains'"), "1");
    let status = syncs[0].status();
    assert!(status.connected && status.stale_since.is_none() && status.last_loaded.is_some(), "{status:?}");
    assert_eq!((status.in_force, status.loads, status.changes), (1, 1, 0));

    db.psql("INSERT INTO tenant_domains (origin) VALUES ('https://*.tenants.example')");
    let expected = ["https://*.tenants.example", "https://shop.acme.example"];
    assert!(wait_until(FIVE_SECONDS, || followers.iter().all(|o| equal(o, &expected))));

    db.psql("BEGIN; INSERT INTO tenant_domains (origin) VALUES ('https://rolled.back.example'); ROLLBACK;");
    db.psql("DELETE FROM tenant_domains WHERE origin = 'https://*.tenants.example'");
    assert!(wait_until(FIVE_SECONDS, || followers.iter().all(|o| equal(o, &["https://shop.acme.example"]))));

    // 1,000 changes in one transaction: applied as changes, not by reading the table again.
    let before = syncs[0].status();
    db.psql(
        "INSERT INTO tenant_domains (origin) SELECT 'https://t' || n || '.shops.example' FROM generate_series(1, 1000) n",
    );
    assert!(wait_until(FIVE_SECONDS, || followers.iter().all(|o| o.len() == 1001)));
    let after = syncs[0].status();
    assert_eq!((after.loads, after.changes - before.changes), (before.loads, 1000));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_single_row_commits_are_applied_as_changes_without_a_reload() {
    #[cors_policy(origins = dynamic)]
    pub struct Commits;

    let db = Cluster::start();
    db.psql(SCHEMA);
    // No reconcile during the test: it would reload whenever commits are still in flight.
    let options = SyncOptions { reconcile_every: Duration::from_secs(3600), ..SyncOptions::default() };
    let sync = OriginsSync::start_with(&db.conninfo(), table(), Commits::origins(), options).await.unwrap();
    let writer = db.client().await;
    let insert = writer.prepare("INSERT INTO tenant_domains (origin) VALUES ($1)").await.unwrap();
    for n in 0..10_000 {
        writer.execute(&insert, &[&format!("https://c{n}.commits.example")]).await.unwrap();
    }
    assert!(wait_until(FIVE_SECONDS, || Commits::origins().len() == 10_000), "{}", Commits::origins().len());
    assert!(wait_until(FIVE_SECONDS, || sync.status().changes == 10_000), "{:?}", sync.status());
    assert_eq!(sync.status().loads, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_are_counted_by_value_and_what_a_notification_cannot_tell_reloads() {
    #[cors_policy(origins = dynamic, credentials)]
    pub struct Counted;

    let db = Cluster::start();
    // No primary key: two tenants may store the same origin.
    db.psql("CREATE TABLE tenant_domains (origin text, tenant text NOT NULL DEFAULT 't')");
    db.psql("INSERT INTO tenant_domains (origin) VALUES ('https://a.example'), ('https://a.example')");
    let options = SyncOptions { reconcile_every: Duration::from_secs(3600), ..SyncOptions::default() };
    let sync = OriginsSync::start_with(&db.conninfo(), table(), Counted::origins(), options).await.unwrap();
    let origins = Counted::origins();
    let settled = |loads: u64, changes: u64| {
        wait_until(FIVE_SECONDS, || {
            let status = sync.status();
            (status.loads, status.changes) == (loads, changes)
        })
    };
    let one_row = "ctid = (SELECT ctid FROM tenant_domains WHERE origin = 'https://a.example' LIMIT 1)";

    // One of the two rows deleted: the origin is still held.
    db.psql(&format!("DELETE FROM tenant_domains WHERE {one_row}"));
    assert!(settled(1, 1));
    assert_eq!(origins.list(), ["https://a.example"]);
    // The last one updated to a typo: out of force, refused with its rule; then corrected.
    db.psql(&format!("UPDATE tenant_domains SET origin = 'https://A2.example' WHERE {one_row}"));
    assert!(settled(1, 3));
    assert!(origins.is_empty());
    let refused = sync.status().refused;
    assert_eq!(refused.len(), 1);
    assert_eq!(
        (refused[0].entry.as_str(), refused[0].reason.clone()),
        ("https://A2.example", origins.check("https://A2.example").unwrap_err().to_string())
    );
    db.psql("UPDATE tenant_domains SET origin = 'https://a2.example'");
    assert!(settled(1, 5));
    assert_eq!(origins.list(), ["https://a2.example"]);
    assert!(sync.status().refused.is_empty());

    // A NULL, a TRUNCATE, a gap in the versions, an older trigger's empty payload: each is one
    // full load, and the list equals the table after it.
    db.psql("INSERT INTO tenant_domains (origin) VALUES (NULL)");
    assert!(settled(2, 5));
    assert_eq!(sync.status().refused[0].entry, "NULL");
    db.psql("TRUNCATE tenant_domains");
    assert!(settled(3, 5));
    assert!(origins.is_empty() && sync.status().refused.is_empty());
    db.psql("UPDATE cors_version_tenant_domains SET version = version + 5");
    db.psql("INSERT INTO tenant_domains (origin) VALUES ('https://b.example')");
    assert!(settled(4, 5));
    assert_eq!(origins.list(), ["https://b.example"]);
    db.psql("INSERT INTO tenant_domains (origin) VALUES ('https://c.example')");
    assert!(settled(4, 6));
    db.psql("NOTIFY cors_origins_tenant_domains");
    assert!(settled(5, 6));
    assert_eq!(origins.list(), ["https://b.example", "https://c.example"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_row_is_left_out_reported_and_gone_once_deleted() {
    #[cors_policy(origins = dynamic, credentials)]
    pub struct Refusing;

    let db = Cluster::start();
    db.psql(SCHEMA);
    db.psql("INSERT INTO tenant_domains (origin) VALUES ('https://shop.acme.example')");
    let sync = OriginsSync::start(&db.conninfo(), table(), Refusing::origins()).await.unwrap();
    // A program that skips the checks writes a typo, and an http:// origin on a credentialed policy.
    db.psql("INSERT INTO tenant_domains (origin) VALUES ('https://Shop.globex.example'), ('http://plain.example')");
    assert!(wait_until(FIVE_SECONDS, || sync.status().refused.len() == 2));
    let status = sync.status();
    assert_eq!(Refusing::origins().list(), ["https://shop.acme.example"]);
    assert_eq!(status.in_force, 1);
    let expected = |entry: &str| Refusing::origins().check(entry).unwrap_err().to_string();
    let refused: Vec<(&str, &str)> = status.refused.iter().map(|r| (r.entry.as_str(), r.reason.as_str())).collect();
    assert_eq!(
        refused,
        [
            ("http://plain.example", expected("http://plain.example").as_str()),
            ("https://Shop.globex.example", expected("https://Shop.globex.example").as_str()),
        ]
    );
    assert_eq!(
        status.refused[1].reason,
        "origin `https://Shop.globex.example` has uppercase letters: browsers send `https://shop.globex.example`"
    );
    db.psql("DELETE FROM tenant_domains WHERE origin LIKE '%Shop%' OR origin LIKE 'http:%'");
    assert!(wait_until(FIVE_SECONDS, || sync.status().refused.is_empty()));
    assert_eq!(Refusing::origins().list(), ["https://shop.acme.example"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_connections_restarts_and_outages_end_equal_to_the_table() {
    #[cors_policy(origins = dynamic)]
    pub struct Faults;

    let db = Cluster::start();
    db.psql(SCHEMA);
    db.psql("INSERT INTO tenant_domains (origin) VALUES ('https://a.example')");
    let options = SyncOptions { backoff_first: Duration::from_millis(50), ..SyncOptions::default() };
    let sync = OriginsSync::start_with(&db.conninfo(), table(), Faults::origins(), options).await.unwrap();
    let origins = Faults::origins();

    // The listening connection killed, and a change committed before it reconnects: NOTIFY is not
    // replayed, so only the reload on reconnection brings it.
    assert_eq!(db.terminate_listeners(), 1);
    db.psql("INSERT INTO tenant_domains (origin) VALUES ('https://b.example')");
    assert!(wait_until(FIVE_SECONDS, || equal(origins, &["https://a.example", "https://b.example"])));
    assert!(wait_until(FIVE_SECONDS, || sync.status().connected));

    // The server restarted, with changes while it was down... written once it is back up, before
    // the sync's backoff ends.
    db.restart();
    db.psql("DELETE FROM tenant_domains WHERE origin = 'https://a.example'");
    assert!(wait_until(FIVE_SECONDS, || equal(origins, &["https://b.example"])));

    // The server stopped: the list in force keeps answering, the status says since when it is stale.
    db.stop();
    assert!(wait_until(FIVE_SECONDS, || !sync.status().connected));
    let status = sync.status();
    assert!(status.stale_since.is_some(), "{status:?}");
    assert!(status.last_error.is_some(), "{status:?}");
    for _ in 0..100 {
        assert_eq!(origins.list(), ["https://b.example"]);
    }
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(origins.list(), ["https://b.example"]);
    db.pg_ctl_start();
    db.psql("INSERT INTO tenant_domains (origin) VALUES ('https://c.example')");
    assert!(wait_until(FIVE_SECONDS, || equal(origins, &["https://b.example", "https://c.example"])));
    assert!(wait_until(FIVE_SECONDS, || sync.status().stale_since.is_none()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_fails_naming_the_database_host_and_cause() {
    #[cors_policy(origins = dynamic)]
    pub struct Failing;

    let db = Cluster::start();
    let port = db.port();
    // The table is missing.
    let error = OriginsSync::start(&db.conninfo(), table(), Failing::origins()).await.unwrap_err().to_string();
    assert!(
        error.starts_with(&format!(
            "CORS origins from PostgreSQL (database `postgres` on 127.0.0.1:{port}): cannot read the origins: "
        )),
        "{error}"
    );
    assert!(error.contains("relation \"tenant_domains\" does not exist"), "{error}");

    // The trigger is missing and may not be installed: the error holds the SQL to run.
    db.psql(SCHEMA);
    let no_install = SyncOptions { install_trigger: false, ..SyncOptions::default() };
    let error =
        OriginsSync::start_with(&db.conninfo(), table(), Failing::origins(), no_install).await.unwrap_err().to_string();
    assert!(error.contains("the change trigger is not installed; run this SQL (e.g. in a migration):\n"), "{error}");
    assert!(error.ends_with(&table().install_sql()), "{error}");

    // The server is down.
    db.stop();
    let error = OriginsSync::start(&db.conninfo(), table(), Failing::origins()).await.unwrap_err().to_string();
    assert!(
        error.starts_with(&format!(
            "CORS origins from PostgreSQL (database `postgres` on 127.0.0.1:{port}): cannot connect: "
        )),
        "{error}"
    );
    assert!(error.contains("Connection refused"), "{error}");

    let error = OriginsSync::start("host=127.0.0.1 port=notaport", table(), Failing::origins()).await.unwrap_err();
    assert!(error.to_string().starts_with("CORS origins from PostgreSQL (the connection string): cannot be read: "));
    assert!(Failing::origins().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reconcile_loads_again_when_the_version_moved_without_a_notification() {
    #[cors_policy(origins = dynamic)]
    pub struct Reconciled;

    let db = Cluster::start();
    db.psql(SCHEMA);
    let options = SyncOptions { reconcile_every: Duration::from_millis(300), ..SyncOptions::default() };
    let sync = OriginsSync::start_with(&db.conninfo(), table(), Reconciled::origins(), options).await.unwrap();
    // A write with the trigger disabled, as a bulk import might do: no notification at all.
    db.psql(
        "BEGIN; ALTER TABLE tenant_domains DISABLE TRIGGER cors_notify_tenant_domains; \
         INSERT INTO tenant_domains (origin) VALUES ('https://silent.example'); \
         UPDATE cors_version_tenant_domains SET version = version + 1; \
         ALTER TABLE tenant_domains ENABLE TRIGGER cors_notify_tenant_domains; COMMIT;",
    );
    assert!(wait_until(FIVE_SECONDS, || equal(Reconciled::origins(), &["https://silent.example"])));
    assert_eq!(sync.status().loads, 2);
    // While the version stands still, the reconcile loads nothing.
    std::thread::sleep(Duration::from_millis(1000));
    assert_eq!(sync.status().loads, 2);
}
