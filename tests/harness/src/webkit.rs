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
use crate::webdriver::Browser;

const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/// WebKitGTK: a [`Browser`] on WebKitWebDriver and MiniBrowser.
pub struct WebKit;

impl WebKit {
    /// Starts the display, the driver and a session, or `None` (with a one-line note) when a
    /// piece is missing outside CI; in CI a missing piece panics.
    pub async fn start() -> Option<Browser> {
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
            let session = crate::webdriver::new_session(&http, &base, &caps).await;
            return Some(Browser::attach(driver, base, session, http, xvfb));
        }
        panic!("WebKitWebDriver found no free port in 20 tries");
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
