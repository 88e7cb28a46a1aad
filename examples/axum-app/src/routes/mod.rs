//! The handlers, by concern: [`auth`] (login, logout, account, CSRF token), [`choices`]
//! (consent and preferences) and [`pages`] (the pages anyone may read). Every state change is a
//! POST behind the origin layer, and behind the session-bound token whenever a session exists;
//! no GET changes server state.
//!
//! This file holds what they share: the request's live session, the body extractor, redirect
//! targets and what a page needs to know about the visitor.

pub mod auth;
pub mod choices;
pub mod pages;

use axum::Json;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use cookie_contract::{ConsentState, Preferences, SessionToken};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::json;

use crate::cookies::{AppCookiesJar, Locale, Notice, Theme};
use crate::error::AppError;
use crate::redirect::RedirectTarget;
use crate::state::AppState;
use crate::store::{SessionRecord, SessionStore, StoreError, TOUCH_INTERVAL, now};
use crate::templates::Visitor;

/// The request's live session: the cookie verifies, the record exists and neither timeout has
/// passed. An expired record is revoked on the way. Every authenticated request keeps the
/// session alive: the idle clock is refreshed here (written at most once per
/// [`TOUCH_INTERVAL`] per session), whichever page or API the visitor uses.
async fn live_session(
    st: &AppState,
    jar: &AppCookiesJar,
) -> Result<Option<(SessionToken, SessionRecord)>, StoreError> {
    let Some(token) = jar.session() else {
        return Ok(None);
    };
    let id = token.hash();
    let Some(record) = st.store.get(&id).await? else {
        return Ok(None);
    };
    let now = now();
    if let Err(why) = record.check(now) {
        tracing::info!(?why, "session expired");
        st.store.revoke(&id).await?;
        return Ok(None);
    }
    if record.last_seen + TOUCH_INTERVAL <= now {
        st.store.touch(&id, now).await?;
    }
    Ok(Some((token, record)))
}

/// A request body that is JSON or an urlencoded form; anything else, or a malformed body, is a
/// 400 (413 when too large), never a 500.
pub struct Input<T> {
    value: T,
    form: bool,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Input<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let form = is_form(req.headers());
        let json = mime(req.headers()).is_some_and(|m| m.eq_ignore_ascii_case("application/json"));
        let bad = |status: StatusCode, what: &str| -> Response {
            let status = if status == StatusCode::PAYLOAD_TOO_LARGE {
                status
            } else {
                StatusCode::BAD_REQUEST
            };
            (status, Json(json!({ "error": what }))).into_response()
        };
        if json {
            axum::Json::<T>::from_request(req, state)
                .await
                .map(|Json(value)| Input { value, form: false })
                .map_err(|e| bad(e.status(), "malformed JSON body"))
        } else if form {
            axum::Form::<T>::from_request(req, state)
                .await
                .map(|axum::Form(value)| Input { value, form: true })
                .map_err(|e| bad(e.status(), "malformed form body"))
        } else {
            Err(bad(
                StatusCode::BAD_REQUEST,
                "send application/json or an urlencoded form",
            ))
        }
    }
}

fn mime(h: &HeaderMap) -> Option<&str> {
    h.get(CONTENT_TYPE)?
        .to_str()
        .ok()?
        .split(';')
        .next()
        .map(str::trim)
}

fn is_form(h: &HeaderMap) -> bool {
    mime(h).is_some_and(|m| m.eq_ignore_ascii_case("application/x-www-form-urlencoded"))
}

/// Checkbox values (`on`, `true`, `1`) and JSON booleans.
fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum B {
        Bool(bool),
        Text(String),
    }
    Ok(match B::deserialize(d)? {
        B::Bool(b) => b,
        B::Text(t) => matches!(t.as_str(), "on" | "true" | "1" | "yes"),
    })
}

/// The `return_to` of a form, checked before anything changes: absent is the home page, a
/// plain local path is itself, anything else refuses the whole request with 400.
fn return_to(p: Option<&str>) -> Result<RedirectTarget, AppError> {
    match p {
        None => Ok(RedirectTarget::home()),
        Some(p) => RedirectTarget::parse(p).ok_or(AppError::BadRequest(
            "return_to must be a plain path of this site",
        )),
    }
}

/// Theme and language when preference cookies are allowed, defaults otherwise.
fn preferences(jar: &AppCookiesJar, consent: &ConsentState) -> (Theme, Locale) {
    match consent.granted::<Preferences>() {
        Some(p) => (
            jar.theme(&p).unwrap_or_default(),
            jar.locale(&p).unwrap_or_default(),
        ),
        None => (Theme::default(), Locale::default()),
    }
}

/// What a page needs to know about the visitor, owned.
struct Page {
    theme: Theme,
    locale: Locale,
    ask_consent: bool,
    csrf: Option<String>,
    user: Option<String>,
    notice: Option<String>,
}

impl Page {
    fn visitor(&self) -> Visitor<'_> {
        Visitor {
            theme: self.theme,
            locale: self.locale,
            ask_consent: self.ask_consent,
            csrf: self.csrf.as_deref(),
            user: self.user.as_deref(),
            notice: self.notice.as_deref(),
        }
    }
}

/// What a page needs: preferences, whether to ask for consent, the session and its CSRF token.
/// Also applies the consent state: clears gated cookies that are no longer granted.
async fn page(st: &AppState, jar: &mut AppCookiesJar) -> Result<(Page, ConsentState), StoreError> {
    let session = live_session(st, jar).await?;
    // Forms carry a token for whatever session cookie the browser holds, so that even a stale
    // one can log out; the token layer checks it against that same cookie.
    let cookie = jar.session();
    Ok(page_for(
        st,
        jar,
        cookie.as_ref(),
        session.map(|(_, r)| r.user),
    ))
}

/// [`page`] for a handler that already verified the session cookie (`cookie`) and looked the
/// record up (`user`), so neither is done twice.
fn page_for(
    st: &AppState,
    jar: &mut AppCookiesJar,
    cookie: Option<&SessionToken>,
    user: Option<String>,
) -> (Page, ConsentState) {
    let consent = jar.consent_state();
    jar.enforce_consent(&consent);
    let (theme, locale) = preferences(jar, &consent);
    let csrf = cookie.map(|t| st.keys.csrf_token(t));
    let notice = take_notice(jar);
    (
        Page {
            theme,
            locale,
            ask_consent: !consent.has_choice(),
            csrf,
            user,
            notice,
        },
        consent,
    )
}

/// The one-time notice, removed in the response that shows it. One that does not open (another
/// key, altered) is removed too, unshown.
fn take_notice(jar: &mut AppCookiesJar) -> Option<String> {
    match jar.try_flash() {
        Ok(None) => None,
        Ok(Some(cookie_contract::Json(notice))) => {
            jar.clear_flash();
            Some(notice.text())
        }
        Err(_) => {
            jar.clear_flash();
            None
        }
    }
}

/// Queues a one-time notice for the next page. One that does not fit in a cookie (an account
/// address of thousands of characters) is left out rather than failing the request it reports on.
fn notify(jar: &mut AppCookiesJar, notice: Notice) {
    if let Err(e) = jar.set_flash(&cookie_contract::Json(notice)) {
        tracing::warn!(error = %e, "notice left out");
    }
}
