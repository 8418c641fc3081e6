//! What the example prints after its route table: where the tenants live, and curl commands that
//! walk through a tenant adding its shop's domain (`tests/examples.rs` runs them as printed);
//! with PostgreSQL, also a second replica and a change made with `psql`.

use std::net::SocketAddr;
use std::path::PathBuf;

use cors_examples::{curl, curl_json, curl_preflight, ADMIN_TOKEN};

use super::admin;
use super::api::PREFIX;
use super::domains::Domains;
use super::store::postgres::{describe, psql_target};

/// Where the tenants are stored.
pub enum Database {
    File(PathBuf),
    Postgres(Box<tokio_postgres::Config>),
}

/// The tenant and shop of the walk-through.
pub const TENANT: &str = "acme";
pub const SHOP: &str = "https://shop.acme.example";
/// What a customer might type instead: upper case and a trailing `/`.
pub const TYPO: &str = "https://Shop.acme.example/";
/// The tenant whose domain is added with `psql` (PostgreSQL only).
pub const BY_SQL: (&str, &str) = ("globex", "https://shop.globex.example");

pub async fn print(addr: SocketAddr, database: &Database, domains: &Domains) {
    let base = format!("http://{addr}");
    let stored = domains.stored().await.unwrap_or_default();
    let mut tenants: Vec<&str> = stored.iter().map(|d| d.tenant.as_str()).collect();
    tenants.dedup();
    let counts = format!(
        "{} domain(s) of {} tenant(s) loaded, {} origin(s) in force",
        stored.len(),
        tenants.len(),
        domains.in_force().len()
    );
    match database {
        Database::File(path) => println!(
            "Tenants' domains are stored in {} ({counts}); a restart keeps them, and --db PATH picks another file.\n",
            path.display()
        ),
        Database::Postgres(config) => {
            let refused = domains.sync_status().map_or(0, |status| status.refused.len());
            println!(
                "Tenants' domains are stored in PostgreSQL, {} (table tenant_domains; {counts}, {refused} row(s) \
                 refused by the rules); every replica started with the same --postgres follows the table, \
                 whoever writes it.\n",
                describe(config)
            )
        }
    }
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
    if let Database::Postgres(config) = database {
        print_replicas(addr, config);
    }
}

/// A second replica on the same table, and a change made with `psql` that both follow.
fn print_replicas(addr: SocketAddr, config: &tokio_postgres::Config) {
    let other = SocketAddr::new(addr.ip(), addr.port().checked_add(1).unwrap_or(addr.port() - 1));
    let target = psql_target(config);
    let (tenant, origin) = BY_SQL;
    let preflight =
        |at: SocketAddr| curl_preflight(&format!("http://{at}{PREFIX}/orders"), origin, "POST", "content-type");
    println!(
        "8. Another replica on the same database follows every change, whoever makes it, within 2 s. Start one \
         in another terminal (add the password if yours needs one):\n\n\
         cargo run --example tenants -- --port {} --postgres {target}\n\n\
         then add {tenant}'s domain with plain SQL, as a migration or another program would:\n\n\
         psql {target} -c \"INSERT INTO tenant_domains (origin, tenant) VALUES ('{origin}', '{tenant}')\"\n\n\
         and its preflight is allowed here and there (204; after `DELETE FROM tenant_domains WHERE origin = \
         '{origin}'`, refused by both: 403)\n\n{}\n\n{}\n",
        other.port(),
        preflight(addr),
        preflight(other)
    );
}
