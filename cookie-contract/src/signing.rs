//! Keys and name-bound HMAC-SHA256 signatures.
//!
//! The application gives one current key and any number of verify-only previous keys. From each
//! key the ring derives independent subkeys with HMAC (`cookie-contract/v1/<purpose>`), so the
//! cookie-signing key never doubles as the CSRF key. A signed cookie's MAC is keyed by a
//! per-cookie subkey, `HMAC(signing subkey, "cookie/" ‖ name)`: a value signed for one cookie
//! never verifies under another name, and the MAC input stays the bare payload (a 43-byte
//! session token fits one SHA-256 block; binding the name in the message would cost a second).
//! Every HMAC key is prepared once (ipad/opad states) and cloned per use. The same ring seals
//! `encrypted` cookies with a third subkey (`sealing.rs`).

use std::fmt;
use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use std::borrow::Cow;

use crate::error::{CookieError, DecodeError};
use crate::header::is_cookie_octets;
use crate::spec::CookieSpec;

pub(crate) type HmacSha256 = Hmac<Sha256>;

/// Length of a MAC on the wire: 32 bytes in base64url without padding.
///
/// ```
/// use cookie_contract::KeyRing;
/// use cookie_contract::signing::MAC_B64_LEN;
/// assert_eq!(KeyRing::generate().sign("sid", b"v").len(), MAC_B64_LEN);
/// ```
pub const MAC_B64_LEN: usize = 43;

/// The shortest key the ring accepts: 32 bytes, the HMAC-SHA256 output size.
///
/// ```
/// use cookie_contract::KeyRing;
/// use cookie_contract::signing::MIN_KEY_LEN;
/// assert!(KeyRing::new(&[7; MIN_KEY_LEN - 1]).is_err());
/// assert!(KeyRing::new(&[7; MIN_KEY_LEN]).is_ok());
/// ```
pub const MIN_KEY_LEN: usize = 32;

/// Per-cookie prepared keys cached in the ring; more signed cookie names than this still work,
/// only without the cache.
const COOKIE_CACHE_SLOTS: usize = 32;

/// A key shorter than [`MIN_KEY_LEN`].
///
/// ```
/// let err = cookie_contract::KeyRing::new(b"short").unwrap_err();
/// assert_eq!(err.to_string(), "a signing key must be at least 32 bytes, this one has 5");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyError {
    len: usize,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a signing key must be at least {MIN_KEY_LEN} bytes, this one has {}",
            self.len
        )
    }
}

impl std::error::Error for KeyError {}

/// The outcome of checking a signature.
///
/// ```
/// use cookie_contract::KeyRing;
/// use cookie_contract::signing::Verified;
/// let old = KeyRing::new(&[1; 32]).unwrap();
/// let mac = old.sign("sid", b"payload");
/// let rotated = KeyRing::rotating(&[2; 32], &[&[1; 32]]).unwrap();
/// assert_eq!(old.verify("sid", b"payload", &mac), Verified::Current);
/// assert_eq!(rotated.verify("sid", b"payload", &mac), Verified::Previous);
/// assert_eq!(old.verify("other", b"payload", &mac), Verified::Invalid);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verified {
    /// Made with the current key.
    Current,
    /// Made with a previous key: valid, and should be re-signed with the current key.
    Previous,
    /// Malformed, forged, made for another name, or made with a key the ring does not hold.
    Invalid,
}

/// One current signing key plus verify-only previous keys.
///
/// Cheap to clone (an `Arc`). `Debug` never prints key material.
///
/// Rotation: deploy `KeyRing::rotating(new, &[old])`; cookies signed with `old` still verify and
/// are re-signed with `new` the next time they are read; once every cookie's lifetime has passed,
/// drop `old`.
///
/// ```
/// use cookie_contract::KeyRing;
/// let keys = KeyRing::new(b"a secret of at least 32 bytes, from config").unwrap();
/// assert_eq!(
///     format!("{keys:?}"),
///     "KeyRing { previous_keys: 0, legacy_cookie_key: false, .. }"
/// );
/// ```
#[derive(Clone)]
pub struct KeyRing {
    inner: Arc<Inner>,
}

struct Inner {
    /// Index 0 is the current key, then the previous keys in the order given.
    keys: Vec<DerivedKeys>,
    cookies: [OnceLock<CookieKeys>; COOKIE_CACHE_SLOTS],
    /// A cookie-rs key whose signed values are still accepted while an application migrates.
    legacy: Option<LegacyKey>,
}

/// A cookie-rs `Key`, prepared once: its signing half for `SignedJar` values, its encryption
/// half for `PrivateJar` values.
#[derive(Clone)]
struct LegacyKey {
    signing: HmacSha256,
    sealing: aes_gcm::Aes256Gcm,
}

/// The base64 (standard alphabet, padded) digest cookie-rs puts before a signed value.
const LEGACY_DIGEST_LEN: usize = 44;

#[derive(Clone)]
struct DerivedKeys {
    signing: [u8; 32],
    csrf: HmacSha256,
    sealing: aes_gcm::Aes256Gcm,
}

struct CookieKeys {
    name: &'static str,
    /// One prepared MAC per key of the ring, current first.
    macs: Vec<HmacSha256>,
}

impl KeyRing {
    /// A ring with one key and no previous keys.
    ///
    /// # Errors
    /// [`KeyError`] when `key` is shorter than 32 bytes.
    ///
    /// ```
    /// use cookie_contract::KeyRing;
    /// assert!(KeyRing::new(b"at least 32 bytes of secret material").is_ok());
    /// assert!(KeyRing::new(b"too short").is_err());
    /// ```
    pub fn new(key: &[u8]) -> Result<Self, KeyError> {
        Self::rotating(key, &[])
    }

    /// A ring that signs with `current` and also accepts signatures made with `previous`.
    ///
    /// # Errors
    /// [`KeyError`] when any key is shorter than 32 bytes.
    ///
    /// ```
    /// use cookie_contract::KeyRing;
    /// let keys = KeyRing::rotating(b"the new secret, 32 bytes or more.....", &[b"the old secret, 32 bytes or more....."]).unwrap();
    /// assert_eq!(keys.previous_keys(), 1);
    /// ```
    pub fn rotating(current: &[u8], previous: &[&[u8]]) -> Result<Self, KeyError> {
        let keys = core::iter::once(current)
            .chain(previous.iter().copied())
            .map(DerivedKeys::derive)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(KeyRing {
            inner: Arc::new(Inner {
                keys,
                cookies: core::array::from_fn(|_| OnceLock::new()),
                legacy: None,
            }),
        })
    }

    /// A ring with a fresh random 32-byte key from the operating system. Cookies signed with it
    /// do not survive a restart; for tests and throw-away development servers.
    ///
    /// # Panics
    /// When the operating system's random source fails.
    ///
    /// ```
    /// let keys = cookie_contract::KeyRing::generate();
    /// assert_eq!(keys.previous_keys(), 0);
    /// ```
    pub fn generate() -> Self {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).expect("the OS random source failed");
        Self::new(&key).expect("32 bytes is long enough")
    }

    /// How many previous (verify-only) keys the ring holds.
    ///
    /// ```
    /// use cookie_contract::KeyRing;
    /// assert_eq!(KeyRing::rotating(&[2; 32], &[&[1; 32], &[0; 32]]).unwrap().previous_keys(), 2);
    /// ```
    pub fn previous_keys(&self) -> usize {
        self.inner.keys.len() - 1
    }

    /// The MAC of `payload` for the cookie `name`, with the current key, in base64url.
    ///
    /// ```
    /// use cookie_contract::KeyRing;
    /// use cookie_contract::signing::Verified;
    /// let keys = KeyRing::generate();
    /// let mac = keys.sign("sid", b"payload");
    /// assert_eq!(keys.verify("sid", b"payload", &mac), Verified::Current);
    /// ```
    pub fn sign(&self, name: &'static str, payload: &[u8]) -> [u8; MAC_B64_LEN] {
        let tag = self.with_cookie_keys(name, |macs| mac_of(&macs[0], payload));
        let mut out = [0u8; MAC_B64_LEN];
        // 32 bytes always encode to exactly 43 characters.
        let _ = URL_SAFE_NO_PAD.encode_slice(tag, &mut out);
        out
    }

    /// Checks `mac` (base64url, as on the wire) over `payload` for the cookie `name`.
    ///
    /// The received MAC is decoded (only its one canonical base64url spelling is accepted) and
    /// compared with the expected one in constant time. Never panics; a MAC of the wrong length
    /// or alphabet is [`Verified::Invalid`].
    ///
    /// ```
    /// use cookie_contract::KeyRing;
    /// use cookie_contract::signing::Verified;
    /// let keys = KeyRing::generate();
    /// let mac = keys.sign("sid", b"payload");
    /// assert_eq!(keys.verify("sid", b"payload!", &mac), Verified::Invalid);
    /// assert_eq!(keys.verify("sid", b"payload", b"not a mac"), Verified::Invalid);
    /// ```
    pub fn verify(&self, name: &'static str, payload: &[u8], mac: &[u8]) -> Verified {
        let Ok(received) = <&[u8; MAC_B64_LEN]>::try_from(mac) else {
            return Verified::Invalid;
        };
        self.with_cookie_keys(name, |macs| {
            // The current key's MAC is computed before the received one is decoded: the decode
            // does not depend on it, so the processor runs it while the hash rounds finish.
            let current = macs.first().map(|key| mac_of(key, payload));
            // The decoder refuses every non-canonical spelling: each MAC has one accepted form.
            let Some(received) = crate::base64url::decode_32(received) else {
                return Verified::Invalid;
            };
            if current.is_some_and(|mac| ct_eq_array(&mac, &received)) {
                return Verified::Current;
            }
            let mut previous = macs.iter().skip(1);
            if previous.any(|key| ct_eq_array(&mac_of(key, payload), &received)) {
                Verified::Previous
            } else {
                Verified::Invalid
            }
        })
    }

    /// This ring, also accepting values signed by cookie-rs (axum-extra's `SignedCookieJar`)
    /// with `key`, so switching to this crate logs nobody out: such a value verifies as a
    /// previous key's would, and the jar re-issues it in this crate's format with the current
    /// key in the same response. Values cookie-rs encrypted with `key` (axum-extra's
    /// `PrivateCookieJar`) open the same way for a declared `encrypted` cookie and are re-sealed.
    ///
    /// What is accepted, and for how long: a declared `signed` cookie whose value is
    /// `base64(HMAC-SHA256(key.signing(), value)) ‖ value` (percent-encoded or not, as
    /// axum-extra sends it). cookie-rs does not bind the MAC to the cookie name, so a legacy value
    /// signed for one cookie also verifies under another declared signed cookie: retire the
    /// legacy key (build the ring without this call) once the longest declared lifetime of a
    /// signed cookie has passed since the switch; every value read meanwhile has been re-issued.
    #[cfg(feature = "legacy-cookie-key")]
    pub fn with_legacy_cookie_key(self, key: &cookie::Key) -> Self {
        let encryption: &[u8; 32] = key
            .encryption()
            .try_into()
            .expect("a cookie-rs key's encryption half is 32 bytes");
        let legacy = LegacyKey {
            signing: HmacSha256::new_from_slice(key.signing()).expect("HMAC takes any key length"),
            sealing: crate::sealing::aead(encryption),
        };
        let keys = match Arc::try_unwrap(self.inner) {
            Ok(inner) => inner.keys,
            Err(shared) => shared.keys.clone(),
        };
        KeyRing {
            inner: Arc::new(Inner {
                keys,
                cookies: core::array::from_fn(|_| OnceLock::new()),
                legacy: Some(legacy),
            }),
        }
    }

    /// Whether a cookie-rs key is still accepted (`KeyRing::with_legacy_cookie_key`, feature `legacy-cookie-key`).
    ///
    /// ```
    /// assert!(!cookie_contract::KeyRing::generate().has_legacy_cookie_key());
    /// ```
    pub fn has_legacy_cookie_key(&self) -> bool {
        self.inner.legacy.is_some()
    }

    /// The original value inside a cookie-rs signed `value`, if it verifies under the legacy
    /// key. Percent-encoding (axum-extra encodes the digest's `+`, `/` and `=`) is undone first.
    pub(crate) fn open_legacy(&self, value: &str) -> Option<String> {
        let legacy = self.inner.legacy.as_ref()?;
        let value = percent_encoding::percent_decode_str(value)
            .decode_utf8()
            .ok()?;
        if !value.is_char_boundary(LEGACY_DIGEST_LEN) || value.len() < LEGACY_DIGEST_LEN {
            return None;
        }
        let (digest, original) = value.split_at(LEGACY_DIGEST_LEN);
        let mut expected = [0u8; 32];
        let n = base64::engine::general_purpose::STANDARD
            .decode_slice(digest, &mut expected)
            .ok()?;
        let got = mac_of(&legacy.signing, original.as_bytes());
        (n == 32 && ct_eq_array(&got, &expected)).then(|| original.to_owned())
    }

    /// Opens a signed wire value `payload.mac` of the cookie `name`: the payload and which key
    /// verified it, or `None` for anything that is not exactly a MAC of this ring for this name.
    pub(crate) fn open<'a>(
        &self,
        name: &'static str,
        value: &'a str,
    ) -> Option<(&'a str, Verified)> {
        let dot = value.len().checked_sub(MAC_B64_LEN + 1)?;
        if value.as_bytes()[dot] != b'.' {
            return None;
        }
        let (payload, mac) = (&value[..dot], &value[dot + 1..]);
        match self.verify(name, payload.as_bytes(), mac.as_bytes()) {
            Verified::Invalid => None,
            verified => Some((payload, verified)),
        }
    }

    /// Appends `.mac` to `line`, signing `line[payload_start..]` for the cookie `name` with the
    /// current key: the one place a signed value is written, for fresh values and re-signing.
    pub(crate) fn append_mac(&self, name: &'static str, line: &mut String, payload_start: usize) {
        let mac = self.sign(name, &line.as_bytes()[payload_start..]);
        line.push('.');
        // base64url output is ASCII.
        line.push_str(core::str::from_utf8(&mac).unwrap_or_default());
    }

    /// The value inside a cookie-rs private `value` of the cookie `name`, if it opens under the
    /// legacy key.
    pub(crate) fn unseal_legacy(&self, name: &str, value: &str) -> Option<String> {
        let legacy = self.inner.legacy.as_ref()?;
        crate::sealing::open_cookie_rs(&legacy.sealing, name, value)
    }

    /// The prepared AES-256-GCM keys, current first.
    pub(crate) fn aeads(&self) -> impl Iterator<Item = &aes_gcm::Aes256Gcm> {
        self.inner.keys.iter().map(|k| &k.sealing)
    }

    /// A prepared HMAC for CSRF tokens, keyed by the current key's CSRF subkey.
    pub(crate) fn csrf_macs(&self) -> impl Iterator<Item = &HmacSha256> {
        self.inner.keys.iter().map(|k| &k.csrf)
    }

    fn with_cookie_keys<R>(&self, name: &'static str, f: impl FnOnce(&[HmacSha256]) -> R) -> R {
        for slot in &self.inner.cookies {
            let entry = slot.get_or_init(|| self.derive_cookie(name));
            // Names come from `const` specs, so the pointer usually settles it.
            if core::ptr::eq(entry.name, name) || entry.name == name {
                return f(&entry.macs);
            }
        }
        // Cache full: derive for this call only. Correct, just slower.
        f(&self.derive_cookie(name).macs)
    }

    fn derive_cookie(&self, name: &'static str) -> CookieKeys {
        let macs = self
            .inner
            .keys
            .iter()
            .map(|k| {
                let mut m = HmacSha256::new_from_slice(&k.signing).expect("HMAC takes any key");
                m.update(b"cookie/");
                m.update(name.as_bytes());
                let sub: [u8; 32] = m.finalize().into_bytes().into();
                HmacSha256::new_from_slice(&sub).expect("HMAC takes any key")
            })
            .collect();
        CookieKeys { name, macs }
    }
}

impl DerivedKeys {
    fn derive(key: &[u8]) -> Result<Self, KeyError> {
        if key.len() < MIN_KEY_LEN {
            return Err(KeyError { len: key.len() });
        }
        let sub = |label: &[u8]| -> [u8; 32] {
            let mut m = HmacSha256::new_from_slice(key).expect("HMAC takes any key");
            m.update(b"cookie-contract/v1/");
            m.update(label);
            m.finalize().into_bytes().into()
        };
        Ok(DerivedKeys {
            signing: sub(b"signing"),
            csrf: HmacSha256::new_from_slice(&sub(b"csrf")).expect("HMAC takes any key"),
            sealing: crate::sealing::aead(&sub(b"encryption")),
        })
    }
}

impl fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyRing")
            .field("previous_keys", &self.previous_keys())
            .field("legacy_cookie_key", &self.has_legacy_cookie_key())
            .finish_non_exhaustive()
    }
}

#[inline]
pub(crate) fn mac_of(prepared: &HmacSha256, msg: &[u8]) -> [u8; 32] {
    let mut m = prepared.clone();
    m.update(msg);
    m.finalize().into_bytes().into()
}

/// Constant-time equality of two byte arrays of one fixed length (raw tags, wire MACs): the
/// XOR of every byte is OR-ed together without branches (the compiler vectorises the fold) and
/// compared with zero through `subtle` once, a fraction of a byte-wise `ct_eq`'s cost. Both
/// sides have the same length by type, so a length mismatch cannot happen.
#[inline]
pub(crate) fn ct_eq_array<const N: usize>(a: &[u8; N], b: &[u8; N]) -> bool {
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    diff.ct_eq(&0).into()
}

/// `raw` as a string when it is cookie-octets (what every value read must be), else `Invalid`
/// for cookie `name`.
#[inline]
pub(crate) fn cookie_octets<'a>(name: &'static str, raw: &'a [u8]) -> Result<&'a str, CookieError> {
    if !is_cookie_octets(raw) {
        return Err(CookieError::Invalid {
            name,
            reason: DecodeError::new("value is not cookie-octets"),
        });
    }
    debug_assert!(raw.is_ascii());
    // SAFETY: cookie-octets are ASCII (0x21..=0x7E, checked just above), and ASCII is UTF-8.
    // Validating again would be a second pass over every value read.
    Ok(unsafe { core::str::from_utf8_unchecked(raw) })
}

/// A declared cookie's value as sent, as the application may read it: checked to be
/// cookie-octets and, when the cookie is `signed`, verified with `keys` (the payload and which key
/// verified it; an unsigned cookie counts as verified by the current key), or when it is
/// `encrypted`, opened with `keys`. The one gate every reader of a request's cookies goes
/// through: the jars, the audit layer and the CSRF layer.
///
/// # Errors
/// `Invalid` for bytes that are not cookie-octets, `BadSignature` for a signed cookie whose MAC
/// is not this ring's for this name, `BadSeal` for an encrypted cookie that does not open (both
/// also when there are no keys).
#[inline]
pub(crate) fn open_value<'a>(
    spec: &CookieSpec,
    raw: &'a [u8],
    keys: Option<&KeyRing>,
) -> Result<(Cow<'a, str>, Verified), CookieError> {
    let name = spec.name();
    let value = cookie_octets(name, raw)?;
    if spec.encrypted() {
        return open_sealed(name, value, keys);
    }
    if !spec.signed() {
        return Ok((Cow::Borrowed(value), Verified::Current));
    }
    let keys = keys.ok_or(CookieError::BadSignature { name })?;
    if let Some((payload, verified)) = keys.open(name, value) {
        return Ok((Cow::Borrowed(payload), verified));
    }
    // A value cookie-rs signed, while the application migrates: accepted like a previous
    // key's, so the jar re-issues it in this crate's format.
    match keys.open_legacy(value) {
        Some(original) => Ok((Cow::Owned(original), Verified::Previous)),
        None => Err(CookieError::BadSignature { name }),
    }
}

/// An encrypted cookie's plaintext: this crate's seal, or (while migrating) cookie-rs's, which
/// counts as a previous key's so the jar re-seals it in this crate's format.
fn open_sealed<'a>(
    name: &'static str,
    value: &str,
    keys: Option<&KeyRing>,
) -> Result<(Cow<'a, str>, Verified), CookieError> {
    let keys = keys.ok_or(CookieError::BadSeal { name })?;
    if let Some((plain, verified)) = keys.unseal(name, value) {
        return Ok((Cow::Owned(plain), verified));
    }
    match keys.unseal_legacy(name, value) {
        Some(plain) => Ok((Cow::Owned(plain), Verified::Previous)),
        None => Err(CookieError::BadSeal { name }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K1: &[u8] = b"0123456789abcdef0123456789abcdef";
    const K2: &[u8] = b"fedcba9876543210fedcba9876543210";

    #[test]
    fn short_keys_are_refused() {
        assert_eq!(KeyRing::new(&[0; 31]).unwrap_err(), KeyError { len: 31 });
        assert!(KeyRing::rotating(K1, &[&[0; 8]]).is_err());
    }

    #[test]
    fn signature_is_bound_to_the_name() {
        let ring = KeyRing::new(K1).unwrap();
        let mac = ring.sign("a", b"payload");
        assert_eq!(ring.verify("a", b"payload", &mac), Verified::Current);
        assert_eq!(ring.verify("b", b"payload", &mac), Verified::Invalid);
        assert_eq!(ring.verify("a", b"payloae", &mac), Verified::Invalid);
    }

    #[test]
    fn previous_keys_verify_and_retired_keys_do_not() {
        let old = KeyRing::new(K1).unwrap();
        let mac = old.sign("s", b"v");
        let rotated = KeyRing::rotating(K2, &[K1]).unwrap();
        assert_eq!(rotated.verify("s", b"v", &mac), Verified::Previous);
        let retired = KeyRing::new(K2).unwrap();
        assert_eq!(retired.verify("s", b"v", &mac), Verified::Invalid);
    }

    #[test]
    fn malformed_macs_are_invalid_not_panics() {
        let ring = KeyRing::new(K1).unwrap();
        let mac = ring.sign("s", b"v");
        for bad in [
            &b""[..],
            &mac[..42],
            b"!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
            &[0xff; 43],
        ] {
            assert_eq!(ring.verify("s", b"v", bad), Verified::Invalid);
        }
        let mut long = mac.to_vec();
        long.push(b'A');
        assert_eq!(ring.verify("s", b"v", &long), Verified::Invalid);
    }

    #[test]
    fn the_encryption_subkey_is_neither_the_signing_nor_the_raw_key() {
        let ring = KeyRing::new(K1).unwrap();
        let sealed = ring.seal("c", b"value");
        let wire = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&sealed)
            .unwrap();
        let opens = |key: &[u8; 32]| {
            crate::sealing::open_with_key(&crate::sealing::aead(key), "c", &wire).is_some()
        };
        let raw: &[u8; 32] = K1.try_into().unwrap();
        assert!(
            !opens(&ring.inner.keys[0].signing),
            "sealed with the signing subkey"
        );
        assert!(!opens(raw), "sealed with the raw key");
        assert!(ring.unseal("c", &sealed).is_some());
    }

    #[test]
    fn debug_hides_keys() {
        let dbg = format!("{:?}", KeyRing::rotating(K1, &[K2]).unwrap());
        assert_eq!(
            dbg,
            "KeyRing { previous_keys: 1, legacy_cookie_key: false, .. }"
        );
    }

    #[test]
    fn many_names_beyond_the_cache_still_verify() {
        let ring = KeyRing::new(K1).unwrap();
        let names: Vec<&'static str> = (0..40)
            .map(|i| &*Box::leak(format!("c{i}").into_boxed_str()))
            .collect();
        for n in &names {
            let mac = ring.sign(n, b"x");
            assert_eq!(ring.verify(n, b"x", &mac), Verified::Current);
        }
    }

    #[test]
    fn tag_comparison() {
        let a = [7u8; 32];
        let mut b = a;
        assert!(ct_eq_array(&a, &b));
        b[31] ^= 1;
        assert!(!ct_eq_array(&a, &b));
    }
}
