//! `cors export`: route tables (`--routes-json`, DESIGN §8.3) in, a gateway configuration out.
//! Bad input is one line on stderr and exit code 2, like a usage error.

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
}

pub fn run(target: Target) -> ExitCode {
    let Target::Nginx { listen, tables } = target;
    match export_nginx(listen, &tables) {
        Ok(config) => {
            print!("{config}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("cors export nginx: {message}");
            ExitCode::from(2)
        }
    }
}

fn export_nginx(listen: u16, arguments: &[String]) -> Result<String, String> {
    let tables = arguments.iter().map(|a| table::load(a)).collect::<Result<Vec<_>, _>>()?;
    let gateway = gateway::Gateway::new(&tables)?;
    Ok(nginx::render(&gateway, listen))
}
