//! The pages anyone may read: home, the login form, the cookie policy (HTML and JSON), the free
//! download and the health check.

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Response};
use cookie_contract::{Analytics, Category, ConsentState};

use super::page;
use crate::cookies::{AnalyticsId, AppCookies, AppCookiesJar};
use crate::error::AppResult;
use crate::state::AppState;
use crate::templates;

/// `GET /`.
pub async fn home(State(st): State<AppState>, mut jar: AppCookiesJar) -> AppResult {
    let (page, consent) = page(&st, &mut jar).await?;
    // Measurement starts on the first page view after consent.
    let analytics = match consent.granted::<Analytics>() {
        None => None,
        Some(proof) => Some(match jar.analytics_id(&proof) {
            Some(id) => id,
            None => {
                let id = AnalyticsId::generate();
                jar.set_analytics_id(&id, &proof)?;
                id
            }
        }),
    };
    let html = templates::home(&page.visitor(), analytics.as_ref().map(AnalyticsId::as_str));
    Ok((jar, Html(html)).into_response())
}

/// `GET /login`.
pub async fn login(State(st): State<AppState>, mut jar: AppCookiesJar) -> AppResult {
    let (page, _) = page(&st, &mut jar).await?;
    Ok((jar, Html(templates::login(&page.visitor(), None))).into_response())
}

/// `GET /cookies`: the policy page, from the inventory.
pub async fn policy(State(st): State<AppState>, mut jar: AppCookiesJar) -> AppResult {
    let (page, consent) = page(&st, &mut jar).await?;
    let fragment = cookie_contract::inventory::html::<AppCookies>();
    let html = templates::policy(&page.visitor(), &fragment, &choice_in_words(&consent));
    Ok((jar, Html(html)).into_response())
}

/// The visitor's current choice, in a sentence.
fn choice_in_words(consent: &ConsentState) -> String {
    if consent.record().is_none() {
        return "You have not made a choice yet: only strictly necessary cookies are used.".into();
    }
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
        "You allowed only strictly necessary cookies.".into()
    } else {
        format!(
            "You allowed strictly necessary cookies and: {}.",
            granted.join(", ")
        )
    }
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
        &include_bytes!("../../assets/free.pdf")[..],
    )
        .into_response()
}

/// `GET /style.css`.
pub async fn style() -> Response {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        templates::STYLE,
    )
        .into_response()
}

/// `GET /healthz`.
pub async fn healthz() -> &'static str {
    "ok"
}
