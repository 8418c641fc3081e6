//! The HTTPRoute schema of Gateway API v1.5.1 (config/crd/standard/
//! gateway.networking.k8s.io_httproutes.yaml, generated from apis/v1/httproute_types.go and
//! shared_types.go): the fields the export writes, with the CRD's `pattern`, `enum`,
//! `maxItems`, `minLength`/`maxLength`, `minimum` and the CEL rules (`x-kubernetes-validations`)
//! that apply to them, copied from the CRD. No Gateway API implementation runs here, so this is
//! what a printed route is held to: what the API server would accept.

use regex::Regex;
use serde_json::{Map, Value};

/// `CORSOrigin`.
const CORS_ORIGIN: &str = r"(^\*$)|(^(http(s)?):\/\/(((\*\.)?([a-zA-Z0-9\-]+\.)*[a-zA-Z0-9-]+|\*)(:([0-9]{1,5}))?)$)";
/// `HeaderName` (`HTTPHeaderName`), `maxLength: 256`.
const HEADER_NAME: &str = r"^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$";
/// `HTTPPathMatch` for `Exact` and `PathPrefix`.
const PATH: &str = r"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$";
/// `Namespace`, `maxLength: 63`.
const NAMESPACE: &str = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
/// Kubernetes object names (RFC 1123 subdomains), `maxLength: 253`.
const OBJECT_NAME: &str = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
/// `HTTPMethodWithWildcard`.
const METHODS: [&str; 10] = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "*"];
/// `HTTPRouteFilter.type` in the Standard channel.
const FILTER_TYPES: [&str; 7] = [
    "RequestHeaderModifier",
    "ResponseHeaderModifier",
    "RequestMirror",
    "RequestRedirect",
    "URLRewrite",
    "ExtensionRef",
    "CORS",
];

/// Every YAML document of `output`, as JSON values.
pub fn documents(output: &str) -> Vec<Value> {
    let docs = yaml_rust2::YamlLoader::load_from_str(output).expect("the output is YAML");
    docs.iter().map(json).collect()
}

/// The HTTPRoutes in `output`, each checked against the schema; panics naming every violation.
pub fn routes(output: &str) -> Vec<Value> {
    let routes = documents(output);
    for route in &routes {
        let violations = violations(route);
        assert!(
            violations.is_empty(),
            "{} breaks the HTTPRoute schema:\n{}",
            route["metadata"]["name"],
            violations.join("\n")
        );
    }
    routes
}

fn json(yaml: &yaml_rust2::Yaml) -> Value {
    use yaml_rust2::Yaml;
    match yaml {
        Yaml::String(s) => Value::from(s.as_str()),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::Boolean(b) => Value::from(*b),
        Yaml::Array(items) => Value::Array(items.iter().map(json).collect()),
        Yaml::Hash(map) => Value::Object(
            map.iter().map(|(k, v)| (k.as_str().expect("string keys").to_string(), json(v))).collect::<Map<_, _>>(),
        ),
        Yaml::Null => Value::Null,
        other => panic!("unexpected YAML value {other:?}"),
    }
}

struct Check(Vec<String>);

impl Check {
    fn fail(&mut self, at: &str, why: impl std::fmt::Display) {
        self.0.push(format!("{at}: {why}"));
    }

    /// An object with only the `allowed` fields and every `required` one.
    fn object<'v>(
        &mut self,
        at: &str,
        value: &'v Value,
        allowed: &[&str],
        required: &[&str],
    ) -> &'v Map<String, Value> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        let Some(map) = value.as_object() else {
            self.fail(at, "not an object");
            return EMPTY.get_or_init(Map::new);
        };
        for key in map.keys().filter(|k| !allowed.contains(&k.as_str())) {
            self.fail(at, format!("unknown field `{key}`"));
        }
        for key in required.iter().filter(|k| !map.contains_key(**k)) {
            self.fail(at, format!("`{key}` is required"));
        }
        map
    }

    fn array<'v>(&mut self, at: &str, value: &'v Value, min: usize, max: usize) -> &'v [Value] {
        let items = value.as_array().map_or(&[][..], Vec::as_slice);
        if !value.is_array() || items.len() < min || items.len() > max {
            self.fail(at, format!("must be a list of {min} to {max} items"));
        }
        items
    }

    /// A `listType: set` of strings, each `1..=max_len` long and matching `pattern`.
    fn set(&mut self, at: &str, value: &Value, max_items: usize, max_len: usize, pattern: &Regex) -> Vec<String> {
        let items: Vec<String> =
            self.array(at, value, 0, max_items).iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect();
        for (i, item) in items.iter().enumerate() {
            if item.is_empty() || item.len() > max_len || !pattern.is_match(item) {
                self.fail(at, format!("`{item}` does not match {pattern} (length 1 to {max_len})"));
            }
            if items[..i].contains(item) {
                self.fail(at, format!("`{item}` twice in a set"));
            }
        }
        items
    }

    fn name(&mut self, at: &str, value: &Value, pattern: &str, max: usize) {
        let s = value.as_str().unwrap_or_default();
        if s.is_empty() || s.len() > max || !Regex::new(pattern).unwrap().is_match(s) {
            self.fail(at, format!("`{s}` does not match {pattern} (length 1 to {max})"));
        }
    }
}

/// What the API server would refuse in one HTTPRoute.
pub fn violations(route: &Value) -> Vec<String> {
    let mut c = Check(Vec::new());
    c.object("route", route, &["apiVersion", "kind", "metadata", "spec"], &["apiVersion", "kind", "spec"]);
    if route["apiVersion"] != "gateway.networking.k8s.io/v1" || route["kind"] != "HTTPRoute" {
        c.fail("route", "not a gateway.networking.k8s.io/v1 HTTPRoute");
    }
    c.object("metadata", &route["metadata"], &["name", "namespace"], &["name"]);
    c.name("metadata.name", &route["metadata"]["name"], OBJECT_NAME, 253);
    if let Some(namespace) = route["metadata"].get("namespace") {
        c.name("metadata.namespace", namespace, NAMESPACE, 63);
    }
    let spec = &route["spec"];
    c.object("spec", spec, &["parentRefs", "hostnames", "rules"], &[]);
    for parent in c.array("spec.parentRefs", &spec["parentRefs"], 1, 32) {
        c.object("parentRefs[]", parent, &["group", "kind", "namespace", "name", "sectionName", "port"], &["name"]);
        c.name("parentRefs[].name", &parent["name"], ".", 253);
        if let Some(namespace) = parent.get("namespace") {
            c.name("parentRefs[].namespace", namespace, NAMESPACE, 63);
        }
    }
    let rules = c.array("spec.rules", &spec["rules"], 1, 16);
    let matches: usize = rules.iter().map(|r| r["matches"].as_array().map_or(0, Vec::len)).sum();
    if matches > 128 {
        c.fail("spec.rules", "the total number of matches across all rules in a route must be less than 128");
    }
    for rule in rules {
        c.object("rules[]", rule, &["name", "matches", "filters", "backendRefs", "timeouts"], &[]);
        for m in c.array("rules[].matches", &rule["matches"], 0, 64) {
            path_match(&mut c, m);
        }
        if let Some(filters) = rule.get("filters") {
            let filters = c.array("rules[].filters", filters, 0, 16);
            for filter in filters {
                self::filter(&mut c, filter);
            }
            for kind in ["CORS", "ResponseHeaderModifier"] {
                if filters.iter().filter(|f| f["type"] == kind).count() > 1 {
                    c.fail("rules[].filters", format!("{kind} filter cannot be repeated"));
                }
            }
        }
        for backend in c.array("rules[].backendRefs", &rule["backendRefs"], 0, 16) {
            c.object("backendRefs[]", backend, &["group", "kind", "name", "namespace", "port", "weight"], &["name"]);
            c.name("backendRefs[].name", &backend["name"], ".", 253);
            if !backend["port"].as_i64().is_some_and(|p| (1..=65535).contains(&p)) {
                c.fail("backendRefs[]", "Must have port for Service reference (1 to 65535)");
            }
        }
    }
    c.0
}

fn path_match(c: &mut Check, m: &Value) {
    c.object("matches[]", m, &["path", "headers", "queryParams", "method"], &[]);
    let path = &m["path"];
    c.object("matches[].path", path, &["type", "value"], &[]);
    let kind = path["type"].as_str().unwrap_or("PathPrefix");
    let value = path["value"].as_str().unwrap_or("/");
    if value.len() > 1024 {
        c.fail("path.value", "longer than 1024");
    }
    match kind {
        "Exact" | "PathPrefix" => {
            let bad = ["//", "/./", "/../", "%2f", "%2F", "#"].into_iter().find(|s| value.contains(s));
            if !value.starts_with('/') || bad.is_some() || value.ends_with("/..") || value.ends_with("/.") {
                c.fail("path", format!("`{value}` is not a valid {kind} path"));
            }
            if !Regex::new(PATH).unwrap().is_match(value) {
                c.fail("path", format!("`{value}` must only contain valid characters (matching {PATH})"));
            }
        }
        // The dialect is the implementation's; RE2 (Envoy's) is what Rust's regex reads.
        "RegularExpression" => {
            if let Err(e) = Regex::new(value) {
                c.fail("path", format!("`{value}` is not an RE2 regex: {e}"));
            }
        }
        other => c.fail("path.type", format!("`{other}` is not Exact, PathPrefix or RegularExpression")),
    }
}

fn filter(c: &mut Check, filter: &Value) {
    let kind = filter["type"].as_str().unwrap_or_default();
    if !FILTER_TYPES.contains(&kind) {
        c.fail("filters[].type", format!("`{kind}` is not a Standard filter type"));
    }
    let field = match kind {
        "CORS" => "cors",
        "ResponseHeaderModifier" => "responseHeaderModifier",
        _ => "",
    };
    c.object("filters[]", filter, &["type", field], &["type", field]);
    let header = Regex::new(HEADER_NAME).unwrap();
    if kind == "ResponseHeaderModifier" {
        let modifier = &filter["responseHeaderModifier"];
        c.object("responseHeaderModifier", modifier, &["set", "add", "remove"], &[]);
        c.set("responseHeaderModifier.remove", &modifier["remove"], 16, 256, &header);
    }
    if kind != "CORS" {
        return;
    }
    let cors = &filter["cors"];
    let fields = ["allowOrigins", "allowCredentials", "allowMethods", "allowHeaders", "exposeHeaders", "maxAge"];
    c.object("cors", cors, &fields, &[]);
    let star_alone = |c: &mut Check, at: &str, items: &[String]| {
        if items.iter().any(|i| i == "*") && items.len() > 1 {
            c.fail(at, format!("{at} cannot contain '*' alongside other entries"));
        }
    };
    let none = Value::Array(Vec::new());
    let origins =
        c.set("allowOrigins", cors.get("allowOrigins").unwrap_or(&none), 64, 253, &Regex::new(CORS_ORIGIN).unwrap());
    star_alone(c, "allowOrigins", &origins);
    let methods: Vec<String> = c
        .array("allowMethods", cors.get("allowMethods").unwrap_or(&none), 0, 9)
        .iter()
        .map(|m| m.as_str().unwrap_or_default().to_string())
        .collect();
    for (i, method) in methods.iter().enumerate() {
        if !METHODS.contains(&method.as_str()) || methods[..i].contains(method) {
            c.fail("allowMethods", format!("`{method}` is not one of {METHODS:?}, or is there twice"));
        }
    }
    star_alone(c, "allowMethods", &methods);
    let headers = c.set("allowHeaders", cors.get("allowHeaders").unwrap_or(&none), 64, 256, &header);
    star_alone(c, "allowHeaders", &headers);
    c.set("exposeHeaders", cors.get("exposeHeaders").unwrap_or(&none), 64, 256, &header);
    if cors.get("allowCredentials").is_some_and(|v| !v.is_boolean()) {
        c.fail("allowCredentials", "not a boolean");
    }
    if cors.get("maxAge").is_some_and(|v| !v.as_i64().is_some_and(|a| (1..=i64::from(i32::MAX)).contains(&a))) {
        c.fail("maxAge", "must be an int32 of at least 1");
    }
}
