//! What the user wrote: darling receivers for `#[cookies(...)]` and `#[cookie(...)]`.
//!
//! The doc comment of each receiver field is the attribute reference. Values keep their spans
//! (`SpannedValue`) so the rules in `check.rs` can point at the exact token.

use darling::util::SpannedValue;
use darling::{FromDeriveInput, FromField, FromMeta};

use crate::duration::MaxAge;

/// `#[cookies(...)]` on the struct.
#[derive(FromDeriveInput)]
#[darling(attributes(cookies), supports(struct_named))]
pub struct Container {
    pub data: darling::ast::Data<(), Field>,
    /// `jar = "Name"`: the name of the generated jar type. Default: the struct name plus `Jar`.
    pub jar: Option<SpannedValue<String>>,
    /// `crate = "::path"`: the absolute path of the runtime crate, for re-exports. Default:
    /// `::cookie_contract`.
    #[darling(rename = "crate")]
    pub krate: Option<syn::Path>,
}

/// `#[cookie(...)]` on a field.
#[derive(Clone, FromField)]
#[darling(attributes(cookie))]
pub struct Field {
    /// `name = "..."`: the cookie name, an RFC 9110 token. Default: the field name.
    pub name: Option<SpannedValue<String>>,
    /// `purpose = "..."`: why the cookie exists; decides consent gating. Required.
    pub purpose: Option<SpannedValue<Purpose>>,
    /// `same_site = "strict" | "lax" | "none"`. Required: never rely on browser defaults.
    pub same_site: Option<SpannedValue<SameSite>>,
    /// `max_age = "8h"`: `s`, `m`, `h`, `d` units, combinations like `"1d12h"`, an integer of
    /// seconds, or `"session"` for a browser-session cookie. Required.
    pub max_age: Option<SpannedValue<MaxAge>>,
    /// `secure` / `secure = false`: the `Secure` flag. Required as an explicit decision.
    pub secure: Option<SpannedValue<bool>>,
    /// `http_only`: the `HttpOnly` flag (JavaScript cannot read the cookie). Default false.
    pub http_only: Option<SpannedValue<bool>>,
    /// `path = "/..."`: the `Path` attribute, always emitted. Default `"/"`.
    pub path: Option<SpannedValue<String>>,
    /// `domain = "example.com"`: the `Domain` attribute. Default: host-only.
    pub domain: Option<SpannedValue<String>>,
    /// `partitioned`: the CHIPS `Partitioned` flag. Default false.
    pub partitioned: Option<SpannedValue<bool>>,
    /// `priority = "low" | "medium" | "high"`: the Chromium `Priority` attribute. Default none.
    pub priority: Option<SpannedValue<Priority>>,
    /// `signed`: HMAC-SHA256 bound to the cookie name. Default false.
    pub signed: Option<SpannedValue<bool>>,
    /// `encrypted`: the value sealed with AES-256-GCM (the client can neither read nor change
    /// it), the cookie name as associated data. Excludes `signed` (rule 19). Default false.
    pub encrypted: Option<SpannedValue<bool>>,
    /// `legacy(path = "...", domain = "...")`, repeatable: a scope the cookie was set at
    /// before; its clearer removes it there too. Either key may be left out (it is then the
    /// current one).
    #[darling(multiple)]
    pub legacy: Vec<SpannedValue<Legacy>>,
}

/// One `legacy(...)` scope.
#[derive(Clone, Debug, Default, FromMeta)]
pub struct Legacy {
    /// The old `Path`.
    pub path: Option<SpannedValue<String>>,
    /// The old `Domain`.
    pub domain: Option<SpannedValue<String>>,
}

/// `purpose = "..."`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, FromMeta)]
pub enum Purpose {
    #[darling(rename = "authentication")]
    Authentication,
    #[darling(rename = "security")]
    Security,
    #[darling(rename = "consent")]
    Consent,
    #[darling(rename = "essential")]
    Essential,
    #[darling(rename = "preferences")]
    Preferences,
    #[darling(rename = "analytics")]
    Analytics,
    #[darling(rename = "advertising")]
    Advertising,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Authentication => "authentication",
            Purpose::Security => "security",
            Purpose::Consent => "consent",
            Purpose::Essential => "essential",
            Purpose::Preferences => "preferences",
            Purpose::Analytics => "analytics",
            Purpose::Advertising => "advertising",
        }
    }

    pub fn variant(self) -> &'static str {
        match self {
            Purpose::Authentication => "Authentication",
            Purpose::Security => "Security",
            Purpose::Consent => "Consent",
            Purpose::Essential => "Essential",
            Purpose::Preferences => "Preferences",
            Purpose::Analytics => "Analytics",
            Purpose::Advertising => "Advertising",
        }
    }

    /// The category marker type a gated accessor needs a proof for, if any.
    pub fn gate(self) -> Option<&'static str> {
        match self {
            Purpose::Preferences => Some("Preferences"),
            Purpose::Analytics => Some("Analytics"),
            Purpose::Advertising => Some("Advertising"),
            _ => None,
        }
    }
}

/// `same_site = "..."`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, FromMeta)]
pub enum SameSite {
    #[darling(rename = "strict")]
    Strict,
    #[darling(rename = "lax")]
    Lax,
    #[darling(rename = "none")]
    None,
}

impl SameSite {
    pub fn as_str(self) -> &'static str {
        match self {
            SameSite::Strict => "Strict",
            SameSite::Lax => "Lax",
            SameSite::None => "None",
        }
    }
}

/// `priority = "..."`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, FromMeta)]
pub enum Priority {
    #[darling(rename = "low")]
    Low,
    #[darling(rename = "medium")]
    Medium,
    #[darling(rename = "high")]
    High,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "Low",
            Priority::Medium => "Medium",
            Priority::High => "High",
        }
    }
}
