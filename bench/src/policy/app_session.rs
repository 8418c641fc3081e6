// The compile-time app's policy, in this library's terms, included as source text by
// `compile_time.rs`. It is §5's policy: the per-request bench's `single` shape (shapes.rs)
// declares the same one.

/// Two exact origins, credentials, two request headers, one exposed header, ten minutes.
#[cors_runtime::cors_policy(
    origins = ["https://app.example.com", "https://admin.example.com"],
    credentials,
    headers = ["authorization", "content-type"],
    expose = ["etag"],
    max_age = 600,
)]
pub struct AppSession;
