use cookie_contract::CookieContract;

#[derive(CookieContract)]
pub struct Cookies {
    #[cookie(domain = "", purpose = "essential", secure, same_site = "lax", max_age = "1h")]
    pub c: String,
}

fn main() {}
