//! Session tokens: 256 bits from the operating system's random source.

use core::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::error::DecodeError;
use crate::value::CookieValue;

/// An opaque session token: 32 random bytes, 43 characters of base64url on the wire.
///
/// [`SessionToken::new`] is the only way to make a fresh one; call it on every successful login
/// so a token planted before login is never adopted (session fixation). Stores key sessions by
/// [`SessionToken::hash`], so a leaked session table holds no live tokens. `Debug` is redacted.
///
/// ```
/// use cookie_contract::{CookieValue, SessionToken};
/// let token = SessionToken::new();
/// let wire = token.to_base64();
/// assert_eq!(wire.len(), 43);
/// assert_eq!(SessionToken::decode(&wire).unwrap(), token);
/// ```
#[derive(Clone, PartialEq, Eq)]
// Aligned to 16 so that a token moves as two aligned 16-byte halves, as the vector decoder stores
// it. At byte alignment an `Option<SessionToken>` put the bytes at offset 1, copies through
// `Option`s and `Result`s were split differently from the stores before them, and reads stalled
// on store forwarding: `decode_token` 9.8 → 6.7 ns, the two tokens of `read_cookies` about
// 15 ns less with this.
#[repr(align(16))]
pub struct SessionToken([u8; 32]);

impl SessionToken {
    /// A fresh token from the OS random source.
    ///
    /// # Panics
    /// When the operating system's random source fails (there is no safe fallback).
    ///
    /// ```
    /// use cookie_contract::SessionToken;
    /// assert_ne!(SessionToken::new(), SessionToken::new());
    /// ```
    #[allow(clippy::new_without_default)] // a Default would hide that each call is fresh
    pub fn new() -> Self {
        let mut b = [0u8; 32];
        getrandom::fill(&mut b).expect("the OS random source failed");
        SessionToken(b)
    }

    /// SHA-256 of the token bytes: the key a store files the session under.
    ///
    /// ```
    /// let token = cookie_contract::SessionToken::new();
    /// // Store the hash, never the token: a leaked store then holds no usable cookie.
    /// assert_eq!(token.hash(), token.hash());
    /// assert_eq!(token.hash().to_string().len(), 64);
    /// ```
    pub fn hash(&self) -> SessionHash {
        SessionHash(Sha256::digest(self.0).into())
    }

    /// The raw token bytes (for binding CSRF tokens to the session).
    ///
    /// ```
    /// assert_eq!(cookie_contract::SessionToken::new().as_bytes().len(), 32);
    /// ```
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The 43-character base64url form, as sent in the cookie.
    ///
    /// ```
    /// let wire = cookie_contract::SessionToken::new().to_base64();
    /// assert!(wire.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    /// ```
    pub fn to_base64(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

impl CookieValue for SessionToken {
    fn encode(&self, out: &mut String) {
        URL_SAFE_NO_PAD.encode_string(self.0, out);
    }

    fn encoded_len(&self) -> usize {
        43
    }

    fn __trusted() -> Option<crate::value::Trusted> {
        crate::value::trusted()
    }

    fn decode(raw: &str) -> Result<Self, DecodeError> {
        decode_token(raw.as_bytes())
    }

    // The decoder refuses every byte outside base64url's 64 characters, all cookie-octets: the
    // jar's octet check before it (3.3 ns for a token) would be done twice.
    fn __decode_bytes() -> Option<(crate::value::Trusted, crate::value::DecodeBytes<Self>)> {
        Some((crate::value::trusted()?, decode_token))
    }
}

/// A token from its 43 base64url characters, as sent.
fn decode_token(raw: &[u8]) -> Result<SessionToken, DecodeError> {
    let bad = || DecodeError::new("a session token is 43 base64url characters");
    let raw: &[u8; 43] = raw.try_into().map_err(|_| bad())?;
    crate::base64url::decode_32(raw)
        .map(SessionToken)
        .ok_or_else(bad)
}

/// SHA-256 of a [`SessionToken`]. `Display` is lower-case hex.
///
/// ```
/// use cookie_contract::SessionHash;
/// let hash: SessionHash = cookie_contract::SessionToken::new().hash();
/// assert!(hash.to_string().bytes().all(|b| b.is_ascii_hexdigit()));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct SessionHash(pub [u8; 32]);

impl fmt::Display for SessionHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Stores format this on every request: one write, not 32 formatted ones.
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 64];
        for (i, b) in self.0.iter().enumerate() {
            out[2 * i] = HEX[usize::from(b >> 4)];
            out[2 * i + 1] = HEX[usize::from(b & 15)];
        }
        f.write_str(core::str::from_utf8(&out).map_err(|_| fmt::Error)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_fresh_and_round_trip() {
        let a = SessionToken::new();
        let b = SessionToken::new();
        assert_ne!(a, b);
        let mut s = String::new();
        a.encode(&mut s);
        assert_eq!(s.len(), a.encoded_len());
        assert_eq!(SessionToken::decode(&s).unwrap(), a);
        assert_eq!(format!("{a:?}"), "SessionToken(<redacted>)");
    }

    #[test]
    fn hash_is_sha256_of_the_bytes() {
        let t = SessionToken([0; 32]);
        assert_eq!(
            t.hash().to_string(),
            "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925"
        );
    }

    #[test]
    fn malformed_tokens_are_errors() {
        for bad in ["", "abc", &"A".repeat(44), &"!".repeat(43), &"A".repeat(42)] {
            assert!(SessionToken::decode(bad).is_err(), "{bad}");
        }
        // 43 chars whose last one carries non-zero trailing bits is not canonical.
        assert!(SessionToken::decode(&format!("{}B", "A".repeat(42))).is_err());
    }
}
