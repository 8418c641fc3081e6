//! Exit code 2: bad input (one line, never a panic), unreachable hosts, and servers that never
//! answer (a progress line, then a clear message within the timeout).

use std::time::{Duration, Instant};

use tokio::net::TcpListener;

use super::{doctor, stderr, APP};

#[tokio::test]
async fn bad_input_is_one_line_and_exit_2() {
    let cases: [(&[&str], &str); 8] = [
        (&["api.example.com/orders", "--origin", APP], "cors doctor: URL `api.example.com/orders` must be absolute"),
        (
            &["ftp://api.example.com/", "--origin", APP],
            "cors doctor: URL `ftp://api.example.com/`: CORS applies to http and https URLs only",
        ),
        (&["http://a b/", "--origin", APP], "cors doctor: URL `http://a b/` is not a valid URL"),
        (
            &["http://127.0.0.1:99999/", "--origin", APP],
            "cors doctor: URL `http://127.0.0.1:99999/`: `99999` is not a port number",
        ),
        (
            &["http://127.0.0.1/", "--origin", "https://App.example.com/"],
            "cors doctor: --origin: origin `https://App.example.com/`",
        ),
        (&["http://127.0.0.1/", "--origin", "*"], "cors doctor: --origin `*`: a page has one origin"),
        (
            &["http://127.0.0.1/", "--origin", APP, "--method", "TRACE"],
            "cors doctor: --method `TRACE`: fetch() refuses it",
        ),
        (
            &["http://127.0.0.1/", "--origin", APP, "--header", "x y: 1"],
            "cors doctor: --header `x y: 1`: `x y` is not a header name",
        ),
    ];
    for (args, start) in cases {
        let output = doctor(args).await;
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {message}");
        assert!(message.starts_with(start) && message.lines().count() == 1, "{args:?}: {message}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

#[tokio::test]
async fn an_unreachable_host_is_exit_2() {
    // A port that was free a moment ago: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
    let output = doctor(&[&format!("http://127.0.0.1:{port}/orders"), "--origin", APP]).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with(&format!("cors doctor: cannot connect to 127.0.0.1:{port}:")),
        "{}",
        stderr(&output)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_never_answers_times_out_with_progress() {
    let addr = super::hung_server().await;
    let started = Instant::now();
    let output = doctor(&[&format!("http://{addr}/orders"), "--origin", APP, "--timeout", "2.5"]).await;
    let elapsed = started.elapsed();
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(elapsed < Duration::from_secs(8), "took {elapsed:?}");
    assert!(message.contains(&format!("cors doctor: waiting for {addr}: 0 of 5 origins answered")), "{message}");
    assert!(
        message.ends_with(&format!("cors doctor: {addr} did not answer `GET /orders` within 2.5 s\n")),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_probe_without_answer_is_reported_not_fatal() {
    // Like a firewall that holds connections from unknown origins: the page's call is answered.
    async fn hold_foreign_origins(
        request: axum::extract::Request,
        next: axum::middleware::Next,
    ) -> axum::response::Response {
        if request.headers().get("origin").is_some_and(|origin| origin != APP) {
            std::future::pending::<()>().await;
        }
        next.run(request).await
    }
    let app = super::apps::cors_runtime_app().layer(axum::middleware::from_fn(hold_foreign_origins));
    let base = super::serve(app).await;
    let (result, report) = super::diagnose(&[&format!("{base}/orders"), "--origin", APP, "--timeout", "1"]).await;
    assert_eq!(result, super::diagnosis(0, &[]));
    let foreign = &report["attempts"][1];
    assert_eq!(foreign["origin"], "https://evil.example");
    assert_eq!(
        foreign["verdict"],
        serde_json::json!({"result": "no-answer", "error": format!("{} did not answer `GET /orders` within 1 s", base.trim_start_matches("http://"))})
    );
}
