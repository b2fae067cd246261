//! The walk over a repository's manifests that its inventory and the prune
//! guard share: every tag resolved once, then what each manifest refers to,
//! level by level, each distinct digest read once and checked before it goes
//! into a URL, bounded in depth and in count. The caller says what a manifest
//! refers to (an index's entries; a `subject` too) and what else to read.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use futures_util::stream::{self, StreamExt, TryStreamExt};

use super::client::Registry;
use super::limits;
use super::manifest::Manifest;
use super::reference::Reference;

/// Manifest requests in flight at once.
const CONCURRENCY: usize = 8;

/// A manifest read by a walk, with what the caller made of it.
pub(super) struct Read<T> {
    pub manifest: Manifest,
    /// The caller's reading of it (its parsed content, say).
    pub reading: T,
    /// The digests it refers to, which the walk read too.
    pub refers: Vec<String>,
}

/// Where a walk stopped before it read everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Exceeded {
    /// Manifests lie deeper than the rounds allowed; they were not read.
    Depth,
    /// The walk would read more than [`limits::MAX_REPOSITORY_MANIFESTS`].
    Count,
}

/// What a walk read.
pub(super) struct Walked<T> {
    /// Each tag and the digest it resolves to, in the registry's order (tags
    /// deleted since the listing left out).
    pub tags: Vec<(String, String)>,
    /// Every manifest read, by digest.
    pub manifests: BTreeMap<String, Read<T>>,
    /// Digests referred to (or asked for) that the registry no longer has.
    pub gone: BTreeSet<String>,
    /// Set when the walk stopped early; what it read until then is kept.
    pub exceeded: Option<Exceeded>,
}

impl Registry {
    /// Walk `repository` from its tags (and `extra`, read in the first round
    /// below them): at most `rounds` rounds of reads below the tags, each
    /// manifest read once and given to `read`, which returns the caller's
    /// reading of it and the digests it refers to.
    pub(super) async fn walk_tags<T, F>(
        &self,
        repository: &str,
        extra: &[String],
        rounds: usize,
        read: F,
    ) -> Result<Walked<T>>
    where
        F: Fn(&Manifest) -> Result<(T, Vec<String>)>,
    {
        let base = self.repository_reference(repository);
        let mut walked = Walked {
            tags: Vec::new(),
            manifests: BTreeMap::new(),
            gone: BTreeSet::new(),
            exceeded: None,
        };
        let mut level = Vec::new();
        let mut distinct = BTreeSet::new();
        for (tag, manifest) in self.resolve_tags(&base).await? {
            walked.tags.push((tag, manifest.digest.clone()));
            if distinct.insert(manifest.digest.clone()) {
                level.push(manifest);
            }
        }
        for round in 0.. {
            let mut next: BTreeSet<String> = BTreeSet::new();
            for manifest in level {
                let (reading, refers) = read(&manifest)?;
                next.extend(refers.iter().cloned());
                let read = Read {
                    manifest,
                    reading,
                    refers,
                };
                walked.manifests.insert(read.manifest.digest.clone(), read);
            }
            if round == 0 {
                next.extend(extra.iter().cloned());
            }
            next.retain(|d| !walked.manifests.contains_key(d) && !walked.gone.contains(d));
            if next.is_empty() {
                break;
            }
            if round >= rounds {
                walked.exceeded = Some(Exceeded::Depth);
                break;
            }
            let known = walked.manifests.len() + walked.gone.len();
            if known + next.len() > limits::MAX_REPOSITORY_MANIFESTS {
                walked.exceeded = Some(Exceeded::Count);
                break;
            }
            level = Vec::new();
            for (digest, manifest) in self.read_digests(&base, next).await? {
                match manifest {
                    Some(manifest) => level.push(manifest),
                    None => {
                        walked.gone.insert(digest);
                    }
                }
            }
        }
        Ok(walked)
    }

    /// Every tag of the repository and the manifest it points at; a tag
    /// deleted since the listing is left out.
    async fn resolve_tags(&self, base: &Reference) -> Result<Vec<(String, Manifest)>> {
        let tags = self.tags(&base.repository).await?;
        let tagged: Vec<Option<(String, Manifest)>> = stream::iter(tags)
            .map(|tag| {
                let reference = base.with_tag(&tag);
                async move {
                    let manifest = self.manifest_if_present(&reference).await?;
                    anyhow::Ok(manifest.map(|m| (tag, m)))
                }
            })
            .buffered(CONCURRENCY)
            .try_collect()
            .await?;
        Ok(tagged.into_iter().flatten().collect())
    }

    /// The manifests `digests` name, each checked before it goes into a URL;
    /// `None` for one the registry no longer has (a broken index, a recorded
    /// digest since deleted).
    async fn read_digests(
        &self,
        base: &Reference,
        digests: BTreeSet<String>,
    ) -> Result<Vec<(String, Option<Manifest>)>> {
        for digest in &digests {
            self.listed_digest(digest)?;
        }
        stream::iter(digests)
            .map(|digest| {
                let reference = base.with_digest(&digest);
                async move {
                    let manifest = self.manifest_if_present(&reference).await?;
                    anyhow::Ok((digest, manifest))
                }
            })
            .buffered(CONCURRENCY)
            .try_collect()
            .await
    }

    /// A manifest, or `None` when the registry says it does not exist.
    pub(super) async fn manifest_if_present(
        &self,
        reference: &Reference,
    ) -> Result<Option<Manifest>> {
        match self.manifest(reference).await {
            Ok(manifest) => Ok(Some(manifest)),
            Err(err) if crate::error::find(&err).is_some_and(|e| e.kind.is_not_found()) => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// `repository` of this registry, with neither tag nor digest.
    pub(super) fn repository_reference(&self, repository: &str) -> Reference {
        Reference {
            registry: self.name().to_owned(),
            repository: repository.to_owned(),
            tag: None,
            digest: None,
        }
    }
}
