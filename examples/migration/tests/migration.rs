//! Migrating a live application from axum-extra's `SignedCookieJar` to cookie-contract without
//! logging anyone out, with real processes on the same data:
//!
//! 1. v1 (axum-extra, a cookie-rs `Key`) logs clients in;
//! 2. v2 (cookie-contract, v1's key as a legacy key) answers every one of them as logged in and
//!    re-issues each session cookie in its own format in that response; a client that then
//!    drops the old cookie stays logged in;
//! 3. v3 (v2 with the legacy key retired) refuses an old-format value and still accepts the
//!    re-issued ones.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use cookie_contract_harness::http::{client, cookie_pair, set_cookie_lines};
use cookie_contract_harness::process::spawn_reporting;
use reqwest::StatusCode;
use reqwest::header::COOKIE;

const V1_KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\
                      fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
const SECRET: &str = "the new secret of the migrated application";

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(bin: &str, data: &std::path::Path, env: &[(&str, &str)]) -> Server {
    let mut cmd = Command::new(bin);
    cmd.env_clear()
        .env("DATA_DIR", data)
        .stderr(Stdio::inherit());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let (child, base) = spawn_reporting(&mut cmd, "listening on ", Duration::from_secs(30));
    Server { child, base }
}

/// `GET /me` with `cookie`: the status, the body and the `Set-Cookie` lines.
async fn me(base: &str, cookie: &str) -> (StatusCode, String, Vec<String>) {
    let res = client()
        .get(format!("{base}/me"))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap();
    let (status, lines) = (res.status(), set_cookie_lines(res.headers()));
    (status, res.text().await.unwrap(), lines)
}

#[tokio::test]
async fn migrating_from_axum_extra_logs_nobody_out() {
    let data = tempfile::tempdir().unwrap();
    let clients = 8;

    // 1. v1 logs the clients in.
    let v1 = start(env!("CARGO_BIN_EXE_v1"), data.path(), &[("V1_KEY", V1_KEY)]);
    let mut old = Vec::new();
    for i in 0..clients {
        let res = client()
            .post(format!("{}/login", v1.base))
            .body(format!("user{i}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let lines = set_cookie_lines(res.headers());
        let pair = cookie_pair(&lines[0]).to_owned();
        assert_eq!(me(&v1.base, &pair).await.1, format!("user{i}"));
        old.push(pair);
    }
    drop(v1);

    // 2. v2, with v1's key as a legacy key: every client is still logged in, and gets its
    //    cookie back in the new format in the same response.
    let v2 = start(
        env!("CARGO_BIN_EXE_v2"),
        data.path(),
        &[("SESSION_SECRET", SECRET), ("LEGACY_KEY", V1_KEY)],
    );
    let mut new = Vec::new();
    for (i, pair) in old.iter().enumerate() {
        let (status, user, lines) = me(&v2.base, pair).await;
        assert_eq!(
            (status, user.as_str()),
            (StatusCode::OK, format!("user{i}").as_str())
        );
        assert_eq!(lines.len(), 1, "re-issued in the same response: {lines:?}");
        assert!(
            lines[0].ends_with("; Path=/; Max-Age=28800; HttpOnly; Secure; SameSite=Lax"),
            "{}",
            lines[0]
        );
        let reissued = cookie_pair(&lines[0]).to_owned();
        assert_ne!(&reissued, pair, "a new format, not the old value");
        // The browser replaces the old cookie (same name and scope): only the new one is sent.
        let (status, user, lines) = me(&v2.base, &reissued).await;
        assert_eq!((status, user), (StatusCode::OK, format!("user{i}")));
        assert!(lines.is_empty(), "a current cookie is not re-issued again");
        new.push(reissued);
    }
    drop(v2);

    // 3. v3: the legacy key retired. Old-format values are refused; re-issued ones work.
    let v3 = start(
        env!("CARGO_BIN_EXE_v2"),
        data.path(),
        &[("SESSION_SECRET", SECRET)],
    );
    for (i, (old, new)) in old.iter().zip(&new).enumerate() {
        assert_eq!(
            me(&v3.base, old).await.0,
            StatusCode::UNAUTHORIZED,
            "client {i}"
        );
        assert_eq!(
            me(&v3.base, new).await,
            (StatusCode::OK, format!("user{i}"), Vec::new())
        );
    }
}
