//! A consent record cannot be built field by field (the fields are private), so no code can
//! write `analytics: true` for a visitor.
use cookie_contract::{ConsentRecord, ConsentSource};

fn main() {
    let _forged = ConsentRecord {
        preferences: true,
        analytics: true,
        advertising: true,
        revision: String::new(),
        given_at: 0,
        source: ConsentSource::Banner,
    };
}
