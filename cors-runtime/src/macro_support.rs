//! What the macros' expansions name (`cors_runtime::__private`), and nothing else does: the one
//! door between the generated code and the runtime, so the expansions never depend on where a
//! type lives. Not part of the public API. Besides the re-exports, it holds the const functions
//! behind the cross-item compile-time checks, whose paths the compile errors show.

pub use cors_rules::Pattern;
pub use http::HeaderValue;

pub use crate::policy::{
    ConfigError, DynamicOrigins, EnvOrigins, MethodSet, NamedPolicy, OriginList, Origins, Policy, PrivatePolicy,
    PublicPolicy, RouteMethod,
};
pub use crate::serve::const_message::ConstMessage;
pub use crate::serve::route_clash::{duplicate_message, duplicate_route};
pub use crate::serve::{CorsHandler, CorsRoute, PolicyLayer, RouteFuture, RouteHandler, RouteInfo, Routes};

/// The checks of a `public` route on a named policy: the bound admits only public policies, and
/// const evaluation fails, with the macro's message, when the policy's `methods` leaves out the
/// route's method. (The check is written out in both functions so the error has one frame.)
pub const fn public_route<P: PublicPolicy>(method: RouteMethod, message: &str) {
    if !P::METHODS.contains(method) {
        panic!("{}", message)
    }
}

/// The checks of a route without `public` on a named policy (see [`public_route`]).
pub const fn private_route<P: PrivatePolicy>(method: RouteMethod, message: &str) {
    if !P::METHODS.contains(method) {
        panic!("{}", message)
    }
}

/// `Name::origins()` of an `origins = dynamic` policy: the macro emits it for those alone.
pub fn dynamic_origins(policy: &'static Policy) -> &'static DynamicOrigins {
    match policy.origins_dynamic() {
        Some(origins) => origins,
        None => unreachable!("policy {} has no run-time origins", policy.name()),
    }
}

/// What `routes![...]` imports as `__CorsRoute{i}` around its routes: a function without
/// `#[cors]` has no route struct of its name, so this placeholder fills the type namespace, and
/// [`unrouted_handler`] reports the handler by name rather than rustc's "expected type, found
/// function". Its empty path is one no `#[cors]` route has.
pub struct Unrouted;

impl CorsRoute for Unrouted {
    const ROUTE: &'static RouteInfo =
        &RouteInfo { method: RouteMethod::Get, path: "", handler: "", policy: &INVALID_ATTRIBUTE };
}

/// The first route of a `routes![...]` that is the placeholder: a function without `#[cors]`.
pub const fn unrouted_handler(routes: &[(RouteMethod, &str)]) -> Option<usize> {
    let mut i = 0;
    while i < routes.len() {
        if routes[i].1.is_empty() {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// "routes![...]: `health` is not a `#[cors(...)]` handler", with the fix.
pub const fn unrouted_message(handler: &str) -> ConstMessage {
    ConstMessage::new()
        .push("routes![...]: `")
        .push(handler)
        .push("` is not a `#[cors(...)]` handler, so it has no route to list: add `#[cors(METHOD \"/path\", ...)]` above the function, or route it with axum's own `.route(...)`")
}

/// What an invalid `#[cors_policy]` or `#[cors]` stands in with (the macros' fallback), so the
/// item still type-checks and the attribute's own errors are the only ones. Never served: a crate
/// with an invalid attribute does not compile.
pub static INVALID_ATTRIBUTE: Policy = Policy {
    name: "invalid attribute",
    origins: Origins::Any,
    credentials: false,
    methods: MethodSet(0),
    allow_methods: HeaderValue::from_static(""),
    headers: &[],
    any_header: false,
    expose: &[],
    expose_value: None,
    max_age: 0,
    max_age_value: HeaderValue::from_static("0"),
    private_network: false,
    strict: false,
};
