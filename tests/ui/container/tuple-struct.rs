use cookie_contract::CookieContract;

#[derive(CookieContract)]
pub struct Cookies(String);

fn main() {}
