//! DESIGN §2's example, verbatim, driven with `oneshot`: what tests outside the repository do.

use axum::body::Body;
use http::{Request, StatusCode};
use tower::ServiceExt;

/// The example as DESIGN writes it; `rustfmt::skip` keeps it verbatim.
#[rustfmt::skip]
mod design {
    use cors_runtime::{cors, cors_policy, routes};

    /// Named, reusable, compile-checked policy.
    #[cors_policy(
        origins = ["https://app.example.com", "https://admin.example.com"],
        credentials,
        headers = ["authorization", "content-type", "x-request-id"],
        expose = ["etag", "x-request-id"],
        max_age = 600,
    )]
    pub struct AppSession;

    /// Any origin may read; never credentials.
    #[cors_policy(origins = "*", expose = ["etag", "link", "retry-after"])]
    pub struct PublicRead;

    #[cors(GET "/profile", policy = AppSession)]
    async fn profile() -> &'static str { "{}" }

    #[cors(POST "/orders", policy = AppSession)]
    async fn create_order(body: String) -> String { body }

    #[cors(GET "/orders/{id}", origins = ["https://app.example.com"], credentials, expose = ["etag"])]
    async fn get_order(axum::extract::Path(id): axum::extract::Path<u32>) -> String { id.to_string() }

    #[cors(GET "/catalog", public, policy = PublicRead)]
    async fn catalog() -> &'static str { "[]" }

    #[cors(GET "/status", public)]            // inline public policy: Access-Control-Allow-Origin: *
    async fn status() -> &'static str { "ok" }

    pub fn app() -> axum::Router {
        let app: axum::Router = axum::Router::new()
            .merge(routes![profile, create_order, get_order, catalog, status]);
        app
    }

    pub fn table() -> cors_runtime::Routes {
        routes![profile, create_order, get_order, catalog, status]
    }
}

use design::app;

async fn send(request: Request<Body>) -> http::Response<Body> {
    app().oneshot(request).await.unwrap()
}

fn header<'a>(response: &'a http::Response<Body>, name: &str) -> Option<&'a str> {
    response.headers().get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn allowed_origin_is_reflected_with_credentials_and_expose() {
    let response =
        send(Request::get("/profile").header("origin", "https://app.example.com").body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "access-control-allow-origin"), Some("https://app.example.com"));
    assert_eq!(header(&response, "access-control-allow-credentials"), Some("true"));
    assert_eq!(header(&response, "access-control-expose-headers"), Some("etag, x-request-id"));
    assert_eq!(header(&response, "vary"), Some("Origin"));
}

#[tokio::test]
async fn preflight_for_post_orders() {
    let response = send(
        Request::options("/orders")
            .header("origin", "https://admin.example.com")
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization,content-type")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(header(&response, "access-control-allow-origin"), Some("https://admin.example.com"));
    assert_eq!(header(&response, "access-control-allow-credentials"), Some("true"));
    assert_eq!(header(&response, "access-control-allow-methods"), Some("POST"));
    assert_eq!(header(&response, "access-control-allow-headers"), Some("authorization,content-type"));
    assert_eq!(header(&response, "access-control-max-age"), Some("600"));
    assert_eq!(
        header(&response, "vary"),
        Some("Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
    );
}

#[tokio::test]
async fn public_routes_send_star() {
    for path in ["/catalog", "/status"] {
        let response =
            send(Request::get(path).header("origin", "https://any.example").body(Body::empty()).unwrap()).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, "access-control-allow-origin"), Some("*"));
        assert_eq!(header(&response, "access-control-allow-credentials"), None);
        assert_eq!(header(&response, "vary"), None);
    }
}

#[test]
fn route_table_lists_every_route() {
    let table: cors_runtime::Routes = design::table();
    let text = table.to_string();
    println!("{text}");
    assert_eq!(table.entries().len(), 5);
}
