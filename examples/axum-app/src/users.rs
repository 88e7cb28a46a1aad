//! The accounts: in development the demo user (its password is published in the README) plus
//! `DEMO_USERS`; in production only `DEMO_USERS`, and never with the published password.
//! Passwords are hashed with Argon2id at start-up and never kept in clear.

use crate::config::{ConfigError, Environment};
use crate::passwords::{Hasher, StoredHash};

/// The demo account's e-mail address.
pub const DEMO_EMAIL: &str = "masa@example.com";
/// The demo account's password (published in the README; hashed at start-up). Refused in
/// production, for any account.
pub const DEMO_PASSWORD: &str = "correct-horse-battery-staple";

/// The accounts the app knows.
pub struct Users {
    accounts: Vec<(String, StoredHash)>,
    /// Verified against when the e-mail is unknown, so both cases take the same time.
    decoy: StoredHash,
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
        // One Argon2 block for every hash made at start-up.
        let mut hasher = Hasher::new();
        let mut accounts = Vec::new();
        match environment {
            Environment::Development => {
                accounts.push((DEMO_EMAIL.to_owned(), hasher.hash(DEMO_PASSWORD)));
            }
            Environment::Production => {
                if let Some((email, _)) = extra.iter().find(|(_, p)| p == DEMO_PASSWORD) {
                    return Err(ConfigError(format!(
                        "DEMO_USERS: {email} uses the published demo password, which production refuses"
                    )));
                }
            }
        }
        accounts.extend(
            extra
                .iter()
                .map(|(e, p)| (e.to_ascii_lowercase(), hasher.hash(p))),
        );
        Ok(Users {
            accounts,
            decoy: hasher.hash("decoy password"),
        })
    }

    /// The stored hash to check a login against, and whether the account exists. An unknown
    /// e-mail gets the decoy's hash, so both cases cost one Argon2 run and take the same time.
    /// E-mail addresses compare case-insensitively.
    pub fn lookup(&self, email: &str) -> (&StoredHash, bool) {
        match self
            .accounts
            .iter()
            .find(|(e, _)| e.eq_ignore_ascii_case(email.trim()))
        {
            Some((_, h)) => (h, true),
            None => (&self.decoy, false),
        }
    }
}
