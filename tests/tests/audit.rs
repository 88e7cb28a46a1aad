//! The audit layer strips (enforce) or logs (report) every `Set-Cookie` that breaks the contract.

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::response::IntoResponse;
use axum::routing::get;
use cookie_contract::audit::{AuditLayer, AuditMode, Violation, check_line};
use cookie_contract::{ConsentChoice, Inventory, KeyRing};
use cookie_contract_harness::http::cookie_pair;
use cookie_contract_tests::{Shop, ShopJar, get_set_cookies};
use http::HeaderMap;
use http::header::SET_COOKIE;

fn keys() -> KeyRing {
    KeyRing::new(&[8; 32]).unwrap()
}

fn app(mode: AuditMode) -> Router {
    let raw =
        |line: &'static str| move || async move { ([(SET_COOKIE, line)], "ok").into_response() };
    Router::new()
        .route("/undeclared", get(raw("tracker=1; Path=/")))
        .route(
            "/wrong-path",
            get(raw(
                "locale=de; Path=/x; Domain=example.com; Max-Age=31536000; Secure; SameSite=Lax",
            )),
        )
        .route(
            "/analytics",
            get(raw(
                "_ga=GA1; Path=/; Domain=example.com; Max-Age=33696000; Secure; SameSite=Lax",
            )),
        )
        .route("/forged-removal", get(raw("_ga=; Path=/; Max-Age=0")))
        .route(
            "/good",
            get(|headers: HeaderMap| async move {
                let mut jar = ShopJar::from_headers(&headers, &keys());
                jar.set_csrf(&"c".to_string()).unwrap();
                jar.clear_ga();
                jar.clear_pk();
                jar
            }),
        )
        .route(
            "/accept",
            get(|headers: HeaderMap| async move {
                // Records consent and sets analytics in the same response.
                let mut jar = ShopJar::from_headers(&headers, &keys());
                let state = jar.record_consent(ConsentChoice::ACCEPT_ALL).unwrap();
                jar.set_ga(&"GA1.2".to_string(), &state.granted().unwrap())
                    .unwrap();
                jar
            }),
        )
        .layer(AuditLayer::new::<Shop>(mode, keys()))
}

#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture() -> (Logs, tracing::subscriber::DefaultGuard) {
    let logs = Logs::default();
    let l = logs.clone();
    let sub = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || l.clone())
        .finish();
    (logs, tracing::subscriber::set_default(sub))
}

impl Logs {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn enforce_strips_and_logs_each_violation() {
    let (logs, _guard) = capture();
    let r = app(AuditMode::Enforce);
    for (path, reason) in [
        ("/undeclared", "cookie `tracker` is not in the inventory"),
        (
            "/wrong-path",
            "cookie `locale` differs from its declaration: Path is Some(\"/x\") where the declaration says Some(\"/\")",
        ),
        (
            "/analytics",
            "cookie `_ga` is set without consent for its category",
        ),
        (
            "/forged-removal",
            "cookie `_ga` differs from its declaration: Domain is None where the declaration says Some(\"example.com\")",
        ),
    ] {
        assert_eq!(
            get_set_cookies(&r, path, None).await,
            Vec::<String>::new(),
            "{path}"
        );
        assert!(logs.text().contains(reason), "{path}: {}", logs.text());
    }
}

#[tokio::test(flavor = "current_thread")]
async fn report_keeps_and_logs() {
    let (logs, _guard) = capture();
    let r = app(AuditMode::Report);
    assert_eq!(
        get_set_cookies(&r, "/undeclared", None).await,
        ["tracker=1; Path=/"]
    );
    assert_eq!(get_set_cookies(&r, "/analytics", None).await.len(), 1);
    let text = logs.text();
    assert!(
        text.contains("cookie `tracker` is not in the inventory") && text.contains("mode=Report"),
        "{text}"
    );
    assert!(
        text.contains("cookie `_ga` is set without consent"),
        "{text}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn declared_cookies_clears_and_consented_cookies_pass_untouched() {
    let (logs, _guard) = capture();
    let r = app(AuditMode::Enforce);
    let good = get_set_cookies(&r, "/good", None).await;
    assert_eq!(
        good,
        [
            "__Host-Http-csrf=c; Path=/; Max-Age=28800; HttpOnly; Secure; SameSite=Strict",
            Shop::COOKIES[5].removal_header(),
            Shop::COOKIES[6].removal_header(),
        ]
    );
    // Consent recorded in this very response allows the analytics cookie beside it.
    let accept = get_set_cookies(&r, "/accept", None).await;
    assert_eq!(accept.len(), 2, "{accept:?}");
    assert!(accept[1].starts_with("_ga=GA1.2; "));
    // With stored consent, the raw analytics header is fine too.
    let consent = cookie_pair(&accept[0]);
    assert_eq!(
        get_set_cookies(&r, "/analytics", Some(consent)).await.len(),
        1
    );
    assert!(
        !logs.text().contains("breaks the contract"),
        "{}",
        logs.text()
    );
}

#[test]
fn line_checks() {
    let specs = Shop::COOKIES;
    assert!(matches!(
        check_line(specs, b"no-equals"),
        Err(Violation::Malformed)
    ));
    assert!(matches!(
        check_line(
            specs,
            b"locale=de; Path=/; Domain=example.com; Max-Age=31536000; Secure; SameSite=Lax"
        ),
        Ok((_, false))
    ));
    assert!(matches!(
        check_line(specs, Shop::COOKIES[4].removal_header().as_bytes()),
        Ok((_, true))
    ));
    // An extra attribute smuggled into the value part is caught.
    assert!(matches!(
        check_line(specs, b"locale=de; Domain=evil.example; Path=/; Domain=example.com; Max-Age=31536000; Secure; SameSite=Lax"),
        Err(Violation::Attributes { .. })
    ));
}

/// Lines written with a per-response lifetime (`set_f_with`) pass the audit; a longer
/// `Max-Age` (a huge one too) or another attribute changed with it does not. Read as browsers
/// read them, `Max-Age=0` with the declared scope is a removal, `Max-Age=01` is one second and
/// `Max-Age=+1` is ignored (a session cookie), and each passes as such.
#[test]
fn per_response_lifetimes_pass_the_audit_and_longer_ones_do_not() {
    let specs = cookie_contract_tests::SeedSession::COOKIES;
    for ok in [
        "__Host-session=v; Path=/; Max-Age=28800; HttpOnly; Secure; SameSite=Lax",
        "__Host-session=v; Path=/; Max-Age=1; HttpOnly; Secure; SameSite=Lax",
        "__Host-session=v; Path=/; HttpOnly; Secure; SameSite=Lax",
        "__Host-session=v; Path=/; Max-Age=01; HttpOnly; Secure; SameSite=Lax",
        "__Host-session=v; Path=/; Max-Age=+1; HttpOnly; Secure; SameSite=Lax",
    ] {
        assert!(check_line(specs, ok.as_bytes()).is_ok(), "{ok}");
    }
    for bad in [
        "__Host-session=v; Path=/; Max-Age=28801; HttpOnly; Secure; SameSite=Lax",
        "__Host-session=v; Path=/; Max-Age=99999999999999999999; HttpOnly; Secure; SameSite=Lax",
        "__Host-session=v; Path=/; Max-Age=60; Secure; SameSite=Lax",
        "__Host-session=v; Path=/; HttpOnly; Secure; SameSite=None",
    ] {
        match check_line(specs, bad.as_bytes()) {
            Err(Violation::Attributes { name, mismatch }) => {
                assert_eq!(name, "__Host-session", "{bad}");
                assert!(!mismatch.to_string().is_empty());
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
}
