//! `cargo run --release -p bench -- <command>`; see `usage()`.

use std::process::ExitCode;

use std::path::PathBuf;

use bench::{compile_time, driver, load, serve, table, Scenario, Variant};

fn usage() -> &'static str {
    "usage: bench <command>
  table [--iterations N]         per-request instructions (callgrind) and allocations of every
                                 variant and request, with DESIGN §5's targets checked; runs this
                                 binary under valgrind with N and 2N requests per row (default 1000)
  run VARIANT SCENARIO N         send N requests in process and print the allocations made
                                 (what `table` runs under valgrind)
  load [--seconds S]             wrk (1 thread, 16 connections, S seconds, default 10) against
                                 `serve` for each variant on loopback; requests/s and ratios
  serve VARIANT                  serve the variant on 127.0.0.1 (prints `listening PORT`)
  compile-time [--routes N] [--dir DIR]
                                 build a N-route app (default 200) as plain axum, axum + one
                                 tower-http layer and #[cors] routes in DIR (default: a temp dir
                                 outside the repository); times each app crate, deps prebuilt
variants: bare, tower-http-layer, tower-http-outer, routes, policy-layer, policy-outer
scenarios: simple, preflight, foreign"
}

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
            let (report, all_met) = table::measure(n)?;
            println!("{report}");
            Ok(if all_met { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        ["run", variant, scenario, n] => {
            let variant = Variant::from_name(variant).ok_or(format!("unknown variant `{variant}`"))?;
            let scenario = Scenario::from_name(scenario).ok_or(format!("unknown scenario `{scenario}`"))?;
            println!("allocations {}", driver::allocations_of(variant, scenario, parse_count(n)?));
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
