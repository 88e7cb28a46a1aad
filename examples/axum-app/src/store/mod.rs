//! Session stores. The record is the truth: the cookie only names it (by token), and stores file
//! records under the SHA-256 of the token, so a leaked table holds no live tokens.

mod in_redis;
mod in_sqlite;

use std::future::Future;

use cookie_contract::{Lifetime, Purpose, SessionHash};

pub use in_redis::{REDIS_TIMEOUT, RedisStore};
pub use in_sqlite::SqliteStore;

use crate::cookies::AppCookies;

/// A session is refused after 30 minutes without a request.
pub const IDLE_TIMEOUT: u64 = 30 * 60;
/// A session is refused this long after login, however active: the declared `max_age` of the
/// inventory's authentication cookie, so the record never outlives the cookie (nor the other
/// way round) and changing the declaration changes both.
pub const ABSOLUTE_TIMEOUT: u64 = session_cookie_lifetime();
/// How long a login-throttle record is kept after its last failure (the longest policy's quiet
/// window plus its longest wait).
pub const THROTTLE_KEEP: u64 = 30 * 60;
/// `last_seen` is written at most this often, so a busy session does not write on every request;
/// the idle timeout is accurate to this many seconds.
pub const TOUCH_INTERVAL: u64 = 60;

/// One server-side session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    /// The user's e-mail address.
    pub user: String,
    /// Login time, seconds since the Unix epoch.
    pub created_at: u64,
    /// Last request, seconds since the Unix epoch (to [`TOUCH_INTERVAL`]).
    pub last_seen: u64,
}

/// Why a record no longer counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expired {
    /// Idle for longer than [`IDLE_TIMEOUT`].
    Idle,
    /// Older than [`ABSOLUTE_TIMEOUT`].
    Absolute,
}

impl SessionRecord {
    /// A record for a login now.
    pub fn new(user: &str, now: u64) -> Self {
        SessionRecord {
            user: user.to_owned(),
            created_at: now,
            last_seen: now,
        }
    }

    /// Checks both timeouts at `now`.
    ///
    /// # Errors
    /// Which timeout has passed.
    pub fn check(&self, now: u64) -> Result<(), Expired> {
        if now.saturating_sub(self.created_at) >= ABSOLUTE_TIMEOUT {
            Err(Expired::Absolute)
        } else if now.saturating_sub(self.last_seen) >= IDLE_TIMEOUT {
            Err(Expired::Idle)
        } else {
            Ok(())
        }
    }
}

/// A store failure (the database or server is unreachable or corrupt).
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

/// The declared lifetime of the inventory's authentication cookie, at compile time.
const fn session_cookie_lifetime() -> u64 {
    let specs = <AppCookies as cookie_contract::Inventory>::COOKIES;
    let mut i = 0;
    while i < specs.len() {
        if matches!(specs[i].purpose(), Purpose::Authentication)
            && let Lifetime::Seconds(s) = specs[i].lifetime()
        {
            return s as u64;
        }
        i += 1;
    }
    panic!("AppCookies declares no authentication cookie with a max_age")
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(format!("sqlite: {e}"))
    }
}

impl From<redis::RedisError> for StoreError {
    fn from(e: redis::RedisError) -> Self {
        StoreError(format!("redis: {e}"))
    }
}

/// What the application needs from a session store. Every store passes the same conformance
/// suite (`tests/store.rs`).
pub trait SessionStore: Send + Sync {
    /// Files a new record.
    fn create(
        &self,
        id: &SessionHash,
        record: &SessionRecord,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// The record, if it exists and was not revoked.
    fn get(
        &self,
        id: &SessionHash,
    ) -> impl Future<Output = Result<Option<SessionRecord>, StoreError>> + Send;
    /// Records activity at `now` (written at most every [`TOUCH_INTERVAL`]).
    fn touch(
        &self,
        id: &SessionHash,
        now: u64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Removes the record: the token is dead everywhere from now on.
    fn revoke(&self, id: &SessionHash) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Deletes every record past a timeout at `now`; returns how many.
    fn purge_expired(&self, now: u64) -> impl Future<Output = Result<u64, StoreError>> + Send;
}

/// The configured store.
#[derive(Clone)]
pub enum Store {
    /// The default: a SQLite file.
    Sqlite(SqliteStore),
    /// `REDIS_URL`.
    Redis(RedisStore),
}

impl SessionStore for Store {
    async fn create(&self, id: &SessionHash, record: &SessionRecord) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => s.create(id, record).await,
            Store::Redis(s) => s.create(id, record).await,
        }
    }
    async fn get(&self, id: &SessionHash) -> Result<Option<SessionRecord>, StoreError> {
        match self {
            Store::Sqlite(s) => s.get(id).await,
            Store::Redis(s) => s.get(id).await,
        }
    }
    async fn touch(&self, id: &SessionHash, now: u64) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => s.touch(id, now).await,
            Store::Redis(s) => s.touch(id, now).await,
        }
    }
    async fn revoke(&self, id: &SessionHash) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => s.revoke(id).await,
            Store::Redis(s) => s.revoke(id).await,
        }
    }
    async fn purge_expired(&self, now: u64) -> Result<u64, StoreError> {
        match self {
            Store::Sqlite(s) => s.purge_expired(now).await,
            Store::Redis(s) => s.purge_expired(now).await,
        }
    }
}

impl crate::throttle::ThrottleStore for Store {
    async fn blocked_until(&self, key: &str, now: u64) -> Result<Option<u64>, StoreError> {
        match self {
            Store::Sqlite(s) => s.blocked_until(key, now).await,
            Store::Redis(s) => s.blocked_until(key, now).await,
        }
    }
    async fn record_failure(
        &self,
        key: &str,
        now: u64,
        policy: crate::throttle::Policy,
    ) -> Result<u64, StoreError> {
        match self {
            Store::Sqlite(s) => s.record_failure(key, now, policy).await,
            Store::Redis(s) => s.record_failure(key, now, policy).await,
        }
    }
    async fn reset(&self, key: &str) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => s.reset(key).await,
            Store::Redis(s) => s.reset(key).await,
        }
    }
}
