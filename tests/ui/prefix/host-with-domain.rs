use cookie_contract::CookieContract;

#[derive(CookieContract)]
pub struct Cookies {
    #[cookie(name = "__Host-id", purpose = "essential", secure, domain = "example.com", same_site = "lax", max_age = "1h")]
    pub c: String,
}

fn main() {}
