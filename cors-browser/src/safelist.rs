//! Fetch's safelists: which methods and request headers script may send without a preflight,
//! and which response headers script may always read.

/// `GET`, `HEAD` and `POST` (byte-exact: `fetch` has already uppercased the common methods, and
/// a method it left alone, such as `patch`, is not safelisted).
pub fn is_safelisted_method(method: &[u8]) -> bool {
    matches!(method, b"GET" | b"HEAD" | b"POST")
}

/// Longest value a safelisted request header may have.
const VALUE_LIMIT: usize = 128;
/// Most bytes all safelisted request-header values of one request may add up to.
const TOTAL_LIMIT: usize = 1024;

/// Fetch's "CORS-safelisted request-header": `accept`, `accept-language`, `content-language`,
/// `content-type` (essence `application/x-www-form-urlencoded`, `multipart/form-data` or
/// `text/plain`) and simple `range` values, none longer than 128 bytes.
pub fn is_safelisted_request_header(name: &[u8], value: &[u8]) -> bool {
    if value.len() > VALUE_LIMIT {
        return false;
    }
    match name.to_ascii_lowercase().as_slice() {
        b"accept" => !value.iter().any(|&b| is_unsafe_byte(b)),
        b"accept-language" | b"content-language" => {
            value.iter().all(|&b| b.is_ascii_alphanumeric() || b" *,-.;=".contains(&b))
        }
        b"content-type" => {
            !value.iter().any(|&b| is_unsafe_byte(b))
                && matches!(
                    mime_essence(value).as_deref(),
                    Some(b"application/x-www-form-urlencoded" | b"multipart/form-data" | b"text/plain")
                )
        }
        b"range" => matches!(single_range(value), Some((Some(_), _))),
        _ => false,
    }
}

/// Fetch's "CORS-unsafe request-header byte".
fn is_unsafe_byte(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b"\"():<>?@[\\]{}\x7f".contains(&b)
}

fn is_http_whitespace(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\r' | b' ')
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().take_while(|&&b| is_http_whitespace(b)).count();
    &bytes[skip..]
}

fn trim_end(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().rev().take_while(|&&b| is_http_whitespace(b)).count();
    &bytes[..bytes.len() - skip]
}

/// The lowercase `type/subtype` of a MIME type, as the MIME Sniffing standard parses it
/// (parameters never make parsing fail, so they are not looked at).
fn mime_essence(value: &[u8]) -> Option<Vec<u8>> {
    let value = trim_end(trim_start(value));
    let slash = value.iter().position(|&b| b == b'/')?;
    let (kind, after) = (&value[..slash], &value[slash + 1..]);
    let subtype_end = after.iter().position(|&b| b == b';').unwrap_or(after.len());
    let subtype = trim_end(&after[..subtype_end]);
    if !cors_rules::is_token(kind) || !cors_rules::is_token(subtype) {
        return None;
    }
    let mut essence = [kind, b"/", subtype].concat();
    essence.make_ascii_lowercase();
    Some(essence)
}

/// Fetch's "parse a single range header value" without whitespace: `bytes=START-END` with
/// either bound optional but not both, and START ≤ END.
fn single_range(value: &[u8]) -> Option<(Option<u64>, Option<u64>)> {
    let rest = value.strip_prefix(b"bytes=")?;
    let dash = rest.iter().position(|&b| b == b'-')?;
    let number = |digits: &[u8]| -> Result<Option<u64>, ()> {
        if digits.is_empty() {
            return Ok(None);
        }
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(());
        }
        // More digits than fit in a u64 is still a number to Fetch; such values are longer
        // than the 128-byte limit long before they matter here, so saturate.
        Ok(Some(std::str::from_utf8(digits).ok().and_then(|s| s.parse().ok()).unwrap_or(u64::MAX)))
    };
    let start = number(&rest[..dash]).ok()?;
    let end = number(&rest[dash + 1..]).ok()?;
    match (start, end) {
        (None, None) => None,
        (Some(start), Some(end)) if start > end => None,
        bounds => Some(bounds),
    }
}

/// Fetch's "CORS-unsafe request-header names": the names of the headers that are not
/// safelisted (all of them once the safelisted values add up to more than 1024 bytes),
/// lowercase, sorted and without duplicates. This is what the preflight's
/// `Access-Control-Request-Headers` lists, joined with `,`.
pub fn unsafe_request_header_names<'a>(headers: impl IntoIterator<Item = (&'a [u8], &'a [u8])>) -> Vec<String> {
    unsafe_names_by(headers, is_safelisted_request_header)
}

/// [`unsafe_request_header_names`] with another judge of which headers are safelisted.
pub(crate) fn unsafe_names_by<'a>(
    headers: impl IntoIterator<Item = (&'a [u8], &'a [u8])>,
    is_safelisted_request_header: impl Fn(&[u8], &[u8]) -> bool,
) -> Vec<String> {
    let mut unsafe_names = Vec::new();
    let mut safelisted_names = Vec::new();
    let mut safelisted_size = 0;
    for (name, value) in headers {
        let lowercase = String::from_utf8_lossy(name).to_ascii_lowercase();
        if is_safelisted_request_header(name, value) {
            safelisted_names.push(lowercase);
            safelisted_size += value.len();
        } else {
            unsafe_names.push(lowercase);
        }
    }
    if safelisted_size > TOTAL_LIMIT {
        unsafe_names.append(&mut safelisted_names);
    }
    unsafe_names.sort();
    unsafe_names.dedup();
    unsafe_names
}

/// Chromium's client-hint request headers, safelisted with these values (its
/// `IsCorsSafelistedHeader`): `device-memory`, `dpr`, `downlink` a decimal number;
/// `width`, `viewport-width`, `rtt` an integer; `ect` a connection type; `save-data` `on`.
pub(crate) fn is_safelisted_client_hint(name: &[u8], value: &[u8]) -> bool {
    let digits = |v: &[u8]| !v.is_empty() && v.iter().all(u8::is_ascii_digit);
    let decimal = |v: &[u8]| match v.iter().position(|&b| b == b'.') {
        Some(dot) => digits(&v[..dot]) && digits(&v[dot + 1..]),
        None => digits(v),
    };
    if value.len() > VALUE_LIMIT {
        return false;
    }
    match name.to_ascii_lowercase().as_slice() {
        b"device-memory" | b"dpr" | b"downlink" => decimal(value),
        b"width" | b"viewport-width" | b"rtt" => digits(value),
        b"ect" => matches!(value, b"slow-2g" | b"2g" | b"3g" | b"4g"),
        b"save-data" => value.eq_ignore_ascii_case(b"on"),
        _ => false,
    }
}

/// Response headers script may always read from a CORS response.
pub const SAFELISTED_RESPONSE_HEADERS: [&str; 7] =
    ["cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma"];

/// Fetch's "CORS-safelisted response-header name": one of [`SAFELISTED_RESPONSE_HEADERS`], or a
/// name in `exposed` that is not `set-cookie`/`set-cookie2` (case-insensitive).
pub fn is_safelisted_response_header<S: AsRef<str>>(name: &str, exposed: &[S]) -> bool {
    SAFELISTED_RESPONSE_HEADERS.iter().any(|safe| safe.eq_ignore_ascii_case(name))
        || !is_forbidden_response_header(name) && exposed.iter().any(|e| e.as_ref().eq_ignore_ascii_case(name))
}

/// `set-cookie` and `set-cookie2`: never readable by script.
pub fn is_forbidden_response_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("set-cookie") || name.eq_ignore_ascii_case("set-cookie2")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods() {
        assert!(is_safelisted_method(b"GET") && is_safelisted_method(b"HEAD") && is_safelisted_method(b"POST"));
        assert!(!is_safelisted_method(b"get") && !is_safelisted_method(b"PUT") && !is_safelisted_method(b"PATCH"));
    }

    #[test]
    fn value_limit_is_128_bytes() {
        assert!(is_safelisted_request_header(b"Accept", &[b'a'; 128]));
        assert!(!is_safelisted_request_header(b"Accept", &[b'a'; 129]));
    }

    #[test]
    fn safelisted_values_add_up_to_at_most_1024_bytes() {
        let value = [b'a'; 128];
        let eight: Vec<(&[u8], &[u8])> = (0..8).map(|_| (&b"accept"[..], &value[..])).collect();
        assert_eq!(unsafe_request_header_names(eight.clone()), Vec::<String>::new());
        let mut nine = eight;
        nine.push((b"content-language", b"en"));
        assert_eq!(unsafe_request_header_names(nine), ["accept", "content-language"]);
    }

    #[test]
    fn unsafe_names_are_lowercase_sorted_and_unique() {
        let headers: [(&[u8], &[u8]); 5] = [
            (b"X-Zeta", b"1"),
            (b"Authorization", b"Bearer t"),
            (b"x-zeta", b"2"),
            (b"Content-Type", b"application/json"),
            (b"Accept", b"*/*"),
        ];
        assert_eq!(unsafe_request_header_names(headers), ["authorization", "content-type", "x-zeta"]);
    }

    #[test]
    fn client_hints_have_value_rules() {
        assert!(is_safelisted_client_hint(b"DPR", b"2.5") && is_safelisted_client_hint(b"width", b"100"));
        assert!(!is_safelisted_client_hint(b"dpr", b"two") && !is_safelisted_client_hint(b"dpr", b"2."));
        assert!(!is_safelisted_client_hint(b"rtt", b"1.5") && is_safelisted_client_hint(b"downlink", b"1.5"));
        assert!(is_safelisted_client_hint(b"save-data", b"ON") && !is_safelisted_client_hint(b"save-data", b"off"));
        assert!(is_safelisted_client_hint(b"ect", b"4g") && !is_safelisted_client_hint(b"ect", b"5g"));
    }

    #[test]
    fn response_header_names() {
        assert!(is_safelisted_response_header("Content-Type", &[] as &[&str]));
        assert!(!is_safelisted_response_header("etag", &[] as &[&str]));
        assert!(is_safelisted_response_header("ETag", &["etag"]));
        assert!(!is_safelisted_response_header("set-cookie", &["Set-Cookie"]));
    }
}
