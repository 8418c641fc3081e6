//! The app and request matrix every gateway's equivalence test uses (`nginx_equivalence.rs`,
//! `envoy_equivalence.rs`): an app that uses every policy feature, served directly with
//! `routes!` and as plain handlers behind the gateway, the requests both get, and the `fetch`es
//! the browser model judges.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Router;
use cors_browser::{Credentials, Fetch};
use cors_runtime::{cors, cors_policy, routes, Routes};

use super::{Differs, Gateway, Probe, Remote, Sides};

// ---- The app: every feature the export has to express.

/// Several exact origins, a subdomain pattern, credentials, listed and exposed headers.
#[cors_policy(
    origins = ["https://app.example.com", "https://admin.example.com", "https://*.example.com"],
    credentials,
    headers = ["authorization", "content-type", "x-request-id"],
    expose = ["etag", "x-request-id"],
    max_age = 600,
)]
pub struct AppSession;

#[cors_policy(origins = "*", expose = ["etag", "link"])]
pub struct PublicRead;

/// Foreign origins are refused before the handler runs.
#[cors_policy(origins = ["https://admin.example.com"], credentials, methods = [GET, DELETE], strict, max_age = 120)]
pub struct AdminOnly;

#[cors(GET "/status", public)]
async fn status() -> &'static str {
    "ok"
}

#[cors(GET "/catalog", public, policy = PublicRead)]
async fn catalog() -> impl IntoResponse {
    ([("etag", "\"c1\""), ("link", "</catalog?page=2>; rel=\"next\"")], "[\"tea\"]")
}

#[cors(GET "/orders", policy = AppSession)]
async fn list_orders() -> impl IntoResponse {
    ([("etag", "\"l1\""), ("x-request-id", "req-1")], "[]")
}

#[cors(POST "/orders", policy = AppSession)]
async fn create_order(body: String) -> impl IntoResponse {
    (StatusCode::CREATED, [("x-request-id", "req-2")], body)
}

#[cors(GET "/orders/{id}", origins = ["https://app.example.com"], credentials, expose = ["etag"])]
async fn get_order(Path(id): Path<u32>) -> impl IntoResponse {
    ([("etag", format!("\"o{id}\""))], format!("{{\"id\":{id}}}"))
}

#[cors(PUT "/orders/{id}", policy = AppSession)]
async fn replace_order(Path(id): Path<u32>, body: String) -> String {
    format!("{id}:{body}")
}

#[cors(PATCH "/orders/{id}", policy = AppSession)]
async fn update_order(Path(id): Path<u32>) -> String {
    format!("patched {id}")
}

#[cors(DELETE "/orders/{id}", policy = AdminOnly)]
async fn delete_order(Path(_id): Path<u32>) -> StatusCode {
    StatusCode::NO_CONTENT
}

#[cors(GET "/admin/audit", policy = AdminOnly)]
async fn audit() -> &'static str {
    "{\"audit\":[]}"
}

#[cors(GET "/files/{*rest}", public, policy = PublicRead)]
async fn file(Path(rest): Path<String>) -> String {
    rest
}

/// A device page on the developer's machine asks a private-network server.
#[cors(GET "/device", origins = ["http://localhost:5173"], headers = ["x-device"], max_age = 60, private_network)]
async fn device() -> &'static str {
    "device"
}

/// A 5xx must stay readable.
#[cors(GET "/broken", policy = AppSession)]
async fn broken() -> StatusCode {
    StatusCode::INTERNAL_SERVER_ERROR
}

/// A handler from before the gateway: its own CORS header (the policy replaces it) and a `Vary`
/// of its own (merged into).
#[cors(GET "/legacy", policy = AppSession)]
async fn legacy() -> impl IntoResponse {
    ([("access-control-allow-origin", "*"), ("vary", "accept-encoding")], "legacy")
}

/// `headers = ["*"]`: any request header but `authorization`.
#[cors(POST "/upload", origins = ["https://app.example.com"], headers = ["*"])]
async fn upload() -> StatusCode {
    StatusCode::ACCEPTED
}

/// `app()` and `without_cors()` from one list of the handlers, so the two never drift apart.
macro_rules! served {
    ($($handler:ident),* $(,)?) => {
        pub fn app() -> Routes {
            routes![$($handler),*]
        }

        /// The handlers served as plain axum routes, at the paths and methods the table gives
        /// them: what a service looks like once the gateway owns CORS.
        pub fn without_cors(table: &Routes) -> Router {
            let handlers = crate::plain![$($handler),*];
            super::plain_router(table, &handlers)
        }
    };
}

served![
    status,
    catalog,
    list_orders,
    create_order,
    get_order,
    replace_order,
    update_order,
    delete_order,
    audit,
    file,
    device,
    broken,
    legacy,
    upload,
];

/// The app directly, and its plain handlers behind `gateway` running the export of its table,
/// adding wrong CORS headers of their own ([`super::WRONG_CORS`]) that the gateway must remove.
pub async fn start(gateway: Gateway) -> Sides {
    let table = app();
    let json = serde_json::to_string(&table).unwrap();
    let upstream = super::with_wrong_cors(without_cors(&table));
    Sides::start_behind(gateway, &json, table.into(), upstream).await
}

// ---- The matrix.

pub const APP: &str = "https://app.example.com";
pub const ADMIN: &str = "https://admin.example.com";
pub const SHOP: &str = "https://shop.example.com";
pub const FOREIGN: &str = "https://evil.example";
pub const DEV: &str = "http://localhost:5173";

/// Origins an allowlist of exact origins and `https://*.example.com` must tell apart.
pub const ORIGINS: [&str; 14] = [
    APP,
    ADMIN,
    SHOP,
    "https://a.b.example.com",
    "https://app.example.com.evil.example",
    "https://evilexample.com",
    "https://example.com",
    "https://APP.example.com",
    "https://shop.example.com:8443",
    "http://shop.example.com",
    "https://-x.example.com",
    FOREIGN,
    "null",
    DEV,
];

pub fn matrix() -> Vec<(Probe, Vec<Differs>)> {
    let mut probes: Vec<Probe> = Vec::new();
    // Actual requests: the look-alikes against one private route, then every route and method.
    for origin in ORIGINS.iter().map(Some).chain([None]) {
        probes.push(Probe::new(format!("GET /orders from {origin:?}"), "GET", "/orders").origin(origin.copied()));
    }
    let actual: &[(&'static str, &str, &[Option<&str>])] = &[
        ("GET", "/status", &[Some(APP), Some(FOREIGN), None]),
        ("GET", "/catalog", &[Some(FOREIGN), None]),
        ("HEAD", "/catalog", &[Some(FOREIGN)]),
        ("HEAD", "/orders", &[Some(APP), Some(FOREIGN)]),
        ("HEAD", "/orders/7", &[Some(APP)]),
        ("POST", "/orders", &[Some(APP), Some(SHOP), Some(FOREIGN), None]),
        ("GET", "/orders/7", &[Some(APP), Some(ADMIN), None]),
        ("GET", "/orders/7?expand=lines", &[Some(APP)]),
        ("PUT", "/orders/7", &[Some(SHOP), Some(FOREIGN)]),
        ("PATCH", "/orders/7", &[Some(APP)]),
        ("DELETE", "/orders/7", &[Some(ADMIN), Some(APP), None]),
        ("GET", "/admin/audit", &[Some(ADMIN), Some(FOREIGN), None]),
        ("HEAD", "/admin/audit", &[Some(FOREIGN)]),
        ("GET", "/files/a/b.txt", &[Some(FOREIGN)]),
        ("GET", "/files/", &[Some(FOREIGN)]),
        ("GET", "/device", &[Some(DEV), Some(APP)]),
        ("GET", "/broken", &[Some(APP), Some(FOREIGN)]),
        ("GET", "/legacy", &[Some(APP), None]),
        ("POST", "/status", &[Some(APP)]),
        ("DELETE", "/orders", &[Some(APP)]),
        ("GET", "/nowhere", &[Some(APP)]),
        ("GET", "//orders", &[Some(APP)]),
        ("GET", "/orders/", &[Some(APP)]),
        ("POST", "/upload", &[Some(APP), Some(FOREIGN)]),
    ];
    for (method, path, origins) in actual {
        for origin in *origins {
            let probe = Probe::new(format!("{method} {path} from {origin:?}"), method, *path).origin(*origin);
            probes.push(if matches!(*method, "POST" | "PUT") { probe.body("{\"tea\":1}") } else { probe });
        }
    }
    // Preflights: per method, allowed and refused origins, headers, methods.
    let preflights: &[(&str, &str, &str, Option<&str>)] = &[
        ("/orders", APP, "POST", Some("authorization,content-type")),
        ("/orders", SHOP, "POST", Some("content-type,x-request-id")),
        ("/orders", "https://a.b.example.com", "GET", Some("x-request-id")),
        ("/orders", APP, "POST", Some("x-evil")),
        ("/orders", APP, "POST", Some("content-type,x evil")),
        ("/orders", APP, "POST", Some("x-evil,x evil")),
        ("/orders", APP, "POST", Some("x evil,x-evil")),
        ("/orders", APP, "POST", Some(" , ")),
        ("/orders", APP, "GET", None),
        ("/orders", APP, "HEAD", None),
        ("/orders", APP, "DELETE", None),
        ("/orders", APP, "get", None),
        ("/orders", APP, "OPTIONS", None),
        ("/orders", FOREIGN, "POST", Some("content-type")),
        ("/orders", "https://app.example.com.evil.example", "POST", None),
        ("/orders?page=2", APP, "POST", None),
        ("/orders/7", APP, "PATCH", Some("authorization")),
        ("/orders/7", SHOP, "PUT", Some("content-type")),
        ("/orders/7", "https://evilexample.com", "PUT", None),
        ("/orders/7", SHOP, "GET", None),
        ("/orders/7", APP, "GET", None),
        ("/orders/7", APP, "DELETE", None),
        ("/orders/7", ADMIN, "DELETE", Some("authorization")),
        ("/admin/audit", FOREIGN, "GET", None),
        ("/status", FOREIGN, "GET", None),
        ("/status", FOREIGN, "GET", Some("x-request-id")),
        ("/catalog", "null", "HEAD", None),
        ("/files/x", FOREIGN, "GET", None),
        ("/device", DEV, "GET", Some("x-device")),
        ("/nowhere", APP, "GET", None),
        ("/upload", APP, "POST", Some("x-anything,x-trace")),
        ("/upload", APP, "POST", Some("X-Anything")),
        ("/upload", APP, "POST", Some("x-trace,authorization")),
        ("/upload", FOREIGN, "POST", Some("x-trace")),
    ];
    for (path, origin, method, headers) in preflights {
        let name = format!("preflight {method} {path} from {origin} asking {headers:?}");
        let probe = Probe::preflight(name, *path, origin, method);
        probes.push(match headers {
            Some(headers) => probe.header("access-control-request-headers", *headers),
            None => probe,
        });
    }
    probes.push(
        Probe::new("preflight without Origin", "OPTIONS", "/orders").header("access-control-request-method", "POST"),
    );
    let device = Probe::preflight("private network from the device page", "/device", DEV, "GET");
    probes.push(device.clone().header("access-control-request-private-network", "true"));
    probes.push(device.header("access-control-request-private-network", "false"));
    probes.push(
        Probe::preflight("private network to a policy without it", "/orders", APP, "GET")
            .header("access-control-request-private-network", "true"),
    );
    probes.push(Probe::new("plain OPTIONS", "OPTIONS", "/orders/7").origin(Some(APP)));
    probes.push(Probe::new("plain OPTIONS, no Origin", "OPTIONS", "/status"));
    probes.push(Probe::new("plain OPTIONS elsewhere", "OPTIONS", "/nowhere"));

    let mut matrix: Vec<(Probe, Vec<Differs>)> = probes.into_iter().map(|p| (p, Vec::new())).collect();
    // Not already the answer (spaces, upper case, a repeat): nginx cannot rebuild the list in
    // the service's spelling, and answers the policy's whole list instead.
    let whole_list = "authorization,content-type,x-request-id";
    for (asked, direct) in [
        ("Content-Type, Authorization", "content-type,authorization"),
        ("content-type , authorization", "content-type,authorization"),
        ("authorization,authorization", "authorization"),
    ] {
        let probe = Probe::preflight(format!("preflight asking {asked:?}"), "/orders", APP, "POST")
            .header("access-control-request-headers", asked);
        let differs = Differs { header: "access-control-allow-headers", direct: Some(direct), nginx: Some(whole_list) };
        matrix.push((probe, vec![differs]));
    }
    matrix
}

/// The `fetch`es the browser model sends both ways, and how many of them a browser allows.
pub fn fetches() -> (Vec<Fetch>, usize) {
    let json = "application/json";
    let url = |path: &str| format!("http://api.test{path}");
    let fetches = vec![
        Fetch::new(APP, "GET", &url("/orders")).credentials(Credentials::Include),
        Fetch::new(APP, "POST", &url("/orders"))
            .header("Content-Type", json)
            .header("Authorization", "Bearer t")
            .body("{}")
            .credentials(Credentials::Include),
        Fetch::new(SHOP, "PUT", &url("/orders/7")).header("Content-Type", json).body("{}"),
        Fetch::new(APP, "PATCH", &url("/orders/7")).header("X-Request-Id", "9").credentials(Credentials::Include),
        Fetch::new(ADMIN, "DELETE", &url("/orders/7")).credentials(Credentials::Include),
        Fetch::new(APP, "DELETE", &url("/orders/7")).credentials(Credentials::Include),
        Fetch::new(APP, "GET", &url("/orders/7")),
        Fetch::new(SHOP, "GET", &url("/orders/7")),
        Fetch::new(FOREIGN, "GET", &url("/catalog")),
        Fetch::new(FOREIGN, "GET", &url("/catalog")).credentials(Credentials::Include),
        Fetch::new(FOREIGN, "GET", &url("/status")).header("X-Request-Id", "1"),
        Fetch::new(FOREIGN, "GET", &url("/orders")),
        Fetch::new("https://app.example.com.evil.example", "GET", &url("/orders")).credentials(Credentials::Include),
        Fetch::new(APP, "GET", &url("/broken")).credentials(Credentials::Include),
        Fetch::new(APP, "GET", &url("/legacy")),
        Fetch::new(DEV, "GET", &url("/device")).header("X-Device", "1"),
        Fetch::new(FOREIGN, "GET", &url("/admin/audit")),
        Fetch::new(APP, "POST", &url("/orders")).header("X-Evil", "1").body("{}"),
    ];
    (fetches, 10)
}

/// Sends every [`fetches`] entry through the browser model to the service and through the
/// gateway: the verdicts must be equal, and both kinds exercised.
pub async fn browsers_judge_alike(sides: &Sides) {
    let (fetches, expected_allowed) = fetches();
    let mut allowed = 0;
    for fetch in &fetches {
        let direct = fetch.send_with_body(Remote { client: sides.client.clone(), addr: sides.direct }).await;
        let gateway = fetch.send_with_body(Remote { client: sides.client.clone(), addr: sides.gateway }).await;
        assert_eq!(super::verdict(&gateway), super::verdict(&direct), "{fetch:?}");
        allowed += usize::from(direct.is_allowed());
    }
    assert_eq!((allowed, fetches.len() - allowed), (expected_allowed, 8), "allowed and blocked fetches");
}
