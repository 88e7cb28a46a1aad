//! Headless Chromium drives the example app through its real pages and reads the browser's own
//! cookie store (over the DevTools protocol) to check every cookie's stored attributes.
//!
//! Needs Debian's `chromium` and `chromium-driver`; without them the suite says what to install
//! and skips, except in CI where it fails. Screenshots go to `$SCREENSHOTS_DIR` (default
//! `target/browser-screenshots`); refresh the README's with
//! `SCREENSHOTS_DIR=docs/screenshots cargo test -p cookie-contract-tests --test browser`.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use axum_app::AppCookies;
use cookie_contract::Inventory;
use cookie_contract_harness::webdriver::{Browser, StoredCookie};
use cookie_contract_tests::app::{TestApp, longest_notice_email};
use cookie_contract_tests::stored::{check_stored, now};

const LONG_PASSWORD: &str = "a password for the long address";

/// Every stored cookie is declared and stored exactly as declared; returns the names seen.
async fn audit_store(browser: &Browser, seen: &mut BTreeSet<String>) -> Vec<StoredCookie> {
    let cookies = browser.cookies().await;
    for c in &cookies {
        let spec = AppCookies::spec(&c.name)
            .unwrap_or_else(|| panic!("undeclared cookie {} in the store", c.name));
        check_stored("chromium", c, spec);
        seen.insert(c.name.clone());
    }
    cookies
}

async fn wait_for(browser: &Browser, css: &str) {
    for _ in 0..100 {
        if browser.exists(css).await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{css} never appeared on {}", browser.current_url().await);
}

/// A page on another origin that replays a form post to the app.
async fn hostile_site(target: String, token: String) -> String {
    let html = format!(
        r#"<!doctype html><html><body><h1>You won a prize</h1>
<form method="post" action="{target}/api/preferences" id="hostile">
<input type="hidden" name="theme" value="dark"><input type="hidden" name="locale" value="ja">
<input type="hidden" name="csrf_token" value="{token}">
<button type="submit" id="claim">Claim</button></form></body></html>"#
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let router = axum::Router::new().route(
        "/",
        axum::routing::get(move || async move { axum::response::Html(html) }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    base
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browser_stores_exactly_what_the_contract_declares() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let long_email = longest_notice_email();
    let app = TestApp::start_with_users(
        tempfile::tempdir().unwrap(),
        None,
        "http",
        "localhost",
        &[(&long_email, LONG_PASSWORD)],
    )
    .await;
    let shots = std::env::var_os("SCREENSHOTS_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/browser-screenshots"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&shots).unwrap();
    println!("screenshots: {}", shots.display());
    let mut seen = BTreeSet::new();

    // 1. The banner is shown; nothing tracks yet.
    browser.goto(&app.url("/")).await;
    wait_for(&browser, "#consent-banner").await;
    browser.screenshot(&shots.join("banner.png")).await;
    assert!(
        audit_store(&browser, &mut seen).await.is_empty(),
        "no cookie before any choice"
    );

    // 2. Reject: no analytics; the preference form still works and script can read the theme.
    browser.submit("#reject-all").await;
    wait_for(&browser, "#preferences-form").await;
    assert!(
        !browser.exists("#consent-banner").await,
        "the choice is remembered"
    );
    let store = audit_store(&browser, &mut seen).await;
    assert!(store.iter().any(|c| c.name == "__Host-consent"));
    assert!(!store.iter().any(|c| c.name == "_ga"));
    browser.click("#theme option[value=dark]").await;
    browser.submit("#save-preferences").await;
    wait_for(&browser, "body.dark").await;
    assert_eq!(browser.cookie("theme").await.unwrap().value, "dark");
    assert!(browser.document_cookie().await.contains("theme=dark"));
    assert!(browser.cookie("_ga").await.is_none());
    audit_store(&browser, &mut seen).await;

    // 3. Log in through the form, ticking "Keep me signed in".
    browser.goto(&app.url("/login")).await;
    browser.type_into("#email", "masa@example.com").await;
    browser
        .type_into("#password", "correct-horse-battery-staple")
        .await;
    browser.click("#remember").await;
    browser.submit("#login-submit").await;
    wait_for(&browser, "#account").await;
    let session = browser
        .cookie("__Host-session")
        .await
        .expect("session stored");
    assert!(session.http_only && session.secure);
    assert_eq!(
        (
            session.path.as_str(),
            session.domain.as_str(),
            session.same_site.as_deref()
        ),
        ("/", "localhost", Some("Lax"))
    );
    let expected = now() + 8.0 * 3600.0;
    assert!(
        (session.expires.unwrap() - expected).abs() < 120.0,
        "expires in about 8 h"
    );
    assert!(
        !browser.document_cookie().await.contains("__Host-session"),
        "script cannot read the session"
    );
    audit_store(&browser, &mut seen).await;

    // 4. The account page; a form post with its token works, the same post from another origin
    //    is refused and changes nothing.
    browser.screenshot(&shots.join("account.png")).await;
    browser.click("#theme option[value=light]").await;
    browser.submit("#save-preferences").await;
    wait_for(&browser, "body.light").await;
    assert!(browser.current_url().await.ends_with("/account"));
    assert_eq!(browser.cookie("theme").await.unwrap().value, "light");
    let token = browser
        .script("return document.querySelector('#preferences-form input[name=csrf_token]').value")
        .await
        .as_str()
        .unwrap()
        .to_owned();
    let hostile = hostile_site(app.base.clone(), token).await;
    browser.goto(&hostile).await;
    browser.submit("#claim").await;
    let body = browser.script("return document.body.innerText").await;
    assert!(
        body.as_str()
            .unwrap()
            .contains("cross-origin request refused"),
        "{body}"
    );
    assert_eq!(
        browser.cookie("theme").await.unwrap().value,
        "light",
        "the hostile post changed nothing"
    );
    assert_eq!(browser.cookie("locale").await.unwrap().value, "en");

    // 5. Accept analytics: the id appears as declared; withdraw: it is gone.
    browser.goto(&app.url("/cookies")).await;
    browser.submit("#policy-accept").await;
    wait_for(&browser, "#current-choice").await;
    let ga = browser
        .cookie("_ga")
        .await
        .expect("analytics id after accept");
    assert!(ga.value.starts_with("GA1.1."));
    audit_store(&browser, &mut seen).await;
    browser.screenshot(&shots.join("policy.png")).await;
    browser.submit("#policy-reject").await;
    wait_for(&browser, "#current-choice").await;
    let store = audit_store(&browser, &mut seen).await;
    for gone in ["_ga", "theme", "locale"] {
        assert!(
            !store.iter().any(|c| c.name == gone),
            "{gone} removed on withdrawal"
        );
    }

    // 6. Log out: the session is gone and the account redirects to the login page.
    browser.goto(&app.url("/account")).await;
    browser.submit("#logout").await;
    wait_for(&browser, "#preferences-form").await;
    assert!(browser.cookie("__Host-session").await.is_none());
    browser.goto(&app.url("/account")).await;
    wait_for(&browser, "#login-form").await;
    assert!(browser.current_url().await.ends_with("/login"));

    // 7. Without "Keep me signed in" the session cookie is a browser-session cookie: Chromium
    //    stores it with no expiry (`set_session_with(.., Lifetime::Session)`), every other
    //    attribute as declared.
    browser.type_into("#email", "masa@example.com").await;
    browser
        .type_into("#password", "correct-horse-battery-staple")
        .await;
    browser.submit("#login-submit").await;
    wait_for(&browser, "#account").await;
    let session = browser
        .cookie("__Host-session")
        .await
        .expect("session stored");
    assert_eq!(session.expires, None, "a session cookie has no expiry");
    assert!(session.http_only && session.secure);
    assert_eq!(
        (session.path.as_str(), session.same_site.as_deref()),
        ("/", Some("Lax"))
    );

    // 8. The encrypted one-time notice at its largest: the account whose sign-in notice fills
    //    the 4096 bytes a browser keeps. The login is posted by script without following the
    //    redirect (the page's CSP allows no `fetch`, so the test browser bypasses it), so the
    //    store can be read before the page that shows the notice removes it.
    browser.goto(&app.url("/account")).await;
    browser.submit("#logout").await;
    wait_for(&browser, "#flash").await;
    assert!(browser.text("#flash").await.contains("signed out"));
    assert!(
        browser.cookie("__Host-flash").await.is_none(),
        "removed once shown"
    );
    browser
        .cdp("Page.setBypassCSP", serde_json::json!({"enabled": true}))
        .await;
    browser.goto(&app.url("/login")).await;
    let kind = browser
        .script(&format!(
            "return fetch('/api/login', {{method: 'POST', redirect: 'manual', \
             headers: {{'content-type': 'application/x-www-form-urlencoded'}}, \
             body: new URLSearchParams({{email: '{long_email}', password: '{LONG_PASSWORD}'}}).toString()}})\
             .then(r => r.type)"
        ))
        .await;
    assert_eq!(kind, "opaqueredirect");
    let flash = browser
        .cookie("__Host-flash")
        .await
        .expect("Chromium stored the largest encrypted notice");
    check_stored(
        "chromium",
        &flash,
        AppCookies::spec("__Host-flash").unwrap(),
    );
    seen.insert(flash.name.clone());
    let size = flash.name.len() + flash.value.len();
    assert!(
        size > 4090 && size <= 4096,
        "name and value are {size} bytes"
    );
    // Sixteen: a shorter run of `a` could occur in 4 KB of random base64url by chance.
    assert!(
        !flash.value.contains("aaaaaaaaaaaaaaaa"),
        "the address is sealed"
    );
    browser.goto(&app.url("/account")).await;
    wait_for(&browser, "#flash").await;
    assert_eq!(
        browser.text("#flash").await,
        format!("Signed in as {long_email}.")
    );
    assert!(browser.cookie("__Host-flash").await.is_none());

    // 9. Every declared cookie was stored exactly as declared at least once.
    let declared: BTreeSet<String> = AppCookies::COOKIES
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    assert_eq!(seen, declared);
}

/// What the moved-cookie sites answer.
#[derive(Clone, Copy)]
enum Step {
    /// Set the cookie at its declared scope (the old copy is planted raw beside it).
    Plant,
    /// `clear_legacy()`.
    ClearLegacy,
    /// `clear_<field>()`.
    Clear,
}

/// A small site whose cookie moved: `/plant` answers `old_line` (the cookie at its old scope,
/// as the old code set it, raw) plus what `jar` writes for [`Step::Plant`]; `/clear-legacy`
/// and `/clear` answer what `jar` writes for those steps. Returns the port.
async fn moved_cookie_site(old_line: &'static str, jar: fn(Step) -> http::HeaderMap) -> u16 {
    use axum::routing::get;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let router = axum::Router::new()
        .route(
            "/plant",
            get(move || async move {
                let mut headers = http::HeaderMap::new();
                headers.append(http::header::SET_COOKIE, old_line.parse().unwrap());
                // Appended one by one: `HeaderMap::extend` would replace the old line.
                for v in jar(Step::Plant).get_all(http::header::SET_COOKIE) {
                    headers.append(http::header::SET_COOKIE, v.clone());
                }
                (headers, "planted")
            }),
        )
        .route(
            "/clear-legacy",
            get(move || async move { (jar(Step::ClearLegacy), "old copies cleared") }),
        )
        .route(
            "/clear",
            get(move || async move { (jar(Step::Clear), "cleared") }),
        );
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    port
}

/// `(where, value)` of every stored cookie named `name`, sorted; `at` picks the path or domain.
fn copies(
    cookies: Vec<StoredCookie>,
    name: &str,
    at: fn(&StoredCookie) -> &str,
) -> Vec<(String, String)> {
    let mut c: Vec<(String, String)> = cookies
        .iter()
        .filter(|c| c.name == name)
        .map(|c| (at(c).to_owned(), c.value.clone()))
        .collect();
    c.sort();
    c
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_owned(), b.to_owned())
}

/// `theme` moved from Path `/app` to `/`. Real Chromium must delete exactly what each removal
/// names: `clear_legacy` the old copy only, `clear_theme` both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_deletes_a_cookie_at_its_legacy_path() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let port = moved_cookie_site(
        "theme=old; Path=/app; Max-Age=600; Secure; SameSite=Lax",
        |step| {
            let mut jar =
                cookie_contract_tests::MigratedJar::from_request_headers(&http::HeaderMap::new());
            match step {
                Step::Plant => jar.set_theme(&"new".to_string()).unwrap(),
                Step::ClearLegacy => jar.clear_legacy(),
                Step::Clear => jar.clear_theme(),
            }
            let mut h = http::HeaderMap::new();
            jar.write_to(&mut h);
            h
        },
    )
    .await;
    let site = format!("http://localhost:{port}");
    let themes = |cookies| copies(cookies, "theme", |c| &c.path);
    browser.goto(&format!("{site}/plant")).await;
    assert_eq!(
        themes(browser.cookies().await),
        [pair("/", "new"), pair("/app", "old")],
        "both copies stored"
    );
    browser.goto(&format!("{site}/clear-legacy")).await;
    assert_eq!(themes(browser.cookies().await), [pair("/", "new")]);
    browser.goto(&format!("{site}/plant")).await;
    browser.goto(&format!("{site}/clear")).await;
    assert_eq!(
        themes(browser.cookies().await),
        Vec::<(String, String)>::new()
    );
}

/// The same at an old Domain: `app.cookie-contract.test` (resolved to loopback by Chromium's
/// host-resolver rules) held `pref` for the whole `cookie-contract.test` domain; the cookie is
/// host-only now. `clear_legacy` removes the domain-wide copy and leaves the host's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_deletes_a_cookie_at_its_legacy_domain() {
    let Some(browser) =
        Browser::start_with(&["--host-resolver-rules=MAP *.cookie-contract.test 127.0.0.1"]).await
    else {
        return;
    };
    let port = moved_cookie_site(
        "pref=old; Domain=cookie-contract.test; Path=/; Max-Age=600; SameSite=Lax",
        |step| {
            let mut jar = cookie_contract_tests::MovedDomainJar::from_request_headers(
                &http::HeaderMap::new(),
            );
            match step {
                Step::Plant => jar.set_pref(&"new".to_string()).unwrap(),
                Step::ClearLegacy => jar.clear_legacy(),
                Step::Clear => jar.clear_pref(),
            }
            let mut h = http::HeaderMap::new();
            jar.write_to(&mut h);
            h
        },
    )
    .await;
    let site = format!("http://app.cookie-contract.test:{port}");
    let prefs = |cookies| copies(cookies, "pref", |c| &c.domain);
    browser.goto(&format!("{site}/plant")).await;
    assert_eq!(
        prefs(browser.cookies().await),
        [
            pair(".cookie-contract.test", "old"),
            pair("app.cookie-contract.test", "new")
        ],
        "both copies stored"
    );
    browser.goto(&format!("{site}/clear-legacy")).await;
    assert_eq!(
        prefs(browser.cookies().await),
        [pair("app.cookie-contract.test", "new")],
        "only the domain-wide copy is gone"
    );
    browser.goto(&format!("{site}/clear")).await;
    assert_eq!(
        prefs(browser.cookies().await),
        Vec::<(String, String)>::new()
    );
}
