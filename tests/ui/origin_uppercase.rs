// Browsers send origins in lowercase.
use cors_runtime::cors_policy;

#[cors_policy(origins = ["HTTPS://app.example.com", "https://App.Example.com"])]
pub struct Session;

fn main() {}
