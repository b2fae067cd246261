//! Getting one blob to the destination: once per run per repository, mounted
//! where another repository has it, else streamed from the source in one
//! request (small blobs, checked whole first), one PATCH (large blobs), or
//! PATCHes of a few seconds of transfer each, whose sessions a later attempt
//! or run continues (resumable blobs); failed transfers are cancelled or kept,
//! and retried.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::Result;
use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::future::join_all;
use oci_client::manifest::OciDescriptor;

use super::{BlobOutcome, BlobStream, Engine, Interrupted, Job, LARGE_BLOB, is_retryable};
use crate::error::{Error, Kind};
use crate::registry::blob::Upload;
use crate::registry::client::MAX_TIMEOUT_ATTEMPTS;

/// Attempts per blob before the image fails.
const BLOB_ATTEMPTS: u32 = 4;

/// Blobs under this size are read whole and checked in memory, then sent in one
/// PUT (two requests: POST, PUT); larger ones stream in a PATCH (three: POST,
/// PATCH, PUT). Every request costs the registry a password check, which for
/// layers of a few MiB costs more than the bytes. Memory held at once: blobs of
/// 1 MiB and more take a large stream each ([`super::large_streams`]): about
/// 8 MiB with 8 jobs, at most 112 MiB with 64 (a far source's).
const HELD_BLOB: u64 = 4 << 20;

/// Blobs from this size on are uploaded in chunks whose sessions are kept for
/// the next attempt or run (with [`super::CopyOptions::resume_dir`]).
const RESUMABLE_BLOB: u64 = 32 << 20;

/// A resumable blob's checkpoints: each PATCH ends after this much transfer
/// (or at the blob's end), and the registry's answer to it is where a later
/// attempt or run continues. By time, not size: a run stopped anywhere sends
/// at most this much transfer again, on any link, while a fast link pays for
/// few pauses (a 128 MiB layer on loopback is one PATCH; at 20 Mbit/s a
/// checkpoint comes every 5 MB). Every PATCH costs a request (a password check
/// on the registry) and a pause in the stream while the registry closes what
/// it got and answers; docs/decisions.md has the measurements.
const CHECKPOINT: Duration = Duration::from_secs(2);

impl Engine {
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

    /// Whether a blob of this size is uploaded resumably, in checkpoints.
    fn resumable(&self, size: u64) -> bool {
        self.journal.is_some() && size >= RESUMABLE_BLOB
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
        let location = self.destination.own_location(&kept.location);
        if location.is_none() {
            tracing::debug!(
                "blob {}: not continuing the kept upload, its location is not on `{registry}`",
                blob.digest
            );
        }
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

    /// Make sure the destination repository has a blob; once per run.
    pub(super) async fn ensure_blob(
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
    pub(super) async fn transfer(
        &self,
        job: &Job,
        repository: &str,
        from: Option<&str>,
        blob: &OciDescriptor,
    ) -> Result<BlobOutcome> {
        let result = self.attempts(job, repository, from, blob).await;
        // Copied, present or given up on: no attempt of this run reads it again.
        job.source.done_with(&blob.digest);
        result
    }

    /// [`Self::transfer`]'s attempts.
    async fn attempts(
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
        let resumable = self.resumable(size);
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.check_interrupted()?;
            let (mut session, offset) =
                match self.open_upload(repository, from, blob, resumable).await? {
                    Opened::Present(outcome) => return Ok(outcome),
                    Opened::Session(session, offset) => (session, offset),
                };
            self.observer.blob_started(digest, size);
            if offset > 0 {
                self.observer.blob_progress(digest, offset);
            }
            // A kept session is not cancelled on failure: the next attempt or run
            // continues it (the registry purges it if none does).
            let id = (!resumable).then(|| self.open_session(repository, &session));
            let result = if resumable {
                self.stream_chunks(job, repository, &mut session, blob, offset)
                    .await
            } else {
                self.stream_blob(job, repository, &mut session, id.unwrap_or(0), blob)
                    .await
            };
            let Err(err) = result else {
                self.committed(repository, blob, id);
                return Ok(BlobOutcome::Copied);
            };
            let failed = Failed {
                session: &session,
                id,
                attempt,
            };
            self.after_failure(repository, blob, failed, err).await?;
        }
    }

    /// Where this attempt sends the blob: the session an earlier attempt or run
    /// kept for it (`resumable` blobs only), else a new one; or nowhere, when
    /// the registry has the blob or mounts it (the POST answers 201).
    async fn open_upload(
        &self,
        repository: &str,
        from: Option<&str>,
        blob: &OciDescriptor,
        resumable: bool,
    ) -> Result<Opened> {
        let digest = &blob.digest;
        let size = blob.size.max(0) as u64;
        if resumable && let Some((session, offset)) = self.kept_session(repository, blob).await {
            return Ok(Opened::Session(session, offset));
        }
        match self
            .destination
            .start_upload(repository, digest, from)
            .await
        {
            Ok(Upload::Present) => {
                // The registry's word, unless it mounted the blob from a
                // repository this run wrote it into.
                let vouched = from
                    .is_some_and(|from| from != repository && self.readable.contains(from, digest));
                if !vouched {
                    self.claimed.insert(repository, digest);
                }
                let outcome = if from.is_none_or(|from| from == repository) {
                    BlobOutcome::Present
                } else {
                    BlobOutcome::Mounted
                };
                self.observer.blob_finished(digest, size, Some(outcome));
                Ok(Opened::Present(outcome))
            }
            Ok(Upload::Session(session)) => Ok(Opened::Session(session, 0)),
            Err(err) => {
                self.observer.blob_finished(digest, size, None);
                Err(err)
            }
        }
    }

    /// A blob's upload went through: its session and kept state are done with,
    /// and the blob is known to be readable there.
    fn committed(&self, repository: &str, blob: &OciDescriptor, id: Option<u64>) {
        let digest = &blob.digest;
        if let Some(id) = id {
            self.close_session(id);
        }
        if let Some(journal) = &self.journal {
            journal.forget(self.destination.name(), repository, digest);
        }
        self.readable.insert(repository, digest);
        self.observer
            .blob_finished(digest, blob.size.max(0) as u64, Some(BlobOutcome::Copied));
    }

    /// After a failed attempt: let go of its session, then either wait for the
    /// next attempt (`Ok`) or end the blob with the error (the interruption,
    /// or `err` when it is not worth retrying or the attempts are used up).
    async fn after_failure(
        &self,
        repository: &str,
        blob: &OciDescriptor,
        failed: Failed<'_>,
        err: anyhow::Error,
    ) -> Result<()> {
        let digest = &blob.digest;
        let size = blob.size.max(0) as u64;
        let wrong = crate::error::find(&err).is_some_and(|e| e.kind == Kind::Integrity);
        self.release_session(repository, digest, &failed, wrong)
            .await;
        // A kept session (no id) stays for the next run unless its bytes were wrong.
        let left_for_next_run = failed.id.is_none() && !wrong;
        if self.interrupted() {
            if left_for_next_run {
                self.kept.fetch_add(1, Ordering::Relaxed);
            }
            self.observer.blob_finished(digest, size, None);
            return Err(Interrupted.into());
        }
        let timed_out = crate::error::find(&err).is_some_and(|e| e.kind == Kind::Timeout);
        let attempts = if timed_out {
            MAX_TIMEOUT_ATTEMPTS
        } else {
            BLOB_ATTEMPTS
        };
        if !is_retryable(&err) || failed.attempt >= attempts {
            if left_for_next_run {
                self.kept.fetch_add(1, Ordering::Relaxed);
            }
            self.observer.blob_finished(digest, size, None);
            return Err(err.context(format!("cannot copy blob {digest}")));
        }
        let attempt = failed.attempt;
        let reason = format!("{err:#}");
        self.observer.blob_retrying(digest, attempt, &reason);
        tracing::debug!("blob {digest}: attempt {attempt} failed: {reason}");
        let wait = self.destination.backoff(attempt);
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = self.until_interrupted() => {}
        }
        Ok(())
    }

    /// Cancel a failed attempt's session, unless [`Engine::cancel_open_uploads`]
    /// did already; a kept session is cancelled (and forgotten) only when the
    /// bytes it holds are `wrong`.
    async fn release_session(
        &self,
        repository: &str,
        digest: &str,
        failed: &Failed<'_>,
        wrong: bool,
    ) {
        match failed.id {
            Some(id) if self.close_session(id) => {
                self.destination
                    .cancel_upload(repository, failed.session)
                    .await;
                if self.interrupted() {
                    self.cancelled.fetch_add(1, Ordering::Relaxed);
                }
            }
            Some(_) => {}
            // Bytes that do not match are not kept.
            None if wrong => {
                if let Some(journal) = &self.journal {
                    journal.forget(self.destination.name(), repository, digest);
                }
                self.destination
                    .cancel_upload(repository, failed.session)
                    .await;
            }
            None => {}
        }
    }

    /// Send a large blob from byte `offset` on in PATCHes of [`CHECKPOINT`]'s
    /// worth of transfer each, keeping the session's state in the journal after
    /// each one the registry acknowledges, then commit it with a PUT. A problem
    /// on the source side, or an interruption, ends the current PATCH early but
    /// cleanly, so the registry acknowledges what it got and the session can be
    /// continued.
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
    ) -> Result<()> {
        let digest = blob.digest.clone();
        let size = blob.size.max(0) as u64;
        let journal = self.journal.clone();
        let save = |location: &url::Url, offset: u64| {
            if let Some(journal) = &journal {
                journal.save(&crate::registry::resume::Kept {
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
                    left: size - sent,
                    until: Instant::now() + CHECKPOINT,
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
    /// - a small blob (under [`HELD_BLOB`]) is read and checked in memory first,
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
        if size < HELD_BLOB {
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

/// Where an attempt sends a blob.
enum Opened {
    /// Nowhere: the destination has it (or mounted it).
    Present(BlobOutcome),
    /// This session, which holds this many bytes of it already.
    Session(url::Url, u64),
}

/// An attempt that failed: its session's latest location, its id among the
/// open sessions (`None`: a kept session), and its number.
struct Failed<'a> {
    session: &'a url::Url,
    id: Option<u64>,
    attempt: u32,
}

/// A verified blob stream, cut into PATCH bodies.
struct Pieces {
    stream: BlobStream,
    /// What a chunk's last piece held beyond it.
    leftover: Option<Bytes>,
    /// The stream ended (the whole blob, or early on a problem).
    ended: bool,
}

/// One PATCH body: the stream's bytes until `until` (at least one piece) or
/// until `left` are taken (the blob's end); hands the stream back with the
/// count taken when it ends (dropped with the body if the request fails before).
struct Piece {
    pieces: Pieces,
    left: u64,
    /// The checkpoint: no piece is taken after this (but the first).
    until: Instant,
    taken: u64,
    back: Option<tokio::sync::oneshot::Sender<(Pieces, u64)>>,
}

impl Piece {
    async fn next(mut self) -> Option<(std::io::Result<Bytes>, Piece)> {
        let due = self.taken > 0 && Instant::now() >= self.until;
        if self.left > 0 && !self.pieces.ended && !due {
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
