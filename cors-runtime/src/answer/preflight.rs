//! Preflights: `OPTIONS` with `Access-Control-Request-Method`, answered without running any
//! handler: `204` with the full header set, or `403` with no CORS headers and a one-line reason.

use bytes::Bytes;
use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD,
    CONTENT_LENGTH, CONTENT_TYPE, ORIGIN,
};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode};

use super::decision_log;
use super::values::{TEXT_PLAIN, TRUE};
use super::vary;
use crate::policy::{Policy, RouteMethod};

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
            Rejection::MalformedRequestHeaders => "CORS preflight rejected: malformed Access-Control-Request-Headers\n",
            Rejection::HeaderNotAllowed => "CORS preflight rejected: a requested header is not allowed\n",
            Rejection::PrivateNetworkNotAllowed => "CORS preflight rejected: private network access is not allowed\n",
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

/// The allowed-preflight answer of one route (or one layer), built once. Answering a preflight
/// clones it and fills in the origin and the requested headers: a clone copies each name's
/// precomputed hash, where inserting the same seven headers one by one hashes every name again.
#[derive(Debug)]
pub(crate) struct Template {
    policy: &'static Policy,
    /// The method `Access-Control-Allow-Methods` names, when it names one (a route's own).
    method: Option<RouteMethod>,
    with_request_headers: HeaderMap,
    without_request_headers: HeaderMap,
}

/// Stands where the origin and the requested headers go; [`Template::fill`] replaces it.
const TO_FILL: HeaderValue = HeaderValue::from_static("");

impl Template {
    /// A route's answer: `Access-Control-Allow-Methods` is the route's own method.
    pub(crate) fn for_route(policy: &'static Policy, method: RouteMethod) -> Template {
        Template::new(policy, Some(method), method.header_value())
    }

    /// A layer's answer: `Access-Control-Allow-Methods` is the policy's `methods` list.
    pub(crate) fn for_layer(policy: &'static Policy) -> Template {
        Template::new(policy, None, policy.allow_methods.clone())
    }

    fn new(policy: &'static Policy, method: Option<RouteMethod>, allow_methods: HeaderValue) -> Template {
        let build = |request_headers: bool| {
            let mut headers = HeaderMap::with_capacity(8);
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, TO_FILL);
            if policy.credentials {
                headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
            }
            headers.insert(ACCESS_CONTROL_ALLOW_METHODS, allow_methods.clone());
            if request_headers {
                headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, TO_FILL);
            }
            headers.insert(ACCESS_CONTROL_MAX_AGE, policy.max_age_value.clone());
            headers.insert(http::header::VARY, vary::PREFLIGHT.value);
            // What axum adds to an empty body anyway; present here, it is not inserted per
            // request (hyper leaves it off the wire for a 204).
            headers.insert(CONTENT_LENGTH, const { HeaderValue::from_static("0") });
            headers
        };
        Template { policy, method, with_request_headers: build(true), without_request_headers: build(false) }
    }

    /// The policy this answer is built from.
    pub(crate) fn policy(&self) -> &'static Policy {
        self.policy
    }

    /// The route method this answer belongs to; `None` for a layer's.
    pub(crate) fn route_method(&self) -> Option<RouteMethod> {
        self.method
    }

    /// The answer's headers, with every placeholder replaced.
    fn fill(&self, requested: RouteMethod, allow_origin: HeaderValue, allow_headers: Option<HeaderValue>) -> HeaderMap {
        let mut headers = match allow_headers {
            Some(_) => self.with_request_headers.clone(),
            None => self.without_request_headers.clone(),
        };
        let (mut allow_origin, mut allow_headers) = (Some(allow_origin), allow_headers);
        // Each name appears once, so walking the entries in place replaces each placeholder
        // without hashing a name again.
        for (name, value) in headers.iter_mut() {
            if *name == ACCESS_CONTROL_ALLOW_ORIGIN {
                *value = allow_origin.take().unwrap_or(TO_FILL);
            } else if *name == ACCESS_CONTROL_ALLOW_HEADERS {
                *value = allow_headers.take().unwrap_or(TO_FILL);
            } else if *name == ACCESS_CONTROL_ALLOW_METHODS && self.method.is_some_and(|own| own != requested) {
                // A `HEAD` preflight answered by the `GET` route names the method asked for.
                *value = requested.header_value();
            }
        }
        headers
    }
}

/// What a preflight asks, read in one pass over the request's headers: comparing a dozen names
/// costs less than hashing four names to look each one up.
#[derive(Default)]
struct Asked<'a> {
    origin: Option<&'a HeaderValue>,
    origins: usize,
    method: Option<&'a HeaderValue>,
    methods: usize,
    /// The first `Access-Control-Request-Headers` line, and how many lines there are.
    request_headers: Option<&'a HeaderValue>,
    request_header_lines: usize,
    private_network: Option<&'a HeaderValue>,
}

impl<'a> Asked<'a> {
    fn read(headers: &'a HeaderMap) -> Asked<'a> {
        let mut asked = Asked::default();
        let count = |slot: &mut Option<&'a HeaderValue>, n: &mut usize, value| {
            slot.get_or_insert(value);
            *n += 1;
        };
        for (name, value) in headers {
            if name == ORIGIN {
                count(&mut asked.origin, &mut asked.origins, value);
            } else if name == ACCESS_CONTROL_REQUEST_METHOD {
                count(&mut asked.method, &mut asked.methods, value);
            } else if name == ACCESS_CONTROL_REQUEST_HEADERS {
                count(&mut asked.request_headers, &mut asked.request_header_lines, value);
            } else if name == REQUEST_PRIVATE_NETWORK {
                asked.private_network = Some(value);
            }
        }
        asked
    }
}

/// Answers `request` if it is a preflight (`OPTIONS` with `Access-Control-Request-Method`);
/// `None` otherwise. `template_for` finds the answer of whatever owns the requested method here.
pub(crate) fn answer<'a, B: From<&'static str> + Default, T>(
    request: &Request<T>,
    template_for: impl FnOnce(RouteMethod) -> Option<&'a Template>,
) -> Option<Response<B>> {
    if request.method() != Method::OPTIONS {
        return None;
    }
    let asked = Asked::read(request.headers());
    asked.method?;
    let mut refused_by = None;
    Some(check(request.headers(), &asked, &mut refused_by, template_for).unwrap_or_else(|rejection| {
        let reason = rejection.message().trim_end();
        decision_log::refused_preflight(asked.method, request.uri().path(), asked.origin, refused_by, reason);
        rejection.into_response()
    }))
}

/// The answer to a preflight, or why it is refused; `policy` is set to the name of the policy
/// that judges it, once the requested method's route is found.
fn check<'a, B: From<&'static str> + Default>(
    headers: &HeaderMap,
    asked: &Asked<'_>,
    policy_name: &mut Option<&'static str>,
    template_for: impl FnOnce(RouteMethod) -> Option<&'a Template>,
) -> Result<Response<B>, Rejection> {
    let origin = match (asked.origin, asked.origins) {
        (Some(origin), 1) => origin,
        (None, _) => return Err(Rejection::MissingOrigin),
        _ => return Err(Rejection::RepeatedOrigin),
    };
    let method = asked.method.filter(|_| asked.methods == 1).ok_or(Rejection::BadRequestMethod)?;
    let method = RouteMethod::from_bytes(method.as_bytes()).ok_or(Rejection::NoRouteForMethod)?;
    let template = template_for(method).ok_or(Rejection::NoRouteForMethod)?;
    let policy = template.policy;
    *policy_name = Some(policy.name);
    let allow_origin = policy.allow_origin(origin).ok_or(Rejection::OriginNotAllowed)?;
    let allow_headers = match (asked.request_headers, asked.request_header_lines) {
        (None, _) => None,
        (Some(line), 1) => allow_headers(policy, &[line])?,
        _ => allow_headers(policy, &headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS).iter().collect::<Vec<_>>())?,
    };
    let private_network = match asked.private_network {
        Some(v) if v == "true" && !policy.private_network => return Err(Rejection::PrivateNetworkNotAllowed),
        Some(v) => v == "true",
        None => false,
    };

    // `Default` is the empty body; for axum's body it needs no allocation, unlike `B::from("")`.
    let mut response = Response::new(B::default());
    *response.status_mut() = StatusCode::NO_CONTENT;
    *response.headers_mut() = template.fill(method, allow_origin, allow_headers);
    if private_network {
        response.headers_mut().insert(ALLOW_PRIVATE_NETWORK, TRUE);
    }
    Ok(response)
}

/// Checks every requested header and returns the `Access-Control-Allow-Headers` answer, or
/// `None` when the request names none. The answer is the policy's own spellings, never bytes
/// the policy did not write: lowercase, deduplicated, in request order, joined with `,` as
/// browsers send it (so a browser's list comes back byte for byte, and when the request's value
/// already is that answer it is reused); names that only `headers = ["*"]` covers are answered
/// with `*`.
/// `lines` are the request's `Access-Control-Request-Headers` lines, which form one list.
fn allow_headers(policy: &Policy, lines: &[&HeaderValue]) -> Result<Option<HeaderValue>, Rejection> {
    match already_the_answer(policy, lines) {
        Some(value) => Ok(Some(value.clone())),
        None => build_answer(policy, lines),
    }
}

fn build_answer(policy: &Policy, lines: &[&HeaderValue]) -> Result<Option<HeaderValue>, Rejection> {
    let mut answer = String::new();
    let mut wildcard = false;
    for value in lines {
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
fn already_the_answer<'a>(policy: &Policy, lines: &[&'a HeaderValue]) -> Option<&'a HeaderValue> {
    let [value] = lines else {
        return None;
    };
    let value = Some(*value).filter(|v| !v.is_sensitive())?;
    let mut rest = value.as_bytes();
    let mut seen = 0u64;
    loop {
        let (index, own) =
            policy.headers.iter().enumerate().find(|(_, own)| {
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
    use crate::policy::{MethodSet, Origins};

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

    fn request(values: &[&'static str]) -> Vec<HeaderValue> {
        values.iter().map(|value| HeaderValue::from_static(value)).collect()
    }

    fn lines(values: &[HeaderValue]) -> Vec<&HeaderValue> {
        values.iter().collect()
    }

    #[test]
    fn a_browser_style_list_is_answered_with_itself() {
        for value in ["authorization", "authorization,content-type", "x-request-id,authorization"] {
            let headers = request(&[value]);
            assert_eq!(
                already_the_answer(&POLICY, &lines(&headers)).map(HeaderValue::as_bytes),
                Some(value.as_bytes())
            );
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
            let built = build_answer(&POLICY, &lines(&headers));
            let same_as_request =
                matches!((&built, values), (Ok(Some(built)), [only]) if built.as_bytes() == only.as_bytes());
            assert_eq!(already_the_answer(&POLICY, &lines(&headers)).is_some(), same_as_request, "{values:?}");
        }
    }
}
