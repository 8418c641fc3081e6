//! The browser model against real headless Chromium (Debian's `chromium`, or `CHROMIUM`): the
//! shared matrix of `tests/browser/`, with Chromium's console messages compared as well.

mod browser;

use cors_browser::Engine;

#[tokio::test(flavor = "multi_thread")]
async fn chromium_agrees_with_the_model() {
    if let Some(chromium) = browser::browser_or_skip(Engine::Chromium, "browser_chromium") {
        browser::agrees_with_the_model(chromium, "browser_chromium").await;
    }
}
