//! The web-platform-tests cases for CORS, restated as data and run against the model. Each
//! table names the wpt file it comes from; `PAGE` plays wpt's `location.origin` and `REMOTE`
//! its cross-origin server.

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS,
};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};

use super::*;

const PAGE: &str = "http://web-platform.test:8000";
const REMOTE: &str = "http://www1.web-platform.test:8000/cors/resources/preflight.py";

fn headers(pairs: &[(HeaderName, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(name.clone(), HeaderValue::from_str(value).unwrap());
    }
    map
}

/// wpt `cors/origin.htm`: `Access-Control-Allow-Origin` values on a request without
/// credentials. (Its `\0` cases cannot be carried by an HTTP header value at all.)
#[test]
fn origin_values() {
    let pass = ["*", " *  ", "\t*", PAGE, &format!(" {PAGE}"), &format!(" {PAGE}   \t "), &format!("\t{PAGE}")];
    for value in pass {
        let response = headers(&[(ACCESS_CONTROL_ALLOW_ORIGIN, value)]);
        assert_eq!(cors_check(PAGE, Credentials::Omit, &response), Ok(()), "{value:?} should pass");
    }
    let fail = [
        "http://www1.web-platform.test:8000".to_string(),
        "//web-platform.test:8000".into(),
        "://web-platform.test:8000".into(),
        "ftp://web-platform.test:8000".into(),
        "http:://web-platform.test:8000".into(),
        "http:/web-platform.test:8000".into(),
        "http:web-platform.test:8000".into(),
        "web-platform.test:8000".into(),
        format!("{PAGE}?"),
        format!("{PAGE}/"),
        format!("{PAGE} /"),
        format!("{PAGE}#"),
        format!("{PAGE}%23"),
        format!("{PAGE}:80"),
        format!("{PAGE}, *"),
        PAGE.to_uppercase(),
        "HTTP://web-platform.test:8000".into(),
        "-".into(),
        "**".into(),
        "'*'".into(),
        "\"*\"".into(),
        "* *".into(),
        "* null".into(),
        "*http://*".into(),
        format!("*{PAGE}"),
        format!("* {PAGE}"),
        format!("*, {PAGE}"),
        format!("null {PAGE}"),
        "http://example.net".into(),
        "null".into(),
        "null *".into(),
        "".into(),
        format!("{PAGE}/cors/origin.htm"),
        format!("{PAGE}/cors/"),
        "http://www1.web-platform.test:8000/cors/".into(),
        "test:8000".into(),
        ".test:8000".into(),
        "*.test:8000".into(),
        "http://test:8000".into(),
        "http://.test:8000".into(),
        "http://*.test:8000".into(),
    ];
    for value in &fail {
        let response = headers(&[(ACCESS_CONTROL_ALLOW_ORIGIN, value)]);
        assert!(cors_check(PAGE, Credentials::Omit, &response).is_err(), "{value:?} should fail");
    }
    // "Disallow multiple headers": the same file's doubleOrigin() cases.
    let doubles = [("", "*"), ("*", ""), ("*", "*"), ("", PAGE), ("*", PAGE), (PAGE, PAGE)];
    for (first, second) in doubles {
        let response = headers(&[(ACCESS_CONTROL_ALLOW_ORIGIN, first), (ACCESS_CONTROL_ALLOW_ORIGIN, second)]);
        assert!(cors_check(PAGE, Credentials::Omit, &response).is_err(), "({first:?}, {second:?}) should fail");
    }
}

/// wpt `cors/credentials-flag.htm`: with credentials, only the exact `true` passes.
#[test]
fn credentials_flag_spellings() {
    let check = |flag: &str| {
        let response = headers(&[(ACCESS_CONTROL_ALLOW_ORIGIN, PAGE), (ACCESS_CONTROL_ALLOW_CREDENTIALS, flag)]);
        cors_check(PAGE, Credentials::Include, &response)
    };
    assert_eq!(check("true"), Ok(()));
    for flag in ["TRUE", "True", "\"true\"", "false", "1", "0"] {
        assert_eq!(check(flag), Err(CheckFailure::AllowCredentialsNotTrue(flag.to_string())), "{flag:?}");
    }
}

/// wpt `cors/cors-safelisted-request-header.any.js`: a `POST` with body "data" and one header;
/// `true` means a preflight. (Its `last-event-id` table predates that header's removal from
/// the safelist, and is left out.)
#[test]
fn safelisted_request_headers() {
    let content_type: &[(&str, bool)] = &[
        ("text /plain", true),
        ("text\t/\tplain", true),
        ("text/plain;", false),
        ("text/plain;garbage", false),
        ("text/plain;garbage\u{1}\u{2}", true),
        ("text/plain,", true),
        (",text/plain", true),
        ("text/plain,text/plain", true),
        ("text/plain,x/x", true),
        ("text/plain\u{b}", true),
        ("text/plain\u{c}", true),
        ("application/www-form-urlencoded", true),
        ("application/x-www-form-urlencoded;\u{7f}", true),
        ("multipart/form-data", false),
        ("multipart/form-data;\"", true),
    ];
    let long_range = format!("bytes=1{}-2{}", "0".repeat(60), "0".repeat(60));
    let range: &[(&str, bool)] = &[
        ("100-200", true),
        ("MB=100-200", true),
        ("bytes=100-200", false),
        ("bytes =100-200", true),
        ("bytes\t=100-200", true),
        ("bytes=  100-200", true),
        ("bytes=\t\t100-200", true),
        ("bytes= \t100-200", true),
        ("bytes=100 -200", true),
        ("bytes=100\t-200", true),
        ("bytes=100- 200", true),
        ("bytes=100-\t200", true),
        ("bytes=100-200hello", true),
        ("bytes=abc-def", true),
        ("bytes=100-200,300-400", true),
        ("bytes=-200", true),
        ("bytes=200-", false),
        ("bytes=200-100", true),
        (&long_range, true),
        ("bytes 100-200", true),
        ("bytes = 100-200", true),
        (",bytes=100-200", true),
        ("bytes=,100-200", true),
    ];
    for (name, table) in [("content-type", content_type), ("range", range)] {
        for &(value, preflight) in table {
            // The model sees the value the way `fetch` stores it: the control bytes a header
            // value cannot carry are checked directly against the safelist instead.
            let safelisted = is_safelisted_request_header(name.as_bytes(), value.as_bytes());
            assert_eq!(!safelisted, preflight, "{name}: {value:?}");
            if let Ok(valid) = HeaderValue::from_str(value.trim_matches(['\t', ' '])) {
                if valid.as_bytes() == value.as_bytes() {
                    let fetch = Fetch::new(PAGE, "POST", REMOTE).header(name, value).body("data");
                    assert_eq!(fetch.needs_preflight(), preflight, "{name}: {value:?}");
                }
            }
        }
    }
}

/// How wpt's `preflight.py` answers: `*` unless credentialed, the allow lists as asked.
fn preflight_response(credentials: bool, allow_methods: &str, allow_headers: &str) -> HeaderMap {
    let mut pairs = vec![
        (ACCESS_CONTROL_ALLOW_ORIGIN, if credentials { PAGE } else { "*" }),
        (ACCESS_CONTROL_ALLOW_METHODS, allow_methods),
        (ACCESS_CONTROL_ALLOW_HEADERS, allow_headers),
    ];
    if credentials {
        pairs.push((ACCESS_CONTROL_ALLOW_CREDENTIALS, "true"));
    }
    headers(&pairs)
}

/// wpt `fetch/api/cors/cors-preflight-star.any.js` (both revisions of its table), plus the
/// Fetch standard's "CORS non-wildcard request-header name" rule (`Authorization` is never
/// covered by `*`), which the newest revision of that file also tests.
#[test]
fn preflight_star_matrix() {
    type StarCase = (bool, bool, &'static str, &'static str, &'static str, Option<(&'static str, &'static str)>);
    #[rustfmt::skip]
    let cases: &[StarCase] = &[
        // succeeds, credentials, allow methods, allow headers, method, header
        (true,  false, "get", "x-test", "GET", Some(("X-Test", "1"))),
        (true,  false, "*", "x-test", "SUPER", Some(("X-Test", "1"))),
        (true,  false, "*", "*", "OK", Some(("X-Test", "1"))),
        (true,  true,  "OK", "Content-Type", "GET", Some(("Content-Type", "uni/corn"))),
        (false, true,  "*", "*", "OK", Some(("X-Test", "1"))),
        (false, true,  "*", "", "PUT", None),
        (true,  true,  "", "*", "get", None),
        (true,  true,  "PUT", "*", "PUT", None),
        (false, true,  "put", "*", "PUT", None),
        (true,  true,  "PUT", "*", "PUT", Some(("Accept", "unicorn"))),
        (false, true,  "get", "*", "GET", Some(("X-Test", "1"))),
        (false, true,  "*", "*", "GET", Some(("X-Test", "1"))),
        (true,  true,  "*", "*", "*", Some(("*", "1"))),
        // Authorization: never covered by `*`, with or without credentials.
        (false, false, "*", "*", "GET", Some(("Authorization", "Bearer t"))),
        (true,  false, "*", "*, authorization", "GET", Some(("Authorization", "Bearer t"))),
        (true,  true,  "GET", "Authorization", "GET", Some(("Authorization", "Bearer t"))),
    ];
    for &(succeeds, credentials, allow_methods, allow_headers, method, header) in cases {
        let mut fetch = Fetch::new(PAGE, method, REMOTE).credentials(if credentials {
            Credentials::Include
        } else {
            Credentials::SameOrigin
        });
        if let Some((name, value)) = header {
            fetch = fetch.header(name, value);
        }
        let response = preflight_response(credentials, allow_methods, allow_headers);
        let result = if fetch.needs_preflight() { check_preflight(&fetch, StatusCode::OK, &response) } else { Ok(()) };
        assert_eq!(
            result.is_ok(),
            succeeds,
            "{method} {header:?} against {allow_methods:?}/{allow_headers:?}, credentials {credentials}: {result:?}"
        );
    }
}

/// wpt `fetch/api/cors/cors-preflight-response-validation.any.js`: allow lists that are not
/// token lists fail the preflight.
#[test]
fn allow_lists_must_be_token_lists() {
    let fetch = Fetch::get(PAGE, REMOTE).header("x-force-preflight", "");
    let bad_headers = preflight_response(false, "GET", "x-force-preflight,header name with space");
    assert_eq!(
        check_preflight(&fetch, StatusCode::OK, &bad_headers),
        Err(Reason::AllowHeadersUnparsable("header name with space".into()))
    );
    let bad_methods = preflight_response(false, "Bad method name", "x-force-preflight");
    assert_eq!(
        check_preflight(&fetch, StatusCode::OK, &bad_methods),
        Err(Reason::AllowMethodsUnparsable("Bad method name".into()))
    );
    // Whitespace, case in header names, and empty elements are fine.
    let lenient = preflight_response(false, " GET ,, ", "\tX-Force-Preflight , ,");
    assert_eq!(check_preflight(&fetch, StatusCode::OK, &lenient), Ok(()));
}

/// wpt `fetch/api/cors/cors-preflight-status.any.js`: only a 2xx preflight passes.
#[test]
fn preflight_status() {
    let fetch = Fetch::new(PAGE, "PUT", REMOTE);
    let response = preflight_response(false, "PUT", "");
    for status in [200, 201, 202, 203, 204, 205, 206] {
        let status = StatusCode::from_u16(status).unwrap();
        assert_eq!(check_preflight(&fetch, status, &response), Ok(()), "{status}");
    }
    for status in [300, 301, 302, 303, 304, 305, 306, 307, 308, 400, 401, 402, 403, 404, 405, 501, 502, 503] {
        let code = StatusCode::from_u16(status).unwrap();
        assert_eq!(check_preflight(&fetch, code, &response), Err(Reason::PreflightStatus(status)), "{status}");
    }
    let mut redirect = response.clone();
    redirect.insert(http::header::LOCATION, HeaderValue::from_static("/elsewhere"));
    assert_eq!(check_preflight(&fetch, StatusCode::FOUND, &redirect), Err(Reason::PreflightRedirect));
}

/// wpt `cors/access-control-expose-headers-parsing.window.js` and `fetch/api/cors/cors-expose-star.js`:
/// `Access-Control-Expose-Headers` is a token list (anything else exposes nothing), and `*`
/// exposes everything but `Set-Cookie` only without credentials. Restated from the rule those
/// files exercise, with wpt's `bb-8` header.
#[test]
fn expose_headers_parsing() {
    let cases: &[(&str, bool)] = &[
        ("bb-8", true),
        ("bb-8,", true),
        (",bb-8", true),
        (" bb-8 , , ", true),
        ("BB-8", true),
        ("bb-8, x,y", true),
        ("bb-8 x", false),
        ("\"bb-8\"", false),
        ("bb-8,@", false),
        ("bb-8;", false),
        ("", false),
    ];
    for &(expose, exposed) in cases {
        let response = headers(&[
            (ACCESS_CONTROL_EXPOSE_HEADERS, expose),
            (HeaderName::from_static("bb-8"), "hey"),
            (HeaderName::from_static("content-language"), "mkay"),
        ]);
        let readable = readable_headers(Credentials::SameOrigin, &response);
        assert_eq!(readable.get("content-language").unwrap(), "mkay", "{expose:?}");
        assert_eq!(readable.contains_key("bb-8"), exposed, "{expose:?}");
    }
    let star = headers(&[
        (ACCESS_CONTROL_EXPOSE_HEADERS, "*"),
        (HeaderName::from_static("x-custom"), "1"),
        (http::header::SET_COOKIE, "a=b"),
    ]);
    let anonymous = readable_headers(Credentials::Omit, &star);
    assert!(anonymous.contains_key("x-custom") && !anonymous.contains_key("set-cookie"));
    assert!(!readable_headers(Credentials::Include, &star).contains_key("x-custom"));
}
