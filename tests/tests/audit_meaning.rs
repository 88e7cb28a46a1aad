//! The audit layer reads `Set-Cookie` lines for their meaning: a correct cookie or removal
//! written by other code (cookie-rs, axum-extra) passes whatever its attribute order, case or
//! spacing, and a line with any attribute wrong is stripped with that attribute named.

use std::time::{Duration, SystemTime};

use axum::Router;
use axum::body::Body;
use axum::routing::get;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use cookie_contract::audit::{AuditLayer, AuditMode, Violation, check_line};
use cookie_contract::set_cookie::Attribute;
use cookie_contract::{CookieSpec, Inventory, KeyRing, Lifetime};
use cookie_contract_tests::{AppCookies, Shop, Wide};
use http::Request;
use http::header::SET_COOKIE;
use proptest::prelude::*;
use tower::ServiceExt;

/// The declared attributes of `spec` as separate `Set-Cookie` attributes (no lifetime).
fn attributes(spec: &CookieSpec) -> Vec<String> {
    let mut a = vec![format!("Path={}", spec.path())];
    if let Some(d) = spec.domain() {
        a.push(format!("Domain={d}"));
    }
    if spec.http_only() {
        a.push("HttpOnly".into());
    }
    if spec.secure() {
        a.push("Secure".into());
    }
    a.push(format!("SameSite={}", spec.same_site().as_str()));
    if spec.partitioned() {
        a.push("Partitioned".into());
    }
    if let Some(p) = spec.priority() {
        a.push(format!("Priority={}", p.as_str()));
    }
    a
}

fn every_spec() -> Vec<&'static CookieSpec> {
    Shop::COOKIES
        .iter()
        .chain(Wide::COOKIES)
        .chain(AppCookies::COOKIES)
        .collect()
}

/// Writes `attrs` the way some other library might: shuffled, each name in a random case,
/// random spaces around `;` and `=`.
fn spell(name: &str, value: &str, mut attrs: Vec<String>, seed: &[u8]) -> String {
    let mut bits = seed.iter().copied().cycle();
    let mut next = || bits.next().unwrap_or(0);
    for i in (1..attrs.len()).rev() {
        attrs.swap(i, next() as usize % (i + 1));
    }
    let mut line = format!("{name}={value}");
    for a in attrs {
        let (k, v) = match a.split_once('=') {
            Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
            None => (a.clone(), None),
        };
        let k: String = k
            .chars()
            .map(|c| {
                if next() % 2 == 0 {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .collect();
        let sp = |n: u8| " ".repeat((n % 3) as usize);
        line.push_str(&format!("{};{}", sp(next()), sp(next())));
        line.push_str(&k);
        if let Some(v) = v {
            line.push_str(&format!("{}={}{}", sp(next()), sp(next()), v));
        }
    }
    line
}

fn http_date(at: SystemTime) -> String {
    httpdate::fmt_http_date(at)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Every equivalent spelling of a declared cookie passes: with Max-Age, with an Expires
    /// that stands for it, or as a removal by Max-Age=0 or an Expires in the past.
    #[test]
    fn equivalent_spellings_pass(which in 0usize..20, seed in proptest::collection::vec(any::<u8>(), 16), form in 0u8..4) {
        let specs = every_spec();
        let spec = specs[which % specs.len()];
        let mut attrs = attributes(spec);
        let now = SystemTime::now();
        let removal = form >= 2;
        match (form, spec.lifetime()) {
            (0, Lifetime::Seconds(s)) => attrs.push(format!("Max-Age={s}")),
            (1, Lifetime::Seconds(s)) => attrs.push(format!("Expires={}", http_date(now + Duration::from_secs(u64::from(s))))),
            (2, _) => attrs.push("Max-Age=0".into()),
            (3, _) => attrs.push(format!("Expires={}", http_date(now - Duration::from_secs(86_400)))),
            _ => {} // a session cookie: no lifetime attribute
        }
        let value = if removal { "" } else { "v1" };
        let line = spell(spec.name(), value, attrs, &seed);
        match check_line(&[*spec], line.as_bytes()) {
            Ok((_, is_removal)) => prop_assert_eq!(is_removal, removal, "{}", line),
            Err(v) => prop_assert!(false, "{} refused: {}", line, v),
        }
    }
}

/// Each attribute wrong in turn is refused, with that attribute named.
#[test]
fn each_wrong_attribute_is_named() {
    for spec in every_spec() {
        let lifetime = match spec.lifetime() {
            Lifetime::Seconds(s) => format!("; Max-Age={s}"),
            Lifetime::Session => String::new(),
        };
        let good = format!("{}=v{}", spec.name(), {
            let a = attributes(spec);
            let mut s = String::new();
            for (i, x) in a.iter().enumerate() {
                s.push_str("; ");
                s.push_str(x);
                if i == 0 {
                    s.push_str(&lifetime);
                }
            }
            s
        });
        assert!(check_line(&[*spec], good.as_bytes()).is_ok(), "{good}");
        let mut wrongs: Vec<(Attribute, String)> = vec![
            (
                Attribute::Path,
                good.replacen(&format!("Path={}", spec.path()), "Path=/elsewhere", 1),
            ),
            (
                Attribute::Path,
                good.replacen(&format!("; Path={}", spec.path()), "", 1),
            ),
            (
                Attribute::SameSite,
                good.replacen(
                    &format!("SameSite={}", spec.same_site().as_str()),
                    if spec.same_site().as_str() == "Strict" {
                        "SameSite=Lax"
                    } else {
                        "SameSite=Strict"
                    },
                    1,
                ),
            ),
            (
                Attribute::Domain,
                match spec.domain() {
                    Some(d) => good.replacen(&format!("Domain={d}"), "Domain=evil.example", 1),
                    None => format!("{good}; Domain=example.org"),
                },
            ),
            (
                Attribute::HttpOnly,
                if spec.http_only() {
                    good.replacen("; HttpOnly", "", 1)
                } else {
                    format!("{good}; HttpOnly")
                },
            ),
            (
                Attribute::Secure,
                if spec.secure() {
                    good.replacen("; Secure", "", 1)
                } else {
                    format!("{good}; Secure")
                },
            ),
            (
                Attribute::Partitioned,
                if spec.partitioned() {
                    good.replacen("; Partitioned", "", 1)
                } else {
                    format!("{good}; Partitioned")
                },
            ),
            (
                Attribute::Priority,
                match spec.priority() {
                    Some(p) => good.replacen(&format!("; Priority={}", p.as_str()), "", 1),
                    None => format!("{good}; Priority=High"),
                },
            ),
            (
                Attribute::Domain,
                format!("{good}; Domain=example.com; Domain=example.com"),
            ),
            // The right Path twice: every value matches, only the repeat is wrong (a browser
            // keeps the last, so a line written twice is a line whose author lost track).
            (Attribute::Path, format!("{good}; Path={}", spec.path())),
        ];
        match spec.lifetime() {
            Lifetime::Seconds(s) => {
                wrongs.push((
                    Attribute::Lifetime,
                    good.replacen(&lifetime, &format!("; Max-Age={}", s + 1), 1),
                ));
                let far = SystemTime::now() + Duration::from_secs(u64::from(s) + 3600);
                wrongs.push((
                    Attribute::Lifetime,
                    good.replacen(&lifetime, &format!("; Expires={}", http_date(far)), 1),
                ));
            }
            Lifetime::Session => wrongs.push((Attribute::Lifetime, format!("{good}; Max-Age=60"))),
        }
        for (attribute, bad) in wrongs {
            match check_line(&[*spec], bad.as_bytes()) {
                Err(Violation::Attributes { mismatch, .. }) => {
                    assert_eq!(mismatch.attribute, attribute, "{bad}: {mismatch}")
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}

/// axum-extra's `CookieJar` (cookie-rs underneath, another attribute order) behind the audit
/// layer in enforce mode: its correct declared cookie and removal pass, and a wrong one is
/// stripped, one attribute at a time.
#[tokio::test]
async fn axum_extra_cookies_pass_by_meaning_and_wrong_ones_are_stripped() {
    fn session(value: &str) -> Cookie<'static> {
        Cookie::build(("__Host-session", value.to_owned()))
            .path("/")
            .max_age(cookie::time::Duration::hours(8))
            .http_only(true)
            .secure(true)
            .same_site(SameSite::Lax)
            .build()
    }
    type Change = fn(Cookie<'static>) -> Cookie<'static>;
    let cases: Vec<(&str, Change, bool)> = vec![
        ("correct", |c| c, true),
        (
            "removal",
            |mut c| {
                c.make_removal();
                c
            },
            true,
        ),
        (
            "no HttpOnly",
            |mut c| {
                c.set_http_only(false);
                c
            },
            false,
        ),
        (
            "no Secure",
            |mut c| {
                c.set_secure(false);
                c
            },
            false,
        ),
        (
            "SameSite=None",
            |mut c| {
                c.set_same_site(SameSite::None);
                c
            },
            false,
        ),
        (
            "other path",
            |mut c| {
                c.set_path("/app");
                c
            },
            false,
        ),
        (
            "a Domain",
            |mut c| {
                c.set_domain("example.com");
                c
            },
            false,
        ),
        (
            "longer",
            |mut c| {
                c.set_max_age(cookie::time::Duration::hours(9));
                c
            },
            false,
        ),
        (
            "partitioned",
            |mut c| {
                c.set_partitioned(true);
                c
            },
            false,
        ),
    ];
    for (label, change, passes) in cases {
        let router: Router = Router::new()
            .route(
                "/",
                get(move || async move { CookieJar::new().add(change(session("tok"))) }),
            )
            .layer(AuditLayer::new::<AppCookies>(
                AuditMode::Enforce,
                KeyRing::new(&[1; 32]).unwrap(),
            ));
        let res = router
            .oneshot(Request::get("/").body(Body::empty()).unwrap())
            .await
            .unwrap();
        let kept = res.headers().get_all(SET_COOKIE).iter().count();
        assert_eq!(kept == 1, passes, "{label}");
    }
}
