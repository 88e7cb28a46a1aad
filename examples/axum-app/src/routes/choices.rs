//! The visitor's choices: consent (the banner and the policy page) and preferences.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use cookie_contract::{Analytics, Category, ConsentChoice, Inventory, Preferences};
use serde::Deserialize;
use serde_json::json;

use super::{Input, flag, return_to};
use crate::cookies::{AnalyticsId, AppCookies, AppCookiesJar, Locale, Notice, Theme};
use crate::error::AppResult;

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
pub async fn consent(mut jar: AppCookiesJar, input: Input<ConsentInput>) -> AppResult {
    let Input { value, form } = input;
    // Checked before anything changes: a bad target refuses the whole request.
    let next = return_to(value.return_to.as_deref())?;
    let choice = match value.choice.as_deref() {
        Some("accept") => ConsentChoice::ACCEPT_ALL,
        Some("reject") => ConsentChoice::REJECT_ALL,
        None | Some("custom") => ConsentChoice {
            preferences: value.preferences,
            analytics: value.analytics,
            advertising: value.advertising,
        },
        Some(_) => {
            let error = Json(json!({ "error": "choice is accept, reject or custom" }));
            return Ok((StatusCode::BAD_REQUEST, error).into_response());
        }
    };
    let state = jar.record_consent(choice)?;
    if let Some(proof) = state.granted::<Analytics>()
        && jar.analytics_id(&proof).is_none()
    {
        jar.set_analytics_id(&AnalyticsId::generate(), &proof)?;
    }
    tracing::info!(?choice, gpc = state.gpc(), "consent recorded");
    Ok(if form {
        super::notify(&mut jar, Notice::ChoicesSaved);
        (jar, Redirect::to(next.as_str())).into_response()
    } else {
        let c = |cat| state.grants(cat);
        let body = json!({
            "preferences": c(Category::Preferences),
            "analytics": c(Category::Analytics),
            "advertising": c(Category::Advertising),
            "revision": AppCookies::REVISION,
        });
        (jar, Json(body)).into_response()
    })
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
pub async fn preferences(mut jar: AppCookiesJar, input: Input<PreferencesInput>) -> AppResult {
    let Input { value, form } = input;
    // Checked before anything changes: a bad target refuses the whole request.
    let next = return_to(value.return_to.as_deref())?;
    let mut consent = jar.consent_state();
    if consent.granted::<Preferences>().is_none() {
        consent = jar.record_consent(ConsentChoice {
            preferences: true,
            analytics: consent.grants(Category::Analytics),
            advertising: consent.grants(Category::Advertising),
        })?;
    }
    let Some(proof) = consent.granted::<Preferences>() else {
        let refused = "preference cookies are not allowed";
        return Ok((StatusCode::FORBIDDEN, refused).into_response());
    };
    if let Some(theme) = value.theme {
        jar.set_theme(&theme, &proof)?;
    }
    if let Some(locale) = value.locale {
        jar.set_locale(&locale, &proof)?;
    }
    Ok(if form {
        (jar, Redirect::to(next.as_str())).into_response()
    } else {
        (jar, Json(json!({ "ok": true }))).into_response()
    })
}
