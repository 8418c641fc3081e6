//! Properties over generated requests: whatever a client sends, the runtime never reflects an
//! origin its policy does not allow, never pairs `*` with credentials, sends at most one
//! `Access-Control-Allow-Origin`, varies every private-route answer on `Origin` exactly once,
//! and a preflight grants only the methods and headers the policy allows.
//!
//! Which policies: the ones the macros build (the code under test is the code they generate),
//! one per shape: exact lists, patterns, public, credentials, header lists with `*`, `strict`,
//! `private_network`, two methods of one path on different policies, a list set at run time
//! (`origins = dynamic`). Each is driven through
//! `routes![...]` and through `NAME::layer()`. The oracle below is independent of the runtime:
//! it reads what was declared (the route table, the origins as written) and decides by itself.
//!
//! A second group builds `Policy` statics from generated allowlists with `Box::leak`, through
//! the public (doc-hidden) fields the macros fill in, and inserts the same lists into a dynamic
//! policy, to test the matchers on lists no one wrote.

use std::future::Future;

use axum::body::Body;
use axum::response::IntoResponse;
use axum::Router;
// The properties build policies from generated data, as the macros do, through their door.
use cors_runtime::__private::{OriginList, Origins};
use cors_runtime::{cors, cors_policy, routes, MethodSet, NamedPolicy, Policy, RouteMethod};
use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use tower::ServiceExt;

// ---- the policies, one per shape

#[cors_policy(
    origins = ["https://app.example.com", "https://admin.example.com", "http://localhost:5173"],
    credentials,
    headers = ["authorization", "content-type", "x-request-id"],
    expose = ["etag", "x-request-id"],
)]
pub struct Session;

#[cors_policy(
    origins = ["https://*.example.com", "https://*.tenant.example.org:8443", "https://partner.example.net"],
    credentials,
    headers = ["content-type"],
)]
pub struct Tenants;

#[cors_policy(origins = "*", headers = ["*"], expose = ["etag"])]
pub struct Anyone;

#[cors_policy(origins = ["https://admin.example.com"], credentials, methods = [GET, DELETE], strict)]
pub struct AdminStrict;

#[cors_policy(origins = ["https://app.example.com", "https://*.corp.example.net"], headers = ["*"], private_network, max_age = 0)]
pub struct Intranet;

/// Tenants' own domains, set while the service runs: matched like a written list.
#[cors_policy(origins = dynamic, credentials, headers = ["content-type"], expose = ["etag"])]
pub struct RunTime;

/// `RunTime`'s list, set once before any request: exact origins, patterns with and without
/// ports, and the loopback origin a credentialed list may hold over plain http.
fn run_time_policy() -> &'static Policy {
    static FILLED: std::sync::Once = std::sync::Once::new();
    FILLED.call_once(|| {
        let entries = [
            "https://eu.shop.example.com",
            "https://*.tenant.example.org:8443",
            "https://*.example.net",
            "http://localhost:5173",
        ];
        RunTime::origins().replace(entries).expect("a valid list");
    });
    RunTime::policy()
}

/// What a careless handler or upstream sends: its own CORS headers and a `Vary`, which the
/// route's policy must replace and merge, never duplicate.
fn leaky() -> impl IntoResponse {
    [
        ("access-control-allow-origin", "*"),
        ("access-control-allow-credentials", "true"),
        ("access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE"),
        ("vary", "accept-encoding"),
    ]
}

#[cors(GET "/session", policy = Session)]
async fn session_read() -> impl IntoResponse {
    leaky()
}

#[cors(POST "/session", policy = Session)]
async fn session_write() -> &'static str {
    "ok"
}

#[cors(GET "/tenants/{id}", policy = Tenants)]
async fn tenant_read() -> &'static str {
    "ok"
}

// Same path, other method, its own policy: preflights must dispatch on the requested method.
#[cors(PUT "/tenants/{id}", origins = ["https://*.example.com"], headers = ["x-tenant"])]
async fn tenant_write() -> &'static str {
    "ok"
}

#[cors(GET "/public", public, policy = Anyone)]
async fn public_read() -> impl IntoResponse {
    leaky()
}

#[cors(GET "/status", public)]
async fn status() -> &'static str {
    "ok"
}

#[cors(GET "/admin", policy = AdminStrict)]
async fn admin_read() -> &'static str {
    "ok"
}

#[cors(DELETE "/admin", policy = AdminStrict)]
async fn admin_delete() -> &'static str {
    "ok"
}

#[cors(GET "/intranet", policy = Intranet)]
async fn intranet_read() -> &'static str {
    "ok"
}

#[cors(PATCH "/intranet", policy = Intranet)]
async fn intranet_write() -> impl IntoResponse {
    leaky()
}

#[cors(GET "/run-time", policy = RunTime)]
async fn run_time_read() -> impl IntoResponse {
    leaky()
}

#[cors(DELETE "/run-time", policy = RunTime)]
async fn run_time_delete() -> &'static str {
    "ok"
}

/// Every named policy, for the layer properties.
fn named_policies() -> [&'static Policy; 6] {
    [
        Session::policy(),
        Tenants::policy(),
        Anyone::policy(),
        AdminStrict::policy(),
        Intranet::policy(),
        run_time_policy(),
    ]
}

// ---- the oracle: what a correct runtime answers, decided without the runtime's code

#[path = "reliability_props/oracle.rs"]
mod oracle;
use oracle::*;

// ---- generated requests

#[path = "reliability_props/requests.rs"]
mod requests;
use requests::{probe, Paths, Probe};

// ---- the properties

fn values<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Vec<&'a [u8]> {
    headers.get_all(name).iter().map(HeaderValue::as_bytes).collect()
}

/// `Vary` split into its comma-separated tokens, across every `Vary` field.
fn vary_tokens(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(VARY)
        .iter()
        .flat_map(|v| v.to_str().unwrap().split(','))
        .map(|t| t.trim().to_ascii_lowercase())
        .filter(|t| !t.is_empty())
        .collect()
}

fn has_cors_headers(headers: &HeaderMap) -> bool {
    headers.keys().any(|name| name.as_str().starts_with("access-control-"))
}

/// Checks one response against the oracle; every property of the module is here.
fn check(target: Target, probe: &Probe, response: &Response<Body>) -> Result<(), TestCaseError> {
    let headers = response.headers();
    let allow_origin = values(headers, &ACCESS_CONTROL_ALLOW_ORIGIN);
    let credentials = values(headers, &ACCESS_CONTROL_ALLOW_CREDENTIALS);

    // Invariants of every response, whatever the request.
    prop_assert!(allow_origin.len() <= 1, "two Access-Control-Allow-Origin values: {allow_origin:?}");
    prop_assert!(credentials.len() <= 1);
    if allow_origin.first() == Some(&&b"*"[..]) {
        prop_assert!(credentials.is_empty(), "`*` with Access-Control-Allow-Credentials");
    }
    if !credentials.is_empty() {
        prop_assert_eq!(credentials[0], b"true");
        prop_assert!(!allow_origin.is_empty(), "credentials without an allowed origin");
    }
    let single_origin = match probe.origins.as_slice() {
        [one] => Some(one.as_slice()),
        _ => None,
    };

    if probe.is_preflight() {
        if !target.has_path(&probe.path) {
            prop_assert_eq!(response.status(), StatusCode::NOT_FOUND);
            prop_assert!(!has_cors_headers(headers));
            return Ok(());
        }
        // Which policy owns the preflight, and whether every check passes.
        let requested = match probe.request_methods.as_slice() {
            [one] => RouteMethod::ALL.into_iter().find(|m| m.as_str().as_bytes() == one.as_slice()),
            _ => None,
        };
        let policy = requested.and_then(|m| target.preflight(m, &probe.path));
        let names = oracle_header_list(&probe.request_headers);
        let granted = match (policy, single_origin, &names) {
            (Some(policy), Some(origin), Some(names)) => {
                let origin_ok = policy.is_public() || oracle_allows(&policy.origins(), origin);
                let headers_ok = names.iter().all(|n| oracle_allows_header(policy, n));
                let network_ok = probe.private_network != Some("true") || policy.private_network();
                origin_ok && headers_ok && network_ok
            }
            _ => false,
        };
        prop_assert_eq!(
            vary_tokens(headers).iter().filter(|t| *t == "origin").count(),
            1,
            "preflight answer without exactly one Vary: Origin"
        );
        if !granted {
            prop_assert_eq!(response.status(), StatusCode::FORBIDDEN);
            prop_assert!(!has_cors_headers(headers), "a rejected preflight carries CORS headers: {headers:?}");
            return Ok(());
        }
        let (policy, requested, names) = (policy.unwrap(), requested.unwrap(), names.unwrap());
        prop_assert_eq!(response.status(), StatusCode::NO_CONTENT);
        let expected_origin = if policy.is_public() { &b"*"[..] } else { single_origin.unwrap() };
        prop_assert_eq!(allow_origin, vec![expected_origin]);
        prop_assert_eq!(credentials.len(), usize::from(policy.credentials()));
        // Methods: the requested one (a route), or the policy's list (a layer); never more.
        let methods = values(headers, &ACCESS_CONTROL_ALLOW_METHODS);
        prop_assert_eq!(methods.len(), 1);
        let granted_methods: Vec<&str> = std::str::from_utf8(methods[0]).unwrap().split(", ").collect();
        match target {
            Target::Router(_) => prop_assert_eq!(granted_methods, vec![requested.as_str()]),
            Target::Layer(policy) => {
                let listed: Vec<&str> = policy.methods().iter().map(RouteMethod::as_str).collect();
                prop_assert_eq!(granted_methods, listed);
            }
        }
        // Headers: every granted name is one the policy lists, or `*` from `headers = ["*"]`;
        // every requested name is granted; nothing is granted twice.
        let answer = values(headers, &ACCESS_CONTROL_ALLOW_HEADERS);
        prop_assert!(answer.len() <= 1);
        let granted = oracle_header_list(&answer.into_iter().map(<[u8]>::to_vec).collect::<Vec<_>>()).unwrap();
        let star = granted.iter().any(|g| g == "*");
        for g in &granted {
            prop_assert!(
                if g == "*" { policy.any_header } else { oracle_lists_header(policy, g) },
                "granted header {g:?} that the policy does not allow"
            );
            prop_assert_eq!(granted.iter().filter(|other| other.eq_ignore_ascii_case(g)).count(), 1);
        }
        for name in &names {
            let listed = granted.iter().any(|g| g.eq_ignore_ascii_case(name));
            prop_assert!(listed || star && oracle_wildcard_covers(policy, name), "requested {name:?} not granted");
        }
        return Ok(());
    }

    if probe.method == Method::OPTIONS && matches!(target, Target::Router(_)) {
        // A plain OPTIONS to a router: `Allow`, nothing CORS (a layer passes it on instead).
        prop_assert!(!has_cors_headers(headers));
        return Ok(());
    }

    match target.actual(&probe.method, &probe.path) {
        Lookup::NoPath | Lookup::NoMethod => {
            prop_assert!(response.status().is_client_error());
            prop_assert!(!has_cors_headers(headers));
        }
        Lookup::Policy(policy) => {
            let allowed = policy.is_public() || single_origin.is_some_and(|o| oracle_allows(&policy.origins(), o));
            let expected_status = if !allowed && policy.strict() { StatusCode::FORBIDDEN } else { StatusCode::OK };
            prop_assert_eq!(response.status(), expected_status);
            if !policy.is_public() {
                let vary = vary_tokens(headers);
                prop_assert_eq!(vary.iter().filter(|t| *t == "origin").count(), 1, "Vary: {:?}", vary);
            }
            if !allowed {
                prop_assert!(!has_cors_headers(headers), "CORS headers for a foreign origin: {headers:?}");
                return Ok(());
            }
            let expected_origin = if policy.is_public() { &b"*"[..] } else { single_origin.unwrap() };
            prop_assert_eq!(allow_origin, vec![expected_origin]);
            prop_assert_eq!(credentials.len(), usize::from(policy.credentials()));
            // The handler's own Access-Control-Allow-Methods never survives an actual response.
            prop_assert!(values(headers, &ACCESS_CONTROL_ALLOW_METHODS).is_empty());
        }
    }
    Ok(())
}

/// One runtime for every case: building one per request would dominate the run time.
fn block_on<F: Future>(future: F) -> F::Output {
    thread_local! {
        static RUNTIME: tokio::runtime::Runtime =
            tokio::runtime::Builder::new_current_thread().build().unwrap();
    }
    RUNTIME.with(|rt| rt.block_on(future))
}

fn call(app: &Router, request: Request<Body>) -> Response<Body> {
    block_on(app.clone().oneshot(request)).unwrap()
}

/// The route table as the oracle reads it, with each path as a client requests it.
fn router_under_test() -> (Router, Target) {
    let routes = routes![
        session_read,
        session_write,
        tenant_read,
        tenant_write,
        public_read,
        status,
        admin_read,
        admin_delete,
        intranet_read,
        intranet_write,
        run_time_read,
        run_time_delete
    ];
    run_time_policy();
    let table: Vec<(RouteMethod, &'static str, &'static Policy)> = routes
        .entries()
        .iter()
        .map(|e| (e.method, if e.path == "/tenants/{id}" { "/tenants/7" } else { e.path.clone().leak() }, e.policy))
        .collect();
    (routes.into(), Target::Router(Vec::leak(table)))
}

const ROUTER_PATHS: Paths = &[
    ("/session", &["GET", "POST"]),
    ("/tenants/7", &["GET", "PUT"]),
    ("/public", &["GET"]),
    ("/status", &["GET"]),
    ("/admin", &["GET", "DELETE"]),
    ("/intranet", &["GET", "PATCH"]),
    ("/run-time", &["GET", "DELETE"]),
    ("/nowhere", &["GET"]),
];
const LAYER_PATHS: Paths = &[("/", &["GET", "POST", "DELETE"]), ("/proxy/anything", &["PUT", "PATCH"])];

fn config() -> ProptestConfig {
    ProptestConfig { cases: 5000, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn router_answers_only_what_the_policies_allow(probe in probe(ROUTER_PATHS)) {
        thread_local! { static APP: (Router, Target) = router_under_test(); }
        let (app, target) = APP.with(|(app, target)| (app.clone(), *target));
        let response = call(&app, probe.request());
        check(target, &probe, &response)?;
    }

    #[test]
    fn layer_answers_only_what_its_policy_allows(which in 0..6usize, probe in probe(LAYER_PATHS)) {
        let policy = named_policies()[which];
        let app = Router::new()
            .fallback(|| async { leaky() })
            .layer(cors_runtime::PolicyLayer::__new(policy));
        let response = call(&app, probe.request());
        check(Target::Layer(policy), &probe, &response)?;
    }
}

// ---- generated allowlists

#[path = "reliability_props/allowlists.rs"]
mod allowlists;
