// Three mistakes in one attribute: three errors in one build.
use cors_runtime::cors_policy;

#[cors_policy(origins = ["https://app.example.com/"],
    headers = ["cookie"],
    max_age = 100000,
)]
pub struct Session;

fn main() {}
