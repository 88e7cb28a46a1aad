//! The demo user. Its password is hashed with Argon2id at start-up and never kept in clear.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// The demo account's e-mail address.
pub const DEMO_EMAIL: &str = "masa@example.com";
/// The demo account's password (documented in the README; hashed at start-up).
const DEMO_PASSWORD: &str = "correct-horse-battery-staple";

/// The accounts the app knows.
pub struct Users {
    accounts: Vec<(String, String)>,
    /// Verified against when the e-mail is unknown, so both cases take the same time.
    decoy: String,
}

impl Users {
    /// The demo user, hashed now.
    pub fn demo() -> Self {
        Self::with_extra(&[])
    }

    /// The demo user plus `extra` `(email, password)` accounts (from `DEMO_USERS`, for load
    /// tests that need one account per client), all hashed now.
    pub fn with_extra(extra: &[(String, String)]) -> Self {
        let mut accounts = vec![(DEMO_EMAIL.to_owned(), hash(DEMO_PASSWORD))];
        accounts.extend(extra.iter().map(|(e, p)| (e.to_ascii_lowercase(), hash(p))));
        Users {
            accounts,
            decoy: hash("decoy password"),
        }
    }

    /// Checks a login. E-mail addresses compare case-insensitively.
    pub fn verify(&self, email: &str, password: &str) -> bool {
        let (hash, known) = match self
            .accounts
            .iter()
            .find(|(e, _)| e.eq_ignore_ascii_case(email.trim()))
        {
            Some((_, h)) => (h.as_str(), true),
            None => (self.decoy.as_str(), false),
        };
        let ok = PasswordHash::new(hash).is_ok_and(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        });
        ok && known
    }
}

fn hash(password: &str) -> String {
    let mut raw = [0u8; 16];
    getrandom::fill(&mut raw).expect("the OS random source failed");
    let salt = SaltString::encode_b64(&raw).expect("16 bytes is a valid salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("Argon2 with default parameters hashes any password")
        .to_string()
}
