//! Actual requests (anything that is not a preflight): decide before the handler runs, then
//! own the response's CORS headers.

use std::collections::HashSet;
use std::sync::Mutex;

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, CONTENT_TYPE, ORIGIN,
    VARY,
};
use http::{HeaderMap, HeaderName, HeaderValue, Request, Response, StatusCode};

use super::decision_log;
use super::values::{TEXT_PLAIN, TRUE};
use super::vary;
use crate::policy::{Policy, ANY_ORIGIN};

/// The request's `Origin` headers: none (same-origin or not a browser), one, or several
/// (ambiguous: never allowed).
enum RequestOrigin<'a> {
    Absent,
    One(&'a HeaderValue),
    Repeated,
}

#[inline]
fn request_origin(headers: &HeaderMap) -> RequestOrigin<'_> {
    let mut values = headers.get_all(ORIGIN).iter();
    match (values.next(), values.next()) {
        (None, _) => RequestOrigin::Absent,
        (Some(origin), None) => RequestOrigin::One(origin),
        (Some(_), Some(_)) => RequestOrigin::Repeated,
    }
}

/// A `strict` policy's refusal of a request whose origin is absent or not allowed; its
/// response is built by [`Refused::response`] only when it is sent, so the futures that may hold
/// a refusal stay small (they are moved, and boxed by axum, on every request).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Refused;

impl Refused {
    /// `403` with a one-line reason and `Vary: Origin`, no CORS headers.
    #[cold]
    pub(crate) fn response<B: From<&'static str>>(self) -> Response<B> {
        let mut response = Response::new(B::from(STRICT_REFUSAL));
        *response.status_mut() = StatusCode::FORBIDDEN;
        response.headers_mut().insert(CONTENT_TYPE, TEXT_PLAIN);
        vary::merge(response.headers_mut(), vary::ORIGIN);
        response
    }
}

/// The `Access-Control-Allow-Origin` value for this request, or [`Refused`] when a `strict`
/// policy refuses a request whose origin is absent or not allowed.
#[inline]
pub(crate) fn admit<T>(policy: &Policy, request: &Request<T>) -> Result<Option<HeaderValue>, Refused> {
    // A public route answers `*` to every request, with or without `Origin` (or with an
    // ambiguous one), so a cache never needs to vary on it, and its `Origin` need not be read.
    if policy.is_public() {
        return Ok(Some(ANY_ORIGIN));
    }
    let origin = request_origin(request.headers());
    let allow = match origin {
        RequestOrigin::One(origin) => policy.allow_origin(origin),
        RequestOrigin::Absent | RequestOrigin::Repeated => None,
    };
    if allow.is_none() && (policy.strict || !matches!(origin, RequestOrigin::Absent)) {
        return refuse(policy, request);
    }
    Ok(allow)
}

/// A request whose origin the policy does not allow: logged, and refused with `403` when the
/// policy is `strict` (otherwise it goes on, without CORS headers: CORS is not authorization).
#[cold]
fn refuse<T>(policy: &Policy, request: &Request<T>) -> Result<Option<HeaderValue>, Refused> {
    let (method, uri, headers) = (request.method(), request.uri(), request.headers());
    if !policy.strict {
        let reason = "CORS: origin not allowed for this route; the response carries no CORS headers";
        decision_log::refused_request(method, uri, headers, policy.name, reason);
        return Ok(None);
    }
    decision_log::refused_request(method, uri, headers, policy.name, STRICT_REFUSAL.trim_end());
    Err(Refused)
}

/// The body of a `strict` policy's refusal.
const STRICT_REFUSAL: &str = "CORS: origin not allowed for this route\n";

/// Writes the policy's CORS headers into a response, replacing any the handler or an inner
/// layer set (`owner` names the route in the one warning that gets logged for it).
pub(crate) fn finish(policy: &Policy, allow: Option<HeaderValue>, headers: &mut HeaderMap, owner: &dyn Fn() -> String) {
    // One pass over the names the handler set answers both questions; a response has few.
    let (mut has_cors, mut has_vary) = (false, false);
    for name in headers.keys() {
        has_cors |= is_cors_header(name);
        has_vary |= name == VARY;
    }
    if has_cors {
        remove_cors_headers(headers, owner);
    }
    if let Some(origin) = allow {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        if policy.credentials {
            headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
        }
        if let Some(expose) = &policy.expose_value {
            headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, expose.clone());
        }
    }
    if !policy.is_public() {
        if has_vary {
            vary::merge(headers, vary::ORIGIN);
        } else {
            vary::insert(headers, vary::ORIGIN);
        }
    }
}

/// Whether `name` is an `Access-Control-*` header. Asked of every name a response carries, so
/// the prefix is compared as one fixed-size array (two loads) rather than through `memcmp`.
#[inline]
fn is_cors_header(name: &HeaderName) -> bool {
    name.as_str().as_bytes().first_chunk::<15>() == Some(b"access-control-")
}

/// Routes (or layers) whose handlers set CORS headers of their own; each is warned about once.
static WARNED: Mutex<Option<HashSet<String>>> = Mutex::new(None);

#[cold]
fn remove_cors_headers(headers: &mut HeaderMap, owner: &dyn Fn() -> String) {
    let names: Vec<HeaderName> = headers.keys().filter(|n| is_cors_header(n)).cloned().collect();
    for name in &names {
        headers.remove(name);
    }
    let owner = owner();
    let first_time =
        WARNED.lock().map(|mut warned| warned.get_or_insert_with(HashSet::new).insert(owner.clone())).unwrap_or(false);
    if first_time {
        tracing::warn!(
            route = %owner,
            headers = ?names,
            "the handler or an inner layer set CORS headers; the route's policy replaced them \
             (one owner per route: remove them from the handler)"
        );
    }
}
