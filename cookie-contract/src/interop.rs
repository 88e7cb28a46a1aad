//! Interop with the `cookie` crate (cookie-rs, the type axum-extra's jars hold), behind the
//! `cookie` feature: a declaration as a `cookie::Cookie<'static>` with exactly the declared
//! attributes, for code that hands cookies to cookie-rs APIs while it migrates, and the reverse:
//! whether a `cookie::Cookie` matches a declaration, with the attribute that differs named.
//!
//! cookie-rs has no `Priority` attribute: a declared `priority` cannot be written into a
//! `cookie::Cookie`, and [`CookieSpec::check_cookie`] reports it missing.

use std::borrow::Cow;
use std::time::SystemTime;

use crate::error::CookieError;
use crate::set_cookie::{Attribute, Mismatch, SetCookie, Usage, judge};
use crate::signing::KeyRing;
use crate::spec::{CookieSpec, Lifetime, SameSite};
use crate::value::CookieValue;

impl CookieSpec {
    /// This cookie with the wire `value` (already encoded, and signed or sealed when the cookie
    /// is `signed` or `encrypted`) and exactly the declared attributes.
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
    /// let c = spec.to_cookie("value");
    /// assert_eq!((c.name(), c.path(), c.http_only(), c.secure()), ("__Host-session", Some("/"), Some(true), Some(true)));
    /// assert_eq!(c.max_age(), Some(cookie::time::Duration::hours(8)));
    /// ```
    pub fn to_cookie(&self, value: impl Into<Cow<'static, str>>) -> cookie::Cookie<'static> {
        let mut c = cookie::Cookie::new(self.name(), value);
        c.set_path(self.path());
        if let Some(d) = self.domain() {
            c.set_domain(d);
        }
        if let Lifetime::Seconds(s) = self.lifetime() {
            c.set_max_age(cookie::time::Duration::seconds(i64::from(s)));
        }
        c.set_http_only(self.http_only());
        c.set_secure(self.secure());
        c.set_same_site(match self.same_site() {
            SameSite::Strict => cookie::SameSite::Strict,
            SameSite::Lax => cookie::SameSite::Lax,
            SameSite::None => cookie::SameSite::None,
        });
        c.set_partitioned(self.partitioned());
        c
    }

    /// This cookie holding `value`, encoded (and signed or sealed with `keys` when it is `signed`
    /// or `encrypted`) as the
    /// generated setter would write it.
    ///
    /// # Errors
    /// `BadEncoding` or `TooLarge`, as the setter.
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
    /// let c = spec.cookie_for(&SessionToken::new(), &KeyRing::generate()).unwrap();
    /// assert_eq!(c.value().len(), 43 + 44); // the token, `.` and its MAC
    /// assert!(spec.check_cookie(&c).is_ok());
    /// ```
    pub fn cookie_for<T: CookieValue>(
        &self,
        value: &T,
        keys: &KeyRing,
    ) -> Result<cookie::Cookie<'static>, CookieError> {
        let name = self.name();
        let mut wire = String::with_capacity(value.encoded_len());
        value.encode(&mut wire);
        if !crate::header::is_cookie_octets(wire.as_bytes()) {
            return Err(CookieError::BadEncoding { name });
        }
        if self.encrypted() {
            keys.seal_in_line(name, &mut wire, 0);
        } else if self.signed() {
            keys.append_mac(name, &mut wire, 0);
        }
        let size = name.len() + wire.len();
        if size > crate::jar::MAX_NAME_VALUE {
            return Err(CookieError::TooLarge { name, size });
        }
        Ok(self.to_cookie(wire))
    }

    /// The declared removal as a `cookie::Cookie`: the same scope, `Max-Age=0` and an `Expires`
    /// in the past.
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
    /// let c = spec.removal_cookie();
    /// assert_eq!((c.value(), c.path()), ("", Some("/")));
    /// assert_eq!(c.max_age(), Some(cookie::time::Duration::ZERO));
    /// ```
    pub fn removal_cookie(&self) -> cookie::Cookie<'static> {
        let mut c = self.to_cookie("");
        c.make_removal();
        c
    }

    /// Whether `c` is this declared cookie with exactly its attributes (what it does: set with
    /// a lifetime no longer than declared, or remove), read as a browser reads the
    /// `Set-Cookie` line cookie-rs writes for it.
    ///
    /// # Errors
    /// The [`Mismatch`] naming the attribute (or the name) that differs.
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
    /// use cookie_contract::set_cookie::Attribute;
    /// assert!(spec.check_cookie(&spec.to_cookie("v")).is_ok());
    /// let mut c = spec.to_cookie("v");
    /// c.set_path("/app");
    /// assert_eq!(spec.check_cookie(&c).unwrap_err().attribute, Attribute::Path);
    /// ```
    pub fn check_cookie(&self, c: &cookie::Cookie<'_>) -> Result<Usage, Mismatch> {
        if c.name() != self.name() {
            return Err(Mismatch {
                attribute: Attribute::Name,
                expected: self.name().to_owned(),
                found: c.name().to_owned(),
            });
        }
        let line = c.to_string();
        let parsed = SetCookie::parse(&line).ok_or_else(|| Mismatch {
            attribute: Attribute::Name,
            expected: self.name().to_owned(),
            found: line.clone(),
        })?;
        judge(self, &parsed, SystemTime::now())
    }
}
