//! Firefox ESR driven over its built-in WebDriver BiDi endpoint (no geckodriver): headless
//! Firefox with a fresh profile prints `WebDriver BiDi listening on ws://…`, and one WebSocket
//! carries every command (`session.new`, `browsingContext.navigate`, `script.evaluate`,
//! `storage.getCookies`); events it sends are skipped.

use std::process::{Child, Command};
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio::sync::Mutex;
use tokio_tungstenite::tungstenite::Message;

use crate::process::{require, spawn_reporting};
use crate::webdriver::StoredCookie;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// One headless Firefox ESR with a fresh profile and its BiDi session.
pub struct Firefox {
    child: Child,
    socket: Mutex<Connection>,
    context: String,
    _profile: tempfile::TempDir,
}

struct Connection {
    socket: Socket,
    next_id: u64,
}

impl Firefox {
    /// Starts Firefox ESR, or `None` (with a one-line note) when it is missing outside CI; in
    /// CI a missing browser panics.
    pub async fn start() -> Option<Firefox> {
        let firefox = require("firefox-esr", "firefox-esr")?;
        let profile = tempfile::tempdir().unwrap();
        // Quiet, deterministic profile: no first-run pages, no background fetches.
        std::fs::write(
            profile.path().join("user.js"),
            [
                r#"user_pref("browser.shell.checkDefaultBrowser", false);"#,
                r#"user_pref("browser.startup.homepage_override.mstone", "ignore");"#,
                r#"user_pref("datareporting.policy.dataSubmissionEnabled", false);"#,
                r#"user_pref("app.update.enabled", false);"#,
                r#"user_pref("network.captive-portal-service.enabled", false);"#,
                r#"user_pref("remote.prefs.recommended", true);"#,
            ]
            .join("\n"),
        )
        .unwrap();
        // Firefox reports the endpoint on stderr; `sh` folds it into stdout, where
        // `spawn_reporting` reads, and `exec` leaves Firefox itself as the child.
        let (child, rest) = spawn_reporting(
            Command::new("sh")
                .arg("-c")
                .arg(r#"exec "$0" "$@" 2>&1"#)
                .arg(&firefox)
                .args(["--headless", "--no-remote", "--remote-debugging-port", "0"])
                .arg("--profile")
                .arg(profile.path()),
            "WebDriver BiDi listening on ",
            Duration::from_secs(60),
        );
        let url = format!("{}/session", rest.trim());
        let (socket, _) = tokio_tungstenite::connect_async(&url)
            .await
            .unwrap_or_else(|e| panic!("BiDi {url}: {e}"));
        let mut connection = Connection { socket, next_id: 0 };
        connection
            .command(
                "session.new",
                json!({"capabilities": {"alwaysMatch": {"acceptInsecureCerts": true}}}),
            )
            .await;
        let tree = connection
            .command("browsingContext.getTree", json!({}))
            .await;
        let context = tree["contexts"][0]["context"]
            .as_str()
            .unwrap_or_else(|| panic!("no browsing context: {tree}"))
            .to_owned();
        Some(Firefox {
            child,
            socket: Mutex::new(connection),
            context,
            _profile: profile,
        })
    }

    /// Sends one command and returns its `result`; a BiDi error fails the test.
    pub async fn command(&self, method: &str, params: Value) -> Value {
        self.socket.lock().await.command(method, params).await
    }

    /// Navigates and waits until the page has loaded.
    pub async fn goto(&self, url: &str) {
        self.command(
            "browsingContext.navigate",
            json!({"context": self.context, "url": url, "wait": "complete"}),
        )
        .await;
    }

    /// Evaluates `expression` in the page and returns its value as JSON (strings, numbers,
    /// booleans, null); a thrown exception fails the test.
    pub async fn eval(&self, expression: &str) -> Value {
        let r = self
            .command(
                "script.evaluate",
                json!({
                    "expression": expression,
                    "target": {"context": self.context},
                    "awaitPromise": true,
                    "resultOwnership": "none",
                }),
            )
            .await;
        if r["type"] != "success" {
            panic!("script.evaluate {expression}: {r}");
        }
        let v = &r["result"];
        match v["type"].as_str() {
            Some("undefined" | "null") => Value::Null,
            _ => v["value"].clone(),
        }
    }

    /// Every cookie in Firefox's own store that has not expired.
    ///
    /// A removal (`Max-Age=0`) sets a cookie's expiry to the current second, and
    /// `storage.getCookies` can list it until Firefox purges it: seen once under load, right
    /// after the consent withdrawal's removals, with the expiry 0.15 s before the check. Firefox
    /// never sends such a cookie, so it is left out here as removed; a removal at the wrong
    /// scope leaves the old cookie, with its old expiry, and still fails the suites.
    pub async fn cookies(&self) -> Vec<StoredCookie> {
        let r = self.command("storage.getCookies", json!({})).await;
        let now = crate::webdriver::now();
        r["cookies"]
            .as_array()
            .unwrap_or_else(|| panic!("storage.getCookies: {r}"))
            .iter()
            .filter(|c| c["expiry"].as_f64().is_none_or(|expiry| expiry > now))
            .map(|c| StoredCookie {
                name: c["name"].as_str().unwrap().to_owned(),
                value: c["value"]["value"].as_str().unwrap_or_default().to_owned(),
                domain: c["domain"].as_str().unwrap().to_owned(),
                path: c["path"].as_str().unwrap().to_owned(),
                expires: c["expiry"].as_f64(),
                http_only: c["httpOnly"] == true,
                secure: c["secure"] == true,
                same_site: c["sameSite"].as_str().map(capitalised),
                // BiDi reports no partition for a cookie (see docs/BROWSERS.md).
                partitioned: false,
            })
            .collect()
    }

    /// Screenshot of the viewport as PNG.
    pub async fn screenshot(&self, path: &std::path::Path) {
        use base64::Engine as _;
        let r = self
            .command(
                "browsingContext.captureScreenshot",
                json!({"context": self.context}),
            )
            .await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(r["data"].as_str().unwrap())
            .unwrap();
        std::fs::write(path, png).unwrap();
    }
}

/// `lax` → `Lax`, as Chromium and the declarations spell SameSite.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

impl Connection {
    async fn command(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let msg = json!({"id": id, "method": method, "params": params}).to_string();
        self.socket
            .send(Message::text(msg))
            .await
            .unwrap_or_else(|e| panic!("BiDi send {method}: {e}"));
        loop {
            let v = self.read().await;
            if v["type"] == "event" || v["id"] != id {
                continue;
            }
            if v["type"] == "error" {
                panic!("BiDi {method}: {} {}", v["error"], v["message"]);
            }
            return v["result"].clone();
        }
    }

    async fn read(&mut self) -> Value {
        loop {
            match self.socket.next().await {
                Some(Ok(Message::Text(t))) => return serde_json::from_str(&t).unwrap(),
                Some(Ok(_)) => {}
                Some(Err(e)) => panic!("BiDi read: {e}"),
                None => panic!("Firefox closed the BiDi connection"),
            }
        }
    }
}

impl Drop for Firefox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
