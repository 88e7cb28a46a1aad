//! CSRF protection in two layers, both on by default in the example app.
//!
//! 1. **Request origin** ([`OriginPolicy`], [`OriginLayer`]): Go 1.25's
//!    `CrossOriginProtection` model. Safe methods pass; `Sec-Fetch-Site: same-origin` or `none`
//!    pass; any other value is rejected (`same-site` only when allowed); without it, `Origin` is
//!    parsed strictly (scheme, host, port; userinfo rejected, golang/go#78563) and compared with
//!    the configured public origins *including scheme and port* (the tower-csrf bug); a request
//!    with neither header is a non-browser client and passes unless strict. Bypasses are exact
//!    paths (CVE-2025-47910 came from pattern bypasses).
//! 2. **Session-bound token** ([`KeyRing::csrf_token`], [`CsrfTokenLayer`]): OWASP's signed
//!    token bound to the session, with one pinned encoding (the cheat sheet's pseudo-code mixes
//!    two): `HMAC(csrf subkey, u32be(32) ‖ session token bytes ‖ u32be(16) ‖ nonce)`. The secret
//!    `nonce ‖ mac` (48 bytes) is XOR-masked with fresh random bytes on every mint so the same
//!    secret never appears twice on the wire (BREACH); the wire token is base64url of
//!    `mask ‖ masked` (128 characters). It is checked before the handler runs (tower-surf#13 ran
//!    the handler first).

use core::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::Mac;
use http::{HeaderMap, Method};

use crate::session::SessionToken;
use crate::signing::{KeyRing, ct_eq_array};

const NONCE_LEN: usize = 16;
const SECRET_LEN: usize = NONCE_LEN + 32;
/// Length of a CSRF token on the wire.
pub const TOKEN_LEN: usize = (2 * SECRET_LEN * 4).div_ceil(3);

/// The header a CSRF token may be sent in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The form field a CSRF token may be sent in.
pub const CSRF_FIELD: &str = "csrf_token";

/// Why a CSRF check refused a request. The `Display` text is short and safe to send as the body
/// of the 403.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsrfError {
    /// `Sec-Fetch-Site` says the request came from another origin (or site).
    CrossOrigin,
    /// The `Origin` header names an origin that is not allowed.
    ForeignOrigin,
    /// The `Origin` header is not a plain `scheme://host[:port]`.
    MalformedOrigin,
    /// Strict mode: a state change with neither `Sec-Fetch-Site` nor `Origin`.
    NoOrigin,
    /// A session exists but the request carries no token.
    MissingToken,
    /// The token is malformed, forged, or minted for another session.
    BadToken,
}

impl fmt::Display for CsrfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CsrfError::CrossOrigin => "cross-origin request refused (Sec-Fetch-Site)",
            CsrfError::ForeignOrigin => "cross-origin request refused (Origin)",
            CsrfError::MalformedOrigin => "malformed Origin header",
            CsrfError::NoOrigin => "request without Origin refused",
            CsrfError::MissingToken => "missing CSRF token",
            CsrfError::BadToken => "invalid CSRF token",
        })
    }
}

impl std::error::Error for CsrfError {}

/// GET, HEAD, OPTIONS and TRACE change nothing (RFC 9110 §9.2.1) and are never checked.
pub fn is_safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

// ---------------------------------------------------------------------------------------------
// Session-bound tokens.

impl KeyRing {
    /// A fresh CSRF token bound to `session`: a new nonce and a new mask on every call.
    ///
    /// # Panics
    /// When the operating system's random source fails.
    pub fn csrf_token(&self, session: &SessionToken) -> String {
        // One system call for the nonce and the mask.
        let mut random = [0u8; NONCE_LEN + SECRET_LEN];
        getrandom::fill(&mut random).expect("the OS random source failed");
        let (nonce, mask) = random.split_at(NONCE_LEN);
        let mac = csrf_mac(
            self.csrf_macs().next().expect("a ring has a current key"),
            session,
            nonce,
        );
        let mut secret = [0u8; SECRET_LEN];
        secret[..NONCE_LEN].copy_from_slice(nonce);
        secret[NONCE_LEN..].copy_from_slice(&mac);
        let mut wire = [0u8; 2 * SECRET_LEN];
        wire[..SECRET_LEN].copy_from_slice(mask);
        for i in 0..SECRET_LEN {
            wire[SECRET_LEN + i] = secret[i] ^ wire[i];
        }
        URL_SAFE_NO_PAD.encode(wire)
    }

    /// Checks a CSRF token against `session`, with the current and previous keys (so a key
    /// rotation does not break open forms).
    ///
    /// # Errors
    /// [`CsrfError::BadToken`] for any token that is not exactly a token this ring minted for this
    /// session: wrong length, padding, non-base64url, truncated, forged, or another session's.
    /// Never panics.
    pub fn verify_csrf_token(&self, session: &SessionToken, token: &[u8]) -> Result<(), CsrfError> {
        if token.len() != TOKEN_LEN {
            return Err(CsrfError::BadToken);
        }
        let mut wire = [0u8; 2 * SECRET_LEN];
        match URL_SAFE_NO_PAD.decode_slice(token, &mut wire) {
            Ok(n) if n == wire.len() => {}
            _ => return Err(CsrfError::BadToken),
        }
        let mut secret = [0u8; SECRET_LEN];
        for i in 0..SECRET_LEN {
            secret[i] = wire[SECRET_LEN + i] ^ wire[i];
        }
        let (nonce, mac) = secret.split_at(NONCE_LEN);
        let mac: &[u8; 32] = mac.try_into().expect("32 bytes");
        let mut ok = false;
        for key in self.csrf_macs() {
            ok |= ct_eq_array(&csrf_mac(key, session, nonce), mac);
        }
        if ok { Ok(()) } else { Err(CsrfError::BadToken) }
    }
}

/// The pinned message: `u32be(32) ‖ token bytes ‖ u32be(16) ‖ nonce`, under the CSRF subkey
/// (derived with the label `cookie-contract/v1/csrf`, so it is domain-separated from signing).
fn csrf_mac(key: &crate::signing::HmacSha256, session: &SessionToken, nonce: &[u8]) -> [u8; 32] {
    let mut m = key.clone();
    m.update(&(session.as_bytes().len() as u32).to_be_bytes());
    m.update(session.as_bytes());
    m.update(&(nonce.len() as u32).to_be_bytes());
    m.update(nonce);
    m.finalize().into_bytes().into()
}

// ---------------------------------------------------------------------------------------------
// Request origin.

/// A parsed `scheme://host[:port]` origin with the default port made explicit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    /// Parses an origin strictly: `http` or `https`, a host of letters, digits, `-` and `.`
    /// (or a bracketed IPv6 literal), an optional port, nothing else: no userinfo, path, query,
    /// fragment or trailing slash. Scheme and host are compared case-insensitively.
    ///
    /// # Errors
    /// [`CsrfError::MalformedOrigin`] for anything else, including `null`.
    pub fn parse(s: &str) -> Result<Origin, CsrfError> {
        let bad = CsrfError::MalformedOrigin;
        let (scheme, rest) = s.split_once("://").ok_or(bad)?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return Err(bad),
        };
        let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
            let (addr, after) = v6.split_once(']').ok_or(bad)?;
            if addr.is_empty()
                || !addr
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
            {
                return Err(bad);
            }
            (format!("[{}]", addr.to_ascii_lowercase()), after)
        } else {
            let end = rest.find(':').unwrap_or(rest.len());
            let host = &rest[..end];
            if host.is_empty()
                || !host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
            {
                return Err(bad);
            }
            (host.to_ascii_lowercase(), &rest[end..])
        };
        let port = match port.strip_prefix(':') {
            None if port.is_empty() => default_port,
            None => return Err(bad),
            Some(p) if !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse().map_err(|_| bad)?
            }
            Some(_) => return Err(bad),
        };
        Ok(Origin { scheme, host, port })
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}:{}", self.scheme, self.host, self.port)
    }
}

/// Layer one's configuration.
#[derive(Clone, Debug)]
pub struct OriginPolicy {
    origins: Vec<Origin>,
    allow_same_site: bool,
    strict: bool,
    report_only: bool,
    bypass: Vec<String>,
}

impl OriginPolicy {
    /// A policy that accepts state changes from `public_origin` (e.g. `https://example.com`)
    /// only.
    ///
    /// # Errors
    /// [`CsrfError::MalformedOrigin`] when `public_origin` does not parse.
    pub fn new(public_origin: &str) -> Result<Self, CsrfError> {
        Ok(OriginPolicy {
            origins: vec![Origin::parse(public_origin)?],
            allow_same_site: false,
            strict: false,
            report_only: false,
            bypass: Vec::new(),
        })
    }

    /// Also accept `origin`.
    ///
    /// # Errors
    /// [`CsrfError::MalformedOrigin`] when it does not parse.
    pub fn allow_origin(mut self, origin: &str) -> Result<Self, CsrfError> {
        self.origins.push(Origin::parse(origin)?);
        Ok(self)
    }

    /// Accept `Sec-Fetch-Site: same-site` (sibling subdomains you trust). Off by default.
    pub fn allow_same_site(mut self, allow: bool) -> Self {
        self.allow_same_site = allow;
        self
    }

    /// Refuse state changes that carry neither `Sec-Fetch-Site` nor `Origin` (OWASP's fail-safe
    /// for sensitive endpoints). Off by default: such requests come from non-browser clients,
    /// which CSRF cannot forge.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Log what would be refused (through `tracing`) instead of refusing it: for rolling out.
    pub fn report_only(mut self, report_only: bool) -> Self {
        self.report_only = report_only;
        self
    }

    /// Exempt exactly `path` (a webhook, say). Only an identical path matches: no prefixes, no
    /// patterns, no normalisation.
    pub fn bypass(mut self, path: &str) -> Self {
        self.bypass.push(path.to_owned());
        self
    }

    /// Whether this policy only reports.
    pub fn is_report_only(&self) -> bool {
        self.report_only
    }

    /// Decides one request.
    ///
    /// # Errors
    /// The [`CsrfError`] that refuses it.
    pub fn check(&self, method: &Method, path: &str, headers: &HeaderMap) -> Result<(), CsrfError> {
        if is_safe(method) || self.bypass.iter().any(|b| b == path) {
            return Ok(());
        }
        if let Some(site) = headers.get("sec-fetch-site") {
            return match site.as_bytes() {
                b"same-origin" | b"none" => Ok(()),
                b"same-site" if self.allow_same_site => Ok(()),
                _ => Err(CsrfError::CrossOrigin),
            };
        }
        let mut origins = headers.get_all(http::header::ORIGIN).iter();
        match (origins.next(), origins.next()) {
            (None, _) if self.strict => Err(CsrfError::NoOrigin),
            (None, _) => Ok(()),
            (Some(_), Some(_)) => Err(CsrfError::MalformedOrigin),
            (Some(o), None) => {
                let o = o.to_str().map_err(|_| CsrfError::MalformedOrigin)?;
                let o = Origin::parse(o)?;
                if self.origins.contains(&o) {
                    Ok(())
                } else {
                    Err(CsrfError::ForeignOrigin)
                }
            }
        }
    }
}

#[cfg(feature = "axum")]
pub use layers::{CsrfTokenLayer, CsrfTokenService, OriginLayer, OriginService};

#[cfg(feature = "axum")]
mod layers {
    use core::future::Future;
    use core::pin::Pin;
    use core::task::{Context, Poll};
    use std::convert::Infallible;
    use std::sync::Arc;

    use axum::body::Body;
    use axum::response::{IntoResponse, Response};
    use http::{HeaderMap, HeaderValue, Request, StatusCode, header};
    use tower::{Layer, Service};

    use super::{CSRF_FIELD, CSRF_HEADER, CsrfError, OriginPolicy, is_safe};
    use crate::session::SessionToken;
    use crate::signing::KeyRing;

    type BoxFuture = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn forbidden(e: CsrfError) -> Response {
        let mut res = (StatusCode::FORBIDDEN, e.to_string()).into_response();
        vary(res.headers_mut());
        res
    }

    /// Responses to state-changing requests depend on these headers (OWASP: add
    /// `Vary: Sec-Fetch-Site, Origin`).
    fn vary(h: &mut HeaderMap) {
        h.append(
            header::VARY,
            HeaderValue::from_static("Sec-Fetch-Site, Origin"),
        );
    }

    /// Tower layer for [`OriginPolicy`] (CSRF layer one).
    #[derive(Clone, Debug)]
    pub struct OriginLayer {
        policy: Arc<OriginPolicy>,
    }

    impl OriginLayer {
        /// A layer enforcing `policy`.
        pub fn new(policy: OriginPolicy) -> Self {
            OriginLayer {
                policy: Arc::new(policy),
            }
        }
    }

    impl<S> Layer<S> for OriginLayer {
        type Service = OriginService<S>;
        fn layer(&self, inner: S) -> OriginService<S> {
            OriginService {
                inner,
                policy: self.policy.clone(),
            }
        }
    }

    /// The service made by [`OriginLayer`].
    #[derive(Clone, Debug)]
    pub struct OriginService<S> {
        inner: S,
        policy: Arc<OriginPolicy>,
    }

    impl<S> Service<Request<Body>> for OriginService<S>
    where
        S: Service<Request<Body>, Response = Response, Error = Infallible> + Send + 'static,
        S::Future: Send + 'static,
    {
        type Response = Response;
        type Error = Infallible;
        type Future = BoxFuture;

        fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
            self.inner.poll_ready(cx)
        }

        fn call(&mut self, req: Request<Body>) -> BoxFuture {
            let unsafe_method = !is_safe(req.method());
            if let Err(e) = self
                .policy
                .check(req.method(), req.uri().path(), req.headers())
            {
                tracing::warn!(
                    method = %req.method(),
                    path = req.uri().path(),
                    reason = %e,
                    report_only = self.policy.is_report_only(),
                    "CSRF origin check failed"
                );
                if !self.policy.is_report_only() {
                    return Box::pin(core::future::ready(Ok(forbidden(e))));
                }
            }
            let fut = self.inner.call(req);
            Box::pin(async move {
                let mut res = fut.await?;
                if unsafe_method {
                    vary(res.headers_mut());
                }
                Ok(res)
            })
        }
    }

    type SessionOf = dyn Fn(&HeaderMap, &KeyRing) -> Option<SessionToken> + Send + Sync;

    /// Tower layer for session-bound CSRF tokens (layer two).
    ///
    /// For POST, PUT, PATCH and DELETE requests whose session `session_of` finds, it requires a
    /// token minted by [`KeyRing::csrf_token`] for that session, in the `X-CSRF-Token` header or
    /// the `csrf_token` field of an `application/x-www-form-urlencoded` body, and answers 403
    /// otherwise, before the handler runs. Requests without a session pass (nothing to bind to;
    /// the origin layer guards them).
    #[derive(Clone)]
    pub struct CsrfTokenLayer {
        keys: KeyRing,
        session_of: Arc<SessionOf>,
        body_limit: usize,
        exempt: Arc<Vec<String>>,
    }

    impl CsrfTokenLayer {
        /// `session_of` reads the request's verified session token, typically
        /// `|h, k| AppCookiesJar::from_headers(h, k).session()`.
        pub fn new(
            keys: KeyRing,
            session_of: impl Fn(&HeaderMap, &KeyRing) -> Option<SessionToken> + Send + Sync + 'static,
        ) -> Self {
            CsrfTokenLayer {
                keys,
                session_of: Arc::new(session_of),
                body_limit: 64 * 1024,
                exempt: Arc::new(Vec::new()),
            }
        }

        /// Skip the token check for exactly `path` (the origin layer still applies). For the
        /// login endpoint: it replaces whatever session the request carries, so a session
        /// planted in the browser must not be able to block it.
        pub fn exempt(mut self, path: &str) -> Self {
            Arc::make_mut(&mut self.exempt).push(path.to_owned());
            self
        }

        /// The largest form body read to find `csrf_token` (default 64 KiB); larger ones get 413.
        pub fn body_limit(mut self, bytes: usize) -> Self {
            self.body_limit = bytes;
            self
        }
    }

    impl core::fmt::Debug for CsrfTokenLayer {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.debug_struct("CsrfTokenLayer")
                .field("body_limit", &self.body_limit)
                .finish_non_exhaustive()
        }
    }

    impl<S> Layer<S> for CsrfTokenLayer {
        type Service = CsrfTokenService<S>;
        fn layer(&self, inner: S) -> CsrfTokenService<S> {
            CsrfTokenService {
                inner,
                layer: self.clone(),
            }
        }
    }

    /// The service made by [`CsrfTokenLayer`].
    #[derive(Clone)]
    pub struct CsrfTokenService<S> {
        inner: S,
        layer: CsrfTokenLayer,
    }

    impl<S> Service<Request<Body>> for CsrfTokenService<S>
    where
        S: Service<Request<Body>, Response = Response, Error = Infallible> + Clone + Send + 'static,
        S::Future: Send + 'static,
    {
        type Response = Response;
        type Error = Infallible;
        type Future = BoxFuture;

        fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
            self.inner.poll_ready(cx)
        }

        fn call(&mut self, req: Request<Body>) -> BoxFuture {
            // The inner service was polled ready; keep that one and leave a clone behind.
            let clone = self.inner.clone();
            let mut inner = core::mem::replace(&mut self.inner, clone);
            let layer = self.layer.clone();
            Box::pin(async move {
                if is_safe(req.method()) || layer.exempt.iter().any(|p| p == req.uri().path()) {
                    return inner.call(req).await;
                }
                let Some(session) = (layer.session_of)(req.headers(), &layer.keys) else {
                    return inner.call(req).await;
                };
                let (parts, body) = req.into_parts();
                let (token, body) = match parts.headers.get(CSRF_HEADER) {
                    Some(t) => (Some(t.as_bytes().to_vec()), body),
                    None if is_form(&parts.headers) => {
                        let bytes = match axum::body::to_bytes(body, layer.body_limit).await {
                            Ok(b) => b,
                            Err(_) => {
                                return Ok((StatusCode::PAYLOAD_TOO_LARGE, "form body too large")
                                    .into_response());
                            }
                        };
                        let token = form_urlencoded::parse(&bytes)
                            .find(|(k, _)| k == CSRF_FIELD)
                            .map(|(_, v)| v.into_owned().into_bytes());
                        (token, Body::from(bytes))
                    }
                    None => (None, body),
                };
                let verdict = match token {
                    None => Err(CsrfError::MissingToken),
                    Some(t) => layer.keys.verify_csrf_token(&session, &t),
                };
                if let Err(e) = verdict {
                    tracing::warn!(method = %parts.method, path = parts.uri.path(), reason = %e, "CSRF token check failed");
                    return Ok(forbidden(e));
                }
                inner.call(Request::from_parts(parts, body)).await
            })
        }
    }

    fn is_form(h: &HeaderMap) -> bool {
        h.get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|m| {
                m.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    fn policy() -> OriginPolicy {
        OriginPolicy::new("http://localhost:3000").unwrap()
    }

    #[test]
    fn tokens_verify_for_their_session_only() {
        let keys = KeyRing::new(&[3; 32]).unwrap();
        let s1 = SessionToken::new();
        let s2 = SessionToken::new();
        let t = keys.csrf_token(&s1);
        assert_eq!(t.len(), TOKEN_LEN);
        assert_eq!(keys.verify_csrf_token(&s1, t.as_bytes()), Ok(()));
        assert_eq!(
            keys.verify_csrf_token(&s2, t.as_bytes()),
            Err(CsrfError::BadToken)
        );
        let other = KeyRing::new(&[4; 32]).unwrap();
        assert_eq!(
            other.verify_csrf_token(&s1, t.as_bytes()),
            Err(CsrfError::BadToken)
        );
    }

    #[test]
    fn tokens_are_masked_afresh() {
        let keys = KeyRing::new(&[3; 32]).unwrap();
        let s = SessionToken::new();
        let (a, b) = (keys.csrf_token(&s), keys.csrf_token(&s));
        assert_ne!(a, b);
        assert!(keys.verify_csrf_token(&s, a.as_bytes()).is_ok());
        assert!(keys.verify_csrf_token(&s, b.as_bytes()).is_ok());
    }

    #[test]
    fn tokens_survive_key_rotation() {
        let old = KeyRing::new(&[3; 32]).unwrap();
        let s = SessionToken::new();
        let t = old.csrf_token(&s);
        let rotated = KeyRing::rotating(&[9; 32], &[&[3; 32]]).unwrap();
        assert!(rotated.verify_csrf_token(&s, t.as_bytes()).is_ok());
    }

    #[test]
    fn malformed_tokens_are_rejected() {
        let keys = KeyRing::new(&[3; 32]).unwrap();
        let s = SessionToken::new();
        let t = keys.csrf_token(&s);
        let mut flipped = t.clone().into_bytes();
        flipped[100] = if flipped[100] == b'A' { b'B' } else { b'A' };
        for bad in [
            Vec::new(),
            t.as_bytes()[..TOKEN_LEN - 1].to_vec(),
            format!("{t}=").into_bytes(),
            format!("{t}A").into_bytes(),
            "!".repeat(TOKEN_LEN).into_bytes(),
            vec![0xff; TOKEN_LEN],
            flipped,
        ] {
            assert_eq!(keys.verify_csrf_token(&s, &bad), Err(CsrfError::BadToken));
        }
    }

    #[test]
    fn origins_parse_strictly() {
        assert_eq!(
            Origin::parse("HTTPS://Example.COM").unwrap(),
            Origin::parse("https://example.com:443").unwrap()
        );
        assert_eq!(
            Origin::parse("http://[::1]:3000").unwrap().to_string(),
            "http://[::1]:3000"
        );
        for bad in [
            "null",
            "",
            "example.com",
            "ftp://example.com",
            "http://evil@victim.example",
            "http://victim.example/",
            "http://victim.example/path",
            "http://victim.example:",
            "http://victim.example:99999",
            "http://victim.example:80:80",
            "http://",
            "http://a b",
            "http://victim.example?x",
            "http://[zz]",
            "http://victim.example#f",
        ] {
            assert!(Origin::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn safe_methods_pass_and_fetch_metadata_decides() {
        let p = policy();
        let cross = headers(&[("sec-fetch-site", "cross-site")]);
        assert_eq!(p.check(&Method::GET, "/", &cross), Ok(()));
        assert_eq!(
            p.check(&Method::POST, "/", &cross),
            Err(CsrfError::CrossOrigin)
        );
        let same_site = headers(&[("sec-fetch-site", "same-site")]);
        assert_eq!(
            p.check(&Method::POST, "/", &same_site),
            Err(CsrfError::CrossOrigin)
        );
        assert_eq!(
            policy()
                .allow_same_site(true)
                .check(&Method::POST, "/", &same_site),
            Ok(())
        );
        for ok in ["same-origin", "none"] {
            assert_eq!(
                p.check(&Method::DELETE, "/", &headers(&[("sec-fetch-site", ok)])),
                Ok(())
            );
        }
        // Fetch metadata wins over a matching Origin.
        let both = headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://localhost:3000"),
        ]);
        assert_eq!(
            p.check(&Method::POST, "/", &both),
            Err(CsrfError::CrossOrigin)
        );
    }

    #[test]
    fn origin_fallback_compares_scheme_host_and_port() {
        let p = policy();
        let check = |o: &str| p.check(&Method::POST, "/api", &headers(&[("origin", o)]));
        assert_eq!(check("http://localhost:3000"), Ok(()));
        assert_eq!(check("http://LOCALHOST:3000"), Ok(()));
        assert_eq!(
            check("http://localhost:3001"),
            Err(CsrfError::ForeignOrigin)
        );
        assert_eq!(
            check("https://localhost:3000"),
            Err(CsrfError::ForeignOrigin)
        );
        assert_eq!(check("http://localhost"), Err(CsrfError::ForeignOrigin));
        assert_eq!(
            check("http://evil@localhost:3000"),
            Err(CsrfError::MalformedOrigin)
        );
        assert_eq!(
            check("http://localhost:3000.evil.example"),
            Err(CsrfError::MalformedOrigin)
        );
        assert_eq!(check("null"), Err(CsrfError::MalformedOrigin));
    }

    #[test]
    fn no_headers_passes_unless_strict() {
        assert_eq!(
            policy().check(&Method::POST, "/", &HeaderMap::new()),
            Ok(())
        );
        assert_eq!(
            policy()
                .strict(true)
                .check(&Method::POST, "/", &HeaderMap::new()),
            Err(CsrfError::NoOrigin)
        );
    }

    #[test]
    fn bypass_is_exact() {
        let p = policy().bypass("/hooks/stripe");
        let cross = headers(&[("sec-fetch-site", "cross-site")]);
        assert_eq!(p.check(&Method::POST, "/hooks/stripe", &cross), Ok(()));
        for near in [
            "/hooks/stripe/",
            "/hooks/stripe/x",
            "/hooks/stripeX",
            "/hooks/Stripe",
            "/hooks//stripe",
        ] {
            assert_eq!(
                p.check(&Method::POST, near, &cross),
                Err(CsrfError::CrossOrigin),
                "{near}"
            );
        }
    }
}
