//! Hostile HTTP against the example app on loopback: each gets a defined status (400, 413, 431
//! or the normal page), never a 5xx or a panic, and no cookie is written from the hostile input.

use cookie_contract_harness::http::{Visitor, client, cookie_pair, set_cookie_lines};
use cookie_contract_tests::app::TestApp;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION};

/// Sends raw bytes (reqwest refuses invalid header bytes) and returns the status code.
async fn raw(app: &TestApp, request: &[u8]) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(request).await.unwrap();
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), s.read_to_end(&mut buf)).await;
    let text = String::from_utf8_lossy(&buf);
    assert!(
        !text.to_ascii_lowercase().contains("set-cookie: _ga"),
        "{text}"
    );
    text.split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

/// The removal of the session cookie with its declared scope, byte for byte.
const SESSION_REMOVAL: &str = "__Host-session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax";

#[tokio::test]
async fn oversize_and_crowded_cookie_headers() {
    let app = TestApp::start(None).await;
    let http = client();
    let big = format!("a={}", "x".repeat(64 * 1024));
    let many = (0..1000)
        .map(|i| format!("c{i}=v{i}"))
        .collect::<Vec<_>>()
        .join("; ");
    for (label, cookie) in [("64 KB", big), ("1000 cookies", many)] {
        // Unknown cookies are ignored: each page answers as it does for a visitor without any.
        for (path, expect) in [
            ("/", StatusCode::OK),
            ("/account", StatusCode::SEE_OTHER),
            ("/cookies", StatusCode::OK),
            ("/api/csrf", StatusCode::UNAUTHORIZED),
        ] {
            let res = http
                .get(app.url(path))
                .header(COOKIE, &cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), expect, "{label} {path}");
            assert_eq!(
                set_cookie_lines(res.headers()),
                Vec::<String>::new(),
                "{label} {path}"
            );
        }
    }
}

/// Cookie tossing: a sibling subdomain or a script plants more `__Host-session` copies than the
/// browser's own. The jar refuses to pick one (`CookieError::Duplicate`), so no page treats the
/// visitor as logged in, and the account page removes the cookie at its declared scope.
#[tokio::test]
async fn tossed_session_cookies_are_no_session_and_the_account_clears_them() {
    let app = TestApp::start(None).await;
    let http = client();
    let real = Visitor::new(&app.base).login().await;
    // The real, valid session among 49 planted values: still no session.
    let tossed = std::iter::once(format!("__Host-session={real}"))
        .chain((1..50).map(|i| format!("__Host-session=v{i}")))
        .collect::<Vec<_>>()
        .join("; ");
    for (path, expect, lines) in [
        ("/", StatusCode::OK, vec![]),
        ("/account", StatusCode::SEE_OTHER, vec![SESSION_REMOVAL]),
        ("/cookies", StatusCode::OK, vec![]),
        ("/api/csrf", StatusCode::UNAUTHORIZED, vec![]),
    ] {
        let res = http
            .get(app.url(path))
            .header(COOKIE, &tossed)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), expect, "{path}");
        if path == "/account" {
            assert_eq!(res.headers()[LOCATION], "/login");
        }
        assert_eq!(set_cookie_lines(res.headers()), lines, "{path}");
        let body = res.text().await.unwrap();
        assert!(
            !body.contains("masa@example.com"),
            "{path} shows the account"
        );
    }
    // The real cookie alone still opens the account: tossing did not revoke it.
    let res = http
        .get(app.url("/account"))
        .header(COOKIE, format!("__Host-session={real}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn non_utf8_cookie_bytes() {
    let app = TestApp::start(None).await;
    for path in ["/", "/account", "/cookies"] {
        let mut req =
            format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: theme=")
                .into_bytes();
        req.extend_from_slice(&[0xff, 0xfe]);
        req.extend_from_slice(b"; __Host-session=");
        req.extend_from_slice(&[0xc3, 0x28]);
        req.extend_from_slice(b"\r\n\r\n");
        let code = raw(&app, &req).await;
        assert!(matches!(code, 200 | 303), "{path}: {code}");
    }
    let mut req = b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: locale=".to_vec();
    req.extend_from_slice(&[0xff, 0xfe, 0x80]);
    req.extend_from_slice(b"; theme=\x80dark\r\n\r\n");
    assert_eq!(raw(&app, &req).await, 200);
}

/// Preference values are typed (`Theme`, `Locale` are enums): anything outside the declared
/// variants, CR/LF and `;` included, is refused with 400 before a cookie or the consent record is
/// written. The twin request with a declared value passes, so the 400s are the type's doing.
/// (Free-form `String` values are percent-encoded by the jar; `tests/headers.rs` checks the exact
/// bytes of a CR/LF value.)
#[tokio::test]
async fn preference_values_outside_their_type_are_refused() {
    let app = TestApp::start(None).await;
    let http = client();
    let res = http
        .post(app.url("/api/preferences"))
        .header(CONTENT_TYPE, "application/json")
        .header("sec-fetch-site", "same-origin")
        .body(r#"{"theme":"dark"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let lines = set_cookie_lines(res.headers());
    assert!(
        lines.iter().any(|l| l.starts_with("theme=dark; ")),
        "{lines:?}"
    );
    for body in [
        r#"{"theme":"dark\r\nSet-Cookie: evil=1"}"#,
        r#"{"theme":"dark; Domain=evil.example"}"#,
        r#"{"locale":"en\nX: y"}"#,
    ] {
        let res = http
            .post(app.url("/api/preferences"))
            .header(CONTENT_TYPE, "application/json")
            .header("sec-fetch-site", "same-origin")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{body}");
        assert!(set_cookie_lines(res.headers()).is_empty(), "{body}");
    }
    let res = http
        .post(app.url("/api/preferences"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body("theme=dark%0D%0ASet-Cookie%3A%20evil%3D1")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(set_cookie_lines(res.headers()).is_empty());
}

#[tokio::test]
async fn huge_and_mistyped_bodies() {
    let app = TestApp::start(None).await;
    let http = client();
    let huge = format!(
        r#"{{"email":"masa@example.com","password":"{}"}}"#,
        "p".repeat(1024 * 1024)
    );
    for path in ["/api/login", "/api/consent", "/api/preferences"] {
        let res = http
            .post(app.url(path))
            .header(CONTENT_TYPE, "application/json")
            .body(huge.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE, "{path}");
        assert!(set_cookie_lines(res.headers()).is_empty(), "{path}");
        for ctype in [
            "text/plain",
            "application/xml",
            "multipart/form-data; boundary=x",
            "",
        ] {
            let mut req = http.post(app.url(path)).body("{}");
            if !ctype.is_empty() {
                req = req.header(CONTENT_TYPE, ctype);
            }
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{path} as {ctype:?}");
            assert!(
                set_cookie_lines(res.headers()).is_empty(),
                "{path} as {ctype:?}"
            );
        }
    }
    // A huge form body to a token-protected route, with a session, is refused by the CSRF layer.
    let login = http
        .post(app.url("/api/login"))
        .header(CONTENT_TYPE, "application/json")
        .body(r#"{"email":"masa@example.com","password":"correct-horse-battery-staple"}"#)
        .send()
        .await
        .unwrap();
    let cookie = cookie_pair(&set_cookie_lines(login.headers())[0]).to_owned();
    let res = http
        .post(app.url("/api/preferences"))
        .header(COOKIE, cookie)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("theme=dark&".repeat(200_000))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
}
