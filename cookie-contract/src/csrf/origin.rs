//! Layer one: where a state-changing request comes from (Fetch Metadata, then `Origin`).

use core::fmt;

use http::{HeaderMap, Method};

use super::{CsrfError, is_safe};

/// A parsed `scheme://host[:port]` origin with the default port made explicit.
///
/// ```
/// use cookie_contract::csrf::Origin;
/// let o = Origin::parse("HTTPS://App.Example").unwrap();
/// assert_eq!(o.to_string(), "https://app.example");
/// assert_eq!(o, Origin::parse("https://app.example:443").unwrap());
/// ```
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
    ///
    /// ```
    /// use cookie_contract::csrf::Origin;
    /// assert!(Origin::parse("http://localhost:3000").is_ok());
    /// for bad in ["null", "app.example", "https://app.example/path", "https://user@app.example"] {
    ///     assert!(Origin::parse(bad).is_err(), "{bad}");
    /// }
    /// ```
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

impl Origin {
    /// `http` or `https`, lower case.
    ///
    /// ```
    /// assert_eq!(cookie_contract::csrf::Origin::parse("HTTPS://a.example").unwrap().scheme(), "https");
    /// ```
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The host, lower case (an IPv6 literal in brackets).
    ///
    /// ```
    /// assert_eq!(cookie_contract::csrf::Origin::parse("https://App.Example").unwrap().host(), "app.example");
    /// ```
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port, explicit even when it is the scheme's default.
    ///
    /// ```
    /// use cookie_contract::csrf::Origin;
    /// assert_eq!(Origin::parse("https://app.example").unwrap().port(), 443);
    /// assert_eq!(Origin::parse("http://localhost:3000").unwrap().port(), 3000);
    /// ```
    pub fn port(&self) -> u16 {
        self.port
    }
}

/// The origin as browsers send it in `Origin` and expect it in `Access-Control-Allow-Origin`
/// (RFC 6454 §6.2): the scheme's default port left out.
impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let default = matches!(
            (self.scheme.as_str(), self.port),
            ("http", 80) | ("https", 443)
        );
        if default {
            write!(f, "{}://{}", self.scheme, self.host)
        } else {
            write!(f, "{}://{}:{}", self.scheme, self.host, self.port)
        }
    }
}

/// Layer one's configuration.
///
/// ```
/// use cookie_contract::csrf::{CsrfError, OriginPolicy};
/// use http::{HeaderMap, Method};
/// let headers = |pairs: &[(&'static str, &'static str)]| -> HeaderMap {
///     pairs.iter().map(|(k, v)| (http::HeaderName::from_static(k), v.parse().unwrap())).collect()
/// };
/// let policy = OriginPolicy::new("https://app.example").unwrap();
/// let same = headers(&[("sec-fetch-site", "same-origin")]);
/// let old_browser = headers(&[("origin", "https://evil.example")]);
/// assert_eq!(policy.check(&Method::POST, "/api/prefs", &same), Ok(()));
/// assert_eq!(policy.check(&Method::GET, "/", &old_browser), Ok(())); // safe methods pass
/// assert_eq!(policy.check(&Method::POST, "/api/prefs", &old_browser), Err(CsrfError::ForeignOrigin));
/// ```
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
    ///
    /// ```
    /// use cookie_contract::csrf::OriginPolicy;
    /// assert!(OriginPolicy::new("https://app.example").is_ok());
    /// assert!(OriginPolicy::new("app.example").is_err());
    /// ```
    pub fn new(public_origin: &str) -> Result<Self, CsrfError> {
        Ok(Self::for_origin(Origin::parse(public_origin)?))
    }

    /// [`OriginPolicy::new`] for an origin already parsed (from configuration, say).
    ///
    /// ```
    /// use cookie_contract::csrf::{Origin, OriginPolicy};
    /// let origin = Origin::parse("https://app.example").unwrap(); // parsed once, from configuration
    /// let policy = OriginPolicy::for_origin(origin);
    /// # let _ = policy;
    /// ```
    pub fn for_origin(public_origin: Origin) -> Self {
        OriginPolicy {
            origins: vec![public_origin],
            allow_same_site: false,
            strict: false,
            report_only: false,
            bypass: Vec::new(),
        }
    }

    /// Also accept state changes from `origin` (a sibling application that calls this one with
    /// the visitor's cookies, through CORS): a request whose single `Origin` header is exactly
    /// this origin (scheme, host and port) passes, whatever its `Sec-Fetch-Site` says, as Go's
    /// `CrossOriginProtection.AddTrustedOrigin` does. Pair it with a session-bound token.
    ///
    /// # Errors
    /// [`CsrfError::MalformedOrigin`] when it does not parse.
    ///
    /// ```
    /// use cookie_contract::csrf::{CsrfError, OriginPolicy};
    /// use http::{HeaderMap, Method};
    /// let headers = |pairs: &[(&'static str, &'static str)]| -> HeaderMap {
    ///     pairs.iter().map(|(k, v)| (http::HeaderName::from_static(k), v.parse().unwrap())).collect()
    /// };
    /// let policy = OriginPolicy::new("https://app.example")
    ///     .unwrap()
    ///     .allow_origin("https://admin.example")
    ///     .unwrap();
    /// let partner = headers(&[("origin", "https://admin.example"), ("sec-fetch-site", "same-site")]);
    /// assert_eq!(policy.check(&Method::POST, "/api", &partner), Ok(()));
    /// ```
    pub fn allow_origin(mut self, origin: &str) -> Result<Self, CsrfError> {
        self.origins.push(Origin::parse(origin)?);
        Ok(self)
    }

    /// Accept `Sec-Fetch-Site: same-site` (sibling subdomains you trust). Off by default.
    ///
    /// ```
    /// use cookie_contract::csrf::{CsrfError, OriginPolicy};
    /// use http::{HeaderMap, Method};
    /// let headers = |pairs: &[(&'static str, &'static str)]| -> HeaderMap {
    ///     pairs.iter().map(|(k, v)| (http::HeaderName::from_static(k), v.parse().unwrap())).collect()
    /// };
    /// let sibling = headers(&[("sec-fetch-site", "same-site")]);
    /// let policy = OriginPolicy::new("https://app.example").unwrap();
    /// assert_eq!(policy.check(&Method::POST, "/", &sibling), Err(CsrfError::CrossOrigin));
    /// let policy = policy.allow_same_site(true);
    /// assert_eq!(policy.check(&Method::POST, "/", &sibling), Ok(()));
    /// ```
    pub fn allow_same_site(mut self, allow: bool) -> Self {
        self.allow_same_site = allow;
        self
    }

    /// Refuse state changes that carry neither `Sec-Fetch-Site` nor `Origin` (OWASP's fail-safe
    /// for sensitive endpoints). Off by default: such requests come from non-browser clients,
    /// which CSRF cannot forge.
    ///
    /// ```
    /// use cookie_contract::csrf::{CsrfError, OriginPolicy};
    /// use http::{HeaderMap, Method};
    /// let headers = |pairs: &[(&'static str, &'static str)]| -> HeaderMap {
    ///     pairs.iter().map(|(k, v)| (http::HeaderName::from_static(k), v.parse().unwrap())).collect()
    /// };
    /// let bare = HeaderMap::new(); // curl, a server-to-server call
    /// let policy = OriginPolicy::new("https://app.example").unwrap();
    /// assert_eq!(policy.check(&Method::POST, "/", &bare), Ok(()));
    /// let policy = policy.strict(true);
    /// assert_eq!(policy.check(&Method::POST, "/", &bare), Err(CsrfError::NoOrigin));
    /// ```
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Log what would be refused (through `tracing`) instead of refusing it: for rolling out.
    ///
    /// ```
    /// use cookie_contract::csrf::OriginPolicy;
    /// let policy = OriginPolicy::new("https://app.example").unwrap().report_only(true);
    /// assert!(policy.is_report_only());
    /// ```
    pub fn report_only(mut self, report_only: bool) -> Self {
        self.report_only = report_only;
        self
    }

    /// Exempt exactly `path` (a webhook, say). Only an identical path matches: no prefixes, no
    /// patterns, no normalisation.
    ///
    /// ```
    /// use cookie_contract::csrf::{CsrfError, OriginPolicy};
    /// use http::{HeaderMap, Method};
    /// let headers = |pairs: &[(&'static str, &'static str)]| -> HeaderMap {
    ///     pairs.iter().map(|(k, v)| (http::HeaderName::from_static(k), v.parse().unwrap())).collect()
    /// };
    /// let policy = OriginPolicy::new("https://app.example").unwrap().bypass("/webhooks/stripe");
    /// let cross = headers(&[("sec-fetch-site", "cross-site")]);
    /// assert_eq!(policy.check(&Method::POST, "/webhooks/stripe", &cross), Ok(()));
    /// assert!(policy.check(&Method::POST, "/webhooks/stripe/", &cross).is_err()); // exact paths only
    /// ```
    pub fn bypass(mut self, path: &str) -> Self {
        self.bypass.push(path.to_owned());
        self
    }

    /// Whether this policy only reports.
    ///
    /// ```
    /// use cookie_contract::csrf::OriginPolicy;
    /// assert!(!OriginPolicy::new("https://app.example").unwrap().is_report_only());
    /// ```
    pub fn is_report_only(&self) -> bool {
        self.report_only
    }

    /// Whether the request's one `Origin` header is exactly an origin added with
    /// [`OriginPolicy::allow_origin`] (the public origin needs no exception: its requests are
    /// `same-origin`).
    fn is_trusted_origin(&self, headers: &HeaderMap) -> bool {
        let mut values = headers.get_all(http::header::ORIGIN).iter();
        let (Some(value), None) = (values.next(), values.next()) else {
            return false;
        };
        let Some(origin) = value.to_str().ok().and_then(|o| Origin::parse(o).ok()) else {
            return false;
        };
        self.origins[1..].contains(&origin)
    }

    /// Decides one request.
    ///
    /// # Errors
    /// The [`CsrfError`] that refuses it.
    ///
    /// ```
    /// use cookie_contract::csrf::{CsrfError, OriginPolicy};
    /// use http::{HeaderMap, Method};
    /// let headers = |pairs: &[(&'static str, &'static str)]| -> HeaderMap {
    ///     pairs.iter().map(|(k, v)| (http::HeaderName::from_static(k), v.parse().unwrap())).collect()
    /// };
    /// let policy = OriginPolicy::new("https://app.example").unwrap();
    /// let form = headers(&[("sec-fetch-site", "same-origin"), ("origin", "https://app.example")]);
    /// assert_eq!(policy.check(&Method::POST, "/api/login", &form), Ok(()));
    /// let forged = headers(&[("sec-fetch-site", "cross-site"), ("origin", "https://evil.example")]);
    /// assert_eq!(policy.check(&Method::DELETE, "/api/account", &forged), Err(CsrfError::CrossOrigin));
    /// ```
    pub fn check(&self, method: &Method, path: &str, headers: &HeaderMap) -> Result<(), CsrfError> {
        if is_safe(method) || self.bypass.iter().any(|b| b == path) {
            return Ok(());
        }
        if self.is_trusted_origin(headers) {
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
    fn origins_parse_strictly() {
        assert_eq!(
            Origin::parse("HTTPS://Example.COM").unwrap(),
            Origin::parse("https://example.com:443").unwrap()
        );
        assert_eq!(
            Origin::parse("http://[::1]:3000").unwrap().to_string(),
            "http://[::1]:3000"
        );
        // Printed as browsers send it: the default port left out.
        assert_eq!(
            Origin::parse("https://example.com:443")
                .unwrap()
                .to_string(),
            "https://example.com"
        );
        assert_eq!(
            Origin::parse("http://example.com:8443")
                .unwrap()
                .to_string(),
            "http://example.com:8443"
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

    #[test]
    fn a_trusted_origin_passes_whatever_sec_fetch_site_says() {
        let p = policy().allow_origin("https://admin.example.com").unwrap();
        let post = Method::POST;
        let from = |origin: &str, site: &str| {
            p.check(
                &post,
                "/x",
                &headers(&[("origin", origin), ("sec-fetch-site", site)]),
            )
        };
        assert_eq!(from("https://admin.example.com", "cross-site"), Ok(()));
        assert_eq!(from("https://admin.example.com:443", "same-site"), Ok(()));
        assert_eq!(
            from("https://admin.example.com:8443", "cross-site"),
            Err(CsrfError::CrossOrigin)
        );
        assert_eq!(
            from("http://admin.example.com", "cross-site"),
            Err(CsrfError::CrossOrigin)
        );
        assert_eq!(
            from("https://evil.example", "cross-site"),
            Err(CsrfError::CrossOrigin)
        );
        // Two Origin headers: neither is trusted.
        let two = headers(&[
            ("origin", "https://admin.example.com"),
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ]);
        assert_eq!(p.check(&post, "/x", &two), Err(CsrfError::CrossOrigin));
        // Without allow_origin, the same request is refused.
        assert_eq!(
            policy().check(
                &post,
                "/x",
                &headers(&[
                    ("origin", "https://admin.example.com"),
                    ("sec-fetch-site", "cross-site")
                ])
            ),
            Err(CsrfError::CrossOrigin)
        );
    }
}
