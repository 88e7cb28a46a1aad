//! Headers every response carries, so a page of this app cannot be framed, sniffed into another
//! type, cached with someone's data in it, leak its URL to other sites, or (on https) be fetched
//! over plain http again.
//!
//! The pages have no scripts and no inline styles (the style sheet is `/style.css`), so the
//! Content-Security-Policy can be strict: nothing but same-origin styles and images, forms only to
//! this origin, no framing by anyone (`frame-ancestors 'none'`, with `X-Frame-Options: DENY` for
//! older browsers).

use axum::extract::State;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;
use cookie_contract::csrf::Origin;

/// The policy for every response.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// HSTS for two years, subdomains included, sent only when the public origin is https on a
/// real host name (a browser ignores it over http; see [`SecurityHeaders::for_origin`]).
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// What the layer needs to know: whether to pin the site to https.
#[derive(Clone, Copy, Debug)]
pub struct SecurityHeaders {
    hsts: bool,
}

impl SecurityHeaders {
    /// The headers for a site whose public origin is `origin`: HSTS when it is https, except on
    /// a loopback host. A browser keeps HSTS per host name whatever the port, so `TLS=dev` on
    /// `https://localhost:3443` would pin every development server on `localhost` to https for
    /// two years; user agents ignore HSTS from IP-literal hosts anyway (RFC 6797 §8.1).
    pub fn for_origin(origin: &Origin) -> Self {
        SecurityHeaders {
            hsts: origin.scheme() == "https" && !is_loopback(origin.host()),
        }
    }
}

/// `localhost`, a name under it, or a loopback address (IPv6 in brackets, as origins write it).
fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Adds the headers to `res`. A handler's own `Cache-Control` (the public PDF) is kept; every
/// other response is `no-store`, because pages show the e-mail address and carry CSRF tokens.
pub async fn apply(State(cfg): State<SecurityHeaders>, mut res: Response) -> Response {
    let h = res.headers_mut();
    let fixed: [(HeaderName, &'static str); 5] = [
        (CONTENT_SECURITY_POLICY, CSP),
        (X_FRAME_OPTIONS, "DENY"),
        (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (REFERRER_POLICY, "no-referrer"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    for (name, value) in fixed {
        h.insert(name, HeaderValue::from_static(value));
    }
    if cfg.hsts {
        h.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    if !h.contains_key(CACHE_CONTROL) {
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsts_only_for_https_on_a_real_host() {
        let hsts = |origin: &str| SecurityHeaders::for_origin(&Origin::parse(origin).unwrap()).hsts;
        assert!(hsts("https://app.example"));
        assert!(hsts("https://localhost.example.com:8443"));
        for local in [
            "http://app.example",
            "https://localhost:3443",
            "https://dev.localhost",
            "https://127.0.0.1:3443",
            "https://127.8.9.10",
            "https://[::1]:3443",
        ] {
            assert!(!hsts(local), "{local}");
        }
    }
}
