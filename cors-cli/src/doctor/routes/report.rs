//! The `--routes` report: one line per route whose deployment differs from its table (the route,
//! what the table says, what the server did), then each finding's rule and fix once, then the
//! exit code. `--json` holds the same and every route's attempts.

use std::fmt::Write;

use serde_json::{json, Value};

use super::drift::Drift;
use super::run::Checked;
use crate::doctor::exit::{BLOCKED, WORKS};
use crate::doctor::kinds::{Finding, Kind};
use crate::doctor::report::{attempt_json, shown_response_header};

/// One route, checked and concluded.
pub struct RouteReport {
    pub checked: Checked,
    pub drifts: Vec<Drift>,
    pub blocked: bool,
}

impl RouteReport {
    fn result(&self) -> &'static str {
        match (self.blocked, self.drifts.is_empty()) {
            (true, _) => "blocked",
            (false, true) => "as-declared",
            (false, false) => "differs",
        }
    }
}

pub struct Report<'a> {
    /// The table file as given.
    pub table: &'a str,
    pub base: &'a str,
    pub routes: &'a [RouteReport],
    /// Exchanges sent, in all.
    pub requests: usize,
    pub exit_code: u8,
}

pub fn summary(code: u8) -> &'static str {
    match code {
        WORKS => "every route answers as its table says",
        BLOCKED => "a browser would be blocked on some route",
        _ => "every route works, but something was found",
    }
}

/// Each kind found, once, in the order first found, with the routes it was found on.
fn kinds(report: &Report) -> Vec<(Kind, Vec<String>)> {
    let mut kinds: Vec<(Kind, Vec<String>)> = Vec::new();
    for route in report.routes {
        for drift in &route.drifts {
            let name = route.checked.plan.name();
            match kinds.iter_mut().find(|(kind, _)| *kind == drift.kind) {
                Some((_, routes)) => routes.push(name),
                None => kinds.push((drift.kind, vec![name])),
            }
        }
    }
    kinds
}

/// `Finding` knows the id, rule and fix of a kind.
fn described(kind: Kind) -> Finding {
    Finding { kind, seen: String::new() }
}

pub fn render_text(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "cors doctor --routes {} {}: {} routes, {} requests\n",
        report.table,
        report.base,
        report.routes.len(),
        report.requests
    );
    let differing: Vec<&RouteReport> = report.routes.iter().filter(|r| !r.drifts.is_empty()).collect();
    if differing.is_empty() {
        let _ = writeln!(out, "Every route answers as its table says, from an allowed origin and from a foreign one.");
    } else {
        let _ = writeln!(out, "Routes that differ from their table: {} of {}", differing.len(), report.routes.len());
        let width = differing.iter().map(|r| r.checked.plan.name().len()).max().unwrap_or(0);
        for route in &differing {
            let drifts: Vec<String> =
                route.drifts.iter().map(|d| format!("table: {}  server: {}", d.table, d.server)).collect();
            let blocked = if route.blocked { "  (blocked)" } else { "" };
            let _ = writeln!(out, "  {:<width$}  {}{blocked}", route.checked.plan.name(), drifts.join("  |  "));
        }
        let missing = |route: &RouteReport| route.drifts.iter().any(|d| d.kind == Kind::RouteMissing);
        if report.routes.iter().all(missing) {
            let _ = writeln!(
                out,
                "  No route of the table is served at {}: is that the base URL (a path prefix added or removed by \
                 a gateway)?",
                report.base
            );
        }
    }
    let kinds = kinds(report);
    let _ = writeln!(out, "\nFindings: {}", kinds.len());
    for (kind, routes) in &kinds {
        let finding = described(*kind);
        let _ = writeln!(
            out,
            "  {} ({})\n    Rule: {}\n    Fix:  {}",
            finding.id(),
            routes.join(", "),
            finding.rule(),
            finding.fix()
        );
    }
    let _ = writeln!(out, "\nExit {}: {}.", report.exit_code, summary(report.exit_code));
    out
}

pub fn render_json(report: &Report) -> String {
    let document = json!({
        "table": report.table,
        "base_url": report.base,
        "routes_checked": report.routes.len(),
        "requests": report.requests,
        "routes": report.routes.iter().map(route_json).collect::<Vec<_>>(),
        "findings": kinds(report).into_iter().map(|(kind, routes)| {
            let finding = described(kind);
            json!({"id": finding.id(), "rule": finding.rule(), "fix": finding.fix(), "routes": routes})
        }).collect::<Vec<_>>(),
        "exit_code": report.exit_code,
        "summary": summary(report.exit_code),
    });
    serde_json::to_string_pretty(&document).expect("a JSON value always serializes")
}

fn route_json(route: &RouteReport) -> Value {
    let plan = &route.checked.plan;
    let (origin, origin_from) = match &plan.allowed {
        Ok(from) => (Value::from(plan.call.origin.as_str()), json!(from)),
        Err(why) => (Value::Null, json!(why)),
    };
    let attempts = route.checked.page.iter().chain([&route.checked.foreign]);
    json!({
        "method": plan.route.method,
        "path": plan.route.path,
        "handler": plan.route.handler,
        "policy": plan.route.policy,
        "url": plan.call.url,
        "origin": origin,
        "origin_from": origin_from,
        "foreign_origin": plan.foreign,
        "headers": plan.call.headers.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
        "credentials": plan.call.credentials,
        "expose": plan.call.expose,
        "result": route.result(),
        "differences": route.drifts.iter().map(|d| {
            let finding = described(d.kind);
            json!({"id": finding.id(), "table": d.table, "server": d.server})
        }).collect::<Vec<_>>(),
        "attempts": attempts.map(|a| attempt_json(a, shown_response_header)).collect::<Vec<_>>(),
    })
}
