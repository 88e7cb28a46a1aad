use cookie_contract::CookieContract;

#[derive(CookieContract)]
pub struct Cookies {
    /// Rule 19: encryption already authenticates; a MAC on top is a second layer to rotate.
    #[cookie(name = "__Host-cart", purpose = "essential", secure, http_only,
             same_site = "lax", max_age = "1d", signed, encrypted)]
    pub cart: String,
}

fn main() {}
