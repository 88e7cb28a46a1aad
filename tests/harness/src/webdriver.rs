//! A minimal W3C WebDriver client for chromedriver on loopback, plus chromedriver's
//! `goog/cdp/execute` to read Chromium's own cookie store (with partition keys and SameSite).
//!
//! Hand-written over reqwest rather than fantoccini: the handful of endpoints the browser suite
//! needs fit in one file, and it avoids a TLS stack the loopback connection never uses.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::process::{require, spawn_reporting};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A W3C WebDriver session: chromedriver with one headless Chromium and a fresh profile, or
/// WebKitWebDriver with MiniBrowser on a private display (`crate::webkit`).
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    http: reqwest::Client,
    kind: Kind,
    /// The Chromium profile, removed with the session.
    _profile: Option<tempfile::TempDir>,
    /// The X display WebKit draws on, stopped with the session.
    display: Option<Child>,
}

/// Which engine a [`Browser`] drives: it decides how the cookie store is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Chromium's own store, over the DevTools protocol (partition keys and SameSite included).
    Chromium,
    /// WebDriver's `GET /cookie`: the current page's cookies, HttpOnly ones included.
    WebKit,
}

/// Seconds since the Unix epoch, as engines report expiry.
pub fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs_f64()
}

/// A cookie as Chromium stores it.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredCookie {
    pub name: String,
    pub value: String,
    pub domain: String,
    pub path: String,
    /// Seconds since the epoch; `None` for a browser-session cookie.
    pub expires: Option<f64>,
    pub http_only: bool,
    pub secure: bool,
    pub same_site: Option<String>,
    pub partitioned: bool,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium, or `None` (with a one-line note on what to
    /// install) when they are missing outside CI. In CI a missing browser panics.
    pub async fn start() -> Option<Browser> {
        Self::start_with(&[]).await
    }

    /// [`Browser::start`] with more Chromium command-line flags (for example
    /// `--host-resolver-rules=MAP *.cookie-contract.test 127.0.0.1`, to serve other host names
    /// from loopback).
    pub async fn start_with(extra_args: &[&str]) -> Option<Browser> {
        let chromium = require("chromium", "chromium")?;
        let driver_bin = require("chromedriver", "chromium-driver")?;
        // Port 0: chromedriver binds a free port itself and says which.
        let (driver, reported) = spawn_reporting(
            Command::new(driver_bin)
                .arg("--port=0")
                .stderr(Stdio::null()),
            "started successfully on port ",
            Duration::from_secs(20),
        );
        let port: u16 = reported
            .trim_end_matches('.')
            .parse()
            .unwrap_or_else(|_| panic!("chromedriver reported port {reported:?}"));
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = http.get(format!("{base}/status")).send().await
                && let Ok(v) = r.json::<Value>().await
                && v["value"]["ready"] == true
            {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not become ready"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let user_data_dir = format!("--user-data-dir={}", profile.path().display());
        let mut args = vec![
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
            "--window-size=1100,900",
            &user_data_dir,
        ];
        args.extend_from_slice(extra_args);
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            // The engine matrix serves https://localhost with a self-signed certificate.
            "acceptInsecureCerts": true,
            "goog:chromeOptions": {"binary": chromium, "args": args}
        }}});
        let session = new_session(&http, &base, &caps).await;
        Some(Browser {
            driver,
            base,
            session,
            http,
            kind: Kind::Chromium,
            _profile: Some(profile),
            display: None,
        })
    }

    /// A session already made on a driver at `base` (WebKitWebDriver, by `crate::webkit`).
    pub(crate) fn attach(
        driver: Child,
        base: String,
        session: String,
        http: reqwest::Client,
        display: Child,
    ) -> Browser {
        Browser {
            driver,
            base,
            session,
            http,
            kind: Kind::WebKit,
            _profile: None,
            display: Some(display),
        }
    }

    /// The engine behind this session.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut req = self.http.request(method, url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let v: Value = req.send().await.unwrap().json().await.unwrap();
        if v["value"].get("error").is_some() {
            panic!("WebDriver {path}: {}", v["value"]);
        }
        v["value"].clone()
    }

    pub async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await;
    }

    pub async fn current_url(&self) -> String {
        self.cmd(reqwest::Method::GET, "/url", None)
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn find(&self, css: &str) -> String {
        let v = self
            .cmd(
                reqwest::Method::POST,
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await;
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("find {css}: {v}"))
            .to_owned()
    }

    /// Whether an element matching `css` exists.
    pub async fn exists(&self, css: &str) -> bool {
        let url = format!("{}/session/{}/elements", self.base, self.session);
        let v: Value = self
            .http
            .post(url)
            .json(&json!({"using": "css selector", "value": css}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        // An empty list is "no such element"; a driver error (a dead session, a bad selector)
        // is not an answer and must fail the test, never read as `false`.
        match v["value"].as_array() {
            Some(found) => !found.is_empty(),
            None => panic!("WebDriver /elements {css}: {}", v["value"]),
        }
    }

    pub async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/click"),
            Some(json!({})),
        )
        .await;
    }

    /// Clicks `css` (a submit button) and waits until the browser has loaded the next
    /// document: the old one is marked first, so a selector that exists on both pages cannot
    /// end the wait early.
    pub async fn submit(&self, css: &str) {
        self.script("window.__cookieContractOldPage = true; return null")
            .await;
        self.click(css).await;
        for _ in 0..200 {
            let done = self
                .script("return window.__cookieContractOldPage === undefined && document.readyState === 'complete'")
                .await;
            if done == Value::Bool(true) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("no new page after clicking {css}");
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        )
        .await;
    }

    pub async fn text(&self, css: &str) -> String {
        let id = self.find(css).await;
        self.cmd(reqwest::Method::GET, &format!("/element/{id}/text"), None)
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn script(&self, script: &str) -> Value {
        self.cmd(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
        .await
    }

    /// What page script sees in `document.cookie`.
    pub async fn document_cookie(&self) -> String {
        self.script("return document.cookie")
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn screenshot(&self, path: &std::path::Path) {
        use base64::Engine as _;
        let b64 = self.cmd(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap())
            .unwrap();
        std::fs::write(path, png).unwrap();
    }

    /// Runs a DevTools protocol command (`Network.setBlockedURLs`, ...) and returns its result.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.cmd(
            reqwest::Method::POST,
            "/goog/cdp/execute",
            Some(json!({"cmd": cmd, "params": params})),
        )
        .await
    }

    /// Every cookie in the browser's store: Chromium's whole store over the DevTools protocol,
    /// or WebKit's for the current page through WebDriver.
    pub async fn cookies(&self) -> Vec<StoredCookie> {
        if self.kind == Kind::WebKit {
            return self.page_cookies().await;
        }
        let v = self
            .cmd(
                reqwest::Method::POST,
                "/goog/cdp/execute",
                Some(json!({"cmd": "Storage.getCookies", "params": {}})),
            )
            .await;
        v["cookies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| StoredCookie {
                name: c["name"].as_str().unwrap().to_owned(),
                value: c["value"].as_str().unwrap().to_owned(),
                domain: c["domain"].as_str().unwrap().to_owned(),
                path: c["path"].as_str().unwrap().to_owned(),
                expires: if c["session"] == true {
                    None
                } else {
                    c["expires"].as_f64()
                },
                http_only: c["httpOnly"] == true,
                secure: c["secure"] == true,
                same_site: c["sameSite"].as_str().map(str::to_owned),
                partitioned: c.get("partitionKey").is_some_and(|k| !k.is_null()),
            })
            .collect()
    }

    pub async fn cookie(&self, name: &str) -> Option<StoredCookie> {
        self.cookies().await.into_iter().find(|c| c.name == name)
    }
}

/// `POST /session` with `caps` on the driver at `base`: the new session's id.
pub(crate) async fn new_session(http: &reqwest::Client, base: &str, caps: &Value) -> String {
    let res: Value = http
        .post(format!("{base}/session"))
        .json(caps)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    res["value"]["sessionId"]
        .as_str()
        .unwrap_or_else(|| panic!("no session at {base}: {res}"))
        .to_owned()
}

impl Browser {
    /// WebDriver's `GET /cookie`: every cookie of the current page, HttpOnly ones included.
    async fn page_cookies(&self) -> Vec<StoredCookie> {
        let v = self.cmd(reqwest::Method::GET, "/cookie", None).await;
        v.as_array()
            .unwrap_or_else(|| panic!("GET /cookie: {v}"))
            .iter()
            .map(|c| StoredCookie {
                name: c["name"].as_str().unwrap().to_owned(),
                value: c["value"].as_str().unwrap_or_default().to_owned(),
                domain: c["domain"].as_str().unwrap_or_default().to_owned(),
                path: c["path"].as_str().unwrap_or("/").to_owned(),
                expires: c["expiry"].as_f64(),
                http_only: c["httpOnly"] == true,
                secure: c["secure"] == true,
                same_site: c["sameSite"].as_str().map(str::to_owned),
                // WebKit has no partitioned cookies (see docs/BROWSERS.md).
                partitioned: false,
            })
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Deleting the session makes chromedriver close Chromium (even when a test panicked);
        // then the driver itself is stopped. A blocking raw request: Drop cannot await.
        use std::io::{Read, Write};
        let addr = self.base.trim_start_matches("http://").to_owned();
        if let Ok(mut s) = std::net::TcpStream::connect(&addr) {
            let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
            let _ = write!(
                s,
                "DELETE /session/{} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                self.session
            );
            let mut sink = Vec::new();
            let _ = s.read_to_end(&mut sink);
        }
        for child in core::iter::once(&mut self.driver).chain(self.display.as_mut()) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
