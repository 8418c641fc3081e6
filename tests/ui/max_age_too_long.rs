use cors_runtime::cors_policy;

#[cors_policy(origins = ["https://app.example.com"], max_age = 90000)]
pub struct Session;

fn main() {}
