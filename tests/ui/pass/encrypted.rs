//! `encrypted` cookies: a consent cookie may be encrypted instead of signed (rule 18), an
//! encrypted-only inventory needs keys, and the value round-trips through the jar unreadable.
#![deny(warnings)]

use cookie_contract::{ConsentRecord, CookieContract, KeyRing};
use http::header::{COOKIE, SET_COOKIE};

#[derive(CookieContract)]
pub struct Cookies {
    /// The visitor's choices, sealed.
    #[cookie(name = "__Host-consent", purpose = "consent", secure, http_only,
             same_site = "lax", max_age = "180d", encrypted)]
    consent: ConsentRecord,
    /// A notice shown once.
    #[cookie(name = "__Host-flash", purpose = "essential", secure, http_only,
             same_site = "lax", max_age = "5m", encrypted)]
    flash: String,
}

fn main() {
    let keys = KeyRing::generate();
    let mut jar = CookiesJar::from_headers(&http::HeaderMap::new(), &keys);
    jar.set_flash(&"Signed in.".to_owned()).unwrap();
    let mut out = http::HeaderMap::new();
    jar.write_to(&mut out);
    let line = out.get(SET_COOKIE).unwrap().to_str().unwrap();
    assert!(!line.contains("Signed"), "{line}");
    let pair = line.split(';').next().unwrap().to_owned();
    let mut req = http::HeaderMap::new();
    req.insert(COOKIE, pair.parse().unwrap());
    let jar = CookiesJar::from_headers(&req, &keys);
    assert_eq!(jar.flash().as_deref(), Some("Signed in."));
}
