//! `--routes` with bad input (one line on stderr, exit 2, never a panic), an unreachable or hung
//! deployment, a route that hangs, and a base URL with a path prefix.

use std::time::{Duration, Instant};

use axum::Router;
use tokio::net::TcpListener;

use super::routes_apps;
use super::{diagnose_routes, differs, doctor_routes, serve, stderr};

/// Exit 2, nothing on stdout, exactly `message` as one line on stderr.
async fn refused(table: &str, base: &str, args: &[&str], message: &str) {
    let output = doctor_routes(table, base, args).await;
    assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
    assert_eq!(stderr(&output), format!("cors doctor: {message}\n"), "{args:?}");
    assert!(output.stdout.is_empty(), "{args:?}");
}

/// The staged table with one field of its first route replaced.
fn table_with(key: &str, value: serde_json::Value) -> String {
    let mut table: serde_json::Value = serde_json::from_str(&routes_apps::table()).unwrap();
    table["routes"][0][key] = value;
    table.to_string()
}

#[tokio::test]
async fn bad_tables_and_arguments_are_one_line_and_exit_2() {
    let table = routes_apps::table();
    let base = "http://127.0.0.1:9";
    refused("not json", base, &[], "table.json: not a route table: expected ident at line 1 column 2").await;
    refused(r#"{"routes": []}"#, base, &[], "table.json: the table has no routes").await;
    refused(
        &table_with("origins", serde_json::json!(["https://App.example.com"])),
        base,
        &[],
        "table.json: route GET /orders/{id} (show): origin `https://App.example.com` has uppercase letters: \
         browsers send `https://app.example.com`",
    )
    .await;
    refused(
        r#"{"routes": [{"method": "GET", "colour": "blue"}]}"#,
        base,
        &[],
        "table.json: not a route table: unknown field `colour`, expected one of `method`, `path`, `handler`, \
         `policy`, `public`, `origins`, `origins_env`, `origins_dynamic`, `credentials`, `headers`, `expose`, \
         `max_age`, `private_network`, `strict` at line 1 column 38",
    )
    .await;
    refused(
        &table,
        "http://127.0.0.1:9/api?v=2",
        &[],
        "BASE_URL `http://127.0.0.1:9/api?v=2` takes no query or fragment: the table's paths are appended to it, \
         e.g. `https://api.example.com` or `https://example.com/backend`",
    )
    .await;
    refused(&table, "127.0.0.1:9", &[], "URL `127.0.0.1:9` must be absolute, e.g. `https://api.example.com/orders`")
        .await;
    refused(
        &table,
        base,
        &["--method", "PUT"],
        "--method is for one URL; with --routes, doctor sends each route's method from the table",
    )
    .await;
    refused(
        &table,
        base,
        &["--header", "authorization"],
        "--header `authorization`: with --routes write `NAME: VALUE`; each route's allowed headers already get \
         plausible values",
    )
    .await;
    refused(
        &table,
        base,
        &["--origin", "https://app.example.com/"],
        "--origin: origin `https://app.example.com/` has a trailing `/`: an origin is scheme, host and port only; \
         browsers send `https://app.example.com`",
    )
    .await;
    refused(&table, base, &["--expose", "x y"], "--expose `x y` is not a header name").await;
    refused(&table, base, &["--timeout", "0"], "--timeout 0: give a number of seconds between 0 and 3600").await;
}

#[tokio::test]
async fn a_missing_table_file_is_exit_2() {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_cors"))
        .args(["doctor", "--routes", "/nonexistent/service.json", "http://127.0.0.1:9"])
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "cors doctor: cannot read /nonexistent/service.json: No such file or directory (os error 2)\n"
    );
}

#[tokio::test]
async fn an_unreachable_deployment_is_exit_2() {
    let port = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
    let output = doctor_routes(&routes_apps::table(), &format!("http://127.0.0.1:{port}"), &[]).await;
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!("cors doctor: cannot connect to 127.0.0.1:{port}: Connection refused (os error 111)\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deployment_that_never_answers_is_exit_2_within_the_timeout() {
    let addr = super::hung_server().await;
    let started = Instant::now();
    let output = doctor_routes(&routes_apps::table(), &format!("http://{addr}"), &["--timeout", "1"]).await;
    // Eight first exchanges, eight in flight: about one timeout in all.
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.starts_with(&format!("cors doctor: {addr} did not answer `")), "{message}");
    assert!(message.ends_with("` within 1 s\n") && message.lines().count() == 1, "{message}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_route_that_hangs_is_reported_and_blocks() {
    async fn hang_catalog(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
        if request.uri().path() == "/catalog" {
            std::future::pending::<()>().await;
        }
        next.run(request).await
    }
    let base = serve(routes_apps::service().layer(axum::middleware::from_fn(hang_catalog))).await;
    let (code, differing, _) = diagnose_routes(&routes_apps::table(), &base, &["--timeout", "1"]).await;
    let server = format!("{} did not answer `GET /catalog` within 1 s", base.trim_start_matches("http://"));
    let expected = differs("no-answer", "GET /catalog is served", &server);
    assert_eq!((code, differing), (1, vec![("GET /catalog".into(), vec![expected])]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_base_url_with_a_path_prefix() {
    let base = serve(Router::new().nest("/backend", routes_apps::service())).await;
    let (code, differing, report) = diagnose_routes(&routes_apps::table(), &format!("{base}/backend/"), &[]).await;
    assert_eq!((code, differing), (0, vec![]));
    assert_eq!(report["routes"][0]["url"], format!("{base}/backend/orders/1"));
    // Without the prefix nothing is served, and the report says what to check.
    let output = doctor_routes(&routes_apps::table(), &base, &[]).await;
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("Routes that differ from their table: 4 of 4\n"), "{text}");
    assert!(
        text.contains(&format!(
            "  No route of the table is served at {base}: is that the base URL (a path prefix added or removed by \
             a gateway)?\n"
        )),
        "{text}"
    );
}
