//! The spec's limits (`HTTPCORSFilter`: at most 64 origins, headers and exposed headers, `*`
//! alone, `maxAge` at least 1, header names of at most 256 characters; at most 16 rules a
//! route) and what the filter cannot express (strict, private_network, dynamic, per-method
//! policies at one path): each held or named, per route, in the output and on stderr, and every
//! printed route valid against the CRD.

use serde_json::{json, Value};

use super::{export, exported, spec, support::TempDir};

/// A private GET route at `path`, to be changed by each case.
fn route(method: &str, path: &str, handler: &str) -> Value {
    json!({"method": method, "path": path, "handler": handler, "policy": "inline", "public": false,
        "origins": ["https://app.example.com"], "origins_env": null, "credentials": true,
        "headers": ["content-type"], "expose": [], "max_age": 600, "private_network": false, "strict": false})
}

fn with(mut route: Value, field: &str, value: Value) -> Value {
    route[field] = value;
    route
}

/// Exports one table; returns (the routes, checked against the CRD, and the stderr lines).
fn export_table(routes: Vec<Value>) -> (Vec<Value>, String, Vec<String>) {
    let dir = TempDir::new("gateway-api-limits");
    let table = json!({"routes": routes}).to_string();
    let (yaml, notes) = exported(export(&dir, &["--parent", "edge"], &[("t.json", &table, "orders:3000")]));
    let prefix = format!("cors export gateway-api: {}/t.json: ", dir.0.display());
    let notes = notes.iter().map(|n| n.strip_prefix(&prefix).unwrap_or(n).to_string()).collect();
    (spec::routes(&yaml), yaml, notes)
}

/// The CORS filter of the one rule at `path`, if it has one.
fn cors<'r>(routes: &'r [Value], path: &str) -> Option<&'r Value> {
    let rule = routes
        .iter()
        .flat_map(|r| r["spec"]["rules"].as_array().unwrap())
        .find(|rule| rule["matches"][0]["path"]["value"] == path)
        .unwrap_or_else(|| panic!("a rule for {path}"));
    rule["filters"].as_array().and_then(|f| f.iter().find(|f| f["type"] == "CORS")).map(|f| &f["cors"])
}

fn origins(n: usize) -> Value {
    (0..n).map(|i| format!("https://app{i}.example.com")).collect()
}

#[test]
fn at_most_64_origins_are_a_filter_and_65_are_left_to_the_service() {
    let (routes, yaml, notes) = export_table(vec![
        with(route("GET", "/a", "a"), "origins", origins(64)),
        with(with(route("GET", "/b", "b"), "origins", origins(65)), "policy", json!("Wide")),
    ]);
    assert_eq!(cors(&routes, "/a").unwrap()["allowOrigins"].as_array().unwrap().len(), 64);
    assert!(cors(&routes, "/b").is_none());
    let why = "policy Wide: 65 origins, and allowOrigins holds at most 64";
    assert_eq!(notes, [format!("/b: CORS left to the service: {why}")]);
    assert!(yaml.contains(&format!("  # /b: GET b (Wide)\n  # CORS left to the service, which answers this path's preflights itself:\n  #   {why}\n")), "{yaml}");
}

#[test]
fn public_is_star_alone_and_origins_outside_cors_origin_are_named() {
    let public = with(
        with(with(route("GET", "/p", "p"), "public", json!(true)), "origins", json!(["*"])),
        "credentials",
        json!(false),
    );
    let (routes, _, notes) = export_table(vec![
        public,
        with(route("GET", "/s", "s"), "origins", json!(["https://*.example.com", "http://localhost:5173"])),
        with(route("GET", "/v6", "v6"), "origins", json!(["http://[::1]:3000"])),
    ]);
    assert_eq!(cors(&routes, "/p").unwrap()["allowOrigins"], json!(["*"]));
    assert_eq!(cors(&routes, "/s").unwrap()["allowOrigins"], json!(["https://*.example.com", "http://localhost:5173"]));
    assert!(cors(&routes, "/v6").is_none());
    assert_eq!(
        notes,
        ["/v6: CORS left to the service: policy inline: origin `http://[::1]:3000` is not a CORSOrigin \
          (http(s)://host[:port] with a DNS host)"]
    );
}

#[test]
fn max_age_is_at_least_1() {
    let (routes, _, notes) = export_table(vec![
        with(route("GET", "/one", "one"), "max_age", json!(1)),
        with(route("GET", "/zero", "zero"), "max_age", json!(0)),
    ]);
    assert_eq!(cors(&routes, "/one").unwrap()["maxAge"], json!(1));
    assert!(cors(&routes, "/zero").is_none());
    assert_eq!(
        notes,
        ["/zero: CORS left to the service: policy inline: max_age 0 (no caching), and maxAge is at least 1"]
    );
}

#[test]
fn header_names_are_held_to_allow_headers_and_expose_headers() {
    let names = |n: usize| (0..n).map(|i| format!("x-h{i:02}")).collect::<Value>();
    let long = "x-".to_string() + &"a".repeat(255);
    let (routes, _, notes) = export_table(vec![
        with(with(route("GET", "/64", "h64"), "headers", names(64)), "expose", names(64)),
        with(route("GET", "/65", "h65"), "expose", names(65)),
        with(route("GET", "/long", "long"), "headers", json!([long])),
        with(route("GET", "/any", "any"), "headers", json!(["*", "x-one"])),
    ]);
    let filter = cors(&routes, "/64").unwrap();
    assert_eq!(
        (filter["allowHeaders"].as_array().unwrap().len(), filter["exposeHeaders"].as_array().unwrap().len()),
        (64, 64)
    );
    for path in ["/65", "/long", "/any"] {
        assert!(cors(&routes, path).is_none(), "{path}");
    }
    assert_eq!(
        notes,
        [
            "/65: CORS left to the service: policy inline: 65 names, and exposeHeaders holds at most 64",
            "/any: CORS left to the service: policy inline: headers `*` allows any name but authorization, and \
             allowHeaders' `*` is answered as each implementation chooses",
            "/long: CORS left to the service: policy inline: allowHeaders: a name of 257 characters, over 256",
        ]
    );
}

#[test]
fn what_the_filter_cannot_express_is_routed_and_named_per_route() {
    let (routes, yaml, notes) = export_table(vec![
        with(route("GET", "/strict", "guarded"), "strict", json!(true)),
        with(route("GET", "/pna", "local"), "private_network", json!(true)),
        with(with(route("GET", "/live", "live"), "origins_dynamic", json!(true)), "policy", json!("Partners")),
        route("GET", "/orders/{id}", "show"),
        with(
            with(route("DELETE", "/orders/{id}", "remove"), "headers", json!(["authorization"])),
            "policy",
            json!("Admin"),
        ),
        route("PUT", "/same", "put"),
        route("DELETE", "/same", "delete"),
    ]);
    assert_eq!(
        notes,
        [
            "/live: CORS left to the service: GET live (Partners): origins = dynamic, a list that changes while the service runs",
            "/pna: CORS left to the service: GET local (inline): private_network, and the filter has no \
             Access-Control-Allow-Private-Network",
            "/strict: CORS left to the service: GET guarded (inline): strict, and the filter cannot refuse a foreign \
             origin's request with 403",
            "/orders/{id}: CORS left to the service: per-method policies: GET show (inline) and DELETE remove (Admin) \
             allow different requests, and a rule holds one CORS filter",
        ]
    );
    for path in ["/strict", "/pna", "/live", "^/orders/[^/]+$"] {
        assert!(cors(&routes, path).is_none(), "{path}");
    }
    // Each is still routed to its service, and named in the output beside its rule.
    let rules = routes[0]["spec"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 5);
    assert!(rules.iter().all(|r| r["backendRefs"] == json!([{"name": "orders", "port": 3000}])));
    assert!(yaml.contains("  #   GET guarded (inline): strict, and the filter cannot refuse"), "{yaml}");
    // Methods with one policy share one filter: the path's methods, HEAD with GET.
    assert_eq!(cors(&routes, "/same").unwrap()["allowMethods"], json!(["PUT", "DELETE"]));
}

#[test]
fn more_than_16_paths_are_split_into_routes_of_16_rules() {
    let routes: Vec<Value> = (0..17).map(|i| route("GET", &format!("/p{i:02}"), &format!("h{i}"))).collect();
    let (routes, _, notes) = export_table(routes);
    let names: Vec<(&Value, usize)> =
        routes.iter().map(|r| (&r["metadata"]["name"], r["spec"]["rules"].as_array().unwrap().len())).collect();
    assert_eq!(names, [(&json!("orders"), 16), (&json!("orders-2"), 1)]);
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn a_gateway_in_another_namespace_is_a_parent_ref_with_its_namespace() {
    let dir = TempDir::new("gateway-api-parent");
    let table = json!({"routes": [route("GET", "/a", "a")]}).to_string();
    let args = ["--parent", "infra/edge", "--namespace", "shop"];
    let (yaml, _) = exported(export(&dir, &args, &[("t.json", &table, "orders:3000")]));
    let routes = spec::routes(&yaml);
    assert_eq!(routes[0]["spec"]["parentRefs"], json!([{"name": "edge", "namespace": "infra"}]));
    assert_eq!(routes[0]["metadata"]["namespace"], json!("shop"));
}

#[test]
fn each_table_is_a_route_named_for_its_service() {
    let dir = TempDir::new("gateway-api-services");
    let table = |path: &str| json!({"routes": [route("GET", path, "h")]}).to_string();
    let tables = [
        ("a.json", &table("/a"), "orders:3000"),
        ("b.json", &table("/b"), "billing:8080"),
        ("c.json", &table("/c"), "orders:3001"),
    ];
    let (yaml, notes) = exported(export(&dir, &["--parent", "edge"], &tables.map(|(f, t, s)| (f, t.as_str(), s))));
    let routes = spec::routes(&yaml);
    let seen: Vec<(&Value, &Value, &Value)> = routes
        .iter()
        .map(|r| {
            (
                &r["metadata"]["name"],
                &r["spec"]["rules"][0]["matches"][0]["path"]["value"],
                &r["spec"]["rules"][0]["backendRefs"][0],
            )
        })
        .collect();
    let expected = [
        (json!("orders"), json!("/a"), json!({"name": "orders", "port": 3000})),
        (json!("billing"), json!("/b"), json!({"name": "billing", "port": 8080})),
        (json!("orders-2"), json!("/c"), json!({"name": "orders", "port": 3001})),
    ];
    assert_eq!(seen, expected.iter().map(|(a, b, c)| (a, b, c)).collect::<Vec<_>>());
    assert!(notes.is_empty(), "{notes:?}");
}
