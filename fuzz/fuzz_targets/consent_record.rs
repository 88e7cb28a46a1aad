//! Consent-record decoding and the consent state built from it: never a panic; a decoded record
//! encodes back to a value that decodes to the same record; the state grants exactly what the
//! record grants, minus what GPC denies, and nothing for another revision.
#![no_main]

use cookie_contract::{
    Advertising, Analytics, Category, ConsentRecord, ConsentSource, ConsentState, CookieValue,
    Preferences,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let Ok(record) = ConsentRecord::decode(s) else {
        // Refused input: no state can be built from it, so nothing is granted.
        let state = ConsentState::no_choice(false);
        assert!(state.granted::<Analytics>().is_none());
        return;
    };
    let mut wire = String::new();
    record.encode(&mut wire);
    assert_eq!(wire.len(), record.encoded_len());
    assert_eq!(ConsentRecord::decode(&wire).as_ref(), Ok(&record), "{wire}");

    let revision = record.revision().to_owned();
    let choice = record.choice();
    for gpc in [false, true] {
        let state = ConsentState::from_trusted_record(record.clone(), &revision, gpc);
        let gpc_blocks = gpc && record.source() != ConsentSource::BannerOverGpc;
        assert_eq!(state.granted::<Preferences>().is_some(), choice.preferences);
        assert_eq!(state.granted::<Analytics>().is_some(), choice.analytics && !gpc_blocks);
        assert_eq!(state.granted::<Advertising>().is_some(), choice.advertising && !gpc_blocks);
        assert!(state.grants(Category::Necessary));
        let mode = cookie_contract::consent::google_consent_mode(&state);
        assert_eq!(mode.analytics_storage, state.grants(Category::Analytics));
        assert_eq!(mode.ad_storage, state.grants(Category::Advertising));

        // A record for another inventory revision grants nothing gated.
        let stale = ConsentState::from_trusted_record(record.clone(), &format!("{revision}x"), gpc);
        assert!(!stale.has_choice());
        assert!(stale.granted::<Preferences>().is_none());
        assert!(stale.granted::<Analytics>().is_none());
        assert!(stale.granted::<Advertising>().is_none());
    }
});
