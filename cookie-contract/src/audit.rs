//! The response audit layer: every outgoing `Set-Cookie` is checked against the inventory.
//!
//! A cookie that is not declared, a declared cookie whose attributes differ from the declaration,
//! or a consent-gated cookie set without consent is stripped from the response
//! ([`AuditMode::Enforce`]) or kept ([`AuditMode::Report`]); both modes log it through `tracing`
//! with the cookie's name and the reason. The generated removals always pass. Consent is judged
//! on the state *after* the response: a response that records consent for analytics may set the
//! analytics cookie in the same breath.

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use http::header::SET_COOKIE;
use http::{HeaderMap, HeaderValue, Request, Response};
use tower::{Layer, Service};

use std::time::SystemTime;

use crate::consent::{ConsentRecord, ConsentState};
use crate::header::CookieHeaders;
use crate::set_cookie::{Mismatch, SetCookie, Usage, judge};
use crate::signing::KeyRing;
use crate::spec::{CookieSpec, Inventory, Purpose};
use crate::value::CookieValue;

/// What the layer does with a violation.
///
/// ```
/// use cookie_contract::audit::{AuditLayer, AuditMode};
/// use http::HeaderMap;
/// use http::header::SET_COOKIE;
/// # use cookie_contract::{CookieContract, Inventory, KeyRing, SessionToken};
/// # #[derive(CookieContract)]
/// # struct App {
/// #     /// Keeps you signed in.
/// #     #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
/// #              same_site = "lax", max_age = "8h", signed)]
/// #     session: SessionToken,
/// # }
/// # let spec = &App::COOKIES[0];
/// // Roll out with `Report` (log only), then switch to `Enforce` (strip and log).
/// let layer = AuditLayer::new::<App>(AuditMode::Report, KeyRing::generate());
/// # let _ = layer;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditMode {
    /// Strip the `Set-Cookie` and log it.
    Enforce,
    /// Keep it and log it (for rolling out).
    Report,
}

/// Why a `Set-Cookie` line breaks the contract.
///
/// ```
/// use cookie_contract::audit::{Violation, check_line};
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
///     check_line(App::COOKIES, b"tracker=1").unwrap_err(),
///     Violation::Undeclared { name: "tracker".into() }
/// );
/// assert_eq!(check_line(App::COOKIES, b"no pair").unwrap_err(), Violation::Malformed);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Violation {
    /// The header is not `name=value...` at all.
    Malformed,
    /// No field of the inventory declares this name.
    Undeclared {
        /// The name as sent.
        name: String,
    },
    /// Declared, but an attribute differs from the declaration (read for its meaning: order,
    /// case and spacing do not matter, `Expires` may stand for `Max-Age`).
    Attributes {
        /// The cookie name.
        name: &'static str,
        /// The attribute that differs, and how.
        mismatch: Mismatch,
    },
    /// A consent-gated cookie set while its category is not granted.
    NoConsent {
        /// The cookie name.
        name: &'static str,
    },
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::Malformed => f.write_str("malformed Set-Cookie header"),
            Violation::Undeclared { name } => write!(f, "cookie `{name}` is not in the inventory"),
            Violation::Attributes { name, mismatch } => {
                write!(
                    f,
                    "cookie `{name}` differs from its declaration: {mismatch}"
                )
            }
            Violation::NoConsent { name } => {
                write!(f, "cookie `{name}` is set without consent for its category")
            }
        }
    }
}

/// Checks one `Set-Cookie` line against `specs`, structurally (consent aside). On success, the
/// declared cookie and whether the line is its removal.
///
/// The jar's own lines are recognised byte for byte (the fast path). Any other line (written by
/// cookie-rs, axum-extra, tower-sessions, by hand) is read for its meaning, attribute by
/// attribute ([`crate::set_cookie::judge`]): a correct cookie or removal passes whatever its
/// attribute order, case or spacing.
///
/// # Errors
/// [`Violation::Malformed`], [`Violation::Undeclared`] or [`Violation::Attributes`] naming the
/// attribute that differs.
///
/// ```
/// use cookie_contract::audit::{Violation, check_line};
/// use cookie_contract::set_cookie::Attribute;
/// # use cookie_contract::{CookieContract, Inventory, KeyRing, SessionToken};
/// # #[derive(CookieContract)]
/// # struct App {
/// #     /// Keeps you signed in.
/// #     #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
/// #              same_site = "lax", max_age = "8h", signed)]
/// #     session: SessionToken,
/// # }
/// # let spec = &App::COOKIES[0];
/// let (found, _) = check_line(
///     App::COOKIES,
///     b"__Host-session=v; SameSite=Lax; Secure; HttpOnly; Max-Age=28800; Path=/",
/// )
/// .unwrap();
/// assert_eq!(found.name(), "__Host-session");
/// let Err(Violation::Attributes { mismatch, .. }) =
///     check_line(App::COOKIES, b"__Host-session=v; Path=/; Max-Age=28800; Secure; SameSite=Lax")
/// else {
///     panic!("HttpOnly is missing")
/// };
/// assert_eq!(mismatch.attribute, Attribute::HttpOnly);
/// ```
pub fn check_line<'s>(
    specs: &'s [CookieSpec],
    line: &[u8],
) -> Result<(&'s CookieSpec, bool), Violation> {
    if let Some(found) = fast_path(specs, line) {
        return Ok(found);
    }
    let text = core::str::from_utf8(line).map_err(|_| Violation::Malformed)?;
    let parsed = SetCookie::parse(text).ok_or(Violation::Malformed)?;
    let Some(spec) = specs.iter().find(|s| s.name() == parsed.name) else {
        return Err(Violation::Undeclared {
            name: parsed.name.to_owned(),
        });
    };
    match judge(spec, &parsed, SystemTime::now()) {
        Ok(usage) => Ok((spec, usage == Usage::Removal)),
        Err(mismatch) => Err(Violation::Attributes {
            name: spec.name(),
            mismatch,
        }),
    }
}

/// The jar's own lines, known byte for byte: the declared removal, the declared attributes, or
/// the declared attributes with a per-response lifetime.
fn fast_path<'s>(specs: &'s [CookieSpec], line: &[u8]) -> Option<(&'s CookieSpec, bool)> {
    let eq = line.iter().position(|&b| b == b'=')?;
    let spec = specs.iter().find(|s| s.name().as_bytes() == &line[..eq])?;
    if line == spec.removal_header().as_bytes()
        || spec.legacy_removals().iter().any(|r| r.as_bytes() == line)
    {
        return Some((spec, true));
    }
    let rest = &line[eq + 1..];
    let value_end = rest.iter().position(|&b| b == b';').unwrap_or(rest.len());
    let attrs = &rest[value_end..];
    (attrs == spec.attribute_suffix().as_bytes() || has_allowed_lifetime(spec, attrs))
        .then_some((spec, false))
}

/// Whether `attrs` are the declared attributes with a lifetime `set_f_with` may write: none
/// (a session cookie) or a `Max-Age` from 1 second up to the declared one.
fn has_allowed_lifetime(spec: &CookieSpec, attrs: &[u8]) -> bool {
    let (head, tail) = spec.suffix_around_lifetime();
    let Some(middle) = attrs
        .strip_prefix(head.as_bytes())
        .and_then(|r| r.strip_suffix(tail.as_bytes()))
    else {
        return false;
    };
    let lifetime = if middle.is_empty() {
        crate::Lifetime::Session
    } else {
        let Some(digits) = middle.strip_prefix(b"; Max-Age=") else {
            return false;
        };
        // Canonical decimal only: no sign, no leading zero, no overflow.
        let canonical = !digits.is_empty()
            && digits.iter().all(u8::is_ascii_digit)
            && (digits[0] != b'0' || digits.len() == 1);
        match core::str::from_utf8(digits)
            .ok()
            .filter(|_| canonical)
            .and_then(|d| d.parse().ok())
        {
            Some(s) => crate::Lifetime::Seconds(s),
            None => return false,
        }
    };
    crate::error::lifetime_allowed(spec, lifetime).is_ok()
}

/// Tower layer that audits every response's `Set-Cookie` headers against inventory `I`.
///
/// The layer reads consent itself, from the inventory's consent cookie (verified with the key
/// ring when it is declared `signed`) and `Sec-GPC`, as the next request will carry them: the
/// consent cookie this response sets, or else the one the request carried.
///
/// ```
/// use cookie_contract::audit::{AuditLayer, AuditMode};
/// use http::HeaderMap;
/// use http::header::SET_COOKIE;
/// # use cookie_contract::{CookieContract, Inventory, KeyRing, SessionToken};
/// # #[derive(CookieContract)]
/// # struct App {
/// #     /// Keeps you signed in.
/// #     #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
/// #              same_site = "lax", max_age = "8h", signed)]
/// #     session: SessionToken,
/// # }
/// # let spec = &App::COOKIES[0];
/// let layer = AuditLayer::new::<App>(AuditMode::Enforce, KeyRing::generate());
/// let app: axum::Router = axum::Router::new().layer(layer); // outermost
/// # let _ = app;
/// ```
#[derive(Clone)]
pub struct AuditLayer {
    specs: &'static [CookieSpec],
    revision: &'static str,
    consent: Option<&'static CookieSpec>,
    mode: AuditMode,
    keys: KeyRing,
}

impl AuditLayer {
    /// An audit of inventory `I`, verifying signed consent cookies with `keys` (the ring the
    /// application's jars use).
    ///
    /// ```
    /// use cookie_contract::audit::{AuditLayer, AuditMode};
    /// use http::HeaderMap;
    /// use http::header::SET_COOKIE;
    /// # use cookie_contract::{CookieContract, Inventory, KeyRing, SessionToken};
    /// # #[derive(CookieContract)]
    /// # struct App {
    /// #     /// Keeps you signed in.
    /// #     #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
    /// #              same_site = "lax", max_age = "8h", signed)]
    /// #     session: SessionToken,
    /// # }
    /// # let spec = &App::COOKIES[0];
    /// let layer = AuditLayer::new::<App>(AuditMode::Enforce, KeyRing::generate());
    /// # let _ = layer;
    /// ```
    pub fn new<I: Inventory>(mode: AuditMode, keys: KeyRing) -> Self {
        AuditLayer {
            specs: I::COOKIES,
            revision: I::REVISION,
            consent: I::COOKIES.iter().find(|s| s.purpose() == Purpose::Consent),
            mode,
            keys,
        }
    }

    /// Audits `response` (its `Set-Cookie` headers) for a request that carried `request`
    /// (only its `Cookie` and `Sec-GPC` headers are used). Returns how many lines violated.
    ///
    /// ```
    /// use cookie_contract::audit::{AuditLayer, AuditMode};
    /// use http::HeaderMap;
    /// use http::header::SET_COOKIE;
    /// # use cookie_contract::{CookieContract, Inventory, KeyRing, SessionToken};
    /// # #[derive(CookieContract)]
    /// # struct App {
    /// #     /// Keeps you signed in.
    /// #     #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
    /// #              same_site = "lax", max_age = "8h", signed)]
    /// #     session: SessionToken,
    /// # }
    /// # let spec = &App::COOKIES[0];
    /// let layer = AuditLayer::new::<App>(AuditMode::Enforce, KeyRing::generate());
    /// let mut response = HeaderMap::new();
    /// response.append(SET_COOKIE, "tracker=1; Path=/".parse().unwrap());
    /// assert_eq!(layer.audit(&HeaderMap::new(), &mut response), 1);
    /// assert!(response.get(SET_COOKIE).is_none(), "the undeclared cookie was stripped");
    /// ```
    pub fn audit(&self, request: &HeaderMap, response: &mut HeaderMap) -> usize {
        self.audit_seen(&Seen::capture(request), response)
    }

    fn audit_seen(&self, seen: &Seen, response: &mut HeaderMap) -> usize {
        let mut consent: Option<ConsentState> = None;
        let mut bad: Vec<usize> = Vec::new();
        for (i, value) in response.get_all(SET_COOKIE).iter().enumerate() {
            let verdict = match check_line(self.specs, value.as_bytes()) {
                Ok((spec, false)) if spec.category().is_gated() => {
                    let state = consent.get_or_insert_with(|| self.consent_after(seen, response));
                    if state.grants(spec.category()) {
                        Ok(())
                    } else {
                        Err(Violation::NoConsent { name: spec.name() })
                    }
                }
                Ok(_) => Ok(()),
                Err(v) => Err(v),
            };
            if let Err(v) = verdict {
                tracing::warn!(reason = %v, mode = ?self.mode, "cookie audit: Set-Cookie breaks the contract");
                bad.push(i);
            }
        }
        if !bad.is_empty() && self.mode == AuditMode::Enforce {
            let kept: Vec<HeaderValue> = response
                .get_all(SET_COOKIE)
                .iter()
                .enumerate()
                .filter(|(i, _)| !bad.contains(i))
                .map(|(_, v)| v.clone())
                .collect();
            response.remove(SET_COOKIE);
            for v in kept {
                response.append(SET_COOKIE, v);
            }
        }
        bad.len()
    }

    /// The consent state as the *next* request will carry it: the consent cookie this response
    /// sets (none when it removes it), or else the request's; verified when signed, and for the
    /// inventory's current revision only. No consent cookie declared: nothing gated is granted.
    fn consent_after(&self, seen: &Seen, response: &HeaderMap) -> ConsentState {
        let record = self.consent.and_then(|spec| {
            let name = spec.name().as_bytes();
            let set_here = response.get_all(SET_COOKIE).iter().find_map(|v| {
                // Only a line that starts with the consent cookie's name is read in full.
                if !v.as_bytes().trim_ascii_start().starts_with(name) {
                    return None;
                }
                let line = v.to_str().ok()?;
                let parsed = SetCookie::parse(line)?;
                (parsed.name.as_bytes() == name).then(|| {
                    (parsed.usage(SystemTime::now()) != Usage::Removal)
                        .then_some(parsed.value.as_bytes())
                })
            });
            let raw = match set_here {
                Some(value) => value?,
                None => seen.cookies.value_of(spec.name()).ok()??,
            };
            self.open_record(spec, raw)
        });
        ConsentState::verified(record, self.revision, seen.gpc)
    }

    /// Verifies (when signed) and decodes a consent cookie's wire value.
    fn open_record(&self, spec: &'static CookieSpec, raw: &[u8]) -> Option<ConsentRecord> {
        let (payload, _) = crate::signing::open_value(spec, raw, Some(&self.keys)).ok()?;
        ConsentRecord::decode(&payload).ok()
    }
}

/// What the audit keeps of a request: its `Cookie` headers and whether it carried `Sec-GPC: 1`.
struct Seen {
    cookies: CookieHeaders,
    gpc: bool,
}

impl Seen {
    fn capture(h: &HeaderMap) -> Seen {
        Seen {
            cookies: CookieHeaders::capture(h),
            gpc: crate::consent::gpc_signal(h),
        }
    }
}

impl<S> Layer<S> for AuditLayer {
    type Service = AuditService<S>;
    fn layer(&self, inner: S) -> AuditService<S> {
        AuditService {
            inner,
            layer: self.clone(),
        }
    }
}

impl fmt::Debug for AuditLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuditLayer")
            .field("mode", &self.mode)
            .field("cookies", &self.specs.len())
            .finish_non_exhaustive()
    }
}

/// The service made by [`AuditLayer`].
///
/// ```
/// use cookie_contract::audit::{AuditLayer, AuditMode};
/// use http::HeaderMap;
/// use http::header::SET_COOKIE;
/// # use cookie_contract::{CookieContract, Inventory, KeyRing, SessionToken};
/// # #[derive(CookieContract)]
/// # struct App {
/// #     /// Keeps you signed in.
/// #     #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
/// #              same_site = "lax", max_age = "8h", signed)]
/// #     session: SessionToken,
/// # }
/// # let spec = &App::COOKIES[0];
/// use tower::Layer as _;
/// let service = AuditLayer::new::<App>(AuditMode::Enforce, KeyRing::generate())
///     .layer(tower::service_fn(|_req: http::Request<()>| async {
///         Ok::<_, std::convert::Infallible>(http::Response::new(()))
///     }));
/// # let _ = service;
/// ```
#[derive(Clone, Debug)]
pub struct AuditService<S> {
    inner: S,
    layer: AuditLayer,
}

impl<S, ReqB, ResB> Service<Request<ReqB>> for AuditService<S>
where
    S: Service<Request<ReqB>, Response = Response<ResB>>,
    S::Future: Send + 'static,
{
    type Response = Response<ResB>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<ResB>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<ReqB>) -> Self::Future {
        let seen = Seen::capture(req.headers());
        let layer = self.layer.clone();
        let fut = self.inner.call(req);
        Box::pin(async move {
            let mut res = fut.await?;
            if res.headers().contains_key(SET_COOKIE) {
                layer.audit_seen(&seen, res.headers_mut());
            }
            Ok(res)
        })
    }
}
