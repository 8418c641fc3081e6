//! The `tenants` example with `--postgres` (DESIGN §10.1): the built binary as three replicas on
//! three loopback ports sharing one real PostgreSQL 15 database, changed through each replica's
//! admin API and with plain SQL, and the database stopped and started under them.

use std::net::TcpStream;
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use cors_examples::{curl, curl_json, curl_preflight};
use serde_json::{json, Value};

use super::postgres_cluster::Cluster;
use super::tenants::{assert_allowed_preflight_from, assert_refused, run, Answer, SHOP};
use super::{example_binary, free_port, start_with, Running, ONE_AT_A_TIME};

/// How long other replicas may take to follow a committed change (§10.1).
const FOLLOW_BOUND: Duration = Duration::from_secs(2);
const TOKEN: &str = "Authorization: Bearer admin-token";

struct Replica {
    running: Running,
    port: u16,
}

impl Replica {
    fn preflight(&self, origin: &str) -> Answer {
        run(&curl_preflight(&format!("http://127.0.0.1:{}/api/orders", self.port), origin, "POST", "content-type"))
    }

    fn add(&self, tenant: &str, origin: &str) -> Answer {
        let body = format!("{{\"tenant\":\"{tenant}\",\"origin\":\"{origin}\"}}");
        run(&curl_json("POST", &self.admin(""), &[TOKEN], &body))
    }

    fn remove(&self, origin: &str) -> Answer {
        run(&curl("DELETE", &format!("'{}'", self.admin(&format!("?origin={origin}"))), &[TOKEN]))
    }

    fn list(&self) -> Value {
        let listed = run(&curl("GET", &self.admin(""), &[TOKEN]));
        assert_eq!(listed.status, "HTTP/1.1 200 OK", "{}", listed.body);
        listed.json()
    }

    fn admin(&self, query: &str) -> String {
        format!("http://127.0.0.1:{}/admin/tenants{query}", self.port)
    }
}

/// `count` replicas of the example on one database, started at once.
fn replicas(cluster: &Cluster, count: usize) -> Vec<Replica> {
    let starting: Vec<_> = (0..count)
        .map(|_| {
            let (port, conninfo) = (free_port(), cluster.conninfo());
            thread::spawn(move || {
                let running = start_with("tenants", &["--port", &port.to_string(), "--postgres", &conninfo], &[]);
                Replica { running, port }
            })
        })
        .collect();
    starting.into_iter().map(|s| s.join().expect("a replica came up")).collect()
}

/// Polls until `allowed` holds on every replica, within [`FOLLOW_BOUND`] of `since`.
fn all_follow(replicas: &[&Replica], since: Instant, what: &str, holds: impl Fn(&Replica) -> bool) {
    for replica in replicas {
        while !holds(replica) {
            assert!(since.elapsed() < FOLLOW_BOUND, "replica on {} did not follow ({what}) within 2 s", replica.port);
            thread::sleep(Duration::from_millis(20));
        }
    }
}

fn allowed(replica: &Replica, origin: &str) -> bool {
    let answer = replica.preflight(origin);
    if answer.status == "HTTP/1.1 204 No Content" {
        assert_allowed_preflight_from(&answer, origin);
        return true;
    }
    assert_refused(&answer);
    false
}

const GLOBEX: &str = "https://shop.globex.example";
const TYPO: &str = "https://Shop.initech.example/";
const TYPO_RULE: &str =
    "origin `https://Shop.initech.example/` has uppercase letters and a trailing `/`: an origin is scheme, host and port only; browsers send `https://shop.initech.example`";

#[test]
fn three_replicas_on_a_fresh_database_follow_every_change_through_any_replica_and_plain_sql() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let cluster = Cluster::start();
    // Started at once on a database without the table: all three come up.
    let replicas = replicas(&cluster, 3);
    let [a, b, c] = [&replicas[0], &replicas[1], &replicas[2]];
    assert_eq!(cluster.psql("SELECT count(*) FROM tenant_domains"), "0");

    // Through A's admin API: A allows the next preflight at once, B and C within the bound.
    assert_refused(&b.preflight(SHOP));
    let added = a.add("acme", SHOP);
    let committed = Instant::now();
    assert_eq!(added.status, "HTTP/1.1 201 Created");
    assert_eq!(added.json(), json!({"added": true, "tenant": "acme", "origin": SHOP, "origins_in_force": 1}));
    assert_allowed_preflight_from(&a.preflight(SHOP), SHOP);
    all_follow(&[b, c], committed, "A's insert", |r| allowed(r, SHOP));
    // Sent again through C: already there; another tenant through B: 409.
    assert_eq!(c.add("acme", SHOP).json()["added"], json!(false));
    assert_eq!(b.add("globex", SHOP).status, "HTTP/1.1 409 Conflict");

    // A typo through any replica: the 422 of the SQLite mode, and nothing stored.
    let typo = b.add("initech", TYPO);
    assert_eq!(typo.status, "HTTP/1.1 422 Unprocessable Entity");
    assert_eq!(typo.json(), json!({"added": false, "origin": TYPO, "problems": [TYPO_RULE]}));
    assert_eq!(cluster.psql("SELECT origin FROM tenant_domains ORDER BY origin"), SHOP);

    // A DELETE through B: B refuses at once, A and C within the bound.
    let removed = b.remove(SHOP);
    let committed = Instant::now();
    assert_eq!(removed.status, "HTTP/1.1 200 OK");
    assert_eq!(removed.json(), json!({"removed": true, "tenant": "acme", "origin": SHOP, "origins_in_force": 0}));
    assert_refused(&b.preflight(SHOP));
    all_follow(&[a, c], committed, "B's delete", |r| !allowed(r, SHOP));

    // Plain SQL, as psql, a migration or another program writes: an INSERT and a DELETE. The
    // walkthrough prints that INSERT, and the preflight on this port and the next.
    let printed = &a.running.printed;
    let insert = format!("INSERT INTO tenant_domains (origin, tenant) VALUES ('{GLOBEX}', 'globex')");
    let psql = format!("psql 'host=127.0.0.1 port={} user=postgres dbname=postgres' -c \"{insert}\"", cluster.port());
    assert!(printed.contains(&psql), "{printed:#?}");
    let commands = &a.running.curl_commands;
    assert_eq!(commands.len(), 10, "{commands:#?}");
    assert!(commands[9].contains(&format!("http://127.0.0.1:{}/api/orders", a.port + 1)), "{}", commands[9]);
    cluster.psql(&insert);
    all_follow(&[a, b, c], Instant::now(), "an SQL insert", |r| allowed(r, GLOBEX));
    assert_allowed_preflight_from(&run(&commands[8]), GLOBEX);
    cluster.psql(&format!("DELETE FROM tenant_domains WHERE origin = '{GLOBEX}'"));
    all_follow(&[a, b, c], Instant::now(), "an SQL delete", |r| !allowed(r, GLOBEX));

    // A row the rules refuse, written by SQL: listed with its rule on every replica, left out,
    // and the other tenants keep working.
    assert_eq!(a.add("acme", SHOP).status, "HTTP/1.1 201 Created");
    cluster.psql(&format!("INSERT INTO tenant_domains (origin, tenant) VALUES ('{TYPO}', 'initech')"));
    let refused = json!([{"tenant": "initech", "origin": TYPO, "problem": TYPO_RULE}]);
    all_follow(&[a, b, c], Instant::now(), "the refused row", |r| r.list()["refused"] == refused);
    for replica in [a, b, c] {
        let listed = replica.list();
        assert_eq!(listed["origins_in_force"], json!([SHOP]), "{listed}");
        let stored: Vec<&Value> = listed["domains"].as_array().unwrap().iter().map(|d| &d["origin"]).collect();
        assert_eq!(stored, [&json!(SHOP), &json!(TYPO)]);
        assert_eq!(listed["sync"]["connected"], json!(true));
        assert_eq!(listed["sync"]["stale_since"], Value::Null);
        assert_allowed_preflight_from(&replica.preflight(SHOP), SHOP);
    }
    // Deleted (here through C's admin API): no longer listed anywhere.
    assert_eq!(c.remove(TYPO).status, "HTTP/1.1 200 OK");
    all_follow(&[a, b, c], Instant::now(), "the refused row's delete", |r| r.list()["refused"] == json!([]));
}

#[test]
fn while_the_database_is_down_preflights_are_answered_and_admin_writes_are_503_with_nothing_stored() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let cluster = Cluster::start();
    let replicas = replicas(&cluster, 2);
    let [a, b] = [&replicas[0], &replicas[1]];
    assert_eq!(a.add("acme", SHOP).status, "HTTP/1.1 201 Created");
    all_follow(&[b], Instant::now(), "A's insert", |r| allowed(r, SHOP));

    cluster.stop();
    let stopped = Instant::now();
    // Preflights keep coming and keep their answers: no 5xx.
    while stopped.elapsed() < Duration::from_secs(1) {
        for replica in [a, b] {
            assert_allowed_preflight_from(&replica.preflight(SHOP), SHOP);
            assert_refused(&replica.preflight(GLOBEX));
        }
    }
    let unreachable = format!(
        "the tenants database `postgres` on 127.0.0.1:{}: cannot connect: error connecting to server: Connection refused (os error 111); nothing was changed, try again later",
        cluster.port()
    );
    for replica in [a, b] {
        let added = replica.add("globex", GLOBEX);
        assert_eq!(added.status, "HTTP/1.1 503 Service Unavailable");
        assert_eq!(added.json(), json!({"error": unreachable}));
        let removed = replica.remove(SHOP);
        assert_eq!(removed.status, "HTTP/1.1 503 Service Unavailable");
        assert_eq!(removed.json(), json!({"error": unreachable}));
        assert_allowed_preflight_from(&replica.preflight(SHOP), SHOP);
        assert_refused(&replica.preflight(GLOBEX));
    }
    // The sync says since when the list is stale.
    let listed = run(&curl("GET", &b.admin(""), &[TOKEN]));
    assert_eq!(listed.status, "HTTP/1.1 503 Service Unavailable");
    assert_eq!(listed.json()["origins_in_force"], json!([SHOP]));
    assert_eq!(listed.json()["sync"]["connected"], json!(false));
    assert!(listed.json()["sync"]["stale_since"].is_string(), "{}", listed.body);

    // A replica started now exits with the message, and nothing listens on its port.
    let port = free_port();
    let output = Command::new(example_binary("tenants"))
        .args(["--port", &port.to_string(), "--postgres", &cluster.conninfo()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).lines().last(),
        Some(
            format!(
                "tenants: the tenants database `postgres` on 127.0.0.1:{}: cannot connect: error connecting to server: Connection refused (os error 111)",
                cluster.port()
            )
            .as_str()
        )
    );
    assert!(!String::from_utf8_lossy(&output.stdout).contains("listening on"));
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());

    // Started again: nothing was half-stored, and writes work on both replicas.
    cluster.pg_ctl_start();
    assert_eq!(cluster.psql("SELECT origin FROM tenant_domains ORDER BY origin"), SHOP);
    let added = b.add("globex", GLOBEX);
    let committed = Instant::now();
    assert_eq!(added.status, "HTTP/1.1 201 Created", "{}", added.body);
    assert_allowed_preflight_from(&b.preflight(GLOBEX), GLOBEX);
    all_follow(&[a], committed, "B's insert after the restart", |r| allowed(r, GLOBEX));
    assert_eq!(a.remove(SHOP).status, "HTTP/1.1 200 OK");
    all_follow(&[b], Instant::now(), "A's delete after the restart", |r| !allowed(r, SHOP));
}

/// docs/deployment.md shows the trigger's SQL for a migration: the very text `install_sql()`
/// returns, so the two cannot drift apart.
#[test]
fn the_deployment_doc_shows_the_sql_install_sql_returns() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/deployment.md")).unwrap();
    let (_, after) = doc
        .split_once("<!-- install_sql: tenant_domains, origin -->\n```sql\n")
        .expect("docs/deployment.md marks the trigger's SQL block");
    let (shown, _) = after.split_once("```").expect("the SQL block ends");
    let sql = cors_postgres::OriginsTable::new("tenant_domains", "origin").unwrap().install_sql();
    assert_eq!(shown.trim_end(), sql.trim_end(), "docs/deployment.md's block should read:\n{sql}");
}
