//! CORS and credentials, over real HTTP: by default the app sends no `Access-Control-*` header
//! to anyone, so no other origin's script can read a response made with the visitor's cookies;
//! with `CORS_ORIGINS` it answers exactly the listed origins, with credentials, and never a
//! wildcard or a reflected origin.

use cookie_contract_harness::http::Visitor;
use cookie_contract_tests::app::TestApp;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, ORIGIN};

const PARTNER: &str = "https://admin.example.com";
const EVIL: &str = "https://evil.example";

/// Every `Access-Control-*` header of a response, as `name: value`.
fn cors_headers(res: &reqwest::Response) -> Vec<String> {
    res.headers()
        .iter()
        .filter(|(k, _)| k.as_str().starts_with("access-control-"))
        .map(|(k, v)| format!("{k}: {}", v.to_str().unwrap()))
        .collect()
}

async fn preflight(app: &TestApp, origin: &str) -> reqwest::Response {
    reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, app.url("/api/preferences"))
        .header(ORIGIN, origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type, x-csrf-token",
        )
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn by_default_no_origin_gets_cors_headers() {
    let app = TestApp::start(None).await;
    let mut v = Visitor::new(&app.base);
    let session = v.login().await;
    for origin in [EVIL, PARTNER, "null"] {
        let res = preflight(&app, origin).await;
        assert!(
            cors_headers(&res).is_empty(),
            "{origin}: {:?}",
            cors_headers(&res)
        );
        // A credentialed read from that origin: the page answers, but without CORS headers the
        // browser never lets the foreign script see it.
        let res = reqwest::Client::new()
            .get(app.url("/api/csrf"))
            .header(ORIGIN, origin)
            .header(COOKIE, format!("__Host-session={session}"))
            .send()
            .await
            .unwrap();
        assert!(cors_headers(&res).is_empty(), "{origin}");
        // A credentialed write from that origin is refused by the origin layer.
        let res = reqwest::Client::new()
            .post(app.url("/api/preferences"))
            .header(ORIGIN, origin)
            .header("sec-fetch-site", "cross-site")
            .header(COOKIE, format!("__Host-session={session}"))
            .header(CONTENT_TYPE, "application/json")
            .body(r#"{"theme":"dark","locale":"en"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{origin}");
    }
}

#[tokio::test]
async fn configured_origins_get_exactly_their_own_answer_with_credentials() {
    let app = TestApp::start_with_vars(&[("CORS_ORIGINS", PARTNER)]).await;
    let res = preflight(&app, PARTNER).await;
    assert_eq!(res.status(), StatusCode::OK);
    let headers = cors_headers(&res);
    for expected in [
        format!("access-control-allow-origin: {PARTNER}"),
        "access-control-allow-credentials: true".to_owned(),
        "access-control-allow-methods: GET,POST".to_owned(),
        "access-control-allow-headers: content-type,x-csrf-token".to_owned(),
        "access-control-max-age: 600".to_owned(),
    ] {
        assert!(headers.contains(&expected), "{expected} not in {headers:?}");
    }
    // Never a wildcard, never another origin reflected.
    assert!(!headers.iter().any(|h| h.contains('*')), "{headers:?}");
    for origin in [
        EVIL,
        "null",
        "https://admin.example.com.evil.example",
        "http://admin.example.com",
    ] {
        let res = preflight(&app, origin).await;
        let headers = cors_headers(&res);
        assert!(
            !headers
                .iter()
                .any(|h| h.starts_with("access-control-allow-origin")),
            "{origin}: {headers:?}"
        );
    }

    // A credentialed read from the partner: its origin and credentials, so its script may read
    // the token; the evil origin gets neither.
    let mut v = Visitor::new(&app.base);
    let session = v.login().await;
    let read = |origin: &'static str| {
        reqwest::Client::new()
            .get(app.url("/api/csrf"))
            .header(ORIGIN, origin)
            .header(COOKIE, format!("__Host-session={session}"))
            .send()
    };
    let res = read(PARTNER).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let headers = cors_headers(&res);
    assert!(headers.contains(&format!("access-control-allow-origin: {PARTNER}")));
    assert!(headers.contains(&"access-control-allow-credentials: true".to_owned()));
    let token = res.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    // tower-http still sends `Allow-Credentials: true`, which without an `Allow-Origin` naming
    // the caller lets the browser show the caller nothing.
    let res = read(EVIL).await.unwrap();
    let headers = cors_headers(&res);
    assert!(
        !headers
            .iter()
            .any(|h| h.starts_with("access-control-allow-origin")),
        "{headers:?}"
    );

    // The partner's credentialed write passes both CSRF layers with the token; the evil
    // origin's is refused.
    let write = |origin: &'static str, token: &str| {
        reqwest::Client::new()
            .post(app.url("/api/preferences"))
            .header(ORIGIN, origin)
            .header("sec-fetch-site", "same-site")
            .header(COOKIE, format!("__Host-session={session}"))
            .header("x-csrf-token", token.to_owned())
            .header(CONTENT_TYPE, "application/json")
            .body(r#"{"theme":"dark","locale":"en"}"#)
            .send()
    };
    assert_eq!(
        write(PARTNER, &token).await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        write(EVIL, &token).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        write(PARTNER, "forged").await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
}

#[test]
fn a_wildcard_or_null_origin_is_refused_at_start() {
    for bad in ["*", "null", "https://*.example.com", "admin.example.com"] {
        let err = axum_app::Config::from_vars(|k| match k {
            "CORS_ORIGINS" => Some(bad.to_owned()),
            _ => None,
        })
        .unwrap_err();
        assert!(err.0.contains("CORS_ORIGINS"), "{bad}: {}", err.0);
    }
}
