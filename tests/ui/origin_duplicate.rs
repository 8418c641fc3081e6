use cors_runtime::cors_policy;

#[cors_policy(origins = ["https://app.example.com", "https://admin.example.com", "https://app.example.com"])]
pub struct Session;

fn main() {}
