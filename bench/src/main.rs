//! `cargo run --release -p bench -- <command>`; see `usage()`.

use std::process::ExitCode;

use std::path::PathBuf;

use bench::table::{Measured, TARGETS_LEGEND};
use bench::{compile_time, driver, load, serve, Scenario, Shape, Variant};

fn usage() -> &'static str {
    "usage: bench <command>
  table [--iterations N]         per-request instructions (callgrind) and allocations of every
                                 shape, variant and request, with DESIGN §8.4's targets checked;
                                 runs this binary under valgrind with N and 2N requests per row
                                 (default 1000), two at a time
  guard [--iterations N] [--slack I]
                                 the same measurements, prints only the targets and exits 1 when
                                 one is missed (or a documented limit exceeded); I instructions per
                                 request of slack on each instruction bound (default 80: run-to-run,
                                 build and libc differences, see docs/performance.md)
  run SHAPE VARIANT SCENARIO N   send N requests in process and print the allocations made
                                 (what `table` runs under valgrind)
  load [--seconds S]             wrk (1 thread, 16 connections, S seconds, default 10) against
                                 `serve` for each variant on loopback; requests/s and ratios
  serve VARIANT                  serve the variant on 127.0.0.1 (prints `listening PORT`)
  compile-time [--routes N] [--dir DIR]
                                 build a N-route app (default 200) as plain axum, axum + one
                                 tower-http layer and #[cors] routes in DIR (default: a temp dir
                                 outside the repository); times each app crate, deps prebuilt
shapes: single, own_headers, fourth_origin, pattern_origin, several_methods, public, env_origins, real_app
variants: bare, bare-identity, bare-middleware, bare-middleware-identity, routes, routes-layer,
          policy-layer, policy-outer, tower-http-layer, tower-http-outer
scenarios: simple, preflight, foreign (foreign: shape `single` only)"
}

/// valgrind processes at a time: the project's machine has two cores.
const JOBS: usize = 2;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{message}\n\n{}", usage());
            ExitCode::from(2)
        }
    }
}

fn run(args: &[&str]) -> Result<ExitCode, String> {
    match args {
        ["table", rest @ ..] => {
            let n = match rest {
                [] => 1000,
                ["--iterations", n] => parse_count(n)?,
                _ => return Err("table takes only `--iterations N`".into()),
            };
            let measured = Measured::run(n, JOBS)?;
            let checks = measured.checks(0.0);
            println!("{}", measured.render_matrix());
            println!("{}\n{TARGETS_LEGEND}", measured.render_checks(&checks));
            Ok(if checks.iter().all(|c| c.passes()) { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        ["guard", rest @ ..] => {
            let (mut n, mut slack) = (1000, 80.0);
            let mut rest = rest.iter();
            while let Some(flag) = rest.next() {
                match (*flag, rest.next()) {
                    ("--iterations", Some(value)) => n = parse_count(value)?,
                    ("--slack", Some(value)) => slack = parse_count(value)? as f64,
                    _ => return Err(format!("guard: unexpected `{flag}`")),
                }
            }
            let measured = Measured::run(n, JOBS)?;
            let checks = measured.checks(slack);
            println!("{}\n{TARGETS_LEGEND} Slack: {slack} instructions per request.", measured.render_checks(&checks));
            let missed: Vec<String> = checks
                .iter()
                .filter(|c| !c.passes())
                .map(|c| format!("{} / {} / {}: {}", c.shape.label, c.variant.label(), c.scenario.label(), c.shown))
                .collect();
            if missed.is_empty() {
                println!("guard: every target met, or within its documented limit");
                Ok(ExitCode::SUCCESS)
            } else {
                println!("guard: {} targets missed:\n{}", missed.len(), missed.join("\n"));
                Ok(ExitCode::FAILURE)
            }
        }
        ["run", shape, variant, scenario, n] => {
            let shape = Shape::from_name(shape).ok_or(format!("unknown shape `{shape}`"))?;
            let variant = Variant::from_name(variant).ok_or(format!("unknown variant `{variant}`"))?;
            let scenario = Scenario::from_name(scenario).ok_or(format!("unknown scenario `{scenario}`"))?;
            println!("allocations {}", driver::allocations_of(shape, variant, scenario, parse_count(n)?));
            Ok(ExitCode::SUCCESS)
        }
        ["load", rest @ ..] => {
            let seconds = match rest {
                [] => 10,
                ["--seconds", s] => parse_count(s)?,
                _ => return Err("load takes only `--seconds S`".into()),
            };
            println!("{}", load::measure(seconds, 16)?);
            Ok(ExitCode::SUCCESS)
        }
        ["serve", variant] => {
            let variant = Variant::from_name(variant).ok_or(format!("unknown variant `{variant}`"))?;
            serve::serve(variant).map_err(|e| format!("serve failed: {e}"))?;
            Ok(ExitCode::SUCCESS)
        }
        ["compile-time", rest @ ..] => {
            let (mut routes, mut dir) = (200, compile_time::default_dir());
            let mut rest = rest.iter();
            while let Some(flag) = rest.next() {
                match (*flag, rest.next()) {
                    ("--routes", Some(n)) => routes = parse_count(n)? as usize,
                    ("--dir", Some(d)) => dir = PathBuf::from(d),
                    _ => return Err(format!("compile-time: unexpected `{flag}`")),
                }
            }
            println!("{}", compile_time::measure(&dir, routes, 3)?);
            Ok(ExitCode::SUCCESS)
        }
        ["help" | "--help" | "-h"] => {
            println!("{}", usage());
            Ok(ExitCode::SUCCESS)
        }
        _ => Err("unknown command".into()),
    }
}

fn parse_count(n: &str) -> Result<u64, String> {
    match n.parse() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("`{n}` is not a positive count")),
    }
}
