// Browsers always send the scheme, and CORS origins are http(s).
use cors_runtime::cors_policy;

#[cors_policy(origins = ["app.example.com", "ftp://files.example.com", "*://app.example.com"])]
pub struct Session;

fn main() {}
