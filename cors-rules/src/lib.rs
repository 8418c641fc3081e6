//! The rules of a CORS policy as plain functions, shared by `cors-macros` (which turns every
//! violation into a compile error) and `cors-runtime` (which matches requests with the same
//! code, and will validate deploy-time origin lists with it).
#![deny(missing_docs)]

pub mod header;
pub mod method;
pub mod origin;
pub mod path;

pub use header::{header_list, is_forbidden_request_header, is_token, Malformed};
pub use method::{check_method, ROUTE_METHODS};
pub use origin::{
    check_origin_list, find_exact, find_pattern, is_env_var_name, parse_origin, pattern_matches, pattern_order,
    split_origin_list, OriginEntry, OriginError, OriginErrorKind, Pattern, PatternParts,
};
pub use path::{check_path, path_shape};
