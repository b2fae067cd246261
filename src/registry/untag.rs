//! Removing one tag and nothing else. Distribution has no tag delete: deleting a
//! manifest by digest removes every tag on it. So the tag is first pointed at a
//! tiny placeholder manifest of its own (unique, so no other tag can share it),
//! and that manifest is deleted by digest: two requests.
//!
//! The placeholder's config is a blob the repository already holds and keeps
//! (the config of the image being untagged), so nothing is uploaded and the
//! next garbage collection frees exactly the placeholder's own bytes. Only when
//! no such config is known is the 2-byte empty config `{}` uploaded instead.

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Result;
use bytes::Bytes;

use super::api::Deleted;
use super::blob::Upload;
use super::client::Registry;
use super::manifest::{self, Content, Manifest};
use super::reference::Reference;
use crate::error::{Error, Kind};

/// The empty JSON object `{}`: OCI's empty descriptor.
const EMPTY_CONFIG: &[u8] = b"{}";
const EMPTY_MEDIA_TYPE: &str = "application/vnd.oci.empty.v1+json";
/// What the placeholder says it is for.
const UNTAG_ANNOTATION: &str = "dev.aseecr.untagged";

/// A config blob the repository holds, for the placeholder to reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub digest: String,
    pub size: u64,
    pub media_type: String,
}

impl Anchor {
    /// The empty config, uploaded when no other config is known.
    fn empty() -> Anchor {
        Anchor {
            digest: empty_config_digest(),
            size: EMPTY_CONFIG.len() as u64,
            media_type: EMPTY_MEDIA_TYPE.to_owned(),
        }
    }

    /// Whether this is the empty config (which may need uploading, and which
    /// the next garbage collection frees when nothing else uses it).
    pub fn is_empty_config(&self) -> bool {
        self.digest == empty_config_digest()
    }
}

/// What untagging one tag left on the registry for its next garbage collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untagged {
    /// The placeholder that carried the tag, now deleted.
    pub placeholder: String,
    /// Its size in bytes (its blob is freed by the next garbage collection).
    pub placeholder_size: u64,
    /// The empty config was uploaded for it.
    pub used_empty_config: bool,
}

/// The empty config's digest.
pub fn empty_config_digest() -> String {
    manifest::sha256_digest(EMPTY_CONFIG)
}

/// The placeholder that takes `tag` off `old_digest`: an OCI manifest with the
/// `anchor` config (the empty config when `None`), no layers, and annotations
/// that say what it is for and make it unique.
pub fn placeholder(
    repository: &str,
    tag: &str,
    old_digest: &str,
    anchor: Option<&Anchor>,
) -> Bytes {
    let nonce = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let empty = Anchor::empty();
    let anchor = anchor.unwrap_or(&empty);
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": manifest::OCI_MANIFEST,
        "config": {"mediaType": anchor.media_type, "digest": anchor.digest, "size": anchor.size},
        "layers": [],
        "annotations": {
            UNTAG_ANNOTATION: format!("{repository}:{tag} was {old_digest}"),
            "dev.aseecr.nonce": format!("{nonce:020}"),
        },
    });
    Bytes::from(serde_json::to_vec(&manifest).unwrap_or_default())
}

/// The error for tags the registry still lists after their placeholders were
/// deleted (it answered the deletes, the tags stayed).
pub fn still_listed(registry: &str, repository: &str, tags: &[&str]) -> Error {
    let tags: Vec<String> = tags.iter().map(|t| format!("`{t}`")).collect();
    Error::new(
        Kind::NotDeleted,
        format!(
            "`{registry}/{repository}` still lists {} after the placeholder{} holding {} was deleted",
            tags.join(", "),
            if tags.len() == 1 { "" } else { "s" },
            if tags.len() == 1 { "it" } else { "them" },
        ),
    )
    .on_registry(registry)
    .help("the registry did not remove the tag with its manifest: check its log, and any proxy or cache in front of it")
}

impl Registry {
    /// The config an image's placeholder can reference: the image's own, or for
    /// an index the config of its first image (one more request).
    pub async fn anchor_for(&self, repository: &str, manifest: &Manifest) -> Option<Anchor> {
        let image = match manifest.content().ok()? {
            Content::Image(image) => image,
            Content::Index(index) => {
                let first = index.manifests.first()?;
                let reference = Reference {
                    registry: self.name().to_owned(),
                    repository: repository.to_owned(),
                    tag: None,
                    digest: Some(first.digest.clone()),
                };
                match self.manifest(&reference).await.ok()?.content().ok()? {
                    Content::Image(image) => image,
                    Content::Index(_) => return None,
                }
            }
        };
        let config = &image.config;
        Some(Anchor {
            digest: config.digest.clone(),
            size: u64::try_from(config.size).ok()?,
            media_type: config.media_type.clone(),
        })
    }

    /// Remove `tag` from `repository`, where it points at `current` (a digest, as
    /// read just before). Every other tag, and `current` itself, stay. `anchor`:
    /// a config blob the repository keeps (see [`Registry::anchor_for`]). If the
    /// placeholder cannot be deleted, the tag is put back on `current`.
    pub async fn untag(
        &self,
        repository: &str,
        tag: &str,
        current: &str,
        anchor: Option<&Anchor>,
    ) -> Result<Untagged> {
        let empty = Anchor::empty();
        let anchor = anchor.unwrap_or(&empty);
        if anchor.is_empty_config() {
            // Mounting from the repository itself: one request when it is there.
            let digest = &anchor.digest;
            if let Upload::Session(session) = self
                .start_upload(repository, digest, Some(repository))
                .await?
            {
                let result = self
                    .put_upload(
                        repository,
                        &session,
                        digest,
                        Bytes::from_static(EMPTY_CONFIG),
                    )
                    .await;
                if result.is_err() {
                    self.cancel_upload(repository, &session).await;
                }
                result?;
            }
        }
        let placeholder = placeholder(repository, tag, current, Some(anchor));
        let digest = manifest::sha256_digest(&placeholder);
        self.put_manifest(repository, tag, manifest::OCI_MANIFEST, &placeholder)
            .await?;
        let failure: anyhow::Error = match self.delete_manifest(repository, &digest).await {
            Ok(Deleted::Yes) | Ok(Deleted::NotFound) => {
                return Ok(Untagged {
                    placeholder: digest,
                    placeholder_size: placeholder.len() as u64,
                    used_empty_config: anchor.is_empty_config(),
                });
            }
            Ok(Deleted::Disabled) => Error::new(
                Kind::RegistryRefused,
                format!("deletion is disabled on `{}` (HTTP 405)", self.name()),
            )
            .on_registry(self.name())
            .into(),
            Err(err) => err,
        };
        // Put the tag back where it was, then remove the placeholder if the
        // registry lets us (it holds no tag any more; while it still holds the
        // tag, deleting it would take the tag too).
        let reference = Reference {
            registry: self.name().to_owned(),
            repository: repository.to_owned(),
            tag: None,
            digest: Some(current.to_owned()),
        };
        let restored = match self.manifest(&reference).await {
            Ok(original) => self
                .put_manifest(repository, tag, &original.media_type, &original.bytes)
                .await
                .map(|_| ()),
            Err(err) => Err(err),
        };
        match restored {
            Ok(()) => {
                let left = match self.delete_manifest(repository, &digest).await {
                    Ok(Deleted::Yes | Deleted::NotFound) => String::new(),
                    Ok(Deleted::Disabled) | Err(_) => {
                        format!(" (the placeholder {digest} stays, untagged)")
                    }
                };
                Err(failure.context(format!(
                    "cannot untag `{repository}:{tag}`; it still points at {current}{left}"
                )))
            }
            Err(err) => Err(failure.context(format!(
                "cannot untag `{repository}:{tag}`, nor put it back on {current} ({err:#}): it points at the placeholder {digest}"
            ))),
        }
    }
}
