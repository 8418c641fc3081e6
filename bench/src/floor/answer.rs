//! The floor's answers for one shape: the origin check, the actual response's headers, the
//! preflight (see `mod.rs`).

use axum::body::Body;
use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_HEADERS,
    ACCESS_CONTROL_REQUEST_METHOD, ALLOW, CONTENT_LENGTH, ORIGIN, VARY,
};
use http::{HeaderMap, HeaderValue, Method, StatusCode};

use axum::extract::Request;
use axum::response::Response;
use cors_runtime::Policy;

const STAR: HeaderValue = HeaderValue::from_static("*");
const TRUE: HeaderValue = HeaderValue::from_static("true");
const ZERO: HeaderValue = HeaderValue::from_static("0");
const VARY_ORIGIN: HeaderValue = HeaderValue::from_static("Origin");
/// The only `Vary` a shape's handler sets (`handlers::own_headers`), and the floor's merge of it.
const HANDLER_VARY: &str = "accept-encoding";
const HANDLER_VARY_AND_ORIGIN: HeaderValue = HeaderValue::from_static("accept-encoding, Origin");
const VARY_PREFLIGHT: HeaderValue =
    HeaderValue::from_static("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");

/// One shape's policy as the floor writes it: the values built once, the origin check the
/// shape's own code.
pub struct Floor {
    /// The shape's hand-written origin check (unused for a public shape).
    pub origin: fn(&[u8]) -> bool,
    pub public: bool,
    pub credentials: bool,
    pub expose: Option<HeaderValue>,
    /// Request headers a preflight may ask for, lowercase.
    pub headers: &'static [&'static str],
    pub max_age: HeaderValue,
}

impl Floor {
    /// The floor of `policy` (its values, read once at start-up) with the shape's origin check.
    pub fn new(policy: &'static Policy, origin: fn(&[u8]) -> bool) -> Floor {
        Floor {
            origin,
            public: policy.is_public(),
            credentials: policy.credentials(),
            expose: (!policy.expose().is_empty()).then(|| policy.expose().join(", ").parse().expect("checked names")),
            headers: policy.headers(),
            max_age: policy.max_age().to_string().parse().expect("a number"),
        }
    }

    /// `Access-Control-Allow-Origin` for a request, with the origin check given inline (the
    /// per-route floor's handlers pass the shape's expression itself, so it is not even called
    /// through a pointer).
    #[inline]
    pub fn allow_with(&self, headers: &HeaderMap, origin_allowed: impl Fn(&[u8]) -> bool) -> Option<HeaderValue> {
        if self.public {
            return Some(STAR);
        }
        let origin = headers.get(ORIGIN)?;
        origin_allowed(origin.as_bytes()).then(|| origin.clone())
    }

    #[inline]
    pub fn allow(&self, headers: &HeaderMap) -> Option<HeaderValue> {
        self.allow_with(headers, self.origin)
    }

    /// The CORS headers of an actual response.
    #[inline]
    pub fn finish(&self, allow: Option<HeaderValue>, headers: &mut HeaderMap) {
        if let Some(origin) = allow {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            if self.credentials {
                headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
            }
            if let Some(expose) = &self.expose {
                headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, expose.clone());
            }
        }
        if !self.public {
            match headers.get(VARY) {
                None => {
                    headers.insert(VARY, VARY_ORIGIN);
                }
                Some(vary) if vary == HANDLER_VARY => {
                    headers.insert(VARY, HANDLER_VARY_AND_ORIGIN);
                }
                Some(_) => {
                    headers.append(VARY, VARY_ORIGIN);
                }
            }
        }
    }

    /// The answer to an `OPTIONS` request at a path whose routes have `methods`: a preflight,
    /// or `204` with `Allow` for a plain `OPTIONS`.
    pub fn options(&self, request: &Request, methods: &[Method]) -> Response {
        let headers = request.headers();
        let Some(method) = headers.get(ACCESS_CONTROL_REQUEST_METHOD) else {
            return plain_options(methods);
        };
        let Some(allow) = self.allow(headers) else {
            return forbidden("CORS preflight rejected: origin not allowed\n");
        };
        let known = |m: &Method| m.as_str().as_bytes() == method.as_bytes();
        if !(methods.iter().any(known) || method == "HEAD" && methods.contains(&Method::GET)) {
            return forbidden("CORS preflight rejected: no route for the requested method at this path\n");
        }
        let requested = headers.get(ACCESS_CONTROL_REQUEST_HEADERS);
        if let Some(requested) = requested {
            for name in requested.as_bytes().split(|b| *b == b',') {
                let name = name.trim_ascii();
                if !name.is_empty() && !self.headers.iter().any(|own| own.as_bytes().eq_ignore_ascii_case(name)) {
                    return forbidden("CORS preflight rejected: a requested header is not allowed\n");
                }
            }
        }
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NO_CONTENT;
        let mut answer = HeaderMap::with_capacity(7);
        answer.insert(ACCESS_CONTROL_ALLOW_ORIGIN, allow);
        if self.credentials {
            answer.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
        }
        answer.insert(ACCESS_CONTROL_ALLOW_METHODS, method.clone());
        if let Some(requested) = requested {
            answer.insert(ACCESS_CONTROL_ALLOW_HEADERS, requested.clone());
        }
        answer.insert(ACCESS_CONTROL_MAX_AGE, self.max_age.clone());
        answer.insert(VARY, VARY_PREFLIGHT);
        // What axum would add to the empty body; written here, as a constant.
        answer.insert(CONTENT_LENGTH, ZERO);
        *response.headers_mut() = answer;
        response
    }
}

/// `204` with `Allow` (not measured: built as it comes).
#[cold]
fn plain_options(methods: &[Method]) -> Response {
    let mut allow: Vec<&str> = methods.iter().map(Method::as_str).collect();
    allow.push("OPTIONS");
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    response.headers_mut().insert(ALLOW, allow.join(", ").parse().expect("method names"));
    response
}

#[cold]
fn forbidden(reason: &'static str) -> Response {
    let mut response = Response::new(Body::from(reason));
    *response.status_mut() = StatusCode::FORBIDDEN;
    response
}

/// A subdomain pattern's check, by hand: `origin` is `scheme`, one or more DNS labels
/// (lowercase letters, digits, inner hyphens, 1 to 63 bytes each), then `suffix`.
#[inline]
pub fn subdomain_of(origin: &[u8], scheme: &[u8], suffix: &[u8]) -> bool {
    let Some(labels) = origin.strip_prefix(scheme).and_then(|rest| rest.strip_suffix(suffix)) else {
        return false;
    };
    !labels.is_empty()
        && labels.len() + suffix.len() <= 253
        && labels.split(|b| *b == b'.').all(|label| {
            matches!(label, [first, .., last] | [first @ last] if *first != b'-' && *last != b'-')
                && label.len() <= 63
                && label.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        })
}

/// An `env` list's check, by hand: the variable is read once (its default when unset or empty),
/// split on commas and whitespace, and the origin compared with each entry. The bench has one
/// such variable.
pub fn env_origins(var: &'static str, default: &'static str, origin: &[u8]) -> bool {
    static LIST: std::sync::OnceLock<(&'static str, Vec<Box<[u8]>>)> = std::sync::OnceLock::new();
    let (read, list) = LIST.get_or_init(|| {
        let value = std::env::var(var).ok().filter(|v| !v.trim().is_empty()).unwrap_or_else(|| default.to_owned());
        let list = value.split(|c: char| c == ',' || c.is_whitespace()).filter(|o| !o.is_empty());
        (var, list.map(|o| o.as_bytes().into()).collect())
    });
    assert_eq!(*read, var, "the bench's floor reads one environment variable");
    list.iter().any(|allowed| **allowed == *origin)
}
