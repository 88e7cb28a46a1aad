use cookie_contract::CookieContract;

#[derive(CookieContract)]
pub struct Cookies {
    #[cookie(purpose = "authentication", secure, http_only, same_site = "none", max_age = "8h")]
    pub c: String,
}

fn main() {}
