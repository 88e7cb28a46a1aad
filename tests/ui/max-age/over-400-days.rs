use cookie_contract::CookieContract;

#[derive(CookieContract)]
pub struct Cookies {
    #[cookie(purpose = "essential", secure, same_site = "lax", max_age = "401d")]
    pub c: String,
}

fn main() {}
