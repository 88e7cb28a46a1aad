//! A real `redis-server` on a loopback port, for the Redis store, the throttles and the fault
//! tests.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::process::require;

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
