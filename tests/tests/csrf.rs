//! Both CSRF layers in an Axum router: each attack is refused before the handler runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::Body;
use axum::routing::post;
use cookie_contract::csrf::{CsrfTokenLayer, OriginLayer, OriginPolicy};
use cookie_contract::{KeyRing, SessionToken};
use cookie_contract_harness::http::cookie_pair;
use cookie_contract_tests::{AppCookies, AppCookiesJar};
use http::{Request, StatusCode};
use proptest::prelude::*;
use tower::ServiceExt;

fn keys() -> KeyRing {
    KeyRing::new(&[7; 32]).unwrap()
}

/// A router whose one handler counts how often it ran.
fn app(policy: OriginPolicy) -> (Router, Arc<AtomicUsize>) {
    let runs = Arc::new(AtomicUsize::new(0));
    let r = runs.clone();
    let router = Router::new()
        .route(
            "/api/change",
            post(move || {
                r.fetch_add(1, Ordering::SeqCst);
                async { "changed" }
            }),
        )
        .route("/hooks/in", post(|| async { "hook" }))
        .layer(CsrfTokenLayer::for_inventory::<AppCookies>(keys()))
        .layer(OriginLayer::new(policy));
    (router, runs)
}

fn policy() -> OriginPolicy {
    OriginPolicy::new("http://localhost:3000")
        .unwrap()
        .bypass("/hooks/in")
}

/// The `Cookie` header value for a signed session cookie.
fn session_cookie(s: &SessionToken) -> String {
    let mut jar = AppCookiesJar::from_headers(&http::HeaderMap::new(), &keys());
    jar.set_session(s).unwrap();
    let line = jar.set_cookie_headers()[0].to_str().unwrap().to_owned();
    cookie_pair(&line).to_owned()
}

async fn send(router: &Router, req: Request<Body>) -> (StatusCode, String, Option<String>) {
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let vary = res
        .headers()
        .get("vary")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap(), vary)
}

fn post_req(path: &str, headers: &[(&str, &str)], body: &str) -> Request<Body> {
    let mut b = Request::post(path);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(Body::from(body.to_owned())).unwrap()
}

#[tokio::test]
async fn origin_layer_refuses_cross_origin_requests() {
    let (router, runs) = app(policy());
    for headers in [
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![("origin", "http://evil@localhost:3000")],
        vec![("origin", "http://localhost:3001")],
        vec![("origin", "https://localhost:3000")],
        vec![("origin", "http://evil.example")],
    ] {
        let (status, body, vary) = send(&router, post_req("/api/change", &headers, "")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{headers:?}");
        assert!(
            body.starts_with("cross-origin") || body.starts_with("malformed"),
            "{body}"
        );
        assert_eq!(vary.as_deref(), Some("Sec-Fetch-Site, Origin"));
    }
    // The bypass is exact: a prefix of it is still checked.
    let (status, _, _) = send(
        &router,
        post_req("/hooks/in/x", &[("sec-fetch-site", "cross-site")], ""),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = send(
        &router,
        post_req("/hooks/in", &[("sec-fetch-site", "cross-site")], ""),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(runs.load(Ordering::SeqCst), 0);

    let (status, body, vary) = send(
        &router,
        post_req("/api/change", &[("origin", "http://localhost:3000")], ""),
    )
    .await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "changed"));
    assert_eq!(vary.as_deref(), Some("Sec-Fetch-Site, Origin"));
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn report_only_logs_but_lets_through() {
    let (router, runs) = app(policy().report_only(true));
    let (status, _, _) = send(
        &router,
        post_req("/api/change", &[("sec-fetch-site", "cross-site")], ""),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn token_layer_requires_a_token_bound_to_this_session() {
    let (router, runs) = app(policy());
    let session = SessionToken::new();
    let cookie = session_cookie(&session);
    let same = ("sec-fetch-site", "same-origin");

    // Without a session there is nothing to bind to: the origin layer alone decides.
    let (status, ..) = send(&router, post_req("/api/change", &[same], "")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(runs.swap(0, Ordering::SeqCst), 1);

    // With a session: no token, another session's token, garbage, all refused before the handler.
    let other = keys().csrf_token(&SessionToken::new());
    let truncated = keys().csrf_token(&session)[..100].to_owned();
    for (headers, expect) in [
        (
            vec![same, ("cookie", cookie.as_str())],
            "missing CSRF token",
        ),
        (
            vec![
                same,
                ("cookie", cookie.as_str()),
                ("x-csrf-token", other.as_str()),
            ],
            "invalid CSRF token",
        ),
        (
            vec![
                same,
                ("cookie", cookie.as_str()),
                ("x-csrf-token", truncated.as_str()),
            ],
            "invalid CSRF token",
        ),
        (
            vec![same, ("cookie", cookie.as_str()), ("x-csrf-token", "")],
            "invalid CSRF token",
        ),
        (
            vec![same, ("cookie", cookie.as_str()), ("x-csrf-token", "%%%")],
            "invalid CSRF token",
        ),
    ] {
        let (status, body, _) = send(&router, post_req("/api/change", &headers, "")).await;
        assert_eq!((status, body.as_str()), (StatusCode::FORBIDDEN, expect));
    }
    assert_eq!(runs.load(Ordering::SeqCst), 0);

    // The right token, in the header or in a form field.
    let token = keys().csrf_token(&session);
    let (status, ..) = send(
        &router,
        post_req(
            "/api/change",
            &[same, ("cookie", &cookie), ("x-csrf-token", &token)],
            "",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let form = format!("theme=dark&csrf_token={token}");
    let (status, ..) = send(
        &router,
        post_req(
            "/api/change",
            &[
                same,
                ("cookie", &cookie),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            &form,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_token_replayed_after_the_session_changed_is_refused() {
    let (router, runs) = app(policy());
    let old = SessionToken::new();
    let token = keys().csrf_token(&old);
    let new_cookie = session_cookie(&SessionToken::new());
    let (status, body, _) = send(
        &router,
        post_req(
            "/api/change",
            &[
                ("sec-fetch-site", "same-origin"),
                ("cookie", &new_cookie),
                ("x-csrf-token", &token),
            ],
            "",
        ),
    )
    .await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::FORBIDDEN, "invalid CSRF token")
    );
    assert_eq!(runs.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn oversize_form_bodies_get_413() {
    let (router, runs) = app(policy());
    let cookie = session_cookie(&SessionToken::new());
    let body = "x".repeat(65 * 1024);
    let (status, ..) = send(
        &router,
        post_req(
            "/api/change",
            &[
                ("cookie", &cookie),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            &body,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(runs.load(Ordering::SeqCst), 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn csrf_verification_rejects_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let keys = keys();
        prop_assert!(keys.verify_csrf_token(&SessionToken::new(), &bytes).is_err());
    }

    #[test]
    fn csrf_verification_rejects_near_tokens(s in "[A-Za-z0-9_-]{126,130}") {
        prop_assert!(keys().verify_csrf_token(&SessionToken::new(), s.as_bytes()).is_err());
    }

    /// A real token for the session, changed in one place: one character replaced by another of
    /// the base64url alphabet (so it still decodes), one bit of the decoded token flipped, cut
    /// short, or extended. Every variant must be refused, and the untouched token accepted, so
    /// the test fails if verification ignores any position of the token.
    #[test]
    fn csrf_verification_rejects_every_mutation_of_a_valid_token(
        pos in 0usize..128,
        replacement in "[A-Za-z0-9_-]",
        bit in 0u8..8,
        cut in 0usize..128,
        extra in "[A-Za-z0-9_-]{1,4}",
    ) {
        use base64::Engine as _;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let keys = keys();
        let session = SessionToken::new();
        let token = keys.csrf_token(&session);
        prop_assert_eq!(token.len(), 128);
        prop_assert!(keys.verify_csrf_token(&session, token.as_bytes()).is_ok());

        let mut replaced = token.clone().into_bytes();
        prop_assume!(replaced[pos] != replacement.as_bytes()[0]);
        replaced[pos] = replacement.as_bytes()[0];
        prop_assert!(keys.verify_csrf_token(&session, &replaced).is_err(), "char {} replaced", pos);

        let mut raw = URL_SAFE_NO_PAD.decode(&token).unwrap();
        let byte = pos * raw.len() / 128;
        raw[byte] ^= 1 << bit;
        let flipped = URL_SAFE_NO_PAD.encode(&raw);
        prop_assert!(keys.verify_csrf_token(&session, flipped.as_bytes()).is_err(), "bit {} of byte {} flipped", bit, byte);

        prop_assert!(keys.verify_csrf_token(&session, &token.as_bytes()[..cut]).is_err(), "cut at {}", cut);
        let extended = format!("{token}{extra}");
        prop_assert!(keys.verify_csrf_token(&session, extended.as_bytes()).is_err());
    }

    #[test]
    fn signature_verification_rejects_arbitrary_bytes(payload in proptest::collection::vec(any::<u8>(), 0..100), mac in proptest::collection::vec(any::<u8>(), 0..60)) {
        let keys = keys();
        prop_assert_eq!(keys.verify("__Host-session", &payload, &mac), cookie_contract::signing::Verified::Invalid);
    }

    #[test]
    fn signed_cookie_values_reject_arbitrary_text(v in "[ -~]{0,120}") {
        let mut h = http::HeaderMap::new();
        if let Ok(value) = format!("__Host-session={v}").parse() {
            h.insert(http::header::COOKIE, value);
            let jar = AppCookiesJar::from_headers(&h, &keys());
            prop_assert!(jar.session().is_none());
        }
    }
}
