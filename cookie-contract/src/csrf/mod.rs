//! CSRF protection in two layers, both on by default in the example app.
//!
//! 1. **Request origin** ([`OriginPolicy`], [`OriginLayer`]): Go 1.25's
//!    `CrossOriginProtection` model. Safe methods pass; `Sec-Fetch-Site: same-origin` or `none`
//!    pass; any other value is rejected (`same-site` only when allowed); without it, `Origin` is
//!    parsed strictly (scheme, host, port; userinfo rejected, golang/go#78563) and compared with
//!    the configured public origins *including scheme and port* (the tower-csrf bug); a request
//!    with neither header is a non-browser client and passes unless strict. Bypasses are exact
//!    paths (CVE-2025-47910 came from pattern bypasses).
//! 2. **Session-bound token** ([`KeyRing::csrf_token`](crate::KeyRing::csrf_token), [`CsrfTokenLayer`]): OWASP's signed
//!    token bound to the session, with one pinned encoding (the cheat sheet's pseudo-code mixes
//!    two): `HMAC(csrf subkey, u32be(32) ‖ session token bytes ‖ u32be(16) ‖ nonce)`. The secret
//!    `nonce ‖ mac` (48 bytes) is XOR-masked with fresh random bytes on every mint so the same
//!    secret never appears twice on the wire (BREACH); the wire token is base64url of
//!    `mask ‖ masked` (128 characters). It is checked before the handler runs (tower-surf#13 ran
//!    the handler first).

use core::fmt;

use http::Method;

mod origin;
mod token;

#[cfg(feature = "tower")]
mod layer;

#[cfg(feature = "tower")]
pub use layer::{CsrfTokenLayer, CsrfTokenService, OriginLayer, OriginService};
pub use origin::{Origin, OriginPolicy};
pub use token::TOKEN_LEN;

/// The header a CSRF token may be sent in.
///
/// ```
/// assert_eq!(cookie_contract::csrf::CSRF_HEADER, "x-csrf-token");
/// ```
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The form field a CSRF token may be sent in.
///
/// ```
/// assert_eq!(cookie_contract::csrf::CSRF_FIELD, "csrf_token");
/// ```
pub const CSRF_FIELD: &str = "csrf_token";

/// Why a CSRF check refused a request. The `Display` text is short and safe to send as the body
/// of the 403.
///
/// ```
/// use cookie_contract::csrf::{CsrfError, OriginPolicy};
/// use http::{HeaderMap, Method};
/// let headers = |pairs: &[(&'static str, &'static str)]| -> HeaderMap {
///     pairs.iter().map(|(k, v)| (http::HeaderName::from_static(k), v.parse().unwrap())).collect()
/// };
/// let policy = OriginPolicy::new("https://app.example").unwrap();
/// let cross = headers(&[("sec-fetch-site", "cross-site")]);
/// assert_eq!(policy.check(&Method::POST, "/", &cross), Err(CsrfError::CrossOrigin));
/// assert_eq!(CsrfError::CrossOrigin.to_string(), "cross-origin request refused (Sec-Fetch-Site)");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsrfError {
    /// `Sec-Fetch-Site` says the request came from another origin (or site).
    CrossOrigin,
    /// The `Origin` header names an origin that is not allowed.
    ForeignOrigin,
    /// The `Origin` header is not a plain `scheme://host[:port]`.
    MalformedOrigin,
    /// Strict mode: a state change with neither `Sec-Fetch-Site` nor `Origin`.
    NoOrigin,
    /// A session exists but the request carries no token.
    MissingToken,
    /// The token is malformed, forged, or minted for another session.
    BadToken,
}

impl fmt::Display for CsrfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CsrfError::CrossOrigin => "cross-origin request refused (Sec-Fetch-Site)",
            CsrfError::ForeignOrigin => "cross-origin request refused (Origin)",
            CsrfError::MalformedOrigin => "malformed Origin header",
            CsrfError::NoOrigin => "request without Origin refused",
            CsrfError::MissingToken => "missing CSRF token",
            CsrfError::BadToken => "invalid CSRF token",
        })
    }
}

impl std::error::Error for CsrfError {}

/// GET, HEAD, OPTIONS and TRACE change nothing (RFC 9110 §9.2.1) and are never checked.
pub(crate) fn is_safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}
