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
        response.headers_mut().insert(http::header::VARY, vary::PREFLIGHT.value);
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

/// Answers `request` if it is a preflight (`OPTIONS` with `Access-Control-Request-Method`);
/// `None` otherwise. `policy_for` finds the policy that owns the requested method here.
pub(crate) fn answer<B: From<&'static str> + Default, T>(
    request: &Request<T>,
    policy_for: impl FnOnce(RouteMethod) -> Option<&'static Policy>,
    allow_methods: AllowMethods,
) -> Option<Response<B>> {
    if request.method() != Method::OPTIONS {
        return None;
    }
    // One lookup tells both whether this is a preflight and which method it asks for.
    let mut requested = request.headers().get_all(ACCESS_CONTROL_REQUEST_METHOD).iter();
    let first = requested.next()?;
    let method = requested.next().is_none().then_some(first);
    Some(check(request.headers(), method, policy_for, allow_methods).unwrap_or_else(Rejection::into_response))
}

/// `method` is the request's `Access-Control-Request-Method`, `None` when it was sent twice.
fn check<B: From<&'static str> + Default>(
    headers: &HeaderMap,
    method: Option<&HeaderValue>,
    policy_for: impl FnOnce(RouteMethod) -> Option<&'static Policy>,
    allow_methods: AllowMethods,
) -> Result<Response<B>, Rejection> {
    let origin = single(headers, &ORIGIN)
        .map_err(|()| Rejection::RepeatedOrigin)?
        .ok_or(Rejection::MissingOrigin)?;
    let method = method.ok_or(Rejection::BadRequestMethod)?;
    let method = RouteMethod::from_bytes(method.as_bytes()).ok_or(Rejection::NoRouteForMethod)?;
    let policy = policy_for(method).ok_or(Rejection::NoRouteForMethod)?;
    let allow_origin = policy.allow_origin(origin).ok_or(Rejection::OriginNotAllowed)?;
    let allow_headers = allow_headers(policy, headers)?;
    let private_network = match request_private_network(headers) {
        Some(v) if v == "true" && !policy.private_network => return Err(Rejection::PrivateNetworkNotAllowed),
        Some(v) => v == "true",
        None => false,
    };

    // `Default` is the empty body; for axum's body it needs no allocation, unlike `B::from("")`.
    let mut response = Response::new(B::default());
    *response.status_mut() = StatusCode::NO_CONTENT;
    // Room for every header below plus the `content-length` axum adds: growing the map later
    // costs more than reserving once.
    let out = response.headers_mut();
    out.reserve(8);
    out.insert(ACCESS_CONTROL_ALLOW_ORIGIN, allow_origin);
    if policy.credentials {
        out.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
    }
    out.insert(
        ACCESS_CONTROL_ALLOW_METHODS,
        match allow_methods {
            AllowMethods::Requested => method.header_value(),
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
    out.insert(http::header::VARY, vary::PREFLIGHT.value);
    Ok(response)
}

/// `Access-Control-Request-Private-Network`, found by comparing names: hashing this 37-byte
/// custom name costs more than comparing it with the dozen or so names a preflight carries.
fn request_private_network(headers: &HeaderMap) -> Option<&HeaderValue> {
    headers.iter().find(|(name, _)| *name == REQUEST_PRIVATE_NETWORK).map(|(_, value)| value)
}

/// Checks every requested header and returns the `Access-Control-Allow-Headers` answer, or
/// `None` when the request names none. The answer is the policy's own spellings, never bytes
/// the policy did not write: lowercase, deduplicated, in request order, joined with `,` as
/// browsers send it (so a browser's list comes back byte for byte, and when the request's value
/// already is that answer it is reused); names that only `headers = ["*"]` covers are answered
/// with `*`.
fn allow_headers(policy: &Policy, headers: &HeaderMap) -> Result<Option<HeaderValue>, Rejection> {
    match already_the_answer(policy, headers) {
        Some(value) => Ok(Some(value.clone())),
        None => build_answer(policy, headers),
    }
}

fn build_answer(policy: &Policy, headers: &HeaderMap) -> Result<Option<HeaderValue>, Rejection> {
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

/// The request's `Access-Control-Request-Headers` when it already is, byte for byte, the answer
/// [`allow_headers`] would build: one value whose `,`-separated names (no spaces, none empty)
/// are each the policy's own spelling, each once. Browsers send exactly that (lowercase, joined
/// by `,`), so the common preflight is answered without building a copy. Each name is matched
/// by comparing the policy's spellings in place, not by splitting the value byte by byte.
fn already_the_answer<'a>(policy: &Policy, headers: &'a HeaderMap) -> Option<&'a HeaderValue> {
    let mut values = headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS).iter();
    let value = values.next().filter(|v| !v.is_sensitive())?;
    if values.next().is_some() {
        return None;
    }
    let mut rest = value.as_bytes();
    let mut seen = 0u64;
    loop {
        let (index, own) = policy.headers.iter().enumerate().find(|(_, own)| {
            rest.starts_with(own.as_bytes()) && matches!(rest.get(own.len()), None | Some(b','))
        })?;
        // A policy listing more than 64 headers takes the general path.
        let bit = 1u64.checked_shl(index as u32)?;
        if seen & bit != 0 {
            return None;
        }
        seen |= bit;
        match rest.get(own.len()) {
            None => return Some(value),
            Some(_) => rest = &rest[own.len() + 1..],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::method::MethodSet;
    use crate::policy::Origins;

    static POLICY: Policy = Policy {
        name: "test",
        origins: Origins::Any,
        credentials: false,
        methods: MethodSet::ANY,
        allow_methods: HeaderValue::from_static("GET"),
        headers: &["authorization", "content-type", "x-request-id"],
        any_header: false,
        expose: &[],
        expose_value: None,
        max_age: 600,
        max_age_value: HeaderValue::from_static("600"),
        private_network: false,
        strict: false,
    };

    fn request(values: &[&'static str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(ACCESS_CONTROL_REQUEST_HEADERS, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn a_browser_style_list_is_answered_with_itself() {
        for value in ["authorization", "authorization,content-type", "x-request-id,authorization"] {
            let headers = request(&[value]);
            assert_eq!(already_the_answer(&POLICY, &headers).map(HeaderValue::as_bytes), Some(value.as_bytes()));
        }
    }

    #[test]
    fn the_request_is_echoed_only_when_it_equals_the_built_answer() {
        let cases: &[&[&str]] = &[
            &["authorization,content-type"],
            &["Authorization,content-type"],
            &["authorization, content-type"],
            &["authorization,,content-type"],
            &["authorization,authorization"],
            &["authorization", "content-type"],
            &["authorization,x-other"],
            &["authorization,"],
            &["x-request"],
            &["x-request-id,x-request"],
            &[""],
            &[],
        ];
        for values in cases {
            let headers = request(values);
            let built = build_answer(&POLICY, &headers);
            let same_as_request =
                matches!((&built, values), (Ok(Some(built)), [only]) if built.as_bytes() == only.as_bytes());
            assert_eq!(already_the_answer(&POLICY, &headers).is_some(), same_as_request, "{values:?}");
        }
    }
}
