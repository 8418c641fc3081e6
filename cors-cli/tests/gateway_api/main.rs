//! `cors export gateway-api`: the `HTTPRoute`s it prints, read back as YAML and held to the
//! Gateway API v1.5.1 CRD (`spec.rs`); the example service's export, exactly, as the page shows
//! it; the spec's limits; every route the CORS filter cannot express, named; and bad input.
//! No Gateway API implementation runs on these machines: the CRD is the judge.

#[path = "../support/mod.rs"]
mod support;

mod errors;
mod example;
mod limits;
mod spec;

use std::process::Output;

use support::TempDir;

/// Runs `cors export gateway-api ARGS... TABLE=TARGET...`, each table written into `dir`.
fn export(dir: &TempDir, args: &[&str], tables: &[(&str, &str, &str)]) -> Output {
    let mut all: Vec<String> = ["export", "gateway-api"].iter().chain(args).map(|s| s.to_string()).collect();
    for (name, json, target) in tables {
        let file = dir.0.join(name);
        std::fs::write(&file, json).expect("table written");
        all.push(format!("{}={target}", file.display()));
    }
    support::cors(&all)
}

/// A successful export: (stdout, stderr lines).
fn exported(output: Output) -> (String, Vec<String>) {
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "cors export gateway-api failed: {stderr}");
    (String::from_utf8(output.stdout).unwrap(), stderr.lines().map(str::to_string).collect())
}

/// A failed export: (exit code, stderr), with nothing on stdout.
fn failed(output: Output) -> (Option<i32>, String) {
    assert!(output.stdout.is_empty(), "nothing on stdout: {}", String::from_utf8_lossy(&output.stdout));
    (output.status.code(), String::from_utf8(output.stderr).unwrap())
}
