//! The application before the migration: sessions in axum-extra's `SignedCookieJar`.

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum_extra::extract::cookie::{Cookie, Key, SameSite, SignedCookieJar};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use migration::Sessions;

#[derive(Clone)]
struct App {
    key: Key,
    sessions: Sessions,
}

impl FromRef<App> for Key {
    fn from_ref(app: &App) -> Key {
        app.key.clone()
    }
}

/// `POST /login` with the user name as the body: a fresh 32-byte token in a signed cookie.
async fn login(State(app): State<App>, jar: SignedCookieJar, user: String) -> SignedCookieJar {
    let mut token = [0u8; 32];
    getrandom::fill(&mut token).unwrap();
    app.sessions.create(&token, &user);
    let cookie = Cookie::build(("__Host-session", URL_SAFE_NO_PAD.encode(token)))
        .path("/")
        .max_age(cookie::time::Duration::hours(8))
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Lax)
        .build();
    jar.add(cookie)
}

/// `GET /me`: the user, or 401.
async fn me(State(app): State<App>, jar: SignedCookieJar) -> Result<String, StatusCode> {
    let token = jar
        .get("__Host-session")
        .and_then(|c| URL_SAFE_NO_PAD.decode(c.value()).ok())
        .ok_or(StatusCode::UNAUTHORIZED)?;
    app.sessions.user(&token).ok_or(StatusCode::UNAUTHORIZED)
}

#[tokio::main]
async fn main() {
    let key = Key::from(&migration::v1_key("V1_KEY").expect("V1_KEY: 64 bytes as hex"));
    let app = App {
        key,
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
