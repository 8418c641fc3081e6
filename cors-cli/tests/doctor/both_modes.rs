//! What DESIGN §9.3 adds to the single-URL doctor too: the cookie rule, checklist item 7
//! (`--expose`), a literal `*` named as such, and `--header NAME` with a plausible value.

use serde_json::json;

use super::apps::{self, allowing, hand_written, tower_http};
use super::routes_apps::{self, behind, Drift};
use super::{diagnose, diagnosis, doctor, serve, APP};

#[tokio::test(flavor = "multi_thread")]
async fn a_credentialed_cross_site_cookie_without_samesite_none() {
    let base = serve(behind(Drift::SetCookie("Path=/; HttpOnly"), routes_apps::service())).await;
    let url = format!("{base}/orders/1");
    let (result, report) = diagnose(&[&url, "--origin", APP, "--credentials"]).await;
    assert_eq!(result, diagnosis(3, &["cookie-not-sent-back"]));
    assert_eq!(
        report["findings"][0]["seen"],
        "the answer to `GET /orders/1` sets `sid` (`Path=/; HttpOnly`) without `SameSite=None; Secure`: the page on \
         https://app.example.com is another site, so the browser will not send that cookie back"
    );
    // The readable report shows the cookie's name and attributes, never its value.
    let text = String::from_utf8(doctor(&[&url, "--origin", APP, "--credentials"]).await.stdout).unwrap();
    assert!(text.contains("  <   set-cookie: sid=…; Path=/; HttpOnly\n") && !text.contains("s3cr3t"), "{text}");
    // Without credentials the browser neither sends nor keeps cookies: nothing to say.
    assert_eq!(diagnose(&[&url, "--origin", APP]).await.0, diagnosis(0, &[]));
    let secure = serve(behind(Drift::SetCookie("Path=/; Secure; SameSite=None"), routes_apps::service())).await;
    let (result, _) = diagnose(&[&format!("{secure}/orders/1"), "--origin", APP, "--credentials"]).await;
    assert_eq!(result, diagnosis(0, &[]));
}

#[tokio::test(flavor = "multi_thread")]
async fn expose_names_a_header_the_page_cannot_read() {
    let base = serve(tower_http(apps::by_the_book())).await;
    let url = format!("{base}/orders");
    let (result, report) = diagnose(&[&url, "--origin", APP, "--expose", "X-Request-Id"]).await;
    assert_eq!(result, diagnosis(3, &["exposed-header-unreadable"]));
    assert_eq!(
        report["findings"][0]["seen"],
        "the answer to `GET /orders` (200) says `Access-Control-Expose-Headers: etag`: script cannot read x-request-id"
    );
    assert_eq!(report["expose"], json!(["x-request-id"]));
    assert_eq!(diagnose(&[&url, "--origin", APP, "--expose", "ETag"]).await.0, diagnosis(0, &[]));
    // Safelisted response headers need no exposing.
    assert_eq!(diagnose(&[&url, "--origin", APP, "--expose", "content-type"]).await.0, diagnosis(0, &[]));
}

/// The field guide's nginx answer with `Access-Control-Allow-Methods: *` (or `-Headers: *`).
fn star(list: &'static str) -> fn(&str, bool) -> Vec<(&'static str, String)> {
    fn methods(origin: &str, preflight: bool) -> Vec<(&'static str, String)> {
        with_star(allowing(origin, preflight, origin == APP), "access-control-allow-methods")
    }
    fn headers(origin: &str, preflight: bool) -> Vec<(&'static str, String)> {
        with_star(allowing(origin, preflight, origin == APP), "access-control-allow-headers")
    }
    if list == "methods" {
        methods
    } else {
        headers
    }
}

fn with_star(mut headers: Vec<(&'static str, String)>, list: &'static str) -> Vec<(&'static str, String)> {
    if let Some(entry) = headers.iter_mut().find(|(name, _)| *name == list) {
        entry.1 = "*".into();
    }
    headers
}

#[tokio::test(flavor = "multi_thread")]
async fn a_literal_star_with_credentials_is_named_not_reported_as_a_missing_method() {
    let base = serve(hand_written(star("methods"))).await;
    let url = format!("{base}/orders");
    let put = [&url, "--origin", APP, "--method", "PUT", "--credentials"];
    let (result, report) = diagnose(&put).await;
    assert_eq!(result, diagnosis(1, &["wildcard-list-with-credentials"]));
    assert_eq!(
        report["findings"][0]["seen"],
        "the preflight answers `Access-Control-Allow-Methods: *` to a call with credentials, where `*` is a method \
         literally named `*`, not every method: PUT is not allowed"
    );
    // Without credentials `*` is the wildcard it looks like.
    assert_eq!(diagnose(&put[..5]).await.0, diagnosis(0, &[]));
    // Where this call passes anyway (GET is safelisted), the `*` is still found.
    let get = [&url, "--origin", APP, "--header", "Content-Type: application/json", "--credentials"];
    let (result, report) = diagnose(&get).await;
    assert_eq!(result, diagnosis(3, &["wildcard-list-with-credentials"]));
    assert_eq!(
        report["findings"][0]["seen"],
        "the preflight answers `*` in access-control-allow-methods to a call with credentials: there `*` is a \
         literal name, not a wildcard"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_literal_star_in_allow_headers_with_credentials() {
    let base = serve(hand_written(star("headers"))).await;
    let call = [&format!("{base}/orders"), "--origin", APP, "--header", "X-Request-Id", "--credentials"];
    let (result, report) = diagnose(&call).await;
    assert_eq!(result, diagnosis(1, &["wildcard-list-with-credentials"]));
    assert_eq!(
        report["findings"][0]["seen"],
        "the preflight answers `Access-Control-Allow-Headers: *` to a call with credentials, where `*` is a header \
         literally named `*`, not every header: x-request-id is not allowed"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_header_given_by_name_gets_a_plausible_value() {
    let base = serve(routes_apps::service()).await;
    let url = format!("{base}/orders/1");
    let (result, report) = diagnose(&[&url, "--origin", APP, "--credentials", "--header", "authorization"]).await;
    assert_eq!(result, diagnosis(0, &[]));
    assert_eq!(report["headers"], json!([["authorization", "Bearer cors-doctor"]]));
    let sent = &report["attempts"][0]["exchanges"][1]["request"];
    assert_eq!(sent["method"], "GET");
    assert!(sent["headers"].as_array().unwrap().contains(&json!(["authorization", "Bearer cors-doctor"])), "{sent}");
}
