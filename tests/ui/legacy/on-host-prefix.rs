use cookie_contract::CookieContract;

#[derive(CookieContract)]
pub struct Cookies {
    #[cookie(name = "__Host-a", purpose = "essential", secure, same_site = "lax", max_age = "1h",
             legacy(path = "/old"))]
    pub a: String,
}

fn main() {}
