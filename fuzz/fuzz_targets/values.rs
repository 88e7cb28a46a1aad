//! Every `CookieValue::decode` over arbitrary text; a successful decode must re-encode to
//! cookie-octets that decode to the same value.
#![no_main]

use cookie_contract::{ConsentRecord, CookieValue, Json, SessionToken};
use libfuzzer_sys::fuzz_target;

fn check<T: CookieValue + PartialEq + std::fmt::Debug>(s: &str) {
    if let Ok(v) = T::decode(s) {
        let mut out = String::new();
        v.encode(&mut out);
        assert!(cookie_contract::header::is_cookie_octets(out.as_bytes()), "{out:?}");
        assert_eq!(T::decode(&out).ok(), Some(v));
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    check::<String>(s);
    check::<u8>(s);
    check::<u64>(s);
    check::<i64>(s);
    check::<u128>(s);
    check::<i128>(s);
    check::<bool>(s);
    check::<SessionToken>(s);
    check::<ConsentRecord>(s);
    check::<Json<Vec<String>>>(s);
    let _ = Json::<std::collections::BTreeMap<String, String>>::decode(s);
});

