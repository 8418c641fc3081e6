//! Checking: every rule of DESIGN §3 that one attribute can see, reported to the `Ctxt` at the
//! offending token. The result is a checked policy that expansion can emit without re-checking.

use cors_rules::{OriginEntry, ROUTE_METHODS};
use syn::{Ident, LitStr, Path};

use crate::ast::{OriginsValue, PolicyArgs, RouteAttr};
use crate::ctxt::Ctxt;

/// A policy whose every value passed the rules.
pub struct CheckedPolicy {
    pub public: bool,
    /// Exact origins, sorted by bytes for the runtime's binary search.
    pub exact: Vec<String>,
    /// Subdomain patterns as (text before `*`, text after `*`), sorted for the runtime's lookup.
    pub patterns: Vec<(String, String)>,
    pub as_written: Vec<String>,
    /// `origins = env("VAR", default = "...")`: the variable and its default.
    pub env: Option<(String, Option<String>)>,
    /// `origins = dynamic`: the list is set while the service runs.
    pub dynamic: bool,
    pub credentials: bool,
    pub methods: u8,
    pub headers: Vec<String>,
    pub any_header: bool,
    pub expose: Vec<String>,
    pub max_age: u32,
    pub private_network: bool,
    pub strict: bool,
}

const DEFAULT_MAX_AGE: u32 = 600;
/// No browser honours a longer preflight cache (Firefox caps at 86400, Chromium at 7200).
const MAX_MAX_AGE: u32 = 86_400;

/// Where a policy's arguments are written; the rules differ slightly.
#[derive(Clone, Copy)]
pub enum Site<'a> {
    /// `#[cors_policy]` on the struct with this name.
    NamedPolicy(&'a Ident),
    /// A route's inline arguments; `public` is the route's `public` flag.
    Route { public: bool },
}

/// Checks in the order the grammar lists the keys, which is how policies are usually written,
/// so errors read top to bottom.
pub fn check_policy(cx: &Ctxt, args: &PolicyArgs, site: Site) -> CheckedPolicy {
    let credentials = args.credentials.is_some();
    let mut policy = CheckedPolicy {
        public: matches!(site, Site::Route { public: true }),
        exact: Vec::new(),
        patterns: Vec::new(),
        as_written: Vec::new(),
        env: None,
        dynamic: false,
        credentials,
        methods: 0,
        headers: Vec::new(),
        any_header: false,
        expose: Vec::new(),
        max_age: DEFAULT_MAX_AGE,
        private_network: args.private_network.is_some(),
        strict: args.strict.is_some(),
    };
    if let Some(origins) = &args.origins {
        check_origins(cx, &origins.value, credentials, site, &mut policy);
    } else if let (Site::NamedPolicy(name), true) = (site, args.complete) {
        cx.error(
            name.span(),
            format!("policy `{name}` needs `origins`: `origins = [\"https://app.example.com\"]`, or `origins = \"*\"` for a public policy"),
        );
    }
    if policy.public {
        // With `origins = "*"` written out, the error is already at the `*`.
        if let (Some(key), None) = (&args.credentials, &args.origins) {
            cx.error(key.span(), "`credentials` cannot be used on a public policy: browsers reject `Access-Control-Allow-Origin: *` together with credentials; list the exact origins instead");
        }
        if let Some(key) = &args.strict {
            cx.error(key.span(), "`strict` has no effect on a public policy: every origin is allowed; remove it");
        }
    }
    policy.methods = method_bits(cx, args);
    if let Some(headers) = &args.headers {
        policy.headers = check_header_names(cx, &headers.value, credentials, HeaderList::Request);
        policy.any_header = policy.headers.iter().any(|h| h == "*");
        policy.headers.retain(|h| h != "*");
    }
    if let Some(expose) = &args.expose {
        policy.expose = check_header_names(cx, &expose.value, credentials, HeaderList::Expose);
    }
    policy.max_age = max_age(cx, args);
    policy
}

fn check_origins(cx: &Ctxt, value: &OriginsValue, credentials: bool, site: Site, policy: &mut CheckedPolicy) {
    match value {
        OriginsValue::Env { var, default } => {
            policy.env = Some(check_env(cx, var, default.as_ref(), credentials));
            return;
        }
        OriginsValue::Dynamic(word) => {
            if let Site::Route { .. } = site {
                cx.error(word.span(), "`origins = dynamic` needs a named policy, so the service can reach its list: write `#[cors_policy(origins = dynamic, ...)] pub struct TenantApps;`, use `policy = TenantApps` here, and fill it with `TenantApps::origins().replace([...])`");
            }
            policy.dynamic = true;
            return;
        }
        OriginsValue::One(_) | OriginsValue::List(_) => {}
    }
    let literals = value.literals();
    let texts: Vec<String> = literals.iter().map(LitStr::value).collect();
    let entries: Vec<&str> = texts.iter().map(String::as_str).collect();
    let checked = cors_rules::check_origin_list(&entries, credentials);
    for ((lit, text), entry) in literals.iter().zip(&texts).zip(checked) {
        if text == "dynamic" {
            cx.error(lit.span(), "`\"dynamic\"` is a string, not an origin: write `origins = dynamic`, without quotes, for origins the service sets while it runs");
            continue;
        }
        match entry {
            Err(errors) => errors.into_iter().for_each(|e| cx.error(lit.span(), e)),
            Ok(OriginEntry::Any) => {}
            Ok(OriginEntry::Exact(origin)) => policy.exact.push(origin.to_owned()),
            Ok(OriginEntry::Pattern(pattern)) => {
                policy.patterns.push((pattern.prefix.to_owned(), pattern.suffix.to_owned()))
            }
        }
        // Public even when `*` broke a rule, so the route-level checks judge it as written.
        policy.public |= text == "*";
        policy.as_written.push(text.clone());
    }
    policy.exact.sort();
    policy.patterns.sort_by(|(a_prefix, a_suffix), (b_prefix, b_suffix)| {
        let pattern = |prefix, suffix| cors_rules::Pattern { prefix, suffix };
        cors_rules::pattern_order(&pattern(a_prefix, a_suffix), &pattern(b_prefix, b_suffix))
    });
}

/// `env("VAR", default = "...")`: the name, and the default checked like a literal list (the
/// value itself is checked by the same rules at start-up).
fn check_env(cx: &Ctxt, var: &LitStr, default: Option<&LitStr>, credentials: bool) -> (String, Option<String>) {
    let name = var.value();
    if !cors_rules::is_env_var_name(&name) {
        cx.error(
            var.span(),
            format!("`{name}` is not an environment variable name `env(...)` accepts: use upper-case letters, digits and `_`, e.g. `APP_ORIGINS`"),
        );
    }
    let Some(default) = default else {
        return (name, None);
    };
    let text = default.value();
    let entries = cors_rules::split_origin_list(&text);
    if entries.is_empty() {
        cx.error(default.span(), format!("the default of `{name}` lists no origin: write one or more, e.g. `default = \"http://localhost:5173\"`, or leave the default out to require `{name}`"));
    }
    for (entry, checked) in entries.iter().zip(cors_rules::check_origin_list(&entries, credentials)) {
        if *entry == "*" {
            cx.error(default.span(), format!("`*` in the default of `{name}`: a policy whose origins come from the environment is private; list origins, or make the route `public` for any origin"));
        } else if let Err(errors) = checked {
            errors.into_iter().for_each(|e| cx.error(default.span(), format!("the default of `{name}`: {e}")));
        }
    }
    (name, Some(text))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum HeaderList {
    Request,
    Expose,
}

/// Checks `headers` or `expose` names; returns them lowercased.
fn check_header_names(cx: &Ctxt, names: &[LitStr], credentials: bool, list: HeaderList) -> Vec<String> {
    let key = if list == HeaderList::Request { "headers" } else { "expose" };
    let mut out: Vec<String> = Vec::new();
    for lit in names {
        let name = lit.value();
        let lower = name.to_ascii_lowercase();
        if out.contains(&lower) {
            cx.error(lit.span(), format!("header `{name}` is listed twice in `{key}` (names are case-insensitive)"));
            continue;
        }
        if name == "*" {
            if credentials {
                cx.error(lit.span(), format!("`*` in `{key}` with `credentials` is read literally by browsers, as a header named `*`: list the header names instead"));
            }
        } else if !cors_rules::is_token(name.as_bytes()) {
            cx.error(lit.span(), invalid_header_name(&name));
        } else if list == HeaderList::Request && cors_rules::is_forbidden_request_header(&name) {
            // Cookies are what people mean by listing `cookie`; say how to get them.
            let instead =
                if lower == "cookie" { " (browsers send cookies when the policy has `credentials`)" } else { "" };
            cx.error(lit.span(), format!("`{name}` is a forbidden request header: browsers never let script set it, so allowing it has no effect; remove it{instead}"));
        } else if list == HeaderList::Expose && (lower == "set-cookie" || lower == "set-cookie2") {
            cx.error(
                lit.span(),
                format!(
                    "`{name}` can never be exposed: browsers hide it from script whatever the server says; remove it"
                ),
            );
        }
        out.push(lower);
    }
    out
}

/// Why `name` is no header name, and what to write instead when it follows from the name.
fn invalid_header_name(name: &str) -> String {
    let fixes = cors_rules::header_name_fixes(name);
    let quoted: Vec<String> = fixes.iter().map(|fix| format!("`{fix}`")).collect();
    let rule = "browsers send names that are tokens (letters, digits and !#$%&'*+-.^_`|~, no spaces or `:`)";
    match quoted.as_slice() {
        [] => format!("`{name}` is not a valid header name: {rule}"),
        [fix] => format!("`{name}` is not a valid header name: {rule}; write {fix}"),
        _ => format!(
            "`{name}` is several header names in one string: write each as its own entry, {}",
            quoted.join(", ")
        ),
    }
}

fn method_bits(cx: &Ctxt, args: &PolicyArgs) -> u8 {
    let Some(methods) = &args.methods else {
        return 0b11_1111;
    };
    let mut bits = 0u8;
    for (i, method) in methods.value.iter().enumerate() {
        if methods.value[..i].contains(method) {
            cx.error(method.span(), format!("method `{method}` is listed twice"));
        } else if let Some(bit) = method_bit(cx, method) {
            bits |= bit;
        }
    }
    if methods.value.is_empty() {
        cx.error(
            methods.key.span(),
            "`methods = []` allows no method: list at least one, or remove `methods` to allow any",
        );
    }
    bits
}

/// The bit of a route method (`GET` is bit 0), or an error at the method's token.
pub fn method_bit(cx: &Ctxt, method: &Ident) -> Option<u8> {
    let name = method.to_string();
    match cors_rules::check_method(&name) {
        Ok(()) => ROUTE_METHODS.iter().position(|m| *m == name).map(|i| 1 << i),
        Err(e) => {
            cx.error(method.span(), e);
            None
        }
    }
}

fn max_age(cx: &Ctxt, args: &PolicyArgs) -> u32 {
    let Some(max_age) = &args.max_age else {
        return DEFAULT_MAX_AGE;
    };
    match max_age.value.base10_parse::<u32>() {
        Ok(seconds) if seconds <= MAX_MAX_AGE => seconds,
        _ => {
            cx.error(
                max_age.value.span(),
                format!("`max_age = {}` is more than {MAX_MAX_AGE} seconds (one day): browsers cap the preflight cache (Firefox at 86400, Chromium at 7200), so a longer value only misleads; write at most `max_age = {MAX_MAX_AGE}`", max_age.value),
            );
            DEFAULT_MAX_AGE
        }
    }
}

/// The route-level rules: method, path, and how `public`, `policy` and inline arguments combine.
/// Where a valid route's policy comes from.
pub enum RoutePolicy<'a> {
    /// `policy = Name`: checked against the route by the expansion's cross-item checks.
    Named(&'a Path),
    /// The route's own arguments (`public` alone is an inline public policy).
    Inline(CheckedPolicy),
}

pub fn check_route<'a>(cx: &Ctxt, route: &'a RouteAttr) -> RoutePolicy<'a> {
    method_bit(cx, &route.method);
    if let Err(e) = cors_rules::check_path(&route.path.value()) {
        cx.error(route.path.span(), e);
    }
    let inline_keys = route.args.keys();
    let public = route.public.is_some();
    if let Some(policy) = &route.policy {
        for key in inline_keys {
            cx.error(key.span(), format!("`{key}` cannot be combined with `policy = ...`: put it in the policy, or write the whole policy inline"));
        }
        return RoutePolicy::Named(&policy.value);
    }
    let any_origin = route.args.origins.as_ref().is_some_and(|o| o.value.literals().iter().any(|l| l.value() == "*"));
    match (&route.public, &route.args.origins) {
        // An incomplete parse has reported why already (e.g. a misspelled `policy`).
        (None, None) if route.args.complete => cx.error(
            route.method.span(),
            "this route has no CORS policy: add `policy = Name`, inline `origins = [...]`, or `public` (any website may read it)",
        ),
        (Some(_), Some(origins)) if matches!(origins.value, OriginsValue::Env { .. }) => cx.error(
            origins.key.span(),
            "route is marked `public`, but `origins = env(...)` is private (an allowlist chosen at deployment): remove `public`, or write `public` alone to let every website read the route",
        ),
        (Some(_), Some(origins)) if matches!(origins.value, OriginsValue::Dynamic(_)) => cx.error(
            origins.key.span(),
            "route is marked `public`, but `origins = dynamic` is private (an allowlist set while the service runs): remove `public`, or write `public` alone to let every website read the route",
        ),
        (Some(_), Some(origins)) if !any_origin => cx.error(
            origins.key.span(),
            "a `public` route allows every origin: remove `origins`, or remove `public` to allow only these origins",
        ),
        (None, Some(origins)) if any_origin => cx.error(
            origins.key.span(),
            "`origins = \"*\"` lets every website read this route: say so with `public` (`#[cors(GET \"/path\", public)]`)",
        ),
        _ => {}
    }
    RoutePolicy::Inline(check_policy(cx, &route.args, Site::Route { public }))
}
