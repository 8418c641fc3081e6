//! The whole router, and a policy as a layer, with arbitrary header bytes. Input: a first byte
//! that picks the method, path and app, then `\n`-separated header lines whose first byte picks
//! the header (mostly the CORS ones) and whose rest is its value. Whatever arrives: no panic,
//! at most one `Access-Control-Allow-Origin`, never `*` with credentials, and an origin is
//! reflected only if it is the request's one `Origin` and the policy allows it.
#![no_main]

use std::sync::OnceLock;

use axum::body::Body;
use axum::Router;
use cors_runtime::{cors, cors_policy, routes};
use http::header::{ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN};
use http::{HeaderName, HeaderValue, Method, Request};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

#[cors_policy(
    origins = ["https://app.example.com", "http://localhost:5173", "https://*.app.example.com"],
    credentials,
    headers = ["content-type", "x-request-id"],
    expose = ["etag"],
)]
pub struct Session;

#[cors_policy(origins = "*", headers = ["*"])]
pub struct Anyone;

#[cors(GET "/data", policy = Session)]
async fn data() -> [(&'static str, &'static str); 2] {
    [("access-control-allow-origin", "*"), ("vary", "accept-encoding")]
}

#[cors(DELETE "/data", origins = ["https://admin.example.com"], credentials, strict)]
async fn remove() -> &'static str {
    "removed"
}

#[cors(GET "/public", public, policy = Anyone)]
async fn public() -> &'static str {
    "public"
}

/// Whether the fuzz policies allow `origin`, decided without the runtime's matcher.
fn allowed(origin: &[u8]) -> bool {
    let exact: [&[u8]; 3] = [b"https://app.example.com", b"http://localhost:5173", b"https://admin.example.com"];
    if exact.contains(&origin) {
        return true;
    }
    let Some(sub) = origin.strip_prefix(b"https://").and_then(|o| o.strip_suffix(b".app.example.com")) else {
        return false;
    };
    sub.split(|&b| b == b'.').all(|label| {
        !label.is_empty() && label.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_".contains(b))
    })
}

const METHODS: [Method; 4] = [Method::GET, Method::OPTIONS, Method::DELETE, Method::POST];
const PATHS: [&str; 3] = ["/data", "/public", "/elsewhere"];
const NAMES: [&str; 7] = [
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
    "access-control-request-private-network",
    "vary",
    "access-control-allow-origin",
    "x-other",
];

fn apps() -> &'static (tokio::runtime::Runtime, Router, Router) {
    static APPS: OnceLock<(tokio::runtime::Runtime, Router, Router)> = OnceLock::new();
    APPS.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let router: Router = routes![data, remove, public].into();
        let layered = Router::new().fallback(|| async { "upstream" }).layer(Session::layer());
        (runtime, router, layered)
    })
}

fuzz_target!(|input: &[u8]| {
    let Some((&first, rest)) = input.split_first() else { return };
    let (runtime, router, layered) = apps();
    let app = if first & 0x80 == 0 { router } else { layered };
    let method = METHODS[usize::from(first) % METHODS.len()].clone();
    let path = PATHS[usize::from(first >> 2) % PATHS.len()];
    let mut request = Request::builder().method(method).uri(path).body(Body::empty()).unwrap();
    for line in rest.split(|&b| b == b'\n') {
        let Some((&pick, value)) = line.split_first() else { continue };
        let name = HeaderName::from_static(NAMES[usize::from(pick) % NAMES.len()]);
        if let Ok(value) = HeaderValue::from_bytes(value) {
            request.headers_mut().append(name, value);
        }
    }
    let origins: Vec<HeaderValue> = request.headers().get_all(ORIGIN).iter().cloned().collect();

    let response = runtime.block_on(app.clone().oneshot(request)).unwrap();
    let headers = response.headers();
    let allow_origin: Vec<&HeaderValue> = headers.get_all(ACCESS_CONTROL_ALLOW_ORIGIN).iter().collect();
    let credentials = headers.get_all(ACCESS_CONTROL_ALLOW_CREDENTIALS).iter().count();
    assert!(allow_origin.len() <= 1, "{headers:?}");
    assert!(credentials <= 1, "{headers:?}");
    match allow_origin.first() {
        None => assert_eq!(credentials, 0, "{headers:?}"),
        Some(v) if *v == "*" => assert_eq!(credentials, 0, "`*` with credentials: {headers:?}"),
        Some(v) => {
            assert_eq!(origins.as_slice(), [(*v).clone()], "reflected something other than the one Origin");
            assert!(allowed(v.as_bytes()), "reflected a foreign origin: {v:?}");
        }
    }
});
