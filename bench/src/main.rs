//! `cargo run --release -p bench -- <command>`; see `usage()`.

use std::process::ExitCode;

use std::path::PathBuf;

use bench::table::{Measured, LEGEND};
use bench::{compile_instructions, compile_time, driver, load, serve, Scenario, Shape, Variant};

fn usage() -> &'static str {
    "usage: bench <command>
  table [--iterations N] [--shape NAME]...
                                 per-request instructions (callgrind) and allocations of every
                                 shape, variant and request, then every form as a ratio to its
                                 hand-written floor (DESIGN §9.4); runs this binary under valgrind
                                 with N and 2N requests per row (default 1000), two at a time
  guard [--iterations N] [--slack I] [--shape NAME]...
                                 the same measurements, prints only the ratios and exits 1 when a
                                 form passes its bound (or a documented exception's); I instructions
                                 per request of slack on each bound (default 30: run-to-run and libc
                                 differences, see docs/performance.md)
  run SHAPE VARIANT SCENARIO N   send N requests in process and print the allocations made
                                 (what `table` runs under valgrind)
  load [--seconds S] [--rounds R]
                                 wrk (1 thread, 16 connections) against `serve` for each form of
                                 §5's shape, its floor and its app without CORS: R interleaved
                                 rounds (default 3) of S seconds (default 5), the server pinned to
                                 one core and wrk to the other; medians and ratios
  serve VARIANT                  serve the variant on 127.0.0.1 (prints `listening PORT`)
  compile-time [--routes N] [--rounds R] [--kind K] [--dir DIR] [--instructions]
                                 build a N-route app (default 200) as plain axum, axum + one
                                 tower-http layer and #[cors] routes in DIR (default: a temp dir
                                 outside the repository); times each app crate, deps prebuilt,
                                 R interleaved rounds (default 5), medians and the load average;
                                 K: how each #[cors] route names its policy: named (default),
                                 inline, public, env; --instructions: build each app crate once
                                 with rustc and the linker under cachegrind instead, and count
                                 their instructions (deterministic; about 4 minutes)
  compile-guard [--routes N] [--bound B] [--dir DIR]
                                 the counted build of the N-route app (default 200, named policy);
                                 exits 1 when the #[cors] flavour passes B × tower-http's
                                 (default 1.10, DESIGN §9.4)
shapes: single, own_headers, fourth_origin, pattern_origin, several_methods, public, env_origins, real_app,
        three_origins, dynamic
variants: bare, bare-identity, bare-middleware, bare-middleware-identity, routes, routes-layer,
          policy-layer, policy-outer, tower-http-layer, tower-http-outer, floor-routes, floor-outer,
          floor-layer, floor-routes-layer
scenarios: simple, preflight, foreign (foreign: shape `single` only)"
}

/// DESIGN §9.4: the 200-route app builds in at most this multiple of tower-http's flavour.
const COMPILE_BOUND: f64 = 1.10;

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
            let options = measure_options(rest, false)?;
            let measured = Measured::run(&options.shapes, options.iterations, JOBS)?;
            let checks = measured.checks(0.0);
            println!("{}", measured.render_matrix());
            println!("{}\n{LEGEND}", measured.render_checks(&checks));
            Ok(if checks.iter().all(|c| c.passes()) { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        ["guard", rest @ ..] => {
            let options = measure_options(rest, true)?;
            let measured = Measured::run(&options.shapes, options.iterations, JOBS)?;
            let checks = measured.checks(options.slack);
            println!(
                "{}\n{LEGEND} Slack: {} instructions per request.",
                measured.render_checks(&checks),
                options.slack
            );
            let missed: Vec<String> =
                checks.iter().filter(|c| !c.passes()).map(|c| format!("{}: {}", c.name(), c.shown())).collect();
            if missed.is_empty() {
                println!("guard: every form within its bound of the floor, or its documented exception");
                Ok(ExitCode::SUCCESS)
            } else {
                println!("guard: {} cells over their bound:\n{}", missed.len(), missed.join("\n"));
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
            let (mut seconds, mut rounds) = (5, 3);
            let mut rest = rest.iter();
            while let Some(flag) = rest.next() {
                match (*flag, rest.next()) {
                    ("--seconds", Some(s)) => seconds = parse_count(s)?,
                    ("--rounds", Some(r)) => rounds = parse_count(r)? as usize,
                    _ => return Err(format!("load: unexpected `{flag}`")),
                }
            }
            println!("{}", load::measure(seconds, rounds, 16)?);
            Ok(ExitCode::SUCCESS)
        }
        ["serve", variant] => {
            let variant = Variant::from_name(variant).ok_or(format!("unknown variant `{variant}`"))?;
            serve::serve(variant).map_err(|e| format!("serve failed: {e}"))?;
            Ok(ExitCode::SUCCESS)
        }
        ["compile-time", rest @ ..] => {
            let (mut routes, mut rounds, mut dir) = (200, None, compile_time::default_dir());
            let mut kind = compile_time::Kind::Named;
            let instructions = rest.contains(&"--instructions");
            let mut rest = rest.iter().filter(|flag| **flag != "--instructions");
            while let Some(flag) = rest.next() {
                match (*flag, rest.next()) {
                    ("--routes", Some(n)) => routes = parse_count(n)? as usize,
                    ("--rounds", Some(n)) => rounds = Some(parse_count(n)? as usize),
                    ("--kind", Some(k)) => {
                        kind = compile_time::Kind::from_name(k).ok_or(format!("unknown kind `{k}`"))?
                    }
                    ("--dir", Some(d)) => dir = PathBuf::from(d),
                    _ => return Err(format!("compile-time: unexpected `{flag}`")),
                }
            }
            let table = match (instructions, rounds) {
                (true, Some(_)) => {
                    return Err("compile-time: --rounds does not apply to --instructions (one counted build per app: the count does not vary)".into())
                }
                (true, None) => compile_instructions::measure(&dir, routes, kind)?.table(),
                (false, rounds) => compile_time::measure(&dir, routes, rounds.unwrap_or(5), kind)?,
            };
            println!("{table}");
            Ok(ExitCode::SUCCESS)
        }
        ["compile-guard", rest @ ..] => {
            let (mut routes, mut bound, mut dir) = (200, COMPILE_BOUND, compile_time::default_dir());
            let mut rest = rest.iter();
            while let Some(flag) = rest.next() {
                match (*flag, rest.next()) {
                    ("--routes", Some(n)) => routes = parse_count(n)? as usize,
                    ("--bound", Some(b)) => {
                        bound = b
                            .parse()
                            .ok()
                            .filter(|b: &f64| *b > 0.0)
                            .ok_or(format!("--bound: `{b}` is not a positive ratio"))?
                    }
                    ("--dir", Some(d)) => dir = PathBuf::from(d),
                    _ => return Err(format!("compile-guard: unexpected `{flag}`")),
                }
            }
            let counted = compile_instructions::measure(&dir, routes, compile_time::Kind::Named)?;
            println!("{}", counted.table());
            let ratio = counted.cors_ratio();
            if ratio > bound {
                println!("compile-guard: the `#[cors]` app takes {ratio:.3} × tower-http's flavour's instructions to build, over the bound of {bound:.2} × (DESIGN §9.4); docs/performance.md says how to find what grew");
                return Ok(ExitCode::FAILURE);
            }
            println!("compile-guard: {ratio:.3} × tower-http's flavour, within {bound:.2} ×");
            Ok(ExitCode::SUCCESS)
        }
        ["help" | "--help" | "-h"] => {
            println!("{}", usage());
            Ok(ExitCode::SUCCESS)
        }
        _ => Err("unknown command".into()),
    }
}

/// `table` and `guard`'s options.
struct MeasureOptions {
    iterations: u64,
    slack: f64,
    shapes: Vec<&'static Shape>,
}

fn measure_options(args: &[&str], slack_allowed: bool) -> Result<MeasureOptions, String> {
    let mut options = MeasureOptions { iterations: 1000, slack: 30.0, shapes: Vec::new() };
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        match (*flag, rest.next()) {
            ("--iterations", Some(value)) => options.iterations = parse_count(value)?,
            ("--slack", Some(value)) if slack_allowed => options.slack = parse_count(value)? as f64,
            ("--shape", Some(name)) => {
                options.shapes.push(Shape::from_name(name).ok_or(format!("unknown shape `{name}`"))?)
            }
            _ => return Err(format!("unexpected `{flag}`")),
        }
    }
    if options.shapes.is_empty() {
        options.shapes = Shape::ALL.to_vec();
    }
    Ok(options)
}

fn parse_count(n: &str) -> Result<u64, String> {
    match n.parse() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("`{n}` is not a positive count")),
    }
}
