//! The test helper: a `fetch` sent through any tower service the way a browser sends it
//! (preflight first when one is needed), and what the page's script gets back.

use std::fmt;
use std::future::poll_fn;

use http::header::{ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, HOST, ORIGIN};
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode};
use tower_service::Service;

use super::blocked::{Blocked, Reason};
use super::check::cors_check;
use super::expose::readable_headers;
use super::preflight::check_preflight;
use super::request::Fetch;

/// The preflight a browser sent before the actual request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreflightSent {
    /// `Access-Control-Request-Method`.
    pub method: String,
    /// `Access-Control-Request-Headers`, when the request has unsafe headers.
    pub headers: Option<String>,
}

/// What script could read of an allowed response.
#[derive(Debug, Clone)]
pub struct Readable {
    pub status: StatusCode,
    /// Only the headers `response.headers.get(...)` returns.
    pub headers: HeaderMap,
}

/// What happened to one `fetch`.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The preflight, if the browser sent one.
    pub preflight: Option<PreflightSent>,
    /// Whether the actual request reached the service. A request without preflight always
    /// does, even when script is then denied the response: CORS protects reading, not sending.
    pub sent: bool,
    /// The response script sees, or why `fetch` rejected.
    pub result: Result<Readable, Blocked>,
}

impl Outcome {
    pub fn is_allowed(&self) -> bool {
        self.result.is_ok()
    }

    /// The status script sees, when allowed.
    pub fn status(&self) -> Option<StatusCode> {
        self.result.as_ref().ok().map(|r| r.status)
    }

    /// `response.headers.get(name)`: `None` when blocked, absent, or not readable.
    pub fn header(&self, name: &str) -> Option<&str> {
        let readable = self.result.as_ref().ok()?;
        readable.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Why the browser blocked it, when it did.
    pub fn blocked(&self) -> Option<&Blocked> {
        self.result.as_ref().err()
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.result {
            Ok(readable) => {
                write!(f, "allowed: {}", readable.status)?;
                for (name, value) in &readable.headers {
                    write!(f, "; {name}: {}", String::from_utf8_lossy(value.as_bytes()))?;
                }
                Ok(())
            }
            Err(blocked) => write!(f, "blocked: {blocked}"),
        }
    }
}

impl Fetch {
    /// Sends this request through `service` as a browser would: the preflight first when one
    /// is needed (and nothing more if it fails), then the actual request, then the CORS check.
    /// Response bodies are not read; redirects of the actual request are not followed.
    ///
    /// `service` is anything taking `http::Request<axum::body::Body>`: an `axum::Router`, a
    /// tower-http stack around one, a proxy. Panics if the service itself fails (a browser
    /// would see a network error, which is not a CORS outcome).
    pub async fn send<S, ResBody>(&self, service: S) -> Outcome
    where
        S: Service<Request<axum::body::Body>, Response = Response<ResBody>>,
        S::Error: fmt::Debug,
    {
        self.send_with_body(service).await
    }

    /// [`send`](Fetch::send) for a service with another request body type (any body that
    /// can be made from a `String`).
    pub async fn send_with_body<S, ReqBody, ResBody>(&self, mut service: S) -> Outcome
    where
        S: Service<Request<ReqBody>, Response = Response<ResBody>>,
        S::Error: fmt::Debug,
        ReqBody: From<String>,
    {
        let mut preflight = None;
        if self.needs_preflight() {
            let sent =
                PreflightSent { method: self.method.to_string(), headers: self.access_control_request_headers() };
            let response = call(&mut service, self.preflight_request(&sent)).await;
            preflight = Some(sent);
            if let Err(reason) = check_preflight(self, response.status(), response.headers()) {
                return Outcome { preflight, sent: false, result: Err(self.blocked(reason)) };
            }
        }
        let mut response = call(&mut service, self.actual_request()).await;
        if response.status().is_informational() || response.status() == StatusCode::NO_CONTENT {
            // HTTP forbids Content-Length on these (RFC 9110, 8.6); servers drop it on the wire,
            // so script never sees the one an in-process service may have set.
            response.headers_mut().remove(http::header::CONTENT_LENGTH);
        }
        let (status, headers) = (response.status(), response.headers());
        let result = if self.is_cross_origin() {
            cors_check(&self.origin, self.credentials, headers)
                .map(|()| Readable { status, headers: readable_headers(self.credentials, headers) })
                .map_err(|failure| self.blocked(Reason::Check(failure)))
        } else {
            Ok(Readable { status, headers: headers.clone() })
        };
        Outcome { preflight, sent: true, result }
    }

    fn blocked(&self, reason: Reason) -> Blocked {
        Blocked { url: self.url.serialized(), origin: self.origin.clone(), reason }
    }

    /// Request line, `Host` and, when the browser sends one, `Origin`.
    fn request_head<B: From<String>>(&self, method: Method) -> Request<B> {
        let mut request = Request::new(B::from(String::new()));
        *request.method_mut() = method;
        *request.uri_mut() = self.url.path_and_query.parse().expect("a parsed URL's path is a valid URI");
        let headers = request.headers_mut();
        headers.insert(HOST, value(&self.url.authority));
        // Same-origin GET and HEAD go without `Origin`; everything else carries it.
        let same_origin_read = !self.is_cross_origin() && matches!(self.method, Method::GET | Method::HEAD);
        if !same_origin_read {
            headers.insert(ORIGIN, value(&self.origin));
        }
        request
    }

    /// The preflight a browser sends before this request, when it [needs one](Fetch::needs_preflight),
    /// as it goes on the wire: path-and-query URI, `Host`, `Origin`, `Accept`,
    /// `Access-Control-Request-Method` and `-Headers`. For clients that send it themselves.
    pub fn preflight<B: From<String>>(&self) -> Option<Request<B>> {
        self.needs_preflight().then(|| {
            self.preflight_request(&PreflightSent {
                method: self.method.to_string(),
                headers: self.access_control_request_headers(),
            })
        })
    }

    fn preflight_request<B: From<String>>(&self, sent: &PreflightSent) -> Request<B> {
        let mut request = self.request_head(Method::OPTIONS);
        let headers = request.headers_mut();
        headers.insert(http::header::ACCEPT, HeaderValue::from_static("*/*"));
        headers.insert(ACCESS_CONTROL_REQUEST_METHOD, value(&sent.method));
        if let Some(names) = &sent.headers {
            headers.insert(ACCESS_CONTROL_REQUEST_HEADERS, value(names));
        }
        request
    }

    /// The request itself as a browser puts it on the wire: path-and-query URI, `Host`, `Origin`
    /// (except same-origin `GET`/`HEAD`), the script's headers and the body.
    pub fn actual_request<B: From<String>>(&self) -> Request<B> {
        let mut request = self.request_head(self.method.clone());
        // Repeated names travel as one comma-joined field, as browsers send them.
        let list = self.header_list();
        let headers = request.headers_mut();
        for (name, _) in &list {
            if headers.contains_key(name) {
                continue;
            }
            let joined: Vec<&[u8]> = list.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_bytes()).collect();
            let joined = HeaderValue::from_bytes(&joined.join(&b", "[..])).expect("joined header values stay valid");
            headers.insert(name.clone(), joined);
        }
        if let Some(body) = &self.body {
            *request.body_mut() = B::from(body.clone());
        }
        request
    }
}

/// A header value from text this module built from already-valid parts.
fn value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).expect("origins, hosts, methods and header names are valid header values")
}

async fn call<S, ReqBody, ResBody>(service: &mut S, request: Request<ReqBody>) -> Response<ResBody>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    S::Error: fmt::Debug,
{
    let result = match poll_fn(|cx| service.poll_ready(cx)).await {
        Ok(()) => service.call(request).await,
        Err(error) => Err(error),
    };
    result.unwrap_or_else(|error| panic!("the service failed (a browser would see a network error): {error:?}"))
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use super::*;
    use crate::browser::{CheckFailure, Credentials};

    /// A hand-written server: answers preflights with `preflight_headers`, everything else
    /// with `actual_headers`, and records the requests it saw.
    fn server(
        preflight_headers: &'static [(&'static str, &'static str)],
        actual_headers: &'static [(&'static str, &'static str)],
        seen: std::sync::Arc<std::sync::Mutex<Vec<Request<String>>>>,
    ) -> impl Service<Request<String>, Response = Response<String>, Error = Infallible> {
        tower::service_fn(move |request: Request<String>| {
            let preflight = request.method() == Method::OPTIONS;
            seen.lock().unwrap().push(request);
            let mut response = Response::new(String::new());
            for (name, value) in if preflight { preflight_headers } else { actual_headers } {
                response.headers_mut().append(*name, HeaderValue::from_static(value));
            }
            async move { Ok::<_, Infallible>(response) }
        })
    }

    #[tokio::test]
    async fn preflights_then_sends_then_filters_headers() {
        let seen = Default::default();
        let app = server(
            &[
                ("access-control-allow-origin", "https://app.example"),
                ("access-control-allow-methods", "PUT"),
                ("access-control-allow-headers", "X-Request-Id"),
            ],
            &[
                ("access-control-allow-origin", "https://app.example"),
                ("x-request-id", "1"),
                ("etag", "e"),
                ("content-type", "text/plain"),
            ],
            std::sync::Arc::clone(&seen),
        );
        let outcome = Fetch::new("https://app.example", "put", "https://api.example/orders/7")
            .header("X-Request-Id", "1")
            .header("Cookie", "dropped=1")
            .body("{}")
            .send_with_body(app)
            .await;
        assert_eq!(
            outcome.preflight,
            Some(PreflightSent { method: "PUT".into(), headers: Some("x-request-id".into()) })
        );
        assert!(outcome.sent && outcome.is_allowed(), "{outcome}");
        assert_eq!(outcome.header("content-type"), Some("text/plain"));
        assert_eq!(outcome.header("etag"), None, "not exposed");
        let seen = seen.lock().unwrap();
        let (preflight, actual) = (&seen[0], &seen[1]);
        assert_eq!(preflight.method(), Method::OPTIONS);
        assert_eq!(preflight.headers()["access-control-request-headers"], "x-request-id");
        assert_eq!(preflight.headers()["origin"], "https://app.example");
        assert_eq!(actual.uri(), "/orders/7");
        assert_eq!(actual.headers()["host"], "api.example");
        assert_eq!(actual.headers()["content-type"], "text/plain;charset=UTF-8");
        assert!(!actual.headers().contains_key("cookie"));
        assert_eq!(actual.body(), "{}");
    }

    #[tokio::test]
    async fn a_failed_preflight_stops_the_request() {
        let seen = Default::default();
        let app = server(&[], &[], std::sync::Arc::clone(&seen));
        let outcome = Fetch::new("https://app.example", "DELETE", "https://api.example/x").send_with_body(app).await;
        assert!(!outcome.sent);
        assert_eq!(outcome.blocked().unwrap().reason, Reason::PreflightCheck(CheckFailure::MissingAllowOrigin));
        assert_eq!(seen.lock().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn a_simple_request_is_sent_even_when_blocked() {
        let app = server(&[], &[("access-control-allow-origin", "*")], Default::default());
        let outcome = Fetch::get("https://app.example", "https://api.example/x")
            .credentials(Credentials::Include)
            .send_with_body(app)
            .await;
        assert!(outcome.preflight.is_none() && outcome.sent);
        assert_eq!(outcome.blocked().unwrap().reason, Reason::Check(CheckFailure::WildcardWithCredentials));
    }
}
