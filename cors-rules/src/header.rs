//! Header names: token syntax, the names browsers never let script set, and the
//! `Access-Control-Request-Headers` list parser used on every preflight.

/// RFC 9110 `tchar`: what a header name (a `token`) may contain.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Whether `name` is a non-empty RFC 9110 token.
pub fn is_token(name: &[u8]) -> bool {
    !name.is_empty() && name.iter().all(|&b| is_tchar(b))
}

/// Fetch's forbidden request-header names: script can never set these, so listing them in
/// `headers = [...]` only suggests a protection that does not exist.
const FORBIDDEN: &[&str] = &[
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

/// Whether browsers refuse to let script send `name` (compared case-insensitively).
pub fn is_forbidden_request_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    FORBIDDEN.contains(&name.as_str()) || name.starts_with("proxy-") || name.starts_with("sec-")
}

/// What to write instead of a header name that is not a token, when it follows from the name:
/// the name with spaces and separators turned into `-` (`content type` → `content-type`), or
/// each name of a comma-separated list written as one (`accept, authorization`). Every name
/// returned is a lowercase token that browsers let script send; the result is empty when no
/// such fix follows (the name is a token already, or is not ASCII, or the fix would be refused).
pub fn header_name_fixes(name: &str) -> Vec<String> {
    if is_token(name.as_bytes()) || !name.is_ascii() {
        return Vec::new();
    }
    let listed: Vec<&str> = name.split(',').map(str::trim_ascii).filter(|n| !n.is_empty()).collect();
    let candidates: Vec<String> = if listed.len() > 1 && listed.iter().all(|n| is_token(n.as_bytes())) {
        listed.iter().map(|n| n.to_ascii_lowercase()).collect()
    } else {
        let words: Vec<&str> = name.split(|c: char| !is_tchar(c as u8)).filter(|w| !w.is_empty()).collect();
        vec![words.join("-").to_ascii_lowercase()]
    };
    let mut fixes: Vec<String> = Vec::new();
    for candidate in candidates {
        if !is_token(candidate.as_bytes()) || is_forbidden_request_header(&candidate) {
            return Vec::new();
        }
        if !fixes.contains(&candidate) {
            fixes.push(candidate);
        }
    }
    fixes
}

/// A malformed `Access-Control-Request-Headers` element (not a token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed;

/// The elements of one `Access-Control-Request-Headers` value, per Fetch's "extract header list
/// values" for `#field-name`: split on `,`, optional whitespace trimmed, empty elements skipped,
/// every other element a token. Borrowed slices; nothing is allocated.
pub fn header_list(value: &[u8]) -> impl Iterator<Item = Result<&[u8], Malformed>> {
    value
        .split(|&b| b == b',')
        .map(|element| element.trim_ascii_start().trim_ascii_end())
        .filter(|element| !element.is_empty())
        .map(|element| if is_token(element) { Ok(element) } else { Err(Malformed) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(value: &str) -> Result<Vec<&str>, Malformed> {
        header_list(value.as_bytes()).map(|r| r.map(|b| std::str::from_utf8(b).unwrap())).collect()
    }

    #[test]
    fn list_parsing_follows_fetch() {
        assert_eq!(parse("a,b"), Ok(vec!["a", "b"]));
        assert_eq!(parse(" a ,\tb\t, ,,"), Ok(vec!["a", "b"]));
        assert_eq!(parse(""), Ok(vec![]));
        assert_eq!(parse(",,"), Ok(vec![]));
        assert_eq!(parse("a b"), Err(Malformed));
        assert_eq!(parse("a,\"b\""), Err(Malformed));
        assert_eq!(parse("x-é"), Err(Malformed));
    }

    #[test]
    fn fixes_follow_from_the_name() {
        assert_eq!(header_name_fixes("content type"), ["content-type"]);
        assert_eq!(header_name_fixes("X Request: Id"), ["x-request-id"]);
        assert_eq!(header_name_fixes("accept, Authorization"), ["accept", "authorization"]);
        assert_eq!(header_name_fixes("\"etag\""), ["etag"]);
        // No fix: a token already, nothing left, not ASCII, or a name browsers refuse.
        for name in ["x-request-id", "", " : ", "x-é", "content length", "accept, cookie"] {
            assert!(header_name_fixes(name).is_empty(), "{name}");
        }
    }

    #[test]
    fn forbidden_names() {
        assert!(is_forbidden_request_header("Cookie"));
        assert!(is_forbidden_request_header("sec-fetch-mode"));
        assert!(is_forbidden_request_header("Proxy-Authorization"));
        assert!(!is_forbidden_request_header("authorization"));
        assert!(!is_forbidden_request_header("x-request-id"));
    }
}
