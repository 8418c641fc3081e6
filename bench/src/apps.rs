//! The ways of serving a shape (`shapes.rs`): bare axum, with an inner middleware, axum's
//! `Router::layer` with an identity layer (its own cost), `routes![...]`, `Routes::layer()` in its
//! documented form, the named policy's layer and tower-http's `CorsLayer` (each through
//! `Router::layer` and as the outer service).

use axum::body::Body;
use axum::extract::Request as AxumRequest;
use axum::middleware::{from_fn, Next};
use axum::Router;
use cors_runtime::__private::Origins;
use cors_runtime::{Policy, PolicyService};
use tower::layer::util::Identity;
use tower::Layer;
use tower_http::cors::{AllowOrigin, Cors, CorsLayer};

use crate::floor::FloorService;
use crate::shapes::Shape;

/// One way of serving a shape's routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Bare,
    BareIdentity,
    BareMiddleware,
    BareMiddlewareIdentity,
    Routes,
    RoutesLayer,
    PolicyLayer,
    PolicyOuter,
    TowerHttpLayer,
    TowerHttpOuter,
    FloorRoutes,
    FloorOuter,
    FloorLayer,
    FloorRoutesLayer,
}

impl Variant {
    pub const ALL: [Variant; 14] = [
        Variant::Bare,
        Variant::BareIdentity,
        Variant::BareMiddleware,
        Variant::BareMiddlewareIdentity,
        Variant::Routes,
        Variant::RoutesLayer,
        Variant::PolicyLayer,
        Variant::PolicyOuter,
        Variant::TowerHttpLayer,
        Variant::TowerHttpOuter,
        Variant::FloorRoutes,
        Variant::FloorOuter,
        Variant::FloorLayer,
        Variant::FloorRoutesLayer,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Bare => "bare",
            Variant::BareIdentity => "bare-identity",
            Variant::BareMiddleware => "bare-middleware",
            Variant::BareMiddlewareIdentity => "bare-middleware-identity",
            Variant::Routes => "routes",
            Variant::RoutesLayer => "routes-layer",
            Variant::PolicyLayer => "policy-layer",
            Variant::PolicyOuter => "policy-outer",
            Variant::TowerHttpLayer => "tower-http-layer",
            Variant::TowerHttpOuter => "tower-http-outer",
            Variant::FloorRoutes => "floor-routes",
            Variant::FloorOuter => "floor-outer",
            Variant::FloorLayer => "floor-layer",
            Variant::FloorRoutesLayer => "floor-routes-layer",
        }
    }

    /// How the table describes it.
    pub fn label(self) -> &'static str {
        match self {
            Variant::Bare => "bare axum (no CORS)",
            Variant::BareIdentity => "bare + identity layer via `Router::layer`",
            Variant::BareMiddleware => "bare + middleware (no CORS)",
            Variant::BareMiddlewareIdentity => "bare + middleware + identity layer via `Router::layer`",
            Variant::Routes => "`routes![...]`",
            Variant::RoutesLayer => "`Routes::layer()` via `Router::layer`, middleware inside",
            Variant::PolicyLayer => "`NAME::layer()` via `Router::layer`",
            Variant::PolicyOuter => "`NAME::layer()` as outer service",
            Variant::TowerHttpLayer => "tower-http `CorsLayer` via `Router::layer`",
            Variant::TowerHttpOuter => "tower-http `CorsLayer` as outer service",
            Variant::FloorRoutes => "floor: per route, `.options_service(...)` per path",
            Variant::FloorOuter => "floor: outer service",
            Variant::FloorLayer => "floor: layer via `Router::layer`",
            Variant::FloorRoutesLayer => "floor: route-aware layer via `Router::layer`, middleware inside",
        }
    }

    pub fn from_name(name: &str) -> Option<Variant> {
        Variant::ALL.into_iter().find(|v| v.name() == name)
    }

    pub fn has_cors(self) -> bool {
        !matches!(
            self,
            Variant::Bare | Variant::BareIdentity | Variant::BareMiddleware | Variant::BareMiddlewareIdentity
        )
    }

    /// The library's own forms (which DESIGN §9.4's bounds hold).
    pub fn is_library(self) -> bool {
        matches!(self, Variant::Routes | Variant::RoutesLayer | Variant::PolicyOuter | Variant::PolicyLayer)
    }

    /// The hand-written floor in the same position (DESIGN §9.4, `floor/`).
    pub fn floor(self) -> Option<Variant> {
        match self {
            Variant::Routes => Some(Variant::FloorRoutes),
            Variant::RoutesLayer => Some(Variant::FloorRoutesLayer),
            Variant::PolicyOuter | Variant::TowerHttpOuter => Some(Variant::FloorOuter),
            Variant::PolicyLayer | Variant::TowerHttpLayer => Some(Variant::FloorLayer),
            _ => None,
        }
    }

    /// The same app without CORS: what this variant's CORS cost is measured against.
    pub fn without_cors(self) -> Variant {
        match self {
            Variant::RoutesLayer | Variant::FloorRoutesLayer | Variant::BareMiddlewareIdentity => {
                Variant::BareMiddleware
            }
            _ => Variant::Bare,
        }
    }

    /// Builds `shape`'s app served this way, with its routes turned into services once as
    /// `axum::serve` does (`Router::with_state`): a router called without that builds each
    /// handler's service again on every request, which no served app pays.
    pub fn app(self, shape: &Shape) -> App {
        (shape.setup)();
        let bare = shape.bare;
        let with_middleware = || bare().layer(from_fn(pass_through));
        let tower_http = || tower_http_cors(shape);
        let router = match self {
            Variant::Bare => bare(),
            Variant::BareIdentity => bare().layer(Identity::new()),
            Variant::BareMiddleware => with_middleware(),
            Variant::BareMiddlewareIdentity => with_middleware().layer(Identity::new()),
            Variant::Routes => Router::new().merge((shape.routes)()),
            Variant::RoutesLayer => {
                // DESIGN §8.1's documented form: the routes, a middleware, the layer outermost.
                let routes = (shape.routes)();
                let cors = routes.layer();
                Router::new().merge(routes).layer(from_fn(pass_through)).layer(cors)
            }
            Variant::PolicyLayer => bare().layer((shape.policy_layer)()),
            Variant::TowerHttpLayer => bare().layer(tower_http()),
            Variant::FloorRoutes => (shape.floor_routes)(),
            Variant::FloorLayer => bare().layer((shape.floor_layer)()),
            Variant::FloorRoutesLayer => with_middleware().layer((shape.floor_routes_layer)()),
            Variant::FloorOuter => return App::FloorOuter((shape.floor_layer)().layer(bare().with_state(()))),
            Variant::PolicyOuter => return App::PolicyOuter((shape.policy_layer)().layer(bare().with_state(()))),
            Variant::TowerHttpOuter => return App::TowerHttpOuter(tower_http().layer(bare().with_state(()))),
        };
        App::Router(router.with_state(()))
    }
}

/// A built app: the three service types the variants produce, so each is driven without boxing
/// (which would add costs of its own). One app is built per run, so its size does not matter.
#[allow(clippy::large_enum_variant)]
pub enum App {
    Router(Router),
    PolicyOuter(PolicyService<Router>),
    TowerHttpOuter(Cors<Router>),
    FloorOuter(FloorService<Router>),
}

/// Calls `$body` with `$service` bound to the concrete service inside an [`App`].
#[macro_export]
macro_rules! with_service {
    ($app:expr, |$service:ident| $body:expr) => {
        match $app {
            $crate::apps::App::Router($service) => $body,
            $crate::apps::App::PolicyOuter($service) => $body,
            $crate::apps::App::TowerHttpOuter($service) => $body,
            $crate::apps::App::FloorOuter($service) => $body,
        }
    };
}

/// The inner middleware of the `Routes::layer()` variant (and of its baseline): an
/// `axum::middleware::from_fn` that passes every request on, as an auth check that lets it
/// through would.
async fn pass_through(request: AxumRequest, next: Next) -> axum::response::Response {
    next.run(request).await
}

/// `shape`'s policy in tower-http's terms, built from the same compiled policy so the two can
/// never drift apart. tower-http has no per-route methods, so it lists the shape's methods;
/// a subdomain pattern becomes a predicate (tower-http's way to write one) that asks the policy.
pub fn tower_http_cors(shape: &Shape) -> CorsLayer {
    let policy: &'static Policy = (shape.policy)();
    let origins = match &policy.origins {
        Origins::Any => AllowOrigin::any(),
        Origins::List(list) if list.patterns.is_empty() => AllowOrigin::list(list.exact_values.iter().cloned()),
        Origins::List(_) | Origins::Dynamic(_) => {
            AllowOrigin::predicate(move |origin, _| policy.allow_origin(origin).is_some())
        }
        Origins::Env(_) => AllowOrigin::list(policy.origins().iter().map(|o| o.parse().expect("checked origins"))),
    };
    let headers: Vec<http::HeaderName> = policy.headers().iter().map(|h| h.parse().expect("checked names")).collect();
    let expose: Vec<http::HeaderName> = policy.expose().iter().map(|h| h.parse().expect("checked names")).collect();
    CorsLayer::new()
        .allow_origin(origins)
        .allow_credentials(policy.credentials())
        .allow_methods(shape.methods())
        .allow_headers(headers)
        .expose_headers(expose)
        .max_age(std::time::Duration::from_secs(policy.max_age().into()))
}

/// Keeps the request body type in one place.
pub type Request = http::Request<Body>;
pub type Response = http::Response<Body>;
