use cookie_contract::CookieContract;

#[derive(CookieContract)]
#[cookies(jar = "my jar")]
pub struct Cookies {
    #[cookie(purpose = "essential", secure, same_site = "lax", max_age = "1h")]
    pub a: String,
}

fn main() {}
