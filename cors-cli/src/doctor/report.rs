//! The report, readable (`render_text`) or as one JSON document (`render_json`), from the same
//! data. Only the CORS-relevant headers are shown, so the report reads the same on every run.

use std::fmt::Write;

use http::{HeaderMap, HeaderName, StatusCode};
use serde_json::{json, Value};

use super::exchange::Exchange;
use super::exit::summary;
use super::input::Call;
use super::kinds::Finding;
use super::probes::{Attempt, Verdict};
use super::refusal::shown_body;

pub struct Report<'a> {
    pub call: &'a Call,
    /// The page's attempt first, then the probes.
    pub attempts: &'a [Attempt],
    pub findings: &'a [Finding],
    pub exit_code: u8,
}

/// Response headers worth showing: the CORS ones, and those that explain them.
pub fn shown_response_header(name: &HeaderName) -> bool {
    let name = name.as_str();
    name.starts_with("access-control-") || ["vary", "location", "www-authenticate", "set-cookie"].contains(&name)
}

/// `Host` carries the port and says nothing the URL does not.
pub fn shown_request_header(name: &HeaderName) -> bool {
    *name != http::header::HOST
}

/// The headers `shown` picks, as text; a cookie's value is never printed (reports end up in CI
/// logs), only its name and attributes.
pub fn headers(headers: &HeaderMap, shown: fn(&HeaderName) -> bool) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(name, _)| shown(name))
        .map(|(name, value)| {
            let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
            let text = if *name == http::header::SET_COOKIE { without_cookie_value(&text) } else { text };
            (name.to_string(), text)
        })
        .collect()
}

/// `sid=abc; Path=/` as `sid=…; Path=/`.
fn without_cookie_value(set_cookie: &str) -> String {
    let (pair, attributes) = set_cookie.split_once(';').map_or((set_cookie, None), |(p, a)| (p, Some(a)));
    let name = pair.split_once('=').map_or(pair, |(name, _)| name).trim();
    match attributes {
        Some(attributes) => format!("{name}=…;{attributes}"),
        None => format!("{name}=…"),
    }
}

pub fn status_line(status: StatusCode) -> String {
    format!("{} {}", status.as_u16(), status.canonical_reason().unwrap_or_default())
}

pub fn verdict_text(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Readable { status, headers } => {
            let status = StatusCode::from_u16(*status).map(status_line).unwrap_or_else(|_| status.to_string());
            format!("allowed: script reads {status} and the headers {}", headers.join(", "))
        }
        Verdict::Blocked(blocked) => format!("blocked\n  Console: {}", blocked.message()),
        Verdict::PreflightPassed => "let in by the preflight (the request itself was not sent)".into(),
        Verdict::Redirected { status, location } => {
            format!("redirected: {status} to `{location}`; the browser follows it, doctor does not")
        }
        Verdict::NoAnswer(error) => format!("no answer: {error}"),
    }
}

/// What the probe table says about one origin.
fn probe_outcome(attempt: &Attempt) -> String {
    let allow_origin = attempt
        .exchanges()
        .last()
        .and_then(|e| e.response_headers.get(http::header::ACCESS_CONTROL_ALLOW_ORIGIN))
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    match (attempt.trusted(), allow_origin) {
        (false, _) if matches!(attempt.verdict, Verdict::NoAnswer(_)) => verdict_text(&attempt.verdict),
        (false, _) => "blocked".into(),
        (true, Some(value)) => format!("let in (Access-Control-Allow-Origin: {value})"),
        (true, None) => "let in".into(),
    }
}

pub fn render_text(report: &Report) -> String {
    let call = report.call;
    let mut out = String::new();
    let credentials = if call.credentials { ", with credentials" } else { "" };
    let expose = if call.expose.is_empty() { String::new() } else { format!(", reading {}", call.expose.join(", ")) };
    let _ = writeln!(out, "cors doctor: {} {} from {}{credentials}{expose}\n", call.method, call.url, call.origin);

    let page = &report.attempts[0];
    let _ = writeln!(out, "Exchanges of the page on {}", page.origin);
    for exchange in page.exchanges() {
        write_exchange(&mut out, exchange);
    }
    let _ = writeln!(out, "\nVerdict: {}", verdict_text(&page.verdict));

    let probes = &report.attempts[1..];
    let _ = writeln!(out, "\nProbes: the same call from other origins");
    let origin_width = probes.iter().map(|a| a.origin.len()).max().unwrap_or(0);
    for attempt in probes {
        let exchanges: Vec<String> =
            attempt.exchanges().map(|e| format!("{} -> {}", e.method, e.status.as_u16())).collect();
        let _ = writeln!(
            out,
            "  {:<20} {:<origin_width$}  {:<22} {}",
            attempt.sender.label(),
            attempt.origin,
            exchanges.join(", "),
            probe_outcome(attempt)
        );
    }

    let _ = writeln!(out, "\nFindings: {}", report.findings.len());
    for finding in report.findings {
        let _ = writeln!(
            out,
            "  {}\n    Seen: {}\n    Rule: {}\n    Fix:  {}",
            finding.id(),
            finding.seen,
            finding.rule(),
            finding.fix()
        );
    }
    let _ = writeln!(out, "\nExit {}: {}.", report.exit_code, summary(report.exit_code));
    out
}

fn write_exchange(out: &mut String, exchange: &Exchange) {
    let _ = writeln!(out, "  > {} {}", exchange.method, exchange.target);
    for (name, value) in headers(&exchange.request_headers, shown_request_header) {
        let _ = writeln!(out, "  >   {name}: {value}");
    }
    let _ = writeln!(out, "  < {}", status_line(exchange.status));
    for (name, value) in headers(&exchange.response_headers, shown_response_header) {
        let _ = writeln!(out, "  <   {name}: {value}");
    }
    let body = shown_body(&exchange.body);
    if !body.is_empty() {
        let _ = writeln!(out, "  < (body) {body}");
    }
}

pub fn render_json(report: &Report) -> String {
    let call = report.call;
    let document = json!({
        "url": call.url,
        "origin": call.origin,
        "method": call.method,
        "headers": call.headers.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
        "credentials": call.credentials,
        "expose": call.expose,
        "attempts": report.attempts.iter().map(|a| attempt_json(a, |_| true)).collect::<Vec<_>>(),
        "findings": report.findings.iter().map(|f| json!({
            "id": f.id(), "rule": f.rule(), "seen": f.seen, "fix": f.fix(),
        })).collect::<Vec<_>>(),
        "exit_code": report.exit_code,
        "summary": summary(report.exit_code),
    });
    serde_json::to_string_pretty(&document).expect("a JSON value always serializes")
}

/// An attempt as JSON, with the response headers `shown` picks (the single-URL report shows all).
pub fn attempt_json(attempt: &Attempt, shown: fn(&HeaderName) -> bool) -> Value {
    let verdict = match &attempt.verdict {
        Verdict::Readable { status, headers } => {
            json!({"result": "allowed", "status": status, "readable_headers": headers})
        }
        Verdict::Blocked(blocked) => json!({"result": "blocked", "console": blocked.message()}),
        Verdict::PreflightPassed => json!({"result": "preflight-passed"}),
        Verdict::Redirected { status, location } => {
            json!({"result": "redirected", "status": status, "location": location})
        }
        Verdict::NoAnswer(error) => json!({"result": "no-answer", "error": error}),
    };
    json!({
        "sender": attempt.sender.label(),
        "origin": attempt.origin,
        "trusted": attempt.trusted(),
        "exchanges": attempt.exchanges().map(|e| exchange_json(e, shown)).collect::<Vec<_>>(),
        "verdict": verdict,
    })
}

fn exchange_json(exchange: &Exchange, shown: fn(&HeaderName) -> bool) -> Value {
    let pairs = |list: Vec<(String, String)>| list.into_iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>();
    json!({
        "request": {
            "method": exchange.method,
            "target": exchange.target,
            "headers": pairs(headers(&exchange.request_headers, shown_request_header)),
        },
        "response": {
            "status": exchange.status.as_u16(),
            "headers": pairs(headers(&exchange.response_headers, shown)),
            "body": shown_body(&exchange.body),
        },
    })
}
