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
use std::sync::Arc;

use http::header::{COOKIE, SET_COOKIE};
use http::{HeaderMap, HeaderValue, Request, Response};
use tower::{Layer, Service};

use crate::consent::ConsentState;
use crate::spec::{CookieSpec, Inventory};

/// What the layer does with a violation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditMode {
    /// Strip the `Set-Cookie` and log it.
    Enforce,
    /// Keep it and log it (for rolling out).
    Report,
}

/// Why a `Set-Cookie` line breaks the contract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Violation {
    /// The header is not `name=value...` at all.
    Malformed,
    /// No field of the inventory declares this name.
    Undeclared {
        /// The name as sent.
        name: String,
    },
    /// Declared, but the attributes after the value are not the declared ones.
    Attributes {
        /// The cookie name.
        name: &'static str,
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
            Violation::Attributes { name } => {
                write!(
                    f,
                    "cookie `{name}` is set with attributes that differ from its declaration"
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
/// # Errors
/// [`Violation::Malformed`], [`Violation::Undeclared`] or [`Violation::Attributes`].
pub fn check_line<'s>(
    specs: &'s [CookieSpec],
    line: &[u8],
) -> Result<(&'s CookieSpec, bool), Violation> {
    let eq = line
        .iter()
        .position(|&b| b == b'=')
        .ok_or(Violation::Malformed)?;
    let name = &line[..eq];
    let Some(spec) = specs.iter().find(|s| s.name().as_bytes() == name) else {
        return Err(Violation::Undeclared {
            name: String::from_utf8_lossy(name).into_owned(),
        });
    };
    if line == spec.removal_header().as_bytes() {
        return Ok((spec, true));
    }
    let suffix = spec.attribute_suffix().as_bytes();
    let rest = &line[eq + 1..];
    let ok = rest.len() >= suffix.len()
        && rest.ends_with(suffix)
        && !rest[..rest.len() - suffix.len()].contains(&b';');
    if ok {
        Ok((spec, false))
    } else {
        Err(Violation::Attributes { name: spec.name() })
    }
}

type ConsentOf = dyn Fn(&HeaderMap) -> ConsentState + Send + Sync;

/// Tower layer that audits every response's `Set-Cookie` headers against inventory `I`.
#[derive(Clone)]
pub struct AuditLayer {
    specs: &'static [CookieSpec],
    mode: AuditMode,
    consent_of: Arc<ConsentOf>,
}

impl AuditLayer {
    /// An audit of inventory `I`. `consent_of` reads the consent state from request headers,
    /// typically `|h| AppCookiesJar::from_headers(h, &keys).consent_state()`; the layer calls it
    /// only when a gated cookie is set, with the request's cookies updated by the response's.
    pub fn new<I: Inventory>(
        mode: AuditMode,
        consent_of: impl Fn(&HeaderMap) -> ConsentState + Send + Sync + 'static,
    ) -> Self {
        AuditLayer {
            specs: I::COOKIES,
            mode,
            consent_of: Arc::new(consent_of),
        }
    }

    /// Audits `response` (its `Set-Cookie` headers) for a request that carried `request`
    /// (only its `Cookie` and `Sec-GPC` headers are used). Returns how many lines violated.
    pub fn audit(&self, request: &HeaderMap, response: &mut HeaderMap) -> usize {
        self.audit_seen(&Seen::capture(request), response)
    }

    fn audit_seen(&self, seen: &Seen, response: &mut HeaderMap) -> usize {
        let mut consent: Option<ConsentState> = None;
        let mut bad: Vec<usize> = Vec::new();
        for (i, value) in response.get_all(SET_COOKIE).iter().enumerate() {
            let verdict = match check_line(self.specs, value.as_bytes()) {
                Ok((spec, false)) if spec.category().is_gated() => {
                    let state = consent.get_or_insert_with(|| {
                        (self.consent_of)(&self.consent_headers(seen, response))
                    });
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

    /// The headers the consent state is read from, as the *next* request would carry them:
    /// the consent cookie set by this response (or, failing that, the request's) and
    /// `Sec-GPC`. Only the consent cookie is copied, not the whole `Cookie` header; an inventory
    /// without a consent cookie gets the request's cookies unchanged.
    fn consent_headers(&self, seen: &Seen, response: &HeaderMap) -> HeaderMap {
        let mut h = HeaderMap::new();
        if seen.gpc {
            h.insert("sec-gpc", HeaderValue::from_static("1"));
        }
        let Some(spec) = self
            .specs
            .iter()
            .find(|s| s.purpose() == crate::Purpose::Consent)
        else {
            for v in seen.cookies() {
                h.append(COOKIE, v.clone());
            }
            return h;
        };
        let name = spec.name().as_bytes();
        let from_response = response.get_all(SET_COOKIE).iter().find_map(|v| {
            let line = v.as_bytes();
            let pair = line.split(|&b| b == b';').next().unwrap_or(line);
            (pair.len() > name.len() && pair.starts_with(name) && pair[name.len()] == b'=')
                .then(|| (line != spec.removal_header().as_bytes()).then_some(pair))
        });
        let pair: Option<Vec<u8>> = match from_response {
            Some(set) => set.map(<[u8]>::to_vec),
            None => seen.cookies().find_map(|v| {
                crate::header::pairs(v.as_bytes())
                    .find(|p| p.name == name)
                    .map(|p| {
                        let mut out = name.to_vec();
                        out.push(b'=');
                        out.extend_from_slice(p.value);
                        out
                    })
            }),
        };
        if let Some(v) = pair.and_then(|p| HeaderValue::from_bytes(&p).ok()) {
            h.insert(COOKIE, v);
        }
        h
    }
}

/// What the audit keeps of a request: its `Cookie` headers (reference-counted, not copied; no
/// allocation for the usual single header) and whether it carried `Sec-GPC: 1`.
struct Seen {
    first: Option<HeaderValue>,
    rest: Vec<HeaderValue>,
    gpc: bool,
}

impl Seen {
    fn capture(h: &HeaderMap) -> Seen {
        let mut all = h.get_all(COOKIE).iter();
        Seen {
            first: all.next().cloned(),
            rest: all.cloned().collect(),
            gpc: crate::consent::gpc_signal(h),
        }
    }

    fn cookies(&self) -> impl Iterator<Item = &HeaderValue> {
        self.first.iter().chain(&self.rest)
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
