//! What a release needs that `cargo package` does not check (DESIGN §10.2): every publishable
//! crate carries the metadata its crates.io and docs.rs pages show, and its declared
//! `rust-version` is honest for what it pulls in. (Packaging itself, rustdoc, clippy's
//! `incompatible_msrv` and `cargo hack` run in `.ci/run`.)

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;

fn cargo(args: &[&str]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().expect("cargo runs");
    assert!(output.status.success(), "cargo {args:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("cargo prints UTF-8")
}

fn metadata() -> Value {
    serde_json::from_str(&cargo(&["metadata", "--format-version", "1"])).expect("cargo metadata is JSON")
}

/// The workspace's packages that `cargo publish` would upload (`publish` unset).
fn publishable(metadata: &Value) -> Vec<&Value> {
    let members: BTreeSet<&str> =
        metadata["workspace_members"].as_array().unwrap().iter().map(|id| id.as_str().unwrap()).collect();
    metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| members.contains(p["id"].as_str().unwrap()) && p["publish"].is_null())
        .collect()
}

fn version(v: &str) -> (u32, u32, u32) {
    let mut parts = v.split('.').map(|n| n.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

#[test]
fn the_publishable_crates_are_the_libraries_and_the_cli() {
    let metadata = metadata();
    let names: BTreeSet<&str> = publishable(&metadata).iter().map(|p| p["name"].as_str().unwrap()).collect();
    for name in ["cors-rules", "cors-macros", "cors-runtime", "cors-browser", "cors-cli"] {
        assert!(names.contains(name), "{name} is not publishable: {names:?}");
    }
    assert!(!names.contains("bench") && !names.contains("cors-examples"), "{names:?}");
}

#[test]
fn every_publishable_crate_has_what_its_registry_page_shows() {
    let metadata = metadata();
    for package in publishable(&metadata) {
        let name = package["name"].as_str().unwrap();
        for field in ["description", "license", "readme", "rust_version", "documentation"] {
            assert!(package[field].as_str().is_some_and(|v| !v.is_empty()), "{name} has no {field}");
        }
        assert_eq!(package["license"], "MIT OR Apache-2.0", "{name}");
        assert_eq!(package["documentation"], format!("https://docs.rs/{name}"), "{name}");
        let keywords = package["keywords"].as_array().unwrap();
        assert!((1..=5).contains(&keywords.len()), "{name}: {keywords:?} (crates.io takes at most 5)");
        assert!(!package["categories"].as_array().unwrap().is_empty(), "{name} has no categories");
        assert_eq!(package["metadata"]["docs"]["rs"]["all-features"], true, "{name}: docs.rs metadata");
        let dir = std::path::Path::new(package["manifest_path"].as_str().unwrap()).parent().unwrap();
        for file in ["README.md", "LICENSE-MIT", "LICENSE-APACHE"] {
            let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
            assert!(!text.trim().is_empty(), "{name} has no {file}");
        }
        // Path dependencies between the crates carry versions, the macro crate pinned exactly.
        for dep in package["dependencies"].as_array().unwrap() {
            if dep["path"].is_string() && dep["kind"].is_null() {
                let req = dep["req"].as_str().unwrap();
                assert_ne!(req, "*", "{name} depends on {} by path without a version", dep["name"]);
                if dep["name"] == "cors-macros" {
                    assert!(req.starts_with('='), "{name} must pin cors-macros exactly, not `{req}`");
                }
            }
        }
    }
}

/// A user on the declared `rust-version` must be able to build what each crate pulls in: no
/// normal dependency (for this host, every feature on) may declare a newer one. Dev-dependencies
/// are the workspace's own business.
#[test]
fn no_dependency_needs_a_newer_rust_than_the_crates_declare() {
    let metadata = metadata();
    let packages = metadata["packages"].as_array().unwrap();
    let mut too_new = Vec::new();
    for package in publishable(&metadata) {
        let name = package["name"].as_str().unwrap();
        let declared = version(package["rust_version"].as_str().unwrap());
        let tree = cargo(&[
            "tree",
            "--offline",
            "-p",
            name,
            "-e",
            "normal",
            "--all-features",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ]);
        for line in tree.lines() {
            let mut words = line.split_whitespace();
            let (Some(dep), Some(v)) = (words.next(), words.next()) else { continue };
            let v = v.trim_start_matches('v');
            let Some(found) = packages.iter().find(|p| p["name"] == dep && p["version"] == v) else { continue };
            if let Some(needs) = found["rust_version"].as_str() {
                if version(needs) > declared {
                    too_new.push(format!("{name} -> {dep} {v} needs rust {needs}"));
                }
            }
        }
    }
    too_new.sort();
    too_new.dedup();
    assert!(too_new.is_empty(), "dependencies newer than the declared rust-version:\n{}", too_new.join("\n"));
}
