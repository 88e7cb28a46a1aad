//! Byte-exact `Set-Cookie` lines and request parsing of the generated jars.

use cookie_contract::{CookieError, Inventory, KeyRing, SessionToken};
use cookie_contract_harness::http::cookie_pair;
use cookie_contract_tests::{AppCookiesJar, SeedSession, SeedSessionJar, Wide};
use http::HeaderMap;
use http::header::{COOKIE, SET_COOKIE};

fn request(cookies: &[&str]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for c in cookies {
        h.append(COOKIE, c.parse().unwrap());
    }
    h
}

fn keys() -> KeyRing {
    KeyRing::new(b"an example key of at least 32 bytes!").unwrap()
}

#[test]
fn seed_session_set_and_clear_are_byte_exact() {
    let mut jar = SeedSessionJar::from_request_headers(&HeaderMap::new());
    jar.set_session(&"abc123".to_string()).unwrap();
    assert_eq!(
        jar.set_cookie_headers(),
        ["__Host-session=abc123; Path=/; Max-Age=28800; HttpOnly; Secure; SameSite=Lax"]
    );
    jar.clear_session();
    assert_eq!(
        jar.set_cookie_headers(),
        [
            "__Host-session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax"
        ]
    );
}

#[test]
fn spec_data_is_precomputed() {
    let s = &SeedSession::COOKIES[0];
    assert_eq!(
        s.attribute_suffix(),
        "; Path=/; Max-Age=28800; HttpOnly; Secure; SameSite=Lax"
    );
    let w = Wide::COOKIES;
    assert_eq!(
        w[1].attribute_suffix(),
        "; Path=/shop; Domain=shop.example.com; Max-Age=3600; Secure; SameSite=Strict"
    );
    assert_eq!(
        w[2].removal_header(),
        "__Http-widget=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=None; Partitioned"
    );
    assert_eq!(
        w[2].attribute_suffix(),
        "; Path=/; Max-Age=129600; HttpOnly; Secure; SameSite=None; Partitioned; Priority=Low"
    );
    assert_eq!(
        w[0].attribute_suffix(),
        "; Path=/; HttpOnly; Secure; SameSite=Strict; Priority=High"
    );
    assert_eq!(
        w[4].name(),
        "ad_id",
        "the field name is the default cookie name"
    );
    assert_eq!(w[3].description(), "Locale.");
}

#[test]
fn signed_session_round_trips_and_is_bound_to_its_name() {
    let keys = keys();
    let token = SessionToken::new();
    let mut jar = AppCookiesJar::from_headers(&HeaderMap::new(), &keys);
    jar.set_session(&token).unwrap();
    let line = jar.set_cookie_headers()[0].to_str().unwrap().to_owned();
    let pair = cookie_pair(&line);
    let value = pair.strip_prefix("__Host-session=").unwrap();
    assert_eq!(value.len(), 43 + 1 + 43);
    assert!(line.ends_with("; Path=/; Max-Age=28800; HttpOnly; Secure; SameSite=Lax"));

    let back = AppCookiesJar::from_headers(&request(&[pair]), &keys);
    assert_eq!(back.session(), Some(token.clone()));

    // The same signed value moved to the consent cookie's name does not verify.
    let moved = AppCookiesJar::from_headers(&request(&[&format!("__Host-consent={value}")]), &keys);
    assert_eq!(
        moved.try_consent(),
        Err(CookieError::BadSignature {
            name: "__Host-consent"
        })
    );

    // An unsigned token is refused.
    let unsigned = AppCookiesJar::from_headers(
        &request(&[&format!("__Host-session={}", token.to_base64())]),
        &keys,
    );
    assert_eq!(
        unsigned.try_session(),
        Err(CookieError::BadSignature {
            name: "__Host-session"
        })
    );
    assert_eq!(unsigned.session(), None);
}

#[test]
fn a_value_signed_with_a_previous_key_verifies_and_is_resigned() {
    let old = KeyRing::new(&[1; 32]).unwrap();
    let new = KeyRing::rotating(&[2; 32], &[&[1; 32]]).unwrap();
    let token = SessionToken::new();
    let mut jar = AppCookiesJar::from_headers(&HeaderMap::new(), &old);
    jar.set_session(&token).unwrap();
    let old_line = jar.set_cookie_headers()[0].to_str().unwrap().to_owned();
    let old_pair = cookie_pair(&old_line);

    let jar = AppCookiesJar::from_headers(&request(&[old_pair]), &new);
    assert!(
        jar.set_cookie_headers().is_empty(),
        "nothing is re-signed before it is read"
    );
    assert_eq!(jar.session(), Some(token.clone()));
    let resigned = jar.set_cookie_headers();
    assert_eq!(resigned.len(), 1);
    let new_line = resigned[0].to_str().unwrap();
    assert_ne!(new_line, old_line);
    let new_pair = cookie_pair(new_line);
    let retired = KeyRing::new(&[2; 32]).unwrap();
    assert_eq!(
        AppCookiesJar::from_headers(&request(&[new_pair]), &retired).session(),
        Some(token)
    );
    assert_eq!(
        AppCookiesJar::from_headers(&request(&[old_pair]), &retired).try_session(),
        Err(CookieError::BadSignature {
            name: "__Host-session"
        })
    );
}

#[test]
fn duplicates_across_headers_are_reported() {
    let jar = SeedSessionJar::from_request_headers(&request(&[
        "a=1; __Host-session=x",
        "__Host-session=y",
    ]));
    assert_eq!(
        jar.try_session(),
        Err(CookieError::Duplicate {
            name: "__Host-session"
        })
    );
    assert_eq!(jar.session(), None);
    let jar =
        SeedSessionJar::from_request_headers(&request(&["__Host-session=x; __Host-session=x"]));
    assert_eq!(
        jar.try_session(),
        Err(CookieError::Duplicate {
            name: "__Host-session"
        })
    );
}

#[test]
fn values_in_later_headers_are_found() {
    let jar =
        SeedSessionJar::from_request_headers(&request(&["a=1", "b=2", "c=3; __Host-session=zz"]));
    assert_eq!(jar.session().as_deref(), Some("zz"));
}

#[test]
fn bad_values_are_errors_not_panics() {
    let mut h = HeaderMap::new();
    h.append(
        COOKIE,
        http::HeaderValue::from_bytes(b"__Host-session=\xff\xfe").unwrap(),
    );
    let jar = SeedSessionJar::from_request_headers(&h);
    assert!(matches!(
        jar.try_session(),
        Err(CookieError::Invalid {
            name: "__Host-session",
            ..
        })
    ));
    let jar = SeedSessionJar::from_request_headers(&request(&["__Host-session=a b"]));
    assert!(matches!(
        jar.try_session(),
        Err(CookieError::Invalid { .. })
    ));
}

/// A plain (unsigned) session token, read without the jar's octet check: its decoder refuses
/// every byte outside base64url itself.
#[derive(cookie_contract::CookieContract)]
struct PlainToken {
    #[cookie(
        name = "__Host-session",
        purpose = "authentication",
        secure,
        http_only,
        same_site = "lax",
        max_age = "8h"
    )]
    session: SessionToken,
}

#[test]
fn a_plain_token_refuses_every_byte_outside_base64url() {
    let token = SessionToken::new();
    let wire = token.to_base64();
    let read = |value: &[u8]| {
        let mut pair = b"__Host-session=".to_vec();
        pair.extend_from_slice(value);
        let mut h = HeaderMap::new();
        h.append(COOKIE, http::HeaderValue::from_bytes(&pair).unwrap());
        PlainTokenJar::from_request_headers(&h).try_session()
    };
    assert_eq!(read(wire.as_bytes()).unwrap(), Some(token));
    // Not cookie-octets (a blank, DQUOTE, comma, backslash, obs-text; a header cannot carry
    // controls), then cookie-octets outside base64url (`.`, `%`, `=`, `+`, `/`): each refused
    // as `Invalid`, at the first, a middle and the last of the 43 characters. A blank at either
    // end would be trimmed away and refused for the length instead, so it is put inside only.
    for bad in [
        b' ', b'"', b',', b'\\', b'\xff', b'.', b'%', b'=', b'+', b'/',
    ] {
        let places: &[usize] = if bad == b' ' {
            &[1, 20, 41]
        } else {
            &[0, 20, 42]
        };
        for &at in places {
            let mut value = wire.as_bytes().to_vec();
            value[at] = bad;
            assert!(
                matches!(
                    read(&value),
                    Err(CookieError::Invalid {
                        name: "__Host-session",
                        ..
                    })
                ),
                "{bad:#x} at {at}"
            );
        }
    }
}

#[test]
fn setter_refuses_oversize_values_and_queues_nothing() {
    let mut jar = SeedSessionJar::from_request_headers(&HeaderMap::new());
    let name_len = "__Host-session".len();
    jar.set_session(&"a".repeat(4096 - name_len)).unwrap();
    jar.clear_session();
    let err = jar.set_session(&"a".repeat(4097 - name_len)).unwrap_err();
    assert_eq!(
        err,
        CookieError::TooLarge {
            name: "__Host-session",
            size: 4097
        }
    );
    // The earlier removal stays queued; the refused value replaced nothing.
    assert!(
        jar.set_cookie_headers()[0]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
}

#[test]
fn header_injection_through_values_is_impossible() {
    let mut jar = SeedSessionJar::from_request_headers(&HeaderMap::new());
    jar.set_session(&"x; Domain=evil.example\r\nSet-Cookie: a=b".to_string())
        .unwrap();
    let line = jar.set_cookie_headers()[0].to_str().unwrap().to_owned();
    assert_eq!(
        line,
        "__Host-session=x%3B%20Domain=evil.example%0D%0ASet-Cookie:%20a=b; Path=/; Max-Age=28800; HttpOnly; Secure; SameSite=Lax"
    );
}

#[test]
fn later_set_or_clear_replaces_earlier_and_order_is_declaration_order() {
    let mut jar = AppCookiesJar::from_headers(&HeaderMap::new(), &keys());
    jar.clear_analytics_id();
    jar.clear_session();
    jar.clear_analytics_id();
    let lines = jar.set_cookie_headers();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].to_str().unwrap().starts_with("__Host-session=;"));
    assert!(lines[1].to_str().unwrap().starts_with("_ga=;"));
    let mut map = HeaderMap::new();
    jar.write_to(&mut map);
    assert_eq!(map.get_all(SET_COOKIE).iter().count(), 2);
}

#[test]
fn revision_ignores_order_and_docs_but_not_scope() {
    mod a {
        #[derive(cookie_contract::CookieContract)]
        pub struct Inv {
            /// One.
            #[cookie(
                name = "x",
                purpose = "essential",
                secure,
                same_site = "lax",
                max_age = "1h"
            )]
            pub x: String,
            #[cookie(
                name = "y",
                purpose = "essential",
                secure,
                same_site = "lax",
                max_age = "1h"
            )]
            pub y: String,
        }
    }
    mod b {
        #[derive(cookie_contract::CookieContract)]
        pub struct Inv {
            #[cookie(
                name = "y",
                purpose = "essential",
                secure,
                same_site = "lax",
                max_age = "1h"
            )]
            pub y: String,
            /// Another text.
            #[cookie(
                name = "x",
                purpose = "essential",
                secure,
                same_site = "lax",
                max_age = "1h"
            )]
            pub x: String,
        }
    }
    mod c {
        #[derive(cookie_contract::CookieContract)]
        pub struct Inv {
            #[cookie(
                name = "x",
                purpose = "essential",
                secure,
                same_site = "lax",
                max_age = "1h",
                path = "/x"
            )]
            pub x: String,
            #[cookie(
                name = "y",
                purpose = "essential",
                secure,
                same_site = "lax",
                max_age = "1h"
            )]
            pub y: String,
        }
    }
    assert_eq!(a::Inv::REVISION, b::Inv::REVISION);
    assert_ne!(a::Inv::REVISION, c::Inv::REVISION);
    assert_eq!(a::Inv::REVISION.len(), 16);
}

#[test]
fn a_custom_encoder_that_writes_non_octets_is_refused() {
    /// A user type whose encoder forgets to escape.
    struct Careless(&'static str);
    impl cookie_contract::CookieValue for Careless {
        fn encode(&self, out: &mut String) {
            out.push_str(self.0);
        }
        fn decode(raw: &str) -> Result<Self, cookie_contract::DecodeError> {
            let _ = raw;
            Err(cookie_contract::DecodeError::new("write-only"))
        }
    }
    #[derive(cookie_contract::CookieContract)]
    struct Inv {
        #[cookie(
            name = "c",
            purpose = "essential",
            secure,
            same_site = "lax",
            max_age = "1h"
        )]
        c: Careless,
    }
    let mut jar = InvJar::from_request_headers(&HeaderMap::new());
    jar.set_c(&Careless("ok-value")).unwrap();
    for bad in [
        "x; Domain=evil.example",
        "x\r\nSet-Cookie: y=z",
        "sp ace",
        "quote\"",
        "é",
    ] {
        assert_eq!(
            jar.set_c(&Careless(bad)),
            Err(CookieError::BadEncoding { name: "c" }),
            "{bad:?}"
        );
    }
    // The refused values replaced nothing: the good one is still queued.
    assert_eq!(
        jar.set_cookie_headers(),
        ["c=ok-value; Path=/; Max-Age=3600; Secure; SameSite=Lax"]
    );
}

/// `set_f_with`: this response's lifetime, from 1 second up to the declared `max_age`, or a
/// session cookie; every other attribute exactly as declared; longer is an error, never clamped.
#[test]
fn per_response_lifetimes_keep_every_other_attribute() {
    use cookie_contract::Lifetime;
    let value = "v".to_string();
    let line = |lifetime| {
        let mut jar = SeedSessionJar::from_request_headers(&HeaderMap::new());
        jar.set_session_with(&value, lifetime)
            .map(|()| jar.set_cookie_headers()[0].to_str().unwrap().to_owned())
    };
    assert_eq!(
        line(Lifetime::Session).unwrap(),
        "__Host-session=v; Path=/; HttpOnly; Secure; SameSite=Lax"
    );
    assert_eq!(
        line(Lifetime::Seconds(1)).unwrap(),
        "__Host-session=v; Path=/; Max-Age=1; HttpOnly; Secure; SameSite=Lax"
    );
    assert_eq!(
        line(Lifetime::Seconds(28_800)).unwrap(),
        "__Host-session=v; Path=/; Max-Age=28800; HttpOnly; Secure; SameSite=Lax"
    );
    assert_eq!(
        line(Lifetime::Seconds(28_801)),
        Err(CookieError::LifetimeTooLong {
            name: "__Host-session",
            requested: Lifetime::Seconds(28_801),
            declared: Lifetime::Seconds(28_800),
        })
    );
    assert_eq!(
        line(Lifetime::Seconds(0)),
        Err(CookieError::LifetimeZero {
            name: "__Host-session"
        })
    );

    // Domain, Partitioned and Priority around the lifetime; a cookie declared "session" takes
    // no duration at all.
    let keys = KeyRing::new(&[5; 32]).unwrap();
    let mut wide = cookie_contract_tests::WideJar::from_headers(&HeaderMap::new(), &keys);
    wide.set_widget_with(&7, Lifetime::Session).unwrap();
    wide.set_cart_with(&cookie_contract::Json(vec![1]), Lifetime::Seconds(60))
        .unwrap();
    let lines: Vec<String> = wide
        .set_cookie_headers()
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        lines,
        [
            "__Secure-cart=WzFd; Path=/shop; Domain=shop.example.com; Max-Age=60; Secure; SameSite=Strict",
            "__Http-widget=7; Path=/; HttpOnly; Secure; SameSite=None; Partitioned; Priority=Low",
        ]
    );
    assert_eq!(
        wide.set_csrf_with(&"c".to_string(), Lifetime::Seconds(60)),
        Err(CookieError::LifetimeTooLong {
            name: "__Host-Http-csrf",
            requested: Lifetime::Seconds(60),
            declared: Lifetime::Session,
        })
    );
    assert!(
        wide.set_csrf_with(&"c".to_string(), Lifetime::Session)
            .is_ok()
    );
}

/// Legacy scopes: the clearer also removes the cookie at each old scope, byte for byte with the
/// declared attributes; `clear_legacy` removes only the old copies; a name sent twice names the
/// likely cause.
#[test]
fn legacy_scopes_are_cleared_byte_for_byte() {
    use cookie_contract_tests::{Migrated, MigratedJar};
    let lines = |jar: &MigratedJar| -> Vec<String> {
        jar.set_cookie_headers()
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    };
    let mut jar = MigratedJar::from_request_headers(&HeaderMap::new());
    jar.clear_theme();
    assert_eq!(
        lines(&jar),
        [
            "theme=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; SameSite=Lax",
            "theme=; Path=/app; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; SameSite=Lax",
            "theme=; Path=/; Domain=example.com; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; SameSite=Lax",
        ]
    );
    let mut jar = MigratedJar::from_request_headers(&HeaderMap::new());
    jar.set_cart(&"k".to_string()).unwrap();
    jar.clear_legacy();
    assert_eq!(
        lines(&jar),
        [
            "theme=; Path=/app; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; SameSite=Lax",
            "theme=; Path=/; Domain=example.com; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; SameSite=Lax",
            "__Secure-cart=k; Path=/; Domain=shop.example.com; Max-Age=604800; HttpOnly; Secure; SameSite=Strict",
            "__Secure-cart=; Path=/shop; Domain=example.com; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict",
        ]
    );
    // Both copies sent: the error says why, and clearing removes the old one.
    let jar = MigratedJar::from_request_headers(&request(&["theme=dark; theme=light"]));
    assert_eq!(
        jar.try_theme(),
        Err(CookieError::DuplicateAtLegacyScope { name: "theme" })
    );
    // The audit knows these removals, in any spelling, and only at declared scopes.
    for line in Migrated::COOKIES[0].legacy_removals() {
        assert_eq!(
            cookie_contract::audit::check_line(Migrated::COOKIES, line.as_bytes())
                .map(|(_, removal)| removal),
            Ok(true),
            "{line}"
        );
    }
    assert!(
        cookie_contract::audit::check_line(
            Migrated::COOKIES,
            b"theme=; max-age=0; samesite=Lax; secure; path=/app"
        )
        .is_ok_and(|(_, removal)| removal)
    );
    assert!(
        cookie_contract::audit::check_line(
            Migrated::COOKIES,
            b"theme=; Path=/other; Max-Age=0; Secure; SameSite=Lax"
        )
        .is_err()
    );
}
