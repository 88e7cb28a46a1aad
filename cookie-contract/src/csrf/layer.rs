//! The two layers as tower middleware for any `http` stack: axum, hyper, tonic or plain tower.
//!
//! Both take any request body `B` and answer with the inner service's response body `R`; a
//! refusal is built from its message (`R: From<String>`, which axum's `Body` and
//! http-body-util's `Full<Bytes>` are). The inner service's error type passes through untouched.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Request, Response, StatusCode, header};
use http_body_util::BodyExt as _;
use tower::{Layer, Service};

use super::{CSRF_FIELD, CSRF_HEADER, CsrfError, OriginPolicy, is_safe};
use crate::header::CookieHeaders;
use crate::session::SessionToken;
use crate::signing::KeyRing;
use crate::spec::{CookieSpec, Inventory, Purpose};
use crate::value::CookieValue;

type BoxFuture<R, E> = Pin<Box<dyn Future<Output = Result<Response<R>, E>> + Send>>;

/// A plain-text refusal with `status`.
fn refusal<R: From<String>>(status: StatusCode, message: String) -> Response<R> {
    let mut res = Response::new(R::from(message));
    *res.status_mut() = status;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}

fn forbidden<R: From<String>>(e: CsrfError) -> Response<R> {
    let mut res = refusal(StatusCode::FORBIDDEN, e.to_string());
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
///
/// ```
/// use cookie_contract::csrf::{OriginLayer, OriginPolicy};
/// use tower::ServiceExt as _;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let app = axum::Router::new()
///     .route("/api/prefs", axum::routing::post(|| async { "saved" }))
///     .layer(OriginLayer::new(OriginPolicy::new("https://app.example").unwrap()));
/// let forged = http::Request::post("/api/prefs")
///     .header("sec-fetch-site", "cross-site")
///     .body(axum::body::Body::empty())
///     .unwrap();
/// assert_eq!(app.oneshot(forged).await.unwrap().status(), 403);
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct OriginLayer {
    policy: Arc<OriginPolicy>,
}

impl OriginLayer {
    /// A layer enforcing `policy`.
    ///
    /// ```
    /// use cookie_contract::csrf::{OriginLayer, OriginPolicy};
    /// let layer = OriginLayer::new(OriginPolicy::new("https://app.example").unwrap());
    /// let app: axum::Router = axum::Router::new().layer(layer);
    /// # let _ = app;
    /// ```
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
///
/// ```
/// use cookie_contract::csrf::{OriginLayer, OriginPolicy};
/// use tower::Layer as _;
/// // Any tower service over `http` types: here a plain function, with `String` bodies.
/// let service = OriginLayer::new(OriginPolicy::new("https://app.example").unwrap())
///     .layer(tower::service_fn(|_req: http::Request<String>| async {
///         Ok::<_, std::convert::Infallible>(http::Response::new(String::from("ok")))
///     }));
/// # let _ = service;
/// ```
#[derive(Clone, Debug)]
pub struct OriginService<S> {
    inner: S,
    policy: Arc<OriginPolicy>,
}

impl<S, B, R> Service<Request<B>> for OriginService<S>
where
    S: Service<Request<B>, Response = Response<R>> + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    R: From<String> + Send + 'static,
{
    type Response = Response<R>;
    type Error = S::Error;
    type Future = BoxFuture<R, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
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
///
/// ```
/// use cookie_contract::csrf::{CsrfTokenLayer, OriginLayer, OriginPolicy};
/// # use cookie_contract::{CookieContract, Inventory, KeyRing, SessionToken};
/// # #[derive(CookieContract)]
/// # struct App {
/// #     /// Keeps you signed in.
/// #     #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
/// #              same_site = "lax", max_age = "8h", signed)]
/// #     session: SessionToken,
/// # }
/// # let spec = &App::COOKIES[0];
/// let keys = KeyRing::generate();
/// let app: axum::Router = axum::Router::new()
///     .route("/api/prefs", axum::routing::post(|| async { "saved" }))
///     // Innermost first: the token check runs after the origin check.
///     .layer(CsrfTokenLayer::for_inventory::<App>(keys.clone()).exempt("/api/login"))
///     .layer(OriginLayer::new(OriginPolicy::new("https://app.example").unwrap()));
/// # let _ = app;
/// ```
#[derive(Clone)]
pub struct CsrfTokenLayer {
    keys: KeyRing,
    session_of: Arc<SessionOf>,
    body_limit: usize,
    exempt: Arc<Vec<String>>,
}

impl CsrfTokenLayer {
    /// The layer for inventory `I`: the session is the value of `I`'s authentication cookie
    /// (the first field with `purpose = "authentication"`), verified with `keys` when it is
    /// `signed` and decoded as a [`SessionToken`]. A missing, duplicated, tampered or undecodable
    /// cookie is no session.
    ///
    /// # Panics
    /// When `I` declares no cookie with `purpose = "authentication"`: a set-up mistake, found
    /// when the router is built.
    ///
    /// ```
    /// use cookie_contract::csrf::{CsrfTokenLayer, OriginLayer, OriginPolicy};
    /// # use cookie_contract::{CookieContract, Inventory, KeyRing, SessionToken};
    /// # #[derive(CookieContract)]
    /// # struct App {
    /// #     /// Keeps you signed in.
    /// #     #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
    /// #              same_site = "lax", max_age = "8h", signed)]
    /// #     session: SessionToken,
    /// # }
    /// # let spec = &App::COOKIES[0];
    /// let layer = CsrfTokenLayer::for_inventory::<App>(KeyRing::generate());
    /// # let _ = layer;
    /// ```
    pub fn for_inventory<I: Inventory>(keys: KeyRing) -> Self {
        let spec: &'static CookieSpec = I::COOKIES
            .iter()
            .find(|s| s.purpose() == Purpose::Authentication)
            .unwrap_or_else(|| {
                panic!(
                    "CsrfTokenLayer::for_inventory::<{}>: no cookie has purpose = \"authentication\"",
                    I::NAME
                )
            });
        Self::new(keys, move |headers, keys| {
            session_cookie(spec, headers, keys)
        })
    }

    /// `session_of` reads the request's verified session token, typically
    /// `|h, k| AppCookiesJar::from_headers(h, k).session()`.
    ///
    /// ```
    /// use cookie_contract::csrf::{CsrfTokenLayer, OriginLayer, OriginPolicy};
    /// # use cookie_contract::{CookieContract, Inventory, KeyRing, SessionToken};
    /// # #[derive(CookieContract)]
    /// # struct App {
    /// #     /// Keeps you signed in.
    /// #     #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
    /// #              same_site = "lax", max_age = "8h", signed)]
    /// #     session: SessionToken,
    /// # }
    /// # let spec = &App::COOKIES[0];
    /// # #[derive(Clone)] struct _Unused;
    /// // The session found some other way than an inventory's authentication cookie.
    /// let layer = CsrfTokenLayer::new(KeyRing::generate(), |headers, keys| {
    ///     AppJar::from_headers(headers, keys).session()
    /// });
    /// # let _ = layer;
    /// ```
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
    ///
    /// ```
    /// use cookie_contract::csrf::{CsrfTokenLayer, OriginLayer, OriginPolicy};
    /// # use cookie_contract::{CookieContract, Inventory, KeyRing, SessionToken};
    /// # #[derive(CookieContract)]
    /// # struct App {
    /// #     /// Keeps you signed in.
    /// #     #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
    /// #              same_site = "lax", max_age = "8h", signed)]
    /// #     session: SessionToken,
    /// # }
    /// # let spec = &App::COOKIES[0];
    /// let layer = CsrfTokenLayer::for_inventory::<App>(KeyRing::generate()).exempt("/api/login");
    /// # let _ = layer;
    /// ```
    pub fn exempt(mut self, path: &str) -> Self {
        Arc::make_mut(&mut self.exempt).push(path.to_owned());
        self
    }

    /// The largest form body read to find `csrf_token` (default 64 KiB); larger ones get 413.
    ///
    /// ```
    /// use cookie_contract::csrf::{CsrfTokenLayer, OriginLayer, OriginPolicy};
    /// # use cookie_contract::{CookieContract, Inventory, KeyRing, SessionToken};
    /// # #[derive(CookieContract)]
    /// # struct App {
    /// #     /// Keeps you signed in.
    /// #     #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
    /// #              same_site = "lax", max_age = "8h", signed)]
    /// #     session: SessionToken,
    /// # }
    /// # let spec = &App::COOKIES[0];
    /// let layer = CsrfTokenLayer::for_inventory::<App>(KeyRing::generate()).body_limit(16 * 1024);
    /// # let _ = layer;
    /// ```
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
///
/// ```
/// use cookie_contract::csrf::{CsrfTokenLayer, OriginLayer, OriginPolicy};
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
/// let service = CsrfTokenLayer::for_inventory::<App>(KeyRing::generate())
///     .layer(tower::service_fn(|_req: http::Request<axum::body::Body>| async {
///         Ok::<_, std::convert::Infallible>(http::Response::new(String::from("ok")))
///     }));
/// # let _ = service;
/// ```
#[derive(Clone)]
pub struct CsrfTokenService<S> {
    inner: S,
    layer: CsrfTokenLayer,
}

/// The form-field token is read from any body that can be rebuilt from the bytes read (`B:
/// From<Bytes>`: axum's `Body`, `Full<Bytes>`), at most `body_limit` bytes of it.
impl<S, B, R> Service<Request<B>> for CsrfTokenService<S>
where
    S: Service<Request<B>, Response = Response<R>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    B: http_body::Body + From<Bytes> + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    R: From<String> + Send + 'static,
{
    type Response = Response<R>;
    type Error = S::Error;
    type Future = BoxFuture<R, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
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
                    // Over the limit, or a body that fails mid-way: either way nothing reached
                    // the handler, and the client is told the body was refused.
                    let limited = http_body_util::Limited::new(body, layer.body_limit);
                    let bytes = match limited.collect().await {
                        Ok(b) => b.to_bytes(),
                        Err(_) => {
                            return Ok(refusal(
                                StatusCode::PAYLOAD_TOO_LARGE,
                                "form body too large or unreadable".to_owned(),
                            ));
                        }
                    };
                    let token = form_urlencoded::parse(&bytes)
                        .find(|(k, _)| k == CSRF_FIELD)
                        .map(|(_, v)| v.into_owned().into_bytes());
                    (token, B::from(bytes))
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

/// The verified session token in the cookie `spec` of a request, if any.
fn session_cookie(
    spec: &'static CookieSpec,
    headers: &HeaderMap,
    keys: &KeyRing,
) -> Option<SessionToken> {
    let cookies = CookieHeaders::capture(headers);
    let raw = cookies.value_of(spec.name()).ok()??;
    let (payload, _) = crate::signing::open_value(spec, raw, Some(keys)).ok()?;
    SessionToken::decode(&payload).ok()
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
