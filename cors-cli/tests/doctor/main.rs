//! `cors doctor` against real servers on loopback: the binary is run as a user runs it, and
//! the servers are axum apps on real sockets in this process (plus a real nginx, and the
//! `service` example's routes). Each misconfiguration asserts the exit code and the exact list
//! of findings; reports are compared with committed snapshots. `routes_*` is `--routes`: a
//! table against a deployment.

#[macro_use]
#[path = "../support/mod.rs"]
mod support;

mod apps;
mod both_modes;
mod envoy;
mod errors;
mod example_service;
mod https;
mod misconfigurations;
mod nginx;
mod routes_apps;
mod routes_auth;
mod routes_drifts;
mod routes_errors;
mod routes_live;
mod routes_origins;
mod routes_scale;
mod snapshots;

use std::process::Output;

use axum::Router;
use serde_json::Value;
use tokio::net::TcpListener;

/// The page origin every app trusts.
pub const APP: &str = "https://app.example.com";

/// Serves `app` on a free loopback port for the rest of the test; returns the base URL.
pub async fn serve(app: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

/// Accepts connections and reads nothing, like a hung upstream; returns its address.
pub async fn hung_server() -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    addr
}

/// What a run wrote to stderr.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs `cors doctor ARGS...` with a 10 s budget per exchange.
pub async fn doctor(args: &[&str]) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_cors"))
        .arg("doctor")
        .args(args)
        .kill_on_drop(true)
        .output()
        .await
        .expect("the cors binary runs")
}

/// What a `--json` run says: its exit code and its findings' ids.
#[derive(Debug, PartialEq)]
pub struct Diagnosis {
    pub code: i32,
    pub findings: Vec<String>,
}

/// `cors doctor --json ARGS...`, checked to be one JSON document that agrees with the exit code.
pub async fn diagnose(args: &[&str]) -> (Diagnosis, Value) {
    let output = doctor(&[args, &["--json"]].concat()).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}\nstderr: {}", String::from_utf8_lossy(&output.stderr)));
    let code = output.status.code().expect("exited");
    assert_eq!(report["exit_code"], code, "{report:#}");
    let findings =
        report["findings"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_owned()).collect();
    (Diagnosis { code, findings }, report)
}

pub fn diagnosis(code: i32, findings: &[&str]) -> Diagnosis {
    Diagnosis { code, findings: findings.iter().map(|f| f.to_string()).collect() }
}

/// Runs `cors doctor --routes table.json BASE ARGS...` with `table` written to `table.json` in a
/// directory of its own, which is the working directory (so the report names `table.json`).
pub async fn doctor_routes(table: &str, base: &str, args: &[&str]) -> Output {
    let dir = support::TempDir::new("doctor-routes");
    std::fs::write(dir.0.join("table.json"), table).unwrap();
    tokio::process::Command::new(env!("CARGO_BIN_EXE_cors"))
        .current_dir(&dir.0)
        .args(["doctor", "--routes", "table.json", base])
        .args(args)
        .kill_on_drop(true)
        .output()
        .await
        .expect("the cors binary runs")
}

/// A route that differs from its table: its name and each difference as (id, table, server).
pub type Differing = (String, Vec<(String, String, String)>);

/// `cors doctor --routes ... --json`: the exit code (checked against the document), the routes
/// that differ, and the document.
pub async fn diagnose_routes(table: &str, base: &str, args: &[&str]) -> (i32, Vec<Differing>, Value) {
    let output = doctor_routes(table, base, &[args, &["--json"]].concat()).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}\nstderr: {}", String::from_utf8_lossy(&output.stderr)));
    let code = output.status.code().expect("exited");
    assert_eq!(report["exit_code"], code, "{report:#}");
    let text = |v: &Value| v.as_str().unwrap().to_owned();
    let differing = report["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|route| route["result"] != "as-declared")
        .map(|route| {
            let name = format!("{} {}", text(&route["method"]), text(&route["path"]));
            let list = route["differences"].as_array().unwrap();
            (name, list.iter().map(|d| (text(&d["id"]), text(&d["table"]), text(&d["server"]))).collect())
        })
        .collect();
    (code, differing, report)
}

/// One expected difference.
pub fn differs(id: &str, table: &str, server: &str) -> (String, String, String) {
    (id.to_owned(), table.to_owned(), server.to_owned())
}
