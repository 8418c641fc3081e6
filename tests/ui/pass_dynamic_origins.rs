// Origins that change while the service runs: a named policy, used by routes, filled at run time.
use cors_runtime::{cors, cors_policy, routes, ConfigError, DynamicOrigins};

#[cors_policy(origins = dynamic, credentials, headers = ["authorization"], expose = ["etag"])]
pub struct TenantApps;

#[cors_policy(methods = [GET], origins = dynamic, max_age = 60, strict)]
struct Partners;

#[cors(GET "/tenant/orders", policy = TenantApps)]
async fn tenant_orders() -> &'static str {
    "[]"
}

#[cors(GET "/partner/feed", policy = Partners)]
async fn partner_feed() -> &'static str {
    "[]"
}

fn main() -> Result<(), ConfigError> {
    let origins: &'static DynamicOrigins = TenantApps::origins();
    origins.replace(["https://shop.acme.example", "https://*.tenants.example"])?;
    let added: bool = origins.insert("https://new-customer.example")?;
    let was_there: bool = origins.remove("https://new-customer.example");
    let in_force: Vec<String> = origins.list();
    assert!(added && was_there && in_force.len() == origins.len() && !origins.is_empty());
    Partners::origins().replace(vec![String::from("https://partner.example")])?;
    let _app: axum::Router = routes![tenant_orders, partner_feed].into();
    Ok(())
}
