//! Encrypted cookies: values sealed with AES-256-GCM, bound to the cookie name.
//!
//! Wire format: `base64url(nonce ‖ ciphertext ‖ tag)` without padding, where the nonce is 12
//! fresh bytes from the operating system per seal, the ciphertext is the value as its
//! [`CookieValue`](crate::CookieValue) encodes it, the tag is GCM's 16 bytes, and the cookie name is
//! the associated data: a value sealed for one cookie never opens under another name.
//!
//! Why AES-256-GCM rather than XChaCha20-Poly1305: x86-64 (AES-NI, CLMUL) and ARMv8 (AES, PMULL)
//! run it in hardware, which makes it the cheaper of the two for values of a few dozen bytes; it
//! is the AEAD cookie-rs's `PrivateJar` (axum-extra's `PrivateCookieJar`) uses, so one
//! implementation opens both this crate's values and the legacy ones of an application that
//! migrates; and its 28 bytes of overhead (nonce and tag) are 12 fewer than XChaCha's 24-byte
//! nonce would cost, in a header browsers cap at 4096 bytes. Its one weakness is the 96-bit
//! random nonce: NIST SP 800-38D §8.3 bounds a key to 2^32 random-nonce seals. A seal happens
//! only when a response sets or re-seals an encrypted cookie, and every key of the ring is
//! rotated long before four billion of those; the README says so next to rotation.
//!
//! The key is the ring's own `encryption` subkey (`HMAC(key, "cookie-contract/v1/encryption")`),
//! never the signing or CSRF one, expanded once per key of the ring.

use aes_gcm::aead::inout::InOutBuf;
use aes_gcm::{AeadInOut, Aes256Gcm, KeyInit, Nonce, Tag};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::signing::{KeyRing, Verified};

/// Bytes of nonce before the ciphertext.
pub const NONCE_LEN: usize = 12;
/// Bytes of GCM tag after the ciphertext.
pub const TAG_LEN: usize = 16;

/// The longest wire value [`KeyRing::unseal`] considers: browsers keep at most 4096 bytes of
/// name and value, so anything longer was not sealed by this crate.
const MAX_WIRE: usize = crate::jar::MAX_NAME_VALUE;

/// The length on the wire of a value whose encoding is `plain_len` bytes, once sealed: the nonce
/// and tag added, then base64url without padding.
pub const fn sealed_len(plain_len: usize) -> usize {
    let raw = NONCE_LEN + plain_len + TAG_LEN;
    raw / 3 * 4
        + match raw % 3 {
            0 => 0,
            r => r + 1,
        }
}

/// An AES-256-GCM key, expanded once.
pub(crate) fn aead(key: &[u8; 32]) -> Aes256Gcm {
    Aes256Gcm::new(key.into())
}

impl KeyRing {
    /// `plaintext` sealed for the cookie `name` with the current key: the wire value of an
    /// `encrypted` cookie, `base64url(nonce ‖ ciphertext ‖ tag)`.
    ///
    /// # Panics
    /// When the operating system's random source fails: a nonce must never repeat, and there is
    /// no safe value to fall back on.
    ///
    /// ```
    /// use cookie_contract::KeyRing;
    /// use cookie_contract::signing::Verified;
    /// let keys = KeyRing::generate();
    /// let sealed = keys.seal("flash", b"Signed in");
    /// assert!(!sealed.contains("Signed"));
    /// assert_ne!(keys.seal("flash", b"Signed in"), sealed, "a fresh nonce every time");
    /// assert_eq!(keys.unseal("flash", &sealed), Some(("Signed in".to_owned(), Verified::Current)));
    /// ```
    pub fn seal(&self, name: &str, plaintext: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(self.sealed_bytes(name, plaintext))
    }

    /// Replaces `line[value_start..]` (an encoded value, cookie-octets) by its seal for `name`:
    /// the one place an encrypted value is written, for fresh values and re-sealing.
    pub(crate) fn seal_in_line(&self, name: &str, line: &mut String, value_start: usize) {
        // Encrypted straight out of the line into the sealed buffer, so the plaintext is
        // never copied on its own.
        let data = self.sealed_bytes(name, &line.as_bytes()[value_start..]);
        line.truncate(value_start);
        URL_SAFE_NO_PAD.encode_string(&data, line);
    }

    /// `nonce ‖ ciphertext ‖ tag` of `plaintext` for `name`, with the current key.
    fn sealed_bytes(&self, name: &str, plaintext: &[u8]) -> Vec<u8> {
        let mut data = vec![0u8; NONCE_LEN + plaintext.len() + TAG_LEN];
        let (nonce, rest) = data.split_at_mut(NONCE_LEN);
        getrandom::fill(nonce).expect("the OS random source failed");
        let (body, tag) = rest.split_at_mut(plaintext.len());
        let buffer = InOutBuf::new(plaintext, body).expect("same lengths by construction");
        let nonce = Nonce::try_from(&*nonce).expect("NONCE_LEN bytes");
        let sealed = self
            .aeads()
            .next()
            .expect("a ring always has a current key")
            // Fails only beyond 64 GiB of plaintext or associated data.
            .encrypt_inout_detached(&nonce, name.as_bytes(), buffer)
            .expect("a cookie value is far below AES-GCM's limits");
        tag.copy_from_slice(&sealed);
        data
    }

    /// Opens the wire value of the encrypted cookie `name`: the plaintext and which key sealed
    /// it, or `None` for anything that is not exactly a seal of this ring for this name (a
    /// changed, truncated or extended value, another cookie's value, another key's, bytes that
    /// are not base64url, or plaintext that is not UTF-8). Never panics.
    ///
    /// ```
    /// use cookie_contract::KeyRing;
    /// let keys = KeyRing::generate();
    /// let sealed = keys.seal("flash", b"Signed in");
    /// assert!(keys.unseal("flash", &sealed).is_some());
    /// assert_eq!(keys.unseal("other", &sealed), None); // bound to the name
    /// assert_eq!(KeyRing::generate().unseal("flash", &sealed), None); // and to the key
    /// assert_eq!(keys.unseal("flash", &sealed[1..]), None);
    /// ```
    pub fn unseal(&self, name: &str, value: &str) -> Option<(String, Verified)> {
        let wire = value.as_bytes();
        if wire.len() < sealed_len(0) || wire.len() > MAX_WIRE {
            return None;
        }
        let mut data = [0u8; MAX_WIRE / 4 * 3];
        // The engine refuses non-canonical trailing bits, so every seal has one spelling.
        let n = URL_SAFE_NO_PAD.decode_slice(wire, &mut data).ok()?;
        let (i, plain) = open_with(self.aeads(), name, &data[..n])?;
        let verified = if i == 0 {
            Verified::Current
        } else {
            Verified::Previous
        };
        Some((plain, verified))
    }
}

/// The value inside a cookie-rs private (`PrivateJar`, axum-extra `PrivateCookieJar`) seal:
/// `base64(nonce ‖ ciphertext ‖ tag)` in the standard alphabet with padding, percent-encoded
/// as axum-extra sends it, the cookie name as associated data, AES-256-GCM under the cookie-rs
/// key's encryption half.
pub(crate) fn open_cookie_rs(aead: &Aes256Gcm, name: &str, value: &str) -> Option<String> {
    let value = percent_encoding::percent_decode_str(value)
        .decode_utf8()
        .ok()?;
    if value.len() > MAX_WIRE {
        return None;
    }
    let mut data = [0u8; MAX_WIRE / 4 * 3];
    let n = base64::engine::general_purpose::STANDARD
        .decode_slice(value.as_bytes(), &mut data)
        .ok()?;
    open_with(core::iter::once(aead), name, &data[..n]).map(|(_, plain)| plain)
}

/// Opens decoded `nonce ‖ ciphertext ‖ tag` bytes for `name` with the first of `aeads` whose
/// tag verifies: its position and the plaintext, which must be UTF-8. The one place a seal is
/// opened, for this crate's format and cookie-rs's.
fn open_with<'k>(
    aeads: impl Iterator<Item = &'k Aes256Gcm>,
    name: &str,
    data: &[u8],
) -> Option<(usize, String)> {
    let (nonce, ciphertext, tag) = split(data)?;
    let mut plain = vec![0u8; ciphertext.len()];
    for (i, aead) in aeads.enumerate() {
        let buffer = InOutBuf::new(ciphertext, &mut plain).ok()?;
        // The tag is checked before anything is decrypted into `plain`.
        if aead
            .decrypt_inout_detached(&nonce, name.as_bytes(), buffer, &tag)
            .is_ok()
        {
            return String::from_utf8(plain).ok().map(|p| (i, p));
        }
    }
    None
}

/// [`open_with`] for one key (the signing module's key-independence test).
#[cfg(test)]
pub(crate) fn open_with_key(aead: &Aes256Gcm, name: &str, data: &[u8]) -> Option<String> {
    open_with(core::iter::once(aead), name, data).map(|(_, plain)| plain)
}

/// Nonce, ciphertext and tag of a decoded seal; `None` when too short to hold a nonce and a tag.
fn split(data: &[u8]) -> Option<(Nonce<aes_gcm::aead::consts::U12>, &[u8], Tag)> {
    let ciphertext_len = data.len().checked_sub(NONCE_LEN + TAG_LEN)?;
    let (nonce, rest) = data.split_at(NONCE_LEN);
    let (ciphertext, tag) = rest.split_at(ciphertext_len);
    Some((
        Nonce::try_from(nonce).ok()?,
        ciphertext,
        Tag::try_from(tag).ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const K1: &[u8] = b"0123456789abcdef0123456789abcdef";
    const K2: &[u8] = b"fedcba9876543210fedcba9876543210";

    #[test]
    fn sealed_len_is_the_wire_length() {
        let ring = KeyRing::new(K1).unwrap();
        for n in 0..100 {
            let plain = vec![b'a'; n];
            assert_eq!(
                ring.seal("c", &plain).len(),
                sealed_len(n),
                "plaintext of {n}"
            );
        }
    }

    #[test]
    fn round_trip_name_binding_and_rotation() {
        let old = KeyRing::new(K1).unwrap();
        let sealed = old.seal("cart", b"42.hint");
        assert_eq!(
            old.unseal("cart", &sealed),
            Some(("42.hint".to_owned(), Verified::Current))
        );
        assert_eq!(old.unseal("cart2", &sealed), None);
        let rotated = KeyRing::rotating(K2, &[K1]).unwrap();
        assert_eq!(
            rotated.unseal("cart", &sealed),
            Some(("42.hint".to_owned(), Verified::Previous))
        );
        assert_eq!(KeyRing::new(K2).unwrap().unseal("cart", &sealed), None);
    }

    #[test]
    fn fresh_nonce_per_seal() {
        let ring = KeyRing::new(K1).unwrap();
        assert_ne!(ring.seal("c", b"v"), ring.seal("c", b"v"));
    }

    #[test]
    fn short_long_and_foreign_inputs_are_refused_without_panicking() {
        let ring = KeyRing::new(K1).unwrap();
        let sealed = ring.seal("c", b"value");
        for bad in [
            String::new(),
            "A".repeat(sealed_len(0) - 1),
            "A".repeat(sealed_len(0)),
            sealed[..sealed.len() - 1].to_owned(),
            format!("{sealed}A"),
            sealed.replace(|_: char| true, "!"),
            "A".repeat(MAX_WIRE + 4),
        ] {
            assert_eq!(ring.unseal("c", &bad), None, "{bad:?}");
        }
    }
}
