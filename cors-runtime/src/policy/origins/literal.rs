//! An allowlist laid out for matching: how the macro compiles a written list, and how a list
//! read at start-up is laid out once checked.

use http::HeaderValue;

/// An allowlist as the macro lays it out: exact origins sorted for binary search, each with its
/// ready `Access-Control-Allow-Origin` value, and subdomain patterns split at the `*`, sorted by
/// [`cors_rules::pattern_order`] so that matching costs the same wherever an entry stands.
#[derive(Debug)]
pub struct OriginList {
    #[doc(hidden)]
    pub exact: &'static [&'static str],
    #[doc(hidden)]
    pub exact_values: &'static [HeaderValue],
    #[doc(hidden)]
    pub patterns: &'static [cors_rules::Pattern<'static>],
    /// The list in the order it was written, for route tables.
    #[doc(hidden)]
    pub as_written: &'static [&'static str],
}

impl OriginList {
    /// The `Access-Control-Allow-Origin` value for `origin`, if the list allows it.
    #[inline]
    pub(crate) fn allow(&self, origin: &HeaderValue) -> Option<HeaderValue> {
        let bytes = origin.as_bytes();
        if let Some(i) = cors_rules::find_exact(self.exact, bytes) {
            return Some(self.exact_values[i].clone());
        }
        cors_rules::find_pattern(self.patterns, bytes).map(|_| origin.clone())
    }
}
