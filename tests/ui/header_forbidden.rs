// Fetch's forbidden request headers: script can never set them.
use cors_runtime::cors_policy;

#[cors_policy(origins = ["https://app.example.com"],
    headers = ["cookie", "host", "sec-fetch-mode", "proxy-authorization", "content-length"],
)]
pub struct Session;

fn main() {}
