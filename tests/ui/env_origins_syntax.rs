// The variable name: upper-case letters, digits and `_`; and the only forms `env(...)` takes.
use cors_runtime::cors_policy;

#[cors_policy(origins = env("app_origins"))]
pub struct Lowercase;

#[cors_policy(origins = env("APP_ORIGINS", fallback = "https://app.example.com"))]
pub struct OtherKey;

#[cors_policy(origins = var("APP_ORIGINS"))]
pub struct OtherFunction;

fn main() {}
