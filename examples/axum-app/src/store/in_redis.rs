//! Sessions in Redis (`REDIS_URL`), shared by every instance of the app.

use cookie_contract::SessionHash;

use super::{
    ABSOLUTE_TIMEOUT, IDLE_TIMEOUT, SessionRecord, SessionStore, StoreError, TOUCH_INTERVAL,
};
use crate::throttle::{Policy, ThrottleStore};

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
        // The keyspace is walked with SCAN from here, one page at a time, and each page is
        // judged by a script that sees only that page's keys: Redis never runs one long script
        // over every session while other clients wait.
        let mut conn = self.conn.clone();
        let judge = redis::Script::new(
            "local purged = 0
             for _, key in ipairs(KEYS) do
               local f = redis.call('HMGET', key, 'created_at', 'last_seen')
               if f[1] and f[2] and (tonumber(f[1]) <= tonumber(ARGV[1]) or tonumber(f[2]) <= tonumber(ARGV[2])) then
                 redis.call('DEL', key)
                 purged = purged + 1
               end
             end
             return purged",
        );
        let (mut cursor, mut purged) = (0u64, 0u64);
        loop {
            let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg("session:*")
                .arg("COUNT")
                .arg(PURGE_PAGE)
                .query_async(&mut conn)
                .await?;
            if !keys.is_empty() {
                let mut call = judge.prepare_invoke();
                for key in &keys {
                    call.key(key);
                }
                let n: u64 = call
                    .arg(now.saturating_sub(ABSOLUTE_TIMEOUT))
                    .arg(now.saturating_sub(IDLE_TIMEOUT))
                    .invoke_async(&mut conn)
                    .await?;
                purged += n;
            }
            if next == 0 {
                return Ok(purged);
            }
            cursor = next;
        }
    }
}

impl ThrottleStore for RedisStore {
    async fn blocked_until(&self, key: &str, now: u64) -> Result<Option<u64>, StoreError> {
        let mut conn = self.conn.clone();
        let until: Option<u64> = redis::cmd("HGET")
            .arg(format!("throttle:{key}"))
            .arg("blocked")
            .query_async(&mut conn)
            .await?;
        Ok(until.filter(|&u| u >= now))
    }

    async fn record_failure(&self, key: &str, now: u64, policy: Policy) -> Result<u64, StoreError> {
        let mut conn = self.conn.clone();
        // Atomic in Redis, so every instance counts into the same record. The key expires by
        // itself once the policy no longer needs it.
        let until: u64 = redis::Script::new(
            "local f = redis.call('HMGET', KEYS[1], 'failures', 'last')
             local failures = tonumber(f[1]) or 0
             local last = tonumber(f[2]) or 0
             local now = tonumber(ARGV[1])
             if now - last > tonumber(ARGV[2]) then failures = 0 end
             failures = failures + 1
             local blocked = 0
             local free = tonumber(ARGV[3])
             if failures > free then
               local wait = tonumber(ARGV[4])
               if failures - free - 1 < 40 then wait = math.min(2 ^ (failures - free - 1), wait) end
               blocked = now + wait
             end
             redis.call('HSET', KEYS[1], 'failures', failures, 'last', now, 'blocked', blocked)
             redis.call('EXPIRE', KEYS[1], tonumber(ARGV[5]))
             return blocked",
        )
        .key(format!("throttle:{key}"))
        .arg(now)
        .arg(policy.window)
        .arg(policy.free)
        .arg(policy.cap)
        .arg(policy.keep())
        .invoke_async(&mut conn)
        .await?;
        Ok(until)
    }

    async fn reset(&self, key: &str) -> Result<(), StoreError> {
        let mut conn = self.conn.clone();
        redis::cmd("DEL")
            .arg(format!("throttle:{key}"))
            .query_async::<i64>(&mut conn)
            .await?;
        Ok(())
    }
}

/// Keys SCAN returns per page while purging (a hint to Redis, not a limit).
const PURGE_PAGE: u64 = 100;
