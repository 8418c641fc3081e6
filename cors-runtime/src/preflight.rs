//! Preflights: `OPTIONS` with `Access-Control-Request-Method`, answered without running any
//! handler: `204` with the full header set, or `403` with no CORS headers and a one-line reason.

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_HEADERS,
    ACCESS_CONTROL_REQUEST_METHOD, CONTENT_TYPE, ORIGIN,
};
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode};

use crate::actual::{single, TEXT_PLAIN, TRUE};
use crate::method::RouteMethod;
use crate::policy::Policy;
use crate::vary;

const REQUEST_PRIVATE_NETWORK: HeaderName = HeaderName::from_static("access-control-request-private-network");
const ALLOW_PRIVATE_NETWORK: HeaderName = HeaderName::from_static("access-control-allow-private-network");

/// Whether a request is a CORS preflight.
pub(crate) fn is_preflight<B>(request: &Request<B>) -> bool {
    request.method() == Method::OPTIONS && request.headers().contains_key(ACCESS_CONTROL_REQUEST_METHOD)
}

/// Why a preflight was rejected: each names what failed, never the allowlist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rejection {
    MissingOrigin,
    RepeatedOrigin,
    BadRequestMethod,
    NoRouteForMethod,
    OriginNotAllowed,
    MalformedRequestHeaders,
    HeaderNotAllowed,
    PrivateNetworkNotAllowed,
}

impl Rejection {
    fn message(self) -> &'static str {
        match self {
            Rejection::MissingOrigin => "CORS preflight rejected: no Origin header\n",
            Rejection::RepeatedOrigin => "CORS preflight rejected: more than one Origin header\n",
            Rejection::BadRequestMethod => {
                "CORS preflight rejected: Access-Control-Request-Method must be one method, sent once\n"
            }
            Rejection::NoRouteForMethod => "CORS preflight rejected: no route for the requested method at this path\n",
            Rejection::OriginNotAllowed => "CORS preflight rejected: origin not allowed\n",
            Rejection::MalformedRequestHeaders => {
                "CORS preflight rejected: malformed Access-Control-Request-Headers\n"
            }
            Rejection::HeaderNotAllowed => "CORS preflight rejected: a requested header is not allowed\n",
            Rejection::PrivateNetworkNotAllowed => {
                "CORS preflight rejected: private network access is not allowed\n"
            }
        }
    }

    fn into_response<B: From<&'static str>>(self) -> Response<B> {
        let mut response = Response::new(B::from(self.message()));
        *response.status_mut() = StatusCode::FORBIDDEN;
        response.headers_mut().insert(CONTENT_TYPE, TEXT_PLAIN);
        response.headers_mut().insert(http::header::VARY, HeaderValue::from_static(vary::PREFLIGHT));
        response
    }
}

/// What goes into `Access-Control-Allow-Methods`.
pub(crate) enum AllowMethods {
    /// The method the browser asked for (a route answers for itself only).
    Requested,
    /// The policy's precomputed `methods` list (a layer answers for a whole router).
    PolicyList,
}

/// Answers a preflight. `policy_for` finds the policy that owns the requested method here.
pub(crate) fn answer<B: From<&'static str>>(
    headers: &HeaderMap,
    policy_for: impl FnOnce(RouteMethod) -> Option<&'static Policy>,
    allow_methods: AllowMethods,
) -> Response<B> {
    check(headers, policy_for, allow_methods).unwrap_or_else(Rejection::into_response)
}

fn check<B: From<&'static str>>(
    headers: &HeaderMap,
    policy_for: impl FnOnce(RouteMethod) -> Option<&'static Policy>,
    allow_methods: AllowMethods,
) -> Result<Response<B>, Rejection> {
    let origin = single(headers, &ORIGIN)
        .map_err(|()| Rejection::RepeatedOrigin)?
        .ok_or(Rejection::MissingOrigin)?;
    let method = single(headers, &ACCESS_CONTROL_REQUEST_METHOD)
        .ok()
        .flatten()
        .ok_or(Rejection::BadRequestMethod)?;
    let method = RouteMethod::from_bytes(method.as_bytes()).ok_or(Rejection::NoRouteForMethod)?;
    let policy = policy_for(method).ok_or(Rejection::NoRouteForMethod)?;
    let allow_origin = policy.allow_origin(origin).ok_or(Rejection::OriginNotAllowed)?;
    let allow_headers = allow_headers(policy, headers)?;
    let private_network = match headers.get(REQUEST_PRIVATE_NETWORK) {
        Some(v) if v == "true" && !policy.private_network => return Err(Rejection::PrivateNetworkNotAllowed),
        Some(v) => v == "true",
        None => false,
    };

    let mut response = Response::new(B::from(""));
    *response.status_mut() = StatusCode::NO_CONTENT;
    let out = response.headers_mut();
    out.reserve(8);
    out.insert(ACCESS_CONTROL_ALLOW_ORIGIN, allow_origin);
    if policy.credentials {
        out.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
    }
    out.insert(
        ACCESS_CONTROL_ALLOW_METHODS,
        match allow_methods {
            AllowMethods::Requested => HeaderValue::from_static(method.as_str()),
            AllowMethods::PolicyList => policy.allow_methods.clone(),
        },
    );
    if let Some(value) = allow_headers {
        out.insert(ACCESS_CONTROL_ALLOW_HEADERS, value);
    }
    out.insert(ACCESS_CONTROL_MAX_AGE, policy.max_age_value.clone());
    if private_network {
        out.insert(ALLOW_PRIVATE_NETWORK, TRUE);
    }
    out.insert(http::header::VARY, HeaderValue::from_static(vary::PREFLIGHT));
    Ok(response)
}

/// Checks every requested header and returns the `Access-Control-Allow-Headers` answer, or
/// `None` when the request names none. The answer is built from the policy's own spellings,
/// never from the request's bytes: lowercase, deduplicated, in request order, joined with `,`
/// as browsers send it (so a browser's list comes back byte for byte); names that only
/// `headers = ["*"]` covers are answered with `*`.
fn allow_headers(policy: &Policy, headers: &HeaderMap) -> Result<Option<HeaderValue>, Rejection> {
    let mut answer = String::new();
    let mut wildcard = false;
    for value in headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS) {
        for name in cors_rules::header_list(value.as_bytes()) {
            let name = name.map_err(|_| Rejection::MalformedRequestHeaders)?;
            match policy.listed_header(name) {
                Some(own) if answer.split(',').any(|done| done == own) => {}
                Some(own) => {
                    if !answer.is_empty() {
                        answer.push(',');
                    }
                    answer.push_str(own);
                }
                None if policy.wildcard_covers(name) => wildcard = true,
                None => return Err(Rejection::HeaderNotAllowed),
            }
        }
    }
    match (wildcard, answer.is_empty()) {
        (false, true) => return Ok(None),
        (true, true) => answer.push('*'),
        (true, false) => answer.insert_str(0, "*,"),
        (false, false) => {}
    }
    // Policy names are checked tokens, so the list is always a valid header value.
    Ok(HeaderValue::from_maybe_shared(Bytes::from(answer)).ok())
}
