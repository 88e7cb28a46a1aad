//! Layer two's tokens: minted for one session, masked afresh on every mint, verified in
//! constant time with every key of the ring.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::Mac;

use super::CsrfError;
use crate::session::SessionToken;
use crate::signing::{KeyRing, ct_eq_array};

pub(super) const NONCE_LEN: usize = 16;
const SECRET_LEN: usize = NONCE_LEN + 32;
/// Length of a CSRF token on the wire.
///
/// ```
/// use cookie_contract::{KeyRing, SessionToken};
/// let token = KeyRing::generate().csrf_token(&SessionToken::new());
/// assert_eq!(token.len(), cookie_contract::csrf::TOKEN_LEN);
/// ```
pub const TOKEN_LEN: usize = (2 * SECRET_LEN * 4).div_ceil(3);

impl KeyRing {
    /// A fresh CSRF token bound to `session`: a new nonce and a new mask on every call.
    ///
    /// # Panics
    /// When the operating system's random source fails.
    ///
    /// ```
    /// use cookie_contract::{KeyRing, SessionToken};
    /// let keys = KeyRing::generate();
    /// let session = SessionToken::new();
    /// let token = keys.csrf_token(&session);
    /// assert_ne!(token, keys.csrf_token(&session), "masked anew on every call");
    /// assert!(keys.verify_csrf_token(&session, token.as_bytes()).is_ok());
    /// ```
    pub fn csrf_token(&self, session: &SessionToken) -> String {
        // One system call for the nonce and the mask.
        let mut random = [0u8; NONCE_LEN + SECRET_LEN];
        getrandom::fill(&mut random).expect("the OS random source failed");
        let (nonce, mask) = random.split_at(NONCE_LEN);
        let mac = csrf_mac(
            self.csrf_macs().next().expect("a ring has a current key"),
            session,
            nonce,
        );
        let mut secret = [0u8; SECRET_LEN];
        secret[..NONCE_LEN].copy_from_slice(nonce);
        secret[NONCE_LEN..].copy_from_slice(&mac);
        let mut wire = [0u8; 2 * SECRET_LEN];
        wire[..SECRET_LEN].copy_from_slice(mask);
        for i in 0..SECRET_LEN {
            wire[SECRET_LEN + i] = secret[i] ^ wire[i];
        }
        URL_SAFE_NO_PAD.encode(wire)
    }

    /// Checks a CSRF token against `session`, with the current and previous keys (so a key
    /// rotation does not break open forms).
    ///
    /// # Errors
    /// [`CsrfError::BadToken`] for any token that is not exactly a token this ring minted for this
    /// session: wrong length, padding, non-base64url, truncated, forged, or another session's.
    /// Never panics.
    ///
    /// ```
    /// use cookie_contract::{KeyRing, SessionToken};
    /// let keys = KeyRing::generate();
    /// let token = keys.csrf_token(&SessionToken::new());
    /// // A token minted for another session is refused.
    /// assert!(keys.verify_csrf_token(&SessionToken::new(), token.as_bytes()).is_err());
    /// ```
    pub fn verify_csrf_token(&self, session: &SessionToken, token: &[u8]) -> Result<(), CsrfError> {
        if token.len() != TOKEN_LEN {
            return Err(CsrfError::BadToken);
        }
        let mut wire = [0u8; 2 * SECRET_LEN];
        match URL_SAFE_NO_PAD.decode_slice(token, &mut wire) {
            Ok(n) if n == wire.len() => {}
            _ => return Err(CsrfError::BadToken),
        }
        let mut secret = [0u8; SECRET_LEN];
        for i in 0..SECRET_LEN {
            secret[i] = wire[SECRET_LEN + i] ^ wire[i];
        }
        let (nonce, mac) = secret.split_at(NONCE_LEN);
        let mac: &[u8; 32] = mac.try_into().expect("32 bytes");
        let mut ok = false;
        for key in self.csrf_macs() {
            ok |= ct_eq_array(&csrf_mac(key, session, nonce), mac);
        }
        if ok { Ok(()) } else { Err(CsrfError::BadToken) }
    }
}

/// The pinned message: `u32be(32) ‖ token bytes ‖ u32be(16) ‖ nonce`, under the CSRF subkey
/// (derived with the label `cookie-contract/v1/csrf`, so it is domain-separated from signing).
fn csrf_mac(key: &crate::signing::HmacSha256, session: &SessionToken, nonce: &[u8]) -> [u8; 32] {
    let mut m = key.clone();
    m.update(&(session.as_bytes().len() as u32).to_be_bytes());
    m.update(session.as_bytes());
    m.update(&(nonce.len() as u32).to_be_bytes());
    m.update(nonce);
    m.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_for_their_session_only() {
        let keys = KeyRing::new(&[3; 32]).unwrap();
        let s1 = SessionToken::new();
        let s2 = SessionToken::new();
        let t = keys.csrf_token(&s1);
        assert_eq!(t.len(), TOKEN_LEN);
        assert_eq!(keys.verify_csrf_token(&s1, t.as_bytes()), Ok(()));
        assert_eq!(
            keys.verify_csrf_token(&s2, t.as_bytes()),
            Err(CsrfError::BadToken)
        );
        let other = KeyRing::new(&[4; 32]).unwrap();
        assert_eq!(
            other.verify_csrf_token(&s1, t.as_bytes()),
            Err(CsrfError::BadToken)
        );
    }

    #[test]
    fn tokens_are_masked_afresh() {
        let keys = KeyRing::new(&[3; 32]).unwrap();
        let s = SessionToken::new();
        let (a, b) = (keys.csrf_token(&s), keys.csrf_token(&s));
        assert_ne!(a, b);
        assert!(keys.verify_csrf_token(&s, a.as_bytes()).is_ok());
        assert!(keys.verify_csrf_token(&s, b.as_bytes()).is_ok());
    }

    #[test]
    fn tokens_survive_key_rotation() {
        let old = KeyRing::new(&[3; 32]).unwrap();
        let s = SessionToken::new();
        let t = old.csrf_token(&s);
        let rotated = KeyRing::rotating(&[9; 32], &[&[3; 32]]).unwrap();
        assert!(rotated.verify_csrf_token(&s, t.as_bytes()).is_ok());
    }

    #[test]
    fn malformed_tokens_are_rejected() {
        let keys = KeyRing::new(&[3; 32]).unwrap();
        let s = SessionToken::new();
        let t = keys.csrf_token(&s);
        let mut flipped = t.clone().into_bytes();
        flipped[100] = if flipped[100] == b'A' { b'B' } else { b'A' };
        for bad in [
            Vec::new(),
            t.as_bytes()[..TOKEN_LEN - 1].to_vec(),
            format!("{t}=").into_bytes(),
            format!("{t}A").into_bytes(),
            "!".repeat(TOKEN_LEN).into_bytes(),
            vec![0xff; TOKEN_LEN],
            flipped,
        ] {
            assert_eq!(keys.verify_csrf_token(&s, &bad), Err(CsrfError::BadToken));
        }
    }
}
