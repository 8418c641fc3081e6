//! The `service` example, served as its `main` serves it, called the way docs/runtime.md's curl
//! commands call it.
//! Paths come from its route table by handler name, so a prefix added to the example does not
//! break this test.

#[allow(dead_code)] // its `main` is the example's, not ours
#[path = "../../../examples/service.rs"]
pub mod service;

use super::{diagnose, diagnosis, serve};

fn path_of(handler: &str) -> String {
    let routes = service::routes().nest(service::PREFIX);
    let entry = routes.entries().iter().find(|e| e.handler == handler);
    entry.unwrap_or_else(|| panic!("the service example has no handler `{handler}`")).path.clone()
}

/// The origin the example allows with no configuration: its development server.
const DEV: &str = "http://localhost:5173";

#[tokio::test(flavor = "multi_thread")]
async fn the_service_example_is_clean_for_its_app() {
    let base = serve(service::app(service::AppState::default())).await;
    let token = format!("Authorization: Bearer {}", cors_examples::DEMO_TOKEN);
    let profile = format!("{base}{}", path_of("profile"));
    let get = [&profile, "--origin", DEV, "--credentials", "--header", &token];
    assert_eq!(diagnose(&get).await.0, diagnosis(0, &[]));
    let orders = format!("{base}{}", path_of("create"));
    let post = [&orders, "--origin", DEV, "--method", "POST", "--credentials"];
    let headers = ["--header", &token, "--header", "Content-Type: application/json"];
    assert_eq!(diagnose(&[&post[..], &headers].concat()).await.0, diagnosis(0, &[]));
    // Without a token, auth's 401 is readable: the page can tell it must log in.
    let (diagnosed, report) = diagnose(&[&profile, "--origin", DEV, "--credentials"]).await;
    assert_eq!(diagnosed, diagnosis(0, &[]), "{report:#}");
    assert_eq!(report["attempts"][0]["verdict"]["status"], 401, "{report:#}");
}

/// A preflight the service refuses names its real cause (issue #29), and the report shows the
/// server's own reason.
#[tokio::test(flavor = "multi_thread")]
async fn refused_preflights_name_their_cause_and_show_the_servers_reason() {
    let base = serve(service::app(service::AppState::default())).await;
    let orders = format!("{base}{}", path_of("create"));
    let cases: [(&[&str], &str, &str); 3] = [
        (
            &["--origin", DEV, "--method", "POST", "--header", "x-foo"],
            "header-not-allowed",
            "a requested header is not allowed",
        ),
        (
            &["--origin", DEV, "--method", "PATCH"],
            "method-not-allowed",
            "no route for the requested method at this path",
        ),
        (
            &["--origin", "https://evil.example", "--method", "POST", "--header", "x-foo"],
            "origin-not-allowed",
            "origin not allowed",
        ),
    ];
    for (args, id, reason) in cases {
        let (diagnosed, report) = diagnose(&[&[orders.as_str()][..], args].concat()).await;
        assert_eq!(diagnosed, diagnosis(1, &[id]), "{report:#}");
        let body = &report["attempts"][0]["exchanges"][0]["response"]["body"];
        assert_eq!(body, &format!("CORS preflight rejected: {reason}"), "{report:#}");
    }
}
