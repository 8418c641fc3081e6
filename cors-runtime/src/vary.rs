//! `Vary`: merged into whatever the handler set, never overwritten, never duplicated.

use http::header::VARY;
use http::{HeaderMap, HeaderValue};

/// What actual responses of private routes vary on.
pub(crate) const ORIGIN: &str = "Origin";
/// What every preflight answer varies on.
pub(crate) const PREFLIGHT: &str = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

/// Adds the names in `names` (a `, `-separated list) to `Vary`.
///
/// The common case, no `Vary` yet, inserts a static value without allocating. Otherwise the
/// existing values and the missing names become one comma-separated value; `Vary: *` already
/// covers everything and is left alone.
pub(crate) fn merge(headers: &mut HeaderMap, names: &'static str) {
    if !headers.contains_key(VARY) {
        headers.insert(VARY, HeaderValue::from_static(names));
        return;
    }
    let present = |name: &str| {
        headers
            .get_all(VARY)
            .iter()
            .flat_map(|v| v.as_bytes().split(|&b| b == b','))
            .map(|token| token.trim_ascii())
            .any(|token| token == b"*" || token.eq_ignore_ascii_case(name.as_bytes()))
    };
    if present("*") {
        return;
    }
    let missing: Vec<&str> = names.split(", ").filter(|name| !present(name)).collect();
    if missing.is_empty() {
        return;
    }
    let mut merged: Vec<u8> = Vec::new();
    for value in headers.get_all(VARY) {
        merged.extend_from_slice(value.as_bytes());
        merged.extend_from_slice(b", ");
    }
    merged.extend_from_slice(missing.join(", ").as_bytes());
    // Every byte came from valid header values or from `names`, so this cannot fail; if it
    // somehow did, keeping the handler's values is the safe choice.
    if let Ok(value) = HeaderValue::from_bytes(&merged) {
        headers.insert(VARY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vary_after(existing: &[&'static str], names: &'static str) -> Vec<String> {
        let mut headers = HeaderMap::new();
        for v in existing {
            headers.append(VARY, HeaderValue::from_static(v));
        }
        merge(&mut headers, names);
        headers
            .get_all(VARY)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn merges_without_overwriting_or_duplicating() {
        assert_eq!(vary_after(&[], ORIGIN), ["Origin"]);
        assert_eq!(vary_after(&["accept-encoding"], ORIGIN), ["accept-encoding, Origin"]);
        assert_eq!(vary_after(&["Accept-Encoding, origin"], ORIGIN), ["Accept-Encoding, origin"]);
        assert_eq!(vary_after(&["a", "b"], ORIGIN), ["a, b, Origin"]);
        assert_eq!(vary_after(&["*"], ORIGIN), ["*"]);
        assert_eq!(
            vary_after(&["origin"], PREFLIGHT),
            ["origin, Access-Control-Request-Method, Access-Control-Request-Headers"]
        );
    }
}
