//! `cors doctor`: being built (issue #12).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The URL the page's script would fetch.
    pub url: String,
    /// The page's origin, e.g. https://app.example.com.
    #[arg(long)]
    pub origin: String,
    #[arg(long, default_value = "GET")]
    pub method: String,
    /// A request header the script sets: `NAME` or `NAME: VALUE`; repeatable.
    #[arg(long = "header", value_name = "NAME[: VALUE]")]
    pub headers: Vec<String>,
    /// The script sends credentials (`credentials: "include"`).
    #[arg(long)]
    pub credentials: bool,
    /// One JSON document instead of the readable report.
    #[arg(long)]
    pub json: bool,
}

pub fn run(_args: Args) -> ExitCode {
    eprintln!("cors doctor: not built yet");
    ExitCode::from(2)
}
