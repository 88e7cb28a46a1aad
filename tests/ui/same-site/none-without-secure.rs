use cookie_contract::CookieContract;

#[derive(CookieContract)]
pub struct Cookies {
    #[cookie(purpose = "essential", secure = false, same_site = "none", max_age = "1h")]
    pub c: String,
}

fn main() {}
