//! The requests every variant of a shape answers, as data: built in process for callgrind and
//! the allocation counter, and written as a wrk script for the load test.

use axum::body::Body;
use http::HeaderValue;

use crate::apps::Request;
use crate::shapes::Shape;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// `GET` from the shape's allowed origin.
    SimpleAllowed,
    /// `OPTIONS` asking for the shape's preflight method with `authorization, content-type`.
    Preflight,
    /// `GET` from an origin no policy lists (measured for §5's shape only).
    Foreign,
}

pub const FOREIGN_ORIGIN: &str = "https://evil.example";
/// What a browser sends for a `fetch` with both headers set (lowercase, `,`-joined).
pub const REQUESTED_HEADERS: &str = "authorization,content-type";

impl Scenario {
    pub const ALL: [Scenario; 3] = [Scenario::SimpleAllowed, Scenario::Preflight, Scenario::Foreign];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::SimpleAllowed => "simple",
            Scenario::Preflight => "preflight",
            Scenario::Foreign => "foreign",
        }
    }

    /// How the table describes it.
    pub fn label(self) -> &'static str {
        match self {
            Scenario::SimpleAllowed => "allowed simple request",
            Scenario::Preflight => "allowed preflight",
            Scenario::Foreign => "foreign-origin request",
        }
    }

    pub fn from_name(name: &str) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The scenarios measured for `shape`: the foreign origin only for §5's shape (it is the
    /// cheap path everywhere, and a public shape has no foreign origin).
    pub fn for_shape(shape: &Shape) -> &'static [Scenario] {
        if std::ptr::eq(shape, Shape::SINGLE) {
            &Scenario::ALL
        } else {
            &[Scenario::SimpleAllowed, Scenario::Preflight]
        }
    }

    pub fn method(self) -> &'static str {
        match self {
            Scenario::SimpleAllowed | Scenario::Foreign => "GET",
            Scenario::Preflight => "OPTIONS",
        }
    }

    pub fn path(self, shape: &Shape) -> &'static str {
        match self {
            Scenario::SimpleAllowed | Scenario::Foreign => shape.simple_path,
            Scenario::Preflight => shape.preflight.1,
        }
    }

    pub fn headers(self, shape: &Shape) -> Vec<(&'static str, &'static str)> {
        match self {
            Scenario::SimpleAllowed => vec![("origin", shape.origin)],
            Scenario::Preflight => vec![
                ("origin", shape.origin),
                ("access-control-request-method", shape.preflight.0),
                ("access-control-request-headers", REQUESTED_HEADERS),
            ],
            Scenario::Foreign => vec![("origin", FOREIGN_ORIGIN)],
        }
    }

    /// The request, built as a test builds it. Header values are static: like the values hyper
    /// parses (slices of its read buffer), cloning one costs no allocation, which a value copied
    /// from a `&str` would (its first clone allocates the shared count). Every row pays alike.
    pub fn request(self, shape: &Shape) -> Request {
        let mut builder = http::Request::builder().method(self.method()).uri(self.path(shape));
        for (name, value) in self.headers(shape) {
            builder = builder.header(name, HeaderValue::from_static(value));
        }
        builder.body(Body::empty()).expect("scenario requests are valid")
    }

    /// A wrk script that sends this request.
    pub fn wrk_script(self, shape: &Shape) -> String {
        let mut script = format!("wrk.method = \"{}\"\n", self.method());
        for (name, value) in self.headers(shape) {
            script.push_str(&format!("wrk.headers[\"{name}\"] = \"{value}\"\n"));
        }
        script
    }
}
