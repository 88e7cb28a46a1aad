//! Origin parsing and the origin policy over arbitrary headers.
#![no_main]

use cookie_contract::csrf::{Origin, OriginPolicy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(o) = Origin::parse(s) {
            // What parses prints back as something that parses to the same origin.
            assert_eq!(Origin::parse(&o.to_string()).unwrap(), o);
        }
    }
    let policy = OriginPolicy::new("https://example.com").unwrap();
    let mut headers = http::HeaderMap::new();
    let (a, b) = data.split_at(data.len() / 2);
    if let Ok(v) = http::HeaderValue::from_bytes(a) {
        headers.insert(http::header::ORIGIN, v);
    }
    if let Ok(v) = http::HeaderValue::from_bytes(b) {
        headers.insert("sec-fetch-site", v);
    }
    let _ = policy.check(&http::Method::POST, "/", &headers);
});
