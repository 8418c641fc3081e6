//! Finding a request's path in a layer's table. A path without captures is found by its bytes
//! (among a few, by comparing lengths first; among more, by one hash of the request's path and
//! one comparison); only paths with captures go through
//! matchit, the router axum itself uses. Every path is also inserted into matchit, which refuses
//! what axum would refuse. The answers are matchit's: it prefers a static path to a capture, as
//! the exact lookup done first does, and neither folds case or a trailing `/`.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

#[derive(Debug)]
pub(crate) struct PathIndex {
    exact: Exact,
    captures: matchit::Router<usize>,
}

/// Up to this many paths without captures are compared one by one, length first; a hash costs
/// about as much as comparing the lengths of 16 (callgrind, `bench run`).
const FEW: usize = 16;

#[derive(Debug)]
enum Exact {
    Few(Vec<(Box<str>, usize)>),
    Many(HashMap<Box<str>, usize, BuildHasherDefault<PathHasher>>),
}

impl PathIndex {
    /// The index of `paths`, each found as its position in the list.
    ///
    /// # Panics
    ///
    /// When matchit cannot route a path (`Routes::merge` has refused every clash axum would, so
    /// this is what is left), naming `what` built the index.
    pub(crate) fn new<'a>(what: &str, paths: impl IntoIterator<Item = &'a str>) -> PathIndex {
        let mut captures = matchit::Router::new();
        let mut exact: Vec<(Box<str>, usize)> = Vec::new();
        for (i, path) in paths.into_iter().enumerate() {
            if let Err(e) = captures.insert(path, i) {
                panic!("{what}: cannot route `{path}`: {e}");
            }
            if !path.contains('{') {
                exact.push((path.into(), i));
            }
        }
        let exact = if exact.len() <= FEW { Exact::Few(exact) } else { Exact::Many(exact.into_iter().collect()) };
        PathIndex { exact, captures }
    }

    /// The position of the path that `path` (a request's path, without the query) routes to.
    #[inline]
    pub(crate) fn find(&self, path: &str) -> Option<usize> {
        let exact = match &self.exact {
            Exact::Few(paths) => {
                paths.iter().find(|(own, _)| own.len() == path.len() && **own == *path).map(|(_, i)| *i)
            }
            Exact::Many(paths) => paths.get(path).copied(),
        };
        exact.or_else(|| self.captures.at(path).ok().map(|found| *found.value))
    }
}

/// A hash of path bytes, eight at a time (multiply-rotate, as rustc's own `FxHasher`): the keys
/// are the app's own paths, so no key can be chosen to collide with another, and a request's
/// path only ever costs one lookup.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct PathHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl PathHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for PathHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.add(u64::from_le_bytes(word.try_into().expect("eight bytes")));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last) ^ (rest.len() as u64) << 59);
        }
    }

    #[inline]
    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::PathIndex;

    #[test]
    fn finds_what_matchit_finds() {
        let few = ["/", "/orders", "/orders/{id}", "/orders/new", "/files/{*rest}", "/a/b/c/d/e/f/g/h/i"];
        let many: Vec<String> = (0..40).map(|i| format!("/n{i}")).chain(few.iter().map(|p| p.to_string())).collect();
        check(&few);
        check(&many.iter().map(String::as_str).collect::<Vec<_>>());
    }

    fn check(paths: &[&str]) {
        let index = PathIndex::new("test", paths.iter().copied());
        let mut matchit = matchit::Router::new();
        for (i, path) in paths.iter().enumerate() {
            matchit.insert(*path, i).unwrap();
        }
        for request in [
            "/",
            "/orders",
            "/orders/",
            "/Orders",
            "/orders/7",
            "/orders/new",
            "/orders/new/",
            "/files/x/y",
            "/files",
            "/a/b/c/d/e/f/g/h/i",
            "/a/b/c/d/e/f/g/h/j",
            "",
            "/ord",
            "/orders/new%20",
            "/n0",
            "/n39",
            "/n40",
            "/n3/",
        ] {
            assert_eq!(index.find(request), matchit.at(request).ok().map(|m| *m.value), "{request:?}");
        }
    }
}
