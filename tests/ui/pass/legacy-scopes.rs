//! `legacy(...)` scopes: the clearer removes each old copy too; `clear_legacy` only the old ones.
#![deny(warnings)]

use cookie_contract::CookieContract;

#[derive(CookieContract)]
#[cookies(jar = "Jar")]
pub struct Cookies {
    #[cookie(purpose = "essential", secure, same_site = "lax", max_age = "1h",
             legacy(path = "/old"), legacy(domain = "example.com"),
             legacy(path = "/app", domain = "example.com"))]
    id: u32,
}

fn main() {
    let mut jar = Jar::from_request_headers(&http::HeaderMap::new());
    jar.clear_id();
    assert_eq!(jar.set_cookie_headers().len(), 4);
    let mut jar = Jar::from_request_headers(&http::HeaderMap::new());
    jar.clear_legacy();
    assert_eq!(jar.set_cookie_headers().len(), 3);
}
