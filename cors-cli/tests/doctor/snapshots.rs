//! The readable report's layout, reviewed like the compile errors are: three runs compared with
//! `cors-cli/tests/snapshots/*.txt`. The server's port is replaced with `PORT`.
//!
//! Regenerate after an intended change: `UPDATE_SNAPSHOTS=1 cargo test -p cors-cli --test doctor snapshots`,
//! then review the diff.

use std::path::PathBuf;

use axum::Router;

use super::{apps, doctor, serve, APP};

async fn assert_snapshot(name: &str, app: Router, path: &str, extra: &[&str], code: i32) {
    let base = serve(app).await;
    let url = format!("{base}{path}");
    let output = doctor(&[&[url.as_str(), "--origin", APP], extra].concat()).await;
    assert_eq!(output.status.code(), Some(code), "{}", String::from_utf8_lossy(&output.stderr));
    let report =
        String::from_utf8(output.stdout).unwrap().replace(base.trim_start_matches("http://"), "127.0.0.1:PORT");
    compare_snapshot(&format!("{name}.txt"), &report);
}

/// `report` against `tests/snapshots/FILE` (written instead with `UPDATE_SNAPSHOTS` set).
pub fn compare_snapshot(file: &str, report: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(file);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, report).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing: run with UPDATE_SNAPSHOTS=1", path.display()));
    assert!(report == expected, "{file}: the report changed (UPDATE_SNAPSHOTS=1 to accept it):\n{report}");
}

#[tokio::test(flavor = "multi_thread")]
async fn clean_preflighted_call() {
    let extra = ["--method", "PUT", "--header", "Content-Type: application/json", "--credentials"];
    assert_snapshot("clean", apps::cors_runtime_app(), "/orders", &extra, 0).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reflected_origin() {
    assert_snapshot("reflected", apps::reflecting(), "/orders", &["--credentials"], 3).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn preflight_rejected_by_auth() {
    let extra = ["--header", "Authorization: Bearer t", "--credentials"];
    assert_snapshot("auth-before-cors", apps::auth_before_cors(), "/orders", &extra, 1).await;
}

#[test]
fn the_doctor_page_shows_the_reflected_origin_report_as_it_is() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let page = std::fs::read_to_string(root.join("docs/doctor.md")).unwrap();
    let report = std::fs::read_to_string(root.join("cors-cli/tests/snapshots/reflected.txt")).unwrap();
    assert!(page.contains(&report), "docs/doctor.md must show tests/snapshots/reflected.txt");
}
