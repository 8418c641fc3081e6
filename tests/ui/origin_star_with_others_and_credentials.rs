// `*` beside other origins in a credentialed policy breaks two rules; both are reported.
use cors_runtime::cors_policy;

#[cors_policy(origins = ["https://app.example.com", "*"], credentials)]
pub struct Session;

fn main() {}
