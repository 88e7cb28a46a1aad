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
/// Every request decodes the session token and verifies a MAC, so this is on every request's
/// path twice. With SSSE3 (every x86-64 processor since 2006; detected once, then a cached
/// flag) the 43 characters are decoded 16 at a time; elsewhere a character at a time. The
/// tests check both against the `base64` crate: the same inputs accepted, the same bytes out.
#[inline]
pub(crate) fn decode_32(raw: &[u8; 43]) -> Option<[u8; 32]> {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("ssse3") {
        // SAFETY: SSSE3 was just detected on this processor.
        return unsafe { ssse3::decode_32(raw) };
    }
    decode_32_scalar(raw)
}

/// [`decode_32`] a character at a time: the fallback where SSSE3 is missing (and the reference
/// the vector decoder is tested against).
fn decode_32_scalar(raw: &[u8; 43]) -> Option<[u8; 32]> {
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

/// The vector decoder (the technique of Muła and Lemire, "Faster Base64 Encoding and Decoding
/// Using AVX2 Instructions", 2018, for the URL-safe alphabet): each character is checked by two
/// 16-entry table lookups on its nibbles, turned into its sextet by an offset looked up by its
/// high nibble, and four sextets are packed into three bytes by two multiply-adds and a shuffle.
/// The tables are computed from [`SEXTETS`] at compile time, so the two decoders cannot
/// disagree about the alphabet.
#[cfg(target_arch = "x86_64")]
mod ssse3 {
    use core::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_and_si128, _mm_andnot_si128, _mm_cmpeq_epi8, _mm_loadu_si128,
        _mm_madd_epi16, _mm_maddubs_epi16, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        _mm_set1_epi32, _mm_setr_epi8, _mm_shuffle_epi8, _mm_slli_si128, _mm_srli_epi32,
        _mm_srli_si128, _mm_storeu_si128,
    };

    use super::SEXTETS;

    /// For each high nibble, the low nibbles that make a valid character, as a bit set.
    const fn valid_lows(high: usize) -> u16 {
        let mut lows = 0u16;
        let mut low = 0;
        while low < 16 {
            if SEXTETS[high << 4 | low] != 0xFF {
                lows |= 1 << low;
            }
            low += 1;
        }
        lows
    }

    /// `(by_high, by_low)`: a character `c` is invalid exactly when
    /// `by_high[c >> 4] & by_low[c & 15] != 0`. High nibbles with the same set of valid low
    /// nibbles share one bit (base64url has six such classes; a byte has room for eight).
    const CHECK: ([u8; 16], [u8; 16]) = {
        let mut classes = [0u16; 8];
        let mut count = 0;
        let mut by_high = [0u8; 16];
        let mut high = 0;
        while high < 16 {
            let lows = valid_lows(high);
            let mut class = 0;
            while class < count && classes[class] != lows {
                class += 1;
            }
            if class == count {
                assert!(count < 8, "more than eight classes of high nibble");
                classes[count] = lows;
                count += 1;
            }
            by_high[high] = 1 << class;
            high += 1;
        }
        let mut by_low = [0u8; 16];
        let mut low = 0;
        while low < 16 {
            let mut class = 0;
            while class < count {
                if classes[class] & (1 << low) == 0 {
                    by_low[low] |= 1 << class;
                }
                class += 1;
            }
            low += 1;
        }
        (by_high, by_low)
    };

    /// The one character whose offset differs from the rest of its high nibble (`_` shares
    /// `0x5_` with `P`..`Z`); it is set apart by a comparison.
    const ODD: u8 = b'_';

    /// For each high nibble, what to add to a valid character to get its sextet.
    const OFFSETS: [u8; 16] = {
        let mut offsets = [0u8; 16];
        let mut c = 0;
        while c < 256 {
            if SEXTETS[c] != 0xFF && c as u8 != ODD {
                let offset = SEXTETS[c].wrapping_sub(c as u8);
                let high = c >> 4;
                assert!(
                    offsets[high] == 0 || offsets[high] == offset,
                    "one offset per high nibble"
                );
                offsets[high] = offset;
            }
            c += 1;
        }
        offsets
    };

    #[inline(always)]
    fn table(t: &[u8; 16]) -> __m128i {
        // SAFETY: an unaligned load of 16 bytes from a 16-byte array.
        unsafe { _mm_loadu_si128(t.as_ptr().cast()) }
    }

    /// Sixteen characters to twelve bytes (in the low twelve lanes) and the lanes holding an
    /// invalid character (non-zero).
    ///
    /// Callable only where SSSE3 is enabled. (The attribute is also what lets the intrinsics
    /// inline here: without it each shuffle was a call.)
    #[target_feature(enable = "ssse3")]
    #[inline]
    fn block(chars: __m128i) -> (__m128i, __m128i) {
        let nibble = _mm_set1_epi8(0x0F);
        let high = _mm_and_si128(_mm_srli_epi32(chars, 4), nibble);
        let low = _mm_and_si128(chars, nibble);
        let invalid = _mm_and_si128(
            _mm_shuffle_epi8(table(&CHECK.0), high),
            _mm_shuffle_epi8(table(&CHECK.1), low),
        );
        let odd = _mm_cmpeq_epi8(chars, _mm_set1_epi8(ODD as i8));
        let sextets = _mm_add_epi8(chars, _mm_shuffle_epi8(table(&OFFSETS), high));
        let sextets = _mm_or_si128(
            _mm_andnot_si128(odd, sextets),
            _mm_and_si128(odd, _mm_set1_epi8(SEXTETS[ODD as usize] as i8)),
        );
        // [a, b, c, d] → a·64 + b, c·64 + d → (a·64 + b)·4096 + c·64 + d, one 24-bit
        // number per 32-bit lane, whose three bytes are then taken most significant first.
        let pairs = _mm_maddubs_epi16(sextets, _mm_set1_epi32(0x0140_0140));
        let quads = _mm_madd_epi16(pairs, _mm_set1_epi32(0x0001_1000));
        let bytes = _mm_shuffle_epi8(
            quads,
            _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1),
        );
        (bytes, invalid)
    }

    /// [`super::decode_32`] sixteen characters at a time: characters 0–15, 16–31, then 32–42
    /// padded with `A` (sextet 0). The last block's ninth byte holds the last character's two
    /// unused bits, which must be zero.
    ///
    /// # Safety
    /// The processor must support SSSE3.
    #[target_feature(enable = "ssse3")]
    pub(super) unsafe fn decode_32(raw: &[u8; 43]) -> Option<[u8; 32]> {
        // SAFETY: SSSE3 is enabled for this function; every load reads 16 bytes inside `raw`
        // (offsets 0, 16 and 27, 27 + 16 = 43) and the two stores write the 32 bytes of `out`.
        unsafe {
            let p = raw.as_ptr();
            let first = _mm_loadu_si128(p.cast());
            let second = _mm_loadu_si128(p.add(16).cast());
            // Characters 27–42, shifted so 32–42 fill lanes 0–10; lanes 11–15 become `A`.
            let pad = _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 65, 65, 65, 65, 65);
            let third = _mm_or_si128(_mm_srli_si128(_mm_loadu_si128(p.add(27).cast()), 5), pad);
            let (a, bad_a) = block(first);
            let (b, bad_b) = block(second);
            let (c, bad_c) = block(third);
            // The 12 + 12 + 8 bytes joined in registers (storing the blocks at overlapping
            // offsets and reading them back cost a store-forwarding stall per read).
            let lo = _mm_or_si128(a, _mm_slli_si128(b, 12));
            let hi = _mm_or_si128(_mm_srli_si128(b, 4), _mm_slli_si128(c, 8));
            let bad = _mm_or_si128(_mm_or_si128(bad_a, bad_b), bad_c);
            let clean = _mm_movemask_epi8(_mm_cmpeq_epi8(bad, _mm_set1_epi8(0))) == 0xFFFF;
            let unused_bits_clear =
                _mm_movemask_epi8(_mm_cmpeq_epi8(c, _mm_set1_epi8(0))) & 1 << 8 != 0;
            let mut out = [0u8; 32];
            let o = out.as_mut_ptr();
            _mm_storeu_si128(o.cast(), lo);
            _mm_storeu_si128(o.add(16).cast(), hi);
            (clean && unused_bits_clear).then_some(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    type Decoder = fn(&[u8; 43]) -> Option<[u8; 32]>;

    /// Every decoder this processor can run, by name: the one `decode_32` picks and the others,
    /// so the fallback is tested on machines that would never use it.
    fn decoders() -> Vec<(&'static str, Decoder)> {
        #[allow(unused_mut)] // pushed to on x86-64 only
        let mut all: Vec<(&'static str, Decoder)> =
            vec![("decode_32", decode_32), ("scalar", decode_32_scalar)];
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("ssse3") {
            // SAFETY: SSSE3 was just detected.
            all.push(("ssse3", |raw| unsafe { ssse3::decode_32(raw) }));
        }
        all
    }

    #[test]
    fn the_vector_decoder_is_tested_where_it_runs() {
        let names: Vec<_> = decoders().into_iter().map(|(name, _)| name).collect();
        if cfg!(target_arch = "x86_64") && std::env::var_os("CI").is_some() {
            assert!(
                names.contains(&"ssse3"),
                "CI machines have SSSE3: {names:?}"
            );
        }
    }

    proptest::proptest! {
        /// Each fixed-size decoder accepts exactly what the `base64` crate accepts (base64url,
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
            for (name, decode) in decoders() {
                proptest::prop_assert_eq!(decode(&wire), by_crate, "{}", name);
            }
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
                for (name, decode) in decoders() {
                    assert_eq!(decode(&wire), by_crate, "{name}: byte {byte:#x} at {at}");
                }
            }
        }
    }
}
