//! What to copy: the source image read and its platforms chosen, every
//! manifest below it fetched once into a graph pushed in waves (children before
//! the indexes that name them), and the blobs the destination must end up with.

use std::collections::{HashMap, HashSet};

use anyhow::{Context, Result};
use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt};
use oci_client::manifest::OciDescriptor;

use futures_util::future::try_join_all;

use super::{CopyOptions, Engine, ImagePlan, ImageReport, Job, Source};
use crate::error::{Error, Kind};
use crate::registry::limits::{MAX_INDEX_DEPTH, MAX_MANIFESTS};
use crate::registry::manifest::{Content, Manifest, platform_string};
use crate::registry::reference::Reference;

/// Child manifests fetched at once while walking an index.
const MANIFEST_FETCHES: usize = 8;

/// An image read from a source and chosen (`--platform`): what a writer needs.
pub struct Resolved {
    /// The digest the source reference points at.
    pub source_digest: String,
    /// The top manifest to write (the source's, or a subset index).
    pub target: Manifest,
    /// Every distinct manifest, children before the indexes that name them, the
    /// top one last.
    pub manifests: Vec<Manifest>,
    /// Every blob to write once (foreign layers left out unless asked for).
    pub blobs: Vec<OciDescriptor>,
    /// Foreign layers left out.
    pub skipped_foreign: Vec<String>,
    /// The platforms of an index (empty for a single image).
    pub platforms: Vec<String>,
}

/// Read an image from `source` and apply the options' platform choice.
pub async fn resolve(
    source: &dyn Source,
    from: &Reference,
    options: &CopyOptions,
) -> Result<Resolved> {
    let source_manifest = source.manifest(from).await?;
    let target = select(source, from, options, source_manifest.clone()).await?;
    let platforms = platforms_of(&target);
    let tree = walk(source, from, target.clone()).await?;
    let (blobs, foreign): (Vec<_>, Vec<_>) = tree
        .blobs()
        .into_iter()
        .partition(|b| options.include_nondistributable || !is_foreign(b));
    let manifests = tree
        .waves
        .iter()
        .flatten()
        .map(|digest| tree.nodes[digest].manifest.clone())
        .collect();
    Ok(Resolved {
        source_digest: source_manifest.digest,
        target,
        manifests,
        blobs,
        skipped_foreign: foreign.into_iter().map(|b| b.digest).collect(),
        platforms,
    })
}

fn platforms_of(manifest: &Manifest) -> Vec<String> {
    match manifest.content() {
        Ok(Content::Index(index)) => index
            .manifests
            .iter()
            .filter_map(|entry| entry.platform.as_ref().map(platform_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// A manifest to push, with the blobs it needs and the digests of its children.
pub(super) struct Node {
    pub(super) manifest: Manifest,
    blobs: Vec<OciDescriptor>,
    children: Vec<String>,
}

/// An image as a graph: every distinct manifest once, however often indexes
/// name it, in waves to push (each wave's children are in earlier waves; the
/// last wave is the top manifest alone).
pub(super) struct Tree {
    pub(super) nodes: HashMap<String, Node>,
    pub(super) waves: Vec<Vec<String>>,
}

impl Tree {
    /// The manifests that name a blob `claimed` says the registry only claimed
    /// to have, or a child manifest that does (the digests).
    pub(super) fn doubtful(&self, claimed: impl Fn(&str) -> bool) -> HashSet<String> {
        let mut doubtful = HashSet::new();
        // Children come in earlier waves than the indexes that name them.
        for digest in self.waves.iter().flatten() {
            let node = &self.nodes[digest];
            if node.blobs.iter().any(|blob| claimed(&blob.digest))
                || node.children.iter().any(|child| doubtful.contains(child))
            {
                doubtful.insert(digest.clone());
            }
        }
        doubtful
    }

    /// Every blob of the image once, in push order.
    fn blobs(&self) -> Vec<OciDescriptor> {
        let mut seen = HashSet::new();
        self.waves
            .iter()
            .flatten()
            .flat_map(|digest| &self.nodes[digest].blobs)
            .filter(|blob| seen.insert(blob.digest.clone()))
            .cloned()
            .collect()
    }
}

impl Engine {
    /// Walk the image below `target` and choose its blobs (foreign layers
    /// left out unless asked for, and listed in `report`); told to the
    /// observer unless this is a dry run.
    pub(super) async fn plan(
        &self,
        job: &Job,
        target: Manifest,
        report: &mut ImageReport,
    ) -> Result<(Tree, Vec<OciDescriptor>)> {
        let platforms = platforms_of(&target);
        let tree = walk(&*job.source, &job.from, target).await?;
        let (blobs, foreign): (Vec<_>, Vec<_>) = tree
            .blobs()
            .into_iter()
            .partition(|b| self.options.include_nondistributable || !is_foreign(b));
        report.skipped_foreign = foreign.iter().map(|b| b.digest.clone()).collect();
        if !self.options.dry_run {
            let sizes: Vec<(String, u64)> = blobs
                .iter()
                .map(|b| (b.digest.clone(), b.size.max(0) as u64))
                .collect();
            self.observer.image_planned(&ImagePlan {
                image: &report.source,
                platforms: &platforms,
                blobs: &sizes,
            });
        }
        Ok((tree, blobs))
    }

    /// A dry run's count: one existence check (HEAD) per blob, the blobs and
    /// bytes the destination lacks going into `report`.
    pub(super) async fn count_missing(
        &self,
        repository: &str,
        blobs: &[OciDescriptor],
        report: &mut ImageReport,
    ) -> Result<()> {
        let checks = blobs.iter().map(|blob| async move {
            let _permit = self.jobs.acquire().await?;
            let present = self
                .destination
                .blob_exists(repository, &blob.digest)
                .await?;
            anyhow::Ok((present, blob.size.max(0) as u64))
        });
        for (present, size) in try_join_all(checks).await? {
            if present {
                report.blobs_present += 1;
            } else {
                report.blobs_to_copy += 1;
                report.bytes_to_copy += size;
            }
        }
        Ok(())
    }
}

/// Apply `--platform` to the source manifest.
pub(super) async fn select(
    source_ref: &dyn Source,
    from: &Reference,
    options: &CopyOptions,
    source: Manifest,
) -> Result<Manifest> {
    if options.platforms.is_empty() {
        return Ok(source);
    }
    let Content::Index(index) = source.content()? else {
        // A single-platform image: nothing to choose from.
        return Ok(source);
    };
    let chosen: Vec<usize> = index
        .manifests
        .iter()
        .enumerate()
        .filter(|(_, entry)| {
            entry
                .platform
                .as_ref()
                .is_some_and(|p| options.platforms.iter().any(|want| want.matches(p)))
        })
        .map(|(i, _)| i)
        .collect();
    if chosen.is_empty() {
        let available: Vec<String> = index
            .manifests
            .iter()
            .filter_map(|e| e.platform.as_ref().map(platform_string))
            .collect();
        return Err(Error::usage(format!(
            "`{}` has no platform matching {}; it has {}",
            source_ref.describe(from),
            options
                .platforms
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", "),
            crate::registry::Platform::listed(available)
        ))
        .into());
    }
    if let [one] = chosen.as_slice() {
        let entry = &index.manifests[*one];
        return source_ref.manifest(&from.with_digest(&entry.digest)).await;
    }
    // Several: a new index of just those entries, everything else kept.
    let mut value: serde_json::Value =
        serde_json::from_slice(&source.bytes).context("cannot re-read the source index")?;
    if let Some(entries) = value.get_mut("manifests").and_then(|m| m.as_array_mut()) {
        let kept: Vec<serde_json::Value> = chosen
            .iter()
            .filter_map(|i| entries.get(*i).cloned())
            .collect();
        *entries = kept;
    }
    let bytes = Bytes::from(serde_json::to_vec(&value)?);
    Ok(Manifest::new(bytes, Some(&source.media_type)))
}

/// Fetch every manifest below `top` from the source, level by level, each
/// distinct digest once, at most [`MAX_INDEX_DEPTH`] levels deep and
/// [`MAX_MANIFESTS`] manifests in all.
async fn walk(source: &dyn Source, from: &Reference, top: Manifest) -> Result<Tree> {
    let top_digest = top.digest.clone();
    let mut nodes: HashMap<String, Node> = HashMap::new();
    let mut level = vec![top];
    let mut depth = 1;
    loop {
        let mut next: Vec<String> = Vec::new();
        for manifest in level {
            let node = node(source, manifest)?;
            for child in &node.children {
                if !nodes.contains_key(child) && !next.contains(child) {
                    next.push(child.clone());
                }
            }
            nodes.insert(node.manifest.digest.clone(), node);
        }
        next.retain(|digest| !nodes.contains_key(digest));
        if next.is_empty() {
            break;
        }
        depth += 1;
        if depth > MAX_INDEX_DEPTH {
            return Err(too_big(
                source,
                from,
                format!("its indexes are nested more than {MAX_INDEX_DEPTH} levels deep"),
            ));
        }
        if nodes.len() + next.len() > MAX_MANIFESTS {
            return Err(too_big(
                source,
                from,
                format!("it has more than {MAX_MANIFESTS} manifests"),
            ));
        }
        level = futures_util::stream::iter(next)
            .map(|digest| {
                let reference = from.with_digest(&digest);
                async move { source.manifest(&reference).await }
            })
            .buffer_unordered(MANIFEST_FETCHES)
            .try_collect()
            .await?;
    }
    let waves = waves(&nodes, &top_digest);
    Ok(Tree { nodes, waves })
}

/// One manifest's blobs and children, their digests checked before any of
/// them goes into a URL.
fn node(source: &dyn Source, manifest: Manifest) -> Result<Node> {
    let (blobs, children) = match manifest.content()? {
        Content::Image(image) => {
            let mut blobs = vec![image.config.clone()];
            blobs.extend(image.layers.iter().cloned());
            (blobs, Vec::new())
        }
        Content::Index(index) => {
            let mut children: Vec<String> = Vec::new();
            let mut seen = HashSet::new();
            for entry in &index.manifests {
                if seen.insert(entry.digest.as_str()) {
                    children.push(entry.digest.clone());
                }
            }
            (Vec::new(), children)
        }
    };
    for digest in blobs.iter().map(|b| &b.digest).chain(&children) {
        source.check_digest(digest)?;
    }
    Ok(Node {
        manifest,
        blobs,
        children,
    })
}

fn too_big(source: &dyn Source, from: &Reference, why: String) -> anyhow::Error {
    anyhow::Error::new(
        Error::new(
            Kind::RegistryRefused,
            format!("`{}` is not copied: {why}", source.describe(from)),
        )
        .on_registry(source.name()),
    )
}

/// Group the manifests below `top` by height (images 0, an index one more than
/// its tallest child), without recursion: pushing the waves in order puts every
/// child before the indexes that name it. `top` is alone in the last wave.
fn waves(nodes: &HashMap<String, Node>, top: &str) -> Vec<Vec<String>> {
    let mut height: HashMap<&str, usize> = HashMap::new();
    // Depth-first, post-order, with an explicit stack of (digest, next child).
    let mut stack: Vec<(&str, usize)> = vec![(top, 0)];
    while let Some((digest, next)) = stack.pop() {
        let children = nodes.get(digest).map_or(&[][..], |n| &n.children[..]);
        match children.get(next) {
            Some(child) => {
                stack.push((digest, next + 1));
                if !height.contains_key(child.as_str()) && !stack.iter().any(|(d, _)| d == child) {
                    stack.push((child, 0));
                }
            }
            None => {
                let own = children
                    .iter()
                    .filter_map(|c| height.get(c.as_str()))
                    .map(|h| h + 1)
                    .max()
                    .unwrap_or(0);
                height.insert(digest, own);
            }
        }
    }
    let top_height = height[top];
    let mut waves = vec![Vec::new(); top_height + 1];
    for (digest, h) in &height {
        if *digest != top {
            // Only the top manifest is pushed by tag: it goes last, alone.
            waves[(*h).min(top_height.saturating_sub(1))].push((*digest).to_owned());
        }
    }
    waves.retain(|wave| !wave.is_empty());
    for wave in &mut waves {
        wave.sort();
    }
    waves.push(vec![top.to_owned()]);
    waves
}

/// Foreign (non-distributable) layers, such as Windows base layers.
pub fn is_foreign(blob: &OciDescriptor) -> bool {
    is_foreign_media_type(&blob.media_type)
}

/// Whether a layer media type is a foreign (non-distributable) one.
pub fn is_foreign_media_type(media_type: &str) -> bool {
    media_type.contains("foreign") || media_type.contains("nondistributable")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_layers_are_recognised() {
        let blob = |media_type: &str| OciDescriptor {
            media_type: media_type.to_owned(),
            digest: "sha256:00".into(),
            size: 1,
            ..OciDescriptor::default()
        };
        assert!(is_foreign(&blob(
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
        )));
        assert!(is_foreign(&blob(
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
        )));
        assert!(!is_foreign(&blob(
            "application/vnd.oci.image.layer.v1.tar+gzip"
        )));
    }
}
