//! `cors export`: route tables (`--routes-json`, DESIGN §8.3) in, a gateway configuration out.
//! Bad input is one line on stderr and exit code 2, like a usage error.

mod envoy;
mod gateway;
mod nginx;
mod regex;
pub mod table;

use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Target {
    /// An nginx `http`-context file that makes nginx the one owner of CORS for every route.
    Nginx {
        /// The port the generated `server` listens on.
        #[arg(long, default_value_t = 8080)]
        listen: u16,
        /// TABLE.json=UPSTREAM_URL, one per service.
        #[arg(required = true, value_name = "TABLE.json=UPSTREAM_URL")]
        tables: Vec<String>,
    },
    /// A static Envoy bootstrap (YAML) that makes Envoy the one owner of CORS for every route.
    Envoy {
        /// The port the generated listener listens on.
        #[arg(long, default_value_t = 8080)]
        listen: u16,
        /// TABLE.json=UPSTREAM_URL, one per service.
        #[arg(required = true, value_name = "TABLE.json=UPSTREAM_URL")]
        tables: Vec<String>,
    },
}

pub fn run(target: Target) -> ExitCode {
    let (name, result) = match target {
        Target::Nginx { listen, tables } => ("nginx", with_gateway(&tables, |g| nginx::render(g, listen))),
        Target::Envoy { listen, tables } => ("envoy", with_gateway(&tables, |g| envoy::render(g, listen))),
    };
    match result {
        Ok(config) => {
            print!("{config}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("cors export {name}: {message}");
            ExitCode::from(2)
        }
    }
}

/// Reads and checks the `TABLE.json=UPSTREAM_URL` arguments, merges them, and renders.
fn with_gateway(arguments: &[String], render: impl Fn(&gateway::Gateway<'_>) -> String) -> Result<String, String> {
    let tables = arguments.iter().map(|a| table::load(a)).collect::<Result<Vec<_>, _>>()?;
    let gateway = gateway::Gateway::new(&tables)?;
    Ok(render(&gateway))
}
