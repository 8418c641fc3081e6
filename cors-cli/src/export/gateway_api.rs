//! `cors export gateway-api`: the gateway as Kubernetes Gateway API `HTTPRoute` resources
//! (`gateway.networking.k8s.io/v1`, the v1.5 Standard channel). One rule per path, its
//! `backendRefs` the table's Service, and one `CORS` filter (`HTTPCORSFilter`) holding the
//! path's policy. Where the filter cannot say what the service does (a strict, private-network
//! or dynamic route, policies that differ by method at one path, or a policy past the spec's
//! limits) the rule routes without a filter, the service keeps that path's CORS, and the output
//! says why in a comment and on stderr. Field names and limits are those of the spec's Go
//! types (apis/v1/httproute_types.go, shared_types.go) and its v1.5.1 CRD.
//!
//! Strings are written JSON-quoted, which YAML reads the same, as `export envoy` does.

use std::fmt::Write;

use super::gateway::{Gateway, Location};
use super::regex;
use super::table::{self, Route, Table, ROUTE_METHODS};
use super::ACCESS_CONTROL_HEADERS;

/// `HTTPCORSFilter.allowOrigins`, `.allowHeaders` and `.exposeHeaders`: `MaxItems=64`.
const MAX_LIST: usize = 64;
/// `HTTPHeaderName` (`HeaderName`): `MaxLength=256`.
const MAX_HEADER_NAME: usize = 256;
/// `HTTPRouteSpec.rules`: `MaxItems=16`; a table with more paths gets more routes.
const MAX_RULES: usize = 16;
/// `HTTPPathMatch.value`: `MaxLength=1024`.
const MAX_PATH: usize = 1024;

/// What no rule of this output can say as the service does, in every output's header.
const CANNOT_EXPRESS: &str = "\
# What the CORS filter answers differently (docs/gateway.md, \"Kubernetes Gateway API\"):
# - A refused preflight may be answered 200/204 without CORS headers instead of the service's
#   403 (the spec allows both); browsers block it either way.
# - GET, HEAD and POST are CORS-safelisted: a preflight for one of them at a path that does not
#   route it may be answered, and the request then gets the service's 405.
# - Paths with captures are RegularExpression matches, which the spec leaves to each
#   implementation (dialect and precedence against Exact matches): check yours.
# - The spec does not fix whether ResponseHeaderModifier removes the service's headers before
#   or after the CORS filter adds its own; after would remove both (browsers then block): check
#   yours with `cors doctor --routes`.
";

/// A Kubernetes Service and port, where a table's requests go (`HTTPBackendRef`).
#[derive(Debug)]
pub struct Service {
    name: String,
    port: u16,
}

/// Reads `TABLE.json=SERVICE:PORT`.
pub fn load(argument: &str) -> Result<Table<Service>, String> {
    table::load_as(argument, "SERVICE:PORT, e.g. orders.json=orders:3000", Service::parse)
}

impl Service {
    fn parse(service: &str) -> Result<Service, String> {
        let bad = |why: &str| Err(format!("service `{service}` {why}"));
        let Some((name, port)) = service.rsplit_once(':') else {
            return bad("is not SERVICE:PORT (e.g. orders:3000)");
        };
        // Kubernetes Service names are RFC 1035 labels.
        let starts = name.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
        if !(starts && is_label(name)) {
            return bad("is not a Kubernetes Service name: up to 63 of a-z, 0-9 and `-`, starting with a letter");
        }
        match port.parse::<u16>() {
            Ok(port) if port > 0 => Ok(Service { name: name.to_string(), port }),
            _ => bad("has an invalid port (1 to 65535)"),
        }
    }
}

/// Where the routes go: `--parent` and `--namespace`, checked as the spec's types read them.
pub struct Target {
    /// `ParentReference.name` and `.namespace` (when the Gateway is elsewhere).
    parent: (String, Option<String>),
    /// `metadata.namespace` of every route.
    namespace: Option<String>,
}

impl Target {
    pub fn new(parent: &str, namespace: Option<&str>) -> Result<Target, String> {
        let (parent_namespace, name) = match parent.split_once('/') {
            Some((ns, name)) => (Some(ns), name),
            None => (None, parent),
        };
        let subdomain = name.len() <= 253 && name.split('.').all(is_label);
        if !subdomain {
            return Err(format!(
                "--parent `{parent}`: `{name}` is not a Gateway name (lowercase DNS labels: a-z, 0-9, `-`, `.`)"
            ));
        }
        for ns in parent_namespace.iter().chain(&namespace) {
            if !is_label(ns) {
                return Err(format!("namespace `{ns}` is not a Kubernetes namespace (up to 63 of a-z, 0-9 and `-`)"));
            }
        }
        Ok(Target {
            parent: (name.to_string(), parent_namespace.map(str::to_string)),
            namespace: namespace.map(str::to_string),
        })
    }

    /// The routes, and one note per path whose CORS stays with the service.
    pub fn render(&self, gateway: &Gateway<'_, Service>) -> Result<(String, Vec<String>), String> {
        let mut rules: Vec<Vec<Rule<'_>>> = gateway.tables.iter().map(|_| Vec::new()).collect();
        for location in &gateway.locations {
            let Some(table) = location.single_table() else {
                let services: Vec<String> = location
                    .routes
                    .iter()
                    .map(|r| format!("{} in {}", r.route.method, gateway.tables[r.table].file))
                    .collect();
                return Err(format!(
                    "{} is served by more than one service ({}): its preflights can go to one backend only; \
                     serve the path from one service",
                    location.path,
                    services.join(", ")
                ));
            };
            if location.path.len() > MAX_PATH {
                return Err(format!("{}: a path match holds at most {MAX_PATH} characters", location.path));
            }
            rules[table].push(Rule { location, cors: filter(location) });
        }
        let mut out = String::from(
            "# Generated by `cors export gateway-api` from the services' route tables; regenerate, do not edit.\n\
             # Gateway API v1.5 HTTPRoutes: each rule's CORS filter answers preflights and adds the policy's\n\
             # headers, after the service's own Access-Control-* headers are removed. Checked against the\n\
             # spec's CRD, not a live gateway.\n",
        );
        for table in gateway.tables {
            let _ =
                writeln!(out, "#   {} -> Service {}:{}", shown(&table.file), table.upstream.name, table.upstream.port);
        }
        out.push_str(CANNOT_EXPRESS);
        let mut notes = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for (table, rules) in gateway.tables.iter().zip(&rules) {
            for chunk in rules.chunks(MAX_RULES) {
                let name = (1..)
                    .map(|n| if n == 1 { table.upstream.name.clone() } else { format!("{}-{n}", table.upstream.name) })
                    .find(|name| !names.contains(name))
                    .expect("some suffix is free");
                self.route(&mut out, &name, table, chunk);
                names.push(name);
            }
            for rule in rules {
                if let Err(reasons) = &rule.cors {
                    notes.push(format!(
                        "{}: {}: CORS left to the service: {}",
                        table.file,
                        rule.location.path,
                        reasons.join("; ")
                    ));
                }
            }
        }
        Ok((out, notes))
    }

    fn route(&self, out: &mut String, name: &str, table: &Table<Service>, rules: &[Rule<'_>]) {
        let _ = write!(
            out,
            "---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: {}\n",
            q(name)
        );
        if let Some(namespace) = &self.namespace {
            let _ = writeln!(out, "  namespace: {}", q(namespace));
        }
        let _ = write!(out, "spec:\n  parentRefs:\n  - name: {}\n", q(&self.parent.0));
        if let Some(namespace) = &self.parent.1 {
            let _ = writeln!(out, "    namespace: {}", q(namespace));
        }
        out.push_str("  rules:\n");
        for rule in rules {
            rule.write(out, table);
        }
    }
}

/// One path: its match, and its CORS filter or why there is none.
struct Rule<'g> {
    location: &'g Location<'g>,
    cors: Result<Filter<'g>, Vec<String>>,
}

/// `HTTPCORSFilter`, field for field.
struct Filter<'g> {
    route: &'g Route,
    allow_methods: Vec<&'static str>,
}

impl Rule<'_> {
    fn write(&self, out: &mut String, table: &Table<Service>) {
        let routes: Vec<String> = self
            .location
            .routes
            .iter()
            .map(|r| format!("{} {} ({})", r.route.method, shown(&r.route.handler), r.route.policy))
            .collect();
        let _ = writeln!(out, "  # {}: {}", self.location.path, routes.join("; "));
        if let Err(reasons) = &self.cors {
            out.push_str("  # CORS left to the service, which answers this path's preflights itself:\n");
            for reason in reasons {
                let _ = writeln!(out, "  #   {}", shown(reason));
            }
        }
        let path = self.location.path;
        let (kind, value) =
            if exact_match(path) { ("Exact", path.to_string()) } else { ("RegularExpression", regex::path(path)) };
        let _ = write!(out, "  - matches:\n    - path: {{type: {kind}, value: {}}}\n", q(&value));
        if let Ok(filter) = &self.cors {
            filter.write(out);
        }
        let _ = write!(
            out,
            "    backendRefs:\n    - name: {}\n      port: {}\n",
            q(&table.upstream.name),
            table.upstream.port
        );
    }
}

impl Filter<'_> {
    fn write(&self, out: &mut String) {
        let list = |names: &[&str]| names.iter().map(|n| q(n)).collect::<Vec<_>>().join(", ");
        let strings = |names: &[String]| list(&names.iter().map(String::as_str).collect::<Vec<_>>());
        let route = self.route;
        let _ = write!(
            out,
            "    filters:\n    - type: ResponseHeaderModifier\n      responseHeaderModifier:\n        remove:\n{}\
             \x20   - type: CORS\n      cors:\n",
            ACCESS_CONTROL_HEADERS.iter().map(|h| format!("        - {}\n", q(h))).collect::<String>()
        );
        if let Some(var) = &route.origins_env {
            let _ = writeln!(out, "        # from ${var} when the table was printed");
        }
        let _ = writeln!(out, "        allowOrigins: [{}]", strings(&route.origins));
        let _ = writeln!(out, "        allowCredentials: {}", route.credentials);
        let _ = writeln!(out, "        allowMethods: [{}]", list(&self.allow_methods));
        if !route.headers.is_empty() {
            let _ = writeln!(out, "        allowHeaders: [{}]", strings(&route.headers));
        }
        if !route.expose.is_empty() {
            let _ = writeln!(out, "        exposeHeaders: [{}]", strings(&route.expose));
        }
        let _ = writeln!(out, "        maxAge: {}", route.max_age);
    }
}

/// The path's CORS filter, or every reason the filter cannot hold what its routes do.
fn filter<'g>(location: &'g Location<'g>) -> Result<Filter<'g>, Vec<String>> {
    let mut reasons = Vec::new();
    for located in &location.routes {
        let route = located.route;
        let name = format!("{} {} ({})", route.method, route.handler, route.policy);
        if route.origins_dynamic {
            reasons.push(format!("{name}: origins = dynamic, a list that changes while the service runs"));
        }
        if route.strict {
            reasons.push(format!("{name}: strict, and the filter cannot refuse a foreign origin's request with 403"));
        }
        if route.private_network {
            reasons
                .push(format!("{name}: private_network, and the filter has no Access-Control-Allow-Private-Network"));
        }
    }
    let first = location.routes[0].route;
    if let Some(other) = location.routes.iter().map(|r| r.route).find(|r| !same_filter(first, r)) {
        reasons.push(format!(
            "per-method policies: {} {} ({}) and {} {} ({}) allow different requests, and a rule holds one \
             CORS filter",
            first.method, first.handler, first.policy, other.method, other.handler, other.policy
        ));
    } else {
        reasons.extend(limits(first).into_iter().map(|why| format!("policy {}: {why}", first.policy)));
    }
    if !reasons.is_empty() {
        return Err(reasons);
    }
    let allow_methods = ROUTE_METHODS.into_iter().filter(|m| location.route_for(m).is_some()).collect();
    Ok(Filter { route: first, allow_methods })
}

/// Whether two routes' policies are one `HTTPCORSFilter`.
fn same_filter(a: &Route, b: &Route) -> bool {
    a.origins == b.origins
        && a.credentials == b.credentials
        && a.headers == b.headers
        && a.expose == b.expose
        && a.max_age == b.max_age
}

/// What the spec's fields cannot hold of this policy.
fn limits(route: &Route) -> Vec<String> {
    let mut why = Vec::new();
    if route.origins.len() > MAX_LIST {
        why.push(format!("{} origins, and allowOrigins holds at most {MAX_LIST}", route.origins.len()));
    }
    if let Some(origin) = route.origins.iter().find(|o| !cors_origin(o)) {
        why.push(format!("origin `{origin}` is not a CORSOrigin (http(s)://host[:port] with a DNS host)"));
    }
    if route.any_header() {
        why.push(
            "headers `*` allows any name but authorization, and allowHeaders' `*` is answered as each \
             implementation chooses"
                .to_string(),
        );
    }
    for (field, names) in [("allowHeaders", &route.headers), ("exposeHeaders", &route.expose)] {
        if names.len() > MAX_LIST {
            why.push(format!("{} names, and {field} holds at most {MAX_LIST}", names.len()));
        }
        if let Some(long) = names.iter().find(|n| n.len() > MAX_HEADER_NAME) {
            why.push(format!("{field}: a name of {} characters, over {MAX_HEADER_NAME}", long.len()));
        }
    }
    if route.max_age == 0 {
        why.push("max_age 0 (no caching), and maxAge is at least 1".to_string());
    }
    why
}

/// `CORSOrigin`'s pattern, `(^\*$)|(^(http(s)?):\/\/(((\*\.)?([a-zA-Z0-9\-]+\.)*[a-zA-Z0-9-]+|\*)(:([0-9]{1,5}))?)$)`,
/// and `MaxLength=253`. Entries are already checked origins or `*.` patterns, so what this
/// refuses are IPv6 hosts and host characters outside the pattern (`_`).
fn cors_origin(origin: &str) -> bool {
    if origin == "*" {
        return true;
    }
    let Some(rest) = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://")) else {
        return false;
    };
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    let host = host.strip_prefix("*.").unwrap_or(host);
    let label = |l: &str| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    origin.len() <= 253
        && host.split('.').all(label)
        && port.is_none_or(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

/// An `Exact` match holds what `HTTPPathMatch`'s validations accept: no capture, no `//`,
/// `/./` or `/../`, no trailing `/.` or `/..`. Other paths are `RegularExpression`s.
fn exact_match(path: &str) -> bool {
    !path.contains('{')
        && !["//", "/./", "/../", "#"].iter().any(|s| path.contains(s))
        && !path.ends_with("/.")
        && !path.ends_with("/..")
}

/// An RFC 1123 label, as `Namespace` reads it: 1 to 63 of a-z, 0-9 and `-`, alphanumeric at
/// both ends.
fn is_label(s: &str) -> bool {
    let edge = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    s.len() <= 63
        && edge(s.bytes().next())
        && edge(s.bytes().last())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A JSON string, which YAML reads as the same double-quoted scalar.
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialize")
}

/// A file name or handler safe inside a `#` comment.
fn shown(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { '?' } else { c }).collect()
}
