//! `Vary`: merged into whatever the handler set, never overwritten, never duplicated.

use http::header::{Entry, VARY};
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
/// covers everything and is left alone. One lookup of `Vary` either way: the entry is read and
/// replaced in place.
pub(crate) fn merge(headers: &mut HeaderMap, names: Names) {
    let mut entry = match headers.entry(VARY) {
        Entry::Vacant(entry) => {
            entry.insert(names.value);
            return;
        }
        Entry::Occupied(entry) => entry,
    };
    let merged = if entry.iter().nth(1).is_some() {
        // Several `Vary` lines: rare enough to build the merged value each time.
        merged(&entry.iter().collect::<Vec<_>>(), &names)
    } else {
        let first = entry.get().as_bytes();
        match remembered::get(first, names.list) {
            Some(merged) => merged,
            None => remembered::put(first, names.list, merged(&[entry.get()], &names)),
        }
    };
    if let Some(merged) = merged {
        entry.insert(merged);
    }
}

/// [`merge`] into a response that has no `Vary` (its caller has looked): the static value.
#[inline]
pub(crate) fn insert(headers: &mut HeaderMap, names: Names) {
    headers.insert(VARY, names.value);
}

/// The one value `Vary` becomes with `names` merged in; `None` when it already names them all
/// (or is `*`). `values` are the response's `Vary` lines.
#[cold]
fn merged(values: &[&HeaderValue], names: &Names) -> Option<HeaderValue> {
    let present = |name: &str| {
        values
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
    for value in values {
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
    use std::sync::{Mutex, OnceLock};

    use bytes::Bytes;
    use http::HeaderValue;

    pub(super) const LIMIT: usize = 64;

    struct Merge {
        vary: &'static [u8],
        names: &'static str,
        /// `None`: the value already names them all.
        merged: Option<HeaderValue>,
    }

    /// Filled in order and never emptied, so a reader takes no lock: it reads slots until the
    /// first empty one. Writers take [`WRITER`] so two never fill one slot.
    static MERGES: [OnceLock<Merge>; LIMIT] = [const { OnceLock::new() }; LIMIT];
    static WRITER: Mutex<()> = Mutex::new(());

    fn is(merge: &Merge, vary: &[u8], names: &'static str) -> bool {
        merge.vary == vary && (std::ptr::eq(merge.names, names) || merge.names == names)
    }

    /// `Some(merged)` when this value has been merged with `names` before.
    #[inline]
    pub(super) fn get(vary: &[u8], names: &'static str) -> Option<Option<HeaderValue>> {
        for slot in &MERGES {
            let merge = slot.get()?;
            if is(merge, vary, names) {
                return Some(merge.merged.clone());
            }
        }
        None
    }

    /// Remembers a merge (while there is room) and returns the value to insert.
    #[cold]
    pub(super) fn put(vary: &[u8], names: &'static str, merged: Option<HeaderValue>) -> Option<HeaderValue> {
        let _writer = WRITER.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(slot) = MERGES.iter().find(|slot| slot.get().is_none_or(|merge| is(merge, vary, names))) else {
            return merged;
        };
        if let Some(merge) = slot.get() {
            return merge.merged.clone();
        }
        let leak = |bytes: &[u8]| -> &'static [u8] { Box::leak(bytes.into()) };
        let merged = merged.map(|value| {
            let sensitive = value.is_sensitive();
            let mut value = HeaderValue::from_maybe_shared(Bytes::from_static(leak(value.as_bytes())))
                .expect("the bytes of a header value are a header value");
            value.set_sensitive(sensitive);
            value
        });
        let _ = slot.set(Merge { vary: leak(vary), names, merged: merged.clone() });
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
