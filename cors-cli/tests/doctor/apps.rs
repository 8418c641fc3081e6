//! The servers doctor is pointed at. Each is a real axum app on a real socket; the
//! misconfigured ones are written the way real services get CORS wrong: tower-http set up too
//! loosely, hand-written middleware, auth in the wrong place, redirects.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{any, get};
use axum::Router;
use cors_runtime::{cors, routes};
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::APP;

/// `/orders` for every method a test calls, answering `200` with an `etag`.
fn orders() -> Router {
    async fn ok() -> impl IntoResponse {
        ([("etag", "\"o1\"")], "[]")
    }
    Router::new().route("/orders", get(ok).post(ok).put(ok).delete(ok))
}

/// Written with this project: the policy next to the handler.
pub fn cors_runtime_app() -> Router {
    cors_runtime_routes().into()
}

/// `cors_runtime_app`'s routes, whose table `--routes` reads.
pub fn cors_runtime_routes() -> cors_runtime::Routes<()> {
    #[cors(GET "/orders", origins = ["https://app.example.com"], credentials, expose = ["etag"])]
    async fn list() -> impl IntoResponse {
        ([("etag", "\"o1\"")], "[]")
    }
    #[cors(PUT "/orders", origins = ["https://app.example.com"], credentials, headers = ["content-type"])]
    async fn replace() -> &'static str {
        "{}"
    }
    #[cors(GET "/catalog", public, expose = ["etag"])]
    async fn catalog() -> &'static str {
        "[]"
    }
    routes![list, replace, catalog]
}

/// tower-http set up by the book, except for the one setting each test names.
pub fn tower_http(layer: CorsLayer) -> Router {
    orders().layer(layer)
}

/// The base every tower-http case changes one thing of: the app's origin, credentials, the
/// methods and headers the app uses, ten minutes of preflight cache.
pub fn by_the_book() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(HeaderValue::from_static(APP))
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::POST, Method::PUT])
        .allow_headers([http::header::CONTENT_TYPE])
        .expose_headers([http::header::ETAG])
        .max_age(Duration::from_secs(600))
}

/// `mirror_request()`: every origin is "allowed", with credentials.
pub fn reflecting() -> Router {
    tower_http(by_the_book().allow_origin(AllowOrigin::mirror_request()))
}

/// What a hand-written CORS middleware adds to a response, given the request's origin and
/// whether it is a preflight (which the middleware answers itself with `204`).
pub type HandWritten = fn(origin: &str, preflight: bool) -> Vec<(&'static str, String)>;

/// `/orders` behind hand-written CORS middleware.
pub fn hand_written(headers: HandWritten) -> Router {
    orders().layer(from_fn_with_state(headers, add_headers))
}

async fn add_headers(State(headers): State<HandWritten>, request: Request, next: Next) -> Response {
    let origin = request.headers().get("origin").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let preflight =
        request.method() == Method::OPTIONS && request.headers().contains_key("access-control-request-method");
    let mut response = if preflight { StatusCode::NO_CONTENT.into_response() } else { next.run(request).await };
    for (name, value) in headers(&origin, preflight) {
        response.headers_mut().append(name, HeaderValue::from_str(&value).unwrap());
    }
    response
}

/// The preflight part every hand-written policy below shares.
pub fn preflight_headers() -> Vec<(&'static str, String)> {
    vec![
        ("access-control-allow-methods", "GET, POST, PUT".into()),
        ("access-control-allow-headers", "content-type".into()),
    ]
}

/// Checks `allowed(origin)`, then answers like the field guide's nginx map does.
pub fn allowing(origin: &str, preflight: bool, allowed: bool) -> Vec<(&'static str, String)> {
    if !allowed {
        return vec![("vary", "Origin".into())];
    }
    let mut headers = vec![
        ("access-control-allow-origin", origin.to_string()),
        ("access-control-allow-credentials", "true".into()),
        ("vary", "Origin".into()),
    ];
    if preflight {
        headers.extend(preflight_headers());
    }
    headers
}

/// Two owners: the service allows the app's origin, and so does a gateway-like layer around it.
pub fn two_owners() -> Router {
    fn owner(origin: &str, preflight: bool) -> Vec<(&'static str, String)> {
        allowing(origin, preflight, origin == APP)
    }
    hand_written(owner).layer(from_fn_with_state(owner as HandWritten, add_headers))
}

/// Authentication outside CORS: every request without `Authorization` gets `401`, preflights
/// included (browsers never send credentials on a preflight).
pub fn auth_before_cors() -> Router {
    async fn require_token(request: Request, next: Next) -> Response {
        if request.headers().contains_key("authorization") {
            next.run(request).await
        } else {
            (StatusCode::UNAUTHORIZED, [("www-authenticate", "Bearer")]).into_response()
        }
    }
    let layer = by_the_book().allow_headers([http::header::AUTHORIZATION, http::header::CONTENT_TYPE]);
    orders().layer(layer).layer(from_fn(require_token))
}

/// `/old/orders` moved to `/orders`, for every method, preflights included.
pub fn moved() -> Router {
    Router::new().route("/old/orders", any(|| async { Redirect::permanent("/orders") })).merge(orders())
}

/// A CORS-correct redirect for `GET /old/orders` (the browser follows it).
pub fn redirecting_with_cors() -> Router {
    fn policy(origin: &str, preflight: bool) -> Vec<(&'static str, String)> {
        allowing(origin, preflight, origin == APP)
    }
    Router::new()
        .route("/old/orders", get(|| async { Redirect::temporary("/orders") }))
        .layer(from_fn_with_state(policy as HandWritten, add_headers))
}

/// No CORS at all, so `OPTIONS` gets axum's `405`.
pub fn no_cors() -> Router {
    orders()
}
