//! The `service` example, served as its `main` serves it, called the way its README calls it.
//! Paths come from its route table by handler name, so a prefix added to the example does not
//! break this test.

#[allow(dead_code)] // its `main` is the example's, not ours
#[path = "../../../examples/service.rs"]
mod service;

use super::{diagnose, diagnosis, serve, APP};

fn path_of(handler: &str) -> &'static str {
    let routes = service::routes();
    let entry = routes.entries().iter().find(|e| e.handler == handler);
    entry.unwrap_or_else(|| panic!("the service example has no handler `{handler}`")).path
}

#[tokio::test(flavor = "multi_thread")]
async fn the_service_example_is_clean_for_its_app() {
    let base = serve(service::routes().into()).await;
    let profile = format!("{base}{}", path_of("profile"));
    assert_eq!(diagnose(&[&profile, "--origin", APP, "--credentials"]).await.0, diagnosis(0, &[]));
    let orders = format!("{base}{}", path_of("create_order"));
    let post = [&orders, "--origin", APP, "--method", "POST", "--credentials"];
    let headers = ["--header", "Authorization: Bearer test", "--header", "Content-Type: application/json"];
    assert_eq!(diagnose(&[&post[..], &headers].concat()).await.0, diagnosis(0, &[]));
}
