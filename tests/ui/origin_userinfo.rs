use cors_runtime::cors_policy;

#[cors_policy(origins = ["https://user:secret@app.example.com"])]
pub struct Session;

fn main() {}
