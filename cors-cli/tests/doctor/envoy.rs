//! `--routes` against real Envoy running `cors export envoy` (DESIGN §10.3): every route of the
//! table answers as declared, though the handlers behind it add wrong CORS headers of their
//! own; and with one route's CORS removed from the bootstrap by hand, the doctor names that
//! route and no other. Without Envoy the tests say loudly that they were skipped; with `CI` set
//! they fail instead.

use super::support::{self, equivalence, Envoy, Gateway, TempDir};
use super::{diagnose_routes, differs, serve};

/// The equivalence app's table, and Envoy running `edit` of its export in front of the app's
/// plain handlers.
async fn deployment(edit: impl FnOnce(String) -> String) -> (String, Envoy) {
    let table = equivalence::app();
    let json = serde_json::to_string(&table).unwrap();
    let upstream = serve(support::with_wrong_cors(equivalence::without_cors(&table))).await;
    let dir = TempDir::new("doctor-envoy");
    let port = support::free_port();
    let tables = [("table.json", json.as_str(), upstream.as_str())];
    let config = support::exported(support::export_to(Gateway::Envoy, &dir.0, port, &tables));
    (json, Envoy::start(&edit(config), port))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_envoy_deployment_answers_every_route_as_declared() {
    if !support::envoy_available("the_envoy_deployment_answers_every_route_as_declared") {
        return;
    }
    let (table, envoy) = deployment(|config| config).await;
    let (code, differing, report) = diagnose_routes(&table, &format!("http://{}", envoy.addr), &[]).await;
    assert_eq!((code, differing), (0, vec![]), "{report:#}");
    assert_eq!(report["routes"].as_array().unwrap().len(), 14);
}

/// Every Envoy route generated for `GET /admin/audit` replaced by one that only proxies: the
/// route as someone would write it who forgot CORS.
fn without_cors_for_audit(config: String) -> String {
    let mut kept = Vec::new();
    let mut skipping = false;
    for line in config.lines() {
        if line.starts_with("              - name: ") {
            skipping = line.contains("\"/admin/audit ");
            if skipping && !kept.iter().any(|l: &String| l.contains("\"/admin/audit by hand\"")) {
                kept.push("              - name: \"/admin/audit by hand\"".to_string());
                kept.push("                match: {path: \"/admin/audit\"}".to_string());
                kept.push("                route: {cluster: \"cors_upstream_1\"}".to_string());
            }
        } else if line.starts_with("              # ") {
            skipping = false;
        }
        if !skipping {
            kept.push(line.to_string());
        }
    }
    kept.join("\n") + "\n"
}

#[tokio::test(flavor = "multi_thread")]
async fn one_routes_cors_removed_by_hand_is_named() {
    if !support::envoy_available("one_routes_cors_removed_by_hand_is_named") {
        return;
    }
    let (table, envoy) = deployment(without_cors_for_audit).await;
    let (code, differing, report) = diagnose_routes(&table, &format!("http://{}", envoy.addr), &[]).await;
    let named: Vec<&str> = differing.iter().map(|(route, _)| route.as_str()).collect();
    assert_eq!((code, named), (1, vec!["GET /admin/audit"]), "{report:#}");
    // What leaks through is the upstream's own wrong `Access-Control-Allow-Origin: *`.
    let expected = differs(
        "wildcard-with-credentials",
        "credentials: `Access-Control-Allow-Credentials: true` for https://admin.example.com",
        "the answer says `Access-Control-Allow-Origin: *` to a call with credentials",
    );
    assert_eq!(differing[0].1, vec![expected], "{report:#}");
}
