//! Session upkeep in the example app: the idle clock is refreshed by every authenticated request
//! (not only the account page), at most once a minute per session, and the SQLite file that
//! names every session is readable by its owner only.

use axum_app::store::{IDLE_TIMEOUT, SessionRecord, SessionStore, TOUCH_INTERVAL};
use cookie_contract::{KeyRing, SessionToken};
use cookie_contract_harness::http::{Visitor, cookie_pair};
use cookie_contract_tests::app::{SECRET, TestApp};
use reqwest::StatusCode;

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The idle clock the store holds for `token`'s session.
async fn last_seen(app: &TestApp, token: &SessionToken) -> u64 {
    let record = app.state.store.get(&token.hash()).await.unwrap();
    record.expect("the session is still stored").last_seen
}

/// A visitor holding a session whose record says `created_at` and `last_seen`.
async fn visitor_with(app: &TestApp, created_at: u64, last_seen: u64) -> (Visitor, SessionToken) {
    let token = SessionToken::new();
    let record = SessionRecord {
        user: "masa@example.com".into(),
        created_at,
        last_seen,
    };
    app.state
        .store
        .create(&token.hash(), &record)
        .await
        .unwrap();
    let keys = KeyRing::new(SECRET.as_bytes()).unwrap();
    let mut jar = axum_app::AppCookiesJar::from_headers(&http::HeaderMap::new(), &keys);
    jar.set_session(&token).unwrap();
    let line = jar.set_cookie_headers()[0].to_str().unwrap().to_owned();
    let value = cookie_pair(&line).split_once('=').unwrap().1.to_owned();
    let mut v = Visitor::new(&app.base);
    v.cookies.values.insert("__Host-session".into(), value);
    (v, token)
}

#[tokio::test]
async fn every_authenticated_request_refreshes_the_idle_clock() {
    let app = TestApp::start(None).await;
    for path in ["/", "/login", "/cookies", "/api/csrf"] {
        // Idle for all but a minute of the timeout: one more request keeps the session alive.
        let t = now();
        let (mut v, token) = visitor_with(&app, t - 600, t - IDLE_TIMEOUT + 60).await;
        let (status, ..) = v.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let seen = last_seen(&app, &token).await;
        assert!(
            seen >= t,
            "{path} did not refresh the idle clock ({seen} < {t})"
        );
        assert_eq!(v.account_status().await.0, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn the_idle_clock_is_written_at_most_once_a_minute() {
    let app = TestApp::start(None).await;
    let t = now();
    let recent = t - TOUCH_INTERVAL / 2;
    let (mut v, token) = visitor_with(&app, t - 600, recent).await;
    assert_eq!(v.get("/").await.0, StatusCode::OK);
    let seen = last_seen(&app, &token).await;
    assert_eq!(seen, recent, "written again within TOUCH_INTERVAL");
}

#[cfg(unix)]
#[tokio::test]
async fn the_sessions_file_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt as _;
    let app = TestApp::start(None).await;
    Visitor::new(&app.base).login().await;
    for name in ["sessions.sqlite3", "sessions.sqlite3-wal"] {
        let path = app.dir.path().join(name);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{name} is {mode:o}");
    }
}

#[test]
fn config_debug_shows_no_secret() {
    let config = axum_app::Config::from_vars(|k| match k {
        "SESSION_SECRET" => Some("a secret that must never be logged, 32+".into()),
        "SESSION_SECRET_PREVIOUS" => Some("an older secret that must stay hidden too".into()),
        "DEMO_USERS" => Some("ops@example.com:operator-password-123".into()),
        "REDIS_URL" => Some("redis://:redis-password@127.0.0.1:6379/".into()),
        _ => None,
    })
    .unwrap();
    let shown = format!("{config:?}");
    for secret in [
        "never be logged",
        "stay hidden",
        "operator-password-123",
        "redis-password",
    ] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert!(shown.contains("ops@example.com"), "{shown}");
}
