//! One writer per subject's fallback index: a mutex per (registry, repository,
//! subject) inside the process (fan-out destinations have different keys, so
//! they write in parallel), and a lock file per key in the configuration
//! folder's `locks/` across processes on this host (distribution 2.8 ignores
//! `If-Match`, so the registry itself cannot refuse a stale write).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use crate::error::{Error, Kind};
use crate::fsutil::{self, FileLock, ShowPath};

/// The folder under the configuration folder that holds lock files.
pub const LOCKS_DIR: &str = "locks";

type Turns = Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>;

/// The mutex of each key used in this process.
static TURNS: LazyLock<Turns> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// Held while one subject's fallback index is read, written and read back.
pub(super) struct Held {
    _file: Option<FileLock>,
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

/// The key of a subject's fallback index on a registry.
fn key(registry: &str, repository: &str, subject: &str) -> String {
    let hash = Sha256::digest(format!("{registry}\n{repository}\n{subject}").as_bytes());
    format!("referrers-{}", &hex::encode(hash)[..32])
}

/// The lock file for `key` in `dir`.
fn lock_path(dir: &Path, key: &str) -> PathBuf {
    dir.join(format!("{key}.lock"))
}

/// Take the turn to write `subject`'s fallback index: first among this
/// process's writers, then (with a `dir`) among other aseecr runs, waiting at
/// most [`fsutil::LOCK_WAIT`] for the file.
pub(super) async fn take(
    dir: Option<&Path>,
    registry: &str,
    repository: &str,
    subject: &str,
) -> Result<Held> {
    let key = key(registry, repository, subject);
    let turn = {
        let mut turns = TURNS.lock().unwrap_or_else(|e| e.into_inner());
        turns.entry(key.clone()).or_default().clone()
    };
    let turn = turn.lock_owned().await;
    let file = match dir {
        None => None,
        Some(dir) => {
            let path = lock_path(dir, &key);
            let (dir, at) = (dir.to_owned(), path.clone());
            let locked = tokio::task::spawn_blocking(move || {
                std::fs::create_dir_all(&dir)?;
                FileLock::acquire(&at, fsutil::LOCK_WAIT)
            })
            .await
            .context("the lock task failed")?;
            Some(locked.map_err(|err| {
                Error::new(
                    Kind::Failed,
                    format!(
                        "cannot lock `{}` (the fallback index of {subject} in `{repository}`): {err}",
                        path.shown()
                    ),
                )
                .help("another aseecr run may be writing the same referrers: wait for it, or check that the configuration folder (ASEECR_CONFIG_DIR) is writable")
            })?)
        }
    };
    Ok(Held {
        _file: file,
        _turn: turn,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_per_registry_repository_and_subject() {
        let one = key("r:5000", "app", "sha256:11");
        assert_eq!(one, key("r:5000", "app", "sha256:11"));
        assert_ne!(one, key("r:5001", "app", "sha256:11"));
        assert_ne!(one, key("r:5000", "app2", "sha256:11"));
        assert_ne!(one, key("r:5000", "app", "sha256:12"));
        assert_eq!(one.len(), "referrers-".len() + 32);
    }

    #[tokio::test]
    async fn a_second_writer_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let locks = dir.path().join(LOCKS_DIR);
        let held = take(Some(&locks), "r", "app", "sha256:11").await.unwrap();
        assert!(lock_path(&locks, &key("r", "app", "sha256:11")).exists());
        // Another key is not held up.
        take(Some(&locks), "r", "app", "sha256:12").await.unwrap();
        let waiting = {
            let locks = locks.clone();
            tokio::spawn(async move { take(Some(&locks), "r", "app", "sha256:11").await.map(drop) })
        };
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        assert!(!waiting.is_finished());
        drop(held);
        waiting.await.unwrap().unwrap();
    }

    /// Another aseecr run holds the file (flock: another open file, as in
    /// another process): this run waits for it.
    #[tokio::test]
    async fn a_writer_waits_for_another_run_holding_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let locks = dir.path().join(LOCKS_DIR);
        std::fs::create_dir_all(&locks).unwrap();
        let other = FileLock::acquire(
            &lock_path(&locks, &key("r", "app", "sha256:21")),
            fsutil::LOCK_WAIT,
        )
        .unwrap();
        let waiting = {
            let locks = locks.clone();
            tokio::spawn(async move { take(Some(&locks), "r", "app", "sha256:21").await.map(drop) })
        };
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert!(!waiting.is_finished());
        drop(other);
        waiting.await.unwrap().unwrap();
        // Without a lock folder only this process's writers take turns.
        take(None, "r", "app", "sha256:21").await.unwrap();
    }

    #[tokio::test]
    async fn a_lock_folder_that_cannot_be_made_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let blocked = dir.path().join("locks");
        std::fs::write(&blocked, b"a file, not a folder").unwrap();
        let err = take(Some(&blocked.join("x")), "r", "app", "sha256:31")
            .await
            .err()
            .unwrap();
        let error = crate::error::find(&err).unwrap();
        assert_eq!(error.kind, Kind::Failed);
        // The message names the lock file, in the folder that could not be made.
        let start = format!("cannot lock `{}", blocked.join("x").display());
        assert!(error.message.starts_with(&start), "{}", error.message);
        assert!(error.help.iter().any(|h| h.contains("ASEECR_CONFIG_DIR")));
    }
}
