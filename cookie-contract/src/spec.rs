//! The declared shape of one cookie: what `#[derive(CookieContract)]` turns each field into.

use core::fmt;

/// Why a cookie exists. Decides its consent category and which compile-time policy rules apply.
///
/// ```
/// use cookie_contract::{Category, Purpose};
/// assert_eq!(Purpose::Analytics.category(), Category::Analytics);
/// assert_eq!(Purpose::Consent.category(), Category::Necessary);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// Identifies a logged-in user (session cookies).
    Authentication,
    /// Protects requests (CSRF and similar).
    Security,
    /// Remembers the visitor's cookie choices.
    Consent,
    /// Strictly necessary for a service the visitor asked for (a cart, a load-balancer pin).
    Essential,
    /// Remembers settings such as theme or language.
    Preferences,
    /// Measures use of the site.
    Analytics,
    /// Advertising and cross-site tracking.
    Advertising,
}

impl Purpose {
    /// The attribute spelling (`purpose = "..."`).
    ///
    /// ```
    /// assert_eq!(cookie_contract::Purpose::Authentication.as_str(), "authentication");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Purpose::Authentication => "authentication",
            Purpose::Security => "security",
            Purpose::Consent => "consent",
            Purpose::Essential => "essential",
            Purpose::Preferences => "preferences",
            Purpose::Analytics => "analytics",
            Purpose::Advertising => "advertising",
        }
    }

    /// The consent category a cookie with this purpose belongs to.
    ///
    /// ```
    /// use cookie_contract::{Category, Purpose};
    /// assert_eq!(Purpose::Preferences.category(), Category::Preferences);
    /// assert_eq!(Purpose::Security.category(), Category::Necessary);
    /// ```
    pub const fn category(self) -> Category {
        match self {
            Purpose::Authentication | Purpose::Security | Purpose::Consent | Purpose::Essential => {
                Category::Necessary
            }
            Purpose::Preferences => Category::Preferences,
            Purpose::Analytics => Category::Analytics,
            Purpose::Advertising => Category::Advertising,
        }
    }
}

/// Consent categories. `Necessary` cookies are never gated; the other three each need the
/// visitor's consent.
///
/// ```
/// use cookie_contract::Category;
/// assert!(!Category::Necessary.is_gated());
/// assert!(Category::Advertising.is_gated());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// Never gated: authentication, security, consent and essential cookies.
    Necessary,
    /// Gated by `Granted<Preferences>`.
    Preferences,
    /// Gated by `Granted<Analytics>`.
    Analytics,
    /// Gated by `Granted<Advertising>`.
    Advertising,
}

impl Category {
    /// Every category, in display order.
    ///
    /// ```
    /// use cookie_contract::Category;
    /// assert_eq!(
    ///     Category::ALL.map(Category::as_str),
    ///     ["necessary", "preferences", "analytics", "advertising"]
    /// );
    /// ```
    pub const ALL: [Category; 4] = [
        Category::Necessary,
        Category::Preferences,
        Category::Analytics,
        Category::Advertising,
    ];

    /// Lower-case name, as used in JSON and consent forms.
    ///
    /// ```
    /// assert_eq!(cookie_contract::Category::Analytics.as_str(), "analytics");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Category::Necessary => "necessary",
            Category::Preferences => "preferences",
            Category::Analytics => "analytics",
            Category::Advertising => "advertising",
        }
    }

    /// Whether reading or writing a cookie of this category needs consent.
    ///
    /// ```
    /// use cookie_contract::Category;
    /// assert!(Category::Preferences.is_gated() && !Category::Necessary.is_gated());
    /// ```
    pub const fn is_gated(self) -> bool {
        !matches!(self, Category::Necessary)
    }
}

/// The `SameSite` attribute. Always declared: the contract never relies on browser defaults.
///
/// ```
/// use cookie_contract::SameSite;
/// assert_eq!(SameSite::Lax.as_str(), "Lax");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SameSite {
    /// `SameSite=Strict`.
    Strict,
    /// `SameSite=Lax`.
    Lax,
    /// `SameSite=None` (requires `Secure`).
    None,
}

impl SameSite {
    /// The attribute value as written in a `Set-Cookie` header.
    ///
    /// ```
    /// assert_eq!(cookie_contract::SameSite::None.as_str(), "None");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            SameSite::Strict => "Strict",
            SameSite::Lax => "Lax",
            SameSite::None => "None",
        }
    }
}

/// The Chromium-only `Priority` attribute (an eviction hint).
///
/// ```
/// use cookie_contract::Priority;
/// assert_eq!(Priority::High.as_str(), "High");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Priority {
    /// `Priority=Low`.
    Low,
    /// `Priority=Medium`.
    Medium,
    /// `Priority=High`.
    High,
}

impl Priority {
    /// The attribute value as written in a `Set-Cookie` header.
    ///
    /// ```
    /// assert_eq!(cookie_contract::Priority::Low.as_str(), "Low");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "Low",
            Priority::Medium => "Medium",
            Priority::High => "High",
        }
    }
}

/// How long the browser keeps the cookie.
///
/// ```
/// use cookie_contract::Lifetime;
/// assert_eq!(Lifetime::Seconds(8 * 3600).to_string(), "8 hours");
/// assert_eq!(Lifetime::Seconds(36 * 3600).to_string(), "1 day 12 hours");
/// assert_eq!(Lifetime::Session.to_string(), "until the browser closes");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lifetime {
    /// No `Max-Age`: the browser drops the cookie when its session ends.
    Session,
    /// `Max-Age` in seconds, between 1 second and 400 days (checked at compile time).
    Seconds(u32),
}

impl Lifetime {
    /// `Max-Age` in seconds, or `None` for a browser-session cookie.
    ///
    /// ```
    /// use cookie_contract::Lifetime;
    /// assert_eq!(Lifetime::Seconds(60).seconds(), Some(60));
    /// assert_eq!(Lifetime::Session.seconds(), None);
    /// ```
    pub const fn seconds(self) -> Option<u32> {
        match self {
            Lifetime::Session => None,
            Lifetime::Seconds(s) => Some(s),
        }
    }
}

impl fmt::Display for Lifetime {
    /// Words a person reads in a cookie policy: "8 hours", "180 days", "1 day 12 hours",
    /// "until the browser closes".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Lifetime::Seconds(mut s) = *self else {
            return f.write_str("until the browser closes");
        };
        let units = [
            (86_400, "day"),
            (3_600, "hour"),
            (60, "minute"),
            (1, "second"),
        ];
        let mut first = true;
        for (size, unit) in units {
            let n = s / size;
            if n == 0 {
                continue;
            }
            s %= size;
            if !first {
                f.write_str(" ")?;
            }
            first = false;
            write!(f, "{n} {unit}{}", if n == 1 { "" } else { "s" })?;
        }
        Ok(())
    }
}

/// The raw fields of a [`CookieSpec`], written by the derive as `const` data.
#[doc(hidden)]
#[allow(missing_docs)] // hidden: written only by generated code
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpecParts {
    pub name: &'static str,
    pub field: &'static str,
    pub purpose: Purpose,
    pub same_site: SameSite,
    pub lifetime: Lifetime,
    pub secure: bool,
    pub http_only: bool,
    pub path: &'static str,
    pub domain: Option<&'static str>,
    pub partitioned: bool,
    pub priority: Option<Priority>,
    pub signed: bool,
    pub encrypted: bool,
    pub description: &'static str,
    pub suffix: &'static str,
    pub removal: &'static str,
    pub legacy_scopes: &'static [(&'static str, Option<&'static str>)],
    pub legacy_removals: &'static [&'static str],
}

/// One declared cookie, as `const` data. Built only by the derive; read by the jar, the audit
/// layer and the inventory renderers.
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
/// assert_eq!(spec.name(), "__Host-session");
/// assert_eq!(
///     spec.attribute_suffix(),
///     "; Path=/; Max-Age=28800; HttpOnly; Secure; SameSite=Lax"
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CookieSpec {
    pub(crate) parts: SpecParts,
}

impl CookieSpec {
    #[doc(hidden)]
    pub const fn __from_parts(parts: SpecParts) -> Self {
        CookieSpec { parts }
    }

    /// The cookie name, exactly as sent.
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
    /// assert_eq!(spec.name(), "__Host-session");
    /// ```
    pub const fn name(&self) -> &'static str {
        self.parts.name
    }
    /// The Rust field the cookie was declared on.
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
    /// assert_eq!(spec.field(), "session");
    /// ```
    pub const fn field(&self) -> &'static str {
        self.parts.field
    }
    /// Why the cookie exists.
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
    /// assert_eq!(spec.purpose(), cookie_contract::Purpose::Authentication);
    /// ```
    pub const fn purpose(&self) -> Purpose {
        self.parts.purpose
    }
    /// The consent category (derived from the purpose).
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
    /// assert_eq!(spec.category(), cookie_contract::Category::Necessary);
    /// ```
    pub const fn category(&self) -> Category {
        self.parts.purpose.category()
    }
    /// The `SameSite` attribute.
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
    /// assert_eq!(spec.same_site(), cookie_contract::SameSite::Lax);
    /// ```
    pub const fn same_site(&self) -> SameSite {
        self.parts.same_site
    }
    /// The lifetime (`Max-Age`, or a browser-session cookie).
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
    /// assert_eq!(spec.lifetime(), cookie_contract::Lifetime::Seconds(8 * 3600));
    /// ```
    pub const fn lifetime(&self) -> Lifetime {
        self.parts.lifetime
    }
    /// Whether `Secure` is set.
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
    /// assert!(spec.secure());
    /// ```
    pub const fn secure(&self) -> bool {
        self.parts.secure
    }
    /// Whether `HttpOnly` is set (JavaScript cannot read the cookie).
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
    /// assert!(spec.http_only());
    /// ```
    pub const fn http_only(&self) -> bool {
        self.parts.http_only
    }
    /// The `Path` attribute (always emitted).
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
    /// assert_eq!(spec.path(), "/");
    /// ```
    pub const fn path(&self) -> &'static str {
        self.parts.path
    }
    /// The `Domain` attribute, or `None` for a host-only cookie.
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
    /// assert_eq!(spec.domain(), None); // host-only, as `__Host-` requires
    /// ```
    pub const fn domain(&self) -> Option<&'static str> {
        self.parts.domain
    }
    /// Whether `Partitioned` (CHIPS) is set.
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
    /// assert!(!spec.partitioned());
    /// ```
    pub const fn partitioned(&self) -> bool {
        self.parts.partitioned
    }
    /// The `Priority` attribute, if declared.
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
    /// assert_eq!(spec.priority(), None);
    /// ```
    pub const fn priority(&self) -> Option<Priority> {
        self.parts.priority
    }
    /// Whether the value carries an HMAC-SHA256 bound to the cookie name.
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
    /// assert!(spec.signed());
    /// ```
    pub const fn signed(&self) -> bool {
        self.parts.signed
    }
    /// Whether the value is sealed with AES-256-GCM bound to the cookie name (the client can
    /// neither read nor change it).
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
    /// assert!(!spec.encrypted());
    /// ```
    pub const fn encrypted(&self) -> bool {
        self.parts.encrypted
    }
    /// The length on the wire of a value whose encoding is `encoded_len` bytes: with its
    /// signature when `signed`, sealed when `encrypted`.
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
    /// // A 43-character session token, then `.` and the 43-character MAC.
    /// assert_eq!(spec.wire_len(43), 87);
    /// ```
    pub const fn wire_len(&self, encoded_len: usize) -> usize {
        if self.parts.encrypted {
            crate::sealing::sealed_len(encoded_len)
        } else if self.parts.signed {
            encoded_len + 1 + crate::signing::MAC_B64_LEN
        } else {
            encoded_len
        }
    }
    /// The field's doc comment, normalised.
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
    /// assert_eq!(spec.description(), "Keeps you signed in.");
    /// ```
    pub const fn description(&self) -> &'static str {
        self.parts.description
    }
    /// Everything after the value in a `Set-Cookie` header: `; Path=/; Max-Age=28800; ...`.
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
    /// assert_eq!(
    ///     spec.attribute_suffix(),
    ///     "; Path=/; Max-Age=28800; HttpOnly; Secure; SameSite=Lax"
    /// );
    /// ```
    pub const fn attribute_suffix(&self) -> &'static str {
        self.parts.suffix
    }
    /// Earlier scopes the cookie was set at (`legacy(...)`), as `(path, domain)`.
    ///
    /// ```
    /// # use cookie_contract::{CookieContract, Inventory};
    /// # #[derive(CookieContract)]
    /// # struct App {
    /// #     /// The cart.
    /// #     #[cookie(name = "cart", purpose = "essential", secure, same_site = "lax", max_age = "1d",
    /// #              legacy(path = "/shop"))]
    /// #     cart: String,
    /// # }
    /// let spec = &App::COOKIES[0];
    /// assert_eq!(spec.legacy_scopes(), &[("/shop", None)]);
    /// ```
    pub const fn legacy_scopes(&self) -> &'static [(&'static str, Option<&'static str>)] {
        self.parts.legacy_scopes
    }

    /// The removal line at each legacy scope, in declaration order.
    ///
    /// ```
    /// # use cookie_contract::{CookieContract, Inventory};
    /// # #[derive(CookieContract)]
    /// # struct App {
    /// #     /// The cart.
    /// #     #[cookie(name = "cart", purpose = "essential", secure, same_site = "lax", max_age = "1d",
    /// #              legacy(path = "/shop"))]
    /// #     cart: String,
    /// # }
    /// let spec = &App::COOKIES[0];
    /// assert_eq!(
    ///     spec.legacy_removals(),
    ///     &["cart=; Path=/shop; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; SameSite=Lax"]
    /// );
    /// ```
    pub const fn legacy_removals(&self) -> &'static [&'static str] {
        self.parts.legacy_removals
    }

    /// The attribute suffix around the lifetime: what comes before `; Max-Age=…` and what comes
    /// after it (the same whether or not the declaration has a `Max-Age`), so a per-response
    /// lifetime can be written with every other attribute exactly as declared.
    pub(crate) fn suffix_around_lifetime(&self) -> (&'static str, &'static str) {
        let suffix = self.parts.suffix;
        if let Some(at) = suffix.find("; Max-Age=") {
            let digits = suffix[at + "; Max-Age=".len()..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            return (&suffix[..at], &suffix[at + "; Max-Age=".len() + digits..]);
        }
        // Path and Domain hold no `;` (rules 10 and 11), and SameSite is always written, so the
        // first flag is where Max-Age would stand.
        let at = ["; HttpOnly", "; Secure", "; SameSite="]
            .iter()
            .filter_map(|m| suffix.find(m))
            .min()
            .unwrap_or(suffix.len());
        (&suffix[..at], &suffix[at..])
    }

    /// The complete removal header (`name=; Path=...; Max-Age=0; Expires=...; ...`).
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
    /// assert_eq!(
    ///     spec.removal_header(),
    ///     "__Host-session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax"
    /// );
    /// ```
    pub const fn removal_header(&self) -> &'static str {
        self.parts.removal
    }
}

/// A type that declares a whole cookie inventory; implemented by `#[derive(CookieContract)]`.
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
/// assert_eq!(App::NAME, "App");
/// assert_eq!(App::COOKIES.len(), 1);
/// assert_eq!(App::REVISION.len(), 16);
/// assert_eq!(App::spec("__Host-session").map(|s| s.field()), Some("session"));
/// ```
pub trait Inventory {
    /// The declared cookies, in declaration order.
    const COOKIES: &'static [CookieSpec];
    /// The inventory revision: a hash of every cookie's name and scope, independent of field
    /// order and doc text. A consent record given for another revision counts as no consent.
    const REVISION: &'static str;
    /// The struct's name.
    const NAME: &'static str;
    /// The struct's doc comment, normalised.
    const DESCRIPTION: &'static str;

    /// Reads every field, so an inventory struct that is never constructed does not warn about
    /// unread fields: the fields are declarations, not data.
    #[doc(hidden)]
    fn __declarations(&self) {}

    /// The declared cookie named `name`, if any.
    fn spec(name: &str) -> Option<&'static CookieSpec> {
        Self::COOKIES.iter().find(|c| c.name() == name)
    }
}
