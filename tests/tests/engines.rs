//! One scenario in every browser engine the project tests against (Chromium through
//! chromedriver, Firefox ESR over WebDriver BiDi, WebKitGTK through WebKitWebDriver over https), each driving the real example app and reading
//! its own cookie store: the consent banner, reject, preferences, login, accept and withdraw,
//! logout. Every declared cookie must be stored exactly as declared at least once, and every
//! clear must remove it. What an engine cannot report is listed once, in docs/BROWSERS.md.
//!
//! Needs Debian's `chromium`, `chromium-driver`, `firefox-esr`, `webkit2gtk-driver` and `xvfb`;
//! without them a test says what to install and skips, except under `CI=true`, where it fails.

use std::collections::BTreeSet;

use axum_app::AppCookies;
use cookie_contract::Inventory;
use cookie_contract_harness::bidi::Firefox;
use cookie_contract_harness::engine::Engine;
use cookie_contract_harness::webdriver::{Browser, StoredCookie};
use cookie_contract_harness::webkit::WebKit;
use cookie_contract_tests::app::TestApp;
use cookie_contract_tests::stored::{check_stored, now};

/// Every stored cookie is declared and stored exactly as declared; returns the store.
async fn audit<E: Engine>(e: &E, seen: &mut BTreeSet<String>) -> Vec<StoredCookie> {
    let cookies = e.stored_cookies().await;
    for c in &cookies {
        let spec = AppCookies::spec(&c.name)
            .unwrap_or_else(|| panic!("{}: undeclared cookie {} stored", e.name(), c.name));
        check_stored(e.name(), c, spec);
        seen.insert(c.name.clone());
    }
    cookies
}

fn names(store: &[StoredCookie]) -> BTreeSet<&str> {
    store.iter().map(|c| c.name.as_str()).collect()
}

async fn scenario<E: Engine>(e: &E, app: TestApp) {
    let engine = e.name();
    let shots =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/browser-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let mut seen = BTreeSet::new();

    // 1. The banner; nothing stored before a choice.
    e.goto(&app.url("/")).await;
    e.wait_for("#consent-banner").await;
    assert!(
        audit(e, &mut seen).await.is_empty(),
        "{engine}: cookies before any choice"
    );

    // 2. Reject all. The banner returns to a page that shows no notice, so the encrypted
    //    one-time notice can be checked in the store before a page shows and removes it.
    e.fill("#consent-banner input[name=return_to]", "/cookies.json")
        .await;
    e.press("#reject-all").await;
    let store = audit(e, &mut seen).await;
    assert_eq!(
        names(&store),
        BTreeSet::from(["__Host-consent", "__Host-flash"]),
        "{engine}: rejecting stores the choice and the notice, nothing gated"
    );
    e.goto(&app.url("/")).await;
    e.wait_for("#flash").await;
    assert_eq!(e.text_of("#flash").await, "Your cookie choices are saved.");
    assert!(
        e.stored("__Host-flash").await.is_none(),
        "{engine}: the notice is removed once shown"
    );
    assert!(
        !e.has("#consent-banner").await,
        "{engine}: the choice is remembered"
    );
    e.capture(&shots.join(format!("{engine}-rejected.png")))
        .await;

    // 3. Saving a preference is asking for it: theme and language stored as declared, and
    //    script can read the theme (declared readable).
    e.fill("#theme", "dark").await;
    e.press("#save-preferences").await;
    e.wait_for("body.dark").await;
    assert_eq!(
        e.stored("theme").await.map(|c| c.value),
        Some("dark".into())
    );
    let visible = e.eval("document.cookie").await;
    assert!(
        visible.as_str().unwrap().contains("theme=dark"),
        "{engine}: {visible}"
    );
    assert!(
        !visible.as_str().unwrap().contains("__Host-consent"),
        "{engine}: HttpOnly"
    );
    audit(e, &mut seen).await;

    // 4. Log in, "keep me signed in": the session lives for its declared 8 hours.
    e.goto(&app.url("/login")).await;
    e.fill("#email", "masa@example.com").await;
    e.fill("#password", "correct-horse-battery-staple").await;
    e.check("#remember").await;
    e.press("#login-submit").await;
    e.wait_for("#account").await;
    let session = e.stored("__Host-session").await.expect("session stored");
    let expires = session.expires.expect("a lifetime");
    assert!(
        (expires - (now() + 8.0 * 3600.0)).abs() < 120.0,
        "{engine}: {expires}"
    );
    audit(e, &mut seen).await;

    // 5. Accept everything on the policy page: the analytics id appears as declared. Withdraw:
    //    it and the preferences are removed at their declared scope.
    e.goto(&app.url("/cookies")).await;
    e.press("#policy-accept").await;
    e.wait_for("#current-choice").await;
    assert!(
        e.stored("_ga")
            .await
            .is_some_and(|c| c.value.starts_with("GA1.1.")),
        "{engine}: analytics id after accepting"
    );
    audit(e, &mut seen).await;
    e.press("#policy-reject").await;
    e.wait_for("#current-choice").await;
    let store = audit(e, &mut seen).await;
    for gone in ["_ga", "theme", "locale"] {
        assert!(
            !names(&store).contains(gone),
            "{engine}: {gone} removed on withdrawal"
        );
    }

    // 6. Log out: the session is removed and the notice says so; the account page sends the
    //    visitor to the login form.
    e.goto(&app.url("/account")).await;
    e.press("#logout").await;
    e.wait_for("#flash").await;
    assert_eq!(e.text_of("#flash").await, "You are signed out.");
    let store = audit(e, &mut seen).await;
    assert!(
        !names(&store).contains("__Host-session"),
        "{engine}: logout removes the session"
    );
    assert!(
        !names(&store).contains("__Host-flash"),
        "{engine}: the notice was shown"
    );
    e.goto(&app.url("/account")).await;
    e.wait_for("#login-form").await;

    // 7. Every declared cookie was stored exactly as declared at least once.
    let declared: BTreeSet<String> = AppCookies::COOKIES
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    assert_eq!(seen, declared, "{engine}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_stores_every_cookie_as_declared() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::start_with_host(tempfile::tempdir().unwrap(), None, "localhost").await;
    scenario(&browser, app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn firefox_stores_every_cookie_as_declared() {
    let Some(firefox) = Firefox::start().await else {
        return;
    };
    let app = TestApp::start_with_host(tempfile::tempdir().unwrap(), None, "localhost").await;
    scenario(&firefox, app).await;
}

/// WebKit drops `Secure` cookies over `http://localhost`, so it runs against the app over https.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webkit_stores_every_cookie_as_declared_over_https() {
    let Some(webkit) = WebKit::start().await else {
        return;
    };
    let app = TestApp::start_tls().await;
    assert!(app.base.starts_with("https://localhost:"), "{}", app.base);
    scenario(&webkit, app).await;
}

/// Rejects cookies on the app over plain `http://localhost` and says whether the engine kept the
/// (`Secure`, `__Host-`) consent cookie.
async fn keeps_secure_cookie_over_http<E: Engine>(e: &E) -> bool {
    let app = TestApp::start_with_host(tempfile::tempdir().unwrap(), None, "localhost").await;
    e.goto(&app.url("/")).await;
    e.wait_for("#reject-all").await;
    e.press("#reject-all").await;
    e.stored("__Host-consent").await.is_some()
}

/// What the README says of `http://localhost`: Chromium and Firefox treat it as secure and keep
/// `Secure` cookies there; WebKit drops them, which is why it needs `TLS=dev`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_webkit_drops_secure_cookies_over_http_localhost() {
    let (Some(chromium), Some(firefox), Some(webkit)) = (
        Browser::start().await,
        Firefox::start().await,
        WebKit::start().await,
    ) else {
        return;
    };
    assert!(keeps_secure_cookie_over_http(&chromium).await, "chromium");
    assert!(keeps_secure_cookie_over_http(&firefox).await, "firefox");
    assert!(!keeps_secure_cookie_over_http(&webkit).await, "webkit");
}
