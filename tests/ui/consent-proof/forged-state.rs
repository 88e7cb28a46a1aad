//! A consent state that grants analytics cannot be built from public parts: there is no
//! `ConsentState::new`; only the jar (for a verified consent cookie), `record_consent` and the
//! explicitly trusting `from_trusted_record` make one.
use cookie_contract::{Analytics, ConsentRecord, ConsentState};

fn main() {
    let record: Option<ConsentRecord> = None;
    let state = ConsentState::new(record, "", false);
    let _proof = state.granted::<Analytics>();
}
