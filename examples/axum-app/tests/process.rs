//! The real binary as separate processes: sessions survive a SIGKILL and restart on SQLite (with
//! the development secret kept in DATA_DIR), and two instances share sessions through Redis.

#[path = "../../../tests/src/harness.rs"]
mod harness;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use harness::{Cookies, RedisServer, client, free_port};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE};

struct Instance {
    child: Child,
    base: String,
}

impl Instance {
    fn start(data_dir: &std::path::Path, extra: &[(&str, &str)]) -> Instance {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_axum-app"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("BIND", format!("127.0.0.1:{port}"))
            .env("PUBLIC_ORIGIN", &base)
            .env("DATA_DIR", data_dir)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("the app binary starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
                use std::io::{Read, Write};
                let _ =
                    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                let mut out = String::new();
                let _ = s.read_to_string(&mut out);
                if out.starts_with("HTTP/1.1 200") {
                    break;
                }
            }
            assert!(
                Instant::now() < deadline,
                "the app did not become healthy on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Instance { child, base }
    }

    /// SIGKILL: no graceful shutdown, no flushing.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn login(base: &str, cookies: &mut Cookies) {
    let res = client()
        .post(format!("{base}/api/login"))
        .header(CONTENT_TYPE, "application/json")
        .body(r#"{"email":"masa@example.com","password":"correct-horse-battery-staple"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    cookies.absorb(res.headers());
}

async fn account(base: &str, cookies: &Cookies) -> StatusCode {
    client()
        .get(format!("{base}/account"))
        .header(COOKIE, cookies.header().unwrap_or_default())
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn sessions_survive_a_killed_process_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let app = Instance::start(dir.path(), &[]);
    let mut cookies = Cookies::default();
    login(&app.base, &mut cookies).await;
    assert_eq!(account(&app.base, &cookies).await, StatusCode::OK);
    app.kill();

    let again = Instance::start(dir.path(), &[]);
    assert!(
        dir.path().join("secret.key").is_file(),
        "the development secret is kept"
    );
    assert_eq!(account(&again.base, &cookies).await, StatusCode::OK);
}

#[tokio::test]
async fn production_refuses_to_start_without_a_long_secret() {
    let dir = tempfile::tempdir().unwrap();
    for secret in [None, Some("too short")] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_axum-app"));
        cmd.env_clear()
            .env("APP_ENV", "production")
            .env("DATA_DIR", dir.path())
            .env("BIND", format!("127.0.0.1:{}", free_port()));
        if let Some(s) = secret {
            cmd.env("SESSION_SECRET", s);
        }
        let out = cmd.output().unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("SESSION_SECRET"), "{stderr}");
    }
    assert!(
        !dir.path().join("secret.key").exists(),
        "production never generates a secret"
    );
}

#[tokio::test]
async fn two_instances_share_sessions_through_redis() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let url = redis.url();
    let secret = (
        "SESSION_SECRET",
        "a shared secret for both instances, 32+ bytes",
    );
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = Instance::start(d1.path(), &[("REDIS_URL", &url), secret]);
    let b = Instance::start(d2.path(), &[("REDIS_URL", &url), secret]);

    let mut cookies = Cookies::default();
    login(&a.base, &mut cookies).await;
    assert_eq!(
        account(&b.base, &cookies).await,
        StatusCode::OK,
        "logged in on A, known on B"
    );

    // Log out on B (with B's CSRF token), refused on A.
    let res = client()
        .get(format!("{}/api/csrf", b.base))
        .header(COOKIE, cookies.header().unwrap())
        .send()
        .await
        .unwrap();
    let token: serde_json::Value = res.json().await.unwrap();
    let res = client()
        .post(format!("{}/api/logout", b.base))
        .header(COOKIE, cookies.header().unwrap())
        .header("x-csrf-token", token["token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        account(&a.base, &cookies).await,
        StatusCode::SEE_OTHER,
        "logged out on B, refused on A"
    );
}
