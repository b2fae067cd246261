//! What a repository holds, read once: each tag resolved with one manifest GET,
//! each distinct manifest parsed once, each image config read once (for its
//! creation time and platform), and every blob each manifest references (for
//! sizes, sharing, and what garbage collection frees). `tags --long`, `prune`,
//! `untag` and `usage` all stand on this one walk, so requests grow linearly
//! with tags and distinct digests.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use futures_util::stream::{self, StreamExt, TryStreamExt};

use oci_client::manifest::{OciImageIndex, OciImageManifest};

use super::client::Registry;
use super::limits;
use super::manifest::{self, Content, Manifest};
use super::untag::Anchor;
use super::walk::{Exceeded, Walked};
use crate::error::{Error, Kind};

/// Config reads in flight at once.
const CONCURRENCY: usize = 8;

/// The annotation OCI defines for an image's creation time.
pub const CREATED_ANNOTATION: &str = "org.opencontainers.image.created";

/// Where a manifest's creation time came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreatedFrom {
    /// The image config's `created` field.
    Config,
    /// The manifest's `org.opencontainers.image.created` annotation.
    Annotation,
    /// An index without the annotation: the newest of its images.
    NewestPlatform,
}

impl CreatedFrom {
    pub fn name(self) -> &'static str {
        match self {
            CreatedFrom::Config => "config",
            CreatedFrom::Annotation => "annotation",
            CreatedFrom::NewestPlatform => "newest-platform",
        }
    }
}

/// One manifest (image or index) of a repository.
#[derive(Debug, Clone)]
pub struct ManifestInfo {
    pub digest: String,
    pub media_type: String,
    /// The manifest's own bytes (stored as a blob too).
    pub size: u64,
    pub is_index: bool,
    /// An index's entries.
    pub children: Vec<String>,
    /// The manifest an artifact refers to (`subject`), if any.
    pub subject: Option<String>,
    /// An artifact's type: its `artifactType`, else (for a manifest whose
    /// config is not an image config) the config's media type.
    pub artifact_type: Option<String>,
    /// Config and layers of an image: digest and size.
    pub blobs: Vec<(String, u64)>,
    /// `os/arch[/variant]`: an image's own, an index's entries'.
    pub platforms: Vec<String>,
    /// Creation time as written (RFC 3339) and where it came from.
    pub created: Option<(String, CreatedFrom)>,
    /// An image's config descriptor.
    pub config: Option<Anchor>,
}

/// A repository's tags and every manifest they reach.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub repository: String,
    /// Tag and digest, in the registry's order.
    pub tags: Vec<(String, String)>,
    pub manifests: BTreeMap<String, ManifestInfo>,
}

impl Inventory {
    /// The digests an image is made of: the manifest, and an index's entries,
    /// recursively (bounded by the walk that built the inventory).
    pub fn closure(&self, digest: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![digest.to_owned()];
        while let Some(next) = todo.pop() {
            if !seen.insert(next.clone()) {
                continue;
            }
            if let Some(info) = self.manifests.get(&next) {
                todo.extend(info.children.iter().cloned());
            }
        }
        seen
    }

    /// Every blob an image is stored as, with its size: its manifests (each
    /// stored as a blob) and their configs and layers, each counted once.
    pub fn blobs_of(&self, digest: &str) -> BTreeMap<String, u64> {
        let mut blobs = BTreeMap::new();
        for manifest in self.closure(digest) {
            if let Some(info) = self.manifests.get(&manifest) {
                blobs.insert(info.digest.clone(), info.size);
                for (blob, size) in &info.blobs {
                    blobs.insert(blob.clone(), *size);
                }
            }
        }
        blobs
    }

    /// A config blob the repository keeps while `digest` stays: the image's own,
    /// or the first of an index's images'. For untagging without an upload.
    pub fn anchor(&self, digest: &str) -> Option<Anchor> {
        let info = self.manifests.get(digest)?;
        info.config.clone().or_else(|| {
            info.children
                .iter()
                .find_map(|child| self.manifests.get(child)?.config.clone())
        })
    }

    /// The bytes an image takes, each blob counted once.
    pub fn size_of(&self, digest: &str) -> u64 {
        self.blobs_of(digest).values().sum()
    }
}

/// The fields of an image config that matter here.
#[derive(serde::Deserialize)]
struct Config {
    created: Option<String>,
    os: Option<String>,
    architecture: Option<String>,
    variant: Option<String>,
}

/// Which blobs besides manifests an inventory reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reads {
    /// Manifests and image configs (creation times and platforms).
    Configs,
    /// Manifests only: sizes and sharing need nothing else.
    ManifestsOnly,
}

impl Registry {
    /// Read a repository: list its tags, resolve each once, read each distinct
    /// manifest reached (index entries too) once, and each image config once.
    pub async fn inventory(&self, repository: &str) -> Result<Inventory> {
        self.read_inventory(repository, &[], Reads::Configs).await
    }

    /// [`Registry::inventory`], and also the manifests `extra` names (untagged
    /// ones aseecr recorded), with what they reach; those that are gone are left
    /// out. They are in `manifests`, not in `tags`.
    pub async fn inventory_with(&self, repository: &str, extra: &[String]) -> Result<Inventory> {
        self.read_inventory(repository, extra, Reads::Configs).await
    }

    /// [`Registry::inventory`] without the config reads: every size, blob and
    /// tag, but an image's creation time only from its annotation and no
    /// platform of its own (an index's entries still name theirs). One request
    /// per tag and per untagged index entry, for `usage`.
    pub async fn inventory_sizes(&self, repository: &str) -> Result<Inventory> {
        self.read_inventory(repository, &[], Reads::ManifestsOnly)
            .await
    }

    /// The inventory's steps: walk the repository from its tags, read the
    /// image configs (with [`Reads::Configs`]), describe each manifest, then
    /// date the indexes that carry no time of their own.
    async fn read_inventory(
        &self,
        repository: &str,
        extra: &[String],
        reads: Reads,
    ) -> Result<Inventory> {
        let walked = self.walk_repository(repository, extra).await?;
        let configs = match reads {
            Reads::Configs => self.read_configs(repository, &walked).await?,
            Reads::ManifestsOnly => BTreeMap::new(),
        };
        let mut inventory = Inventory {
            repository: repository.to_owned(),
            tags: walked.tags,
            manifests: BTreeMap::new(),
        };
        for (digest, read) in walked.manifests {
            let info = match &read.reading {
                Some(Content::Image(image)) => {
                    image_info(&read.manifest, image, configs.get(&digest))
                }
                Some(Content::Index(index)) => index_info(&read.manifest, index),
                // A manifest aseecr does not parse (schema 1, another type) is
                // kept as it is: a digest and a size, nothing below it.
                None => opaque_info(&read.manifest),
            };
            inventory.manifests.insert(digest, info);
        }
        date_indexes(&mut inventory);
        Ok(inventory)
    }

    /// Every manifest the tags (and `extra`) reach through index entries, each
    /// parsed once; [`limits::MAX_INDEX_DEPTH`] levels of entries at most (what
    /// lies deeper is left out) and [`limits::MAX_REPOSITORY_MANIFESTS`] in all.
    async fn walk_repository(
        &self,
        repository: &str,
        extra: &[String],
    ) -> Result<Walked<Option<Content>>> {
        // MAX_INDEX_DEPTH levels below the tagged manifests; deeper ones are
        // left out rather than failing the listing.
        let walked = self
            .walk_tags(repository, extra, limits::MAX_INDEX_DEPTH, |manifest| {
                Ok(match manifest.content() {
                    Ok(Content::Index(index)) => {
                        let entries = index.manifests.iter().map(|e| e.digest.clone()).collect();
                        (Some(Content::Index(index)), entries)
                    }
                    Ok(content) => (Some(content), Vec::new()),
                    Err(_) => (None, Vec::new()),
                })
            })
            .await?;
        if walked.exceeded == Some(Exceeded::Count) {
            return Err(Error::new(
                Kind::RegistryRefused,
                format!(
                    "`{}/{repository}` holds more than {} manifests, more than aseecr reads",
                    self.name(),
                    limits::MAX_REPOSITORY_MANIFESTS
                ),
            )
            .on_registry(self.name())
            .into());
        }
        Ok(walked)
    }

    /// One config read per distinct image whose config is an image config, by
    /// the image's digest.
    async fn read_configs(
        &self,
        repository: &str,
        walked: &Walked<Option<Content>>,
    ) -> Result<BTreeMap<String, Config>> {
        let configs: Vec<(String, String)> = walked
            .manifests
            .iter()
            .filter_map(|(digest, read)| match &read.reading {
                Some(Content::Image(image)) if is_image_config(&image.config.media_type) => {
                    Some((digest.clone(), image.config.digest.clone()))
                }
                _ => None,
            })
            .collect();
        stream::iter(configs)
            .map(|(manifest, config)| async move {
                let bytes = self.blob_bytes(repository, &config).await?;
                // A config that is not JSON describes no time or platform.
                let config = serde_json::from_slice::<Config>(&bytes).unwrap_or(Config {
                    created: None,
                    os: None,
                    architecture: None,
                    variant: None,
                });
                anyhow::Ok((manifest, config))
            })
            .buffered(CONCURRENCY)
            .try_collect()
            .await
    }
}

/// An image: its blobs (foreign layers left out: the registry does not hold
/// them), and its time and platform from its config when it was read, else
/// its time from its annotation.
fn image_info(
    manifest: &Manifest,
    image: &OciImageManifest,
    config: Option<&Config>,
) -> ManifestInfo {
    let annotated = annotated_time(image.annotations.as_ref());
    let created = config
        .and_then(|c| c.created.clone())
        .filter(valid_time)
        .map(|c| (c, CreatedFrom::Config))
        .or(annotated);
    let platforms = config
        .and_then(|c| {
            let (os, arch) = (c.os.as_deref()?, c.architecture.as_deref()?);
            Some(match c.variant.as_deref().filter(|v| !v.is_empty()) {
                Some(variant) => format!("{os}/{arch}/{variant}"),
                None => format!("{os}/{arch}"),
            })
        })
        .into_iter()
        .collect();
    let mut blobs = vec![(image.config.digest.clone(), image.config.size.max(0) as u64)];
    blobs.extend(
        image
            .layers
            .iter()
            .filter(|l| !crate::registry::copy::is_foreign(l))
            .map(|l| (l.digest.clone(), l.size.max(0) as u64)),
    );
    let artifact_type = image
        .artifact_type
        .clone()
        .filter(|t| !t.is_empty())
        .or_else(|| {
            Some(image.config.media_type.clone()).filter(|t| !is_image_config(t) && !t.is_empty())
        });
    ManifestInfo {
        subject: image.subject.as_ref().map(|s| s.digest.clone()),
        artifact_type,
        blobs,
        platforms,
        created,
        config: u64::try_from(image.config.size).ok().map(|size| Anchor {
            digest: image.config.digest.clone(),
            size,
            media_type: image.config.media_type.clone(),
        }),
        ..opaque_info(manifest)
    }
}

/// An index: its entries and their platforms, its time from its annotation.
fn index_info(manifest: &Manifest, index: &OciImageIndex) -> ManifestInfo {
    ManifestInfo {
        is_index: true,
        children: index.manifests.iter().map(|e| e.digest.clone()).collect(),
        platforms: index
            .manifests
            .iter()
            .filter_map(|e| e.platform.as_ref().map(manifest::platform_string))
            .collect(),
        created: annotated_time(index.annotations.as_ref()),
        artifact_type: index.artifact_type.clone().filter(|t| !t.is_empty()),
        ..opaque_info(manifest)
    }
}

/// The creation time a manifest's annotations give, when it is a valid one.
fn annotated_time(annotations: Option<&BTreeMap<String, String>>) -> Option<(String, CreatedFrom)> {
    annotations?
        .get(CREATED_ANNOTATION)
        .filter(valid_time)
        .map(|c| (c.clone(), CreatedFrom::Annotation))
}

/// A manifest as nothing but its digest, media type and size.
fn opaque_info(manifest: &Manifest) -> ManifestInfo {
    ManifestInfo {
        digest: manifest.digest.clone(),
        media_type: manifest.media_type.clone(),
        size: manifest.bytes.len() as u64,
        is_index: false,
        children: Vec::new(),
        subject: None,
        artifact_type: None,
        blobs: Vec::new(),
        platforms: Vec::new(),
        created: None,
        config: None,
    }
}

/// An index without the annotation is as old as the newest of its images.
fn date_indexes(inventory: &mut Inventory) {
    let indexes: Vec<String> = inventory
        .manifests
        .values()
        .filter(|m| m.is_index && m.created.is_none())
        .map(|m| m.digest.clone())
        .collect();
    for digest in indexes {
        let newest = inventory
            .closure(&digest)
            .iter()
            .filter_map(|d| inventory.manifests.get(d)?.created.as_ref())
            .map(|(time, _)| time.clone())
            .max_by_key(|time| parse_time(time));
        if let Some(info) = inventory.manifests.get_mut(&digest) {
            info.created = newest.map(|t| (t, CreatedFrom::NewestPlatform));
        }
    }
}

fn is_image_config(media_type: &str) -> bool {
    media_type == "application/vnd.oci.image.config.v1+json"
        || media_type == "application/vnd.docker.container.image.v1+json"
}

/// Seconds since the Unix epoch of an RFC 3339 time.
pub fn parse_time(text: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp())
}

fn valid_time<S: AsRef<str>>(text: &S) -> bool {
    parse_time(text.as_ref()).is_some()
}
