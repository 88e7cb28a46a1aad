use cookie_contract::CookieContract;

#[derive(CookieContract)]
pub struct Cookies {
    #[cookie(name = "__Http-id", purpose = "essential", secure, http_only = false, same_site = "lax", max_age = "1h")]
    pub c: String,
}

fn main() {}
