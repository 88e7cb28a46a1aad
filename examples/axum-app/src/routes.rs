//! The handlers. Every state change is a POST behind the origin layer, and behind the
//! session-bound token whenever a session exists; no GET changes server state.

use std::sync::Arc;

use axum::Json;
use axum::extract::{FromRequest, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use cookie_contract::{
    Analytics, ConsentChoice, ConsentState, Inventory, KeyRing, Preferences, SessionToken,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::json;

use crate::cookies::{AnalyticsId, AppCookies, AppCookiesJar, Locale, Theme};
use crate::pages::{self, Visitor};
use crate::store::{SessionRecord, SessionStore, Store, StoreError};
use crate::users::Users;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    /// Signing and CSRF keys.
    pub keys: KeyRing,
    /// Where sessions live.
    pub store: Store,
    /// The accounts.
    pub users: Arc<Users>,
    /// Bounds concurrent password checks: each Argon2 run holds 19 MiB, so a login flood must
    /// queue rather than exhaust memory.
    pub hashing: Arc<tokio::sync::Semaphore>,
}

impl axum::extract::FromRef<AppState> for KeyRing {
    fn from_ref(s: &AppState) -> KeyRing {
        s.keys.clone()
    }
}

pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn unavailable(e: &StoreError) -> Response {
    tracing::error!(error = %e, "session store failed");
    (StatusCode::SERVICE_UNAVAILABLE, "session store unavailable").into_response()
}

/// The request's live session: the cookie verifies, the record exists and neither timeout has
/// passed. An expired record is revoked on the way.
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
    if let Err(why) = record.check(now()) {
        tracing::info!(?why, "session expired");
        st.store.revoke(&id).await?;
        return Ok(None);
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

/// Only a local path is a redirect target (no `//host`, no scheme): no open redirect.
fn local_path(p: Option<&str>) -> &str {
    match p {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && !p.contains("://") =>
        {
            p
        }
        _ => "/",
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

struct Page {
    theme: Theme,
    locale: Locale,
    ask_consent: bool,
    csrf: Option<String>,
    user: Option<String>,
}

impl Page {
    fn visitor(&self) -> Visitor<'_> {
        Visitor {
            theme: self.theme,
            locale: self.locale,
            ask_consent: self.ask_consent,
            csrf: self.csrf.as_deref(),
            user: self.user.as_deref(),
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
    (
        Page {
            theme,
            locale,
            ask_consent: !consent.has_choice(),
            csrf,
            user,
        },
        consent,
    )
}

/// `GET /`.
pub async fn home(State(st): State<AppState>, mut jar: AppCookiesJar) -> Response {
    let (page, consent) = match page(&st, &mut jar).await {
        Ok(p) => p,
        Err(e) => return unavailable(&e),
    };
    // Measurement starts on the first page view after consent.
    let analytics = consent
        .granted::<Analytics>()
        .map(|proof| match jar.analytics_id(&proof) {
            Some(id) => id,
            None => {
                let id = AnalyticsId::generate();
                let _ = jar.set_analytics_id(&id, &proof);
                id
            }
        });
    let html = pages::home(&page.visitor(), analytics.as_ref().map(AnalyticsId::as_str));
    (jar, Html(html)).into_response()
}

/// `GET /login`.
pub async fn login_page(State(st): State<AppState>, mut jar: AppCookiesJar) -> Response {
    match page(&st, &mut jar).await {
        Ok((page, _)) => (jar, Html(pages::login(&page.visitor(), None))).into_response(),
        Err(e) => unavailable(&e),
    }
}

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
) -> Response {
    let Input { value, form } = input;
    let users = st.users.clone();
    let email = value.email.trim().to_ascii_lowercase();
    let e = email.clone();
    // Argon2 takes milliseconds of CPU and 19 MiB: keep it off the async workers, a few at once.
    let Ok(_permit) = st.hashing.clone().acquire_owned().await else {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response();
    };
    let ok = tokio::task::spawn_blocking(move || users.verify(&e, &value.password))
        .await
        .unwrap_or(false);
    if !ok {
        tracing::info!("failed login");
        return if form {
            let (page, _) = match page(&st, &mut jar).await {
                Ok(p) => p,
                Err(e) => return unavailable(&e),
            };
            (
                StatusCode::UNAUTHORIZED,
                Html(pages::login(
                    &page.visitor(),
                    Some("Wrong e-mail or password."),
                )),
            )
                .into_response()
        } else {
            (
                StatusCode::UNAUTHORIZED,
                Json(json!({ "error": "wrong e-mail or password" })),
            )
                .into_response()
        };
    }
    // Never adopt a session the request brought (fixation): revoke it, mint a fresh one.
    if let Some(old) = jar.session()
        && let Err(e) = st.store.revoke(&old.hash()).await
    {
        return unavailable(&e);
    }
    let token = SessionToken::new();
    if let Err(e) = st
        .store
        .create(&token.hash(), &SessionRecord::new(&email, now()))
        .await
    {
        return unavailable(&e);
    }
    if let Err(e) = jar.set_session(&token) {
        tracing::error!(error = %e, "cannot set the session cookie");
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot set the session cookie",
        )
            .into_response();
    }
    tracing::info!("login");
    if form {
        (jar, Redirect::to("/account")).into_response()
    } else {
        (jar, Json(json!({ "ok": true, "user": email }))).into_response()
    }
}

/// `POST /api/logout`: revoke server-side, then clear with the declared scope. Answers the same
/// with or without a session.
pub async fn logout(
    State(st): State<AppState>,
    headers: HeaderMap,
    mut jar: AppCookiesJar,
) -> Response {
    if let Some(token) = jar.session()
        && let Err(e) = st.store.revoke(&token.hash()).await
    {
        return unavailable(&e);
    }
    jar.clear_session();
    if is_form(&headers) {
        (jar, Redirect::to("/")).into_response()
    } else {
        (jar, Json(json!({ "ok": true }))).into_response()
    }
}

/// `GET /account`: the record decides, not the cookie.
pub async fn account(State(st): State<AppState>, mut jar: AppCookiesJar) -> Response {
    let no_store = [(CACHE_CONTROL, "no-store")];
    let session = match live_session(&st, &jar).await {
        Ok(s) => s,
        Err(e) => return unavailable(&e),
    };
    let Some((token, record)) = session else {
        // A cookie that names no live session is useless: remove it.
        if jar.try_session() != Ok(None) {
            jar.clear_session();
        }
        return (no_store, jar, Redirect::to("/login")).into_response();
    };
    // The record says when it was last touched: write only when that is stale.
    let now = now();
    if record.last_seen + crate::store::TOUCH_INTERVAL <= now
        && let Err(e) = st.store.touch(&token.hash(), now).await
    {
        return unavailable(&e);
    }
    let (page, _) = page_for(&st, &mut jar, Some(&token), Some(record.user.clone()));
    (
        no_store,
        jar,
        Html(pages::account(
            &page.visitor(),
            &record.user,
            record.created_at,
        )),
    )
        .into_response()
}

/// `GET /api/csrf`.
pub async fn csrf(State(st): State<AppState>, jar: AppCookiesJar) -> Response {
    match live_session(&st, &jar).await {
        Ok(Some((token, _))) => (
            [(CACHE_CONTROL, "no-store")],
            Json(json!({ "token": st.keys.csrf_token(&token) })),
        )
            .into_response(),
        Ok(None) => (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": "no session" })),
        )
            .into_response(),
        Err(e) => unavailable(&e),
    }
}

#[derive(Deserialize)]
pub struct ConsentInput {
    choice: Option<String>,
    #[serde(default, deserialize_with = "flag")]
    preferences: bool,
    #[serde(default, deserialize_with = "flag")]
    analytics: bool,
    #[serde(default, deserialize_with = "flag")]
    advertising: bool,
    return_to: Option<String>,
}

/// `POST /api/consent`: records the choice, clears the cookies of withdrawn categories in the
/// same response, and starts measurement at once when analytics is granted.
pub async fn consent(mut jar: AppCookiesJar, input: Input<ConsentInput>) -> Response {
    let Input { value, form } = input;
    let choice = match value.choice.as_deref() {
        Some("accept") => ConsentChoice::ACCEPT_ALL,
        Some("reject") => ConsentChoice::REJECT_ALL,
        None | Some("custom") => ConsentChoice {
            preferences: value.preferences,
            analytics: value.analytics,
            advertising: value.advertising,
        },
        Some(_) => {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({ "error": "choice is accept, reject or custom" })),
            )
                .into_response();
        }
    };
    let state = match jar.record_consent(choice) {
        Ok(s) => s,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    };
    if let Some(proof) = state.granted::<Analytics>()
        && jar.analytics_id(&proof).is_none()
    {
        let _ = jar.set_analytics_id(&AnalyticsId::generate(), &proof);
    }
    tracing::info!(?choice, gpc = state.gpc(), "consent recorded");
    if form {
        (jar, Redirect::to(local_path(value.return_to.as_deref()))).into_response()
    } else {
        let c = |cat| state.grants(cat);
        use cookie_contract::Category::*;
        (jar, Json(json!({ "preferences": c(Preferences), "analytics": c(Analytics), "advertising": c(Advertising), "revision": AppCookies::REVISION }))).into_response()
    }
}

#[derive(Deserialize)]
pub struct PreferencesInput {
    theme: Option<Theme>,
    locale: Option<Locale>,
    return_to: Option<String>,
}

/// `POST /api/preferences`. Submitting the form is an explicit request to remember the
/// preference, so when preference cookies are not yet allowed it records that consent (keeping
/// the other categories as they are in effect) in the same response, as the form says.
pub async fn preferences_post(mut jar: AppCookiesJar, input: Input<PreferencesInput>) -> Response {
    let Input { value, form } = input;
    let mut consent = jar.consent_state();
    if consent.granted::<Preferences>().is_none() {
        use cookie_contract::Category;
        let choice = ConsentChoice {
            preferences: true,
            analytics: consent.grants(Category::Analytics),
            advertising: consent.grants(Category::Advertising),
        };
        consent = match jar.record_consent(choice) {
            Ok(s) => s,
            Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        };
    }
    let Some(proof) = consent.granted::<Preferences>() else {
        return (StatusCode::FORBIDDEN, "preference cookies are not allowed").into_response();
    };
    if let Some(theme) = value.theme {
        let _ = jar.set_theme(&theme, &proof);
    }
    if let Some(locale) = value.locale {
        let _ = jar.set_locale(&locale, &proof);
    }
    if form {
        (jar, Redirect::to(local_path(value.return_to.as_deref()))).into_response()
    } else {
        (jar, Json(json!({ "ok": true }))).into_response()
    }
}

/// `GET /cookies`: the policy page, from the inventory.
pub async fn policy(State(st): State<AppState>, mut jar: AppCookiesJar) -> Response {
    let (page, consent) = match page(&st, &mut jar).await {
        Ok(p) => p,
        Err(e) => return unavailable(&e),
    };
    use cookie_contract::Category;
    let choice = match consent.record() {
        None => {
            "You have not made a choice yet: only strictly necessary cookies are used.".to_owned()
        }
        Some(_) => {
            let granted: Vec<&str> = [
                Category::Preferences,
                Category::Analytics,
                Category::Advertising,
            ]
            .into_iter()
            .filter(|c| consent.grants(*c))
            .map(Category::as_str)
            .collect();
            if granted.is_empty() {
                "You allowed only strictly necessary cookies.".to_owned()
            } else {
                format!(
                    "You allowed strictly necessary cookies and: {}.",
                    granted.join(", ")
                )
            }
        }
    };
    let fragment = cookie_contract::inventory::html::<AppCookies>();
    (
        jar,
        Html(pages::policy(&page.visitor(), &fragment, &choice)),
    )
        .into_response()
}

/// `GET /cookies.json`.
pub async fn policy_json() -> Response {
    (
        [(CONTENT_TYPE, "application/json")],
        cookie_contract::inventory::json::<AppCookies>(),
    )
        .into_response()
}

/// `GET /free.pdf`: served whatever the consent.
pub async fn free_pdf() -> Response {
    (
        [
            (CONTENT_TYPE, "application/pdf"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        &include_bytes!("../assets/free.pdf")[..],
    )
        .into_response()
}

/// `GET /healthz`.
pub async fn healthz() -> &'static str {
    "ok"
}
