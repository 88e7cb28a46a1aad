//! What can go wrong when reading or writing a declared cookie.

use core::fmt;

use crate::spec::{CookieSpec, Lifetime};

/// Why a value could not be decoded from its cookie-octets.
///
/// ```
/// use cookie_contract::DecodeError;
/// let e = DecodeError::new("not a colour");
/// assert_eq!(e.to_string(), "not a colour");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    reason: &'static str,
}

impl DecodeError {
    /// A decode failure with a short, static reason (never the attacker-controlled input).
    ///
    /// ```
    /// let e = cookie_contract::DecodeError::new("not a colour");
    /// assert_eq!(e.reason(), "not a colour");
    /// ```
    pub const fn new(reason: &'static str) -> Self {
        DecodeError { reason }
    }

    /// The reason given at construction.
    ///
    /// ```
    /// assert_eq!(cookie_contract::DecodeError::new("too long").reason(), "too long");
    /// ```
    pub const fn reason(&self) -> &'static str {
        self.reason
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason)
    }
}

impl std::error::Error for DecodeError {}

/// An error reading or writing one declared cookie. Every variant names the cookie; none carries
/// the cookie's value, so logging an error never leaks a credential.
///
/// ```
/// use cookie_contract::CookieError;
/// let e = CookieError::TooLarge { name: "cart", size: 5000 };
/// assert_eq!(e.name(), "cart");
/// assert_eq!(
///     e.to_string(),
///     "cookie `cart` would be 5000 bytes (name + value); browsers drop cookies over 4096"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CookieError {
    /// The request carried the cookie more than once (browsers send one per matching
    /// Path/Domain, and an attacker on a sibling domain can add one: "cookie tossing"). Neither
    /// copy is trusted.
    Duplicate {
        /// The cookie name.
        name: &'static str,
    },
    /// The request carried the cookie more than once and the cookie has declared legacy scopes:
    /// most likely a copy at an old Path or Domain is still in the browser. Neither copy is
    /// trusted; `clear_legacy()` (or `clear_f`) queues the removals at the old scopes, so the next
    /// request is clean.
    DuplicateAtLegacyScope {
        /// The cookie name.
        name: &'static str,
    },
    /// The value is not cookie-octets or its type could not decode it.
    Invalid {
        /// The cookie name.
        name: &'static str,
        /// What the decoder rejected.
        reason: DecodeError,
    },
    /// A signed cookie whose signature is missing, malformed, made with an unknown key or made
    /// for another cookie name.
    BadSignature {
        /// The cookie name.
        name: &'static str,
    },
    /// An encrypted cookie whose value does not open: changed, truncated, sealed for another
    /// cookie name or with a key the ring does not hold.
    BadSeal {
        /// The cookie name.
        name: &'static str,
    },
    /// Name plus value as sent (encoded, and with its signature or seal) exceed the 4096 bytes
    /// browsers keep (RFC 6265bis §5.6 step 5); the browser would silently drop the cookie, so the setter refuses it.
    TooLarge {
        /// The cookie name.
        name: &'static str,
        /// Name plus encoded value, in bytes.
        size: usize,
    },
    /// `set_f_with` asked for a lifetime longer than the declared `max_age` (or any duration for
    /// a cookie declared `"session"`). Never clamped: the declaration stays the contract, and the
    /// inventory documents stay true.
    LifetimeTooLong {
        /// The cookie name.
        name: &'static str,
        /// What was asked for.
        requested: Lifetime,
        /// What the declaration allows at most.
        declared: Lifetime,
    },
    /// `set_f_with` asked for a lifetime of zero seconds: that is a removal, which `clear_f` is.
    LifetimeZero {
        /// The cookie name.
        name: &'static str,
    },
    /// A `CookieValue::encode` implementation wrote bytes outside cookie-octets (which could
    /// inject attributes or headers); nothing was queued.
    BadEncoding {
        /// The cookie name.
        name: &'static str,
    },
}

impl CookieError {
    /// The name of the cookie concerned.
    ///
    /// ```
    /// use cookie_contract::CookieError;
    /// assert_eq!(CookieError::Duplicate { name: "sid" }.name(), "sid");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            CookieError::Duplicate { name }
            | CookieError::DuplicateAtLegacyScope { name }
            | CookieError::Invalid { name, .. }
            | CookieError::BadSignature { name }
            | CookieError::BadSeal { name }
            | CookieError::TooLarge { name, .. }
            | CookieError::LifetimeTooLong { name, .. }
            | CookieError::LifetimeZero { name }
            | CookieError::BadEncoding { name } => name,
        }
    }
}

impl fmt::Display for CookieError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CookieError::Duplicate { name } => {
                write!(f, "cookie `{name}` was sent more than once")
            }
            CookieError::DuplicateAtLegacyScope { name } => write!(
                f,
                "cookie `{name}` was sent more than once; it has legacy scopes, so an old copy is likely still in the browser: clear_legacy() removes it"
            ),
            CookieError::Invalid { name, reason } => {
                write!(f, "cookie `{name}` has an invalid value: {reason}")
            }
            CookieError::BadSignature { name } => {
                write!(f, "cookie `{name}` has a missing or invalid signature")
            }
            CookieError::BadSeal { name } => write!(
                f,
                "encrypted cookie `{name}` does not open: altered, sealed for another cookie, or with an unknown key"
            ),
            CookieError::TooLarge { name, size } => write!(
                f,
                "cookie `{name}` would be {size} bytes (name + value); browsers drop cookies over 4096"
            ),
            CookieError::LifetimeTooLong {
                name,
                requested,
                declared,
            } => write!(
                f,
                "cookie `{name}` may live at most {declared}, not {requested}: its declaration is the contract"
            ),
            CookieError::LifetimeZero { name } => write!(
                f,
                "cookie `{name}` cannot be set for zero seconds; clear it instead"
            ),
            CookieError::BadEncoding { name } => write!(
                f,
                "the value encoder of cookie `{name}` produced bytes outside cookie-octets"
            ),
        }
    }
}

impl std::error::Error for CookieError {}

/// Whether `lifetime` may be used for one response of `spec`'s cookie: a session cookie always,
/// a duration from 1 second up to the declared `max_age`.
pub(crate) fn lifetime_allowed(spec: &CookieSpec, lifetime: Lifetime) -> Result<(), CookieError> {
    let name = spec.name();
    match (lifetime, spec.lifetime()) {
        (Lifetime::Session, _) => Ok(()),
        (Lifetime::Seconds(0), _) => Err(CookieError::LifetimeZero { name }),
        (Lifetime::Seconds(s), Lifetime::Seconds(max)) if s <= max => Ok(()),
        (requested, declared) => Err(CookieError::LifetimeTooLong {
            name,
            requested,
            declared,
        }),
    }
}
