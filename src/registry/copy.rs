//! The copy engine: streams images into a registry from any [`Source`] (a
//! registry, or an OCI layout that `layout/` reads).
//!
//! Blobs go from the source's GET to the destination, hashed on the way (never
//! on disk; only blobs under 1 MiB are held whole in memory, to be checked
//! before they are sent). Each blob costs one request when the destination has
//! it (a mount from the repository itself answers 201), two when it does not
//! and is small (POST, then PUT) and three when it is large (POST, a streamed
//! PATCH, then PUT), so that a failed transfer can always be cancelled. A blob needed by several images or
//! platforms in one run is transferred once and mounted elsewhere. Manifests are
//! pushed only after everything they reference is present, children before their
//! index, so an interrupted run never leaves a manifest pointing at missing blobs.
//!
//! [`Engine::interrupt`] stops a run (Ctrl-C): no new work starts, transfers end
//! their upload bodies cleanly and cancel their sessions, and
//! [`Engine::cancel_open_uploads`] cancels whatever session is still open.

use std::collections::{HashMap, HashSet};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use bytes::Bytes;
use futures_util::future::{BoxFuture, join_all, try_join_all};
use futures_util::{StreamExt, TryStreamExt};
use oci_client::manifest::OciDescriptor;
use tokio::sync::{OnceCell, Semaphore, watch};

use super::blob::Upload;
use super::client::{Activity, MAX_TIMEOUT_ATTEMPTS, Pace, Registry};
use super::limits::{MAX_INDEX_DEPTH, MAX_MANIFESTS};
use super::manifest::{Content, Hasher, Manifest, platform_string};
/// Kept here too, for the code that named it by this path before it had a module of its own.
pub use super::platform::Platform;
use super::reference::Reference;
use crate::error::{Error, Kind};

/// Attempts per blob before the image fails.
const BLOB_ATTEMPTS: u32 = 4;
/// Blobs at least this large count as large streams.
pub const LARGE_BLOB: u64 = 1 << 20;
/// Blobs from this size on are uploaded in chunks whose sessions are kept for
/// the next attempt or run (with [`CopyOptions::resume_dir`]).
const RESUMABLE_BLOB: u64 = 32 << 20;
/// A resumable blob's chunks: a tenth of it, within these bounds, so a run
/// stopped anywhere sends at most about a tenth of a large blob again; at least
/// 32 MiB, since every chunk costs a request and a pause in the stream.
const MIN_CHUNK: u64 = 32 << 20;
const MAX_CHUNK: u64 = 128 << 20;
/// Child manifests fetched at once while walking an index.
const MANIFEST_FETCHES: usize = 8;
/// Jobs per large stream: large blobs stream `jobs / 4` at once (at least one).
/// Each holds about 1.4 MiB of HTTP and TLS buffers, and two already saturate a
/// registry on a small machine (docs/benchmarks.md), while small blobs are
/// limited by requests, not bytes, and use every job.
const JOBS_PER_LARGE_STREAM: usize = 4;

/// How many large blobs stream at once for `jobs` jobs: a few streams fill a
/// link, and every stream in flight holds its buffers.
pub fn large_streams(jobs: usize) -> usize {
    (jobs / JOBS_PER_LARGE_STREAM).max(1)
}

/// What the engine is asked to do besides copying.
#[derive(Debug, Clone, Default)]
pub struct CopyOptions {
    /// Copy only these platforms of an index (empty: the whole index, unchanged).
    pub platforms: Vec<Platform>,
    /// Copy foreign (non-distributable) layers too.
    pub include_nondistributable: bool,
    /// Plan only: read both registries, write nothing.
    pub dry_run: bool,
    /// `--limit-rate`: one limit on the blob bytes read from every source.
    pub limit_rate: Option<super::rate::RateLimit>,
    /// Where the upload sessions of large blobs are kept for the next attempt
    /// or run (`None`: large blobs are uploaded in one request, not resumable).
    pub resume_dir: Option<std::path::PathBuf>,
}

/// How a blob ended up at the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobOutcome {
    /// Transferred from the source.
    Copied,
    /// The destination repository already had it.
    Present,
    /// Mounted from another repository of the destination.
    Mounted,
}

/// One image's plan, told before any of its blobs moves: what a progress
/// display needs to show the real total from the start.
#[derive(Debug, Clone)]
pub struct ImagePlan<'a> {
    /// The source reference.
    pub image: &'a str,
    /// The platforms of an index (empty for a single image).
    pub platforms: &'a [String],
    /// Every blob the destination must end up with, once: (digest, size).
    pub blobs: &'a [(String, u64)],
}

/// Hears about blob transfers (progress bars, logs).
pub trait Observer: Send + Sync {
    /// An image's blobs are known and about to be ensured at the destination.
    fn image_planned(&self, plan: &ImagePlan<'_>);
    fn blob_started(&self, digest: &str, size: u64);
    fn blob_progress(&self, digest: &str, bytes: u64);
    fn blob_retrying(&self, digest: &str, attempt: u32, reason: &str);
    fn blob_finished(&self, digest: &str, size: u64, outcome: Option<BlobOutcome>);
}

/// What happened to one image.
#[derive(Debug, Clone, Default)]
pub struct ImageReport {
    pub source: String,
    pub destination: String,
    pub source_digest: String,
    pub destination_digest: String,
    /// "copied", "up-to-date" or "planned" (dry run).
    pub status: &'static str,
    /// The destination digest differs from the source's (platform selection).
    pub digest_changed: bool,
    pub blobs_copied: usize,
    pub blobs_present: usize,
    pub blobs_mounted: usize,
    pub bytes_copied: u64,
    /// Dry run: blobs and bytes that would be copied.
    pub blobs_to_copy: usize,
    pub bytes_to_copy: u64,
    pub manifests_pushed: usize,
    /// Blobs and manifests the destination claimed to have but could not serve
    /// (a blob cache left stale by garbage collection), written again.
    pub repaired: usize,
    /// Foreign layers left out (not distributable).
    pub skipped_foreign: Vec<String>,
    /// The digest the destination tag pointed at before, when it pointed at
    /// another one (with `dry_run`: the one it would stop pointing at).
    pub replaced: Option<Replaced>,
}

/// The image a destination tag pointed at before the copy moved it: distribution
/// keeps it, untagged and unlisted, until it is deleted by digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    /// The tag that moved.
    pub tag: String,
    /// Its top manifest's digest.
    pub digest: String,
    /// Its manifests, the top one first, parents before children (only the top
    /// one when they could not be read).
    pub manifests: Vec<String>,
    /// The bytes the registry stores for it (manifests, configs and layers, each
    /// blob once, shared blobs included); `None` when its manifests could not be read.
    pub size: Option<u64>,
}

/// A blob's bytes as they are read.
pub type BlobStream = Pin<Box<dyn futures_util::Stream<Item = std::io::Result<Bytes>> + Send>>;

/// Where images are read from: a registry, or an OCI image layout (implemented
/// in `layout/`, which sits above `registry/`). The engine and the layout
/// writer read only through this, so every source works with every destination.
pub trait Source: Send + Sync {
    /// The registry's `host[:port]`, or a layout's `oci:PATH`.
    fn name(&self) -> &str;
    /// How an image of this source is written in reports and messages.
    fn describe(&self, reference: &Reference) -> String {
        reference.to_string()
    }
    /// A manifest by tag (or layout name) or digest, its bytes unchanged.
    fn manifest<'a>(&'a self, reference: &'a Reference) -> BoxFuture<'a, Result<Manifest>>;
    /// A blob's bytes from byte `offset` on (0: all of it), streamed; the
    /// caller checks them against the digest.
    fn blob<'a>(
        &'a self,
        repository: &'a str,
        digest: &'a str,
        offset: u64,
    ) -> BoxFuture<'a, Result<BlobStream>>;
    /// How long a blob's stream may stall.
    fn idle_timeout(&self) -> std::time::Duration;
    /// Refuse a digest named by a manifest before it is used in a URL or a path.
    fn check_digest(&self, digest: &str) -> Result<()>;
}

impl Source for Registry {
    fn name(&self) -> &str {
        Registry::name(self)
    }

    fn manifest<'a>(&'a self, reference: &'a Reference) -> BoxFuture<'a, Result<Manifest>> {
        Box::pin(Registry::manifest(self, reference))
    }

    fn blob<'a>(
        &'a self,
        repository: &'a str,
        digest: &'a str,
        offset: u64,
    ) -> BoxFuture<'a, Result<BlobStream>> {
        Box::pin(async move {
            let (response, before) = self.get_blob(repository, digest, offset).await?;
            let stream = response.bytes_stream().map_err(|err| {
                // Without the URL: after a CDN redirect it may carry a signature.
                let err = err.without_url();
                let cause = std::error::Error::source(&err)
                    .map_or_else(|| err.to_string(), ToString::to_string);
                std::io::Error::other(cause)
            });
            Ok(skip_prefix(Box::pin(stream), before))
        })
    }

    fn idle_timeout(&self) -> std::time::Duration {
        Registry::idle_timeout(self)
    }

    fn check_digest(&self, digest: &str) -> Result<()> {
        self.listed_digest(digest).map(|_| ())
    }
}

/// `stream` without its first `skip` bytes (a source that cannot start a blob
/// in the middle reads the beginning and drops it).
pub fn skip_prefix(stream: BlobStream, skip: u64) -> BlobStream {
    if skip == 0 {
        return stream;
    }
    Box::pin(futures_util::stream::unfold(
        (stream, skip),
        |(mut stream, mut skip)| async move {
            loop {
                let mut chunk = match stream.next().await? {
                    Ok(chunk) => chunk,
                    Err(err) => return Some((Err(err), (stream, skip))),
                };
                if skip >= chunk.len() as u64 {
                    skip -= chunk.len() as u64;
                    continue;
                }
                let rest = chunk.split_off(skip as usize);
                return Some((Ok(rest), (stream, 0)));
            }
        },
    ))
}

/// An image read from a source and chosen (`--platform`): what a writer needs.
pub struct Resolved {
    /// The digest the source reference points at.
    pub source_digest: String,
    /// The top manifest to write (the source's, or a subset index).
    pub target: Manifest,
    /// Every distinct manifest, children before the indexes that name them, the
    /// top one last.
    pub manifests: Vec<Manifest>,
    /// Every blob to write once (foreign layers left out unless asked for).
    pub blobs: Vec<OciDescriptor>,
    /// Foreign layers left out.
    pub skipped_foreign: Vec<String>,
    /// The platforms of an index (empty for a single image).
    pub platforms: Vec<String>,
}

/// Read an image from `source` and apply the options' platform choice.
pub async fn resolve(
    source: &dyn Source,
    from: &Reference,
    options: &CopyOptions,
) -> Result<Resolved> {
    let source_manifest = source.manifest(from).await?;
    let target = select(source, from, options, source_manifest.clone()).await?;
    let platforms = platforms_of(&target);
    let tree = walk(source, from, target.clone()).await?;
    let (blobs, foreign): (Vec<_>, Vec<_>) = tree
        .blobs()
        .into_iter()
        .partition(|b| options.include_nondistributable || !is_foreign(b));
    let manifests = tree
        .waves
        .iter()
        .flatten()
        .map(|digest| tree.nodes[digest].manifest.clone())
        .collect();
    Ok(Resolved {
        source_digest: source_manifest.digest,
        target,
        manifests,
        blobs,
        skipped_foreign: foreign.into_iter().map(|b| b.digest).collect(),
        platforms,
    })
}

fn platforms_of(manifest: &Manifest) -> Vec<String> {
    match manifest.content() {
        Ok(Content::Index(index)) => index
            .manifests
            .iter()
            .filter_map(|entry| entry.platform.as_ref().map(platform_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// One image to copy.
pub struct Job {
    pub source: Arc<dyn Source>,
    pub from: Reference,
    pub to: Reference,
}

/// A manifest to push, with the blobs it needs and the digests of its children.
struct Node {
    manifest: Manifest,
    blobs: Vec<OciDescriptor>,
    children: Vec<String>,
}

/// An image as a graph: every distinct manifest once, however often indexes
/// name it, in waves to push (each wave's children are in earlier waves; the
/// last wave is the top manifest alone).
struct Tree {
    nodes: HashMap<String, Node>,
    waves: Vec<Vec<String>>,
}

type Shared = Arc<OnceCell<BlobOutcome>>;

/// The error of work stopped by [`Engine::interrupt`].
#[derive(Debug)]
pub struct Interrupted;

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted before it finished")
    }
}

impl std::error::Error for Interrupted {}

/// Whether `err` is (or wraps) [`Interrupted`].
pub fn is_interrupted(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| cause.is::<Interrupted>())
}

/// Copies images into one destination registry, sharing work across images.
pub struct Engine {
    destination: Arc<Registry>,
    options: CopyOptions,
    jobs: Arc<Semaphore>,
    large: Arc<Semaphore>,
    observer: Arc<dyn Observer>,
    /// (destination repository, digest) -> how it got there, once per run.
    blobs: Mutex<HashMap<(String, String), Shared>>,
    /// digest -> the first destination repository that has it (mount source).
    homes: Mutex<HashMap<String, Arc<OnceCell<String>>>>,
    /// (destination repository, digest) of blobs known to be readable there in
    /// this run: written by this run, or read back.
    readable: Mutex<HashSet<(String, String)>>,
    /// Upload sessions open at the destination: id -> (repository, latest
    /// location). A session leaves when it is committed or cancelled.
    sessions: Mutex<HashMap<u64, (String, url::Url)>>,
    next_session: AtomicU64,
    /// Set by [`Engine::interrupt`]; transfers watch it.
    stop: watch::Sender<bool>,
    /// Sessions cancelled because of the interruption.
    cancelled: AtomicUsize,
    /// Sessions of large blobs kept for the next run (see `registry::resume`).
    journal: Option<super::resume::Journal>,
    /// Kept sessions an interruption or a failure left for the next run.
    kept: AtomicUsize,
}

impl Engine {
    pub fn new(
        destination: Arc<Registry>,
        options: CopyOptions,
        jobs: usize,
        observer: Arc<dyn Observer>,
    ) -> Engine {
        Engine {
            destination,
            jobs: Arc::new(Semaphore::new(jobs.max(1))),
            large: Arc::new(Semaphore::new(large_streams(jobs))),
            observer,
            blobs: Mutex::new(HashMap::new()),
            homes: Mutex::new(HashMap::new()),
            readable: Mutex::new(HashSet::new()),
            sessions: Mutex::new(HashMap::new()),
            next_session: AtomicU64::new(0),
            stop: watch::Sender::new(false),
            cancelled: AtomicUsize::new(0),
            journal: options
                .resume_dir
                .as_deref()
                .map(super::resume::Journal::in_dir),
            kept: AtomicUsize::new(0),
            options,
        }
    }

    /// Stop the run: nothing new starts, blob bodies end cleanly (a strict
    /// prefix, which the registry describes in its answer) and their sessions
    /// are cancelled; every copy then fails with [`Interrupted`].
    pub fn interrupt(&self) {
        self.stop.send_replace(true);
    }

    fn interrupted(&self) -> bool {
        *self.stop.borrow()
    }

    fn check_interrupted(&self) -> Result<()> {
        if self.interrupted() {
            return Err(Interrupted.into());
        }
        Ok(())
    }

    /// Cancel (DELETE) every upload session still open, e.g. those of transfers
    /// that were dropped rather than finished. Returns how many were cancelled.
    pub async fn cancel_open_uploads(&self) -> usize {
        let open: Vec<(String, url::Url)> = self
            .sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain()
            .map(|(_, session)| session)
            .collect();
        let count = open.len();
        join_all(
            open.iter()
                .map(|(repository, url)| self.destination.cancel_upload(repository, url)),
        )
        .await;
        self.cancelled.fetch_add(count, Ordering::Relaxed);
        count
    }

    /// Upload sessions cancelled because the run was interrupted.
    pub fn uploads_cancelled(&self) -> usize {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Upload sessions of large blobs left for the next run to continue.
    pub fn uploads_kept(&self) -> usize {
        self.kept.load(Ordering::Relaxed)
    }

    /// The chunk size of a blob uploaded resumably, if it is.
    fn resumable_chunk(&self, size: u64) -> Option<u64> {
        (self.journal.is_some() && size >= RESUMABLE_BLOB)
            .then(|| (size / 10).clamp(MIN_CHUNK, MAX_CHUNK))
    }

    /// A session an earlier attempt or run kept for this blob, where the
    /// registry still continues it: its location and the bytes it holds.
    async fn kept_session(
        &self,
        repository: &str,
        blob: &OciDescriptor,
    ) -> Option<(url::Url, u64)> {
        let journal = self.journal.as_ref()?;
        let registry = self.destination.name();
        let kept = journal.load(registry, repository, &blob.digest)?;
        let size = blob.size.max(0) as u64;
        let location = url::Url::parse(&kept.location).ok();
        let status = match location {
            Some(location) if kept.size == size => {
                self.destination.upload_status(repository, &location).await
            }
            _ => None,
        };
        match status {
            Some((location, held)) if held == kept.offset && held <= size => {
                tracing::debug!(
                    "blob {}: continuing the kept upload at byte {held}",
                    blob.digest
                );
                Some((location, held))
            }
            _ => {
                journal.forget(registry, repository, &blob.digest);
                None
            }
        }
    }

    fn open_session(&self, repository: &str, url: &url::Url) -> u64 {
        let id = self.next_session.fetch_add(1, Ordering::Relaxed);
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, (repository.to_owned(), url.clone()));
        id
    }

    fn move_session(&self, id: u64, url: &url::Url) {
        if let Some(entry) = self
            .sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_mut(&id)
        {
            entry.1 = url.clone();
        }
    }

    /// Forget a committed session; false when it was already cancelled by
    /// [`Engine::cancel_open_uploads`].
    fn close_session(&self, id: u64) -> bool {
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id)
            .is_some()
    }

    /// Copy one image.
    pub async fn copy(&self, job: &Job) -> Result<ImageReport> {
        self.check_interrupted()?;
        let source_manifest = job.source.manifest(&job.from).await?;
        let target = select(
            &*job.source,
            &job.from,
            &self.options,
            source_manifest.clone(),
        )
        .await?;
        let mut report = ImageReport {
            source: job.source.describe(&job.from),
            destination: job.to.to_string(),
            source_digest: source_manifest.digest.clone(),
            destination_digest: target.digest.clone(),
            digest_changed: target.digest != source_manifest.digest,
            ..ImageReport::default()
        };

        // Already there? One read answers it; a registry only accepts a manifest
        // whose blobs and children it has. The same read tells which digest a
        // tag that moves leaves behind.
        let replaced = match self.destination.manifest(&job.to).await {
            Ok(existing) if existing.digest == target.digest => {
                report.status = "up-to-date";
                return Ok(report);
            }
            Ok(existing) => job.to.digest.is_none().then_some(existing),
            Err(err) if crate::error::find(&err).is_some_and(|e| e.kind.is_not_found()) => None,
            Err(err) => return Err(err),
        };

        self.check_interrupted()?;
        let platforms = platforms_of(&target);
        let tree = walk(&*job.source, &job.from, target).await?;
        let blobs = tree.blobs();
        let (blobs, foreign): (Vec<_>, Vec<_>) = blobs
            .into_iter()
            .partition(|b| self.options.include_nondistributable || !is_foreign(b));
        report.skipped_foreign = foreign.iter().map(|b| b.digest.clone()).collect();
        if !self.options.dry_run {
            let sizes: Vec<(String, u64)> = blobs
                .iter()
                .map(|b| (b.digest.clone(), b.size.max(0) as u64))
                .collect();
            self.observer.image_planned(&ImagePlan {
                image: &report.source,
                platforms: &platforms,
                blobs: &sizes,
            });
        }

        let repository = job.to.repository.clone();
        if self.options.dry_run {
            let checks = blobs.iter().map(|blob| {
                let repository = &repository;
                async move {
                    let _permit = self.jobs.acquire().await?;
                    let present = self
                        .destination
                        .blob_exists(repository, &blob.digest)
                        .await?;
                    anyhow::Ok((present, blob.size.max(0) as u64))
                }
            });
            for (present, size) in try_join_all(checks).await? {
                if present {
                    report.blobs_present += 1;
                } else {
                    report.blobs_to_copy += 1;
                    report.bytes_to_copy += size;
                }
            }
            report.status = "planned";
            if let Some(existing) = replaced {
                report.replaced = Some(self.replaced(job, existing).await);
            }
            return Ok(report);
        }

        // Every transfer runs to its end even when one fails: dropping the others
        // mid-upload would abandon their upload sessions instead of cancelling them.
        let transfers = blobs
            .iter()
            .map(|blob| self.ensure_blob(job, &repository, blob));
        let outcomes = join_all(transfers)
            .await
            .into_iter()
            .collect::<Result<Vec<_>>>()?;
        for (outcome, size) in outcomes {
            match outcome {
                BlobOutcome::Copied => {
                    report.blobs_copied += 1;
                    report.bytes_copied += size;
                }
                BlobOutcome::Present => report.blobs_present += 1,
                BlobOutcome::Mounted => report.blobs_mounted += 1,
            }
        }
        self.check_interrupted()?;
        report.repaired += self.confirm_claimed(job, &repository, &blobs).await?;
        let (pushed, repaired) = self.push_tree(&job.to, &tree).await?;
        report.manifests_pushed = pushed;
        report.repaired += repaired;
        report.status = "copied";
        if let Some(existing) = replaced {
            report.replaced = Some(self.replaced(job, existing).await);
        }
        Ok(report)
    }

    /// What the destination tag pointed at before: its digest, and its manifests
    /// and size read from the destination (reads only for an index's entries).
    /// The copy itself is done, so a failure to read them leaves the size unknown
    /// rather than failing the image.
    async fn replaced(&self, job: &Job, existing: Manifest) -> Replaced {
        let tag = job.to.tag_or_default().unwrap_or("latest").to_owned();
        match self
            .destination
            .stored_image(&job.to.repository, &existing)
            .await
        {
            Ok(image) => Replaced {
                tag,
                digest: existing.digest,
                size: Some(image.size()),
                manifests: image.manifests,
            },
            Err(err) => {
                tracing::debug!(
                    "cannot read the manifests of {} that `{}` pointed at: {err:#}",
                    existing.digest,
                    job.to
                );
                Replaced {
                    tag,
                    manifests: vec![existing.digest.clone()],
                    digest: existing.digest,
                    size: None,
                }
            }
        }
    }

    /// Read back the first byte of every blob the destination claimed to have
    /// (present or mounted) and this run has not written or read yet, and write
    /// again the ones it cannot serve. Distribution answers existence checks and
    /// mounts from a blob-descriptor cache that a garbage collection on a running
    /// registry does not clear: without this, a manifest would be accepted on top
    /// of blobs that are gone. Returns how many blobs were written again.
    async fn confirm_claimed(
        &self,
        job: &Job,
        repository: &str,
        blobs: &[OciDescriptor],
    ) -> Result<usize> {
        let unconfirmed: Vec<&OciDescriptor> = {
            let readable = self.readable.lock().unwrap_or_else(|p| p.into_inner());
            blobs
                .iter()
                .filter(|b| !readable.contains(&(repository.to_owned(), b.digest.clone())))
                .collect()
        };
        let checks = unconfirmed.iter().map(|blob| async move {
            let readable = {
                let _permit = self.jobs.acquire().await?;
                self.destination
                    .blob_readable(repository, &blob.digest)
                    .await?
            };
            if readable {
                self.mark_readable(repository, &blob.digest);
                return anyhow::Ok(0);
            }
            tracing::debug!(
                "`{}` claimed blob {} of `{repository}` but cannot serve it; uploading it again",
                self.destination.name(),
                blob.digest
            );
            self.transfer(job, repository, None, blob).await?;
            Ok(1)
        });
        Ok(try_join_all(checks).await?.into_iter().sum())
    }

    /// Resolves once the run is interrupted.
    async fn until_interrupted(&self) {
        until_true(&mut self.stop.subscribe()).await;
    }

    fn mark_readable(&self, repository: &str, digest: &str) {
        self.readable
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert((repository.to_owned(), digest.to_owned()));
    }

    /// Push the manifests wave by wave, children by digest before the indexes
    /// that name them, the top one by tag (or digest) last.
    async fn push_tree(&self, to: &Reference, tree: &Tree) -> Result<(usize, usize)> {
        let mut pushed = 0;
        let mut repaired = 0;
        let last = tree.waves.len().saturating_sub(1);
        for (i, wave) in tree.waves.iter().enumerate() {
            self.check_interrupted()?;
            let pushes = wave.iter().map(|digest| {
                let node = &tree.nodes[digest];
                let reference = if i == last {
                    to.tag_or_default().unwrap_or(digest).to_owned()
                } else {
                    digest.clone()
                };
                async move { self.push_verified(to, &reference, &node.manifest).await }
            });
            repaired += try_join_all(pushes)
                .await?
                .into_iter()
                .filter(|r| *r)
                .count();
            pushed += wave.len();
        }
        Ok((pushed, repaired))
    }

    /// Push a manifest and read it back by digest. One the registry accepted but
    /// cannot serve (its bytes, a blob like any other, were skipped as "already
    /// there" by a stale cache) is written as a blob and pushed again. Returns
    /// whether it had to be repaired.
    async fn push_verified(
        &self,
        to: &Reference,
        reference: &str,
        manifest: &Manifest,
    ) -> Result<bool> {
        self.push_manifest(to, reference, manifest).await?;
        if self.manifest_served(to, manifest).await? {
            return Ok(false);
        }
        let name = self.destination.name();
        tracing::debug!(
            "`{name}` accepted manifest {} but cannot serve it; writing it again",
            manifest.digest
        );
        self.destination
            .upload_bytes(&to.repository, &manifest.digest, &manifest.bytes)
            .await?;
        self.push_manifest(to, reference, manifest).await?;
        if !self.manifest_served(to, manifest).await? {
            return Err(Error::new(
                Kind::Integrity,
                format!(
                    "`{name}` accepts manifest {} of `{}` but does not serve it, even after it was written again: its blob cache is out of step with its storage (a garbage collection on a running registry leaves it so); restarting the registry clears it",
                    manifest.digest, to.repository
                ),
            )
            .on_registry(name)
            .into());
        }
        Ok(true)
    }

    /// Whether the destination serves the manifest by digest, bytes checked.
    async fn manifest_served(&self, to: &Reference, manifest: &Manifest) -> Result<bool> {
        match self
            .destination
            .manifest(&to.with_digest(&manifest.digest))
            .await
        {
            Ok(_) => Ok(true),
            Err(err) if crate::error::find(&err).is_some_and(|e| e.kind.is_not_found()) => {
                Ok(false)
            }
            Err(err) => Err(err),
        }
    }

    async fn push_manifest(
        &self,
        to: &Reference,
        reference: &str,
        manifest: &Manifest,
    ) -> Result<()> {
        let stored = self
            .destination
            .put_manifest(
                &to.repository,
                reference,
                &manifest.media_type,
                &manifest.bytes,
            )
            .await?;
        if let Some(stored) = stored
            && stored != manifest.digest
        {
            return Err(Error::new(
                Kind::Integrity,
                format!(
                    "`{}` stored the manifest as {stored}, not {}",
                    self.destination.name(),
                    manifest.digest
                ),
            )
            .into());
        }
        Ok(())
    }

    /// Make sure the destination repository has a blob; once per run.
    async fn ensure_blob(
        &self,
        job: &Job,
        repository: &str,
        blob: &OciDescriptor,
    ) -> Result<(BlobOutcome, u64)> {
        let size = blob.size.max(0) as u64;
        let cell = {
            let mut blobs = self.blobs.lock().unwrap_or_else(|p| p.into_inner());
            blobs
                .entry((repository.to_owned(), blob.digest.clone()))
                .or_default()
                .clone()
        };
        let performed = std::sync::atomic::AtomicBool::new(false);
        let outcome = cell
            .get_or_try_init(|| async {
                performed.store(true, std::sync::atomic::Ordering::Relaxed);
                let home = {
                    let mut homes = self.homes.lock().unwrap_or_else(|p| p.into_inner());
                    homes.entry(blob.digest.clone()).or_default().clone()
                };
                // The first repository to need a blob transfers it; others mount it.
                // Within one registry the blob is in the source repository already:
                // mount it from there (one request) instead of copying it through us.
                let same_registry = job.source.name() == self.destination.name()
                    && job.from.repository != *repository;
                let mount_from = if same_registry {
                    job.from.repository.as_str()
                } else {
                    repository
                };
                let mut first_outcome = None;
                let home_repo = home
                    .get_or_try_init(|| async {
                        first_outcome = Some(
                            self.transfer(job, repository, Some(mount_from), blob)
                                .await?,
                        );
                        anyhow::Ok(repository.to_owned())
                    })
                    .await?;
                match first_outcome {
                    Some(outcome) => anyhow::Ok(outcome),
                    None if home_repo == repository => Ok(BlobOutcome::Present),
                    None => self.transfer(job, repository, Some(home_repo), blob).await,
                }
            })
            .await?;
        if performed.load(std::sync::atomic::Ordering::Relaxed) {
            Ok((*outcome, size))
        } else {
            // Another image of this run put it there.
            Ok((BlobOutcome::Present, size))
        }
    }

    /// Mount from `from` (the repository itself: "do you have it?"), else stream it
    /// from the source, retrying a failed transfer. A large blob continues a
    /// session an earlier attempt or run kept; others start again.
    async fn transfer(
        &self,
        job: &Job,
        repository: &str,
        from: Option<&str>,
        blob: &OciDescriptor,
    ) -> Result<BlobOutcome> {
        let size = blob.size.max(0) as u64;
        let _large = if size >= LARGE_BLOB {
            Some(self.large.acquire().await?)
        } else {
            None
        };
        let _permit = self.jobs.acquire().await?;
        let digest = &blob.digest;
        let chunk = self.resumable_chunk(size);
        let registry = self.destination.name();
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.check_interrupted()?;
            let kept = match chunk {
                Some(_) => self.kept_session(repository, blob).await,
                None => None,
            };
            let (session, offset) = match kept {
                Some(kept) => kept,
                None => match self
                    .destination
                    .start_upload(repository, digest, from)
                    .await
                {
                    Ok(Upload::Present) => {
                        let outcome = if from.is_none_or(|from| from == repository) {
                            BlobOutcome::Present
                        } else {
                            BlobOutcome::Mounted
                        };
                        self.observer.blob_finished(digest, size, Some(outcome));
                        return Ok(outcome);
                    }
                    Ok(Upload::Session(session)) => (session, 0),
                    Err(err) => {
                        self.observer.blob_finished(digest, size, None);
                        return Err(err);
                    }
                },
            };
            self.observer.blob_started(digest, size);
            if offset > 0 {
                self.observer.blob_progress(digest, offset);
            }
            let mut session = session;
            // A kept session is not cancelled on failure: the next attempt or run
            // continues it (the registry purges it if none does).
            let id = chunk
                .is_none()
                .then(|| self.open_session(repository, &session));
            let result = match chunk {
                Some(chunk) => {
                    self.stream_chunks(job, repository, &mut session, blob, offset, chunk)
                        .await
                }
                None => {
                    self.stream_blob(job, repository, &mut session, id.unwrap_or(0), blob)
                        .await
                }
            };
            match result {
                Ok(()) => {
                    if let Some(id) = id {
                        self.close_session(id);
                    }
                    if let Some(journal) = &self.journal {
                        journal.forget(registry, repository, digest);
                    }
                    self.mark_readable(repository, digest);
                    self.observer
                        .blob_finished(digest, size, Some(BlobOutcome::Copied));
                    return Ok(BlobOutcome::Copied);
                }
                Err(err) => {
                    let wrong = crate::error::find(&err).is_some_and(|e| e.kind == Kind::Integrity);
                    match id {
                        Some(id) if self.close_session(id) => {
                            self.destination.cancel_upload(repository, &session).await;
                            if self.interrupted() {
                                self.cancelled.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                        Some(_) => {}
                        // Bytes that do not match are not kept.
                        None if wrong => {
                            if let Some(journal) = &self.journal {
                                journal.forget(registry, repository, digest);
                            }
                            self.destination.cancel_upload(repository, &session).await;
                        }
                        None => {}
                    }
                    if self.interrupted() {
                        if id.is_none() && !wrong {
                            self.kept.fetch_add(1, Ordering::Relaxed);
                        }
                        self.observer.blob_finished(digest, size, None);
                        return Err(Interrupted.into());
                    }
                    let retryable = is_retryable(&err);
                    let timed_out =
                        crate::error::find(&err).is_some_and(|e| e.kind == Kind::Timeout);
                    let attempts = if timed_out {
                        MAX_TIMEOUT_ATTEMPTS
                    } else {
                        BLOB_ATTEMPTS
                    };
                    if !retryable || attempt >= attempts {
                        if id.is_none() && !wrong {
                            self.kept.fetch_add(1, Ordering::Relaxed);
                        }
                        self.observer.blob_finished(digest, size, None);
                        return Err(err.context(format!("cannot copy blob {digest}")));
                    }
                    let reason = format!("{err:#}");
                    self.observer.blob_retrying(digest, attempt, &reason);
                    tracing::debug!("blob {digest}: attempt {attempt} failed: {reason}");
                    let wait = self.destination.backoff(attempt);
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        () = self.until_interrupted() => {}
                    }
                }
            }
        }
    }

    /// The source's blob from byte `offset` on, checked as it streams (see
    /// [`Verify`]; from offset 0 hashed too), with the slot where a problem is
    /// left when the stream ends early and the activity the upload watches.
    async fn verified(
        &self,
        job: &Job,
        blob: &OciDescriptor,
        offset: u64,
    ) -> Result<(BlobStream, Arc<Mutex<Option<Error>>>, Arc<Activity>)> {
        let digest = &blob.digest;
        let Some(hasher) = Hasher::for_digest(digest) else {
            return Err(Error::new(
                Kind::Integrity,
                format!("blob {digest} has a digest aseecr cannot check"),
            )
            .into());
        };
        let response = tokio::select! {
            biased;
            () = self.until_interrupted() => return Err(Interrupted.into()),
            stream = job.source.blob(&job.from.repository, digest, offset) => stream?,
        };
        let problem = Arc::new(Mutex::new(None::<Error>));
        let activity = Arc::new(Activity::new());
        let state = Verify {
            inner: super::rate::limit(self.options.limit_rate.as_ref(), response),
            hasher: (offset == 0).then_some(hasher),
            pace: Pace::new(job.source.idle_timeout()),
            activity: activity.clone(),
            seen: offset,
            size: blob.size.max(0) as u64,
            digest: digest.clone(),
            source: job.source.name().to_owned(),
            problem: problem.clone(),
            observer: self.observer.clone(),
            stop: self.stop.subscribe(),
            done: false,
        };
        let stream: BlobStream = Box::pin(futures_util::stream::unfold(state, Verify::next));
        Ok((stream, problem, activity))
    }

    /// Send a large blob from byte `offset` on in PATCHes of `chunk` bytes,
    /// keeping the session's state in the journal after each one the registry
    /// acknowledges, then commit it with a PUT. A problem on the source side, or
    /// an interruption, ends the current PATCH early but cleanly, so the
    /// registry acknowledges what it got and the session can be continued.
    ///
    /// From offset 0 the bytes are hashed on the way and the last chunk is held
    /// back unless they match; a continued upload cannot hash the bytes sent
    /// before, and relies on the registry's own check of the digest at the PUT,
    /// which commits nothing that does not match.
    async fn stream_chunks(
        &self,
        job: &Job,
        repository: &str,
        session: &mut url::Url,
        blob: &OciDescriptor,
        offset: u64,
        chunk: u64,
    ) -> Result<()> {
        let digest = blob.digest.clone();
        let size = blob.size.max(0) as u64;
        let journal = self.journal.clone();
        let save = |location: &url::Url, offset: u64| {
            if let Some(journal) = &journal {
                journal.save(&super::resume::Kept {
                    registry: self.destination.name().to_owned(),
                    repository: repository.to_owned(),
                    digest: digest.clone(),
                    size,
                    location: location.to_string(),
                    offset,
                    updated: 0,
                });
            }
        };
        save(session, offset);
        if offset < size {
            let (stream, problem, activity) = self.verified(job, blob, offset).await?;
            let take_problem = || problem.lock().unwrap_or_else(|p| p.into_inner()).take();
            let mut pieces = Pieces {
                stream,
                leftover: None,
                ended: false,
            };
            let mut sent = offset;
            while sent < size && !pieces.ended {
                let (back, returned) = tokio::sync::oneshot::channel();
                let body = Piece {
                    pieces,
                    left: chunk.min(size - sent),
                    taken: 0,
                    back: Some(back),
                };
                let body =
                    reqwest::Body::wrap_stream(futures_util::stream::unfold(body, Piece::next));
                let result = self
                    .destination
                    .patch_upload(repository, session, body, &activity)
                    .await;
                let (location, held) = result?;
                let (returned, taken) = returned.await.map_err(|_| {
                    Error::new(
                        Kind::Connect,
                        format!("the upload of blob {digest} broke off"),
                    )
                })?;
                pieces = returned;
                sent += taken;
                if held.is_some_and(|held| held != sent) {
                    return Err(Error::new(
                        Kind::Integrity,
                        format!(
                            "`{}` holds {} bytes of blob {digest} after {sent} were sent",
                            self.destination.name(),
                            held.unwrap_or(0)
                        ),
                    )
                    .into());
                }
                *session = location;
                save(session, sent);
            }
            // A failure on the source side ends the upload too: report the source's
            // problem, not what the destination made of the shortened body.
            if let Some(problem) = take_problem() {
                return Err(problem.into());
            }
            if sent < size {
                return Err(Interrupted.into());
            }
        }
        self.destination
            .put_upload(repository, session, &digest, Bytes::new())
            .await
    }

    /// GET from the source, hash on the way, and send to the destination
    /// session, so that a failure at any point leaves a session that can be
    /// cancelled. Distribution 2.8 refuses to cancel (and never removes) an
    /// upload holding bytes its upload state does not account for, which is what
    /// a PUT whose body broke off, or that it rejected, leaves behind. So:
    /// - a small blob (under [`LARGE_BLOB`]) is read and checked in memory first,
    ///   then sent in one PUT: nothing reaches the registry unless it is right;
    /// - a large blob is streamed in one PATCH that a problem ends early and
    ///   cleanly; the registry answers with the session's new state, which a
    ///   DELETE can cancel, and a PUT with the digest commits it otherwise.
    ///
    /// `session` is updated to the latest upload location (in the session
    /// registry too, under `id`), for the caller to cancel on failure.
    async fn stream_blob(
        &self,
        job: &Job,
        repository: &str,
        session: &mut url::Url,
        id: u64,
        blob: &OciDescriptor,
    ) -> Result<()> {
        let digest = blob.digest.clone();
        let size = blob.size.max(0) as u64;
        let (stream, problem, activity) = self.verified(job, blob, 0).await?;
        let take_problem = || problem.lock().unwrap_or_else(|p| p.into_inner()).take();
        if size < LARGE_BLOB {
            let mut bytes = bytes::BytesMut::with_capacity(size as usize);
            let mut stream = std::pin::pin!(stream);
            while let Some(chunk) = stream.next().await {
                bytes.extend_from_slice(&chunk?);
            }
            if let Some(problem) = take_problem() {
                return Err(problem.into());
            }
            return self
                .destination
                .put_upload(repository, session, &digest, bytes.freeze())
                .await;
        }
        let body = reqwest::Body::wrap_stream(stream);
        let result = self
            .destination
            .patch_upload(repository, session, body, &activity)
            .await;
        if let Ok((next, _)) = &result {
            *session = next.clone();
            self.move_session(id, next);
        }
        // A failure on the source side ends the upload too: report the source's
        // problem, not what the destination made of the shortened body.
        if let Some(problem) = take_problem() {
            return Err(problem.into());
        }
        result?;
        self.destination
            .put_upload(repository, session, &digest, Bytes::new())
            .await
    }
}

/// Hashes a blob as it streams; ends the body early (see [`Verify::fail`]) when
/// the bytes do not match the digest or the size, or the source breaks off,
/// stalls or trickles.
struct Verify {
    inner: BlobStream,
    /// `None` when the bytes before `seen` were not read (a continued upload).
    hasher: Option<Hasher>,
    /// The source must keep up the low-speed minimum.
    pace: Pace,
    /// Tells the upload that bytes are moving.
    activity: Arc<Activity>,
    seen: u64,
    size: u64,
    digest: String,
    source: String,
    problem: Arc<Mutex<Option<Error>>>,
    observer: Arc<dyn Observer>,
    /// The run was interrupted: end the body here.
    stop: watch::Receiver<bool>,
    done: bool,
}

impl Verify {
    async fn next(mut self) -> Option<(std::io::Result<Bytes>, Verify)> {
        if self.done {
            return None;
        }
        let mut stop = self.stop.clone();
        let next = tokio::select! {
            biased;
            () = until_true(&mut stop) => {
                let message = format!("the transfer of blob {} was interrupted", self.digest);
                return self.fail(Kind::Failed, message);
            }
            next = self.pace.wait(self.inner.next()) => next,
        };
        let next = match next {
            Ok(next) => next,
            Err(stalled) => {
                let message = format!(
                    "the source `{}` stopped sending blob {}: {stalled}",
                    self.source, self.digest
                );
                return self.fail(Kind::Timeout, message);
            }
        };
        match next {
            Some(Ok(chunk)) => {
                if let Err(stalled) = self.pace.record(chunk.len()) {
                    let message = format!(
                        "the source `{}` sends blob {} too slowly: {stalled}",
                        self.source, self.digest
                    );
                    return self.fail(Kind::Timeout, message);
                }
                self.activity.touch();
                if let Some(hasher) = &mut self.hasher {
                    hasher.update(&chunk);
                }
                self.seen += chunk.len() as u64;
                self.observer
                    .blob_progress(&self.digest, chunk.len() as u64);
                if self.seen > self.size {
                    let message = format!(
                        "the source sent more than the {} bytes of blob {}",
                        self.size, self.digest
                    );
                    return self.fail(Kind::Integrity, message);
                }
                // Check on the last chunk, before it is sent: the registry must never
                // receive all the bytes of a blob that does not match its digest.
                if self.seen == self.size
                    && let Some(message) = self.mismatch()
                {
                    return self.fail(Kind::Integrity, message);
                }
                Some((Ok(chunk), self))
            }
            Some(Err(cause)) => {
                let message = format!(
                    "the source `{}` stopped sending blob {}: {cause}",
                    self.source, self.digest
                );
                self.fail(Kind::Connect, message)
            }
            None => {
                self.done = true;
                if self.seen != self.size {
                    let message = format!(
                        "the source sent {} bytes of blob {}, expected {}",
                        self.seen, self.digest, self.size
                    );
                    return self.fail(Kind::Integrity, message);
                }
                if let Some(message) = self.mismatch() {
                    return self.fail(Kind::Integrity, message);
                }
                None
            }
        }
    }

    /// The problem, if the bytes seen do not hash to the digest.
    fn mismatch(&self) -> Option<String> {
        let actual = self.hasher.as_ref()?.digest();
        (actual != self.digest).then(|| {
            format!(
                "blob {} from the source hashes to {actual}: digest mismatch, nothing was committed",
                self.digest
            )
        })
    }

    /// Record the problem and end the body here, cleanly: a small blob is not
    /// sent at all, and a large one's PATCH ends with a strict prefix of the
    /// blob (the chunk that would complete or overrun it is held back), which the
    /// registry stores as a partial upload and describes in its answer, so the
    /// session can be cancelled (see [`Engine::stream_blob`]). Aborting the
    /// connection instead would leave bytes the session's state does not
    /// account for, and distribution 2.8 then refuses to cancel it.
    fn fail(mut self, kind: Kind, message: String) -> Option<(std::io::Result<Bytes>, Verify)> {
        self.done = true;
        *self.problem.lock().unwrap_or_else(|p| p.into_inner()) = Some(Error::new(kind, message));
        None
    }
}

/// A verified blob stream, cut into PATCH bodies.
struct Pieces {
    stream: BlobStream,
    /// What a chunk's last piece held beyond it.
    leftover: Option<Bytes>,
    /// The stream ended (the whole blob, or early on a problem).
    ended: bool,
}

/// One PATCH body: up to `left` bytes of the stream; hands the stream back
/// with the count taken when it ends (dropped with the body if the request
/// fails before).
struct Piece {
    pieces: Pieces,
    left: u64,
    taken: u64,
    back: Option<tokio::sync::oneshot::Sender<(Pieces, u64)>>,
}

impl Piece {
    async fn next(mut self) -> Option<(std::io::Result<Bytes>, Piece)> {
        if self.left > 0 && !self.pieces.ended {
            let next = match self.pieces.leftover.take() {
                Some(bytes) => Some(Ok(bytes)),
                None => self.pieces.stream.next().await,
            };
            match next {
                Some(Ok(mut bytes)) => {
                    if bytes.len() as u64 > self.left {
                        self.pieces.leftover = Some(bytes.split_off(self.left as usize));
                    }
                    self.left -= bytes.len() as u64;
                    self.taken += bytes.len() as u64;
                    return Some((Ok(bytes), self));
                }
                Some(Err(err)) => return Some((Err(err), self)),
                None => self.pieces.ended = true,
            }
        }
        if let Some(back) = self.back.take() {
            let _ = back.send((
                Pieces {
                    stream: std::mem::replace(
                        &mut self.pieces.stream,
                        Box::pin(futures_util::stream::empty()),
                    ),
                    leftover: self.pieces.leftover.take(),
                    ended: self.pieces.ended,
                },
                self.taken,
            ));
        }
        None
    }
}

impl Tree {
    /// Every blob of the image once, in push order.
    fn blobs(&self) -> Vec<OciDescriptor> {
        let mut seen = HashSet::new();
        self.waves
            .iter()
            .flatten()
            .flat_map(|digest| &self.nodes[digest].blobs)
            .filter(|blob| seen.insert(blob.digest.clone()))
            .cloned()
            .collect()
    }
}

/// Apply `--platform` to the source manifest.
async fn select(
    source_ref: &dyn Source,
    from: &Reference,
    options: &CopyOptions,
    source: Manifest,
) -> Result<Manifest> {
    if options.platforms.is_empty() {
        return Ok(source);
    }
    let Content::Index(index) = source.content()? else {
        // A single-platform image: nothing to choose from.
        return Ok(source);
    };
    let chosen: Vec<usize> = index
        .manifests
        .iter()
        .enumerate()
        .filter(|(_, entry)| {
            entry
                .platform
                .as_ref()
                .is_some_and(|p| options.platforms.iter().any(|want| want.matches(p)))
        })
        .map(|(i, _)| i)
        .collect();
    if chosen.is_empty() {
        let available: Vec<String> = index
            .manifests
            .iter()
            .filter_map(|e| e.platform.as_ref().map(platform_string))
            .collect();
        return Err(Error::usage(format!(
            "`{}` has no platform matching {}; it has {}",
            source_ref.describe(from),
            options
                .platforms
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", "),
            available.join(", ")
        ))
        .into());
    }
    if let [one] = chosen.as_slice() {
        let entry = &index.manifests[*one];
        return source_ref.manifest(&from.with_digest(&entry.digest)).await;
    }
    // Several: a new index of just those entries, everything else kept.
    let mut value: serde_json::Value =
        serde_json::from_slice(&source.bytes).context("cannot re-read the source index")?;
    if let Some(entries) = value.get_mut("manifests").and_then(|m| m.as_array_mut()) {
        let kept: Vec<serde_json::Value> = chosen
            .iter()
            .filter_map(|i| entries.get(*i).cloned())
            .collect();
        *entries = kept;
    }
    let bytes = Bytes::from(serde_json::to_vec(&value)?);
    Ok(Manifest::new(bytes, Some(&source.media_type)))
}

/// Fetch every manifest below `top` from the source, level by level, each
/// distinct digest once, at most [`MAX_INDEX_DEPTH`] levels deep and
/// [`MAX_MANIFESTS`] manifests in all.
async fn walk(source: &dyn Source, from: &Reference, top: Manifest) -> Result<Tree> {
    let top_digest = top.digest.clone();
    let mut nodes: HashMap<String, Node> = HashMap::new();
    let mut level = vec![top];
    let mut depth = 1;
    loop {
        let mut next: Vec<String> = Vec::new();
        for manifest in level {
            let node = node(source, manifest)?;
            for child in &node.children {
                if !nodes.contains_key(child) && !next.contains(child) {
                    next.push(child.clone());
                }
            }
            nodes.insert(node.manifest.digest.clone(), node);
        }
        next.retain(|digest| !nodes.contains_key(digest));
        if next.is_empty() {
            break;
        }
        depth += 1;
        if depth > MAX_INDEX_DEPTH {
            return Err(too_big(
                source,
                from,
                format!("its indexes are nested more than {MAX_INDEX_DEPTH} levels deep"),
            ));
        }
        if nodes.len() + next.len() > MAX_MANIFESTS {
            return Err(too_big(
                source,
                from,
                format!("it has more than {MAX_MANIFESTS} manifests"),
            ));
        }
        level = futures_util::stream::iter(next)
            .map(|digest| {
                let reference = from.with_digest(&digest);
                async move { source.manifest(&reference).await }
            })
            .buffer_unordered(MANIFEST_FETCHES)
            .try_collect()
            .await?;
    }
    let waves = waves(&nodes, &top_digest);
    Ok(Tree { nodes, waves })
}

/// One manifest's blobs and children, their digests checked before any of
/// them goes into a URL.
fn node(source: &dyn Source, manifest: Manifest) -> Result<Node> {
    let (blobs, children) = match manifest.content()? {
        Content::Image(image) => {
            let mut blobs = vec![image.config.clone()];
            blobs.extend(image.layers.iter().cloned());
            (blobs, Vec::new())
        }
        Content::Index(index) => {
            let mut children: Vec<String> = Vec::new();
            let mut seen = HashSet::new();
            for entry in &index.manifests {
                if seen.insert(entry.digest.as_str()) {
                    children.push(entry.digest.clone());
                }
            }
            (Vec::new(), children)
        }
    };
    for digest in blobs.iter().map(|b| &b.digest).chain(&children) {
        source.check_digest(digest)?;
    }
    Ok(Node {
        manifest,
        blobs,
        children,
    })
}

fn too_big(source: &dyn Source, from: &Reference, why: String) -> anyhow::Error {
    anyhow::Error::new(
        Error::new(
            Kind::RegistryRefused,
            format!("`{}` is not copied: {why}", source.describe(from)),
        )
        .on_registry(source.name()),
    )
}

/// Group the manifests below `top` by height (images 0, an index one more than
/// its tallest child), without recursion: pushing the waves in order puts every
/// child before the indexes that name it. `top` is alone in the last wave.
fn waves(nodes: &HashMap<String, Node>, top: &str) -> Vec<Vec<String>> {
    let mut height: HashMap<&str, usize> = HashMap::new();
    // Depth-first, post-order, with an explicit stack of (digest, next child).
    let mut stack: Vec<(&str, usize)> = vec![(top, 0)];
    while let Some((digest, next)) = stack.pop() {
        let children = nodes.get(digest).map_or(&[][..], |n| &n.children[..]);
        match children.get(next) {
            Some(child) => {
                stack.push((digest, next + 1));
                if !height.contains_key(child.as_str()) && !stack.iter().any(|(d, _)| d == child) {
                    stack.push((child, 0));
                }
            }
            None => {
                let own = children
                    .iter()
                    .filter_map(|c| height.get(c.as_str()))
                    .map(|h| h + 1)
                    .max()
                    .unwrap_or(0);
                height.insert(digest, own);
            }
        }
    }
    let top_height = height[top];
    let mut waves = vec![Vec::new(); top_height + 1];
    for (digest, h) in &height {
        if *digest != top {
            // Only the top manifest is pushed by tag: it goes last, alone.
            waves[(*h).min(top_height.saturating_sub(1))].push((*digest).to_owned());
        }
    }
    waves.retain(|wave| !wave.is_empty());
    for wave in &mut waves {
        wave.sort();
    }
    waves.push(vec![top.to_owned()]);
    waves
}

/// Resolves once the flag is true (never, if its sender is gone).
async fn until_true(flag: &mut watch::Receiver<bool>) {
    if flag.wait_for(|set| *set).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Foreign (non-distributable) layers, such as Windows base layers.
pub fn is_foreign(blob: &OciDescriptor) -> bool {
    is_foreign_media_type(&blob.media_type)
}

/// Whether a layer media type is a foreign (non-distributable) one.
pub fn is_foreign_media_type(media_type: &str) -> bool {
    media_type.contains("foreign") || media_type.contains("nondistributable")
}

/// Whether a failed blob transfer is worth restarting.
pub fn is_retryable(err: &anyhow::Error) -> bool {
    match crate::error::find(err) {
        // A transfer that broke is worth another go; bytes that do not match
        // their digest, a refusal or a missing blob are not.
        Some(e) => {
            e.kind.is_connect()
                || matches!(
                    e.kind,
                    Kind::Failed | Kind::RegistryRefused | Kind::RateLimited
                )
        }
        // Transport errors while streaming (reset, EOF) carry no kind.
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_layers_are_recognised() {
        let blob = |media_type: &str| OciDescriptor {
            media_type: media_type.to_owned(),
            digest: "sha256:00".into(),
            size: 1,
            ..OciDescriptor::default()
        };
        assert!(is_foreign(&blob(
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
        )));
        assert!(is_foreign(&blob(
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
        )));
        assert!(!is_foreign(&blob(
            "application/vnd.oci.image.layer.v1.tar+gzip"
        )));
    }
}
