//! The accounts: in development the demo user (its password is published in the README) plus
//! `DEMO_USERS`; in production only `DEMO_USERS`, and never with the published password.
//! Passwords are hashed with Argon2id at start-up and never kept in clear.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::config::{ConfigError, Environment};

/// The demo account's e-mail address.
pub const DEMO_EMAIL: &str = "masa@example.com";
/// The demo account's password (published in the README; hashed at start-up). Refused in
/// production, for any account.
pub const DEMO_PASSWORD: &str = "correct-horse-battery-staple";

/// The accounts the app knows.
pub struct Users {
    accounts: Vec<(String, String)>,
    /// Verified against when the e-mail is unknown, so both cases take the same time.
    decoy: String,
}

impl Users {
    /// The demo user, hashed now.
    pub fn demo() -> Self {
        Self::for_environment(Environment::Development, &[]).expect("development accepts it")
    }

    /// The accounts for `environment`: in development the demo user plus `extra`
    /// `(email, password)` accounts (`DEMO_USERS`), in production `extra` alone. All hashed now.
    ///
    /// # Errors
    /// In production, when an account of `extra` uses the published demo password.
    pub fn for_environment(
        environment: Environment,
        extra: &[(String, String)],
    ) -> Result<Self, ConfigError> {
        let mut accounts = Vec::new();
        match environment {
            Environment::Development => {
                accounts.push((DEMO_EMAIL.to_owned(), hash(DEMO_PASSWORD)));
            }
            Environment::Production => {
                if let Some((email, _)) = extra.iter().find(|(_, p)| p == DEMO_PASSWORD) {
                    return Err(ConfigError(format!(
                        "DEMO_USERS: {email} uses the published demo password, which production refuses"
                    )));
                }
            }
        }
        accounts.extend(extra.iter().map(|(e, p)| (e.to_ascii_lowercase(), hash(p))));
        Ok(Users {
            accounts,
            decoy: hash("decoy password"),
        })
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
