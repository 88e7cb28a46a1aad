//! What both versions of the migrating application share: the session table (one SQLite file,
//! keyed by the SHA-256 of the session token, as cookie-contract's `SessionToken::hash` keys
//! it), the port-0 start-up, and the settings read from the environment.
//!
//! - `v1` is the application before the migration: axum-extra's `SignedCookieJar` with a
//!   cookie-rs `Key`.
//! - `v2` is the same application on cookie-contract, with v1's key as a legacy key
//!   (`KeyRing::with_legacy_cookie_key`); without `LEGACY_KEY` it is "v3", the key retired.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use sha2::{Digest as _, Sha256};

/// The session table, shared by both versions.
#[derive(Clone)]
pub struct Sessions(Arc<Mutex<rusqlite::Connection>>);

impl Sessions {
    /// Opens `DATA_DIR/sessions.sqlite3`.
    pub fn open() -> Sessions {
        let dir = PathBuf::from(std::env::var("DATA_DIR").expect("DATA_DIR"));
        let conn = rusqlite::Connection::open(dir.join("sessions.sqlite3")).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
             CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, user TEXT NOT NULL)",
        )
        .unwrap();
        Sessions(Arc::new(Mutex::new(conn)))
    }

    /// Files a session for `user` under the hash of `token` (its raw 32 bytes).
    pub fn create(&self, token: &[u8], user: &str) {
        self.0
            .lock()
            .unwrap()
            .execute(
                "INSERT INTO sessions (id, user) VALUES (?1, ?2)",
                (hex(token), user),
            )
            .unwrap();
    }

    /// The user of the session whose token is `token`.
    pub fn user(&self, token: &[u8]) -> Option<String> {
        let conn = self.0.lock().unwrap();
        conn.query_row(
            "SELECT user FROM sessions WHERE id = ?1",
            [hex(token)],
            |r| r.get(0),
        )
        .ok()
    }
}

/// SHA-256 of `token`, lower-case hex (what `SessionHash` prints).
fn hex(token: &[u8]) -> String {
    Sha256::digest(token)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// v1's cookie-rs master key (64 bytes), from `V1_KEY` as hex.
pub fn v1_key(var: &str) -> Option<[u8; 64]> {
    let hex = std::env::var(var).ok()?;
    let mut key = [0u8; 64];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(key)
}

/// Serves `app` on `127.0.0.1:0` and prints the address it got.
pub async fn serve(app: axum::Router) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!("listening on http://{}", listener.local_addr().unwrap());
    axum::serve(listener, app).await.unwrap();
}
