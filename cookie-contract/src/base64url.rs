//! The one fixed-size base64url form on the hot paths: 32 bytes as 43 characters, no padding
//! (session tokens and HMAC-SHA256 tags). Encoding stays with the `base64` crate; only this
//! decode is written out, because every request pays for it.

/// The value of each base64url character, `0xFF` for every other byte.
const SEXTETS: [u8; 256] = {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut table = [0xFF; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// 43 base64url characters to the 32 bytes they encode, refusing any other character and a
/// last character whose two unused bits are set (a second spelling of the same token).
///
/// Every request decodes the session token and verifies a MAC; on 43 characters the `base64`
/// crate's general decoder took 31.7 ns and this one 24.2 ns (`decode_token` in BENCHMARKS.md).
/// The tests below check that the two accept the same inputs and give the same bytes.
pub(crate) fn decode_32(raw: &[u8; 43]) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    // Valid sextets are below 64: one OR over all of them says whether any was 0xFF.
    let mut seen = 0u8;
    let mut sextet = |i: usize| {
        let v = SEXTETS[usize::from(raw[i])];
        seen |= v;
        u32::from(v)
    };
    for q in 0..10 {
        let n = sextet(4 * q) << 18
            | sextet(4 * q + 1) << 12
            | sextet(4 * q + 2) << 6
            | sextet(4 * q + 3);
        out[3 * q..3 * q + 3].copy_from_slice(&n.to_be_bytes()[1..]);
    }
    let last = sextet(42);
    let n = sextet(40) << 12 | sextet(41) << 6 | last;
    out[30..].copy_from_slice(&((n >> 2) as u16).to_be_bytes());
    (seen < 64 && last & 0b11 == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    proptest::proptest! {
        /// The fixed-size decoder accepts exactly what the `base64` crate accepts (base64url,
        /// no padding, canonical trailing bits) and gives the same bytes.
        #[test]
        fn decoder_agrees_with_base64(
            token in proptest::array::uniform32(proptest::num::u8::ANY),
            flips in proptest::collection::vec((0usize..43, proptest::num::u8::ANY), 0..3),
        ) {
            let mut wire = URL_SAFE_NO_PAD.encode(token).into_bytes();
            for (at, byte) in flips {
                wire[at] = byte;
            }
            let wire: [u8; 43] = wire.try_into().unwrap();
            let mut expected = [0u8; 32];
            let by_crate = match URL_SAFE_NO_PAD.decode_slice(wire, &mut expected) {
                Ok(32) => Some(expected),
                _ => None,
            };
            proptest::prop_assert_eq!(decode_32(&wire), by_crate);
        }
    }

    #[test]
    fn decoder_refuses_each_non_alphabet_byte_and_each_trailing_bit() {
        let good = URL_SAFE_NO_PAD.encode([0xA5u8; 32]).into_bytes();
        for at in 0..43 {
            for byte in 0..=255u8 {
                let mut wire: [u8; 43] = good.clone().try_into().unwrap();
                wire[at] = byte;
                let mut expected = [0u8; 32];
                let by_crate = URL_SAFE_NO_PAD
                    .decode_slice(wire, &mut expected)
                    .ok()
                    .map(|_| expected);
                assert_eq!(decode_32(&wire), by_crate, "byte {byte:#x} at {at}");
            }
        }
    }
}
