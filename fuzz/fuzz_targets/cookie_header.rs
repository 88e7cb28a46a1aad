//! The Cookie-header scanner and every getter, over arbitrary header bytes: several headers
//! (split at 0xFF), duplicates, invalid UTF-8, missing `=`, huge headers.
#![no_main]

use cookie_contract::{ConsentRecord, CookieContract, Json, KeyRing, SessionToken};
use libfuzzer_sys::fuzz_target;

#[derive(CookieContract)]
pub struct Fuzzed {
    #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only, same_site = "lax", max_age = "8h", signed)]
    session: SessionToken,
    #[cookie(name = "__Host-consent", purpose = "consent", secure, http_only, same_site = "lax", max_age = "180d", signed)]
    consent: ConsentRecord,
    #[cookie(name = "a", purpose = "essential", secure, same_site = "lax", max_age = "1h")]
    a: String,
    #[cookie(name = "n", purpose = "essential", secure, same_site = "lax", max_age = "1h")]
    n: i64,
    #[cookie(name = "j", purpose = "essential", secure, same_site = "lax", max_age = "1h")]
    j: Json<Vec<String>>,
    #[cookie(name = "b", purpose = "analytics", secure, same_site = "lax", max_age = "1h")]
    b: bool,
}

fuzz_target!(|data: &[u8]| {
    let mut headers = http::HeaderMap::new();
    for part in data.split(|&b| b == 0xff) {
        if let Ok(v) = http::HeaderValue::from_bytes(part) {
            headers.append(http::header::COOKIE, v);
        }
        let _ = cookie_contract::header::pairs(part).count();
    }
    let keys = KeyRing::new(&[9; 32]).unwrap();
    let mut jar = FuzzedJar::from_headers(&headers, &keys);
    let _ = (jar.try_session(), jar.try_consent(), jar.try_a(), jar.try_n(), jar.try_j());
    let state = jar.consent_state();
    jar.enforce_consent(&state);
    if let Some(p) = state.granted() {
        let _ = jar.try_b(&p);
    }
    let _ = jar.set_cookie_headers();
});
