//! The `cookie` feature: declarations as cookie-rs `Cookie`s with exactly the declared
//! attributes, and cookie-rs `Cookie`s judged against declarations.

use cookie::time::Duration;
use cookie_contract::set_cookie::{Attribute, Usage};
use cookie_contract::{CookieSpec, Inventory, KeyRing, Lifetime, SessionToken};
use cookie_contract_tests::{AppCookies, AppCookiesJar, Shop, Wide};
use http::HeaderMap;
use http::header::COOKIE;

fn every_spec() -> impl Iterator<Item = &'static CookieSpec> {
    Shop::COOKIES
        .iter()
        .chain(Wide::COOKIES)
        .chain(AppCookies::COOKIES)
}

#[test]
fn declarations_become_cookie_rs_cookies_that_pass_their_own_check() {
    for spec in every_spec() {
        let c = spec.to_cookie("v");
        let line = c.to_string();
        match spec.priority() {
            // cookie-rs has no Priority attribute: the one thing it cannot carry.
            Some(_) => assert_eq!(
                spec.check_cookie(&c).unwrap_err().attribute,
                Attribute::Priority,
                "{line}"
            ),
            None => {
                assert_eq!(
                    spec.check_cookie(&c),
                    Ok(Usage::Set(spec.lifetime())),
                    "{line}"
                );
                let (_, removal) =
                    cookie_contract::audit::check_line(&[*spec], line.as_bytes()).unwrap();
                assert!(!removal, "{line}");
                assert_eq!(
                    spec.check_cookie(&spec.removal_cookie()),
                    Ok(Usage::Removal)
                );
            }
        }
    }
}

#[test]
fn a_cookie_rs_cookie_with_any_attribute_wrong_is_named() {
    let spec = &AppCookies::COOKIES[0]; // __Host-session
    type Change = fn(&mut cookie::Cookie<'static>);
    let cases: [(Change, Attribute); 7] = [
        (|c| c.set_name("session"), Attribute::Name),
        (|c| c.set_path("/app"), Attribute::Path),
        (|c| c.set_domain("example.com"), Attribute::Domain),
        (|c| c.set_http_only(false), Attribute::HttpOnly),
        (|c| c.set_secure(false), Attribute::Secure),
        (
            |c| c.set_same_site(cookie::SameSite::Strict),
            Attribute::SameSite,
        ),
        (|c| c.set_max_age(Duration::hours(9)), Attribute::Lifetime),
    ];
    for (change, attribute) in cases {
        let mut c = spec.to_cookie("v");
        change(&mut c);
        assert_eq!(
            spec.check_cookie(&c).unwrap_err().attribute,
            attribute,
            "{c}"
        );
    }
    // A shorter lifetime is what set_f_with may write: it passes.
    let mut c = spec.to_cookie("v");
    c.set_max_age(Duration::hours(1));
    assert_eq!(
        spec.check_cookie(&c),
        Ok(Usage::Set(Lifetime::Seconds(3600)))
    );
}

#[test]
fn cookie_for_writes_what_the_jar_reads() {
    let keys = KeyRing::new(&[4; 32]).unwrap();
    let token = SessionToken::new();
    let c = AppCookies::COOKIES[0].cookie_for(&token, &keys).unwrap();
    let mut h = HeaderMap::new();
    h.insert(
        COOKIE,
        format!("{}={}", c.name(), c.value()).parse().unwrap(),
    );
    assert_eq!(
        AppCookiesJar::from_headers(&h, &keys).session(),
        Some(token)
    );
    // Signed: another key does not verify it.
    let other = KeyRing::new(&[5; 32]).unwrap();
    assert_eq!(AppCookiesJar::from_headers(&h, &other).session(), None);
}
