//! `--routes` against live deployments of the `service` example: served as it ships, behind a
//! real nginx running `cors export nginx` for its table, and behind the same nginx with its
//! configuration broken by hand the way the field guide's incidents happen: one location loses
//! `Access-Control-Expose-Headers`, another adds `Access-Control-Allow-Origin` a second time.
//! The broken report is a snapshot that docs/doctor.md shows.
//!
//! nginx runs the service as it ships as its upstream: nginx owns CORS and hides the service's own
//! `Access-Control-*` headers, as the export says it does. Needs nginx (skipped loudly without
//! it, failed when `CI` is set).

use std::path::PathBuf;

use super::example_service::service::{self, AppState, PREFIX};
use super::snapshots::compare_snapshot;
use super::support::{self, Nginx, TempDir};
use super::{diagnose_routes, differs, serve};

/// The example's development server: what `APP_ORIGINS` defaults to, so what its table lists.
const DEV: &str = "http://localhost:5173";

fn table() -> String {
    serde_json::to_string(&service::routes().nest(PREFIX)).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_service_example_as_it_ships_is_as_declared() {
    let base = serve(service::app(AppState::default())).await;
    let (code, differing, report) = diagnose_routes(&table(), &base, &[]).await;
    assert_eq!((code, differing), (0, vec![]), "{report:#}");
    // Nine routes: the two public ones with two GETs each; seven private ones, of which six
    // preflight from the app (two exchanges) and are refused at the foreign preflight (one), and
    // `GET /api/orders/{id}` (no headers, no preflight) with two GETs.
    assert_eq!((report["routes_checked"].clone(), report["requests"].clone()), (9.into(), 24.into()));
}

/// The export's server-level `add_header` lines, as a location that sets its own must repeat them
/// (nginx inherits `add_header` only into locations that have none).
fn server_add_headers(config: &str) -> Vec<&str> {
    config.lines().filter(|line| line.starts_with("    add_header ")).collect()
}

/// `config` with `lines` added at the top of `location`, indented one more level.
fn in_location(config: &str, location: &str, lines: &[String]) -> String {
    let opening = format!("    location = \"{location}\" {{\n");
    assert_eq!(config.matches(&opening).count(), 1, "one {location} location");
    let added: String = lines.iter().map(|line| format!("    {line}\n")).collect();
    config.replacen(&opening, &format!("{opening}{added}"), 1)
}

/// Break 1: `/api/profile` sets its own headers, and leaves out Expose-Headers.
fn without_expose(config: &str) -> String {
    let kept: Vec<String> = server_add_headers(config)
        .into_iter()
        .filter(|line| !line.contains("Access-Control-Expose-Headers"))
        .map(String::from)
        .collect();
    in_location(config, "/api/profile", &kept)
}

/// Break 2: `/api/orders` repeats the server's headers, and Allow-Origin once more.
fn allow_origin_twice(config: &str) -> String {
    let mut lines: Vec<String> = server_add_headers(config).into_iter().map(String::from).collect();
    lines.push("    add_header Access-Control-Allow-Origin $cors_h_allow_origin always;".into());
    in_location(config, "/api/orders", &lines)
}

/// The service as it ships, and nginx in front of it running `edit(export)`.
async fn behind_nginx(edit: fn(&str) -> String) -> (Nginx, String) {
    let upstream = support::serve(service::app(AppState::default())).await;
    let dir = TempDir::new("doctor-nginx");
    let port = support::free_port();
    let export = support::export(&dir.0, port, &[("service.json", &table(), &format!("http://{upstream}"))]);
    let config = edit(&support::exported(export));
    (Nginx::start(&config, port), format!("http://127.0.0.1:{port}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_nginx_from_the_export_every_route_is_as_declared() {
    if !support::nginx_available("behind_nginx_from_the_export_every_route_is_as_declared") {
        return;
    }
    let (_nginx, base) = behind_nginx(str::to_string).await;
    let (code, differing, report) = diagnose_routes(&table(), &base, &["--origin", DEV]).await;
    assert_eq!((code, differing), (0, vec![]), "{report:#}");
    assert_eq!(report["requests"], 24);
}

fn expose_removed() -> (String, Vec<(String, String, String)>) {
    let server = "the answer to `GET /api/profile` (401) has no Access-Control-Expose-Headers: script cannot read \
                  etag, x-request-id";
    ("GET /api/profile".into(), vec![differs("exposed-header-unreadable", "exposes etag, x-request-id", server)])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_broken_nginx_each_break_is_found_on_its_route() {
    if !support::nginx_available("behind_a_broken_nginx_each_break_is_found_on_its_route") {
        return;
    }
    let (nginx, base) = behind_nginx(without_expose).await;
    let (code, differing, _) = diagnose_routes(&table(), &base, &["--origin", DEV]).await;
    assert_eq!((code, differing), (3, vec![expose_removed()]));
    drop(nginx);

    let (_nginx, base) = behind_nginx(|config| allow_origin_twice(&without_expose(config))).await;
    let (code, differing, _) = diagnose_routes(&table(), &base, &["--origin", DEV]).await;
    let twice = differs(
        "duplicate-cors-headers",
        "one owner: each Access-Control-* header once",
        "the preflight's answer carries Access-Control-Allow-Origin `http://localhost:5173, http://localhost:5173`",
    );
    assert_eq!((code, differing), (1, vec![expose_removed(), ("POST /api/orders".into(), vec![twice])]));
}

/// The command docs/doctor.md shows, run as it shows it: `service.json` in the working directory.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_broken_nginx_report_is_the_one_docs_doctor_md_shows() {
    if !support::nginx_available("the_broken_nginx_report_is_the_one_docs_doctor_md_shows") {
        return;
    }
    let (_nginx, base) = behind_nginx(|config| allow_origin_twice(&without_expose(config))).await;
    let dir = TempDir::new("doctor-docs");
    std::fs::write(dir.0.join("service.json"), table()).unwrap();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_cors"))
        .current_dir(&dir.0)
        .args(["doctor", "--routes", "service.json", &base, "--origin", DEV])
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let report = String::from_utf8(output.stdout).unwrap().replace(&base, "http://127.0.0.1:8080");
    compare_snapshot("routes-nginx-broken.txt", &report);
}

#[test]
fn the_doctor_page_shows_the_broken_nginx_report_as_it_is() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let page = std::fs::read_to_string(root.join("docs/doctor.md")).unwrap();
    let report = std::fs::read_to_string(root.join("cors-cli/tests/snapshots/routes-nginx-broken.txt")).unwrap();
    let shown =
        format!("$ cors doctor --routes service.json http://127.0.0.1:8080 --origin http://localhost:5173\n{report}");
    assert!(
        page.contains(&shown),
        "docs/doctor.md must show tests/snapshots/routes-nginx-broken.txt after its command"
    );
}
