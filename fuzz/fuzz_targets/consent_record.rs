//! Consent-record decoding and the consent state built from it.
#![no_main]

use cookie_contract::{Analytics, ConsentRecord, ConsentState, CookieValue};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let record = ConsentRecord::decode(s).ok();
    let revision = record.as_ref().map(|r| r.revision.clone()).unwrap_or_default();
    for gpc in [false, true] {
        let state = ConsentState::new(record.clone(), &revision, gpc);
        let _ = state.granted::<Analytics>();
        let _ = cookie_contract::consent::google_consent_mode(&state).to_json();
    }
});
