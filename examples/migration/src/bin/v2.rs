//! The same application on cookie-contract. With `LEGACY_KEY` (v1's key) the sessions v1
//! issued keep working and are re-issued in this crate's format; without it ("v3") they do not.

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use cookie_contract::{CookieContract, KeyRing, SessionToken};
use migration::Sessions;

/// The application's one cookie, declared.
#[derive(CookieContract)]
pub struct Cookies {
    /// The session.
    #[cookie(
        name = "__Host-session",
        purpose = "authentication",
        secure,
        http_only,
        same_site = "lax",
        max_age = "8h",
        signed
    )]
    session: SessionToken,
}

#[derive(Clone)]
struct App {
    keys: KeyRing,
    sessions: Sessions,
}

impl FromRef<App> for KeyRing {
    fn from_ref(app: &App) -> KeyRing {
        app.keys.clone()
    }
}

/// `POST /login`: a fresh token.
async fn login(
    State(app): State<App>,
    mut jar: CookiesJar,
    user: String,
) -> Result<CookiesJar, StatusCode> {
    let token = SessionToken::new();
    app.sessions.create(token.as_bytes(), &user);
    jar.set_session(&token)
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(jar)
}

/// `GET /me`: the user, or 401. A session cookie v1 signed verifies through the legacy key and
/// the jar re-issues it in this crate's format in this response.
async fn me(State(app): State<App>, jar: CookiesJar) -> Result<(CookiesJar, String), StatusCode> {
    let token = jar.session().ok_or(StatusCode::UNAUTHORIZED)?;
    let user = app
        .sessions
        .user(token.as_bytes())
        .ok_or(StatusCode::UNAUTHORIZED)?;
    Ok((jar, user))
}

#[tokio::main]
async fn main() {
    let secret = std::env::var("SESSION_SECRET").expect("SESSION_SECRET");
    let mut keys = KeyRing::new(secret.as_bytes()).expect("SESSION_SECRET of 32 bytes or more");
    // Retiring the legacy key is this one line.
    if let Some(old) = migration::v1_key("LEGACY_KEY") {
        keys = keys.with_legacy_cookie_key(&axum_extra::extract::cookie::Key::from(&old));
    }
    let app = App {
        keys,
        sessions: Sessions::open(),
    };
    migration::serve(
        Router::new()
            .route("/login", post(login))
            .route("/me", get(me))
            .with_state(app),
    )
    .await;
}
