//! `bench load`: wrk against `bench serve` for each variant, on loopback, for a bounded time.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::apps::Variant;
use crate::scenarios::Scenario;
use crate::shapes::Shape;

/// A `bench serve` child process, killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(variant: Variant) -> Result<Server, String> {
        let exe = std::env::current_exe().map_err(|e| format!("cannot find the bench binary: {e}"))?;
        let mut child = Command::new(exe)
            .args(["serve", variant.name()])
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start `bench serve`: {e}"))?;
        let mut line = String::new();
        let stdout = child.stdout.take().expect("stdout is piped");
        let _ = BufReader::new(stdout).read_line(&mut line);
        match line.trim().strip_prefix("listening ").and_then(|p| p.parse().ok()) {
            Some(port) => Ok(Server { child, port }),
            None => {
                // Not a `Server` yet, so nothing else will stop it.
                let _ = child.kill();
                let _ = child.wait();
                Err(format!("`bench serve {}` printed `{}`, not its port", variant.name(), line.trim()))
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Requests per second that wrk reached against `variant` for `scenario`.
fn requests_per_second(variant: Variant, scenario: Scenario, seconds: u64, connections: u32) -> Result<f64, String> {
    let server = Server::start(variant)?;
    let script = std::env::temp_dir().join(format!("bench-wrk-{}-{}.lua", std::process::id(), scenario.name()));
    std::fs::write(&script, scenario.wrk_script(Shape::SINGLE))
        .map_err(|e| format!("cannot write the wrk script: {e}"))?;
    let output = Command::new("wrk")
        .args(["-t1", &format!("-c{connections}"), &format!("-d{seconds}s"), "-s"])
        .arg(&script)
        .arg(format!("http://127.0.0.1:{}{}", server.port, scenario.path(Shape::SINGLE)))
        .output();
    let _ = std::fs::remove_file(&script);
    let output = output.map_err(|e| format!("cannot run wrk (apt-get install wrk): {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() || stdout.contains("Non-2xx") || stdout.contains("Socket errors") {
        return Err(format!(
            "wrk against {} / {} did not get clean 2xx answers:\n{stdout}",
            variant.name(),
            scenario.name()
        ));
    }
    stdout
        .lines()
        .find_map(|line| line.trim().strip_prefix("Requests/sec:"))
        .and_then(|n| n.trim().parse().ok())
        .ok_or(format!("wrk printed no `Requests/sec:` line:\n{stdout}"))
}

/// The variants the load test serves (§5's shape): the ones the first table compared
/// (docs/performance.md).
const LOADED: [Variant; 6] = [
    Variant::Bare,
    Variant::TowerHttpLayer,
    Variant::TowerHttpOuter,
    Variant::Routes,
    Variant::PolicyLayer,
    Variant::PolicyOuter,
];

/// Runs each of `LOADED` for the allowed simple request, and every CORS variant for the allowed
/// preflight, `seconds` each, and renders requests/s with ratios: simple requests against bare
/// axum, preflights against tower-http via `Router::layer`.
pub fn measure(seconds: u64, connections: u32) -> Result<String, String> {
    let mut out = String::from("| request | variant | requests/s | ratio |\n|---|---|---:|---|\n");
    for (scenario, baseline) in
        [(Scenario::SimpleAllowed, Variant::Bare), (Scenario::Preflight, Variant::TowerHttpLayer)]
    {
        let mut results = Vec::new();
        for variant in LOADED.into_iter().filter(|v| scenario != Scenario::Preflight || v.has_cors()) {
            eprintln!("wrk {} / {} for {seconds} s ...", scenario.name(), variant.name());
            results.push((variant, requests_per_second(variant, scenario, seconds, connections)?));
        }
        let base = results.iter().find(|(v, _)| *v == baseline).map(|(_, rps)| *rps).expect("baseline measured");
        for (variant, rps) in results {
            let _ = writeln!(
                out,
                "| {} | {} | {rps:.0} | {:.2} × {} |",
                scenario.label(),
                variant.label(),
                rps / base,
                baseline.label()
            );
        }
    }
    Ok(out)
}
