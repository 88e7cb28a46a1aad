//! One interface over the browser engines the suites drive (Chromium through chromedriver,
//! Firefox over WebDriver BiDi), so one scenario runs in each: navigate, evaluate script in the
//! page, read the engine's own cookie store. Page interactions (typing, clicking, submitting)
//! are built on script evaluation, the same in every engine.

use std::future::Future;
use std::time::Duration;

use serde_json::Value;

use crate::webdriver::StoredCookie;

/// A browser engine with one page.
pub trait Engine {
    /// `chromium`, `firefox`, …, for messages and file names.
    fn name(&self) -> &'static str;
    /// Navigates and waits for the load.
    fn goto(&self, url: &str) -> impl Future<Output = ()>;
    /// Evaluates a JavaScript expression in the page (awaiting a promise) and returns its value.
    fn eval(&self, expression: &str) -> impl Future<Output = Value>;
    /// Every cookie in the engine's own store (HttpOnly ones included).
    fn stored_cookies(&self) -> impl Future<Output = Vec<StoredCookie>>;
    /// A PNG of the viewport.
    fn capture(&self, path: &std::path::Path) -> impl Future<Output = ()>;

    /// The stored cookie `name`, if any.
    fn stored(&self, name: &str) -> impl Future<Output = Option<StoredCookie>> {
        async move {
            self.stored_cookies()
                .await
                .into_iter()
                .find(|c| c.name == name)
        }
    }

    /// Whether an element matches `css`.
    fn has(&self, css: &str) -> impl Future<Output = bool> {
        async move {
            let v = self
                .eval(&format!("document.querySelector({}) !== null", js(css)))
                .await;
            v.as_bool()
                .unwrap_or_else(|| panic!("{}: querySelector {css} gave {v}", self.name()))
        }
    }

    /// Waits (up to 5 s) until an element matches `css`.
    fn wait_for(&self, css: &str) -> impl Future<Output = ()> {
        async move {
            for _ in 0..100 {
                if self.has(css).await {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            let url = self.eval("location.href").await;
            panic!("{}: {css} never appeared on {url}", self.name());
        }
    }

    /// Sets the value of the form control `css` (an input or a select).
    fn fill(&self, css: &str, value: &str) -> impl Future<Output = ()> {
        async move {
            self.eval(&format!(
                "(() => {{ const e = document.querySelector({}); e.value = {}; return e.value; }})()",
                js(css),
                js(value)
            ))
            .await;
        }
    }

    /// Checks the checkbox `css`.
    fn check(&self, css: &str) -> impl Future<Output = ()> {
        async move {
            self.eval(&format!(
                "document.querySelector({}).checked = true",
                js(css)
            ))
            .await;
        }
    }

    /// The visible text of `css`.
    fn text_of(&self, css: &str) -> impl Future<Output = String> {
        async move {
            let v = self
                .eval(&format!("document.querySelector({}).innerText", js(css)))
                .await;
            v.as_str().unwrap_or_default().to_owned()
        }
    }

    /// Clicks the submit button `css` and waits until the next document has loaded: the old
    /// one is marked first, so a selector present on both pages cannot end the wait early.
    fn press(&self, css: &str) -> impl Future<Output = ()> {
        async move {
            self.eval("window.__cookieContractOldPage = true").await;
            // Clicked after this evaluation returns, so the navigation it starts cannot tear
            // down the realm the evaluation runs in.
            self.eval(&format!(
                "setTimeout(() => document.querySelector({}).click(), 0), true",
                js(css)
            ))
            .await;
            for _ in 0..200 {
                tokio::time::sleep(Duration::from_millis(25)).await;
                let done = self
                    .eval("window.__cookieContractOldPage === undefined && document.readyState === 'complete'")
                    .await;
                if done == Value::Bool(true) {
                    return;
                }
            }
            panic!("{}: no new page after clicking {css}", self.name());
        }
    }
}

/// `s` as a JavaScript string literal.
pub fn js(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

impl Engine for crate::webdriver::Browser {
    fn name(&self) -> &'static str {
        match self.kind() {
            crate::webdriver::Kind::Chromium => "chromium",
            crate::webdriver::Kind::WebKit => "webkit",
        }
    }
    async fn goto(&self, url: &str) {
        crate::webdriver::Browser::goto(self, url).await;
    }
    async fn eval(&self, expression: &str) -> Value {
        self.script(&format!("return (async () => ({expression}))()"))
            .await
    }
    async fn stored_cookies(&self) -> Vec<StoredCookie> {
        self.cookies().await
    }
    async fn capture(&self, path: &std::path::Path) {
        self.screenshot(path).await;
    }
}

impl Engine for crate::bidi::Firefox {
    fn name(&self) -> &'static str {
        "firefox"
    }
    async fn goto(&self, url: &str) {
        crate::bidi::Firefox::goto(self, url).await;
    }
    async fn eval(&self, expression: &str) -> Value {
        crate::bidi::Firefox::eval(self, expression).await
    }
    async fn stored_cookies(&self) -> Vec<StoredCookie> {
        self.cookies().await
    }
    async fn capture(&self, path: &std::path::Path) {
        self.screenshot(path).await;
    }
}
