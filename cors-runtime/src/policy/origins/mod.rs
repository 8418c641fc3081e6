//! Where a policy's allowlist comes from: written in the source (`literal`), or read from the
//! environment at start-up (`env`). Each kind answers the same question, "is this origin
//! allowed, and with which `Access-Control-Allow-Origin` value", with the same matcher.

mod env;
mod literal;

use http::HeaderValue;

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
}

/// `Access-Control-Allow-Origin` of a public policy.
pub(crate) const ANY_ORIGIN: HeaderValue = HeaderValue::from_static("*");
