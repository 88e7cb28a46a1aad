//! The engine behind every generated jar: one request's declared cookies and the response's
//! pending `Set-Cookie` headers.
//!
//! `from_headers` scans every `Cookie` header once and records, for each declared name, where its
//! value is (or that it appeared twice). Getters slice and decode on demand; setters keep at most
//! one pending header per cookie, so a later set or clear of the same cookie replaces an earlier
//! one and a response never carries two conflicting `Set-Cookie` lines for one name.

use core::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::OnceLock;

use bytes::Bytes;
use http::header::{COOKIE, SET_COOKIE};
use http::{HeaderMap, HeaderValue};

use crate::consent::ConsentState;
use crate::error::{CookieError, DecodeError};
use crate::header::is_cookie_octets;
use crate::signing::{KeyRing, MAC_B64_LEN, Verified};
use crate::spec::CookieSpec;
use crate::value::CookieValue;

/// Whether a name found at `at` starts a pair: nothing but spaces or tabs between it and the
/// previous `;` or the start of the header.
fn starts_pair(h: &[u8], at: usize) -> bool {
    let before = h[..at].iter().rposition(|&b| b != b' ' && b != b'\t');
    before.is_none_or(|i| h[i] == b';')
}

/// Browsers drop cookies whose name plus value exceed this (RFC 6265bis §5.6 step 5).
pub const MAX_NAME_VALUE: usize = 4096;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Missing,
    At {
        header: usize,
        start: usize,
        end: usize,
    },
    Duplicate,
}

/// Per-inventory substring searchers for the declared names, built once per process (the
/// derive keeps one in a `static`). Not used directly.
#[derive(Debug)]
pub struct Finders(OnceLock<Vec<memchr::memmem::Finder<'static>>>);

impl Finders {
    /// An empty cache.
    #[allow(clippy::new_without_default)] // used in `static` items, which need a `const fn`
    pub const fn new() -> Self {
        Finders(OnceLock::new())
    }

    fn get(&self, specs: &'static [CookieSpec]) -> &[memchr::memmem::Finder<'static>] {
        self.0.get_or_init(|| {
            specs
                .iter()
                .map(|s| memchr::memmem::Finder::new(s.name().as_bytes()))
                .collect()
        })
    }
}

/// The state of a generated jar with `N` declared cookies. Not used directly.
///
/// Reading is lazy: a getter searches the request's `Cookie` headers for its own name (one
/// SIMD substring search per header) the first time it is called, and remembers the result. A
/// handler that reads only the session pays for one search, whatever else the browser sent.
#[derive(Debug)]
pub struct JarCore<const N: usize> {
    specs: &'static [CookieSpec],
    finders: &'static [memchr::memmem::Finder<'static>],
    first: Option<HeaderValue>,
    rest: Vec<HeaderValue>,
    found: [OnceLock<Slot>; N],
    pending: [Option<HeaderValue>; N],
    /// Cookies verified with a previous key, to re-sign on output. Atomic rather than `Cell`
    /// so the jar stays `Sync` and can be held across `.await` in handlers.
    resign: [AtomicBool; N],
    keys: Option<KeyRing>,
    gpc: bool,
}

impl<const N: usize> JarCore<N> {
    /// Keeps the request's `Cookie` headers (reference-counted, not copied; no allocation for
    /// the usual single header) for the getters to search.
    pub fn from_headers(
        specs: &'static [CookieSpec],
        finders: &'static Finders,
        headers: &HeaderMap,
        keys: Option<&KeyRing>,
        read_gpc: bool,
    ) -> Self {
        debug_assert_eq!(specs.len(), N);
        let mut all = headers.get_all(COOKIE).iter();
        JarCore {
            specs,
            finders: finders.get(specs),
            first: all.next().cloned(),
            rest: all.cloned().collect(),
            found: [const { OnceLock::new() }; N],
            pending: [const { None }; N],
            resign: [const { AtomicBool::new(false) }; N],
            keys: keys.cloned(),
            // A header-map lookup per request; only jars with consent helpers need it.
            gpc: read_gpc && crate::consent::gpc_signal(headers),
        }
    }

    fn header(&self, i: usize) -> &[u8] {
        let v = if i == 0 {
            self.first.as_ref()
        } else {
            self.rest.get(i - 1)
        };
        v.map_or(&[][..], HeaderValue::as_bytes)
    }

    fn slot(&self, idx: usize) -> Slot {
        *self.found[idx].get_or_init(|| self.scan(idx))
    }

    /// Finds every `name=` of cookie `idx` that starts a pair: at the start of a header or
    /// after `;` and optional whitespace. Cookie-octets exclude `;`, so a value can never fake
    /// a boundary. The value runs to the next `;`, trimmed of whitespace and one pair of
    /// enclosing quotes, as [`crate::header::pairs`] reads it.
    fn scan(&self, idx: usize) -> Slot {
        let name_len = self.specs[idx].name().len();
        let mut slot = Slot::Missing;
        let headers = self.first.iter().chain(&self.rest);
        for (header, value) in headers.enumerate() {
            let h = value.as_bytes();
            for at in self.finders[idx].find_iter(h) {
                // Lenient as `pairs` is: whitespace may stand between the name and `=`.
                let mut eq = at + name_len;
                while matches!(h.get(eq), Some(b' ' | b'\t')) {
                    eq += 1;
                }
                if h.get(eq) != Some(&b'=') || !starts_pair(h, at) {
                    continue;
                }
                if slot != Slot::Missing {
                    return Slot::Duplicate;
                }
                let end = memchr::memchr(b';', &h[eq + 1..]).map_or(h.len(), |e| eq + 1 + e);
                let (start, end) = crate::header::trim_value(h, eq + 1, end);
                slot = Slot::At { header, start, end };
            }
        }
        slot
    }

    /// Whether the request carried `Sec-GPC: 1`.
    pub fn gpc(&self) -> bool {
        self.gpc
    }

    /// Whether the request carried cookie `idx` at all (even a bad or duplicated one).
    pub fn is_present(&self, idx: usize) -> bool {
        self.slot(idx) != Slot::Missing
    }

    /// The raw value of cookie `idx` as sent, checked to be cookie-octets; for signed cookies the
    /// verified payload.
    fn raw(&self, idx: usize) -> Result<Option<&str>, CookieError> {
        let spec = &self.specs[idx];
        let name = spec.name();
        let (h, start, end) = match self.slot(idx) {
            Slot::Missing => return Ok(None),
            Slot::Duplicate => return Err(CookieError::Duplicate { name }),
            Slot::At { header, start, end } => (header, start, end),
        };
        let bytes = &self.header(h)[start..end];
        if !is_cookie_octets(bytes) {
            return Err(CookieError::Invalid {
                name,
                reason: DecodeError::new("value is not cookie-octets"),
            });
        }
        // Cookie-octets are ASCII, so this cannot fail.
        let value = core::str::from_utf8(bytes).map_err(|_| CookieError::Invalid {
            name,
            reason: DecodeError::new("value is not cookie-octets"),
        })?;
        if !spec.signed() {
            return Ok(Some(value));
        }
        let bad = CookieError::BadSignature { name };
        let keys = self.keys.as_ref().ok_or_else(|| bad.clone())?;
        let dot = value
            .len()
            .checked_sub(MAC_B64_LEN + 1)
            .ok_or_else(|| bad.clone())?;
        if value.as_bytes()[dot] != b'.' {
            return Err(bad);
        }
        let (payload, mac) = (&value[..dot], &value[dot + 1..]);
        match keys.verify(name, payload.as_bytes(), mac.as_bytes()) {
            Verified::Current => Ok(Some(payload)),
            Verified::Previous => {
                self.resign[idx].store(true, Relaxed);
                Ok(Some(payload))
            }
            Verified::Invalid => Err(bad),
        }
    }

    /// Decodes cookie `idx` as `T`: `Ok(None)` when absent.
    ///
    /// # Errors
    /// `Duplicate`, `Invalid` or `BadSignature`, see [`CookieError`].
    pub fn get<T: CookieValue>(&self, idx: usize) -> Result<Option<T>, CookieError> {
        let Some(raw) = self.raw(idx)? else {
            return Ok(None);
        };
        T::decode(raw)
            .map(Some)
            .map_err(|reason| CookieError::Invalid {
                name: self.specs[idx].name(),
                reason,
            })
    }

    /// Queues a `Set-Cookie` for cookie `idx` with `value`, replacing anything queued for it.
    ///
    /// # Errors
    /// `TooLarge` over 4096 bytes of name plus value; `BadEncoding` when `encode` wrote
    /// something other than cookie-octets. Nothing is queued on error.
    pub fn set<T: CookieValue>(&mut self, idx: usize, value: &T) -> Result<(), CookieError> {
        let spec = &self.specs[idx];
        let name = spec.name();
        let signature = if spec.signed() { MAC_B64_LEN + 1 } else { 0 };
        let value_len = value.encoded_len();
        let mut buf = String::with_capacity(
            name.len() + 1 + value_len + signature + spec.attribute_suffix().len(),
        );
        buf.push_str(name);
        buf.push('=');
        let value_start = buf.len();
        value.__encode_with_len(&mut buf, value_len);
        // This crate's encoders are known to write cookie-octets; anyone else's are checked,
        // because a `;` or CR/LF would inject attributes or headers.
        if T::__trusted().is_none() && !is_cookie_octets(&buf.as_bytes()[value_start..]) {
            return Err(CookieError::BadEncoding { name });
        }
        let size = buf.len() - 1 + signature;
        if size > MAX_NAME_VALUE {
            return Err(CookieError::TooLarge { name, size });
        }
        if spec.signed() {
            let keys = self
                .keys
                .as_ref()
                .expect("a jar of an inventory with signed cookies is always built with keys");
            let mac = keys.sign(name, &buf.as_bytes()[value_start..]);
            buf.push('.');
            // base64url output is ASCII.
            buf.push_str(core::str::from_utf8(&mac).unwrap_or_default());
        }
        buf.push_str(spec.attribute_suffix());
        self.pending[idx] = Some(header_value(Bytes::from(buf)));
        self.resign[idx].store(false, Relaxed);
        Ok(())
    }

    /// Queues the declared removal for cookie `idx`, replacing anything queued for it.
    pub fn clear(&mut self, idx: usize) {
        let removal = self.specs[idx].removal_header();
        self.pending[idx] = Some(header_value(Bytes::from_static(removal.as_bytes())));
        self.resign[idx].store(false, Relaxed);
    }

    /// Clears every consent-gated cookie the request carried whose category `consent` does not
    /// grant. Necessary cookies are never touched.
    pub fn enforce_consent(&mut self, consent: &ConsentState) {
        for idx in 0..N {
            let category = self.specs[idx].category();
            if category.is_gated() && !consent.grants(category) && self.is_present(idx) {
                self.clear(idx);
            }
        }
    }

    /// The headers queued by setters and clearers, in declaration order, without allocating
    /// (re-signed cookies are added only by `write_to`).
    pub fn queued(&self) -> impl Iterator<Item = &HeaderValue> {
        self.pending.iter().flatten()
    }

    /// Appends every pending `Set-Cookie` to `headers`, in declaration order, plus a re-signed
    /// copy of each cookie that was read and verified with a previous key.
    pub fn write_to(&self, headers: &mut HeaderMap) {
        for idx in 0..N {
            if let Some(v) = &self.pending[idx] {
                headers.append(SET_COOKIE, v.clone());
            } else if self.resign[idx].load(Relaxed)
                && let Some(v) = self.resigned(idx)
            {
                headers.append(SET_COOKIE, v);
            }
        }
    }

    /// Every pending `Set-Cookie` value, as [`JarCore::write_to`] would append them.
    pub fn set_cookie_headers(&self) -> Vec<HeaderValue> {
        let mut map = HeaderMap::new();
        self.write_to(&mut map);
        map.get_all(SET_COOKIE).iter().cloned().collect()
    }

    fn resigned(&self, idx: usize) -> Option<HeaderValue> {
        let payload = self.raw(idx).ok().flatten()?;
        let spec = &self.specs[idx];
        let keys = self.keys.as_ref()?;
        let mac = keys.sign(spec.name(), payload.as_bytes());
        let mut buf = String::with_capacity(
            spec.name().len() + 2 + payload.len() + MAC_B64_LEN + spec.attribute_suffix().len(),
        );
        buf.push_str(spec.name());
        buf.push('=');
        buf.push_str(payload);
        buf.push('.');
        buf.push_str(core::str::from_utf8(&mac).unwrap_or_default());
        buf.push_str(spec.attribute_suffix());
        Some(header_value(Bytes::from(buf)))
    }
}

/// Wraps bytes already known to be a valid header value.
fn header_value(bytes: Bytes) -> HeaderValue {
    // SAFETY: every caller passes a `name=value; attrs` line in which the name and the
    // attributes were validated at compile time by the derive (RFC 9110 token, visible-ASCII
    // path and domain) and the value was just checked to be cookie-octets (or is base64url):
    // all visible ASCII or SP, which `HeaderValue` accepts. Debug builds re-check.
    unsafe { HeaderValue::from_maybe_shared_unchecked(bytes) }
}
