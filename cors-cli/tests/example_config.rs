//! `examples/service.nginx.conf`, the configuration docs/gateway.md shows, is exactly what
//! `cors export nginx` prints for the `service` example's route table, and nginx accepts it.
//! After a change to the example or the export, regenerate it with
//! `UPDATE_EXAMPLE_CONFIG=1 cargo test -p cors-cli --test example_config`.

mod support;

#[allow(dead_code)] // its `main` is the example's, not ours
#[path = "../../examples/service.rs"]
mod service;

use std::path::Path;
use std::process::Command;

#[test]
fn the_committed_example_config_is_what_the_export_prints() {
    let dir = support::TempDir::new("example");
    std::fs::write(
        dir.0.join("service.json"),
        serde_json::to_string_pretty(&service::routes().nest(service::PREFIX)).unwrap(),
    )
    .unwrap();
    // Run where the table is, so the configuration's comments name the file as docs/gateway.md does.
    let output = Command::new(env!("CARGO_BIN_EXE_cors"))
        .current_dir(&dir.0)
        .args(["export", "nginx", "--listen", "8080", "service.json=http://127.0.0.1:3000"])
        .output()
        .unwrap();
    let printed = support::exported(output);
    let committed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/service.nginx.conf");
    if std::env::var_os("UPDATE_EXAMPLE_CONFIG").is_some() {
        std::fs::write(&committed_path, &printed).unwrap();
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == printed,
        "examples/service.nginx.conf is not what `cors export nginx` prints for the service example; \
         regenerate it: UPDATE_EXAMPLE_CONFIG=1 cargo test -p cors-cli --test example_config"
    );
    if support::nginx_available("the_committed_example_config_is_what_the_export_prints") {
        support::check_config(&support::TempDir::new("example-nginx"), &printed);
    }
}
