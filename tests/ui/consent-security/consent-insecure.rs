use cookie_contract::CookieContract;

#[derive(CookieContract)]
pub struct Cookies {
    #[cookie(purpose = "consent", secure = false, same_site = "lax", max_age = "180d", signed)]
    pub c: String,
}

fn main() {}
