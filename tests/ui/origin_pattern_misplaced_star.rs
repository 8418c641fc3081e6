// `*` stands for whole leading labels only.
use cors_runtime::cors_policy;

#[cors_policy(origins = [
        "https://*.*.example.com",
        "https://*app.example.com",
        "https://app.*.example.com",
        "https://*.127.0.0.1",
        "https://app.example.com:*",
    ])]
pub struct Session;

fn main() {}
