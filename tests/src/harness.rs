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

/// Spawns `cmd` with its stdout captured and waits (up to `timeout`) for a line that contains
/// `marker`; returns the child and the rest of that line after the marker. The rest of stdout is
/// drained on a thread so the child never blocks on a full pipe.
///
/// This is how every server the suites start tells its port: it binds port 0 itself and prints
/// the port it got, so no two tests can be handed the same port (a port picked here and bound
/// later by the child could be taken in between by another test's server).
pub fn spawn_reporting(cmd: &mut Command, marker: &str, timeout: Duration) -> (Child, String) {
    use std::io::BufRead as _;
    let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap_or_else(|e| {
        panic!("cannot start {:?}: {e}", cmd.get_program());
    });
    let stdout = child.stdout.take().expect("stdout is piped");
    let (tx, rx) = std::sync::mpsc::channel();
    let marker = marker.to_owned();
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(at) = line.find(&marker)
                && let Some(tx) = tx.take()
            {
                let _ = tx.send(line[at + marker.len()..].trim().to_owned());
            }
        }
    });
    let deadline = Instant::now() + timeout;
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(rest) => return (child, rest),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                let status = wait_timeout(&mut child, Duration::from_secs(5));
                panic!(
                    "{:?} exited ({status:?}) before reporting its address",
                    cmd.get_program()
                );
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "{:?} did not report its address within {timeout:?}",
                    cmd.get_program()
                );
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
    }
}

/// Waits for `child` to exit, at most `timeout`; then kills it and fails the test, so a hung
/// child can never hang the suite.
pub fn wait_timeout(child: &mut Child, timeout: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "child process {} did not exit within {timeout:?}",
                child.id()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A `redis-server` on a loopback port, stopped on drop. `redis-server` cannot bind port 0 and
/// report it, so a candidate port is tried and the server that answers on it must be ours: its
/// `INFO` must name our child's process id; otherwise (another test got the port first) the next
/// candidate is tried.
pub struct RedisServer {
    child: Option<Child>,
    pub port: u16,
    persistent: bool,
    dir: tempfile::TempDir,
}

impl RedisServer {
    /// Starts one without persistence, or `None` (with a note) when `redis-server` is not
    /// installed outside CI.
    pub fn start() -> Option<RedisServer> {
        Self::start_with(false)
    }

    /// Starts one with an append-only file fsynced on every write (`appendfsync always`), so a
    /// SIGKILL loses no acknowledged write.
    pub fn start_persistent() -> Option<RedisServer> {
        Self::start_with(true)
    }

    fn start_with(persistent: bool) -> Option<RedisServer> {
        require("redis-server", "redis-server")?;
        let dir = tempfile::tempdir().unwrap();
        for _ in 0..20 {
            let port = TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            if let Some(child) = launch_redis(port, persistent, dir.path()) {
                return Some(RedisServer {
                    child: Some(child),
                    port,
                    persistent,
                    dir,
                });
            }
        }
        panic!("redis-server found no free port in 20 tries");
    }

    /// SIGKILL: no shutdown, no final save.
    pub fn kill(&mut self) {
        self.stop();
    }

    /// Starts the server again on the same port and data folder (its append-only file, when
    /// persistent). Panics when the port was taken meanwhile.
    pub fn restart(&mut self) {
        self.stop();
        let child = launch_redis(self.port, self.persistent, self.dir.path());
        assert!(
            child.is_some(),
            "port {} was taken while redis-server was down",
            self.port
        );
        self.child = child;
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// `redis://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }
}

/// Starts `redis-server` on `port`; `None` when the port turns out to be someone else's.
fn launch_redis(port: u16, persistent: bool, dir: &std::path::Path) -> Option<Child> {
    let port_arg = port.to_string();
    let mut args = vec!["--port", &port_arg, "--bind", "127.0.0.1", "--save", ""];
    if persistent {
        args.extend(["--appendonly", "yes", "--appendfsync", "always"]);
    } else {
        args.extend(["--appendonly", "no"]);
    }
    let mut child = Command::new("redis-server")
        .args(&args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server starts");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if child.try_wait().expect("try_wait").is_some() {
            return None; // the port was taken: redis-server exits
        }
        if let Some(pid) = redis_pid(port) {
            if pid == child.id() {
                return Some(child);
            }
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        assert!(
            Instant::now() < deadline,
            "redis-server did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The process id of the Redis server answering on `port`, from `INFO server`.
fn redis_pid(port: u16) -> Option<u32> {
    use std::io::{Read as _, Write as _};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    s.write_all(b"INFO server\r\nQUIT\r\n").ok()?;
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out.lines()
        .find_map(|l| l.strip_prefix("process_id:"))
        .and_then(|p| p.trim().parse().ok())
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
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
