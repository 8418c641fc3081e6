//! `--routes` on a larger table: at most 8 exchanges in flight (counted by the server), every
//! route's requests counted, and a progress line on a terminal only (under `script`, which gives
//! the command a pseudo-terminal), only above 20 routes.

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::json;
use tower_http::cors::CorsLayer;

use super::{diagnose_routes, doctor_routes, routes_apps, serve, APP};

const ROUTES: usize = 40;

/// `GET /r/0` ... `GET /r/39`, each allowing the app, no credentials, no headers.
fn table() -> String {
    let route = |n: usize| {
        json!({
            "method": "GET", "path": format!("/r/{n}"), "handler": format!("r{n}"), "policy": "inline",
            "public": false, "origins": [APP], "origins_env": null, "credentials": false, "headers": [],
            "expose": [], "max_age": 600, "private_network": false, "strict": false,
        })
    };
    json!({"routes": (0..ROUTES).map(route).collect::<Vec<_>>()}).to_string()
}

#[derive(Clone, Default)]
struct InFlight {
    now: Arc<AtomicUsize>,
    most: Arc<AtomicUsize>,
}

/// Each request takes 100 ms (long enough for 8 to overlap on a busy machine), and the server
/// keeps the most it saw at once.
async fn slow(State(in_flight): State<InFlight>, request: Request, next: Next) -> Response {
    let now = in_flight.now.fetch_add(1, Ordering::SeqCst) + 1;
    in_flight.most.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let response = next.run(request).await;
    in_flight.now.fetch_sub(1, Ordering::SeqCst);
    response
}

fn app(in_flight: InFlight) -> Router {
    let cors = CorsLayer::new().allow_origin([HeaderValue::from_static(APP)]).allow_methods([Method::GET]);
    let router = (0..ROUTES).fold(Router::new(), |router, n| router.route(&format!("/r/{n}"), get(|| async { "ok" })));
    router.layer(cors).layer(from_fn_with_state(in_flight, slow))
}

#[tokio::test(flavor = "multi_thread")]
async fn forty_routes_with_at_most_eight_requests_in_flight() {
    let in_flight = InFlight::default();
    let base = serve(app(in_flight.clone())).await;
    let (code, differing, report) = diagnose_routes(&table(), &base, &[]).await;
    assert_eq!((code, differing), (0, vec![]));
    // Two plain GETs per route: the app's origin and a foreign one.
    assert_eq!(report["requests"], 2 * ROUTES);
    assert_eq!(in_flight.most.load(Ordering::SeqCst), 8);
}

/// Runs `cors doctor --routes table.json BASE` under `script`, so its stderr is a terminal.
fn on_a_terminal(table: &str, base: &str) -> String {
    let dir = super::support::TempDir::new("doctor-tty");
    std::fs::write(dir.0.join("table.json"), table).unwrap();
    let command = format!("{} doctor --routes table.json {base}", env!("CARGO_BIN_EXE_cors"));
    let output = Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .current_dir(&dir.0)
        .output()
        .expect("script (util-linux) runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn progress_on_a_terminal_above_20_routes_only() {
    let base = serve(app(InFlight::default())).await;
    let shown = tokio::task::spawn_blocking({
        let base = base.clone();
        move || on_a_terminal(&table(), &base)
    })
    .await
    .unwrap();
    assert!(shown.contains("\rcors doctor: 40 of 40 routes checked\r\n"), "{shown:?}");
    assert!(shown.contains("\rcors doctor: 1 of 40 routes checked"), "{shown:?}");
    // Not a terminal: nothing on stderr.
    let piped = doctor_routes(&table(), &base, &[]).await;
    assert_eq!((piped.status.code(), piped.stderr.as_slice()), (Some(0), &b""[..]));
    // A terminal, and 4 routes: no progress.
    let small = serve(routes_apps::service()).await;
    let shown = tokio::task::spawn_blocking(move || on_a_terminal(&routes_apps::table(), &small)).await.unwrap();
    assert!(shown.contains("Every route answers as its table says") && !shown.contains("routes checked"), "{shown:?}");
}
