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
    // What leaks through is the upstream's own wrong `Access-Control-Allow-Origin: *`, and the
    // foreign origin reaches the strict route's handler.
    let expected = [
        differs(
            "wildcard-with-credentials",
            "credentials: `Access-Control-Allow-Credentials: true` for https://admin.example.com",
            "the answer says `Access-Control-Allow-Origin: *` to a call with credentials",
        ),
        differs(
            "strict-not-enforced",
            "strict: a request from https://evil.example is refused 403 before the handler",
            "`GET /admin/audit` from https://evil.example got 200 OK: the handler ran",
        ),
    ];
    assert_eq!(differing[0].1, expected, "{report:#}");
}

/// `config` with each line of the Envoy route named `name` passed through `edit` (`None` drops it).
fn edit_route(config: &str, name: &str, edit: impl Fn(&str) -> Option<String>) -> String {
    let mut inside = false;
    let mut lines = Vec::new();
    for line in config.lines() {
        if line.starts_with("              - name: ") || line.starts_with("              # ") {
            inside = line == format!("              - name: \"{name}\"");
        }
        match inside {
            true => lines.extend(edit(line)),
            false => lines.push(line.to_string()),
        }
    }
    lines.join("\n") + "\n"
}

/// What a gateway in front of the service does wrong, as a hand edit of the exported bootstrap;
/// and the route `--routes` must name, with the difference it reports.
async fn drift_named(edit: fn(String) -> String) -> (i32, Vec<super::Differing>) {
    let (table, envoy) = deployment(edit).await;
    let (code, differing, _) = diagnose_routes(&table, &format!("http://{}", envoy.addr), &[]).await;
    (code, differing)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_strict_route_that_lets_a_foreign_origin_through() {
    if !support::envoy_available("a_strict_route_that_lets_a_foreign_origin_through") {
        return;
    }
    // The route that refuses other origins before the handler, deleted.
    let (code, differing) =
        drift_named(|config| edit_route(&config, "/admin/audit GET: strict, origin not allowed", |_| None)).await;
    let expected = differs(
        "strict-not-enforced",
        "strict: a request from https://evil.example is refused 403 before the handler",
        "`GET /admin/audit` from https://evil.example got 200 OK: the handler ran",
    );
    assert_eq!((code, differing), (3, vec![("GET /admin/audit".into(), vec![expected])]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gateway_that_adds_allow_credentials() {
    if !support::envoy_available("a_gateway_that_adds_allow_credentials") {
        return;
    }
    // `Access-Control-Allow-Credentials: true` on every answer of the virtual host.
    let (code, differing) = drift_named(|config| {
        config.replacen(
            "              domains: [\"*\"]\n",
            "              domains: [\"*\"]\n              response_headers_to_add:\n              - {header: {key: \
             \"access-control-allow-credentials\", value: \"true\"}, append_action: OVERWRITE_IF_EXISTS_OR_ADD}\n",
            1,
        )
    })
    .await;
    let added = |route: &str, call: &str| {
        let server = format!("the answer to `{call}` says `Access-Control-Allow-Credentials: true`");
        let mut found =
            vec![differs("credentials-added", "no credentials: no Access-Control-Allow-Credentials", &server)];
        if call.starts_with("GET") {
            // Public: `*` beside it, which credentials make meaningless.
            let table = "credentials: `Access-Control-Allow-Credentials: true` for https://elsewhere.example";
            let server =
                format!("`{call}` got `Access-Control-Allow-Origin: *` with `Access-Control-Allow-Credentials: true`");
            found.insert(0, differs("wildcard-with-credentials", table, &server));
        }
        (route.to_string(), found)
    };
    assert_eq!(
        (code, differing),
        (
            3,
            vec![
                added("GET /status", "GET /status"),
                added("GET /catalog", "GET /catalog"),
                added("GET /files/{*rest}", "GET /files/x"),
                added("GET /device", "OPTIONS /device"),
                added("POST /upload", "OPTIONS /upload"),
            ]
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_public_route_that_echoes_the_origin() {
    if !support::envoy_available("a_public_route_that_echoes_the_origin") {
        return;
    }
    let (code, differing) = drift_named(|config| {
        edit_route(&config, "/catalog GET: public", |line| {
            Some(line.replace("value: \"*\"", "value: \"%REQ(origin)%\""))
        })
    })
    .await;
    let expected = differs(
        "public-origin-echoed",
        "public: `Access-Control-Allow-Origin: *`",
        "the answer to `GET /catalog` echoes the origin (`Access-Control-Allow-Origin: https://elsewhere.example`)",
    );
    assert_eq!((code, differing), (3, vec![("GET /catalog".into(), vec![expected])]));
}
