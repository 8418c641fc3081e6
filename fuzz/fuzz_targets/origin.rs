//! Origin rules and matching. The input is an allowlist entry and a request origin separated
//! by the first `\n`: checking the entry never panics; an accepted pattern matches only
//! origins of its own form; and the indexed lookup (`find_pattern`) agrees with matching the
//! pattern directly.
#![no_main]

use cors_rules::{find_pattern, parse_origin, pattern_matches, OriginEntry};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let (entry, origin) = match input.iter().position(|&b| b == b'\n') {
        Some(at) => (&input[..at], &input[at + 1..]),
        None => (input, &b""[..]),
    };
    let Ok(entry) = std::str::from_utf8(entry) else { return };
    let Ok(OriginEntry::Pattern(pattern)) = parse_origin(entry) else { return };
    let matched = pattern_matches(origin, pattern.prefix.as_bytes(), pattern.suffix.as_bytes());
    assert_eq!(find_pattern(&[pattern], origin).is_some(), matched);
    if matched {
        let host = &origin[pattern.prefix.len()..origin.len() - pattern.suffix.len()];
        assert!(!host.is_empty() && host.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(b)));
        // What the pattern accepted is itself a valid exact origin.
        let text = std::str::from_utf8(origin).unwrap();
        assert!(matches!(parse_origin(text), Ok(OriginEntry::Exact(_))), "{text}");
    }
});
