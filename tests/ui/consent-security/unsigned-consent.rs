use cookie_contract::{ConsentRecord, CookieContract};

#[derive(CookieContract)]
pub struct Cookies {
    #[cookie(name = "__Host-consent", purpose = "consent", secure, http_only,
             same_site = "lax", max_age = "180d")]
    pub consent: ConsentRecord,
}

fn main() {}
