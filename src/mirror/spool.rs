//! One read of a source for several destinations: `mirror --to A --to B ...`
//! and `sync` with several destinations run one engine per destination, each
//! reading the sources through its [`Reader`] of one [`Spool`]. The first
//! engine to need a blob starts the only read of it from the source, into a
//! file in a private temporary directory (0700, its files 0600); every engine
//! that needs it (that one included) streams it from that file as it grows, at
//! its own pace, and a late one starts from the file's beginning. So each blob
//! crosses the source link once whatever the number of destinations, a slow
//! or failing destination holds nobody back, and memory stays flat (the bytes
//! wait on disk, not in buffers). A blob's file is removed once every
//! destination still running is done with it (copied it, found it there, gave up on
//! it, or ended: a failed upload reads it again), so the spool holds
//! the blobs in flight, not the run's. Manifests are read once too.
//! `--limit-rate` applies here, to the one read from the source (the link the
//! destinations share), not to each destination's read of the file.
//!
//! A run holds a lock file in its spool while it lives; a spool whose lock can
//! be taken, older than [`STALE_SPOOL_AGE`], was left by a killed run and is
//! removed when the next spool is made.

use std::collections::{BTreeSet, HashMap};
use std::io::SeekFrom;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Result;
use bytes::BytesMut;
use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use tokio::sync::{OnceCell, watch};

use super::referrers::Discovery;
use crate::error::{Error, Kind};
use crate::fsutil::ShowPath;
use crate::registry::Reference;
use crate::registry::copy::{BlobStream, Source};
use crate::registry::manifest::Manifest;
use crate::registry::rate::{self, RateLimit};

/// Bytes read from a spooled file at a time.
const CHUNK: usize = 128 * 1024;
/// Bytes written to a spooled file at a time.
const WRITE_BATCH: usize = 256 * 1024;
/// The name every spool directory starts with, in the system's temporary folder.
const PREFIX: &str = "aseecr-spool-";
/// The file in a spool that its run holds locked while it lives.
const LOCK_FILE: &str = "lock";
/// How old an unlocked spool must be before a later run removes it as left by
/// a killed run (a live run holds its lock; the age covers a spool being made).
pub const STALE_SPOOL_AGE: Duration = Duration::from_secs(10 * 60);
/// What to do when the spool cannot be written.
const SPOOL_HELP: &str = "free space in TMPDIR or set TMPDIR to a larger folder (TEMP on Windows): there the blobs wait for every destination";

/// The shared reads of one run. Make every [`Reader`] before any reads.
pub struct Spool {
    shared: Arc<Shared>,
    /// Held while the run lives (see the module's documentation).
    _lock: std::fs::File,
    /// Removed with the spool, after the lock is let go.
    _dir: tempfile::TempDir,
}

/// What the readers of a spool share.
struct Shared {
    dir: PathBuf,
    sources: Mutex<HashMap<String, Arc<Spooled>>>,
    /// One limit on the blob bytes read from every source.
    limit: Option<RateLimit>,
    /// The readers still running.
    readers: Arc<Mutex<BTreeSet<usize>>>,
    next_reader: AtomicUsize,
    /// What the sources said of referrers, asked once for every destination.
    discovery: Arc<Discovery>,
}

/// One destination's reads through a [`Spool`]; dropped when its run ends,
/// after which the spool keeps nothing for it.
pub struct Reader {
    shared: Arc<Shared>,
    id: usize,
}

impl Spool {
    /// A spool in a new private directory in the system's temporary folder,
    /// its reads from the sources limited by `limit`. Spools that killed runs
    /// left there are removed first.
    pub fn new(limit: Option<RateLimit>) -> Result<Spool> {
        let temp = std::env::temp_dir();
        let cannot = |err: std::io::Error| {
            Error::new(
                Kind::Failed,
                format!(
                    "cannot create a temporary directory in `{}` for the blobs shared by the destinations: {err}",
                    temp.shown()
                ),
            )
            .help("point TMPDIR (TEMP on Windows) at a writable folder with room for the images")
        };
        let dir = crate::fsutil::private_temp_dir_in(&temp, PREFIX).map_err(cannot)?;
        let lock = lock_spool(dir.path()).map_err(cannot)?;
        remove_stale_spools(&temp, dir.path(), STALE_SPOOL_AGE);
        Ok(Spool {
            shared: Arc::new(Shared {
                dir: dir.path().to_owned(),
                sources: Mutex::new(HashMap::new()),
                limit,
                readers: Arc::new(Mutex::new(BTreeSet::new())),
                next_reader: AtomicUsize::new(0),
                discovery: Arc::default(),
            }),
            _lock: lock,
            _dir: dir,
        })
    }

    /// A new reader: one per destination, all made before the first read (a
    /// blob every reader made so far has read is removed).
    pub fn reader(&self) -> Reader {
        let id = self.shared.next_reader.fetch_add(1, Ordering::SeqCst);
        lock(&self.shared.readers).insert(id);
        Reader {
            shared: self.shared.clone(),
            id,
        }
    }

    /// The spool's directory.
    #[cfg(test)]
    fn path(&self) -> &Path {
        &self.shared.dir
    }

    /// Blob reads from the sources so far (each blob once, unless a read failed
    /// or its file was removed).
    #[cfg(test)]
    fn reads(&self) -> u64 {
        let sources = lock(&self.shared.sources);
        sources
            .values()
            .map(|s| s.reads.load(Ordering::SeqCst))
            .sum()
    }
}

impl Reader {
    /// What the sources said of referrers, shared by every destination.
    pub fn discovery(&self) -> Arc<Discovery> {
        self.shared.discovery.clone()
    }

    /// The shared reader of `source` for this destination: reads of a source
    /// of that name are shared with every other reader of the spool.
    pub fn share(&self, source: Arc<dyn Source>) -> Arc<dyn Source> {
        let shared = &self.shared;
        let mut sources = lock(&shared.sources);
        let count = sources.len();
        let spooled = sources
            .entry(source.name().to_owned())
            .or_insert_with(|| {
                Arc::new(Spooled {
                    inner: source,
                    limit: shared.limit.clone(),
                    dir: shared.dir.join(count.to_string()),
                    readers: shared.readers.clone(),
                    manifests: Mutex::new(HashMap::new()),
                    blobs: Mutex::new(HashMap::new()),
                    reads: AtomicU64::new(0),
                })
            })
            .clone();
        Arc::new(View {
            spooled,
            reader: self.id,
        })
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        lock(&self.shared.readers).remove(&self.id);
        let sources: Vec<Arc<Spooled>> = lock(&self.shared.sources).values().cloned().collect();
        for spooled in sources {
            spooled.sweep();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// Options that create a new file readable by its owner only (0600 on Unix).
fn private_file() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// The lock file of the spool in `dir`, created and locked.
fn lock_spool(dir: &Path) -> std::io::Result<std::fs::File> {
    let file = private_file().open(dir.join(LOCK_FILE))?;
    file.try_lock().map_err(std::io::Error::from)?;
    Ok(file)
}

/// Remove the spools in `temp` that killed runs left: directories (not links)
/// named as spools, owned by this user (as `ours` is), older than `min_age`,
/// whose lock file is missing or not held. Best effort; returns how many.
fn remove_stale_spools(temp: &Path, ours: &Path, min_age: Duration) -> usize {
    let Ok(own) = std::fs::symlink_metadata(ours) else {
        return 0;
    };
    let mut removed = 0;
    for (entry, metadata) in crate::fsutil::old_entries(temp, min_age, |n| n.starts_with(PREFIX)) {
        let path = entry.path();
        if path == ours || !metadata.is_dir() || !same_owner(&metadata, &own) {
            continue;
        }
        // Held by a live run: its lock cannot be taken.
        let held = match std::fs::File::open(path.join(LOCK_FILE)) {
            Ok(file) => file.try_lock_shared().is_err(),
            Err(err) => err.kind() != std::io::ErrorKind::NotFound,
        };
        if !held && std::fs::remove_dir_all(&path).is_ok() {
            tracing::debug!("removed `{}`, left by an interrupted run", path.shown());
            removed += 1;
        }
    }
    removed
}

#[cfg(unix)]
fn same_owner(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.uid() == b.uid()
}

/// Windows: the temporary folder is the user's own.
#[cfg(not(unix))]
fn same_owner(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    true
}

/// Where the one read of a blob stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fill {
    /// This many bytes are in the file, more to come.
    Running(u64),
    /// The file holds all the source sent.
    Done(u64),
    /// The read broke off; the next engine to ask starts another.
    Failed(String),
    /// The file could not be written (the temporary folder is full): the
    /// message for [`Error`] with [`SPOOL_HELP`].
    Unwritable(String),
}

/// One read of a blob into the spool.
struct Blob {
    fill: watch::Receiver<Fill>,
    /// Tells this read from a later one of the same blob.
    read: u64,
    /// The readers done with the blob.
    read_by: BTreeSet<usize>,
}

struct Spooled {
    inner: Arc<dyn Source>,
    limit: Option<RateLimit>,
    dir: PathBuf,
    /// The readers of the spool still running.
    readers: Arc<Mutex<BTreeSet<usize>>>,
    manifests: Mutex<HashMap<String, Arc<OnceCell<Manifest>>>>,
    blobs: Mutex<HashMap<String, Blob>>,
    /// Reads started from the source.
    reads: AtomicU64,
}

impl Spooled {
    /// The file of read number `read` of `digest`: each read its own, so a
    /// new read never meets a file an earlier one left open.
    fn path(&self, digest: &str, read: u64) -> PathBuf {
        let name = crate::fsutil::safe_file_name(digest);
        self.dir.join(format!("{name}-{read}"))
    }

    /// The read of `digest` under way or done, or a new one started; with its
    /// number.
    fn fill(&self, repository: &str, digest: &str) -> (watch::Receiver<Fill>, u64) {
        let mut blobs = lock(&self.blobs);
        if let Some(blob) = blobs.get(digest) {
            if !matches!(*blob.fill.borrow(), Fill::Failed(_) | Fill::Unwritable(_)) {
                return (blob.fill.clone(), blob.read);
            }
            // What the failed read wrote is of no use.
            let _ = std::fs::remove_file(self.path(digest, blob.read));
        }
        let read = self.reads.fetch_add(1, Ordering::SeqCst);
        let (sender, receiver) = watch::channel(Fill::Running(0));
        blobs.insert(
            digest.to_owned(),
            Blob {
                fill: receiver.clone(),
                read,
                read_by: BTreeSet::new(),
            },
        );
        let write = Write {
            inner: self.inner.clone(),
            limit: self.limit.clone(),
            path: self.path(digest, read),
            dir: self.dir.clone(),
            repository: repository.to_owned(),
            digest: digest.to_owned(),
        };
        tokio::spawn(async move {
            let fill = match write.run(&sender).await {
                Ok(written) => Fill::Done(written),
                Err(Failure::Source(err)) => Fill::Failed(format!("{err:#}")),
                Err(Failure::Spool(err)) => Fill::Unwritable(format!(
                    "cannot write blob {} to the spool in `{}`: {err}",
                    write.digest,
                    std::env::temp_dir().shown()
                )),
            };
            sender.send_replace(fill);
        });
        (receiver, read)
    }

    /// `reader` is done with `digest` (copied it, found it present, or gave up):
    /// its file goes when every reader still running is.
    fn done_with(&self, digest: &str, reader: usize) {
        let readers = lock(&self.readers).clone();
        let mut blobs = lock(&self.blobs);
        if let Some(blob) = blobs.get_mut(digest) {
            blob.read_by.insert(reader);
        }
        self.free(&mut blobs, &readers, Some(digest));
    }

    /// Remove the files every running reader is done with (of `only`, or all).
    fn free(
        &self,
        blobs: &mut HashMap<String, Blob>,
        readers: &BTreeSet<usize>,
        only: Option<&str>,
    ) {
        let done: Vec<(String, u64)> = blobs
            .iter()
            .filter(|(digest, _)| only.is_none_or(|o| o == digest.as_str()))
            .filter(|(_, blob)| {
                matches!(*blob.fill.borrow(), Fill::Done(_)) && readers.is_subset(&blob.read_by)
            })
            .map(|(digest, blob)| (digest.clone(), blob.read))
            .collect();
        for (digest, read) in done {
            // A later ask starts a new read. A file that cannot be removed
            // (open elsewhere, on Windows) stays, and is read again.
            match std::fs::remove_file(self.path(&digest, read)) {
                Err(err) if err.kind() != std::io::ErrorKind::NotFound => {}
                _ => {
                    blobs.remove(&digest);
                }
            }
        }
    }

    /// After a reader ended: remove what every reader still running has read.
    fn sweep(&self) {
        let readers = lock(&self.readers).clone();
        let mut blobs = lock(&self.blobs);
        self.free(&mut blobs, &readers, None);
    }
}

/// Why a read into the spool stopped.
enum Failure {
    /// The source failed.
    Source(anyhow::Error),
    /// The spool could not be written.
    Spool(std::io::Error),
}

/// One read of a blob from its source into its file.
struct Write {
    inner: Arc<dyn Source>,
    limit: Option<RateLimit>,
    path: PathBuf,
    dir: PathBuf,
    repository: String,
    digest: String,
}

impl Write {
    async fn run(&self, sender: &watch::Sender<Fill>) -> Result<u64, Failure> {
        let mut file = self.create().await.map_err(Failure::Spool)?;
        let stream =
            (self.inner.blob(&self.repository, &self.digest, 0).await).map_err(Failure::Source)?;
        let mut stream = rate::limit(self.limit.as_ref(), stream);
        let mut written = 0u64;
        // Written in batches (each write is a trip to the blocking pool), and
        // told to the readers once it is in the file.
        let mut batch = BytesMut::with_capacity(WRITE_BATCH);
        loop {
            let next =
                (stream.next().await.transpose()).map_err(|err| Failure::Source(err.into()))?;
            if let Some(chunk) = &next {
                batch.extend_from_slice(chunk);
            }
            if batch.len() >= WRITE_BATCH || (next.is_none() && !batch.is_empty()) {
                file.write_all(&batch).await.map_err(Failure::Spool)?;
                file.flush().await.map_err(Failure::Spool)?;
                written += batch.len() as u64;
                batch.clear();
                sender.send_replace(Fill::Running(written));
            }
            if next.is_none() {
                return Ok(written);
            }
        }
    }

    /// The blob's file, new, 0600.
    async fn create(&self) -> std::io::Result<tokio::fs::File> {
        let (dir, path) = (self.dir.clone(), self.path.clone());
        let file = tokio::task::spawn_blocking(move || {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(&dir)?;
            let mut options = private_file();
            options.read(false);
            options.open(&path)
        })
        .await
        .map_err(std::io::Error::other)??;
        Ok(tokio::fs::File::from_std(file))
    }
}

/// One reader's view of a spooled source.
struct View {
    spooled: Arc<Spooled>,
    reader: usize,
}

impl Source for View {
    fn name(&self) -> &str {
        self.spooled.inner.name()
    }

    fn describe(&self, reference: &Reference) -> String {
        self.spooled.inner.describe(reference)
    }

    fn manifest<'a>(&'a self, reference: &'a Reference) -> BoxFuture<'a, Result<Manifest>> {
        Box::pin(async move {
            let cell = lock(&self.spooled.manifests)
                .entry(reference.to_string())
                .or_default()
                .clone();
            cell.get_or_try_init(|| self.spooled.inner.manifest(reference))
                .await
                .cloned()
        })
    }

    fn blob<'a>(
        &'a self,
        repository: &'a str,
        digest: &'a str,
        offset: u64,
    ) -> BoxFuture<'a, Result<BlobStream>> {
        Box::pin(async move {
            self.spooled.inner.check_digest(digest)?;
            let (fill, read) = self.spooled.fill(repository, digest);
            let path = self.spooled.path(digest, read);
            Ok(follow(path, fill, offset))
        })
    }

    fn done_with(&self, digest: &str) {
        self.spooled.done_with(digest, self.reader);
    }

    fn idle_timeout(&self) -> std::time::Duration {
        self.spooled.inner.idle_timeout()
    }

    fn check_digest(&self, digest: &str) -> Result<()> {
        self.spooled.inner.check_digest(digest)
    }
}

/// Stream a spooled file from `offset` as it grows, to the end of the read.
fn follow(path: PathBuf, fill: watch::Receiver<Fill>, offset: u64) -> BlobStream {
    struct State {
        path: PathBuf,
        file: Option<tokio::fs::File>,
        fill: watch::Receiver<Fill>,
        position: u64,
    }
    let state = State {
        path,
        file: None,
        fill,
        position: offset,
    };
    Box::pin(futures_util::stream::unfold(
        state,
        |mut state| async move {
            loop {
                let fill = state.fill.borrow_and_update().clone();
                let (available, done) = match fill {
                    Fill::Running(n) => (n, false),
                    Fill::Done(n) => (n, true),
                    Fill::Failed(why) => {
                        return Some((Err(std::io::Error::other(why)), state));
                    }
                    Fill::Unwritable(message) => {
                        let error = Error::new(Kind::Failed, message).help(SPOOL_HELP);
                        return Some((Err(std::io::Error::other(error)), state));
                    }
                };
                if state.position < available {
                    if state.file.is_none() {
                        let mut file = match tokio::fs::File::open(&state.path).await {
                            Ok(file) => file,
                            Err(err) => return Some((Err(err), state)),
                        };
                        if let Err(err) = file.seek(SeekFrom::Start(state.position)).await {
                            return Some((Err(err), state));
                        }
                        state.file = Some(file);
                    }
                    let want = (available - state.position).min(CHUNK as u64) as usize;
                    let mut buffer = BytesMut::zeroed(want);
                    let file = state.file.as_mut()?;
                    return match file.read_exact(&mut buffer).await {
                        Ok(_) => {
                            state.position += want as u64;
                            Some((Ok(buffer.freeze()), state))
                        }
                        Err(err) => Some((Err(err), state)),
                    };
                }
                if done {
                    // The file closes with the state, so it can be removed.
                    return None;
                }
                // The sender is dropped only after its last word, so this wakes on it.
                if state.fill.changed().await.is_err()
                    && !matches!(*state.fill.borrow(), Fill::Done(_))
                {
                    return Some((
                        Err(std::io::Error::other("the shared read of the blob stopped")),
                        state,
                    ));
                }
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A source that sends `bytes` in small pieces with pauses, counting reads.
    struct Slow {
        bytes: Vec<u8>,
        reads: AtomicUsize,
    }

    impl Source for Slow {
        fn name(&self) -> &str {
            "slow.example"
        }
        fn manifest<'a>(&'a self, _: &'a Reference) -> BoxFuture<'a, Result<Manifest>> {
            Box::pin(async { anyhow::bail!("no manifests here") })
        }
        fn blob<'a>(
            &'a self,
            _: &'a str,
            _: &'a str,
            offset: u64,
        ) -> BoxFuture<'a, Result<BlobStream>> {
            self.reads.fetch_add(1, Ordering::SeqCst);
            let pieces: Vec<std::io::Result<bytes::Bytes>> = self.bytes[offset as usize..]
                .chunks(1000)
                .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
                .collect();
            Box::pin(async move {
                let stream = futures_util::stream::iter(pieces).then(|piece| async move {
                    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                    piece
                });
                Ok(Box::pin(stream) as BlobStream)
            })
        }
        fn idle_timeout(&self) -> std::time::Duration {
            std::time::Duration::from_secs(30)
        }
        fn check_digest(&self, _: &str) -> Result<()> {
            Ok(())
        }
    }

    async fn collect(stream: BlobStream) -> Vec<u8> {
        let chunks: Vec<_> = stream.collect().await;
        chunks
            .into_iter()
            .flat_map(|c| c.unwrap().to_vec())
            .collect()
    }

    fn slow(bytes: &[u8]) -> Arc<Slow> {
        Arc::new(Slow {
            bytes: bytes.to_vec(),
            reads: AtomicUsize::new(0),
        })
    }

    fn spooled_files(spool: &Spool) -> usize {
        std::fs::read_dir(spool.path().join("0")).map_or(0, |d| d.count())
    }

    #[tokio::test]
    async fn every_reader_gets_every_byte_from_one_read() {
        let bytes: Vec<u8> = (0..50_000u32).map(|i| (i % 251) as u8).collect();
        let slow = slow(&bytes);
        let spool = Spool::new(None).unwrap();
        let (one, two, three) = (spool.reader(), spool.reader(), spool.reader());
        let shared = one.share(slow.clone());
        // The same source again (another engine's client of it) shares the read.
        let again = two.share(slow.clone());
        let first = shared.blob("r", "sha256:aa", 0).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        // A late reader starts from the beginning of the file; one from an offset
        // gets the rest.
        let late = again.blob("r", "sha256:aa", 0).await.unwrap();
        let from = again.blob("r", "sha256:aa", 10_000).await.unwrap();
        let (a, b, c) = tokio::join!(collect(first), collect(late), collect(from));
        assert_eq!(a, bytes);
        assert_eq!(b, bytes);
        assert_eq!(c, bytes[10_000..]);
        assert_eq!(slow.reads.load(Ordering::SeqCst), 1);
        assert_eq!(spool.reads(), 1);
        // Read whole is not done with: a failed upload reads it again, from the file.
        assert_eq!(spooled_files(&spool), 1);
        assert_eq!(
            collect(shared.blob("r", "sha256:aa", 0).await.unwrap()).await,
            bytes
        );
        shared.done_with("sha256:aa");
        again.done_with("sha256:aa");
        // The third reader is not done: the file stays, and it reads from it.
        assert_eq!(spooled_files(&spool), 1);
        let third = three.share(slow.clone());
        assert_eq!(
            collect(third.blob("r", "sha256:aa", 0).await.unwrap()).await,
            bytes
        );
        assert_eq!(slow.reads.load(Ordering::SeqCst), 1);
        third.done_with("sha256:aa");
        // Every reader is done with it: the file is gone.
        assert_eq!(spooled_files(&spool), 0);
    }

    #[tokio::test]
    async fn a_blob_is_kept_for_a_reader_until_it_reads_it_or_ends() {
        let bytes = vec![7u8; 10_000];
        let slow = slow(&bytes);
        let spool = Spool::new(None).unwrap();
        let (one, two) = (spool.reader(), spool.reader());
        let source = one.share(slow.clone());
        assert_eq!(
            collect(source.blob("r", "sha256:bb", 0).await.unwrap()).await,
            bytes
        );
        source.done_with("sha256:bb");
        assert_eq!(spooled_files(&spool), 1);
        drop(two);
        assert_eq!(spooled_files(&spool), 0);
        drop(one);
        assert!(spool.path().is_dir());
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn the_spool_is_private_to_its_owner() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let slow = slow(&[1u8; 1000]);
        let spool = Spool::new(None).unwrap();
        let (one, _two) = (spool.reader(), spool.reader());
        let source = one.share(slow);
        collect(source.blob("r", "sha256:cc", 0).await.unwrap()).await;
        assert_eq!(mode(spool.path()), 0o700);
        assert_eq!(mode(&spool.path().join(LOCK_FILE)), 0o600);
        assert_eq!(mode(&spool.path().join("0")), 0o700);
        assert_eq!(mode(&spool.path().join("0").join("sha256_cc-0")), 0o600);
    }

    #[test]
    fn only_old_unlocked_spools_of_aseecr_are_removed() {
        let temp = tempfile::tempdir().unwrap();
        let ours = crate::fsutil::private_temp_dir_in(temp.path(), PREFIX).unwrap();
        let make = |name: &str| {
            let dir = temp.path().join(name);
            std::fs::create_dir(&dir).unwrap();
            std::fs::write(dir.join("sha256_aa"), b"blob").unwrap();
            dir
        };
        let killed = make("aseecr-spool-killed");
        std::fs::write(killed.join(LOCK_FILE), b"").unwrap();
        let old_kind = make("aseecr-spool-older");
        let live = make("aseecr-spool-live");
        let held = lock_spool(&live).unwrap();
        let other = make("other-spool-x");
        // Old enough only with no minimum age; the live one is held.
        assert_eq!(
            remove_stale_spools(temp.path(), ours.path(), STALE_SPOOL_AGE),
            0
        );
        assert_eq!(
            remove_stale_spools(temp.path(), ours.path(), Duration::ZERO),
            2
        );
        assert!(!killed.exists() && !old_kind.exists());
        assert!(live.join("sha256_aa").exists() && other.exists() && ours.path().exists());
        drop(held);
        assert_eq!(
            remove_stale_spools(temp.path(), ours.path(), Duration::ZERO),
            1
        );
        assert!(!live.exists());
    }
}
