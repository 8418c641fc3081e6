//! Finding a request's origin in a checked allowlist, on every request: exact origins by binary
//! search, patterns by the origin's possible suffixes, both in time logarithmic in the list.

use super::host::MAX_HOST;
use super::pattern::{pattern_matches, PatternParts};

/// The order [`find_pattern`] needs a pattern list in: by suffix, then by prefix (bytes).
pub fn pattern_order<A: PatternParts, B: PatternParts>(a: &A, b: &B) -> std::cmp::Ordering {
    (a.suffix().as_bytes(), a.prefix().as_bytes()).cmp(&(b.suffix().as_bytes(), b.prefix().as_bytes()))
}

#[inline]
fn matches<P: PatternParts>(pattern: &P, origin: &[u8]) -> bool {
    pattern_matches(origin, pattern.prefix().as_bytes(), pattern.suffix().as_bytes())
}

/// The longest suffix a checked pattern has: `.`, a host of at most 253 bytes, `:65535`.
const MAX_SUFFIX: usize = 1 + MAX_HOST + 6;

/// Finds a pattern that `origin` matches ([`pattern_matches`]) in a list sorted by
/// [`pattern_order`], in time logarithmic in the list's length, wherever the pattern stands.
///
/// A pattern's suffix starts with the `.` after its `*`, so it can only start at a `.` of the
/// origin within the origin's last `MAX_SUFFIX` bytes; each such tail is binary-searched among
/// the suffixes, and only the (at most a scheme's worth of) patterns with that exact suffix
/// are tried.
pub fn find_pattern<P: PatternParts>(sorted: &[P], origin: &[u8]) -> Option<usize> {
    // Most allowlists have no patterns, and most others a few: trying each costs less than
    // scanning the origin's tail for dots (a mismatch ends at `strip_suffix`). The same pattern
    // comes back either way: the one with the longest suffix, the first of those in order.
    if sorted.len() <= SHORT_LIST {
        let mut found: Option<usize> = None;
        for (i, pattern) in sorted.iter().enumerate() {
            let longer = found.is_none_or(|f| pattern.suffix().len() > sorted[f].suffix().len());
            if longer && matches(pattern, origin) {
                found = Some(i);
            }
        }
        return found;
    }
    find_pattern_by_tail(sorted, origin)
}

/// [`find_pattern`] for a long list: the leftmost tail with a matching pattern is the longest.
fn find_pattern_by_tail<P: PatternParts>(sorted: &[P], origin: &[u8]) -> Option<usize> {
    let window = origin.len().saturating_sub(MAX_SUFFIX);
    (window..origin.len()).filter(|&dot| origin[dot] == b'.').find_map(|dot| {
        let tail = &origin[dot..];
        let first = sorted.partition_point(|p| p.suffix().as_bytes() < tail);
        sorted[first..]
            .iter()
            .take_while(|p| p.suffix().as_bytes() == tail)
            .position(|p| matches(p, origin))
            .map(|i| first + i)
    })
}

/// Finds `origin` in a list sorted by bytes, in time logarithmic in the list's length.
pub fn find_exact<S: AsRef<str>>(sorted: &[S], origin: &[u8]) -> Option<usize> {
    // A short list is cheaper to scan: `==` rejects most entries on their length alone, where
    // each step of a binary search compares bytes.
    if sorted.len() <= SHORT_LIST {
        return sorted.iter().position(|entry| entry.as_ref().as_bytes() == origin);
    }
    sorted.binary_search_by(|entry| entry.as_ref().as_bytes().cmp(origin)).ok()
}

/// Up to this many entries, [`find_exact`] and [`find_pattern`] scan instead of searching.
const SHORT_LIST: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::origin::pattern::Pattern;

    #[test]
    fn a_short_pattern_list_finds_what_the_tail_search_finds() {
        let written =
            ["https://*.example.com", "https://*.b.example.com", "http://*.example.com", "https://*.a.b.example.com"];
        let mut patterns: Vec<Pattern<'_>> = written
            .iter()
            .map(|entry| {
                let (prefix, suffix) = entry.split_once('*').expect("a pattern");
                Pattern { prefix, suffix }
            })
            .collect();
        patterns.sort_by(pattern_order);
        let origins = [
            "https://x.example.com",
            "https://x.b.example.com",
            "https://x.a.b.example.com",
            "https://a.b.example.com",
            "http://x.b.example.com",
            "https://example.com",
            "https://x.example.org",
            "https://-x.example.com",
        ];
        for n in 0..=patterns.len() {
            for origin in origins {
                let by_tail = find_pattern_by_tail(&patterns[..n], origin.as_bytes());
                assert_eq!(find_pattern(&patterns[..n], origin.as_bytes()), by_tail, "{n} {origin}");
            }
        }
    }

    #[test]
    fn find_exact_finds_every_entry_of_short_and_long_lists() {
        for n in [0, 1, 2, SHORT_LIST, SHORT_LIST + 1, 40] {
            let mut list: Vec<String> = (0..n).map(|i| format!("https://a{i}.example")).collect();
            list.sort();
            for (i, origin) in list.iter().enumerate() {
                assert_eq!(find_exact(&list, origin.as_bytes()), Some(i), "{n}: {origin}");
            }
            assert_eq!(find_exact(&list, b"https://a.example"), None, "{n}");
            assert_eq!(find_exact(&list, b"https://a0.example:1"), None, "{n}");
        }
    }
}
