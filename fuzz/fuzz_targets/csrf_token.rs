//! CSRF token verification over arbitrary bytes: always a clean rejection.
#![no_main]

use cookie_contract::{KeyRing, SessionToken};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static FIXED: OnceLock<(KeyRing, SessionToken)> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let (keys, session) = FIXED.get_or_init(|| (KeyRing::new(&[3; 32]).unwrap(), SessionToken::new()));
    assert!(keys.verify_csrf_token(session, data).is_err());
});
