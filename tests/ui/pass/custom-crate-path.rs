//! `#[cookies(crate = "...")]` for crates that re-export cookie-contract, and a custom jar name.
#![deny(warnings)]

mod reexport {
    pub use cookie_contract::*;
}

#[derive(reexport::CookieContract)]
#[cookies(crate = "crate::reexport", jar = "Jar")]
pub struct Cookies {
    #[cookie(purpose = "essential", secure, same_site = "lax", max_age = "1h")]
    id: u32,
}

fn main() {
    let mut jar = Jar::from_request_headers(&http::HeaderMap::new());
    jar.set_id(&7).unwrap();
    assert_eq!(jar.set_cookie_headers().len(), 1);
}
