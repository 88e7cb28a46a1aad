use cookie_contract::CookieContract;

#[derive(CookieContract)]
pub struct Cookies {
    #[cookie(name = "consent", purpose = "consent", secure, same_site = "lax", max_age = "180d")]
    pub a: String,
    #[cookie(name = "consent2", purpose = "consent", secure, same_site = "lax", max_age = "180d")]
    pub b: String,
}

fn main() {}
