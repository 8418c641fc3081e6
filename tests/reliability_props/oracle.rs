//! The oracle: what a correct runtime answers, decided without the runtime's code, from what
//! was declared (the route table, the origins as written).

use super::*;

/// Whether `origin` is one of the allowlist entries as written: byte-equal to an exact entry,
/// or `scheme://` + one or more DNS labels + `.base[:port]` for a `scheme://*.base[:port]` one.
pub(super) fn oracle_allows(as_written: &[String], origin: &[u8]) -> bool {
    as_written.iter().any(|entry| match entry.split_once("://*.") {
        None => entry == "*" || entry.as_bytes() == origin,
        Some((scheme, base)) => {
            let Ok(origin) = std::str::from_utf8(origin) else { return false };
            let Some(rest) = origin.strip_prefix(scheme).and_then(|r| r.strip_prefix("://")) else {
                return false;
            };
            let Some(sub) = rest.strip_suffix(base).and_then(|s| s.strip_suffix('.')) else {
                return false;
            };
            let host_len = rest.len() - base.len() + base.split(':').next().unwrap().len();
            host_len <= 253 && sub.split('.').all(is_dns_label)
        }
    })
}

pub(super) fn is_dns_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_'))
}

/// Whether a policy lists header `name` itself (the macro's `headers` field holds the names
/// written, without `*`).
pub(super) fn oracle_lists_header(policy: &Policy, name: &str) -> bool {
    policy.headers.iter().any(|h| h.eq_ignore_ascii_case(name))
}

/// Whether `headers = ["*"]` covers `name`: browsers never let `*` cover `authorization`.
pub(super) fn oracle_wildcard_covers(policy: &Policy, name: &str) -> bool {
    policy.any_header && !name.eq_ignore_ascii_case("authorization")
}

/// Whether a policy lets a preflight ask for header `name`.
pub(super) fn oracle_allows_header(policy: &Policy, name: &str) -> bool {
    oracle_lists_header(policy, name) || oracle_wildcard_covers(policy, name)
}

/// The elements of `Access-Control-Request-Headers` per Fetch, or `None` when one is not a token.
pub(super) fn oracle_header_list(values: &[Vec<u8>]) -> Option<Vec<String>> {
    const TCHAR: &[u8] = b"!#$%&'*+-.^_`|~";
    let mut names = Vec::new();
    for value in values {
        for element in value.split(|&b| b == b',') {
            let element = element.trim_ascii();
            if element.is_empty() {
                continue;
            }
            if !element.iter().all(|b| b.is_ascii_alphanumeric() || TCHAR.contains(b)) {
                return None;
            }
            names.push(String::from_utf8(element.to_vec()).unwrap());
        }
    }
    Some(names)
}

pub(super) fn route_method(method: &Method) -> Option<RouteMethod> {
    RouteMethod::ALL.into_iter().find(|m| m.as_str() == method.as_str())
}

/// How a target (the router, or a layer) picks the policy for a request.
#[derive(Clone, Copy)]
pub(super) enum Target {
    /// `routes![...]`: the route table, each route's path as requested.
    Router(&'static [(RouteMethod, &'static str, &'static Policy)]),
    /// `NAME::layer()` around a fallback that answers everything with `200`.
    Layer(&'static Policy),
}

pub(super) enum Lookup {
    NoPath,
    NoMethod,
    Policy(&'static Policy),
}

impl Target {
    /// The policy of the route serving `method` at `path` for an actual request.
    pub(super) fn actual(self, method: &Method, path: &str) -> Lookup {
        match self {
            Target::Layer(policy) => Lookup::Policy(policy),
            Target::Router(table) => {
                let at_path: Vec<_> = table.iter().filter(|(_, p, _)| *p == path).collect();
                if at_path.is_empty() {
                    return Lookup::NoPath;
                }
                // axum answers HEAD with the GET route when the path has no HEAD route.
                let find = |m: RouteMethod| at_path.iter().find(|(rm, ..)| *rm == m).map(|(.., p)| *p);
                match route_method(method) {
                    Some(RouteMethod::Head) => find(RouteMethod::Head).or_else(|| find(RouteMethod::Get)),
                    Some(m) => find(m),
                    None => None,
                }
                .map_or(Lookup::NoMethod, Lookup::Policy)
            }
        }
    }

    /// The policy that owns a preflight for `requested` at `path` (`None`: no route for it).
    pub(super) fn preflight(self, requested: RouteMethod, path: &str) -> Option<&'static Policy> {
        match self {
            Target::Layer(policy) => policy.methods().contains(requested).then_some(policy),
            Target::Router(table) => {
                let find = |m: RouteMethod| table.iter().find(|(rm, p, _)| *rm == m && *p == path).map(|(.., p)| *p);
                find(requested).or_else(|| if requested == RouteMethod::Head { find(RouteMethod::Get) } else { None })
            }
        }
    }

    pub(super) fn has_path(self, path: &str) -> bool {
        match self {
            Target::Layer(_) => true,
            Target::Router(table) => table.iter().any(|(_, p, _)| *p == path),
        }
    }
}
