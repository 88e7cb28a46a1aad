//! Test infrastructure shared by the end-to-end suites: a real `redis-server` on a loopback port,
//! the example app on an ephemeral loopback port, and a minimal browser-like cookie store.
//!
//! Included by path from `examples/axum-app/tests`, so it depends only on std, tokio, reqwest and
//! the app.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Whether missing tools must fail the run (CI) rather than skip with a note.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Resolves `program` on PATH, or explains in one line what to install. In CI a missing tool is
/// a failure, never a silent skip.
pub fn require(program: &str, package: &str) -> Option<String> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
    });
    match found {
        Some(p) => Some(p.display().to_string()),
        None if in_ci() => {
            panic!("{program} is not installed; CI must install it (apt-get install -y {package})")
        }
        None => {
            // Written to the real stderr, not through `eprintln!`, so libtest's capture does not
            // swallow it: a skipped suite must be visible in a passing run.
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: {program} is not installed; `apt-get install -y {package}` then rerun `cargo test --workspace` (or `.ci/run`, which installs everything)"
            );
            None
        }
    }
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A `redis-server` on a loopback port, without persistence, stopped on drop.
pub struct RedisServer {
    child: Child,
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl RedisServer {
    /// Starts one, or `None` (with a note) when `redis-server` is not installed outside CI.
    pub fn start() -> Option<RedisServer> {
        let bin = require("redis-server", "redis-server")?;
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let child = Command::new(bin)
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        let server = RedisServer {
            child,
            port,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "redis-server did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(server)
    }

    /// `redis://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser-like cookie store for one host: keeps `name=value` from `Set-Cookie` lines and
/// drops cookies removed with `Max-Age=0`. Enough to drive the app the way a browser does.
#[derive(Clone, Debug, Default)]
pub struct Cookies {
    pub values: BTreeMap<String, String>,
}

impl Cookies {
    /// Applies every `Set-Cookie` of a response; returns the raw lines.
    pub fn absorb(&mut self, headers: &reqwest::header::HeaderMap) -> Vec<String> {
        let lines: Vec<String> = headers
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        for line in &lines {
            let pair = line.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if line.contains("Max-Age=0") {
                self.values.remove(name);
            } else {
                self.values.insert(name.to_owned(), value.to_owned());
            }
        }
        lines
    }

    /// The `Cookie` header a browser would send, or `None` when empty.
    pub fn header(&self) -> Option<String> {
        (!self.values.is_empty()).then(|| {
            self.values
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ")
        })
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
}

/// An HTTP client that never follows redirects (tests look at each response).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}
