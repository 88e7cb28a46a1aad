use cookie_contract::CookieContract;

#[derive(CookieContract)]
pub struct Cookies {
    #[cookie(purpose = "authentication", secure, same_site = "lax", max_age = "8h")]
    pub c: String,
}

fn main() {}
