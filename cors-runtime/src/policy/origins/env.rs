//! `origins = env("VAR", default = "...")`: an allowlist read from the environment once, at
//! start-up, and checked by the same rules (`cors_rules`) the macros apply to literal lists.
//! The result is laid out like a compiled list, so matching costs the same.

use std::sync::OnceLock;

use http::HeaderValue;

use super::literal::OriginList;
use super::private_list::{check_private_list, CheckedList};
use crate::policy::config_error::ConfigError;

/// Where a policy's origins come from when they are chosen at deployment.
#[derive(Debug)]
pub struct EnvOrigins {
    var: &'static str,
    default: Option<&'static str>,
    /// [`EnvOrigins::read`], called through this pointer: only an env policy's static holds it,
    /// so an app without one links the rules' Public Suffix List (3 MB of a debug binary) only
    /// if it adds origins at run time.
    read: fn(&EnvOrigins, &str, bool) -> Result<OriginList, ConfigError>,
    loaded: OnceLock<Result<OriginList, ConfigError>>,
}

impl EnvOrigins {
    #[doc(hidden)]
    pub const fn __new(var: &'static str, default: Option<&'static str>) -> EnvOrigins {
        EnvOrigins { var, default, read: EnvOrigins::read, loaded: OnceLock::new() }
    }

    /// The variable's name.
    pub fn var(&self) -> &'static str {
        self.var
    }

    /// The list in force: the variable read and checked on first use, then kept.
    pub(crate) fn load(&self, policy: &str, credentials: bool) -> Result<&OriginList, &ConfigError> {
        self.loaded.get_or_init(|| (self.read)(self, policy, credentials)).as_ref()
    }

    fn read(&self, policy: &str, credentials: bool) -> Result<OriginList, ConfigError> {
        let var = self.var;
        let value = std::env::var(var);
        let (value, source) = match (&value, self.default) {
            (Ok(value), _) if !cors_rules::split_origin_list(value).is_empty() => (value.as_str(), "the environment"),
            (_, Some(default)) => (default, "its default"),
            (Err(std::env::VarError::NotUnicode(_)), None) => {
                return Err(ConfigError::new(vec![format!(
                    "{var} is not valid UTF-8, and policy {policy} has no default: set it to the allowed origins, e.g. {var}=\"https://app.example.com\""
                )]))
            }
            (_, None) => {
                return Err(ConfigError::new(vec![format!(
                    "{var} is not set (or empty), and policy {policy} has no default: set it to the allowed origins, e.g. {var}=\"https://app.example.com\""
                )]))
            }
        };
        let list = check(var, value, credentials)?;
        tracing::info!(
            target: "cors",
            variable = var,
            policy,
            from = source,
            origins = list.exact.len(),
            patterns = list.patterns.len(),
            "CORS origins loaded"
        );
        Ok(list)
    }
}

/// Checks every entry (§3 rules 4-6, and `*` refused: the policy is private) and lays the list
/// out for matching. The list lives as long as the process, like a compiled policy's.
fn check(var: &str, value: &str, credentials: bool) -> Result<OriginList, ConfigError> {
    let written = cors_rules::split_origin_list(value);
    let star = format!(
        "{var}: `*` would let every website read these routes, but a policy whose origins come from the environment is private: list the origins, or make the route `public` in the source"
    );
    let CheckedList { mut exact, mut patterns } =
        check_private_list(&written, credentials, &star, |entry, e| format!("{var}: `{entry}`: {e}"))
            .map_err(ConfigError::new)?;
    exact.sort();
    patterns.sort_by(cors_rules::pattern_order);
    let leak = |s: &str| -> &'static str { Box::leak(s.into()) };
    let exact: Vec<&'static str> = exact.into_iter().map(leak).collect();
    let exact_values: Vec<HeaderValue> =
        exact.iter().map(|o| HeaderValue::from_str(o).expect("a checked origin is a valid header value")).collect();
    let patterns: Vec<cors_rules::Pattern<'static>> =
        patterns.into_iter().map(|p| cors_rules::Pattern { prefix: leak(p.prefix), suffix: leak(p.suffix) }).collect();
    Ok(OriginList {
        exact: Vec::leak(exact),
        exact_values: Vec::leak(exact_values),
        patterns: Vec::leak(patterns),
        as_written: Vec::leak(written.into_iter().map(leak).collect()),
    })
}
