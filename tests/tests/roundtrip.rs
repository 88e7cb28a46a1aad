//! Property tests: every declared cookie's `Set-Cookie`, parsed back by the `cookie` crate, has
//! exactly the declared attributes; clears keep the scope; values survive a round trip through a
//! `Cookie` header.

use cookie_contract::{
    ConsentChoice, ConsentRecord, ConsentSource, ConsentState, CookieSpec, Inventory, Json,
    KeyRing, SessionToken,
};
use cookie_contract_tests::{
    AnalyticsId, AppCookies, AppCookiesJar, SeedSession, SeedSessionJar, Theme, Wide, WideJar,
};
use http::HeaderMap;
use http::header::COOKIE;
use proptest::prelude::*;

fn keys() -> KeyRing {
    KeyRing::new(&[42; 32]).unwrap()
}

/// Parses `line` with the `cookie` crate and checks every attribute against `spec`; returns the
/// `name=value` pair a browser would send back.
fn check_set(line: &http::HeaderValue, spec: &CookieSpec) -> String {
    let line = line.to_str().unwrap();
    let c = cookie::Cookie::parse(line).unwrap();
    assert_eq!(c.name(), spec.name());
    check_scope(&c, spec);
    assert_eq!(
        c.max_age(),
        spec.lifetime()
            .seconds()
            .map(|s| cookie::time::Duration::seconds(s.into())),
        "{line}"
    );
    format!("{}={}", c.name(), c.value())
}

fn check_clear(line: &http::HeaderValue, spec: &CookieSpec) {
    let line = line.to_str().unwrap();
    assert_eq!(line, spec.removal_header());
    let c = cookie::Cookie::parse(line).unwrap();
    assert_eq!(c.name(), spec.name());
    assert_eq!(c.value(), "");
    check_scope(&c, spec);
    assert_eq!(c.max_age(), Some(cookie::time::Duration::ZERO));
    assert_eq!(c.expires_datetime().map(|t| t.unix_timestamp()), Some(0));
}

fn check_scope(c: &cookie::Cookie<'_>, spec: &CookieSpec) {
    assert_eq!(c.path(), Some(spec.path()));
    assert_eq!(c.domain(), spec.domain());
    assert_eq!(c.secure().unwrap_or(false), spec.secure());
    assert_eq!(c.http_only().unwrap_or(false), spec.http_only());
    assert_eq!(c.partitioned().unwrap_or(false), spec.partitioned());
    let same_site = match spec.same_site() {
        cookie_contract::SameSite::Strict => cookie::SameSite::Strict,
        cookie_contract::SameSite::Lax => cookie::SameSite::Lax,
        cookie_contract::SameSite::None => cookie::SameSite::None,
    };
    assert_eq!(c.same_site(), Some(same_site));
}

fn request(pair: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    // Surround the pair with other cookies, as a browser would.
    h.append(
        COOKIE,
        format!("_other=1; {pair}; z=\"q\"").parse().unwrap(),
    );
    h
}

fn all_granted<I: Inventory>() -> ConsentState {
    let r = ConsentRecord::restore(
        ConsentChoice::ACCEPT_ALL,
        I::REVISION,
        1,
        ConsentSource::Banner,
    );
    ConsentState::from_trusted_record(r, I::REVISION, false)
}

/// Sets `$value` through `$set`, checks the header, reads it back through `$get`, then clears.
macro_rules! round_trip {
    ($jar:ident, $inv:ty, $idx:expr, $value:expr, |$j:ident| set $set:expr, get $get:expr, clear $clear:expr) => {{
        let spec = &<$inv>::COOKIES[$idx];
        let mut $j = $jar::from_headers(&HeaderMap::new(), &keys());
        $set.unwrap();
        let headers = $j.set_cookie_headers();
        prop_assert_eq!(headers.len(), 1);
        let pair = check_set(&headers[0], spec);
        let $j = $jar::from_headers(&request(&pair), &keys());
        prop_assert_eq!($get, Some($value));
        let mut $j = $j;
        $clear;
        check_clear(&$j.set_cookie_headers()[0], spec);
    }};
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn app_cookies(analytics in ".*", theme in 0..3usize, p in any::<bool>(), a in any::<bool>(), d in any::<bool>(), ts in any::<u64>()) {
        let granted = all_granted::<AppCookies>();
        let pref = granted.granted().unwrap();
        let stat = granted.granted().unwrap();
        let token = SessionToken::new();
        round_trip!(AppCookiesJar, AppCookies, 0, token.clone(), |j| set j.set_session(&token), get j.session(), clear j.clear_session());
        let choice = ConsentChoice { preferences: p, analytics: a, advertising: d };
        let record = ConsentRecord::restore(choice, AppCookies::REVISION, ts, ConsentSource::Gpc);
        round_trip!(AppCookiesJar, AppCookies, 1, record.clone(), |j| set j.set_consent(&record), get j.consent(), clear j.clear_consent());
        let theme = [Theme::Light, Theme::Dark, Theme::HighContrast][theme];
        round_trip!(AppCookiesJar, AppCookies, 2, theme, |j| set j.set_theme(&theme, &pref), get j.theme(&pref), clear j.clear_theme());
        let id = AnalyticsId(analytics);
        round_trip!(AppCookiesJar, AppCookies, 3, id.clone(), |j| set j.set_analytics_id(&id, &stat), get j.analytics_id(&stat), clear j.clear_analytics_id());
    }

    #[test]
    fn wide_inventory(csrf in ".{0,200}", cart in proptest::collection::vec(any::<u32>(), 0..30), widget in any::<u64>(),
                      locale in "\\PC{0,50}", ad in any::<i64>(), visits in any::<u16>(), beta in any::<bool>(), note in ".{0,300}") {
        let granted = all_granted::<Wide>();
        let pref = granted.granted().unwrap();
        let stat = granted.granted().unwrap();
        let ads = granted.granted().unwrap();
        round_trip!(WideJar, Wide, 0, csrf.clone(), |j| set j.set_csrf(&csrf), get j.csrf(), clear j.clear_csrf());
        let cart = Json(cart);
        round_trip!(WideJar, Wide, 1, cart.clone(), |j| set j.set_cart(&cart), get j.cart(), clear j.clear_cart());
        round_trip!(WideJar, Wide, 2, widget, |j| set j.set_widget(&widget), get j.widget(), clear j.clear_widget());
        round_trip!(WideJar, Wide, 3, locale.clone(), |j| set j.set_locale(&locale, &pref), get j.locale(&pref), clear j.clear_locale());
        round_trip!(WideJar, Wide, 4, ad, |j| set j.set_ad_id(&ad, &ads), get j.ad_id(&ads), clear j.clear_ad_id());
        round_trip!(WideJar, Wide, 5, visits, |j| set j.set_visits(&visits, &stat), get j.visits(&stat), clear j.clear_visits());
        round_trip!(WideJar, Wide, 6, beta, |j| set j.set_beta(&beta, &pref), get j.beta(&pref), clear j.clear_beta());
        round_trip!(WideJar, Wide, 7, note.clone(), |j| set j.set_note(&note), get j.note(), clear j.clear_note());
    }

    #[test]
    fn any_string_round_trips_as_cookie_octets(s in "\\PC*|.*") {
        let mut jar = SeedSessionJar::from_request_headers(&HeaderMap::new());
        jar.set_session(&s).unwrap();
        let line = jar.set_cookie_headers()[0].clone();
        let pair = check_set(&line, &SeedSession::COOKIES[0]);
        let value = pair.split_once('=').unwrap().1;
        prop_assert!(cookie_contract::header::is_cookie_octets(value.as_bytes()));
        let back = SeedSessionJar::from_request_headers(&request(&pair));
        prop_assert_eq!(back.session(), Some(s));
    }
}
