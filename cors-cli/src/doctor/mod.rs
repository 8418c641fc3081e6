//! `cors doctor`: what a browser on ORIGIN gets from URL, decided by `cors_browser`
//! over real HTTP, plus what a reviewer would probe, as a report (DESIGN §8.3).
//!
//! `args` declares the arguments, `input` checks them, `exchange` speaks HTTP, `probes` runs the browser on each
//! origin, `findings` concludes, `report` prints.

use std::process::ExitCode;
use std::time::Duration;

mod args;
mod exchange;
mod findings;
mod input;
mod probes;
mod report;

pub use args::Args;
use exchange::Client;
use input::Call;
use probes::Verdict;
use report::Report;

/// Exit codes (DESIGN §8.3).
const WORKS: u8 = 0;
const BLOCKED: u8 = 1;
const USAGE_OR_NETWORK: u8 = 2;
const WORKS_WITH_FINDINGS: u8 = 3;

pub fn run(args: Args) -> ExitCode {
    match doctor(&args) {
        Ok((text, code)) => {
            print!("{text}");
            ExitCode::from(code)
        }
        Err(message) => {
            eprintln!("cors doctor: {message}");
            ExitCode::from(USAGE_OR_NETWORK)
        }
    }
}

/// The report and its exit code, or the one-line reason for exit code 2.
fn doctor(args: &Args) -> Result<(String, u8), String> {
    let call = Call::from_args(args)?;
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 3600.0) {
        return Err(format!("--timeout {}: give a number of seconds between 0 and 3600", args.timeout));
    }
    let client = Client::new(call.target.clone(), Duration::from_secs_f64(args.timeout));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let attempts = runtime.block_on(probes::run_all(&call, &client))?;
    let findings = findings::findings(&attempts, call.credentials);
    let exit_code = match (&attempts[0].verdict, findings.is_empty()) {
        (Verdict::Blocked(_), _) => BLOCKED,
        (_, true) => WORKS,
        (_, false) => WORKS_WITH_FINDINGS,
    };
    let report = Report { call: &call, attempts: &attempts, findings: &findings, exit_code };
    let text = if args.json { report::render_json(&report) + "\n" } else { report::render_text(&report) };
    Ok((text, exit_code))
}
