// Hosts and ports exactly as browsers serialize them.
use cors_runtime::cors_policy;

#[cors_policy(origins = [
        "https://app..example.com",
        "https://bücher.example",
        "https:// app.example.com",
        "http://127.1:8080",
        "http://[0:0:0:0:0:0:0:1]:8080",
        "https://app.example.com:08443",
        "https://app.example.com:70000",
    ])]
pub struct Session;

fn main() {}
