//! The trigger SQL against a real PostgreSQL 15: idempotent, one version and one notification
//! per changed row, delivered at commit with the exact payloads the sync reads, and nothing for
//! a rolled-back transaction.

#[path = "support/cluster.rs"]
mod cluster;

use cors_postgres::OriginsTable;

/// The payloads psql printed for the notifications its own session received.
fn payloads(psql_output: &str) -> Vec<&str> {
    psql_output
        .lines()
        .filter_map(|line| line.split_once(" with payload \"")?.1.split_once("\" received").map(|(p, _)| p))
        .collect()
}

#[test]
fn install_sql_is_idempotent_and_notifies_each_row_with_its_version_at_commit() {
    let db = cluster::Cluster::start();
    db.psql("CREATE TABLE tenant_domains (origin text, tenant text)");
    let table = OriginsTable::new("tenant_domains", "origin").unwrap();
    db.psql(&table.install_sql());
    db.psql(&table.install_sql());
    let version = || db.psql("SELECT version FROM cors_version_tenant_domains");
    assert_eq!(version(), "0");
    let triggers = "SELECT string_agg(tgname, ' ' ORDER BY tgname) FROM pg_trigger WHERE NOT tgisinternal";
    assert_eq!(db.psql(triggers), "cors_notify_tenant_domains cors_truncate_tenant_domains");

    // psql's own session LISTENs: it receives what the sync would, printed after each command.
    let listen = "LISTEN cors_origins_tenant_domains; ";
    let out =
        db.psql(&format!("{listen}INSERT INTO tenant_domains VALUES ('https://a.example', 't'), ('https://b b', 't')"));
    assert_eq!(payloads(&out), ["1 +https://a.example", "2 +https://b b"]);
    let out = db.psql(&format!("{listen}BEGIN; INSERT INTO tenant_domains VALUES ('https://c.example'); ROLLBACK;"));
    assert_eq!(payloads(&out), Vec::<&str>::new());
    assert_eq!(version(), "2");
    // An update of the origin is a delete and an insert; of another column, nothing.
    let out = db.psql(&format!(
        "{listen}UPDATE tenant_domains SET origin = 'https://a2.example' WHERE origin = 'https://a.example'"
    ));
    assert_eq!(payloads(&out), ["3 -https://a.example", "4 +https://a2.example"]);
    let out = db.psql(&format!("{listen}UPDATE tenant_domains SET tenant = 'u'"));
    assert_eq!(payloads(&out), Vec::<&str>::new());
    // What a notification cannot carry makes the followers reload.
    let long = format!("https://{}.example", "a".repeat(7_900));
    let out = db.psql(&format!(
        "{listen}INSERT INTO tenant_domains VALUES (NULL, 't'), ('{long}', 't'); DELETE FROM tenant_domains WHERE origin = 'https://b b'; TRUNCATE tenant_domains"
    ));
    assert_eq!(payloads(&out), ["5 reload", "6 reload", "7 -https://b b", "8 reload"]);
    assert_eq!(version(), "8");
}

#[tokio::test]
async fn the_cluster_serves_tokio_postgres_and_restarts_on_its_port() {
    let db = cluster::Cluster::start();
    let client = db.client().await;
    let row = client.query_one("SELECT 1 + 1", &[]).await.unwrap();
    assert_eq!(row.get::<_, i32>(0), 2);
    db.restart();
    assert!(client.query_one("SELECT 1", &[]).await.is_err());
    let again = db.client().await;
    let row = again.query_one("SELECT current_setting('port')", &[]).await.unwrap();
    assert_eq!(row.get::<_, String>(0), db.port().to_string());
}
