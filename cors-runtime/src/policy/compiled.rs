//! A compiled policy: everything `#[cors_policy]` or an inline `#[cors(...)]` knows at compile
//! time, as static data the hot path only reads.

use http::HeaderValue;

use super::config_error::ConfigError;
use super::method::MethodSet;
use super::origins::{DynamicOrigins, Origins, ANY_ORIGIN};

/// One CORS policy. Built by the macros as a `static`; never constructed by hand, because
/// every value in it has passed the compile-time rules.
#[derive(Debug)]
pub struct Policy {
    /// The policy's struct name, or `inline` for a route's own arguments.
    #[doc(hidden)]
    pub name: &'static str,
    #[doc(hidden)]
    pub origins: Origins,
    #[doc(hidden)]
    pub credentials: bool,
    #[doc(hidden)]
    pub methods: MethodSet,
    /// `Access-Control-Allow-Methods` for preflights answered by [`Policy::layer`](crate::PolicyLayer).
    #[doc(hidden)]
    pub allow_methods: HeaderValue,
    /// Lowercase request-header names a preflight may ask for.
    #[doc(hidden)]
    pub headers: &'static [&'static str],
    /// `headers = ["*"]`: any name except `authorization`, as browsers read `*`.
    #[doc(hidden)]
    pub any_header: bool,
    #[doc(hidden)]
    pub expose: &'static [&'static str],
    #[doc(hidden)]
    pub expose_value: Option<HeaderValue>,
    #[doc(hidden)]
    pub max_age: u32,
    #[doc(hidden)]
    pub max_age_value: HeaderValue,
    #[doc(hidden)]
    pub private_network: bool,
    #[doc(hidden)]
    pub strict: bool,
}

impl Policy {
    /// The policy's name as written (`inline` for a route's own arguments).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Whether any website may read the routes it covers (`origins = "*"`).
    pub fn is_public(&self) -> bool {
        matches!(self.origins, Origins::Any)
    }

    /// The allowed origins as written; `["*"]` for a public policy. For origins from the
    /// environment, the ones in force (none when the variable fails its [`check`](Policy::check));
    /// for `origins = dynamic`, the ones in force now, sorted.
    pub fn origins(&self) -> Vec<String> {
        let written = |list: &[&str]| list.iter().map(|o| o.to_string()).collect();
        match &self.origins {
            Origins::Any => vec!["*".to_owned()],
            Origins::List(list) => written(list.as_written),
            Origins::Env(env) => {
                env.load(self.name, self.credentials).map_or_else(|_| Vec::new(), |l| written(l.as_written))
            }
            Origins::Dynamic(dynamic) => dynamic.list(),
        }
    }

    /// The run-time allowlist of an `origins = dynamic` policy.
    pub fn origins_dynamic(&self) -> Option<&DynamicOrigins> {
        match &self.origins {
            Origins::Dynamic(dynamic) => Some(dynamic),
            _ => None,
        }
    }

    /// The environment variable the origins come from, for `origins = env("VAR")`.
    pub fn origins_env(&self) -> Option<&'static str> {
        match &self.origins {
            Origins::Env(env) => Some(env.var()),
            _ => None,
        }
    }

    /// Reads and checks what the policy takes from the environment (once; later calls return
    /// the same answer). A policy written entirely in the source has passed at compile time, and
    /// a dynamic one checks each entry as it is added.
    pub fn check(&self) -> Result<(), ConfigError> {
        match &self.origins {
            Origins::Env(env) => env.load(self.name, self.credentials).map(|_| ()).map_err(ConfigError::clone),
            _ => Ok(()),
        }
    }

    /// Whether responses carry `Access-Control-Allow-Credentials: true` (`credentials`).
    pub fn credentials(&self) -> bool {
        self.credentials
    }

    /// The route methods that may use the policy (`methods = [...]`; every one by default).
    pub fn methods(&self) -> MethodSet {
        self.methods
    }

    /// The request headers a preflight may ask for by name, lowercase.
    pub fn headers(&self) -> &'static [&'static str] {
        self.headers
    }

    /// Whether `headers = ["*"]` lets a preflight ask for any other name but `authorization`.
    pub fn any_header(&self) -> bool {
        self.any_header
    }

    /// The response headers script may read (`Access-Control-Expose-Headers`), as written.
    pub fn expose(&self) -> &'static [&'static str] {
        self.expose
    }

    /// How long, in seconds, a browser may cache a preflight answer (`Access-Control-Max-Age`).
    pub fn max_age(&self) -> u32 {
        self.max_age
    }

    /// Whether a preflight asking for private-network access is answered with permission.
    pub fn private_network(&self) -> bool {
        self.private_network
    }

    /// Whether a request from an origin the policy does not allow gets `403` before any handler runs.
    pub fn strict(&self) -> bool {
        self.strict
    }

    /// The `Access-Control-Allow-Origin` value for a request's `Origin`, if it is allowed.
    ///
    /// Exact origins answer with the policy's own static value (no allocation, and never the
    /// request's bytes); a pattern match reflects the request's value, which the pattern has
    /// just proven to be a well-formed origin.
    #[inline]
    pub fn allow_origin(&self, origin: &HeaderValue) -> Option<HeaderValue> {
        match &self.origins {
            Origins::Any => Some(ANY_ORIGIN),
            Origins::List(list) => list.allow(origin),
            // A variable that failed its check allows nothing (and the app refused to start).
            Origins::Env(env) => env.load(self.name, self.credentials).ok()?.allow(origin),
            Origins::Dynamic(dynamic) => dynamic.allow(origin),
        }
    }

    /// The policy's own (lowercase) spelling of request header `name`, if it lists it.
    pub(crate) fn listed_header(&self, name: &[u8]) -> Option<&'static str> {
        self.headers.iter().copied().find(|h| h.as_bytes().eq_ignore_ascii_case(name))
    }

    /// Whether `headers = ["*"]` covers `name`: any name but `authorization`, as browsers read `*`.
    pub(crate) fn wildcard_covers(&self, name: &[u8]) -> bool {
        self.any_header && !name.eq_ignore_ascii_case(b"authorization")
    }
}
