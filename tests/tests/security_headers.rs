//! Every response of the example app carries the security headers, over real HTTP: pages,
//! JSON, the PDF, the style sheet, errors (404, 403 from the CSRF layer, 400). Pages that can
//! show personal data or a CSRF token are `no-store`; HSTS is sent only for an https origin.

use cookie_contract_harness::http::{Visitor, client};
use cookie_contract_tests::app::TestApp;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

fn assert_common(headers: &HeaderMap, what: &str) {
    assert_eq!(headers["content-security-policy"], CSP, "{what}");
    assert_eq!(headers["x-frame-options"], "DENY", "{what}");
    assert_eq!(headers["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(headers["referrer-policy"], "no-referrer", "{what}");
    assert_eq!(
        headers["cross-origin-opener-policy"], "same-origin",
        "{what}"
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::start(None).await;
    let mut v = Visitor::new(&app.base);
    v.login().await;
    // (path, expected status, expected Cache-Control)
    for (path, status, cache) in [
        ("/", StatusCode::OK, "no-store"),
        ("/login", StatusCode::OK, "no-store"),
        ("/account", StatusCode::OK, "no-store"),
        ("/cookies", StatusCode::OK, "no-store"),
        ("/api/csrf", StatusCode::OK, "no-store"),
        ("/cookies.json", StatusCode::OK, "no-store"),
        ("/healthz", StatusCode::OK, "no-store"),
        ("/free.pdf", StatusCode::OK, "public, max-age=3600"),
        ("/style.css", StatusCode::OK, "public, max-age=3600"),
        ("/no-such-page", StatusCode::NOT_FOUND, "no-store"),
    ] {
        let (got, _, body, headers) = v.get(path).await;
        assert_eq!(got, status, "{path}");
        assert_common(&headers, path);
        assert_eq!(headers["cache-control"], cache, "{path}");
        assert!(
            headers.get("strict-transport-security").is_none(),
            "{path}: HSTS over http"
        );
        let html = headers
            .get("content-type")
            .is_some_and(|t| t.to_str().unwrap().starts_with("text/html"));
        if html {
            assert!(!body.contains("<script"), "{path}: inline script");
            assert!(!body.contains("<style"), "{path}: inline style");
        }
    }
    // Refusals carry them too: a cross-site POST (403 from the origin layer) and a bad body.
    let res = client()
        .post(app.url("/api/preferences"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_common(res.headers(), "403");
    let mut visitor = Visitor::new(&app.base);
    let (status, _, _, headers) = visitor.post("/api/consent", "text/plain", "x", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_common(&headers, "400");
}

#[tokio::test]
async fn hsts_is_sent_for_an_https_origin() {
    // A real host name (resolved to the test server): behind a TLS-terminating proxy, the app
    // itself is reached over plain http, as here.
    let app =
        TestApp::start_with_origin(tempfile::tempdir().unwrap(), None, "https", "app.example")
            .await;
    let port = app
        .origin
        .rsplit(':')
        .next()
        .unwrap()
        .parse::<u16>()
        .unwrap();
    let client = reqwest::Client::builder()
        .resolve(
            "app.example",
            std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        )
        .build()
        .unwrap();
    let res = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=63072000; includeSubDomains"
    );
    assert_common(res.headers(), "https origin");
}

/// `TLS=dev` serves `https://localhost`: pinning `localhost` to https would outlive the app and
/// break every other development server on the machine, so no HSTS there, nor on a loopback
/// address (where browsers ignore it). The app is reached over plain http here, as behind a
/// TLS-terminating proxy; what decides is the configured public origin.
#[tokio::test]
async fn hsts_never_pins_localhost_or_a_loopback_address() {
    for host in ["localhost", "127.0.0.1"] {
        let app =
            TestApp::start_with_origin(tempfile::tempdir().unwrap(), None, "https", host).await;
        assert!(app.origin.starts_with(&format!("https://{host}:")));
        let res = client().get(app.url("/")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{host}");
        assert!(
            res.headers().get("strict-transport-security").is_none(),
            "{host}: HSTS would pin the host name for every port"
        );
        assert_common(res.headers(), host);
    }
}
