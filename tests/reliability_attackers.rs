//! A corpus of attacker origins, each tried against an exact list and a subdomain pattern,
//! through the real router (`routes![...]`), through `NAME::layer()`, through `Routes::layer()`
//! around a middleware, with the same lists read from the environment (`env(...)`), and with
//! them inserted while the service runs (`origins = dynamic`), as an actual request, a strict
//! route and a preflight: none may be reflected, none may reach a strict handler.
//! Positive controls prove the same requests are granted for the real origins, so a runtime
//! that granted nothing would fail here too.

use axum::body::Body;
use axum::Router;
use cors_runtime::{cors, cors_policy, routes};
use http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN, VARY};
use http::{HeaderValue, Method, Request, Response, StatusCode};
use tower::ServiceExt;

#[cors_policy(origins = ["https://app.example.com", "http://localhost:5173", "https://api.example.com:8443"], credentials)]
pub struct ExactList;

#[cors_policy(origins = ["https://*.app.example.com"], credentials)]
pub struct Subdomains;

#[cors_policy(origins = ["https://app.example.com", "https://*.app.example.com"], strict)]
pub struct StrictBoth;

#[cors(GET "/exact", policy = ExactList)]
async fn exact() -> &'static str {
    "exact"
}

#[cors(GET "/pattern", policy = Subdomains)]
async fn pattern() -> &'static str {
    "pattern"
}

#[cors(GET "/strict", policy = StrictBoth)]
async fn strict() -> &'static str {
    "strict"
}

// The same three policies, their lists read at start-up.
#[cors_policy(origins = env("ATTACK_EXACT"), credentials)]
pub struct ExactEnv;

#[cors_policy(origins = env("ATTACK_PATTERN"), credentials)]
pub struct SubdomainsEnv;

#[cors_policy(origins = env("ATTACK_STRICT"), strict)]
pub struct StrictEnv;

mod from_env {
    use super::*;

    #[cors(GET "/exact", policy = ExactEnv)]
    pub async fn exact() -> &'static str {
        "exact"
    }

    #[cors(GET "/pattern", policy = SubdomainsEnv)]
    pub async fn pattern() -> &'static str {
        "pattern"
    }

    #[cors(GET "/strict", policy = StrictEnv)]
    pub async fn strict() -> &'static str {
        "strict"
    }
}

// The same three policies, their lists inserted while the service runs.
#[cors_policy(origins = dynamic, credentials)]
pub struct ExactRunTime;

#[cors_policy(origins = dynamic, credentials)]
pub struct SubdomainsRunTime;

#[cors_policy(origins = dynamic, strict)]
pub struct StrictRunTime;

mod run_time {
    use super::*;

    #[cors(GET "/exact", policy = ExactRunTime)]
    pub async fn exact() -> &'static str {
        "exact"
    }

    #[cors(GET "/pattern", policy = SubdomainsRunTime)]
    pub async fn pattern() -> &'static str {
        "pattern"
    }

    #[cors(GET "/strict", policy = StrictRunTime)]
    pub async fn strict() -> &'static str {
        "strict"
    }
}

/// The environment the `env(...)` policies read, set before any of them loads.
fn environment() {
    static SET: std::sync::Once = std::sync::Once::new();
    SET.call_once(|| {
        std::env::set_var("ATTACK_EXACT", "https://app.example.com http://localhost:5173 https://api.example.com:8443");
        std::env::set_var("ATTACK_PATTERN", "https://*.app.example.com");
        std::env::set_var("ATTACK_STRICT", "https://app.example.com,https://*.app.example.com");
    });
}

/// Origins that each policy above allows.
const ALLOWED: &[(&str, &str)] = &[
    ("/exact", "https://app.example.com"),
    ("/exact", "http://localhost:5173"),
    ("/exact", "https://api.example.com:8443"),
    ("/pattern", "https://eu.app.example.com"),
    ("/pattern", "https://a-1.b_2.app.example.com"),
    ("/pattern", "https://xn--u-9fa.app.example.com"),
    ("/strict", "https://app.example.com"),
    ("/strict", "https://eu.app.example.com"),
];

/// Origins no policy above allows, as bytes (some are not UTF-8).
const ATTACKERS: &[&[u8]] = &[
    // Suffix and prefix tricks.
    b"https://app.example.com.evil.com",
    b"https://eu.app.example.com.evil.com",
    b"https://app.example.comevil.com",
    b"https://evilapp.example.com",
    b"https://evil-app.example.com",
    b"https://app.example.co",
    b"https://app.example.com.",
    b"https://eu.app.example.com.",
    b"https://appxexample.com",
    b"https://example.com",
    b"https://.app.example.com",
    b"https://eu..app.example.com",
    b"https://-eu.app.example.com",
    b"https://eu-.app.example.com",
    b"https://*.app.example.com",
    // Scheme and port swaps.
    b"http://app.example.com",
    b"http://eu.app.example.com",
    b"https://localhost:5173",
    b"http://localhost:5174",
    b"http://localhost",
    b"https://api.example.com",
    b"https://api.example.com:8444",
    b"https://app.example.com:443",
    b"https://eu.app.example.com:443",
    b"https://eu.app.example.com:8443",
    b"https://app.example.com:",
    b"wss://app.example.com",
    b"ftp://eu.app.example.com",
    b"app.example.com",
    b"//app.example.com",
    // Case variants: browsers send origins in lowercase.
    b"HTTPS://APP.EXAMPLE.COM",
    b"https://App.example.com",
    b"https://EU.app.example.com",
    b"https://eu.APP.example.com",
    // Trailing slashes, paths, queries, fragments.
    b"https://app.example.com/",
    b"https://eu.app.example.com/",
    b"https://app.example.com/path",
    b"https://app.example.com?q",
    b"https://app.example.com#f",
    b"https://eu.app.example.com/.app.example.com",
    // `null` and other non-origins.
    b"null",
    b"NULL",
    b"",
    b"*",
    b"undefined",
    // Userinfo.
    b"https://user@app.example.com",
    b"https://app.example.com@evil.com",
    b"https://eu.app.example.com@evil.com",
    b"https://evil.com#@app.example.com",
    b"https://evil.com\\@eu.app.example.com",
    // Whitespace (inside, and around: hyper trims the latter before the runtime sees it).
    b" https://app.example.com",
    b"https://app.example.com ",
    b"https://app.example.com\t",
    b"https://app .example.com",
    b"https://eu .app.example.com",
    b"https://app.example.com, https://evil.com",
    b"https://eu.app.example.com https://evil.com",
    // Unicode look-alikes (Cyrillic `а`, fullwidth dot) and their punycode.
    "https://аpp.example.com".as_bytes(),
    "https://eu.аpp.example.com".as_bytes(),
    "https://app．example.com".as_bytes(),
    "https://eu.app．example.com".as_bytes(),
    "https://éu.app.example.com".as_bytes(),
    b"https://xn--pp-7kc.example.com",
    b"https://eu.xn--pp-7kc.example.com",
    // Not UTF-8 (obs-text bytes are legal in an HTTP field value).
    b"https://app.example.com\xff",
    b"https://\xe0pp.example.com",
    b"https://eu.app.example.com\x80",
    b"https://eu\xc0\xae.app.example.com",
    // A label longer than DNS allows.
    b"https://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.app.example.com",
];

/// Control bytes cannot even be put into a `HeaderValue` (and hyper answers `400` before any
/// route runs), so no policy ever sees them; this asserts the first half of that.
const UNREPRESENTABLE: &[&[u8]] = &[
    b"https://app.example.com\x00",
    b"https://app.example.com\r\nAccess-Control-Allow-Origin: *",
    b"https://app.example.com\n",
    b"https://eu.app.example.com\x7f",
    b"https://\x1bapp.example.com",
];

fn router() -> Router {
    routes![exact, pattern, strict].into()
}

/// One layered router per policy, each serving every path with a plain handler.
fn layered(path: &str) -> Router {
    let inner = Router::new().fallback(|| async { "upstream" });
    match path {
        "/exact" => inner.layer(ExactList::layer()),
        "/pattern" => inner.layer(Subdomains::layer()),
        _ => inner.layer(StrictBoth::layer()),
    }
}

async fn send(app: Router, method: Method, path: &str, origin: &[u8]) -> Response<Body> {
    let mut request = Request::builder().method(method.clone()).uri(path);
    request = request.header(ORIGIN, HeaderValue::from_bytes(origin).unwrap());
    if method == Method::OPTIONS {
        request = request.header("access-control-request-method", "GET");
    }
    app.oneshot(request.body(Body::empty()).unwrap()).await.unwrap()
}

async fn body(response: Response<Body>) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn varies_on_origin(response: &Response<Body>) -> bool {
    response
        .headers()
        .get_all(VARY)
        .iter()
        .flat_map(|v| v.to_str().unwrap().split(','))
        .any(|t| t.trim().eq_ignore_ascii_case("origin"))
}

/// The table behind `Routes::layer()`, with a middleware inside that would otherwise answer.
fn routes_layered() -> Router {
    let table = routes![exact, pattern, strict];
    let cors = table.layer();
    let inside = axum::middleware::from_fn(|request: axum::extract::Request, next: axum::middleware::Next| async {
        next.run(request).await
    });
    Router::from(table).layer(inside).layer(cors)
}

fn from_env() -> Router {
    environment();
    routes![from_env::exact, from_env::pattern, from_env::strict].into()
}

fn from_run_time() -> Router {
    static FILLED: std::sync::Once = std::sync::Once::new();
    FILLED.call_once(|| {
        let exact = ["https://app.example.com", "http://localhost:5173", "https://api.example.com:8443"];
        ExactRunTime::origins().replace(exact).unwrap();
        SubdomainsRunTime::origins().insert("https://*.app.example.com").unwrap();
        StrictRunTime::origins().replace(["https://app.example.com", "https://*.app.example.com"]).unwrap();
    });
    routes![run_time::exact, run_time::pattern, run_time::strict].into()
}

/// Each app the corpus is tried through, by name.
fn apps(path: &str) -> [(&'static str, Router); 5] {
    [
        ("routes![...]", router()),
        ("NAME::layer()", layered(path)),
        ("Routes::layer()", routes_layered()),
        ("env(...)", from_env()),
        ("dynamic", from_run_time()),
    ]
}

#[tokio::test]
async fn allowed_origins_are_granted() {
    for (path, origin) in ALLOWED {
        for (via, app) in apps(path) {
            let actual = send(app.clone(), Method::GET, path, origin.as_bytes()).await;
            assert_eq!(actual.status(), StatusCode::OK, "{via} {path} {origin}");
            assert_eq!(actual.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(), origin, "{via} {path}");
            let preflight = send(app, Method::OPTIONS, path, origin.as_bytes()).await;
            assert_eq!(preflight.status(), StatusCode::NO_CONTENT, "{via} {path} {origin}");
            assert_eq!(preflight.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(), origin, "{via} {path}");
        }
    }
}

#[tokio::test]
async fn no_attacker_origin_is_reflected_anywhere() {
    for origin in ATTACKERS {
        let shown = String::from_utf8_lossy(origin);
        for path in ["/exact", "/pattern", "/strict"] {
            for (via, app) in apps(path) {
                let actual = send(app.clone(), Method::GET, path, origin).await;
                let cors: Vec<_> =
                    actual.headers().keys().filter(|n| n.as_str().starts_with("access-control-")).collect();
                assert!(cors.is_empty(), "{via} GET {path} with Origin {shown:?} got {cors:?}");
                assert!(varies_on_origin(&actual), "{via} GET {path} with Origin {shown:?}: no Vary: Origin");
                if path == "/strict" {
                    assert_eq!(actual.status(), StatusCode::FORBIDDEN, "{via} strict handler ran for {shown:?}");
                } else {
                    assert_eq!(actual.status(), StatusCode::OK, "{via} {path} {shown:?}");
                }

                let preflight = send(app, Method::OPTIONS, path, origin).await;
                assert_eq!(preflight.status(), StatusCode::FORBIDDEN, "{via} preflight {path} {shown:?}");
                assert!(preflight.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
                assert_eq!(
                    body(preflight).await,
                    "CORS preflight rejected: origin not allowed\n",
                    "{via} {path} {shown:?}"
                );
            }
        }
    }
}

#[test]
fn control_bytes_cannot_reach_a_policy() {
    for origin in UNREPRESENTABLE {
        assert!(HeaderValue::from_bytes(origin).is_err(), "{:?}", String::from_utf8_lossy(origin));
    }
}

/// Over a real socket, hyper trims the whitespace around a field value (it is not part of the
/// value), refuses control bytes with `400`, and hands obs-text bytes through to the policy.
#[tokio::test]
async fn over_the_wire_the_corpus_is_refused_too() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, router()).await });

    let raw = |origin: &[u8]| {
        let mut request = b"GET /pattern HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nOrigin: ".to_vec();
        request.extend_from_slice(origin);
        request.extend_from_slice(b"\r\n\r\n");
        request
    };
    let exchange = |request: Vec<u8>| async move {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream.write_all(&request).await.unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.unwrap();
        String::from_utf8_lossy(&answer).to_ascii_lowercase()
    };

    let granted = exchange(raw(b"  https://eu.app.example.com\t")).await;
    assert!(granted.starts_with("http/1.1 200"), "{granted}");
    assert!(granted.contains("access-control-allow-origin: https://eu.app.example.com\r\n"), "{granted}");

    for origin in ATTACKERS.iter().filter(|o| o.trim_ascii() == **o).chain(UNREPRESENTABLE) {
        let answer = exchange(raw(origin)).await;
        assert!(!answer.contains("access-control-"), "{:?} got {answer}", String::from_utf8_lossy(origin));
        assert!(
            answer.starts_with("http/1.1 200") || answer.starts_with("http/1.1 400"),
            "{:?} got {answer}",
            String::from_utf8_lossy(origin)
        );
    }
    server.abort();
}
