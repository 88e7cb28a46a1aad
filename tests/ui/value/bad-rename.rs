use cookie_contract::CookieValue;

#[derive(CookieValue)]
pub enum Theme {
    Light,
    #[cookie_value(rename = "very dark")]
    Dark,
}

fn main() {}
