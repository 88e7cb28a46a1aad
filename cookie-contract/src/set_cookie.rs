//! `Set-Cookie` lines read for their meaning, as a browser reads them (RFC 6265bis §5.6), so a
//! line written by another library (cookie-rs, axum-extra, tower-sessions: another attribute
//! order, other case, other spacing, `Expires` instead of `Max-Age`) can be judged against a
//! declaration attribute by attribute.
//!
//! The jar's own lines never come here: they are known byte for byte and compared as bytes
//! (the audit layer's fast path).

use core::fmt;
use std::time::{Duration, SystemTime};

use crate::spec::{CookieSpec, Lifetime, Priority, SameSite};

/// How far an `Expires` date may be from the lifetime it stands for (clock skew and the time
/// between writing the header and judging it).
///
/// ```
/// assert_eq!(cookie_contract::set_cookie::EXPIRES_TOLERANCE.as_secs(), 60);
/// ```
pub const EXPIRES_TOLERANCE: Duration = Duration::from_secs(60);

/// The attributes of one `Set-Cookie` line. Unknown attributes are ignored, as browsers ignore
/// them; for a repeated attribute the last one counts, as in browsers, and [`judge`] refuses the
/// line (two `Domain`s, say, read differently by different parsers).
///
/// ```
/// use cookie_contract::set_cookie::SetCookie;
/// let c = SetCookie::parse("sid=abc; path=/; SECURE; SameSite=lax").unwrap();
/// assert_eq!((c.name, c.value, c.path, c.secure), ("sid", "abc", Some("/"), true));
/// assert_eq!(c.same_site, Some(cookie_contract::SameSite::Lax));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SetCookie<'a> {
    /// The cookie name (trimmed).
    pub name: &'a str,
    /// The value (trimmed).
    pub value: &'a str,
    /// `Path`.
    pub path: Option<&'a str>,
    /// `Domain`, without a leading dot.
    pub domain: Option<&'a str>,
    /// `Max-Age`, as a signed number of seconds (`None` when absent or not a number).
    pub max_age: Option<i64>,
    /// `Expires`, when it is a valid HTTP date.
    pub expires: Option<SystemTime>,
    /// `HttpOnly`.
    pub http_only: bool,
    /// `Secure`.
    pub secure: bool,
    /// `SameSite`, when one of the three known values.
    pub same_site: Option<SameSite>,
    /// `Partitioned`.
    pub partitioned: bool,
    /// `Priority`, when one of the three known values.
    pub priority: Option<Priority>,
    /// The first known attribute written more than once, if any.
    pub repeated: Option<Attribute>,
}

impl<'a> SetCookie<'a> {
    /// Reads a line; `None` when it has no `name=` pair at all.
    ///
    /// ```
    /// use cookie_contract::set_cookie::SetCookie;
    /// assert!(SetCookie::parse("no pair").is_none());
    /// assert_eq!(SetCookie::parse("a=1; Max-Age=60").unwrap().max_age, Some(60));
    /// ```
    pub fn parse(line: &'a str) -> Option<Self> {
        let mut parts = line.split(';');
        let (name, value) = parts.next()?.split_once('=')?;
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        let mut c = SetCookie {
            name,
            value: value.trim(),
            ..SetCookie::default()
        };
        // One bit per entry of the attribute table: Max-Age and Expires are different
        // attributes there (cookie-rs writes both in a removal), so neither repeats the other.
        let mut seen = 0u16;
        for attr in parts {
            let (key, val) = match attr.split_once('=') {
                Some((k, v)) => (k.trim(), v.trim()),
                None => (attr.trim(), ""),
            };
            let is = |k: &str| key.eq_ignore_ascii_case(k);
            if let Some((bit, a)) = Attribute::named(key) {
                if seen & bit != 0 && c.repeated.is_none() {
                    c.repeated = Some(a);
                }
                seen |= bit;
            }
            if is("path") {
                c.path = Some(val);
            } else if is("domain") {
                c.domain = Some(val.strip_prefix('.').unwrap_or(val));
            } else if is("max-age") {
                c.max_age = max_age(val);
            } else if is("expires") {
                c.expires = httpdate::parse_http_date(val).ok();
            } else if is("httponly") {
                c.http_only = true;
            } else if is("secure") {
                c.secure = true;
            } else if is("samesite") {
                c.same_site = [SameSite::Strict, SameSite::Lax, SameSite::None]
                    .into_iter()
                    .find(|s| val.eq_ignore_ascii_case(s.as_str()));
            } else if is("partitioned") {
                c.partitioned = true;
            } else if is("priority") {
                c.priority = [Priority::Low, Priority::Medium, Priority::High]
                    .into_iter()
                    .find(|p| val.eq_ignore_ascii_case(p.as_str()));
            }
        }
        Some(c)
    }

    /// What the line does at `now`: sets the cookie for a lifetime, or removes it (`Max-Age`
    /// of zero or less, or, without `Max-Age`, an `Expires` in the past).
    ///
    /// ```
    /// use std::time::SystemTime;
    /// use cookie_contract::Lifetime;
    /// use cookie_contract::set_cookie::{SetCookie, Usage};
    /// let now = SystemTime::now();
    /// assert_eq!(SetCookie::parse("a=1; Max-Age=60").unwrap().usage(now), Usage::Set(Lifetime::Seconds(60)));
    /// assert_eq!(SetCookie::parse("a=; Max-Age=0").unwrap().usage(now), Usage::Removal);
    /// ```
    pub fn usage(&self, now: SystemTime) -> Usage {
        match (self.max_age, self.expires) {
            (Some(s), _) if s <= 0 => Usage::Removal,
            (Some(s), _) => Usage::Set(Lifetime::Seconds(u32::try_from(s).unwrap_or(u32::MAX))),
            (None, Some(at)) => match at.duration_since(now) {
                Err(_) => Usage::Removal,
                Ok(left) => Usage::SetUntil(left),
            },
            (None, None) => Usage::Set(Lifetime::Session),
        }
    }
}

/// A `Max-Age` value as browsers read it (RFC 6265bis §5.6.2): an optional `-` and digits,
/// saturating rather than overflowing (a huge value is a very long lifetime, not none);
/// anything else makes the attribute ignored.
fn max_age(v: &str) -> Option<i64> {
    let (negative, digits) = match v.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, v),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = digits.parse::<i64>().unwrap_or(i64::MAX);
    Some(if negative { -n } else { n })
}

/// What a `Set-Cookie` line does.
///
/// ```
/// use std::time::SystemTime;
/// use cookie_contract::Lifetime;
/// use cookie_contract::set_cookie::{SetCookie, Usage};
/// let line = SetCookie::parse("a=1; Path=/").unwrap();
/// assert_eq!(line.usage(SystemTime::now()), Usage::Set(Lifetime::Session));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Usage {
    /// Sets the cookie with this lifetime.
    Set(Lifetime),
    /// Sets the cookie until a date this far ahead (`Expires` without `Max-Age`).
    SetUntil(Duration),
    /// Removes the cookie.
    Removal,
}

/// An attribute of a declaration.
///
/// ```
/// use cookie_contract::set_cookie::Attribute;
/// assert_eq!(Attribute::SameSite.as_str(), "SameSite");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attribute {
    /// The cookie name.
    Name,
    /// `Path`.
    Path,
    /// `Domain`.
    Domain,
    /// `Max-Age` / `Expires`.
    Lifetime,
    /// `HttpOnly`.
    HttpOnly,
    /// `Secure`.
    Secure,
    /// `SameSite`.
    SameSite,
    /// `Partitioned`.
    Partitioned,
    /// `Priority`.
    Priority,
}

impl Attribute {
    /// The attribute a header's attribute name stands for (ASCII case-insensitively), with a
    /// bit of its own for that name.
    fn named(key: &str) -> Option<(u16, Attribute)> {
        [
            ("path", Attribute::Path),
            ("domain", Attribute::Domain),
            ("max-age", Attribute::Lifetime),
            ("expires", Attribute::Lifetime),
            ("httponly", Attribute::HttpOnly),
            ("secure", Attribute::Secure),
            ("samesite", Attribute::SameSite),
            ("partitioned", Attribute::Partitioned),
            ("priority", Attribute::Priority),
        ]
        .into_iter()
        .zip(0..)
        .find(|((k, _), _)| key.eq_ignore_ascii_case(k))
        .map(|((_, a), i)| (1 << i, a))
    }

    /// The attribute's name as written in a header.
    ///
    /// ```
    /// assert_eq!(cookie_contract::set_cookie::Attribute::HttpOnly.as_str(), "HttpOnly");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Attribute::Name => "the name",
            Attribute::Path => "Path",
            Attribute::Domain => "Domain",
            Attribute::Lifetime => "Max-Age/Expires",
            Attribute::HttpOnly => "HttpOnly",
            Attribute::Secure => "Secure",
            Attribute::SameSite => "SameSite",
            Attribute::Partitioned => "Partitioned",
            Attribute::Priority => "Priority",
        }
    }
}

/// Which attribute of a `Set-Cookie` line differs from the declaration, and how.
///
/// ```
/// # use cookie_contract::{CookieContract, Inventory, KeyRing, SessionToken};
/// # #[derive(CookieContract)]
/// # struct App {
/// #     /// Keeps you signed in.
/// #     #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
/// #              same_site = "lax", max_age = "8h", signed)]
/// #     session: SessionToken,
/// # }
/// # let spec = &App::COOKIES[0];
/// use std::time::SystemTime;
/// use cookie_contract::set_cookie::{Attribute, SetCookie, judge};
/// let line = SetCookie::parse("__Host-session=v; Path=/; Max-Age=28800; HttpOnly; Secure; SameSite=Strict").unwrap();
/// let mismatch = judge(spec, &line, SystemTime::now()).unwrap_err();
/// assert_eq!(mismatch.attribute, Attribute::SameSite);
/// assert!(mismatch.expected.contains("Lax") && mismatch.found.contains("Strict"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// The attribute.
    pub attribute: Attribute,
    /// What the declaration says, as a header would write it.
    pub expected: String,
    /// What the line says.
    pub found: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is {} where the declaration says {}",
            self.attribute.as_str(),
            self.found,
            self.expected
        )
    }
}

fn differ<T: PartialEq + fmt::Debug>(
    attribute: Attribute,
    expected: T,
    found: T,
) -> Result<(), Mismatch> {
    if expected == found {
        Ok(())
    } else {
        Err(Mismatch {
            attribute,
            expected: format!("{expected:?}"),
            found: format!("{found:?}"),
        })
    }
}

/// Judges a parsed line for `spec`'s cookie (the name is the caller's to match) at `now`:
/// what it does, or the first attribute that differs.
///
/// A set must carry every declared attribute and a lifetime `set_f_with` allows (a session
/// cookie, `Max-Age` from 1 second up to the declared one, or an `Expires` that stands for such
/// a `Max-Age` within [`EXPIRES_TOLERANCE`]). A removal must carry the attributes that decide
/// whether a browser removes the cookie: Path, Domain and Partitioned, and Secure for a
/// `__Secure-` or `__Host-` name.
///
/// # Errors
/// The [`Mismatch`].
///
/// ```
/// # use cookie_contract::{CookieContract, Inventory, KeyRing, SessionToken};
/// # #[derive(CookieContract)]
/// # struct App {
/// #     /// Keeps you signed in.
/// #     #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
/// #              same_site = "lax", max_age = "8h", signed)]
/// #     session: SessionToken,
/// # }
/// # let spec = &App::COOKIES[0];
/// use std::time::SystemTime;
/// use cookie_contract::Lifetime;
/// use cookie_contract::set_cookie::{SetCookie, Usage, judge};
/// let now = SystemTime::now();
/// // Another library's spelling of the declared cookie, for one hour: allowed.
/// let line = SetCookie::parse("__Host-session=v; HttpOnly; SameSite=Lax; Secure; Path=/; Max-Age=3600").unwrap();
/// assert_eq!(judge(spec, &line, now), Ok(Usage::Set(Lifetime::Seconds(3600))));
/// ```
pub fn judge(spec: &CookieSpec, c: &SetCookie<'_>, now: SystemTime) -> Result<Usage, Mismatch> {
    if let Some(attribute) = c.repeated {
        return Err(Mismatch {
            attribute,
            expected: "once".into(),
            found: "more than once".into(),
        });
    }
    let domain = |d: Option<&str>| d.map(str::to_ascii_lowercase);
    // A removal at one of the declared legacy scopes is a removal of this cookie.
    let at_legacy_scope = spec
        .legacy_scopes()
        .iter()
        .any(|(p, d)| c.path == Some(*p) && domain(*d) == domain(c.domain));
    let usage = c.usage(now);
    if !(at_legacy_scope && usage == Usage::Removal) {
        differ(Attribute::Path, Some(spec.path()), c.path)?;
        differ(Attribute::Domain, domain(spec.domain()), domain(c.domain))?;
    }
    differ(Attribute::Partitioned, spec.partitioned(), c.partitioned)?;
    let lifetime = match usage {
        Usage::Removal => {
            // A removal needs Secure only where browsers refuse it otherwise: prefixed names
            // (RFC 6265bis §4.1.3). tower-sessions, for one, removes without it.
            let lower = spec.name().to_ascii_lowercase();
            if lower.starts_with("__secure-") || lower.starts_with("__host-") {
                differ(Attribute::Secure, true, c.secure)?;
            }
            return Ok(usage);
        }
        Usage::Set(l) => l,
        // The closest whole number of seconds, allowing for the tolerance below the limit.
        Usage::SetUntil(left) => {
            let limit = match spec.lifetime() {
                Lifetime::Seconds(s) => Duration::from_secs(u64::from(s)),
                Lifetime::Session => Duration::ZERO,
            };
            let secs = if left > limit && left <= limit + EXPIRES_TOLERANCE {
                limit.as_secs()
            } else {
                left.as_secs().max(1)
            };
            Lifetime::Seconds(u32::try_from(secs).unwrap_or(u32::MAX))
        }
    };
    differ(Attribute::Secure, spec.secure(), c.secure)?;
    differ(Attribute::HttpOnly, spec.http_only(), c.http_only)?;
    differ(Attribute::SameSite, Some(spec.same_site()), c.same_site)?;
    differ(Attribute::Priority, spec.priority(), c.priority)?;
    crate::error::lifetime_allowed(spec, lifetime).map_err(|_| Mismatch {
        attribute: Attribute::Lifetime,
        expected: format!("at most {}", spec.lifetime()),
        found: lifetime.to_string(),
    })?;
    Ok(usage)
}
