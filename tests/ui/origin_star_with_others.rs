// `*` already allows every origin.
use cors_runtime::cors_policy;

#[cors_policy(origins = ["*", "https://app.example.com"])]
pub struct Session;

fn main() {}
