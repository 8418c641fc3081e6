// Header names are case-insensitive.
use cors_runtime::cors_policy;

#[cors_policy(origins = ["https://app.example.com"],
    headers = ["authorization", "Authorization"],
    expose = ["etag", "etag"],
)]
pub struct Session;

fn main() {}
