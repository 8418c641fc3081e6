//! Where a deployment differs from its table, route by route: what the table says and what the
//! server did. The browser model decides what is blocked; the single-URL doctor's checks name
//! why; this file adds what only the table knows (a route that should exist, a foreign origin
//! that should be refused, the declared `max_age`, what a public route promises).

use http::header::{ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE, ORIGIN};
use http::StatusCode;

use super::plan::RoutePlan;
use super::run::Checked;
use crate::doctor::cookie::cookies_not_sent_back;
use crate::doctor::exchange::{header_text, Exchange};
use crate::doctor::exposed::unreadable_exposed;
use crate::doctor::findings::{blocking_cause, duplicated, missing_vary, wildcard_lists, wildcard_with_credentials};
use crate::doctor::kinds::{finding, Finding, Kind};
use crate::doctor::probes::{Attempt, Verdict};
use crate::export::table::Route;

/// One difference between a route's table and its deployment.
#[derive(Debug, Clone)]
pub struct Drift {
    pub kind: Kind,
    /// What the table says.
    pub table: String,
    /// What the server did.
    pub server: String,
}

/// A route's differences (each kind once, the reason for a block first), and whether a browser
/// is blocked on it.
pub fn conclude(checked: &Checked) -> (Vec<Drift>, bool) {
    let plan = &checked.plan;
    let credentials = plan.call.credentials;
    let mut found: Vec<Finding> = Vec::new();
    let mut blocked = false;
    let mut add = |f: Finding| {
        if !found.iter().any(|seen| seen.kind == f.kind) {
            found.push(f);
        }
    };
    if let Err(why) = &plan.allowed {
        add(finding(Kind::OriginUnknown, format!("not checked from an allowed origin: {why}")));
    }
    if let Some(page) = &checked.page {
        match &page.verdict {
            Verdict::NoAnswer(error) => {
                blocked = true;
                add(finding(Kind::NoAnswer, error.clone()));
            }
            Verdict::Blocked(why) => {
                blocked = true;
                add(missing(page).unwrap_or_else(|| blocking_cause(page, &why.reason, credentials)));
            }
            Verdict::Redirected { status, location } => add(finding(
                Kind::Redirect,
                format!("the answer is a {status} redirect to `{location}`; the browser checks CORS again there"),
            )),
            Verdict::Readable { .. } => readable_but_missing(page, &plan.route).into_iter().for_each(&mut add),
            Verdict::PreflightPassed => {}
        }
        for exchange in page.exchanges() {
            duplicated(exchange).into_iter().chain(wildcard_with_credentials(exchange)).for_each(&mut add);
        }
        // Every answer of a private route says it varies by origin (DESIGN §4).
        if !plan.route.public {
            page.actual.as_ref().and_then(missing_vary).into_iter().for_each(&mut add);
        }
        if let Some(preflight) = page.preflight.as_ref().filter(|_| !blocked) {
            max_age_differs(preflight, plan.route.max_age).into_iter().for_each(&mut add);
            if credentials {
                wildcard_lists(preflight).into_iter().for_each(&mut add);
            }
        }
        unreadable_exposed(page, credentials, &plan.call.expose).into_iter().for_each(&mut add);
        cookies_not_sent_back(page, &plan.call).into_iter().for_each(&mut add);
        for exchange in page.exchanges() {
            credentials_added(exchange, &plan.route)
                .into_iter()
                .chain(echoed(exchange, &plan.route))
                .for_each(&mut add);
        }
    }
    let foreign = &checked.foreign;
    for exchange in foreign.exchanges() {
        credentials_added(exchange, &plan.route).into_iter().chain(echoed(exchange, &plan.route)).for_each(&mut add);
    }
    strict_not_enforced(foreign, &plan.route).into_iter().for_each(&mut add);
    for exchange in foreign.exchanges() {
        duplicated(exchange).into_iter().for_each(&mut add);
    }
    let page_blocked = blocked;
    match &foreign.verdict {
        // Any website may read a public route (said once: a page call already blocked says why).
        Verdict::Blocked(why) if plan.route.public && !page_blocked => {
            blocked = true;
            let cause = blocking_cause(foreign, &why.reason, credentials);
            add(finding(cause.kind, format!("from {}, {}", foreign.origin, cause.seen)));
        }
        _ if !plan.route.public && foreign.trusted() => add(finding(
            Kind::ForeignOriginAllowed,
            format!("a page on {} was let in{}", foreign.origin, allow_origin_said(foreign)),
        )),
        _ => {}
    }
    let drifts = found.into_iter().map(|f| Drift { table: table_says(f.kind, plan), kind: f.kind, server: f.seen });
    (drifts.collect(), blocked)
}

/// A route nothing serves: `404` to the preflight, or `404`/`405` to the request, without CORS
/// headers (a handler's own `404` for a missing record carries the route's CORS headers).
fn missing(page: &Attempt) -> Option<Finding> {
    let exchange = page.actual.as_ref().or(page.preflight.as_ref())?;
    let missing_status = exchange.status == StatusCode::NOT_FOUND
        || exchange.method != "OPTIONS" && exchange.status == StatusCode::METHOD_NOT_ALLOWED;
    (missing_status && !exchange.response_headers.contains_key(ACCESS_CONTROL_ALLOW_ORIGIN)).then(|| {
        finding(
            Kind::RouteMissing,
            format!(
                "`{} {}` got {} without CORS headers: nothing serves the route",
                exchange.method,
                exchange.target,
                crate::doctor::report::status_line(exchange.status)
            ),
        )
    })
}

/// A route whose request got `405`, or `404` at a path without captures, with CORS headers: a
/// CORS layer around the whole router decorates its "no such route" too (tower-http's does), so
/// the page reads it, but nothing serves the route. A `404` at `/orders/1` may be the handler's
/// (no order 1), and a policy layer's table rows (`fallback` at `/` and `/{*path}`) stand for
/// every path, where a `404` is the upstream's own answer.
fn readable_but_missing(page: &Attempt, route: &Route) -> Option<Finding> {
    let actual = page.actual.as_ref()?;
    let layer_row = route.handler == "fallback" && ["/", "/{*path}"].contains(&route.path.as_str());
    let no_such_path = actual.status == StatusCode::NOT_FOUND && !route.path.contains('{') && !layer_row;
    (no_such_path || actual.status == StatusCode::METHOD_NOT_ALLOWED).then(|| {
        finding(
            Kind::RouteMissing,
            format!(
                "`{} {}` got {} (with CORS headers, so the page reads it): nothing serves the route",
                actual.method,
                actual.target,
                crate::doctor::report::status_line(actual.status)
            ),
        )
    })
}

/// A route without credentials whose answer says `Access-Control-Allow-Credentials`: a hop in
/// front added it.
fn credentials_added(exchange: &Exchange, route: &Route) -> Option<Finding> {
    let said = header_text(&exchange.response_headers, &ACCESS_CONTROL_ALLOW_CREDENTIALS);
    (!route.credentials && !said.is_empty()).then(|| {
        finding(
            Kind::CredentialsAdded,
            format!(
                "the answer to `{} {}` says `Access-Control-Allow-Credentials: {said}`",
                exchange.method, exchange.target
            ),
        )
    })
}

/// A public route whose answer names the request's origin instead of `*`.
fn echoed(exchange: &Exchange, route: &Route) -> Option<Finding> {
    let said = header_text(&exchange.response_headers, &ACCESS_CONTROL_ALLOW_ORIGIN);
    let origin = exchange.request_headers.get(ORIGIN).and_then(|v| v.to_str().ok());
    (route.public && !said.is_empty() && origin == Some(said.as_str())).then(|| {
        finding(
            Kind::PublicOriginEchoed,
            format!(
                "the answer to `{} {}` echoes the origin (`Access-Control-Allow-Origin: {said}`)",
                exchange.method, exchange.target
            ),
        )
    })
}

/// A `strict` route's request from the foreign origin that was not refused `403`: the handler ran.
fn strict_not_enforced(foreign: &Attempt, route: &Route) -> Option<Finding> {
    let actual = foreign.actual.as_ref().filter(|_| route.strict && !route.public)?;
    (actual.status != StatusCode::FORBIDDEN).then(|| {
        finding(
            Kind::StrictNotEnforced,
            format!(
                "`{} {}` from {} got {}: the handler ran",
                actual.method,
                actual.target,
                foreign.origin,
                crate::doctor::report::status_line(actual.status)
            ),
        )
    })
}

fn allow_origin_said(attempt: &Attempt) -> String {
    let said = attempt.exchanges().last().map(|e| header_text(&e.response_headers, &ACCESS_CONTROL_ALLOW_ORIGIN));
    match said.filter(|value| !value.is_empty()) {
        Some(value) => format!(" (`Access-Control-Allow-Origin: {value}`)"),
        None => String::new(),
    }
}

fn max_age_differs(preflight: &Exchange, declared: u32) -> Option<Finding> {
    let said = header_text(&preflight.response_headers, &ACCESS_CONTROL_MAX_AGE);
    (said.trim() != declared.to_string()).then(|| {
        let said = if said.is_empty() { "no Access-Control-Max-Age".to_string() } else { format!("`{said}`") };
        finding(Kind::MaxAgeDiffers, format!("the preflight's answer says {said}"))
    })
}

/// Which origins the route allows, as the table says it.
fn origins(route: &Route) -> String {
    let list = if route.origins.is_empty() { "none".to_string() } else { route.origins.join(", ") };
    match (&route.origins_env, route.origins_dynamic) {
        (Some(var), _) => format!("origins from {var} ({list} when printed)"),
        (None, true) => format!("origins = dynamic ({list} when printed)"),
        (None, false) => format!("origins {list}"),
    }
}

fn source(plan: &RoutePlan) -> &'static str {
    plan.allowed.as_ref().map_or("nowhere", |from| from)
}

/// What the table says that the server did not do, in the table's terms.
fn table_says(kind: Kind, plan: &RoutePlan) -> String {
    let route = &plan.route;
    let list = |items: &[String]| if items.is_empty() { "none".to_string() } else { items.join(", ") };
    match kind {
        Kind::OriginUnknown => origins(route),
        Kind::ForeignOriginAllowed => format!("{}, not {}", origins(route), plan.foreign),
        Kind::NoAnswer | Kind::RouteMissing | Kind::Redirect => format!("{} {} is served", route.method, route.path),
        Kind::OriginNotAllowed | Kind::AllowOriginMismatch if route.public => {
            "public: any website reads it (`Access-Control-Allow-Origin: *`)".into()
        }
        Kind::OriginNotAllowed | Kind::AllowOriginMismatch => match (&route.origins_env, route.origins_dynamic) {
            (Some(var), _) => format!("allows {} (from {}; {var} decides)", plan.call.origin, source(plan)),
            (None, true) => {
                format!("allows {} (from {}; the service's dynamic list decides)", plan.call.origin, source(plan))
            }
            (None, false) => format!("allows {}", plan.call.origin),
        },
        Kind::CredentialsNotAllowed | Kind::WildcardWithCredentials => {
            format!("credentials: `Access-Control-Allow-Credentials: true` for {}", plan.call.origin)
        }
        Kind::MethodNotAllowed => format!("{} from {}", route.method, plan.call.origin),
        Kind::HeaderNotAllowed => format!("headers {}", list(&route.headers)),
        Kind::WildcardListWithCredentials => {
            format!("credentials, {} with headers {}", route.method, list(&route.headers))
        }
        Kind::PreflightNotOk | Kind::PreflightRejectedByAuth | Kind::RedirectedPreflight | Kind::PreflightAltered => {
            format!("the preflight from {} is answered 204", plan.call.origin)
        }
        Kind::DuplicateCorsHeaders => "one owner: each Access-Control-* header once".into(),
        Kind::MissingVaryOrigin => "private: `Vary: Origin` on every answer".into(),
        Kind::ExposedHeaderUnreadable => {
            let asked: Vec<String> = plan.call.expose.iter().filter(|n| !route.expose.contains(n)).cloned().collect();
            match asked.is_empty() {
                true => format!("exposes {}", list(&route.expose)),
                false => format!("exposes {} (and --expose {})", list(&route.expose), asked.join(", ")),
            }
        }
        Kind::CookieNotSentBack => "credentials: the session cookie comes back".into(),
        Kind::MaxAgeDiffers => format!("max_age {}", route.max_age),
        Kind::StrictNotEnforced => format!("strict: a request from {} is refused 403 before the handler", plan.foreign),
        Kind::CredentialsAdded => "no credentials: no Access-Control-Allow-Credentials".into(),
        Kind::PublicOriginEchoed => "public: `Access-Control-Allow-Origin: *`".into(),
        Kind::ReflectedOrigin
        | Kind::NullOriginAllowed
        | Kind::LookalikeOriginAllowed
        | Kind::HttpOriginWithCredentials
        | Kind::MaxAgeTooLong => "-".into(),
    }
}
