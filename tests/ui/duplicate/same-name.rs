use cookie_contract::CookieContract;

#[derive(CookieContract)]
pub struct Cookies {
    #[cookie(name = "id", purpose = "essential", secure, same_site = "lax", max_age = "1h")]
    pub a: String,
    #[cookie(name = "id", purpose = "essential", secure, same_site = "lax", max_age = "1h")]
    pub b: String,
}

fn main() {}
