//! Signature verification over arbitrary payloads and MACs: never a panic, never a false accept.
#![no_main]

use cookie_contract::KeyRing;
use cookie_contract::signing::Verified;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let keys = KeyRing::rotating(&[1; 32], &[&[2; 32]]).unwrap();
    let Some((&n, rest)) = data.split_first() else { return };
    let (payload, mac) = rest.split_at((n as usize).min(rest.len()));
    let verdict = keys.verify("__Host-session", payload, mac);
    // A random MAC is accepted only if it is the real one.
    if verdict != Verified::Invalid {
        assert_eq!(mac, keys.sign("__Host-session", payload));
    }
});
