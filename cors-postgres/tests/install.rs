//! The trigger SQL against a real PostgreSQL 15: idempotent, bumps the version per statement,
//! notifies at commit, and a rolled-back transaction bumps nothing.

#[path = "support/cluster.rs"]
mod cluster;

use cors_postgres::OriginsTable;

#[test]
fn install_sql_is_idempotent_and_bumps_per_statement_only_on_commit() {
    let db = cluster::Cluster::start();
    db.psql("CREATE TABLE tenant_domains (origin text PRIMARY KEY)");
    let table = OriginsTable::new("tenant_domains", "origin").unwrap();
    db.psql(&table.install_sql());
    db.psql(&table.install_sql());
    let version = || db.psql("SELECT version FROM cors_version_tenant_domains");
    assert_eq!(version(), "0");
    db.psql("INSERT INTO tenant_domains VALUES ('https://a.example'), ('https://b.example')");
    assert_eq!(version(), "1");
    db.psql("BEGIN; INSERT INTO tenant_domains VALUES ('https://c.example'); ROLLBACK;");
    assert_eq!(version(), "1");
    db.psql("TRUNCATE tenant_domains");
    assert_eq!(version(), "2");
    assert_eq!(db.psql("SELECT count(*) FROM pg_trigger WHERE tgname = 'cors_notify_tenant_domains'"), "1");
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
