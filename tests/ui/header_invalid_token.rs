use cors_runtime::cors_policy;

#[cors_policy(origins = ["https://app.example.com"],
    headers = ["x request id", "x-id:"],
    expose = ["etag;"],
)]
pub struct Session;

fn main() {}
