//! Opening encrypted cookie values: never a panic, and nothing opens but a real seal.
//!
//! Two kinds of input, chosen by the first byte. Arbitrary bytes as the wire value: whatever
//! opens must be canonical base64url of exactly a nonce, a ciphertext and a tag, open under the
//! key the ring names and under no other cookie name (an accept of fuzzed bytes would be a forged
//! tag, and fails the run). Or a real seal of fuzzed plaintext, changed by a fuzzed edit (a byte
//! replaced, a cut, an append): it opens exactly when the edit left it unchanged, and then to the
//! plaintext sealed.
#![no_main]

use std::sync::LazyLock;

use cookie_contract::KeyRing;
use cookie_contract::sealing::sealed_len;
use cookie_contract::signing::Verified;
use libfuzzer_sys::fuzz_target;

const NAME: &str = "__Host-flash";

/// The ring under test (current key 1, previous key 2) and each key alone.
static RINGS: LazyLock<(KeyRing, KeyRing, KeyRing)> = LazyLock::new(|| {
    (
        KeyRing::rotating(&[1; 32], &[&[2; 32]]).unwrap(),
        KeyRing::new(&[1; 32]).unwrap(),
        KeyRing::new(&[2; 32]).unwrap(),
    )
});

fuzz_target!(|data: &[u8]| {
    let (ring, current, previous) = &*RINGS;
    let Some((&mode, rest)) = data.split_first() else { return };
    if mode & 1 == 0 {
        let Ok(wire) = core::str::from_utf8(rest) else { return };
        let Some((plain, verified)) = ring.unseal(NAME, wire) else { return };
        assert_eq!(wire.len(), sealed_len(plain.len()));
        let alone = match verified {
            Verified::Current => current,
            Verified::Previous => previous,
            Verified::Invalid => unreachable!("unseal never returns Invalid"),
        };
        assert_eq!(alone.unseal(NAME, wire).map(|(p, _)| p), Some(plain));
        assert_eq!(ring.unseal("__Host-other", wire), None);
        return;
    }
    // A real seal of the plaintext, then one edit described by the next 3 bytes.
    let [op, at, byte, plain @ ..] = rest else { return };
    let sealed = current.seal(NAME, plain);
    let mut edited = sealed.clone().into_bytes();
    let at = usize::from(*at) * edited.len() / 256;
    match op % 3 {
        0 => edited[at] = *byte,
        1 => edited.truncate(at),
        _ => edited.push(*byte),
    }
    let Ok(edited) = String::from_utf8(edited) else { return };
    let opened = ring.unseal(NAME, &edited);
    if edited == sealed {
        let expected = String::from_utf8(plain.to_vec()).ok();
        assert_eq!(opened.map(|(p, v)| (p, v)), expected.map(|p| (p, Verified::Current)));
    } else {
        assert_eq!(opened, None, "an edited seal opened: {edited:?}");
    }
});
