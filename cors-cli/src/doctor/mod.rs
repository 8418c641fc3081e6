//! `cors doctor`: what a browser on ORIGIN gets from URL, decided by `cors_browser`
//! over real HTTP, plus what a reviewer would probe, as a report (DESIGN §8.3); and with
//! `--routes`, the same for every route of a service's table against a deployment (§9.3).
//!
//! One URL: `args` declares the arguments, `input` checks them (`plausible` fills header values),
//! `exchange` speaks HTTP, `probes` runs the browser on each origin, `findings` concludes (with
//! `exposed`, `cookie`, and `refusal` for a refused preflight's cause; every kind of finding is in `kinds`), `report` prints, `exit` says how
//! it ends. `routes/` is the whole-deployment mode: it uses those pieces, and none of them uses it.

use std::process::ExitCode;

mod args;
mod cookie;
mod exchange;
mod exit;
mod exposed;
mod findings;
mod input;
mod kinds;
mod plausible;
mod probes;
mod refusal;
mod report;
mod routes;

pub use args::Args;
use exchange::Client;
use input::Call;
use probes::Verdict;
use report::Report;

pub fn run(args: Args) -> ExitCode {
    let result = match &args.routes {
        Some(table) => routes::doctor(table, &args),
        None => doctor(&args),
    };
    match result {
        Ok((text, code)) => {
            print!("{text}");
            ExitCode::from(code)
        }
        Err(message) => {
            eprintln!("cors doctor: {message}");
            ExitCode::from(exit::USAGE_OR_NETWORK)
        }
    }
}

/// The report and its exit code, or the one-line reason for exit code 2.
fn doctor(args: &Args) -> Result<(String, u8), String> {
    let call = Call::from_args(args)?;
    let client = Client::new(call.target.clone(), input::timeout(args.timeout)?);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let attempts = runtime.block_on(probes::run_all(&call, &client))?;
    let narrowed = runtime.block_on(refusal::narrow(&call, &client, &attempts[0]))?;
    let findings = findings::findings(&attempts, &call, narrowed);
    let exit_code = exit::code(matches!(attempts[0].verdict, Verdict::Blocked(_)), !findings.is_empty());
    let report = Report { call: &call, attempts: &attempts, findings: &findings, exit_code };
    let text = if args.json { report::render_json(&report) + "\n" } else { report::render_text(&report) };
    Ok((text, exit_code))
}
