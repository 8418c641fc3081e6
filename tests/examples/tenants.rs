//! The `tenants` example (DESIGN §9.1): its printed curl commands against a real SQLite file,
//! a restart on the same file, and the start-up errors a user can cause with `--db`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

use super::{example_binary, free_port, has, run_curl_with_body, start_with, Running, ONE_AT_A_TIME};

pub(super) const SHOP: &str = "https://shop.acme.example";

/// A database path of its own for one test, removed (with SQLite's side files) when dropped.
struct TempDb(PathBuf);

impl TempDb {
    fn new(test: &str) -> TempDb {
        let db = TempDb(std::env::temp_dir().join(format!("cors-examples-{}-{test}.db", std::process::id())));
        db.remove();
        db
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("the temp folder's path is UTF-8")
    }

    fn remove(&self) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        self.remove();
    }
}

fn start_tenants(db: &TempDb) -> Running {
    start_with("tenants", &["--port", &free_port().to_string(), "--db", db.path()], &[])
}

/// Status line, headers (lowercase) and body of a printed command.
pub(super) struct Answer {
    pub(super) status: String,
    pub(super) headers: Vec<String>,
    pub(super) body: String,
}

impl Answer {
    pub(super) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }

    fn has(&self, header: &str) -> bool {
        has(&self.headers, header)
    }

    fn cors_headers(&self) -> Vec<&String> {
        self.headers.iter().filter(|h| h.starts_with("access-control-")).collect()
    }
}

pub(super) fn run(command: &str) -> Answer {
    let (status, headers, body) = run_curl_with_body(command);
    Answer { status, headers, body }
}

const REFUSED_PREFLIGHT: &str = "CORS preflight rejected: origin not allowed\n";

pub(super) fn assert_refused(answer: &Answer) {
    assert_eq!(answer.status, "HTTP/1.1 403 Forbidden");
    assert_eq!(answer.cors_headers(), Vec::<&String>::new());
    assert_eq!(answer.body, REFUSED_PREFLIGHT);
}

fn assert_allowed_preflight(answer: &Answer) {
    assert_allowed_preflight_from(answer, SHOP);
}

/// A preflight from `origin` for `POST` with `content-type`, allowed.
pub(super) fn assert_allowed_preflight_from(answer: &Answer, origin: &str) {
    assert_eq!(answer.status, "HTTP/1.1 204 No Content", "{}", answer.body);
    assert_eq!(
        answer.cors_headers(),
        [
            format!("access-control-allow-origin: {origin}").as_str(),
            "access-control-allow-credentials: true",
            "access-control-allow-methods: post",
            "access-control-allow-headers: content-type",
            "access-control-max-age: 60",
        ]
    );
    assert!(answer.has("vary: origin, access-control-request-method, access-control-request-headers"));
}

#[test]
fn tenants_answers_the_curl_commands_it_prints_and_a_restart_keeps_the_tenant() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let db = TempDb::new("tenants-walkthrough");
    let first = start_tenants(&db);
    let commands = first.curl_commands.clone();
    assert_eq!(commands.len(), 8, "{commands:#?}");
    assert!(first.printed.iter().any(|l| l.starts_with(&format!(
        "Tenants' domains are stored in {} (0 domain(s) of 0 tenant(s) loaded, 0 origin(s) in force)",
        db.path()
    ))));
    assert!(first.printed.iter().any(|l| l.contains("Authorization: Bearer admin-token")), "the token is said");

    // 1. Not a tenant yet: the preflight is refused.
    assert_refused(&run(&commands[0]));
    // 2. The tenant adds the domain.
    let added = run(&commands[1]);
    assert_eq!(added.status, "HTTP/1.1 201 Created");
    assert_eq!(added.json(), json!({"added": true, "tenant": "acme", "origin": SHOP, "origins_in_force": 1}));
    assert!(added.cors_headers().is_empty(), "the admin API has no CORS: {:?}", added.headers);
    // 3. The same preflight, allowed.
    assert_eq!(commands[2], commands[0]);
    assert_allowed_preflight(&run(&commands[2]));
    // 4. The request itself: readable by the shop, with credentials and the exposed headers.
    let order = run(&commands[3]);
    assert_eq!(order.status, "HTTP/1.1 201 Created");
    assert_eq!(
        order.cors_headers(),
        [
            "access-control-allow-origin: https://shop.acme.example",
            "access-control-allow-credentials: true",
            "access-control-expose-headers: etag, x-request-id",
        ]
    );
    assert!(order.has("x-request-id: req-2") && order.has("vary: origin"));
    assert_eq!(order.body, "{\"item\":\"tea\"}");
    // 5. A typo: 422 with the rule and the fix, nothing stored, nothing in force.
    let typo = run(&commands[4]);
    assert_eq!(typo.status, "HTTP/1.1 422 Unprocessable Entity");
    assert_eq!(
        typo.json(),
        json!({
            "added": false,
            "origin": "https://Shop.acme.example/",
            "problems": ["origin `https://Shop.acme.example/` has uppercase letters and a trailing `/`: an origin is scheme, host and port only; browsers send `https://shop.acme.example`"],
        })
    );
    // 6. Stored and in force: the shop's domain alone.
    let listed = run(&commands[5]);
    assert_eq!(listed.status, "HTTP/1.1 200 OK");
    let listed = listed.json();
    assert_eq!(listed["origins_in_force"], json!([SHOP]));
    let domains = listed["domains"].as_array().unwrap();
    assert_eq!(domains.len(), 1, "{listed}");
    assert_eq!((&domains[0]["tenant"], &domains[0]["origin"]), (&json!("acme"), &json!(SHOP)));
    let added_at = domains[0]["added_at"].as_str().unwrap();
    assert!(added_at.len() == 20 && added_at.starts_with("20") && added_at.ends_with('Z'), "{added_at}");

    // Adding it again is a no-op; another tenant cannot take it.
    let again = run(&commands[1]);
    assert_eq!(again.status, "HTTP/1.1 200 OK");
    assert_eq!(again.json(), json!({"added": false, "tenant": "acme", "origin": SHOP, "origins_in_force": 1}));
    let taken = run(&commands[1].replace("\"tenant\":\"acme\"", "\"tenant\":\"globex\""));
    assert_eq!(taken.status, "HTTP/1.1 409 Conflict");
    assert_eq!(
        taken.json(),
        json!({
            "added": false,
            "origin": SHOP,
            "owner": "acme",
            "problems": ["origin `https://shop.acme.example` belongs to tenant `acme`: a domain has one tenant; remove it there first (DELETE /admin/tenants?origin=https://shop.acme.example)"],
        })
    );
    // Without the admin token: 401, nothing changes.
    let no_token = run(&commands[4].replace(" -H 'Authorization: Bearer admin-token'", ""));
    assert_eq!(no_token.status, "HTTP/1.1 401 Unauthorized");
    assert!(no_token.has("www-authenticate: bearer"));

    // The route table as JSON, from the same file while the service runs: the origins in force.
    let table = Command::new(example_binary("tenants")).args(["--routes-json", "--db", db.path()]).output().unwrap();
    assert!(table.status.success(), "{}", String::from_utf8_lossy(&table.stderr));
    let table: Value = serde_json::from_slice(&table.stdout).unwrap();
    assert_eq!(
        table["routes"][1],
        json!({
            "method": "POST", "path": "/api/orders", "handler": "create", "policy": "TenantApps", "public": false,
            "origins": [SHOP], "origins_env": null, "origins_dynamic": true, "credentials": true,
            "headers": ["authorization", "content-type"], "expose": ["etag", "x-request-id"],
            "max_age": 60, "private_network": false, "strict": false
        })
    );

    // A restart on the same file: the tenant is still allowed.
    drop(first);
    let second = start_tenants(&db);
    assert!(second.printed.iter().any(|l| l.contains("(1 domain(s) of 1 tenant(s) loaded, 1 origin(s) in force)")));
    assert!(second.printed.iter().any(|l| l.starts_with("1. The shop's page asks to POST JSON: allowed (204)")));
    let commands = second.curl_commands.clone();
    assert_allowed_preflight(&run(&commands[0]));
    // 7. Removed: stored no more, and the next preflight is refused.
    let removed = run(&commands[6]);
    assert_eq!(removed.status, "HTTP/1.1 200 OK");
    assert_eq!(removed.json(), json!({"removed": true, "tenant": "acme", "origin": SHOP, "origins_in_force": 0}));
    assert_refused(&run(&commands[7]));
    let gone = run(&commands[6]);
    assert_eq!(gone.status, "HTTP/1.1 404 Not Found");
    assert_eq!(
        gone.json(),
        json!({
            "removed": false,
            "origin": SHOP,
            "problems": ["no tenant has the domain `https://shop.acme.example`: GET /admin/tenants lists them, exactly as stored"],
        })
    );
    // And a restart after the removal does not bring it back.
    drop(second);
    let third = start_tenants(&db);
    assert_refused(&run(&third.curl_commands[0]));
}

/// What a failed start printed: exit code, stdout, stderr.
fn fail_to_start(args: &[&str]) -> (Option<i32>, String, String) {
    let mut command = Command::new(example_binary("tenants"));
    let output = command.args(["--port", &free_port().to_string()]).args(args).output().expect("tenants runs");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (output.status.code(), text(&output.stdout), text(&output.stderr))
}

#[test]
fn tenants_says_what_is_wrong_with_its_database_and_does_not_listen() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // A folder that does not exist: no folder is created for a typo.
    let missing = std::env::temp_dir().join(format!("cors-examples-{}-no-such-folder", std::process::id()));
    let path = missing.join("tenants.db");
    let (code, stdout, stderr) = fail_to_start(&["--db", path.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr,
        format!(
            "tenants: the tenants database {}: the folder {} does not exist; create it or choose another --db\n",
            path.display(),
            missing.display()
        )
    );
    assert!(!stdout.contains("listening on") && !missing.exists());

    // A file that is not a SQLite database.
    let not_sqlite = TempDb::new("not-sqlite");
    std::fs::write(&not_sqlite.0, "origin,tenant\nhttps://shop.acme.example,acme\n".repeat(20)).unwrap();
    let (code, _, stderr) = fail_to_start(&["--db", not_sqlite.path()]);
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr,
        format!(
            "tenants: the tenants database {}: cannot create or update its table: file is not a database\n",
            not_sqlite.path()
        )
    );

    // A stored row the rules refuse (written by hand): every bad row named, none put in force.
    let db = TempDb::new("bad-row");
    drop(start_tenants(&db)); // creates the file and its table
    insert_rows(
        &db.0,
        &[("acme", SHOP), ("globex", "https://Shop.globex.example/"), ("initech", "http://initech.example")],
    );
    let (code, stdout, stderr) = fail_to_start(&["--db", db.path()]);
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr,
        format!(
            "tenants: the tenants database {} holds domains the CORS rules refuse, so none was put in force; fix or \
             delete these rows (table tenant_domains) and start again:\n\
             tenant `globex`, origin `https://Shop.globex.example/`: origin `https://Shop.globex.example/` has uppercase letters and a trailing `/`: an origin is scheme, host and port only; browsers send `https://shop.globex.example`\n\
             tenant `initech`, origin `http://initech.example`: `http://initech.example` is plain http in a credentialed policy: cookies and tokens would cross the network unencrypted; write `https://initech.example` (plain http is accepted only for loopback hosts: localhost, 127.0.0.1, [::1])\n",
            db.path()
        )
    );
    assert!(!stdout.contains("listening on"));

    // An unknown argument stops it before it touches any file.
    let (code, _, stderr) = fail_to_start(&["--database", db.path()]);
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr,
        "tenants: unknown argument `--database`; usage: [--port N] [--db PATH] [--postgres CONNINFO] | --routes-json [--db PATH] [--postgres CONNINFO]\n"
    );
}

/// Rows written straight into the example's table, as an operator with `sqlite3` would.
fn insert_rows(db: &Path, rows: &[(&str, &str)]) {
    let connection = rusqlite::Connection::open(db).unwrap();
    for (tenant, origin) in rows {
        connection.execute("INSERT INTO tenant_domains (tenant, origin) VALUES (?1, ?2)", [tenant, origin]).unwrap();
    }
}
