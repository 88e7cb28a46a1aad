//! Inputs shared by every contender in the benchmarks (and checked in `tests/bench_fixtures.rs`
//! to give the same values everywhere).
#![allow(dead_code)]

use std::sync::LazyLock;

use axum::response::IntoResponse;
use cookie_contract::{ConsentRecord, CookieContract, CookieValue, KeyRing, SessionToken};
use http::header::SET_COOKIE;
use http::{HeaderMap, HeaderValue};

/// The 43-character session payload (32 bytes, base64url).
pub const PAYLOAD: &str = "q3Zr0yK8w1xV7mQpL2sT9uH4cN6bJ5eR0aW8dF1gY2k";
/// Our signed value shape, `<43>.<43>` (87 characters): the seed's set-cookie input.
pub const SIGNED_SHAPE: &str =
    "q3Zr0yK8w1xV7mQpL2sT9uH4cN6bJ5eR0aW8dF1gY2k.Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx";
/// Key material: 64 bytes, because cookie-rs's `Key::from` needs that many.
pub const KEY: [u8; 64] = *b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// The seed's session cookie (unsigned: the value is given), for set/clear.
#[derive(CookieContract)]
pub struct SeedCookies {
    #[cookie(
        name = "__Host-session",
        purpose = "authentication",
        secure,
        http_only,
        same_site = "lax",
        path = "/",
        max_age = "8h"
    )]
    pub session: String,
}

/// Three declared cookies read from a 20-cookie header; values that decode without allocating.
#[derive(CookieContract)]
pub struct ReadCookies {
    #[cookie(
        name = "__Host-session",
        purpose = "authentication",
        secure,
        http_only,
        same_site = "lax",
        max_age = "8h"
    )]
    pub session: SessionToken,
    #[cookie(
        name = "__Host-csrf",
        purpose = "security",
        secure,
        http_only,
        same_site = "strict",
        max_age = "8h"
    )]
    pub csrf: SessionToken,
    #[cookie(
        name = "theme",
        purpose = "essential",
        secure,
        same_site = "lax",
        max_age = "365d"
    )]
    pub theme: Theme,
}

/// The signed session.
#[derive(CookieContract)]
pub struct SignedCookies {
    #[cookie(
        name = "__Host-session",
        purpose = "authentication",
        secure,
        http_only,
        same_site = "lax",
        max_age = "8h",
        signed
    )]
    pub session: SessionToken,
}

/// The session, encrypted: what `read_encrypted` and `seal` measure.
#[derive(CookieContract)]
pub struct SealedCookies {
    #[cookie(
        name = "__Host-session",
        purpose = "authentication",
        secure,
        http_only,
        same_site = "lax",
        max_age = "8h",
        encrypted
    )]
    pub session: SessionToken,
}

/// The audit layer's inventory.
#[derive(CookieContract)]
pub struct AuditCookies {
    #[cookie(
        name = "__Host-session",
        purpose = "authentication",
        secure,
        http_only,
        same_site = "lax",
        max_age = "8h"
    )]
    pub session: String,
    #[cookie(
        name = "__Host-consent",
        purpose = "consent",
        secure,
        http_only,
        same_site = "lax",
        max_age = "180d",
        signed
    )]
    pub consent: ConsentRecord,
    #[cookie(
        name = "theme",
        purpose = "preferences",
        secure,
        same_site = "lax",
        max_age = "365d"
    )]
    pub theme: Theme,
    #[cookie(
        name = "_ga",
        purpose = "analytics",
        secure,
        same_site = "lax",
        max_age = "390d"
    )]
    pub ga: String,
}

#[derive(CookieValue, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

pub const CSRF_VALUE: &str = "Xk9fR2mB7qL0zT4vN8wE1yH6cJ3sA5dG9uP2oI7rK0A";

/// A realistic 20-cookie request header with the session last (the worst case for a scan);
/// `session` is the session cookie's value as sent.
pub fn header_with(session: &str) -> String {
    [
        "_ga=GA1.1.1418722390.1764201234".to_owned(),
        "_gid=GA1.2.1937204410.1764201234".to_owned(),
        "_ga_7QX2L9KM3P=GS1.1.1764201234.3.1.1764203456.0.0.0".to_owned(),
        "theme=dark".to_owned(),
        "locale=en-GB".to_owned(),
        "_fbp=fb.1.1764201234567.1122334455".to_owned(),
        "_hjSessionUser_3141592=eyJpZCI6IjQ2YzI5ZjliLTg4NmQtNTU3MC1hZGI3LWJlN2Q0ZmE2ZTNkMSIsImNyZWF0ZWQiOjE3NjQyMDEyMzQ1NjcsImV4aXN0aW5nIjp0cnVlfQ==".to_owned(),
        "_hjSession_3141592=eyJpZCI6IjE5ZTk1YmZiLTc2ZmMtNDJhNi1hYjQxLTg1ZjM5NTI0N2VhNCIsImMiOjE3NjQyMDEyMzQ1NjcsInMiOjAsInIiOjAsInNiIjowfQ==".to_owned(),
        "ajs_anonymous_id=%22b1f2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d%22".to_owned(),
        "intercom-id-k7z9p2=0d4c6e1a-7b2f-4e8d-9a3c-5f1b2d6e8a0c".to_owned(),
        "intercom-session-k7z9p2=".to_owned(),
        "_clck=1x2y3z4%7C2%7Cfq1%7C0%7C1791".to_owned(),
        "_clsk=a1b2c3d4e5f6%7C1764203456789%7C3%7C1%7Cz.clarity.ms%2Fcollect".to_owned(),
        format!("__Host-csrf={CSRF_VALUE}"),
        "cookieconsent_status=dismiss".to_owned(),
        "MUID=1A2B3C4D5E6F708192A3B4C5D6E7F809".to_owned(),
        "_uetvid=5c1a7e90cb1b11f0a1b2c3d4e5f60718".to_owned(),
        "AMP_MKTG_8f1ede8e9c=JTdCJTIycmVmZXJyZXIlMjIlM0ElMjJodHRwcyUzQSUyRiUyRnd3dy5nb29nbGUuY29tJTJGJTIyJTdE".to_owned(),
        "_gcl_au=1.1.1928374650.1764201234".to_owned(),
        format!("__Host-session={session}"),
    ]
    .join("; ")
}

/// `HeaderValue` backed by shared bytes, as hyper hands them to a server: cloning it is a
/// reference-count increment, not a copy.
pub fn shared_header(value: String) -> HeaderValue {
    let v = HeaderValue::from_maybe_shared(bytes::Bytes::from(value)).unwrap();
    // The first clone of `Bytes` made from a `Vec` promotes it to the shared representation;
    // do it here so the measured clones are what a server sees.
    let _ = v.clone();
    v
}

pub fn request(value: String) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(http::header::COOKIE, shared_header(value));
    h
}

pub fn keys() -> KeyRing {
    KeyRing::new(&KEY).unwrap()
}

pub fn cookie_key() -> cookie::Key {
    cookie::Key::from(&KEY)
}

/// The session token the headers carry.
pub fn token() -> SessionToken {
    SessionToken::decode(PAYLOAD).unwrap()
}

/// Our signed session value for `PAYLOAD`, as sent back by a browser.
pub fn our_signed_value() -> String {
    let mut jar = SignedCookiesJar::from_headers(&HeaderMap::new(), &keys());
    jar.set_session(&token()).unwrap();
    wire_value(&jar.set_cookie_headers()[0])
}

/// The key ring and cookie-rs key of every keyed contender (built once: applications hold them
/// in their state; axum-extra's jars take a clone of theirs per request, as its extractors do).
pub static KEYS: LazyLock<KeyRing> = LazyLock::new(keys);
pub static COOKIE_KEY: LazyLock<cookie::Key> = LazyLock::new(cookie_key);

/// cookie-rs's signed value for `PAYLOAD`, percent-encoded as axum-extra sends it (and so as the
/// browser returns it).
pub fn cookie_rs_signed_wire_value() -> String {
    let mut jar = cookie::CookieJar::new();
    jar.signed_mut(&cookie_key())
        .add(cookie::Cookie::new("__Host-session", PAYLOAD));
    let c = jar.get("__Host-session").unwrap().clone();
    c.encoded()
        .to_string()
        .split_once('=')
        .unwrap()
        .1
        .to_owned()
}

/// The seed's `Set-Cookie` built with cookie-rs, owning its value (what axum-extra's jars take).
pub fn cookie_rs_session(value: &str) -> cookie::Cookie<'static> {
    cookie_rs_session_borrowed(value).into_owned()
}

/// The seed's `Set-Cookie` built with cookie-rs, borrowing its value (cookie-rs alone needs no
/// copy).
pub fn cookie_rs_session_borrowed(value: &str) -> cookie::Cookie<'_> {
    cookie::Cookie::build(("__Host-session", value))
        .path("/")
        .max_age(cookie::time::Duration::hours(8))
        .http_only(true)
        .secure(true)
        .same_site(cookie::SameSite::Lax)
        .build()
}

/// Our sealed session value for `PAYLOAD`, as sent back by a browser.
pub fn our_sealed_value() -> String {
    let mut jar = SealedCookiesJar::from_headers(&HeaderMap::new(), &keys());
    jar.set_session(&token()).unwrap();
    wire_value(&jar.set_cookie_headers()[0])
}

/// axum-extra's `PrivateCookieJar` value for `PAYLOAD`, as its `Set-Cookie` sends it (and so as
/// the browser returns it).
pub fn axum_extra_private_wire_value() -> String {
    use axum::response::IntoResponse;
    let jar = axum_extra::extract::cookie::PrivateCookieJar::new(cookie_key())
        .add(cookie::Cookie::new("__Host-session", PAYLOAD));
    wire_value(&jar.into_response().headers()[http::header::SET_COOKIE])
}

/// The value of a `Set-Cookie` line, as the browser sends it back.
fn wire_value(line: &HeaderValue) -> String {
    let pair = line.to_str().unwrap().split(';').next().unwrap();
    pair.split_once('=').unwrap().1.to_owned()
}

/// What every `read_cookies` contender returns: the three cookies, decoded to the same types.
pub type ThreeCookies = (Option<SessionToken>, Option<SessionToken>, Option<Theme>);

/// A `read_cookies` contender.
pub type ReadThree = fn(&HeaderMap) -> ThreeCookies;

/// Ours: the generated jar over the request's headers.
pub fn read_ours(headers: &HeaderMap) -> ThreeCookies {
    let jar = ReadCookiesJar::from_request_headers(headers);
    (jar.session(), jar.csrf(), jar.theme())
}

/// Keeps `value` in `three` when `name` is one of the three and not seen yet, decoded as ours
/// are.
fn keep(three: &mut ThreeCookies, name: &str, value: &str) {
    match name {
        "__Host-session" if three.0.is_none() => three.0 = SessionToken::decode(value).ok(),
        "__Host-csrf" if three.1.is_none() => three.1 = SessionToken::decode(value).ok(),
        "theme" if three.2.is_none() => three.2 = Theme::decode(value).ok(),
        _ => {}
    }
}

/// cookie-rs at its cheapest: `Cookie::split_parse` over each `Cookie` header, keeping the three
/// names as they pass, no jar and no collection.
pub fn read_cookie_rs_split(headers: &HeaderMap) -> ThreeCookies {
    let mut three = (None, None, None);
    for v in headers.get_all(http::header::COOKIE) {
        let Ok(s) = v.to_str() else { continue };
        for c in cookie::Cookie::split_parse(s).flatten() {
            keep(&mut three, c.name(), c.value());
        }
    }
    three
}

/// cookie-rs as a jar: every cookie of every header into a `CookieJar`, then three lookups.
pub fn read_cookie_rs_jar(headers: &HeaderMap) -> ThreeCookies {
    let mut jar = cookie::CookieJar::new();
    for v in headers.get_all(http::header::COOKIE) {
        if let Ok(s) = v.to_str() {
            for c in cookie::Cookie::split_parse(s).flatten() {
                jar.add_original(c.into_owned());
            }
        }
    }
    lookup_three(|n| jar.get(n).map(|c| c.value()))
}

/// The three cookies through a jar's `get`.
fn lookup_three<'j>(get: impl Fn(&str) -> Option<&'j str>) -> ThreeCookies {
    let mut three = (None, None, None);
    for name in ["__Host-session", "__Host-csrf", "theme"] {
        if let Some(value) = get(name) {
            keep(&mut three, name, value);
        }
    }
    three
}

/// axum-extra's `CookieJar` extractor, then three lookups.
pub fn read_axum_extra(headers: &HeaderMap) -> ThreeCookies {
    let jar = axum_extra::extract::cookie::CookieJar::from_headers(headers);
    lookup_three(|n| jar.get(n).map(|c| c.value()))
}

/// The one `Set-Cookie` of a response.
fn only_set_cookie(mut res: axum::response::Response) -> HeaderValue {
    let value = res.headers_mut().remove(SET_COOKIE);
    value.expect("the response sets the cookie")
}

/// A `set_cookie` contender: the request's headers and the value in, the validated
/// `Set-Cookie` header out, every jar built per request.
#[allow(clippy::ptr_arg)] // the seed cookie's type is `String`; every contender borrows it
pub type SetOne = fn(&HeaderMap, &String) -> HeaderValue;

/// Ours: the jar, the setter, the queued header (cloning it is the one extra allocation: the
/// jar keeps its own).
#[allow(clippy::ptr_arg)]
pub fn set_ours(headers: &HeaderMap, value: &String) -> HeaderValue {
    let mut jar = SeedCookiesJar::from_request_headers(headers);
    jar.set_session(value).unwrap();
    jar.queued().next().unwrap().clone()
}

/// Ours, then the validation `HeaderValue::from_bytes` does, which ours skips on purpose (the
/// name and attributes are checked at compile time, the value as it is encoded).
#[allow(clippy::ptr_arg)]
pub fn set_ours_revalidated(headers: &HeaderMap, value: &String) -> HeaderValue {
    HeaderValue::from_bytes(set_ours(headers, value).as_bytes()).unwrap()
}

/// Ours through `IntoResponse`, as axum-extra must.
#[allow(clippy::ptr_arg)]
pub fn set_ours_response(headers: &HeaderMap, value: &String) -> HeaderValue {
    let mut jar = SeedCookiesJar::from_request_headers(headers);
    jar.set_session(value).unwrap();
    only_set_cookie(jar.into_response())
}

/// cookie-rs needs nothing from the request to set a cookie: build, format, validate.
#[allow(clippy::ptr_arg)]
pub fn set_cookie_rs(_headers: &HeaderMap, value: &String) -> HeaderValue {
    HeaderValue::try_from(cookie_rs_session_borrowed(value).to_string()).unwrap()
}

/// axum-extra: its `CookieJar` extractor (which parses the request's cookies), `add` (which
/// takes an owned cookie), `IntoResponse`.
#[allow(clippy::ptr_arg)]
pub fn set_axum_extra(headers: &HeaderMap, value: &String) -> HeaderValue {
    let jar = axum_extra::extract::cookie::CookieJar::from_headers(headers);
    only_set_cookie(jar.add(cookie_rs_session(value)).into_response())
}

pub const SET_CONTENDERS: [(&str, SetOne); 5] = [
    ("cookie_contract", set_ours),
    ("cookie_contract_revalidated", set_ours_revalidated),
    ("cookie_contract_response", set_ours_response),
    ("cookie_rs", set_cookie_rs),
    ("axum_extra", set_axum_extra),
];

/// A `clear_cookie` contender: the request's headers in, the removal `Set-Cookie` out.
pub type ClearOne = fn(&HeaderMap) -> HeaderValue;

/// Ours: the declared removal is a compile-time header.
pub fn clear_ours(headers: &HeaderMap) -> HeaderValue {
    let mut jar = SeedCookiesJar::from_request_headers(headers);
    jar.clear_session();
    jar.queued().next().unwrap().clone()
}

/// cookie-rs: the cookie with its attributes, `make_removal`, format, validate.
pub fn clear_cookie_rs(_headers: &HeaderMap) -> HeaderValue {
    let mut c = cookie_rs_session_borrowed("");
    c.make_removal();
    HeaderValue::try_from(c.to_string()).unwrap()
}

/// axum-extra: its extractor, `remove` with the cookie's attributes, `IntoResponse`.
pub fn clear_axum_extra(headers: &HeaderMap) -> HeaderValue {
    let jar = axum_extra::extract::cookie::CookieJar::from_headers(headers);
    only_set_cookie(jar.remove(cookie_rs_session("")).into_response())
}

pub const CLEAR_CONTENDERS: [(&str, ClearOne); 3] = [
    ("cookie_contract", clear_ours),
    ("cookie_rs", clear_cookie_rs),
    ("axum_extra", clear_axum_extra),
];

pub const READ_CONTENDERS: [(&str, ReadThree); 4] = [
    ("cookie_contract", read_ours),
    ("cookie_rs_split_parse", read_cookie_rs_split),
    ("cookie_rs_jar", read_cookie_rs_jar),
    ("axum_extra", read_axum_extra),
];

/// A contender reading the signed or encrypted session: the request's headers in (each with
/// the session as its own library writes it), the same `SessionToken` out.
pub type ReadSession = fn(&HeaderMap) -> Option<SessionToken>;

/// The session cookie, as cookie-rs finds it at its cheapest: `split_parse` (no decoding) to
/// the one cookie, then only its value percent-decoded (axum-extra percent-encodes the base64
/// of its signed and private values), owned as cookie-rs's jars require.
fn cookie_rs_find_session(headers: &HeaderMap) -> Option<cookie::Cookie<'static>> {
    for v in headers.get_all(http::header::COOKIE) {
        let Ok(s) = v.to_str() else { continue };
        if let Some(c) = cookie::Cookie::split_parse(s)
            .flatten()
            .find(|c| c.name() == "__Host-session")
        {
            let value = percent_encoding::percent_decode_str(c.value())
                .decode_utf8()
                .ok()?;
            return Some(cookie::Cookie::new("__Host-session", value.into_owned()));
        }
    }
    None
}

/// Ours: the generated jar verifies the one cookie it is asked for.
pub fn read_signed_ours(headers: &HeaderMap) -> Option<SessionToken> {
    SignedCookiesJar::from_headers(headers, &KEYS).session()
}

/// cookie-rs at its cheapest: `split_parse` to the session, then a jar holding that one cookie,
/// read through `view` (cookie-rs verifies and opens only through a jar's view).
fn read_session_cookie_rs(
    headers: &HeaderMap,
    view: fn(&cookie::CookieJar) -> Option<cookie::Cookie<'static>>,
) -> Option<SessionToken> {
    let mut jar = cookie::CookieJar::new();
    jar.add_original(cookie_rs_find_session(headers)?);
    SessionToken::decode(view(&jar)?.value()).ok()
}

/// cookie-rs's `signed` view.
pub fn read_signed_cookie_rs(headers: &HeaderMap) -> Option<SessionToken> {
    read_session_cookie_rs(headers, |jar| jar.signed(&COOKIE_KEY).get("__Host-session"))
}

/// axum-extra's `SignedCookieJar` extractor (a key clone and every cookie parsed), then `get`.
pub fn read_signed_axum_extra(headers: &HeaderMap) -> Option<SessionToken> {
    let jar =
        axum_extra::extract::cookie::SignedCookieJar::from_headers(headers, COOKIE_KEY.clone());
    SessionToken::decode(jar.get("__Host-session")?.value()).ok()
}

pub const READ_SIGNED_CONTENDERS: [(&str, ReadSession); 3] = [
    ("cookie_contract", read_signed_ours),
    ("cookie_rs_split_parse", read_signed_cookie_rs),
    ("axum_extra", read_signed_axum_extra),
];

/// Ours: the generated jar opens the one cookie it is asked for.
pub fn read_sealed_ours(headers: &HeaderMap) -> Option<SessionToken> {
    SealedCookiesJar::from_headers(headers, &KEYS).session()
}

/// cookie-rs's `private` view.
pub fn read_sealed_cookie_rs(headers: &HeaderMap) -> Option<SessionToken> {
    read_session_cookie_rs(headers, |jar| {
        jar.private(&COOKIE_KEY).get("__Host-session")
    })
}

/// axum-extra's `PrivateCookieJar` extractor, then `get`.
pub fn read_sealed_axum_extra(headers: &HeaderMap) -> Option<SessionToken> {
    let jar =
        axum_extra::extract::cookie::PrivateCookieJar::from_headers(headers, COOKIE_KEY.clone());
    SessionToken::decode(jar.get("__Host-session")?.value()).ok()
}

pub const READ_SEALED_CONTENDERS: [(&str, ReadSession); 3] = [
    ("cookie_contract", read_sealed_ours),
    ("cookie_rs_split_parse", read_sealed_cookie_rs),
    ("axum_extra", read_sealed_axum_extra),
];

/// A `seal` contender: the request's headers and the token in, the sealed session's
/// `Set-Cookie` out, through `IntoResponse` on both sides.
pub type SealOne = fn(&HeaderMap, &SessionToken) -> HeaderValue;

pub fn seal_ours(headers: &HeaderMap, token: &SessionToken) -> HeaderValue {
    let mut jar = SealedCookiesJar::from_headers(headers, &KEYS);
    jar.set_session(token).unwrap();
    only_set_cookie(jar.into_response())
}

pub fn seal_axum_extra(headers: &HeaderMap, token: &SessionToken) -> HeaderValue {
    let jar =
        axum_extra::extract::cookie::PrivateCookieJar::from_headers(headers, COOKIE_KEY.clone());
    only_set_cookie(
        jar.add(cookie_rs_session(&token.to_base64()))
            .into_response(),
    )
}

pub const SEAL_CONTENDERS: [(&str, SealOne); 2] = [
    ("cookie_contract", seal_ours),
    ("axum_extra", seal_axum_extra),
];

/// A `verify` contender: one signed value as its library writes it in, whether it verifies
/// for `__Host-session` out.
pub type VerifyOne = fn(&str) -> bool;

/// Ours: `<payload>.<mac>`, the MAC (always 43 characters, so no search for the dot) checked
/// with the cookie's prepared key.
pub fn verify_ours(value: &str) -> bool {
    let Some(dot) = value
        .len()
        .checked_sub(cookie_contract::signing::MAC_B64_LEN + 1)
    else {
        return false;
    };
    let (payload, mac) = value.as_bytes().split_at(dot);
    mac[0] == b'.'
        && KEYS.verify("__Host-session", payload, &mac[1..])
            == cookie_contract::signing::Verified::Current
}

/// cookie-rs verifies only through a jar: one holding the cookie, its `signed` view.
pub fn verify_cookie_rs(value: &str) -> bool {
    let mut jar = cookie::CookieJar::new();
    jar.add_original(cookie::Cookie::new("__Host-session", value.to_owned()));
    jar.signed(&COOKIE_KEY).get("__Host-session").is_some()
}

/// The value each `verify` contender is given (its own library's format, percent-decoded).
pub fn verify_input(id: &str) -> String {
    match id {
        "cookie_contract" => our_signed_value(),
        _ => percent_encoding::percent_decode_str(&cookie_rs_signed_wire_value())
            .decode_utf8()
            .unwrap()
            .into_owned(),
    }
}

pub const VERIFY_CONTENDERS: [(&str, VerifyOne); 2] = [
    ("cookie_contract", verify_ours),
    ("cookie_rs", verify_cookie_rs),
];

/// The request every contender of a group is given: the 20-cookie header with the session as
/// `id`'s library writes it (a plain token for the unsigned groups).
pub fn request_for(group: &str, id: &str) -> HeaderMap {
    let session = match (group, id) {
        ("read_signed_session", "cookie_contract") => our_signed_value(),
        ("read_signed_session", _) => cookie_rs_signed_wire_value(),
        ("read_encrypted", "cookie_contract") => our_sealed_value(),
        ("read_encrypted", _) => axum_extra_private_wire_value(),
        _ => PAYLOAD.to_owned(),
    };
    request(header_with(&session))
}
