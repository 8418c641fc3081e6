//! Why a handler that sets headers of its own costs two allocations more with CORS
//! (docs/performance.md's limit for the `own headers` shapes): `http::HeaderMap`'s first
//! allocation holds 6 entries, and the 7th reallocates both of its arrays, whoever inserts it.
//! The handler's response already has 4 (`content-type`, `etag`, `x-request-id`, `vary`), the
//! policy adds 3 distinct names (`access-control-allow-origin`, `-allow-credentials`,
//! `-expose-headers`), and axum adds `content-length` last: 8 names cannot fit in 6 places.

use bench::counting_alloc::allocations;
use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, CONTENT_LENGTH,
    CONTENT_TYPE, ETAG, VARY,
};
use http::{HeaderMap, HeaderName, HeaderValue};

const VALUE: HeaderValue = HeaderValue::from_static("v");
const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Allocations made inserting `later` into a map that already holds `first`.
fn allocations_to_add(first: &[HeaderName], later: &[HeaderName]) -> u64 {
    let mut map = HeaderMap::new();
    for name in first {
        map.insert(name.clone(), VALUE);
    }
    let before = allocations();
    for name in later {
        map.insert(name.clone(), VALUE);
    }
    allocations() - before
}

#[test]
fn the_seventh_name_reallocates_the_map_whoever_inserts_it() {
    let cors = [ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_EXPOSE_HEADERS];
    // §5's shape: content-type, then CORS's 3, then axum's content-length: 5 names, no growth.
    let mut after_cors = cors.to_vec();
    after_cors.push(CONTENT_LENGTH);
    assert_eq!(allocations_to_add(&[CONTENT_TYPE], &after_cors), 0);
    // The handler's own 3 more: the 7th name grows the map, 2 allocations.
    let handler = [CONTENT_TYPE, ETAG, X_REQUEST_ID, VARY];
    assert_eq!(allocations_to_add(&handler, &after_cors), 2);
    // Any 2 more names fit: 6 is the limit, not the names.
    assert_eq!(allocations_to_add(&handler, &[CONTENT_LENGTH, ACCESS_CONTROL_ALLOW_ORIGIN]), 0);
    // The same 8 names without any CORS code: 2 allocations for the first, 2 for the 7th.
    assert_eq!(allocations_to_add(&[], &[handler.to_vec(), after_cors].concat()), 4);
}
