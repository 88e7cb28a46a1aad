//! The benchmarks compare like with like: every contender produces the same cookie from the
//! same input, and ours allocates what BENCHMARKS.md says (counted per thread).

#[path = "../benches/fixtures.rs"]
mod fixtures;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use axum::response::IntoResponse;
use cookie_contract::signing::Verified;
use cookie_contract::{CookieValue, SessionToken};
use fixtures::*;

/// Allocations per read of the other contenders, as measured (and reported in BENCHMARKS.md).
const READ_SPLIT_ALLOCATIONS: usize = 0;
const READ_JAR_ALLOCATIONS: usize = 24;
const READ_AXUM_EXTRA_ALLOCATIONS: usize = 37;
use http::{HeaderMap, HeaderValue};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by one call of `f` on this thread, after a warm-up call.
fn allocations(mut f: impl FnMut()) -> usize {
    f();
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

fn parse(v: &HeaderValue) -> cookie::Cookie<'static> {
    cookie::Cookie::parse(v.to_str().unwrap().to_owned()).unwrap()
}

#[test]
fn set_cookie_contenders_agree() {
    let mut jar = SeedCookiesJar::from_request_headers(&HeaderMap::new());
    jar.set_session(&SIGNED_SHAPE.to_owned()).unwrap();
    let ours = jar.queued().next().unwrap().clone();
    assert_eq!(ours.len(), 157, "the baseline's 157-byte line");
    let theirs = HeaderValue::try_from(cookie_rs_session(SIGNED_SHAPE).to_string()).unwrap();
    let extra = axum_extra::extract::cookie::CookieJar::new()
        .add(cookie_rs_session(SIGNED_SHAPE))
        .into_response();
    let extra = extra.headers().get(http::header::SET_COOKIE).unwrap();
    let (a, b, c) = (parse(&ours), parse(&theirs), parse(extra));
    for other in [&b, &c] {
        assert_eq!(
            (
                a.name(),
                a.value(),
                a.path(),
                a.max_age(),
                a.http_only(),
                a.secure(),
                a.same_site()
            ),
            (
                other.name(),
                other.value(),
                other.path(),
                other.max_age(),
                other.http_only(),
                other.secure(),
                other.same_site()
            )
        );
    }
}

#[test]
fn clear_cookie_contenders_agree() {
    let mut jar = SeedCookiesJar::from_request_headers(&HeaderMap::new());
    jar.clear_session();
    let ours = parse(jar.queued().next().unwrap());
    let mut c = cookie_rs_session("");
    c.make_removal();
    let theirs = parse(&HeaderValue::try_from(c.to_string()).unwrap());
    assert_eq!(
        (
            ours.name(),
            ours.value(),
            ours.path(),
            ours.max_age(),
            ours.secure(),
            ours.http_only(),
            ours.same_site()
        ),
        (
            theirs.name(),
            theirs.value(),
            theirs.path(),
            theirs.max_age(),
            theirs.secure(),
            theirs.http_only(),
            theirs.same_site()
        )
    );
}

#[test]
fn read_contenders_agree() {
    let raw = header_with(PAYLOAD);
    assert!(
        (1_000..1_300).contains(&raw.len()),
        "a realistic ~1.2 KB header: {}",
        raw.len()
    );
    assert_eq!(raw.matches("; ").count() + 1, 20);
    let headers = request(raw.clone());
    let jar = ReadCookiesJar::from_request_headers(&headers);
    assert_eq!(jar.session().unwrap().to_base64(), PAYLOAD);
    assert_eq!(jar.csrf().unwrap().to_base64(), CSRF_VALUE);
    assert_eq!(jar.theme(), Some(Theme::Dark));
    let extra = axum_extra::extract::cookie::CookieJar::from_headers(&headers);
    assert_eq!(extra.get("__Host-session").unwrap().value(), PAYLOAD);
    assert_eq!(extra.get("__Host-csrf").unwrap().value(), CSRF_VALUE);
    assert_eq!(extra.get("theme").unwrap().value(), "dark");
    let mut cjar = cookie::CookieJar::new();
    for c in cookie::Cookie::split_parse(raw.as_str()).flatten() {
        cjar.add_original(c.into_owned());
    }
    assert_eq!(cjar.get("__Host-session").unwrap().value(), PAYLOAD);
}

#[test]
fn signed_contenders_agree() {
    let keys = keys();
    let ours = request(header_with(&our_signed_value()));
    assert_eq!(
        SignedCookiesJar::from_headers(&ours, &keys)
            .session()
            .unwrap()
            .to_base64(),
        PAYLOAD
    );
    let theirs = request(header_with(&cookie_rs_signed_wire_value()));
    let jar = axum_extra::extract::cookie::SignedCookieJar::from_headers(&theirs, cookie_key());
    assert_eq!(jar.get("__Host-session").unwrap().value(), PAYLOAD);
    let signed = our_signed_value();
    let (payload, mac) = signed.split_once('.').unwrap();
    assert_eq!(payload, PAYLOAD);
    assert_eq!(
        keys.verify("__Host-session", payload.as_bytes(), mac.as_bytes()),
        Verified::Current
    );
}

#[test]
fn encrypted_contenders_agree() {
    use cookie_contract::CookieValue;
    let keys = keys();
    let ours = request(header_with(&our_sealed_value()));
    assert_eq!(
        SealedCookiesJar::from_headers(&ours, &keys).session(),
        Some(token())
    );
    let theirs = request(header_with(&axum_extra_private_wire_value()));
    let jar = axum_extra::extract::cookie::PrivateCookieJar::from_headers(&theirs, cookie_key());
    assert_eq!(
        jar.get("__Host-session")
            .and_then(|c| cookie_contract::SessionToken::decode(c.value()).ok()),
        Some(token())
    );
    // Both seals carry the session, neither shows it.
    assert!(!our_sealed_value().contains(PAYLOAD));
    assert!(!axum_extra_private_wire_value().contains(PAYLOAD));
    // `seal`: both responses set the session with the same attributes, sealed.
    let mut ours = SealedCookiesJar::from_headers(&HeaderMap::new(), &keys);
    ours.set_session(&token()).unwrap();
    let ours = parse(&ours.into_response().headers()[http::header::SET_COOKIE]);
    let theirs = axum_extra::extract::cookie::PrivateCookieJar::new(cookie_key())
        .add(cookie_rs_session(PAYLOAD))
        .into_response();
    let theirs = parse(&theirs.headers()[http::header::SET_COOKIE]);
    for c in [&ours, &theirs] {
        assert_eq!(c.name(), "__Host-session");
        assert_eq!(
            (c.path(), c.http_only(), c.secure(), c.same_site()),
            (
                Some("/"),
                Some(true),
                Some(true),
                Some(cookie::SameSite::Lax)
            )
        );
        assert_eq!(c.max_age(), Some(cookie::time::Duration::hours(8)));
        assert!(!c.value().contains(PAYLOAD));
    }
}

/// `read_cookies`, like for like: every contender gives the same typed values from the same
/// `HeaderMap`, and allocates exactly what BENCHMARKS.md reports (counted on the very functions
/// the benchmark runs).
#[test]
fn read_contenders_agree_and_allocate_as_reported() {
    let headers = request(header_with(PAYLOAD));
    let expected = (
        Some(token()),
        SessionToken::decode(CSRF_VALUE).ok(),
        Some(Theme::Dark),
    );
    let contenders: [(&str, ReadThree, usize); 4] = [
        ("cookie_contract", read_ours, 0),
        (
            "cookie_rs_split_parse",
            read_cookie_rs_split,
            READ_SPLIT_ALLOCATIONS,
        ),
        ("cookie_rs_jar", read_cookie_rs_jar, READ_JAR_ALLOCATIONS),
        ("axum_extra", read_axum_extra, READ_AXUM_EXTRA_ALLOCATIONS),
    ];
    for (id, read, allocs) in contenders {
        assert_eq!(read(&headers), expected, "{id}");
        assert_eq!(
            allocations(|| {
                std::hint::black_box(read(&headers));
            }),
            allocs,
            "{id}"
        );
    }
}

#[test]
fn our_allocation_counts() {
    let value = SIGNED_SHAPE.to_owned();
    let mut jar = SeedCookiesJar::from_request_headers(&HeaderMap::new());
    assert_eq!(
        allocations(|| jar.set_session(&value).unwrap()),
        1,
        "set_f: the header itself"
    );
    assert_eq!(
        allocations(|| jar.clear_session()),
        0,
        "clear_f: a static header"
    );
    let headers = request(header_with(PAYLOAD));
    assert_eq!(
        allocations(|| {
            let jar = ReadCookiesJar::from_request_headers(&headers);
            std::hint::black_box((jar.session(), jar.csrf(), jar.theme()));
        }),
        0,
        "reading unsigned values"
    );
    let keys = keys();
    let signed = request(header_with(&our_signed_value()));
    assert_eq!(
        allocations(|| {
            std::hint::black_box(SignedCookiesJar::from_headers(&signed, &keys).session());
        }),
        0,
        "reading and verifying the signed session"
    );
    let sealed = request(header_with(&our_sealed_value()));
    assert_eq!(
        allocations(|| {
            std::hint::black_box(SealedCookiesJar::from_headers(&sealed, &keys).session());
        }),
        1,
        "opening the encrypted session: the plaintext"
    );
}
