//! The `service` example behind nginx: its route table exported, its handlers served without
//! CORS behind the same auth middleware, nginx in front; and the example itself, served as it
//! ships (`Routes::layer()` outermost). Both answer a request matrix the same way (status, every
//! `Access-Control-*` header, `Vary`, body), and the browser model judges every `fetch` alike,
//! except where docs/gateway.md ("What the export cannot express") says nginx differs, which
//! is asserted exactly.
//!
//! Needs nginx (`.ci/run` installs it): skipped loudly without it, failed when `CI` is set.

#[macro_use]
mod support;

#[allow(dead_code)] // its `main` is the example's, not ours
#[path = "../../examples/service.rs"]
mod service;

use axum::middleware;
use axum::Router;
use cors_browser::{Credentials, Fetch};
use cors_examples::DEMO_TOKEN;
use service::{AppState, PREFIX};
use support::{Differs, Probe, Remote, Sides};

/// The example's handlers without CORS, where the example routes them, behind its auth.
fn without_cors(state: AppState) -> Router {
    use service::{account, admin, orders, public};
    let handlers = plain![
        public::status,
        public::catalog,
        account::profile,
        orders::create,
        orders::show,
        orders::replace,
        orders::update,
        orders::delete,
        admin::audit,
    ];
    let public = service::public_routes().nest(PREFIX);
    let private = service::private_routes().nest(PREFIX);
    assert_eq!(public.entries().len() + private.entries().len(), handlers.len(), "one plain handler per route");
    let auth = middleware::from_fn_with_state(state.clone(), service::require_token);
    let private = support::plain_router(&private, &handlers).route_layer(auth);
    Router::new().merge(support::plain_router(&public, &handlers)).merge(private).with_state(state)
}

/// The deployment under test: the example's production frontends and its development server
/// (`APP_ORIGINS`, read once when the first table is built).
fn deploy() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| std::env::set_var("APP_ORIGINS", format!("{APP} {ADMIN} {DEV}")));
}

async fn start() -> Sides {
    deploy();
    let json = serde_json::to_string(&service::routes().nest(PREFIX)).unwrap();
    Sides::start(&json, service::app(AppState::default()), without_cors(AppState::default())).await
}

const APP: &str = "https://app.example.com";
const ADMIN: &str = "https://admin.example.com";
const DEV: &str = "http://localhost:5173";
const FOREIGN: &str = "https://evil.example";

/// The example's origins, and the look-alikes an allowlist must not let through.
const ORIGINS: [&str; 10] = [
    APP,
    ADMIN,
    DEV,
    FOREIGN,
    "https://app.example.com.evil.example",
    "https://evilapp.example.com",
    "https://APP.example.com",
    "http://app.example.com",
    "https://app.example.com:8443",
    "null",
];

fn bearer() -> String {
    format!("Bearer {DEMO_TOKEN}")
}

fn matrix() -> Vec<(Probe, Vec<Differs>)> {
    let mut probes = Vec::new();
    let api = |path: &str| format!("{PREFIX}{path}");
    for origin in ORIGINS.iter().map(Some).chain([None]) {
        let probe = Probe::new(format!("GET /profile from {origin:?}"), "GET", api("/profile"));
        probes.push(probe.origin(origin.copied()).header("authorization", bearer()));
    }
    // (method, path, origin, with the token)
    let actual: &[(&'static str, &str, Option<&str>, bool)] = &[
        ("GET", "/profile", Some(APP), false),
        ("GET", "/profile", Some(FOREIGN), false),
        ("HEAD", "/profile", Some(APP), true),
        ("GET", "/status", Some(APP), false),
        ("GET", "/status", Some(FOREIGN), false),
        ("GET", "/status", None, false),
        ("HEAD", "/status", Some(FOREIGN), false),
        ("GET", "/catalog", Some(FOREIGN), false),
        ("GET", "/catalog", None, false),
        ("HEAD", "/catalog", None, false),
        ("POST", "/orders", Some(APP), true),
        ("POST", "/orders", Some(APP), false),
        ("POST", "/orders", Some(FOREIGN), true),
        ("GET", "/orders/7", Some(APP), true),
        ("GET", "/orders/7", Some(ADMIN), true),
        ("GET", "/orders/7", Some(DEV), true),
        ("GET", "/orders/7", None, false),
        ("GET", "/orders/7?expand=lines", Some(APP), true),
        ("GET", "/orders/seven", Some(APP), true),
        ("PUT", "/orders/7", Some(APP), true),
        ("PATCH", "/orders/7", Some(ADMIN), true),
        ("DELETE", "/orders/7", Some(APP), true),
        ("DELETE", "/orders/7", Some(FOREIGN), true),
        ("GET", "/admin/audit", Some(ADMIN), true),
        ("GET", "/admin/audit", Some(ADMIN), false),
        ("GET", "/admin/audit", Some(APP), true),
        ("GET", "/admin/audit", None, true),
        ("HEAD", "/admin/audit", Some(FOREIGN), true),
        ("POST", "/status", Some(APP), false),
        ("DELETE", "/profile", Some(APP), true),
        ("GET", "/nowhere", Some(APP), true),
    ];
    for (method, path, origin, token) in actual {
        let name = format!("{method} {path} from {origin:?}{}", if *token { " with the token" } else { "" });
        let mut probe = Probe::new(name, method, api(path)).origin(*origin);
        if *token {
            probe = probe.header("authorization", bearer());
        }
        if matches!(*method, "POST" | "PUT" | "PATCH") {
            probe = probe.header("content-type", "application/json").body("{\"tea\":1}");
        }
        probes.push(probe);
    }
    probes.push(Probe::new("GET /status without the prefix", "GET", "/status").origin(Some(APP)));
    // Preflights: (path, origin, method, requested headers).
    let preflights: &[(&str, &str, &str, Option<&str>)] = &[
        ("/orders", APP, "POST", Some("authorization,content-type")),
        ("/orders", DEV, "POST", Some("content-type")),
        ("/orders", ADMIN, "POST", Some("authorization,content-type,x-request-id")),
        ("/orders", FOREIGN, "POST", Some("content-type")),
        ("/orders", "https://app.example.com.evil.example", "POST", None),
        ("/orders", APP, "POST", Some("x-evil")),
        ("/orders", APP, "POST", Some("content-type,x evil")),
        ("/orders", APP, "GET", None),
        ("/orders", APP, "HEAD", None),
        ("/orders/7", APP, "PUT", Some("authorization,content-type,x-request-id")),
        ("/orders/7", ADMIN, "PATCH", Some("content-type")),
        ("/orders/7", APP, "DELETE", Some("authorization")),
        ("/orders/7", APP, "GET", Some("authorization")),
        ("/orders/7", APP, "GET", None),
        ("/orders/7", ADMIN, "GET", None),
        ("/orders/7", DEV, "HEAD", None),
        ("/orders/7", APP, "POST", None),
        ("/profile", APP, "GET", Some("authorization")),
        ("/profile", "null", "GET", Some("authorization")),
        ("/profile", "https://evilapp.example.com", "GET", None),
        ("/admin/audit", ADMIN, "GET", Some("authorization")),
        ("/admin/audit", ADMIN, "GET", Some("content-type")),
        ("/admin/audit", APP, "GET", Some("authorization")),
        ("/status", FOREIGN, "GET", None),
        ("/status", FOREIGN, "GET", Some("x-request-id")),
        ("/catalog", "https://elsewhere.example", "HEAD", None),
        ("/nowhere", APP, "GET", None),
    ];
    for (path, origin, method, headers) in preflights {
        let probe = Probe::preflight(
            format!("preflight {method} {path} from {origin} asking {headers:?}"),
            api(path),
            origin,
            method,
        );
        probes.push(match headers {
            Some(headers) => probe.header("access-control-request-headers", *headers),
            None => probe,
        });
    }
    probes.push(
        Probe::new("preflight without Origin", "OPTIONS", api("/catalog"))
            .header("access-control-request-method", "GET"),
    );
    probes.push(
        Probe::preflight("private network, not allowed", api("/profile"), APP, "GET")
            .header("access-control-request-private-network", "true"),
    );
    probes.push(
        Probe::new("plain OPTIONS", "OPTIONS", api("/orders/7")).origin(Some(APP)).header("authorization", bearer()),
    );
    probes.push(Probe::new("plain OPTIONS, public", "OPTIONS", api("/status")));
    probes.push(Probe::new("plain OPTIONS elsewhere", "OPTIONS", api("/nowhere")));

    let mut matrix: Vec<_> = probes.into_iter().map(|p| (p, Vec::new())).collect();
    // The documented difference: a list not in browser form is answered with the whole list.
    let probe = Probe::preflight("preflight asking in curl's spelling", api("/orders"), APP, "POST")
        .header("access-control-request-headers", "Content-Type, Authorization");
    let differs = Differs {
        header: "access-control-allow-headers",
        direct: Some("content-type,authorization"),
        nginx: Some("authorization,content-type,x-request-id"),
    };
    matrix.push((probe, vec![differs]));
    matrix
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_answers_every_request_like_the_example_service() {
    if !support::nginx_available("nginx_answers_every_request_like_the_example_service") {
        return;
    }
    let sides = start().await;
    let matrix = matrix();
    assert!(matrix.len() >= 60, "{} requests", matrix.len());
    let (_, documented) = support::compare(&sides.client, sides.direct, sides.gateway, &matrix).await;
    assert_eq!(documented, 1, "the documented difference is exercised");
}

/// A plain `OPTIONS` (no `Access-Control-Request-Method`) without a token: `Routes::layer()`
/// answers it before the example's auth, and nginx answers it itself, both `204` with `Allow`
/// as DESIGN §4 says.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_options_without_a_token_is_answered_by_both() {
    if !support::nginx_available("plain_options_without_a_token_is_answered_by_both") {
        return;
    }
    let sides = start().await;
    let probe = Probe::new("plain OPTIONS without a token", "OPTIONS", format!("{PREFIX}/orders/7"));
    let direct = support::send(&sides.client, sides.direct, &probe).await;
    let nginx = support::send(&sides.client, sides.gateway, &probe).await;
    let allow = Some("GET, HEAD, PUT, PATCH, DELETE, OPTIONS");
    assert_eq!((direct.status, direct.allow.as_deref()), (204, allow));
    assert_eq!((nginx.status, nginx.allow.as_deref()), (204, allow));
    assert!(direct.cors.is_empty() && nginx.cors.is_empty() && direct.vary.is_none() && nginx.vary.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browsers_judge_the_example_behind_nginx_like_the_service() {
    if !support::nginx_available("browsers_judge_the_example_behind_nginx_like_the_service") {
        return;
    }
    let sides = start().await;
    let url = |path: &str| format!("http://api.test{PREFIX}{path}");
    let json = "application/json";
    let with_token = |fetch: Fetch| fetch.header("Authorization", &bearer()).credentials(Credentials::Include);
    let fetches = vec![
        with_token(Fetch::new(APP, "GET", &url("/profile"))),
        Fetch::new(APP, "GET", &url("/profile")).credentials(Credentials::Include),
        with_token(Fetch::new(APP, "POST", &url("/orders"))).header("Content-Type", json).body("{}"),
        with_token(Fetch::new(DEV, "PUT", &url("/orders/7"))).header("Content-Type", json).body("{}"),
        with_token(Fetch::new(APP, "DELETE", &url("/orders/7"))),
        with_token(Fetch::new(ADMIN, "GET", &url("/orders/7"))),
        with_token(Fetch::new(ADMIN, "GET", &url("/admin/audit"))),
        with_token(Fetch::new(APP, "GET", &url("/admin/audit"))),
        Fetch::new(FOREIGN, "GET", &url("/catalog")),
        Fetch::new(FOREIGN, "GET", &url("/catalog")).credentials(Credentials::Include),
        Fetch::new(FOREIGN, "GET", &url("/status")),
        with_token(Fetch::new("https://app.example.com.evil.example", "GET", &url("/profile"))),
        with_token(Fetch::new(APP, "POST", &url("/orders"))).header("X-Evil", "1").body("{}"),
    ];
    let mut allowed = 0;
    for fetch in &fetches {
        let direct = fetch.send_with_body(Remote { client: sides.client.clone(), addr: sides.direct }).await;
        let nginx = fetch.send_with_body(Remote { client: sides.client.clone(), addr: sides.gateway }).await;
        assert_eq!(support::verdict(&nginx), support::verdict(&direct), "{fetch:?}");
        allowed += usize::from(direct.is_allowed());
    }
    assert_eq!((allowed, fetches.len() - allowed), (8, 5), "allowed and blocked fetches");
}
