//! Login, logout, the account page and the CSRF token endpoint.

use axum::Json;
use axum::extract::State;
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect};
use cookie_contract::SessionToken;
use serde::Deserialize;
use serde_json::json;

use super::{Input, is_form, live_session, page, page_for};
use crate::cookies::AppCookiesJar;
use crate::error::AppResult;
use crate::state::AppState;
use crate::store::{SessionRecord, SessionStore, now};
use crate::templates;

#[derive(Deserialize)]
pub struct LoginInput {
    email: String,
    password: String,
}

/// `POST /api/login`.
pub async fn login(
    State(st): State<AppState>,
    mut jar: AppCookiesJar,
    input: Input<LoginInput>,
) -> AppResult {
    let Input { value, form } = input;
    let email = value.email.trim().to_ascii_lowercase();
    if !verify_password(&st, &email, value.password).await {
        tracing::info!("failed login");
        let status = StatusCode::UNAUTHORIZED;
        return Ok(if form {
            let (page, _) = page(&st, &mut jar).await?;
            let html = templates::login(&page.visitor(), Some("Wrong e-mail or password."));
            (status, Html(html)).into_response()
        } else {
            let body = Json(json!({ "error": "wrong e-mail or password" }));
            (status, body).into_response()
        });
    }
    // Never adopt a session the request brought (fixation): revoke it, mint a fresh one.
    if let Some(old) = jar.session() {
        st.store.revoke(&old.hash()).await?;
    }
    let token = SessionToken::new();
    st.store
        .create(&token.hash(), &SessionRecord::new(&email, now()))
        .await?;
    jar.set_session(&token)?;
    tracing::info!("login");
    Ok(if form {
        (jar, Redirect::to("/account")).into_response()
    } else {
        (jar, Json(json!({ "ok": true, "user": email }))).into_response()
    })
}

/// Checks a password off the async workers, a few at once: Argon2 takes milliseconds of CPU
/// and 19 MiB.
async fn verify_password(st: &AppState, email: &str, password: String) -> bool {
    let Ok(_permit) = st.hashing.clone().acquire_owned().await else {
        return false; // shutting down
    };
    let (users, email) = (st.users.clone(), email.to_owned());
    tokio::task::spawn_blocking(move || users.verify(&email, &password))
        .await
        .unwrap_or(false)
}

/// `POST /api/logout`: revoke server-side, then clear with the declared scope. Answers the same
/// with or without a session. A request can carry several session cookies (a planted one beside
/// the real one, after cookie tossing); every copy that verifies names a session to end, so none
/// survives the logout.
pub async fn logout(
    State(st): State<AppState>,
    headers: HeaderMap,
    mut jar: AppCookiesJar,
) -> AppResult {
    for token in jar.every_session() {
        st.store.revoke(&token.hash()).await?;
    }
    jar.clear_session();
    Ok(if is_form(&headers) {
        (jar, Redirect::to("/")).into_response()
    } else {
        (jar, Json(json!({ "ok": true }))).into_response()
    })
}

/// `GET /account`: the record decides, not the cookie.
pub async fn account(State(st): State<AppState>, mut jar: AppCookiesJar) -> AppResult {
    let no_store = [(CACHE_CONTROL, "no-store")];
    let Some((token, record)) = live_session(&st, &jar).await? else {
        // A cookie that names no live session is useless: remove it.
        if jar.try_session() != Ok(None) {
            jar.clear_session();
        }
        return Ok((no_store, jar, Redirect::to("/login")).into_response());
    };
    let (page, _) = page_for(&st, &mut jar, Some(&token), Some(record.user.clone()));
    let html = templates::account(&page.visitor(), &record.user, record.created_at);
    Ok((no_store, jar, Html(html)).into_response())
}

/// `GET /api/csrf`: a fresh token for the session.
pub async fn csrf(State(st): State<AppState>, jar: AppCookiesJar) -> AppResult {
    Ok(match live_session(&st, &jar).await? {
        Some((token, _)) => (
            [(CACHE_CONTROL, "no-store")],
            Json(json!({ "token": st.keys.csrf_token(&token) })),
        )
            .into_response(),
        None => (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": "no session" })),
        )
            .into_response(),
    })
}
