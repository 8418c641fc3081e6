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
    let mut values = headers.get_all(VARY).iter();
    let single = match (values.next(), values.next()) {
        (Some(value), None) => Some(value),
        _ => None,
    };
    let Some(single) = single else {
        // Several `Vary` lines: rare enough to build the merged value each time.
        if let Some(merged) = merged(headers, &names) {
            headers.insert(VARY, merged);
        }
        return;
    };
    match remembered::get(single.as_bytes(), names.list) {
        Some(Some(merged)) => {
            headers.insert(VARY, merged);
        }
        Some(None) => {}
        None => {
            let merged = merged(headers, &names);
            let merged = remembered::put(single.as_bytes(), names.list, merged);
            if let Some(merged) = merged {
                headers.insert(VARY, merged);
            }
        }
    }
}

/// The one value `Vary` becomes with `names` merged in; `None` when it already names them all
/// (or is `*`).
fn merged(headers: &HeaderMap, names: &Names) -> Option<HeaderValue> {
    let present = |name: &str| {
        headers
            .get_all(VARY)
            .iter()
            .flat_map(|v| v.as_bytes().split(|&b| b == b','))
            .map(|token| token.trim_ascii())
            .any(|token| token == b"*" || token.eq_ignore_ascii_case(name.as_bytes()))
    };
    if present("*") {
        return None;
    }
    let missing: Vec<&str> = names.list.split(", ").filter(|name| !present(name)).collect();
    if missing.is_empty() {
        return None;
    }
    let mut merged: Vec<u8> = Vec::new();
    for value in headers.get_all(VARY) {
        merged.extend_from_slice(value.as_bytes());
        merged.extend_from_slice(b", ");
    }
    merged.extend_from_slice(missing.join(", ").as_bytes());
    // Every byte came from valid header values or from `names`, so this cannot fail; if it
    // somehow did, keeping the handler's values is the safe choice.
    HeaderValue::from_bytes(&merged).ok()
}

/// Merges remembered by the handler's `Vary` value. A handler sends the same few values on
/// every response (`accept-encoding`, `cookie`), so after its first response a merge is a
/// lookup and the clone of a static value: no allocation, where building the merged value
/// costs five. At most [`remembered::LIMIT`] values are kept (each leaked, so the clones are
/// free): past that, merges are built per response, still correct.
mod remembered {
    use std::sync::RwLock;

    use bytes::Bytes;
    use http::HeaderValue;

    pub(super) const LIMIT: usize = 64;

    struct Merge {
        vary: &'static [u8],
        names: &'static str,
        /// `None`: the value already names them all.
        merged: Option<HeaderValue>,
    }

    static MERGES: RwLock<Vec<Merge>> = RwLock::new(Vec::new());

    /// `Some(merged)` when this value has been merged with `names` before.
    pub(super) fn get(vary: &[u8], names: &'static str) -> Option<Option<HeaderValue>> {
        let merges = MERGES.read().ok()?;
        let merge = merges.iter().find(|m| m.vary == vary && m.names == names)?;
        Some(merge.merged.clone())
    }

    /// Remembers a merge (while there is room) and returns the value to insert.
    pub(super) fn put(vary: &[u8], names: &'static str, merged: Option<HeaderValue>) -> Option<HeaderValue> {
        let Ok(mut merges) = MERGES.write() else {
            return merged;
        };
        if merges.len() >= LIMIT || merges.iter().any(|m| m.vary == vary && m.names == names) {
            return merged;
        }
        let leak = |bytes: &[u8]| -> &'static [u8] { Box::leak(bytes.into()) };
        let merged = merged.map(|value| {
            let sensitive = value.is_sensitive();
            let mut value = HeaderValue::from_maybe_shared(Bytes::from_static(leak(value.as_bytes())))
                .expect("the bytes of a header value are a header value");
            value.set_sensitive(sensitive);
            value
        });
        merges.push(Merge { vary: leak(vary), names, merged: merged.clone() });
        merged
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

    #[test]
    fn a_remembered_merge_gives_the_same_value_as_the_first() {
        for existing in ["x-remembered-a", "Origin, x-remembered-b", "*"] {
            let first = vary_after(&[existing], ORIGIN);
            assert_eq!(vary_after(&[existing], ORIGIN), first, "{existing}");
            assert_eq!(vary_after(&[existing], PREFLIGHT), vary_after(&[existing], PREFLIGHT), "{existing}");
        }
        assert_eq!(vary_after(&["x-remembered-a"], ORIGIN), ["x-remembered-a, Origin"]);
        assert_eq!(vary_after(&["Origin, x-remembered-b"], ORIGIN), ["Origin, x-remembered-b"]);
    }
}
