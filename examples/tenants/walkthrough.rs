//! What the example prints after its route table: where the tenants live, and curl commands that
//! walk through a tenant adding its shop's domain (`tests/examples.rs` runs them as printed).

use std::path::Path;

use cors_examples::{curl, curl_json, curl_preflight, ADMIN_TOKEN};

use super::admin;
use super::api::PREFIX;
use super::domains::Domains;

/// The tenant and shop of the walk-through.
pub const TENANT: &str = "acme";
pub const SHOP: &str = "https://shop.acme.example";
/// What a customer might type instead: upper case and a trailing `/`.
pub const TYPO: &str = "https://Shop.acme.example/";

pub fn print(base: &str, db: &Path, domains: &Domains) {
    let stored = domains.stored().unwrap_or_default();
    let mut tenants: Vec<&str> = stored.iter().map(|d| d.tenant.as_str()).collect();
    tenants.dedup();
    println!(
        "Tenants' domains are stored in {} ({} domain(s) of {} tenant(s) loaded, {} origin(s) in force); \
         a restart keeps them, and --db PATH picks another file.\n",
        db.display(),
        stored.len(),
        tenants.len(),
        domains.in_force().len()
    );
    println!(
        "The admin API ({path}) has no CORS policy: it is for operators and the back office, never \
         for a page on another origin. It needs the admin token: Authorization: Bearer {ADMIN_TOKEN} \
         (a demo value; a real service checks its operators' credentials).\n",
        path = admin::PATH
    );

    let admin_url = format!("{base}{}", admin::PATH);
    let orders = format!("{base}{PREFIX}/orders");
    let token = format!("Authorization: Bearer {ADMIN_TOKEN}");
    let preflight = curl_preflight(&orders, SHOP, "POST", "content-type");
    let add = |origin: &str| {
        curl_json("POST", &admin_url, &[&token], &format!("{{\"tenant\":\"{TENANT}\",\"origin\":\"{origin}\"}}"))
    };
    let first = if domains.in_force().iter().any(|o| o == SHOP) {
        format!(
            "1. The shop's page asks to POST JSON: allowed (204), since this database has {TENANT}'s domain already \
             (on a new --db, before {TENANT} adds it, it is refused: 403)"
        )
    } else {
        format!("1. The shop's page asks to POST JSON before {TENANT} has added the domain: refused (403)")
    };

    println!("Try it, as tenant `{TENANT}` whose shop runs on {SHOP}:\n");
    println!("{first}\n\n{preflight}\n");
    println!(
        "2. {TENANT} adds the domain: stored in the database, then in force (201, \"added\": true; \
         sent again: 200, \"added\": false; another tenant's domain: 409)\n\n{}\n",
        add(SHOP)
    );
    println!("3. The same preflight, now allowed (204)\n\n{preflight}\n");
    println!(
        "4. The request itself, with the visitor's cookies: 201, readable by the shop's page\n\n{}\n",
        curl_json("POST", &orders, &[&format!("Origin: {SHOP}"), "Cookie: session=visitor-1"], "{\"item\":\"tea\"}")
    );
    println!(
        "5. A domain typed with a capital and a trailing `/`: refused with the rule and the fix (422), \
         nothing stored\n\n{}\n",
        add(TYPO)
    );
    println!("6. What is stored and what is in force (200)\n\n{}\n", curl("GET", &admin_url, &[&token]));
    println!(
        "7. {TENANT} removes the domain (200; 404 when no tenant has it), and the shop's next preflight is \
         refused again (403)\n\n{}\n\n{preflight}\n",
        curl("DELETE", &format!("'{admin_url}?origin={SHOP}'"), &[&token])
    );
}
