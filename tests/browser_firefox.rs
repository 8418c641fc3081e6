//! The browser model against real headless Firefox (Debian's `firefox-esr`, or `FIREFOX`): the
//! shared matrix of `tests/browser/`. Firefox prints its console messages only to a debugging
//! client, so they are checked another way: the model's Firefox wording must be the installed
//! Firefox's own `security.properties` strings.

mod browser;

use cors_runtime::browser::{Engine, FIREFOX_STRINGS};

#[tokio::test(flavor = "multi_thread")]
async fn firefox_agrees_with_the_model() {
    if let Some(firefox) = browser::browser_or_skip(Engine::Firefox, "browser_firefox") {
        browser::agrees_with_the_model(firefox, "browser_firefox").await;
    }
}

/// Every string the model uses is, byte for byte, the one in the installed Firefox's
/// `omni.ja` (`chrome/en-US/locale/en-US/global/security/security.properties`).
#[test]
fn firefox_console_strings_are_the_installed_firefoxs() {
    let Some(firefox) = browser::browser_or_skip(Engine::Firefox, "browser_firefox") else {
        return;
    };
    let binary = std::fs::canonicalize(&firefox.binary).unwrap();
    let omni = binary.parent().unwrap().join("omni.ja");
    let output = std::process::Command::new("unzip")
        .arg("-p")
        .arg(&omni)
        .arg("chrome/en-US/locale/en-US/global/security/security.properties")
        .output()
        .unwrap_or_else(|e| panic!("cannot run unzip (apt-get install unzip): {e}"));
    assert!(output.status.success(), "unzip -p {}: {}", omni.display(), String::from_utf8_lossy(&output.stderr));
    let shipped = String::from_utf8(output.stdout).unwrap();
    for (key, text) in FIREFOX_STRINGS {
        let line = shipped.lines().find_map(|line| line.strip_prefix(key).and_then(|rest| rest.strip_prefix('=')));
        assert_eq!(line, Some(text), "{key} in {}", omni.display());
    }
}
