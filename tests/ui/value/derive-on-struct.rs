use cookie_contract::CookieValue;

#[derive(CookieValue)]
pub struct Theme {
    pub dark: bool,
}

fn main() {}
