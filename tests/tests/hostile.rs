//! Decoders and the scanner never panic, whatever bytes arrive.

use cookie_contract::{ConsentRecord, CookieValue, Json, KeyRing, SessionToken};
use cookie_contract_tests::{AppCookiesJar, Theme, WideJar};
use http::{HeaderMap, HeaderValue, header::COOKIE};
use proptest::prelude::*;

fn decode_all(s: &str) {
    let _ = String::decode(s);
    let _ = u8::decode(s);
    let _ = u16::decode(s);
    let _ = u32::decode(s);
    let _ = u64::decode(s);
    let _ = u128::decode(s);
    let _ = usize::decode(s);
    let _ = i8::decode(s);
    let _ = i16::decode(s);
    let _ = i32::decode(s);
    let _ = i64::decode(s);
    let _ = i128::decode(s);
    let _ = isize::decode(s);
    let _ = bool::decode(s);
    let _ = Json::<serde_json::Value>::decode(s);
    let _ = Json::<Vec<String>>::decode(s);
    let _ = SessionToken::decode(s);
    let _ = ConsentRecord::decode(s);
    let _ = Theme::decode(s);
}

/// Reads every declared cookie of both test inventories from `headers`.
fn read_everything(headers: &HeaderMap) {
    let keys = KeyRing::new(&[1; 32]).unwrap();
    let jar = AppCookiesJar::from_headers(headers, &keys);
    let _ = (jar.try_session(), jar.try_consent());
    let _ = jar.consent_state();
    let _ = jar.set_cookie_headers();
    let jar = WideJar::from_headers(headers, &keys);
    let _ = (
        jar.try_csrf(),
        jar.try_cart(),
        jar.try_widget(),
        jar.try_note(),
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decoders_never_panic(s in ".*") {
        decode_all(&s);
    }

    #[test]
    fn decoders_never_panic_on_near_valid_input(s in "[A-Za-z0-9_.%=-]{0,90}") {
        decode_all(&s);
    }

    #[test]
    fn scanner_never_panics(raw in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = cookie_contract::header::pairs(&raw).count();
    }

    #[test]
    fn jars_never_panic_on_arbitrary_headers(
        headers in proptest::collection::vec(
            proptest::collection::vec(prop_oneof![
                Just(b';'), Just(b'='), Just(b' '), Just(b'"'), Just(b'.'),
                Just(b'_'), Just(b'H'), any::<u8>()
            ], 0..200), 0..4),
        names in proptest::collection::vec(prop_oneof![
            Just("__Host-session"), Just("__Host-consent"), Just("__Host-Http-csrf"), Just("__Secure-cart"),
            Just("note"), Just("__Http-widget")], 0..6),
    ) {
        let mut map = HeaderMap::new();
        for (i, h) in headers.iter().enumerate() {
            let mut bytes = h.clone();
            if let Some(name) = names.get(i) {
                bytes.extend_from_slice(b"; ");
                bytes.extend_from_slice(name.as_bytes());
                bytes.extend_from_slice(b"=");
                bytes.extend_from_slice(&h[..h.len().min(90)]);
            }
            if let Ok(v) = HeaderValue::from_bytes(&bytes) {
                map.append(COOKIE, v);
            }
        }
        read_everything(&map);
    }
}

#[test]
fn a_huge_header_with_many_cookies_is_handled() {
    let mut header = String::new();
    for i in 0..1000 {
        header += &format!("c{i}={}; ", "v".repeat(60));
    }
    header += "__Host-session=x";
    let mut map = HeaderMap::new();
    map.append(COOKIE, header.parse().unwrap());
    read_everything(&map);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// The jar's lazy name search reads exactly what a full parse with `header::pairs` reads:
    /// the one value, `Duplicate` when the name is there twice, nothing when absent.
    #[test]
    fn lazy_search_agrees_with_a_full_parse(
        parts in proptest::collection::vec(
            (prop_oneof![Just("__Host-session"), Just("__Host-sessions"), Just("x__Host-session"), Just("a"),
                         Just(" __Host-session"), Just("__Host-session "), Just("")],
             prop_oneof![Just("="), Just(" = "), Just("")],
             "[a-z=\" ]{0,6}"),
            0..6),
        sep in prop_oneof![Just(";"), Just("; "), Just(" ;  ")],
    ) {
        let header: String = parts.iter().map(|(n, e, v)| format!("{n}{e}{v}")).collect::<Vec<_>>().join(sep);
        let mut map = HeaderMap::new();
        let Ok(value) = HeaderValue::from_str(&header) else { return Ok(()) };
        map.insert(COOKIE, value);
        let expected: Vec<String> = cookie_contract::header::pairs(header.as_bytes())
            .filter(|p| p.name == b"__Host-session")
            .map(|p| String::from_utf8(p.value.to_vec()).unwrap())
            .collect();
        let jar = cookie_contract_tests::SeedSessionJar::from_request_headers(&map);
        match (jar.try_session(), expected.as_slice()) {
            (Err(cookie_contract::CookieError::Duplicate { .. }), e) => prop_assert!(e.len() > 1, "{:?}", header),
            (Ok(None), e) => prop_assert!(e.is_empty(), "{:?}", header),
            (Ok(Some(v)), [e]) => prop_assert_eq!(&v, e, "{:?}", header),
            (Err(cookie_contract::CookieError::Invalid { .. }), [e]) => {
                prop_assert!(!cookie_contract::header::is_cookie_octets(e.as_bytes()), "{:?}", header)
            }
            (other, e) => prop_assert!(false, "{:?}: {:?} vs {:?}", header, other, e),
        }
    }
}
