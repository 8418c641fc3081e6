//! Where a policy's allowlist comes from: written in the source (`literal`), read from the
//! environment at start-up (`env`), or changed while the service runs (`dynamic`). Each kind
//! answers the same question, "is this origin allowed, and with which
//! `Access-Control-Allow-Origin` value", with the same matcher; the two set outside the source
//! are checked by the same rules (`private_list`).

mod dynamic;
mod env;
mod literal;
mod private_list;

use http::HeaderValue;

pub use dynamic::DynamicOrigins;
pub use env::EnvOrigins;
pub use literal::OriginList;

/// Which origins a policy allows.
#[derive(Debug)]
pub enum Origins {
    /// `origins = "*"`: a public policy.
    Any,
    /// An allowlist.
    List(OriginList),
    /// An allowlist read from an environment variable at start-up (`origins = env("VAR")`).
    Env(EnvOrigins),
    /// An allowlist the service changes while it runs (`origins = dynamic`).
    Dynamic(DynamicOrigins),
}

/// `Access-Control-Allow-Origin` of a public policy.
pub(crate) const ANY_ORIGIN: HeaderValue = HeaderValue::from_static("*");
