use cors_runtime::cors_policy;

#[cors_policy(origins = ["https://app.example.com"], methods = [GET, GET])]
pub struct Twice;

#[cors_policy(origins = ["https://app.example.com"], methods = [])]
pub struct Nothing;

fn main() {}
