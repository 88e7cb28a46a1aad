use cookie_contract::CookieContract;

#[derive(CookieContract)]
pub struct Cookies {
    #[cookie(purpose = "security", secure = false, same_site = "strict", max_age = "session")]
    pub c: String,
}

fn main() {}
