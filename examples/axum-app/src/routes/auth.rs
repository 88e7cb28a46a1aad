//! Login, logout, the account page and the CSRF token endpoint.

use axum::Json;
use axum::extract::State;
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect};
use cookie_contract::{Lifetime, SessionToken};
use serde::Deserialize;
use serde_json::json;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use super::{Input, is_form, live_session, notify, page, page_for};
use crate::cookies::{AppCookiesJar, Notice};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::{SessionRecord, SessionStore, now};
use crate::templates;
use crate::throttle::{Policy, ThrottleStore as _, account_key, client_key};

#[derive(Deserialize)]
pub struct LoginInput {
    email: String,
    password: String,
    /// "Keep me signed in": the session cookie lives for its declared 8 hours; otherwise it
    /// is a browser-session cookie (gone when the browser closes; the server record still ends
    /// after 8 hours at most). Unticked on the form; on by default for JSON clients.
    #[serde(default, deserialize_with = "optional_flag")]
    remember: Option<bool>,
}

fn optional_flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    super::flag(d).map(Some)
}

/// `POST /api/login`: refused without a password check while the account or the client is
/// throttled (`429`), at most one check in flight per client, a bounded wait for a worker
/// (`503`), a fresh session on success.
pub async fn login(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    mut jar: AppCookiesJar,
    input: Input<LoginInput>,
) -> AppResult {
    let Input { value, form } = input;
    let email = value.email.trim().to_ascii_lowercase();
    let keys = [account_key(&email), client_key(client)];
    refuse_while_throttled(&st, &keys).await?;
    let ok = {
        let Some(_slot) = st.in_flight.enter(client) else {
            return Err(AppError::TooManyAttempts { retry_after: 1 });
        };
        let (stored, known) = st.users.lookup(&email);
        let matches = st
            .passwords
            .check(stored, value.password)
            .await
            .map_err(|_| AppError::Busy)?;
        matches && known
    };
    if !ok {
        return refuse_login(&st, &keys, client, &mut jar, form).await;
    }
    st.store.reset(&keys[0]).await?;
    // Never adopt a session the request brought (fixation): revoke it, mint a fresh one.
    if let Some(old) = jar.session() {
        st.store.revoke(&old.hash()).await?;
    }
    let token = SessionToken::new();
    st.store
        .create(&token.hash(), &SessionRecord::new(&email, now()))
        .await?;
    if value.remember.unwrap_or(!form) {
        jar.set_session(&token)?;
    } else {
        jar.set_session_with(&token, Lifetime::Session)?;
    }
    tracing::info!(account = %keys[0], %client, "login");
    Ok(if form {
        notify(&mut jar, Notice::SignedIn { email });
        (jar, Redirect::to("/account")).into_response()
    } else {
        (jar, Json(json!({ "ok": true, "user": email }))).into_response()
    })
}

/// A failed login: counted for the account and the client, logged without the address typed,
/// answered 401 (the form again, or JSON).
async fn refuse_login(
    st: &AppState,
    keys: &[String; 2],
    client: IpAddr,
    jar: &mut AppCookiesJar,
    form: bool,
) -> AppResult {
    let now = now();
    st.store
        .record_failure(&keys[0], now, Policy::ACCOUNT)
        .await?;
    st.store
        .record_failure(&keys[1], now, Policy::CLIENT)
        .await?;
    tracing::info!(account = %keys[0], %client, "failed login");
    let status = StatusCode::UNAUTHORIZED;
    Ok(if form {
        let (page, _) = page(st, jar).await?;
        let html = templates::login(&page.visitor(), Some("Wrong e-mail or password."));
        (status, Html(html)).into_response()
    } else {
        let body = Json(json!({ "error": "wrong e-mail or password" }));
        (status, body).into_response()
    })
}

/// `429` while any of `keys` must wait.
async fn refuse_while_throttled(st: &AppState, keys: &[String]) -> Result<(), AppError> {
    let now = now();
    let mut until = None;
    for key in keys {
        until = until.max(st.store.blocked_until(key, now).await?);
    }
    match until {
        Some(until) => Err(AppError::TooManyAttempts {
            // Blocked through the end of second `until`.
            retry_after: until + 1 - now,
        }),
        None => Ok(()),
    }
}

/// The client's address, as the TCP connection shows it. Behind a reverse proxy, configure the
/// proxy's forwarded address here instead (and only from the proxy); without connection info
/// (a router served without it) every client shares one unspecified address, which throttles
/// them together rather than not at all.
pub struct ClientAddr(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        Ok(ClientAddr(addr))
    }
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
        notify(&mut jar, Notice::SignedOut);
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
