use cookie_contract::{ConsentState, CookieContract, KeyRing, Preferences};

#[derive(CookieContract)]
pub struct Cookies {
    #[cookie(name = "_ga", purpose = "analytics", secure, same_site = "lax", max_age = "390d")]
    pub visitor: String,
}

fn main() {
    let state = ConsentState::no_choice(false);
    let mut jar = CookiesJar::from_headers(&http::HeaderMap::new(), &KeyRing::generate());
    if let Some(proof) = state.granted::<Preferences>() {
        let _ = jar.set_visitor(&"id".to_string(), &proof);
    }
}
