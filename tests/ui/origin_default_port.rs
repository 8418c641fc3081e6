// Browsers leave the default port out.
use cors_runtime::cors_policy;

#[cors_policy(origins = ["https://app.example.com:443", "http://app.example.com:80"])]
pub struct Session;

fn main() {}
