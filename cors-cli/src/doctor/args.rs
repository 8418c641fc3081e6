//! The command line of `cors doctor`, as clap reads it.

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
    /// Seconds each exchange may take, connecting included.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub timeout: f64,
}
