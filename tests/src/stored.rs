//! What a browser engine stored, checked against a declaration: the one definition every
//! browser suite uses.

use cookie_contract::{CookieSpec, Lifetime};
use cookie_contract_harness::webdriver::StoredCookie;
pub use cookie_contract_harness::webdriver::now;

/// Checks a stored cookie against its declaration: name, path, host-only (or domain),
/// HttpOnly, Secure, SameSite, Partitioned (as far as the engine reports it) and an expiry
/// within 5 minutes of the declared lifetime (set during this run).
pub fn check_stored(engine: &str, c: &StoredCookie, spec: &CookieSpec) {
    let name = spec.name();
    assert_eq!(c.name, name, "{engine}");
    assert_eq!(c.path, spec.path(), "{engine}: {name} path");
    match spec.domain() {
        None => assert_eq!(c.domain, "localhost", "{engine}: {name} must be host-only"),
        Some(d) => assert_eq!(c.domain, format!(".{d}"), "{engine}: {name} domain"),
    }
    assert_eq!(c.http_only, spec.http_only(), "{engine}: {name} httpOnly");
    assert_eq!(c.secure, spec.secure(), "{engine}: {name} secure");
    assert_eq!(
        c.same_site.as_deref(),
        Some(spec.same_site().as_str()),
        "{engine}: {name} sameSite"
    );
    assert_eq!(
        c.partitioned,
        spec.partitioned(),
        "{engine}: {name} partitioned"
    );
    match spec.lifetime() {
        Lifetime::Session => assert_eq!(c.expires, None, "{engine}: {name} is a session cookie"),
        Lifetime::Seconds(s) => {
            let expires = c
                .expires
                .unwrap_or_else(|| panic!("{engine}: {name} has no expiry"));
            let expected = now() + f64::from(s);
            assert!(
                (expected - expires).abs() < 300.0,
                "{engine}: {name} expires {expires}, expected about {expected}"
            );
        }
    }
}
