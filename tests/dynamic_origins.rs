//! DESIGN §9.1: `origins = dynamic`, an allowlist the service changes while it runs. Every
//! entry is checked by the rules a written list passes; `replace` is all or nothing; the list
//! starts empty; a change is seen by the next request. Each test owns its policies: the lists
//! are statics, shared by every test of the process.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use tower::ServiceExt;

use cors_runtime::{cors, cors_policy, routes, ConfigError, Routes};

#[path = "dynamic_origins/concurrency.rs"]
mod concurrency;
#[path = "dynamic_origins/middleware.rs"]
mod middleware;

/// What a request or preflight got: status, `Access-Control-Allow-Origin`, body.
#[derive(Debug, PartialEq)]
struct Answer {
    status: StatusCode,
    allow_origin: Option<String>,
    body: String,
}

async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let allow_origin = response.headers().get("access-control-allow-origin").map(|v| v.to_str().unwrap().to_owned());
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    Answer { status, allow_origin, body: String::from_utf8(bytes.to_vec()).unwrap() }
}

async fn get(app: &Router, path: &str, origin: &str) -> Answer {
    send(app, Request::get(path).header("origin", origin).body(Body::empty()).unwrap()).await
}

async fn preflight(app: &Router, path: &str, origin: &str, method: &str) -> Answer {
    let request = Request::options(path)
        .header("origin", origin)
        .header("access-control-request-method", method)
        .body(Body::empty())
        .unwrap();
    send(app, request).await
}

fn problems(result: Result<impl std::fmt::Debug, ConfigError>) -> Vec<String> {
    result.expect_err("the entry is refused").problems().to_vec()
}

#[cors_policy(origins = dynamic, credentials, headers = ["authorization"], expose = ["etag"])]
pub struct Empty;

#[cors(GET "/empty", policy = Empty)]
async fn empty_route() -> &'static str {
    "ok"
}

#[tokio::test]
async fn the_list_starts_empty_and_refuses_every_origin() {
    assert!(Empty::origins().is_empty());
    assert_eq!(Empty::origins().len(), 0);
    assert_eq!(Empty::origins().list(), Vec::<String>::new());
    assert_eq!(Empty::check(), Ok(()));
    let app: Router = routes![empty_route].into();
    let refused = preflight(&app, "/empty", "https://shop.acme.example", "GET").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.body, "CORS preflight rejected: origin not allowed\n");
    assert_eq!(get(&app, "/empty", "https://shop.acme.example").await.allow_origin, None);
}

#[cors_policy(origins = dynamic, credentials)]
pub struct Rules;

#[test]
fn every_rule_refuses_an_entry_with_what_browsers_send() {
    for (entry, message) in [
        ("https://Shop.example", "origin `https://Shop.example` has uppercase letters: browsers send `https://shop.example`"),
        ("https://shop.example/", "origin `https://shop.example/` has a trailing `/`: an origin is scheme, host and port only; browsers send `https://shop.example`"),
        ("https://shop.example/app", "origin `https://shop.example/app` has a path `/app`: an origin is scheme, host and port only; browsers send `https://shop.example`"),
        ("https://shop.example?x=1", "origin `https://shop.example?x=1` has a query `?x=1`: an origin is scheme, host and port only; browsers send `https://shop.example`"),
        ("https://shop.example:443", "origin `https://shop.example:443` has the default port 443: browsers send `https://shop.example`"),
        ("https://user@shop.example", "origin `https://user@shop.example` has userinfo: an origin is scheme, host and port only; browsers send `https://shop.example`"),
        ("shop.example", "origin `shop.example` has no scheme: browsers send it too, e.g. `https://shop.example`"),
        ("ftp://shop.example", "origin `ftp://shop.example` has scheme `ftp`: allowlists hold web origins, `https://` or `http://`, e.g. `https://shop.example`"),
        (" https://shop.example", "origin ` https://shop.example` has whitespace: browsers send `https://shop.example`"),
        ("", "an empty string is not an origin: write one such as `https://app.example.com`"),
        ("null", "`null` is not an origin to allow: browsers send `Origin: null` from sandboxed iframes, `file:` pages and redirects, so allowing it allows all of them; list the real origins instead"),
        ("http://shop.example", "`http://shop.example` is plain http in a credentialed policy: cookies and tokens would cross the network unencrypted; write `https://shop.example` (plain http is accepted only for loopback hosts: localhost, 127.0.0.1, [::1])"),
        ("https://*", "origin pattern `https://*` allows every host: write `origins = \"*\"` and mark the route `public` if any website may read it, or name the domain: `https://*.example.com`"),
        ("https://*.com", "origin pattern `https://*.com` allows every site under `com`, a public suffix where anyone can register a domain: put the `*` under a domain you own, e.g. `https://*.example.com`"),
        ("https://*.github.io", "origin pattern `https://*.github.io` allows every site under `github.io`, a shared domain on the Public Suffix List whose subdomains belong to different owners: list your own origins exactly, e.g. `https://my-app.github.io`"),
        ("https://*.*.shop.example", "origin pattern `https://*.*.shop.example` has more than one `*`: write one leading `*`, which stands for one or more labels, e.g. `https://*.example.com`"),
        ("https://a.*.shop.example", "origin pattern `https://a.*.shop.example` must start its host with `*.`: `*` stands for one or more whole leading labels, as in `https://*.example.com`"),
        ("*", "`*` would let every website read these routes, but policy Rules takes its origins at run time and is private: add each site's exact origin, e.g. `https://shop.example.com`"),
    ] {
        assert_eq!(problems(Rules::origins().insert(entry)), [message], "{entry:?}");
        assert_eq!(problems(Rules::origins().check(entry)), [message], "{entry:?}");
        assert_eq!(problems(Rules::origins().replace([entry])), [message], "{entry:?}");
    }
    assert!(Rules::origins().is_empty(), "nothing refused was added: {:?}", Rules::origins().list());
    // Plain http is private enough on loopback, as in a written credentialed list.
    for entry in ["http://localhost:5173", "http://127.0.0.1:8080", "http://[::1]:3000"] {
        assert_eq!(Rules::origins().insert(entry), Ok(true), "{entry}");
    }
}

#[cors_policy(origins = dynamic, credentials)]
pub struct AllOrNothing;

#[cors(GET "/all-or-nothing", policy = AllOrNothing)]
async fn all_or_nothing_route() -> &'static str {
    "ok"
}

#[tokio::test]
async fn replace_is_all_or_nothing_and_names_every_bad_entry() {
    let origins = AllOrNothing::origins();
    origins.replace(["https://b.example", "https://a.example"]).unwrap();
    assert_eq!(origins.list(), ["https://a.example", "https://b.example"]);
    let refused = origins.replace(vec![
        "https://c.example".to_string(),
        "https://D.example".to_string(),
        "https://e.example".to_string(),
        "null".to_string(),
        "https://c.example".to_string(),
        "https://*.co.uk".to_string(),
    ]);
    assert_eq!(
        problems(refused),
        [
            "origin `https://D.example` has uppercase letters: browsers send `https://d.example`",
            "`null` is not an origin to allow: browsers send `Origin: null` from sandboxed iframes, `file:` pages and redirects, so allowing it allows all of them; list the real origins instead",
            "origin `https://c.example` is listed twice: remove one",
            "origin pattern `https://*.co.uk` allows every site under `co.uk`, a public suffix where anyone can register a domain: put the `*` under a domain you own, e.g. `https://*.example.co.uk`",
        ]
    );
    assert_eq!(origins.list(), ["https://a.example", "https://b.example"], "the list in force is unchanged");
    let app: Router = routes![all_or_nothing_route].into();
    assert_eq!(get(&app, "/all-or-nothing", "https://c.example").await.allow_origin, None);
    assert_eq!(
        get(&app, "/all-or-nothing", "https://a.example").await.allow_origin.as_deref(),
        Some("https://a.example")
    );

    origins.replace(["https://c.example", "https://*.tenants.example"]).unwrap();
    assert_eq!(origins.list(), ["https://*.tenants.example", "https://c.example"]);
    assert_eq!(get(&app, "/all-or-nothing", "https://a.example").await.allow_origin, None, "replaced, not added");
    assert_eq!(
        get(&app, "/all-or-nothing", "https://c.example").await.allow_origin.as_deref(),
        Some("https://c.example")
    );
    origins.replace(Vec::<String>::new()).unwrap();
    assert!(origins.is_empty());
}

#[cors_policy(origins = dynamic)]
pub struct InsertRemove;

#[cors(GET "/insert-remove", policy = InsertRemove)]
async fn insert_remove_route() -> &'static str {
    "ok"
}

#[tokio::test]
async fn insert_and_remove_say_what_changed_and_the_next_request_sees_it() {
    let app: Router = routes![insert_remove_route].into();
    let origins = InsertRemove::origins();
    let origin = "https://new-customer.example";
    assert_eq!(get(&app, "/insert-remove", origin).await.allow_origin, None);
    assert_eq!(origins.insert(origin), Ok(true));
    assert_eq!(origins.insert(origin), Ok(false), "already there");
    assert_eq!(get(&app, "/insert-remove", origin).await.allow_origin.as_deref(), Some(origin));
    assert_eq!(preflight(&app, "/insert-remove", origin, "GET").await.status, StatusCode::NO_CONTENT);
    // Without credentials, plain http is allowed anywhere, as in a written list.
    assert_eq!(origins.insert("http://intranet.example:8080"), Ok(true));
    assert_eq!(origins.insert("https://*.tenants.example"), Ok(true));
    assert_eq!(origins.insert("https://*.tenants.example"), Ok(false));
    assert_eq!(origins.len(), 3);
    assert_eq!(
        get(&app, "/insert-remove", "https://a.b.tenants.example").await.allow_origin.as_deref(),
        Some("https://a.b.tenants.example")
    );

    assert!(origins.remove(origin));
    assert!(!origins.remove(origin), "already gone");
    assert!(!origins.remove("https://never-added.example"));
    assert!(!origins.remove("not an origin at all"));
    assert!(!origins.remove("https://*.other.example"));
    assert!(origins.remove("https://*.tenants.example"));
    assert_eq!(origins.list(), ["http://intranet.example:8080"]);
    assert_eq!(get(&app, "/insert-remove", origin).await.allow_origin, None);
    let refused = preflight(&app, "/insert-remove", origin, "GET").await;
    assert_eq!(
        (refused.status, refused.body.as_str()),
        (StatusCode::FORBIDDEN, "CORS preflight rejected: origin not allowed\n")
    );
    assert_eq!(get(&app, "/insert-remove", "https://a.tenants.example").await.allow_origin, None);
}

#[cors_policy(origins = dynamic, credentials, expose = ["etag"])]
pub struct LookAlikes;

#[cors(GET "/look-alikes", policy = LookAlikes)]
async fn look_alikes_route() -> &'static str {
    "ok"
}

#[tokio::test]
async fn look_alikes_of_an_entry_are_refused() {
    LookAlikes::origins().replace(["https://shop.acme.example", "https://*.tenants.example"]).unwrap();
    let app: Router = routes![look_alikes_route].into();
    for origin in [
        "https://shop.acme.example.evil.example",
        "https://evilshop.acme.example",
        "https://shop.acme.example:8443",
        "http://shop.acme.example",
        "https://SHOP.acme.example",
        "https://shop.acme.example/",
        "https://tenants.example",
        "https://x.tenants.example.evil.example",
        "https://eviltenants.example",
        "https://-x.tenants.example",
        "null",
    ] {
        let answer = get(&app, "/look-alikes", origin).await;
        assert_eq!((answer.status, answer.allow_origin), (StatusCode::OK, None), "{origin}");
        assert_eq!(preflight(&app, "/look-alikes", origin, "GET").await.status, StatusCode::FORBIDDEN, "{origin}");
    }
    for origin in ["https://shop.acme.example", "https://a.tenants.example", "https://a.b.tenants.example"] {
        let request = Request::get("/look-alikes").header("origin", origin).body(Body::empty()).unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let header = |name| response.headers().get_all(name).iter().map(|v| v.to_str().unwrap()).collect::<Vec<_>>();
        assert_eq!(header("access-control-allow-origin"), [origin]);
        assert_eq!(header("access-control-allow-credentials"), ["true"]);
        assert_eq!(header("access-control-expose-headers"), ["etag"]);
        assert_eq!(header("vary"), ["Origin"]);
    }
}

#[cors_policy(origins = dynamic)]
pub struct TenantsA;

#[cors_policy(origins = dynamic)]
pub struct TenantsB;

#[cors(GET "/a", policy = TenantsA)]
async fn a_route() -> &'static str {
    "a"
}

#[cors(GET "/b", policy = TenantsB)]
async fn b_route() -> &'static str {
    "b"
}

#[tokio::test]
async fn two_dynamic_policies_keep_their_own_lists() {
    TenantsA::origins().insert("https://a.example").unwrap();
    TenantsB::origins().replace(["https://b.example"]).unwrap();
    let app: Router = routes![a_route, b_route].into();
    assert_eq!(get(&app, "/a", "https://a.example").await.allow_origin.as_deref(), Some("https://a.example"));
    assert_eq!(get(&app, "/a", "https://b.example").await.allow_origin, None);
    assert_eq!(get(&app, "/b", "https://b.example").await.allow_origin.as_deref(), Some("https://b.example"));
    assert_eq!(get(&app, "/b", "https://a.example").await.allow_origin, None);
    TenantsA::origins().replace(Vec::<&str>::new()).unwrap();
    assert_eq!(TenantsB::origins().list(), ["https://b.example"]);
}

#[cors_policy(origins = dynamic, credentials, headers = ["authorization"])]
pub struct Shown;

#[cors(GET "/shown", policy = Shown)]
async fn shown_route() -> &'static str {
    "ok"
}

#[test]
fn the_route_table_and_its_json_show_the_origins_in_force() {
    let table: Routes = routes![shown_route];
    Shown::origins().replace(["https://b.example", "https://a.example"]).unwrap();
    assert_eq!(
        table.to_string(),
        "\
METHOD  PATH    HANDLER      POLICY  ACCESS   ORIGINS             CREDENTIALS  HEADERS        EXPOSE  MAX-AGE
GET     /shown  shown_route  Shown   private  dynamic: 2 origins  yes          authorization  -       600
"
    );
    let json = serde_json::to_value(&table).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"routes": [{
            "method": "GET", "path": "/shown", "handler": "shown_route", "policy": "Shown", "public": false,
            "origins": ["https://a.example", "https://b.example"], "origins_env": null, "origins_dynamic": true,
            "credentials": true, "headers": ["authorization"], "expose": [], "max_age": 600,
            "private_network": false, "strict": false
        }]})
    );
}

#[cors_policy(origins = dynamic, credentials)]
pub struct SyncedApps;

#[test]
fn replace_valid_keeps_every_valid_entry_and_returns_the_refused_ones() {
    SyncedApps::origins().replace(["https://old.example"]).unwrap();
    let refused = SyncedApps::origins().replace_valid([
        "https://a.example",
        "https://A.example",
        "https://a.example",
        "https://*.tenants.example",
    ]);
    assert_eq!(SyncedApps::origins().list(), ["https://*.tenants.example", "https://a.example"]);
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].0, "https://A.example");
    assert_eq!(refused[0].1, SyncedApps::origins().check("https://A.example").unwrap_err());
    assert!(SyncedApps::origins().replace_valid(Vec::<String>::new()).is_empty());
    assert!(SyncedApps::origins().is_empty());
}

#[cors_policy(origins = dynamic, credentials)]
pub struct BatchedApps;

#[test]
fn update_valid_removes_then_adds_the_valid_entries_in_one_store() {
    let origins = BatchedApps::origins();
    origins.replace(["https://a.example", "https://*.tenants.example"]).unwrap();
    let refused = origins.update_valid(
        ["https://a.example", "https://*.tenants.example", "https://never.there.example"],
        ["https://b.example", "https://B.example", "https://a.example", "https://b.example", "https://*.shops.example"],
    );
    // `a` is removed and added again: removals come first. A repeated insert is in force once.
    assert_eq!(origins.list(), ["https://*.shops.example", "https://a.example", "https://b.example"]);
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].0, "https://B.example");
    assert_eq!(refused[0].1, origins.check("https://B.example").unwrap_err());
    // `*` is refused on a private list as insert refuses it, and nothing else changes.
    let refused = origins.update_valid(Vec::<String>::new(), ["*"]);
    assert_eq!(refused[0].1, origins.insert("*").unwrap_err());
    assert_eq!(origins.len(), 3);
    assert!(origins.update_valid(["https://*.shops.example"], Vec::<String>::new()).is_empty());
    assert_eq!(origins.list(), ["https://a.example", "https://b.example"]);
}
