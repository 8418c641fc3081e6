//! One server per misconfiguration: what doctor concludes (exit code, and the exact findings in
//! the report's order, the reason for a block first).

use super::apps::{self, allowing, hand_written, preflight_headers, tower_http};
use super::{diagnose, diagnosis, serve, APP};

#[tokio::test(flavor = "multi_thread")]
async fn a_cors_runtime_app_is_clean() {
    let base = serve(apps::cors_runtime_app()).await;
    let url = format!("{base}/orders");
    let (get, _) = diagnose(&[&url, "--origin", APP, "--credentials"]).await;
    assert_eq!(get, diagnosis(0, &[]));
    let put =
        &[&url, "--origin", APP, "--method", "PUT", "--header", "Content-Type: application/json", "--credentials"];
    assert_eq!(diagnose(put).await.0, diagnosis(0, &[]));
    let (public, _) = diagnose(&[&format!("{base}/catalog"), "--origin", "https://elsewhere.example"]).await;
    assert_eq!(public, diagnosis(0, &[]), "`*` without credentials is a public route's honest answer");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_origin_the_policy_does_not_list_is_blocked() {
    let base = serve(apps::cors_runtime_app()).await;
    let (result, report) = diagnose(&[&format!("{base}/orders"), "--origin", "https://other.example"]).await;
    assert_eq!(result, diagnosis(1, &["origin-not-allowed"]));
    assert_eq!(
        report["attempts"][0]["verdict"]["console"],
        format!(
            "Access to fetch at '{base}/orders' from origin 'https://other.example' has been blocked by CORS policy: \
             No 'Access-Control-Allow-Origin' header is present on the requested resource."
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn tower_http_mirror_request_reflects_every_origin() {
    let base = serve(apps::reflecting()).await;
    let (result, _) = diagnose(&[&format!("{base}/orders"), "--origin", APP, "--credentials"]).await;
    assert_eq!(result, diagnosis(3, &["reflected-origin", "null-origin-allowed", "http-origin-with-credentials"]));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_allowlist_with_null_lets_any_sandboxed_page_in() {
    fn policy(origin: &str, preflight: bool) -> Vec<(&'static str, String)> {
        allowing(origin, preflight, origin == APP || origin == "null")
    }
    let base = serve(hand_written(policy)).await;
    let (result, _) = diagnose(&[&format!("{base}/orders"), "--origin", APP]).await;
    assert_eq!(result, diagnosis(3, &["null-origin-allowed"]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_prefix_match_lets_a_lookalike_domain_in() {
    fn policy(origin: &str, preflight: bool) -> Vec<(&'static str, String)> {
        allowing(origin, preflight, origin.starts_with(APP))
    }
    let base = serve(hand_written(policy)).await;
    let (result, report) = diagnose(&[&format!("{base}/orders"), "--origin", APP]).await;
    assert_eq!(result, diagnosis(3, &["lookalike-origin-allowed"]));
    assert_eq!(report["findings"][0]["seen"], "look-alike origins were let in: https://app.example.com.evil.example");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_suffix_match_lets_a_lookalike_domain_in() {
    fn policy(origin: &str, preflight: bool) -> Vec<(&'static str, String)> {
        allowing(origin, preflight, origin.ends_with("app.example.com"))
    }
    let base = serve(hand_written(policy)).await;
    let (result, report) = diagnose(&[&format!("{base}/orders"), "--origin", APP]).await;
    assert_eq!(result, diagnosis(3, &["lookalike-origin-allowed"]));
    assert_eq!(report["findings"][0]["seen"], "look-alike origins were let in: https://evilapp.example.com");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reflected_origin_without_vary_is_cache_poison_bait() {
    fn policy(origin: &str, preflight: bool) -> Vec<(&'static str, String)> {
        let mut headers = allowing(origin, preflight, origin == APP);
        headers.retain(|(name, _)| *name != "vary");
        headers
    }
    let base = serve(hand_written(policy)).await;
    let (result, _) = diagnose(&[&format!("{base}/orders"), "--origin", APP]).await;
    assert_eq!(result, diagnosis(3, &["missing-vary-origin"]));
}

#[tokio::test(flavor = "multi_thread")]
async fn two_layers_setting_cors_send_the_origin_twice() {
    let base = serve(apps::two_owners()).await;
    let (result, report) = diagnose(&[&format!("{base}/orders"), "--origin", APP]).await;
    assert_eq!(result, diagnosis(1, &["duplicate-cors-headers"]));
    let console = report["attempts"][0]["verdict"]["console"].as_str().unwrap();
    assert!(console.ends_with("The 'Access-Control-Allow-Origin' header contains multiple values 'https://app.example.com, https://app.example.com', but only one is allowed. Have the server send the header with a valid value."), "{console}");
}

#[tokio::test(flavor = "multi_thread")]
async fn auth_in_front_of_cors_rejects_the_preflight() {
    let base = serve(apps::auth_before_cors()).await;
    let url = format!("{base}/orders");
    let (result, _) = diagnose(&[&url, "--origin", APP, "--header", "Authorization: Bearer t", "--credentials"]).await;
    assert_eq!(result, diagnosis(1, &["preflight-rejected-by-auth"]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirected_preflight_is_blocked() {
    let base = serve(apps::moved()).await;
    let url = format!("{base}/old/orders");
    let (result, report) = diagnose(&[&url, "--origin", APP, "--method", "PUT"]).await;
    assert_eq!(result, diagnosis(1, &["redirected-preflight"]));
    assert_eq!(report["findings"][0]["seen"], "the preflight got 308 Permanent Redirect to `/orders`");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirected_request_is_reported_not_followed() {
    let base = serve(apps::redirecting_with_cors()).await;
    let (result, report) = diagnose(&[&format!("{base}/old/orders"), "--origin", APP]).await;
    assert_eq!(result, diagnosis(3, &["redirect"]));
    assert_eq!(
        report["attempts"][0]["verdict"],
        serde_json::json!({"result": "redirected", "status": 307, "location": "/orders"})
    );
}

fn wildcard_and_credentials(_: &str, preflight: bool) -> Vec<(&'static str, String)> {
    let mut headers =
        vec![("access-control-allow-origin", "*".into()), ("access-control-allow-credentials", "true".into())];
    if preflight {
        headers.extend(preflight_headers());
    }
    headers
}

#[tokio::test(flavor = "multi_thread")]
async fn wildcard_with_credentials_blocks_a_credentialed_call() {
    let base = serve(hand_written(wildcard_and_credentials)).await;
    let (result, _) = diagnose(&[&format!("{base}/orders"), "--origin", APP, "--credentials"]).await;
    assert_eq!(result, diagnosis(1, &["wildcard-with-credentials"]));
}

#[tokio::test(flavor = "multi_thread")]
async fn wildcard_with_credentials_is_found_even_where_it_works() {
    let base = serve(hand_written(wildcard_and_credentials)).await;
    let (result, _) = diagnose(&[&format!("{base}/orders"), "--origin", APP]).await;
    assert_eq!(result, diagnosis(3, &["wildcard-with-credentials"]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_credentialed_policy_that_trusts_plain_http() {
    let origins = [http::HeaderValue::from_static(APP), http::HeaderValue::from_static("http://app.example.com")];
    let base = serve(tower_http(apps::by_the_book().allow_origin(origins))).await;
    let url = format!("{base}/orders");
    let (result, _) = diagnose(&[&url, "--origin", APP, "--credentials"]).await;
    assert_eq!(result, diagnosis(3, &["http-origin-with-credentials"]), "probed from the https page");
    let (result, _) = diagnose(&[&url, "--origin", "http://app.example.com", "--credentials"]).await;
    assert_eq!(result, diagnosis(3, &["http-origin-with-credentials"]), "the page itself is plain http");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_day_of_preflight_cache_is_more_than_chromium_keeps() {
    let layer = apps::by_the_book().max_age(std::time::Duration::from_secs(86400));
    let base = serve(tower_http(layer)).await;
    let url = format!("{base}/orders");
    let (result, report) = diagnose(&[&url, "--origin", APP, "--method", "PUT"]).await;
    assert_eq!(result, diagnosis(3, &["max-age-too-long"]));
    assert_eq!(
        report["findings"][0]["seen"],
        "the preflight says `Access-Control-Max-Age: 86400`; Chromium caps it at 7200 s (2 hours)"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_header_the_preflight_does_not_allow() {
    let base = serve(tower_http(apps::by_the_book())).await;
    let url = format!("{base}/orders");
    let (result, _) = diagnose(&[&url, "--origin", APP, "--header", "X-Request-Id: 7"]).await;
    assert_eq!(result, diagnosis(1, &["header-not-allowed"]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_method_the_preflight_does_not_allow() {
    let base = serve(tower_http(apps::by_the_book())).await;
    let (result, _) = diagnose(&[&format!("{base}/orders"), "--origin", APP, "--method", "DELETE"]).await;
    assert_eq!(result, diagnosis(1, &["method-not-allowed"]));
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_without_allow_credentials() {
    let base = serve(tower_http(apps::by_the_book().allow_credentials(false))).await;
    let (result, _) = diagnose(&[&format!("{base}/orders"), "--origin", APP, "--credentials"]).await;
    assert_eq!(result, diagnosis(1, &["credentials-not-allowed"]));
}

#[tokio::test(flavor = "multi_thread")]
async fn one_fixed_origin_serves_one_frontend_only() {
    let base = serve(tower_http(apps::by_the_book())).await;
    let admin = "https://admin.example.com";
    let (result, _) = diagnose(&[&format!("{base}/orders"), "--origin", admin]).await;
    assert_eq!(result, diagnosis(1, &["allow-origin-mismatch"]));
}

#[tokio::test(flavor = "multi_thread")]
async fn options_that_never_reach_a_cors_policy() {
    let base = serve(apps::no_cors()).await;
    let (result, report) = diagnose(&[&format!("{base}/orders"), "--origin", APP, "--method", "PUT"]).await;
    assert_eq!(result, diagnosis(1, &["preflight-not-ok"]));
    assert_eq!(
        report["findings"][0]["seen"],
        "the preflight got 405 Method Not Allowed without CORS headers: OPTIONS does not reach the CORS policy"
    );
}
