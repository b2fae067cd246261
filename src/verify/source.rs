//! Where an image's signatures are read from: a registry (through
//! `registry/`, the only module that speaks HTTP) or an OCI layout (an `oci:`
//! folder or an `oci-archive:` tar, read in place by `layout/`).
//!
//! Both give the same things, bounded the same way: the referrers of a
//! subject (a layout's are the manifests `index.json` lists without a name
//! whose `subject` is it, as oras and aseecr write them, and those of a
//! fallback index), a manifest by digest, cosign's `sha256-<hex>.sig` tag (in
//! a layout the image named `REPO:sha256-<hex>.sig` beside the image), and
//! a signature blob of at most [`MAX_SIGNATURE_BLOB`](super::MAX_SIGNATURE_BLOB).

use anyhow::Result;
use futures_util::StreamExt;

use super::{Failure, MAX_SIGNATURE_BLOB, VerifyError};
use crate::error::{Error, Kind};
use crate::layout::{Layout, split_name};
use crate::registry::copy::Source as _;
use crate::registry::manifest::{Manifest, matches_digest};
use crate::registry::referrers::{Referrer, fallback_tag};
use crate::registry::{Reference, Registry};

/// Where the image and its signatures are.
#[derive(Clone, Copy)]
pub enum Source<'a> {
    /// A registry: `reference` names the image in `registry`.
    Registry {
        registry: &'a Registry,
        reference: &'a Reference,
    },
    /// An OCI layout: `reference` names the image in it as
    /// [`layout::reference`](crate::layout::reference) makes it (the
    /// layout as its "registry", the name's repository and tag).
    Layout {
        layout: &'a Layout,
        reference: &'a Reference,
        /// The repository (`host[:port]/path`) the trust policy's statement
        /// is picked for, as `notation verify --oci-layout --scope` takes
        /// it; `None`: only the global statement (`"*"`) applies.
        scope: Option<&'a str>,
    },
}

impl Source<'_> {
    /// The repository the trust policy's statement is picked for
    /// (`host[:port]/path`); `None` for a layout without a scope (only the
    /// statement with `"*"` applies then).
    pub fn policy_scope(&self) -> Option<String> {
        match self {
            Source::Registry { reference, .. } => Some(reference.repository_name()),
            Source::Layout { scope, .. } => scope.map(str::to_owned),
        }
    }

    fn reference(&self) -> &Reference {
        match self {
            Source::Registry { reference, .. } | Source::Layout { reference, .. } => reference,
        }
    }

    /// The referrers of `subject`.
    pub(super) async fn referrers(&self, subject: &str) -> Result<Vec<Referrer>> {
        match self {
            Source::Registry {
                registry,
                reference,
            } => Ok(registry
                .referrers(&reference.repository, subject)
                .await?
                .referrers),
            // Small local reads, as the layout's own manifests are read.
            Source::Layout { layout, .. } => Ok(layout.referrers(subject)),
        }
    }

    /// The manifest `digest` names, beside the image (checked against it).
    pub(super) async fn manifest(&self, digest: &str) -> Result<Manifest> {
        let reference = self.reference().with_digest(digest);
        match self {
            Source::Registry { registry, .. } => registry.manifest(&reference).await,
            Source::Layout { layout, .. } => layout.manifest(&reference).await,
        }
    }

    /// cosign's `sha256-<hex>.sig` tag of `subject`, when there is one.
    pub(super) async fn cosign_tag(&self, subject: &str) -> Result<Option<Manifest>> {
        let tag = format!("{}.sig", fallback_tag(subject));
        let reference = self.reference().with_tag(&tag);
        let found = match self {
            Source::Registry { registry, .. } => registry.manifest(&reference).await,
            Source::Layout { layout, .. } => {
                // Named beside the image (`REPO:sha256-<hex>.sig`); for an
                // image named by digest, under whichever repository has it.
                let name = layout
                    .names()
                    .into_iter()
                    .map(|name| split_name(&name))
                    .filter(|(_, named)| *named == tag)
                    .min_by_key(|(repository, _)| *repository != reference.repository);
                match name {
                    Some((repository, _)) => {
                        let reference = Reference {
                            repository,
                            ..reference.clone()
                        };
                        layout.manifest(&reference).await
                    }
                    None => return Ok(None),
                }
            }
        };
        match found {
            Ok(found) => Ok(Some(found)),
            Err(err) if crate::error::find(&err).is_some_and(|e| e.kind.is_not_found()) => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// A signature blob: at most [`MAX_SIGNATURE_BLOB`] as its descriptor
    /// says (over it: a signature that does not verify), its bytes checked
    /// against its digest (a mismatch: an integrity error, as for any blob).
    pub(super) async fn blob(
        &self,
        digest: &str,
        size: u64,
    ) -> Result<Result<Vec<u8>, VerifyError>> {
        if size > MAX_SIGNATURE_BLOB {
            return Ok(Err(VerifyError::new(
                Failure::Malformed,
                format!(
                    "the signature blob {digest} is {size} bytes, over aseecr's limit of {MAX_SIGNATURE_BLOB}"
                ),
            )));
        }
        match self {
            Source::Registry {
                registry,
                reference,
            } => Ok(Ok(registry
                .blob_bytes(&reference.repository, digest)
                .await?
                .to_vec())),
            Source::Layout {
                layout, reference, ..
            } => {
                let mut stream = layout.blob(&reference.repository, digest, 0).await?;
                let mut bytes = Vec::new();
                while let Some(chunk) = stream.next().await {
                    bytes.extend_from_slice(&chunk?);
                    if bytes.len() as u64 > size {
                        break;
                    }
                }
                if bytes.len() as u64 != size || !matches_digest(digest, &bytes) {
                    return Err(Error::new(
                        Kind::Integrity,
                        format!(
                            "signature blob {digest} in `{}` does not match its digest or size: the layout is damaged",
                            layout.name()
                        ),
                    )
                    .help("write the layout again from the registry (`aseecr mirror REF oci:DIR`), then verify again")
                    .into());
                }
                Ok(Ok(bytes))
            }
        }
    }
}
