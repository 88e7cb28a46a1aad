//! Password hashing with bounded memory.
//!
//! Argon2id with the crate's default parameters (19 MiB, two passes, one lane: OWASP's
//! minimum) needs 19 MiB of working memory per check. Allocating it per check on whichever
//! blocking thread runs it let the allocator keep every block it ever handed out (a login burst
//! grew the process to 800 MB and kept it there). Here a fixed set of long-lived workers each
//! owns one block and reuses it for every check, so resident memory is bounded by
//! `workers × 19 MiB`, whatever the traffic.
//!
//! A check waits at most [`PasswordChecker::wait`] for a free worker; past that the caller
//! answers `503` with `Retry-After`, so a flood of bad logins cannot queue good ones forever.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use argon2::{Algorithm, Argon2, Block, Params, Version};

/// Bytes of salt per password.
const SALT_LEN: usize = 16;
/// Bytes of Argon2 output kept per password.
const HASH_LEN: usize = 32;

/// A password as stored: its salt and its Argon2id output under [`Params::default`].
#[derive(Clone)]
pub struct StoredHash {
    salt: [u8; SALT_LEN],
    hash: [u8; HASH_LEN],
}

impl std::fmt::Debug for StoredHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoredHash(<redacted>)")
    }
}

/// Argon2id with one working block, allocated once and reused for every hash.
pub struct Hasher {
    memory: Vec<Block>,
}

impl Hasher {
    /// Allocates the working memory (19 MiB) once.
    pub fn new() -> Self {
        Hasher {
            memory: vec![Block::default(); Params::default().block_count()],
        }
    }

    fn derive(&mut self, password: &[u8], salt: &[u8; SALT_LEN]) -> [u8; HASH_LEN] {
        let mut out = [0u8; HASH_LEN];
        Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
            .hash_password_into_with_memory(password, salt, &mut out, &mut self.memory)
            .expect("Argon2id with default parameters accepts any password and a 16-byte salt");
        out
    }

    /// Hashes `password` with a fresh random salt.
    ///
    /// # Panics
    /// When the operating system's random source fails.
    pub fn hash(&mut self, password: &str) -> StoredHash {
        let mut salt = [0u8; SALT_LEN];
        getrandom::fill(&mut salt).expect("the OS random source failed");
        StoredHash {
            salt,
            hash: self.derive(password.as_bytes(), &salt),
        }
    }

    /// Whether `password` matches `stored`, compared in constant time.
    pub fn verify(&mut self, stored: &StoredHash, password: &str) -> bool {
        let got = self.derive(password.as_bytes(), &stored.salt);
        // Every byte is looked at, whatever the first difference.
        got.iter()
            .zip(stored.hash.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

impl Default for Hasher {
    fn default() -> Self {
        Self::new()
    }
}

struct Job {
    stored: StoredHash,
    password: String,
    reply: tokio::sync::oneshot::Sender<bool>,
}

/// The workers were all busy for longer than the caller may wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Busy;

/// A fixed pool of password-checking threads, each with its own reused Argon2 memory.
#[derive(Clone)]
pub struct PasswordChecker {
    jobs: SyncSender<Job>,
    permits: Arc<tokio::sync::Semaphore>,
    wait: Duration,
    workers: usize,
}

impl PasswordChecker {
    /// Starts `workers` threads (each allocates its 19 MiB once, now). A check waits at most
    /// `wait` for one of them.
    pub fn start(workers: usize, wait: Duration) -> Self {
        let workers = workers.max(1);
        // Never more jobs than workers are handed over (the permits see to it), so the channel
        // never blocks a sender.
        let (jobs, receiver) = sync_channel::<Job>(workers);
        let receiver = Arc::new(Mutex::new(receiver));
        for i in 0..workers {
            let receiver = receiver.clone();
            std::thread::Builder::new()
                .name(format!("password-{i}"))
                .spawn(move || work(&receiver))
                .expect("a password worker thread starts");
        }
        PasswordChecker {
            jobs,
            permits: Arc::new(tokio::sync::Semaphore::new(workers)),
            wait,
            workers,
        }
    }

    /// How many workers there are (the memory bound is this times 19 MiB).
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// How long a check may wait for a free worker.
    pub fn wait(&self) -> Duration {
        self.wait
    }

    /// Checks `password` against `stored` on a worker.
    ///
    /// # Errors
    /// [`Busy`] when no worker became free within [`PasswordChecker::wait`].
    pub async fn check(&self, stored: &StoredHash, password: String) -> Result<bool, Busy> {
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| Busy)?
            .map_err(|_| Busy)?;
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = Job {
            stored: stored.clone(),
            password,
            reply,
        };
        if self.jobs.send(job).is_err() {
            return Err(Busy);
        }
        let verdict = answer.await.map_err(|_| Busy);
        drop(permit);
        verdict
    }
}

/// One worker: its own 19 MiB, reused for every job until the pool is dropped.
fn work(jobs: &Mutex<Receiver<Job>>) {
    let mut hasher = Hasher::new();
    loop {
        // The lock is held only to take one job off the queue.
        let job = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else {
            return; // every sender is gone
        };
        let ok = hasher.verify(&job.stored, &job.password);
        let _ = job.reply.send(ok);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_the_right_password_only() {
        let mut h = Hasher::new();
        let stored = h.hash("correct horse");
        assert!(h.verify(&stored, "correct horse"));
        assert!(!h.verify(&stored, "correct horsf"));
        assert!(!h.verify(&stored, ""));
        let again = h.hash("correct horse");
        assert_ne!(again.salt, stored.salt, "a fresh salt every time");
        assert_ne!(again.hash, stored.hash);
    }

    #[tokio::test]
    async fn the_pool_checks_and_refuses_to_wait_forever() {
        let pool = PasswordChecker::start(1, Duration::from_millis(1));
        let stored = Hasher::new().hash("pw");
        // Hold the only worker, then a second check gives up after the wait.
        let busy = pool.permits.clone().acquire_owned().await.unwrap();
        assert_eq!(pool.check(&stored, "pw".into()).await, Err(Busy));
        drop(busy);
        assert_eq!(pool.check(&stored, "pw".into()).await, Ok(true));
        assert_eq!(pool.check(&stored, "nope".into()).await, Ok(false));
    }
}
