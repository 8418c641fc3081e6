//! Header values both kinds of answer send, built at compile time.

use http::HeaderValue;

pub(crate) const TRUE: HeaderValue = HeaderValue::from_static("true");
pub(crate) const TEXT_PLAIN: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");
