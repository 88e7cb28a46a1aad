//! A `#[derive(CookieValue)]` mistake is one error: the derive emits a stub impl, so the field
//! of that type and its accessors add none.
use cookie_contract::{CookieContract, CookieValue};

#[derive(CookieValue, Clone, Copy)]
pub enum Theme {
    #[cookie_value(rename = "very dark")]
    Dark,
    Light,
}

#[derive(CookieContract)]
#[cookies(jar = "Jar")]
pub struct Cookies {
    #[cookie(purpose = "essential", secure, same_site = "lax", max_age = "30d")]
    theme: Theme,
}

fn main() {
    let mut jar = Jar::from_request_headers(&http::HeaderMap::new());
    jar.set_theme(&Theme::Light).unwrap();
    let _ = jar.theme();
}
