//! The benchmarks compare like with like: every contender of a group is one function of
//! `benches/fixtures.rs` (the very function criterion and the allocation count run), given the
//! same input it produces the same cookie or value as ours, and each allocates what
//! BENCHMARKS.md says (counted per thread).

#[path = "../benches/fixtures.rs"]
mod fixtures;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use std::ops::RangeInclusive;

use cookie_contract::{CookieValue, SessionToken};
use fixtures::*;

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

/// The fewest and most allocations one call of `f` made on this thread, over 50 calls after a
/// warm-up call. axum-extra's jars hash with random keys, so their counts vary a little from
/// call to call.
fn allocations(mut f: impl FnMut()) -> RangeInclusive<usize> {
    f();
    let (mut least, mut most) = (usize::MAX, 0);
    for _ in 0..50 {
        let before = ALLOCATIONS.with(Cell::get);
        f();
        let n = ALLOCATIONS.with(Cell::get) - before;
        (least, most) = (least.min(n), most.max(n));
    }
    least..=most
}

/// Allocations per call of every contender, as BENCHMARKS.md reports them:
/// (group, contender, fewest..=most).
const ALLOCATIONS_REPORTED: &[(&str, &str, RangeInclusive<usize>)] = &[
    ("set_cookie", "cookie_contract", 2..=2),
    ("set_cookie", "cookie_contract_revalidated", 3..=3),
    ("set_cookie", "cookie_contract_response", 3..=3),
    ("set_cookie", "cookie_rs", 5..=5),
    ("set_cookie", "axum_extra", 48..=48),
    ("set_cookie_bare_request", "cookie_contract", 2..=2),
    (
        "set_cookie_bare_request",
        "cookie_contract_revalidated",
        3..=3,
    ),
    ("set_cookie_bare_request", "cookie_contract_response", 3..=3),
    ("set_cookie_bare_request", "cookie_rs", 5..=5),
    ("set_cookie_bare_request", "axum_extra", 11..=11),
    ("clear_cookie", "cookie_contract", 0..=0),
    ("clear_cookie", "cookie_rs", 6..=6),
    ("clear_cookie", "axum_extra", 48..=48),
    ("read_cookies", "cookie_contract", 0..=0),
    ("read_cookies", "cookie_rs_split_parse", 0..=0),
    ("read_cookies", "cookie_rs_jar", 24..=24),
    ("read_cookies", "axum_extra", 37..=37),
    ("read_signed_session", "cookie_contract", 0..=0),
    ("read_signed_session", "cookie_rs_split_parse", 7..=7),
    ("read_signed_session", "axum_extra", 51..=51),
    ("read_encrypted", "cookie_contract", 1..=1),
    // Percent-decoding grows its buffer from the first `%`, which falls elsewhere in each run's
    // randomly-nonced seal.
    ("read_encrypted", "cookie_rs_split_parse", 6..=9),
    // As above: the seal is random, so where its first `%` falls is too.
    ("read_encrypted", "axum_extra", 69..=72),
    ("seal_bare_request", "cookie_contract", 4..=4),
    ("seal_bare_request", "axum_extra", 14..=15),
    ("seal", "cookie_contract", 4..=4),
    ("seal", "axum_extra", 71..=72),
    ("verify", "cookie_contract", 0..=0),
    ("verify", "cookie_rs", 5..=5),
];

/// Checks the allocations of contender `id` of `group` against `ALLOCATIONS_REPORTED`.
fn assert_allocations(group: &str, id: &str, f: impl FnMut()) {
    let reported = ALLOCATIONS_REPORTED
        .iter()
        .find(|(g, c, _)| *g == group && *c == id)
        .map(|(_, _, r)| r.clone())
        .unwrap_or_else(|| panic!("{group}/{id} has no reported allocation count"));
    let seen = allocations(f);
    assert!(
        reported.contains(seen.start()) && reported.contains(seen.end()),
        "{group}/{id}: {seen:?} allocations, BENCHMARKS.md reports {reported:?}"
    );
}

fn parse(v: &HeaderValue) -> cookie::Cookie<'static> {
    cookie::Cookie::parse(v.to_str().unwrap().to_owned()).unwrap()
}

/// What two `Set-Cookie` lines must agree on: name, value, path, max-age, HttpOnly, Secure,
/// SameSite.
type Attributes = (
    String,
    String,
    Option<String>,
    Option<cookie::time::Duration>,
    Option<bool>,
    Option<bool>,
    Option<cookie::SameSite>,
);

fn attributes(c: &cookie::Cookie<'_>) -> Attributes {
    (
        c.name().to_owned(),
        c.value().to_owned(),
        c.path().map(str::to_owned),
        c.max_age(),
        c.http_only(),
        c.secure(),
        c.same_site(),
    )
}

#[test]
fn set_cookie_contenders_agree_and_allocate_as_reported() {
    let value = SIGNED_SHAPE.to_owned();
    for (group, headers) in [
        ("set_cookie", request(header_with(PAYLOAD))),
        ("set_cookie_bare_request", HeaderMap::new()),
    ] {
        let ours = set_ours(&headers, &value);
        assert_eq!(ours.len(), 157, "the baseline's 157-byte line");
        let expected = attributes(&parse(&ours));
        for (id, set) in SET_CONTENDERS {
            assert_eq!(
                attributes(&parse(&set(&headers, &value))),
                expected,
                "{group}/{id}"
            );
            assert_allocations(group, id, || {
                std::hint::black_box(set(&headers, &value));
            });
        }
    }
}

#[test]
fn clear_cookie_contenders_agree_and_allocate_as_reported() {
    let headers = request(header_with(PAYLOAD));
    let expected = attributes(&parse(&clear_ours(&headers)));
    assert_eq!(expected.3, Some(cookie::time::Duration::ZERO));
    for (id, clear) in CLEAR_CONTENDERS {
        let line = parse(&clear(&headers));
        assert_eq!(attributes(&line), expected, "{id}");
        assert_allocations("clear_cookie", id, || {
            std::hint::black_box(clear(&headers));
        });
    }
}

/// `read_cookies`, like for like: every contender gives the same typed values from the same
/// `HeaderMap`, and allocates exactly what BENCHMARKS.md reports (counted on the very functions
/// the benchmark runs).
#[test]
fn read_contenders_agree_and_allocate_as_reported() {
    let raw = header_with(PAYLOAD);
    assert!(
        (1_000..1_300).contains(&raw.len()),
        "a realistic ~1.2 KB header: {}",
        raw.len()
    );
    assert_eq!(raw.matches("; ").count() + 1, 20);
    let headers = request(raw);
    let expected = (
        Some(token()),
        SessionToken::decode(CSRF_VALUE).ok(),
        Some(Theme::Dark),
    );
    for (id, read) in READ_CONTENDERS {
        assert_eq!(read(&headers), expected, "{id}");
        assert_allocations("read_cookies", id, || {
            std::hint::black_box(read(&headers));
        });
    }
}

/// The signed and the encrypted session: every contender reads the same token from the header
/// carrying the session as its own library writes it, and a tampered session is refused by
/// each (so no contender is timed on a path that skips the check).
#[test]
fn session_contenders_agree_and_allocate_as_reported() {
    for (group, contenders) in [
        ("read_signed_session", READ_SIGNED_CONTENDERS),
        ("read_encrypted", READ_SEALED_CONTENDERS),
    ] {
        for (id, read) in contenders {
            let headers = request_for(group, id);
            assert_eq!(read(&headers), Some(token()), "{group}/{id}");
            let sent = headers[http::header::COOKIE].to_str().unwrap();
            // The value's first character changed: a MAC or seal that no longer matches.
            let at = sent.find("__Host-session=").unwrap() + "__Host-session=".len();
            let flipped = if &sent[at..=at] == "A" { "B" } else { "A" };
            let tampered = format!("{}{flipped}{}", &sent[..at], &sent[at + 1..]);
            assert_eq!(
                read(&request(tampered)),
                None,
                "{group}/{id} refuses a tampered value"
            );
            assert_allocations(group, id, || {
                std::hint::black_box(read(&headers));
            });
        }
    }
    // Both seals carry the session, neither shows it.
    assert!(!our_sealed_value().contains(PAYLOAD));
    assert!(!axum_extra_private_wire_value().contains(PAYLOAD));
}

/// `seal`: both set the session with the same attributes, sealed, from the same request.
#[test]
fn seal_contenders_agree_and_allocate_as_reported() {
    let token = token();
    for (group, headers) in [
        ("seal_bare_request", HeaderMap::new()),
        ("seal", request(header_with(PAYLOAD))),
    ] {
        for (id, seal) in SEAL_CONTENDERS {
            let c = parse(&seal(&headers, &token));
            assert_eq!(c.name(), "__Host-session", "{id}");
            assert_eq!(
                (c.path(), c.http_only(), c.secure(), c.same_site()),
                (
                    Some("/"),
                    Some(true),
                    Some(true),
                    Some(cookie::SameSite::Lax)
                ),
                "{id}"
            );
            assert_eq!(c.max_age(), Some(cookie::time::Duration::hours(8)), "{id}");
            assert!(!c.value().contains(PAYLOAD), "{id}");
            assert_allocations(group, id, || {
                std::hint::black_box(seal(&headers, &token));
            });
        }
    }
    let headers = request(header_with(PAYLOAD));
    // What ours sealed opens to the token.
    let line = seal_ours(&headers, &token);
    let value = line.to_str().unwrap().split(';').next().unwrap().to_owned();
    assert_eq!(
        read_sealed_ours(&request(header_with(&value["__Host-session=".len()..]))),
        Some(token)
    );
}

/// `verify`: each contender accepts its own library's signed value and refuses it with the
/// payload changed.
#[test]
fn verify_contenders_agree_and_allocate_as_reported() {
    for (id, verify) in VERIFY_CONTENDERS {
        let value = verify_input(id);
        assert!(verify(&value), "{id}");
        let tampered = value.replacen(PAYLOAD, &PAYLOAD.replace('q', "Q"), 1);
        assert_ne!(tampered, value);
        assert!(!verify(&tampered), "{id} refuses a changed payload");
        assert_allocations("verify", id, || {
            let _ = std::hint::black_box(verify(&value));
        });
    }
}

/// Every reported count belongs to a contender that runs.
#[test]
fn every_reported_count_has_a_contender() {
    let mut known: Vec<(&str, &str)> = Vec::new();
    for g in ["set_cookie", "set_cookie_bare_request"] {
        known.extend(SET_CONTENDERS.iter().map(|(id, _)| (g, *id)));
    }
    known.extend(CLEAR_CONTENDERS.iter().map(|(id, _)| ("clear_cookie", *id)));
    known.extend(READ_CONTENDERS.iter().map(|(id, _)| ("read_cookies", *id)));
    known.extend(
        READ_SIGNED_CONTENDERS
            .iter()
            .map(|(id, _)| ("read_signed_session", *id)),
    );
    known.extend(
        READ_SEALED_CONTENDERS
            .iter()
            .map(|(id, _)| ("read_encrypted", *id)),
    );
    for g in ["seal", "seal_bare_request"] {
        known.extend(SEAL_CONTENDERS.iter().map(|(id, _)| (g, *id)));
    }
    known.extend(VERIFY_CONTENDERS.iter().map(|(id, _)| ("verify", *id)));
    for (g, c, _) in ALLOCATIONS_REPORTED {
        assert!(known.contains(&(*g, *c)), "{g}/{c} is reported but not run");
    }
    assert_eq!(known.len(), ALLOCATIONS_REPORTED.len());
}

/// The setter itself allocates once (the header) and the clearer never, on a jar reused across
/// calls: what the README's and BENCHMARKS.md's "one allocation to set a cookie" mean.
#[test]
fn setter_allocates_once_and_clearer_never() {
    let value = SIGNED_SHAPE.to_owned();
    let mut jar = SeedCookiesJar::from_request_headers(&request(header_with(PAYLOAD)));
    assert_eq!(
        allocations(|| jar.set_session(&value).unwrap()),
        1..=1,
        "set: the header itself"
    );
    assert_eq!(
        allocations(|| jar.clear_session()),
        0..=0,
        "clear: a static header"
    );
}
