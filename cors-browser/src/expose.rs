//! Which response headers script can read from a CORS response (Fetch's "CORS filtered
//! response").

use http::header::ACCESS_CONTROL_EXPOSE_HEADERS;
use http::HeaderMap;

use super::preflight::header_list_values;
use super::request::Credentials;
use super::safelist::{is_forbidden_response_header, is_safelisted_response_header};

/// The headers of `response` that `response.headers.get(...)` returns: the CORS-safelisted
/// response headers, those named in `Access-Control-Expose-Headers` (ignored entirely when it
/// does not parse), every header when it says `*` without credentials, and never `Set-Cookie`.
pub fn readable_headers(credentials: Credentials, response: &HeaderMap) -> HeaderMap {
    let exposed = header_list_values(response, &ACCESS_CONTROL_EXPOSE_HEADERS).ok().flatten().unwrap_or_default();
    let everything = !credentials.include() && exposed.iter().any(|name| name == "*");
    let mut readable = HeaderMap::new();
    for (name, value) in response {
        let name_str = name.as_str();
        let visible = if everything {
            !is_forbidden_response_header(name_str)
        } else {
            is_safelisted_response_header(name_str, &exposed)
        };
        if visible {
            readable.append(name.clone(), value.clone());
        }
    }
    readable
}
