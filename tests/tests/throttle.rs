//! Login throttling over real HTTP. Each test speaks from its own loopback addresses
//! (`127.0.0.x`), so the per-address limits see distinct clients.

use std::time::{Duration, Instant};

use cookie_contract_harness::http::{DEMO_LOGIN, Visitor, client_from};
use cookie_contract_harness::redis::RedisServer;
use cookie_contract_tests::app::{OTHER_EMAIL, OTHER_PASSWORD, TestApp};
use reqwest::StatusCode;
use reqwest::header::RETRY_AFTER;

const WRONG: &str = r#"{"email":"masa@example.com","password":"wrong password"}"#;

fn other_login() -> String {
    format!(r#"{{"email":"{OTHER_EMAIL}","password":"{OTHER_PASSWORD}"}}"#)
}

/// Status and `Retry-After` (seconds) of one JSON login from `ip`.
async fn login(base: &str, ip: &str, body: &str) -> (StatusCode, Option<u64>, usize) {
    let res = client_from(ip)
        .post(format!("{base}/api/login"))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let retry = res
        .headers()
        .get(RETRY_AFTER)
        .map(|v| v.to_str().unwrap().parse().unwrap());
    let cookies = res.headers().get_all("set-cookie").iter().count();
    (res.status(), retry, cookies)
}

#[tokio::test]
async fn wrong_passwords_reach_429_and_the_account_waits_while_others_do_not() {
    let app = TestApp::start(None).await;
    let ip = "127.0.0.2";
    // Five free failures, then a sixth that starts a one-second wait.
    for n in 1..=6 {
        assert_eq!(
            login(&app.base, ip, WRONG).await.0,
            StatusCode::UNAUTHORIZED,
            "failure {n}"
        );
    }
    let (status, retry, cookies) = login(&app.base, ip, WRONG).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(retry.is_some_and(|s| s >= 1), "{retry:?}");
    assert_eq!(cookies, 0);

    // The right password is refused too, unchecked, until the wait is over.
    let (status, retry, cookies) = login(&app.base, ip, DEMO_LOGIN).await;
    assert_eq!((status, cookies), (StatusCode::TOO_MANY_REQUESTS, 0));
    // Another account from the same address is not affected.
    assert_eq!(login(&app.base, ip, &other_login()).await.0, StatusCode::OK);

    tokio::time::sleep(Duration::from_millis(retry.unwrap() * 1000 + 200)).await;
    let (status, _, cookies) = login(&app.base, ip, DEMO_LOGIN).await;
    assert_eq!((status, cookies), (StatusCode::OK, 1), "the wait is over");
    // A success forgets the failures: one more mistake is free again.
    assert_eq!(
        login(&app.base, ip, WRONG).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(login(&app.base, ip, DEMO_LOGIN).await.0, StatusCode::OK);
}

#[tokio::test]
async fn one_address_trying_many_accounts_is_throttled() {
    let app = TestApp::start(None).await;
    let ip = "127.0.0.3";
    for n in 1..=21 {
        let body = format!(r#"{{"email":"user{n}@example.com","password":"guess"}}"#);
        assert_eq!(
            login(&app.base, ip, &body).await.0,
            StatusCode::UNAUTHORIZED,
            "failure {n}"
        );
    }
    // The address waits, whatever account it names, the right password included...
    assert_eq!(
        login(&app.base, ip, DEMO_LOGIN).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    // ...while the same account from another address is fine.
    assert_eq!(
        login(&app.base, "127.0.0.4", DEMO_LOGIN).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_throttle_holds_across_two_instances_on_redis() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let a = TestApp::start(Some(redis.url())).await;
    let b = TestApp::start(Some(redis.url())).await;
    let ip = "127.0.0.5";
    for n in 1..=6 {
        let base = if n % 2 == 0 { &a.base } else { &b.base };
        assert_eq!(
            login(base, ip, WRONG).await.0,
            StatusCode::UNAUTHORIZED,
            "failure {n}"
        );
    }
    for base in [&a.base, &b.base] {
        assert_eq!(
            login(base, ip, DEMO_LOGIN).await.0,
            StatusCode::TOO_MANY_REQUESTS,
            "{base}"
        );
    }
}

/// Forty bad logins sent at once from one address take one password worker (one check in
/// flight per address; the others are answered 429 at once), so a good login from elsewhere is
/// not queued behind them. The time it took is printed (RESILIENCE.md records it), not asserted.
#[tokio::test]
async fn a_good_login_is_not_starved_by_forty_bad_ones_in_flight() {
    let app = TestApp::start(None).await;
    let attacker = "127.0.0.6";
    let bad: Vec<_> = (0..40)
        .map(|n| {
            let base = app.base.clone();
            tokio::spawn(async move {
                let body = format!(r#"{{"email":"victim{n}@example.com","password":"guess"}}"#);
                login(&base, attacker, &body).await.0
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(5)).await;
    let started = Instant::now();
    let mut good = Visitor::new(&app.base).from_address("127.0.0.7");
    good.login().await;
    let took = started.elapsed();
    let mut refused = 0;
    for task in bad {
        match task.await.unwrap() {
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            StatusCode::UNAUTHORIZED => {}
            other => panic!("a bad login answered {other}"),
        }
    }
    println!(
        "good login took {took:?} with 40 bad logins in flight ({refused} answered 429 at once)"
    );
    assert!(refused > 0, "no bad login was refused without a check");
    assert_eq!(good.account_status().await.0, StatusCode::OK);
}
