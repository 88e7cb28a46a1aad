//! Headers every response carries, so a page of this app cannot be framed, sniffed into another
//! type, cached with someone's data in it, leak its URL to other sites, or (on https) be fetched
//! over plain http again.
//!
//! The pages have no scripts and no inline styles (the style sheet is `/style.css`), so the
//! Content-Security-Policy can be strict: nothing but same-origin styles and images, forms only to
//! this origin, no framing by anyone (`frame-ancestors 'none'`, with `X-Frame-Options: DENY` for
//! older browsers).

use axum::extract::State;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;
use cookie_contract::csrf::Origin;

/// The policy for every response.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// HSTS for two years, subdomains included, sent only when the public origin is https (a
/// browser ignores it over http, and it must never pin localhost development to https).
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// What the layer needs to know: whether the site is served over https.
#[derive(Clone, Copy, Debug)]
pub struct SecurityHeaders {
    https: bool,
}

impl SecurityHeaders {
    /// The headers for a site whose public origin is `origin`.
    pub fn for_origin(origin: &Origin) -> Self {
        SecurityHeaders {
            https: origin.scheme() == "https",
        }
    }
}

/// Adds the headers to `res`. A handler's own `Cache-Control` (the public PDF) is kept; every
/// other response is `no-store`, because pages show the e-mail address and carry CSRF tokens.
pub async fn apply(State(cfg): State<SecurityHeaders>, mut res: Response) -> Response {
    let h = res.headers_mut();
    let fixed: [(HeaderName, &'static str); 5] = [
        (CONTENT_SECURITY_POLICY, CSP),
        (X_FRAME_OPTIONS, "DENY"),
        (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (REFERRER_POLICY, "no-referrer"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    for (name, value) in fixed {
        h.insert(name, HeaderValue::from_static(value));
    }
    if cfg.https {
        h.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    if !h.contains_key(CACHE_CONTROL) {
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}
