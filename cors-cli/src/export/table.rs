//! The input of `cors export`: route tables as the services print them (`--routes-json`,
//! DESIGN §8.3), each paired with the upstream URL that serves it, read and checked before
//! anything is generated. Every string that ends up in a gateway configuration is checked
//! here, so the generators can write it without quoting surprises. `cors doctor --routes` reads
//! its table with [`read`], checked the same way.

use serde::Deserialize;

/// One `TABLE.json=UPSTREAM_URL` argument, read and checked; `U` is what the part after `=`
/// names (an [`Upstream`] URL, or a Kubernetes Service for `gateway-api`).
#[derive(Debug)]
pub struct Table<U = Upstream> {
    /// The file name as given, for messages.
    pub file: String,
    pub upstream: U,
    pub routes: Vec<Route>,
}

/// Where a table's service listens: `http(s)://host[:port]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    pub https: bool,
    /// `host:port`, the port always written out.
    pub address: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    routes: Vec<Route>,
}

/// One row of a route table, field for field as §8.3 writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    pub method: String,
    pub path: String,
    pub handler: String,
    pub policy: String,
    pub public: bool,
    pub origins: Vec<String>,
    pub origins_env: Option<String>,
    /// `origins = dynamic`: `origins` is what was in force when the table was printed, and
    /// only the service knows the list now. Tables printed before it existed leave it out.
    #[serde(default)]
    pub origins_dynamic: bool,
    pub credentials: bool,
    /// Lowercase names; `*` (any name but `authorization`) comes first when present.
    pub headers: Vec<String>,
    pub expose: Vec<String>,
    pub max_age: u32,
    pub private_network: bool,
    pub strict: bool,
}

/// The six methods a route can have (`HEAD` requests also reach a `GET` route).
pub const ROUTE_METHODS: [&str; 6] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

/// Reads `TABLE.json=UPSTREAM_URL`; the error is one line that names the file or the argument.
pub fn load(argument: &str) -> Result<Table, String> {
    load_as(argument, "UPSTREAM_URL, e.g. orders.json=http://127.0.0.1:3000", Upstream::parse)
}

/// Reads `TABLE.json=TARGET`, the target read by `parse`; `expected` names its form in the
/// message for an argument without `=`.
pub fn load_as<U>(argument: &str, expected: &str, parse: fn(&str) -> Result<U, String>) -> Result<Table<U>, String> {
    let Some((file, target)) = argument.rsplit_once('=') else {
        return Err(format!("`{argument}`: expected TABLE.json={expected}"));
    };
    let upstream = parse(target)?;
    Ok(Table { file: file.to_string(), upstream, routes: read(file)? })
}

/// Reads and checks the route table in `file`; the error is one line that names the file.
pub fn read(file: &str) -> Result<Vec<Route>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    let table: TableFile = serde_json::from_str(&text).map_err(|e| format!("{file}: not a route table: {e}"))?;
    for route in &table.routes {
        route.check().map_err(|e| format!("{file}: route {} {} ({}): {e}", route.method, route.path, route.handler))?;
    }
    Ok(table.routes)
}

impl Upstream {
    fn parse(url: &str) -> Result<Upstream, String> {
        let bad = |why: &str| Err(format!("upstream `{url}` {why}"));
        let (https, rest) = match url.split_once("://") {
            Some(("http", rest)) => (false, rest),
            Some(("https", rest)) => (true, rest),
            _ => return bad("is not an http:// or https:// URL (e.g. http://127.0.0.1:3000)"),
        };
        // The gateway forwards each request's own path and query, so the URL names only a host.
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains(['/', '?', '#', '@']) {
            return bad("must be scheme://host[:port] only: the gateway forwards each request's own path");
        }
        // An IPv6 host is bracketed; a port follows the host after `:`.
        let host_end = if authority.starts_with('[') { authority.find(']').map_or(0, |i| i + 1) } else { 0 };
        let (host, port) = match authority[host_end..].rfind(':').map(|i| i + host_end) {
            Some(colon) => match authority[colon + 1..].parse::<u16>() {
                Ok(port) if port > 0 => (&authority[..colon], port),
                _ => return bad("has an invalid port"),
            },
            None => (authority, if https { 443 } else { 80 }),
        };
        let ipv6 = host.starts_with('[') && host.ends_with(']') && host.len() > 2;
        let name = !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b));
        let ipv6_ok = ipv6 && host[1..host.len() - 1].bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        if !(name || ipv6_ok) {
            return bad("has an invalid host");
        }
        Ok(Upstream { https, address: format!("{host}:{port}") })
    }
}

impl Route {
    /// What a table printed by `--routes-json` always satisfies; a hand-edited one may not.
    fn check(&self) -> Result<(), String> {
        if !ROUTE_METHODS.contains(&self.method.as_str()) {
            return Err(format!("method must be one of {}", ROUTE_METHODS.join(", ")));
        }
        check_path(&self.path)?;
        for (what, name) in [("handler", &self.handler), ("policy", &self.policy)] {
            if !is_identifier(name) {
                return Err(format!("{what} `{name}` is not a Rust identifier"));
            }
        }
        let origins: Vec<&str> = self.origins.iter().map(String::as_str).collect();
        let any = origins == ["*"];
        if self.public != any {
            return Err("`public` must be true exactly when origins is [\"*\"]".to_string());
        }
        for checked in cors_rules::check_origin_list(&origins, self.credentials) {
            // One line: the first rule the first bad entry breaks.
            checked.map_err(|errors| errors.first().map_or_else(String::new, ToString::to_string))?;
        }
        if self.origins_dynamic && (self.public || self.origins_env.is_some()) {
            return Err("origins_dynamic: a dynamic policy is private and reads no variable".to_string());
        }
        if let Some(var) = &self.origins_env {
            if var.is_empty() || !var.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_') {
                return Err(format!("origins_env `{var}` is not an environment variable name"));
            }
        }
        let listed = self.headers.iter().skip_while(|h| *h == "*");
        for (what, names) in [("headers", listed.collect::<Vec<_>>()), ("expose", self.expose.iter().collect())] {
            for name in names {
                check_header_name(what, name)?;
            }
        }
        if self.max_age > 86_400 {
            return Err(format!("max_age {} is above 86400, which no browser honours", self.max_age));
        }
        Ok(())
    }

    /// Whether `headers` starts with `*`: any request header but `authorization`.
    pub fn any_header(&self) -> bool {
        self.headers.first().is_some_and(|h| h == "*")
    }

    /// The header names the policy lists by name.
    pub fn listed_headers(&self) -> &[String] {
        &self.headers[usize::from(self.any_header())..]
    }
}

fn is_identifier(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Header names are lowercase tokens; `$` is a token character that nginx would read as the
/// start of a variable, so the export refuses it rather than write something else.
fn check_header_name(what: &str, name: &str) -> Result<(), String> {
    if !cors_rules::is_token(name.as_bytes()) || name.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(format!("{what}: `{name}` is not a lowercase header name"));
    }
    if name.contains('$') {
        return Err(format!("{what}: `{name}` contains `$`, which a gateway configuration cannot write literally"));
    }
    Ok(())
}

/// axum 0.8 paths whose literal parts are plain URL path characters. `%` (nginx matches the
/// decoded path), `$` (nginx variables), literal braces and anything outside printable ASCII
/// are refused rather than translated into something that could route differently.
fn check_path(path: &str) -> Result<(), String> {
    cors_rules::check_path(path)?;
    if path.contains("{{") || path.contains("}}") {
        return Err("path character `{` cannot be matched the same way by a gateway".to_string());
    }
    let literal = cors_rules::path_shape(path).replace("{}", "").replace("{*}", "");
    if let Some(c) = literal.chars().find(|c| !(c.is_ascii_alphanumeric() || "-._~!&'()*+,;=:@/".contains(*c))) {
        return Err(format!("path character `{c}` cannot be matched the same way by a gateway"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_urls() {
        let ok = |url: &str| Upstream::parse(url).map(|u| (u.https, u.address));
        assert_eq!(ok("http://127.0.0.1:3000"), Ok((false, "127.0.0.1:3000".to_string())));
        assert_eq!(ok("https://orders.internal/"), Ok((true, "orders.internal:443".to_string())));
        assert_eq!(ok("http://[::1]:8080"), Ok((false, "[::1]:8080".to_string())));
        assert_eq!(ok("http://[::1]"), Ok((false, "[::1]:80".to_string())));
        assert_eq!(
            ok("ftp://x"),
            Err("upstream `ftp://x` is not an http:// or https:// URL (e.g. http://127.0.0.1:3000)".to_string())
        );
        assert_eq!(
            ok("http://h/api"),
            Err("upstream `http://h/api` must be scheme://host[:port] only: the gateway forwards each request's own path"
                .to_string())
        );
        assert_eq!(ok("http://h:0"), Err("upstream `http://h:0` has an invalid port".to_string()));
        assert_eq!(ok("http://h;x"), Err("upstream `http://h;x` has an invalid host".to_string()));
        assert_eq!(ok("http://"), Err("upstream `http://` has an invalid host".to_string()));
    }

    #[test]
    fn paths_a_gateway_cannot_match_the_same_way_are_refused() {
        assert_eq!(check_path("/orders/{id}/{*rest}"), Ok(()));
        assert_eq!(check_path("/a%20b"), Err("path character `%` cannot be matched the same way by a gateway".into()));
        assert_eq!(check_path("/a$b"), Err("path character `$` cannot be matched the same way by a gateway".into()));
        assert_eq!(check_path("/{{x}}"), Err("path character `{` cannot be matched the same way by a gateway".into()));
        assert!(check_path("orders").is_err());
    }
}
