//! The staged deployments `--routes` is pointed at: a service written with this project (its
//! table is what it declares), and in front of it a gateway-like layer that puts exactly one
//! drift between the code and the wire, as the field guide's incidents do.

use axum::extract::{Path, Request, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_HEADERS,
    ACCESS_CONTROL_REQUEST_METHOD, AUTHORIZATION, ORIGIN, SET_COOKIE, VARY,
};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use cors_runtime::{cors, cors_policy, routes, Routes};

use super::APP;

/// The app's session: credentials, two request headers, two exposed response headers.
#[cors_policy(
    origins = ["https://app.example.com"],
    credentials,
    headers = ["authorization", "content-type"],
    expose = ["etag", "x-request-id"],
)]
pub struct Session;

#[cors(GET "/orders/{id}", policy = Session)]
async fn show(Path(id): Path<u32>) -> impl IntoResponse {
    ([("etag", format!("\"o{id}\"")), ("x-request-id", "req-1".to_string())], "{}")
}

#[cors(POST "/orders", policy = Session)]
async fn create() -> impl IntoResponse {
    (StatusCode::CREATED, [("x-request-id", "req-2")], "{}")
}

/// Echoes the capture, so a test can see what doctor filled `{*rest}` with.
#[cors(GET "/files/{*rest}", policy = Session)]
async fn file(Path(rest): Path<String>) -> impl IntoResponse {
    ([("etag", format!("\"{rest}\""))], rest)
}

#[cors(GET "/catalog", public, expose = ["etag"])]
async fn catalog() -> impl IntoResponse {
    ([("etag", "\"c1\"")], "[]")
}

pub fn routes() -> Routes<()> {
    routes![show, create, file, catalog]
}

/// The table the service prints with `--routes-json`.
pub fn table() -> String {
    serde_json::to_string(&routes()).unwrap()
}

/// The service as its code declares it.
pub fn service() -> Router {
    routes().into()
}

/// The service as deployed without `GET /files/{*rest}`, which its table still lists.
pub fn service_without_files() -> Router {
    routes![show, create, catalog].into()
}

/// What the layer in front of the service does wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drift {
    /// Drops `Access-Control-Expose-Headers` on `/orders/{id}` (a gateway's header allowlist).
    StripExpose,
    /// Drops `Access-Control-Allow-Credentials` on `/orders` (preflights included).
    StripCredentials,
    /// Adds its own `Access-Control-Allow-Origin` on `/orders` besides the service's.
    DuplicateAllowOrigin,
    /// Authentication in front of CORS on `/orders`: no token, `401`, preflights included.
    AuthBeforeCors,
    /// Lets any other origin into `/orders/{id}`: answers its preflights and reflects it.
    ReflectForeign,
    /// Sets a session cookie on `/orders/{id}` with these attributes.
    SetCookie(&'static str),
}

/// `service` behind a layer that does `drift`.
pub fn behind(drift: Drift, service: Router) -> Router {
    service.layer(from_fn_with_state(drift, gateway))
}

async fn gateway(State(drift): State<Drift>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let (origin, requested_method, requested_headers) = {
        let header = |name| request.headers().get(name).cloned();
        (header(ORIGIN), header(ACCESS_CONTROL_REQUEST_METHOD), header(ACCESS_CONTROL_REQUEST_HEADERS))
    };
    let preflight = request.method() == Method::OPTIONS && requested_method.is_some();
    let (orders, one_order) = (path == "/orders", path.starts_with("/orders/"));
    let foreign = origin.as_ref().is_some_and(|o| o != APP);
    if drift == Drift::AuthBeforeCors && orders && !request.headers().contains_key(AUTHORIZATION) {
        return (StatusCode::UNAUTHORIZED, [("www-authenticate", "Bearer")]).into_response();
    }
    if drift == Drift::ReflectForeign && one_order && foreign && preflight {
        let mut answer = StatusCode::NO_CONTENT.into_response();
        let h = answer.headers_mut();
        h.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone().unwrap());
        h.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
        h.insert(ACCESS_CONTROL_ALLOW_METHODS, requested_method.unwrap());
        if let Some(requested) = requested_headers {
            h.insert(ACCESS_CONTROL_ALLOW_HEADERS, requested);
        }
        h.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        h.insert(VARY, HeaderValue::from_static("Origin"));
        return answer;
    }
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    match drift {
        Drift::StripExpose if one_order => drop(h.remove(ACCESS_CONTROL_EXPOSE_HEADERS)),
        Drift::StripCredentials if orders => drop(h.remove(ACCESS_CONTROL_ALLOW_CREDENTIALS)),
        Drift::DuplicateAllowOrigin if orders => {
            if let Some(value) = h.get(ACCESS_CONTROL_ALLOW_ORIGIN).cloned() {
                h.append(ACCESS_CONTROL_ALLOW_ORIGIN, value);
            }
        }
        Drift::ReflectForeign if one_order && foreign => {
            h.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin.unwrap());
            h.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
        }
        Drift::SetCookie(attributes) if one_order && !preflight => {
            h.append(SET_COOKIE, HeaderValue::from_str(&format!("sid=s3cr3t; {attributes}")).unwrap());
        }
        _ => {}
    }
    response
}
