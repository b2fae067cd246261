//! The copy engine: streams images into a registry from any [`Source`] (a
//! registry, or an OCI layout that `layout/` reads).
//!
//! Blobs go from the source's GET to the destination, hashed on the way (never
//! on disk; only blobs under 4 MiB are held whole in memory, to be checked
//! before they are sent). Each blob costs one request when the destination has
//! it (a mount from the repository itself answers 201), two when it does not
//! and is small (POST, then PUT) and three when it is large (POST, a streamed
//! PATCH, then PUT), so that a failed transfer can always be cancelled (a
//! resumable one, 32 MiB and more with a resume directory, sends a PATCH per
//! checkpoint, a few seconds of transfer). A blob needed by several images or
//! platforms in one run is transferred once and mounted elsewhere. Manifests
//! are pushed only after everything they reference is present, children before
//! their index, so an interrupted run never leaves a manifest pointing at
//! missing blobs.
//!
//! Its parts: `seams` (the [`Source`] it reads and the [`Observer`] that hears
//! about transfers), `plan` (what to copy), `upload` (how one blob gets to the
//! destination, resumed and retried) and `verify` (what is checked on the way
//! and read back); this root holds the engine itself and one image's copy.
//!
//! [`Engine::interrupt`] stops a run (Ctrl-C): no new work starts, transfers end
//! their upload bodies cleanly and cancel their sessions, and
//! [`Engine::cancel_open_uploads`] cancels whatever session is still open.

mod plan;
mod seams;
mod upload;
mod verify;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::Result;
use futures_util::future::join_all;
use oci_client::manifest::OciDescriptor;
use tokio::sync::{OnceCell, Semaphore, watch};

use super::client::Registry;
use super::manifest::Manifest;
use super::platform::Platform;
use super::reference::Reference;
use crate::error::Kind;

pub use plan::{Resolved, is_foreign, is_foreign_media_type, resolve};
pub use seams::{BlobOutcome, BlobStream, ImagePlan, Observer, Source, skip_prefix};

/// Blobs at least this large count as large streams.
pub const LARGE_BLOB: u64 = 1 << 20;
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

/// What the engine (or the layout writer) did with one image as a whole.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Outcome {
    /// The image was written to the destination.
    Copied,
    /// The destination already had it with the same digest: nothing written.
    UpToDate,
    /// A dry run: what would be copied was worked out, nothing written (also
    /// the value of a report not finished yet).
    #[default]
    Planned,
}

/// What happened to one image.
#[derive(Debug, Clone, Default)]
pub struct ImageReport {
    pub source: String,
    pub destination: String,
    pub source_digest: String,
    pub destination_digest: String,
    pub outcome: Outcome,
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

/// One image to copy.
pub struct Job {
    pub source: Arc<dyn Source>,
    pub from: Reference,
    pub to: Reference,
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

/// What the destination tag holds, seen before copying.
enum AtDestination {
    /// The image itself: nothing to copy.
    UpToDate,
    /// Something else, or nothing; with the image a tag that moves leaves
    /// behind (none when copying by digest).
    Replaces(Option<Manifest>),
}

/// Copies images into one destination registry, sharing work across images.
pub struct Engine {
    destination: Arc<Registry>,
    options: CopyOptions,
    jobs: Arc<Semaphore>,
    large: Arc<Semaphore>,
    /// The jobs `jobs` and `large` were sized for (see [`Engine::raise_jobs`]).
    jobs_allowed: AtomicUsize,
    observer: Arc<dyn Observer>,
    /// (destination repository, digest) -> how it got there, once per run.
    blobs: Mutex<HashMap<(String, String), Shared>>,
    /// digest -> the first destination repository that has it (mount source).
    homes: Mutex<HashMap<String, Arc<OnceCell<String>>>>,
    /// (destination repository, digest) of blobs known to be readable there in
    /// this run: written by this run, or read back.
    readable: BlobSet,
    /// (destination repository, digest) of blobs the destination said it had
    /// (a mount answered 201) without this run having written them there: a
    /// manifest naming one is read back after it is pushed (see `verify`).
    claimed: BlobSet,
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
            jobs_allowed: AtomicUsize::new(jobs.max(1)),
            observer,
            blobs: Mutex::new(HashMap::new()),
            homes: Mutex::new(HashMap::new()),
            readable: BlobSet::default(),
            claimed: BlobSet::default(),
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

    /// Copy up to `jobs` blobs at once from now on (large ones:
    /// [`large_streams`]), when that is more than before (then true); never fewer.
    pub fn raise_jobs(&self, jobs: usize) -> bool {
        let before = self.jobs_allowed.fetch_max(jobs, Ordering::SeqCst);
        if jobs <= before {
            return false;
        }
        self.jobs.add_permits(jobs - before);
        self.large
            .add_permits(large_streams(jobs) - large_streams(before));
        true
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

    /// Upload sessions cancelled because the run was interrupted.
    pub fn uploads_cancelled(&self) -> usize {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Upload sessions of large blobs left for the next run to continue.
    pub fn uploads_kept(&self) -> usize {
        self.kept.load(Ordering::Relaxed)
    }

    /// Copy one image: choose what to copy from the source, stop there when the
    /// destination has it already, then plan its blobs and either count what
    /// is missing (`dry_run`) or write it.
    pub async fn copy(&self, job: &Job) -> Result<ImageReport> {
        self.check_interrupted()?;
        let source_manifest = job.source.manifest(&job.from).await?;
        let target = plan::select(
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
        let replaced = match self.at_destination(job, &target).await? {
            AtDestination::UpToDate => {
                report.outcome = Outcome::UpToDate;
                return Ok(report);
            }
            AtDestination::Replaces(replaced) => replaced,
        };

        self.check_interrupted()?;
        let (tree, blobs) = self.plan(job, target, &mut report).await?;
        if self.options.dry_run {
            self.count_missing(&job.to.repository, &blobs, &mut report)
                .await?;
            report.outcome = Outcome::Planned;
        } else {
            self.write(job, &tree, &blobs, &mut report).await?;
            report.outcome = Outcome::Copied;
        }
        if let Some(existing) = replaced {
            report.replaced = Some(self.replaced(job, existing).await);
        }
        Ok(report)
    }

    /// Whether the destination has the image already. One read answers it; a
    /// registry only accepts a manifest whose blobs and children it has. The
    /// same read tells which digest a tag that moves leaves behind.
    async fn at_destination(&self, job: &Job, target: &Manifest) -> Result<AtDestination> {
        match self.destination.manifest(&job.to).await {
            Ok(existing) if existing.digest == target.digest => Ok(AtDestination::UpToDate),
            Ok(existing) => Ok(AtDestination::Replaces(
                job.to.digest.is_none().then_some(existing),
            )),
            Err(err) if crate::error::find(&err).is_some_and(|e| e.kind.is_not_found()) => {
                Ok(AtDestination::Replaces(None))
            }
            Err(err) => Err(err),
        }
    }

    /// Ensure every blob at the destination, confirm the ones it only claimed to
    /// have, then push the manifests; counts go into `report`.
    async fn write(
        &self,
        job: &Job,
        tree: &plan::Tree,
        blobs: &[OciDescriptor],
        report: &mut ImageReport,
    ) -> Result<()> {
        let repository = job.to.repository.as_str();
        // Every transfer runs to its end even when one fails: dropping the others
        // mid-upload would abandon their upload sessions instead of cancelling them.
        let transfers = blobs
            .iter()
            .map(|blob| self.ensure_blob(job, repository, blob));
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
        report.repaired += self.confirm_claimed(job, repository, blobs).await?;
        let (pushed, repaired) = self.push_tree(&job.to, tree).await?;
        report.manifests_pushed = pushed;
        report.repaired += repaired;
        Ok(())
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

    /// Resolves once the run is interrupted.
    async fn until_interrupted(&self) {
        until_true(&mut self.stop.subscribe()).await;
    }
}

/// (destination repository, digest) pairs the engine has learnt something
/// about in this run.
#[derive(Default)]
struct BlobSet(Mutex<HashSet<(String, String)>>);

impl BlobSet {
    fn insert(&self, repository: &str, digest: &str) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert((repository.to_owned(), digest.to_owned()));
    }

    fn contains(&self, repository: &str, digest: &str) -> bool {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&(repository.to_owned(), digest.to_owned()))
    }
}

/// Resolves once the flag is true (never, if its sender is gone).
async fn until_true(flag: &mut watch::Receiver<bool>) {
    if flag.wait_for(|set| *set).await.is_err() {
        std::future::pending::<()>().await;
    }
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
