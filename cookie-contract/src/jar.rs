//! The engine behind every generated jar: one request's declared cookies and the response's
//! pending `Set-Cookie` headers.
//!
//! `from_headers` scans every `Cookie` header once and records, for each declared name, where its
//! value is (or that it appeared twice). Getters slice and decode on demand; setters keep at most
//! one pending header per cookie, so a later set or clear of the same cookie replaces an earlier
//! one and a response never carries two conflicting `Set-Cookie` lines for one name.

use core::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::borrow::Cow;
use std::sync::OnceLock;

use bytes::Bytes;
use http::header::SET_COOKIE;
use http::{HeaderMap, HeaderValue};

use crate::consent::{ConsentChoice, ConsentRecord, ConsentState};
use crate::error::CookieError;
use crate::header::{CookieHeaders, Finders, Found, Lookup, is_cookie_octets};
use crate::signing::{KeyRing, Verified, cookie_octets, open_value};
use crate::spec::{CookieSpec, Lifetime};
use crate::value::{Codec, CookieValue, Probe, ValueCodec};

/// Browsers drop cookies whose name plus value exceed this (RFC 6265bis §5.6 step 5).
///
/// ```
/// assert_eq!(cookie_contract::MAX_NAME_VALUE, 4096);
/// ```
pub const MAX_NAME_VALUE: usize = 4096;

/// The state of a generated jar with `N` declared cookies. Not used directly.
///
/// Reading is lazy: the first getter called places every declared cookie in one pass over the
/// request's `Cookie` headers, and the jar remembers where each is. A handler that reads nothing
/// pays for nothing; one that reads three cookies pays for one pass, not three.
#[derive(Debug)]
pub struct JarCore<const N: usize> {
    specs: &'static [CookieSpec],
    lookup: &'static Lookup,
    cookies: CookieHeaders,
    found: OnceLock<[Found; N]>,
    pending: [Option<HeaderValue>; N],
    /// Cookies whose legacy copies (old scopes) are to be removed in this response.
    legacy: [bool; N],
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
        JarCore {
            specs,
            lookup: finders.get(specs),
            cookies: CookieHeaders::capture(headers),
            found: OnceLock::new(),
            pending: [const { None }; N],
            legacy: [false; N],
            resign: [const { AtomicBool::new(false) }; N],
            keys: keys.cloned(),
            // A header-map lookup per request; only jars with consent helpers need it.
            gpc: read_gpc && crate::consent::gpc_signal(headers),
        }
    }

    /// Where cookie `idx` is in the request; every declared cookie is located on first use.
    fn slot(&self, idx: usize) -> Found {
        self.found
            .get_or_init(|| self.lookup.index.locate(&self.cookies))[idx]
    }

    /// Whether the request carried `Sec-GPC: 1`.
    pub fn gpc(&self) -> bool {
        self.gpc
    }

    /// Whether the request carried cookie `idx` at all (even a bad or duplicated one).
    pub fn is_present(&self, idx: usize) -> bool {
        self.slot(idx) != Found::Missing
    }

    /// Where cookie `idx`'s value is: header index and byte range, `Ok(None)` when absent.
    #[inline]
    fn sent(&self, idx: usize) -> Result<Option<&[u8]>, CookieError> {
        let spec = &self.specs[idx];
        match self.slot(idx) {
            Found::Missing => Ok(None),
            Found::Duplicate if spec.legacy_scopes().is_empty() => {
                Err(CookieError::Duplicate { name: spec.name() })
            }
            Found::Duplicate => Err(CookieError::DuplicateAtLegacyScope { name: spec.name() }),
            Found::At { header, start, end } => Ok(Some(&self.cookies.get(header)[start..end])),
        }
    }

    /// The raw value of cookie `idx` as sent, checked to be cookie-octets; for signed cookies the
    /// verified payload, for encrypted ones the plaintext.
    fn raw(&self, idx: usize) -> Result<Option<Cow<'_, str>>, CookieError> {
        let Some(sent) = self.sent(idx)? else {
            return Ok(None);
        };
        let (payload, verified) = open_value(&self.specs[idx], sent, self.keys.as_ref())?;
        if verified == Verified::Previous {
            self.resign[idx].store(true, Relaxed);
        }
        Ok(Some(payload))
    }

    /// Decodes cookie `idx` as `T`: `Ok(None)` when absent.
    ///
    /// # Errors
    /// `Duplicate`, `Invalid` or `BadSignature`, see [`CookieError`].
    #[inline]
    pub fn get<T: CookieValue>(&self, idx: usize) -> Result<Option<T>, CookieError> {
        self.get_with(idx, ValueCodec::codec(&Probe::<T>::NEW))
    }

    /// [`JarCore::get`] through `T`'s [`Codec`] (what generated accessors call).
    ///
    /// # Errors
    /// As [`JarCore::get`].
    #[inline]
    pub fn get_with<T>(&self, idx: usize, codec: Codec<T>) -> Result<Option<T>, CookieError> {
        let spec = &self.specs[idx];
        // A plain cookie's value is decoded where it lies, inlined into the getter. Through
        // `raw` (a `Cow`, for the signed and encrypted ones, returned through memory from a
        // call too large to inline) a `theme` getter on a placed jar took 10.2 ns, this way 6.6.
        let decoded = if spec.signed() || spec.encrypted() {
            let Some(raw) = self.raw(idx)? else {
                return Ok(None);
            };
            (codec.decode)(&raw)
        } else {
            let Some(sent) = self.sent(idx)? else {
                return Ok(None);
            };
            match codec.decode_bytes {
                Some(decode_bytes) => decode_bytes(sent),
                None => (codec.decode)(cookie_octets(spec.name(), sent)?),
            }
        };
        decoded.map(Some).map_err(|reason| CookieError::Invalid {
            name: spec.name(),
            reason,
        })
    }

    /// Every copy of cookie `idx` the request carried that verifies and decodes, in the order
    /// sent. A request carries several after cookie tossing or a change of scope; a logout must
    /// end the session each of them names.
    pub fn get_every_with<T>(&self, idx: usize, codec: Codec<T>) -> Vec<T> {
        let spec = &self.specs[idx];
        self.cookies
            .occurrences(&self.lookup.finders[idx])
            .filter_map(|(h, start, end)| {
                let (payload, _) =
                    open_value(spec, &self.cookies.get(h)[start..end], self.keys.as_ref()).ok()?;
                (codec.decode)(&payload).ok()
            })
            .collect()
    }

    /// Queues a `Set-Cookie` for cookie `idx` with `value`, replacing anything queued for it.
    ///
    /// # Errors
    /// `TooLarge` over 4096 bytes of name plus value; `BadEncoding` when `encode` wrote
    /// something other than cookie-octets. Nothing is queued on error.
    #[inline]
    pub fn set<T: CookieValue>(&mut self, idx: usize, value: &T) -> Result<(), CookieError> {
        self.set_with(idx, value, ValueCodec::codec(&Probe::<T>::NEW))
    }

    /// [`JarCore::set`] through `T`'s [`Codec`] (what generated accessors call).
    ///
    /// # Errors
    /// As [`JarCore::set`].
    #[inline]
    pub fn set_with<T>(
        &mut self,
        idx: usize,
        value: &T,
        codec: Codec<T>,
    ) -> Result<(), CookieError> {
        self.set_inner(idx, value, codec, None)
    }

    /// [`JarCore::set_with`] for this response's `lifetime`: a session cookie, or a duration
    /// from 1 second up to the declared `max_age`.
    ///
    /// # Errors
    /// `LifetimeTooLong` or `LifetimeZero` (checked first; nothing is queued), then as
    /// [`JarCore::set`].
    pub fn set_for_with<T>(
        &mut self,
        idx: usize,
        value: &T,
        lifetime: Lifetime,
        codec: Codec<T>,
    ) -> Result<(), CookieError> {
        crate::error::lifetime_allowed(&self.specs[idx], lifetime)?;
        let declared = self.specs[idx].lifetime();
        let custom = (lifetime != declared).then_some(lifetime);
        self.set_inner(idx, value, codec, custom)
    }

    #[inline]
    fn set_inner<T>(
        &mut self,
        idx: usize,
        value: &T,
        codec: Codec<T>,
        lifetime: Option<Lifetime>,
    ) -> Result<(), CookieError> {
        let spec = &self.specs[idx];
        let name = spec.name();
        let value_len = (codec.encoded_len)(value);
        // The value is encoded into the line first; a seal then replaces it, longer.
        let mut buf = String::with_capacity(
            name.len() + 1 + spec.wire_len(value_len) + spec.attribute_suffix().len(),
        );
        buf.push_str(name);
        buf.push('=');
        let value_start = buf.len();
        (codec.encode_with_len)(value, &mut buf, value_len);
        // This crate's encoders are known to write cookie-octets; anyone else's are checked,
        // because a `;` or CR/LF would inject attributes or headers.
        if !codec.trusted && !is_cookie_octets(&buf.as_bytes()[value_start..]) {
            return Err(CookieError::BadEncoding { name });
        }
        // Decided on the length as sent: signature, or nonce, tag and base64 growth, included.
        let size = name.len() + spec.wire_len(buf.len() - value_start);
        if size > MAX_NAME_VALUE {
            return Err(CookieError::TooLarge { name, size });
        }
        self.pending[idx] = Some(self.finish_line(idx, buf, value_start, lifetime));
        self.resign[idx].store(false, Relaxed);
        Ok(())
    }

    /// Completes `line` (`name=value` so far, the value from `value_start`): the MAC when the
    /// cookie is signed or the seal in place of the value when it is encrypted, then the
    /// declared attributes, with `lifetime` instead of the declared
    /// one when given. Used by the setters and by re-signing.
    fn finish_line(
        &self,
        idx: usize,
        mut line: String,
        value_start: usize,
        lifetime: Option<Lifetime>,
    ) -> HeaderValue {
        let spec = &self.specs[idx];
        if spec.signed() || spec.encrypted() {
            let keys = self.keys.as_ref().expect(
                "a jar of an inventory with signed or encrypted cookies is always built with keys",
            );
            if spec.encrypted() {
                keys.seal_in_line(spec.name(), &mut line, value_start);
            } else {
                keys.append_mac(spec.name(), &mut line, value_start);
            }
        }
        match lifetime {
            None => line.push_str(spec.attribute_suffix()),
            Some(lifetime) => {
                let (head, tail) = spec.suffix_around_lifetime();
                line.push_str(head);
                if let Lifetime::Seconds(s) = lifetime {
                    use core::fmt::Write as _;
                    let _ = write!(line, "; Max-Age={s}");
                }
                line.push_str(tail);
            }
        }
        header_value(Bytes::from(line))
    }

    /// Queues the declared removal for cookie `idx`, replacing anything queued for it, and the
    /// removal at each of its legacy scopes.
    pub fn clear(&mut self, idx: usize) {
        let removal = self.specs[idx].removal_header();
        self.pending[idx] = Some(header_value(Bytes::from_static(removal.as_bytes())));
        self.resign[idx].store(false, Relaxed);
        self.legacy[idx] = true;
    }

    /// Queues the removal of every legacy copy of every cookie (the current ones stay).
    pub fn clear_legacy(&mut self) {
        self.legacy = [true; N];
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

    /// The consent state of this request: the consent cookie `idx` (a `ConsentRecord`), read
    /// and verified like any other, for inventory `revision`, and the `Sec-GPC` header.
    pub fn consent_state(&self, idx: usize, revision: &str) -> ConsentState {
        ConsentState::verified(
            self.get::<ConsentRecord>(idx).ok().flatten(),
            revision,
            self.gpc,
        )
    }

    /// Records a choice made in this request: sets the consent cookie `idx`, clears every gated
    /// cookie the choice does not grant, and returns the new state.
    ///
    /// # Errors
    /// Those of [`JarCore::set`]; nothing is changed then.
    pub fn record_consent(
        &mut self,
        idx: usize,
        choice: ConsentChoice,
        revision: &str,
    ) -> Result<ConsentState, CookieError> {
        let record = ConsentRecord::choose(choice, revision, self.gpc);
        self.set(idx, &record)?;
        let state = ConsentState::verified(Some(record), revision, self.gpc);
        self.enforce_consent(&state);
        Ok(state)
    }

    /// The headers queued by setters and clearers, in declaration order, without allocating
    /// (re-signed cookies are added only by `write_to`).
    pub fn queued(&self) -> impl Iterator<Item = &HeaderValue> {
        self.pending.iter().flatten()
    }

    /// Appends every pending `Set-Cookie` to `headers`, in declaration order, plus a re-signed
    /// (or re-sealed) copy of each cookie that was read and verified (or opened) with a previous
    /// key.
    pub fn write_to(&self, headers: &mut HeaderMap) {
        for idx in 0..N {
            self.emit(idx, self.pending[idx].clone(), headers);
        }
    }

    /// [`JarCore::write_to`] for a jar that is done: the pending headers are moved, not cloned
    /// (a clone of a fresh header's bytes allocates its shared counter). What responses use.
    pub fn write_into(mut self, headers: &mut HeaderMap) {
        for idx in 0..N {
            let pending = self.pending[idx].take();
            self.emit(idx, pending, headers);
        }
    }

    /// Appends cookie `idx`'s lines: `pending`, or else its re-signed copy when due, then the
    /// removals at its legacy scopes when asked for.
    fn emit(&self, idx: usize, pending: Option<HeaderValue>, headers: &mut HeaderMap) {
        if let Some(v) = pending {
            headers.append(SET_COOKIE, v);
        } else if self.resign[idx].load(Relaxed)
            && let Some(v) = self.resigned(idx)
        {
            headers.append(SET_COOKIE, v);
        }
        if self.legacy[idx] {
            for line in self.specs[idx].legacy_removals() {
                headers.append(
                    SET_COOKIE,
                    header_value(Bytes::from_static(line.as_bytes())),
                );
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
        let mut line = String::with_capacity(
            spec.name().len() + 1 + spec.wire_len(payload.len()) + spec.attribute_suffix().len(),
        );
        line.push_str(spec.name());
        line.push('=');
        line.push_str(&payload);
        // Re-signed with the declared lifetime: the jar cannot know a shorter one chosen when
        // the value was first set.
        Some(self.finish_line(idx, line, spec.name().len() + 1, None))
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
