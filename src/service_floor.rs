//! The `service` example's CORS written by hand, as little of it as answers the service's
//! requests (`service --cors floor`): the load test's yardstick (DESIGN §9.4).
//! `tests/load/instructions.sh` counts each request the service with `Routes::layer()`, without
//! CORS, and with this in the layer's place (`Router::layer` around the same plain routes and
//! auth), so what the library costs beyond the least code in its position is measured.
//!
//! Deliberately not general, like `bench/src/floor`: the service's five policies are constants,
//! its routes a `match` on their paths, an origin compared with the deployment's list (exact
//! origins: the `APP_ORIGINS` in force, read once) or with the one admin origin. It logs nothing,
//! and it knows the service's handlers set no CORS header and no `Vary`, so it inserts them.
//! It answers what browsers send: one `Origin`, and a preflight's one
//! `Access-Control-Request-Headers` line, checked name by name and echoed (the library rebuilds
//! it in the policy's spelling; a browser's list is the same bytes). It reads no
//! `Access-Control-Request-Private-Network`: no policy of the service allows it, and a browser
//! takes the missing answer as a refusal. `tests/examples.rs` checks that its answers carry the
//! same status, `Access-Control-*` headers and `Vary` as the service's own (axum adds `Allow` to
//! the floor's preflight answers, the plain routes having no `OPTIONS` route; browsers ignore it).

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_HEADERS,
    ACCESS_CONTROL_REQUEST_METHOD, ALLOW, CONTENT_LENGTH, CONTENT_TYPE, ORIGIN, VARY,
};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use tower::{Layer, Service};

const STAR: HeaderValue = HeaderValue::from_static("*");
const TRUE: HeaderValue = HeaderValue::from_static("true");
const ZERO: HeaderValue = HeaderValue::from_static("0");
const TEXT_PLAIN: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");
/// Every policy of the service caches preflights for 600 s (`AppSession` says so, the others
/// by default).
const MAX_AGE: HeaderValue = HeaderValue::from_static("600");
const VARY_ORIGIN: HeaderValue = HeaderValue::from_static("Origin");
const VARY_PREFLIGHT: HeaderValue =
    HeaderValue::from_static("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");

enum Origins {
    Any,
    /// `APP_ORIGINS`, or its default.
    Deployed,
    Admin,
}

/// One of the service's policies.
pub struct Policy {
    origins: Origins,
    credentials: bool,
    expose: Option<HeaderValue>,
    /// What a preflight may ask for, lowercase.
    headers: &'static [&'static str],
    strict: bool,
}

/// `public::status`: `public`, nothing more.
static PUBLIC: Policy = Policy { origins: Origins::Any, credentials: false, expose: None, headers: &[], strict: false };
static PUBLIC_READ: Policy = Policy {
    origins: Origins::Any,
    credentials: false,
    expose: Some(HeaderValue::from_static("etag, link, retry-after")),
    headers: &[],
    strict: false,
};
static APP_SESSION: Policy = Policy {
    origins: Origins::Deployed,
    credentials: true,
    expose: Some(HeaderValue::from_static("etag, x-request-id")),
    headers: &["authorization", "content-type", "x-request-id"],
    strict: false,
};
/// `orders::show`'s own.
static ORDER_READ: Policy = Policy {
    origins: Origins::Deployed,
    credentials: true,
    expose: Some(HeaderValue::from_static("etag")),
    headers: &[],
    strict: false,
};
static ADMIN_ONLY: Policy =
    Policy { origins: Origins::Admin, credentials: true, expose: None, headers: &["authorization"], strict: true };

/// A path of the service: its routes' methods with their policies, and the `Allow` of a plain
/// `OPTIONS`.
struct Path {
    routes: &'static [(Method, &'static Policy)],
    allow: HeaderValue,
}

const GET_ONLY: HeaderValue = HeaderValue::from_static("GET, HEAD, OPTIONS");
static STATUS: Path = Path { routes: &[(Method::GET, &PUBLIC)], allow: GET_ONLY };
static CATALOG: Path = Path { routes: &[(Method::GET, &PUBLIC_READ)], allow: GET_ONLY };
static PROFILE: Path = Path { routes: &[(Method::GET, &APP_SESSION)], allow: GET_ONLY };
static ORDERS: Path =
    Path { routes: &[(Method::POST, &APP_SESSION)], allow: HeaderValue::from_static("POST, OPTIONS") };
static ORDER: Path = Path {
    routes: &[
        (Method::GET, &ORDER_READ),
        (Method::PUT, &APP_SESSION),
        (Method::PATCH, &APP_SESSION),
        (Method::DELETE, &APP_SESSION),
    ],
    allow: HeaderValue::from_static("GET, HEAD, PUT, PATCH, DELETE, OPTIONS"),
};
static AUDIT: Path = Path { routes: &[(Method::GET, &ADMIN_ONLY)], allow: GET_ONLY };

#[inline]
fn path(path: &str) -> Option<&'static Path> {
    match path.strip_prefix("/api")? {
        "/profile" => Some(&PROFILE),
        "/catalog" => Some(&CATALOG),
        "/status" => Some(&STATUS),
        "/orders" => Some(&ORDERS),
        "/admin/audit" => Some(&AUDIT),
        other => other.strip_prefix("/orders/").filter(|id| !id.is_empty() && !id.contains('/')).map(|_| &ORDER),
    }
}

impl Path {
    /// The policy of the route for `method`; `HEAD` is the `GET` route's, as axum routes it.
    #[inline]
    fn policy(&self, method: &[u8]) -> Option<&'static Policy> {
        let find = |wanted: &[u8]| self.routes.iter().find(|(m, _)| m.as_str().as_bytes() == wanted);
        find(method).or_else(|| if method == b"HEAD" { find(b"GET") } else { None }).map(|(_, policy)| *policy)
    }

    /// A preflight's answer, or `204` with `Allow` for a plain `OPTIONS`.
    fn options(&self, headers: &HeaderMap, deployed: &[Box<str>]) -> Response {
        let Some(method) = headers.get(ACCESS_CONTROL_REQUEST_METHOD) else {
            let mut response = with_status(StatusCode::NO_CONTENT, Body::empty());
            response.headers_mut().insert(ALLOW, self.allow.clone());
            return response;
        };
        if !headers.contains_key(ORIGIN) {
            return refused("CORS preflight rejected: no Origin header\n", VARY_PREFLIGHT);
        }
        let Some(policy) = self.policy(method.as_bytes()) else {
            return refused(
                "CORS preflight rejected: no route for the requested method at this path\n",
                VARY_PREFLIGHT,
            );
        };
        let Some(origin) = policy.allow(headers, deployed) else {
            return refused("CORS preflight rejected: origin not allowed\n", VARY_PREFLIGHT);
        };
        let requested = headers.get(ACCESS_CONTROL_REQUEST_HEADERS);
        let listed = |name: &[u8]| policy.headers.iter().any(|own| own.as_bytes().eq_ignore_ascii_case(name));
        if let Some(requested) = requested {
            if !requested.as_bytes().split(|b| *b == b',').map(<[u8]>::trim_ascii).all(|n| n.is_empty() || listed(n)) {
                return refused("CORS preflight rejected: a requested header is not allowed\n", VARY_PREFLIGHT);
            }
        }
        let mut response = with_status(StatusCode::NO_CONTENT, Body::empty());
        let out = response.headers_mut();
        out.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        if policy.credentials {
            out.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
        }
        out.insert(ACCESS_CONTROL_ALLOW_METHODS, method.clone());
        if let Some(requested) = requested {
            out.insert(ACCESS_CONTROL_ALLOW_HEADERS, requested.clone());
        }
        out.insert(ACCESS_CONTROL_MAX_AGE, MAX_AGE);
        out.insert(VARY, VARY_PREFLIGHT);
        // What axum would add to the empty body.
        out.insert(CONTENT_LENGTH, ZERO);
        response
    }
}

impl Policy {
    /// `Access-Control-Allow-Origin` for a request with these headers, if its origin is allowed.
    #[inline]
    fn allow(&self, headers: &HeaderMap, deployed: &[Box<str>]) -> Option<HeaderValue> {
        if let Origins::Any = self.origins {
            return Some(STAR);
        }
        let origin = headers.get(ORIGIN)?;
        let allowed = match self.origins {
            Origins::Admin => origin == "https://admin.example.com",
            _ => deployed.iter().any(|entry| entry.as_bytes() == origin.as_bytes()),
        };
        allowed.then(|| origin.clone())
    }

    /// The CORS headers of an actual response (its handler set none, nor `Vary`).
    #[inline]
    fn finish(&self, allow: Option<HeaderValue>, headers: &mut HeaderMap) {
        if let Some(origin) = allow {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            if self.credentials {
                headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
            }
            if let Some(expose) = &self.expose {
                headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, expose.clone());
            }
        }
        if !matches!(self.origins, Origins::Any) {
            headers.insert(VARY, VARY_ORIGIN);
        }
    }
}

fn with_status(status: StatusCode, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response
}

/// `403` with a one-line reason and no CORS headers.
#[cold]
fn refused(reason: &'static str, vary: HeaderValue) -> Response {
    let mut response = with_status(StatusCode::FORBIDDEN, Body::from(reason));
    response.headers_mut().insert(CONTENT_TYPE, TEXT_PLAIN);
    response.headers_mut().insert(VARY, vary);
    response
}

/// The floor where the service applies `Routes::layer()`: through `Router::layer`, outermost.
#[derive(Clone, Copy)]
pub struct FloorLayer {
    deployed: &'static [Box<str>],
}

impl FloorLayer {
    /// `deployed`: the origins `APP_ORIGINS` allows, as the service's policy read them
    /// (`AppSession::layer().policy().origins()`); exact origins only: a subdomain pattern is
    /// an error that names it.
    pub fn new(deployed: Vec<String>) -> Result<FloorLayer, String> {
        if let Some(pattern) = deployed.iter().find(|o| o.contains('*')) {
            return Err(format!(
                "the hand-written floor compares exact origins, and APP_ORIGINS has the pattern `{pattern}`: list exact origins"
            ));
        }
        Ok(FloorLayer { deployed: Vec::leak(deployed.into_iter().map(String::into_boxed_str).collect()) })
    }
}

impl<S> Layer<S> for FloorLayer {
    type Service = FloorService<S>;

    fn layer(&self, inner: S) -> FloorService<S> {
        FloorService { inner, deployed: self.deployed }
    }
}

#[derive(Clone)]
pub struct FloorService<S> {
    inner: S,
    deployed: &'static [Box<str>],
}

impl<S> Service<Request> for FloorService<S>
where
    S: Service<Request, Response = Response>,
    S::Future: Unpin,
{
    type Response = Response;
    type Error = S::Error;
    type Future = FloorFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let Some(path) = path(request.uri().path()) else {
            return FloorFuture::Inner { inner: self.inner.call(request), cors: None };
        };
        if request.method() == Method::OPTIONS {
            return FloorFuture::Answered { response: Some(path.options(request.headers(), self.deployed)) };
        }
        // A method the path has no route for (axum answers 405) is not CORS's.
        let Some(policy) = path.policy(request.method().as_str().as_bytes()) else {
            return FloorFuture::Inner { inner: self.inner.call(request), cors: None };
        };
        let allow = policy.allow(request.headers(), self.deployed);
        if allow.is_none() && policy.strict {
            let refusal = refused("CORS: origin not allowed for this route\n", VARY_ORIGIN);
            return FloorFuture::Answered { response: Some(refusal) };
        }
        FloorFuture::Inner { inner: self.inner.call(request), cors: Some((policy, allow)) }
    }
}

pub enum FloorFuture<F> {
    Inner { inner: F, cors: Option<(&'static Policy, Option<HeaderValue>)> },
    Answered { response: Option<Response> },
}

impl<F, E> Future for FloorFuture<F>
where
    F: Future<Output = Result<Response, E>> + Unpin,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            FloorFuture::Inner { inner, cors } => {
                let mut response = ready!(Pin::new(inner).poll(cx))?;
                if let Some((policy, allow)) = cors.take() {
                    policy.finish(allow, response.headers_mut());
                }
                Poll::Ready(Ok(response))
            }
            FloorFuture::Answered { response } => Poll::Ready(Ok(response.take().expect("polled once"))),
        }
    }
}
