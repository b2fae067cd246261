//! One read of a source for several destinations: `mirror --to A --to B ...`
//! runs one engine per destination, all reading through a [`Spool`]. The first
//! engine to need a blob starts the only read of it from the source, into a
//! file in a temporary directory; every engine that needs it (that one
//! included) streams it from that file as it grows, at its own pace, and a
//! late one starts from the file's beginning. So each blob crosses the source
//! link once whatever the number of destinations, a slow or failing
//! destination holds nobody back, and memory stays flat (the bytes wait on
//! disk, not in buffers). Manifests are read once too. The directory goes when
//! the run ends; it holds, at most, the blobs the run copies. `--limit-rate`
//! applies here, to the one read from the source (the link the destinations
//! share), not to each destination's read of the file.

use std::collections::HashMap;
use std::io::SeekFrom;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::Result;
use bytes::BytesMut;
use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use tokio::sync::{OnceCell, watch};

use crate::registry::Reference;
use crate::registry::copy::{BlobStream, Source};
use crate::registry::manifest::Manifest;
use crate::registry::rate::{self, RateLimit};

/// Bytes read from a spooled file at a time.
const CHUNK: usize = 128 * 1024;
/// Bytes written to a spooled file at a time.
const WRITE_BATCH: usize = 256 * 1024;

/// The shared reads of one run.
pub struct Spool {
    dir: tempfile::TempDir,
    sources: Mutex<HashMap<String, Arc<Spooled>>>,
    /// One limit on the blob bytes read from every source.
    limit: Option<RateLimit>,
}

impl Spool {
    /// A spool in a new temporary directory (in the system's temporary folder),
    /// its reads from the sources limited by `limit`.
    pub fn new(limit: Option<RateLimit>) -> Result<Spool> {
        let dir = tempfile::Builder::new()
            .prefix("aseecr-spool-")
            .tempdir()
            .map_err(|err| {
                crate::error::Error::new(
                    crate::error::Kind::Failed,
                    format!(
                        "cannot create a temporary directory in `{}` for the blobs shared by the destinations: {err}",
                        std::env::temp_dir().display()
                    ),
                )
                .help("point TMPDIR (TEMP on Windows) at a writable folder with room for the images")
            })?;
        Ok(Spool {
            dir,
            sources: Mutex::new(HashMap::new()),
            limit,
        })
    }

    /// The shared reader of `source`: the same one for every engine that names
    /// a source of that name.
    pub fn share(&self, source: Arc<dyn Source>) -> Arc<dyn Source> {
        let mut sources = self.sources.lock().unwrap_or_else(|p| p.into_inner());
        let count = sources.len();
        sources
            .entry(source.name().to_owned())
            .or_insert_with(|| {
                let dir = self.dir.path().join(count.to_string());
                Arc::new(Spooled {
                    inner: source,
                    limit: self.limit.clone(),
                    dir,
                    manifests: Mutex::new(HashMap::new()),
                    blobs: Mutex::new(HashMap::new()),
                })
            })
            .clone()
    }

    /// Blob reads from the sources so far (each blob once, unless a read failed).
    #[cfg(test)]
    fn reads(&self) -> usize {
        let sources = self.sources.lock().unwrap_or_else(|p| p.into_inner());
        sources
            .values()
            .map(|s| s.blobs.lock().unwrap_or_else(|p| p.into_inner()).len())
            .sum()
    }
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
}

struct Spooled {
    inner: Arc<dyn Source>,
    limit: Option<RateLimit>,
    dir: PathBuf,
    manifests: Mutex<HashMap<String, Arc<OnceCell<Manifest>>>>,
    blobs: Mutex<HashMap<String, watch::Receiver<Fill>>>,
}

impl Spooled {
    fn path(&self, digest: &str) -> PathBuf {
        self.dir.join(crate::fsutil::safe_file_name(digest))
    }

    /// The read of `digest` under way or done, or a new one started.
    fn fill(&self, repository: &str, digest: &str) -> watch::Receiver<Fill> {
        let mut blobs = self.blobs.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(fill) = blobs.get(digest)
            && !matches!(*fill.borrow(), Fill::Failed(_))
        {
            return fill.clone();
        }
        let (sender, receiver) = watch::channel(Fill::Running(0));
        blobs.insert(digest.to_owned(), receiver.clone());
        let inner = self.inner.clone();
        let limit = self.limit.clone();
        let path = self.path(digest);
        let dir = self.dir.clone();
        let repository = repository.to_owned();
        let digest = digest.to_owned();
        tokio::spawn(async move {
            let result = async {
                tokio::fs::create_dir_all(&dir).await?;
                let mut file = tokio::fs::File::create(&path).await?;
                let stream = inner.blob(&repository, &digest, 0).await?;
                let mut stream = rate::limit(limit.as_ref(), stream);
                let mut written = 0u64;
                // Written in batches (each write is a trip to the blocking pool),
                // and told to the readers once it is in the file.
                let mut batch = BytesMut::with_capacity(WRITE_BATCH);
                loop {
                    let next = stream.next().await.transpose()?;
                    if let Some(chunk) = &next {
                        batch.extend_from_slice(chunk);
                    }
                    if batch.len() >= WRITE_BATCH || (next.is_none() && !batch.is_empty()) {
                        file.write_all(&batch).await?;
                        file.flush().await?;
                        written += batch.len() as u64;
                        batch.clear();
                        sender.send_replace(Fill::Running(written));
                    }
                    if next.is_none() {
                        break;
                    }
                }
                anyhow::Ok(written)
            }
            .await;
            sender.send_replace(match result {
                Ok(written) => Fill::Done(written),
                Err(err) => Fill::Failed(format!("{err:#}")),
            });
        });
        receiver
    }
}

impl Source for Spooled {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn describe(&self, reference: &Reference) -> String {
        self.inner.describe(reference)
    }

    fn manifest<'a>(&'a self, reference: &'a Reference) -> BoxFuture<'a, Result<Manifest>> {
        Box::pin(async move {
            let cell = self
                .manifests
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .entry(reference.to_string())
                .or_default()
                .clone();
            cell.get_or_try_init(|| self.inner.manifest(reference))
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
            self.inner.check_digest(digest)?;
            let fill = self.fill(repository, digest);
            let path = self.path(digest);
            Ok(follow(path, fill, offset))
        })
    }

    fn idle_timeout(&self) -> std::time::Duration {
        self.inner.idle_timeout()
    }

    fn check_digest(&self, digest: &str) -> Result<()> {
        self.inner.check_digest(digest)
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

    #[tokio::test]
    async fn every_reader_gets_every_byte_from_one_read() {
        let bytes: Vec<u8> = (0..50_000u32).map(|i| (i % 251) as u8).collect();
        let slow = Arc::new(Slow {
            bytes: bytes.clone(),
            reads: AtomicUsize::new(0),
        });
        let spool = Spool::new(None).unwrap();
        let shared = spool.share(slow.clone());
        // The same source again (another engine's client of it) shares the read.
        let again = spool.share(slow.clone());
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
        // Afterwards, from the file alone.
        assert_eq!(
            collect(shared.blob("r", "sha256:aa", 0).await.unwrap()).await,
            bytes
        );
        assert_eq!(slow.reads.load(Ordering::SeqCst), 1);
    }
}
