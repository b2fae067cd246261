//! What the registry's next garbage collection frees. Distribution's collector
//! is global: it keeps every blob (manifest, config or layer) that a manifest of
//! any repository still references, and removes the rest. So the bytes freed are
//! those of the blobs that deleted manifests reference and no remaining manifest
//! does, each counted once.

use std::collections::{BTreeMap, BTreeSet};

use crate::registry::{Inventory, empty_config_digest};

/// The bytes and blobs the next garbage collection frees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Freed {
    pub bytes: u64,
    pub blobs: usize,
    /// Every repository of the registry was read. Even then the figure is an
    /// upper bound when the registry holds untagged manifests aseecr cannot see
    /// that share blobs with what is deleted.
    pub all_repositories: bool,
}

impl From<Freed> for crate::output::json::Freed {
    /// The wire format of a freed figure, with the caveat every one carries.
    fn from(freed: Freed) -> Self {
        crate::output::json::Freed {
            bytes: freed.bytes,
            blobs: freed.blobs,
            all_repositories: freed.all_repositories,
            note: crate::output::json::FREED_NOTE,
        }
    }
}

/// `inventories`: what was read, before the change. `deleted`: (repository,
/// digest) of each manifest deleted. `placeholders`: sizes of the placeholder
/// manifests untagging made and deleted; `empty_config`: whether one of them
/// used the uploaded empty config.
pub fn freed(
    inventories: &[Inventory],
    deleted: &BTreeSet<(String, String)>,
    placeholders: &[u64],
    empty_config: bool,
    all_repositories: bool,
) -> Freed {
    let mut remaining: BTreeSet<&str> = BTreeSet::new();
    let mut gone: BTreeMap<&str, u64> = BTreeMap::new();
    for inventory in inventories {
        for (digest, info) in &inventory.manifests {
            let blobs = std::iter::once((info.digest.as_str(), info.size))
                .chain(info.blobs.iter().map(|(d, s)| (d.as_str(), *s)));
            if deleted.contains(&(inventory.repository.clone(), digest.clone())) {
                gone.extend(blobs);
            } else {
                remaining.extend(blobs.map(|(d, _)| d));
            }
        }
    }
    gone.retain(|digest, _| !remaining.contains(digest));
    let mut bytes: u64 = gone.values().sum();
    let mut blobs = gone.len();
    bytes += placeholders.iter().sum::<u64>();
    blobs += placeholders.len();
    if empty_config {
        let empty = empty_config_digest();
        if !remaining.contains(empty.as_str()) && !gone.contains_key(empty.as_str()) {
            bytes += 2;
            blobs += 1;
        }
    }
    Freed {
        bytes,
        blobs,
        all_repositories,
    }
}
