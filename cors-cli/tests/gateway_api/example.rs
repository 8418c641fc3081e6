//! The `service` example's table exported, compared with `tests/snapshots/gateway-api-service.yaml`
//! and with the export docs/gateway.md shows. Regenerate after an intended change:
//! `UPDATE_SNAPSHOTS=1 cargo test -p cors-cli --test gateway_api example`, then review the diff.

#[allow(dead_code)] // its `main` is the example's, not ours
#[path = "../../../examples/service.rs"]
mod service;

use std::path::PathBuf;
use std::process::Command;

use super::{exported, spec, support::TempDir};

/// The command the page shows, run where the table is so the comments name `service.json`.
fn export_the_example() -> (String, Vec<String>) {
    let dir = TempDir::new("gateway-api-example");
    let table = serde_json::to_string_pretty(&service::routes().nest(service::PREFIX)).unwrap();
    std::fs::write(dir.0.join("service.json"), table).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_cors"))
        .current_dir(&dir.0)
        .args(["export", "gateway-api", "--parent", "edge", "--namespace", "shop", "service.json=api:3000"])
        .output()
        .unwrap();
    exported(output)
}

#[test]
fn the_example_service_exports_as_the_snapshot_and_the_page_show() {
    let (yaml, notes) = export_the_example();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let snapshot = root.join("tests/snapshots/gateway-api-service.yaml");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snapshot, &yaml).unwrap();
    }
    let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
    assert!(yaml == expected, "the export changed (UPDATE_SNAPSHOTS=1 to accept it):\n{yaml}");
    let page = std::fs::read_to_string(root.join("../docs/gateway.md")).unwrap();
    assert!(page.contains(&format!("```yaml\n{yaml}```\n")), "docs/gateway.md must show the export as it is");
    // The two paths the filter cannot express, on stderr as on the page.
    let notes = notes.join("\n");
    assert_eq!(
        notes,
        "cors export gateway-api: service.json: /api/admin/audit: CORS left to the service: GET audit (AdminOnly): \
         strict, and the filter cannot refuse a foreign origin's request with 403\n\
         cors export gateway-api: service.json: /api/orders/{id}: CORS left to the service: per-method policies: \
         GET show (inline) and PUT replace (AppSession) allow different requests, and a rule holds one CORS filter"
    );
    assert!(page.contains(&format!("```text\n{notes}\n```\n")), "docs/gateway.md must show the notes as they are");
}

#[test]
fn the_example_export_is_a_valid_httproute_with_each_policy_in_its_filter() {
    let (yaml, _) = export_the_example();
    let routes = spec::routes(&yaml);
    assert_eq!(routes.len(), 1);
    let route = &routes[0];
    assert_eq!((&route["metadata"]["name"], &route["metadata"]["namespace"]), (&"api".into(), &"shop".into()));
    assert_eq!(route["spec"]["parentRefs"], serde_json::json!([{"name": "edge"}]));
    let rules = route["spec"]["rules"].as_array().unwrap();
    let paths: Vec<(&str, &str)> = rules
        .iter()
        .map(|r| {
            (r["matches"][0]["path"]["type"].as_str().unwrap(), r["matches"][0]["path"]["value"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        paths,
        [
            ("Exact", "/api/catalog"),
            ("Exact", "/api/orders"),
            ("Exact", "/api/profile"),
            ("Exact", "/api/status"),
            ("Exact", "/api/admin/audit"),
            ("RegularExpression", "^/api/orders/[^/]+$"),
        ]
    );
    let cors = |i: usize| {
        rules[i]["filters"].as_array().and_then(|f| f.iter().find(|f| f["type"] == "CORS")).map(|f| &f["cors"])
    };
    assert_eq!(
        cors(0).unwrap(),
        &serde_json::json!({"allowOrigins": ["*"], "allowCredentials": false, "allowMethods": ["GET", "HEAD"],
            "exposeHeaders": ["etag", "link", "retry-after"], "maxAge": 600})
    );
    assert_eq!(
        cors(1).unwrap(),
        &serde_json::json!({"allowOrigins": ["http://localhost:5173"], "allowCredentials": true,
            "allowMethods": ["POST"], "allowHeaders": ["authorization", "content-type", "x-request-id"],
            "exposeHeaders": ["etag", "x-request-id"], "maxAge": 600})
    );
    // Left to the service: routed, with no filter at all (the service's own headers pass).
    for i in [4, 5] {
        assert!(rules[i].get("filters").is_none(), "{}", rules[i]);
        assert_eq!(rules[i]["backendRefs"], serde_json::json!([{"name": "api", "port": 3000}]));
    }
    // The regex is the service's router: one segment.
    let regex = regex::Regex::new(paths[5].1).unwrap();
    assert!(
        regex.is_match("/api/orders/7") && !regex.is_match("/api/orders/7/lines") && !regex.is_match("/api/orders/")
    );
}
