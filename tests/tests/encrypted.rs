//! Encrypted cookies (`#[cookie(encrypted)]`): every value type survives a seal and an open
//! through the jar; the client can read none of it; a sealed value that is changed anywhere,
//! truncated, extended, moved to another cookie or sealed with another key is refused; previous
//! keys open and the jar re-seals, retired keys open nothing; the 4096-byte limit is decided on
//! the sealed length; values axum-extra's `PrivateCookieJar` sealed open under the legacy key and
//! are re-sealed in this crate's format in the same response.

use std::collections::HashSet;

use axum_extra::extract::cookie::{Cookie, Key, PrivateCookieJar};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cookie_contract::sealing::{NONCE_LEN, TAG_LEN, sealed_len};
use cookie_contract::signing::Verified;
use cookie_contract::{
    ConsentChoice, ConsentRecord, ConsentSource, ConsentState, CookieError, Inventory, Json,
    KeyRing, SessionToken,
};
use cookie_contract_harness::http::cookie_pair;
use cookie_contract_tests::{AnalyticsId, Sealed, SealedJar, Theme};
use http::HeaderMap;
use http::header::{COOKIE, SET_COOKIE};
use proptest::prelude::*;

const K1: &[u8] = b"first key of this test, 32 bytes or more";
const K2: &[u8] = b"second key of this test, 32 bytes or more";

fn ring(key: &[u8]) -> KeyRing {
    KeyRing::new(key).unwrap()
}

/// A request carrying `pairs` (each `name=value`), between two unrelated cookies.
fn request(pairs: &[String]) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        COOKIE,
        format!("_other=1; {}; z=2", pairs.join("; "))
            .parse()
            .unwrap(),
    );
    h
}

/// The `name=value` pairs of every `Set-Cookie` the jar would send.
fn pairs(jar: &SealedJar) -> Vec<String> {
    jar.set_cookie_headers()
        .iter()
        .map(|v| cookie_pair(v.to_str().unwrap()).to_owned())
        .collect()
}

/// The sealed wire value of `flash` holding `text`, sealed with `keys`.
fn sealed_flash(keys: &KeyRing, text: &str) -> String {
    let mut jar = SealedJar::from_headers(&HeaderMap::new(), keys);
    jar.set_flash(&text.to_owned()).unwrap();
    let pair = pairs(&jar).remove(0);
    pair.strip_prefix("__Host-flash=").unwrap().to_owned()
}

fn granted() -> ConsentState {
    let r = ConsentRecord::restore(
        ConsentChoice::ACCEPT_ALL,
        Sealed::REVISION,
        1,
        ConsentSource::Banner,
    );
    ConsentState::from_trusted_record(r, Sealed::REVISION, false)
}

fn read_flash(keys: &KeyRing, wire: &str) -> Result<Option<String>, CookieError> {
    SealedJar::from_headers(&request(&[format!("__Host-flash={wire}")]), keys).try_flash()
}

#[test]
fn every_value_type_round_trips_and_the_client_reads_none_of_it() {
    let keys = ring(K1);
    let consent = granted();
    let pref = consent.granted().unwrap();
    let stat = consent.granted().unwrap();
    let token = SessionToken::new();
    let record = ConsentRecord::choose(ConsentChoice::ACCEPT_ALL, Sealed::REVISION, false);
    let mut jar = SealedJar::from_headers(&HeaderMap::new(), &keys);
    jar.set_flash(&"Signed in as ada".to_owned()).unwrap();
    jar.set_session(&token).unwrap();
    jar.set_consent(&record).unwrap();
    jar.set_visits(&u64::MAX).unwrap();
    jar.set_offset(&-424_242).unwrap();
    jar.set_beta(&true).unwrap();
    jar.set_theme(&Theme::HighContrast, &pref).unwrap();
    jar.set_analytics_id(&AnalyticsId("visitor-7".into()), &stat)
        .unwrap();
    jar.set_cart(&Json(vec![3, 1, 4])).unwrap();
    jar.set_note(&String::new()).unwrap();
    let sent = pairs(&jar);
    assert_eq!(sent.len(), Sealed::COOKIES.len());

    for (pair, spec) in sent.iter().zip(Sealed::COOKIES) {
        let (name, value) = pair.split_once('=').unwrap();
        assert_eq!(name, spec.name());
        // base64url of nonce, ciphertext and tag: nothing of the value shows.
        let raw = URL_SAFE_NO_PAD.decode(value).unwrap();
        assert!(raw.len() >= NONCE_LEN + TAG_LEN, "{pair}");
        // Each plaintext as its `CookieValue` writes it, long enough that random base64url
        // cannot contain it by chance (a 3-letter marker can: one run here failed on one).
        for plain in [
            "Signed%20in%20as%20ada",
            "18446744073709551615",
            "-424242",
            "high-contrast",
            "visitor-7",
            "WzMsMSw0XQ", // `[3,1,4]` as `Json` writes it
        ] {
            assert!(!pair.contains(plain), "{pair} shows {plain}");
        }
    }
    assert!(!sent.iter().any(|p| p.contains(&token.to_base64())));

    let back = SealedJar::from_headers(&request(&sent), &keys);
    assert_eq!(back.flash().as_deref(), Some("Signed in as ada"));
    assert_eq!(back.session(), Some(token));
    assert_eq!(back.consent(), Some(record));
    assert_eq!(back.visits(), Some(u64::MAX));
    assert_eq!(back.offset(), Some(-424_242));
    assert_eq!(back.beta(), Some(true));
    assert_eq!(back.theme(&pref), Some(Theme::HighContrast));
    assert_eq!(
        back.analytics_id(&stat),
        Some(AnalyticsId("visitor-7".into()))
    );
    assert_eq!(back.cart().map(|c| c.0), Some(vec![3, 1, 4]));
    assert_eq!(back.note().as_deref(), Some(""));
    assert!(
        back.set_cookie_headers().is_empty(),
        "current key: nothing to re-seal"
    );
    // The consent state comes from the sealed consent cookie.
    assert!(
        back.consent_state()
            .granted::<cookie_contract::Analytics>()
            .is_some()
    );
}

#[test]
fn no_two_seals_are_equal() {
    let keys = ring(K1);
    let seals: HashSet<String> = (0..10_000).map(|_| sealed_flash(&keys, "same")).collect();
    assert_eq!(seals.len(), 10_000);
    let nonces: HashSet<Vec<u8>> = seals
        .iter()
        .map(|s| URL_SAFE_NO_PAD.decode(s).unwrap()[..NONCE_LEN].to_vec())
        .collect();
    assert_eq!(nonces.len(), 10_000, "a nonce repeated");
}

/// Every single-bit change of the sealed bytes (nonce, ciphertext and tag), every truncation and
/// every one-character extension is refused with `BadSeal`, for any value.
fn assert_every_change_refused(keys: &KeyRing, text: &str) {
    let wire = sealed_flash(keys, text);
    assert_eq!(read_flash(keys, &wire), Ok(Some(text.to_owned())));
    let bad = Err(CookieError::BadSeal {
        name: "__Host-flash",
    });
    let raw = URL_SAFE_NO_PAD.decode(&wire).unwrap();
    for bit in 0..raw.len() * 8 {
        let mut flipped = raw.clone();
        flipped[bit / 8] ^= 1 << (bit % 8);
        let changed = URL_SAFE_NO_PAD.encode(&flipped);
        assert_eq!(read_flash(keys, &changed), bad, "bit {bit} of {wire}");
    }
    // Bits of the wire characters: no longer base64url, a non-canonical spelling, a `;` that
    // cuts the value, or other bytes; each refused. A byte no client could send is skipped.
    for bit in 0..wire.len() * 8 {
        let mut bytes = wire.clone().into_bytes();
        bytes[bit / 8] ^= 1 << (bit % 8);
        let header = [b"__Host-flash=".as_slice(), &bytes].concat();
        let Ok(header) = http::HeaderValue::from_bytes(&header) else {
            continue;
        };
        let mut h = HeaderMap::new();
        h.insert(COOKIE, header);
        let read = SealedJar::from_headers(&h, keys).try_flash();
        assert!(read.is_err(), "wire bit {bit} of {wire} gave {read:?}");
    }
    for len in 0..wire.len() {
        assert_eq!(read_flash(keys, &wire[..len]), bad, "cut at {len}");
    }
    for extra in ["A", "_", "-", "AA", "AAAA"] {
        assert_eq!(read_flash(keys, &format!("{wire}{extra}")), bad, "+{extra}");
    }
}

#[test]
fn every_bit_of_a_seal_is_checked() {
    let keys = ring(K1);
    for text in ["", "x", "Signed in as ada", &"y".repeat(200)] {
        assert_every_change_refused(&keys, text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn every_bit_of_a_seal_is_checked_for_any_value(text in "[!#-+\\--:<-\\[\\]-~]{0,80}") {
        assert_every_change_refused(&ring(K1), &text);
    }
}

#[test]
fn a_seal_opens_under_its_own_cookie_name_only() {
    let keys = ring(K1);
    let wire = sealed_flash(&keys, "7");
    // The same bytes under every other declared name: refused, even where "7" would decode.
    for spec in Sealed::COOKIES
        .iter()
        .filter(|c| c.name() != "__Host-flash")
    {
        assert_eq!(
            keys.unseal(spec.name(), &wire),
            None,
            "opened as {}",
            spec.name()
        );
    }
    let jar = SealedJar::from_headers(&request(&[format!("visits={wire}")]), &keys);
    assert_eq!(
        jar.try_visits(),
        Err(CookieError::BadSeal { name: "visits" })
    );
    assert!(keys.unseal("__Host-flash", &wire).is_some());
}

#[test]
fn previous_keys_open_and_are_resealed_and_retired_keys_open_nothing() {
    let wire = sealed_flash(&ring(K1), "carried over");
    // Rotation: K2 is current, K1 previous. The value opens, and the same response re-seals it
    // with K2 and the declared attributes.
    let rotated = KeyRing::rotating(K2, &[K1]).unwrap();
    assert_eq!(
        rotated.unseal("__Host-flash", &wire).map(|(_, v)| v),
        Some(Verified::Previous)
    );
    let jar = SealedJar::from_headers(&request(&[format!("__Host-flash={wire}")]), &rotated);
    assert_eq!(jar.flash().as_deref(), Some("carried over"));
    let out = jar.set_cookie_headers();
    assert_eq!(out.len(), 1);
    let line = out[0].to_str().unwrap();
    let spec = Sealed::spec("__Host-flash").unwrap();
    assert!(line.ends_with(spec.attribute_suffix()), "{line}");
    let resealed = cookie_pair(line).strip_prefix("__Host-flash=").unwrap();
    assert_ne!(resealed, wire);
    // The plaintext is the value as its `CookieValue` encodes it (a `String` percent-encodes).
    assert_eq!(
        ring(K2).unseal("__Host-flash", resealed),
        Some(("carried%20over".to_owned(), Verified::Current))
    );
    assert_eq!(ring(K1).unseal("__Host-flash", resealed), None);
    // Read with the current key: nothing to re-seal.
    let again = SealedJar::from_headers(&request(&[format!("__Host-flash={resealed}")]), &rotated);
    assert_eq!(again.flash().as_deref(), Some("carried over"));
    assert!(again.set_cookie_headers().is_empty());

    // Retired: K1 dropped from the ring. Another key entirely: refused too.
    for keys in [
        ring(K2),
        ring(b"a key that never sealed anything, 32+ bytes"),
    ] {
        assert_eq!(
            read_flash(&keys, &wire),
            Err(CookieError::BadSeal {
                name: "__Host-flash"
            })
        );
    }
}

#[test]
fn the_size_limit_is_decided_on_the_sealed_length() {
    let keys = ring(K1);
    let name = "note";
    // The longest value whose seal still fits in 4096 bytes of name and value.
    let fits = (0..4096)
        .rev()
        .find(|&n| name.len() + sealed_len(n) <= 4096)
        .unwrap();
    let mut jar = SealedJar::from_headers(&HeaderMap::new(), &keys);
    jar.set_note(&"n".repeat(fits)).unwrap();
    let pair = pairs(&jar).remove(0);
    assert!(
        pair.len() - 1 <= 4096 && pair.len() - 1 > 4090,
        "{}",
        pair.len()
    );
    let back = SealedJar::from_headers(&request(std::slice::from_ref(&pair)), &keys);
    assert_eq!(back.note().map(|n| n.len()), Some(fits));

    // One byte more: plainly it would fit (far under 4096), sealed it would not.
    assert!(name.len() + fits + 1 < 4096 - 20);
    let err = jar.set_note(&"n".repeat(fits + 1)).unwrap_err();
    assert_eq!(
        err,
        CookieError::TooLarge {
            name: "note",
            size: name.len() + sealed_len(fits + 1)
        }
    );
    // Nothing queued on error: the earlier value stays.
    assert_eq!(pairs(&jar), vec![pair]);
}

#[test]
fn wrong_types_under_a_valid_seal_are_invalid_not_panics() {
    // A seal of "not a number" for the `visits` cookie opens and then fails to decode.
    let keys = ring(K1);
    let wire = keys.seal("visits", b"not a number");
    let jar = SealedJar::from_headers(&request(&[format!("visits={wire}")]), &keys);
    assert!(matches!(
        jar.try_visits(),
        Err(CookieError::Invalid { name: "visits", .. })
    ));
}

const OLD_MASTER: [u8; 64] = [9; 64];

/// What a browser holding axum-extra's private `__Host-flash` sends back.
fn axum_extra_private(name: &str, value: &str) -> String {
    use axum::response::IntoResponse;
    let jar = PrivateCookieJar::new(Key::from(&OLD_MASTER))
        .add(Cookie::new(name.to_owned(), value.to_owned()));
    let response = jar.into_response();
    let line = response.headers()[SET_COOKIE].to_str().unwrap();
    cookie_pair(line).to_owned()
}

#[test]
fn a_value_axum_extra_encrypted_opens_under_the_legacy_key_and_is_resealed() {
    let pair = axum_extra_private("__Host-flash", "from the old app");
    let keys = ring(K2).with_legacy_cookie_key(&Key::from(&OLD_MASTER));
    let jar = SealedJar::from_headers(&request(std::slice::from_ref(&pair)), &keys);
    assert_eq!(jar.flash().as_deref(), Some("from the old app"));
    // Re-sealed in this crate's format with the current key, in the same response.
    let out = jar.set_cookie_headers();
    assert_eq!(out.len(), 1);
    let resealed = cookie_pair(out[0].to_str().unwrap())
        .strip_prefix("__Host-flash=")
        .unwrap()
        .to_owned();
    assert_eq!(
        ring(K2).unseal("__Host-flash", &resealed),
        Some(("from the old app".to_owned(), Verified::Current))
    );

    // Without the legacy key, tampered, or sealed for another name: refused.
    assert!(matches!(
        SealedJar::from_headers(&request(std::slice::from_ref(&pair)), &ring(K2)).try_flash(),
        Err(CookieError::BadSeal { .. })
    ));
    let (name, value) = pair.split_once('=').unwrap();
    let mut tampered = value.to_owned().into_bytes();
    tampered[20] = if tampered[20] == b'A' { b'B' } else { b'A' };
    let tampered = format!("{name}={}", String::from_utf8(tampered).unwrap());
    assert!(matches!(
        SealedJar::from_headers(&request(&[tampered]), &keys).try_flash(),
        Err(CookieError::BadSeal { .. })
    ));
    let other = axum_extra_private("cart", "[1]");
    let moved = format!("__Host-flash={}", other.strip_prefix("cart=").unwrap());
    assert!(matches!(
        SealedJar::from_headers(&request(&[moved]), &keys).try_flash(),
        Err(CookieError::BadSeal { .. })
    ));
}
