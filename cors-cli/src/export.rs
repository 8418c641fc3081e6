//! `cors export nginx`: being built (issue #11).

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

pub fn run(_target: Target) -> ExitCode {
    eprintln!("cors export: not built yet");
    ExitCode::from(2)
}
