use cookie_contract::CookieContract;

pub struct NotAValue;

#[derive(CookieContract)]
pub struct Cookies {
    #[cookie(purpose = "essential", secure, same_site = "lax", max_age = "1h")]
    pub a: NotAValue,
}

fn main() {}
