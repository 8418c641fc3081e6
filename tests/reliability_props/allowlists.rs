//! Generated allowlists, built as the macros build them, to test the matcher on lists no one
//! wrote.

use super::*;
use crate::requests::mutate;

/// A small alphabet makes near collisions between entries and probes likely.
fn host() -> impl Strategy<Value = String> {
    let label = prop::collection::vec(prop::sample::select(&["a", "b", "-", "_", "0", "xn--"][..]), 1..4)
        .prop_map(|p| p.concat());
    (prop::collection::vec(label, 1..3), prop::sample::select(&["com", "example.com", "b.example"][..]))
        .prop_map(|(labels, tail)| format!("{}.{tail}", labels.join(".")))
}

fn entry() -> impl Strategy<Value = String> {
    (
        prop::sample::select(&["https", "http"][..]),
        any::<bool>(),
        host(),
        prop::sample::select(&["", ":8080", ":8443"][..]),
    )
        .prop_map(|(scheme, pattern, host, port)| format!("{scheme}://{}{host}{port}", if pattern { "*." } else { "" }))
}

/// A `Policy` from an allowlist, laid out as `#[cors_policy]` lays one out; entries the rules
/// reject are dropped, as the macro would have refused to compile them.
fn leak_policy(entries: Vec<String>) -> &'static Policy {
    let mut as_written: Vec<&'static str> = Vec::new();
    let mut exact: Vec<&'static str> = Vec::new();
    let mut patterns: Vec<cors_rules::Pattern<'static>> = Vec::new();
    for entry in entries {
        let entry: &'static str = String::leak(entry);
        if as_written.contains(&entry) {
            continue;
        }
        match cors_rules::parse_origin(entry) {
            Ok(cors_rules::OriginEntry::Exact(origin)) => exact.push(origin),
            Ok(cors_rules::OriginEntry::Pattern(pattern)) => patterns.push(pattern),
            _ => continue,
        }
        as_written.push(entry);
    }
    exact.sort();
    patterns.sort_by(cors_rules::pattern_order);
    let exact_values: Vec<HeaderValue> = exact.iter().map(|o| HeaderValue::from_static(o)).collect();
    Box::leak(Box::new(Policy {
        name: "Generated",
        origins: Origins::List(OriginList {
            exact: Vec::leak(exact),
            exact_values: Vec::leak(exact_values),
            patterns: Vec::leak(patterns),
            as_written: Vec::leak(as_written),
        }),
        credentials: true,
        methods: MethodSet::ANY,
        allow_methods: HeaderValue::from_static("GET, HEAD, POST, PUT, PATCH, DELETE"),
        headers: &[],
        any_header: false,
        expose: &[],
        expose_value: None,
        max_age: 600,
        max_age_value: HeaderValue::from_static("600"),
        private_network: false,
        strict: false,
    }))
}

/// Probes near the entries: the entries themselves with their `*.` filled in, and mutations.
fn allowlist_and_origins() -> impl Strategy<Value = (Vec<String>, Vec<Vec<u8>>)> {
    prop::collection::vec(entry(), 1..12).prop_flat_map(|entries| {
        let seeds: Vec<String> = entries.iter().map(|e| e.replace("*.", "ab.a-b.")).collect();
        let origin = (prop::sample::select(seeds), any::<u8>(), any::<u8>())
            .prop_map(|(seed, how, byte)| mutate(&seed, how, byte))
            .prop_filter("a valid header value", |v| HeaderValue::from_bytes(v).is_ok());
        (Just(entries), prop::collection::vec(origin, 1..16))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn generated_allowlists_reflect_exactly_the_allowed_origins((entries, origins) in allowlist_and_origins()) {
        let policy = leak_policy(entries);
        let app = Router::new()
            .fallback(|| async { "ok" })
            .layer(cors_runtime::PolicyLayer::__new(policy));
        for origin in origins {
            let request = Request::get("/").header(ORIGIN, HeaderValue::from_bytes(&origin).unwrap()).body(Body::empty()).unwrap();
            let response = call(&app, request);
            let reflected = values(response.headers(), &ACCESS_CONTROL_ALLOW_ORIGIN);
            if oracle_allows(&policy.origins(), &origin) {
                prop_assert_eq!(reflected, vec![origin.as_slice()]);
            } else {
                prop_assert!(reflected.is_empty(), "reflected {:?}, not in {:?}", String::from_utf8_lossy(&origin), policy.origins());
            }
        }
    }

    #[test]
    fn generated_allowlists_inserted_at_run_time_reflect_exactly_the_accepted_origins((entries, origins) in allowlist_and_origins()) {
        let list = Generated::origins();
        list.replace(Vec::<String>::new()).unwrap();
        let mut accepted = 0;
        for entry in &entries {
            // Bad entries are refused one by one; what is accepted is exactly what is listed.
            accepted += usize::from(list.insert(entry).unwrap_or(false));
        }
        prop_assert_eq!(list.len(), accepted);
        let app = Router::new().fallback(|| async { "ok" }).layer(Generated::layer());
        for origin in origins {
            let request = Request::get("/").header(ORIGIN, HeaderValue::from_bytes(&origin).unwrap()).body(Body::empty()).unwrap();
            let response = call(&app, request);
            let reflected = values(response.headers(), &ACCESS_CONTROL_ALLOW_ORIGIN);
            if oracle_allows(&list.list(), &origin) {
                prop_assert_eq!(reflected, vec![origin.as_slice()]);
            } else {
                prop_assert!(reflected.is_empty(), "reflected {:?}, not in {:?}", String::from_utf8_lossy(&origin), list.list());
            }
        }
    }
}

/// The run-time twin of `leak_policy`, credentialed like it; only the test above fills it.
#[cors_policy(origins = dynamic, credentials)]
pub struct Generated;
