//! Shared fixtures for the workspace tests: inventories that together use every attribute the
//! rules allow.

use cookie_contract::{ConsentRecord, CookieContract, CookieValue, Json, SessionToken};

/// The README's first example: a session, consent, a preference and an analytics id.
#[derive(CookieContract)]
pub struct AppCookies {
    /// Points at the server-side session record; the record is the truth.
    #[cookie(
        name = "__Host-session",
        purpose = "authentication",
        secure,
        http_only,
        same_site = "lax",
        path = "/",
        max_age = "8h",
        signed
    )]
    pub session: SessionToken,

    /// The visitor's cookie choices; needed to honour them.
    #[cookie(
        name = "__Host-consent",
        purpose = "consent",
        secure,
        http_only,
        same_site = "lax",
        path = "/",
        max_age = "180d",
        signed
    )]
    pub consent: ConsentRecord,

    /// Light or dark theme.
    #[cookie(
        name = "theme",
        purpose = "preferences",
        secure,
        http_only = false,
        same_site = "lax",
        max_age = "365d"
    )]
    pub theme: Theme,

    /// Anonymous analytics visitor id.
    #[cookie(
        name = "_ga",
        purpose = "analytics",
        secure,
        same_site = "lax",
        max_age = "390d"
    )]
    pub analytics_id: AnalyticsId,
}

/// The seed's session cookie alone, unsigned, for byte-exact header checks.
#[derive(CookieContract)]
pub struct SeedSession {
    #[cookie(
        name = "__Host-session",
        purpose = "authentication",
        secure,
        http_only,
        same_site = "lax",
        path = "/",
        max_age = "8h"
    )]
    pub session: String,
}

/// Every other attribute and value type: Domain, Partitioned, Priority, Strict/None, session
/// lifetime, integer max_age, every purpose, every built-in `CookieValue`.
#[derive(CookieContract)]
#[cookies(jar = "WideJar")]
pub struct Wide {
    /// CSRF secret.
    #[cookie(
        name = "__Host-Http-csrf",
        purpose = "security",
        secure,
        http_only,
        same_site = "strict",
        max_age = "session",
        priority = "high"
    )]
    pub csrf: String,
    /// Cart.
    #[cookie(
        name = "__Secure-cart",
        purpose = "essential",
        secure = true,
        same_site = "strict",
        path = "/shop",
        domain = "shop.example.com",
        max_age = 3600
    )]
    pub cart: Json<Vec<u32>>,
    /// Embedded widget state.
    #[cookie(
        name = "__Http-widget",
        purpose = "essential",
        secure,
        http_only,
        same_site = "none",
        partitioned,
        max_age = "1d12h",
        priority = "low"
    )]
    pub widget: u64,
    /// Locale.
    #[cookie(
        name = "locale",
        purpose = "preferences",
        secure = false,
        same_site = "lax",
        domain = "Example.COM",
        max_age = "30m",
        priority = "medium"
    )]
    pub locale: String,
    /// Ad id.
    #[cookie(
        purpose = "advertising",
        secure,
        same_site = "none",
        max_age = "90s",
        path = "/ads/x"
    )]
    pub ad_id: i64,
    /// Visits.
    #[cookie(
        name = "visits",
        purpose = "analytics",
        secure,
        same_site = "lax",
        max_age = "400d",
        signed
    )]
    pub visits: u16,
    /// Flag.
    #[cookie(
        name = "beta",
        purpose = "preferences",
        secure,
        same_site = "strict",
        max_age = "session"
    )]
    pub beta: bool,
    /// Signed text.
    #[cookie(
        name = "note",
        purpose = "essential",
        secure,
        http_only,
        same_site = "lax",
        max_age = "7d",
        signed,
        partitioned
    )]
    pub note: String,
}

/// Light or dark.
#[derive(CookieValue, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
    #[cookie_value(rename = "high-contrast")]
    HighContrast,
}

/// An anonymous visitor id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnalyticsId(pub String);

impl CookieValue for AnalyticsId {
    fn encode(&self, out: &mut String) {
        self.0.encode(out)
    }
    fn encoded_len(&self) -> usize {
        self.0.encoded_len()
    }
    fn decode(raw: &str) -> Result<Self, cookie_contract::DecodeError> {
        String::decode(raw).map(AnalyticsId)
    }
}

/// A shop: necessary cookies beside gated ones of every category, with varied scopes, for the
/// consent tests.
#[derive(CookieContract)]
pub struct Shop {
    /// Session.
    #[cookie(
        name = "__Host-session",
        purpose = "authentication",
        secure,
        http_only,
        same_site = "lax",
        max_age = "8h",
        signed
    )]
    pub session: SessionToken,
    /// CSRF secret.
    #[cookie(
        name = "__Host-Http-csrf",
        purpose = "security",
        secure,
        http_only,
        same_site = "strict",
        max_age = "8h"
    )]
    pub csrf: String,
    /// Consent record.
    #[cookie(
        name = "__Host-consent",
        purpose = "consent",
        secure,
        http_only,
        same_site = "lax",
        max_age = "180d",
        signed
    )]
    pub consent: ConsentRecord,
    /// Cart.
    #[cookie(
        name = "__Secure-cart",
        purpose = "essential",
        secure,
        same_site = "lax",
        domain = "shop.example.com",
        path = "/cart",
        max_age = "7d"
    )]
    pub cart: String,
    /// Locale.
    #[cookie(
        name = "locale",
        purpose = "preferences",
        secure,
        same_site = "lax",
        domain = "example.com",
        max_age = "365d"
    )]
    pub locale: String,
    /// Analytics id.
    #[cookie(
        name = "_ga",
        purpose = "analytics",
        secure,
        same_site = "lax",
        domain = "example.com",
        max_age = "390d"
    )]
    pub ga: String,
    /// Embedded analytics.
    #[cookie(
        name = "_pk",
        purpose = "analytics",
        secure,
        same_site = "none",
        path = "/shop",
        partitioned,
        max_age = "30d"
    )]
    pub pk: String,
    /// Ads.
    #[cookie(
        name = "ad",
        purpose = "advertising",
        secure,
        same_site = "none",
        partitioned,
        max_age = "90d"
    )]
    pub ad: String,
}

pub mod app;
pub mod stored;

/// Cookies that moved: each declares the scopes it was set at before (`legacy(...)`).
#[derive(CookieContract)]
pub struct Migrated {
    /// Theme, once at `/app` and once shared with the parent domain.
    #[cookie(
        name = "theme",
        purpose = "essential",
        secure,
        same_site = "lax",
        max_age = "30d",
        legacy(path = "/app"),
        legacy(domain = "example.com")
    )]
    pub theme: String,
    /// Cart, moved from the parent domain's `/shop` to the shop's host.
    #[cookie(
        name = "__Secure-cart",
        purpose = "essential",
        secure,
        http_only,
        same_site = "strict",
        domain = "shop.example.com",
        max_age = "7d",
        legacy(path = "/shop", domain = "example.com")
    )]
    pub cart: String,
}

/// A preference cookie that moved from the parent domain to its host. Not `secure`: the browser
/// suite serves it over plain http on a name that is not localhost (through Chromium's
/// host-resolver rules), where browsers refuse `Secure` cookies.
#[derive(CookieContract)]
pub struct MovedDomain {
    /// Moved from `Domain=cookie-contract.test` to host-only.
    #[cookie(
        name = "pref",
        purpose = "essential",
        secure = false,
        same_site = "lax",
        max_age = "1h",
        legacy(domain = "cookie-contract.test")
    )]
    pub pref: String,
}

/// The `Set-Cookie` lines `router` answers a `GET path` with, the request carrying `cookie`.
pub async fn get_set_cookies(
    router: &axum::Router,
    path: &str,
    cookie: Option<&str>,
) -> Vec<String> {
    use tower::ServiceExt;
    let mut req = axum::http::Request::get(path);
    if let Some(c) = cookie {
        req = req.header(axum::http::header::COOKIE, c);
    }
    let res = router
        .clone()
        .oneshot(req.body(axum::body::Body::empty()).unwrap())
        .await
        .unwrap();
    cookie_contract_harness::http::set_cookie_lines(res.headers())
}

/// Encrypted cookies of every value type the crate implements `CookieValue` for, plus a derived
/// enum, a hand-written impl and JSON; the consent cookie encrypted instead of signed (rule 18).
#[derive(CookieContract)]
pub struct Sealed {
    /// A one-time notice.
    #[cookie(
        name = "__Host-flash",
        purpose = "essential",
        secure,
        http_only,
        same_site = "lax",
        max_age = "5m",
        encrypted
    )]
    pub flash: String,
    /// Session.
    #[cookie(
        name = "__Host-session",
        purpose = "authentication",
        secure,
        http_only,
        same_site = "lax",
        max_age = "8h",
        encrypted
    )]
    pub session: SessionToken,
    /// Consent, sealed.
    #[cookie(
        name = "__Host-consent",
        purpose = "consent",
        secure,
        http_only,
        same_site = "lax",
        max_age = "180d",
        encrypted
    )]
    pub consent: ConsentRecord,
    /// A counter.
    #[cookie(
        name = "visits",
        purpose = "essential",
        secure,
        http_only,
        same_site = "lax",
        max_age = "1d",
        encrypted
    )]
    pub visits: u64,
    /// A signed offset.
    #[cookie(
        name = "offset",
        purpose = "essential",
        secure,
        http_only,
        same_site = "lax",
        max_age = "1d",
        encrypted
    )]
    pub offset: i32,
    /// A flag.
    #[cookie(
        name = "beta",
        purpose = "essential",
        secure,
        http_only,
        same_site = "lax",
        max_age = "1d",
        encrypted
    )]
    pub beta: bool,
    /// Theme.
    #[cookie(
        name = "theme",
        purpose = "preferences",
        secure,
        http_only,
        same_site = "lax",
        max_age = "30d",
        encrypted
    )]
    pub theme: Theme,
    /// Hand-written impl.
    #[cookie(
        name = "_aid",
        purpose = "analytics",
        secure,
        http_only,
        same_site = "lax",
        max_age = "30d",
        encrypted
    )]
    pub analytics_id: AnalyticsId,
    /// JSON.
    #[cookie(
        name = "cart",
        purpose = "essential",
        secure,
        http_only,
        same_site = "lax",
        max_age = "1d",
        encrypted
    )]
    pub cart: Json<Vec<u32>>,
    /// The largest value that fits: a name of 4 bytes, so 4092 bytes of sealed value.
    #[cookie(
        name = "note",
        purpose = "essential",
        secure,
        http_only,
        same_site = "strict",
        max_age = "1h",
        encrypted
    )]
    pub note: String,
}
