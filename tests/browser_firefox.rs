//! The browser model against real headless Firefox (Debian's `firefox-esr`, or `FIREFOX`): the
//! shared matrix of `tests/browser/`, with Firefox's console messages (read through its built-in
//! WebDriver BiDi agent) compared as well.

mod browser;

use cors_browser::Engine;

#[tokio::test(flavor = "multi_thread")]
async fn firefox_agrees_with_the_model() {
    if let Some(firefox) = browser::browser_or_skip(Engine::Firefox, "browser_firefox") {
        browser::agrees_with_the_model(firefox, "browser_firefox").await;
    }
}
