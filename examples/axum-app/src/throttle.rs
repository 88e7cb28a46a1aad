//! Login throttling, as OWASP's authentication cheat sheet describes it: failed logins are
//! counted per account and per client address; past a free allowance each further failure makes
//! the key wait twice as long as the one before (1 s, 2 s, 4 s, … capped at 15 minutes), and a
//! login for a waiting key is answered `429` with `Retry-After` without checking the password.
//!
//! - Never a permanent lockout: a wait never exceeds the cap, and the count starts again after
//!   a quiet window, so an attacker can slow a victim's account down but not lock it for good.
//! - Memory bounded whatever the attacker sends: the counters live in the session store (SQLite
//!   rows purged with the sessions, Redis keys that expire), one small record per key, and the
//!   in-process part is only the per-client count of checks in flight.
//! - Shared by all instances when sessions are in Redis.
//! - Accounts are keyed by a SHA-256 of the normalised e-mail address, so neither the store nor
//!   the log holds the address of someone who merely typed it.

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use sha2::{Digest as _, Sha256};

use crate::store::StoreError;

/// How one kind of key is throttled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Failures allowed before any wait.
    pub free: u32,
    /// Seconds without a failure after which the count starts again.
    pub window: u64,
    /// The longest wait, in seconds.
    pub cap: u64,
}

impl Policy {
    /// Per account: five tries, then waits from one second up to 15 minutes.
    pub const ACCOUNT: Policy = Policy {
        free: 5,
        window: 15 * 60,
        cap: 15 * 60,
    };
    /// Per client address: twenty failures (several people may share one address).
    pub const CLIENT: Policy = Policy {
        free: 20,
        window: 15 * 60,
        cap: 15 * 60,
    };

    /// The wait after the `failures`-th failure in a row.
    pub fn delay(&self, failures: u32) -> u64 {
        match failures.checked_sub(self.free + 1) {
            None => 0,
            Some(extra) => 1u64.checked_shl(extra).unwrap_or(u64::MAX).min(self.cap),
        }
    }

    /// How long a record must be kept: a quiet window plus the longest wait.
    pub fn keep(&self) -> u64 {
        self.window + self.cap
    }
}

/// What the store keeps per throttled key.
pub trait ThrottleStore: Send + Sync {
    /// Until when (seconds since the epoch; the wait lasts through the end of that second) `key`
    /// must wait, if it must; `None` when it may try.
    fn blocked_until(
        &self,
        key: &str,
        now: u64,
    ) -> impl Future<Output = Result<Option<u64>, StoreError>> + Send;
    /// Counts one failure for `key` at `now` under `policy`; returns until when it must wait
    /// (0: it need not).
    fn record_failure(
        &self,
        key: &str,
        now: u64,
        policy: Policy,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;
    /// Forgets `key`'s failures (after a successful login).
    fn reset(&self, key: &str) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// The throttle key of an account: a hash of its normalised e-mail address.
pub fn account_key(email: &str) -> String {
    let digest = Sha256::digest(email.trim().to_ascii_lowercase().as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("account:{hex}")
}

/// The throttle key of a client address.
pub fn client_key(ip: IpAddr) -> String {
    format!("client:{ip}")
}

/// At most [`InFlight::PER_CLIENT`] password checks in flight per client address: forty bad
/// logins sent at once from one address take one worker, not all of them, so other people's
/// logins are not queued behind them. Memory: one entry per address with a check in flight.
#[derive(Clone, Default)]
pub struct InFlight {
    counts: Arc<Mutex<HashMap<IpAddr, u32>>>,
}

impl InFlight {
    /// Checks in flight one address may have.
    pub const PER_CLIENT: u32 = 1;

    /// A slot for `ip`, or `None` when it already has its share.
    pub fn enter(&self, ip: IpAddr) -> Option<Slot> {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let n = counts.entry(ip).or_insert(0);
        if *n >= Self::PER_CLIENT {
            return None;
        }
        *n += 1;
        Some(Slot {
            counts: self.counts.clone(),
            ip,
        })
    }
}

/// A password check in flight for one address; leaving frees the slot.
pub struct Slot {
    counts: Arc<Mutex<HashMap<IpAddr, u32>>>,
    ip: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = counts.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                counts.remove(&self.ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_after_the_allowance_and_stop_at_the_cap() {
        let p = Policy::ACCOUNT;
        let waits: Vec<u64> = (1..=10).map(|n| p.delay(n)).collect();
        assert_eq!(waits, [0, 0, 0, 0, 0, 1, 2, 4, 8, 16]);
        assert_eq!(p.delay(40), 15 * 60);
        assert_eq!(p.delay(u32::MAX), 15 * 60);
    }

    #[test]
    fn account_keys_hash_the_normalised_address() {
        assert_eq!(
            account_key(" Masa@Example.com"),
            account_key("masa@example.com")
        );
        assert!(!account_key("masa@example.com").contains("masa"));
        assert_ne!(account_key("a@example.com"), account_key("b@example.com"));
    }

    #[test]
    fn one_check_in_flight_per_client() {
        let f = InFlight::default();
        let a: IpAddr = "127.0.0.2".parse().unwrap();
        let b: IpAddr = "127.0.0.3".parse().unwrap();
        let slot = f.enter(a).unwrap();
        assert!(f.enter(a).is_none());
        assert!(f.enter(b).is_some());
        drop(slot);
        assert!(f.enter(a).is_some());
        assert!(
            f.counts.lock().unwrap().is_empty(),
            "no entry outlives its checks"
        );
    }
}
