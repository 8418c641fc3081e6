//! Decision logs: every refusal, for every policy, as a `debug` event of target `cors` that says
//! what was asked and why it was refused, in the words of the `403` body. With
//! `RUST_LOG=cors=debug` a developer sees why a browser was blocked without reading headers.
//! Kept out of line: allowed requests never come here.

use http::{HeaderValue, Method};

/// An actual request whose origin the policy does not allow.
#[cold]
#[inline(never)]
pub(crate) fn refused_request(method: &Method, path: &str, origin: Option<&HeaderValue>, policy: &str, reason: &str) {
    tracing::debug!(target: "cors", %method, path, origin = origin.map(printable), policy, "{reason}");
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
