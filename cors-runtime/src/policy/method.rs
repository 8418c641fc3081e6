//! The six route methods, as a small enum and a bit set that compile-time checks can read.

use axum::routing::MethodFilter;
use http::HeaderValue;

/// A method a `#[cors]` route can be declared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RouteMethod {
    /// `GET`
    Get,
    /// `HEAD` (a `GET` route also answers it)
    Head,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl RouteMethod {
    /// All route methods, in the order tables and `Allow` headers list them.
    pub const ALL: [RouteMethod; 6] = [
        RouteMethod::Get,
        RouteMethod::Head,
        RouteMethod::Post,
        RouteMethod::Put,
        RouteMethod::Patch,
        RouteMethod::Delete,
    ];

    /// The method as sent on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            RouteMethod::Get => "GET",
            RouteMethod::Head => "HEAD",
            RouteMethod::Post => "POST",
            RouteMethod::Put => "PUT",
            RouteMethod::Patch => "PATCH",
            RouteMethod::Delete => "DELETE",
        }
    }

    /// The method as a header value, built at compile time.
    pub(crate) fn header_value(self) -> HeaderValue {
        match self {
            RouteMethod::Get => const { HeaderValue::from_static("GET") },
            RouteMethod::Head => const { HeaderValue::from_static("HEAD") },
            RouteMethod::Post => const { HeaderValue::from_static("POST") },
            RouteMethod::Put => const { HeaderValue::from_static("PUT") },
            RouteMethod::Patch => const { HeaderValue::from_static("PATCH") },
            RouteMethod::Delete => const { HeaderValue::from_static("DELETE") },
        }
    }

    /// The method's bit in a [`MethodSet`].
    pub const fn bit(self) -> u8 {
        1 << self as u8
    }

    /// Parses a method exactly as sent on the wire (method names are case-sensitive).
    pub fn from_bytes(name: &[u8]) -> Option<RouteMethod> {
        RouteMethod::ALL.into_iter().find(|m| m.as_str().as_bytes() == name)
    }

    /// The route method a request's method is, if any: the same answer as [`from_bytes`] of
    /// its name, without comparing bytes (standard methods are an enum inside `http::Method`).
    ///
    /// [`from_bytes`]: RouteMethod::from_bytes
    #[inline]
    pub(crate) fn from_method(method: &http::Method) -> Option<RouteMethod> {
        use http::Method;
        Some(match *method {
            Method::GET => RouteMethod::Get,
            Method::HEAD => RouteMethod::Head,
            Method::POST => RouteMethod::Post,
            Method::PUT => RouteMethod::Put,
            Method::PATCH => RouteMethod::Patch,
            Method::DELETE => RouteMethod::Delete,
            _ => return None,
        })
    }

    /// The method as axum's routing filter, to route a handler for it (`axum::routing::on`).
    pub const fn filter(self) -> MethodFilter {
        match self {
            RouteMethod::Get => MethodFilter::GET,
            RouteMethod::Head => MethodFilter::HEAD,
            RouteMethod::Post => MethodFilter::POST,
            RouteMethod::Put => MethodFilter::PUT,
            RouteMethod::Patch => MethodFilter::PATCH,
            RouteMethod::Delete => MethodFilter::DELETE,
        }
    }
}

/// A set of route methods (a policy's `methods = [...]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodSet(pub u8);

impl MethodSet {
    /// Every route method: a policy without `methods = [...]`.
    pub const ANY: MethodSet = MethodSet(0b11_1111);

    /// Whether `method` is in the set.
    pub const fn contains(self, method: RouteMethod) -> bool {
        self.0 & method.bit() != 0
    }

    /// The methods in the set, in table order.
    pub fn iter(self) -> impl Iterator<Item = RouteMethod> {
        RouteMethod::ALL.into_iter().filter(move |m| self.contains(*m))
    }
}

impl std::fmt::Display for RouteMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
