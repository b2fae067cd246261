//! What a moved tag leaves behind. Distribution cannot list manifests that no
//! tag points at, so when `mirror` moves a tag to a new digest, the image it
//! replaced is sized here from its manifests (reads happen only then), and
//! before it is pruned [`Registry::reachable`] says which manifests the
//! repository's tags still reach, so that nothing a tag uses is ever deleted.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use futures_util::stream::{self, StreamExt, TryStreamExt};

use super::client::Registry;
use super::limits;
use super::manifest::Manifest;
use crate::error::{Error, Kind};

/// Manifest requests in flight at once.
const CONCURRENCY: usize = 8;

/// An image as the registry stores it, read from its manifests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredImage {
    /// Its manifests, each once: the top one first, then an index's entries,
    /// level by level (parents before their children).
    pub manifests: Vec<String>,
    /// Every blob the registry stores for it, with its size: each manifest
    /// (a manifest is stored as a blob too), each config and each layer, once.
    /// Foreign (non-distributable) layers are left out, as the registry does not
    /// hold them.
    pub blobs: BTreeMap<String, u64>,
}

impl StoredImage {
    /// The bytes the registry stores for the image, each blob counted once
    /// (blobs it shares with other images included).
    pub fn size(&self) -> u64 {
        self.blobs.values().sum()
    }
}

/// The references in a manifest of any kind (image, index, artifact), read
/// without caring for its media type: what may not be deleted while it stays.
#[derive(Debug, Default, serde::Deserialize)]
struct Links {
    config: Option<Link>,
    #[serde(default)]
    layers: Vec<Link>,
    /// The blobs of an OCI artifact manifest.
    #[serde(default)]
    blobs: Vec<Link>,
    /// An index's entries.
    #[serde(default)]
    manifests: Vec<Link>,
    subject: Option<Link>,
}

#[derive(Debug, serde::Deserialize)]
struct Link {
    digest: String,
    #[serde(default)]
    size: i64,
    #[serde(default, rename = "mediaType")]
    media_type: String,
}

impl Links {
    fn of(registry: &Registry, manifest: &Manifest) -> Result<Links> {
        let links: Links = serde_json::from_slice(&manifest.bytes).map_err(|err| {
            Error::new(
                Kind::Failed,
                format!("manifest {} is not valid JSON: {err}", manifest.digest),
            )
            .on_registry(registry.name())
        })?;
        if links.manifests.len() > limits::MAX_MANIFESTS {
            return Err(Error::new(
                Kind::RegistryRefused,
                format!(
                    "index {} has {} entries, more than the {} aseecr reads",
                    manifest.digest,
                    links.manifests.len(),
                    limits::MAX_MANIFESTS
                ),
            )
            .on_registry(registry.name())
            .into());
        }
        Ok(links)
    }

    /// An index's entries, each once, in order.
    fn children(&self) -> Vec<String> {
        let mut seen = BTreeSet::new();
        self.manifests
            .iter()
            .filter(|entry| seen.insert(entry.digest.as_str()))
            .map(|entry| entry.digest.clone())
            .collect()
    }
}

impl Registry {
    /// The image `top` (a manifest of `repository`, as read) as the registry
    /// stores it: an index's entries are read by digest, level by level, each
    /// distinct digest once, at most [`limits::MAX_INDEX_DEPTH`] levels and
    /// [`limits::MAX_MANIFESTS`] manifests. An image costs no request.
    pub async fn stored_image(&self, repository: &str, top: &Manifest) -> Result<StoredImage> {
        let base = self.repository_reference(repository);
        let mut image = StoredImage::default();
        let mut level = vec![top.clone()];
        for depth in 0.. {
            let mut next: Vec<String> = Vec::new();
            for manifest in &level {
                image.manifests.push(manifest.digest.clone());
                image
                    .blobs
                    .insert(manifest.digest.clone(), manifest.bytes.len() as u64);
                let links = Links::of(self, manifest)?;
                for blob in links
                    .config
                    .iter()
                    .chain(&links.layers)
                    .chain(&links.blobs)
                    .filter(|b| !super::copy::is_foreign_media_type(&b.media_type))
                {
                    image
                        .blobs
                        .insert(blob.digest.clone(), blob.size.max(0) as u64);
                }
                for child in links.children() {
                    if !image.manifests.contains(&child) && !next.contains(&child) {
                        next.push(child);
                    }
                }
            }
            next.retain(|digest| !image.manifests.contains(digest));
            if next.is_empty() {
                break;
            }
            if depth + 1 >= limits::MAX_INDEX_DEPTH
                || image.manifests.len() + next.len() > limits::MAX_MANIFESTS
            {
                return Err(Error::new(
                    Kind::RegistryRefused,
                    format!(
                        "`{}/{repository}@{}` is nested more than {} levels deep or has more than {} manifests",
                        self.name(),
                        top.digest,
                        limits::MAX_INDEX_DEPTH,
                        limits::MAX_MANIFESTS
                    ),
                )
                .on_registry(self.name())
                .into());
            }
            for digest in &next {
                self.listed_digest(digest)?;
            }
            level = stream::iter(next)
                .map(|digest| {
                    let reference = base.with_digest(&digest);
                    async move { self.manifest(&reference).await }
                })
                .buffered(CONCURRENCY)
                .try_collect()
                .await?;
        }
        Ok(image)
    }

    /// Every manifest digest the tags of `repository` reach, with the tags that
    /// reach it: each tagged manifest, an index's entries at any depth, and the
    /// `subject` a manifest refers to (and what that reaches). One request for
    /// the tag list (per page), one per tag, one per other manifest reached.
    /// Manifests are read whatever their media type. A tag or index entry that
    /// is gone by the time it is read reaches nothing. Bounded by
    /// [`limits::MAX_INDEX_DEPTH`] levels and
    /// [`limits::MAX_REPOSITORY_MANIFESTS`] manifests.
    pub async fn reachable(&self, repository: &str) -> Result<BTreeMap<String, BTreeSet<String>>> {
        // The tagged manifests are the first of the MAX_INDEX_DEPTH levels.
        let walked = self
            .walk_tags(repository, &[], limits::MAX_INDEX_DEPTH - 1, |manifest| {
                let links = Links::of(self, manifest)?;
                let mut refers = links.children();
                refers.extend(links.subject.map(|s| s.digest));
                Ok(((), refers))
            })
            .await?;
        if walked.exceeded.is_some() {
            return Err(Error::new(
                Kind::RegistryRefused,
                format!(
                    "the tags of `{}/{repository}` reach manifests nested more than {} levels deep or more than {} manifests, more than aseecr reads",
                    self.name(),
                    limits::MAX_INDEX_DEPTH,
                    limits::MAX_REPOSITORY_MANIFESTS
                ),
            )
            .on_registry(self.name())
            .into());
        }
        let mut reached: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (tag, root) in walked.tags {
            let mut todo = vec![root];
            let mut seen = BTreeSet::new();
            while let Some(digest) = todo.pop() {
                if !seen.insert(digest.clone()) {
                    continue;
                }
                // A digest that is gone reaches nothing, but it is still named.
                if let Some(read) = walked.manifests.get(&digest) {
                    todo.extend(read.refers.iter().cloned());
                }
                reached.entry(digest).or_default().insert(tag.clone());
            }
        }
        Ok(reached)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_read_from_any_kind_of_manifest() {
        let index = br#"{"schemaVersion":2,"manifests":[{"digest":"sha256:aa","size":5},{"digest":"sha256:bb","size":6},{"digest":"sha256:aa","size":5}]}"#;
        let links: Links = serde_json::from_slice(index).unwrap();
        assert_eq!(links.children(), ["sha256:aa", "sha256:bb"]);
        let artifact = br#"{"mediaType":"application/vnd.oci.artifact.manifest.v1+json","blobs":[{"digest":"sha256:cc","size":3}],"subject":{"digest":"sha256:dd","size":9}}"#;
        let links: Links = serde_json::from_slice(artifact).unwrap();
        assert_eq!(links.blobs[0].digest, "sha256:cc");
        assert_eq!(links.subject.unwrap().digest, "sha256:dd");
    }

    #[test]
    fn a_stored_image_counts_each_blob_once() {
        let image = StoredImage {
            manifests: vec!["sha256:m".into()],
            blobs: [("sha256:m".to_owned(), 10), ("sha256:c".to_owned(), 5)]
                .into_iter()
                .collect(),
        };
        assert_eq!(image.size(), 15);
    }
}
