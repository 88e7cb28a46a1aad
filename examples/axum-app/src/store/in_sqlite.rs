//! Sessions in one SQLite file under `DATA_DIR`: the default, nothing to install.

use std::path::Path;
use std::sync::{Arc, Mutex};

use cookie_contract::SessionHash;
use rusqlite::OptionalExtension as _;

use super::{
    ABSOLUTE_TIMEOUT, IDLE_TIMEOUT, SessionRecord, SessionStore, StoreError, THROTTLE_KEEP,
    TOUCH_INTERVAL,
};
use crate::throttle::{Policy, ThrottleStore};

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
    "CREATE TABLE login_failures (
        key TEXT PRIMARY KEY NOT NULL,
        failures INTEGER NOT NULL,
        last_failure INTEGER NOT NULL,
        blocked_until INTEGER NOT NULL
    ) WITHOUT ROWID",
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
        private_file(path)
            .map_err(|e| StoreError(format!("cannot create {}: {e}", path.display())))?;
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
            // Throttle records past every policy's keep time go too.
            c.prepare_cached("DELETE FROM login_failures WHERE last_failure <= ?1")?
                .execute([now.saturating_sub(THROTTLE_KEEP) as i64])?;
            c.prepare_cached("DELETE FROM sessions WHERE created_at <= ?1 OR last_seen <= ?2")?
                .execute(rusqlite::params![
                    now.saturating_sub(ABSOLUTE_TIMEOUT) as i64,
                    now.saturating_sub(IDLE_TIMEOUT) as i64
                ])
                .map(|n| n as u64)
        })
    }
}

impl ThrottleStore for SqliteStore {
    async fn blocked_until(&self, key: &str, now: u64) -> Result<Option<u64>, StoreError> {
        self.with(|c| {
            c.prepare_cached("SELECT blocked_until FROM login_failures WHERE key = ?1")?
                .query_row([key], |row| row.get::<_, i64>(0))
                .optional()
                .map(|until| until.map(|u| u as u64).filter(|&u| u >= now))
        })
    }

    async fn record_failure(&self, key: &str, now: u64, policy: Policy) -> Result<u64, StoreError> {
        self.with(|c| {
            // One connection behind a mutex: this read-modify-write cannot interleave.
            let seen: Option<(i64, i64)> = c
                .prepare_cached("SELECT failures, last_failure FROM login_failures WHERE key = ?1")?
                .query_row([key], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?;
            let failures = match seen {
                Some((n, last)) if now.saturating_sub(last as u64) <= policy.window => n as u32 + 1,
                _ => 1,
            };
            // 0: no wait. A wait covers whole seconds: blocked through the end of second
            // `until`, so a one-second wait is never cut short by the clock ticking over.
            let until = match policy.delay(failures) {
                0 => 0,
                wait => now + wait,
            };
            c.prepare_cached(
                "INSERT INTO login_failures (key, failures, last_failure, blocked_until)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (key) DO UPDATE SET failures = ?2, last_failure = ?3, blocked_until = ?4",
            )?
            .execute(rusqlite::params![key, failures, now as i64, until as i64])?;
            Ok(until)
        })
    }

    async fn reset(&self, key: &str) -> Result<(), StoreError> {
        self.with(|c| {
            c.prepare_cached("DELETE FROM login_failures WHERE key = ?1")?
                .execute([key])
                .map(drop)
        })
    }
}

/// Creates the database file readable and writable by its owner only (`0600`), or narrows an
/// existing one to that: it names every session. SQLite gives its `-wal` and `-shm` files the
/// database file's permissions.
#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn private_file(_: &Path) -> std::io::Result<()> {
    Ok(())
}
