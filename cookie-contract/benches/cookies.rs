//! Criterion benchmarks: ours (`cookie_contract`) beside the `cookie` crate (`cookie_rs`),
//! `axum-extra` (`axum_extra`) and a lower bound (`floor`), on identical inputs, in one run.
//! `cargo bench -p cookie-contract --bench cookies`; see BENCHMARKS.md.

#[path = "fixtures.rs"]
mod fixtures;

use std::hint::black_box;
use std::task::{Context, Poll, Waker};

use cookie_contract::audit::{AuditLayer, AuditMode};
use cookie_contract::{ConsentChoice, CookieValue, Inventory, SessionToken};
use criterion::{Criterion, criterion_group, criterion_main};
use fixtures::*;
use hmac::{KeyInit, Mac};
use http::{HeaderMap, HeaderValue, Request, Response};
use tower::{Layer, Service};

/// `set_cookie`, like for like: each contender takes the request's `HeaderMap` (the 20-cookie
/// header, and again a request without cookies) and the value, builds what it must per request
/// and returns the validated `Set-Cookie` header (the fixtures' `SET_CONTENDERS`).
fn set_cookie(c: &mut Criterion) {
    let value = SIGNED_SHAPE.to_owned();
    for (group, headers) in [
        ("set_cookie", request(header_with(PAYLOAD))),
        ("set_cookie_bare_request", HeaderMap::new()),
    ] {
        let mut g = c.benchmark_group(group);
        for (id, set) in SET_CONTENDERS {
            g.bench_function(id, |b| {
                b.iter(|| black_box(set(black_box(&headers), &value)))
            });
        }
        if group == "set_cookie" {
            // The lower bound: a copy of the final line into a reused buffer.
            let line = set_ours(&headers, &value).as_bytes().to_vec();
            let mut buf = Vec::with_capacity(256);
            g.bench_function("floor", |b| {
                b.iter(|| {
                    buf.clear();
                    buf.extend_from_slice(black_box(&line));
                    black_box(buf.len())
                })
            });
        }
        g.finish();
    }
}

fn clear_cookie(c: &mut Criterion) {
    let mut g = c.benchmark_group("clear_cookie");
    let headers = request(header_with(PAYLOAD));
    for (id, clear) in CLEAR_CONTENDERS {
        g.bench_function(id, |b| b.iter(|| black_box(clear(black_box(&headers)))));
    }
    // The lower bound: a header value known at compile time.
    const REMOVAL: HeaderValue = HeaderValue::from_static(
        "__Host-session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax",
    );
    assert_eq!(REMOVAL, SeedCookies::COOKIES[0].removal_header());
    g.bench_function("floor", |b| b.iter(|| black_box(REMOVAL)));
    g.finish();
}

/// Three cookies from a 20-cookie header, like for like: every contender takes the `HeaderMap`
/// as hyper hands it and returns the same `ThreeCookies` (the fixtures' `READ_CONTENDERS`,
/// which `tests/bench_fixtures.rs` runs and counts allocations of).
fn read_cookies(c: &mut Criterion) {
    let mut g = c.benchmark_group("read_cookies");
    let raw = header_with(PAYLOAD);
    let headers = request(raw.clone());
    for (id, read) in READ_CONTENDERS {
        g.bench_function(id, |b| b.iter(|| black_box(read(black_box(&headers)))));
    }
    g.bench_function("floor", |b| {
        b.iter(|| black_box(memchr::memchr_iter(b';', black_box(raw.as_bytes())).count()))
    });
    // Where ours spends its time: making and dropping the jar alone, then the jar and the first
    // getter (which places all three cookies) of the cookie that is cheapest to decode.
    g.bench_function("cookie_contract_jar_only", |b| {
        b.iter(|| {
            drop(black_box(ReadCookiesJar::from_request_headers(black_box(
                &headers,
            ))))
        })
    });
    g.bench_function("cookie_contract_first_getter", |b| {
        b.iter(|| black_box(ReadCookiesJar::from_request_headers(black_box(&headers)).theme()))
    });
    g.finish();
}

/// One 43-character token to its 32 bytes: the fixed-size decoder every session read and MAC
/// check uses, beside the `base64` crate's general one on the same input.
fn decode_token(c: &mut Criterion) {
    use base64::Engine as _;
    let mut g = c.benchmark_group("decode_token");
    g.bench_function("cookie_contract", |b| {
        b.iter(|| black_box(SessionToken::decode(black_box(PAYLOAD))))
    });
    g.bench_function("base64_crate", |b| {
        b.iter(|| {
            let mut out = [0u8; 32];
            let n = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode_slice(black_box(PAYLOAD), &mut out);
            black_box((n, out))
        })
    });
    g.finish();
}

/// The signed (then the encrypted) session from the 20-cookie header to a `SessionToken`: each
/// contender is given the header with the session as its own library writes it.
fn read_session(c: &mut Criterion) {
    for (group, contenders) in [
        ("read_signed_session", READ_SIGNED_CONTENDERS),
        ("read_encrypted", READ_SEALED_CONTENDERS),
    ] {
        let mut g = c.benchmark_group(group);
        for (id, read) in contenders {
            let headers = request_for(group, id);
            g.bench_function(id, |b| b.iter(|| black_box(read(black_box(&headers)))));
        }
        g.finish();
    }
}

/// Sealing the session into a response's `Set-Cookie` (`SEAL_CONTENDERS`), on a request
/// without cookies and on the 20-cookie request, with the floor no seal avoids.
fn seal(c: &mut Criterion) {
    let token = token();
    // On a request without cookies, axum-extra's jar has nothing to parse: the seal alone.
    let mut g = c.benchmark_group("seal_bare_request");
    let bare = HeaderMap::new();
    for (id, seal) in SEAL_CONTENDERS {
        g.bench_function(id, |b| b.iter(|| black_box(seal(black_box(&bare), &token))));
    }
    g.finish();
    let mut g = c.benchmark_group("seal");
    let headers = request(header_with(PAYLOAD));
    for (id, seal) in SEAL_CONTENDERS {
        g.bench_function(id, |b| {
            b.iter(|| black_box(seal(black_box(&headers), &token)))
        });
    }
    // The part of the floor that is the OS random source alone, so where a seal's time goes is
    // measured, not guessed.
    g.bench_function("getrandom_12", |b| {
        let mut nonce = [0u8; 12];
        b.iter(|| {
            getrandom::fill(&mut nonce).unwrap();
            black_box(nonce)
        })
    });
    // The work no seal avoids: 12 bytes from the OS, AES-256-GCM over the 43-byte token, base64url
    // into a reused buffer.
    let aead = <aes_gcm::Aes256Gcm as aes_gcm::KeyInit>::new(&[7u8; 32].into());
    let mut out = String::with_capacity(128);
    let mut data = [0u8; 12 + 43 + 16];
    g.bench_function("floor", |b| {
        b.iter(|| {
            use aes_gcm::AeadInOut;
            use base64::Engine as _;
            let (nonce, rest) = data.split_at_mut(12);
            getrandom::fill(nonce).unwrap();
            let (body, tag) = rest.split_at_mut(43);
            body.copy_from_slice(black_box(PAYLOAD.as_bytes()));
            let n = aes_gcm::Nonce::try_from(&*nonce).unwrap();
            let t = aead
                .encrypt_inout_detached(&n, b"__Host-session", body.into())
                .unwrap();
            tag.copy_from_slice(&t);
            out.clear();
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode_string(data, &mut out);
            black_box(out.len())
        })
    });
    g.finish();
}

/// One signed value to a verdict (`VERIFY_CONTENDERS`), beside a bare HMAC over the payload.
fn verify(c: &mut Criterion) {
    let mut g = c.benchmark_group("verify");
    for (id, verify) in VERIFY_CONTENDERS {
        let value = verify_input(id);
        g.bench_function(id, |b| b.iter(|| black_box(verify(black_box(&value)))));
    }
    let prepared = hmac::Hmac::<sha2::Sha256>::new_from_slice(&KEY[..32]).unwrap();
    g.bench_function("floor", |b| {
        b.iter(|| {
            let mut m = prepared.clone();
            m.update(black_box(PAYLOAD.as_bytes()));
            black_box(m.finalize().into_bytes())
        })
    });
    g.finish();
}

/// Polls a future that completes without waiting (the services here never do).
fn ready<F: Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => unreachable!("the benchmarked services are synchronous"),
    }
}

fn audit_layer(c: &mut Criterion) {
    let mut g = c.benchmark_group("audit_layer");
    let keys = keys();
    // The request carries a consent record that grants preferences.
    let mut setup = AuditCookiesJar::from_headers(&HeaderMap::new(), &keys);
    setup
        .record_consent(ConsentChoice {
            preferences: true,
            analytics: false,
            advertising: false,
        })
        .unwrap();
    let consent = setup.set_cookie_headers()[0]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let req_header = format!("{}; {consent}", header_with(PAYLOAD));
    let lines = [
        format!(
            "__Host-session={PAYLOAD}{}",
            AuditCookies::COOKIES[0].attribute_suffix()
        ),
        format!("theme=dark{}", AuditCookies::COOKIES[2].attribute_suffix()),
        AuditCookies::COOKIES[3].removal_header().to_owned(),
    ];
    let respond = move |_req: Request<()>| {
        let mut res = Response::new(());
        for l in &lines {
            res.headers_mut()
                .append(http::header::SET_COOKIE, HeaderValue::from_str(l).unwrap());
        }
        std::future::ready(Ok::<_, std::convert::Infallible>(res))
    };
    let make_req = || {
        let mut r = Request::new(());
        r.headers_mut()
            .insert(http::header::COOKIE, shared_header(req_header.clone()));
        r
    };
    let mut audited = AuditLayer::new::<AuditCookies>(AuditMode::Enforce, keys.clone())
        .layer(tower::service_fn(respond.clone()));
    let mut plain = tower::service_fn(respond);
    let req = make_req();
    g.bench_function("cookie_contract", |b| {
        b.iter(|| {
            let res = ready(audited.call(black_box(clone_req(&req)))).unwrap();
            assert_eq!(
                res.headers()
                    .get_all(http::header::SET_COOKIE)
                    .iter()
                    .count(),
                3
            );
            black_box(res)
        })
    });
    // The same three lines without a consent-gated set (session, theme removal, _ga removal):
    // the audit needs no consent state.
    let ungated = [
        format!(
            "__Host-session={PAYLOAD}{}",
            AuditCookies::COOKIES[0].attribute_suffix()
        ),
        AuditCookies::COOKIES[2].removal_header().to_owned(),
        AuditCookies::COOKIES[3].removal_header().to_owned(),
    ];
    let mut audited_ungated = AuditLayer::new::<AuditCookies>(AuditMode::Enforce, keys.clone())
        .layer(tower::service_fn(move |_req: Request<()>| {
            let mut res = Response::new(());
            for l in &ungated {
                res.headers_mut()
                    .append(http::header::SET_COOKIE, HeaderValue::from_str(l).unwrap());
            }
            std::future::ready(Ok::<_, std::convert::Infallible>(res))
        }));
    g.bench_function("cookie_contract_ungated", |b| {
        b.iter(|| black_box(ready(audited_ungated.call(black_box(clone_req(&req)))).unwrap()))
    });
    g.bench_function("floor", |b| {
        b.iter(|| black_box(ready(plain.call(black_box(clone_req(&req)))).unwrap()))
    });
    // One line through the audit's check: the jar's own bytes (the fast path) and the same
    // cookie as cookie-rs writes it (another attribute order, read for its meaning).
    let ours = format!(
        "__Host-session={PAYLOAD}{}",
        AuditCookies::COOKIES[0].attribute_suffix()
    );
    let theirs =
        format!("__Host-session={PAYLOAD}; HttpOnly; SameSite=Lax; Secure; Path=/; Max-Age=28800");
    for (id, line) in [("check_line_own", ours), ("check_line_by_meaning", theirs)] {
        assert!(cookie_contract::audit::check_line(AuditCookies::COOKIES, line.as_bytes()).is_ok());
        g.bench_function(id, |b| {
            b.iter(|| {
                black_box(cookie_contract::audit::check_line(
                    AuditCookies::COOKIES,
                    black_box(line.as_bytes()),
                ))
                .is_ok()
            })
        });
    }
    g.finish();
}

fn clone_req(r: &Request<()>) -> Request<()> {
    let mut n = Request::new(());
    *n.headers_mut() = r.headers().clone();
    n
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = set_cookie, clear_cookie, read_cookies, decode_token, read_session, seal, verify,
        audit_layer
}
criterion_main!(benches);
