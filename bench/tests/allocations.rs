//! DESIGN §8.4's allocation targets, counted the way `bench table` counts them (the difference of
//! two runs, so setup cancels), without valgrind, for every shape. Instruction targets need
//! callgrind: see `cargo run --release -p bench -- guard`.

use bench::{driver, Scenario, Shape, Variant};

/// Allocations one request of `scenario` costs through `variant`. One request first, because
/// `bench table` measures each row in a process of its own: what a process does once (read
/// `origins = env(...)`, remember a `Vary` merge) must not count here either.
fn per_request(shape: &Shape, variant: Variant, scenario: Scenario) -> u64 {
    driver::allocations_of(shape, variant, scenario, 1);
    let n = driver::allocations_of(shape, variant, scenario, 20);
    let twice = driver::allocations_of(shape, variant, scenario, 40);
    assert_eq!((twice - n) % 20, 0, "{shape:?} {variant:?} {scenario:?}: allocations vary from request to request");
    (twice - n) / 20
}

/// The runtime's ways of serving routes that do not go through `Router::layer` (which adds
/// axum's boxing: `bench table` shows it apart).
const RUNTIME: [Variant; 2] = [Variant::Routes, Variant::PolicyOuter];

/// The allocations `http::HeaderMap` makes when CORS's headers take the response past the 6
/// names its first allocation holds (`tests/header_map_growth.rs`): 2 when the CORS response has
/// more than 6 names and the bare one does not, otherwise none.
fn header_map_growth(shape: &Shape, variant: Variant, scenario: Scenario) -> u64 {
    let names = |variant| driver::run(shape, variant, scenario, 1).headers().keys_len();
    if names(variant) > 6 && names(variant.without_cors()) <= 6 {
        2
    } else {
        0
    }
}

#[test]
fn answering_a_request_adds_no_allocation_beyond_header_map_growth() {
    for shape in Shape::ALL {
        for &scenario in Scenario::for_shape(shape).iter().filter(|s| **s != Scenario::Preflight) {
            let bare = per_request(shape, Variant::Bare, scenario);
            for variant in RUNTIME {
                let growth = header_map_growth(shape, variant, scenario);
                assert_eq!(per_request(shape, variant, scenario), bare + growth, "{shape:?} {variant:?} {scenario:?}");
            }
        }
    }
}

/// How many extensions axum itself puts on a request before the handler: 1 (path parameters)
/// as the bench builds axum, 3 with its default features `original-uri` and `matched-path`,
/// which `cargo test --workspace` turns on for every member. The map holds 3 before it grows,
/// so under the default features a 4th entry (the mark `Routes::layer()` used to put there)
/// cost one allocation per request.
fn axums_extensions() -> usize {
    use axum::routing::get;
    let app = axum::Router::new()
        .route("/", get(|request: bench::apps::Request| async move { request.extensions().len().to_string() }));
    let response = driver::call_once(app, http::Request::get("/").body(axum::body::Body::empty()).unwrap());
    driver::body_text(response).parse().expect("a count")
}

/// A route whose handler answers with the number of extensions its request carries.
mod counted {
    use cors_runtime::{cors, cors_policy};

    #[cors_policy(origins = ["https://app.example.com"], credentials)]
    pub struct Session;

    #[cors(GET "/count", policy = Session)]
    pub async fn count(request: axum::extract::Request) -> String {
        request.extensions().len().to_string()
    }
}

/// `Routes::layer()` owns CORS by scope (`cors-runtime/src/serve/layer_scope.rs`), not by a
/// mark on the request: the handler behind the layer sees exactly the extensions it sees
/// without it.
#[test]
fn the_route_layer_puts_nothing_on_the_request() {
    use cors_runtime::routes;
    let request = || {
        http::Request::get("/count")
            .header("origin", "https://app.example.com")
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let plain = axum::Router::new().merge(routes![counted::count]);
    let routes = routes![counted::count];
    let layer = routes.layer();
    let layered = axum::Router::new().merge(routes).layer(layer);
    let plain = driver::body_text(driver::call_once(plain, request()));
    let with_layer = driver::call_once(layered, request());
    assert_eq!(with_layer.headers()["access-control-allow-origin"], "https://app.example.com");
    assert_eq!(driver::body_text(with_layer), plain);
    assert_eq!(plain, axums_extensions().to_string());
}

/// Through `Routes::layer()` an allowed request costs the allocations of the same app without
/// CORS (with its `Router::layer`), plus only `http::HeaderMap`'s growth where the response has
/// more than 6 names: under axum's default features too, where the old mark grew the request's
/// extensions.
#[test]
fn the_route_layer_adds_only_what_router_layer_itself_costs() {
    eprintln!("axum puts {} extensions on a request here", axums_extensions());
    for shape in Shape::ALL {
        let scenario = Scenario::SimpleAllowed;
        let without_cors = per_request(shape, Variant::BareMiddlewareIdentity, scenario);
        let growth = header_map_growth(shape, Variant::RoutesLayer, scenario);
        assert_eq!(per_request(shape, Variant::RoutesLayer, scenario), without_cors + growth, "{shape:?}");
    }
}

#[test]
fn a_preflight_costs_at_most_18_allocations_in_all() {
    for shape in Shape::ALL {
        for variant in RUNTIME {
            let allocations = per_request(shape, variant, Scenario::Preflight);
            assert!(allocations <= 18, "{shape:?} {variant:?}: {allocations}");
        }
    }
}
