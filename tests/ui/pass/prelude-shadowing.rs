//! Generated code must not lean on the prelude: every name it uses is an absolute path.
#![deny(warnings)]
#![allow(dead_code)]

use cookie_contract::{ConsentRecord, CookieContract, CookieValue, SessionToken};

struct Option;
struct Result;
struct String;
struct Vec;
struct Some;
struct None;
struct Ok;
struct Err;
struct Box;
struct Clone;
struct Default;
struct Send;
struct Sync;
struct Sized;
struct Debug;
mod core {}
mod std {}
mod http {}
mod axum {}

#[derive(CookieValue, ::core::fmt::Debug, ::core::cmp::PartialEq)]
pub enum Theme {
    Light,
    Dark,
}

/// Every purpose, every key.
#[derive(CookieContract)]
pub struct AllKeys {
    /// Session.
    #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only, same_site = "lax", path = "/", max_age = "8h", signed)]
    session: SessionToken,
    /// Consent.
    #[cookie(name = "__Host-consent", purpose = "consent", secure = true, http_only = true, same_site = "strict", max_age = "180d", signed = true)]
    consent: ConsentRecord,
    /// CSRF.
    #[cookie(name = "__Host-Http-csrf", purpose = "security", secure, http_only, same_site = "strict", max_age = "session", priority = "high")]
    csrf: u64,
    /// Cart.
    #[cookie(name = "__Secure-cart", purpose = "essential", secure, same_site = "none", domain = "shop.example.com", path = "/shop", max_age = 3600, partitioned, priority = "low", signed = false)]
    cart: i32,
    /// Theme.
    #[cookie(name = "theme", purpose = "preferences", secure = false, http_only = false, same_site = "lax", max_age = "1d12h", partitioned = false, priority = "medium")]
    theme: Theme,
    /// Analytics.
    #[cookie(name = "_ga", purpose = "analytics", secure, same_site = "lax", max_age = "400d")]
    analytics: bool,
    /// Ads.
    #[cookie(purpose = "advertising", secure, same_site = "none", max_age = "90s")]
    ads: u8,
}

fn main() {
    let keys = ::cookie_contract::KeyRing::generate();
    let mut jar = AllKeysJar::from_headers(&::http_crate::HeaderMap::new(), &keys);
    let _ = jar.set_session(&SessionToken::new());
    let _ = jar.session();
    jar.clear_cart();
    let state = jar.consent_state();
    if let ::core::option::Option::Some(proof) = state.granted::<::cookie_contract::Analytics>() {
        let _ = jar.set_analytics(&true, &proof);
    }
    jar.enforce_consent(&state);
    let _ = jar.record_consent(::cookie_contract::ConsentChoice::REJECT_ALL);
    let _ = jar.set_cookie_headers();
}

extern crate http as http_crate;
