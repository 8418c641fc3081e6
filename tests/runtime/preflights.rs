//! DESIGN §4's preflight rules: `OPTIONS` answered per route, without running a handler.

use super::*;

#[tokio::test]
async fn allowed_preflight_gets_204_with_the_full_header_set() {
    let response = send(preflight("/items/7", APP, "GET", Some("authorization,x-request-id"))).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(one(&response, "access-control-allow-origin").as_deref(), Some(APP));
    assert_eq!(one(&response, "access-control-allow-credentials").as_deref(), Some("true"));
    assert_eq!(one(&response, "access-control-allow-methods").as_deref(), Some("GET"));
    assert_eq!(one(&response, "access-control-allow-headers").as_deref(), Some("authorization,x-request-id"));
    assert_eq!(one(&response, "access-control-max-age").as_deref(), Some("600"));
    assert_eq!(all(&response, "vary"), ["Origin, Access-Control-Request-Method, Access-Control-Request-Headers"]);
    assert_eq!(one(&response, "access-control-expose-headers"), None);
    assert_eq!(body(response).await, "");
}

#[tokio::test]
async fn preflight_dispatches_on_the_requested_method() {
    // DELETE at this path belongs to AdminStrict: another origin, no credentials, max-age 60.
    let response = send(preflight("/items/7", "https://admin.example.com", "DELETE", None)).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(one(&response, "access-control-allow-origin").as_deref(), Some("https://admin.example.com"));
    assert_eq!(one(&response, "access-control-allow-credentials"), None);
    assert_eq!(one(&response, "access-control-allow-methods").as_deref(), Some("DELETE"));
    assert_eq!(one(&response, "access-control-allow-headers"), None);
    assert_eq!(one(&response, "access-control-max-age").as_deref(), Some("60"));

    // The app origin may GET but not DELETE.
    let response = send(preflight("/items/7", APP, "DELETE", None)).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(body(response).await, "CORS preflight rejected: origin not allowed\n");
}

#[tokio::test]
async fn head_preflight_falls_back_to_get() {
    let response = send(preflight("/items/7", APP, "HEAD", None)).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(one(&response, "access-control-allow-methods").as_deref(), Some("HEAD"));
    assert_eq!(one(&response, "access-control-allow-credentials").as_deref(), Some("true"));
}

#[tokio::test]
async fn requested_headers_are_parsed_as_fetch_does() {
    // The answer uses the policy's spellings, deduplicated, in request order: a browser's own
    // list (lowercase, joined with `,`) comes back byte for byte, and nothing else is echoed.
    for (value, answer) in [
        ("authorization,content-type", "authorization,content-type"),
        ("  CONTENT-TYPE ,, ,\tAuthorization  ", "content-type,authorization"),
        ("x-request-id,X-Request-Id,x-request-id", "x-request-id"),
    ] {
        let response = send(preflight("/items/7", APP, "GET", Some(value))).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT, "{value:?}");
        assert_eq!(one(&response, "access-control-allow-headers").as_deref(), Some(answer), "{value:?}");
    }
    // Only empty elements: nothing requested, nothing answered.
    let response = send(preflight("/items/7", APP, "GET", Some(" , ,"))).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(one(&response, "access-control-allow-headers"), None);
    // Two header lines are one list.
    let response = send(request(
        "OPTIONS",
        "/items/7",
        &[
            ("origin", APP.as_bytes()),
            ("access-control-request-method", b"GET"),
            ("access-control-request-headers", b"authorization"),
            ("access-control-request-headers", b"content-type"),
        ],
    ))
    .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(one(&response, "access-control-allow-headers").as_deref(), Some("authorization,content-type"));
}

#[tokio::test]
async fn rejected_preflights_get_403_with_a_reason_and_no_cors_headers() {
    let cases: Vec<(Request<Body>, &str)> = vec![
        (preflight("/items/7", "https://evil.example", "GET", None), "origin not allowed"),
        (preflight("/items/7", "null", "GET", None), "origin not allowed"),
        (preflight("/items/7", APP, "PATCH", None), "no route for the requested method at this path"),
        (preflight("/items/7", APP, "get", None), "no route for the requested method at this path"),
        (preflight("/items/7", APP, "GET", Some("x-other")), "a requested header is not allowed"),
        (preflight("/items/7", APP, "GET", Some("cookie")), "a requested header is not allowed"),
        (preflight("/items/7", APP, "GET", Some("content-type;x")), "malformed Access-Control-Request-Headers"),
        (preflight("/items/7", APP, "GET", Some("a b")), "malformed Access-Control-Request-Headers"),
        (request("OPTIONS", "/items/7", &[("access-control-request-method", b"GET")]), "no Origin header"),
        (
            request(
                "OPTIONS",
                "/items/7",
                &[("origin", APP.as_bytes()), ("origin", APP.as_bytes()), ("access-control-request-method", b"GET")],
            ),
            "more than one Origin header",
        ),
        (
            request(
                "OPTIONS",
                "/items/7",
                &[
                    ("origin", APP.as_bytes()),
                    ("access-control-request-method", b"GET"),
                    ("access-control-request-method", b"GET"),
                ],
            ),
            "Access-Control-Request-Method must be one method, sent once",
        ),
        (
            request(
                "OPTIONS",
                "/items/7",
                &[
                    ("origin", APP.as_bytes()),
                    ("access-control-request-method", b"GET"),
                    ("access-control-request-headers", b"x-\xff"),
                ],
            ),
            "malformed Access-Control-Request-Headers",
        ),
        (
            request(
                "OPTIONS",
                "/items/7",
                &[
                    ("origin", APP.as_bytes()),
                    ("access-control-request-method", b"GET"),
                    ("access-control-request-private-network", b"true"),
                ],
            ),
            "private network access is not allowed",
        ),
    ];
    for (request, reason) in cases {
        let described = format!("{:?}", request.headers());
        let response = send(request).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{described}");
        assert_eq!(cors_headers(&response), Vec::<String>::new(), "{described}");
        assert_eq!(one(&response, "content-type").as_deref(), Some("text/plain; charset=utf-8"));
        assert_eq!(body(response).await, format!("CORS preflight rejected: {reason}\n"), "{described}");
    }
}

#[tokio::test]
async fn star_headers_allow_any_name_but_authorization() {
    let response = send(preflight("/items/7", APP, "POST", Some("x-anything,content-type"))).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(one(&response, "access-control-allow-headers").as_deref(), Some("*"));
    let response = send(preflight("/items/7", APP, "POST", Some("x-anything,authorization"))).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // Listed beside `*`, `authorization` is allowed by name.
    let response = send(preflight("/items/7", APP, "PUT", Some("authorization,x-anything"))).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(one(&response, "access-control-allow-headers").as_deref(), Some("*,authorization"));
}

#[tokio::test]
async fn private_network_access_is_answered_when_the_policy_allows_it() {
    let response = send(request(
        "OPTIONS",
        "/items/7",
        &[
            ("origin", APP.as_bytes()),
            ("access-control-request-method", b"POST"),
            ("access-control-request-private-network", b"true"),
        ],
    ))
    .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(one(&response, "access-control-allow-private-network").as_deref(), Some("true"));
    assert_eq!(one(&response, "access-control-allow-credentials"), None);
}

#[tokio::test]
async fn plain_options_gets_allow() {
    let response = send(request("OPTIONS", "/items/7", &[("origin", APP.as_bytes())])).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(one(&response, "allow").as_deref(), Some("GET, HEAD, POST, PUT, DELETE, OPTIONS"));
    assert_eq!(cors_headers(&response), Vec::<String>::new());
    let response = send(request("OPTIONS", "/status", &[])).await;
    assert_eq!(one(&response, "allow").as_deref(), Some("GET, HEAD, OPTIONS"));
}

#[tokio::test]
async fn unrouted_methods_and_paths_are_axums_business() {
    let response = send(request("PATCH", "/items/7", &[("origin", APP.as_bytes())])).await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let response = send(get("/nowhere", &[("origin", APP.as_bytes())])).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
