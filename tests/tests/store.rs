//! One conformance suite for every session store, run against a real SQLite file and a real
//! `redis-server` on a loopback port.

use axum_app::store::{
    ABSOLUTE_TIMEOUT, IDLE_TIMEOUT, RedisStore, SessionRecord, SessionStore, SqliteStore,
    TOUCH_INTERVAL,
};
use cookie_contract::SessionToken;
use cookie_contract_harness::redis::RedisServer;

const NOW: u64 = 1_800_000_000;

async fn conformance<S: SessionStore>(store: &S) {
    let a = SessionToken::new().hash();
    let b = SessionToken::new().hash();
    assert_eq!(store.get(&a).await.unwrap(), None);

    let rec = SessionRecord::new("masa@example.com", NOW);
    store.create(&a, &rec).await.unwrap();
    store
        .create(&b, &SessionRecord::new("other@example.com", NOW))
        .await
        .unwrap();
    assert_eq!(store.get(&a).await.unwrap(), Some(rec.clone()));

    // Activity is written at most every TOUCH_INTERVAL.
    store.touch(&a, NOW + TOUCH_INTERVAL - 1).await.unwrap();
    assert_eq!(store.get(&a).await.unwrap().unwrap().last_seen, NOW);
    store.touch(&a, NOW + TOUCH_INTERVAL).await.unwrap();
    assert_eq!(
        store.get(&a).await.unwrap().unwrap().last_seen,
        NOW + TOUCH_INTERVAL
    );

    // Revocation is final and does not touch other sessions.
    store.revoke(&a).await.unwrap();
    assert_eq!(store.get(&a).await.unwrap(), None);
    store.touch(&a, NOW + 10 * TOUCH_INTERVAL).await.unwrap();
    assert_eq!(
        store.get(&a).await.unwrap(),
        None,
        "touch must not resurrect a revoked session"
    );
    assert_eq!(
        store.get(&b).await.unwrap().unwrap().user,
        "other@example.com"
    );
    store.revoke(&b).await.unwrap();

    // Purging removes exactly the records past a timeout.
    let old = SessionToken::new().hash();
    let idle = SessionToken::new().hash();
    let fresh = SessionToken::new().hash();
    store
        .create(
            &old,
            &SessionRecord {
                user: "o".into(),
                created_at: NOW - ABSOLUTE_TIMEOUT,
                last_seen: NOW - 5,
            },
        )
        .await
        .unwrap();
    store
        .create(
            &idle,
            &SessionRecord {
                user: "i".into(),
                created_at: NOW - 3600,
                last_seen: NOW - IDLE_TIMEOUT,
            },
        )
        .await
        .unwrap();
    store
        .create(
            &fresh,
            &SessionRecord {
                user: "f".into(),
                created_at: NOW - 3600,
                last_seen: NOW - 5,
            },
        )
        .await
        .unwrap();
    assert_eq!(store.purge_expired(NOW).await.unwrap(), 2);
    assert_eq!(store.get(&old).await.unwrap(), None);
    assert_eq!(store.get(&idle).await.unwrap(), None);
    assert!(store.get(&fresh).await.unwrap().is_some());
}

#[test]
fn record_timeouts() {
    let r = SessionRecord::new("u", NOW);
    assert_eq!(r.check(NOW + IDLE_TIMEOUT - 1), Ok(()));
    assert!(r.check(NOW + IDLE_TIMEOUT).is_err());
    let busy = SessionRecord {
        user: "u".into(),
        created_at: NOW,
        last_seen: NOW + ABSOLUTE_TIMEOUT - 1,
    };
    assert_eq!(busy.check(NOW + ABSOLUTE_TIMEOUT - 1), Ok(()));
    assert_eq!(
        busy.check(NOW + ABSOLUTE_TIMEOUT),
        Err(axum_app::store::Expired::Absolute)
    );
}

#[tokio::test]
async fn sqlite_store_conforms_and_persists_across_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/sessions.sqlite3");
    let store = SqliteStore::open(&path).unwrap();
    conformance(&store).await;
    let id = SessionToken::new().hash();
    store
        .create(&id, &SessionRecord::new("kept", NOW))
        .await
        .unwrap();
    drop(store);
    // Reopening runs no migration twice and finds the record.
    let again = SqliteStore::open(&path).unwrap();
    assert_eq!(again.get(&id).await.unwrap().unwrap().user, "kept");
}

#[tokio::test]
async fn sqlite_file_holds_hashes_not_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    let store = SqliteStore::open(&path).unwrap();
    let token = SessionToken::new();
    store
        .create(&token.hash(), &SessionRecord::new("u", NOW))
        .await
        .unwrap();
    drop(store);
    let bytes = std::fs::read(&path).unwrap();
    let wal = std::fs::read(dir.path().join("s.sqlite3-wal")).unwrap_or_default();
    let all = [bytes, wal].concat();
    let contains = |needle: &[u8]| all.windows(needle.len()).any(|w| w == needle);
    assert!(contains(token.hash().to_string().as_bytes()));
    assert!(!contains(token.to_base64().as_bytes()));
}

#[tokio::test]
async fn redis_store_conforms_and_sets_the_absolute_ttl() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let store = RedisStore::connect(&server.url()).await.unwrap();
    conformance(&store).await;
    let id = SessionToken::new().hash();
    store
        .create(&id, &SessionRecord::new("u", NOW))
        .await
        .unwrap();
    let client = redis::Client::open(server.url()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let ttl: i64 = redis::cmd("TTL")
        .arg(format!("session:{id}"))
        .query_async(&mut conn)
        .await
        .unwrap();
    assert!(
        ttl > ABSOLUTE_TIMEOUT as i64 - 5 && ttl <= ABSOLUTE_TIMEOUT as i64,
        "ttl {ttl}"
    );
    store.touch(&id, NOW + 3600).await.unwrap();
    let ttl_after: i64 = redis::cmd("TTL")
        .arg(format!("session:{id}"))
        .query_async(&mut conn)
        .await
        .unwrap();
    assert!(ttl_after > 0, "touch keeps the TTL");
}
