//! `--routes --header NAME: VALUE`: a real token reaches the routes behind auth.

use super::{diagnose_routes, serve};

/// `--header NAME: VALUE` carries a real token to the routes behind auth: the example service
/// (its auth before the handlers) answers them 401 to the plausible token, and from its
/// handlers with the demo token.
#[tokio::test(flavor = "multi_thread")]
async fn a_real_token_reaches_the_routes_behind_auth() {
    use super::example_service::service;
    let base = serve(service::app(service::AppState::default())).await;
    let table = serde_json::to_string(&service::routes().nest(service::PREFIX)).unwrap();
    let dev = ["--origin", "http://localhost:5173"];
    let statuses = |report: &serde_json::Value| -> Vec<(String, serde_json::Value)> {
        let routes = report["routes"].as_array().unwrap();
        let status = |r: &serde_json::Value| r["attempts"][0]["verdict"]["status"].clone();
        routes
            .iter()
            .filter(|r| r["path"] == "/api/profile")
            .map(|r| (r["method"].as_str().unwrap().into(), status(r)))
            .collect()
    };
    let (code, _, plausible) = diagnose_routes(&table, &base, &dev).await;
    assert_eq!((code, statuses(&plausible)), (0, vec![("GET".into(), serde_json::json!(401))]), "{plausible:#}");
    let token = format!("Authorization: Bearer {}", cors_examples::DEMO_TOKEN);
    let (code, _, real) = diagnose_routes(&table, &base, &[&dev[..], &["--header", &token]].concat()).await;
    assert_eq!((code, statuses(&real)), (0, vec![("GET".into(), serde_json::json!(200))]), "{real:#}");
    let sent = &real["routes"][0]["attempts"][0]["exchanges"];
    assert!(
        real.to_string().contains(&format!("[\"authorization\",\"Bearer {}\"]", cors_examples::DEMO_TOKEN)),
        "{sent:#}"
    );
}
