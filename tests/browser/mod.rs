//! The end-to-end suite shared by `tests/browser_chromium.rs` and `tests/browser_firefox.rs`:
//! the browser model (`cors_browser`) against a real headless browser.
//!
//! The `service` example's routes, the example as it runs (auth, `/api`), an authenticated app
//! whose token check counts what reaches it, the `tenants` example's routes (their list of
//! origins changed between fetches, [`tenants`]), and some misconfigured and redirecting
//! upstreams are served on loopback origins; a page on `http://localhost:<port>` (an origin the
//! service allows; `CORS_BROWSER_PORT`, default 5173) and on a foreign `http://127.0.0.1:<port>`
//! runs the [`matrix`] with `fetch` and posts what script saw back. For every call the suite
//! asserts that the browser's outcome (allowed with status and readable headers, or blocked),
//! the console message it logged for a blocked call, the preflight it sent, and whether the
//! actual request reached the server are exactly what the model predicts for that engine, and
//! that the model for that engine differs from the standard's in exactly the cases its
//! recorded `Difference`s name.
//!
//! Without the browser the suite says loudly that it was skipped; with `CI` set it fails.

#[allow(dead_code)] // its `main` is the example's, not ours
#[path = "../../examples/service.rs"]
mod service;

pub mod launch;
mod matrix;
mod servers;
mod tenants;

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use axum::Router;
use cors_browser::{Credentials, Engine, Fetch, Outcome, PreflightSent, Reason};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use launch::Browser;
use matrix::{Case, Page, Target};
use servers::{Log, Network, Origins, PageState, Seen, Seer};

/// The page origin's port when `CORS_BROWSER_PORT` is not set: the service example allows
/// `http://localhost:5173` by default.
const DEFAULT_PORT: u16 = 5173;

/// `engine`'s browser, or `None` after saying loudly that the suite is skipped (a panic when
/// `CI` is set).
pub fn browser_or_skip(engine: Engine, suite: &str) -> Option<Browser> {
    if let Some(browser) = Browser::find(engine) {
        return Some(browser);
    }
    let hint = Browser::install_hint(engine);
    if std::env::var_os("CI").is_some() {
        panic!("CI is set but {engine} was not found ({hint})");
    }
    // Straight to the stderr handle: libtest captures `eprintln!` of passing tests.
    let _ = writeln!(std::io::stderr(), "\n*** SKIPPED {suite}: {engine} not found ({hint}) ***\n");
    None
}

/// What the page observed for one case.
#[derive(Debug)]
struct Observed {
    allowed: bool,
    status: u16,
    headers: Vec<(String, String)>,
    /// The `TypeError`'s text, when blocked.
    error: Option<String>,
}

/// The port of the allowed page origin. On another port than the default, the service example
/// is deployed for that page (`APP_ORIGINS`, unless set already), before its policies load.
fn page_port() -> u16 {
    let Ok(port) = std::env::var("CORS_BROWSER_PORT") else {
        return DEFAULT_PORT;
    };
    let port: u16 = port.parse().unwrap_or_else(|_| panic!("CORS_BROWSER_PORT={port:?} is not a port number"));
    if std::env::var_os("APP_ORIGINS").is_none() {
        std::env::set_var("APP_ORIGINS", format!("http://localhost:{port}"));
    }
    port
}

/// Runs the whole matrix in `browser` and asserts it agrees with the model for its engine.
pub async fn agrees_with_the_model(browser: Browser, suite: &str) {
    let started = Instant::now();
    let engine = browser.engine;
    let cases = matrix::matrix();
    let auth_cases = cases.iter().filter(|c| matches!(c.target, Target::Authenticated | Target::ExampleApp)).count();
    let credentialed = cases.iter().filter(|c| c.credentials == Credentials::Include).count();
    assert!(cases.len() >= 80 && auth_cases >= 4 && credentialed >= 10, "the matrix lost cases");

    let (servers, results) = Servers::start(page_port(), &cases).await;
    let (observed, console) = observe(&browser, &servers.app, results, suite).await;
    let seen = servers.log.lock().unwrap().clone();

    let mut failures = Vec::new();
    let mut departures = Vec::new();
    // The model meets the tenants' list as the browser did: empty, then each case's change.
    tenants::reset();
    for (id, case) in cases.iter().enumerate() {
        let browser = observed.get(&id).unwrap_or_else(|| panic!("no result for case {id} `{}`", case.name));
        let case_seen: Vec<&Seen> = seen.iter().filter(|s| s.case == id).collect();
        if let Some(change) = case.change {
            tenants::apply(change, if case.page == Page::App { &servers.app } else { &servers.foreign });
        }
        let fetch = servers.fetch(id, case);
        let model = fetch.clone().engine(engine).send(servers.network.service()).await;
        let standard = fetch.send(servers.network.service()).await;
        let mut problems = compare(engine, &model, browser, &console, &case_seen);
        if case.target == Target::Authenticated {
            problems.extend(auth_problems(&case_seen));
        }
        if let Some(status) = case.expect_status.filter(|status| !browser.allowed || browser.status != *status) {
            problems.push(format!("script should read status {status}"));
        }
        if case.expect_blocked && browser.allowed {
            problems.push("script should be blocked".to_string());
        }
        let recorded = engine.differences().find(|d| d.cases.contains(&case.name));
        let differs = summary(&model) != summary(&standard);
        if !problems.is_empty() {
            let script_saw =
                browser.error.clone().unwrap_or_else(|| format!("{} {:?}", browser.status, browser.headers));
            failures.push(format!(
                "case {id} `{}` (script saw: {script_saw}):\n  {}",
                case.name,
                problems.join("\n  ")
            ));
        } else if let (true, Some(difference)) = (differs, recorded) {
            departures.push((difference, format!("`{}`: the standard says {}", case.name, summary(&standard))));
        } else if differs {
            failures.push(format!(
                "case {id} `{}`: the {engine} model differs from the standard here, but no recorded difference \
                 names this case:\n  {engine}: {}\n  standard: {}",
                case.name,
                summary(&model),
                summary(&standard)
            ));
        } else if let Some(difference) = recorded {
            failures.push(format!(
                "case {id} `{}` is recorded as a {engine} difference ({:?}), but {engine} and the standard agree \
                 on it: drop it from the record if {engine} now follows the standard",
                case.name, difference.quirk
            ));
        }
    }
    let matched = cases.len() - failures.len();
    for difference in engine.differences() {
        for name in difference.cases.iter().filter(|name| !cases.iter().any(|case| case.name == **name)) {
            failures
                .push(format!("the {engine} difference {:?} names a case `{name}` the matrix lacks", difference.quirk));
        }
    }

    // Shown even when libtest captures output: the departures are part of the result.
    let mut report = format!(
        "{suite}: {}: {} fetches ({credentialed} credentialed, {auth_cases} to apps behind auth), \
         {matched} matched the {engine} model, {} of them where {engine} departs from the standard as recorded; \
         {:.1} s\n",
        browser.version().await,
        cases.len(),
        departures.len(),
        started.elapsed().as_secs_f64(),
    );
    for difference in engine.differences() {
        let shown: Vec<&String> = departures.iter().filter(|(d, _)| *d == difference).map(|(_, line)| line).collect();
        report.push_str(&format!("  - {:?}, {} fetch(es): {}\n", difference.quirk, shown.len(), difference.evidence));
        for line in shown {
            report.push_str(&format!("      {line}\n"));
        }
    }
    let _ = std::io::stderr().write_all(report.as_bytes());
    assert!(failures.is_empty(), "{engine} and the model disagree:\n{}", failures.join("\n"));
}

/// The servers of one run, each on its own loopback origin, and what the model needs to reach
/// them.
struct Servers {
    /// The allowed page origin, `http://localhost:<port>`.
    app: String,
    /// The foreign page origin.
    foreign: String,
    /// `host:port` of the `service` example's routes, the upstreams, the authenticated app, the
    /// example as it runs, and the `tenants` example's routes.
    service: String,
    upstream: String,
    authenticated: String,
    example_app: String,
    tenant_app: String,
    network: Network,
    log: Log,
}

impl Servers {
    /// Starts every server, the two pages with their share of `cases`, and returns the
    /// channel the pages post their results to.
    async fn start(port: u16, cases: &[Case]) -> (Servers, mpsc::UnboundedReceiver<Value>) {
        let app = format!("http://localhost:{port}");
        let log = Log::default();
        let listeners = [(); 6].map(|()| std::net::TcpListener::bind("127.0.0.1:0").unwrap());
        let [service, upstream, authenticated, example_app, tenant_app, foreign] =
            listeners.each_ref().map(|listener| listener.local_addr().unwrap().to_string());
        let origins = Origins { page: app.clone(), service: format!("http://{service}") };
        let network = Network {
            hosts: vec![
                (service.clone(), Router::from(service::routes()).with_state(service::AppState::default())),
                (upstream.clone(), servers::upstream(origins)),
                (authenticated.clone(), servers::authenticated(log.clone())),
                (example_app.clone(), service::app(service::AppState::default())),
                (tenant_app.clone(), tenants::app()),
            ],
        };
        let [service_listener, upstream_listener, auth_listener, example_listener, tenants_listener, foreign_listener] =
            listeners.map(|listener| {
                listener.set_nonblocking(true).unwrap();
                TcpListener::from_std(listener).unwrap()
            });
        let server_listeners = [service_listener, upstream_listener, auth_listener, example_listener, tenants_listener];
        for (listener, (_, router)) in server_listeners.into_iter().zip(&network.hosts) {
            servers::serve(listener, servers::logged(router.clone(), log.clone())).await;
        }
        let foreign = format!("http://{foreign}");
        let servers = Servers { app, foreign, service, upstream, authenticated, example_app, tenant_app, network, log };
        tenants::reset();

        let allowed = Fetch::get(&servers.app, &format!("http://{}/profile", servers.service))
            .send(servers.network.service())
            .await;
        assert!(
            allowed.is_allowed(),
            "the service example does not allow the page origin {} (CORS_BROWSER_PORT={port}): its policies must \
             list it for the matrix to mean anything",
            servers.app
        );

        let (results_tx, results_rx) = mpsc::unbounded_channel();
        let next = Some(format!("{}/", servers.foreign));
        let page = |origin: &str, page: Page, next: Option<String>, results| PageState {
            origin: origin.to_string(),
            plan: servers.plan(cases, page, next),
            results,
            changes: Arc::new(
                cases
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.page == page)
                    .filter_map(|(id, c)| Some((id, c.change?)))
                    .collect(),
            ),
        };
        let app_page = page(&servers.app, Page::App, next, results_tx.clone());
        let foreign_page = page(&servers.foreign, Page::Foreign, None, results_tx);
        servers::serve(bind_page_port(port).await, servers::page(app_page)).await;
        servers::serve(foreign_listener, servers::page(foreign_page)).await;
        (servers, results_rx)
    }

    /// The URL case `id` fetches; `?case=` lets every server log it under its case.
    fn url(&self, id: usize, case: &Case) -> String {
        let host = match case.target {
            Target::Service => &self.service,
            Target::Upstream => &self.upstream,
            Target::Authenticated => &self.authenticated,
            Target::ExampleApp => &self.example_app,
            Target::Tenants => &self.tenant_app,
        };
        format!("http://{host}{}?case={id}", case.path)
    }

    /// Case `id` as the model's `fetch()`.
    fn fetch(&self, id: usize, case: &Case) -> Fetch {
        let page = if case.page == Page::App { &self.app } else { &self.foreign };
        let mut fetch = Fetch::new(page, case.method, &self.url(id, case)).credentials(case.credentials);
        for (name, value) in &case.headers {
            fetch = fetch.header(name, value);
        }
        match case.body {
            Some(body) => fetch.body(body),
            None => fetch,
        }
    }

    /// `page`'s share of the cases, as `runner.html` reads it, and the page to go to next.
    fn plan(&self, cases: &[Case], page: Page, next: Option<String>) -> Value {
        let cases: Vec<Value> = cases
            .iter()
            .enumerate()
            .filter(|(_, c)| c.page == page)
            .map(|(id, c)| {
                json!({
                    "id": id,
                    "url": self.url(id, c),
                    "method": c.method,
                    "headers": c.headers.iter().map(|(n, v)| [n.to_string(), v.clone()]).collect::<Vec<_>>(),
                    "body": c.body,
                    "credentials": match c.credentials {
                        Credentials::Omit => "omit",
                        Credentials::SameOrigin => "same-origin",
                        Credentials::Include => "include",
                    },
                    "change": c.change.map(|_| format!("/change/{id}")),
                })
            })
            .collect();
        json!({ "cases": cases, "next": next })
    }
}

/// Opens the app page in `browser` and waits for both pages' results (90 s at most); returns
/// what script saw per case and the console messages the browser logged.
async fn observe(
    browser: &Browser,
    app: &str,
    mut results: mpsc::UnboundedReceiver<Value>,
    suite: &str,
) -> (HashMap<usize, Observed>, Vec<String>) {
    let profile = std::env::temp_dir().join(format!("cors-{suite}-{}", std::process::id()));
    let (mut process, console) = browser.open(&format!("{app}/"), &profile);
    let mut observed = HashMap::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    for page in ["app", "foreign"] {
        let Ok(batch) = tokio::time::timeout_at(deadline, results.recv()).await else {
            if console.is_finished() {
                console.await.expect("the console reader failed"); // its panic says why the page never ran
            }
            panic!("{} did not post the {page} page's results within 90 s", browser.engine);
        };
        let batch = batch.unwrap();
        for result in batch.as_array().unwrap() {
            let text = |value: &Value| value.as_str().unwrap().to_string();
            let headers =
                result["headers"].as_array().map(|pairs| pairs.iter().map(|p| (text(&p[0]), text(&p[1]))).collect());
            let observation = Observed {
                allowed: result["allowed"].as_bool().unwrap(),
                status: result["status"].as_u64().unwrap_or(0) as u16,
                headers: headers.unwrap_or_default(),
                error: result["error"].as_str().map(str::to_string),
            };
            observed.insert(result["id"].as_u64().unwrap() as usize, observation);
        }
    }
    // Console lines may trail the last fetch by a moment.
    tokio::time::sleep(Duration::from_millis(500)).await;
    process.kill().await.unwrap();
    let messages = console.await.unwrap();
    let _ = std::fs::remove_dir_all(&profile);
    (observed, messages)
}

/// Binds `127.0.0.1:<port>`, waiting for another run of a browser suite to let go of it.
async fn bind_page_port(port: u16) -> TcpListener {
    for _ in 0..240 {
        match TcpListener::bind(("127.0.0.1", port)).await {
            Ok(listener) => return listener,
            Err(_) => tokio::time::sleep(Duration::from_millis(500)).await,
        }
    }
    panic!("127.0.0.1:{port} stayed busy for two minutes; set CORS_BROWSER_PORT to another port");
}

/// An outcome without its wording: what script gets, the preflight, and whether the request
/// went out. Two engines' outcomes are the same when their summaries are.
fn summary(outcome: &Outcome) -> String {
    let result = match &outcome.result {
        Ok(readable) => format!("allowed {} {:?}", readable.status, combined_headers(&readable.headers)),
        Err(blocked) => format!("blocked ({:?})", blocked.reason),
    };
    format!("{result}; preflight {:?}; sent {}", outcome.preflight, outcome.sent)
}

/// Everything that differs between what the browser did and what the model predicted.
fn compare(engine: Engine, model: &Outcome, browser: &Observed, console: &[String], seen: &[&Seen]) -> Vec<String> {
    let seen: Vec<&Seen> = seen.iter().copied().filter(|s| s.seer == Seer::Server).collect();
    let mut problems = Vec::new();
    let preflight = preflight_seen(&seen);
    if preflight != model.preflight {
        problems.push(format!("preflight: {engine} sent {preflight:?}, the model {:?}", model.preflight));
    }
    let sent = seen.iter().any(|s| !s.is_preflight());
    if sent != model.sent {
        problems.push(format!("actual request reached the server: {engine} {sent}, model {}", model.sent));
    }
    match (&model.result, browser.allowed) {
        (Ok(readable), true) => {
            if readable.status.as_u16() != browser.status {
                problems.push(format!("status: {engine} {}, model {}", browser.status, readable.status));
            }
            let predicted = combined_headers(&readable.headers);
            if predicted != browser.headers {
                problems.push(format!("readable headers: {engine} {:?}, model {predicted:?}", browser.headers));
            }
        }
        (Err(blocked), false) => {
            let predicted = blocked.message();
            // Too many redirects is a network error: Chromium logs no console line for it.
            let logged = !(engine == Engine::Chromium && blocked.reason == Reason::TooManyRedirects);
            if logged && !console.contains(&predicted) {
                let about: Vec<&String> = console.iter().filter(|m| m.contains(&blocked.url)).collect();
                problems.push(format!("console: {engine} {about:?}\n    model    {predicted:?}"));
            }
        }
        (result, allowed) => problems.push(format!(
            "{engine} {} it, the model says {}",
            if allowed { "allowed" } else { "blocked" },
            match result {
                Ok(_) => "allowed".to_string(),
                Err(blocked) => format!("blocked: {:?}", blocked.reason),
            }
        )),
    }
    problems
}

/// The authenticated app's promise: no preflight reaches the token check, and every actual
/// request that reached the server went through it.
fn auth_problems(seen: &[&Seen]) -> Vec<String> {
    let mut problems = Vec::new();
    if seen.iter().any(|s| s.seer == Seer::Auth && s.is_preflight()) {
        problems.push("a preflight reached the auth middleware".to_string());
    }
    let count = |seer: Seer| seen.iter().filter(|s| s.seer == seer && !s.is_preflight()).count();
    if count(Seer::Auth) != count(Seer::Server) {
        problems.push(format!(
            "the auth middleware saw {} actual request(s), the server {}",
            count(Seer::Auth),
            count(Seer::Server)
        ));
    }
    problems
}

/// The first preflight the browser sent for a case, as the server saw it.
fn preflight_seen(seen: &[&Seen]) -> Option<PreflightSent> {
    seen.iter()
        .find(|s| s.is_preflight())
        .map(|s| PreflightSent { method: s.request_method.clone().unwrap(), headers: s.request_headers.clone() })
}

/// Headers as `[...response.headers]` lists them: lowercase, sorted, repeated ones joined.
fn combined_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = headers
        .keys()
        .map(|name| {
            let values: Vec<&str> = headers.get_all(name).iter().map(|v| v.to_str().unwrap()).collect();
            (name.to_string(), values.join(", "))
        })
        .collect();
    pairs.sort();
    pairs
}
