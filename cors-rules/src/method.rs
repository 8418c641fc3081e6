//! The methods a route may be declared with.

/// Route methods in the order tables and `Allow` headers list them.
pub const ROUTE_METHODS: [&str; 6] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

/// Checks a method name as written in `#[cors(METHOD ...)]` or `methods = [...]`.
pub fn check_method(name: &str) -> Result<(), String> {
    if ROUTE_METHODS.contains(&name) {
        return Ok(());
    }
    let upper = name.to_ascii_uppercase();
    Err(match upper.as_str() {
        "OPTIONS" => "`OPTIONS` is not a route method: preflights are answered for you by \
                      `routes![...]`; declare the method the browser will actually send"
            .into(),
        "CONNECT" | "TRACE" => format!(
            "`{name}` cannot be used: `fetch` refuses it, so no browser ever sends a CORS request with it; \
             use one of GET, HEAD, POST, PUT, PATCH, DELETE"
        ),
        _ if ROUTE_METHODS.contains(&upper.as_str()) => {
            format!("method `{name}` must be uppercase, as sent on the wire: write `{upper}`")
        }
        _ => format!("unknown method `{name}`: expected one of GET, HEAD, POST, PUT, PATCH, DELETE"),
    })
}
