//! Criterion benchmarks: ours (`cookie_contract`) beside the `cookie` crate (`cookie_rs`),
//! `axum-extra` (`axum_extra`) and a lower bound (`floor`), on identical inputs, in one run.
//! `cargo bench -p cookie-contract --bench cookies`; see BENCHMARKS.md.

#[path = "fixtures.rs"]
mod fixtures;

use std::hint::black_box;
use std::task::{Context, Poll, Waker};

use axum::response::IntoResponse;
use cookie_contract::audit::{AuditLayer, AuditMode};
use cookie_contract::{ConsentChoice, CookieValue, Inventory};
use criterion::{Criterion, criterion_group, criterion_main};
use fixtures::*;
use hmac::{KeyInit, Mac};
use http::{HeaderMap, HeaderValue, Request, Response};
use tower::{Layer, Service};

fn set_cookie(c: &mut Criterion) {
    let mut g = c.benchmark_group("set_cookie");
    let value = SIGNED_SHAPE.to_owned();
    let mut jar = SeedCookiesJar::from_request_headers(&HeaderMap::new());
    g.bench_function("cookie_contract", |b| {
        b.iter(|| {
            jar.set_session(black_box(&value)).unwrap();
            black_box(jar.queued().next());
        })
    });
    g.bench_function("cookie_rs", |b| {
        b.iter(|| {
            let line = cookie_rs_session(black_box(SIGNED_SHAPE)).to_string();
            black_box(HeaderValue::try_from(line).unwrap())
        })
    });
    g.bench_function("axum_extra", |b| {
        b.iter(|| {
            let jar = axum_extra::extract::cookie::CookieJar::new()
                .add(cookie_rs_session(black_box(SIGNED_SHAPE)));
            black_box(jar.into_response())
        })
    });
    g.bench_function("cookie_contract_response", |b| {
        b.iter(|| {
            let mut jar = SeedCookiesJar::from_request_headers(&HeaderMap::new());
            jar.set_session(black_box(&value)).unwrap();
            black_box(jar.into_response())
        })
    });
    let line = {
        let mut j = SeedCookiesJar::from_request_headers(&HeaderMap::new());
        j.set_session(&value).unwrap();
        j.set_cookie_headers()[0].as_bytes().to_vec()
    };
    let mut buf = Vec::with_capacity(256);
    g.bench_function("floor", |b| {
        b.iter(|| {
            buf.clear();
            buf.extend_from_slice(black_box(&line));
            black_box(buf.len())
        })
    });
    g.finish();
}

fn clear_cookie(c: &mut Criterion) {
    let mut g = c.benchmark_group("clear_cookie");
    let mut jar = SeedCookiesJar::from_request_headers(&HeaderMap::new());
    g.bench_function("cookie_contract", |b| {
        b.iter(|| {
            jar.clear_session();
            black_box(jar.queued().next());
        })
    });
    g.bench_function("cookie_rs", |b| {
        b.iter(|| {
            let mut c = cookie_rs_session(black_box(""));
            c.make_removal();
            black_box(HeaderValue::try_from(c.to_string()).unwrap())
        })
    });
    // The lower bound: a header value known at compile time.
    const REMOVAL: HeaderValue = HeaderValue::from_static(
        "__Host-session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax",
    );
    assert_eq!(REMOVAL, SeedCookies::COOKIES[0].removal_header());
    g.bench_function("floor", |b| b.iter(|| black_box(REMOVAL)));
    g.finish();
}

/// Three cookies from a 20-cookie header, like for like: every contender takes the `HeaderMap`
/// as hyper hands it and returns the same `ThreeCookies` (the fixtures' `read_*` functions, which
/// `tests/bench_fixtures.rs` runs and counts allocations of).
fn read_cookies(c: &mut Criterion) {
    let mut g = c.benchmark_group("read_cookies");
    let raw = header_with(PAYLOAD);
    let headers = request(raw.clone());
    let contenders: [(&str, ReadThree); 4] = [
        ("cookie_contract", read_ours),
        ("cookie_rs_split_parse", read_cookie_rs_split),
        ("cookie_rs_jar", read_cookie_rs_jar),
        ("axum_extra", read_axum_extra),
    ];
    for (id, read) in contenders {
        g.bench_function(id, |b| b.iter(|| black_box(read(black_box(&headers)))));
    }
    g.bench_function("floor", |b| {
        b.iter(|| black_box(memchr::memchr_iter(b';', black_box(raw.as_bytes())).count()))
    });
    g.finish();
}

fn read_signed_session(c: &mut Criterion) {
    let mut g = c.benchmark_group("read_signed_session");
    let keys = keys();
    let ours = request(header_with(&our_signed_value()));
    let theirs = request(header_with(&cookie_rs_signed_wire_value()));
    let key = cookie_key();
    g.bench_function("cookie_contract", |b| {
        b.iter(|| black_box(SignedCookiesJar::from_headers(black_box(&ours), &keys).session()))
    });
    g.bench_function("axum_extra", |b| {
        b.iter(|| {
            let jar = axum_extra::extract::cookie::SignedCookieJar::from_headers(
                black_box(&theirs),
                key.clone(),
            );
            black_box(jar.get("__Host-session").map(|c| c.value().len()))
        })
    });
    g.finish();
}

/// The encrypted session from a 20-cookie header, to the same `SessionToken`: our jar opens the
/// one cookie it is asked for; axum-extra's `PrivateCookieJar` parses every cookie into a jar,
/// then decrypts the one asked for, which is then decoded as ours is.
fn read_encrypted(c: &mut Criterion) {
    let mut g = c.benchmark_group("read_encrypted");
    let keys = keys();
    let ours = request(header_with(&our_sealed_value()));
    let theirs = request(header_with(&axum_extra_private_wire_value()));
    let key = cookie_key();
    g.bench_function("cookie_contract", |b| {
        b.iter(|| black_box(SealedCookiesJar::from_headers(black_box(&ours), &keys).session()))
    });
    g.bench_function("axum_extra", |b| {
        b.iter(|| {
            let jar = axum_extra::extract::cookie::PrivateCookieJar::from_headers(
                black_box(&theirs),
                key.clone(),
            );
            black_box(
                jar.get("__Host-session")
                    .and_then(|c| cookie_contract::SessionToken::decode(c.value()).ok()),
            )
        })
    });
    g.finish();
}

/// Sealing the session into a response's `Set-Cookie`: each side builds its jar (the request
/// had no cookies), adds the session and turns the jar into a response.
fn seal(c: &mut Criterion) {
    let mut g = c.benchmark_group("seal");
    let keys = keys();
    let key = cookie_key();
    let empty = HeaderMap::new();
    let token = token();
    g.bench_function("cookie_contract", |b| {
        b.iter(|| {
            let mut jar = SealedCookiesJar::from_headers(&empty, &keys);
            jar.set_session(black_box(&token)).unwrap();
            black_box(jar.into_response())
        })
    });
    g.bench_function("axum_extra", |b| {
        b.iter(|| {
            let jar =
                axum_extra::extract::cookie::PrivateCookieJar::from_headers(&empty, key.clone())
                    .add(cookie_rs_session(&black_box(&token).to_base64()));
            black_box(jar.into_response())
        })
    });
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

fn verify(c: &mut Criterion) {
    let mut g = c.benchmark_group("verify");
    let keys = keys();
    let signed = our_signed_value();
    let (payload, mac) = signed.split_once('.').unwrap();
    g.bench_function("cookie_contract", |b| {
        b.iter(|| {
            black_box(keys.verify(
                "__Host-session",
                black_box(payload.as_bytes()),
                black_box(mac.as_bytes()),
            ))
        })
    });
    let mut jar = cookie::CookieJar::new();
    jar.signed_mut(&cookie_key())
        .add(cookie::Cookie::new("__Host-session", PAYLOAD));
    let key = cookie_key();
    g.bench_function("cookie_rs", |b| {
        b.iter(|| {
            black_box(
                jar.signed(black_box(&key))
                    .get("__Host-session")
                    .map(|c| c.value().len()),
            )
        })
    });
    let prepared = hmac::Hmac::<sha2::Sha256>::new_from_slice(&KEY[..32]).unwrap();
    g.bench_function("floor", |b| {
        b.iter(|| {
            let mut m = prepared.clone();
            m.update(black_box(payload.as_bytes()));
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
    targets = set_cookie, clear_cookie, read_cookies, read_signed_session, read_encrypted, seal,
        verify, audit_layer
}
criterion_main!(benches);
