//! The servers a browser run talks to, all on loopback: the misconfigured upstreams and
//! redirects, the authenticated app, the page that runs the matrix, the request log they all
//! write to, and [`Network`], which gives the model the same servers by `Host`.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use cors_runtime::{cors, routes};
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tower::ServiceExt;

use super::service::AppSession;
use super::tenants::{self, Change};

/// Stands for the page's origin (`http://localhost:<port>`) in the tables below.
const PAGE: &str = "{page}";

const ACAO: &str = "access-control-allow-origin";
const ACAC: &str = "access-control-allow-credentials";
const ACAM: &str = "access-control-allow-methods";
const ACAH: &str = "access-control-allow-headers";
const ACEH: &str = "access-control-expose-headers";
const PAGE_OK: &[(&str, &str)] = &[(ACAO, PAGE), (ACAC, "true")];

/// A misconfigured upstream: what it answers to preflights and to everything else.
struct Upstream {
    name: &'static str,
    preflight_status: u16,
    preflight: &'static [(&'static str, &'static str)],
    actual: &'static [(&'static str, &'static str)],
}

#[rustfmt::skip]
const MISCONFIGURED: &[Upstream] = &[
    Upstream { name: "star", preflight_status: 204, preflight: &[(ACAO, "*"), (ACAM, "*"), (ACAH, "*")], actual: &[(ACAO, "*")] },
    Upstream { name: "expose-star", preflight_status: 204, preflight: &[], actual: &[(ACAO, "*"), (ACEH, "*"), ("x-custom", "1"), ("set-cookie", "a=b"), ("date", "Fri, 27 Nov 2026 12:00:00 GMT")] },
    Upstream { name: "expose-list", preflight_status: 204, preflight: &[], actual: &[(ACAO, PAGE), (ACEH, "etag, X-Custom"), ("etag", "\"e\""), ("x-custom", "1"), ("x-other", "2")] },
    Upstream { name: "double-origin", preflight_status: 204, preflight: &[], actual: &[(ACAO, PAGE), (ACAO, PAGE)] },
    Upstream { name: "mismatch", preflight_status: 204, preflight: &[], actual: &[(ACAO, "http://localhost:5174")] },
    Upstream { name: "invalid-origin", preflight_status: 204, preflight: &[], actual: &[(ACAO, "-")] },
    Upstream { name: "null-origin", preflight_status: 204, preflight: &[], actual: &[(ACAO, "null")] },
    Upstream { name: "credentials-uppercase", preflight_status: 204, preflight: &[], actual: &[(ACAO, PAGE), (ACAC, "TRUE")] },
    Upstream { name: "no-credentials", preflight_status: 204, preflight: &[], actual: &[(ACAO, PAGE)] },
    Upstream { name: "credentialed", preflight_status: 204, preflight: &[], actual: &[(ACAO, PAGE), (ACAC, "true"), (ACEH, "etag"), ("etag", "\"c\"")] },
    Upstream { name: "preflight-500", preflight_status: 500, preflight: &[(ACAO, PAGE), (ACAM, "PUT")], actual: PAGE_OK },
    Upstream { name: "preflight-redirect", preflight_status: 302, preflight: &[(ACAO, PAGE), (ACAM, "PUT"), ("location", "/raw/star")], actual: PAGE_OK },
    Upstream { name: "bad-methods", preflight_status: 204, preflight: &[(ACAO, PAGE), (ACAM, "PUT, Bad method")], actual: PAGE_OK },
    Upstream { name: "bad-headers", preflight_status: 204, preflight: &[(ACAO, PAGE), (ACAM, "PUT"), (ACAH, "x a")], actual: PAGE_OK },
    Upstream { name: "lowercase-put", preflight_status: 204, preflight: &[(ACAO, PAGE), (ACAM, "put")], actual: PAGE_OK },
];

/// Where a redirect points: a path on the upstream itself, or on the `service` example (another
/// origin).
enum Hop {
    Here(&'static str),
    Service(&'static str),
}

/// A redirecting upstream: its status, its own CORS headers, and where it points. The case's
/// query (`?case=N`) travels along, so every hop is logged under its case.
struct Redirect {
    name: &'static str,
    status: u16,
    headers: &'static [(&'static str, &'static str)],
    to: Hop,
}

#[rustfmt::skip]
const REDIRECTS: &[Redirect] = &[
    Redirect { name: "to-expose-list", status: 302, headers: &[(ACAO, PAGE)], to: Hop::Here("/raw/expose-list") },
    Redirect { name: "bare", status: 302, headers: &[], to: Hop::Here("/raw/expose-list") },
    Redirect { name: "to-credentialed", status: 302, headers: PAGE_OK, to: Hop::Here("/raw/credentialed") },
    Redirect { name: "see-other", status: 303, headers: &[(ACAO, PAGE)], to: Hop::Here("/raw/echo") },
    Redirect { name: "temporary", status: 307, headers: &[(ACAO, PAGE)], to: Hop::Here("/raw/echo") },
    Redirect { name: "to-status", status: 302, headers: &[(ACAO, PAGE)], to: Hop::Service("/status") },
    Redirect { name: "to-profile", status: 302, headers: PAGE_OK, to: Hop::Service("/profile") },
    Redirect { name: "loop", status: 302, headers: &[(ACAO, "*")], to: Hop::Here("/redirect/loop") },
    Redirect { name: "put-to-echo", status: 307, headers: &[(ACAO, PAGE)], to: Hop::Here("/raw/echo") },
    Redirect { name: "put-to-expose-list", status: 307, headers: &[(ACAO, PAGE)], to: Hop::Here("/raw/expose-list") },
    Redirect { name: "put-to-order", status: 307, headers: &[(ACAO, PAGE)], to: Hop::Service("/orders/7") },
];

/// What the upstream needs to know at run time.
#[derive(Clone)]
pub struct Origins {
    /// The page origin its tables allow.
    pub page: String,
    /// The `service` example's origin, for redirects to another origin.
    pub service: String,
}

fn respond(origins: &Origins, status: u16, headers: &[(&'static str, &'static str)]) -> Response {
    let mut response = (StatusCode::from_u16(status).unwrap(), "raw").into_response();
    for (name, value) in headers {
        response.headers_mut().append(*name, value.replace(PAGE, &origins.page).parse().unwrap());
    }
    response
}

async fn misconfigured(State(origins): State<Origins>, Path(name): Path<String>, method: Method) -> Response {
    let Some(upstream) = MISCONFIGURED.iter().find(|u| u.name == name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if method == Method::OPTIONS {
        respond(&origins, upstream.preflight_status, upstream.preflight)
    } else {
        respond(&origins, 200, upstream.actual)
    }
}

/// Names the method it was called with, readable by the page; its preflight allows `PUT`.
async fn echo(State(origins): State<Origins>, method: Method) -> Response {
    if method == Method::OPTIONS {
        return respond(&origins, 204, &[(ACAO, PAGE), (ACAM, "PUT")]);
    }
    let mut response = respond(&origins, 200, &[(ACAO, PAGE), (ACEH, "x-method")]);
    response.headers_mut().insert("x-method", method.as_str().parse().unwrap());
    response
}

/// A redirect; its preflight (204 with the redirect's own headers) allows `PUT`.
async fn redirect(
    State(origins): State<Origins>,
    Path(name): Path<String>,
    method: Method,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(redirect) = REDIRECTS.iter().find(|r| r.name == name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if method == Method::OPTIONS {
        let mut response = respond(&origins, 204, redirect.headers);
        response.headers_mut().insert(ACAM, "PUT".parse().unwrap());
        return response;
    }
    let query = query.map(|q| format!("?{q}")).unwrap_or_default();
    let location = match redirect.to {
        Hop::Here(path) => format!("{path}{query}"),
        Hop::Service(path) => format!("{}{path}{query}", origins.service),
    };
    let mut response = respond(&origins, redirect.status, redirect.headers);
    response.headers_mut().insert("location", location.parse().unwrap());
    response
}

/// The misconfigured upstreams (`/raw/...`) and the redirects (`/redirect/...`).
pub fn upstream(origins: Origins) -> Router {
    Router::new()
        .route("/raw/echo", any(echo))
        .route("/raw/{name}", any(misconfigured))
        .route("/redirect/{name}", any(redirect))
        .with_state(origins)
}

#[cors(GET "/account", policy = AppSession)]
async fn account() -> impl IntoResponse {
    ([("etag", "\"a1\""), ("x-request-id", "req-7")], "{\"name\":\"Ada\"}")
}

#[cors(POST "/orders", policy = AppSession)]
async fn place_order(body: String) -> impl IntoResponse {
    (StatusCode::CREATED, [("x-request-id", "req-8")], body)
}

/// `401` without `Authorization: Bearer good`; records the case of every request it sees.
async fn require_token(State(log): State<Log>, request: Request, next: Next) -> Response {
    if let Some(case) = case_of(request.uri().query()) {
        log.lock().unwrap().push(Seen::of(case, Seer::Auth, &request));
    }
    match request.headers().get("authorization") {
        Some(token) if token == "Bearer good" => next.run(request).await,
        _ => (StatusCode::UNAUTHORIZED, [("www-authenticate", "Bearer")], "token required").into_response(),
    }
}

/// DESIGN §8.1's documented shape: routes under `/auth`, the token check around them, and
/// `Routes::layer()` outermost, so preflights never reach the check and its `401` is readable.
pub fn authenticated(log: Log) -> Router {
    let api = routes![account, place_order].nest("/auth");
    let cors = api.layer();
    Router::new().merge(api).layer(middleware::from_fn_with_state(log, require_token)).layer(cors)
}

/// Who saw a request: the server it was sent to, or the auth middleware inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seer {
    Server,
    Auth,
}

/// A request as a server saw it, keyed by the case's `?case=` number.
#[derive(Debug, Clone)]
pub struct Seen {
    pub case: usize,
    pub seer: Seer,
    pub method: String,
    pub request_method: Option<String>,
    pub request_headers: Option<String>,
}

impl Seen {
    fn of(case: usize, seer: Seer, request: &Request) -> Seen {
        let header = |name: &str| request.headers().get(name).map(|v| v.to_str().unwrap().to_string());
        Seen {
            case,
            seer,
            method: request.method().to_string(),
            request_method: header("access-control-request-method"),
            request_headers: header("access-control-request-headers"),
        }
    }

    pub fn is_preflight(&self) -> bool {
        self.method == "OPTIONS" && self.request_method.is_some()
    }
}

pub type Log = Arc<Mutex<Vec<Seen>>>;

fn case_of(query: Option<&str>) -> Option<usize> {
    query.and_then(|q| q.strip_prefix("case=")).and_then(|n| n.parse().ok())
}

/// `router`, recording every request that carries a case number.
pub fn logged(router: Router, log: Log) -> Router {
    router.layer(tower::util::MapRequestLayer::new(move |request: Request| {
        if let Some(case) = case_of(request.uri().query()) {
            log.lock().unwrap().push(Seen::of(case, Seer::Server, &request));
        }
        request
    }))
}

pub async fn serve(listener: TcpListener, router: Router) {
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
}

/// One page origin: its share of the cases as JSON, the results it posts back, and the changes
/// to the tenants' list its cases make before they fetch.
#[derive(Clone)]
pub struct PageState {
    /// The page's own origin.
    pub origin: String,
    pub plan: Value,
    pub results: mpsc::UnboundedSender<Value>,
    pub changes: Arc<Vec<(usize, Change)>>,
}

/// The page that runs its share of the matrix (`runner.html`), makes the changes its cases ask
/// for (`POST /change/<case>`, same-origin), and takes the results.
pub fn page(state: PageState) -> Router {
    Router::new()
        .route("/", get(|| async { Html(include_str!("runner.html")) }))
        .route("/plan", get(|State(state): State<PageState>| async move { Json(state.plan) }))
        .route(
            "/change/{case}",
            post(|State(state): State<PageState>, Path(case): Path<usize>| async move {
                match state.changes.iter().find(|(id, _)| *id == case) {
                    Some((_, change)) => {
                        tenants::apply(*change, &state.origin);
                        StatusCode::NO_CONTENT
                    }
                    None => StatusCode::NOT_FOUND,
                }
            }),
        )
        .route(
            "/results",
            post(|State(state): State<PageState>, body: String| async move {
                state.results.send(serde_json::from_str(&body).unwrap()).unwrap();
                StatusCode::NO_CONTENT
            }),
        )
        .with_state(state)
}

/// The servers as the model reaches them: each request goes to the router serving its `Host`,
/// so a redirect to another origin lands where it does in the browser.
#[derive(Clone)]
pub struct Network {
    pub hosts: Vec<(String, Router)>,
}

impl Network {
    pub fn service(&self) -> impl tower::Service<Request, Response = Response, Error = Infallible> + Clone {
        let hosts = self.hosts.clone();
        tower::service_fn(move |request: Request| {
            let host = request.headers()["host"].to_str().unwrap().to_string();
            let router = hosts.iter().find(|(authority, _)| *authority == host).map(|(_, r)| r.clone());
            let router = router.unwrap_or_else(|| panic!("no server for host {host}"));
            router.oneshot(request)
        })
    }
}
