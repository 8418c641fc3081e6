//! Oversized input: 100 KB header values, a 20,000-entry `Access-Control-Request-Headers`,
//! thousands of repeated headers. Each gets a defined answer (exact status and headers) within
//! a time bound generous enough for a loaded 2-core machine, and leaves no memory behind: a
//! counting allocator shows every byte allocated while answering is freed once the response is.
//!
//! (Over a socket, hyper refuses most of this before any route runs: more than 100 headers, or
//! a head larger than its buffer, is an error response. In process nothing stands in front of
//! the runtime, which is what these tests want.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::response::IntoResponse;
use axum::Router;
use cors_runtime::{cors, cors_policy, routes};
use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use http::{HeaderMap, HeaderValue, Method, Request, StatusCode};
use tower::ServiceExt;

/// Live heap bytes allocated by this thread: each test runs on its own thread, with a
/// current-thread runtime, so its count is its own.
struct CountingAlloc;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

fn count(delta: isize) {
    // `try_with`: the allocator is also called while thread-locals are being torn down.
    let _ = LIVE.try_with(|live| live.set(live.get() + delta));
}

unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

fn live_bytes() -> isize {
    LIVE.with(Cell::get)
}

#[cors_policy(
    origins = ["https://app.example.com", "https://*.app.example.com"],
    credentials,
    headers = ["content-type", "x-request-id"],
)]
pub struct Session;

#[cors(GET "/data", policy = Session)]
async fn data() -> &'static str {
    "data"
}

/// A handler that answers with a thousand each of its own CORS and `Vary` headers. (More
/// would only time the `http` crate: removing a header's values is linear in release builds,
/// but much slower in the debug builds tests use.)
#[cors(GET "/noisy", policy = Session)]
async fn noisy() -> impl IntoResponse {
    let mut headers = HeaderMap::new();
    for i in 0..HANDLER_REPEATS {
        headers.append(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_str(&format!("https://x{i}.evil")).unwrap());
        headers.append(ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
        headers.append(VARY, HeaderValue::from_static("accept-encoding"));
    }
    (headers, "noisy")
}

const APP: &str = "https://app.example.com";
const BIG: usize = 100 * 1024;
const ENTRIES: usize = 20_000;
const REPEATS: usize = 5_000;
const HANDLER_REPEATS: usize = 1_000;
/// Each request takes milliseconds in a debug build on an idle machine; a loaded 2-core CI
/// machine gets two orders of magnitude of slack.
const BOUND: Duration = Duration::from_secs(2);

/// What came back, owned, so the response itself can be dropped before memory is counted.
#[derive(Debug)]
struct Answer {
    status: StatusCode,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

impl Answer {
    fn get(&self, name: &str) -> Vec<&[u8]> {
        self.headers.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_slice()).collect()
    }

    fn cors_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> =
            self.headers.iter().map(|(n, _)| n.as_str()).filter(|n| n.starts_with("access-control-")).collect();
        names.dedup();
        names
    }
}

/// Sends a request built by `build` twice: the first time warms up whatever is built lazily
/// and kept by design (the router's state, the one warning per noisy route); the second is
/// timed against [`BOUND`] and must leave the heap as it found it once the answer is dropped.
fn answer(method: Method, path: &str, build: impl Fn(&mut HeaderMap)) -> Answer {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let app: Router = routes![data, noisy].into();
    let send = || {
        let mut request = Request::builder().method(method.clone()).uri(path).body(Body::empty()).unwrap();
        build(request.headers_mut());
        let start = Instant::now();
        let response = runtime.block_on(app.clone().oneshot(request)).unwrap();
        let elapsed = start.elapsed();
        let (parts, body) = response.into_parts();
        let body = runtime.block_on(axum::body::to_bytes(body, usize::MAX)).unwrap().to_vec();
        let headers = parts.headers.iter().map(|(n, v)| (n.to_string(), v.as_bytes().to_vec())).collect();
        (Answer { status: parts.status, headers, body }, elapsed)
    };
    let (answer, _) = send();
    let before = live_bytes();
    let (again, elapsed) = send();
    drop(again);
    let retained = live_bytes() - before;
    assert!(elapsed < BOUND, "took {elapsed:?}");
    assert_eq!(retained, 0, "{retained} bytes allocated while answering are still live");
    eprintln!("{method} {path}: {} in {elapsed:?}, nothing retained", answer.status);
    answer
}

fn preflight(build: impl Fn(&mut HeaderMap)) -> Answer {
    answer(Method::OPTIONS, "/data", |headers| {
        headers.insert(ACCESS_CONTROL_REQUEST_METHOD, HeaderValue::from_static("GET"));
        build(headers)
    })
}

fn value(bytes: impl Into<Vec<u8>>) -> HeaderValue {
    HeaderValue::from_bytes(&bytes.into()).unwrap()
}

/// `n` comma-separated copies of `name`, then `last`.
fn list(name: &str, n: usize, last: &str) -> String {
    let mut list = vec![name; n];
    list.push(last);
    list.join(", ")
}

fn rejected(answer: &Answer, reason: &str) {
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(answer.cors_names().is_empty(), "{:?}", answer.cors_names());
    assert_eq!(answer.body, format!("CORS preflight rejected: {reason}\n").as_bytes());
}

#[test]
fn hundred_kilobyte_foreign_origins_are_refused() {
    let lookalike = format!("https://{}app.example.com", "a".repeat(BIG));
    let actual = answer(Method::GET, "/data", |h| drop(h.insert(ORIGIN, value(lookalike.as_str()))));
    assert_eq!(actual.status, StatusCode::OK);
    assert!(actual.cors_names().is_empty());
    assert_eq!(actual.get("vary"), [b"Origin"]);

    rejected(&preflight(|h| drop(h.insert(ORIGIN, value(lookalike.as_str())))), "origin not allowed");
}

/// 100 KB of valid-looking labels under an allowed pattern: no DNS name is that long (253
/// bytes at most), so no browser sends it and it is not reflected.
#[test]
fn hundred_kilobyte_subdomains_are_not_reflected() {
    let labels = format!("https://{}app.example.com", "a.".repeat(BIG / 2));
    let actual = answer(Method::GET, "/data", |h| drop(h.insert(ORIGIN, value(labels.as_str()))));
    assert_eq!(actual.status, StatusCode::OK);
    assert!(actual.cors_names().is_empty());
    rejected(&preflight(|h| drop(h.insert(ORIGIN, value(labels.as_str())))), "origin not allowed");
}

#[test]
fn hundred_kilobyte_request_headers_get_a_defined_answer() {
    let allowed = list("content-type", BIG / "content-type, ".len(), "x-request-id");
    let granted = preflight(|h| {
        h.insert(ORIGIN, HeaderValue::from_static(APP));
        h.insert(ACCESS_CONTROL_REQUEST_HEADERS, value(allowed.as_str()));
    });
    assert_eq!(granted.status, StatusCode::NO_CONTENT);
    assert_eq!(granted.get("access-control-allow-origin"), [APP.as_bytes()]);
    // Deduplicated from the policy's own spellings: the answer is small whatever was asked.
    assert_eq!(granted.get("access-control-allow-headers"), [b"content-type,x-request-id"]);

    let one_bad = list("content-type", BIG / "content-type, ".len(), "x-other");
    rejected(
        &preflight(|h| {
            h.insert(ORIGIN, HeaderValue::from_static(APP));
            h.insert(ACCESS_CONTROL_REQUEST_HEADERS, value(one_bad.as_str()));
        }),
        "a requested header is not allowed",
    );

    let one_name = "x".repeat(BIG);
    rejected(
        &preflight(|h| {
            h.insert(ORIGIN, HeaderValue::from_static(APP));
            h.insert(ACCESS_CONTROL_REQUEST_HEADERS, value(one_name.as_str()));
        }),
        "a requested header is not allowed",
    );
}

#[test]
fn twenty_thousand_requested_headers_get_a_defined_answer() {
    let granted = preflight(|h| {
        h.insert(ORIGIN, HeaderValue::from_static(APP));
        h.insert(ACCESS_CONTROL_REQUEST_HEADERS, value(list("X-Request-Id", ENTRIES - 1, "content-type")));
    });
    assert_eq!(granted.status, StatusCode::NO_CONTENT);
    assert_eq!(granted.get(ACCESS_CONTROL_ALLOW_HEADERS.as_str()), [b"x-request-id,content-type"]);

    rejected(
        &preflight(|h| {
            h.insert(ORIGIN, HeaderValue::from_static(APP));
            h.insert(ACCESS_CONTROL_REQUEST_HEADERS, value(list("content-type", ENTRIES - 1, "a b")));
        }),
        "malformed Access-Control-Request-Headers",
    );
    let many_distinct: Vec<String> = (0..ENTRIES).map(|i| format!("x-h{i}")).collect();
    rejected(
        &preflight(|h| {
            h.insert(ORIGIN, HeaderValue::from_static(APP));
            h.insert(ACCESS_CONTROL_REQUEST_HEADERS, value(many_distinct.join(",")));
        }),
        "a requested header is not allowed",
    );
}

#[test]
fn thousands_of_repeated_headers_get_a_defined_answer() {
    let repeat = |h: &mut HeaderMap, name, v: &'static str| {
        for _ in 0..REPEATS {
            h.append(&name, HeaderValue::from_static(v));
        }
    };
    let actual = answer(Method::GET, "/data", |h| repeat(h, ORIGIN, APP));
    assert_eq!(actual.status, StatusCode::OK);
    assert!(actual.cors_names().is_empty(), "a repeated Origin is ambiguous, so nothing is allowed");
    assert_eq!(actual.get("vary"), [b"Origin"]);

    rejected(&preflight(|h| repeat(h, ORIGIN, APP)), "more than one Origin header");
    rejected(
        &answer(Method::OPTIONS, "/data", |h| {
            h.insert(ORIGIN, HeaderValue::from_static(APP));
            repeat(h, ACCESS_CONTROL_REQUEST_METHOD, "GET");
        }),
        "Access-Control-Request-Method must be one method, sent once",
    );
    let granted = preflight(|h| {
        h.insert(ORIGIN, HeaderValue::from_static(APP));
        repeat(h, ACCESS_CONTROL_REQUEST_HEADERS, "content-type");
    });
    assert_eq!(granted.status, StatusCode::NO_CONTENT);
    assert_eq!(granted.get("access-control-allow-headers"), [b"content-type"]);
}

#[test]
fn thousands_of_handler_cors_headers_collapse_to_the_policys_own() {
    let noisy = answer(Method::GET, "/noisy", |h| drop(h.insert(ORIGIN, HeaderValue::from_static(APP))));
    assert_eq!(noisy.status, StatusCode::OK);
    assert_eq!(noisy.get("access-control-allow-origin"), [APP.as_bytes()]);
    assert_eq!(noisy.get("access-control-allow-credentials"), [b"true"]);
    let vary = noisy.get("vary");
    assert_eq!(vary.len(), 1, "the handler's Vary values and Origin are merged into one");
    let tokens: Vec<&[u8]> = vary[0].split(|&b| b == b',').map(<[u8]>::trim_ascii).collect();
    assert_eq!(tokens.iter().filter(|t| t.eq_ignore_ascii_case(b"origin")).count(), 1);
    assert_eq!(tokens.len(), HANDLER_REPEATS + 1);
}
