//! What doctor asks of each route: the URL (captures filled in), the call a page makes (the
//! route's method, credentials, and allowed headers with plausible values), the allowed origin
//! it is made from, and a foreign origin the table does not allow.

use cors_rules::OriginEntry;

use crate::doctor::input::{Call, Target};
use crate::doctor::plausible;
use crate::export::table::Route;

/// A foreign origin: the first of these the route's list does not allow.
const FOREIGN: [&str; 3] = ["https://evil.example", "https://foreign.example", "https://elsewhere.invalid"];

/// The page origin of a public route when no `--origin` is given: any website may read it.
pub const ANY_SITE: &str = "https://elsewhere.example";

/// One route's check.
#[derive(Debug, Clone)]
pub struct RoutePlan {
    pub route: Route,
    /// The call of the page on the allowed origin (`call.origin`, the foreign one when none is known).
    pub call: Call,
    /// Where the allowed origin comes from, or why none is known.
    pub allowed: Result<&'static str, String>,
    pub foreign: String,
}

impl RoutePlan {
    pub fn name(&self) -> String {
        format!("{} {}", self.route.method, self.route.path)
    }
}

/// What the command line gives every route.
pub struct Deployment<'a> {
    /// `scheme://host[:port][/prefix]`, without a trailing `/`.
    pub base: &'a str,
    pub target: &'a Target,
    /// `--origin`s, checked.
    pub origins: &'a [String],
    /// `--expose`s, lowercase.
    pub expose: &'a [String],
    /// `--header NAME: VALUE`s (names lowercase): sent instead of the plausible value to every
    /// route that allows the name.
    pub headers: &'a [(String, String)],
}

pub fn plan(route: &Route, deployment: &Deployment) -> RoutePlan {
    let listed: Vec<OriginEntry> =
        route.origins.iter().filter_map(|entry| cors_rules::parse_origin(entry).ok()).collect();
    let allows = |origin: &str| {
        listed.iter().any(|entry| match entry {
            OriginEntry::Any => true,
            OriginEntry::Exact(exact) => *exact == origin,
            OriginEntry::Pattern(pattern) => pattern.matches(origin.as_bytes()),
        })
    };
    let foreign = FOREIGN.iter().find(|origin| route.public || !allows(origin)).unwrap_or(&FOREIGN[0]).to_string();
    let first_listed = listed.iter().find_map(|entry| match entry {
        OriginEntry::Exact(exact) => Some(exact.to_string()),
        _ => None,
    });
    // A list of patterns only: a host the first pattern covers.
    let first_listed = first_listed.or_else(|| {
        listed.iter().find_map(|entry| match entry {
            OriginEntry::Pattern(pattern) => Some(format!("{}app{}", pattern.prefix, pattern.suffix)),
            _ => None,
        })
    });
    let flag = deployment.origins.iter().find(|origin| allows(origin)).or(deployment.origins.first());
    let deployed = route.origins_env.is_some() || route.origins_dynamic;
    let (origin, allowed) = match (route.public, deployed, flag, first_listed) {
        (true, _, Some(flag), _) => (flag.clone(), Ok("--origin (public: any website)")),
        (true, _, None, _) => (ANY_SITE.to_string(), Ok("any website (public)")),
        (false, true, Some(flag), _) => (flag.clone(), Ok("--origin")),
        (false, true, None, Some(listed)) if route.origins_dynamic => {
            (listed, Ok("the table (dynamic: in force when it was printed)"))
        }
        (false, true, None, Some(listed)) => (listed, Ok("the table (env: in force when it was printed)")),
        (false, false, _, Some(listed)) => (listed, Ok("the table")),
        (false, _, _, None) => {
            let why = if route.origins_dynamic {
                "origins = dynamic, and none were in force when the table was printed; pass --origin"
            } else {
                "the table lists no origin for this route; pass --origin"
            };
            (foreign.clone(), Err(why.to_string()))
        }
    };
    let given = |name: &str| deployment.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let mut headers: Vec<(String, String)> = route
        .listed_headers()
        .iter()
        .map(|name| (name.clone(), given(name).unwrap_or_else(|| plausible::value(name).to_string())))
        .collect();
    if route.any_header() {
        // `headers = ["*"]` allows any name but `authorization`.
        let more = deployment.headers.iter().filter(|(name, _)| name != "authorization");
        headers.extend(more.filter(|(name, _)| !headers.iter().any(|(n, _)| n == name)).cloned().collect::<Vec<_>>());
        if headers.is_empty() {
            headers.push((plausible::ANY_HEADER.to_string(), plausible::value(plausible::ANY_HEADER).to_string()));
        }
    }
    let mut expose = route.expose.clone();
    expose.extend(deployment.expose.iter().filter(|name| !route.expose.contains(name)).cloned());
    let call = Call {
        url: format!("{}{}", deployment.base, fill_captures(&route.path)),
        target: deployment.target.clone(),
        origin,
        method: route.method.clone(),
        headers,
        credentials: route.credentials,
        expose,
    };
    RoutePlan { route: route.clone(), call, allowed, foreign }
}

/// `/orders/{id}/files/{*rest}` as `/orders/1/files/x`.
pub fn fill_captures(path: &str) -> String {
    let mut filled = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |at| open + at);
        filled.push_str(if rest[open..].starts_with("{*") { "x" } else { "1" });
        rest = rest.get(close + 1..).unwrap_or_default();
    }
    filled.push_str(rest);
    filled
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(json: &str) -> Route {
        let base = r#"{"method": "GET", "path": "/orders/{id}", "handler": "show", "policy": "inline",
            "public": false, "origins": ["https://app.example.com"], "origins_env": null, "credentials": true,
            "headers": ["authorization"], "expose": ["etag"], "max_age": 600, "private_network": false,
            "strict": false}"#;
        let mut value: serde_json::Value = serde_json::from_str(base).unwrap();
        for (key, v) in serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(json).unwrap() {
            value[key] = v;
        }
        serde_json::from_value(value).unwrap()
    }

    fn planned(route: &Route, origins: &[&str]) -> RoutePlan {
        let target = Target { https: false, host: "127.0.0.1".into(), port: 3000 };
        let origins: Vec<String> = origins.iter().map(|o| o.to_string()).collect();
        let deployment = Deployment {
            base: "http://127.0.0.1:3000/prefix",
            target: &target,
            origins: &origins,
            expose: &[],
            headers: &[],
        };
        plan(route, &deployment)
    }

    #[test]
    fn captures_are_filled_with_1_and_rest_with_x() {
        assert_eq!(fill_captures("/orders/{id}/lines/{line}"), "/orders/1/lines/1");
        assert_eq!(fill_captures("/files/{*rest}"), "/files/x");
        assert_eq!(fill_captures("/"), "/");
    }

    #[test]
    fn a_literal_route_is_called_from_its_first_exact_origin_with_its_headers() {
        let plan = planned(&route("{}"), &["https://other.example"]);
        assert_eq!(plan.call.url, "http://127.0.0.1:3000/prefix/orders/1");
        assert_eq!((plan.call.origin.as_str(), plan.allowed), ("https://app.example.com", Ok("the table")));
        assert_eq!(plan.call.headers, [("authorization".to_string(), "Bearer cors-doctor".to_string())]);
        assert_eq!(plan.foreign, "https://evil.example");
        let patterns = route(r#"{"origins": ["https://*.example.com", "https://evil.example"]}"#);
        let plan = planned(&patterns, &[]);
        assert_eq!(
            (plan.call.origin.as_str(), plan.foreign.as_str()),
            ("https://evil.example", "https://foreign.example")
        );
        let plan = planned(&route(r#"{"origins": ["https://*.example.com"]}"#), &[]);
        assert_eq!(plan.call.origin, "https://app.example.com");
    }

    #[test]
    fn env_and_dynamic_routes_take_the_flag_that_fits_else_the_table() {
        let env = route(r#"{"origins": ["http://localhost:5173"], "origins_env": "APP_ORIGINS"}"#);
        let plan = planned(&env, &["https://a.example", "http://localhost:5173"]);
        assert_eq!((plan.call.origin.as_str(), plan.allowed), ("http://localhost:5173", Ok("--origin")));
        let plan = planned(&env, &["https://a.example"]);
        assert_eq!((plan.call.origin.as_str(), plan.allowed), ("https://a.example", Ok("--origin")));
        let plan = planned(&env, &[]);
        assert_eq!(plan.allowed, Ok("the table (env: in force when it was printed)"));
        let dynamic = route(r#"{"origins": [], "origins_dynamic": true}"#);
        let plan = planned(&dynamic, &[]);
        assert!(plan.allowed.unwrap_err().starts_with("origins = dynamic, and none were in force"));
        assert_eq!(planned(&dynamic, &["https://shop.example"]).call.origin, "https://shop.example");
    }

    #[test]
    fn a_public_route_is_any_website_and_any_header_sends_one() {
        let public = route(r#"{"public": true, "origins": ["*"], "credentials": false, "headers": ["*"]}"#);
        let plan = planned(&public, &[]);
        assert_eq!((plan.call.origin.as_str(), plan.foreign.as_str()), (ANY_SITE, "https://evil.example"));
        assert_eq!(plan.call.headers, [("x-requested-with".to_string(), "XMLHttpRequest".to_string())]);
    }
}
