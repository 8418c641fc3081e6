//! Decision logs: every refusal, for every policy, as a `debug` event of target `cors` that says
//! what was asked and why it was refused, in the words of the `403` body. With
//! `RUST_LOG=cors=debug` a developer sees why a browser was blocked without reading headers.
//! Kept out of line: allowed requests never come here.

use http::header::ORIGIN;
use http::{HeaderMap, HeaderValue, Method, Uri};

/// An actual request whose origin the policy does not allow. Its path and `Origin` are looked up
/// only when the event is enabled: with `cors` debug logs off (the default), a refused request
/// the service goes on to serve pays one level check here, not a header lookup.
#[cold]
#[inline(never)]
pub(crate) fn refused_request(method: &Method, uri: &Uri, headers: &HeaderMap, policy: &str, reason: &str) {
    tracing::debug!(
        target: "cors",
        %method,
        path = uri.path(),
        origin = headers.get(ORIGIN).map(printable),
        policy,
        "{reason}"
    );
}

/// A preflight answered `403`; `policy` is the one that refused it, when a route was found.
#[cold]
#[inline(never)]
pub(crate) fn refused_preflight(
    requested_method: Option<&HeaderValue>,
    path: &str,
    origin: Option<&HeaderValue>,
    policy: Option<&str>,
    reason: &str,
) {
    tracing::debug!(
        target: "cors",
        method = "OPTIONS",
        requested_method = requested_method.map(printable),
        path,
        origin = origin.map(printable),
        policy,
        "{reason}"
    );
}

/// A header value as text for a log line; bytes that are not text are shown escaped.
fn printable(value: &HeaderValue) -> String {
    value.as_bytes().escape_ascii().to_string()
}
