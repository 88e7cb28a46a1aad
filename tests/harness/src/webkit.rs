//! WebKitGTK driven through `WebKitWebDriver` (Debian `webkit2gtk-driver`), with `MiniBrowser
//! --automation` on a private Xvfb display (Debian `xvfb`): a W3C WebDriver session whose
//! cookies are read with WebDriver's own `GET /cookie`, HttpOnly ones included.
//!
//! WebKit drops every `Secure` cookie sent over `http://localhost`, so the suites drive it
//! against the app over https (`TestApp::start_tls`), accepting the self-signed certificate.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::process::{require, spawn_reporting};
use crate::webdriver::StoredCookie;

const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/// Xvfb, WebKitWebDriver and one MiniBrowser session.
pub struct WebKit {
    xvfb: Child,
    driver: Child,
    base: String,
    session: String,
    http: reqwest::Client,
}

impl WebKit {
    /// Starts the display, the driver and a session, or `None` (with a one-line note) when a
    /// piece is missing outside CI; in CI a missing piece panics.
    pub async fn start() -> Option<WebKit> {
        require("Xvfb", "xvfb")?;
        let driver_bin = require("WebKitWebDriver", "webkit2gtk-driver")?;
        if !std::path::Path::new(MINIBROWSER).is_file() {
            require("MiniBrowser", "webkit2gtk-driver")?;
        }
        // Xvfb picks a free display itself and writes its number on the descriptor given.
        let (xvfb, display) = spawn_reporting(
            Command::new("Xvfb")
                .args([
                    "-displayfd",
                    "1",
                    "-screen",
                    "0",
                    "1280x1024x24",
                    "-nolisten",
                    "tcp",
                ])
                .stderr(Stdio::null()),
            "",
            Duration::from_secs(20),
        );
        let display = format!(":{}", display.trim());
        let http = reqwest::Client::new();
        // WebKitWebDriver takes a port, not port 0: try free ones until the driver that
        // answers is the one just started (a taken port makes it exit at once).
        for _ in 0..20 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let mut driver = Command::new(&driver_bin)
                .arg(format!("--port={port}"))
                .env("DISPLAY", &display)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("WebKitWebDriver starts");
            let base = format!("http://127.0.0.1:{port}");
            if !ready(&http, &base, &mut driver).await {
                let _ = driver.kill();
                let _ = driver.wait();
                continue;
            }
            let caps = json!({"capabilities": {"alwaysMatch": {
                "browserName": "MiniBrowser",
                "acceptInsecureCerts": true,
                "webkitgtk:browserOptions": {"binary": MINIBROWSER, "args": ["--automation"]}
            }}});
            let res: Value = http
                .post(format!("{base}/session"))
                .json(&caps)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let session = res["value"]["sessionId"]
                .as_str()
                .unwrap_or_else(|| panic!("no WebKit session: {res}"))
                .to_owned();
            return Some(WebKit {
                xvfb,
                driver,
                base,
                session,
                http,
            });
        }
        panic!("WebKitWebDriver found no free port in 20 tries");
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut req = self.http.request(method, url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let v: Value = req.send().await.unwrap().json().await.unwrap();
        if v["value"].get("error").is_some() {
            panic!("WebKitWebDriver {path}: {}", v["value"]);
        }
        v["value"].clone()
    }

    /// Navigates and waits for the load.
    pub async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await;
    }

    /// Runs a script body (`return …`) in the page.
    pub async fn script(&self, body: &str) -> Value {
        self.cmd(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": body, "args": []})),
        )
        .await
    }

    /// Every cookie WebDriver reports for the current page (HttpOnly ones included).
    pub async fn cookies(&self) -> Vec<StoredCookie> {
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

    /// A PNG of the viewport.
    pub async fn screenshot(&self, path: &std::path::Path) {
        use base64::Engine as _;
        let b64 = self.cmd(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap())
            .unwrap();
        std::fs::write(path, png).unwrap();
    }
}

/// Whether the driver just started answers `/status` (and is still the process running).
async fn ready(http: &reqwest::Client, base: &str, driver: &mut Child) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if driver.try_wait().ok().flatten().is_some() {
            return false;
        }
        if let Ok(r) = http.get(format!("{base}/status")).send().await
            && let Ok(v) = r.json::<Value>().await
            && v["value"]["ready"] == true
        {
            return driver.try_wait().ok().flatten().is_none();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

impl Drop for WebKit {
    fn drop(&mut self) {
        // Ending the session closes MiniBrowser; then the driver and the display stop.
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
        for child in [&mut self.driver, &mut self.xvfb] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
