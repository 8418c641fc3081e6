//! Which origin each route is called from: `origins = dynamic` routes (DESIGN §9.1), whose table
//! lists the origins in force when it was printed, possibly none. The tables are written by hand
//! with the `origins_dynamic` key, as a service prints them; the server is tower-http with a
//! tenant list, as a multi-tenant service has it at some moment.

use axum::http::{header, HeaderValue, Method};
use axum::routing::get;
use axum::Router;
use serde_json::json;
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::{diagnose_routes, differs, serve};

const SHOP: &str = "https://shop.acme.example";
const NEW: &str = "https://new-customer.example";

/// Two dynamic routes: one whose list had an origin when the table was printed, one whose was empty.
fn table() -> String {
    let route = |path: &str, handler: &str, origins: &[&str]| {
        json!({
            "method": "GET", "path": path, "handler": handler, "policy": "TenantApps", "public": false,
            "origins": origins, "origins_env": null, "origins_dynamic": true, "credentials": true,
            "headers": ["authorization"], "expose": ["etag"], "max_age": 600, "private_network": false,
            "strict": false,
        })
    };
    json!({"routes": [route("/tenant/orders", "tenant_orders", &[SHOP]), route("/tenant/invoices", "tenant_invoices", &[])]})
        .to_string()
}

/// The tenants in force now: the shop, and a customer added since the table was printed.
fn tenants() -> Router {
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list([HeaderValue::from_static(SHOP), HeaderValue::from_static(NEW)]))
        .allow_credentials(true)
        .allow_methods([Method::GET])
        .allow_headers([header::AUTHORIZATION])
        .expose_headers([header::ETAG])
        .max_age(std::time::Duration::from_secs(600));
    async fn list() -> ([(&'static str, &'static str); 1], &'static str) {
        ([("etag", "\"t1\"")], "[]")
    }
    Router::new().route("/tenant/orders", get(list)).route("/tenant/invoices", get(list)).layer(cors)
}

#[tokio::test(flavor = "multi_thread")]
async fn without_origin_a_dynamic_route_uses_the_origins_printed_and_says_when_there_were_none() {
    let base = serve(tenants()).await;
    let (code, differing, report) = diagnose_routes(&table(), &base, &[]).await;
    let expected = differs(
        "origin-unknown",
        "origins = dynamic (none when printed)",
        "not checked from an allowed origin: origins = dynamic, and none were in force when the table was printed; \
         pass --origin",
    );
    assert_eq!((code, differing), (3, vec![("GET /tenant/invoices".into(), vec![expected])]));
    let orders = &report["routes"][0];
    assert_eq!((&orders["origin"], &orders["result"]), (&json!(SHOP), &json!("as-declared")));
    assert_eq!(orders["origin_from"], "the table (dynamic: in force when it was printed)");
    // The route without an origin is still asked from a foreign one, which it refuses.
    let invoices = &report["routes"][1];
    assert_eq!(invoices["origin"], serde_json::Value::Null);
    assert_eq!(invoices["attempts"].as_array().unwrap().len(), 1);
    assert_eq!(invoices["attempts"][0]["origin"], "https://evil.example");
    assert_eq!(invoices["attempts"][0]["verdict"]["result"], "blocked");
}

#[tokio::test(flavor = "multi_thread")]
async fn origin_names_the_tenant_to_check_every_dynamic_route_from() {
    let base = serve(tenants()).await;
    let (code, differing, report) = diagnose_routes(&table(), &base, &["--origin", NEW]).await;
    assert_eq!((code, differing), (0, vec![]), "{report:#}");
    for route in report["routes"].as_array().unwrap() {
        assert_eq!((&route["origin"], &route["origin_from"]), (&json!(NEW), &json!("--origin")));
    }
    // Of several, each route takes the one its printed list has, else the first.
    let (code, _, report) = diagnose_routes(&table(), &base, &["--origin", NEW, "--origin", SHOP]).await;
    assert_eq!(code, 0);
    assert_eq!((&report["routes"][0]["origin"], &report["routes"][1]["origin"]), (&json!(SHOP), &json!(NEW)));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tenant_the_service_no_longer_has_is_blocked_and_named() {
    let base = serve(tenants()).await;
    let (code, differing, _) = diagnose_routes(&table(), &base, &["--origin", "https://gone.example"]).await;
    let blocked = |route: &str| {
        let table = "allows https://gone.example (from --origin; the service's dynamic list decides)";
        let server = "the preflight's answer has no Access-Control-Allow-Origin for https://gone.example";
        (route.to_string(), vec![differs("origin-not-allowed", table, server)])
    };
    assert_eq!((code, differing), (1, vec![blocked("GET /tenant/orders"), blocked("GET /tenant/invoices")]));
}
