//! `cors export nginx` and `cors export envoy` on bad input: one line on stderr that says what
//! is wrong and where, the same for both, nothing on stdout, exit code 2. Never a panic.

mod support;

use support::{Gateway, TempDir};

const GATEWAYS: [Gateway; 2] = [Gateway::Nginx, Gateway::Envoy];

/// A valid one-route table, to be spoiled by each case.
const ROUTE: &str = r#"{"method": "GET", "path": "/orders/{id}", "handler": "get_order", "policy": "inline",
    "public": false, "origins": ["https://app.example.com"], "origins_env": null, "credentials": true,
    "headers": [], "expose": ["etag"], "max_age": 600, "private_network": false, "strict": false}"#;

fn table(route: &str) -> String {
    format!("{{\"routes\": [{route}]}}")
}

/// Runs the export on `tables` (file name, contents, upstream URL); returns (exit code, stderr).
fn export_error(gateway: Gateway, dir: &TempDir, tables: &[(&str, &str, &str)]) -> (Option<i32>, String) {
    let output = support::export_to(gateway, &dir.0, 8080, tables);
    assert!(output.stdout.is_empty(), "nothing on stdout: {}", String::from_utf8_lossy(&output.stdout));
    (output.status.code(), String::from_utf8(output.stderr).unwrap())
}

#[test]
fn bad_input_is_one_line_and_exit_code_2() {
    let dir = TempDir::new("errors");
    let d = dir.0.display();
    let good = table(ROUTE);
    // (the table in a.json, its upstream URL, the message)
    let cases: Vec<(String, &str, String)> = vec![
        (
            "{\"routes\": [".to_string(),
            "http://127.0.0.1:3000",
            format!("{d}/a.json: not a route table: EOF while parsing a list at line 1 column 12"),
        ),
        (
            table(&ROUTE.replace("\"strict\": false", "\"strict\": false, \"colour\": 1")),
            "http://127.0.0.1:3000",
            format!(
                "{d}/a.json: not a route table: unknown field `colour`, expected one of `method`, `path`, `handler`, \
                 `policy`, `public`, `origins`, `origins_env`, `origins_dynamic`, `credentials`, `headers`, \
                 `expose`, `max_age`, `private_network`, `strict` at line 3 column 106"
            ),
        ),
        (
            table(
                &ROUTE.replace("\"origins_env\": null", "\"origins_env\": \"APP_ORIGINS\", \"origins_dynamic\": true"),
            ),
            "http://127.0.0.1:3000",
            format!(
                "{d}/a.json: route GET /orders/{{id}} (get_order): origins_dynamic: a dynamic policy is private and \
                 reads no variable"
            ),
        ),
        (
            good.replace("{\"routes\"", "{\"version\": 2, \"routes\""),
            "http://127.0.0.1:3000",
            format!("{d}/a.json: not a route table: unknown field `version`, expected `routes` at line 1 column 10"),
        ),
        (
            good.clone(),
            "ftp://127.0.0.1:3000",
            "upstream `ftp://127.0.0.1:3000` is not an http:// or https:// URL (e.g. http://127.0.0.1:3000)"
                .to_string(),
        ),
        (
            good.clone(),
            "127.0.0.1:3000",
            "upstream `127.0.0.1:3000` is not an http:// or https:// URL (e.g. http://127.0.0.1:3000)".to_string(),
        ),
        (
            good.clone(),
            "http://127.0.0.1:3000/api",
            "upstream `http://127.0.0.1:3000/api` must be scheme://host[:port] only: the gateway forwards each \
             request's own path"
                .to_string(),
        ),
        (
            table(&ROUTE.replace("https://app.example.com", "https://App.example.com")),
            "http://h:1",
            format!(
                "{d}/a.json: route GET /orders/{{id}} (get_order): origin `https://App.example.com` has uppercase \
                 letters: browsers send `https://app.example.com`"
            ),
        ),
        (
            table(&ROUTE.replace("\"GET\"", "\"OPTIONS\"")),
            "http://h:1",
            format!(
                "{d}/a.json: route OPTIONS /orders/{{id}} (get_order): method must be one of GET, HEAD, POST, PUT, \
                 PATCH, DELETE"
            ),
        ),
        (
            table(&ROUTE.replace("\"expose\": [\"etag\"]", "\"expose\": [\"x-$host\"]")),
            "http://h:1",
            format!(
                "{d}/a.json: route GET /orders/{{id}} (get_order): expose: `x-$host` contains `$`, which a gateway \
                 configuration cannot write literally"
            ),
        ),
        (
            table(&ROUTE.replace("/orders/{id}", "/orders\\\"; return 200")),
            "http://h:1",
            format!(
                "{d}/a.json: route GET /orders\"; return 200 (get_order): path character `\"` cannot be matched the \
                 same way by a gateway"
            ),
        ),
    ];
    for (json, upstream, message) in &cases {
        for gateway in GATEWAYS {
            let (code, stderr) = export_error(gateway, &dir, &[("a.json", json, upstream)]);
            let expected = format!("cors export {}: {message}\n", gateway.name());
            assert_eq!((code, stderr.as_str()), (Some(2), expected.as_str()));
        }
    }
}

#[test]
fn unreadable_tables_and_malformed_arguments() {
    for gateway in GATEWAYS.map(Gateway::name) {
        let export = |more: &[&str]| {
            let args: Vec<String> = ["export", gateway].iter().chain(more).map(|s| s.to_string()).collect();
            support::cors(&args)
        };
        assert_eq!(
            output_error(&export(&["/nonexistent/t.json=http://127.0.0.1:1"])),
            (
                Some(2),
                format!(
                    "cors export {gateway}: cannot read /nonexistent/t.json: No such file or directory (os error 2)\n"
                )
            )
        );
        assert_eq!(
            output_error(&export(&["t.json"])),
            (
                Some(2),
                format!(
                    "cors export {gateway}: `t.json`: expected TABLE.json=UPSTREAM_URL, e.g. orders.json=http://127.0.0.1:3000\n"
                )
            )
        );
        // clap's own usage errors keep clap's exit code 2.
        assert_eq!(export(&[]).status.code(), Some(2));
    }
}

fn output_error(output: &std::process::Output) -> (Option<i32>, String) {
    assert!(output.stdout.is_empty());
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// A file name is the user's own input, but a line break in it must not end a comment and
/// start a directive in the configuration.
#[test]
fn file_names_stay_inside_comments() {
    let dir = TempDir::new("names");
    for gateway in GATEWAYS {
        let tables =
            [("a\nlisten 81;.json", table(ROUTE)), ("b\n  - name: x.json", table(&ROUTE.replace("/orders", "/b")))];
        let tables: Vec<_> = tables.iter().map(|(f, t)| (*f, t.as_str(), "http://127.0.0.1:3000")).collect();
        let config = support::exported(support::export_to(gateway, &dir.0, 8080, &tables));
        assert!(config.contains("a?listen 81;.json") && config.contains("b?  - name: x.json"), "{config}");
        assert!(!config.lines().any(|line| line.trim_start().starts_with("listen 81")), "{config}");
        assert!(!config.lines().any(|line| line.trim_start() == "- name: x.json"), "{config}");
    }
}

/// Two tables that claim one route: the same error from both exports.
#[test]
fn a_route_claimed_twice_is_refused_by_both() {
    let dir = TempDir::new("claimed");
    let d = dir.0.display();
    let other = ROUTE.replace("/orders/{id}", "/orders/{key}").replace("\"get_order\"", "\"fetch_order\"");
    for gateway in GATEWAYS {
        let tables =
            [("a.json", table(ROUTE), "http://127.0.0.1:3001"), ("b.json", table(&other), "http://127.0.0.1:3002")];
        let tables: Vec<_> = tables.iter().map(|(f, t, u)| (*f, t.as_str(), *u)).collect();
        let expected = format!(
            "cors export {}: GET /orders/{{id}} is claimed twice: by `get_order` in {d}/a.json and by \
             `fetch_order` (/orders/{{key}}) in {d}/b.json\n",
            gateway.name()
        );
        assert_eq!(export_error(gateway, &dir, &tables), (Some(2), expected));
    }
}
