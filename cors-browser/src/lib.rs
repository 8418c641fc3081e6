//! How browsers enforce CORS, as a library: the WHATWG Fetch standard's algorithms in the
//! terms of the page that calls `fetch`, and a helper that sends such a call through any
//! tower service, preflight included, to tell what the page's script would get.
//!
//! ```
//! # async fn demo(app: axum::Router) {
//! use cors_browser::{Credentials, Fetch};
//!
//! let outcome = Fetch::new("https://app.example.com", "DELETE", "https://api.example.com/orders/7")
//!     .credentials(Credentials::Include)
//!     .send(app)
//!     .await;
//! assert!(outcome.is_allowed(), "{outcome}");
//! # }
//! ```
//!
//! Browsers do not all do what the standard says. [`Fetch::engine`] picks whose behaviour to
//! model: [`Engine::Standard`] (the default), [`Engine::Chromium`] or [`Engine::Firefox`];
//! [`Fetch::send_every_engine`] asks all three. Each departure from the standard is one
//! [`Difference`] in [`DIFFERENCES`], with the end-to-end cases that showed it in the real
//! browser (`tests/browser_chromium.rs`, `tests/browser_firefox.rs`, sharing `tests/browser/`).
//! Each failure carries the console message of its engine ([`Blocked::message`]; Chromium's
//! wording for the standard, [`Blocked::message_in`] for another engine's).
//!
//! A redirect of the actual request is followed as Fetch says, up to [`REDIRECT_LIMIT`], with
//! the CORS check on every response; a redirect to another origin makes the request's origin
//! `null` from then on.
#![deny(missing_docs)]

mod blocked;
mod check;
mod engine;
mod expose;
mod preflight;
mod request;
mod safelist;
mod send;
#[cfg(test)]
mod wpt;

pub use blocked::{Blocked, CheckFailure, Reason};
pub use check::cors_check;
pub use engine::{Difference, Engine, Quirk, DIFFERENCES};
pub use expose::readable_headers;
pub use preflight::{check_preflight, header_list_values};
pub use request::{Credentials, Fetch};
pub use safelist::{
    is_forbidden_response_header, is_safelisted_method, is_safelisted_request_header, is_safelisted_response_header,
    unsafe_request_header_names, SAFELISTED_RESPONSE_HEADERS,
};
pub use send::{Outcome, PreflightSent, Readable, REDIRECT_LIMIT};
