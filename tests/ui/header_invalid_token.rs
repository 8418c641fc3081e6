// A name that is no token: the fix follows from the name when one does, and only then.
use cors_runtime::cors_policy;

#[cors_policy(origins = ["https://app.example.com"],
    headers = ["x request id", "x-id:", "content type", "accept, authorization", "x-é", "content length"],
    expose = ["etag;"],
)]
pub struct Session;

fn main() {}
