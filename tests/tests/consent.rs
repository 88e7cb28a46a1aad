//! Consent gating end to end on a jar: proofs, GPC, revisions, tampering, scoped withdrawal.

use cookie_contract::{
    Advertising, Analytics, ConsentChoice, ConsentRecord, ConsentSource, CookieError, Inventory,
    KeyRing, Preferences, SessionToken,
};
use cookie_contract_harness::http::cookie_pair;
use cookie_contract_tests::{Shop, ShopJar};
use http::HeaderMap;
use http::header::COOKIE;

fn keys() -> KeyRing {
    KeyRing::new(&[5; 32]).unwrap()
}

fn request(cookie: &str, gpc: bool) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(COOKIE, cookie.parse().unwrap());
    if gpc {
        h.insert("sec-gpc", "1".parse().unwrap());
    }
    h
}

/// The `name=value` pair of the consent cookie for `record`, signed with the test keys.
fn consent_pair(record: &ConsentRecord) -> String {
    let mut jar = ShopJar::from_headers(&HeaderMap::new(), &keys());
    jar.set_consent(record).unwrap();
    let line = jar.set_cookie_headers()[0].to_str().unwrap().to_owned();
    cookie_pair(&line).to_owned()
}

fn record(analytics: bool, revision: &str, source: ConsentSource) -> ConsentRecord {
    let choice = ConsentChoice {
        preferences: true,
        analytics,
        advertising: analytics,
    };
    ConsentRecord::restore(choice, revision, 1_764_280_000, source)
}

const EVERYTHING: &str = "__Host-Http-csrf=c; __Secure-cart=k; locale=de; _ga=GA1; _pk=p; ad=x";

#[test]
fn rejecting_everything_leaves_necessary_cookies_working() {
    let session = SessionToken::new();
    let mut setup = ShopJar::from_headers(&HeaderMap::new(), &keys());
    setup.set_session(&session).unwrap();
    let session_pair = setup.set_cookie_headers()[0]
        .to_str()
        .map(cookie_pair)
        .unwrap()
        .to_owned();

    let mut jar = ShopJar::from_headers(
        &request(&format!("{session_pair}; {EVERYTHING}"), false),
        &keys(),
    );
    let state = jar.record_consent(ConsentChoice::REJECT_ALL).unwrap();
    assert!(state.granted::<Analytics>().is_none());
    assert!(state.granted::<Advertising>().is_none());
    assert!(state.granted::<Preferences>().is_none());
    // Necessary cookies read and write without any proof.
    assert_eq!(jar.session(), Some(session));
    assert_eq!(jar.csrf().as_deref(), Some("c"));
    assert_eq!(jar.cart().as_deref(), Some("k"));
    jar.set_csrf(&"fresh".to_string()).unwrap();
    jar.set_session(&SessionToken::new()).unwrap();
    let lines: Vec<String> = jar
        .set_cookie_headers()
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("__Host-session=") && !l.contains("Max-Age=0"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("__Host-Http-csrf=fresh;"))
    );
    assert!(lines.iter().any(|l| l.starts_with("__Host-consent=1.000.")));
    assert!(
        !lines.iter().any(|l| l.starts_with("__Secure-cart=")),
        "the cart is never cleared"
    );
}

#[test]
fn withdrawal_clears_every_gated_cookie_carried_with_its_declared_scope() {
    let mut jar = ShopJar::from_headers(&request(EVERYTHING, false), &keys());
    jar.record_consent(ConsentChoice::REJECT_ALL).unwrap();
    let lines: Vec<String> = jar
        .set_cookie_headers()
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let removals: Vec<&str> = lines
        .iter()
        .filter(|l| l.contains("Max-Age=0"))
        .map(String::as_str)
        .collect();
    let expected: Vec<&str> = Shop::COOKIES
        .iter()
        .filter(|c| c.category().is_gated())
        .map(|c| c.removal_header())
        .collect();
    assert_eq!(removals, expected);
    assert_eq!(
        removals,
        [
            "locale=; Path=/; Domain=example.com; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; SameSite=Lax",
            "_ga=; Path=/; Domain=example.com; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; SameSite=Lax",
            "_pk=; Path=/shop; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; SameSite=None; Partitioned",
            "ad=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; SameSite=None; Partitioned",
        ]
    );
}

#[test]
fn only_cookies_the_request_carried_and_only_withdrawn_categories_are_cleared() {
    let mut jar = ShopJar::from_headers(&request("_ga=GA1; locale=de", false), &keys());
    jar.record_consent(ConsentChoice {
        preferences: true,
        analytics: false,
        advertising: false,
    })
    .unwrap();
    let lines: Vec<String> = jar
        .set_cookie_headers()
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[1].starts_with("_ga=; "));
}

#[test]
fn enforce_consent_clears_what_a_stored_choice_does_not_grant() {
    let pair = consent_pair(&record(false, Shop::REVISION, ConsentSource::Banner));
    let mut jar = ShopJar::from_headers(
        &request(&format!("{pair}; _ga=1; locale=fr"), false),
        &keys(),
    );
    let state = jar.consent_state();
    assert!(state.granted::<Preferences>().is_some());
    jar.enforce_consent(&state);
    let lines = jar.set_cookie_headers();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0], Shop::COOKIES[5].removal_header());
    let proof = state.granted::<Preferences>().unwrap();
    assert_eq!(jar.locale(&proof).as_deref(), Some("fr"));
}

#[test]
fn gpc_without_a_record_yields_no_tracking_proof() {
    let jar = ShopJar::from_headers(&request("_ga=1", true), &keys());
    let state = jar.consent_state();
    assert!(state.gpc());
    assert!(state.granted::<Analytics>().is_none());
    assert!(state.granted::<Advertising>().is_none());
}

#[test]
fn gpc_overrides_an_earlier_grant_but_not_one_made_under_it() {
    let before = consent_pair(&record(true, Shop::REVISION, ConsentSource::Banner));
    let state = ShopJar::from_headers(&request(&before, true), &keys()).consent_state();
    assert!(state.granted::<Analytics>().is_none());
    assert!(state.granted::<Preferences>().is_some());

    let mut jar = ShopJar::from_headers(&request("x=1", true), &keys());
    let state = jar.record_consent(ConsentChoice::ACCEPT_ALL).unwrap();
    assert!(
        state.granted::<Analytics>().is_some(),
        "granted explicitly while GPC was on"
    );
    let line = jar.set_cookie_headers()[0].to_str().unwrap().to_owned();
    let pair = cookie_pair(&line);
    let later = ShopJar::from_headers(&request(pair, true), &keys()).consent_state();
    assert!(later.granted::<Analytics>().is_some());
}

#[test]
fn a_record_for_an_old_revision_yields_no_proof() {
    let old = consent_pair(&record(true, "0123456789abcdef", ConsentSource::Banner));
    let state = ShopJar::from_headers(&request(&old, false), &keys()).consent_state();
    assert!(!state.has_choice());
    assert!(state.granted::<Analytics>().is_none());
    assert!(state.granted::<Preferences>().is_none());
}

#[test]
fn a_tampered_consent_cookie_yields_no_proof() {
    let pair = consent_pair(&record(false, Shop::REVISION, ConsentSource::Banner));
    // Flip analytics on in the payload, keep the signature.
    let tampered = pair.replacen("=1.100.", "=1.111.", 1);
    assert_ne!(tampered, pair);
    let jar = ShopJar::from_headers(&request(&tampered, false), &keys());
    assert_eq!(
        jar.try_consent(),
        Err(CookieError::BadSignature {
            name: "__Host-consent"
        })
    );
    assert!(jar.consent_state().granted::<Analytics>().is_none());
    // An unsigned record is refused too.
    let unsigned = format!("__Host-consent=1.111.{}.1.b", Shop::REVISION);
    let jar = ShopJar::from_headers(&request(&unsigned, false), &keys());
    assert!(jar.consent_state().granted::<Analytics>().is_none());
}

#[test]
fn accept_then_withdraw_round_trip() {
    let mut jar = ShopJar::from_headers(&request("a=1", false), &keys());
    let state = jar.record_consent(ConsentChoice::ACCEPT_ALL).unwrap();
    let proof = state.granted::<Analytics>().unwrap();
    jar.set_ga(&"GA1.1".to_string(), &proof).unwrap();
    let lines: Vec<String> = jar
        .set_cookie_headers()
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        lines[1],
        "_ga=GA1.1; Path=/; Domain=example.com; Max-Age=33696000; Secure; SameSite=Lax"
    );
    let consent = cookie_pair(&lines[0]);

    let mut next =
        ShopJar::from_headers(&request(&format!("{consent}; _ga=GA1.1"), false), &keys());
    assert!(next.consent_state().granted::<Analytics>().is_some());
    next.record_consent(ConsentChoice::REJECT_ALL).unwrap();
    let lines = next.set_cookie_headers();
    assert_eq!(lines[1], Shop::COOKIES[5].removal_header());
}
