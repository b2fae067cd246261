//! What the engine checks: every blob's bytes as they stream (size, digest,
//! pace, held back before the last chunk when they do not match), blobs the
//! destination claims to have read back before a manifest names them, and every
//! manifest read back by digest after it is pushed.

use std::sync::{Arc, Mutex};

use anyhow::Result;
use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::future::try_join_all;
use oci_client::manifest::OciDescriptor;
use tokio::sync::watch;

use super::plan::Tree;
use super::{BlobStream, Engine, Interrupted, Job, Observer, until_true};
use crate::error::{Error, Kind};
use crate::registry::client::{Activity, Pace};
use crate::registry::manifest::{Hasher, Manifest};
use crate::registry::reference::Reference;

impl Engine {
    /// The source's blob from byte `offset` on, checked as it streams (see
    /// [`Verify`]; from offset 0 hashed too), with the slot where a problem is
    /// left when the stream ends early and the activity the upload watches.
    pub(super) async fn verified(
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
            inner: crate::registry::rate::limit(self.options.limit_rate.as_ref(), response),
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

    /// Read back the first byte of every blob the destination claimed to have
    /// (present or mounted) and this run has not written or read yet, and write
    /// again the ones it cannot serve. Distribution answers existence checks and
    /// mounts from a blob-descriptor cache that a garbage collection on a running
    /// registry does not clear: without this, a manifest would be accepted on top
    /// of blobs that are gone. Returns how many blobs were written again.
    pub(super) async fn confirm_claimed(
        &self,
        job: &Job,
        repository: &str,
        blobs: &[OciDescriptor],
    ) -> Result<usize> {
        let unconfirmed: Vec<&OciDescriptor> = blobs
            .iter()
            .filter(|b| !self.readable.contains(repository, &b.digest))
            .collect();
        let checks = unconfirmed.iter().map(|blob| async move {
            let readable = {
                let _permit = self.jobs.acquire().await?;
                self.destination
                    .blob_readable(repository, &blob.digest)
                    .await?
            };
            if readable {
                self.readable.insert(repository, &blob.digest);
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

    /// Push the manifests wave by wave, children by digest before the indexes
    /// that name them, the top one by tag (or digest) last. A manifest that
    /// names a blob the registry claimed to have (or a child manifest that
    /// does) is read back; see [`Self::push_verified`].
    pub(super) async fn push_tree(&self, to: &Reference, tree: &Tree) -> Result<(usize, usize)> {
        let mut pushed = 0;
        let mut repaired = 0;
        let doubtful = tree.doubtful(|digest| self.claimed.contains(&to.repository, digest));
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
                let read_back = doubtful.contains(digest);
                async move {
                    if !read_back {
                        self.push_manifest(to, &reference, &node.manifest).await?;
                        return Ok(false);
                    }
                    self.push_verified(to, &reference, &node.manifest).await
                }
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
    ///
    /// Only manifests with a claimed blob get here: the registry's cache can
    /// only be stale about a manifest it held before a garbage collection, and
    /// then it is stale about that manifest's blobs too, which the mounts from
    /// the repository itself reveal (docs/decisions.md).
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
                // A source that says what failed (the spool's full disk) is
                // not a broken connection: its error is kept, kind and help.
                if let Some(own) = cause.get_ref().and_then(|e| e.downcast_ref::<Error>()) {
                    let mut error = Error::new(own.kind, own.message.clone());
                    error.help = own.help.clone();
                    return self.fail_with(error);
                }
                let message = format!(
                    "the source `{}` stopped sending blob {}: {cause}",
                    self.source, self.digest
                );
                // A registry's blob stream keeps its own pace (see `seams`).
                let kind = if cause.kind() == std::io::ErrorKind::TimedOut {
                    Kind::Timeout
                } else {
                    Kind::Connect
                };
                self.fail(kind, message)
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
    fn fail(self, kind: Kind, message: String) -> Option<(std::io::Result<Bytes>, Verify)> {
        self.fail_with(Error::new(kind, message))
    }

    fn fail_with(mut self, error: Error) -> Option<(std::io::Result<Bytes>, Verify)> {
        self.done = true;
        *self.problem.lock().unwrap_or_else(|p| p.into_inner()) = Some(error);
        None
    }
}
