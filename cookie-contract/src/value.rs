//! Typed cookie values: the `CookieValue` trait and its implementations.
//!
//! Every encoder writes only cookie-octets (RFC 6265bis §4.1.1: `%x21 / %x23-2B / %x2D-3A /
//! %x3C-5B / %x5D-7E`), so no value can break out of its header. Every decoder returns an error,
//! never panics, on any input.

use percent_encoding::{AsciiSet, CONTROLS};

use crate::error::DecodeError;

/// A type that can be stored in a cookie.
///
/// `#[derive(CookieValue)]` implements it for field-less enums. Implement it by hand for other
/// types; the jar re-checks that `encode` wrote only cookie-octets and refuses the value
/// otherwise ([`CookieError::BadEncoding`](crate::CookieError::BadEncoding)).
///
/// ```
/// use cookie_contract::{CookieValue, DecodeError};
///
/// /// An amount in cents, sent as its decimal digits.
/// struct Cents(u64);
///
/// impl CookieValue for Cents {
///     fn encode(&self, out: &mut String) {
///         out.push_str(&self.0.to_string());
///     }
///     fn decode(raw: &str) -> Result<Self, DecodeError> {
///         raw.parse().map(Cents).map_err(|_| DecodeError::new("not a number of cents"))
///     }
/// }
///
/// let mut wire = String::new();
/// Cents(1250).encode(&mut wire);
/// assert_eq!(wire, "1250");
/// assert_eq!(Cents::decode("12.50").err(), Some(DecodeError::new("not a number of cents")));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be stored in a cookie: it does not implement `CookieValue`",
    label = "not a cookie value",
    note = "implement `cookie_contract::CookieValue` for it, use `#[derive(CookieValue)]` on a field-less enum, or wrap a serde type in `Json<...>`"
)]
pub trait CookieValue: Sized {
    /// Appends the encoded value to `out`. Must write only cookie-octets.
    fn encode(&self, out: &mut String);

    /// The exact length `encode` will write, or an upper bound. An exact answer lets the
    /// setter build the header with a single allocation.
    fn encoded_len(&self) -> usize {
        32
    }

    /// Decodes a value previously written by `encode`. `raw` is already checked to be
    /// cookie-octets. Must not panic on any input.
    ///
    /// # Errors
    /// [`DecodeError`] when `raw` is not a value of this type.
    fn decode(raw: &str) -> Result<Self, DecodeError>;

    /// Implementation detail: `encode`, told the `encoded_len` the caller just computed, so
    /// an encoder need not scan its input twice.
    #[doc(hidden)]
    fn __encode_with_len(&self, out: &mut String, _encoded_len: usize) {
        self.encode(out)
    }

    /// Implementation detail: `Some` only for this crate's own encoders, which are known to
    /// write cookie-octets. Other implementations cannot construct a [`Trusted`].
    #[doc(hidden)]
    fn __trusted() -> Option<Trusted> {
        None
    }

    /// Implementation detail: `Some` for this crate's decoders that read the bytes as sent and
    /// refuse every byte outside their own alphabet (a subset of cookie-octets), so the jar
    /// need not check the octets before them. Other implementations cannot construct a
    /// [`Trusted`].
    #[doc(hidden)]
    fn __decode_bytes() -> Option<(Trusted, DecodeBytes<Self>)> {
        None
    }
}

/// Bytes that are not cookie-octets, plus `%` itself so encoding is reversible.
const STRING_ESCAPES: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

// ---------------------------------------------------------------------------------------------
// How generated accessors reach a field type's functions (hidden; see `__private`).

/// A decoder of the bytes as sent (see [`CookieValue::__decode_bytes`]).
#[doc(hidden)]
pub type DecodeBytes<T> = fn(&[u8]) -> Result<T, DecodeError>;

/// A field type's `CookieValue` functions, as the jar uses them. Built by [`Probe`].
#[doc(hidden)]
pub struct Codec<T> {
    pub(crate) decode: fn(&str) -> Result<T, DecodeError>,
    /// `decode` for the raw bytes, for types that check the octets themselves.
    pub(crate) decode_bytes: Option<DecodeBytes<T>>,
    pub(crate) encoded_len: fn(&T) -> usize,
    pub(crate) encode_with_len: fn(&T, &mut String, usize),
    pub(crate) trusted: bool,
}

impl<T> Clone for Codec<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Codec<T> {}

/// Finds a field type's [`Codec`] by autoref specialisation: `(&Probe::<T>::NEW).codec()`
/// resolves to [`ValueCodec`] when `T: CookieValue` and otherwise to [`MissingCodec`], whose
/// codec is never run because `assert_cookie_value` has already failed the build. So the
/// accessors compile either way, and a missing impl is one error, not one per accessor.
#[doc(hidden)]
pub struct Probe<T>(core::marker::PhantomData<T>);

impl<T> Probe<T> {
    /// The probe for `T`.
    pub const NEW: Self = Probe(core::marker::PhantomData);
}

/// The codec of a `CookieValue` type (chosen first: no autoref).
#[doc(hidden)]
pub trait ValueCodec<T> {
    /// `T`'s functions.
    fn codec(&self) -> Codec<T>;
}

impl<T: CookieValue> ValueCodec<T> for Probe<T> {
    #[inline(always)]
    fn codec(&self) -> Codec<T> {
        Codec {
            decode: T::decode,
            decode_bytes: T::__decode_bytes().map(|(_, decode)| decode),
            encoded_len: T::encoded_len,
            encode_with_len: T::__encode_with_len,
            trusted: T::__trusted().is_some(),
        }
    }
}

/// The stand-in codec for a type that is not a `CookieValue` (chosen only after autoref).
#[doc(hidden)]
pub trait MissingCodec<T> {
    /// Functions that are never run.
    fn codec(&self) -> Codec<T>;
}

impl<T> MissingCodec<T> for &Probe<T> {
    fn codec(&self) -> Codec<T> {
        Codec {
            decode: |_| unreachable!("assert_cookie_value failed the build"),
            decode_bytes: None,
            encoded_len: |_| unreachable!("assert_cookie_value failed the build"),
            encode_with_len: |_, _, _| unreachable!("assert_cookie_value failed the build"),
            trusted: false,
        }
    }
}

/// Percent-encodes everything outside cookie-octets (and `%`), so any Rust string round-trips.
impl CookieValue for String {
    fn encode(&self, out: &mut String) {
        // Most values (tokens, ids, base64) need no escaping: copy them in one go.
        if escapes(self.as_bytes()) == 0 {
            out.push_str(self);
        } else {
            out.extend(percent_encoding::utf8_percent_encode(self, STRING_ESCAPES));
        }
    }

    fn encoded_len(&self) -> usize {
        self.len() + 2 * escapes(self.as_bytes())
    }

    fn __encode_with_len(&self, out: &mut String, encoded_len: usize) {
        // The length says whether anything needs escaping.
        if encoded_len == self.len() {
            out.push_str(self);
        } else {
            out.extend(percent_encoding::utf8_percent_encode(self, STRING_ESCAPES));
        }
    }

    fn __trusted() -> Option<Trusted> {
        Some(Trusted(()))
    }

    fn decode(raw: &str) -> Result<Self, DecodeError> {
        percent_encoding::percent_decode_str(raw)
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(|_| DecodeError::new("percent-decoded value is not UTF-8"))
    }
}

/// How many bytes of `s` `encode` escapes. Most values have none, and the branch-free "any?"
/// check vectorises (a few ns for 87 bytes, against 90 ns for a widening count), so count
/// only when there is something to count.
fn escapes(s: &[u8]) -> usize {
    let plain = |b: u8| crate::header::is_cookie_octet(b) & (b != b'%');
    if crate::header::all_bytes(s, plain) {
        0
    } else {
        s.iter().filter(|&&b| !plain(b)).count()
    }
}

/// Proof that a `CookieValue` implementation writes only cookie-octets, so the jar can skip
/// re-checking its output (or, from [`CookieValue::__decode_bytes`], that its decoder refuses
/// everything but cookie-octets itself). Only this crate can make one: every implementation
/// outside it returns `None` from both, and its values are checked.
#[doc(hidden)]
#[derive(Debug)]
pub struct Trusted(());

/// For this crate's other encoders (base64url session tokens, consent records).
pub(crate) fn trusted() -> Option<Trusted> {
    Some(Trusted(()))
}

macro_rules! integer_value {
    ($($t:ty),*) => {$(
        /// Decimal digits (with a leading `-` for negative values).
        impl CookieValue for $t {
            fn encode(&self, out: &mut String) {
                use core::fmt::Write as _;
                let _ = write!(out, "{self}");
            }

            fn encoded_len(&self) -> usize {
                // Digits of the largest 128-bit value plus a sign.
                40
            }

            fn __trusted() -> Option<Trusted> {
                Some(Trusted(()))
            }

            fn decode(raw: &str) -> Result<Self, DecodeError> {
                // `str::parse` accepts a leading `+`; the wire form never has one.
                if raw.starts_with('+') {
                    return Err(DecodeError::new("not a decimal integer"));
                }
                raw.parse().map_err(|_| DecodeError::new("not a decimal integer in range"))
            }
        }
    )*};
}

integer_value!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize
);

/// `true` or `false`.
impl CookieValue for bool {
    fn encode(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }

    fn encoded_len(&self) -> usize {
        if *self { 4 } else { 5 }
    }

    fn __trusted() -> Option<Trusted> {
        Some(Trusted(()))
    }

    fn decode(raw: &str) -> Result<Self, DecodeError> {
        match raw {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(DecodeError::new("expected `true` or `false`")),
        }
    }
}

#[cfg(feature = "json")]
/// Any serde type, stored as base64url (no padding) of its JSON.
///
/// JSON itself contains `"`, `,` and spaces, which are not cookie-octets; base64url needs no
/// escaping at all.
///
/// ```
/// use cookie_contract::{CookieValue, Json};
/// let mut wire = String::new();
/// Json(vec![3u32, 1, 4]).encode(&mut wire);
/// assert_eq!(wire, "WzMsMSw0XQ"); // base64url of `[3,1,4]`
/// assert_eq!(Json::<Vec<u32>>::decode(&wire).unwrap().0, [3, 1, 4]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Json<T>(pub T);

#[cfg(feature = "json")]
impl<T> CookieValue for Json<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    fn encode(&self, out: &mut String) {
        // Serialising a plain data type to a Vec cannot fail; a type whose Serialize impl
        // errors (a map with non-string keys) encodes as `null`, which then fails to decode.
        let json = serde_json::to_vec(&self.0).unwrap_or_else(|_| b"null".to_vec());
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode_string(json, out);
    }

    fn __trusted() -> Option<Trusted> {
        Some(Trusted(()))
    }

    fn decode(raw: &str) -> Result<Self, DecodeError> {
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(raw)
            .map_err(|_| DecodeError::new("not base64url"))?;
        serde_json::from_slice(&bytes)
            .map(Json)
            .map_err(|_| DecodeError::new("not JSON of the expected shape"))
    }
}
