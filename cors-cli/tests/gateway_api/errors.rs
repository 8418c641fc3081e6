//! Bad input: one line on stderr, nothing on stdout, exit code 2, as `export nginx` does; a bad
//! table gets the very message `export nginx` gives it.

use super::{export, failed, spec, support, support::TempDir};

const ROUTE: &str = r#"{"method": "GET", "path": "/orders/{id}", "handler": "get_order", "policy": "inline",
    "public": false, "origins": ["https://app.example.com"], "origins_env": null, "credentials": true,
    "headers": [], "expose": ["etag"], "max_age": 600, "private_network": false, "strict": false}"#;

fn table(route: &str) -> String {
    format!("{{\"routes\": [{route}]}}")
}

#[test]
fn bad_services_parents_and_namespaces() {
    let dir = TempDir::new("gateway-api-args");
    let good = table(ROUTE);
    let cases: &[(&[&str], &str, &str)] = &[
        (&["--parent", "edge"], "orders", "service `orders` is not SERVICE:PORT (e.g. orders:3000)"),
        (&["--parent", "edge"], "orders:0", "service `orders:0` has an invalid port (1 to 65535)"),
        (&["--parent", "edge"], "orders:http", "service `orders:http` has an invalid port (1 to 65535)"),
        (
            &["--parent", "edge"],
            "Orders:3000",
            "service `Orders:3000` is not a Kubernetes Service name: up to 63 of a-z, 0-9 and `-`, starting with a letter",
        ),
        (
            &["--parent", "edge"],
            "orders.shop:3000",
            "service `orders.shop:3000` is not a Kubernetes Service name: up to 63 of a-z, 0-9 and `-`, starting with a letter",
        ),
        (
            &["--parent", "Edge"],
            "orders:3000",
            "--parent `Edge`: `Edge` is not a Gateway name (lowercase DNS labels: a-z, 0-9, `-`, `.`)",
        ),
        (
            &["--parent", "infra/edge/x"],
            "orders:3000",
            "--parent `infra/edge/x`: `edge/x` is not a Gateway name (lowercase DNS labels: a-z, 0-9, `-`, `.`)",
        ),
        (
            &["--parent", "Infra/edge"],
            "orders:3000",
            "namespace `Infra` is not a Kubernetes namespace (up to 63 of a-z, 0-9 and `-`)",
        ),
        (
            &["--parent", "edge", "--namespace", "shop_1"],
            "orders:3000",
            "namespace `shop_1` is not a Kubernetes namespace (up to 63 of a-z, 0-9 and `-`)",
        ),
    ];
    for (args, service, message) in cases {
        let output = export(&dir, args, &[("a.json", &good, service)]);
        assert_eq!(failed(output), (Some(2), format!("cors export gateway-api: {message}\n")), "{args:?} {service}");
    }
    let no_target =
        support::cors(&["export".into(), "gateway-api".into(), "--parent".into(), "e".into(), "t.json".into()]);
    assert_eq!(
        failed(no_target),
        (
            Some(2),
            "cors export gateway-api: `t.json`: expected TABLE.json=SERVICE:PORT, e.g. orders.json=orders:3000\n"
                .into()
        )
    );
}

#[test]
fn a_missing_parent_is_a_usage_error() {
    let dir = TempDir::new("gateway-api-usage");
    let (code, stderr) = failed(export(&dir, &[], &[("a.json", &table(ROUTE), "orders:3000")]));
    assert_eq!(code, Some(2));
    assert!(
        stderr.starts_with("error: the following required arguments were not provided:\n  --parent <GATEWAY>\n"),
        "{stderr}"
    );
    let (code, _) = failed(support::cors(&["export".into(), "gateway-api".into(), "--parent".into(), "edge".into()]));
    assert_eq!(code, Some(2), "no tables");
}

#[test]
fn a_path_served_by_two_services_is_refused() {
    let dir = TempDir::new("gateway-api-two");
    let delete = ROUTE.replace("\"GET\"", "\"DELETE\"").replace("get_order", "delete_order");
    let output =
        export(&dir, &["--parent", "edge"], &[("a.json", &table(ROUTE), "a:1"), ("b.json", &table(&delete), "b:1")]);
    let d = dir.0.display();
    assert_eq!(
        failed(output),
        (
            Some(2),
            format!(
                "cors export gateway-api: /orders/{{id}} is served by more than one service (GET in {d}/a.json, \
                 DELETE in {d}/b.json): its preflights can go to one backend only; serve the path from one service\n"
            )
        )
    );
}

/// Each bad table, exported both ways: the same message after the command's name.
#[test]
fn bad_tables_get_the_messages_of_export_nginx() {
    let dir = TempDir::new("gateway-api-tables");
    let tables = [
        "{\"routes\": [".to_string(),
        table(&ROUTE.replace("\"strict\": false", "\"strict\": false, \"colour\": 1")),
        table(&ROUTE.replace("https://app.example.com", "https://App.example.com")),
        table(&ROUTE.replace("\"GET\"", "\"OPTIONS\"")),
        table(&ROUTE.replace("\"expose\": [\"etag\"]", "\"expose\": [\"x-$host\"]")),
        table(&ROUTE.replace("/orders/{id}", "/orders%20x")),
        table(&format!("{ROUTE}, {}", ROUTE.replace("{id}", "{key}").replace("get_order", "fetch"))),
    ];
    for json in &tables {
        let (code, gateway_api) = failed(export(&dir, &["--parent", "edge"], &[("a.json", json, "orders:3000")]));
        let (_, nginx) = failed(support::export(&dir.0, 8080, &[("a.json", json, "http://127.0.0.1:3000")]));
        assert_eq!(code, Some(2));
        let message = nginx.strip_prefix("cors export nginx: ").expect("nginx's message");
        assert_eq!(gateway_api, format!("cors export gateway-api: {message}"));
    }
}

/// The schema check itself refuses what the CRD refuses.
#[test]
fn the_schema_check_refuses_what_the_crd_refuses() {
    let bad = r#"
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: "Orders"}
spec:
  parentRefs: [{name: "edge"}]
  rules:
  - matches: [{path: {type: Exact, value: "/a//b"}}]
    filters:
    - type: CORS
      cors: {allowOrigins: ["*", "https://a.example"], allowMethods: ["FETCH"], allowHeaders: ["x y"], maxAge: 0}
    - type: CORS
      cors: {allowOrigins: ["http://[::1]:80"]}
    backendRefs: [{name: "orders"}]
"#;
    let violations = spec::violations(&spec::documents(bad)[0]);
    let expected = [
        "metadata.name: `Orders` does not match",
        "path: `/a//b` is not a valid Exact path",
        "allowOrigins: allowOrigins cannot contain '*' alongside other entries",
        "allowMethods: `FETCH` is not one of",
        "allowHeaders: `x y` does not match",
        "maxAge: must be an int32 of at least 1",
        "allowOrigins: `http://[::1]:80` does not match",
        "rules[].filters: CORS filter cannot be repeated",
        "backendRefs[]: Must have port for Service reference (1 to 65535)",
    ];
    for want in expected {
        assert!(violations.iter().any(|v| v.starts_with(want)), "missing `{want}` in {violations:#?}");
    }
    assert_eq!(violations.len(), expected.len(), "{violations:#?}");
}
