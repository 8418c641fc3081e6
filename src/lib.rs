//! Helpers shared by the examples: where to listen, the route table as JSON for `cors export`,
//! and the curl commands that try a route the way the field guide's debugging checklist does.

use std::net::SocketAddr;

/// With `--routes-json` on the command line, prints the route table as DESIGN §8.3's JSON
/// (the input of `cors export nginx`) and exits; otherwise does nothing.
pub fn print_routes_json_if_asked(routes: &impl serde::Serialize) {
    if !std::env::args().skip(1).any(|arg| arg == "--routes-json") {
        return;
    }
    match serde_json::to_string_pretty(routes) {
        Ok(json) => {
            println!("{json}");
            std::process::exit(0);
        }
        Err(e) => {
            eprintln!("cannot write the route table as JSON: {e}");
            std::process::exit(1);
        }
    }
}

/// The address to listen on: `--port N` on the command line, else `PORT`, else `default_port`,
/// always on loopback.
pub fn listen_addr(default_port: u16) -> Result<SocketAddr, String> {
    listen_addr_with_flags(default_port, &[])
}

/// [`listen_addr`], for an example that also takes the command-line switches in `flags` (which
/// it reads itself).
pub fn listen_addr_with_flags(default_port: u16, flags: &[&str]) -> Result<SocketAddr, String> {
    let mut args = std::env::args().skip(1);
    let mut port = std::env::var("PORT").ok();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => port = Some(args.next().ok_or("--port needs a number")?),
            flag if flags.contains(&flag) => {}
            other => return Err(format!("unknown argument `{other}`; usage: [--port N] | --routes-json")),
        }
    }
    let port = match port {
        Some(p) => p.parse::<u16>().map_err(|_| format!("invalid port `{p}`"))?,
        None => default_port,
    };
    Ok(SocketAddr::from(([127, 0, 0, 1], port)))
}

/// The bearer token the example service's auth middleware accepts.
pub const DEMO_TOKEN: &str = "demo-token";

/// A preflight as the browser would send it, as a curl command.
pub fn curl_preflight(url: &str, origin: &str, method: &str, headers: &str) -> String {
    let mut command = format!(
        "curl -i -X OPTIONS {url} \\\n  -H 'Origin: {origin}' \\\n  -H 'Access-Control-Request-Method: {method}'"
    );
    if !headers.is_empty() {
        command.push_str(&format!(" \\\n  -H 'Access-Control-Request-Headers: {headers}'"));
    }
    command
}

/// An actual request with an `Origin`, as a curl command.
pub fn curl_actual(method: &str, url: &str, origin: &str, extra: &[&str]) -> String {
    let mut command = format!("curl -i -X {method} {url} \\\n  -H 'Origin: {origin}'");
    for header in extra {
        command.push_str(&format!(" \\\n  -H '{header}'"));
    }
    command
}

/// The field guide's two commands for `POST /orders` from `origin`: the preflight a browser sends
/// first, then the request itself.
pub fn curl_create_order(base: &str, origin: &str) -> String {
    let url = format!("{base}/orders");
    let preflight = curl_preflight(&url, origin, "POST", "authorization,content-type");
    let token = format!("Authorization: Bearer {DEMO_TOKEN}");
    let request = curl_actual("POST", &url, origin, &[&token, "Content-Type: application/json"]);
    format!("{preflight}\n\n{request}")
}
