//! Generated requests: origins near the allowed ones, requested methods and header lists in
//! every shape Fetch allows and many it does not.

use super::*;

/// One generated request; header lists hold every value sent, in order.
#[derive(Debug, Clone)]
pub(super) struct Probe {
    pub(super) method: Method,
    pub(super) path: String,
    pub(super) origins: Vec<Vec<u8>>,
    pub(super) request_methods: Vec<Vec<u8>>,
    pub(super) request_headers: Vec<Vec<u8>>,
    pub(super) private_network: Option<&'static str>,
}

impl Probe {
    pub(super) fn is_preflight(&self) -> bool {
        self.method == Method::OPTIONS && !self.request_methods.is_empty()
    }

    pub(super) fn request(&self) -> Request<Body> {
        let mut request = Request::builder().method(self.method.clone()).uri(&self.path).body(Body::empty()).unwrap();
        let headers = request.headers_mut();
        let mut add = |name: HeaderName, values: &[Vec<u8>]| {
            for value in values {
                headers.append(name.clone(), HeaderValue::from_bytes(value).unwrap());
            }
        };
        add(ORIGIN, &self.origins);
        add(ACCESS_CONTROL_REQUEST_METHOD, &self.request_methods);
        add(ACCESS_CONTROL_REQUEST_HEADERS, &self.request_headers);
        if let Some(value) = self.private_network {
            headers.insert("access-control-request-private-network", HeaderValue::from_static(value));
        }
        request
    }
}

/// Origins worth trying: every allowed one, pattern instances, and near misses of each.
pub(super) const ORIGIN_SEEDS: &[&str] = &[
    "https://app.example.com",
    "https://admin.example.com",
    "http://localhost:5173",
    "https://eu.shop.example.com",
    "https://a.tenant.example.org:8443",
    "https://partner.example.net",
    "https://x.corp.example.net",
    "https://example.com",
    "https://evil.example",
    "null",
];

/// What attackers do to an allowed origin (see also `reliability_attackers.rs` for a corpus).
pub(super) fn mutate(seed: &str, how: u8, byte: u8) -> Vec<u8> {
    let mut out = seed.as_bytes().to_vec();
    let host_start = out.len().min(8);
    match how % 16 {
        0 => {}
        1 => out.extend_from_slice(b".evil.com"),
        2 => out.splice(host_start..host_start, *b"evil").for_each(drop),
        3 => out.push(b'.'),
        4 => out.push(b'/'),
        5 => out.extend_from_slice(b":443"),
        6 => {
            return match seed.strip_prefix("https://") {
                Some(rest) => format!("http://{rest}").into_bytes(),
                None => seed.replacen("http://", "https://", 1).into_bytes(),
            }
        }
        7 => return seed.to_ascii_uppercase().into_bytes(),
        8 => out.splice(host_start..host_start, *b"user@").for_each(drop),
        9 => out.insert(0, b' '),
        10 => out.push(byte),
        11 => out.truncate(out.len().saturating_sub(1 + usize::from(byte % 4))),
        12 => {
            let at = usize::from(byte) % out.len();
            out[at] = byte;
        }
        13 => out.splice(host_start..host_start, *b"-.").for_each(drop),
        14 => out.splice(host_start..host_start, "é.".bytes()).for_each(drop),
        _ => out = seed.replace(".example.", ".example..").into_bytes(),
    }
    out
}

/// A header value as the `http` crate accepts one (control bytes other than tab cannot exist
/// in a `HeaderValue`, so they cannot reach the runtime).
pub(super) fn header_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop_oneof![Just(b'\t'), 0x20u8..0x7f, 0x80u8..=0xff], 0..40)
}

pub(super) fn origin_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => prop::sample::select(ORIGIN_SEEDS).prop_map(|seed| seed.as_bytes().to_vec()),
        4 => (prop::sample::select(ORIGIN_SEEDS), any::<u8>(), any::<u8>())
            .prop_map(|(seed, how, byte)| mutate(seed, how, byte))
            .prop_filter("a valid header value", |v| HeaderValue::from_bytes(v).is_ok()),
        1 => header_bytes(),
    ]
}

/// A requested method: mostly one the path has a route for, so preflights get past dispatch.
pub(super) fn request_method_value(at_path: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        6 => prop::sample::select(at_path).prop_map(|m| m.as_bytes().to_vec()),
        2 => prop::sample::select(&["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"][..]).prop_map(|m| m.as_bytes().to_vec()),
        1 => prop::sample::select(&["get", "OPTIONS", "CONNECT", "TRACE", "", " GET", "GET,POST"][..]).prop_map(|m| m.as_bytes().to_vec()),
        1 => header_bytes(),
    ]
}

/// Header-name elements some policy allows (in several spellings).
pub(super) const ALLOWED_NAMES: &[&str] =
    &["authorization", "Authorization", "content-type", "CONTENT-TYPE", "x-request-id", "x-tenant"];
/// Header-name elements no policy lists: unknown, forbidden, `*` itself, malformed, empty.
pub(super) const OTHER_NAMES: &[&str] = &["x-other", "cookie", "*", "", " ", "a b", "x-é", "\"quoted\"", "x:y"];

pub(super) fn request_headers_value() -> impl Strategy<Value = Vec<u8>> {
    let name = prop_oneof![4 => prop::sample::select(ALLOWED_NAMES), 1 => prop::sample::select(OTHER_NAMES)];
    let separator = prop::sample::select(&[",", ", ", " ,\t", ",,"][..]);
    prop_oneof![
        3 => (prop::collection::vec(prop::sample::select(ALLOWED_NAMES), 1..3), separator.clone())
            .prop_map(|(names, sep)| names.join(sep).into_bytes()),
        3 => (prop::collection::vec(name, 0..5), separator).prop_map(|(names, sep)| names.join(sep).into_bytes()),
        1 => header_bytes(),
    ]
}

/// Zero, one or two values of a header, mostly one: what browsers send, and what they do not.
pub(super) fn mostly_one<S: Strategy<Value = Vec<u8>>>(value: impl Fn() -> S) -> impl Strategy<Value = Vec<Vec<u8>>> {
    prop_oneof![
        1 => Just(Vec::new()),
        8 => value().prop_map(|v| vec![v]),
        1 => prop::collection::vec(value(), 2),
    ]
}

/// Paths to request, each with the methods it has routes for.
pub(super) type Paths = &'static [(&'static str, &'static [&'static str])];

pub(super) fn probe(paths: Paths) -> impl Strategy<Value = Probe> {
    let methods = prop::sample::select(
        &[
            Method::GET,
            Method::HEAD,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
            Method::OPTIONS,
            Method::OPTIONS,
        ][..],
    );
    prop::sample::select(paths)
        .prop_flat_map(move |(path, at_path)| {
            (
                methods.clone(),
                Just(path),
                mostly_one(origin_value),
                mostly_one(move || request_method_value(at_path)),
                prop_oneof![Just(Vec::new()), mostly_one(request_headers_value)],
                prop::option::weighted(0.2, prop::sample::select(&["true", "false", "TRUE"][..])),
            )
        })
        .prop_map(|(method, path, origins, request_methods, request_headers, private_network)| Probe {
            method,
            path: path.to_string(),
            origins,
            request_methods,
            request_headers,
            private_network,
        })
}
