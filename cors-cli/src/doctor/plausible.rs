//! Values a page's script would plausibly send with a request header, for headers given by name
//! only (`--header authorization`, or a route's allowed `headers`). Never empty: no page sends an
//! empty `Authorization`, and an empty value can change what the server and the browser decide
//! (auth middleware may answer an empty token differently from a wrong one).

/// A value for `name` (any case) that a real page would send.
pub fn value(name: &str) -> &'static str {
    match name.to_ascii_lowercase().as_str() {
        "authorization" => "Bearer cors-doctor",
        "content-type" | "accept" => "application/json",
        "accept-language" | "content-language" => "en",
        "if-match" | "if-none-match" => "\"1\"",
        "if-modified-since" | "if-unmodified-since" => "Thu, 01 Jan 2026 00:00:00 GMT",
        "cache-control" | "pragma" => "no-cache",
        "range" => "bytes=0-99",
        "x-requested-with" => "XMLHttpRequest",
        "x-request-id" | "x-correlation-id" | "request-id" | "traceparent-id" => "cors-doctor-1",
        "traceparent" => "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        _ => "cors-doctor",
    }
}

/// The header a page sends where a route allows any header (`headers = ["*"]`) and lists none.
pub const ANY_HEADER: &str = "x-requested-with";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_is_a_non_empty_header_value() {
        for name in ["Authorization", "content-type", "X-Request-Id", "traceparent", "x-api-key", "if-match"] {
            let value = value(name);
            assert!(!value.is_empty() && http::HeaderValue::from_str(value).is_ok(), "{name}: {value:?}");
        }
        assert_eq!(value("AUTHORIZATION"), "Bearer cors-doctor");
        assert_eq!(value("x-api-key"), "cors-doctor");
    }
}
