use cookie_contract::CookieContract;

#[derive(CookieContract)]
pub struct Cookies {
    #[cookie(purpose = "essential", secure, same_site = "loose", max_age = "1h")]
    pub c: String,
}

fn main() {}
