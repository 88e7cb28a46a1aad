//! Crash safety under load against the real binary: concurrent clients cycle through
//! login → account → preference change → logout, each as its own user, and in the middle of the
//! run a process is SIGKILLed **while requests are in flight** (no gate, no draining):
//!
//! - on SQLite, the app itself, which is then restarted on the same data folder;
//! - on Redis (append-only file, fsync on every write), `redis-server`, under two app instances
//!   that stay up: while Redis is down they must answer `503`, and reconnect by themselves.
//!
//! Every answer that reaches a client must be right (its own account page, never another's; no
//! 5xx but the documented `503` while Redis is down; never a live session refused); every request
//! cut by the kill must fail at the connection. After the restart, clients pause while every
//! session whose login response reached its client is checked (it must open its own account) and
//! every logout whose response reached its client (it must stay logged out); at the end every
//! session of the run is checked the same way.
//!
//! CI runs a short version; the full run is
//! `LOAD_SECONDS=60 LOAD_CLIENTS=64 cargo test --release -p axum-app --test durability -- --nocapture`.

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use cookie_contract_harness::http::{client_from, cookie_pair};
use cookie_contract_harness::process::spawn_reporting;
use cookie_contract_harness::redis::RedisServer;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, RETRY_AFTER, SET_COOKIE};

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

/// One app process, SIGKILLed on drop.
struct Server {
    child: Child,
    base: String,
}

fn spawn(data: &std::path::Path, clients: usize, extra: &[(&str, String)]) -> Server {
    let users: Vec<String> = (0..clients)
        .map(|i| format!("{}:{}", email(i), password(i)))
        .collect();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_axum-app"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("BIND", "127.0.0.1:0")
        .env("DATA_DIR", data)
        .env("SESSION_SECRET", "durability test secret, 32 bytes or more")
        .env("DEMO_USERS", users.join(","))
        .env("RUST_LOG", "error")
        .stderr(Stdio::inherit());
    for (k, v) in extra {
        cmd.env(k, v);
    }
    let (child, base) = spawn_reporting(&mut cmd, "listening on ", Duration::from_secs(60));
    Server { child, base }
}

impl Server {
    /// Peak resident memory so far, in MiB (`VmHWM` of `/proc/<pid>/status`).
    fn peak_mib(&self) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
            })
            .map_or(0, |kib| kib / 1024)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the client was told about a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Told {
    /// The login response reached the client and no logout was attempted yet.
    Live,
    /// A logout response (200) reached the client.
    LoggedOut,
    /// A logout was sent but its answer never came (cut by the kill): either state is right.
    Unknown,
}

#[derive(Default)]
struct Stats {
    cycles: AtomicU64,
    requests: AtomicU64,
    /// Requests that failed at the connection (cut by the kill, or sent while it was down).
    cut: AtomicU64,
    /// `503` while Redis was down (documented).
    unavailable: AtomicU64,
    /// Logins answered 503 with Retry-After: every password worker busy past the wait.
    busy: AtomicU64,
    /// Any other 5xx, or a 503 while nothing was down.
    server_errors: AtomicU64,
    /// Another user's page, or a status that is wrong for the request.
    wrong: AtomicU64,
    /// A session the client was told is live, refused.
    lost: AtomicU64,
    in_flight: AtomicU64,
}

/// Shared between the clients and the conductor.
struct Run {
    bases: RwLock<Vec<String>>,
    /// Every session of the run: (client, cookie, what the client was told).
    ledger: Mutex<Vec<(usize, String, Told)>>,
    stats: Stats,
    /// Set while a 503 is the right answer (Redis is down or reconnecting).
    outage: AtomicBool,
    /// The kill's generation: 0 before it, 1 once the restarted server is checked.
    generation: AtomicU64,
    /// Sessions logged in before the kill whose own account page opened after the restart,
    /// in the clients' own cycles.
    survivors: AtomicU64,
    /// Preference changes per session before its logout (`LOAD_ROUNDS`, default 8).
    rounds: usize,
    /// Pause after each answered step (`LOAD_THINK_MS`, default 20 ms).
    think: Duration,
    /// Closed after the restart while the conductor checks the ledger.
    paused: AtomicBool,
    until: Instant,
}

/// Counts a request as in flight for its whole life, so the conductor can kill mid-request.
struct Flight<'a>(&'a Stats);

impl<'a> Flight<'a> {
    fn new(s: &'a Stats) -> Self {
        s.in_flight.fetch_add(1, SeqCst);
        s.requests.fetch_add(1, SeqCst);
        Flight(s)
    }
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, SeqCst);
    }
}

enum Answer {
    /// Status and body, fully received.
    Got(StatusCode, reqwest::header::HeaderMap, String),
    /// Failed at the connection (or while reading the body).
    Cut,
}

async fn send(run: &Run, req: reqwest::RequestBuilder) -> Answer {
    while run.paused.load(SeqCst) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let _flight = Flight::new(&run.stats);
    let res = match req.send().await {
        Ok(r) => r,
        Err(_) => return Answer::Cut,
    };
    let (status, headers) = (res.status(), res.headers().clone());
    match res.text().await {
        Ok(body) => Answer::Got(status, headers, body),
        Err(_) => Answer::Cut,
    }
}

impl Run {
    fn base(&self, turn: usize) -> String {
        let bases = self.bases.read().unwrap();
        bases[turn % bases.len()].clone()
    }

    /// Books a 5xx: a 503 during an outage is the documented answer, anything else is an error.
    fn server_error(&self, status: StatusCode) {
        if status == StatusCode::SERVICE_UNAVAILABLE && self.outage.load(SeqCst) {
            self.stats.unavailable.fetch_add(1, SeqCst);
        } else {
            self.stats.server_errors.fetch_add(1, SeqCst);
            eprintln!("unexpected {status}");
        }
    }

    fn record(&self, i: usize, cookie: &str, told: Told) {
        let mut ledger = self.ledger.lock().unwrap();
        match ledger.iter_mut().rev().find(|(_, c, _)| c == cookie) {
            Some(entry) => entry.2 = told,
            None => ledger.push((i, cookie.to_owned(), told)),
        }
    }
}

async fn pause_after_cut() {
    tokio::time::sleep(Duration::from_millis(20)).await;
}

/// One client's life: its own user, cycling until the run ends.
async fn client(i: usize, run: Arc<Run>) {
    // Each client from its own loopback address, as real users are: the login throttle allows
    // one password check in flight per address.
    let http = client_from(&format!("127.0.{}.{}", 1 + i / 250, 1 + i % 250));
    let mut turn = i;
    let me = email(i);
    let own_page = format!(r#"<strong id="account-email">{me}</strong>"#);
    while Instant::now() < run.until {
        turn += 1;
        let login = http
            .post(format!("{}/api/login", run.base(turn)))
            .header(CONTENT_TYPE, "application/json")
            .body(format!(
                r#"{{"email":"{me}","password":"{}"}}"#,
                password(i)
            ));
        let cookie = match send(&run, login).await {
            Answer::Cut => {
                run.stats.cut.fetch_add(1, SeqCst);
                pause_after_cut().await;
                continue;
            }
            // All password workers busy for longer than a login may wait: the documented 503
            // with Retry-After, at any time (not only during an outage).
            Answer::Got(StatusCode::SERVICE_UNAVAILABLE, headers, _)
                if headers.contains_key(RETRY_AFTER) =>
            {
                run.stats.busy.fetch_add(1, SeqCst);
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
            Answer::Got(status, _, _) if status.is_server_error() => {
                run.server_error(status);
                continue;
            }
            Answer::Got(StatusCode::OK, headers, _) => {
                cookie_pair(headers[SET_COOKIE].to_str().unwrap()).to_owned()
            }
            Answer::Got(status, ..) => {
                eprintln!("login answered {status}");
                run.stats.wrong.fetch_add(1, SeqCst);
                continue;
            }
        };
        run.record(i, &cookie, Told::Live);
        let born = run.generation.load(SeqCst);
        let mut counted = false;

        // Account, preference change, account, logout. A cut or a 503 repeats the step.
        let mut step = 0;
        // account, then (preferences, account) ROUNDS times, then logout: a client holds its
        // session for a while, so a kill finds sessions held.
        let logout = 2 * run.rounds + 1;
        while step <= logout && Instant::now() < run.until + Duration::from_secs(30) {
            turn += 1;
            let b = run.base(turn);
            let req = match step {
                s if s % 2 == 0 && s != logout => {
                    http.get(format!("{b}/account")).header(COOKIE, &cookie)
                }
                _ => {
                    let token = match send(
                        &run,
                        http.get(format!("{b}/api/csrf")).header(COOKIE, &cookie),
                    )
                    .await
                    {
                        Answer::Got(StatusCode::OK, _, body) => {
                            serde_json::from_str::<serde_json::Value>(&body).unwrap()["token"]
                                .as_str()
                                .unwrap()
                                .to_owned()
                        }
                        Answer::Got(status, ..) if status.is_server_error() => {
                            run.server_error(status);
                            continue;
                        }
                        Answer::Got(status, ..) => {
                            eprintln!("csrf answered {status} for a live session");
                            run.stats.lost.fetch_add(1, SeqCst);
                            break;
                        }
                        Answer::Cut => {
                            run.stats.cut.fetch_add(1, SeqCst);
                            pause_after_cut().await;
                            continue;
                        }
                    };
                    let req = if step != logout {
                        http.post(format!("{b}/api/preferences"))
                            .header(CONTENT_TYPE, "application/json")
                            .header("sec-fetch-site", "same-origin")
                            .body(r#"{"theme":"dark"}"#)
                    } else {
                        http.post(format!("{b}/api/logout"))
                    };
                    req.header(COOKIE, &cookie).header("x-csrf-token", token)
                }
            };
            match send(&run, req).await {
                Answer::Cut => {
                    run.stats.cut.fetch_add(1, SeqCst);
                    if step == logout {
                        // The logout may or may not have happened; the client cannot know.
                        run.record(i, &cookie, Told::Unknown);
                        break;
                    }
                    pause_after_cut().await;
                }
                Answer::Got(status, ..) if status.is_server_error() => {
                    run.server_error(status);
                    if step == logout {
                        // A 503 logout may have revoked the session before Redis went away
                        // with the reply: like a cut, the client cannot know.
                        run.record(i, &cookie, Told::Unknown);
                        break;
                    }
                }
                Answer::Got(status, _, body) if step % 2 == 0 && step != logout => {
                    if status != StatusCode::OK {
                        eprintln!("account answered {status} for a live session");
                        run.stats.lost.fetch_add(1, SeqCst);
                        break;
                    }
                    if !body.contains(&own_page) {
                        run.stats.wrong.fetch_add(1, SeqCst);
                    } else if !counted && born < run.generation.load(SeqCst) {
                        counted = true;
                        run.survivors.fetch_add(1, SeqCst);
                    }
                    step += 1;
                    // A person reads the page before the next click: sessions are held for a
                    // while, as real ones are, so a kill finds many of them.
                    tokio::time::sleep(run.think).await;
                }
                Answer::Got(status, ..) => {
                    if status != StatusCode::OK {
                        eprintln!("step {step} answered {status}");
                        run.stats.wrong.fetch_add(1, SeqCst);
                    }
                    if step == logout {
                        run.record(i, &cookie, Told::LoggedOut);
                        run.stats.cycles.fetch_add(1, SeqCst);
                    }
                    step += 1;
                    // A person reads the page before the next click: sessions are held for a
                    // while, as real ones are, so a kill finds many of them.
                    tokio::time::sleep(run.think).await;
                }
            }
        }
    }
}

/// Checks every ledger entry (or those in `only`) against the server: a live session opens its
/// own account page, a logged-out one is sent to the login page. Returns how many were checked.
async fn check_ledger(run: &Run, only: Option<&[(usize, String, Told)]>) -> (usize, usize) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let entries = match only {
        Some(e) => e.to_vec(),
        None => run.ledger.lock().unwrap().clone(),
    };
    let (mut live, mut out) = (0, 0);
    for (i, cookie, told) in &entries {
        let base = run.base(*i);
        let res = http
            .get(format!("{base}/account"))
            .header(COOKIE, cookie)
            .send()
            .await
            .expect("the server is up for the check");
        let status = res.status();
        let location = res.headers().get(LOCATION).cloned();
        let body = res.text().await.unwrap();
        let own = body.contains(&format!(
            r#"<strong id="account-email">{}</strong>"#,
            email(*i)
        ));
        match told {
            Told::Live => {
                assert!(
                    status == StatusCode::OK && own,
                    "client {i}: a session whose login reached the client answered {status}"
                );
                live += 1;
            }
            Told::LoggedOut => {
                assert_eq!(
                    (status, location.as_ref().and_then(|l| l.to_str().ok())),
                    (StatusCode::SEE_OTHER, Some("/login")),
                    "client {i}: a logout that reached the client was undone"
                );
                out += 1;
            }
            Told::Unknown => assert!(
                (status == StatusCode::OK && own) || status == StatusCode::SEE_OTHER,
                "client {i}: a session cut at logout answered {status}"
            ),
        }
    }
    (live, out)
}

/// What [`conduct`] observed.
struct Report {
    in_flight_at_kill: u64,
    checked_live: usize,
}

/// Starts the clients, kills mid-request at half time, restarts, pauses the clients while the
/// ledger as it stood at the kill is checked, lets them finish, and checks the whole ledger.
async fn conduct(
    bases: Vec<String>,
    outage_expected: bool,
    kill: impl FnOnce() + Send + 'static,
    restart: impl FnOnce() -> Option<(usize, String)> + Send + 'static,
) -> (Arc<Run>, Report) {
    let secs = env_or("LOAD_SECONDS", 8);
    let clients = env_or("LOAD_CLIENTS", 16) as usize;
    let run = Arc::new(Run {
        bases: RwLock::new(bases),
        ledger: Mutex::new(Vec::new()),
        stats: Stats::default(),
        outage: AtomicBool::new(false),
        generation: AtomicU64::new(0),
        rounds: env_or("LOAD_ROUNDS", 8) as usize,
        think: Duration::from_millis(env_or("LOAD_THINK_MS", 20)),
        survivors: AtomicU64::new(0),
        paused: AtomicBool::new(false),
        until: Instant::now() + Duration::from_secs(secs),
    });
    let tasks: Vec<_> = (0..clients)
        .map(|i| tokio::spawn(client(i, run.clone())))
        .collect();

    tokio::time::sleep(Duration::from_secs(secs / 2)).await;
    // Kill the moment requests are in flight (no gate, no draining), once some client holds a
    // session it was told is live, so the check after the restart has something to check.
    let live = |run: &Run| {
        run.ledger
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, _, t)| *t == Told::Live)
            .count()
    };
    // A quarter of the clients holding a session: most of a client's time goes to logging in
    // (Argon2 is bounded to one check per core), so this waits for a moment that has some.
    // That moment may not come (many clients queue for two password workers, so few hold a
    // session at once): after a few seconds one held session will do.
    let wanted = (clients / 4).max(1);
    let settle = Instant::now() + Duration::from_secs(5);
    let deadline = run.until;
    loop {
        let held = live(&run);
        let enough = held >= wanted || (Instant::now() > settle && held > 0);
        if run.stats.in_flight.load(SeqCst) > 0 && enough {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no request in flight with a live session"
        );
        tokio::task::yield_now().await;
    }
    let in_flight_at_kill = run.stats.in_flight.load(SeqCst);
    run.outage.store(outage_expected, SeqCst);
    tokio::task::spawn_blocking(kill).await.unwrap();
    let at_kill: Vec<_> = run.ledger.lock().unwrap().clone();
    // Let the clients meet the dead server for a moment (the app answers 503 meanwhile when
    // Redis is the one that died).
    tokio::time::sleep(Duration::from_millis(1500)).await;
    // Then pause the clients (what is in flight finishes or fails first), so the sessions the
    // clients held at the kill are still held when they are checked after the restart. The kill
    // itself was never gated.
    run.paused.store(true, SeqCst);
    while run.stats.in_flight.load(SeqCst) > 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    if let Some((slot, base)) = tokio::task::spawn_blocking(restart).await.unwrap() {
        run.bases.write().unwrap()[slot] = base;
    }
    // Wait until every instance answers again from its store. The probe is a signed cookie of
    // a session that was logged out: only a store lookup can answer it, with 303 once the store
    // answers (503 while Redis is still away). This also proves the app reconnected by itself.
    let probe = at_kill
        .iter()
        .find(|(_, _, t)| *t == Told::LoggedOut)
        .map(|(_, c, _)| c.clone());
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let reconnect_deadline = Instant::now() + Duration::from_secs(20);
    let bases = run.bases.read().unwrap().clone();
    for base in bases {
        loop {
            let mut req = http.get(format!("{base}/account"));
            if let Some(c) = &probe {
                req = req.header(COOKIE, c);
            }
            if req
                .send()
                .await
                .is_ok_and(|r| r.status() == StatusCode::SEE_OTHER)
            {
                break;
            }
            assert!(
                Instant::now() < reconnect_deadline,
                "{base} did not recover after the restart"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    // The sessions known at the kill, as the clients know them now: a logout in flight at the
    // kill may have taken effect with its answer lost, and its client has marked it Unknown.
    let held = {
        let ledger = run.ledger.lock().unwrap();
        at_kill
            .iter()
            .filter_map(|(_, cookie, _)| ledger.iter().find(|(_, c, _)| c == cookie))
            .filter(|(_, _, told)| *told != Told::Unknown)
            .cloned()
            .collect::<Vec<_>>()
    };
    let (checked_live, checked_logged_out) = check_ledger(&run, Some(&held)).await;
    run.outage.store(false, SeqCst);
    run.generation.store(1, SeqCst);
    run.paused.store(false, SeqCst);

    for t in tasks {
        t.await.unwrap();
    }
    let (all_live, all_out) = check_ledger(&run, None).await;
    let s = &run.stats;
    println!(
        "clients {clients}, {secs} s: cycles {}, requests {}, in flight at the kill {in_flight_at_kill}, \
         cut at the connection {}, 503 during the outage {}, logins 503 busy {}, other 5xx {}, wrong answers {}, live sessions refused {}; \
         checked after the restart: {checked_live} live and {checked_logged_out} logged out (of {} at the kill); \
         checked at the end: {all_live} live, {all_out} logged out; \
         sessions from before the kill that opened their account after it: {}",
        s.cycles.load(SeqCst),
        s.requests.load(SeqCst),
        s.cut.load(SeqCst),
        s.unavailable.load(SeqCst),
        s.busy.load(SeqCst),
        s.server_errors.load(SeqCst),
        s.wrong.load(SeqCst),
        s.lost.load(SeqCst),
        at_kill.len(),
        run.survivors.load(SeqCst),
    );
    (
        run,
        Report {
            in_flight_at_kill,
            checked_live,
        },
    )
}

fn assert_clean(run: &Run, report: &Report) {
    let s = &run.stats;
    assert!(
        report.in_flight_at_kill > 0,
        "no request was in flight at the kill: the run proved nothing"
    );
    assert!(
        report.checked_live + run.survivors.load(SeqCst) as usize > 0,
        "no session from before the kill was shown to work after it: the run proved nothing"
    );
    assert!(s.cycles.load(SeqCst) > 0, "no full cycle completed");
    assert_eq!(
        s.server_errors.load(SeqCst),
        0,
        "5xx other than the outage's 503"
    );
    assert_eq!(
        s.wrong.load(SeqCst),
        0,
        "wrong answers (another user's page or status)"
    );
    assert_eq!(s.lost.load(SeqCst), 0, "a live session was refused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_app_killed_mid_request_loses_nothing() {
    let clients = env_or("LOAD_CLIENTS", 16) as usize;
    let dir = tempfile::tempdir().unwrap();
    let first = spawn(dir.path(), clients, &[]);
    let bases = vec![first.base.clone()];
    let slot = Arc::new(Mutex::new(Some(first)));
    let (s1, s2) = (slot.clone(), slot.clone());
    let path = dir.path().to_owned();
    let (run, report) = conduct(
        bases,
        false,
        move || {
            let server = s1.lock().unwrap().take().unwrap();
            println!(
                "server peak resident memory before the kill: {} MiB",
                server.peak_mib()
            );
            drop(server); // SIGKILL, mid-request
        },
        move || {
            let again = spawn(&path, clients, &[]);
            let base = again.base.clone();
            *s2.lock().unwrap() = Some(again);
            Some((0, base))
        },
    )
    .await;
    if let Some(server) = slot.lock().unwrap().as_ref() {
        println!(
            "restarted server peak resident memory: {} MiB",
            server.peak_mib()
        );
    }
    assert_clean(&run, &report);
    assert!(
        run.stats.cut.load(SeqCst) > 0,
        "the kill cut no request: the run proved nothing"
    );
    assert_eq!(run.stats.unavailable.load(SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_mid_request_answers_503_and_loses_nothing() {
    let Some(redis) = RedisServer::start_persistent() else {
        return;
    };
    let clients = env_or("LOAD_CLIENTS", 16) as usize;
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let url = [("REDIS_URL", redis.url())];
    let a = spawn(d1.path(), clients, &url);
    let b = spawn(d2.path(), clients, &url);
    let redis = Arc::new(Mutex::new(redis));
    let (r1, r2) = (redis.clone(), redis.clone());
    let (run, report) = conduct(
        vec![a.base.clone(), b.base.clone()],
        true,
        move || r1.lock().unwrap().kill(), // SIGKILL redis-server, mid-request
        move || {
            r2.lock().unwrap().restart();
            None
        },
    )
    .await;
    println!(
        "instance peak resident memory: {} MiB and {} MiB",
        a.peak_mib(),
        b.peak_mib()
    );
    assert_clean(&run, &report);
    assert!(
        run.stats.unavailable.load(SeqCst) > 0,
        "no request met the outage: the run proved nothing"
    );
    assert_eq!(
        run.stats.cut.load(SeqCst),
        0,
        "the app stayed up: no request may fail at the connection"
    );
    drop((a, b));
}
