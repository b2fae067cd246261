//! Writing images into an OCI layout: each blob streamed into a temporary file
//! next to its place and renamed there only when its digest verifies, manifests
//! children first, and `index.json` replaced atomically last, so a layout never
//! names an image it does not hold whole. An archive is written as a layout in a
//! temporary directory beside it, then streamed into a tar that replaces the
//! file in one rename; the directory goes on every exit path (it is a `TempDir`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use futures_util::StreamExt;
use futures_util::future::join_all;
use oci_client::manifest::OciDescriptor;
use tokio::io::AsyncWriteExt;
use tokio::sync::{OnceCell, Semaphore};

use super::tar_file::{write_archive, write_error};
use super::{Location, REF_NAME, Transport};
use crate::error::{Error, Kind};
use crate::fsutil::ShowPath;
use crate::registry::Reference;
use crate::registry::copy::{
    BlobOutcome, CopyOptions, ImagePlan, ImageReport, LARGE_BLOB, Observer, Outcome, Source,
    is_retryable, large_streams, resolve,
};
use crate::registry::limits::MAX_MANIFEST_BYTES;
use crate::registry::manifest::{Hasher, Manifest};
use crate::registry::rate::RateLimit;
use crate::registry::referrers::Referrer;

/// Attempts per blob read from a source that breaks off.
const BLOB_ATTEMPTS: u32 = 3;

/// A layout being written.
pub struct Writer {
    /// Where the layout is written (the temporary directory for an archive).
    dir: PathBuf,
    /// Holds the temporary directory of an archive; removed when dropped.
    temp: Option<tempfile::TempDir>,
    /// What the user named (`oci:DIR`, `oci-archive:FILE`).
    location: Location,
    jobs: Arc<Semaphore>,
    /// Large blobs written at once (see `registry::copy::large_streams`).
    large: Arc<Semaphore>,
    /// digest -> written once per run.
    blobs: Mutex<HashMap<String, Arc<OnceCell<BlobOutcome>>>>,
    /// Serialises the read-modify-write of `index.json`.
    index: tokio::sync::Mutex<()>,
    /// `--limit-rate`: shared with every blob read.
    limit: Option<RateLimit>,
}

impl Writer {
    /// Open (or start) a layout directory, or start an archive's temporary layout
    /// beside the archive. An archive is written new: it holds exactly this run's images.
    pub fn open(location: &Location, jobs: usize) -> Result<Writer> {
        let location = location.with_name(None);
        let (dir, temp) = match location.transport {
            Transport::Dir => (location.path.clone(), None),
            Transport::Archive | Transport::DockerArchive => {
                if location.path.is_dir() {
                    return Err(Error::usage(format!(
                        "`{}` is a directory, not an archive",
                        location.path.shown()
                    ))
                    .help(format!(
                        "name a file (`oci:{}` writes a layout directory)",
                        location.path.display()
                    ))
                    .into());
                }
                let parent = crate::fsutil::dir_of(&location.path);
                // Private: the layers of a run in progress are nobody else's to read.
                let temp = crate::fsutil::private_temp_dir_in(parent, ".aseecr-layout-")
                    .map_err(|err| write_error(parent, &err))?;
                (temp.path().to_owned(), Some(temp))
            }
        };
        if dir.exists() && !dir.is_dir() {
            return Err(
                Error::usage(format!("`{}` is not a directory", dir.shown()))
                    .help(format!(
                        "for an archive write `oci-archive:{}`",
                        dir.display()
                    ))
                    .into(),
            );
        }
        std::fs::create_dir_all(&dir).map_err(|err| write_error(&dir, &err))?;
        // Another run may be starting the same layout, or naming an image in it.
        let _lock = lock_index(&dir)?;
        let marker = dir.join("oci-layout");
        let empty = std::fs::read_dir(&dir).map_or(true, |d| {
            d.flatten()
                .all(|entry| entry.file_name().as_os_str() == INDEX_LOCK)
        });
        if !empty && !marker.is_file() {
            return Err(Error::usage(format!(
                "`{}` is not empty and is not an OCI image layout",
                dir.shown()
            ))
            .help("name a new or empty directory, or a layout aseecr or skopeo wrote")
            .into());
        }
        std::fs::create_dir_all(dir.join("blobs")).map_err(|err| write_error(&dir, &err))?;
        if !marker.is_file() {
            crate::fsutil::write_atomic(&marker, br#"{"imageLayoutVersion":"1.0.0"}"#, None)?;
        }
        if !dir.join("index.json").is_file() {
            write_index(&dir, &empty_index())?;
        }
        Ok(Writer {
            dir,
            temp,
            location,
            jobs: Arc::new(Semaphore::new(jobs.max(1))),
            large: Arc::new(Semaphore::new(large_streams(jobs))),
            blobs: Mutex::new(HashMap::new()),
            index: tokio::sync::Mutex::new(()),
            limit: None,
        })
    }

    /// Read every blob within `limit` (`--limit-rate`), shared by all of them.
    pub fn with_rate_limit(mut self, limit: Option<RateLimit>) -> Writer {
        self.limit = limit;
        self
    }

    /// `oci:DIR:NAME` / `oci-archive:FILE:NAME`.
    pub fn describe(&self, name: &str) -> String {
        self.location.with_name(Some(name)).to_string()
    }

    fn blob_path(&self, digest: &str) -> PathBuf {
        super::blob_file(&self.dir, digest)
    }

    /// Whether the layout holds the blob already: a regular file of its size
    /// whose bytes hash to its digest (read on a blocking thread). A file with
    /// other bytes is not the blob: it is written again, over it.
    async fn has_blob(&self, digest: &str, size: u64) -> bool {
        let (path, digest) = (self.blob_path(digest), digest.to_owned());
        tokio::task::spawn_blocking(move || holds_blob(&path, &digest, size))
            .await
            .unwrap_or(false)
    }

    /// The digest `name` points at in `index.json`, if any.
    async fn named(&self, name: &str) -> Result<Option<String>> {
        let _lock = self.index.lock().await;
        let index = read_index(&self.dir)?;
        Ok(entries(&index)
            .iter()
            .rev()
            .find(|e| {
                e.pointer("/annotations/org.opencontainers.image.ref.name") == Some(&name.into())
            })
            .and_then(|e| e.get("digest").and_then(|d| d.as_str()).map(str::to_owned)))
    }

    /// Copy one image from `source` into the layout under `name`.
    pub async fn copy(
        &self,
        source: &dyn Source,
        from: &Reference,
        name: &str,
        options: &CopyOptions,
        observer: &Arc<dyn Observer>,
    ) -> Result<ImageReport> {
        self.put(source, from, &Listing::Named(name), options, observer)
            .await
    }

    /// Copy one referrer (`from` names its digest) into the layout, bytes
    /// unchanged, and list it in `index.json` without a name: its descriptor
    /// with the artifact type and annotations `entry` carries, as oras lists
    /// the referrers it pushes into a layout (image-layout spec: `manifests`
    /// may list any manifest; a name is optional).
    pub async fn copy_referrer(
        &self,
        source: &dyn Source,
        from: &Reference,
        entry: &Referrer,
        observer: &Arc<dyn Observer>,
    ) -> Result<ImageReport> {
        // A referrer is copied whole: no platform chosen out of an index.
        let options = CopyOptions::default();
        self.put(source, from, &Listing::Referrer(entry), &options, observer)
            .await
    }

    /// Whether `index.json` lists `entry` without a name, in full.
    async fn lists_referrer(&self, entry: &Referrer) -> Result<bool> {
        let _lock = self.index.lock().await;
        let index = read_index(&self.dir)?;
        let wanted = referrer_entry(entry);
        Ok(entries(&index).contains(&wanted))
    }

    async fn put(
        &self,
        source: &dyn Source,
        from: &Reference,
        listing: &Listing<'_>,
        options: &CopyOptions,
        observer: &Arc<dyn Observer>,
    ) -> Result<ImageReport> {
        let mut resolved = resolve(source, from, options).await?;
        let name = match listing {
            Listing::Named(name) => *name,
            Listing::Referrer(entry) => entry.digest.as_str(),
        };
        if self.location.transport == Transport::DockerArchive {
            single_image(&mut resolved, &self.describe(name), name)?;
        }
        let target = &resolved.target;
        let mut report = ImageReport {
            source: source.describe(from),
            destination: self.describe(name),
            source_digest: resolved.source_digest.clone(),
            destination_digest: target.digest.clone(),
            digest_changed: target.digest != resolved.source_digest,
            skipped_foreign: resolved.skipped_foreign.clone(),
            ..ImageReport::default()
        };
        // index.json is written last: a name that points at the digest names a
        // whole image.
        let there = match listing {
            Listing::Named(name) => {
                self.named(name).await?.as_deref() == Some(target.digest.as_str())
            }
            Listing::Referrer(entry) => {
                self.lists_referrer(entry).await?
                    && self
                        .has_blob(&target.digest, target.bytes.len() as u64)
                        .await
            }
        };
        if there {
            report.outcome = Outcome::UpToDate;
            return Ok(report);
        }
        if options.dry_run {
            for blob in &resolved.blobs {
                let size = blob.size.max(0) as u64;
                if self.has_blob(&blob.digest, size).await {
                    report.blobs_present += 1;
                } else {
                    report.blobs_to_copy += 1;
                    report.bytes_to_copy += size;
                }
            }
            report.outcome = Outcome::Planned;
            return Ok(report);
        }
        let sizes: Vec<(String, u64)> = resolved
            .blobs
            .iter()
            .map(|b| (b.digest.clone(), b.size.max(0) as u64))
            .collect();
        observer.image_planned(&ImagePlan {
            image: &report.source,
            platforms: &resolved.platforms,
            blobs: &sizes,
        });
        // Every transfer runs to its end, so no temporary file outlives the run.
        let outcomes = join_all(
            resolved
                .blobs
                .iter()
                .map(|blob| self.ensure_blob(source, from, blob, observer)),
        )
        .await
        .into_iter()
        .collect::<Result<Vec<_>>>()?;
        for (outcome, size) in outcomes {
            match outcome {
                BlobOutcome::Copied => {
                    report.blobs_copied += 1;
                    report.bytes_copied += size;
                }
                BlobOutcome::Present | BlobOutcome::Mounted => report.blobs_present += 1,
            }
        }
        for manifest in &resolved.manifests {
            self.write_manifest(manifest).await?;
            report.manifests_pushed += 1;
        }
        match listing {
            Listing::Named(name) => self.name_image(name, target).await?,
            Listing::Referrer(entry) => self.list_referrer(entry).await?,
        }
        report.outcome = Outcome::Copied;
        Ok(report)
    }

    /// Write a blob once per run (several images may share it).
    async fn ensure_blob(
        &self,
        source: &dyn Source,
        from: &Reference,
        blob: &OciDescriptor,
        observer: &Arc<dyn Observer>,
    ) -> Result<(BlobOutcome, u64)> {
        let size = blob.size.max(0) as u64;
        let cell = self
            .blobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(blob.digest.clone())
            .or_default()
            .clone();
        let mut performed = false;
        let outcome = cell
            .get_or_try_init(|| {
                performed = true;
                self.transfer(source, from, blob, observer)
            })
            .await?;
        Ok((
            if performed {
                *outcome
            } else {
                BlobOutcome::Present
            },
            size,
        ))
    }

    async fn transfer(
        &self,
        source: &dyn Source,
        from: &Reference,
        blob: &OciDescriptor,
        observer: &Arc<dyn Observer>,
    ) -> Result<BlobOutcome> {
        let size = blob.size.max(0) as u64;
        let digest = &blob.digest;
        if self.has_blob(digest, size).await {
            observer.blob_finished(digest, size, Some(BlobOutcome::Present));
            return Ok(BlobOutcome::Present);
        }
        let _large = if size >= LARGE_BLOB {
            Some(self.large.acquire().await?)
        } else {
            None
        };
        let _permit = self.jobs.acquire().await?;
        observer.blob_started(digest, size);
        let mut attempt = 0;
        let mut restarted = false;
        loop {
            attempt += 1;
            match self.download(source, from, digest, size, observer).await {
                Ok(Some(outcome)) => {
                    observer.blob_finished(digest, size, Some(outcome));
                    return Ok(outcome);
                }
                // What an earlier run left was not the blob's start: it is gone,
                // and the whole blob is fetched once more.
                Ok(None) if !restarted => {
                    restarted = true;
                    attempt -= 1;
                    let reason = "the partial file left before did not match";
                    tracing::debug!("blob {digest}: {reason}; fetching it whole");
                    observer.blob_retrying(digest, attempt, reason);
                }
                Ok(None) => {
                    observer.blob_finished(digest, size, None);
                    return Err(Error::new(
                        Kind::Failed,
                        format!("blob {digest}: its partial file in the layout keeps changing"),
                    )
                    .help("let other runs writing this layout finish, then run the same command again")
                    .into());
                }
                Err(err) if attempt < BLOB_ATTEMPTS && from_source(&err) => {
                    let reason = format!("{err:#}");
                    observer.blob_retrying(digest, attempt, &reason);
                }
                Err(err) => {
                    observer.blob_finished(digest, size, None);
                    return Err(err.context(format!("cannot copy blob {digest}")));
                }
            }
        }
    }

    /// Write a blob into `<hex>.partial` beside its place, continuing what an
    /// earlier attempt or run left there (the source is asked for the rest
    /// only, and the kept bytes are hashed again), then rename it into place
    /// when size and digest match. A transfer that breaks off keeps the partial
    /// file for the next attempt; bytes that do not match remove it, and when
    /// bytes were kept from before (which may be what is wrong) the result is
    /// `None`: fetch it whole again. The file is locked while written, so two
    /// runs never write one blob at once.
    async fn download(
        &self,
        source: &dyn Source,
        from: &Reference,
        digest: &str,
        size: u64,
        observer: &Arc<dyn Observer>,
    ) -> Result<Option<BlobOutcome>> {
        let Some(hasher) = Hasher::for_digest(digest) else {
            return Err(unknown_digest(digest));
        };
        let target = self.blob_path(digest);
        let partial = partial_path(&target);
        let (file, kept, mut hasher) = start_partial(&target, size, hasher).await?;
        // Another run wrote the blob while this one waited for the lock.
        if self.has_blob(digest, size).await {
            return Ok(Some(BlobOutcome::Present));
        }
        if kept > 0 {
            tracing::debug!("blob {digest}: continuing from byte {kept} of {size}");
            observer.blob_progress(digest, kept);
        }
        let mut file = tokio::fs::File::from_std(file);
        let mut stream = crate::registry::rate::limit(
            self.limit.as_ref(),
            source.blob(&from.repository, digest, kept).await?,
        );
        let mut seen = kept;
        let result = async {
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(|err| {
                    Error::new(
                        Kind::Connect,
                        format!("the source stopped sending blob {digest}: {err}"),
                    )
                })?;
                seen += chunk.len() as u64;
                if seen > size {
                    return Err(Error::new(
                        Kind::Integrity,
                        format!("the source sent more than the {size} bytes of blob {digest}"),
                    )
                    .into());
                }
                hasher.update(&chunk);
                file.write_all(&chunk)
                    .await
                    .map_err(|err| write_error(&target, &err))?;
                observer.blob_progress(digest, chunk.len() as u64);
            }
            if seen != size {
                return Err(Error::new(
                    Kind::Connect,
                    format!("the source sent {seen} bytes of blob {digest}, expected {size}"),
                )
                .into());
            }
            let actual = hasher.digest();
            if actual != digest {
                return Err(Error::new(
                    Kind::Integrity,
                    format!("blob {digest} from the source hashes to {actual}: digest mismatch, nothing was written"),
                )
                .into());
            }
            Ok(())
        }
        .await;
        file.flush()
            .await
            .map_err(|err| write_error(&target, &err))?;
        if let Err(err) = result {
            if crate::error::find(&err).is_some_and(|e| e.kind == Kind::Integrity) {
                drop(file);
                let _ = std::fs::remove_file(&partial);
                if kept > 0 {
                    return Ok(None);
                }
            }
            return Err(err);
        }
        file.sync_all()
            .await
            .map_err(|err| write_error(&target, &err))?;
        // Renamed while still locked (Windows may refuse while it is open: then after).
        if std::fs::rename(&partial, &target).is_err() {
            drop(file);
            crate::fsutil::rename(&partial, &target).map_err(|err| write_error(&target, &err))?;
        }
        Ok(Some(BlobOutcome::Copied))
    }

    /// Write a small blob (a manifest) through a temporary file renamed into place.
    async fn write_bytes(&self, digest: &str, bytes: &[u8]) -> Result<()> {
        let Some(mut hasher) = Hasher::for_digest(digest) else {
            return Err(unknown_digest(digest));
        };
        hasher.update(bytes);
        let actual = hasher.digest();
        if actual != digest {
            return Err(Error::new(
                Kind::Integrity,
                format!(
                    "manifest {digest} hashes to {actual}: digest mismatch, nothing was written"
                ),
            )
            .into());
        }
        let target = self.blob_path(digest);
        let dir = crate::fsutil::dir_of(&target).to_owned();
        std::fs::create_dir_all(&dir).map_err(|err| write_error(&dir, &err))?;
        let temp = crate::fsutil::temp_file_for(&target).map_err(|err| write_error(&dir, &err))?;
        let mut file = temp.as_file();
        std::io::Write::write_all(&mut file, bytes).map_err(|err| write_error(&target, &err))?;
        file.sync_all().map_err(|err| write_error(&target, &err))?;
        crate::fsutil::persist(temp, &target).map_err(|err| write_error(&target, &err))?;
        Ok(())
    }

    async fn write_manifest(&self, manifest: &Manifest) -> Result<()> {
        let size = manifest.bytes.len() as u64;
        if self.has_blob(&manifest.digest, size).await {
            return Ok(());
        }
        self.write_bytes(&manifest.digest, &manifest.bytes).await
    }

    /// Point `name` at the manifest in `index.json`, replacing an earlier entry
    /// of that name (one atomic write).
    async fn name_image(&self, name: &str, manifest: &Manifest) -> Result<()> {
        let _lock = self.index.lock().await;
        let (dir, name, manifest) = (self.dir.clone(), name.to_owned(), manifest.clone());
        // Locked across processes: another run naming an image in this layout
        // reads index.json after this write, not before.
        tokio::task::spawn_blocking(move || {
            let _lock = lock_index(&dir)?;
            add_name(&dir, &name, &manifest)
        })
        .await
        .context("the layout writer stopped")?
    }

    /// List a referrer in `index.json` without a name, replacing an earlier
    /// entry of its digest that had none (one atomic write, locked as
    /// [`Writer::name_image`] is).
    async fn list_referrer(&self, entry: &Referrer) -> Result<()> {
        let _lock = self.index.lock().await;
        let (dir, wanted) = (self.dir.clone(), referrer_entry(entry));
        tokio::task::spawn_blocking(move || {
            let _lock = lock_index(&dir)?;
            let mut index = read_index(&dir)?;
            let list = manifests_mut(&mut index)?;
            list.retain(|e| {
                e.get("digest") != wanted.get("digest")
                    || e.pointer("/annotations/org.opencontainers.image.ref.name")
                        .is_some()
            });
            list.push(wanted);
            write_index(&dir, &index)
        })
        .await
        .context("the layout writer stopped")?
    }

    /// For an archive: stream the layout into a tar beside the file, then
    /// replace the file with it in one rename. The temporary directory goes when
    /// the writer is dropped. Nothing to do for a directory.
    pub async fn finish(self) -> Result<()> {
        let Some(temp) = self.temp else {
            return Ok(());
        };
        let archive = self.location.path.clone();
        let docker = self.location.transport == Transport::DockerArchive;
        tokio::task::spawn_blocking(move || {
            let result = if docker {
                super::docker::write_classic(temp.path(), &archive)
            } else {
                write_tar(temp.path(), &archive)
            };
            drop(temp);
            result
        })
        .await
        .context("the archive writer stopped")?
    }
}

/// Point `name` at the manifest in the layout's `index.json`, replacing an
/// earlier entry of that name (one atomic write); the caller holds its lock.
fn add_name(dir: &Path, name: &str, manifest: &Manifest) -> Result<()> {
    let mut index = read_index(dir)?;
    let list = manifests_mut(&mut index)?;
    list.retain(|e| {
        e.pointer("/annotations/org.opencontainers.image.ref.name") != Some(&name.into())
    });
    let mut entry = serde_json::json!({
        "mediaType": manifest.media_type,
        "digest": manifest.digest,
        "size": manifest.bytes.len(),
    });
    entry["annotations"] = serde_json::json!({ REF_NAME: name });
    list.push(entry);
    write_index(dir, &index)
}

/// The `manifests` list of an `index.json`, made when missing.
fn manifests_mut(index: &mut serde_json::Value) -> Result<&mut Vec<serde_json::Value>> {
    index
        .as_object_mut()
        .and_then(|o| {
            o.entry("manifests")
                .or_insert_with(|| serde_json::Value::Array(Vec::new()))
                .as_array_mut()
        })
        .context("index.json has no manifests list")
}

/// What a layout image is listed as in `index.json`.
enum Listing<'a> {
    /// An image, by its `org.opencontainers.image.ref.name`.
    Named(&'a str),
    /// A referrer: no name, its descriptor as a referrers list gives it.
    Referrer(&'a Referrer),
}

/// The `index.json` entry of a referrer: its descriptor, `artifactType` and
/// every annotation of its manifest (the entry the referrers API and the
/// fallback index give), and no `org.opencontainers.image.ref.name`.
fn referrer_entry(entry: &Referrer) -> serde_json::Value {
    let mut value = serde_json::json!({
        "mediaType": entry.media_type,
        "digest": entry.digest,
        "size": entry.size,
    });
    if let Some(artifact_type) = &entry.artifact_type {
        value["artifactType"] = artifact_type.clone().into();
    }
    let annotations: serde_json::Map<String, serde_json::Value> = entry
        .annotations
        .iter()
        .filter(|(k, _)| k.as_str() != REF_NAME)
        .map(|(k, v)| (k.clone(), v.clone().into()))
        .collect();
    if !annotations.is_empty() {
        value["annotations"] = annotations.into();
    }
    value
}

/// The lock file that serialises changes to a layout's `index.json` between
/// runs; it is removed when released, and never packed into an archive.
const INDEX_LOCK: &str = ".index.json.aseecr.lock";

fn lock_index(dir: &Path) -> Result<crate::fsutil::FileLock> {
    let path = dir.join(INDEX_LOCK);
    crate::fsutil::FileLock::acquire(&path, crate::fsutil::LOCK_WAIT)
        .map_err(|err| write_error(&path, &err))
}

/// Whether `path` holds the blob `digest` whole (see `Writer::has_blob`); a
/// link, a FIFO or a file of another size is not read.
fn holds_blob(path: &Path, digest: &str, size: u64) -> bool {
    use std::io::Read;
    let regular = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == size);
    let (true, Some(mut hasher)) = (regular, Hasher::for_digest(digest)) else {
        return false;
    };
    let Ok(mut file) = crate::fsutil::open_regular(path) else {
        return false;
    };
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => hasher.update(&buffer[..read]),
            Err(_) => return false,
        }
    }
    let whole = hasher.digest() == digest;
    if !whole {
        tracing::debug!(
            "`{}` is not blob {digest} (its bytes hash otherwise): writing it again",
            path.shown()
        );
    }
    whole
}

/// A docker archive holds one image per name, of one platform, named
/// REPOSITORY:TAG: an index of one platform (`--platform`) gives way to that
/// platform's manifest; an index of several is a usage error naming them.
fn single_image(
    resolved: &mut crate::registry::copy::Resolved,
    shown: &str,
    name: &str,
) -> Result<()> {
    let (repository, _) = super::split_name(name);
    if repository.is_empty() {
        return Err(Error::usage(format!(
            "`{shown}` names no repository: a docker archive names each image REPOSITORY:TAG"
        ))
        .help("name it: `docker-archive:FILE:REPOSITORY:TAG`")
        .into());
    }
    let crate::registry::manifest::Content::Index(index) = resolved.target.content()? else {
        return Ok(());
    };
    match index.manifests.as_slice() {
        [one] => {
            let child = resolved
                .manifests
                .iter()
                .find(|m| m.digest == one.digest)
                .cloned()
                .context("the chosen platform's manifest was not read")?;
            resolved.manifests.retain(|m| m.digest == child.digest);
            resolved.target = child;
            Ok(())
        }
        _ => Err(Error::usage(format!(
            "`{shown}`: the image is a multi-platform index ({}), and a docker archive holds one platform",
            resolved.platforms.join(", ")
        ))
        .help("choose one: `--platform linux/amd64`")
        .into()),
    }
}

fn unknown_digest(digest: &str) -> anyhow::Error {
    Error::new(
        Kind::Integrity,
        format!("blob {digest} has a digest aseecr cannot check"),
    )
    .into()
}

/// The partial file of the blob at `target`, opened (on a blocking thread: it
/// waits for another run writing it) as [`open_partial`] does, its directory
/// made and the temporary files of older versions a killed run left removed.
async fn start_partial(
    target: &Path,
    size: u64,
    hasher: Hasher,
) -> Result<(std::fs::File, u64, Hasher)> {
    let dir = crate::fsutil::dir_of(target).to_owned();
    std::fs::create_dir_all(&dir).map_err(|err| write_error(&dir, &err))?;
    crate::fsutil::remove_stale_temps(target, crate::fsutil::STALE_TEMP_AGE, false);
    let partial = partial_path(target);
    let path = partial.clone();
    tokio::task::spawn_blocking(move || open_partial(&path, size, hasher))
        .await
        .context("the layout writer stopped")?
        .map_err(|err| write_error(&partial, &err))
}

/// Where a blob is written until it is whole: `blobs/ALG/HEX.partial`.
fn partial_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_owned();
    name.push(".partial");
    target.with_file_name(name)
}

/// Open (or create) a blob's partial file, lock it (waiting for another run
/// writing the same blob), and hash what it holds: returns the file positioned
/// at its end, how many bytes it keeps, and the hasher fed with them. A partial
/// file longer than the blob is started again.
fn open_partial(
    path: &Path,
    size: u64,
    mut hasher: Hasher,
) -> std::io::Result<(std::fs::File, u64, Hasher)> {
    use std::io::{Read, Seek};
    let mut file = partial_file(path)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => file.lock()?,
        Err(std::fs::TryLockError::Error(err)) => return Err(err),
    }
    let mut kept = file.metadata()?.len();
    if kept > size {
        file.set_len(0)?;
        kept = 0;
    }
    file.rewind()?;
    let mut buffer = vec![0u8; if kept > 0 { 256 * 1024 } else { 0 }];
    let mut left = kept;
    while left > 0 {
        let want = buffer.len().min(left as usize);
        let read = file.read(&mut buffer[..want])?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        left -= read as u64;
    }
    let kept = kept - left;
    file.set_len(kept)?;
    file.seek(std::io::SeekFrom::Start(kept))?;
    Ok((file, kept, hasher))
}

/// A blob's partial file, as [`open_partial`] takes it: the regular file an
/// earlier attempt or run left, else a new one (0600, created exclusively).
/// Whatever else is in its place (a symbolic link, a FIFO, a file with another
/// name linked to it) is removed, never opened through or written, so a file
/// planted there cannot make aseecr write elsewhere.
fn partial_file(path: &Path) -> std::io::Result<std::fs::File> {
    for _ in 0..3 {
        match crate::fsutil::open_own_file(path) {
            Ok(file) if !linked_elsewhere(&file) => return Ok(file),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            opened => {
                // Not ours to write into: a link (open refused it), or not a
                // regular file, or another name for a file elsewhere.
                let planted = std::fs::symlink_metadata(path)
                    .is_ok_and(|m| !m.is_file() || opened.as_ref().is_ok());
                if !planted {
                    return opened;
                }
                tracing::debug!(
                    "`{}` is not a partial file aseecr wrote: removed",
                    path.shown()
                );
                std::fs::remove_file(path)?;
            }
        }
        match crate::fsutil::create_own_file(path) {
            Ok(file) => return Ok(file),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(err),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        "another process keeps putting a file in its place",
    ))
}

/// Whether the open `file` has other names (hard links): a partial file aseecr
/// created has one.
fn linked_elsewhere(file: &std::fs::File) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        file.metadata().is_ok_and(|m| m.nlink() > 1)
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        false
    }
}

/// Whether a failure is the source's connection breaking (worth another go);
/// a local write that failed (disk full) or bytes that do not match are not.
fn from_source(err: &anyhow::Error) -> bool {
    crate::error::find(err).is_some_and(|e| e.kind.is_connect()) && is_retryable(err)
}

fn empty_index() -> serde_json::Value {
    serde_json::json!({ "schemaVersion": 2, "manifests": [] })
}

fn entries(index: &serde_json::Value) -> Vec<serde_json::Value> {
    index
        .get("manifests")
        .and_then(|m| m.as_array())
        .cloned()
        .unwrap_or_default()
}

fn read_index(dir: &Path) -> Result<serde_json::Value> {
    let path = dir.join("index.json");
    let bytes = crate::fsutil::read_path(&path, MAX_MANIFEST_BYTES as u64)
        .with_context(|| format!("cannot read `{}`", path.shown()))?;
    serde_json::from_slice(&bytes).map_err(|err| {
        Error::new(
            Kind::Usage,
            format!("`{}` is not JSON: {err}", path.shown()),
        )
        .into()
    })
}

fn write_index(dir: &Path, index: &serde_json::Value) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(index)?;
    crate::fsutil::write_atomic(&dir.join("index.json"), &bytes, None)
}

/// Tar `dir` (oci-layout, index.json, blobs/) into `archive`, streaming each file.
fn write_tar(dir: &Path, archive: &Path) -> Result<()> {
    write_archive(archive, |builder| {
        builder.mode(tar::HeaderMode::Deterministic);
        builder.follow_symlinks(false);
        for name in ["oci-layout", "index.json"] {
            builder
                .append_path_with_name(dir.join(name), name)
                .map_err(|err| write_error(archive, &err))?;
        }
        builder
            .append_dir_all("blobs", dir.join("blobs"))
            .map_err(|err| write_error(archive, &err))
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn an_archives_temporary_layout_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let location = Location {
            transport: Transport::Archive,
            path: dir.path().join("bundle.tar"),
            name: None,
        };
        let writer = Writer::open(&location, 1).unwrap();
        assert!(writer.dir.starts_with(dir.path()));
        assert_eq!(mode(&writer.dir), 0o700);
        for file in ["oci-layout", "index.json"] {
            assert_eq!(mode(&writer.dir.join(file)), 0o600, "{file}");
        }
    }

    #[test]
    fn a_planted_partial_link_is_removed_and_the_partial_file_made_private() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"precious").unwrap();
        let partial = dir.path().join("abc.partial");
        std::os::unix::fs::symlink(&victim, &partial).unwrap();
        let hasher = Hasher::for_digest("sha256:").unwrap();
        let (mut file, kept, _) = open_partial(&partial, 100, hasher).unwrap();
        std::io::Write::write_all(&mut file, b"blob bytes").unwrap();
        assert_eq!(kept, 0);
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
        assert!(std::fs::symlink_metadata(&partial).unwrap().is_file());
        assert_eq!(mode(&partial), 0o600);
        // A partial file left by an earlier run is continued.
        drop(file);
        let hasher = Hasher::for_digest("sha256:").unwrap();
        let (_, kept, _) = open_partial(&partial, 100, hasher).unwrap();
        assert_eq!(kept, 10);
    }
}
