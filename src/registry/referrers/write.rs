//! Keeping a subject's fallback index on a registry without the referrers API:
//! one read-merge-write under the subject's lock, read back to confirm, and
//! the index it replaced deleted (distribution never frees an untagged
//! manifest by itself). Never an empty index written, never one deleted that
//! did not pass the checks or that lists nothing (its bytes may be shared
//! between subjects, and a DELETE by digest removes every tag on them).

use anyhow::{Context, Result};
use serde_json::Value;

use super::read::Fallback;
use super::{IndexChange, Referrer, fallback_tag, index, lock};
use crate::error::{Error, Kind};
use crate::registry::api::Deleted;
use crate::registry::client::Registry;
use crate::registry::limits;
use crate::registry::manifest::{self, Descriptor, OCI_INDEX};
use crate::registry::probe::deletion_disabled;

impl Registry {
    /// Make `subject`'s referrers on this registry include `entries`, whose
    /// manifests must already be in `repository` (distribution refuses an
    /// index listing a manifest it lacks). With the referrers API the registry
    /// keeps its own lists ([`IndexChange::ApiIndexes`]). Else the fallback
    /// index is read, the missing entries appended (entries there stay as they
    /// are; one lacking artifactType or annotations is repaired), written, read
    /// back, and the index it replaced deleted. One writer per subject at a
    /// time, in this process and (with a lock folder) across aseecr runs.
    pub async fn add_referrers(
        &self,
        repository: &str,
        subject: &Descriptor,
        entries: &[Referrer],
    ) -> Result<IndexChange> {
        if entries.is_empty() {
            return Ok(IndexChange::Unchanged);
        }
        for entry in entries {
            self.listed_digest(&entry.digest)?;
        }
        let subject = &subject.digest;
        if self.has_referrers_api(repository, subject).await? {
            return Ok(IndexChange::ApiIndexes);
        }
        let _held = lock::take(self.lock_dir(), self.name(), repository, subject).await?;
        for _ in 0..limits::MAX_INDEX_WRITES {
            let (old, existing) = match self.fallback_index(repository, subject).await? {
                Fallback::Missing => (None, Vec::new()),
                Fallback::Valid { digest, entries } => (Some(digest), entries),
                Fallback::Invalid { digest, why } => {
                    return Err(self.foreign_tag(repository, subject, &digest, &why));
                }
            };
            let Some(merged) = index::merge(&existing, entries) else {
                return Ok(IndexChange::Unchanged);
            };
            let ours = self.write_index(repository, subject, &merged).await?;
            match self.fallback_index(repository, subject).await? {
                Fallback::Valid { digest, .. } if digest == ours => {
                    let replaced = match old {
                        Some(old) if old != ours && !existing.is_empty() => {
                            self.drop_replaced(repository, &old).await
                        }
                        _ => None,
                    };
                    return Ok(IndexChange::Written { replaced });
                }
                // Another writer's index that lists ours too: done.
                Fallback::Valid { entries: now, .. } if index::lists_all(&now, entries) => {
                    return Ok(IndexChange::Written { replaced: None });
                }
                _ => continue,
            }
        }
        Err(self.kept_changing(repository, subject))
    }

    /// Take `digests` off `subject`'s fallback index (for cleanup, before or
    /// after deleting those manifests). When no entry is left, the index is
    /// deleted by digest, which takes its tag with it ([`IndexChange::Removed`]):
    /// an empty index is never written. A missing tag, or one holding
    /// something else, is left alone ([`IndexChange::Unchanged`]).
    pub async fn remove_referrers(
        &self,
        repository: &str,
        subject: &str,
        digests: &[String],
    ) -> Result<IndexChange> {
        self.listed_digest(subject)?;
        if digests.is_empty() {
            return Ok(IndexChange::Unchanged);
        }
        if self.has_referrers_api(repository, subject).await? {
            return Ok(IndexChange::ApiIndexes);
        }
        let _held = lock::take(self.lock_dir(), self.name(), repository, subject).await?;
        for _ in 0..limits::MAX_INDEX_WRITES {
            let Fallback::Valid {
                digest: old,
                entries,
            } = self.fallback_index(repository, subject).await?
            else {
                return Ok(IndexChange::Unchanged);
            };
            let Some(kept) = index::without(&entries, digests) else {
                return Ok(IndexChange::Unchanged);
            };
            if kept.is_empty() {
                // `entries` listed one of `digests`, so it was not empty.
                return match self.delete_manifest(repository, &old).await? {
                    Deleted::Yes | Deleted::NotFound => Ok(IndexChange::Removed),
                    Deleted::Disabled => Err(deletion_disabled(
                        self.name(),
                        Some(&format!(
                            "the fallback index `{}` still lists the deleted referrers",
                            fallback_tag(subject)
                        )),
                    )
                    .into()),
                };
            }
            let ours = self.write_index(repository, subject, &kept).await?;
            match self.fallback_index(repository, subject).await? {
                Fallback::Valid { digest, .. } if digest == ours => {
                    let replaced = match old != ours {
                        true => self.drop_replaced(repository, &old).await,
                        false => None,
                    };
                    return Ok(IndexChange::Written { replaced });
                }
                _ => continue,
            }
        }
        Err(self.kept_changing(repository, subject))
    }

    /// PUT a fallback index of `entries` at `subject`'s tag; its digest.
    async fn write_index(
        &self,
        repository: &str,
        subject: &str,
        entries: &[Value],
    ) -> Result<String> {
        let bytes = index::index_bytes(entries);
        let tag = fallback_tag(subject);
        self.put_manifest(repository, &tag, OCI_INDEX, &bytes)
            .await
            .with_context(|| {
                format!(
                    "cannot write the fallback index `{repository}:{tag}` (its entries' manifests must be in `{repository}` first)"
                )
            })?;
        Ok(manifest::sha256_digest(&bytes))
    }

    /// Delete the index a write replaced; its digest when it stays on the
    /// registry (deletion disabled, or the delete failed) for the caller to
    /// record.
    async fn drop_replaced(&self, repository: &str, old: &str) -> Option<String> {
        match self.delete_manifest(repository, old).await {
            Ok(Deleted::Yes | Deleted::NotFound) => None,
            Ok(Deleted::Disabled) => Some(old.to_owned()),
            Err(err) => {
                tracing::debug!("the replaced fallback index {old} stays: {err:#}");
                Some(old.to_owned())
            }
        }
    }

    fn foreign_tag(
        &self,
        repository: &str,
        subject: &str,
        digest: &str,
        why: &str,
    ) -> anyhow::Error {
        let tag = fallback_tag(subject);
        Error::new(
            Kind::RegistryRefused,
            format!(
                "`{}/{repository}:{tag}` holds {why} ({digest}): aseecr does not write the referrers of {subject} over it",
                self.name()
            ),
        )
        .on_registry(self.name())
        .help(format!(
            "the tag `{tag}` belongs to the referrers of {subject} (distribution spec): move what it holds to another tag, then run again"
        ))
        .into()
    }

    fn kept_changing(&self, repository: &str, subject: &str) -> anyhow::Error {
        Error::new(
            Kind::Failed,
            format!(
                "the fallback index `{}/{repository}:{}` changed under each of {} writes",
                self.name(),
                fallback_tag(subject),
                limits::MAX_INDEX_WRITES
            ),
        )
        .on_registry(self.name())
        .help("another tool or machine is writing it at the same time: run again when it is done")
        .into()
    }
}
