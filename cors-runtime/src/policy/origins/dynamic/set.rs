//! One whole run-time allowlist, as readers see it: built by a writer, then published and never
//! changed. Exact origins sit in a hash set, patterns in a list sorted for `find_pattern`, so a
//! request costs the same among 100,000 origins as among three.

use std::collections::HashSet;

use cors_rules::{Pattern, PatternParts};
use http::HeaderValue;

/// Seeded per process: the entries come from customers, the lookups from any client.
type Hasher = foldhash::fast::RandomState;

/// A subdomain pattern owned by the list (a compiled list borrows its patterns from the source).
#[derive(Debug, Clone, PartialEq, Eq)]
struct OwnedPattern {
    /// `https://` or `http://`: the only prefixes a checked pattern has.
    prefix: &'static str,
    suffix: Box<str>,
}

impl PatternParts for OwnedPattern {
    #[inline]
    fn prefix(&self) -> &str {
        self.prefix
    }

    #[inline]
    fn suffix(&self) -> &str {
        &self.suffix
    }
}

impl OwnedPattern {
    fn new(pattern: &Pattern<'_>) -> OwnedPattern {
        let prefix = if pattern.prefix == "https://" { "https://" } else { "http://" };
        debug_assert_eq!(prefix, pattern.prefix, "checked patterns start with a web scheme");
        OwnedPattern { prefix, suffix: pattern.suffix.into() }
    }

    fn as_written(&self) -> String {
        format!("{}*{}", self.prefix, self.suffix)
    }
}

#[derive(Debug, Clone, Default)]
pub(super) struct OriginSet {
    /// The exact origins' bytes.
    exact: HashSet<Box<[u8]>, Hasher>,
    /// Sorted by [`cors_rules::pattern_order`].
    patterns: Vec<OwnedPattern>,
}

impl OriginSet {
    /// A set of checked entries (the caller has refused duplicates).
    pub(super) fn new(exact: &[&str], patterns: &[Pattern<'_>]) -> OriginSet {
        let mut set = OriginSet {
            exact: HashSet::with_capacity_and_hasher(exact.len(), Hasher::default()),
            patterns: patterns.iter().map(OwnedPattern::new).collect(),
        };
        set.exact.extend(exact.iter().map(|origin| Box::from(origin.as_bytes())));
        set.patterns.sort_by(cors_rules::pattern_order);
        set
    }

    /// The `Access-Control-Allow-Origin` value for `origin`, if the list allows it: the
    /// request's own value, which the list has just proven equal to an entry, or well formed
    /// under a pattern. (A value stored per entry would answer the same bytes, but its reference
    /// count would be shared by every core serving that tenant's requests; the request's is
    /// this request's alone, and costs nothing to clone when it is static.)
    #[inline]
    pub(super) fn allow(&self, origin: &HeaderValue) -> Option<HeaderValue> {
        let bytes = origin.as_bytes();
        let allowed = self.exact.contains(bytes) || cors_rules::find_pattern(&self.patterns, bytes).is_some();
        allowed.then(|| origin.clone())
    }

    pub(super) fn contains(&self, entry: &str) -> bool {
        self.exact.contains(entry.as_bytes()) || self.pattern_at(entry).is_some()
    }

    /// Adds one checked entry that is not in the set yet.
    pub(super) fn insert(&mut self, entry: &str, pattern: Option<&Pattern<'_>>) {
        match pattern {
            None => {
                self.exact.insert(Box::from(entry.as_bytes()));
            }
            Some(pattern) => {
                let pattern = OwnedPattern::new(pattern);
                let at = self.patterns.partition_point(|p| cors_rules::pattern_order(p, &pattern).is_lt());
                self.patterns.insert(at, pattern);
            }
        }
    }

    /// Removes `entry` as written; whether it was there.
    pub(super) fn remove(&mut self, entry: &str) -> bool {
        if self.exact.remove(entry.as_bytes()) {
            return true;
        }
        match self.pattern_at(entry) {
            Some(at) => {
                self.patterns.remove(at);
                true
            }
            None => false,
        }
    }

    /// Where pattern `entry` (as written) stands in the sorted list.
    fn pattern_at(&self, entry: &str) -> Option<usize> {
        let (prefix, suffix) = entry.split_once('*')?;
        let wanted = Pattern { prefix, suffix };
        let at = self.patterns.partition_point(|p| cors_rules::pattern_order(p, &wanted).is_lt());
        let found = self.patterns.get(at)?;
        (found.prefix == prefix && &*found.suffix == suffix).then_some(at)
    }

    /// Every entry as written, sorted.
    pub(super) fn entries(&self) -> Vec<String> {
        // Checked entries are ASCII.
        let exact = self.exact.iter().map(|origin| String::from_utf8_lossy(origin).into_owned());
        let mut entries: Vec<String> = exact.chain(self.patterns.iter().map(OwnedPattern::as_written)).collect();
        entries.sort();
        entries
    }

    pub(super) fn len(&self) -> usize {
        self.exact.len() + self.patterns.len()
    }

    /// How many exact origins and patterns, for the logs.
    pub(super) fn counts(&self) -> (usize, usize) {
        (self.exact.len(), self.patterns.len())
    }
}
