//! What repositories store, blob by blob: each repository's size, the bytes only
//! it references and the bytes it shares, the de-duplicated total (each blob
//! once, as the registry stores it), and the largest images. Pure functions over
//! the [`Inventory`]s `registry/` reads, so every number is unit-tested without
//! a registry.
//!
//! A manifest is stored as a blob too, so its own bytes count like a layer's.
//! Sizes are those the manifests state (the registry checked each blob exists
//! when the manifest was pushed); foreign layers, which the registry does not
//! store, are not counted (the inventory leaves them out).

use std::collections::{BTreeMap, BTreeSet};

use crate::registry::Inventory;
use crate::registry::referrers::attachment_tag;

/// One repository's share of the storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepositoryUsage {
    pub repository: String,
    /// The user's tags that resolved (attachment tags apart).
    pub tags: usize,
    /// Attachment tags: referrers indexes and cosign tags.
    pub attachment_tags: usize,
    /// The bytes of the blobs only attachments reach: what the attachment
    /// tags reach (the referrers indexes, the signatures, SBOMs and
    /// attestations they list, cosign's manifests, and their blobs) and no
    /// image tag does. Part of `size`.
    pub attachment_size: u64,
    /// Distinct manifests its tags reach (an index's entries included).
    pub manifests: usize,
    /// Distinct blobs: manifests, configs and layers.
    pub blobs: usize,
    /// The bytes of those blobs, each counted once.
    pub size: u64,
    /// The bytes of the blobs no other repository read references.
    pub unique_size: u64,
    /// `size - unique_size`: blobs another repository read references too.
    pub shared_size: u64,
}

/// One tagged image (a manifest a tag points at) and what it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageSize {
    pub repository: String,
    pub digest: String,
    /// Every tag on the digest, in the registry's order.
    pub tags: Vec<String>,
    /// Its manifests, configs and layers, each blob once.
    pub size: u64,
}

/// The storage of the repositories read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage {
    /// In the order given.
    pub repositories: Vec<RepositoryUsage>,
    /// Distinct blobs over every repository read.
    pub blobs: usize,
    /// Each blob once over every repository read: what the registry stores for them.
    pub size: u64,
    /// The repositories' sizes added up (shared blobs counted once per repository).
    pub sum_of_repository_sizes: u64,
    /// The `top` largest tagged images, largest first.
    pub largest: Vec<ImageSize>,
}

/// Every blob a repository's manifests are stored as, with its size: the
/// manifests themselves and their configs and layers, each once.
pub fn stored_blobs(inventory: &Inventory) -> BTreeMap<String, u64> {
    let mut blobs = BTreeMap::new();
    for manifest in inventory.manifests.values() {
        blobs
            .entry(manifest.digest.clone())
            .or_insert(manifest.size);
        for (digest, size) in &manifest.blobs {
            blobs.entry(digest.clone()).or_insert(*size);
        }
    }
    blobs
}

/// Sizes, sharing and the `top` largest images of `inventories` (one per
/// repository; sharing is counted among these only).
pub fn usage(inventories: &[Inventory], top: usize) -> Usage {
    let per_repository: Vec<BTreeMap<String, u64>> = inventories.iter().map(stored_blobs).collect();
    // How many of the repositories read reference each blob, and its size.
    let mut references: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
    for blobs in &per_repository {
        for (digest, size) in blobs {
            references.entry(digest).or_insert((0, *size)).0 += 1;
        }
    }
    let repositories: Vec<RepositoryUsage> = inventories
        .iter()
        .zip(&per_repository)
        .map(|(inventory, blobs)| {
            let size: u64 = blobs.values().sum();
            let unique_size: u64 = blobs
                .iter()
                .filter(|(digest, _)| references[digest.as_str()].0 == 1)
                .map(|(_, size)| size)
                .sum();
            let (attachment_tags, attachment_size) = attachments(inventory);
            RepositoryUsage {
                repository: inventory.repository.clone(),
                tags: inventory.tags.len() - attachment_tags,
                attachment_tags,
                attachment_size,
                manifests: inventory.manifests.len(),
                blobs: blobs.len(),
                size,
                unique_size,
                shared_size: size - unique_size,
            }
        })
        .collect();
    Usage {
        blobs: references.len(),
        size: references.values().map(|(_, size)| size).sum(),
        sum_of_repository_sizes: repositories.iter().map(|r| r.size).sum(),
        repositories,
        largest: largest(inventories, top),
    }
}

/// How many attachment tags `inventory` has, and the bytes of the blobs only
/// they reach.
fn attachments(inventory: &Inventory) -> (usize, u64) {
    let (attached, images): (Vec<_>, Vec<_>) = inventory
        .tags
        .iter()
        .partition(|(tag, _)| attachment_tag(tag).is_some());
    let blobs = |tags: &[&(String, String)]| {
        let mut blobs = BTreeMap::new();
        for (_, digest) in tags {
            blobs.extend(inventory.blobs_of(digest));
        }
        blobs
    };
    let of_images = blobs(&images);
    let size = blobs(&attached)
        .iter()
        .filter(|(digest, _)| !of_images.contains_key(*digest))
        .map(|(_, size)| size)
        .sum();
    (attached.len(), size)
}

/// The `top` largest tagged images (by the user's tags; attachments are
/// not images): by size, then repository and digest, so
/// equal sizes come in a stable order.
fn largest(inventories: &[Inventory], top: usize) -> Vec<ImageSize> {
    let mut images: Vec<ImageSize> = Vec::new();
    for inventory in inventories {
        let tagged: Vec<&(String, String)> = inventory
            .tags
            .iter()
            .filter(|(tag, _)| attachment_tag(tag).is_none())
            .collect();
        let digests: BTreeSet<&str> = tagged.iter().map(|(_, d)| d.as_str()).collect();
        for digest in digests {
            images.push(ImageSize {
                repository: inventory.repository.clone(),
                digest: digest.to_owned(),
                tags: tagged
                    .iter()
                    .filter(|(_, d)| d == digest)
                    .map(|(tag, _)| tag.clone())
                    .collect(),
                size: inventory.size_of(digest),
            });
        }
    }
    images.sort_by(|a, b| {
        b.size
            .cmp(&a.size)
            .then_with(|| a.repository.cmp(&b.repository))
            .then_with(|| a.digest.cmp(&b.digest))
    });
    images.truncate(top);
    images
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::ManifestInfo;

    fn image(digest: &str, size: u64, blobs: &[(&str, u64)]) -> ManifestInfo {
        ManifestInfo {
            digest: digest.to_owned(),
            media_type: "application/vnd.oci.image.manifest.v1+json".to_owned(),
            size,
            is_index: false,
            children: Vec::new(),
            subject: None,
            artifact_type: None,
            blobs: blobs.iter().map(|(d, s)| ((*d).to_owned(), *s)).collect(),
            platforms: Vec::new(),
            created: None,
            config: None,
        }
    }

    fn index(digest: &str, size: u64, children: &[&str]) -> ManifestInfo {
        ManifestInfo {
            media_type: "application/vnd.oci.image.index.v1+json".to_owned(),
            is_index: true,
            children: children.iter().map(|c| (*c).to_owned()).collect(),
            ..image(digest, size, &[])
        }
    }

    fn inventory(
        repository: &str,
        tags: &[(&str, &str)],
        manifests: Vec<ManifestInfo>,
    ) -> Inventory {
        Inventory {
            repository: repository.to_owned(),
            tags: tags
                .iter()
                .map(|(t, d)| ((*t).to_owned(), (*d).to_owned()))
                .collect(),
            manifests: manifests
                .into_iter()
                .map(|m| (m.digest.clone(), m))
                .collect(),
        }
    }

    /// Two repositories on one base layer; `app` has two images sharing a
    /// config-less base and an index whose child is also tagged.
    fn registry() -> Vec<Inventory> {
        let app = inventory(
            "app",
            &[("1", "m1"), ("2", "m2"), ("latest", "m2"), ("multi", "ix")],
            vec![
                image("m1", 10, &[("c1", 100), ("base", 1000), ("top1", 50)]),
                image("m2", 11, &[("c2", 100), ("base", 1000), ("top2", 70)]),
                index("ix", 20, &["m1", "m3"]),
                image("m3", 12, &[("c3", 100), ("arm", 2000)]),
            ],
        );
        let web = inventory(
            "web",
            &[("v1", "w1")],
            vec![image("w1", 9, &[("cw", 100), ("base", 1000), ("m1", 10)])],
        );
        vec![app, web]
    }

    #[test]
    fn each_blob_counts_once_per_repository_and_once_in_the_total() {
        let usage = usage(&registry(), 10);
        let app = &usage.repositories[0];
        // Manifests 10+11+20+12, configs 300, base once, top1, top2, arm.
        assert_eq!(app.size, 53 + 300 + 1000 + 50 + 70 + 2000);
        assert_eq!((app.tags, app.manifests, app.blobs), (4, 4, 11));
        // `base` and the manifest `m1` (which web names as a blob) are shared.
        assert_eq!(app.shared_size, 1010);
        assert_eq!(app.unique_size, app.size - 1010);
        let web = &usage.repositories[1];
        assert_eq!(web.size, 9 + 100 + 1000 + 10);
        assert_eq!(web.shared_size, 1010);
        assert_eq!(web.unique_size, 109);
        // The registry stores each blob once.
        assert_eq!(usage.size, app.size + web.unique_size);
        assert_eq!(usage.sum_of_repository_sizes, app.size + web.size);
        assert_eq!(usage.blobs, 11 + 2);
    }

    #[test]
    fn the_largest_images_come_first_with_every_tag_on_them() {
        let usage = usage(&registry(), 3);
        let found: Vec<(&str, &str, Vec<&str>, u64)> = usage
            .largest
            .iter()
            .map(|i| {
                (
                    i.repository.as_str(),
                    i.digest.as_str(),
                    i.tags.iter().map(String::as_str).collect(),
                    i.size,
                )
            })
            .collect();
        assert_eq!(
            found,
            vec![
                // The index: itself, both children and their blobs.
                (
                    "app",
                    "ix",
                    vec!["multi"],
                    20 + 10 + 12 + 200 + 1000 + 50 + 2000
                ),
                ("app", "m2", vec!["2", "latest"], 11 + 100 + 1000 + 70),
                ("app", "m1", vec!["1"], 10 + 100 + 1000 + 50),
            ]
        );
        assert!(super::usage(&registry(), 0).largest.is_empty());
    }

    #[test]
    fn equal_sizes_are_ordered_by_repository_then_digest() {
        let a = inventory(
            "a",
            &[("x", "d2"), ("y", "d1")],
            vec![image("d1", 5, &[("c", 5)]), image("d2", 5, &[("c", 5)])],
        );
        let b = inventory("0b", &[("z", "d3")], vec![image("d3", 5, &[("c", 5)])]);
        let usage = usage(&[a, b], 5);
        let order: Vec<(&str, &str)> = usage
            .largest
            .iter()
            .map(|i| (i.repository.as_str(), i.digest.as_str()))
            .collect();
        assert_eq!(order, vec![("0b", "d3"), ("a", "d1"), ("a", "d2")]);
        // One config shared by all three: stored once.
        assert_eq!(usage.size, 15 + 5);
        assert_eq!(usage.repositories[1].unique_size, 5);
    }

    #[test]
    fn an_empty_repository_and_no_repositories() {
        let empty = usage(&[inventory("gone", &[], Vec::new())], 5);
        assert_eq!(empty.repositories[0].size, 0);
        assert_eq!((empty.size, empty.blobs), (0, 0));
        let none = usage(&[], 5);
        assert!(none.repositories.is_empty() && none.largest.is_empty());
        assert_eq!(none.size, 0);
    }

    #[test]
    fn attachment_tags_are_counted_apart_and_are_not_images() {
        let hex = "ab".repeat(32);
        let subject = format!("sha256:{hex}");
        let app = inventory(
            "app",
            &[
                ("1", &subject),
                (&format!("sha256-{hex}"), "fallback"),
                (&format!("sha256-{hex}.sig"), "cosign"),
            ],
            vec![
                image(&subject, 10, &[("c1", 100), ("l1", 1000)]),
                index("fallback", 30, &["sbom"]),
                image("sbom", 20, &[("empty", 2), ("spdx", 300)]),
                // The cosign manifest shares the image's config.
                image("cosign", 15, &[("c1", 100), ("payload", 40)]),
            ],
        );
        let usage = usage(&[app], 5);
        let repository = &usage.repositories[0];
        assert_eq!((repository.tags, repository.attachment_tags), (1, 2));
        assert_eq!(repository.attachment_size, 30 + 20 + 2 + 300 + 15 + 40);
        assert_eq!(
            repository.size,
            10 + 100 + 1000 + repository.attachment_size
        );
        let largest: Vec<&str> = usage.largest.iter().map(|i| i.digest.as_str()).collect();
        assert_eq!(largest, [subject.as_str()]);
        assert_eq!(usage.largest[0].tags, ["1"]);
    }
}
