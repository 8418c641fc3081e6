//! DESIGN §8.2: `origins = env("VAR")`, read once at start-up and checked by the compile-time
//! origin rules. Every test reads its own variables and policies: a policy loads its variable
//! once per process, and the tests of this file share one.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use tower::ServiceExt;

use cors_runtime::{cors, cors_policy, routes, ConfigError, Routes};

/// Every variable these tests read, set once before any policy loads.
fn environment() {
    static SET: Once = Once::new();
    SET.call_once(|| {
        let one_thousand: Vec<String> = (0..1000).map(|i| format!("https://app{i}.example.com")).collect();
        let vars: &[(&str, String)] = &[
            ("GOOD_ORIGINS", "https://app.example.com,https://admin.example.com\n\thttps://*.partner.example".into()),
            (
                "BAD_ORIGINS",
                "https://ok.example https://App.example.com https://a.example/ https://b.example:443 null \
                 ftp://c.example https://user@d.example https://*.co.uk https://*.*.e.example http://f.example \
                 https://ok.example http://localhost:5173"
                    .into(),
            ),
            ("STAR_ORIGINS", "https://app.example.com, *".into()),
            ("EMPTY_ORIGINS", "".into()),
            ("BLANK_ORIGINS", " \t\n, ".into()),
            ("SET_WITH_DEFAULT", "https://prod.example.com".into()),
            ("BLANK_WITH_DEFAULT", "  ".into()),
            ("THOUSAND_ORIGINS", format!("{} https://*.tenants.example.com", one_thousand.join(","))),
            ("TABLE_ORIGINS", "https://app.example.com https://*.partner.example".into()),
        ];
        for (name, value) in vars {
            std::env::set_var(name, value);
        }
        std::env::remove_var("UNSET_ORIGINS");
        std::env::remove_var("UNSET_WITH_DEFAULT");
    });
}

fn problems(result: Result<(), ConfigError>) -> Vec<String> {
    result.expect_err("the check fails").problems().to_vec()
}

#[cors_policy(origins = env("GOOD_ORIGINS"), credentials, headers = ["content-type"])]
pub struct Good;

#[cors_policy(origins = env("BAD_ORIGINS"), credentials)]
pub struct Bad;

#[cors_policy(origins = env("STAR_ORIGINS"))]
pub struct Star;

#[cors_policy(origins = env("UNSET_ORIGINS"))]
pub struct Unset;

#[cors_policy(origins = env("EMPTY_ORIGINS"))]
pub struct Empty;

#[cors_policy(origins = env("BLANK_ORIGINS"))]
pub struct Blank;

#[cors_policy(origins = env("SET_WITH_DEFAULT", default = "http://localhost:5173"))]
pub struct SetWithDefault;

#[cors_policy(origins = env("UNSET_WITH_DEFAULT", default = "http://localhost:5173, https://*.dev.example"))]
pub struct UnsetWithDefault;

#[cors_policy(origins = env("BLANK_WITH_DEFAULT", default = "http://localhost:5173"))]
pub struct BlankWithDefault;

#[cors_policy(origins = env("THOUSAND_ORIGINS"))]
pub struct Thousand;

#[test]
fn every_bad_entry_is_reported_once_in_the_words_of_the_compile_time_rules() {
    environment();
    assert_eq!(
        problems(Bad::check()),
        [
            "BAD_ORIGINS: `https://App.example.com`: origin `https://App.example.com` has uppercase letters: browsers send `https://app.example.com`",
            "BAD_ORIGINS: `https://a.example/`: origin `https://a.example/` has a trailing `/`: an origin is scheme, host and port only; browsers send `https://a.example`",
            "BAD_ORIGINS: `https://b.example:443`: origin `https://b.example:443` has the default port 443: browsers send `https://b.example`",
            "BAD_ORIGINS: `null`: `null` is not an origin to allow: browsers send `Origin: null` from sandboxed iframes, `file:` pages and redirects, so allowing it allows all of them; list the real origins instead",
            "BAD_ORIGINS: `ftp://c.example`: origin `ftp://c.example` has scheme `ftp`: allowlists hold web origins, `https://` or `http://`, e.g. `https://c.example`",
            "BAD_ORIGINS: `https://user@d.example`: origin `https://user@d.example` has userinfo: an origin is scheme, host and port only; browsers send `https://d.example`",
            "BAD_ORIGINS: `https://*.co.uk`: origin pattern `https://*.co.uk` allows every site under `co.uk`, a public suffix where anyone can register a domain: put the `*` under a domain you own, e.g. `https://*.example.co.uk`",
            "BAD_ORIGINS: `https://*.*.e.example`: origin pattern `https://*.*.e.example` has more than one `*`: write one leading `*`, which stands for one or more labels, e.g. `https://*.example.com`",
            "BAD_ORIGINS: `http://f.example`: `http://f.example` is plain http in a credentialed policy: cookies and tokens would cross the network unencrypted; write `https://f.example` (plain http is accepted only for loopback hosts: localhost, 127.0.0.1, [::1])",
            "BAD_ORIGINS: `https://ok.example`: origin `https://ok.example` is listed twice: remove one",
        ]
    );
    // The answer is kept: the variable is read once.
    std::env::set_var("BAD_ORIGINS", "https://ok.example");
    assert_eq!(problems(Bad::check()).len(), 10);
}

#[test]
fn star_is_refused_because_the_policy_is_private() {
    environment();
    assert_eq!(
        problems(Star::check()),
        ["STAR_ORIGINS: `*` would let every website read these routes, but a policy whose origins come from the environment is private: list the origins, or make the route `public` in the source"]
    );
}

#[test]
fn unset_empty_or_blank_without_a_default_names_the_variable() {
    environment();
    for (result, var, policy) in [
        (Unset::check(), "UNSET_ORIGINS", "Unset"),
        (Empty::check(), "EMPTY_ORIGINS", "Empty"),
        (Blank::check(), "BLANK_ORIGINS", "Blank"),
    ] {
        assert_eq!(
            problems(result),
            [format!("{var} is not set (or empty), and policy {policy} has no default: set it to the allowed origins, e.g. {var}=\"https://app.example.com\"")]
        );
    }
}

#[test]
fn the_default_is_used_only_when_the_variable_is_unset_or_blank() {
    environment();
    let policy = |layer: cors_runtime::PolicyLayer| layer.policy();
    assert_eq!(policy(SetWithDefault::layer()).origins(), ["https://prod.example.com"]);
    assert_eq!(policy(UnsetWithDefault::layer()).origins(), ["http://localhost:5173", "https://*.dev.example"]);
    assert_eq!(policy(BlankWithDefault::layer()).origins(), ["http://localhost:5173"]);
    assert_eq!(SetWithDefault::check(), Ok(()));
    assert_eq!(policy(Good::layer()).origins_env(), Some("GOOD_ORIGINS"));
    // Commas, spaces, newlines and tabs all separate entries.
    assert_eq!(
        policy(Good::layer()).origins(),
        ["https://app.example.com", "https://admin.example.com", "https://*.partner.example"]
    );
}

fn panic_message(f: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("expected a panic");
    payload.downcast_ref::<String>().cloned().expect("a formatted panic message")
}

#[cors(GET "/bad", policy = Bad)]
async fn bad_route() {}

#[cors(GET "/star", policy = Star)]
async fn star_route() {}

#[cors(GET "/good", policy = Good)]
async fn good_route() {}

#[test]
fn building_from_a_failing_policy_panics_with_the_check_text() {
    environment();
    let text = Star::check().unwrap_err().to_string();
    assert_eq!(panic_message(|| drop(Star::layer())), text);
    let table: Routes = routes![good_route, star_route, bad_route];
    let all = table.check().unwrap_err();
    assert_eq!(all.problems().len(), 11, "{all}");
    assert_eq!(all.to_string(), format!("{text}\n{}", Bad::check().unwrap_err()));
    assert_eq!(panic_message(|| drop(table.layer())), all.to_string());
    assert_eq!(panic_message(|| drop(Router::<()>::from(routes![star_route]))), text);
    // The table shows the problem where the origins would be, before `layer()` panics with it.
    let star: Routes = routes![star_route];
    let row = star.to_string().lines().nth(1).unwrap().to_owned();
    assert!(row.contains(&format!("env STAR_ORIGINS: invalid: {text}")), "{row}");
}

async fn allow_origin(app: &Router, path: &str, origin: &str) -> (StatusCode, Option<String>) {
    let request = Request::get(path).header("origin", origin).body(Body::empty()).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let allow = response.headers().get("access-control-allow-origin").map(|v| v.to_str().unwrap().to_owned());
    (response.status(), allow)
}

#[cors(GET "/inline", origins = env("TABLE_ORIGINS", default = "http://localhost:5173"), credentials)]
async fn inline_route() {}

#[tokio::test]
async fn origins_in_force_are_matched_and_shown_in_the_table() {
    environment();
    let table = routes![good_route, inline_route];
    assert_eq!(
        table.to_string(),
        "\
METHOD  PATH     HANDLER       POLICY  ACCESS   ORIGINS                                                                                          CREDENTIALS  HEADERS       EXPOSE  MAX-AGE
GET     /good    good_route    Good    private  env GOOD_ORIGINS: https://app.example.com, https://admin.example.com, https://*.partner.example  yes          content-type  -       600
GET     /inline  inline_route  inline  private  env TABLE_ORIGINS: https://app.example.com, https://*.partner.example                            yes          -             -       600
"
    );
    let app: Router = table.into();
    for (path, origin, allowed) in [
        ("/good", "https://admin.example.com", true),
        ("/good", "https://a.b.partner.example", true),
        ("/good", "https://partner.example", false),
        ("/good", "https://app.example.com.evil.example", false),
        ("/inline", "https://app.example.com", true),
        // The compiled-in default is not in force once the variable is set.
        ("/inline", "http://localhost:5173", false),
    ] {
        let (status, allow) = allow_origin(&app, path, origin).await;
        assert_eq!((status, allow.as_deref()), (StatusCode::OK, allowed.then_some(origin)), "{path} {origin}");
    }
}

#[cors(GET "/thousand", policy = Thousand)]
async fn thousand_route() {}

#[tokio::test]
async fn a_thousand_entry_variable_is_checked_and_matched_anywhere_in_the_list() {
    environment();
    assert_eq!(Thousand::check(), Ok(()));
    let app: Router = routes![thousand_route].into();
    for origin in [
        "https://app0.example.com",
        "https://app500.example.com",
        "https://app999.example.com",
        "https://x.tenants.example.com",
    ] {
        assert_eq!(allow_origin(&app, "/thousand", origin).await.1.as_deref(), Some(origin));
    }
    for origin in ["https://app1000.example.com", "https://tenants.example.com", "https://app5.example.com.evil"] {
        assert_eq!(allow_origin(&app, "/thousand", origin).await.1, None, "{origin}");
    }
}
