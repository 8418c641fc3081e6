//! A service in the shape real ones have: handlers in modules, shared state, a token-checking
//! middleware on the private routes, everything under `/api`, and `Routes::layer()` outermost,
//! so preflights never reach auth and a `401` is readable by the page that caused it.
//!
//! Run: `cargo run --example service` (or `-- --port 3000`), then try the printed curl commands.
//! `RUST_LOG=cors=debug` logs why each refused request was refused.

use std::io::IsTerminal;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use cors_examples::service_floor::FloorLayer;
use cors_examples::{curl_actual, curl_create_order, curl_preflight, CommandLine, DEMO_TOKEN};
use cors_runtime::{cors_policy, routes, Routes};
use tracing_subscriber::filter::{EnvFilter, LevelFilter};

/// The browser app, with cookies. Its origins are chosen per deployment:
/// `APP_ORIGINS="https://app.example.com https://admin.example.com"` in production; without it,
/// the development server `http://localhost:5173` (plain http is accepted with credentials on
/// loopback only). A bad entry stops the service at start-up, with every problem listed.
#[cors_policy(
    origins = env("APP_ORIGINS", default = "http://localhost:5173"),
    credentials,
    headers = ["authorization", "content-type", "x-request-id"],
    expose = ["etag", "x-request-id"],
    max_age = 600,
)]
pub struct AppSession;

/// Anyone may read the catalog; never with credentials.
#[cors_policy(origins = "*", expose = ["etag", "link", "retry-after"])]
pub struct PublicRead;

/// Admin-only routes: other origins are refused before the handler (and auth) runs.
#[cors_policy(origins = ["https://admin.example.com"], credentials, headers = ["authorization"], methods = [GET], strict)]
pub struct AdminOnly;

#[derive(Clone)]
pub struct AppState {
    /// The bearer token the auth middleware accepts (a real service checks a session store).
    token: Arc<str>,
}

impl Default for AppState {
    fn default() -> Self {
        AppState { token: DEMO_TOKEN.into() }
    }
}

/// Anyone may call these.
pub mod public {
    use axum::response::IntoResponse;
    use cors_runtime::cors;

    use super::PublicRead;

    #[cors(GET "/status", public)]
    pub async fn status() -> &'static str {
        "ok"
    }

    #[cors(GET "/catalog", public, policy = PublicRead)]
    pub async fn catalog() -> impl IntoResponse {
        ([("etag", "\"v1\""), ("link", "</api/catalog?page=2>; rel=\"next\"")], "[\"tea\",\"coffee\"]")
    }
}

pub mod account {
    use axum::response::IntoResponse;
    use cors_runtime::cors;

    use super::AppSession;

    #[cors(GET "/profile", policy = AppSession)]
    pub async fn profile() -> impl IntoResponse {
        ([("x-request-id", "req-42"), ("etag", "\"p1\"")], "{\"name\":\"Ada\"}")
    }
}

pub mod orders {
    use axum::extract::Path;
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    use cors_runtime::cors;

    use super::AppSession;

    #[cors(POST "/orders", policy = AppSession)]
    pub async fn create(body: String) -> impl IntoResponse {
        (StatusCode::CREATED, [("x-request-id", "req-43")], body)
    }

    #[cors(GET "/orders/{id}", origins = env("APP_ORIGINS", default = "http://localhost:5173"), credentials, expose = ["etag"])]
    pub async fn show(Path(id): Path<u32>) -> impl IntoResponse {
        ([("etag", format!("\"o{id}\""))], format!("{{\"id\":{id}}}"))
    }

    #[cors(PUT "/orders/{id}", policy = AppSession)]
    pub async fn replace(Path(id): Path<u32>, body: String) -> String {
        format!("{{\"id\":{id},\"replaced\":{body:?}}}")
    }

    #[cors(PATCH "/orders/{id}", policy = AppSession)]
    pub async fn update(Path(id): Path<u32>, body: String) -> String {
        format!("{{\"id\":{id},\"patched\":{body:?}}}")
    }

    #[cors(DELETE "/orders/{id}", policy = AppSession)]
    pub async fn delete(Path(_id): Path<u32>) -> StatusCode {
        StatusCode::NO_CONTENT
    }
}

pub mod admin {
    use cors_runtime::cors;

    use super::AdminOnly;

    #[cors(GET "/admin/audit", policy = AdminOnly)]
    pub async fn audit() -> &'static str {
        "{\"audit\":[]}"
    }
}

/// Where the API is served.
pub const PREFIX: &str = "/api";

/// The routes anyone may call, one list per module.
pub fn public_routes() -> Routes<AppState> {
    routes![public::status, public::catalog]
}

/// The routes behind the token check.
pub fn private_routes() -> Routes<AppState> {
    routes![account::profile]
        .merge(routes![orders::create, orders::show, orders::replace, orders::update, orders::delete])
        .merge(routes![admin::audit])
}

/// Every route, without the prefix.
pub fn routes() -> Routes<AppState> {
    public_routes().merge(private_routes())
}

/// Auth, as most services write it: a bearer token or `401`. It never sees a preflight (the
/// CORS layer outside answers those), and its `401` still carries the route's CORS headers.
pub async fn require_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let token = request.headers().get("authorization").and_then(|v| v.to_str().ok());
    match token.and_then(|v| v.strip_prefix("Bearer ")) {
        Some(token) if token == &*state.token => next.run(request).await,
        _ => (StatusCode::UNAUTHORIZED, [("www-authenticate", "Bearer")], "token required\n").into_response(),
    }
}

/// The service: public and private routes under `/api`, auth on the private ones, and the
/// CORS layer of the whole table outermost.
pub fn app(state: AppState) -> Router {
    let public = public_routes().nest(PREFIX);
    let private = private_routes().nest(PREFIX);
    let cors = public.clone().merge(private.clone()).layer();
    let private = Router::from(private).route_layer(middleware::from_fn_with_state(state.clone(), require_token));
    Router::new().merge(public).merge(private).layer(cors).with_state(state)
}

/// `--cors off`: serve [`app_without_cors`] instead (the load test's baseline); `--cors floor`,
/// [`app_floor`] (its yardstick); `--cors on`, the default, serves [`app`].
const CORS_FLAG: (&str, &str) = ("--cors", "on|off|floor");

/// The same service with CORS removed: the same handlers, state, auth and paths on plain axum
/// routes, and no layer. `tests/load/run.sh` measures the service's throughput against it
/// (`--cors off`), and `tests/examples.rs` checks that it serves the same routes.
pub fn app_without_cors(state: AppState) -> Router {
    use axum::routing::{get, post};
    let at = |path: &str| format!("{PREFIX}{path}");
    let public = Router::new().route(&at("/status"), get(public::status)).route(&at("/catalog"), get(public::catalog));
    let private = Router::new()
        .route(&at("/profile"), get(account::profile))
        .route(&at("/orders"), post(orders::create))
        .route(&at("/orders/{id}"), get(orders::show).put(orders::replace).patch(orders::update).delete(orders::delete))
        .route(&at("/admin/audit"), get(admin::audit))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_token));
    Router::new().merge(public).merge(private).with_state(state)
}

/// [`app_without_cors`] with the least hand-written CORS that answers as [`app`] does, where
/// [`app`] has `Routes::layer()` (`cors_examples::service_floor`): what `tests/load/instructions.sh`
/// measures the library against (`--cors floor`). The floor compares exact origins only, so an
/// `APP_ORIGINS` with a subdomain pattern is an error.
pub fn app_floor(state: AppState) -> Result<Router, String> {
    let floor = FloorLayer::new(AppSession::layer().policy().origins())?;
    Ok(app_without_cors(state).layer(floor))
}

#[tokio::main]
async fn main() {
    // Logs on stderr, so stdout stays the table, the commands and `--routes-json`. `RUST_LOG`
    // picks what is logged (e.g. `cors=debug` for every CORS refusal and why); info by default.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(EnvFilter::builder().with_default_directive(LevelFilter::INFO.into()).from_env_lossy())
        .init();
    let table = routes().nest(PREFIX);
    if let Err(e) = table.check() {
        eprintln!("service: the CORS configuration is invalid:\n{e}");
        std::process::exit(2);
    }
    cors_examples::print_routes_json_if_asked(&table);
    let command_line = CommandLine::parse(&[CORS_FLAG]);
    let (router, serving) = match command_line.as_ref().map(|line| line.value(CORS_FLAG.0)) {
        Ok(None | Some("on")) | Err(_) => (app(AppState::default()), ""),
        Ok(Some("off")) => (app_without_cors(AppState::default()), " (without CORS)"),
        Ok(Some("floor")) => match app_floor(AppState::default()) {
            Ok(router) => (router, " (CORS by the hand-written floor)"),
            Err(e) => {
                eprintln!("service: `--cors floor`: {e}");
                std::process::exit(2);
            }
        },
        Ok(Some(other)) => {
            eprintln!("service: `--cors {other}`: say `on`, `off` or `floor`");
            std::process::exit(2);
        }
    };
    let addr = match command_line.and_then(|line| line.listen_addr(3000)) {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("service: {e}");
            std::process::exit(2);
        }
    };
    println!("Routes and their CORS policies:\n\n{table}");
    let base = format!("http://{addr}{PREFIX}");
    // The page origin of the commands: the first one this deployment allows.
    let app_origin = &AppSession::layer().policy().origins()[0];
    println!("Try it (a preflight, then the actual request, as a browser on {app_origin} would send them):\n");
    println!("{}\n", curl_create_order(&base, app_origin));
    println!(
        "{}\n",
        curl_actual("GET", &format!("{base}/profile"), app_origin, &[&format!("Authorization: Bearer {DEMO_TOKEN}")])
    );
    println!(
        "Without a token: auth answers 401, and the CORS headers let the page read it:\n\n{}\n",
        curl_actual("GET", &format!("{base}/profile"), app_origin, &[])
    );
    println!(
        "A public route (any origin, no credentials, no token):\n\n{}\n",
        curl_actual("GET", &format!("{base}/catalog"), "https://elsewhere.example", &[])
    );
    println!(
        "A foreign origin (preflight refused with 403 and a reason):\n\n{}\n",
        curl_preflight(&format!("{base}/orders"), "https://evil.example", "POST", "content-type")
    );
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("service: cannot listen on {addr}: {e}");
            std::process::exit(1);
        }
    };
    println!("listening on http://{addr}{serving}");
    if let Err(e) = axum::serve(listener, router).await {
        eprintln!("service: {e}");
        std::process::exit(1);
    }
}
