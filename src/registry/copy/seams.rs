//! The engine's seams: where images are read from ([`Source`]: a registry here,
//! layouts and the spool above) and who hears about blob transfers
//! ([`Observer`]: progress bars, logs). The engine knows nothing else of its callers.

use std::pin::Pin;

use anyhow::Result;
use bytes::Bytes;
use futures_util::future::BoxFuture;
use futures_util::{StreamExt, TryStreamExt};

use crate::registry::client::{Pace, Registry};
use crate::registry::manifest::Manifest;
use crate::registry::reference::Reference;

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
    /// The caller is done with this blob (copied, present, or given up on): a
    /// source shared by several destinations may let go of it. A blob is read
    /// again after a failed attempt, so reading it whole is not the end.
    fn done_with(&self, _digest: &str) {}
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
            let stream = paced(Box::pin(stream), Pace::new(self.idle_timeout()));
            Ok(skip_prefix(stream, before))
        })
    }

    fn idle_timeout(&self) -> std::time::Duration {
        Registry::idle_timeout(self)
    }

    fn check_digest(&self, digest: &str) -> Result<()> {
        self.listed_digest(digest).map(|_| ())
    }
}

/// `stream` held to the idle timeout's pace (see [`Pace`]), whoever reads it
/// (the engine, the layout writer, the fan-out spool): one that stalls or
/// trickles ends with a `TimedOut` error.
fn paced(stream: BlobStream, pace: Pace) -> BlobStream {
    Box::pin(futures_util::stream::unfold(
        Some((stream, pace)),
        |state| async move {
            let (mut stream, mut pace) = state?;
            let end = |stalled: &dyn std::fmt::Display| {
                let err = std::io::Error::new(std::io::ErrorKind::TimedOut, stalled.to_string());
                Some((Err(err), None))
            };
            match pace.wait(stream.next()).await {
                Err(stalled) => end(&stalled),
                Ok(None) => None,
                Ok(Some(Ok(chunk))) => match pace.record(chunk.len()) {
                    Err(stalled) => end(&stalled),
                    Ok(()) => Some((Ok(chunk), Some((stream, pace)))),
                },
                Ok(Some(Err(err))) => Some((Err(err), Some((stream, pace)))),
            }
        },
    ))
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
