//! aseecr's local record of replaced digests: the images `mirror` moved a tag
//! off and left on a registry. Plain Distribution cannot list manifests that no
//! tag points at, so this record is how `prune --untagged` finds them later.
//!
//! One small JSON file, `replaced.json` in aseecr's configuration directory:
//!
//! ```json
//! {"registries": {"host:port": [{"repository": "app/web", "digest": "sha256:...",
//!   "size": 12345, "replacedAt": "2026-01-02T03:04:05Z", "tag": "latest"}]}}
//! ```
//!
//! Per registry a list, oldest first. Written atomically (a temporary file
//! renamed over the old one) under a lock file (`.replaced.json.lock`), so
//! concurrent runs keep each other's entries; private (0600, in a 0700
//! folder); read with a size cap ([`fsutil::REPLACED_RECORD`]); at most
//! [`MAX_PER_REGISTRY`] entries per registry and [`MAX_ENTRIES`] in all, the
//! oldest dropped first, which keeps the file under that cap.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Kind};
use crate::fsutil::{self, ShowPath};
use crate::registry::Reference;

/// The record's file name in the configuration directory.
pub const FILE_NAME: &str = "replaced.json";
/// Entries kept per registry; the oldest go first.
pub const MAX_PER_REGISTRY: usize = 10_000;
/// Entries kept in all (over every registry); the oldest go first. With the
/// longest names references allow, this many entries stay under the file's
/// read cap.
pub const MAX_ENTRIES: usize = 20_000;

/// One digest a tag was moved off, on one registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplacedDigest {
    /// The repository, without the registry (`app/web`).
    pub repository: String,
    /// The top manifest's digest (`sha256:...`): what the tag pointed at before.
    pub digest: String,
    /// The bytes the registry stores for that image when it was replaced:
    /// manifests, configs and layers, each blob once, blobs it shares with
    /// other images included (so not what deleting it frees). Absent when
    /// its manifests could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// When the tag moved, RFC 3339 UTC (`2026-01-02T03:04:05Z`).
    pub replaced_at: String,
    /// The tag that moved off it.
    pub tag: String,
}

/// The file's contents. Unknown top-level fields are kept, so that a newer
/// version's additions survive an older version's write.
#[derive(Debug, Default, Serialize, Deserialize)]
struct RecordFile {
    #[serde(default)]
    registries: BTreeMap<String, Vec<ReplacedDigest>>,
    #[serde(flatten)]
    other: BTreeMap<String, serde_json::Value>,
}

/// The record of replaced digests in one configuration directory.
///
/// The record is a hint, not the registry's truth: a recorded digest may since
/// have been tagged again, deleted, or collected by the registry's garbage
/// collection, and a digest replaced by another tool is never in it. Check
/// the registry before deleting anything it names, then [`ReplacedRecord::forget`]
/// what is gone.
#[derive(Debug, Clone)]
pub struct ReplacedRecord {
    dir: PathBuf,
}

impl ReplacedRecord {
    /// The record kept in `config_dir` (aseecr's configuration directory:
    /// `Settings::config_dir`, `--config-dir`, `ASEECR_CONFIG_DIR`). Nothing is
    /// read or created until a method is called.
    pub fn in_dir(config_dir: &Path) -> ReplacedRecord {
        ReplacedRecord {
            dir: config_dir.to_owned(),
        }
    }

    /// The record's file (`<config dir>/replaced.json`), which may not exist yet.
    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE_NAME)
    }

    fn lock_path(&self) -> PathBuf {
        self.dir.join(format!(".{FILE_NAME}.lock"))
    }

    /// The digests recorded for `registry` (`host:port`, as a parsed
    /// [`Reference`] names it), oldest first; empty when none are, or when the
    /// file does not exist. Entries whose repository or digest is not a valid
    /// reference (a hand-edited file) are left out, so every entry returned is
    /// safe to put in a request. Reads the file once; takes no lock (writes are
    /// atomic). Fails on a file that is not the record's JSON or is larger than
    /// [`fsutil::REPLACED_RECORD`] (kind `failed`).
    pub fn list(&self, registry: &str) -> Result<Vec<ReplacedDigest>> {
        let mut file = self.load()?;
        let entries = file.registries.remove(registry).unwrap_or_default();
        Ok(entries
            .into_iter()
            .filter(|entry| valid(registry, entry))
            .collect())
    }

    /// Add `entries` for `registry`. An entry for a (repository, digest) already
    /// recorded replaces the old one (it moves to the end, as the newest). Then
    /// the oldest entries are dropped beyond [`MAX_PER_REGISTRY`] for the
    /// registry and [`MAX_ENTRIES`] in all. Entries that are not valid references
    /// are refused (kind `usage`) before anything is written.
    pub fn add(&self, registry: &str, entries: &[ReplacedDigest]) -> Result<()> {
        self.update(registry, entries, &[] as &[(&str, &str)])
            .map(|_| ())
    }

    /// Remove the entries of `registry` for these (repository, digest) pairs,
    /// e.g. once `prune --untagged` has deleted them or found them gone. Pairs
    /// not recorded are ignored. Returns how many entries were removed; the file
    /// is written only when that is more than none.
    pub fn forget<R: AsRef<str>, D: AsRef<str>>(
        &self,
        registry: &str,
        digests: &[(R, D)],
    ) -> Result<usize> {
        self.update(registry, &[], digests)
    }

    /// [`ReplacedRecord::add`] and [`ReplacedRecord::forget`] in one locked
    /// read and write (forget first, so a pair in both ends up recorded).
    /// Returns how many entries were forgotten.
    pub fn update<R: AsRef<str>, D: AsRef<str>>(
        &self,
        registry: &str,
        add: &[ReplacedDigest],
        forget: &[(R, D)],
    ) -> Result<usize> {
        if let Some(bad) = add.iter().find(|entry| !valid(registry, entry)) {
            return Err(Error::usage(format!(
                "`{registry}/{}@{}` is not a reference aseecr records",
                bad.repository, bad.digest
            ))
            .into());
        }
        if add.is_empty() && forget.is_empty() {
            return Ok(0);
        }
        if add.is_empty() && !self.path().exists() {
            return Ok(0);
        }
        fsutil::create_private_dir(&self.dir)?;
        let lock = self.lock_path();
        let _lock = fsutil::FileLock::acquire(&lock, fsutil::LOCK_WAIT)
            .with_context(|| format!("cannot lock `{}`", lock.shown()))?;
        let mut file = self.load()?;
        let list = file.registries.entry(registry.to_owned()).or_default();
        let gone: BTreeSet<(&str, &str)> = forget
            .iter()
            .map(|(r, d)| (r.as_ref(), d.as_ref()))
            .collect();
        let before = list.len();
        list.retain(|e| !gone.contains(&(e.repository.as_str(), e.digest.as_str())));
        let forgotten = before - list.len();
        for entry in add {
            list.retain(|e| !(e.repository == entry.repository && e.digest == entry.digest));
            list.push(entry.clone());
        }
        if forgotten == 0 && add.is_empty() {
            return Ok(0);
        }
        if list.is_empty() {
            file.registries.remove(registry);
        }
        trim(&mut file.registries);
        let mut text = serde_json::to_vec_pretty(&file)?;
        text.push(b'\n');
        fsutil::write_atomic(&self.path(), &text, Some(0o600))?;
        Ok(forgotten)
    }

    fn load(&self) -> Result<RecordFile> {
        let path = self.path();
        match fsutil::read_optional(&path, &fsutil::REPLACED_RECORD)? {
            Some(bytes) => serde_json::from_slice(&bytes).map_err(|err| {
                Error::new(
                    Kind::Failed,
                    format!(
                        "`{}` is not aseecr's record of replaced digests: {err}",
                        path.shown()
                    ),
                )
                .help(fsutil::REPLACED_RECORD.help)
                .into()
            }),
            None => Ok(RecordFile::default()),
        }
    }
}

/// Whether `entry` names a valid reference on `registry`, as it would be parsed.
fn valid(registry: &str, entry: &ReplacedDigest) -> bool {
    let text = format!(
        "{registry}/{}:{}@{}",
        entry.repository, entry.tag, entry.digest
    );
    Reference::parse(&text, None).is_ok_and(|r| {
        r.registry == registry
            && r.repository == entry.repository
            && r.tag.as_deref() == Some(entry.tag.as_str())
            && r.digest.as_deref() == Some(entry.digest.as_str())
    }) && entry.replaced_at.len() <= 64
}

/// Drop the oldest entries beyond [`MAX_PER_REGISTRY`] per registry, then the
/// oldest of all (by `replacedAt`) beyond [`MAX_ENTRIES`].
fn trim(registries: &mut BTreeMap<String, Vec<ReplacedDigest>>) {
    for list in registries.values_mut() {
        let excess = list.len().saturating_sub(MAX_PER_REGISTRY);
        list.drain(..excess);
    }
    let total: usize = registries.values().map(Vec::len).sum();
    let excess = total.saturating_sub(MAX_ENTRIES);
    if excess > 0 {
        // Each list is oldest first: drop the `excess` oldest of all.
        let mut times: Vec<(String, String, usize)> = registries
            .iter()
            .flat_map(|(registry, list)| {
                list.iter()
                    .enumerate()
                    .map(move |(i, e)| (e.replaced_at.clone(), registry.clone(), i))
            })
            .collect();
        times.sort();
        let mut drop: BTreeMap<String, usize> = BTreeMap::new();
        for (_, registry, _) in times.into_iter().take(excess) {
            *drop.entry(registry).or_default() += 1;
        }
        for (registry, count) in drop {
            if let Some(list) = registries.get_mut(&registry) {
                list.drain(..count.min(list.len()));
            }
        }
        registries.retain(|_, list| !list.is_empty());
    }
}

/// Now as RFC 3339 UTC, to the second: a `replacedAt` value.
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGISTRY: &str = "ecr.example:31001";

    fn entry(repository: &str, n: u32, at: &str) -> ReplacedDigest {
        ReplacedDigest {
            repository: repository.to_owned(),
            digest: format!("sha256:{n:064x}"),
            size: Some(u64::from(n)),
            replaced_at: at.to_owned(),
            tag: "latest".to_owned(),
        }
    }

    #[test]
    fn adds_lists_and_forgets() {
        let dir = tempfile::tempdir().unwrap();
        let record = ReplacedRecord::in_dir(&dir.path().join("aseecr"));
        assert!(record.list(REGISTRY).unwrap().is_empty());
        assert_eq!(record.forget(REGISTRY, &[("app", "sha256:00")]).unwrap(), 0);
        assert!(!record.path().exists(), "forgetting nothing writes nothing");

        let a = entry("app", 1, "2026-01-01T00:00:00Z");
        let b = entry("app/web", 2, "2026-01-02T00:00:00Z");
        record.add(REGISTRY, &[a.clone(), b.clone()]).unwrap();
        record
            .add("other:5000", &[entry("x", 3, "2026-01-03T00:00:00Z")])
            .unwrap();
        assert_eq!(record.list(REGISTRY).unwrap(), [a.clone(), b.clone()]);
        assert_eq!(record.list("other:5000").unwrap().len(), 1);

        // The same digest again moves to the end, with its new time.
        let again = entry("app", 1, "2026-01-04T00:00:00Z");
        record.add(REGISTRY, std::slice::from_ref(&again)).unwrap();
        assert_eq!(record.list(REGISTRY).unwrap(), [b.clone(), again.clone()]);

        let removed = record
            .forget(REGISTRY, &[(b.repository.clone(), b.digest.clone())])
            .unwrap();
        assert_eq!(removed, 1);
        assert_eq!(record.list(REGISTRY).unwrap(), [again]);
        assert_eq!(record.list("other:5000").unwrap().len(), 1);

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(record.path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
            let mode = std::fs::metadata(dir.path().join("aseecr"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        assert!(!dir.path().join("aseecr/.replaced.json.lock").exists() || cfg!(windows));
    }

    #[test]
    fn invalid_entries_are_refused_and_never_listed() {
        let dir = tempfile::tempdir().unwrap();
        let record = ReplacedRecord::in_dir(dir.path());
        let mut bad = entry("app", 1, "2026-01-01T00:00:00Z");
        bad.digest = "sha256:../../x".to_owned();
        assert!(record.add(REGISTRY, &[bad]).is_err());
        std::fs::write(
            record.path(),
            format!(
                r#"{{"future": 1, "registries": {{"{REGISTRY}": [
                {{"repository": "App", "digest": "sha256:{0}", "replacedAt": "t", "tag": "x"}},
                {{"repository": "app", "digest": "sha256:{0}", "replacedAt": "t", "tag": "x"}}]}}}}"#,
                "a".repeat(64)
            ),
        )
        .unwrap();
        let listed = record.list(REGISTRY).unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].repository, "app");
        assert_eq!(listed[0].size, None);
        // Unknown fields survive a write.
        record
            .add(REGISTRY, &[entry("b", 2, "2026-01-01T00:00:00Z")])
            .unwrap();
        let text = std::fs::read_to_string(record.path()).unwrap();
        assert!(text.contains("\"future\""), "{text}");
        std::fs::write(record.path(), "not json").unwrap();
        assert!(record.list(REGISTRY).is_err());
    }

    #[test]
    fn the_oldest_go_first_beyond_the_caps() {
        let mut registries = BTreeMap::new();
        registries.insert(
            "a:1".to_owned(),
            (0..MAX_PER_REGISTRY as u32 + 5)
                .map(|n| entry("app", n, &format!("2026-01-01T00:00:{:02}Z", n % 60)))
                .collect::<Vec<_>>(),
        );
        trim(&mut registries);
        assert_eq!(registries["a:1"].len(), MAX_PER_REGISTRY);
        assert_eq!(registries["a:1"][0].size, Some(5));

        let mut registries = BTreeMap::new();
        for (name, year) in [("a:1", 2024), ("b:1", 2025), ("c:1", 2026)] {
            registries.insert(
                name.to_owned(),
                (0..MAX_PER_REGISTRY as u32)
                    .map(|n| entry("app", n, &format!("{year}-01-01T00:00:00Z")))
                    .collect::<Vec<_>>(),
            );
        }
        trim(&mut registries);
        assert!(
            !registries.contains_key("a:1"),
            "the oldest registry's entries go"
        );
        assert_eq!(
            registries["b:1"].len() + registries["c:1"].len(),
            MAX_ENTRIES
        );
    }

    #[test]
    fn a_full_record_of_the_longest_names_fits_under_the_read_cap() {
        let repository = format!("{}/{}", "a".repeat(120), "b".repeat(120));
        let long = |n: u32| ReplacedDigest {
            repository: repository.clone(),
            digest: format!("sha512:{n:0128x}"),
            size: Some(u64::MAX),
            replaced_at: "2026-01-02T03:04:05Z".to_owned(),
            tag: "t".repeat(128),
        };
        let mut registries = BTreeMap::new();
        for registry in ["a:1", "b:1"] {
            registries.insert(
                format!("{}{registry}", "h".repeat(250)),
                (0..MAX_PER_REGISTRY as u32).map(long).collect::<Vec<_>>(),
            );
        }
        assert!(valid(
            "a:1",
            &ReplacedDigest {
                repository: repository.clone(),
                ..long(1)
            }
        ));
        let file = RecordFile {
            registries,
            other: BTreeMap::new(),
        };
        let size = serde_json::to_vec_pretty(&file).unwrap().len() as u64;
        assert!(size < fsutil::REPLACED_RECORD.max, "{size}");
    }

    #[test]
    fn times_are_rfc3339_utc() {
        let now = now_rfc3339();
        assert!(now.ends_with('Z') && now.len() == 20, "{now}");
    }
}
