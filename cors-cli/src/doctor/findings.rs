//! What a reviewer concludes from the attempts: why the call is blocked, and what is wrong even
//! where it works. Each finding names the field guide's rule in its own words and the fix.

use cors_browser::{header_list_values, CheckFailure, Reason};
use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE, LOCATION, VARY, WWW_AUTHENTICATE,
};
use http::HeaderName;

use super::cookie::cookies_not_sent_back;
use super::exchange::{header_text, Exchange};
use super::exposed::unreadable_exposed;
use super::input::Call;
use super::kinds::{finding, Finding, Kind, CHROMIUM_MAX_AGE};
use super::probes::{Attempt, Sender, Verdict};
use super::refusal;

/// Every finding, without repeats: first why the page's call is blocked, then what the
/// exchanges and probes show. `attempts[0]` is the page's; `narrowed` is the cause of its refused
/// preflight that narrowed preflights found (`refusal::narrow`).
pub fn findings(attempts: &[Attempt], call: &Call, narrowed: Option<Finding>) -> Vec<Finding> {
    let (page, credentials) = (&attempts[0], call.credentials);
    let mut found: Vec<Finding> = Vec::new();
    let mut add = |finding: Finding| {
        if !found.iter().any(|f| f.kind == finding.kind) {
            found.push(finding);
        }
    };
    if let Verdict::Blocked(blocked) = &page.verdict {
        add(narrowed.unwrap_or_else(|| blocking_cause(page, &blocked.reason, credentials)));
    }
    if let Verdict::Redirected { status, location } = &page.verdict {
        add(finding(
            Kind::Redirect,
            format!("the answer is a {status} redirect to `{location}`; doctor does not follow it"),
        ));
    }
    let dynamic_origin = origin_dependent(attempts);
    for attempt in attempts {
        for exchange in attempt.exchanges() {
            if let Some(f) = duplicated(exchange) {
                add(f);
            }
            if let Some(f) = wildcard_with_credentials(exchange) {
                add(f);
            }
        }
        if let Some(f) = attempt.actual.as_ref().filter(|_| dynamic_origin).and_then(missing_vary) {
            add(f);
        }
        if let Some(f) = attempt.preflight.as_ref().and_then(max_age_too_long) {
            add(f);
        }
    }
    if let Some(f) = page.preflight.as_ref().filter(|_| credentials).and_then(wildcard_lists) {
        add(f);
    }
    for f in trusted_probes(attempts, credentials) {
        add(f);
    }
    for f in unreadable_exposed(page, credentials, &call.expose).into_iter().chain(cookies_not_sent_back(page, call)) {
        add(f);
    }
    found
}

/// Why the browser blocked this attempt (with credentials or not), as a finding.
pub fn blocking_cause(page: &Attempt, reason: &Reason, credentials: bool) -> Finding {
    if let Some(told) = refusal::told(page) {
        return told;
    }
    let origin = &page.origin;
    let check = |failure: &CheckFailure, at: &str| match failure {
        CheckFailure::MissingAllowOrigin => {
            finding(Kind::OriginNotAllowed, format!("{at} has no Access-Control-Allow-Origin for {origin}"))
        }
        CheckFailure::WildcardWithCredentials => finding(
            Kind::WildcardWithCredentials,
            format!("{at} says `Access-Control-Allow-Origin: *` to a call with credentials"),
        ),
        CheckFailure::MultipleAllowOrigins(value) => {
            finding(Kind::DuplicateCorsHeaders, format!("{at} carries Access-Control-Allow-Origin `{value}`"))
        }
        CheckFailure::InvalidAllowOrigin(value) | CheckFailure::AllowOriginMismatch(value) => finding(
            Kind::AllowOriginMismatch,
            format!("{at} says `Access-Control-Allow-Origin: {value}`, not {origin}"),
        ),
        CheckFailure::AllowCredentialsNotTrue(value) if value.is_empty() => finding(
            Kind::CredentialsNotAllowed,
            format!("{at} has no Access-Control-Allow-Credentials, and the call has credentials"),
        ),
        CheckFailure::AllowCredentialsNotTrue(value) => finding(
            Kind::CredentialsNotAllowed,
            format!("{at} says `Access-Control-Allow-Credentials: {value}` to a call with credentials"),
        ),
    };
    // With credentials, a `*` in either list is a name, not a wildcard: say so, not "does not list PUT".
    let literal_star = |name: &HeaderName| credentials && page.preflight.as_ref().is_some_and(|p| lists_star(p, name));
    // `405 Method Not Allowed`, as the report names a status.
    let preflight_status = page.preflight.as_ref().map(|p| p.status.to_string()).unwrap_or_default();
    match reason {
        Reason::PreflightRedirect => {
            let location = page.preflight.as_ref().map(|p| header_text(&p.response_headers, &LOCATION));
            finding(
                Kind::RedirectedPreflight,
                format!("the preflight got {} to `{}`", preflight_status, location.unwrap_or_default()),
            )
        }
        Reason::PreflightCheck(_) | Reason::PreflightStatus(_) if rejected_by_auth(page.preflight.as_ref()) => finding(
            Kind::PreflightRejectedByAuth,
            format!("the preflight got {} without CORS headers", preflight_status),
        ),
        Reason::PreflightCheck(CheckFailure::MissingAllowOrigin) if unhandled(page.preflight.as_ref()) => finding(
            Kind::PreflightNotOk,
            format!(
                "the preflight got {} without CORS headers: OPTIONS does not reach the CORS policy",
                preflight_status
            ),
        ),
        Reason::PreflightCheck(failure) => check(failure, "the preflight's answer"),
        Reason::PreflightStatus(status) => finding(
            Kind::PreflightNotOk,
            format!("the preflight got {status}, which passed the CORS check but is not a 2xx status"),
        ),
        Reason::Check(failure) => check(failure, "the answer"),
        Reason::AllowMethodsUnparsable(element) => finding(
            Kind::MethodNotAllowed,
            format!("the preflight's Access-Control-Allow-Methods does not parse (at `{element}`)"),
        ),
        Reason::MethodNotAllowed(method) if literal_star(&ACCESS_CONTROL_ALLOW_METHODS) => finding(
            Kind::WildcardListWithCredentials,
            format!(
                "the preflight answers `Access-Control-Allow-Methods: *` to a call with credentials, where `*` is \
                 a method literally named `*`, not every method: {method} is not allowed"
            ),
        ),
        Reason::MethodNotAllowed(method) => finding(
            Kind::MethodNotAllowed,
            format!("the preflight's Access-Control-Allow-Methods does not list {method}"),
        ),
        Reason::AllowHeadersUnparsable(element) => finding(
            Kind::HeaderNotAllowed,
            format!("the preflight's Access-Control-Allow-Headers does not parse (at `{element}`)"),
        ),
        // The actual request is sent once, without following redirects.
        Reason::TooManyRedirects => finding(Kind::Redirect, "more than 20 redirects".into()),
        Reason::RedirectNotFollowed(location) => {
            finding(Kind::Redirect, format!("a redirect to `{location}`, which fetch does not follow"))
        }
        Reason::HeaderNotAllowed(name) if literal_star(&ACCESS_CONTROL_ALLOW_HEADERS) => finding(
            Kind::WildcardListWithCredentials,
            format!(
                "the preflight answers `Access-Control-Allow-Headers: *` to a call with credentials, where `*` is \
                 a header literally named `*`, not every header: {name} is not allowed"
            ),
        ),
        Reason::HeaderNotAllowed(name) => finding(
            Kind::HeaderNotAllowed,
            format!("the preflight's Access-Control-Allow-Headers does not list {name}"),
        ),
    }
}

/// A preflight turned away by authentication: `401`, or `403` with a challenge, and no CORS
/// headers (a CORS layer that refuses an origin answers `403` without a challenge).
fn rejected_by_auth(preflight: Option<&Exchange>) -> bool {
    preflight.is_some_and(|p| {
        let challenged = p.status == 401 || p.status == 403 && p.response_headers.contains_key(WWW_AUTHENTICATE);
        challenged && !p.response_headers.contains_key(ACCESS_CONTROL_ALLOW_ORIGIN)
    })
}

/// A preflight nothing answered as one: an error status other than the `403` a CORS layer
/// refuses with.
fn unhandled(preflight: Option<&Exchange>) -> bool {
    preflight.is_some_and(|p| !p.status.is_success() && p.status != 403)
}

/// Whether `name`'s list (`Access-Control-Allow-Methods` or `-Headers`) holds a `*`.
fn lists_star(exchange: &Exchange, name: &HeaderName) -> bool {
    let list = header_list_values(&exchange.response_headers, name).ok().flatten().unwrap_or_default();
    list.iter().any(|item| item == "*")
}

/// A credentialed call's preflight that lists `*`: the server means "any", browsers read a name.
/// Found even where this call passes (its method and headers were listed or safelisted), since the
/// next call with another method or header will not.
pub fn wildcard_lists(preflight: &Exchange) -> Option<Finding> {
    let lists: Vec<&str> = [&ACCESS_CONTROL_ALLOW_METHODS, &ACCESS_CONTROL_ALLOW_HEADERS]
        .into_iter()
        .filter(|name| lists_star(preflight, name))
        .map(HeaderName::as_str)
        .collect();
    (!lists.is_empty()).then(|| {
        finding(
            Kind::WildcardListWithCredentials,
            format!(
                "the preflight answers `*` in {} to a call with credentials: there `*` is a literal name, not \
                 a wildcard",
                lists.join(" and ")
            ),
        )
    })
}

/// A CORS header sent twice: two hops each think they own CORS.
pub fn duplicated(exchange: &Exchange) -> Option<Finding> {
    let headers = &exchange.response_headers;
    let name = headers
        .keys()
        .find(|name| name.as_str().starts_with("access-control-") && headers.get_all(*name).iter().count() > 1)?;
    Some(finding(
        Kind::DuplicateCorsHeaders,
        format!("`{} {}` got `{name}` twice: `{}`", exchange.method, exchange.target, header_text(headers, name)),
    ))
}

pub fn wildcard_with_credentials(exchange: &Exchange) -> Option<Finding> {
    let headers = &exchange.response_headers;
    let wildcard = header_text(headers, &ACCESS_CONTROL_ALLOW_ORIGIN).trim() == "*";
    let credentials = header_text(headers, &ACCESS_CONTROL_ALLOW_CREDENTIALS).trim() == "true";
    (wildcard && credentials).then(|| {
        finding(
            Kind::WildcardWithCredentials,
            format!(
                "`{} {}` got `Access-Control-Allow-Origin: *` with `Access-Control-Allow-Credentials: true`",
                exchange.method, exchange.target
            ),
        )
    })
}

/// Whether Access-Control-Allow-Origin depends on the request's Origin: the origins did not all
/// get the same value (a fixed value, even a wrong one, needs no `Vary`).
fn origin_dependent(attempts: &[Attempt]) -> bool {
    let mut values =
        attempts.iter().flat_map(Attempt::exchanges).map(|e| e.response_headers.get(ACCESS_CONTROL_ALLOW_ORIGIN));
    let first = values.next();
    values.any(|value| Some(value) != first)
}

/// An answer that names the request's origin must say it varies by origin.
pub fn missing_vary(exchange: &Exchange) -> Option<Finding> {
    let headers = &exchange.response_headers;
    let origin = exchange.request_headers.get(http::header::ORIGIN)?;
    if headers.get(ACCESS_CONTROL_ALLOW_ORIGIN) != Some(origin) {
        return None;
    }
    let vary = header_text(headers, &VARY);
    let varies = vary.split(',').map(str::trim).any(|v| v.eq_ignore_ascii_case("origin") || v == "*");
    (!varies).then(|| {
        let vary = if vary.is_empty() { "no Vary".to_string() } else { format!("`Vary: {vary}`") };
        finding(
            Kind::MissingVaryOrigin,
            format!(
                "`{} {}` names the origin `{}` in Access-Control-Allow-Origin, with {vary}",
                exchange.method,
                exchange.target,
                String::from_utf8_lossy(origin.as_bytes())
            ),
        )
    })
}

fn max_age_too_long(preflight: &Exchange) -> Option<Finding> {
    let value = header_text(&preflight.response_headers, &ACCESS_CONTROL_MAX_AGE);
    let seconds: u64 = value.trim().parse().ok()?;
    (seconds > CHROMIUM_MAX_AGE).then(|| {
        finding(
            Kind::MaxAgeTooLong,
            format!(
                "the preflight says `Access-Control-Max-Age: {seconds}`; Chromium caps it at {CHROMIUM_MAX_AGE} s (2 hours)"
            ),
        )
    })
}

/// Probe origins the server let in (not with `*`, which is a public route's honest answer).
fn trusted_probes(attempts: &[Attempt], credentials: bool) -> Vec<Finding> {
    let named = |attempt: &&Attempt| {
        attempt.trusted()
            && attempt
                .exchanges()
                .any(|e| e.response_headers.get(ACCESS_CONTROL_ALLOW_ORIGIN).is_some_and(|v| v != "*"))
    };
    let trusted: Vec<&Attempt> = attempts[1..].iter().filter(named).collect();
    let by = |sender: Sender| trusted.iter().find(|a| a.sender == sender);
    let mut found = Vec::new();
    if let Some(a) = by(Sender::Foreign) {
        found.push(finding(
            Kind::ReflectedOrigin,
            format!("a page on {} was let in: the server echoes any origin", a.origin),
        ));
    }
    if let Some(a) = by(Sender::Null) {
        found.push(finding(Kind::NullOriginAllowed, format!("a page with `Origin: {}` was let in", a.origin)));
    }
    let lookalikes: Vec<&str> = trusted
        .iter()
        .filter(|a| matches!(a.sender, Sender::LookalikeAfter | Sender::LookalikeBefore))
        .map(|a| a.origin.as_str())
        .collect();
    if !lookalikes.is_empty() && by(Sender::Foreign).is_none() {
        found.push(finding(
            Kind::LookalikeOriginAllowed,
            format!("look-alike origins were let in: {}", lookalikes.join(", ")),
        ));
    }
    // A credentialed policy that trusts plain http: probed with the page's host, or the page's own origin.
    let page = &attempts[0];
    let page_plain_http = credentials
        && page.trusted()
        && page.origin.starts_with("http://")
        && !cors_rules::origin::is_loopback_host(cors_rules::origin::origin_host(&page.origin));
    if let Some(origin) = by(Sender::PlainHttp).map(|a| &a.origin).or(page_plain_http.then_some(&page.origin)) {
        found.push(finding(
            Kind::HttpOriginWithCredentials,
            format!("a page on {origin} (plain http) was let in with credentials"),
        ));
    }
    found
}
