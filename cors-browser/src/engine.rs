//! Which browser the model answers for, and where the browsers depart from the Fetch standard.
//!
//! The model follows the standard ([`Engine::Standard`], the default). Each known departure of
//! a real engine is one [`Difference`] in [`DIFFERENCES`], recorded with the end-to-end case
//! that showed it; the model applies a [`Quirk`] for an engine only when that engine has a
//! difference recording it, so the data below is the whole list.

use std::fmt;

/// A browser engine, or the standard itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Engine {
    /// The WHATWG Fetch standard. Console messages are worded as Chromium words them.
    #[default]
    Standard,
    /// Chromium, and the browsers built on it (Chrome, Edge, Opera, Brave).
    Chromium,
    /// Firefox (Gecko).
    Firefox,
}

impl Engine {
    /// The standard and every engine, in that order.
    pub const ALL: [Engine; 3] = [Engine::Standard, Engine::Chromium, Engine::Firefox];

    /// This engine's recorded departures from the standard.
    pub fn differences(self) -> impl Iterator<Item = &'static Difference> {
        DIFFERENCES.iter().filter(move |difference| difference.engine == self)
    }

    /// Whether this engine behaves as `quirk` says.
    pub(crate) fn has(self, quirk: Quirk) -> bool {
        self.differences().any(|difference| difference.quirk == quirk)
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Engine::Standard => "the Fetch standard",
            Engine::Chromium => "Chromium",
            Engine::Firefox => "Firefox",
        })
    }
}

/// A behaviour that differs from the standard's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quirk {
    /// `Access-Control-Allow-Headers: *` (without credentials) also lets `Authorization`
    /// through; the standard requires it to be listed by name.
    AuthorizationUnderWildcard,
    /// A request header appended more than once is judged by its joined value (`a, b`), so
    /// two short values can add up to more than the 128-byte safelist limit; the standard
    /// judges each appended value on its own.
    JoinedHeaderValues,
    /// The client-hint request headers are safelisted when their values are well-formed
    /// (`device-memory`, `dpr`, `downlink` a decimal number; `width`, `viewport-width`, `rtt`
    /// an integer; `ect` `slow-2g`/`2g`/`3g`/`4g`; `save-data` `on`): no preflight for them.
    ClientHintHeaders,
}

/// One departure of one engine from the standard, as observed in the end-to-end suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Difference {
    /// The engine that departs.
    pub engine: Engine,
    /// What it does differently.
    pub quirk: Quirk,
    /// The cases of `tests/browser/matrix.rs` whose outcome differs from the standard's
    /// because of it (the suite fails if one of them stops differing, or another one starts).
    pub cases: &'static [&'static str],
    /// What the browser did in those cases, and which version did it.
    pub evidence: &'static str,
}

/// Every recorded departure from the standard.
pub const DIFFERENCES: &[Difference] = &[
    Difference {
        engine: Engine::Chromium,
        quirk: Quirk::AuthorizationUnderWildcard,
        cases: &["raw: Authorization under Allow-Headers *"],
        evidence: "Chromium 156.0.8078.108 (Debian): the GET with `Authorization` to an upstream answering \
                   `Access-Control-Allow-Headers: *` resolved with 200 (its CorsNonWildcardRequestHeadersSupport \
                   feature is off by default)",
    },
    Difference {
        engine: Engine::Chromium,
        quirk: Quirk::JoinedHeaderValues,
        cases: &["raw: two 100-byte Accept values"],
        evidence: "Chromium 156.0.8078.108 (Debian): two 100-byte `Accept` values (202 bytes joined) were \
                   preflighted with `Access-Control-Request-Headers: accept`",
    },
    Difference {
        engine: Engine::Chromium,
        quirk: Quirk::ClientHintHeaders,
        cases: &[
            "client hint: dpr",
            "client hint: device-memory",
            "client hint: viewport-width",
            "client hint: width",
            "client hint: rtt",
            "client hint: downlink",
            "client hint: ect",
            "client hint: save-data",
            "client hint: downlink with a fraction",
        ],
        evidence: "Chromium 156.0.8078.108 (Debian): a GET to a private route that lists none of them, with \
                   `DPR: 2`, `Device-Memory: 8`, `Viewport-Width: 800`, `Width: 100`, `RTT: 50`, `Downlink: 10`, \
                   `Downlink: 1.5`, `ECT: 4g` or `Save-Data: on`, went without a preflight and resolved with 200; \
                   `DPR: two`, `Save-Data: off`, `Width: 1.5`, `RTT: fast` and `ECT: 5g` were preflighted as the \
                   standard says",
    },
    Difference {
        engine: Engine::Firefox,
        quirk: Quirk::AuthorizationUnderWildcard,
        cases: &["raw: Authorization under Allow-Headers *"],
        evidence: "Firefox 153.8.0esr (Debian): the GET with `Authorization` to an upstream answering \
                   `Access-Control-Allow-Headers: *` was sent after the preflight and resolved with 200, logging no \
                   error (its strings hold a `CORSAllowHeaderFromPreflightDeprecation` warning that it \
                   \"will disallow\" this \"soon\"; warnings do not reach the suite's console reader)",
    },
];
