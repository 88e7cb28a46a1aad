//! Heap allocations per operation, ours beside the alternatives, with a counting global
//! allocator. `cargo bench -p cookie-contract --bench allocations` prints a Markdown table.

#[path = "fixtures.rs"]
mod fixtures;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use fixtures::*;
use http::HeaderMap;

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
    let mut rows: Vec<(&str, &str, f64)> = Vec::new();
    // The very functions the criterion groups run, on the same inputs.
    let value = SIGNED_SHAPE.to_owned();
    for (group, headers) in [
        ("set_cookie", request(header_with(PAYLOAD))),
        ("set_cookie_bare_request", HeaderMap::new()),
    ] {
        for (id, set) in SET_CONTENDERS {
            rows.push((
                group,
                id,
                per_op(|| {
                    black_box(set(&headers, &value));
                }),
            ));
        }
    }
    let headers = request(header_with(PAYLOAD));
    for (id, clear) in CLEAR_CONTENDERS {
        rows.push((
            "clear_cookie",
            id,
            per_op(|| {
                black_box(clear(&headers));
            }),
        ));
    }
    for (id, read) in READ_CONTENDERS {
        rows.push((
            "read_cookies",
            id,
            per_op(|| {
                black_box(read(&headers));
            }),
        ));
    }
    for (group, contenders) in [
        ("read_signed_session", READ_SIGNED_CONTENDERS),
        ("read_encrypted", READ_SEALED_CONTENDERS),
    ] {
        for (id, read) in contenders {
            let headers = request_for(group, id);
            rows.push((
                group,
                id,
                per_op(|| {
                    black_box(read(&headers));
                }),
            ));
        }
    }
    let token = token();
    let bare = HeaderMap::new();
    for (group, request) in [("seal_bare_request", &bare), ("seal", &headers)] {
        for (id, seal) in SEAL_CONTENDERS {
            rows.push((
                group,
                id,
                per_op(|| {
                    black_box(seal(request, &token));
                }),
            ));
        }
    }
    for (id, verify) in VERIFY_CONTENDERS {
        let value = verify_input(id);
        rows.push(("verify", id, per_op(|| _ = black_box(verify(&value)))));
    }

    println!("| operation | contender | allocations per operation |");
    println!("|---|---|---:|");
    for (op, who, n) in rows {
        println!("| {op} | {who} | {n:.2} |");
    }
}
