//! The three requests every variant answers, as data: built in process for callgrind and the
//! allocation counter, and written as a wrk script for the load test.

use axum::body::Body;

use crate::apps::Request;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// `GET /profile` from an allowed origin.
    SimpleAllowed,
    /// `OPTIONS /orders` asking for `POST` with `authorization, content-type`.
    Preflight,
    /// `GET /profile` from an origin the policy does not list.
    Foreign,
}

pub const APP_ORIGIN: &str = "https://app.example.com";
pub const ADMIN_ORIGIN: &str = "https://admin.example.com";
pub const FOREIGN_ORIGIN: &str = "https://evil.example";

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

    pub fn method(self) -> &'static str {
        match self {
            Scenario::SimpleAllowed | Scenario::Foreign => "GET",
            Scenario::Preflight => "OPTIONS",
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            Scenario::SimpleAllowed | Scenario::Foreign => "/profile",
            Scenario::Preflight => "/orders",
        }
    }

    pub fn headers(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Scenario::SimpleAllowed => &[("origin", APP_ORIGIN)],
            Scenario::Preflight => &[
                ("origin", ADMIN_ORIGIN),
                ("access-control-request-method", "POST"),
                ("access-control-request-headers", "authorization,content-type"),
            ],
            Scenario::Foreign => &[("origin", FOREIGN_ORIGIN)],
        }
    }

    /// The request, built the way a test or a client would build it (its cost is part of every
    /// variant's count alike).
    pub fn request(self) -> Request {
        let mut builder = http::Request::builder().method(self.method()).uri(self.path());
        for (name, value) in self.headers() {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::empty()).expect("scenario requests are valid")
    }

    /// A wrk script that sends this request.
    pub fn wrk_script(self) -> String {
        let mut script = format!("wrk.method = \"{}\"\n", self.method());
        for (name, value) in self.headers() {
            script.push_str(&format!("wrk.headers[\"{name}\"] = \"{value}\"\n"));
        }
        script
    }
}
