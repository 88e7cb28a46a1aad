//! What every handler shares.

use std::sync::Arc;

use axum::extract::FromRef;
use cookie_contract::KeyRing;

use crate::store::Store;
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
    /// Bounds concurrent password checks: each Argon2 run holds 19 MiB, so a login flood must
    /// queue rather than exhaust memory.
    pub hashing: Arc<tokio::sync::Semaphore>,
}

/// The jars' extractor takes the key ring from the state.
impl FromRef<AppState> for KeyRing {
    fn from_ref(s: &AppState) -> KeyRing {
        s.keys.clone()
    }
}
