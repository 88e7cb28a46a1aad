//! A field type that is not a `CookieValue` is one error, on the type, however many accessors
//! use it.
use cookie_contract::CookieContract;

pub struct NotAValue;

#[derive(CookieContract)]
#[cookies(jar = "Jar")]
pub struct Cookies {
    #[cookie(purpose = "essential", secure, same_site = "lax", max_age = "1h")]
    pub a: NotAValue,
}

fn main() {
    let jar = Jar::from_request_headers(&http::HeaderMap::new());
    let _ = jar.try_a();
}
