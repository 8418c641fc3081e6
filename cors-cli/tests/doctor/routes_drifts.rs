//! `--routes` against staged deployments: the service as its code declares it, then the same
//! service with one drift in front of it per test. Each asserts the exit code and, for every
//! route that differs, the exact differences (id, what the table says, what the server did).
//! Two reports with several drifts at once are snapshots, text and `--json`.

use serde_json::Value;

use super::routes_apps::{self, behind, Drift};
use super::snapshots::compare_snapshot;
use super::{diagnose_routes, differs, doctor_routes, serve};

fn names(report: &Value) -> Vec<(String, String)> {
    let routes = report["routes"].as_array().unwrap();
    routes.iter().map(|r| (r["method"].as_str().unwrap().into(), r["result"].as_str().unwrap().into())).collect()
}

/// The request line and headers of one exchange of a route's attempt, as the JSON shows them.
fn request(report: &Value, route: usize, attempt: usize, exchange: usize) -> (String, Value) {
    let exchange = &report["routes"][route]["attempts"][attempt]["exchanges"][exchange]["request"];
    (
        format!("{} {}", exchange["method"].as_str().unwrap(), exchange["target"].as_str().unwrap()),
        exchange["headers"].clone(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn the_service_as_declared_is_exit_0_with_each_routes_own_call() {
    let base = serve(routes_apps::service()).await;
    let (code, differing, report) = diagnose_routes(&routes_apps::table(), &base, &[]).await;
    assert_eq!((code, differing), (0, vec![]), "{report:#}");
    // Per route: the page (preflight when needed, then the request), and a foreign page whose
    // preflight is refused; the public route's two plain GETs.
    assert_eq!(report["requests"], 11);
    let results: Vec<(String, String)> = names(&report);
    assert!(results.iter().all(|(_, result)| result == "as-declared"), "{results:?}");
    // `GET /orders/{id}`: the capture filled with 1, the route's headers with plausible values.
    let (line, headers) = request(&report, 0, 0, 0);
    assert_eq!(line, "OPTIONS /orders/1");
    assert!(
        headers
            .as_array()
            .unwrap()
            .contains(&serde_json::json!(["access-control-request-headers", "authorization,content-type"])),
        "{headers}"
    );
    let (line, headers) = request(&report, 0, 0, 1);
    assert_eq!(line, "GET /orders/1");
    let sent = headers.as_array().unwrap();
    assert!(sent.contains(&serde_json::json!(["authorization", "Bearer cors-doctor"])), "{headers}");
    assert!(sent.contains(&serde_json::json!(["content-type", "application/json"])), "{headers}");
    assert_eq!(request(&report, 2, 0, 1).0, "GET /files/x", "`{{*rest}}` is filled with x");
    assert_eq!(report["routes"][0]["attempts"][1]["origin"], "https://evil.example");
    assert_eq!(report["routes"][0]["attempts"][1]["verdict"]["result"], "blocked");
    assert_eq!(report["routes"][3]["origin"], "https://elsewhere.example", "public: any website");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gateway_that_strips_expose_headers() {
    let base = serve(behind(Drift::StripExpose, routes_apps::service())).await;
    let (code, differing, _) = diagnose_routes(&routes_apps::table(), &base, &[]).await;
    let expected = differs(
        "exposed-header-unreadable",
        "exposes etag, x-request-id",
        "the answer to `GET /orders/1` (200) has no Access-Control-Expose-Headers: script cannot read etag, x-request-id",
    );
    assert_eq!((code, differing), (3, vec![("GET /orders/{id}".into(), vec![expected])]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gateway_that_strips_allow_credentials() {
    let base = serve(behind(Drift::StripCredentials, routes_apps::service())).await;
    let (code, differing, _) = diagnose_routes(&routes_apps::table(), &base, &[]).await;
    let expected = differs(
        "credentials-not-allowed",
        "credentials: `Access-Control-Allow-Credentials: true` for https://app.example.com",
        "the preflight's answer has no Access-Control-Allow-Credentials, and the call has credentials",
    );
    assert_eq!((code, differing), (1, vec![("POST /orders".into(), vec![expected])]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_owner_that_duplicates_allow_origin() {
    let base = serve(behind(Drift::DuplicateAllowOrigin, routes_apps::service())).await;
    let (code, differing, _) = diagnose_routes(&routes_apps::table(), &base, &[]).await;
    let expected = differs(
        "duplicate-cors-headers",
        "one owner: each Access-Control-* header once",
        "the preflight's answer carries Access-Control-Allow-Origin `https://app.example.com, https://app.example.com`",
    );
    assert_eq!((code, differing), (1, vec![("POST /orders".into(), vec![expected])]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_route_that_was_never_deployed() {
    let base = serve(routes_apps::service_without_files()).await;
    let (code, differing, report) = diagnose_routes(&routes_apps::table(), &base, &[]).await;
    let expected = differs(
        "route-missing",
        "GET /files/{*rest} is served",
        "`OPTIONS /files/x` got 404 Not Found without CORS headers: nothing serves the route",
    );
    assert_eq!((code, differing), (1, vec![("GET /files/{*rest}".into(), vec![expected])]));
    assert_eq!(report["routes"][2]["result"], "blocked");
}

#[tokio::test(flavor = "multi_thread")]
async fn auth_in_front_answers_the_preflight_401() {
    let base = serve(behind(Drift::AuthBeforeCors, routes_apps::service())).await;
    let (code, differing, _) = diagnose_routes(&routes_apps::table(), &base, &[]).await;
    let expected = differs(
        "preflight-rejected-by-auth",
        "the preflight from https://app.example.com is answered 204",
        "the preflight got 401 Unauthorized without CORS headers",
    );
    assert_eq!((code, differing), (1, vec![("POST /orders".into(), vec![expected])]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gateway_that_lets_a_foreign_origin_in() {
    let base = serve(behind(Drift::ReflectForeign, routes_apps::service())).await;
    let (code, differing, _) = diagnose_routes(&routes_apps::table(), &base, &[]).await;
    let expected = differs(
        "foreign-origin-allowed",
        "origins https://app.example.com, not https://evil.example",
        "a page on https://evil.example was let in (`Access-Control-Allow-Origin: https://evil.example`)",
    );
    assert_eq!((code, differing), (3, vec![("GET /orders/{id}".into(), vec![expected])]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_cookie_without_samesite_none_is_not_sent_back() {
    let lax = serve(behind(Drift::SetCookie("Path=/; HttpOnly"), routes_apps::service())).await;
    let (code, differing, report) = diagnose_routes(&routes_apps::table(), &lax, &[]).await;
    let expected = differs(
        "cookie-not-sent-back",
        "credentials: the session cookie comes back",
        "the answer to `GET /orders/1` sets `sid` (`Path=/; HttpOnly`) without `SameSite=None; Secure`: the page on \
         https://app.example.com is another site, so the browser will not send that cookie back",
    );
    assert_eq!((code, differing), (3, vec![("GET /orders/{id}".into(), vec![expected])]));
    assert!(!report.to_string().contains("s3cr3t"), "a cookie's value is never printed");
    let cross_site = "Path=/; HttpOnly; Secure; SameSite=None";
    let fine = serve(behind(Drift::SetCookie(cross_site), routes_apps::service())).await;
    assert_eq!(diagnose_routes(&routes_apps::table(), &fine, &[]).await.0, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn expose_asks_every_route_for_one_more_header() {
    let base = serve(routes_apps::service()).await;
    let (code, differing, _) = diagnose_routes(&routes_apps::table(), &base, &["--expose", "X-Request-Id"]).await;
    // The session's routes expose it already; the public catalog does not.
    let expected = differs(
        "exposed-header-unreadable",
        "exposes etag (and --expose x-request-id)",
        "the answer to `GET /catalog` (200) says `Access-Control-Expose-Headers: etag`: script cannot read x-request-id",
    );
    assert_eq!((code, differing), (3, vec![("GET /catalog".into(), vec![expected])]));
    let (code, differing, _) = diagnose_routes(&routes_apps::table(), &base, &["--expose", "etag"]).await;
    assert_eq!((code, differing), (0, vec![]), "every route exposes etag");
}

/// tower-http's `CorsLayer` around a whole router puts CORS headers on the router's own `404` too.
#[tokio::test(flavor = "multi_thread")]
async fn a_global_cors_layer_decorates_the_404_of_a_missing_route() {
    use axum::http::HeaderValue;
    let route = |path: &str, handler: &str| {
        serde_json::json!({
            "method": "GET", "path": path, "handler": handler, "policy": "inline", "public": false,
            "origins": [super::APP], "origins_env": null, "credentials": false, "headers": [], "expose": [],
            "max_age": 600, "private_network": false, "strict": false,
        })
    };
    let table = serde_json::json!({"routes": [route("/orders/{id}", "show"), route("/reports", "reports")]});
    // No order 1: the handler's own 404. No `/reports` at all.
    let app = axum::Router::new()
        .route("/orders/{id}", axum::routing::get(|| async { axum::http::StatusCode::NOT_FOUND }))
        .layer(tower_http::cors::CorsLayer::new().allow_origin([HeaderValue::from_static(super::APP)]));
    let base = serve(app).await;
    let (code, differing, _) = diagnose_routes(&table.to_string(), &base, &[]).await;
    let expected = differs(
        "route-missing",
        "GET /reports is served",
        "`GET /reports` got 404 Not Found (with CORS headers, so the page reads it): nothing serves the route",
    );
    assert_eq!((code, differing), (3, vec![("GET /reports".into(), vec![expected])]));
}

/// Three drifts on three routes, two of them on one: the layout of both reports.
fn staged_gateway() -> axum::Router {
    let service = routes_apps::service_without_files();
    let service = behind(Drift::DuplicateAllowOrigin, service);
    let service = behind(Drift::StripExpose, service);
    behind(Drift::SetCookie("Path=/; HttpOnly; SameSite=Lax"), service)
}

#[tokio::test(flavor = "multi_thread")]
async fn snapshots_of_a_text_and_a_json_report() {
    let base = serve(staged_gateway()).await;
    let port = |text: String| text.replace(base.trim_start_matches("http://"), "127.0.0.1:PORT");
    let text = doctor_routes(&routes_apps::table(), &base, &[]).await;
    assert_eq!(text.status.code(), Some(1), "{}", String::from_utf8_lossy(&text.stderr));
    compare_snapshot("routes-staged.txt", &port(String::from_utf8(text.stdout).unwrap()));
    let json = doctor_routes(&routes_apps::table(), &base, &["--json"]).await;
    assert_eq!(json.status.code(), Some(1));
    compare_snapshot("routes-staged.json", &port(String::from_utf8(json.stdout).unwrap()));
}
