use cookie_contract::CookieContract;

#[derive(CookieContract)]
pub struct Cookies<T> {
    #[cookie(purpose = "essential", secure, same_site = "lax", max_age = "1h")]
    pub a: T,
}

fn main() {}
