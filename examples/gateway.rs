//! One browser-facing edge owns CORS (the field guide's "Option A"): the gateway applies one
//! named policy as a tower layer and forwards everything to an internal service that knows
//! nothing about CORS, started here on the next loopback port.
//!
//! Run: `cargo run --example gateway` (or `-- --port 8080`), then try the printed curl commands.

use std::io::IsTerminal;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use cors_examples::{curl_actual, curl_create_order, listen_addr};
use cors_runtime::cors_policy;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tracing_subscriber::filter::{EnvFilter, LevelFilter};

/// The one policy at the edge: the browser app and the admin console, with cookies.
#[cors_policy(
    origins = ["https://app.example.com", "https://admin.example.com", "http://localhost:5173"],
    credentials,
    methods = [GET, POST, PUT, PATCH, DELETE],
    headers = ["authorization", "content-type", "x-request-id"],
    expose = ["etag", "x-request-id"],
    max_age = 600,
)]
pub struct Edge;

/// The internal service: plain axum, no CORS. `/legacy` sets a CORS header of its own, as
/// services that predate the gateway do; the gateway's policy replaces it.
fn upstream() -> Router {
    Router::new()
        .route("/orders", post(|body: String| async move { (StatusCode::CREATED, [("x-request-id", "req-7")], body) }))
        .route("/profile", get(|| async { ([("etag", "\"p1\"")], "{\"name\":\"Ada\"}") }))
        .route("/legacy", get(|| async { ([("access-control-allow-origin", "*")], "legacy") }))
}

type HttpClient = Client<HttpConnector, Body>;

#[derive(Clone)]
struct Upstream {
    client: HttpClient,
    base: String,
}

async fn proxy(State(upstream): State<Upstream>, mut request: Request) -> Response {
    let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
    let Ok(uri) = format!("{}{path}", upstream.base).parse::<Uri>() else {
        return (StatusCode::BAD_REQUEST, "invalid request target").into_response();
    };
    *request.uri_mut() = uri;
    match upstream.client.request(request).await {
        Ok(response) => response.into_response(),
        Err(_) => (StatusCode::BAD_GATEWAY, "upstream unavailable").into_response(),
    }
}

/// The gateway: forward everything, with the edge policy around it.
fn gateway(upstream_base: String) -> Router {
    let client: HttpClient = Client::builder(TokioExecutor::new()).build(HttpConnector::new());
    Router::new().fallback(proxy).with_state(Upstream { client, base: upstream_base }).layer(Edge::layer())
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("gateway: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    // Logs on stderr, so stdout stays the table, the commands and `--routes-json`. `RUST_LOG`
    // picks what is logged (e.g. `cors=debug` for every CORS refusal and why); info by default.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(EnvFilter::builder().with_default_directive(LevelFilter::INFO.into()).from_env_lossy())
        .init();
    // The edge as a route table: every method of `Edge` at every path.
    cors_examples::print_routes_json_if_asked(&Edge::layer());
    let addr = listen_addr(8080)?;
    let upstream_addr = std::net::SocketAddr::from(([127, 0, 0, 1], addr.port().wrapping_add(1).max(1)));
    let bind =
        |a| async move { tokio::net::TcpListener::bind(a).await.map_err(|e| format!("cannot listen on {a}: {e}")) };
    let upstream_listener = bind(upstream_addr).await?;
    let gateway_listener = bind(addr).await?;
    tokio::spawn(async move { axum::serve(upstream_listener, upstream()).await });

    let base = format!("http://{addr}");
    let app = "https://app.example.com";
    println!("Gateway {base} -> upstream http://{upstream_addr}, one policy at the edge:\n");
    println!("POLICY  ORIGINS                                                                  CREDENTIALS  METHODS");
    let policy = Edge::layer().policy();
    let methods: Vec<&str> = policy.methods().iter().map(|m| m.as_str()).collect();
    println!("Edge    {:<72} {:<12} {}\n", policy.origins().join(", "), policy.credentials(), methods.join(", "));
    println!("Try it:\n");
    println!("{}\n", curl_create_order(&base, app));
    println!(
        "An upstream that sets its own CORS header (the edge policy replaces it, and logs a warning):\n\n{}\n",
        curl_actual("GET", &format!("{base}/legacy"), "https://evil.example", &[])
    );
    println!("listening on {base}");
    axum::serve(gateway_listener, gateway(format!("http://{upstream_addr}"))).await.map_err(|e| e.to_string())
}
