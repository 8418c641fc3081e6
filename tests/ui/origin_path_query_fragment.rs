// An origin is scheme, host and port only.
use cors_runtime::cors_policy;

#[cors_policy(origins = [
        "https://app.example.com/app",
        "https://app.example.com?tenant=1",
        "https://app.example.com#top",
    ])]
pub struct Session;

fn main() {}
