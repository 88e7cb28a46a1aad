//! Heap allocations per operation, ours beside the alternatives, with a counting global
//! allocator. `cargo bench -p cookie-contract --bench allocations` prints a Markdown table.

#[path = "fixtures.rs"]
mod fixtures;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use axum::response::IntoResponse;
use cookie_contract::CookieValue;
use fixtures::*;
use http::{HeaderMap, HeaderValue};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations per call of `f`, averaged over many calls after a warm-up call.
fn per_op(mut f: impl FnMut()) -> f64 {
    f();
    const N: usize = 1000;
    let before = ALLOCATIONS.load(Relaxed);
    for _ in 0..N {
        f();
    }
    (ALLOCATIONS.load(Relaxed) - before) as f64 / N as f64
}

fn main() {
    let keys = keys();
    let value = SIGNED_SHAPE.to_owned();
    let mut rows: Vec<(&str, &str, f64)> = Vec::new();

    let mut jar = SeedCookiesJar::from_request_headers(&HeaderMap::new());
    rows.push((
        "set_cookie",
        "cookie_contract",
        per_op(|| {
            jar.set_session(black_box(&value)).unwrap();
            black_box(jar.queued().next());
        }),
    ));
    rows.push((
        "set_cookie",
        "cookie_rs",
        per_op(|| {
            black_box(HeaderValue::try_from(cookie_rs_session(SIGNED_SHAPE).to_string()).unwrap());
        }),
    ));
    rows.push((
        "set_cookie",
        "axum_extra",
        per_op(|| {
            black_box(
                axum_extra::extract::cookie::CookieJar::new()
                    .add(cookie_rs_session(SIGNED_SHAPE))
                    .into_response(),
            );
        }),
    ));

    rows.push((
        "clear_cookie",
        "cookie_contract",
        per_op(|| {
            jar.clear_session();
            black_box(jar.queued().next());
        }),
    ));
    rows.push((
        "clear_cookie",
        "cookie_rs",
        per_op(|| {
            let mut c = cookie_rs_session("");
            c.make_removal();
            black_box(HeaderValue::try_from(c.to_string()).unwrap());
        }),
    ));

    let raw = header_with(PAYLOAD);
    let headers = request(raw.clone());
    // The very functions the criterion group runs, like for like.
    let contenders: [(&str, ReadThree); 4] = [
        ("cookie_contract", read_ours),
        ("cookie_rs_split_parse", read_cookie_rs_split),
        ("cookie_rs_jar", read_cookie_rs_jar),
        ("axum_extra", read_axum_extra),
    ];
    for (id, read) in contenders {
        rows.push((
            "read_cookies",
            id,
            per_op(|| {
                black_box(read(black_box(&headers)));
            }),
        ));
    }

    let ours = request(header_with(&our_signed_value()));
    let theirs = request(header_with(&cookie_rs_signed_wire_value()));
    let key = cookie_key();
    rows.push((
        "read_signed_session",
        "cookie_contract",
        per_op(|| {
            black_box(SignedCookiesJar::from_headers(black_box(&ours), &keys).session());
        }),
    ));
    rows.push((
        "read_signed_session",
        "axum_extra",
        per_op(|| {
            let jar = axum_extra::extract::cookie::SignedCookieJar::from_headers(
                black_box(&theirs),
                key.clone(),
            );
            black_box(jar.get("__Host-session").is_some());
        }),
    ));

    let ours = request(header_with(&our_sealed_value()));
    let theirs = request(header_with(&axum_extra_private_wire_value()));
    rows.push((
        "read_encrypted",
        "cookie_contract",
        per_op(|| {
            black_box(SealedCookiesJar::from_headers(black_box(&ours), &keys).session());
        }),
    ));
    rows.push((
        "read_encrypted",
        "axum_extra",
        per_op(|| {
            let jar = axum_extra::extract::cookie::PrivateCookieJar::from_headers(
                black_box(&theirs),
                key.clone(),
            );
            black_box(
                jar.get("__Host-session")
                    .and_then(|c| cookie_contract::SessionToken::decode(c.value()).ok()),
            );
        }),
    ));
    let empty = HeaderMap::new();
    let token = token();
    rows.push((
        "seal",
        "cookie_contract",
        per_op(|| {
            let mut jar = SealedCookiesJar::from_headers(&empty, &keys);
            jar.set_session(black_box(&token)).unwrap();
            black_box(jar.into_response());
        }),
    ));
    rows.push((
        "seal",
        "axum_extra",
        per_op(|| {
            let jar =
                axum_extra::extract::cookie::PrivateCookieJar::from_headers(&empty, key.clone())
                    .add(cookie_rs_session(&token.to_base64()));
            black_box(jar.into_response());
        }),
    ));

    let signed = our_signed_value();
    let (payload, mac) = signed.split_once('.').unwrap();
    rows.push((
        "verify",
        "cookie_contract",
        per_op(|| {
            black_box(keys.verify("__Host-session", payload.as_bytes(), mac.as_bytes()));
        }),
    ));
    let mut cjar = cookie::CookieJar::new();
    cjar.signed_mut(&cookie_key())
        .add(cookie::Cookie::new("__Host-session", PAYLOAD));
    rows.push((
        "verify",
        "cookie_rs",
        per_op(|| {
            black_box(cjar.signed(&key).get("__Host-session").is_some());
        }),
    ));

    println!("| operation | contender | allocations per operation |");
    println!("|---|---|---:|");
    for (op, who, n) in rows {
        println!("| {op} | {who} | {n:.2} |");
    }
}
