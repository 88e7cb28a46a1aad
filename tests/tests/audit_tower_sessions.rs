//! tower-sessions behind the audit layer in enforce mode: its `id` cookie, declared as
//! tower-sessions writes it, passes (set and removal); configured with any attribute different
//! from the declaration, it is stripped.

use axum::Router;
use axum::routing::get;
use cookie_contract::audit::{AuditLayer, AuditMode};
use cookie_contract::{CookieContract, KeyRing};
use cookie_contract_tests::get_set_cookies;
use tower_sessions::cookie::SameSite;
use tower_sessions::{MemoryStore, Session, SessionManagerLayer};

/// tower-sessions' session cookie as its defaults write it.
#[derive(CookieContract)]
pub struct Sessions {
    #[cookie(
        name = "id",
        purpose = "authentication",
        secure,
        http_only,
        same_site = "strict",
        max_age = "session"
    )]
    pub id: String,
}

type Configure = fn(SessionManagerLayer<MemoryStore>) -> SessionManagerLayer<MemoryStore>;

fn router(configure: Configure) -> Router {
    Router::new()
        .route(
            "/login",
            get(|session: Session| async move {
                session.insert("user", "masa").await.unwrap();
                "in"
            }),
        )
        .route(
            "/logout",
            get(|session: Session| async move {
                session.flush().await.unwrap();
                "out"
            }),
        )
        .layer(configure(SessionManagerLayer::new(MemoryStore::default())))
        .layer(AuditLayer::new::<Sessions>(
            AuditMode::Enforce,
            KeyRing::new(&[2; 32]).unwrap(),
        ))
}

#[tokio::test]
async fn tower_sessions_cookie_passes_by_meaning() {
    let r = router(|l| l);
    let set = get_set_cookies(&r, "/login", None).await;
    assert_eq!(set.len(), 1, "the id cookie passes: {set:?}");
    let pair = set[0].split(';').next().unwrap().to_owned();
    let removal = get_set_cookies(&r, "/logout", Some(&pair)).await;
    assert_eq!(removal.len(), 1, "its removal passes: {removal:?}");
    assert!(removal[0].contains("Max-Age=0"), "{}", removal[0]);
}

#[tokio::test]
async fn tower_sessions_cookie_with_any_attribute_wrong_is_stripped() {
    let wrong: [(&str, Configure); 5] = [
        ("SameSite=Lax", |l| l.with_same_site(SameSite::Lax)),
        ("not HttpOnly", |l| l.with_http_only(false)),
        ("not Secure", |l| l.with_secure(false)),
        ("another path", |l| l.with_path("/app")),
        ("a domain", |l| l.with_domain("example.com")),
    ];
    for (label, configure) in wrong {
        let r = router(configure);
        assert_eq!(
            get_set_cookies(&r, "/login", None).await,
            Vec::<String>::new(),
            "{label}"
        );
    }
}
