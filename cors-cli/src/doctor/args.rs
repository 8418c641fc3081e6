//! The command line of `cors doctor`, as clap reads it: one URL, or with `--routes` every route of
//! a service's table against a base URL.
//!
//! The doc comments below are clap's `--help` text, where a bare URL reads best.
#![allow(rustdoc::bare_urls)]

#[derive(clap::Args)]
pub struct Args {
    /// The URL the page's script would fetch; with --routes, the base URL the table's paths are
    /// appended to (e.g. https://api.example.com, or https://example.com/backend behind a prefix).
    #[arg(value_name = "URL")]
    pub url: String,
    /// The page's origin, e.g. https://app.example.com. With --routes (repeatable): the frontends
    /// of the deployment, used for `env` and `dynamic` routes (and public ones).
    #[arg(long, value_name = "ORIGIN")]
    pub origin: Vec<String>,
    /// The call's method [default: GET]; with --routes, each route's own.
    #[arg(long)]
    pub method: Option<String>,
    /// A request header the script sets: `NAME` (sent with a plausible value) or `NAME: VALUE`;
    /// repeatable. With --routes, each route's allowed headers.
    #[arg(long = "header", value_name = "NAME[: VALUE]")]
    pub headers: Vec<String>,
    /// The script sends credentials (`credentials: "include"`); with --routes, as each route says.
    #[arg(long)]
    pub credentials: bool,
    /// A response header the page's script needs to read (checklist item 7); repeatable. With
    /// --routes, needed from every route, besides each route's own `expose`.
    #[arg(long = "expose", value_name = "NAME")]
    pub expose: Vec<String>,
    /// Check every route of TABLE.json (a service's `--routes-json`) against the deployment at URL.
    #[arg(long, value_name = "TABLE.json")]
    pub routes: Option<String>,
    /// One JSON document instead of the readable report.
    #[arg(long)]
    pub json: bool,
    /// Seconds each exchange may take, connecting included.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub timeout: f64,
}
