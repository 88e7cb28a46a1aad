//! Migrating from axum-extra's `SignedCookieJar` without logging anyone out: with the old
//! cookie-rs key on the ring, a value it signed is accepted and re-issued in this crate's format
//! with the current key in the same response; without it, or tampered, it is refused.

use axum_extra::extract::cookie::{Cookie, Key, SignedCookieJar};
use cookie_contract::{KeyRing, SessionToken};
use cookie_contract_harness::http::cookie_pair;
use cookie_contract_tests::AppCookiesJar;
use http::HeaderMap;
use http::header::{COOKIE, SET_COOKIE};

const OLD_MASTER: [u8; 64] = [7; 64];
const NEW_SECRET: &[u8] = b"the new secret of this application, 32+";

/// What a browser holding axum-extra's signed `__Host-session` sends back: the `Set-Cookie`
/// value axum-extra wrote (percent-encoded), as a `Cookie` header.
fn axum_extra_session(token: &SessionToken) -> HeaderMap {
    let jar = SignedCookieJar::new(Key::from(&OLD_MASTER))
        .add(Cookie::new("__Host-session", token.to_base64()));
    let mut response = HeaderMap::new();
    for c in jar.into_response_parts_headers() {
        response.append(SET_COOKIE, c);
    }
    let line = response[SET_COOKIE].to_str().unwrap().to_owned();
    let mut request = HeaderMap::new();
    request.insert(COOKIE, cookie_pair(&line).parse().unwrap());
    request
}

trait ResponseHeaders {
    fn into_response_parts_headers(self) -> Vec<http::HeaderValue>;
}

impl ResponseHeaders for SignedCookieJar {
    fn into_response_parts_headers(self) -> Vec<http::HeaderValue> {
        use axum::response::IntoResponse;
        self.into_response()
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .cloned()
            .collect()
    }
}

#[test]
fn a_value_axum_extra_signed_is_accepted_and_reissued_in_our_format() {
    let token = SessionToken::new();
    let request = axum_extra_session(&token);
    let ring = KeyRing::new(NEW_SECRET)
        .unwrap()
        .with_legacy_cookie_key(&Key::from(&OLD_MASTER));
    assert!(ring.has_legacy_cookie_key());
    let jar = AppCookiesJar::from_headers(&request, &ring);
    assert_eq!(jar.session(), Some(token.clone()), "logged in as before");

    // Re-issued in this crate's format, signed with the current key, in the same response.
    let lines = jar.set_cookie_headers();
    assert_eq!(lines.len(), 1);
    let line = lines[0].to_str().unwrap();
    assert!(
        line.ends_with("; Path=/; Max-Age=28800; HttpOnly; Secure; SameSite=Lax"),
        "{line}"
    );
    let mut again = HeaderMap::new();
    again.insert(COOKIE, cookie_pair(line).parse().unwrap());
    let current_only = KeyRing::new(NEW_SECRET).unwrap();
    assert_eq!(
        AppCookiesJar::from_headers(&again, &current_only).session(),
        Some(token),
        "the re-issued cookie needs no legacy key"
    );
}

#[test]
fn without_the_legacy_key_or_tampered_the_value_is_refused() {
    let token = SessionToken::new();
    let request = axum_extra_session(&token);
    // The legacy key retired: one line of configuration.
    let retired = KeyRing::new(NEW_SECRET).unwrap();
    assert_eq!(
        AppCookiesJar::from_headers(&request, &retired).session(),
        None
    );

    // Another cookie-rs key.
    let other = KeyRing::new(NEW_SECRET)
        .unwrap()
        .with_legacy_cookie_key(&Key::from(&[8; 64]));
    assert_eq!(
        AppCookiesJar::from_headers(&request, &other).session(),
        None
    );

    // The right key, but one character of the value changed.
    let ring = KeyRing::new(NEW_SECRET)
        .unwrap()
        .with_legacy_cookie_key(&Key::from(&OLD_MASTER));
    let raw = request[COOKIE].to_str().unwrap().to_owned();
    let last = raw.chars().last().unwrap();
    let tampered = format!(
        "{}{}",
        &raw[..raw.len() - 1],
        if last == 'A' { 'B' } else { 'A' }
    );
    let mut h = HeaderMap::new();
    h.insert(COOKIE, tampered.parse().unwrap());
    assert_eq!(AppCookiesJar::from_headers(&h, &ring).session(), None);
    assert_eq!(
        AppCookiesJar::from_headers(&request, &ring).session(),
        Some(token)
    );
}
