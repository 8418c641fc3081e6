//! `cors export`: route tables (`--routes-json`, DESIGN §8.3) in, a gateway configuration out.
//! Bad input is one line on stderr and exit code 2, like a usage error.

mod envoy;
mod gateway;
mod gateway_api;
mod nginx;
mod regex;
pub mod table;

use std::process::ExitCode;

/// The `Access-Control-*` headers CORS defines (`HTTPHeaderFilter.remove` holds 16, so
/// gateway-api removes them all): a gateway that owns CORS drops the upstream's own.
const ACCESS_CONTROL_HEADERS: [&str; 10] = [
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Credentials",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Allow-Private-Network",
    "Access-Control-Expose-Headers",
    "Access-Control-Max-Age",
    "Access-Control-Request-Method",
    "Access-Control-Request-Headers",
    "Access-Control-Request-Private-Network",
];

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
    /// Kubernetes Gateway API `HTTPRoute` resources (YAML) with one `CORS` filter per rule.
    GatewayApi {
        /// The Gateway the routes attach to (`parentRefs`): NAME, or NAMESPACE/NAME when it
        /// lives in another namespace than the routes.
        #[arg(long, value_name = "GATEWAY")]
        parent: String,
        /// The namespace of the routes and their Services (`metadata.namespace`); without it,
        /// the one `kubectl apply` uses.
        #[arg(long, value_name = "NS")]
        namespace: Option<String>,
        /// TABLE.json=SERVICE:PORT, one per service.
        #[arg(required = true, value_name = "TABLE.json=SERVICE:PORT")]
        tables: Vec<String>,
    },
}

pub fn run(target: Target) -> ExitCode {
    let plain = |config: String| (config, Vec::new());
    let (name, result) = match target {
        Target::Nginx { listen, tables } => {
            ("nginx", with_gateway(&tables, table::load, |g| Ok(plain(nginx::render(g, listen)))))
        }
        Target::Envoy { listen, tables } => {
            ("envoy", with_gateway(&tables, table::load, |g| Ok(plain(envoy::render(g, listen)))))
        }
        Target::GatewayApi { parent, namespace, tables } => (
            "gateway-api",
            gateway_api::Target::new(&parent, namespace.as_deref())
                .and_then(|target| with_gateway(&tables, gateway_api::load, |g| target.render(g))),
        ),
    };
    match result {
        Ok((config, notes)) => {
            // What the configuration cannot express, on stderr too, so no one misses it.
            for note in notes {
                eprintln!("cors export {name}: {note}");
            }
            print!("{config}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("cors export {name}: {message}");
            ExitCode::from(2)
        }
    }
}

/// Reads and checks the `TABLE.json=TARGET` arguments with `load`, merges them, and renders.
fn with_gateway<U, T>(
    arguments: &[String],
    load: fn(&str) -> Result<table::Table<U>, String>,
    render: impl Fn(&gateway::Gateway<'_, U>) -> Result<T, String>,
) -> Result<T, String> {
    let tables = arguments.iter().map(|a| load(a)).collect::<Result<Vec<_>, _>>()?;
    let gateway = gateway::Gateway::new(&tables)?;
    render(&gateway)
}
