// Credentials over plain http cross the network unencrypted; loopback is the exception.
use cors_runtime::cors_policy;

#[cors_policy(origins = ["http://app.example.com", "http://*.example.com", "http://localhost:5173"],
    credentials,
)]
pub struct Session;

fn main() {}
