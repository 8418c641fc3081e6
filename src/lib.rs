//! Helpers shared by the examples: where to listen, the route table as JSON for `cors export`,
//! and the curl commands that try a route the way the field guide's debugging checklist does;
//! and the `service` example's hand-written CORS floor ([`service_floor`]), kept here so the
//! tests that include the example's source build it with this crate's dependencies.

pub mod service_floor;

/// docs/adoption.md, whose every block compiles and runs as a doctest of this package.
#[cfg(doctest)]
#[doc = include_str!("../docs/adoption.md")]
pub struct AdoptionPage;

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

/// An example's command line: `--port N`, `--routes-json`, and the flags with a value that the
/// example names (the `tenants` example's `--db PATH`), as `--flag VALUE` or `--flag=VALUE`.
/// Anything else is refused with the usage, so a typo never runs silently with a default.
#[derive(Debug, Clone, Default)]
pub struct CommandLine {
    port: Option<String>,
    values: Vec<(&'static str, String)>,
}

impl CommandLine {
    /// Reads the process's arguments, accepting `flags` besides `--port`: each a flag and what
    /// its value is, for the usage line (e.g. `&[("--db", "PATH")]`).
    pub fn parse(flags: &[(&'static str, &str)]) -> Result<CommandLine, String> {
        CommandLine::parse_from(std::env::args().skip(1), flags)
    }

    /// [`CommandLine::parse`] of the given arguments (the program name left out).
    pub fn parse_from(
        args: impl IntoIterator<Item = String>,
        flags: &[(&'static str, &str)],
    ) -> Result<CommandLine, String> {
        let usage = || {
            let valued: String = flags.iter().map(|(flag, what)| format!(" [{flag} {what}]")).collect();
            format!("usage: [--port N]{valued} | --routes-json{valued}")
        };
        let mut line = CommandLine { port: std::env::var("PORT").ok(), values: Vec::new() };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) if name.starts_with("--") => (name.to_owned(), Some(value.to_owned())),
                _ => (arg.clone(), None),
            };
            if name == "--routes-json" && inline.is_none() {
                continue;
            }
            let Some(flag) = ["--port"].into_iter().chain(flags.iter().map(|(flag, _)| *flag)).find(|f| *f == name)
            else {
                return Err(format!("unknown argument `{arg}`; {}", usage()));
            };
            let value = match inline {
                Some(value) => value,
                None => args.next().ok_or_else(|| format!("{flag} needs a value; {}", usage()))?,
            };
            if value.is_empty() {
                return Err(format!("{flag} needs a value; {}", usage()));
            }
            match flag {
                "--port" => line.port = Some(value),
                flag => line.values.push((flag, value)),
            }
        }
        Ok(line)
    }

    /// The address to listen on: `--port N`, else `PORT`, else `default_port`, always on loopback.
    pub fn listen_addr(&self, default_port: u16) -> Result<SocketAddr, String> {
        let port = match &self.port {
            Some(p) => p.parse::<u16>().map_err(|_| format!("invalid port `{p}`"))?,
            None => default_port,
        };
        Ok(SocketAddr::from(([127, 0, 0, 1], port)))
    }

    /// The value of `flag` (the last one given), if it was given.
    pub fn value(&self, flag: &str) -> Option<&str> {
        self.values.iter().rev().find(|(f, _)| *f == flag).map(|(_, v)| v.as_str())
    }
}

/// The address to listen on: `--port N` on the command line, else `PORT`, else `default_port`,
/// always on loopback. Any other argument is refused.
pub fn listen_addr(default_port: u16) -> Result<SocketAddr, String> {
    CommandLine::parse(&[])?.listen_addr(default_port)
}

/// The bearer token the example service's auth middleware accepts.
pub const DEMO_TOKEN: &str = "demo-token";

/// The bearer token the `tenants` example's admin routes accept (a real service checks its
/// operators' credentials).
pub const ADMIN_TOKEN: &str = "admin-token";

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

/// A request as a curl command: `curl -i -X METHOD URL` and a `-H` per header.
pub fn curl(method: &str, url: &str, headers: &[&str]) -> String {
    let mut command = format!("curl -i -X {method} {url}");
    for header in headers {
        command.push_str(&format!(" \\\n  -H '{header}'"));
    }
    command
}

/// An actual request with an `Origin`, as a curl command.
pub fn curl_actual(method: &str, url: &str, origin: &str, extra: &[&str]) -> String {
    let origin = format!("Origin: {origin}");
    let headers: Vec<&str> = std::iter::once(origin.as_str()).chain(extra.iter().copied()).collect();
    curl(method, url, &headers)
}

/// A request with a JSON body, as a curl command (`Content-Type` and `-d` follow `headers`).
pub fn curl_json(method: &str, url: &str, headers: &[&str], body: &str) -> String {
    let headers: Vec<&str> = headers.iter().copied().chain(["Content-Type: application/json"]).collect();
    format!("{} \\\n  -d '{body}'", curl(method, url, &headers))
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

#[cfg(test)]
mod tests {
    use super::CommandLine;

    fn parse(args: &[&str]) -> Result<CommandLine, String> {
        CommandLine::parse_from(args.iter().map(|a| a.to_string()), &[("--db", "PATH")])
    }

    #[test]
    fn flags_the_example_names_take_a_value_either_way_and_the_last_one_wins() {
        let line = parse(&["--db", "a.db", "--routes-json", "--db=b.db", "--port", "4000"]).unwrap();
        assert_eq!(line.value("--db"), Some("b.db"));
        assert_eq!(line.listen_addr(1).unwrap().to_string(), "127.0.0.1:4000");
        assert_eq!(parse(&["--port=4001"]).unwrap().listen_addr(1).unwrap().port(), 4001);
        assert_eq!(parse(&[]).unwrap().value("--db"), None);
    }

    #[test]
    fn anything_else_is_refused_with_the_usage() {
        let usage = "usage: [--port N] [--db PATH] | --routes-json [--db PATH]";
        assert_eq!(parse(&["--database", "a.db"]).unwrap_err(), format!("unknown argument `--database`; {usage}"));
        assert_eq!(parse(&["--db"]).unwrap_err(), format!("--db needs a value; {usage}"));
        assert_eq!(parse(&["--db="]).unwrap_err(), format!("--db needs a value; {usage}"));
        assert_eq!(
            parse(&["--routes-json=yes"]).unwrap_err(),
            format!("unknown argument `--routes-json=yes`; {usage}")
        );
        assert_eq!(parse(&["--port", "http"]).unwrap().listen_addr(1).unwrap_err(), "invalid port `http`");
        let service = CommandLine::parse_from(["--db".to_string(), "a.db".to_string()], &[]).unwrap_err();
        assert_eq!(service, "unknown argument `--db`; usage: [--port N] | --routes-json");
    }
}
