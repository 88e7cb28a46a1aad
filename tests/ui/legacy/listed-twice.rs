use cookie_contract::CookieContract;

#[derive(CookieContract)]
pub struct Cookies {
    #[cookie(purpose = "essential", secure, same_site = "lax", max_age = "1h",
             legacy(path = "/old"), legacy(path = "/old"))]
    pub a: String,
}

fn main() {}
