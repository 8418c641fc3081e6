//! How browsers enforce CORS, as a library: the WHATWG Fetch standard's algorithms in the
//! terms of the page that calls `fetch`, and a helper that sends such a call through any
//! tower service, preflight included, to tell what the page's script would get.
//!
//! ```
//! # async fn demo(app: axum::Router) {
//! use cors_runtime::browser::{Credentials, Fetch};
//!
//! let outcome = Fetch::new("https://app.example.com", "DELETE", "https://api.example.com/orders/7")
//!     .credentials(Credentials::Include)
//!     .send(app)
//!     .await;
//! assert!(outcome.is_allowed(), "{outcome}");
//! # }
//! ```
//!
//! Each failure carries the console message Chromium prints for it ([`Blocked::message`]).
//! The model follows the standard; where Chromium is more permissive (it lets `Authorization`
//! through under `Access-Control-Allow-Headers: *`), the model gives the standard's answer,
//! which is what the stricter browsers do. `tests/browser_chromium.rs` checks the model
//! against real headless Chromium and lists the deviations it found.

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

pub use blocked::{Blocked, CheckFailure, Reason, FIREFOX_STRINGS};
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
