use cookie_contract::{CookieContract, KeyRing};

#[derive(CookieContract)]
pub struct Cookies {
    #[cookie(name = "_ga", purpose = "analytics", secure, same_site = "lax", max_age = "390d")]
    pub visitor: String,
}

fn main() {
    let mut jar = CookiesJar::from_headers(&http::HeaderMap::new(), &KeyRing::generate());
    let _ = jar.set_visitor(&"id".to_string());
}
