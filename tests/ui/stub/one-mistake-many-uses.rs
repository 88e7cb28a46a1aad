//! One mistake in a declaration (a `__Host-` cookie with a Domain) is one error: the jar and
//! every accessor still exist, so none of the uses below adds an error of its own.
use cookie_contract::{ConsentChoice, ConsentRecord, CookieContract, KeyRing, SessionToken};

#[derive(CookieContract)]
#[cookies(jar = "Jar")]
pub struct Cookies {
    #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
             same_site = "lax", domain = "example.com", max_age = "8h", signed)]
    session: SessionToken,
    #[cookie(name = "__Host-consent", purpose = "consent", secure, http_only,
             same_site = "lax", max_age = "180d", signed)]
    consent: ConsentRecord,
    #[cookie(name = "theme", purpose = "preferences", secure, same_site = "lax", max_age = "30d")]
    theme: String,
}

fn main() {
    let keys = KeyRing::generate();
    let mut jar = Jar::from_headers(&http::HeaderMap::new(), &keys);
    let _ = jar.session();
    let _ = jar.try_session();
    jar.set_session(&SessionToken::new()).unwrap();
    jar.clear_session();
    let state = jar.record_consent(ConsentChoice::ACCEPT_ALL).unwrap();
    let proof = state.granted().unwrap();
    jar.set_theme(&"dark".to_owned(), &proof).unwrap();
    let _ = jar.theme(&proof);
    let _ = jar.consent_state();
    jar.enforce_consent(&state);
    let _ = jar.set_cookie_headers();
    let _: fn(Jar) -> Jar = |j| j;
}
