//! `cors`: the route table on the gateway side (`cors export nginx`), and a browser's view of any
//! live server (`cors doctor`), or of a whole deployment against its table (`cors doctor --routes`).
//! Usage errors exit with code 2, as clap does.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod doctor;
mod export;

#[derive(Parser)]
#[command(name = "cors", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Turn route tables (`--routes-json`) into a gateway configuration.
    #[command(subcommand)]
    Export(export::Target),
    /// Do what a browser on ORIGIN would do against URL, and report what a reviewer would find;
    /// with --routes TABLE.json, check every route of a service's table against the deployment at URL.
    Doctor(doctor::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Export(target) => export::run(target),
        Command::Doctor(args) => doctor::run(args),
    }
}
