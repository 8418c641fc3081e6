//! `Vary`: merged into whatever the handler set, never overwritten, never duplicated.

use http::header::VARY;
use http::{HeaderMap, HeaderValue};

/// A `, `-separated list of names to vary on, with its header value built at compile time
/// (`HeaderValue::from_static` called at run time checks every byte again).
pub(crate) struct Names {
    list: &'static str,
    pub(crate) value: HeaderValue,
}

impl Names {
    const fn new(list: &'static str) -> Names {
        Names { list, value: HeaderValue::from_static(list) }
    }
}

/// What actual responses of private routes vary on.
pub(crate) const ORIGIN: Names = Names::new("Origin");
/// What every preflight answer varies on.
pub(crate) const PREFLIGHT: Names = Names::new("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");

/// Adds `names` to `Vary`.
///
/// The common case, no `Vary` yet, inserts the static value without allocating. Otherwise the
/// existing values and the missing names become one comma-separated value; `Vary: *` already
/// covers everything and is left alone.
pub(crate) fn merge(headers: &mut HeaderMap, names: Names) {
    let present = headers.contains_key(VARY);
    add(headers, names, present);
}

/// [`merge`], for a caller that has already seen whether the response has a `Vary`.
pub(crate) fn add(headers: &mut HeaderMap, names: Names, vary_present: bool) {
    if !vary_present {
        headers.insert(VARY, names.value);
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
    let missing: Vec<&str> = names.list.split(", ").filter(|name| !present(name)).collect();
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

    fn vary_after(existing: &[&'static str], names: Names) -> Vec<String> {
        let mut headers = HeaderMap::new();
        for v in existing {
            headers.append(VARY, HeaderValue::from_static(v));
        }
        merge(&mut headers, names);
        headers.get_all(VARY).iter().map(|v| v.to_str().unwrap().to_owned()).collect()
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
