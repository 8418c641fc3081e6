//! `cors`: the route table on the gateway side (`cors export nginx`), and a browser's view of any
//! live server (`cors doctor`). Usage errors exit with code 2, as clap does.

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
    /// Do what a browser on ORIGIN would do against URL, and report what a reviewer would find.
    Doctor(doctor::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Export(target) => export::run(target),
        Command::Doctor(args) => doctor::run(args),
    }
}
