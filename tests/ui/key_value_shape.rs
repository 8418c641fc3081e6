// Flags take no value; lists are lists.
use cors_runtime::cors_policy;

#[cors_policy(origins = ["https://app.example.com"],
    credentials = true,
    headers = "authorization",
    methods = ["GET"],
    max_age,
)]
pub struct Session;

fn main() {}
