// `://` mistyped: the fix keeps the host, never reads the scheme as one.
use cors_runtime::cors;

#[cors(GET "/admin", origins = ["https//admin.example.com", "https:/app.example.com", "HTTP:localhost:5173"])]
async fn admin() -> &'static str {
    ""
}

fn main() {}
