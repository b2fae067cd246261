//! Removing one tag and nothing else. Distribution has no tag delete: deleting a
//! manifest by digest removes every tag on it. So the tag is first pointed at a
//! tiny manifest of its own (unique, so no other tag can share it), and that
//! manifest is deleted by digest. What is left for the next garbage collection
//! is that tiny manifest and, if nothing else uses it, the 2-byte empty config.

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Result;
use bytes::Bytes;

use super::api::Deleted;
use super::blob::Upload;
use super::client::Registry;
use super::manifest::{self, Manifest};
use crate::error::{Error, Kind};

/// The empty JSON object `{}`: OCI's empty descriptor, the tiny manifest's config.
const EMPTY_CONFIG: &[u8] = b"{}";
const EMPTY_MEDIA_TYPE: &str = "application/vnd.oci.empty.v1+json";
/// What the tiny manifest says it is for.
const UNTAG_ANNOTATION: &str = "dev.aseecr.untagged";

/// What untagging one tag left on the registry for its next garbage collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untagged {
    /// The tiny manifest that carried the tag, now deleted.
    pub placeholder: String,
    /// Its size in bytes (its blob is freed by the next garbage collection).
    pub placeholder_size: u64,
}

/// The empty config's digest.
pub fn empty_config_digest() -> String {
    manifest::sha256_digest(EMPTY_CONFIG)
}

/// The placeholder manifest that takes `tag` off `old_digest`: an OCI manifest
/// with the empty config, no layers, and annotations that say what it is for
/// and make it unique (so no other tag can point at it).
pub fn placeholder(repository: &str, tag: &str, old_digest: &str) -> Bytes {
    let nonce = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": manifest::OCI_MANIFEST,
        "config": {"mediaType": EMPTY_MEDIA_TYPE, "digest": empty_config_digest(), "size": EMPTY_CONFIG.len()},
        "layers": [],
        "annotations": {
            UNTAG_ANNOTATION: format!("{repository}:{tag} was {old_digest}"),
            "dev.aseecr.nonce": format!("{nonce:020}"),
        },
    });
    Bytes::from(serde_json::to_vec(&manifest).unwrap_or_default())
}

impl Registry {
    /// Remove `tag` from `repository`, where it points at `current` (as read just
    /// before). Every other tag, and `current` itself, stay. If the placeholder
    /// cannot be deleted, the tag is put back on `current`.
    pub async fn untag(&self, repository: &str, tag: &str, current: &Manifest) -> Result<Untagged> {
        let empty = empty_config_digest();
        // Mounting from the repository itself: one request when the blob is there.
        if let Upload::Session(session) = self
            .start_upload(repository, &empty, Some(repository))
            .await?
        {
            let result = self
                .put_upload(
                    repository,
                    &session,
                    &empty,
                    Bytes::from_static(EMPTY_CONFIG),
                )
                .await;
            if result.is_err() {
                self.cancel_upload(repository, &session).await;
            }
            result?;
        }
        let placeholder = placeholder(repository, tag, &current.digest);
        let digest = manifest::sha256_digest(&placeholder);
        self.put_manifest(repository, tag, manifest::OCI_MANIFEST, &placeholder)
            .await?;
        let deleted = self.delete_manifest(repository, &digest).await;
        match deleted {
            Ok(Deleted::Yes) | Ok(Deleted::NotFound) => Ok(Untagged {
                placeholder: digest,
                placeholder_size: placeholder.len() as u64,
            }),
            other => {
                // Put the tag back where it was; then remove the placeholder if
                // the registry lets us (it holds no tag any more).
                let restored = self
                    .put_manifest(repository, tag, &current.media_type, &current.bytes)
                    .await;
                let _ = self.delete_manifest(repository, &digest).await;
                let what = match other {
                    Ok(Deleted::Disabled) => Error::new(
                        Kind::RegistryRefused,
                        format!("deletion is disabled on `{}` (HTTP 405)", self.name()),
                    )
                    .on_registry(self.name())
                    .into(),
                    Err(err) => err,
                    Ok(_) => unreachable!("handled above"),
                };
                match restored {
                    Ok(_) => Err(what.context(format!(
                        "cannot untag `{repository}:{tag}`; it still points at {}",
                        current.digest
                    ))),
                    Err(err) => Err(what.context(format!(
                        "cannot untag `{repository}:{tag}`, nor put it back on {} ({err:#}): it points at an empty placeholder {digest}",
                        current.digest
                    ))),
                }
            }
        }
    }
}
