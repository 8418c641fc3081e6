//! Two routes that axum cannot register together: the same METHOD and path shape, or one
//! shape with different capture names. Checked in const evaluation for one `routes![...]`
//! (the expansion calls [`duplicate_route`]) and at start-up by `Routes::merge`.

use super::const_message::ConstMessage;
use crate::policy::RouteMethod;

/// Fails const evaluation when two routes of one `routes![...]` cannot be registered
/// together: the same method and path shape, or one path shape with different capture names
/// (`/items/{id}` and `/items/{key}`: axum keeps one name per position and would panic
/// building the router). Returns the indices of the first such pair.
///
/// Comparing every pair in full took about a second of const evaluation for 200 routes, and
/// comparing the pairs' prefix hashes still about 0.2 s (19,900 pairs in the const
/// evaluator). Two paths of one shape have the same text before their first `{`, so each
/// route goes into a hash table by that prefix and is compared only with the routes already
/// there under the same hash: a few steps per route. Only when that finds a clash are the
/// pairs compared in order, so the pair reported is the same first pair as ever.
pub const fn duplicate_route(routes: &[(RouteMethod, &str)]) -> Option<(usize, usize)> {
    if routes.len() <= MAX_HASHED_ROUTES && !any_clash(routes) {
        return None;
    }
    first_clash(routes)
}

/// Whether any two routes clash, through a table of prefix hashes (linear probing).
const fn any_clash(routes: &[(RouteMethod, &str)]) -> bool {
    let mut slots = [usize::MAX; TABLE_SLOTS];
    let mut hashes = [0u64; MAX_HASHED_ROUTES];
    let mut size = 1;
    while size < 2 * routes.len() {
        size *= 2;
    }
    let mask = size - 1;
    let mut j = 0;
    while j < routes.len() {
        let hash = prefix_hash(routes[j].1);
        hashes[j] = hash;
        let mut slot = hash as usize & mask;
        loop {
            let i = slots[slot];
            if i == usize::MAX {
                slots[slot] = j;
                break;
            }
            if hashes[i] == hash && clash(routes[i], routes[j]) {
                return true;
            }
            slot = (slot + 1) & mask;
        }
        j += 1;
    }
    false
}

/// The first pair, in order, that clashes.
const fn first_clash(routes: &[(RouteMethod, &str)]) -> Option<(usize, usize)> {
    let mut i = 0;
    while i < routes.len() {
        let mut j = i + 1;
        while j < routes.len() {
            if clash(routes[i], routes[j]) {
                return Some((i, j));
            }
            j += 1;
        }
        i += 1;
    }
    None
}

const fn clash(a: (RouteMethod, &str), b: (RouteMethod, &str)) -> bool {
    same_shape(a.1, b.1) && (a.0 as u8 == b.0 as u8 || !same_text(a.1, b.1))
}

/// Up to this many routes, [`duplicate_route`] looks for a clash through a hash table first
/// (beyond, it compares every pair in full).
const MAX_HASHED_ROUTES: usize = 1024;
const TABLE_SLOTS: usize = 2 * MAX_HASHED_ROUTES;

/// FNV-1a of a path up to its first `{`.
const fn prefix_hash(path: &str) -> u64 {
    let bytes = path.as_bytes();
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    let mut i = 0;
    while i < bytes.len() && bytes[i] != b'{' {
        hash = (hash ^ bytes[i] as u64).wrapping_mul(0x100_0000_01b3);
        i += 1;
    }
    hash
}

const fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether two axum paths are the same once capture names are erased.
pub const fn same_shape(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    loop {
        if i == a.len() || j == b.len() {
            return i == a.len() && j == b.len();
        }
        if a[i] == b'{' && b[j] == b'{' && !(i + 1 < a.len() && a[i + 1] == b'{') {
            // Compare captures by kind (`{*rest}` or `{id}`), not by name.
            let a_wild = i + 1 < a.len() && a[i + 1] == b'*';
            let b_wild = j + 1 < b.len() && b[j + 1] == b'*';
            if a_wild != b_wild {
                return false;
            }
            while i < a.len() && a[i] != b'}' {
                i += 1;
            }
            while j < b.len() && b[j] != b'}' {
                j += 1;
            }
        } else if a[i] != b[j] {
            return false;
        }
        i += 1;
        j += 1;
    }
}

/// "routes![...]: `a` and `b` both claim GET /orders/{id} ...", or, for two methods, that
/// their capture names differ.
pub const fn duplicate_message(
    routes: &[(RouteMethod, &str)],
    names: &[&str],
    first: usize,
    second: usize,
) -> ConstMessage {
    if routes[first].0 as u8 != routes[second].0 as u8 {
        return ConstMessage::new()
            .push("routes![...]: `")
            .push(names[first])
            .push("` (`")
            .push(routes[first].0.as_str())
            .push(" ")
            .push(routes[first].1)
            .push("`) and `")
            .push(names[second])
            .push("` (`")
            .push(routes[second].0.as_str())
            .push(" ")
            .push(routes[second].1)
            .push("`) name the captures of one path differently; axum keeps one name per position for all methods and would panic building the router: use the same names in both");
    }
    ConstMessage::new()
        .push("routes![...]: `")
        .push(names[first])
        .push("` and `")
        .push(names[second])
        .push("` both claim `")
        .push(routes[second].0.as_str())
        .push(" ")
        .push(routes[second].1)
        .push("`; axum routes one handler per METHOD and PATH (capture names do not matter): give one of them another path or method")
}

#[cfg(test)]
mod tests {
    use super::duplicate_route;
    use crate::policy::RouteMethod::{self, Get, Post};

    #[test]
    fn duplicate_routes_are_found_among_many_and_beyond_the_hashed_limit() {
        for n in [10, 2000] {
            let paths: Vec<String> = (0..n).map(|i| format!("/r{i}/{{id}}")).collect();
            let mut routes: Vec<(RouteMethod, &str)> = paths.iter().map(|p| (Get, p.as_str())).collect();
            assert_eq!(duplicate_route(&routes), None, "{n}");
            routes.push((Post, "/r3/{key}"));
            assert_eq!(duplicate_route(&routes), Some((3, n)), "{n}: same shape, other capture name");
            routes.pop();
            routes.push((Get, "/r5/{other}"));
            assert_eq!(duplicate_route(&routes), Some((5, n)), "{n}: same method and shape");
        }
    }
}
