//! The stub honours `crate = "..."`: with the runtime reachable only through a re-export, a
//! mistake (an unknown key) is still one error and the uses compile against the stub.
mod reexport {
    pub use cookie_contract::*;
}

#[derive(reexport::CookieContract)]
#[cookies(crate = "crate::reexport", jar = "Jar")]
pub struct Cookies {
    #[cookie(purpose = "essential", secure, same_site = "lax", max_age = "1h", colour = "red")]
    id: u32,
}

fn main() {
    let mut jar = Jar::from_request_headers(&http::HeaderMap::new());
    jar.set_id(&7).unwrap();
    let _ = jar.id();
}
