//! `cors doctor --routes TABLE.json BASE_URL [--origin ORIGIN]...` (DESIGN §9.3): every route of
//! a service's table, as a browser on an allowed origin and one on a foreign origin would call it
//! against the deployment at BASE_URL, compared with what the table declares.
//!
//! `plan` decides each route's call and origins, `run` sends them (bounded, with progress),
//! `drift` compares the answers with the table, `report` prints. This room uses the single-URL
//! doctor's pieces (input, exchange, probes, findings); they never use it.

mod drift;
mod plan;
mod report;
mod run;

use crate::doctor::args::Args;
use crate::doctor::exchange::Client;
use crate::doctor::exit;
use crate::doctor::input;
use crate::doctor::probes::Verdict;
use crate::export::table;
use plan::Deployment;
use report::{Report, RouteReport};

/// The report and its exit code, or the one-line reason for exit code 2.
pub fn doctor(table_file: &str, args: &Args) -> Result<(String, u8), String> {
    let single_url_only = [
        ("--method", args.method.is_some(), "each route's method"),
        ("--credentials", args.credentials, "each route's credentials"),
    ];
    if let Some((flag, _, instead)) = single_url_only.iter().find(|(_, given, _)| *given) {
        return Err(format!("{flag} is for one URL; with --routes, doctor sends {instead} from the table"));
    }
    let base = base_url(&args.url)?;
    let target = input::target(base)?;
    let origins = args.origin.iter().map(|o| input::page_origin(o)).collect::<Result<Vec<_>, _>>()?;
    let expose = input::expose(&args.expose)?;
    let headers = input::route_headers(&args.headers)?;
    let client = Client::new(target.clone(), input::timeout(args.timeout)?).in_flight_at_most(run::IN_FLIGHT);
    let routes = table::read(table_file)?;
    if routes.is_empty() {
        return Err(format!("{table_file}: the table has no routes"));
    }
    let deployment = Deployment { base, target: &target, origins: &origins, expose: &expose, headers: &headers };
    let plans = routes.iter().map(|route| plan::plan(route, &deployment)).collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let checked = runtime.block_on(async {
        client.reach().await?;
        run::run(plans, &client).await
    })?;
    // Not one answer from any route: the deployment is down, not drifting.
    let answered = |verdict: &Verdict| !matches!(verdict, Verdict::NoAnswer(_));
    if !checked.iter().any(|c| c.page.iter().chain([&c.foreign]).any(|a| answered(&a.verdict))) {
        let error = checked.iter().find_map(|c| match &c.foreign.verdict {
            Verdict::NoAnswer(error) => Some(error.clone()),
            _ => None,
        });
        return Err(error.unwrap_or_else(|| "no route answered".into()));
    }
    let routes: Vec<RouteReport> = checked
        .into_iter()
        .map(|checked| {
            let (drifts, blocked) = drift::conclude(&checked);
            RouteReport { checked, drifts, blocked }
        })
        .collect();
    let exit_code = exit::code(routes.iter().any(|r| r.blocked), routes.iter().any(|r| !r.drifts.is_empty()));
    let report = Report { table: table_file, base, routes: &routes, requests: client.sent(), exit_code };
    let text = if args.json { report::render_json(&report) + "\n" } else { report::render_text(&report) };
    Ok((text, exit_code))
}

/// BASE_URL without a trailing `/`: the table's paths (which start with `/`) are appended to it,
/// after any path prefix it has (a service mounted under `/backend` behind a gateway).
fn base_url(url: &str) -> Result<&str, String> {
    if url.contains(['?', '#']) {
        return Err(format!(
            "BASE_URL `{url}` takes no query or fragment: the table's paths are appended to it, \
             e.g. `https://api.example.com` or `https://example.com/backend`"
        ));
    }
    Ok(url.strip_suffix('/').unwrap_or(url))
}
