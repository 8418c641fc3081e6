// The default of `env(...)` is checked like a literal list; `*` in it is refused.
use cors_runtime::cors_policy;

#[cors_policy(origins = env("APP_ORIGINS", default = "https://app.example.com/ http://dev.example.com"), credentials)]
pub struct Session;

#[cors_policy(origins = env("PUBLIC_ORIGINS", default = "*"))]
pub struct Everyone;

#[cors_policy(origins = env("NO_ORIGINS", default = " , "))]
pub struct Nothing;

fn main() {}
