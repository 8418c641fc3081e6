//! The examples, run as a user runs them: start the binary, read the curl commands it prints,
//! run each with the real `curl`, and check the answers the docs promise (docs/runtime.md,
//! docs/middleware.md, docs/deployment.md).

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../cors-postgres/tests/support/cluster.rs"]
mod postgres_cluster;
#[path = "examples/tenants.rs"]
mod tenants;
#[path = "examples/tenants_postgres.rs"]
mod tenants_postgres;

/// A running example; killed when dropped.
struct Running {
    child: Child,
    /// What it printed before it said it was listening.
    printed: Vec<String>,
    curl_commands: Vec<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The examples listen on ports found free a moment earlier; one at a time keeps the two tests
/// from taking each other's ports.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// `cargo test` builds the examples next to the test binaries' directory.
fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let debug_dir = exe.parent().and_then(|deps| deps.parent()).expect("target/<profile> directory");
    let path = debug_dir.join("examples").join(name);
    assert!(path.exists(), "{} not built: run `cargo test --workspace` (it builds the examples)", path.display());
    path
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The production origins the service test deploys with (`APP_ORIGINS`).
const PRODUCTION_ORIGINS: &str = "https://app.example.com https://admin.example.com";

/// Starts an example and collects the curl commands it prints until it says it is listening.
fn start(name: &str, port: u16, env: &[(&str, &str)]) -> Running {
    start_with(name, &["--port", &port.to_string()], env)
}

/// [`start`] with these arguments.
fn start_with(name: &str, args: &[&str], env: &[(&str, &str)]) -> Running {
    let mut child = Command::new(example_binary(name))
        .args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("example starts");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut printed = Vec::new();
    let mut curl_commands = Vec::new();
    let mut current: Option<String> = None;
    let deadline = Instant::now() + Duration::from_secs(30);
    for line in stdout.lines() {
        let line = line.expect("example output is UTF-8");
        assert!(Instant::now() < deadline, "{name} did not start listening in time");
        if line.starts_with("listening on ") {
            break;
        }
        printed.push(line.clone());
        match current.as_mut() {
            Some(command) => command.push_str(line.trim_end_matches('\\')),
            None if line.starts_with("curl ") => current = Some(line.trim_end_matches('\\').to_owned()),
            None => continue,
        }
        if !line.ends_with('\\') {
            curl_commands.push(current.take().unwrap());
        }
    }
    assert!(!curl_commands.is_empty(), "{name} printed no curl command: {printed:#?}");
    Running { child, printed, curl_commands }
}

/// Runs one printed command with `sh`, as a user pasting it would; returns status line and headers.
fn run_curl(command: &str) -> (String, Vec<String>) {
    let (status, headers, _) = run_curl_with_body(command);
    (status, headers)
}

/// [`run_curl`], and the body.
fn run_curl_with_body(command: &str) -> (String, Vec<String>, String) {
    let output = Command::new("sh").args(["-c", &format!("{command} -s --max-time 10")]).output().expect("curl runs");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines().map(|l| l.trim_end().to_owned());
    let status = lines.next().unwrap_or_default();
    let headers = lines.map(|l| l.to_ascii_lowercase()).collect();
    (status, headers, body.to_owned())
}

fn has(headers: &[String], line: &str) -> bool {
    headers.iter().any(|h| h == line)
}

#[test]
fn service_answers_the_curl_commands_it_prints() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let service = start("service", free_port(), &[("APP_ORIGINS", PRODUCTION_ORIGINS)]);
    let answers: Vec<_> = service.curl_commands.iter().map(|c| run_curl(c)).collect();
    let statuses: Vec<&str> = answers.iter().map(|(status, _)| status.as_str()).collect();
    assert_eq!(
        statuses,
        [
            "HTTP/1.1 204 No Content",   // preflight POST /api/orders from the app
            "HTTP/1.1 201 Created",      // POST /api/orders with the token
            "HTTP/1.1 200 OK",           // GET /api/profile with the token
            "HTTP/1.1 401 Unauthorized", // GET /api/profile without one
            "HTTP/1.1 200 OK",           // GET /api/catalog from anywhere
            "HTTP/1.1 403 Forbidden",    // preflight from a foreign origin
        ],
        "commands: {:#?}\nanswers: {answers:#?}",
        service.curl_commands
    );
    let app_origin = "access-control-allow-origin: https://app.example.com";
    assert!(has(&answers[0].1, app_origin));
    assert!(has(&answers[0].1, "access-control-allow-headers: authorization,content-type"));
    assert!(has(&answers[1].1, app_origin));
    assert!(has(&answers[1].1, "access-control-allow-credentials: true"));
    assert!(has(&answers[1].1, "access-control-expose-headers: etag, x-request-id"));
    assert!(has(&answers[2].1, "vary: origin"));
    // The 401 from auth carries the route's CORS headers, so the page can read it.
    assert!(has(&answers[3].1, app_origin));
    assert!(has(&answers[3].1, "access-control-allow-credentials: true"));
    assert!(has(&answers[3].1, "www-authenticate: bearer"));
    assert!(has(&answers[4].1, "access-control-allow-origin: *"));
    assert!(!answers[5].1.iter().any(|h| h.starts_with("access-control-")));
}

/// The service's token, as a curl argument.
const TOKEN: &str = "-H 'Authorization: Bearer demo-token'";

/// The service as it ships and `service --cors MODE` beside it, deployed with the production
/// origins; their ports.
fn service_beside(mode: &str) -> ([Running; 2], u16, u16) {
    let env = [("APP_ORIGINS", PRODUCTION_ORIGINS)];
    let (with_port, other_port) = (free_port(), free_port());
    let with = start("service", with_port, &env);
    let other = start_with("service", &["--port", &other_port.to_string(), "--cors", mode], &env);
    ([with, other], with_port, other_port)
}

/// The load test's baseline (`tests/load/run.sh`): `service --cors off` serves the same
/// routes, with the same auth, as the service, and no CORS at all.
#[test]
fn the_service_without_cors_answers_every_actual_request_alike_without_cors_headers() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (_running, with_port, without_port) = service_beside("off");
    let token = TOKEN;
    let requests = [
        ("GET", "/api/status", ""),
        ("GET", "/api/catalog", ""),
        ("GET", "/api/profile", token),
        ("GET", "/api/profile", ""),
        ("HEAD", "/api/profile", token),
        ("POST", "/api/orders", token),
        ("GET", "/api/orders/7", token),
        ("PUT", "/api/orders/7", token),
        ("PATCH", "/api/orders/7", token),
        ("DELETE", "/api/orders/7", token),
        ("GET", "/api/admin/audit", token),
        ("GET", "/api/nowhere", token),
    ];
    for (method, path, extra) in requests {
        let curl = |port: u16| {
            let how = if method == "HEAD" { "-I".to_owned() } else { format!("-i -X {method}") };
            let command = format!(
                "curl {how} http://127.0.0.1:{port}{path} -H 'Origin: https://admin.example.com' -d '' {extra}"
            );
            run_curl(&command.replace(" -d ''", if method == "GET" || method == "HEAD" { "" } else { " -d ''" }))
        };
        let (with, without) = (curl(with_port), curl(without_port));
        assert_eq!(with.0, without.0, "{method} {path} {extra}");
        assert!(!without.1.iter().any(|h| h.starts_with("access-control-") || h.starts_with("vary")), "{without:?}");
    }
}

/// The load test's yardstick (`tests/load/instructions.sh`): `service --cors floor`, the
/// service's CORS written by hand, answers the actual requests of `tests/load/actual.lua` and the
/// other requests and preflights of the service's routes with the same status, `Access-Control-*`
/// headers, `Vary` and `Allow` as the service.
#[test]
fn the_service_floor_answers_as_the_service_does() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (_running, with_port, floor_port) = service_beside("floor");
    let token = TOKEN;
    let (app, admin) = ("-H 'Origin: https://app.example.com'", "-H 'Origin: https://admin.example.com'");
    let preflight = |method: &str, headers: &str| {
        let requested =
            if headers.is_empty() { String::new() } else { format!(" -H 'Access-Control-Request-Headers: {headers}'") };
        format!("-H 'Access-Control-Request-Method: {method}'{requested}")
    };
    let requests = [
        // actual.lua's four shapes: allowed, 401 from auth, a foreign origin, a public route.
        ("GET", "/api/profile", format!("{app} {token}")),
        ("GET", "/api/profile", admin.to_owned()),
        ("GET", "/api/profile", format!("-H 'Origin: https://app.example.com.evil.com' {token}")),
        ("GET", "/api/catalog", "-H 'Origin: https://elsewhere.example'".to_owned()),
        ("GET", "/api/status", "-H 'Origin: https://elsewhere.example'".to_owned()),
        ("GET", "/api/profile", token.to_owned()),
        ("HEAD", "/api/profile", format!("{app} {token}")),
        ("POST", "/api/orders", format!("{app} {token}")),
        ("GET", "/api/orders/7", format!("{admin} {token}")),
        ("DELETE", "/api/orders/7", format!("{app} {token}")),
        ("GET", "/api/admin/audit", format!("{admin} {token}")),
        ("GET", "/api/admin/audit", format!("{app} {token}")),
        ("GET", "/api/admin/audit", token.to_owned()),
        ("POST", "/api/profile", format!("{app} {token}")),
        ("OPTIONS", "/api/orders", format!("{app} {}", preflight("POST", "authorization,content-type"))),
        ("OPTIONS", "/api/orders", format!("-H 'Origin: https://evil.example' {}", preflight("POST", ""))),
        ("OPTIONS", "/api/orders/7", format!("{app} {}", preflight("GET", ""))),
        ("OPTIONS", "/api/orders/7", format!("{app} {}", preflight("GET", "content-type"))),
        ("OPTIONS", "/api/orders/7", format!("{app} {}", preflight("PATCH", "x-request-id"))),
        ("OPTIONS", "/api/catalog", format!("{app} {}", preflight("GET", ""))),
        ("OPTIONS", "/api/admin/audit", format!("{admin} {}", preflight("HEAD", "authorization"))),
        ("OPTIONS", "/api/admin/audit", format!("{app} {}", preflight("GET", ""))),
        ("OPTIONS", "/api/status", preflight("GET", "")),
        ("OPTIONS", "/api/profile", format!("{app} {}", preflight("POST", ""))),
        ("OPTIONS", "/api/orders/7", String::new()),
    ];
    for (method, path, headers) in &requests {
        let answer = |port: u16| {
            let how = if *method == "HEAD" { "-I".to_owned() } else { format!("-i -X {method}") };
            let (status, all) = run_curl(&format!("curl {how} http://127.0.0.1:{port}{path} {headers}"));
            // `Allow` of a plain `OPTIONS` is CORS's. Elsewhere it is axum's: on a `405` it lists
            // `OPTIONS` where the library's table routes it, and it adds one to the floor's
            // preflight answers (the plain routes have no `OPTIONS` route); browsers ignore both.
            let plain_options = *method == "OPTIONS" && !headers.contains("Request-Method");
            let allow = if plain_options { "allow:" } else { "access-control-" };
            let cors = ["access-control-", "vary:", allow];
            (status, all.into_iter().filter(|h| cors.iter().any(|c| h.starts_with(c))).collect::<Vec<_>>())
        };
        let (with, floor) = (answer(with_port), answer(floor_port));
        assert!(with.0.starts_with("HTTP/1.1 "), "{method} {path} {headers}: {with:?}");
        assert_eq!(with, floor, "{method} {path} {headers}");
    }
}

/// Runs `service` with `args` and `APP_ORIGINS` set to `app_origins`, expecting it to stop with
/// exit 2 before it listens; returns what it printed on stderr.
fn service_stops_before_listening(args: &[&str], app_origins: &str) -> String {
    let output = Command::new(example_binary("service"))
        .args(["--port", &free_port().to_string()])
        .args(args)
        .env("APP_ORIGINS", app_origins)
        .output()
        .expect("service runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&output.stdout).contains("listening on"));
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The floor compares exact origins only: a deployment with a subdomain pattern is refused with
/// the pattern named, before the service listens, rather than answered wrongly.
#[test]
fn the_service_floor_refuses_a_deployment_with_a_pattern() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let stderr =
        service_stops_before_listening(&["--cors", "floor"], "https://app.example.com https://*.tenants.example.com");
    assert!(
        stderr.ends_with("service: `--cors floor`: the hand-written floor compares exact origins, and APP_ORIGINS has the pattern `https://*.tenants.example.com`: list exact origins\n"),
        "{stderr}"
    );
}

#[test]
fn origins_come_from_the_deployment_and_a_bad_value_stops_the_service_before_it_listens() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let stderr = service_stops_before_listening(&[], "https://app.example.com/ http://staging.example.com,*");
    let problems: Vec<&str> = stderr.lines().filter(|l| l.starts_with("APP_ORIGINS: ")).collect();
    assert_eq!(problems.len(), 3, "{stderr}");
    for entry in ["`https://app.example.com/`", "`http://staging.example.com`", "`*`"] {
        assert!(problems.iter().any(|p| p.starts_with(&format!("APP_ORIGINS: {entry}"))), "{entry}: {stderr}");
    }
    assert!(stderr.starts_with("service: the CORS configuration is invalid:\n"), "{stderr}");

    // Deployed with production origins, the compiled-in development origin is not in force.
    let service = start("service", free_port(), &[("APP_ORIGINS", PRODUCTION_ORIGINS)]);
    let url = service.curl_commands[2].split_whitespace().nth(4).expect("the GET profile command's URL").to_owned();
    let token = format!("Authorization: Bearer {}", cors_examples::DEMO_TOKEN);
    for (origin, allowed) in [("https://admin.example.com", true), ("http://localhost:5173", false)] {
        let (status, headers) = run_curl(&format!("curl -i {url} -H 'Origin: {origin}' -H '{token}'"));
        assert_eq!(status, "HTTP/1.1 200 OK");
        assert_eq!(has(&headers, &format!("access-control-allow-origin: {origin}")), allowed, "{origin}: {headers:?}");
        assert!(has(&headers, "vary: origin"));
    }
}

#[test]
fn gateway_answers_the_curl_commands_it_prints() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let port = loop {
        // The gateway also takes the next port for its upstream service.
        let port = free_port();
        if port < u16::MAX && TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            break port;
        }
    };
    let gateway = start("gateway", port, &[]);
    let answers: Vec<_> = gateway.curl_commands.iter().map(|c| run_curl(c)).collect();
    let statuses: Vec<&str> = answers.iter().map(|(status, _)| status.as_str()).collect();
    assert_eq!(
        statuses,
        ["HTTP/1.1 204 No Content", "HTTP/1.1 201 Created", "HTTP/1.1 200 OK"],
        "commands: {:#?}\nanswers: {answers:#?}",
        gateway.curl_commands
    );
    assert!(has(&answers[0].1, "access-control-allow-methods: get, post, put, patch, delete"));
    assert!(has(&answers[1].1, "access-control-allow-origin: https://app.example.com"));
    assert!(has(&answers[1].1, "x-request-id: req-7"));
    // The upstream's own `Access-Control-Allow-Origin: *` is gone: the edge policy owns CORS.
    assert!(!answers[2].1.iter().any(|h| h.starts_with("access-control-")), "{:?}", answers[2].1);
    assert!(has(&answers[2].1, "vary: origin"));
}

/// `--routes-json`: each example prints its table as DESIGN §8.3's JSON and exits.
#[test]
fn examples_print_their_route_table_as_json() {
    let json = |name: &str| -> serde_json::Value {
        let output = Command::new(example_binary(name)).arg("--routes-json").output().expect("example runs");
        assert!(output.status.success(), "{name}: {}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{name}: not JSON: {e}"))
    };
    let service = json("service");
    let routes = service["routes"].as_array().unwrap();
    assert_eq!(routes.len(), 9);
    assert_eq!(
        routes[3],
        serde_json::json!({
            "method": "POST", "path": "/api/orders", "handler": "create", "policy": "AppSession", "public": false,
            "origins": ["http://localhost:5173"], "origins_env": "APP_ORIGINS", "origins_dynamic": false, "credentials": true,
            "headers": ["authorization", "content-type", "x-request-id"], "expose": ["etag", "x-request-id"],
            "max_age": 600, "private_network": false, "strict": false
        })
    );
    // The gateway's edge policy covers every path for each of its methods.
    let gateway = json("gateway");
    let rows: Vec<(String, String)> = gateway["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["method"].as_str().unwrap().to_owned(), r["path"].as_str().unwrap().to_owned()))
        .collect();
    let expected: Vec<(String, String)> = ["GET", "POST", "PUT", "PATCH", "DELETE"]
        .iter()
        .flat_map(|m| ["/", "/{*path}"].map(|p| (m.to_string(), p.to_string())))
        .collect();
    assert_eq!(rows, expected);
    assert!(gateway["routes"].as_array().unwrap().iter().all(|r| r["policy"] == "Edge" && r["credentials"] == true));
}
