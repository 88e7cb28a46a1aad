//! Signature verification over arbitrary payloads and MACs: never a panic, never a false accept.
//! An accept must say which key signed it, and be exactly that key's MAC.
#![no_main]

use std::sync::LazyLock;

use cookie_contract::KeyRing;
use cookie_contract::signing::Verified;
use libfuzzer_sys::fuzz_target;

/// The ring under test (current key 1, previous key 2), and each key alone, to compute what the
/// real MAC under that key is. Built once: key preparation is not what is fuzzed.
static RINGS: LazyLock<(KeyRing, KeyRing, KeyRing)> = LazyLock::new(|| {
    (
        KeyRing::rotating(&[1; 32], &[&[2; 32]]).unwrap(),
        KeyRing::new(&[1; 32]).unwrap(),
        KeyRing::new(&[2; 32]).unwrap(),
    )
});

fuzz_target!(|data: &[u8]| {
    let (ring, current, previous) = &*RINGS;
    let Some((&n, rest)) = data.split_first() else { return };
    let (payload, mac) = rest.split_at((n as usize).min(rest.len()));
    match ring.verify("__Host-session", payload, mac) {
        Verified::Invalid => {}
        // Accepted as current: it must be the current key's MAC, byte for byte.
        Verified::Current => assert_eq!(mac, current.sign("__Host-session", payload)),
        // Accepted as previous: the previous key's MAC, and not the current one's.
        Verified::Previous => {
            assert_eq!(mac, previous.sign("__Host-session", payload));
            assert_ne!(mac, current.sign("__Host-session", payload));
        }
    }
    // The same bytes under another cookie name never verify as the MAC of this one.
    if ring.verify("__Host-other", payload, mac) != Verified::Invalid {
        assert_ne!(mac, current.sign("__Host-session", payload));
        assert_ne!(mac, previous.sign("__Host-session", payload));
    }
});
