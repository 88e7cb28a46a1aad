//! Session stores. The record is the truth: the cookie only names it (by token), and stores file
//! records under the SHA-256 of the token, so a leaked table holds no live tokens.

use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Mutex};

use cookie_contract::SessionHash;
use rusqlite::OptionalExtension as _;

/// A session is refused after 30 minutes without a request.
pub const IDLE_TIMEOUT: u64 = 30 * 60;
/// A session is refused 8 hours after login, however active (and matches the cookie's Max-Age).
pub const ABSOLUTE_TIMEOUT: u64 = 8 * 3600;
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

// ---------------------------------------------------------------------------------------------

/// Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    "CREATE TABLE sessions (
        id TEXT PRIMARY KEY NOT NULL,
        user TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen INTEGER NOT NULL
    ) WITHOUT ROWID",
    "CREATE INDEX sessions_created_at ON sessions (created_at);
     CREATE INDEX sessions_last_seen ON sessions (last_seen)",
];

/// Sessions in one SQLite file.
///
/// One connection behind a mutex: each statement takes microseconds on a local WAL-mode file,
/// so it runs inline rather than paying a thread hop per request.
#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<rusqlite::Connection>>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and runs pending migrations.
    ///
    /// # Errors
    /// When the file cannot be opened or migrated.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError(format!("cannot create {}: {e}", dir.display())))?;
        }
        let mut conn = rusqlite::Connection::open(path)?;
        // WAL lets readers run beside the writer. `synchronous`, chosen on purpose:
        // - NORMAL (WAL) survives a killed process: a commit is in the WAL file, in the OS page
        //   cache, before the call returns; but a power loss or kernel crash can undo the last
        //   commits, and an undone DELETE would bring a logged-out session back to life;
        // - FULL also fsyncs the WAL on every commit, so a login or logout the client was told
        //   about survives power loss too. Sessions change on login, logout and at most once a
        //   minute per session (idle refresh), so the fsync per write is affordable.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, m) in MIGRATIONS.iter().enumerate().skip(version) {
            let tx = conn.transaction()?;
            tx.execute_batch(m)?;
            tx.pragma_update(None, "user_version", i + 1)?;
            tx.commit()?;
        }
        Ok(SqliteStore {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let conn = self
            .conn
            .lock()
            .map_err(|_| StoreError("sqlite: a previous user panicked".into()))?;
        Ok(f(&conn)?)
    }
}

impl SessionStore for SqliteStore {
    async fn create(&self, id: &SessionHash, r: &SessionRecord) -> Result<(), StoreError> {
        self.with(|c| {
            c.prepare_cached(
                "INSERT INTO sessions (id, user, created_at, last_seen) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(rusqlite::params![
                id.to_string(),
                r.user,
                r.created_at as i64,
                r.last_seen as i64
            ])
            .map(drop)
        })
    }

    async fn get(&self, id: &SessionHash) -> Result<Option<SessionRecord>, StoreError> {
        self.with(|c| {
            c.prepare_cached("SELECT user, created_at, last_seen FROM sessions WHERE id = ?1")?
                .query_row([id.to_string()], |row| {
                    Ok(SessionRecord {
                        user: row.get(0)?,
                        created_at: row.get::<_, i64>(1)? as u64,
                        last_seen: row.get::<_, i64>(2)? as u64,
                    })
                })
                .optional()
        })
    }

    async fn touch(&self, id: &SessionHash, now: u64) -> Result<(), StoreError> {
        self.with(|c| {
            c.prepare_cached(
                "UPDATE sessions SET last_seen = ?2 WHERE id = ?1 AND last_seen <= ?3",
            )?
            .execute(rusqlite::params![
                id.to_string(),
                now as i64,
                now.saturating_sub(TOUCH_INTERVAL) as i64
            ])
            .map(drop)
        })
    }

    async fn revoke(&self, id: &SessionHash) -> Result<(), StoreError> {
        self.with(|c| {
            c.prepare_cached("DELETE FROM sessions WHERE id = ?1")?
                .execute([id.to_string()])
                .map(drop)
        })
    }

    async fn purge_expired(&self, now: u64) -> Result<u64, StoreError> {
        self.with(|c| {
            c.prepare_cached("DELETE FROM sessions WHERE created_at <= ?1 OR last_seen <= ?2")?
                .execute(rusqlite::params![
                    now.saturating_sub(ABSOLUTE_TIMEOUT) as i64,
                    now.saturating_sub(IDLE_TIMEOUT) as i64
                ])
                .map(|n| n as u64)
        })
    }
}

// ---------------------------------------------------------------------------------------------

/// Sessions in Redis: a hash per session under `session:<sha256 hex>`, expiring with the
/// absolute timeout, so Redis itself purges them.
///
/// The connection is a [`redis::aio::ConnectionManager`]: when Redis goes away, every call fails
/// within [`REDIS_TIMEOUT`] (the handlers answer `503`, never a logout), and the next call after
/// Redis is back reconnects by itself.
#[derive(Clone)]
pub struct RedisStore {
    conn: redis::aio::ConnectionManager,
}

/// How long one Redis call or one connection attempt may take before the request is answered
/// with `503`: long enough for a loaded server, short enough that a dead one does not pile up
/// requests.
pub const REDIS_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

impl RedisStore {
    /// Connects to `url` (`redis://127.0.0.1:6379/`).
    ///
    /// # Errors
    /// When the URL is invalid or the server cannot be reached.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let client = redis::Client::open(url)?;
        // One quick retry per failed call: while Redis is down each request fails fast with a
        // 503 instead of queueing behind a long back-off; the next request tries again.
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_number_of_retries(1)
            .set_min_delay(std::time::Duration::from_millis(50))
            .set_max_delay(std::time::Duration::from_millis(200))
            .set_connection_timeout(Some(REDIS_TIMEOUT))
            .set_response_timeout(Some(REDIS_TIMEOUT));
        let conn = redis::aio::ConnectionManager::new_with_config(client, config).await?;
        Ok(RedisStore { conn })
    }

    fn key(id: &SessionHash) -> String {
        format!("session:{id}")
    }
}

impl SessionStore for RedisStore {
    async fn create(&self, id: &SessionHash, r: &SessionRecord) -> Result<(), StoreError> {
        let ttl = ABSOLUTE_TIMEOUT;
        let mut conn = self.conn.clone();
        redis::pipe()
            .atomic()
            .cmd("HSET")
            .arg(Self::key(id))
            .arg("user")
            .arg(&r.user)
            .arg("created_at")
            .arg(r.created_at)
            .arg("last_seen")
            .arg(r.last_seen)
            .ignore()
            .cmd("EXPIRE")
            .arg(Self::key(id))
            .arg(ttl)
            .ignore()
            .query_async::<()>(&mut conn)
            .await?;
        Ok(())
    }

    async fn get(&self, id: &SessionHash) -> Result<Option<SessionRecord>, StoreError> {
        let mut conn = self.conn.clone();
        let fields: Vec<Option<String>> = redis::cmd("HMGET")
            .arg(Self::key(id))
            .arg("user")
            .arg("created_at")
            .arg("last_seen")
            .query_async(&mut conn)
            .await?;
        let [Some(user), Some(created), Some(seen)] = <[Option<String>; 3]>::try_from(fields)
            .map_err(|_| StoreError("redis: HMGET returned the wrong number of fields".into()))?
        else {
            return Ok(None);
        };
        let num = |s: &str| {
            s.parse::<u64>()
                .map_err(|_| StoreError(format!("redis: corrupt session field {s:?}")))
        };
        Ok(Some(SessionRecord {
            user,
            created_at: num(&created)?,
            last_seen: num(&seen)?,
        }))
    }

    async fn touch(&self, id: &SessionHash, now: u64) -> Result<(), StoreError> {
        let mut conn = self.conn.clone();
        // Only an existing session is touched (HSET alone would resurrect a revoked one as a
        // hash without TTL), and at most every TOUCH_INTERVAL.
        redis::Script::new(
            "local seen = redis.call('HGET', KEYS[1], 'last_seen')
             if seen and tonumber(seen) <= tonumber(ARGV[2]) then
               redis.call('HSET', KEYS[1], 'last_seen', ARGV[1])
             end
             return 0",
        )
        .key(Self::key(id))
        .arg(now)
        .arg(now.saturating_sub(TOUCH_INTERVAL))
        .invoke_async::<i64>(&mut conn)
        .await?;
        Ok(())
    }

    async fn revoke(&self, id: &SessionHash) -> Result<(), StoreError> {
        let mut conn = self.conn.clone();
        redis::cmd("DEL")
            .arg(Self::key(id))
            .query_async::<i64>(&mut conn)
            .await?;
        Ok(())
    }

    async fn purge_expired(&self, now: u64) -> Result<u64, StoreError> {
        // EXPIRE removes records at the absolute timeout by itself; this also removes idle ones.
        let mut conn = self.conn.clone();
        let purged: u64 = redis::Script::new(
            "local cursor, purged = '0', 0
             repeat
               local page = redis.call('SCAN', cursor, 'MATCH', 'session:*', 'COUNT', 500)
               cursor = page[1]
               for _, key in ipairs(page[2]) do
                 local f = redis.call('HMGET', key, 'created_at', 'last_seen')
                 if f[1] and f[2] and (tonumber(f[1]) <= tonumber(ARGV[1]) or tonumber(f[2]) <= tonumber(ARGV[2])) then
                   redis.call('DEL', key)
                   purged = purged + 1
                 end
               end
             until cursor == '0'
             return purged",
        )
        .arg(now.saturating_sub(ABSOLUTE_TIMEOUT))
        .arg(now.saturating_sub(IDLE_TIMEOUT))
        .invoke_async(&mut conn)
        .await?;
        Ok(purged)
    }
}
