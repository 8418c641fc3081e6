// The one policy every CORS variant applies, in this library's terms. Included as code by
// `apps.rs` and as source text by `compile_time.rs`, so the bench and the compile-time app
// measure the same policy.

/// Two exact origins, credentials, two request headers, one exposed header, ten minutes.
#[cors_runtime::cors_policy(
    origins = ["https://app.example.com", "https://admin.example.com"],
    credentials,
    headers = ["authorization", "content-type"],
    expose = ["etag"],
    max_age = 600,
)]
pub struct AppSession;
