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
pub use crate::serve::route_clash::{duplicate_message, duplicate_route};
pub use crate::serve::{CorsHandler, CorsRoute, PolicyLayer, RouteFuture, RouteInfo, Routes};

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
