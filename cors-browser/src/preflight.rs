//! Fetch's "CORS-preflight fetch", from the browser's side: does the preflight response let
//! the actual request go out?

use cors_rules::Malformed;
use http::header::{ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, AUTHORIZATION, LOCATION};
use http::{HeaderMap, HeaderName, StatusCode};

use super::blocked::Reason;
use super::check::cors_check;
use super::engine::Quirk;
use super::request::Fetch;
use super::safelist::is_safelisted_method;

/// Fetch's "extract header list values" for `Access-Control-Allow-Methods` and
/// `Access-Control-Allow-Headers`: every value split on `,`, whitespace trimmed, empty
/// elements skipped. `Ok(None)` when the header is absent, `Err` when an element is not a
/// token (the whole header then counts as unparsable).
pub fn header_list_values(headers: &HeaderMap, name: &HeaderName) -> Result<Option<Vec<String>>, Malformed> {
    let mut present = false;
    let mut items = Vec::new();
    for value in headers.get_all(name) {
        present = true;
        for item in cors_rules::header_list(value.as_bytes()) {
            let item = item?;
            items.push(String::from_utf8_lossy(item).into_owned());
        }
    }
    Ok(present.then_some(items))
}

/// The first element of a header list that is not a token, trimmed, as an unparsable
/// `Access-Control-Allow-Methods` or `-Headers` reports it.
fn first_non_token(headers: &HeaderMap, name: &HeaderName) -> String {
    let elements = headers.get_all(name).iter().flat_map(|value| value.as_bytes().split(|&b| b == b','));
    let element = elements.map(|element| element.trim_ascii()).find(|e| !e.is_empty() && !cors_rules::is_token(e));
    String::from_utf8_lossy(element.unwrap_or_default()).into_owned()
}

/// Whether a preflight response with `status` and `headers` lets `fetch` go out:
///
/// - not a redirect, and the CORS check passes (credentials mode of the actual request);
/// - an ok (2xx) status;
/// - `Access-Control-Allow-Methods` and `Access-Control-Allow-Headers` parse as token lists;
/// - the method is listed (case-sensitive), safelisted, or covered by `*` without credentials;
/// - `Authorization` is listed by name (`*` never covers it, except in engines with
///   [`Quirk::AuthorizationUnderWildcard`]), and every other unsafe header is listed
///   (case-insensitive) or covered by `*` without credentials.
pub fn check_preflight(fetch: &Fetch, status: StatusCode, headers: &HeaderMap) -> Result<(), Reason> {
    let redirect = matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308);
    if redirect && headers.contains_key(LOCATION) {
        return Err(Reason::PreflightRedirect);
    }
    cors_check(&fetch.origin, fetch.credentials, headers).map_err(Reason::PreflightCheck)?;
    if !status.is_success() {
        return Err(Reason::PreflightStatus(status.as_u16()));
    }
    let methods = header_list_values(headers, &ACCESS_CONTROL_ALLOW_METHODS)
        .map_err(|Malformed| Reason::AllowMethodsUnparsable(first_non_token(headers, &ACCESS_CONTROL_ALLOW_METHODS)))?
        .unwrap_or_default();
    let names = header_list_values(headers, &ACCESS_CONTROL_ALLOW_HEADERS)
        .map_err(|Malformed| Reason::AllowHeadersUnparsable(first_non_token(headers, &ACCESS_CONTROL_ALLOW_HEADERS)))?
        .unwrap_or_default();
    // `*` is a wildcard only without credentials; with them it is the literal name `*`.
    let wildcard = |list: &[String]| !fetch.credentials.include() && list.iter().any(|item| item == "*");

    let method = fetch.method.as_str();
    if !methods.iter().any(|m| m == method) && !is_safelisted_method(method.as_bytes()) && !wildcard(&methods) {
        return Err(Reason::MethodNotAllowed(method.to_string()));
    }
    let listed = |name: &str| names.iter().any(|n| n.eq_ignore_ascii_case(name));
    let sends_authorization = fetch.header_list().iter().any(|(name, _)| *name == AUTHORIZATION);
    let wildcard_covers_authorization = fetch.engine.has(Quirk::AuthorizationUnderWildcard) && wildcard(&names);
    if sends_authorization && !listed(AUTHORIZATION.as_str()) && !wildcard_covers_authorization {
        return Err(Reason::HeaderNotAllowed(AUTHORIZATION.to_string()));
    }
    if !wildcard(&names) {
        if let Some(name) = fetch.unsafe_header_names().into_iter().find(|name| !listed(name)) {
            return Err(Reason::HeaderNotAllowed(name));
        }
    }
    Ok(())
}
