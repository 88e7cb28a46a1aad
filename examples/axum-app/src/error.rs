//! What can go wrong while answering a request, and the response each gets, so handlers
//! propagate failures with `?` instead of building error responses by hand.

use axum::http::StatusCode;
use axum::http::header::RETRY_AFTER;
use axum::response::{IntoResponse, Response};
use cookie_contract::CookieError;

use crate::store::StoreError;

/// A failure a handler cannot answer normally.
#[derive(Debug)]
pub enum AppError {
    /// The session store is unreachable or failed: `503`, and the visitor is not logged out
    /// (their cookie is left alone; the next request may succeed).
    Store(StoreError),
    /// The request is malformed in a way the body extractor cannot see (a `return_to` that is
    /// not a plain local path, say): `400` with the reason, before anything changed.
    BadRequest(&'static str),
    /// Too many failed logins for this account or client: `429` with `Retry-After`, and the
    /// password was not checked.
    TooManyAttempts {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// No password worker became free in time: `503` with `Retry-After`.
    Busy,
    /// A declared cookie could not be written (a value over the 4096-byte limit, an encoder that
    /// wrote non-octets): a bug in the application, `500`.
    Cookie(CookieError),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::Store(e)
    }
}

impl From<CookieError> for AppError {
    fn from(e: CookieError) -> Self {
        AppError::Cookie(e)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::BadRequest(why) => {
                tracing::warn!(reason = why, "bad request refused");
                let body = axum::Json(serde_json::json!({ "error": why }));
                (StatusCode::BAD_REQUEST, body).into_response()
            }
            AppError::TooManyAttempts { retry_after } => {
                let body = axum::Json(serde_json::json!({ "error": "too many attempts" }));
                let wait = [(RETRY_AFTER, retry_after.max(1).to_string())];
                (StatusCode::TOO_MANY_REQUESTS, wait, body).into_response()
            }
            AppError::Busy => {
                tracing::warn!("password workers busy");
                let body = axum::Json(serde_json::json!({ "error": "busy, try again" }));
                (StatusCode::SERVICE_UNAVAILABLE, [(RETRY_AFTER, "1")], body).into_response()
            }
            AppError::Store(e) => {
                tracing::error!(error = %e, "session store failed");
                (StatusCode::SERVICE_UNAVAILABLE, "session store unavailable").into_response()
            }
            AppError::Cookie(e) => {
                tracing::error!(error = %e, "cannot set a declared cookie");
                (StatusCode::INTERNAL_SERVER_ERROR, "cannot set a cookie").into_response()
            }
        }
    }
}

/// What handlers return.
pub type AppResult = Result<Response, AppError>;
