//! The test helper: a `fetch` sent through any tower service the way a browser sends it
//! (preflight first when one is needed), and what the page's script gets back.

use std::fmt;
use std::future::poll_fn;

use http::header::{
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, AUTHORIZATION, HOST, LOCATION, ORIGIN,
};
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode};
use tower_service::Service;

use super::blocked::{Blocked, Reason};
use super::check::cors_check;
use super::engine::Engine;
use super::expose::readable_headers;
use super::preflight::check_preflight;
use super::request::{joined, Fetch};

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
    /// `response.status`.
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
    /// Whether script got the response (`fetch` resolved).
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

/// Fetch's redirect statuses: a response with one of these and a `Location` is followed.
const REDIRECT_STATUSES: [u16; 5] = [301, 302, 303, 307, 308];

/// Fetch's "redirect count" limit.
pub const REDIRECT_LIMIT: usize = 20;

impl Fetch {
    /// Sends this request through `service` as a browser would: the preflight first when one
    /// is needed (and nothing more if it fails), then the actual request, then the CORS check;
    /// a redirect is followed (up to [`REDIRECT_LIMIT`]) with the CORS check on every response,
    /// and a redirect to another origin taints the request's origin (`Origin: null` from then
    /// on). Response bodies are not read.
    ///
    /// `service` is anything taking `http::Request<axum::body::Body>`: an `axum::Router`, a
    /// tower-http stack around one, a proxy. Redirects to other origins go to the same service,
    /// with that origin's `Host`. Panics if the service itself fails (a browser would see a
    /// network error, which is not a CORS outcome).
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
        // `hop` is the request as it stands: redirects change its URL, and may change its
        // method, body, headers and origin.
        let mut hop = self.clone();
        let mut preflight = None;
        let mut sent = false;
        let mut cors_tainted = self.is_cross_origin();
        for redirects in 0.. {
            if hop.needs_preflight() {
                let request =
                    PreflightSent { method: hop.method.to_string(), headers: hop.access_control_request_headers() };
                let response = call(&mut service, hop.preflight_request(&request)).await;
                preflight.get_or_insert(request);
                if let Err(reason) = check_preflight(&hop, response.status(), response.headers()) {
                    return Outcome { preflight, sent, result: Err(self.blocked(&hop, reason, response.status())) };
                }
            }
            let mut response = call(&mut service, hop.actual_request()).await;
            sent = true;
            let status = response.status();
            if status.is_informational() || status == StatusCode::NO_CONTENT {
                // HTTP forbids Content-Length on these (RFC 9110, 8.6); servers drop it on the
                // wire, so script never sees the one an in-process service may have set.
                response.headers_mut().remove(http::header::CONTENT_LENGTH);
            }
            let headers = response.headers();
            cors_tainted |= hop.is_cross_origin();
            if cors_tainted {
                if let Err(failure) = cors_check(&hop.origin, hop.credentials, headers) {
                    return Outcome {
                        preflight,
                        sent,
                        result: Err(self.blocked(&hop, Reason::Check(failure), status)),
                    };
                }
            }
            let location = headers.get(LOCATION).and_then(|value| value.to_str().ok());
            let Some(location) = location.filter(|_| REDIRECT_STATUSES.contains(&status.as_u16())) else {
                let headers = if cors_tainted { readable_headers(hop.credentials, headers) } else { headers.clone() };
                return Outcome { preflight, sent, result: Ok(Readable { status, headers }) };
            };
            if redirects == REDIRECT_LIMIT {
                return Outcome { preflight, sent, result: Err(self.blocked(&hop, Reason::TooManyRedirects, status)) };
            }
            hop = match hop.redirected(status, location) {
                Ok(next) => next,
                Err(_) => {
                    let reason = Reason::RedirectNotFollowed(location.to_owned());
                    return Outcome { preflight, sent, result: Err(self.blocked(&hop, reason, status)) };
                }
            };
        }
        unreachable!("the loop returns by the redirect limit")
    }

    /// [`send`](Fetch::send) once per [`Engine::ALL`] (the standard, Chromium, Firefox), for
    /// tests that hold an app to every browser:
    ///
    /// ```
    /// # async fn demo(app: axum::Router) {
    /// use cors_browser::Fetch;
    ///
    /// let fetch = Fetch::get("https://app.example.com", "https://api.example.com/profile");
    /// for (engine, outcome) in fetch.send_every_engine(app).await {
    ///     assert!(outcome.is_allowed(), "{engine}: {outcome}");
    /// }
    /// # }
    /// ```
    pub async fn send_every_engine<S, ResBody>(&self, service: S) -> Vec<(Engine, Outcome)>
    where
        S: Service<Request<axum::body::Body>, Response = Response<ResBody>> + Clone,
        S::Error: fmt::Debug,
    {
        let mut outcomes = Vec::new();
        for engine in Engine::ALL {
            outcomes.push((engine, self.clone().engine(engine).send(service.clone()).await));
        }
        outcomes
    }

    /// Fetch's "HTTP-redirect fetch": the request that follows a `status` response pointing to
    /// `location` (relative to this request's URL).
    fn redirected(&self, status: StatusCode, location: &str) -> Result<Fetch, String> {
        let url = self.url.join(location)?;
        let mut next = self.clone();
        let to_get = matches!(status.as_u16(), 301 | 302) && self.method == Method::POST
            || status == StatusCode::SEE_OTHER && !matches!(self.method, Method::GET | Method::HEAD);
        if to_get {
            next.method = Method::GET;
            next.body = None;
            next.headers.retain(|(name, _)| !REQUEST_BODY_HEADERS.contains(&name.as_str()));
        }
        if url.origin != self.url.origin {
            // A CORS non-wildcard request-header never follows a redirect to another origin.
            next.headers.retain(|(name, _)| *name != AUTHORIZATION);
            if self.origin != self.url.origin {
                next.origin = "null".to_string();
            }
        }
        next.url = url;
        Ok(next)
    }

    /// The failure of `hop` (this request, or the redirect it led to), as the console reports it.
    fn blocked(&self, hop: &Fetch, reason: Reason, status: StatusCode) -> Blocked {
        let redirected = hop.url != self.url;
        Blocked {
            url: hop.url.serialized(),
            origin: self.origin.clone(),
            reason,
            status: status.as_u16(),
            redirected_from: redirected.then(|| self.url.serialized()),
            engine: self.engine,
        }
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
        let headers = request.headers_mut();
        for (name, value) in joined(&self.header_list()) {
            headers.insert(name, value);
        }
        if let Some(body) = &self.body {
            *request.body_mut() = B::from(body.clone());
        }
        request
    }
}

/// Fetch's "request-body-header names": dropped when a redirect turns the request into a `GET`.
const REQUEST_BODY_HEADERS: [&str; 4] = ["content-encoding", "content-language", "content-location", "content-type"];

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
mod tests;
