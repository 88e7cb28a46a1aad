//! End-to-end: the example app over real HTTP on loopback, `Set-Cookie` checked byte for byte.

use axum_app::AppCookies;
use axum_app::store::{ABSOLUTE_TIMEOUT, IDLE_TIMEOUT, SessionRecord, SessionStore};
use cookie_contract::{Inventory, KeyRing, SessionToken};
use cookie_contract_harness::http::{
    DEMO_LOGIN as LOGIN, Visitor, client, cookie_pair, set_cookie_lines,
};
use cookie_contract_tests::app::{SECRET, TestApp, longest_notice_email};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, LOCATION};

const SESSION_SUFFIX: &str = "; Path=/; Max-Age=28800; HttpOnly; Secure; SameSite=Lax";
const FLASH_SUFFIX: &str = "; Path=/; Max-Age=300; HttpOnly; Secure; SameSite=Lax";
const FLASH_REMOVAL: &str = "__Host-flash=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax";
const SESSION_REMOVAL: &str = "__Host-session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax";

#[tokio::test]
async fn login_sets_exactly_the_declared_session_cookie() {
    let app = TestApp::start(None).await;
    // The seed's curl command, verbatim: no Origin, no Sec-Fetch-Site, JSON body.
    let res = client()
        .post(app.url("/api/login"))
        .header(CONTENT_TYPE, "application/json")
        .body(LOGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let lines = set_cookie_lines(res.headers());
    assert_eq!(lines.len(), 1);
    let (pair, suffix) = lines[0].split_once(';').unwrap();
    assert_eq!(format!(";{suffix}"), SESSION_SUFFIX);
    let value = pair.strip_prefix("__Host-session=").unwrap();
    let (token, mac) = value.split_once('.').unwrap();
    assert_eq!((token.len(), mac.len()), (43, 43));
    assert!(
        value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    );
}

#[tokio::test]
async fn logout_without_a_session_still_clears_with_the_same_scope() {
    let app = TestApp::start(None).await;
    // The seed's `curl -i -X POST http://localhost:3000/api/logout`.
    let res = client().post(app.url("/api/logout")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(set_cookie_lines(res.headers()), [SESSION_REMOVAL]);
}

#[tokio::test]
async fn bad_logins_set_no_cookie() {
    let app = TestApp::start(None).await;
    let mut v = Visitor::new(&app.base);
    for (body, ctype, expect) in [
        (
            r#"{"email":"masa@example.com","password":"wrong"}"#,
            "application/json",
            StatusCode::UNAUTHORIZED,
        ),
        (
            r#"{"email":"nobody@example.com","password":"correct-horse-battery-staple"}"#,
            "application/json",
            StatusCode::UNAUTHORIZED,
        ),
        (
            r#"{"email":"masa@example.com""#,
            "application/json",
            StatusCode::BAD_REQUEST,
        ),
        (
            r#"{"email":1}"#,
            "application/json",
            StatusCode::BAD_REQUEST,
        ),
        (
            "email=masa%40example.com",
            "application/x-www-form-urlencoded",
            StatusCode::BAD_REQUEST,
        ),
        (LOGIN, "text/plain", StatusCode::BAD_REQUEST),
    ] {
        let req = v
            .http
            .post(app.url("/api/login"))
            .header(CONTENT_TYPE, ctype)
            .body(body);
        let (status, lines, ..) = v.send(req).await;
        assert_eq!((status, lines.len()), (expect, 0), "{body} as {ctype}");
    }
}

/// The form logs in with a browser-session cookie unless "Keep me signed in" is ticked; then
/// the cookie lives for its declared 8 hours. Both lines are exact.
#[tokio::test]
async fn form_login_redirects_to_the_account_with_the_chosen_lifetime() {
    let app = TestApp::start(None).await;
    for (remember, suffix) in [
        ("", "; Path=/; HttpOnly; Secure; SameSite=Lax"),
        ("&remember=true", SESSION_SUFFIX),
    ] {
        let mut v = Visitor::new(&app.base);
        let (status, lines, _, headers) = v
            .post_form(
                "/api/login",
                &format!(
                    "email=masa%40example.com&password=correct-horse-battery-staple{remember}"
                ),
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(headers[LOCATION], "/account");
        assert_eq!(
            lines.len(),
            2,
            "the session and the one-time notice: {lines:?}"
        );
        let value = v.cookies.get("__Host-session").unwrap();
        assert_eq!(
            lines[0],
            format!("__Host-session={value}{suffix}"),
            "{remember:?}"
        );
        // The notice names the account, so it is sealed: the address is not in the cookie.
        let flash = v.cookies.get("__Host-flash").unwrap().to_owned();
        assert_eq!(lines[1], format!("__Host-flash={flash}{FLASH_SUFFIX}"));
        assert!(!flash.contains("masa"), "{flash}");
        let (status, lines, body, headers) = v.get("/account").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["cache-control"], "no-store");
        assert!(
            body.contains(r#"<p id="flash" role="status">Signed in as masa@example.com.</p>"#),
            "{body}"
        );
        // Shown once: the page that shows it removes it.
        assert_eq!(lines, [FLASH_REMOVAL]);
        let (_, lines, body, _) = v.get("/account").await;
        assert!(!body.contains("id=\"flash\""));
        assert!(lines.is_empty(), "{lines:?}");
    }
}

#[tokio::test]
async fn a_cookie_sent_before_login_is_never_adopted() {
    let app = TestApp::start(None).await;
    // The attacker logs in and plants their own valid session cookie in the victim's browser.
    let mut attacker = Visitor::new(&app.base);
    let planted = attacker.login().await;
    let mut victim = Visitor::new(&app.base);
    victim
        .cookies
        .values
        .insert("__Host-session".into(), planted.clone());
    let fresh = victim.login().await;
    assert_ne!(fresh, planted);
    // The planted session was revoked by the victim's login; the attacker holds nothing.
    assert_eq!(
        attacker.account_status().await,
        (StatusCode::SEE_OTHER, Some("/login".into()))
    );
    assert_eq!(victim.account_status().await.0, StatusCode::OK);

    // An unsigned or forged pre-login value is not adopted either: the app mints a new token,
    // and the forged one names no session.
    let forged = SessionToken::new();
    for value in [
        forged.to_base64(),
        format!("{}.{}", forged.to_base64(), "A".repeat(43)),
    ] {
        let mut other = Visitor::new(&app.base);
        other.cookies.values.insert("__Host-session".into(), value);
        let fresh = other.login().await;
        let minted = session_token(&app, &fresh).expect("the new cookie verifies");
        assert_ne!(
            minted.to_base64(),
            forged.to_base64(),
            "forged token adopted"
        );
        assert!(
            app.state.store.get(&forged.hash()).await.unwrap().is_none(),
            "the forged token names a session"
        );
        assert_eq!(
            app.state
                .store
                .get(&minted.hash())
                .await
                .unwrap()
                .unwrap()
                .user,
            "masa@example.com"
        );
    }
}

/// The session token inside a `__Host-session` value, verified with the app's keys.
fn session_token(app: &TestApp, value: &str) -> Option<SessionToken> {
    let mut h = http::HeaderMap::new();
    h.insert(
        http::header::COOKIE,
        format!("__Host-session={value}").parse().unwrap(),
    );
    axum_app::AppCookiesJar::from_headers(&h, &app.state.keys).session()
}

/// A logout that carries the session cookie twice (the real one and one planted by a sibling
/// subdomain, or two scopes) ends both sessions: neither copy opens the account afterwards.
#[tokio::test]
async fn logout_with_a_duplicated_session_cookie_revokes_every_copy() {
    let app = TestApp::start(None).await;
    let mine = Visitor::new(&app.base).login().await;
    let planted = Visitor::new(&app.base).login().await;
    let res = client()
        .post(app.url("/api/logout"))
        .header("sec-fetch-site", "same-origin")
        .header(
            reqwest::header::COOKIE,
            format!("__Host-session={mine}; __Host-session={planted}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(set_cookie_lines(res.headers()), [SESSION_REMOVAL]);
    for session in [mine, planted] {
        let mut v = Visitor::new(&app.base);
        v.cookies.values.insert("__Host-session".into(), session);
        assert_eq!(
            v.account_status().await,
            (StatusCode::SEE_OTHER, Some("/login".into())),
            "a copy survived the logout"
        );
    }
}

#[tokio::test]
async fn logout_revokes_server_side_and_the_old_cookie_is_refused() {
    let app = TestApp::start(None).await;
    let mut v = Visitor::new(&app.base);
    let session = v.login().await;
    let token = v.csrf().await;
    let (status, lines, ..) = v.post_json("/api/logout", "{}", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(lines, [SESSION_REMOVAL]);
    // Replay the old cookie.
    let mut replay = Visitor::new(&app.base);
    replay
        .cookies
        .values
        .insert("__Host-session".into(), session);
    assert_eq!(
        replay.account_status().await,
        (StatusCode::SEE_OTHER, Some("/login".into()))
    );
}

#[tokio::test]
async fn forged_and_unsigned_session_cookies_are_refused() {
    let app = TestApp::start(None).await;
    let mut v = Visitor::new(&app.base);
    let real = v.login().await;
    let (token, _) = real.split_once('.').unwrap();
    let forged_mac = format!("{token}.{}", "A".repeat(43));
    let other_key = {
        let keys = KeyRing::new(b"another secret that is 32 bytes long").unwrap();
        let mut jar = axum_app::AppCookiesJar::from_headers(&http::HeaderMap::new(), &keys);
        jar.set_session(&SessionToken::new()).unwrap();
        let line = jar.set_cookie_headers()[0].to_str().unwrap().to_owned();
        cookie_pair(&line).split_once('=').unwrap().1.to_owned()
    };
    for value in [
        token.to_owned(),
        forged_mac,
        other_key,
        "garbage".into(),
        String::new(),
    ] {
        let mut attacker = Visitor::new(&app.base);
        attacker
            .cookies
            .values
            .insert("__Host-session".into(), value.clone());
        let (status, location) = attacker.account_status().await;
        assert_eq!(
            (status, location.as_deref()),
            (StatusCode::SEE_OTHER, Some("/login")),
            "{value}"
        );
    }
}

#[tokio::test]
async fn expired_sessions_are_refused_and_revoked() {
    let app = TestApp::start(None).await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let keys = KeyRing::new(SECRET.as_bytes()).unwrap();
    for record in [
        SessionRecord {
            user: "masa@example.com".into(),
            created_at: now - 600,
            last_seen: now - IDLE_TIMEOUT - 1,
        },
        SessionRecord {
            user: "masa@example.com".into(),
            created_at: now - ABSOLUTE_TIMEOUT - 1,
            last_seen: now - 1,
        },
    ] {
        let token = SessionToken::new();
        app.state
            .store
            .create(&token.hash(), &record)
            .await
            .unwrap();
        let mut jar = axum_app::AppCookiesJar::from_headers(&http::HeaderMap::new(), &keys);
        jar.set_session(&token).unwrap();
        let pair = cookie_pair(jar.set_cookie_headers()[0].to_str().unwrap()).to_owned();
        let mut v = Visitor::new(&app.base);
        v.cookies.values.insert(
            "__Host-session".into(),
            pair.split_once('=').unwrap().1.to_owned(),
        );
        assert_eq!(v.account_status().await.0, StatusCode::SEE_OTHER);
        assert_eq!(
            app.state.store.get(&token.hash()).await.unwrap(),
            None,
            "revoked on the way"
        );
        assert!(
            v.cookies.get("__Host-session").is_none(),
            "the dead cookie is cleared"
        );
    }
}

#[tokio::test]
async fn state_changes_need_the_session_bound_token_and_a_same_origin_request() {
    let app = TestApp::start(None).await;
    let mut v = Visitor::new(&app.base);
    v.login().await;
    let token = v.csrf().await;
    let mut other = Visitor::new(&app.base);
    other.login().await;
    let other_token = other.csrf().await;
    let body = r#"{"theme":"dark"}"#;

    // Without a token, with another session's token: 403, nothing set.
    for t in [None, Some(other_token.as_str()), Some("not-a-token")] {
        let (status, lines, ..) = v.post_json("/api/preferences", body, t).await;
        assert_eq!((status, lines.len()), (StatusCode::FORBIDDEN, 0), "{t:?}");
    }
    // With the right token but from another origin: 403, nothing set.
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "http://evil.example"),
    ] {
        let mut req = v
            .http
            .post(app.url("/api/preferences"))
            .header(CONTENT_TYPE, "application/json")
            .header("x-csrf-token", &token)
            .body(body);
        req = req.header(name, value);
        let (status, lines, ..) = v.send(req).await;
        assert_eq!(
            (status, lines.len()),
            (StatusCode::FORBIDDEN, 0),
            "{name}: {value}"
        );
    }
    // Logout without a token is refused too: the session survives.
    let (status, ..) = v.post_json("/api/logout", "{}", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(v.account_status().await.0, StatusCode::OK);
    assert!(v.cookies.get("theme").is_none());

    // The genuine request works.
    let (status, lines, ..) = v.post_json("/api/preferences", body, Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        lines
            .iter()
            .any(|l| l == "theme=dark; Path=/; Max-Age=31536000; Secure; SameSite=Lax"),
        "{lines:?}"
    );
}

#[tokio::test]
async fn csrf_endpoint_needs_a_session() {
    let app = TestApp::start(None).await;
    let mut v = Visitor::new(&app.base);
    assert_eq!(v.get("/api/csrf").await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn nothing_sets_analytics_before_consent() {
    let app = TestApp::start(None).await;
    let mut v = Visitor::new(&app.base);
    let mut all = Vec::new();
    for path in [
        "/",
        "/login",
        "/cookies",
        "/cookies.json",
        "/free.pdf",
        "/healthz",
        "/account",
    ] {
        all.extend(v.get(path).await.1);
    }
    v.login().await;
    for path in ["/", "/account", "/api/csrf"] {
        all.extend(v.get(path).await.1);
    }
    assert!(!all.iter().any(|l| l.starts_with("_ga=")), "{all:?}");
    assert!(v.cookies.get("_ga").is_none());
}

#[tokio::test]
async fn rejecting_tracking_keeps_the_site_working() {
    let app = TestApp::start(None).await;
    let mut v = Visitor::new(&app.base);
    // Preferences yes, analytics and advertising no.
    let (status, lines, ..) = v
        .post_json(
            "/api/consent",
            r#"{"preferences":true,"analytics":false,"advertising":false}"#,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(lines[0].starts_with("__Host-consent=1.100."));
    let (status, _, pdf, headers) = v.get("/free.pdf").await;
    assert_eq!(
        (status, &headers[CONTENT_TYPE]),
        (
            StatusCode::OK,
            &"application/pdf"
                .parse::<reqwest::header::HeaderValue>()
                .unwrap()
        )
    );
    assert!(pdf.starts_with("%PDF-1.4"));
    v.login().await;
    let token = v.csrf().await;
    let (status, lines, ..) = v
        .post_json(
            "/api/preferences",
            r#"{"theme":"dark","locale":"de"}"#,
            Some(&token),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        lines,
        [
            "theme=dark; Path=/; Max-Age=31536000; Secure; SameSite=Lax",
            "locale=de; Path=/; Max-Age=31536000; Secure; SameSite=Lax"
        ]
    );
    assert!(v.cookies.get("_ga").is_none());

    // Reject everything: login and the download still work.
    let mut w = Visitor::new(&app.base);
    let (status, ..) = w
        .post_form("/api/consent", "choice=reject&return_to=%2F")
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(w.get("/free.pdf").await.0, StatusCode::OK);
    w.login().await;
    assert_eq!(w.account_status().await.0, StatusCode::OK);
    assert!(w.cookies.get("_ga").is_none() && w.cookies.get("theme").is_none());
}

#[tokio::test]
async fn analytics_after_accept_and_cleared_with_its_scope_on_withdrawal() {
    let app = TestApp::start(None).await;
    let mut v = Visitor::new(&app.base);
    let (status, lines, _, headers) = v
        .post_form("/api/consent", "choice=accept&return_to=%2Fcookies")
        .await;
    assert_eq!(
        (status, &headers[LOCATION]),
        (
            StatusCode::SEE_OTHER,
            &"/cookies".parse::<reqwest::header::HeaderValue>().unwrap()
        )
    );
    let ga = lines
        .iter()
        .find(|l| l.starts_with("_ga="))
        .expect("analytics id set on accept");
    assert!(
        ga.ends_with("; Path=/; Max-Age=33696000; Secure; SameSite=Lax"),
        "{ga}"
    );
    // Withdraw: the removal has exactly the declared scope.
    let (_, lines, ..) = v.post_form("/api/consent", "choice=reject").await;
    assert!(
        lines.contains(
            &"_ga=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; SameSite=Lax"
                .to_owned()
        ),
        "{lines:?}"
    );
    assert!(v.cookies.get("_ga").is_none());
}

/// Every `return_to` that is not a plain local path is refused with 400 before anything
/// changes (no consent cookie, no preference cookie), on both routes that redirect; a plain
/// path redirects there. The targets are form-encoded as a browser sends them, so `%09` arrives
/// as a TAB and `%2509` as the text `%09`.
#[tokio::test]
async fn open_redirects_are_refused_before_any_state_change() {
    let app = TestApp::start(None).await;
    let attacks = [
        "%2F%09%2Fevil.example%2F", // TAB: browsers strip it, leaving //evil.example/
        "%2F%0D%2Fevil.example",    // CR
        "%2F%0A%2Fevil.example",    // LF
        "%2F%7F%2Fevil.example",    // DEL
        "%2F%5Cevil.example",       // /\
        "%5C%5Cevil.example",       // \\
        "%2F%2Fevil.example",       // //
        "https%3A%2F%2Fevil.example",
        "https%3Aevil.example",
        "%2F%2509%2Fevil.example", // percent-encoded TAB, as text
        "%2F%252F%2Fevil.example",
        "%2F+%2Fevil.example", // a space
        "account",
    ];
    for route in ["/api/consent", "/api/preferences"] {
        for target in attacks {
            let mut v = Visitor::new(&app.base);
            let (status, lines, body, headers) = v
                .post_form(
                    route,
                    &format!("choice=accept&theme=dark&return_to={target}"),
                )
                .await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{route} {target}: {body}");
            assert!(headers.get(LOCATION).is_none(), "{route} {target}");
            assert_eq!(
                lines,
                Vec::<String>::new(),
                "{route} {target}: state changed"
            );
        }
        let mut v = Visitor::new(&app.base);
        let (status, lines, _, headers) = v
            .post_form(route, "choice=accept&theme=dark&return_to=%2Fcookies")
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{route}");
        assert_eq!(headers[LOCATION], "/cookies");
        assert!(!lines.is_empty(), "{route}: the plain path changes state");
    }
}

#[tokio::test]
async fn cookies_json_lists_exactly_the_declared_cookies() {
    let app = TestApp::start(None).await;
    let mut v = Visitor::new(&app.base);
    let (status, _, body, headers) = v.get("/cookies.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[CONTENT_TYPE], "application/json");
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    let names: Vec<&str> = doc["cookies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "__Host-session",
            "__Host-consent",
            "__Host-flash",
            "theme",
            "locale",
            "_ga"
        ]
    );
    let encrypted: Vec<bool> = doc["cookies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["encrypted"].as_bool().unwrap())
        .collect();
    assert_eq!(encrypted, [false, false, true, false, false, false]);
    assert_eq!(doc["revision"], AppCookies::REVISION);
    assert_eq!(doc["schema_version"], 1);
    let (_, _, html, _) = v.get("/cookies").await;
    for c in AppCookies::COOKIES {
        assert!(html.contains(&format!("<code>{}</code>", c.name())));
    }
}

/// The one-time notice after logout and after a consent choice; a notice that does not open
/// (altered, or another cookie's sealed value moved into it) is removed unshown, never a 500.
#[tokio::test]
async fn the_encrypted_notice_is_shown_once_and_a_bad_one_is_removed() {
    let app = TestApp::start(None).await;
    let mut v = Visitor::new(&app.base);
    v.login().await;
    let (_, _, page, _) = v.get("/").await;
    let token = page
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let (status, lines, ..) = v
        .post_form("/api/logout", &format!("csrf_token={token}"))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("__Host-flash=") && l.ends_with(FLASH_SUFFIX)),
        "{lines:?}"
    );
    let (_, lines, body, _) = v.get("/").await;
    assert!(
        body.contains(r#"<p id="flash" role="status">You are signed out.</p>"#),
        "{body}"
    );
    assert_eq!(lines, [FLASH_REMOVAL]);

    let (status, lines, ..) = v.post_form("/api/consent", "choice=reject").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        lines.iter().any(|l| l.starts_with("__Host-flash=")),
        "{lines:?}"
    );
    let (_, _, body, _) = v.get("/cookies").await;
    assert!(body.contains("Your cookie choices are saved."));

    // Altered, or a value sealed for another cookie: removed, not shown, the page still works.
    let keys = KeyRing::new(SECRET.as_bytes()).unwrap();
    let other = keys.seal("__Host-consent", br#"eyJraW5kIjoic2lnbmVkLW91dCJ9"#);
    let good = keys.seal("__Host-flash", br#"eyJraW5kIjoic2lnbmVkLW91dCJ9"#);
    let mut altered = good.clone().into_bytes();
    altered[20] = if altered[20] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap();
    for (value, shown) in [
        (good, true),
        (other, false),
        (altered, false),
        ("garbage".to_owned(), false),
    ] {
        v.cookies
            .values
            .insert("__Host-flash".into(), value.clone());
        let (status, lines, body, _) = v.get("/").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body.contains("You are signed out."), shown, "{value}");
        assert_eq!(lines, [FLASH_REMOVAL], "{value}");
    }
}

/// An address so long that its sign-in notice cannot fit in a cookie: the login still works,
/// without the notice (never a 500); one character shorter, the notice is set at the limit.
#[tokio::test]
async fn a_notice_too_large_for_a_cookie_is_left_out_not_a_failure() {
    let fits = longest_notice_email();
    let too_long = format!("a{fits}");
    let password = "a password for the long addresses";
    let app = TestApp::start_with_users(
        tempfile::tempdir().unwrap(),
        None,
        "http",
        "127.0.0.1",
        &[(&fits, password), (&too_long, password)],
    )
    .await;
    for (email, notice) in [(&fits, true), (&too_long, false)] {
        let mut v = Visitor::new(&app.base);
        let body = format!("email={email}%40&password={password}").replace("%40&", "&");
        let body = body.replace('@', "%40").replace(' ', "+");
        let (status, lines, ..) = v.post_form("/api/login", &body).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", email.len());
        let flash = lines.iter().find(|l| l.starts_with("__Host-flash="));
        assert_eq!(flash.is_some(), notice, "{lines:?}");
        if let Some(line) = flash {
            let pair = line.split(';').next().unwrap();
            assert!(
                pair.len() - 1 <= 4096 && pair.len() - 1 > 4090,
                "{}",
                pair.len()
            );
        }
        let (status, _, body, _) = v.get("/account").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body.contains("id=\"flash\""), notice);
    }
}
