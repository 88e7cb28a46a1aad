//! Consent: categories, proofs of consent, the consent record and the per-request state.
//!
//! A gated accessor takes a `&Granted<C>`; only a [`ConsentState`] that grants `C` can hand one
//! out, so code that reads or writes an analytics cookie without consent does not compile.
//! Necessary cookies (authentication, security, consent, essential) are never gated: rejecting
//! analytics can never block login, CSRF protection or checkout.

use core::fmt;
use core::marker::PhantomData;

use crate::error::DecodeError;
use crate::spec::Category;
use crate::value::CookieValue;

mod sealed {
    pub trait Sealed {}
}

/// A consent category that gates cookies. Implemented only by [`Preferences`], [`Analytics`]
/// and [`Advertising`].
///
/// ```
/// use cookie_contract::{ConsentChoice, ConsentRecord, ConsentSource, ConsentState};
/// let record = ConsentRecord::restore(ConsentChoice::ACCEPT_ALL, "rev1", 1_764_000_000, ConsentSource::Banner);
/// let state = ConsentState::from_trusted_record(record, "rev1", false);
/// use cookie_contract::consent::GatedCategory;
/// fn allowed<C: GatedCategory>(state: &ConsentState) -> bool {
///     state.granted::<C>().is_some()
/// }
/// assert!(allowed::<cookie_contract::Analytics>(&state));
/// ```
pub trait GatedCategory: sealed::Sealed + 'static {
    /// The runtime category.
    ///
    /// ```
    /// use cookie_contract::consent::GatedCategory;
    /// use cookie_contract::{Analytics, Category};
    /// assert_eq!(<Analytics as GatedCategory>::CATEGORY, Category::Analytics);
    /// ```
    const CATEGORY: Category;
}

macro_rules! category {
    ($(#[$doc:meta])* $t:ident) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub enum $t {}
        impl sealed::Sealed for $t {}
        impl GatedCategory for $t {
            const CATEGORY: Category = Category::$t;
        }
    };
}

category!(
    /// The `preferences` category (theme, language).
    ///
    /// ```
    /// use cookie_contract::{ConsentState, Preferences};
    /// let state = ConsentState::no_choice(false);
    /// assert!(state.granted::<Preferences>().is_none(), "nothing gated before a choice");
    /// ```
    Preferences
);
category!(
    /// The `analytics` category (audience measurement).
    ///
    /// ```
    /// use cookie_contract::{ConsentState, Analytics};
    /// let state = ConsentState::no_choice(false);
    /// assert!(state.granted::<Analytics>().is_none(), "nothing gated before a choice");
    /// ```
    Analytics
);
category!(
    /// The `advertising` category (ads, cross-site tracking).
    ///
    /// ```
    /// use cookie_contract::{ConsentState, Advertising};
    /// // Sec-GPC: 1 and no choice made over it: advertising stays denied.
    /// assert!(ConsentState::no_choice(true).granted::<Advertising>().is_none());
    /// ```
    Advertising
);

/// Proof that the visitor granted category `C` for this request. Zero-sized; it has no public
/// constructor: only [`ConsentState::granted`] makes one.
///
/// ```
/// # use cookie_contract::{CookieContract, Inventory, KeyRing, ConsentRecord, SessionToken};
/// # #[derive(CookieContract)]
/// # struct App {
/// #     /// The session.
/// #     #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
/// #              same_site = "lax", max_age = "8h", signed)]
/// #     session: SessionToken,
/// #     /// The visitor's choices.
/// #     #[cookie(name = "__Host-consent", purpose = "consent", secure, http_only,
/// #              same_site = "lax", max_age = "180d", signed)]
/// #     consent: ConsentRecord,
/// #     /// Audience measurement.
/// #     #[cookie(name = "_ga", purpose = "analytics", secure, same_site = "lax", max_age = "390d")]
/// #     analytics_id: String,
/// # }
/// use cookie_contract::{Analytics, ConsentChoice, ConsentSource, ConsentState, Granted};
/// let keys = KeyRing::generate();
/// let record = ConsentRecord::restore(ConsentChoice::ACCEPT_ALL, App::REVISION, 1_764_000_000, ConsentSource::Banner);
/// let state = ConsentState::from_trusted_record(record, App::REVISION, false);
/// let proof: Granted<Analytics> = state.granted().unwrap();
/// let mut jar = AppJar::from_headers(&http::HeaderMap::new(), &keys);
/// jar.set_analytics_id(&"GA1.1.42".to_owned(), &proof).unwrap();
/// ```
pub struct Granted<C: GatedCategory> {
    _category: PhantomData<fn() -> C>,
}

impl<C: GatedCategory> fmt::Debug for Granted<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Granted<{:?}>", C::CATEGORY)
    }
}

/// How a consent record came about.
///
/// ```
/// use cookie_contract::{ConsentChoice, ConsentRecord, ConsentSource};
/// let r = ConsentRecord::choose(ConsentChoice::ACCEPT_ALL, "rev1", true);
/// assert_eq!(r.source(), ConsentSource::BannerOverGpc); // chosen while the browser sent Sec-GPC: 1
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsentSource {
    /// An explicit choice in the banner or settings, made without a GPC signal.
    Banner,
    /// An explicit choice made while the browser sent `Sec-GPC: 1`: it overrides the signal
    /// for what it grants.
    BannerOverGpc,
    /// Recorded from the `Sec-GPC: 1` signal alone (analytics and advertising denied).
    Gpc,
}

/// The value of the consent cookie: which categories the visitor granted, for which inventory
/// revision, when, and how.
///
/// Wire form (cookie-octets, about 40 bytes): `1.<p><a><d>.<revision>.<unix seconds>.<source>`,
/// with `p`, `a`, `d` each `0` or `1` and source `b`, `o` or `g`. Declare the consent cookie
/// `signed`: an unsigned one could be written by any script or sibling subdomain to forge
/// consent that the visitor never gave.
///
/// The fields are private: a record is read from a verified consent cookie, made by
/// [`ConsentRecord::choose`] for a choice the visitor just made, or rebuilt from trusted storage
/// with [`ConsentRecord::restore`]; and it grants nothing until a [`ConsentState`] is built from
/// it, which only the jar (for a cookie that verified) and the explicitly trusting
/// [`ConsentState::from_trusted_record`] do.
///
/// ```
/// use cookie_contract::{Category, ConsentChoice, ConsentRecord, CookieValue};
/// // The revision is an inventory's `REVISION`: 16 hex digits.
/// let r = ConsentRecord::choose(ConsentChoice { analytics: true, ..ConsentChoice::REJECT_ALL }, "0123456789abcdef", false);
/// let mut wire = String::new();
/// r.encode(&mut wire);
/// let back = ConsentRecord::decode(&wire).unwrap();
/// assert!(back.grants(Category::Analytics) && !back.grants(Category::Advertising));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentRecord {
    preferences: bool,
    analytics: bool,
    advertising: bool,
    revision: String,
    given_at: u64,
    source: ConsentSource,
}

impl ConsentRecord {
    /// A record of an explicit choice made now. `gpc` is whether the request that made the
    /// choice carried `Sec-GPC: 1`.
    ///
    /// ```
    /// use cookie_contract::{ConsentChoice, ConsentRecord, ConsentSource};
    /// let r = ConsentRecord::choose(ConsentChoice::REJECT_ALL, "rev1", false);
    /// assert_eq!((r.choice(), r.revision(), r.source()), (ConsentChoice::REJECT_ALL, "rev1", ConsentSource::Banner));
    /// ```
    pub fn choose(choice: ConsentChoice, revision: &str, gpc: bool) -> Self {
        ConsentRecord {
            preferences: choice.preferences,
            analytics: choice.analytics,
            advertising: choice.advertising,
            revision: revision.to_owned(),
            given_at: now(),
            source: if gpc {
                ConsentSource::BannerOverGpc
            } else {
                ConsentSource::Banner
            },
        }
    }

    /// A record as it was kept elsewhere (a server-side consent log, a migration): the choice,
    /// the inventory revision it was given for, when (seconds since the Unix epoch) and how.
    ///
    /// ```
    /// use cookie_contract::{ConsentChoice, ConsentRecord, ConsentSource};
    /// let r = ConsentRecord::restore(ConsentChoice::ACCEPT_ALL, "rev1", 1_764_000_000, ConsentSource::Banner);
    /// assert_eq!(r.given_at(), 1_764_000_000);
    /// ```
    pub fn restore(
        choice: ConsentChoice,
        revision: &str,
        given_at: u64,
        source: ConsentSource,
    ) -> Self {
        ConsentRecord {
            preferences: choice.preferences,
            analytics: choice.analytics,
            advertising: choice.advertising,
            revision: revision.to_owned(),
            given_at,
            source,
        }
    }

    /// The choice, category by category.
    ///
    /// ```
    /// use cookie_contract::{ConsentChoice, ConsentRecord};
    /// assert_eq!(ConsentRecord::choose(ConsentChoice::ACCEPT_ALL, "r", false).choice(), ConsentChoice::ACCEPT_ALL);
    /// ```
    pub fn choice(&self) -> ConsentChoice {
        ConsentChoice {
            preferences: self.preferences,
            analytics: self.analytics,
            advertising: self.advertising,
        }
    }

    /// The inventory revision the choice was made for ([`Inventory::REVISION`](crate::Inventory::REVISION)).
    ///
    /// ```
    /// use cookie_contract::{ConsentChoice, ConsentRecord};
    /// assert_eq!(ConsentRecord::choose(ConsentChoice::ACCEPT_ALL, "rev7", false).revision(), "rev7");
    /// ```
    pub fn revision(&self) -> &str {
        &self.revision
    }

    /// When the choice was made, in seconds since the Unix epoch.
    ///
    /// ```
    /// use cookie_contract::{ConsentChoice, ConsentRecord};
    /// let r = ConsentRecord::choose(ConsentChoice::ACCEPT_ALL, "r", false);
    /// assert!(r.given_at() > 1_700_000_000); // now, in seconds since the Unix epoch
    /// ```
    pub fn given_at(&self) -> u64 {
        self.given_at
    }

    /// How the choice was made.
    ///
    /// ```
    /// use cookie_contract::{ConsentChoice, ConsentRecord, ConsentSource};
    /// assert_eq!(ConsentRecord::choose(ConsentChoice::ACCEPT_ALL, "r", false).source(), ConsentSource::Banner);
    /// ```
    pub fn source(&self) -> ConsentSource {
        self.source
    }

    /// Whether the record grants `category` (before the GPC rule is applied).
    ///
    /// ```
    /// use cookie_contract::{Category, ConsentChoice, ConsentRecord};
    /// let r = ConsentRecord::choose(ConsentChoice::REJECT_ALL, "r", false);
    /// assert!(r.grants(Category::Necessary) && !r.grants(Category::Preferences));
    /// ```
    pub fn grants(&self, category: Category) -> bool {
        match category {
            Category::Necessary => true,
            Category::Preferences => self.preferences,
            Category::Analytics => self.analytics,
            Category::Advertising => self.advertising,
        }
    }
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl CookieValue for ConsentRecord {
    fn encode(&self, out: &mut String) {
        use core::fmt::Write as _;
        let bit = |b| if b { '1' } else { '0' };
        let source = match self.source {
            ConsentSource::Banner => 'b',
            ConsentSource::BannerOverGpc => 'o',
            ConsentSource::Gpc => 'g',
        };
        // The revision is hex made by the derive; anything else would not be cookie-octets,
        // and the jar refuses such an encoding rather than sending it.
        let _ = write!(
            out,
            "1.{}{}{}.{}.{}.{}",
            bit(self.preferences),
            bit(self.analytics),
            bit(self.advertising),
            self.revision,
            self.given_at,
            source
        );
    }

    fn encoded_len(&self) -> usize {
        2 + 4 + self.revision.len() + 1 + 20 + 2
    }

    fn decode(raw: &str) -> Result<Self, DecodeError> {
        let bad = || DecodeError::new("not a consent record");
        let mut parts = raw.split('.');
        let (Some("1"), Some(bits), Some(revision), Some(ts), Some(source), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(bad());
        };
        let bit = |c: u8| match c {
            b'0' => Ok(false),
            b'1' => Ok(true),
            _ => Err(bad()),
        };
        let &[p, a, d] = bits.as_bytes() else {
            return Err(bad());
        };
        if revision.is_empty()
            || revision.len() > 64
            || !revision.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Err(bad());
        }
        if ts.is_empty() || !ts.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        Ok(ConsentRecord {
            preferences: bit(p)?,
            analytics: bit(a)?,
            advertising: bit(d)?,
            revision: revision.to_owned(),
            given_at: ts.parse().map_err(|_| bad())?,
            source: match source {
                "b" => ConsentSource::Banner,
                "o" => ConsentSource::BannerOverGpc,
                "g" => ConsentSource::Gpc,
                _ => return Err(bad()),
            },
        })
    }
}

/// A visitor's choice, category by category.
///
/// ```
/// use cookie_contract::ConsentChoice;
/// let only_preferences = ConsentChoice { preferences: true, ..ConsentChoice::REJECT_ALL };
/// assert!(!only_preferences.analytics);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ConsentChoice {
    /// Grant `preferences`.
    pub preferences: bool,
    /// Grant `analytics`.
    pub analytics: bool,
    /// Grant `advertising`.
    pub advertising: bool,
}

impl ConsentChoice {
    /// Every category granted.
    ///
    /// ```
    /// use cookie_contract::ConsentChoice;
    /// let c = ConsentChoice::ACCEPT_ALL;
    /// assert!(c.preferences && c.analytics && c.advertising);
    /// ```
    pub const ACCEPT_ALL: ConsentChoice = ConsentChoice {
        preferences: true,
        analytics: true,
        advertising: true,
    };
    /// Nothing but necessary cookies.
    ///
    /// ```
    /// use cookie_contract::ConsentChoice;
    /// assert_eq!(ConsentChoice::REJECT_ALL, ConsentChoice::default());
    /// ```
    pub const REJECT_ALL: ConsentChoice = ConsentChoice {
        preferences: false,
        analytics: false,
        advertising: false,
    };
}

/// What the visitor consented to, for one request.
///
/// ```
/// use cookie_contract::{ConsentChoice, ConsentRecord, ConsentSource, ConsentState};
/// let record = ConsentRecord::restore(ConsentChoice::ACCEPT_ALL, "rev1", 1_764_000_000, ConsentSource::Banner);
/// let state = ConsentState::from_trusted_record(record, "rev1", false);
/// assert!(state.has_choice());
/// assert!(state.granted::<cookie_contract::Advertising>().is_some());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentState {
    record: Option<ConsentRecord>,
    gpc: bool,
}

impl ConsentState {
    /// A visitor who has made no choice (yet): only necessary cookies are granted. `gpc` is
    /// whether the request carried `Sec-GPC: 1`.
    ///
    /// ```
    /// use cookie_contract::{Category, ConsentState};
    /// let state = ConsentState::no_choice(false);
    /// assert!(!state.has_choice() && !state.grants(Category::Preferences) && state.grants(Category::Necessary));
    /// ```
    pub fn no_choice(gpc: bool) -> Self {
        ConsentState { record: None, gpc }
    }

    /// The state for consent kept somewhere the visitor cannot write, such as a server-side
    /// consent log keyed by the account: **this constructor trusts `record`**. Never pass it a
    /// record read from a cookie or a request yourself; the generated jar's `consent_state()`
    /// reads the consent cookie and verifies its signature first, and is the way to do that.
    ///
    /// A record made for another inventory revision than `revision` counts as no record: the
    /// inventory changed since, so the visitor must be asked again.
    ///
    /// ```
    /// use cookie_contract::{ConsentChoice, ConsentRecord, ConsentSource, ConsentState};
    /// let record = ConsentRecord::restore(ConsentChoice::ACCEPT_ALL, "rev1", 1_764_000_000, ConsentSource::Banner);
    /// let state = ConsentState::from_trusted_record(record, "rev1", false);
    /// // A record for another inventory revision counts as no choice.
    /// let stale = ConsentState::from_trusted_record(state.record().unwrap().clone(), "rev2", false);
    /// assert!(!stale.has_choice());
    /// ```
    pub fn from_trusted_record(record: ConsentRecord, revision: &str, gpc: bool) -> Self {
        Self::verified(Some(record), revision, gpc)
    }

    /// The state for a record that was verified (read from a consent cookie whose signature
    /// checked, or just chosen): only the jar and the audit layer build one this way.
    pub(crate) fn verified(record: Option<ConsentRecord>, revision: &str, gpc: bool) -> Self {
        ConsentState {
            record: record.filter(|r| r.revision == revision),
            gpc,
        }
    }

    /// Whether the visitor has a current record (no banner needed).
    ///
    /// ```
    /// assert!(!cookie_contract::ConsentState::no_choice(false).has_choice());
    /// ```
    pub fn has_choice(&self) -> bool {
        self.record.is_some()
    }

    /// The current record, if any.
    ///
    /// ```
    /// use cookie_contract::{ConsentChoice, ConsentRecord, ConsentSource, ConsentState};
    /// let record = ConsentRecord::restore(ConsentChoice::ACCEPT_ALL, "rev1", 1_764_000_000, ConsentSource::Banner);
    /// let state = ConsentState::from_trusted_record(record, "rev1", false);
    /// assert_eq!(state.record().map(|r| r.revision()), Some("rev1"));
    /// ```
    pub fn record(&self) -> Option<&ConsentRecord> {
        self.record.as_ref()
    }

    /// Whether the request carried `Sec-GPC: 1`.
    ///
    /// ```
    /// assert!(cookie_contract::ConsentState::no_choice(true).gpc());
    /// ```
    pub fn gpc(&self) -> bool {
        self.gpc
    }

    /// Whether `category` is granted. Necessary cookies always are. Under GPC, analytics and
    /// advertising are granted only by a choice made while the signal was on.
    ///
    /// ```
    /// use cookie_contract::{ConsentChoice, ConsentRecord, ConsentSource, ConsentState};
    /// let record = ConsentRecord::restore(ConsentChoice::ACCEPT_ALL, "rev1", 1_764_000_000, ConsentSource::Banner);
    /// let state = ConsentState::from_trusted_record(record, "rev1", false);
    /// use cookie_contract::Category;
    /// assert!(state.grants(Category::Analytics));
    /// // Sec-GPC: 1 without a choice made over it denies analytics and advertising.
    /// assert!(!ConsentState::no_choice(true).grants(Category::Analytics));
    /// ```
    pub fn grants(&self, category: Category) -> bool {
        let Some(r) = &self.record else {
            return !category.is_gated();
        };
        let gpc_blocks = self.gpc
            && matches!(category, Category::Analytics | Category::Advertising)
            && r.source != ConsentSource::BannerOverGpc;
        r.grants(category) && !gpc_blocks
    }

    /// A proof of consent for `C`, or `None` when `C` is not granted.
    ///
    /// ```
    /// use cookie_contract::{ConsentChoice, ConsentRecord, ConsentSource, ConsentState};
    /// let record = ConsentRecord::restore(ConsentChoice::ACCEPT_ALL, "rev1", 1_764_000_000, ConsentSource::Banner);
    /// let state = ConsentState::from_trusted_record(record, "rev1", false);
    /// use cookie_contract::{Analytics, Granted};
    /// let proof: Option<Granted<Analytics>> = state.granted();
    /// assert!(proof.is_some());
    /// ```
    pub fn granted<C: GatedCategory>(&self) -> Option<Granted<C>> {
        self.grants(C::CATEGORY).then_some(Granted {
            _category: PhantomData,
        })
    }
}

/// Whether the headers carry the Global Privacy Control signal: `Sec-GPC` with a value of
/// exactly `1` (GPC spec §3); any other value is no signal.
pub(crate) fn gpc_signal(headers: &http::HeaderMap) -> bool {
    const SEC_GPC: http::HeaderName = http::HeaderName::from_static("sec-gpc");
    headers
        .get_all(SEC_GPC)
        .iter()
        .any(|v| v.as_bytes() == b"1")
}

/// Google Consent Mode v2 signals derived from a [`ConsentState`], for pages that load Google
/// tags: emit `gtag('consent', 'default', …)` inline before any tag with [`GoogleConsentMode::to_json`].
///
/// Mapping: `analytics_storage` ← analytics; `ad_storage`, `ad_user_data`, `ad_personalization` ←
/// advertising; `personalization_storage` ← preferences; `functionality_storage` and
/// `security_storage` ← necessary (always granted: they cover what the site needs to work, such
/// as language and login).
///
/// ```
/// use cookie_contract::{ConsentChoice, ConsentRecord, ConsentSource, ConsentState};
/// let record = ConsentRecord::restore(ConsentChoice::ACCEPT_ALL, "rev1", 1_764_000_000, ConsentSource::Banner);
/// let state = ConsentState::from_trusted_record(record, "rev1", false);
/// let mode = cookie_contract::consent::google_consent_mode(&state);
/// assert!(mode.analytics_storage && mode.ad_storage && mode.security_storage);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GoogleConsentMode {
    /// `analytics_storage`.
    pub analytics_storage: bool,
    /// `ad_storage`.
    pub ad_storage: bool,
    /// `ad_user_data`.
    pub ad_user_data: bool,
    /// `ad_personalization`.
    pub ad_personalization: bool,
    /// `functionality_storage`.
    pub functionality_storage: bool,
    /// `personalization_storage`.
    pub personalization_storage: bool,
    /// `security_storage`.
    pub security_storage: bool,
}

impl GoogleConsentMode {
    /// The seven signals as a JSON object of `"granted"` / `"denied"`, keys in Google's order.
    ///
    /// ```
    /// use cookie_contract::ConsentState;
    /// use cookie_contract::consent::google_consent_mode;
    /// let json = google_consent_mode(&ConsentState::no_choice(false)).to_json();
    /// assert!(json.starts_with(r#"{"ad_storage":"denied","#));
    /// assert!(json.contains(r#""security_storage":"granted""#));
    /// ```
    pub fn to_json(&self) -> String {
        let v = |b: bool| if b { "granted" } else { "denied" };
        format!(
            r#"{{"ad_storage":"{}","ad_user_data":"{}","ad_personalization":"{}","analytics_storage":"{}","functionality_storage":"{}","personalization_storage":"{}","security_storage":"{}"}}"#,
            v(self.ad_storage),
            v(self.ad_user_data),
            v(self.ad_personalization),
            v(self.analytics_storage),
            v(self.functionality_storage),
            v(self.personalization_storage),
            v(self.security_storage),
        )
    }
}

/// The Google Consent Mode v2 signals for `state` (see [`GoogleConsentMode`]).
///
/// ```
/// use cookie_contract::ConsentState;
/// use cookie_contract::consent::google_consent_mode;
/// let mode = google_consent_mode(&ConsentState::no_choice(false));
/// assert!(!mode.analytics_storage && mode.functionality_storage);
/// ```
pub fn google_consent_mode(state: &ConsentState) -> GoogleConsentMode {
    let ads = state.grants(Category::Advertising);
    GoogleConsentMode {
        analytics_storage: state.grants(Category::Analytics),
        ad_storage: ads,
        ad_user_data: ads,
        ad_personalization: ads,
        functionality_storage: true,
        personalization_storage: state.grants(Category::Preferences),
        security_storage: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(source: ConsentSource) -> ConsentRecord {
        ConsentRecord {
            preferences: true,
            analytics: true,
            advertising: false,
            revision: "00ff".into(),
            given_at: 1_764_280_000,
            source,
        }
    }

    #[test]
    fn wire_form_round_trips() {
        let r = record(ConsentSource::BannerOverGpc);
        let mut s = String::new();
        r.encode(&mut s);
        assert_eq!(s, "1.110.00ff.1764280000.o");
        assert!(s.len() <= r.encoded_len());
        assert_eq!(ConsentRecord::decode(&s).unwrap(), r);
    }

    #[test]
    fn malformed_records_are_errors() {
        for bad in [
            "",
            "1",
            "1.11.00ff.1.b",
            "2.110.00ff.1.b",
            "1.110.zz.1.b",
            "1.110.00ff.x.b",
            "1.110.00ff.1.q",
            "1.110.00ff.1.b.extra",
            "1.110..1.b",
            "1.112.00ff.1.b",
            "1.110.00ff.99999999999999999999999.b",
        ] {
            assert!(ConsentRecord::decode(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn no_record_grants_only_necessary() {
        let s = ConsentState::verified(None, "00ff", false);
        assert!(s.grants(Category::Necessary));
        assert!(s.granted::<Analytics>().is_none());
        assert!(s.granted::<Preferences>().is_none());
    }

    #[test]
    fn old_revision_counts_as_no_record() {
        let s = ConsentState::verified(Some(record(ConsentSource::Banner)), "abcd", false);
        assert!(!s.has_choice());
        assert!(s.granted::<Analytics>().is_none());
    }

    #[test]
    fn gpc_denies_tracking_unless_granted_over_it() {
        let s = ConsentState::verified(Some(record(ConsentSource::Banner)), "00ff", true);
        assert!(s.granted::<Analytics>().is_none());
        assert!(s.granted::<Preferences>().is_some());
        let s = ConsentState::verified(Some(record(ConsentSource::BannerOverGpc)), "00ff", true);
        assert!(s.granted::<Analytics>().is_some());
        assert!(s.granted::<Advertising>().is_none());
        let s = ConsentState::verified(Some(record(ConsentSource::Banner)), "00ff", false);
        assert!(s.granted::<Analytics>().is_some());
    }

    #[test]
    fn google_consent_mode_follows_the_state() {
        let none = google_consent_mode(&ConsentState::verified(None, "00ff", false));
        assert_eq!(
            none.to_json(),
            r#"{"ad_storage":"denied","ad_user_data":"denied","ad_personalization":"denied","analytics_storage":"denied","functionality_storage":"granted","personalization_storage":"denied","security_storage":"granted"}"#
        );
        let some = google_consent_mode(&ConsentState::verified(
            Some(record(ConsentSource::Banner)),
            "00ff",
            false,
        ));
        assert!(some.analytics_storage && some.personalization_storage);
        assert!(!some.ad_storage && !some.ad_user_data && !some.ad_personalization);
        let gpc = google_consent_mode(&ConsentState::verified(
            Some(record(ConsentSource::Banner)),
            "00ff",
            true,
        ));
        assert!(!gpc.analytics_storage && gpc.personalization_storage);
    }

    #[test]
    fn gpc_header_must_be_exactly_one() {
        let mut h = http::HeaderMap::new();
        assert!(!gpc_signal(&h));
        h.insert("sec-gpc", "true".parse().unwrap());
        assert!(!gpc_signal(&h));
        h.insert("sec-gpc", "1".parse().unwrap());
        assert!(gpc_signal(&h));
    }
}
