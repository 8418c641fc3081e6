//! The fetches every engine runs: one [`Case`] per `fetch()` call, from the allowed page origin
//! or a foreign one, against the `service` example's routes, the example as it runs (auth and
//! `/api`), the authenticated app, the `tenants` example's routes while their list changes, or
//! the misconfigured upstreams and redirects of [`super::servers`].

use cors_browser::Credentials;
use cors_examples::DEMO_TOKEN;

use super::tenants::Change;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Page {
    /// `http://localhost:<port>`, allowed by the service's private policies.
    App,
    /// `http://127.0.0.1:<port>`, allowed by nobody but the public routes.
    Foreign,
}

/// Which server a case's path belongs to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Target {
    /// The `service` example.
    Service,
    /// Routes behind a token check that counts its calls, with `Routes::layer()` outermost
    /// (`/auth/...`).
    Authenticated,
    /// The `service` example as it runs: auth on the private routes, all under `/api`.
    ExampleApp,
    /// The misconfigured upstreams and redirects (`/raw/...`, `/redirect/...`).
    Upstream,
    /// The `tenants` example's routes (`origins = dynamic`), under `/api` on a server of their own.
    Tenants,
}

/// One `fetch()` of the matrix.
#[derive(Clone, Debug)]
pub struct Case {
    pub name: &'static str,
    pub page: Page,
    pub target: Target,
    pub method: &'static str,
    pub path: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<&'static str>,
    pub credentials: Credentials,
    /// The status script must read, beyond agreeing with the model (what the case is about).
    pub expect_status: Option<u16>,
    /// Script must be blocked, beyond agreeing with the model.
    pub expect_blocked: bool,
    /// A change to the tenants' list made right before this fetch.
    pub change: Option<Change>,
}

fn case(name: &'static str, page: Page, method: &'static str, path: &'static str) -> Case {
    let target = if path.starts_with("/raw/") || path.starts_with("/redirect/") {
        Target::Upstream
    } else if path.starts_with("/auth/") {
        Target::Authenticated
    } else if path.starts_with("/api/") {
        Target::ExampleApp
    } else {
        Target::Service
    };
    Case {
        name,
        page,
        target,
        method,
        path,
        headers: Vec::new(),
        body: None,
        credentials: Credentials::SameOrigin,
        expect_status: None,
        expect_blocked: false,
        change: None,
    }
}

/// A fetch from the page, a tenant's shop, to the `tenants` example's routes.
fn tenant(name: &'static str, method: &'static str, path: &'static str) -> Case {
    Case { target: Target::Tenants, ..case(name, Page::App, method, path).include() }
}

impl Case {
    fn header(mut self, name: &'static str, value: impl Into<String>) -> Case {
        self.headers.push((name, value.into()));
        self
    }
    fn body(mut self, body: &'static str) -> Case {
        self.body = Some(body);
        self
    }
    fn include(mut self) -> Case {
        self.credentials = Credentials::Include;
        self
    }
    fn omit(mut self) -> Case {
        self.credentials = Credentials::Omit;
        self
    }
    fn reads(mut self, status: u16) -> Case {
        self.expect_status = Some(status);
        self
    }
    fn blocked(mut self) -> Case {
        self.expect_blocked = true;
        self
    }
    fn after(mut self, change: Change) -> Case {
        self.change = Some(change);
        self
    }
}

pub fn matrix() -> Vec<Case> {
    use Page::*;
    let json = "application/json";
    vec![
        // Public routes: `*`, so any page reads them, but never with credentials.
        case("status", App, "GET", "/status"),
        case("status with credentials", App, "GET", "/status").include(),
        case("status with a custom header", App, "GET", "/status").header("X-Request-Id", "1"),
        case("catalog reads exposed etag and link", App, "GET", "/catalog"),
        case("catalog with credentials", App, "GET", "/catalog").include(),
        case("foreign: status", Foreign, "GET", "/status"),
        case("foreign: catalog", Foreign, "GET", "/catalog"),
        case("foreign: catalog with credentials", Foreign, "GET", "/catalog").include(),
        // Private routes from the allowed origin: simple requests.
        case("profile", App, "GET", "/profile"),
        case("profile with credentials", App, "GET", "/profile").include(),
        case("profile, HEAD", App, "HEAD", "/profile").include(),
        case("profile, text/plain content-type", App, "GET", "/profile").header("Content-Type", "text/plain"),
        case("profile, simple range", App, "GET", "/profile").header("Range", "bytes=0-1"),
        case("profile, accept", App, "GET", "/profile").header("Accept", json),
        case("profile, content-language", App, "GET", "/profile").header("Content-Language", "en"),
        // Preflighted.
        case("profile with authorization", App, "GET", "/profile").include().header("Authorization", "Bearer t"),
        case("profile with three listed headers", App, "GET", "/profile")
            .include()
            .header("X-Request-Id", "7")
            .header("Authorization", "Bearer t")
            .header("Content-Type", json),
        case("profile with an unlisted header", App, "GET", "/profile").include().header("X-Custom", "1"),
        case("profile with two unlisted headers", App, "GET", "/profile").header("X-Zeta", "1").header("X-Alpha", "1"),
        case("profile, suffix range", App, "GET", "/profile").header("Range", "bytes=-5"),
        case("profile, 129-byte accept-language", App, "GET", "/profile").header("Accept-Language", "a".repeat(129)),
        case("profile, uppercase BYTES range", App, "GET", "/profile").header("Range", "BYTES=0-1"),
        case("orders: POST text body", App, "POST", "/orders").include().body("{\"tea\":1}"),
        case("orders: POST json", App, "POST", "/orders").include().header("Content-Type", json).body("{}"),
        case("orders: POST with authorization, no credentials", App, "POST", "/orders")
            .omit()
            .header("Authorization", "Bearer t")
            .body("{}"),
        case("orders: POST form", App, "POST", "/orders")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("a=1"),
        case("orders: POST multipart", App, "POST", "/orders")
            .header("Content-Type", "multipart/form-data; boundary=x")
            .body("--x--"),
        case("orders: POST text/plain with charset", App, "POST", "/orders")
            .header("Content-Type", "text/plain; charset=utf-8")
            .body("hi"),
        case("order: GET reads etag", App, "GET", "/orders/7").include(),
        case("order: GET with x-request-id (inline policy lists no headers)", App, "GET", "/orders/7")
            .header("X-Request-Id", "1"),
        case("order: PUT json", App, "PUT", "/orders/7").include().header("Content-Type", json).body("{}"),
        case("order: PUT text", App, "PUT", "/orders/7").body("x"),
        case("order: PUT with an unlisted header", App, "PUT", "/orders/7").header("X-Custom", "1").body("x"),
        case("order: PATCH json", App, "PATCH", "/orders/7").include().header("Content-Type", json).body("{}"),
        case("order: lowercase patch is sent as written", App, "patch", "/orders/7").include().body("{}"),
        case("order: DELETE", App, "DELETE", "/orders/7").include(),
        case("order: lowercase delete is uppercased", App, "delete", "/orders/7").include(),
        case("order: DELETE with authorization", App, "DELETE", "/orders/7")
            .include()
            .header("Authorization", "Bearer t"),
        case("admin audit (strict, other origin only)", App, "GET", "/admin/audit").include(),
        case("orders: GET has no route", App, "GET", "/orders"),
        case("unknown path", App, "GET", "/nope"),
        // Client hints: safelisted in some engines, so a route that lists none of them tells.
        case("client hint: dpr", App, "GET", "/profile").header("DPR", "2"),
        case("client hint: device-memory", App, "GET", "/profile").header("Device-Memory", "8"),
        case("client hint: viewport-width", App, "GET", "/profile").header("Viewport-Width", "800"),
        case("client hint: width", App, "GET", "/profile").header("Width", "100"),
        case("client hint: rtt", App, "GET", "/profile").header("RTT", "50"),
        case("client hint: downlink", App, "GET", "/profile").header("Downlink", "10"),
        case("client hint: ect", App, "GET", "/profile").header("ECT", "4g"),
        case("client hint: save-data", App, "GET", "/profile").header("Save-Data", "on"),
        case("client hint: dpr that is not a number", App, "GET", "/profile").header("DPR", "two"),
        case("client hint: save-data with another value", App, "GET", "/profile").header("Save-Data", "off"),
        case("client hint: downlink with a fraction", App, "GET", "/profile").header("Downlink", "1.5"),
        case("client hint: width with a fraction", App, "GET", "/profile").header("Width", "1.5"),
        case("client hint: rtt that is not a number", App, "GET", "/profile").header("RTT", "fast"),
        case("client hint: ect that is not a connection type", App, "GET", "/profile").header("ECT", "5g"),
        // The authenticated app: auth middleware inside, `Routes::layer()` outermost.
        case("auth: credentialed GET without a token reads the 401", App, "GET", "/auth/account").include().reads(401),
        case("auth: POST json without a token: preflight by the layer, 401 readable", App, "POST", "/auth/orders")
            .include()
            .header("Content-Type", json)
            .body("{}")
            .reads(401),
        case("auth: GET with a token", App, "GET", "/auth/account")
            .include()
            .header("Authorization", "Bearer good")
            .reads(200),
        case("auth: POST json with a token", App, "POST", "/auth/orders")
            .include()
            .header("Authorization", "Bearer good")
            .header("Content-Type", json)
            .body("{}")
            .reads(201),
        case("auth: wrong token", App, "GET", "/auth/account")
            .include()
            .header("Authorization", "Bearer bad")
            .reads(401),
        case("foreign: auth GET without a token", Foreign, "GET", "/auth/account").include(),
        // The `service` example as it runs (auth on the private routes, under `/api`).
        case("example app: profile without a token reads the 401", App, "GET", "/api/profile").include().reads(401),
        case("example app: profile with the demo token", App, "GET", "/api/profile")
            .include()
            .header("Authorization", format!("Bearer {DEMO_TOKEN}"))
            .reads(200),
        case("example app: POST json without a token reads the 401", App, "POST", "/api/orders")
            .include()
            .header("Content-Type", json)
            .body("{}")
            .reads(401),
        case("example app: public catalog needs no token", App, "GET", "/api/catalog").reads(200),
        // A tenant's domain added while the server runs is allowed on the next fetch; removed,
        // it is refused on the next one (tests/browser/tenants.rs).
        tenant("tenant: not added yet, POST json is stopped at the preflight", "POST", "/api/orders")
            .header("Content-Type", json)
            .body("{}")
            .blocked(),
        tenant("tenant: added while the server runs, the next POST json is allowed", "POST", "/api/orders")
            .after(Change::Add)
            .header("Content-Type", json)
            .body("{}")
            .reads(201),
        tenant("tenant: added, GET reads the exposed etag", "GET", "/api/orders").reads(200),
        tenant(
            "tenant: removed while the server runs, the next POST json is stopped at the preflight",
            "POST",
            "/api/orders",
        )
        .after(Change::Remove)
        .header("Content-Type", json)
        .body("{}")
        .blocked(),
        tenant("tenant: removed, GET reaches the server but is unreadable", "GET", "/api/orders").blocked(),
        // Foreign origin against private routes.
        case("foreign: profile", Foreign, "GET", "/profile"),
        case("foreign: profile with credentials", Foreign, "GET", "/profile").include(),
        case("foreign: POST text reaches the handler, response unreadable", Foreign, "POST", "/orders").body("x"),
        case("foreign: POST json is stopped at the preflight", Foreign, "POST", "/orders")
            .header("Content-Type", json)
            .body("{}"),
        case("foreign: DELETE", Foreign, "DELETE", "/orders/7").include(),
        case("foreign: PUT", Foreign, "PUT", "/orders/7").body("x"),
        case("foreign: admin audit", Foreign, "GET", "/admin/audit").include(),
        // Misconfigured upstreams: every failure the engines word differently.
        case("raw: Authorization under Allow-Headers *", App, "GET", "/raw/star").header("Authorization", "Bearer t"),
        case("raw: two 100-byte Accept values", App, "GET", "/raw/star")
            .header("Accept", "x".repeat(100))
            .header("Accept", "y".repeat(100)),
        case("raw: custom header under Allow-Headers *", App, "GET", "/raw/star").header("X-Custom", "1"),
        case("raw: PUT under Allow-Methods *", App, "PUT", "/raw/star"),
        case("raw: * is literal with credentials", App, "GET", "/raw/star").include().header("X-Custom", "1"),
        case("raw: expose * without credentials", App, "GET", "/raw/expose-star"),
        case("raw: expose list", App, "GET", "/raw/expose-list"),
        case("raw: two Allow-Origin headers", App, "GET", "/raw/double-origin"),
        case("raw: another origin", App, "GET", "/raw/mismatch"),
        case("raw: Allow-Origin not an origin", App, "GET", "/raw/invalid-origin"),
        case("raw: Allow-Origin null", App, "GET", "/raw/null-origin"),
        case("raw: Allow-Credentials TRUE", App, "GET", "/raw/credentials-uppercase").include(),
        case("raw: no Allow-Credentials", App, "GET", "/raw/no-credentials").include(),
        case("raw: preflight 500", App, "PUT", "/raw/preflight-500"),
        case("raw: preflight redirect", App, "PUT", "/raw/preflight-redirect"),
        case("raw: unparsable Allow-Methods", App, "PUT", "/raw/bad-methods"),
        case("raw: unparsable Allow-Headers", App, "PUT", "/raw/bad-headers"),
        case("raw: Allow-Methods is case-sensitive", App, "PUT", "/raw/lowercase-put"),
        // Redirects of the actual request: followed, with the CORS check on every response.
        case("redirect: 302 to a readable response", App, "GET", "/redirect/to-expose-list"),
        case("redirect: the redirect itself has no Allow-Origin", App, "GET", "/redirect/bare"),
        case("redirect: credentialed, both responses allow them", App, "GET", "/redirect/to-credentialed").include(),
        case("redirect: 303 turns POST into GET", App, "POST", "/redirect/see-other").body("x"),
        case("redirect: 307 keeps the POST and its body", App, "POST", "/redirect/temporary").body("x"),
        case("redirect: to another origin's public route (origin becomes null)", App, "GET", "/redirect/to-status"),
        case("redirect: to another origin's private route (origin becomes null)", App, "GET", "/redirect/to-profile"),
        case("redirect: to another origin, credentialed", App, "GET", "/redirect/to-profile").include(),
        case("redirect: more than 20 redirects", App, "GET", "/redirect/loop"),
        case("redirect: a preflighted PUT is preflighted again at the new URL", App, "PUT", "/redirect/put-to-echo"),
        case(
            "redirect: a preflighted PUT whose new URL refuses the preflight",
            App,
            "PUT",
            "/redirect/put-to-expose-list",
        ),
        case(
            "redirect: a preflighted PUT to another origin is preflighted from null",
            App,
            "PUT",
            "/redirect/put-to-order",
        )
        .include()
        .header("Content-Type", json)
        .body("{}"),
    ]
}
