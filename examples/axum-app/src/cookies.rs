//! Every cookie this application sets, declared once. The policy page, `/cookies.json` and
//! `COOKIES.md` are rendered from this struct.

use cookie_contract::{
    ConsentRecord, CookieContract, CookieValue, DecodeError, Json, SessionToken,
};

/// Cookies set by the cookie-contract example application.
#[derive(CookieContract)]
pub struct AppCookies {
    /// Keeps you signed in: points at your session on our server, which is the truth.
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
    session: SessionToken,

    /// Remembers your cookie choices so we can honour them.
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
    consent: ConsentRecord,

    /// A one-time notice after you sign in or out or change your cookie choices ("Signed in as
    /// …"), shown on the next page and removed there. Encrypted: it can name your account.
    #[cookie(
        name = "__Host-flash",
        purpose = "essential",
        secure,
        http_only,
        same_site = "lax",
        path = "/",
        max_age = "5m",
        encrypted
    )]
    flash: Json<Notice>,

    /// Your colour theme (light or dark).
    #[cookie(
        name = "theme",
        purpose = "preferences",
        secure,
        http_only = false,
        same_site = "lax",
        max_age = "365d"
    )]
    theme: Theme,

    /// Your language.
    #[cookie(
        name = "locale",
        purpose = "preferences",
        secure,
        http_only = false,
        same_site = "lax",
        max_age = "365d"
    )]
    locale: Locale,

    /// An anonymous visitor id for audience measurement.
    #[cookie(
        name = "_ga",
        purpose = "analytics",
        secure,
        same_site = "lax",
        max_age = "390d"
    )]
    analytics_id: AnalyticsId,
}

/// What the next page tells the visitor once (the `__Host-flash` cookie). Sealed, because the
/// sign-in notice names the account and a cookie's value ends up in places a page never does
/// (proxies' and browsers' cookie stores, shared machines, bug reports).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Notice {
    SignedIn { email: String },
    SignedOut,
    ChoicesSaved,
}

impl Notice {
    /// The sentence shown (HTML-escaped by the template).
    pub fn text(&self) -> String {
        match self {
            Notice::SignedIn { email } => format!("Signed in as {email}."),
            Notice::SignedOut => "You are signed out.".to_owned(),
            Notice::ChoicesSaved => "Your cookie choices are saved.".to_owned(),
        }
    }
}

/// Light or dark.
#[derive(CookieValue, Clone, Copy, Debug, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

impl Theme {
    /// The attribute value used in pages.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// The languages the site offers.
#[derive(CookieValue, Clone, Copy, Debug, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    En,
    De,
    Fr,
    Ja,
}

impl Locale {
    /// The language tag.
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::De => "de",
            Locale::Fr => "fr",
            Locale::Ja => "ja",
        }
    }
}

/// A `_ga`-style anonymous id: `GA1.1.<random>.<unix seconds>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnalyticsId(String);

impl AnalyticsId {
    /// A fresh random id.
    pub fn generate() -> Self {
        let random = getrandom::u32().unwrap_or(0);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        AnalyticsId(format!("GA1.1.{random}.{now}"))
    }

    /// The id as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl CookieValue for AnalyticsId {
    fn encode(&self, out: &mut String) {
        out.push_str(&self.0);
    }

    fn encoded_len(&self) -> usize {
        self.0.len()
    }

    fn decode(raw: &str) -> Result<Self, DecodeError> {
        let ok = !raw.is_empty()
            && raw.len() <= 64
            && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.');
        if ok {
            Ok(AnalyticsId(raw.to_owned()))
        } else {
            Err(DecodeError::new("not an analytics id"))
        }
    }
}
