//! The app shapes of DESIGN §8.4, each a small app of its own: one named policy, the routes that
//! use it, and the requests a browser would send it. The bench serves every shape every way
//! (`apps.rs`), so a cost that only one shape has cannot hide behind the others.
//!
//! Each shape changes one thing from §5's shape (the first table, see docs/performance.md),
//! except `real app`, which puts the measured shape together. Shapes are written with
//! `shape!`, so every one of them gets the same bare router, `routes![...]` list and policy
//! accessors.

use axum::http::header::{ETAG, VARY};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use cors_runtime::{Policy, PolicyLayer, Routes};

/// One shape of app: its routes (with and without CORS), its policy and the requests the
/// scenarios send (`scenarios.rs`).
pub struct Shape {
    /// The name used on the command line.
    pub name: &'static str,
    /// How the table describes it.
    pub label: &'static str,
    /// The routes without CORS: the same handlers on plain axum routes.
    pub bare: fn() -> Router,
    /// The `#[cors]` routes of the shape, as `routes![...]` lists them.
    pub routes: fn() -> Routes,
    /// The shape's named policy (every route of a shape uses it).
    pub policy: fn() -> &'static Policy,
    /// `NAME::layer()` of that policy.
    pub policy_layer: fn() -> PolicyLayer,
    /// Runs before any app of the shape is built (e.g. filling an `origins = dynamic` list);
    /// written `setup { ... }` after `floor origin`, nothing by default.
    pub setup: fn(),
    /// The per-route floor: the same routes with hand-written CORS in each handler and a
    /// hand-written `OPTIONS` service per path.
    pub floor_routes: fn() -> Router,
    /// The floor as one outer service (where `NAME::layer()` stands).
    pub floor_layer: fn() -> crate::floor::FloorLayer,
    /// The floor as a route-aware layer (where `Routes::layer()` stands).
    pub floor_routes_layer: fn() -> crate::floor::FloorRoutesLayer,
    /// `GET` here is the allowed simple request.
    pub simple_path: &'static str,
    /// The origin the simple request and the preflight come from.
    pub origin: &'static str,
    /// The preflight asks for this method at this path (with `authorization, content-type`).
    pub preflight: (&'static str, &'static str),
}

/// The bodies the shapes' handlers return: the same function serves the bare route and the
/// `#[cors]` one, so both pay the same for it.
pub mod handlers {
    use super::*;

    /// A JSON-ish body and nothing else: axum sets `content-type`, no header of the handler's own.
    pub fn body_only() -> Response {
        "{}".into_response()
    }

    /// What a created resource returns.
    pub fn created() -> Response {
        StatusCode::CREATED.into_response()
    }

    pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

    /// A handler that sets headers of its own: the two the policy exposes, and its own `Vary`
    /// (as a compression layer would), which CORS must merge `Origin` into.
    pub fn own_headers() -> Response {
        (
            [
                (ETAG, HeaderValue::from_static("\"v1\"")),
                (X_REQUEST_ID, HeaderValue::from_static("7f3c9a")),
                (VARY, HeaderValue::from_static("accept-encoding")),
            ],
            "{}",
        )
            .into_response()
    }
}

/// Writes one shape as a module: the named policy, one `#[cors]` handler per route (each
/// returning a body from [`handlers`]), the same routes bare, the shape's floor (`floor/`: the
/// same handlers with the policy written around them by hand, its `OPTIONS` services and its
/// route table as a `match`), and the `SHAPE` constant. Adding a shape is one more `shape!`
/// and its line in [`Shape::ALL`]; every form, floor and table row follows from it.
///
/// `floor origin` is the shape's hand-written origin check, on the `Origin` value's bytes: the
/// least code that decides this shape's origins correctly (not the library's matcher). For
/// `origins = dynamic`, DESIGN §9.1 compares with the same policy written as a three-origin
/// list, so that shape's floor checks three literal origins (and its `setup { ... }` fills the
/// list in force).
macro_rules! shape {
    (
        $(#[doc = $doc:literal])*
        mod $module:ident ($label:literal);
        policy $policy:ident($($policy_args:tt)*);
        floor origin $floor_origin:expr;
        $(setup $setup:block)?
        routes { $($path:literal { $($handler:ident: $method:ident $(, $public:ident)? => $body:ident;)+ })+ }
        simple GET $simple_path:literal from $origin:literal;
        preflight $preflight_method:literal $preflight_path:literal;
    ) => {
        $(#[doc = $doc])*
        pub mod $module {
            use cors_runtime::{cors, cors_policy, routes, NamedPolicy};

            #[cors_policy($($policy_args)*)]
            pub struct $policy;

            $($(
                #[cors($method $path $(, $public)?, policy = $policy)]
                pub async fn $handler() -> axum::response::Response {
                    super::handlers::$body()
                }
            )+)+

            /// The floor's handlers: each shape handler with the policy written around it.
            mod floor_handlers {
                $($(
                    pub async fn $handler(request: axum::extract::Request) -> axum::response::Response {
                        let floor = super::floor();
                        let allow = floor.allow_with(request.headers(), $floor_origin);
                        let mut response = super::super::handlers::$body();
                        floor.finish(allow, response.headers_mut());
                        response
                    }
                )+)+
            }

            fn floor() -> &'static crate::floor::Floor {
                static FLOOR: std::sync::OnceLock<crate::floor::Floor> = std::sync::OnceLock::new();
                FLOOR.get_or_init(|| crate::floor::Floor::new(<$policy as NamedPolicy>::policy(), $floor_origin))
            }

            /// The shape's route table as a hand-written layer matches it.
            fn floor_table(path: &str) -> Option<&'static [http::Method]> {
                match path {
                    $($path => Some(&[$(http::Method::$method),+]),)+
                    _ => None,
                }
            }

            pub const SHAPE: super::Shape = super::Shape {
                name: stringify!($module),
                label: $label,
                bare: || {
                    axum::Router::new()
                        $($(.route($path, axum::routing::on(axum::routing::MethodFilter::$method, $handler)))+)+
                },
                routes: || routes![$($($handler),+),+],
                policy: <$policy as NamedPolicy>::policy,
                policy_layer: $policy::layer,
                setup: || { $($setup)? },
                floor_routes: || {
                    axum::Router::new()
                        $(.route(
                            $path,
                            axum::routing::MethodRouter::new()
                                $(.on(axum::routing::MethodFilter::$method, floor_handlers::$handler))+
                                .options_service(tower::service_fn(|request: axum::extract::Request| {
                                    std::future::ready(Ok::<_, std::convert::Infallible>(
                                        floor().options(&request, &[$(http::Method::$method),+]),
                                    ))
                                })),
                        ))+
                },
                floor_layer: || crate::floor::FloorLayer { floor: floor(), methods: &[$($(http::Method::$method),+),+] },
                floor_routes_layer: || crate::floor::FloorRoutesLayer { floor: floor(), table: floor_table },
                simple_path: $simple_path,
                origin: $origin,
                preflight: ($preflight_method, $preflight_path),
            };
        }
    };
}

shape! {
    /// DESIGN §5's shape, the one the first table measured (docs/performance.md): a handler that
    /// sets no header of its own, the origin first of two, one method per path.
    mod single ("§5: no own header, origin 1st of 2, one method per path");
    policy AppSession(
        origins = ["https://app.example.com", "https://admin.example.com"],
        credentials,
        headers = ["authorization", "content-type"],
        expose = ["etag"],
        max_age = 600,
    );
    floor origin |o| matches!(o, b"https://app.example.com" | b"https://admin.example.com");
    routes {
        "/profile" {
            profile: GET => body_only;
        }
        "/orders" {
            create_order: POST => created;
        }
    }
    simple GET "/profile" from "https://app.example.com";
    preflight "POST" "/orders";
}

shape! {
    /// The handler sets `etag` and `x-request-id` (both exposed) and its own `Vary`.
    mod own_headers ("handler sets etag, x-request-id and Vary");
    policy AppSession(
        origins = ["https://app.example.com", "https://admin.example.com"],
        credentials,
        headers = ["authorization", "content-type"],
        expose = ["etag", "x-request-id"],
        max_age = 600,
    );
    floor origin |o| matches!(o, b"https://app.example.com" | b"https://admin.example.com");
    routes {
        "/profile" {
            profile: GET => own_headers;
        }
        "/orders" {
            create_order: POST => created;
        }
    }
    simple GET "/profile" from "https://app.example.com";
    preflight "POST" "/orders";
}

shape! {
    /// The origin last of four, as written and as sorted.
    mod fourth_origin ("origin 4th of 4");
    policy AppSession(
        origins = [
            "https://app.example.com",
            "https://admin.example.com",
            "https://partner.example.net",
            "https://www.example.org",
        ],
        credentials,
        headers = ["authorization", "content-type"],
        expose = ["etag"],
        max_age = 600,
    );
    floor origin |o| {
        matches!(
            o,
            b"https://app.example.com" | b"https://admin.example.com" | b"https://partner.example.net" | b"https://www.example.org"
        )
    };
    routes {
        "/profile" {
            profile: GET => body_only;
        }
        "/orders" {
            create_order: POST => created;
        }
    }
    simple GET "/profile" from "https://www.example.org";
    preflight "POST" "/orders";
}

shape! {
    /// The origin matches a subdomain pattern, not an exact entry.
    mod pattern_origin ("origin matched by `https://*.tenants.example.com`");
    policy AppSession(
        origins = ["https://app.example.com", "https://*.tenants.example.com"],
        credentials,
        headers = ["authorization", "content-type"],
        expose = ["etag"],
        max_age = 600,
    );
    floor origin |o| o == b"https://app.example.com" || crate::floor::subdomain_of(o, b"https://", b".tenants.example.com");
    routes {
        "/profile" {
            profile: GET => body_only;
        }
        "/orders" {
            create_order: POST => created;
        }
    }
    simple GET "/profile" from "https://acme.tenants.example.com";
    preflight "POST" "/orders";
}

shape! {
    /// Three methods at one path; the preflight asks for the last one listed.
    mod several_methods ("GET, POST and DELETE at one path");
    policy AppSession(
        origins = ["https://app.example.com", "https://admin.example.com"],
        credentials,
        headers = ["authorization", "content-type"],
        expose = ["etag"],
        max_age = 600,
    );
    floor origin |o| matches!(o, b"https://app.example.com" | b"https://admin.example.com");
    routes {
        "/orders" {
            list_orders: GET => body_only;
            create_order: POST => created;
            delete_orders: DELETE => created;
        }
    }
    simple GET "/orders" from "https://app.example.com";
    preflight "DELETE" "/orders";
}

shape! {
    /// A public route: `Access-Control-Allow-Origin: *`, no credentials, no `Vary`.
    mod public ("public route (`origins = \"*\"`)");
    policy PublicRead(
        origins = "*",
        headers = ["authorization", "content-type"],
        expose = ["etag"],
        max_age = 600,
    );
    floor origin |_| true;
    routes {
        "/profile" {
            catalog: GET, public => body_only;
        }
        "/orders" {
            create_order: POST, public => created;
        }
    }
    simple GET "/profile" from "https://app.example.com";
    preflight "POST" "/orders";
}

shape! {
    /// Origins from the environment (`BENCH_APP_ORIGINS`, unset in the bench, so its default:
    /// the same two origins as §5's shape, read and checked at start-up).
    mod env_origins ("`origins = env(...)`");
    policy AppSession(
        origins = env("BENCH_APP_ORIGINS", default = "https://app.example.com https://admin.example.com"),
        credentials,
        headers = ["authorization", "content-type"],
        expose = ["etag"],
        max_age = 600,
    );
    floor origin |o| crate::floor::env_origins("BENCH_APP_ORIGINS", "https://app.example.com https://admin.example.com", o);
    routes {
        "/profile" {
            profile: GET => body_only;
        }
        "/orders" {
            create_order: POST => created;
        }
    }
    simple GET "/profile" from "https://app.example.com";
    preflight "POST" "/orders";
}

shape! {
    /// The measured shape, all at once: the handler's own headers, the origin second of
    /// three, `GET` and `POST` at one path.
    mod real_app ("together: own headers, origin 2nd of 3, GET and POST at one path");
    policy AppSession(
        origins = ["https://admin.example.com", "https://app.example.com", "https://www.example.org"],
        credentials,
        headers = ["authorization", "content-type"],
        expose = ["etag", "x-request-id"],
        max_age = 600,
    );
    floor origin |o| matches!(o, b"https://admin.example.com" | b"https://app.example.com" | b"https://www.example.org");
    routes {
        "/orders" {
            list_orders: GET => own_headers;
            create_order: POST => created;
        }
    }
    simple GET "/orders" from "https://app.example.com";
    preflight "POST" "/orders";
}

shape! {
    /// The `dynamic` shape's policy written as a three-origin list, the origin second: DESIGN
    /// §9.1's yardstick for a run-time allowlist.
    mod three_origins ("origin 2nd of 3, written");
    policy AppSession(
        origins = ["https://admin.example.com", "https://app.example.com", "https://www.example.org"],
        credentials,
        headers = ["authorization", "content-type"],
        expose = ["etag"],
        max_age = 600,
    );
    floor origin |o| matches!(o, b"https://admin.example.com" | b"https://app.example.com" | b"https://www.example.org");
    routes {
        "/profile" {
            profile: GET => body_only;
        }
        "/orders" {
            create_order: POST => created;
        }
    }
    simple GET "/profile" from "https://app.example.com";
    preflight "POST" "/orders";
}

shape! {
    /// `origins = dynamic` (DESIGN §9.1): the same policy as `three_origins`, its list set at
    /// start-up, the requesting origin among 100,000 exact origins and 1,000 patterns. Its floor
    /// checks the three origins; the guard also holds it to `three_origins` itself.
    mod dynamic ("`origins = dynamic`: origin among 100,000 + 1,000 patterns");
    policy TenantApps(
        origins = dynamic,
        credentials,
        headers = ["authorization", "content-type"],
        expose = ["etag"],
        max_age = 600,
    );
    floor origin |o| matches!(o, b"https://admin.example.com" | b"https://app.example.com" | b"https://www.example.org");
    setup {
        super::fill_tenants(TenantApps::origins())
    }
    routes {
        "/profile" {
            profile: GET => body_only;
        }
        "/orders" {
            create_order: POST => created;
        }
    }
    simple GET "/profile" from "https://app.example.com";
    preflight "POST" "/orders";
}

/// The `dynamic` shape's list, filled once per process: 100,000 exact origins and 1,000
/// subdomain patterns, with `three_origins`' three among the exact ones.
fn fill_tenants(origins: &'static cors_runtime::DynamicOrigins) {
    static FILLED: std::sync::Once = std::sync::Once::new();
    FILLED.call_once(|| {
        let written = ["https://admin.example.com", "https://app.example.com", "https://www.example.org"];
        let exact = (written.len()..100_000).map(|i| format!("https://shop{i}.customers.example"));
        let patterns = (0..1_000).map(|i| format!("https://*.tenant{i}.example.com"));
        let list: Vec<String> = written.map(String::from).into_iter().chain(exact).chain(patterns).collect();
        origins.replace(list).expect("the bench's list passes the rules");
    });
}

impl Shape {
    pub const ALL: [&'static Shape; 10] = [
        &single::SHAPE,
        &own_headers::SHAPE,
        &fourth_origin::SHAPE,
        &pattern_origin::SHAPE,
        &several_methods::SHAPE,
        &public::SHAPE,
        &env_origins::SHAPE,
        &real_app::SHAPE,
        &three_origins::SHAPE,
        &dynamic::SHAPE,
    ];

    /// A shape held to another, besides its floor: DESIGN §9.1's run-time allowlist against the
    /// same policy written as a list (≤ 1.10 × its added instructions, no more allocations).
    pub const TWINS: [(&'static Shape, &'static Shape); 1] = [(&dynamic::SHAPE, &three_origins::SHAPE)];

    /// §5's shape: the one the load test serves.
    pub const SINGLE: &'static Shape = &single::SHAPE;

    pub fn from_name(name: &str) -> Option<&'static Shape> {
        Shape::ALL.into_iter().find(|s| s.name == name)
    }

    /// The route methods of the shape, for tower-http's `allow_methods`.
    pub fn methods(&self) -> Vec<http::Method> {
        let mut methods: Vec<http::Method> = Vec::new();
        for entry in (self.routes)().entries() {
            let method: http::Method = entry.method.as_str().parse().expect("route methods are methods");
            if !methods.contains(&method) {
                methods.push(method);
            }
        }
        methods
    }
}

impl std::fmt::Debug for Shape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}
