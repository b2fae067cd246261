//! Reading a registry for cleanup: the repositories to change, and every other
//! one, since garbage collection is registry-wide.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use futures_util::stream::{self, StreamExt, TryStreamExt};

use super::attachments::Listed;
use crate::registry::{Inventory, Registry, Via, limits};

/// Repositories read at once (each reads its tags 8 at a time).
const REPOSITORY_CONCURRENCY: usize = 4;

/// Read `named` repositories (every repository when `None`) and, for the
/// estimate of what garbage collection frees, every other repository in the
/// catalog. Returns the inventories and whether every repository was read. A
/// named repository that cannot be read is an error; another one is left out
/// of the estimate (which then says it is partial). When the catalog cannot
/// be read but repositories are named, `catalog_failed` is told and only those
/// are read.
///
/// `untagged`: digests per repository to read as well (see
/// [`Registry::inventory_with`]).
pub async fn read_registry(
    registry: &Registry,
    named: Option<&[String]>,
    untagged: &BTreeMap<String, Vec<String>>,
    catalog_failed: impl FnOnce(&anyhow::Error),
) -> Result<(Vec<Inventory>, bool)> {
    let catalog = match registry.catalog().await {
        Ok(catalog) => Some(catalog),
        Err(err) if named.is_some() => {
            catalog_failed(&err);
            None
        }
        Err(err) => return Err(err),
    };
    let all_repositories = catalog.is_some();
    let named: BTreeSet<String> = named.unwrap_or_default().iter().cloned().collect();
    let mut to_read = named.clone();
    to_read.extend(catalog.unwrap_or_default());
    let mut complete = all_repositories;
    let read: Vec<Option<Inventory>> = stream::iter(to_read)
        .map(|repository| {
            let named = named.contains(&repository);
            let extra = untagged.get(&repository).cloned().unwrap_or_default();
            async move {
                match registry.inventory_with(&repository, &extra).await {
                    Ok(inventory) => Ok(Some(inventory)),
                    // Named: its error is the command's. Only read for the
                    // estimate: the estimate counts without it.
                    Err(err) if named => Err(err),
                    Err(err) => {
                        tracing::debug!("not counting `{repository}`: {err:#}");
                        Ok(None)
                    }
                }
            }
        })
        .buffered(REPOSITORY_CONCURRENCY)
        .try_collect()
        .await?;
    let mut inventories = Vec::new();
    for inventory in read {
        match inventory {
            Some(inventory) => inventories.push(inventory),
            None => complete = false,
        }
    }
    Ok((inventories, complete))
}

/// The referrers a registry's referrers API lists for `subjects` (the
/// manifests a cleanup deletes) and for their referrers, as deep as
/// [`limits::MAX_REFERRER_DEPTH`], by subject: on such a registry referrers
/// carry no tag, so the inventory does not reach them. `None` when the
/// repository has no referrers API (asked with the first subject, once per
/// repository and run; distribution 2.8 answers 404): its fallback tags,
/// which the inventory reads, list them.
pub async fn api_referrers(
    registry: &Registry,
    repository: &str,
    subjects: &[String],
) -> Result<Option<Listed>> {
    if subjects.is_empty() || registry.knows_api(repository) == Some(false) {
        return Ok(None);
    }
    let mut listed = Listed::new();
    let mut seen: BTreeSet<String> = subjects.iter().cloned().collect();
    let mut level: Vec<String> = subjects.to_vec();
    for _ in 0..limits::MAX_REFERRER_DEPTH {
        let mut next = Vec::new();
        for subject in &level {
            let found = registry.referrers(repository, subject).await?;
            if found.via != Via::Api {
                return Ok(None);
            }
            let digests: Vec<String> = found.referrers.into_iter().map(|r| r.digest).collect();
            next.extend(
                digests
                    .iter()
                    .filter(|d| seen.insert((*d).clone()))
                    .cloned(),
            );
            if !digests.is_empty() {
                listed.insert(subject.clone(), digests);
            }
        }
        if next.is_empty() {
            break;
        }
        level = next;
    }
    Ok(Some(listed))
}
