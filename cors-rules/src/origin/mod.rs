//! Origins: the syntax of an allowlist entry, subdomain patterns and the Public Suffix List,
//! whole lists, and the matcher used on every request. Imports point one way, so the rules
//! read bottom-up: error ← host ← form, pattern ← parse ← list, and matching on host and pattern.

mod error;
mod form;
mod host;
mod list;
mod matching;
mod parse;
mod pattern;

pub use error::{OriginError, OriginErrorKind};
pub use host::{is_loopback_host, origin_host};
pub use list::{check_origin_list, is_env_var_name};
pub use matching::{find_exact, find_pattern, pattern_order};
pub use parse::{parse_origin, split_origin_list, OriginEntry};
pub use pattern::{pattern_matches, Pattern, PatternParts};
