//! What every handler shares.

use std::sync::Arc;

use axum::extract::FromRef;
use cookie_contract::KeyRing;

use crate::passwords::PasswordChecker;
use crate::store::Store;
use crate::throttle::InFlight;
use crate::users::Users;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    /// Signing and CSRF keys.
    pub keys: KeyRing,
    /// Where sessions live.
    pub store: Store,
    /// The accounts.
    pub users: Arc<Users>,
    /// The password-checking workers (memory bounded by their number times 19 MiB).
    pub passwords: PasswordChecker,
    /// Password checks in flight per client address.
    pub in_flight: InFlight,
}

/// The jars' extractor takes the key ring from the state.
impl FromRef<AppState> for KeyRing {
    fn from_ref(s: &AppState) -> KeyRing {
        s.keys.clone()
    }
}
