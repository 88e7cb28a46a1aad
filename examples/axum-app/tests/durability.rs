//! Load and durability against the real binary (issue 9): concurrent clients cycle through
//! login → account → preference change → logout, each as its own user; the server is killed
//! with SIGKILL mid-run and restarted; afterwards every session that was logged in and not
//! logged out must still be valid, and no client may ever see another's account.
//!
//! CI runs a short version; the full run is
//! `LOAD_SECONDS=60 LOAD_CLIENTS=64 cargo test --release -p axum-app --test durability -- --nocapture`.

#[path = "../../../tests/src/harness.rs"]
mod harness;

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

use harness::{RedisServer, free_port};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use tokio::sync::Mutex;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn password(i: usize) -> String {
    format!("load-password-{i}")
}

fn email(i: usize) -> String {
    format!("load{i}@example.com")
}

struct Server {
    child: Child,
}

fn spawn(port: u16, data: &std::path::Path, clients: usize, extra: &[(&str, String)]) -> Server {
    let users: Vec<String> = (0..clients)
        .map(|i| format!("{}:{}", email(i), password(i)))
        .collect();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_axum-app"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("BIND", format!("127.0.0.1:{port}"))
        .env("PUBLIC_ORIGIN", format!("http://127.0.0.1:{port}"))
        .env("DATA_DIR", data)
        .env("SESSION_SECRET", "durability test secret, 32 bytes or more")
        .env("DEMO_USERS", users.join(","))
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    for (k, v) in extra {
        cmd.env(k, v);
    }
    let child = cmd.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "server on {port} did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    Server { child }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Lets the restart wait for requests in flight and hold new ones, so a kill never cuts a
/// logout in half (the check after the restart must know which sessions are live).
#[derive(Default)]
struct Gate {
    closed: std::sync::atomic::AtomicBool,
    in_flight: AtomicU64,
}

struct Pass<'a>(&'a Gate);

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Relaxed);
    }
}

struct Closed<'a>(&'a Gate);

impl Drop for Closed<'_> {
    fn drop(&mut self) {
        self.0
            .closed
            .store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Gate {
    async fn enter(&self) -> Pass<'_> {
        loop {
            while self.closed.load(std::sync::atomic::Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            self.in_flight
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            if !self.closed.load(std::sync::atomic::Ordering::SeqCst) {
                return Pass(self);
            }
            self.in_flight
                .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        }
    }

    async fn close(&self) -> Closed<'_> {
        self.closed.store(true, std::sync::atomic::Ordering::SeqCst);
        while self.in_flight.load(std::sync::atomic::Ordering::SeqCst) > 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        Closed(self)
    }
}

#[derive(Default)]
struct Stats {
    cycles: AtomicU64,
    requests: AtomicU64,
    server_errors: AtomicU64,
    unavailable: AtomicU64,
    mixed_up: AtomicU64,
    lost: AtomicU64,
}

/// One client's life: its own user; `held` is the session it holds and has not logged out.
async fn client(
    i: usize,
    ports: Vec<u16>,
    until: Instant,
    stats: Arc<Stats>,
    held: Arc<Mutex<Vec<Option<String>>>>,
    gate: Arc<Gate>,
) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut turn = i;
    let mut base = || {
        turn += 1;
        format!("http://127.0.0.1:{}", ports[turn % ports.len()])
    };
    let me = email(i);
    while Instant::now() < until {
        let pause = gate.enter().await;
        // Login (retried while the server is down).
        let res = http
            .post(format!("{}/api/login", base()))
            .header(CONTENT_TYPE, "application/json")
            .body(format!(
                r#"{{"email":"{me}","password":"{}"}}"#,
                password(i)
            ))
            .send()
            .await;
        stats.requests.fetch_add(1, Relaxed);
        let Ok(res) = res else {
            stats.unavailable.fetch_add(1, Relaxed);
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        if res.status().is_server_error() {
            stats.server_errors.fetch_add(1, Relaxed);
            continue;
        }
        assert_eq!(res.status(), StatusCode::OK);
        let cookie = res.headers()[SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        held.lock().await[i] = Some(cookie.clone());
        drop(pause);

        // Account, preference change, logout; a connection error means the server is being
        // restarted: the session must survive, so just retry the step.
        let mut step = 0;
        while step < 4 && Instant::now() < until + Duration::from_secs(30) {
            // The restart waits for requests in flight, so none is cut in half: a logout either
            // happened or did not.
            let _pause = gate.enter().await;
            let b = base();
            let res = match step {
                0 | 2 => {
                    http.get(format!("{b}/account"))
                        .header(COOKIE, &cookie)
                        .send()
                        .await
                }
                1 | 3 => {
                    // Both state changes need this session's CSRF token first.
                    let token = match csrf_token(&http, &b, &cookie).await {
                        Ok(t) => t,
                        Err(unavailable) => {
                            if unavailable {
                                stats.unavailable.fetch_add(1, Relaxed);
                                tokio::time::sleep(Duration::from_millis(50)).await;
                            } else {
                                stats.server_errors.fetch_add(1, Relaxed);
                            }
                            continue;
                        }
                    };
                    let req = if step == 1 {
                        http.post(format!("{b}/api/preferences"))
                            .header(CONTENT_TYPE, "application/json")
                            .header("sec-fetch-site", "same-origin")
                            .body(r#"{"theme":"dark"}"#)
                    } else {
                        http.post(format!("{b}/api/logout"))
                    };
                    req.header(COOKIE, &cookie)
                        .header("x-csrf-token", token)
                        .send()
                        .await
                }
                _ => unreachable!("four steps"),
            };
            stats.requests.fetch_add(1, Relaxed);
            let res = match res {
                Ok(r) => r,
                Err(_) => {
                    stats.unavailable.fetch_add(1, Relaxed);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let status = res.status();
            if status.is_server_error() {
                stats.server_errors.fetch_add(1, Relaxed);
                continue;
            }
            if step == 0 || step == 2 {
                if status != StatusCode::OK {
                    stats.lost.fetch_add(1, Relaxed);
                    break;
                }
                let body = res.text().await.unwrap();
                if !body.contains(&format!(r#"<strong id="account-email">{me}</strong>"#)) {
                    stats.mixed_up.fetch_add(1, Relaxed);
                }
            } else {
                assert!(status.is_success(), "step {step}: {status}");
            }
            if step == 3 {
                held.lock().await[i] = None;
                stats.cycles.fetch_add(1, Relaxed);
            }
            step += 1;
        }
    }
}

/// This session's CSRF token; `Err(true)` when the server is unreachable (being restarted),
/// `Err(false)` on a 5xx.
async fn csrf_token(http: &reqwest::Client, base: &str, cookie: &str) -> Result<String, bool> {
    match http
        .get(format!("{base}/api/csrf"))
        .header(COOKIE, cookie)
        .send()
        .await
    {
        Ok(r) if r.status() == StatusCode::OK => {
            Ok(r.json::<serde_json::Value>().await.unwrap()["token"]
                .as_str()
                .unwrap()
                .to_owned())
        }
        Ok(r) if r.status().is_server_error() => Err(false),
        Ok(r) => panic!("csrf: {}", r.status()),
        Err(_) => Err(true),
    }
}

async fn run(ports: Vec<u16>, restart: impl FnOnce() + Send + 'static) -> Arc<Stats> {
    let secs = env_or("LOAD_SECONDS", 10);
    let clients = env_or("LOAD_CLIENTS", 16) as usize;
    let stats = Arc::new(Stats::default());
    let held = Arc::new(Mutex::new(vec![None; clients]));
    let gate = Arc::new(Gate::default());
    let until = Instant::now() + Duration::from_secs(secs);
    let tasks: Vec<_> = (0..clients)
        .map(|i| {
            tokio::spawn(client(
                i,
                ports.clone(),
                until,
                stats.clone(),
                held.clone(),
                gate.clone(),
            ))
        })
        .collect();
    // At half time: hold new requests, SIGKILL the server (no graceful shutdown), restart it,
    // and check that every session held by a client that has not logged out is still valid.
    tokio::time::sleep(Duration::from_secs(secs / 2)).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let checked = {
        let _stop = gate.close().await;
        let snapshot: Vec<String> = held.lock().await.iter().flatten().cloned().collect();
        tokio::task::spawn_blocking(restart).await.unwrap();
        for (n, cookie) in snapshot.iter().enumerate() {
            for port in &ports {
                let res = http
                    .get(format!("http://127.0.0.1:{port}/account"))
                    .header(COOKIE, cookie)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(
                    res.status(),
                    StatusCode::OK,
                    "held session {n} was lost across the restart"
                );
            }
        }
        snapshot.len()
    };
    for t in tasks {
        t.await.unwrap();
    }
    let s = &stats;
    println!(
        "clients {clients}, {secs} s: cycles {}, requests {}, 5xx {}, connection errors {}, lost {}, mixed up {}, sessions held at the kill and valid after restart {checked}",
        s.cycles.load(Relaxed),
        s.requests.load(Relaxed),
        s.server_errors.load(Relaxed),
        s.unavailable.load(Relaxed),
        s.lost.load(Relaxed),
        s.mixed_up.load(Relaxed)
    );
    assert!(
        checked > 0,
        "no session was held at the kill: the check proved nothing"
    );
    stats
}

fn assert_clean(s: &Stats) {
    assert!(s.cycles.load(Relaxed) > 0, "no full cycle completed");
    assert_eq!(s.server_errors.load(Relaxed), 0, "5xx responses");
    assert_eq!(
        s.mixed_up.load(Relaxed),
        0,
        "a client saw another's account"
    );
    assert_eq!(s.lost.load(Relaxed), 0, "a live session was refused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_survives_load_and_a_killed_server() {
    let clients = env_or("LOAD_CLIENTS", 16) as usize;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = Arc::new(std::sync::Mutex::new(Some(spawn(
        port,
        dir.path(),
        clients,
        &[],
    ))));
    let s = server.clone();
    let path = dir.path().to_owned();
    let stats = run(vec![port], move || {
        let mut guard = s.lock().unwrap();
        drop(guard.take()); // SIGKILL
        *guard = Some(spawn(port, &path, clients, &[]));
    })
    .await;
    assert_clean(&stats);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_redis_share_sessions_under_load() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let clients = env_or("LOAD_CLIENTS", 16) as usize;
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (p1, p2) = (free_port(), free_port());
    let url = [("REDIS_URL", redis.url())];
    let a = Arc::new(std::sync::Mutex::new(Some(spawn(
        p1,
        d1.path(),
        clients,
        &url,
    ))));
    let _b = spawn(p2, d2.path(), clients, &url);
    let s = a.clone();
    let path = d1.path().to_owned();
    let stats = run(vec![p1, p2], move || {
        let mut guard = s.lock().unwrap();
        drop(guard.take());
        *guard = Some(spawn(p1, &path, clients, &url));
    })
    .await;
    assert_clean(&stats);
}
