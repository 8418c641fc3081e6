// With credentials, browsers read `*` in these lists as a header named `*`.
use cors_runtime::cors_policy;

#[cors_policy(origins = ["https://app.example.com"],
    credentials,
    headers = ["*"],
    expose = ["*"],
)]
pub struct Session;

fn main() {}
