//! Upload sessions kept for the next attempt or run: for each large blob being
//! uploaded, the session's latest location and how many bytes the registry
//! holds, written after every chunk the registry acknowledged. A rerun asks the
//! registry about the session (`GET` on its location) and continues from the
//! offset it reports; a session the registry no longer knows, or that holds
//! bytes its state does not account for (a chunk broken off mid-way), is
//! forgotten and the blob uploaded afresh. So is a session whose location is
//! not on the registry's own origin (scheme, host and port): the journal is a
//! file, and the blob would be sent wherever it points.
//!
//! One small JSON file per session in a private directory; nothing secret is
//! kept (a location names the session, not the user).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::Digest as _;

/// Sessions older than this are not tried: distribution purges uploads a week
/// old, and one this old is likely gone.
const MAX_AGE: Duration = Duration::from_secs(6 * 24 * 3600);

/// The largest journal entry read.
const MAX_ENTRY_BYTES: u64 = 64 * 1024;

/// A kept upload session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Kept {
    pub registry: String,
    pub repository: String,
    pub digest: String,
    pub size: u64,
    /// The session's latest location, as the registry gave it.
    pub location: String,
    /// Bytes the registry acknowledged.
    pub offset: u64,
    /// Seconds since the epoch of the last acknowledged chunk.
    pub updated: u64,
}

/// The directory of kept sessions.
#[derive(Debug, Clone)]
pub struct Journal {
    dir: PathBuf,
}

impl Journal {
    pub fn in_dir(dir: &Path) -> Journal {
        Journal {
            dir: dir.to_owned(),
        }
    }

    fn path(&self, registry: &str, repository: &str, digest: &str) -> PathBuf {
        let key = sha2::Sha256::digest(format!("{registry}\n{repository}\n{digest}").as_bytes());
        self.dir.join(format!("{}.json", hex::encode(&key[..12])))
    }

    /// The session kept for this blob, if any and not too old.
    pub fn load(&self, registry: &str, repository: &str, digest: &str) -> Option<Kept> {
        let path = self.path(registry, repository, digest);
        let bytes = crate::fsutil::read_path(&path, MAX_ENTRY_BYTES).ok()?;
        let kept: Kept = serde_json::from_slice(&bytes).ok()?;
        let fresh = now().saturating_sub(kept.updated) < MAX_AGE.as_secs();
        let same =
            kept.registry == registry && kept.repository == repository && kept.digest == digest;
        if !fresh || !same {
            self.forget(registry, repository, digest);
            return None;
        }
        Some(kept)
    }

    /// Record the session's state after an acknowledged chunk (best effort: a
    /// journal that cannot be written only loses the resumption).
    pub fn save(&self, kept: &Kept) {
        let mut kept = kept.clone();
        kept.updated = now();
        let result = crate::fsutil::create_private_dir(&self.dir).and_then(|()| {
            let bytes = serde_json::to_vec(&kept)?;
            crate::fsutil::write_atomic(
                &self.path(&kept.registry, &kept.repository, &kept.digest),
                &bytes,
                Some(0o600),
            )
        });
        if let Err(err) = result {
            tracing::debug!(
                "cannot keep the upload of {} for later: {err:#}",
                kept.digest
            );
        }
    }

    pub fn forget(&self, registry: &str, repository: &str, digest: &str) {
        let _ = std::fs::remove_file(self.path(registry, repository, digest));
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(offset: u64) -> Kept {
        Kept {
            registry: "r:5000".into(),
            repository: "a/b".into(),
            digest: "sha256:00".into(),
            size: 100,
            location: "https://r:5000/v2/a/b/blobs/uploads/x?_state=y".into(),
            offset,
            updated: 0,
        }
    }

    #[test]
    fn sessions_are_saved_loaded_and_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::in_dir(&dir.path().join("uploads"));
        assert_eq!(journal.load("r:5000", "a/b", "sha256:00"), None);
        journal.save(&kept(40));
        let loaded = journal.load("r:5000", "a/b", "sha256:00").unwrap();
        assert_eq!(loaded.offset, 40);
        assert_eq!(loaded.location, kept(40).location);
        // Another repository or registry is another session.
        assert_eq!(journal.load("r:5000", "a/c", "sha256:00"), None);
        assert_eq!(journal.load("s:5000", "a/b", "sha256:00"), None);
        journal.save(&kept(80));
        assert_eq!(
            journal.load("r:5000", "a/b", "sha256:00").unwrap().offset,
            80
        );
        journal.forget("r:5000", "a/b", "sha256:00");
        assert_eq!(journal.load("r:5000", "a/b", "sha256:00"), None);
    }

    #[test]
    fn old_sessions_are_not_tried() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::in_dir(dir.path());
        journal.save(&kept(40));
        let path = journal.path("r:5000", "a/b", "sha256:00");
        let mut old = kept(40);
        old.updated = now() - MAX_AGE.as_secs() - 1;
        std::fs::write(&path, serde_json::to_vec(&old).unwrap()).unwrap();
        assert_eq!(journal.load("r:5000", "a/b", "sha256:00"), None);
        assert!(!path.exists());
    }
}
