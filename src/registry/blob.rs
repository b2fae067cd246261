//! Blob and manifest writes: existence checks, cross-repository mounts, streamed
//! uploads (POST then PUT), and manifest PUT.

use anyhow::{Context, Result};
use bytes::Bytes;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, LOCATION, RANGE};
use reqwest::{Body, Method, Response, StatusCode};
use url::Url;

use super::auth::Scope;
use super::client::{Activity, Pace, Registry};
use crate::error::{Error, Kind};

/// How starting an upload ended.
#[derive(Debug)]
pub enum Upload {
    /// The registry already has the blob in the repository (mounted or linked).
    Present,
    /// Send the blob to this upload session.
    Session(Url),
}

impl Registry {
    /// Whether the repository has the blob (HEAD).
    pub async fn blob_exists(&self, repository: &str, digest: &str) -> Result<bool> {
        let url = self.url(&format!("v2/{repository}/blobs/{digest}"))?;
        let response = self
            .send(&Scope::Push(repository.to_owned()), |http| {
                http.head(url.clone())
            })
            .await?;
        match response.status() {
            status if status.is_success() => Ok(true),
            StatusCode::NOT_FOUND => Ok(false),
            _ => {
                let what = format!("blob `{digest}` in `{repository}`");
                self.check(response, &what).await.map(|_| true)
            }
        }
    }

    /// Start an upload, asking the registry to mount `digest` from `from`. When
    /// `from` is the target repository itself, a registry that already has the blob
    /// there answers 201 at once: one request both checks and starts the upload.
    /// Without `from`, the upload starts whatever the registry claims to have
    /// (to write again a blob whose claim turned out false).
    pub async fn start_upload(
        &self,
        repository: &str,
        digest: &str,
        from: Option<&str>,
    ) -> Result<Upload> {
        let mut url = self.url(&format!("v2/{repository}/blobs/uploads/"))?;
        if let Some(from) = from {
            url.query_pairs_mut()
                .append_pair("mount", digest)
                .append_pair("from", from);
        }
        let response = self
            .send(&Scope::Push(repository.to_owned()), |http| {
                http.post(url.clone()).header(CONTENT_LENGTH, "0")
            })
            .await?;
        match response.status() {
            StatusCode::CREATED => Ok(Upload::Present),
            StatusCode::ACCEPTED => Ok(Upload::Session(self.location(&response, &url)?)),
            _ => {
                let what = format!("an upload to `{}/{repository}`", self.name());
                Err(self.unexpected(response, &what).await)
            }
        }
    }

    /// Send (part of) a blob to an upload session in one PATCH, chunked, and
    /// return the session's new location, which states how much the registry
    /// holds, and that amount when the registry says it (`Range: 0-END`). The
    /// body is sent once; a transfer that goes wrong ends it early.
    pub(super) async fn patch_upload(
        &self,
        repository: &str,
        session: &Url,
        body: Body,
        activity: &Activity,
    ) -> Result<(Url, Option<u64>)> {
        let request = self
            .http()
            .patch(session.clone())
            .header(CONTENT_TYPE, "application/octet-stream")
            .body(body);
        let response = self
            .send_once(&Scope::Push(repository.to_owned()), request, Some(activity))
            .await?;
        if response.status() == StatusCode::ACCEPTED {
            return Ok((self.location(&response, session)?, held(&response)));
        }
        let what = format!("a blob upload to `{}/{repository}`", self.name());
        Err(self.unexpected(response, &what).await)
    }

    /// Complete an upload session with a PUT carrying the digest and the rest of
    /// the blob (all of it, or nothing after a PATCH). The registry checks the
    /// whole upload against `digest` and commits nothing on mismatch.
    pub(super) async fn put_upload(
        &self,
        repository: &str,
        session: &Url,
        digest: &str,
        body: Bytes,
    ) -> Result<()> {
        let mut url = session.clone();
        url.query_pairs_mut().append_pair("digest", digest);
        let request = self
            .http()
            .put(url)
            .header(CONTENT_TYPE, "application/octet-stream")
            .header(CONTENT_LENGTH, body.len())
            .body(body);
        let response = self
            .send_once(&Scope::Push(repository.to_owned()), request, None)
            .await?;
        let status = response.status();
        if status == StatusCode::CREATED || status.is_success() {
            let stored = response
                .headers()
                .get("docker-content-digest")
                .and_then(|v| v.to_str().ok());
            if let Some(stored) = stored
                && stored != digest
            {
                return Err(Error::new(
                    Kind::Integrity,
                    format!("`{}` stored blob {stored} instead of {digest}", self.name()),
                )
                .into());
            }
            return Ok(());
        }
        let what = format!("blob `{digest}` upload to `{}/{repository}`", self.name());
        Err(self.unexpected(response, &what).await)
    }

    /// Where a kept upload session stands: its new location and the bytes the
    /// registry holds, or `None` when the registry no longer continues it
    /// (unknown, purged, or holding bytes its state does not account for).
    pub async fn upload_status(&self, repository: &str, session: &Url) -> Option<(Url, u64)> {
        let request = self.http().get(session.clone());
        let response = self
            .send_once(&Scope::Push(repository.to_owned()), request, None)
            .await
            .ok()?;
        if response.status() != StatusCode::NO_CONTENT {
            tracing::debug!(
                "the kept upload {} answered {}",
                session.path(),
                response.status()
            );
            return None;
        }
        let location = self.location(&response, session).ok()?;
        Some((location, held(&response).unwrap_or(0)))
    }

    /// Abandon an upload session (best effort, within the response timeout), so
    /// that no half-written upload stays in the registry's storage.
    pub async fn cancel_upload(&self, repository: &str, session: &Url) {
        let request = self.http().request(Method::DELETE, session.clone());
        match self
            .send_once(&Scope::Push(repository.to_owned()), request, None)
            .await
        {
            Ok(response) if !response.status().is_success() => tracing::debug!(
                "cancelling the upload {} answered {}",
                session.path(),
                response.status()
            ),
            Ok(_) => {}
            Err(err) => tracing::debug!("cannot cancel the upload {}: {err:#}", session.path()),
        }
    }

    /// Whether the registry can really serve the blob: a GET of its first byte.
    /// HEAD and mounts answer from distribution's blob-descriptor cache, which a
    /// garbage collection on a running registry leaves stale; reading does not.
    pub async fn blob_readable(&self, repository: &str, digest: &str) -> Result<bool> {
        let url = self.url(&format!("v2/{repository}/blobs/{digest}"))?;
        let response = self
            .send(&Scope::Pull(repository.to_owned()), |http| {
                http.get(url.clone()).header(RANGE, "bytes=0-0")
            })
            .await?;
        match response.status() {
            // The status goes out before the file is opened: only a byte read
            // proves the data is there (a registry that ignores Range sends the
            // whole blob; only its first chunk is read, within the idle timeout).
            status if status.is_success() => {
                let mut response = response;
                let first = Pace::new(self.idle_timeout())
                    .wait(response.chunk())
                    .await
                    .map_err(|stalled| {
                        self.stalled(stalled, &format!("blob `{digest}` in `{repository}`"))
                    })?;
                Ok(matches!(first, Ok(Some(chunk)) if !chunk.is_empty()))
            }
            StatusCode::NOT_FOUND => Ok(false),
            _ => {
                let what = format!("blob `{digest}` in `{repository}`");
                self.check(response, &what).await.map(|_| true)
            }
        }
    }

    /// Upload small bytes (such as a manifest's, written as a blob) in two requests.
    pub async fn upload_bytes(&self, repository: &str, digest: &str, bytes: &Bytes) -> Result<()> {
        match self.start_upload(repository, digest, None).await? {
            Upload::Session(session) => {
                let result = self
                    .put_upload(repository, &session, digest, bytes.clone())
                    .await;
                if result.is_err() {
                    self.cancel_upload(repository, &session).await;
                }
                result
            }
            Upload::Present => Ok(()),
        }
    }

    /// GET a blob from byte `offset` on; the caller streams the body. Redirects
    /// (to a CDN) are followed, and the Authorization header is never sent to
    /// another host. Returns the response and how many of its first bytes come
    /// before `offset`: 0 when the server honoured the Range, `offset` when it
    /// sent the whole blob (a server may ignore Range).
    pub async fn get_blob(
        &self,
        repository: &str,
        digest: &str,
        offset: u64,
    ) -> Result<(Response, u64)> {
        let digest = self.listed_digest(digest)?;
        let url = self.url(&format!("v2/{repository}/blobs/{digest}"))?;
        let response = self
            .send(&Scope::Pull(repository.to_owned()), |http| {
                let request = http.get(url.clone());
                if offset > 0 {
                    request.header(RANGE, format!("bytes={offset}-"))
                } else {
                    request
                }
            })
            .await?;
        let what = format!("blob `{digest}` of `{}/{repository}`", self.name());
        let response = self.check(response, &what).await?;
        if offset == 0 || response.status() != StatusCode::PARTIAL_CONTENT {
            return Ok((response, offset));
        }
        // A partial answer must start where it was asked to.
        let start = response
            .headers()
            .get(reqwest::header::CONTENT_RANGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("bytes "))
            .and_then(|v| v.split_once('-'))
            .and_then(|(start, _)| start.parse::<u64>().ok());
        if start != Some(offset) {
            return Err(Error::new(
                Kind::Integrity,
                format!(
                    "`{}` answered a request for blob {digest} from byte {offset} with another range",
                    self.name()
                ),
            )
            .on_registry(self.name())
            .into());
        }
        Ok((response, 0))
    }

    /// PUT a manifest under a tag or digest; returns the digest the registry reports.
    pub async fn put_manifest(
        &self,
        repository: &str,
        reference: &str,
        media_type: &str,
        bytes: &Bytes,
    ) -> Result<Option<String>> {
        let url = self.url(&format!("v2/{repository}/manifests/{reference}"))?;
        let response = self
            .send(&Scope::Push(repository.to_owned()), |http| {
                http.put(url.clone())
                    .header(CONTENT_TYPE, media_type)
                    .body(bytes.clone())
            })
            .await?;
        let what = format!("manifest `{}/{repository}:{reference}`", self.name());
        let response = self.check(response, &what).await?;
        Ok(response
            .headers()
            .get("docker-content-digest")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned))
    }

    fn location(&self, response: &Response, request_url: &Url) -> Result<Url> {
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| {
                Error::new(
                    Kind::Failed,
                    format!("`{}` started an upload without a Location", self.name()),
                )
            })?;
        request_url
            .join(location)
            .with_context(|| format!("`{}` sent an invalid upload location", self.name()))
    }
}

/// The bytes an upload session holds, from its `Range: 0-END` header (END is
/// inclusive; an empty session says `0-0` or nothing, and `0-0` is read as
/// nothing: a one-byte session is told apart by its location only).
fn held(response: &Response) -> Option<u64> {
    let range = response.headers().get(RANGE)?.to_str().ok()?;
    let (start, end) = range.trim().split_once('-')?;
    if start != "0" {
        return None;
    }
    let end: u64 = end.parse().ok()?;
    Some(if end == 0 { 0 } else { end + 1 })
}
