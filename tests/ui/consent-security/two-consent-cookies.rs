use cookie_contract::CookieContract;

#[derive(CookieContract)]
pub struct Cookies {
    #[cookie(name = "consent", purpose = "consent", secure, same_site = "lax", max_age = "180d", signed)]
    pub a: String,
    #[cookie(name = "consent2", purpose = "consent", secure, same_site = "lax", max_age = "180d", signed)]
    pub b: String,
}

fn main() {}
