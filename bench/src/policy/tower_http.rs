// `AppSession` in tower-http's terms (see app_session.rs), for the compile-time app. tower-http
// has no per-route methods, so it lists the two the routes use. (The per-request bench builds
// its tower-http layers from each shape's compiled policy: `apps::tower_http_cors`.)

pub fn tower_http_cors() -> tower_http::cors::CorsLayer {
    use axum::http::{header, HeaderValue, Method};
    tower_http::cors::CorsLayer::new()
        .allow_origin(tower_http::cors::AllowOrigin::list([
            HeaderValue::from_static("https://app.example.com"),
            HeaderValue::from_static("https://admin.example.com"),
        ]))
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .expose_headers([header::ETAG])
        .max_age(std::time::Duration::from_secs(600))
}
