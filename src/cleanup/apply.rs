//! Carrying out repository plans on a registry (`prune`, and `sync`'s prune
//! policies): the actions, the check that every kept tag is still there, and
//! what the next garbage collection then frees.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use futures_util::stream::{self, StreamExt};

use super::attachments::Attachment;
use super::freed::{Freed, freed};
use super::policy::{Action, RepoPlan};
use crate::error::{Error, Kind};
use crate::registry::probe::{Deletion, deletion_disabled};
use crate::registry::{Deleted, Inventory, Registry, placeholder, still_listed};

/// One action of a plan and how it went.
#[derive(Debug)]
pub struct Outcome {
    pub repository: String,
    pub action: Action,
    pub error: Option<anyhow::Error>,
    /// Sizes of the placeholders made to remove tags.
    pub placeholders: Vec<u64>,
}

/// Deletions and untags in flight at once.
const ACTION_CONCURRENCY: usize = 8;

/// The actions of `plans`, not yet carried out.
pub fn outcomes(plans: &BTreeMap<String, RepoPlan>) -> Vec<Outcome> {
    plans
        .iter()
        .flat_map(|(repository, plan)| {
            plan.actions.iter().map(|action| Outcome {
                repository: repository.clone(),
                action: action.clone(),
                error: None,
                placeholders: Vec::new(),
            })
        })
        .collect()
}

/// Whether `registry` deletes at all, asked on `repository` (a deletion that
/// cannot match anything): the error when it does not, with `nothing` saying
/// what was therefore not done.
pub async fn check_deletion(registry: &Registry, repository: &str, nothing: &str) -> Result<()> {
    match registry.probe_delete(repository).await? {
        Deletion::Enabled => Ok(()),
        Deletion::Disabled => Err(deletion_disabled(registry.name(), Some(nothing)).into()),
    }
}

/// Carry out `outcomes` (from [`outcomes`] of `plans`), recording each one's
/// result in it. Then, in every repository where tags were moved onto
/// placeholders, list the tags again: a kept tag that is gone is the error,
/// and a removed tag still listed fails its action.
///
/// Actions are independent of each other (an index and its entries are one
/// action): a few at a time, as a registry checking a password on every
/// request is the bottleneck. But untags go first, one at a time per
/// repository, and deletions after them: an untag rewrites a tag's link file,
/// and distribution 2.8 can read it empty while it is being rewritten, which
/// fails another request's tag lookup after it deleted its manifest, leaving
/// that manifest's tags behind (seen once).
pub async fn apply(
    registry: &Registry,
    inventories: &[Inventory],
    plans: &BTreeMap<String, RepoPlan>,
    outcomes: &mut [Outcome],
) -> Result<()> {
    let run = |item: &'_ Outcome| {
        let inventory = inventory_of(inventories, &item.repository);
        let (repository, action) = (item.repository.clone(), item.action.clone());
        async move { execute(registry, inventory, &repository, &action).await }
    };
    let mut chains: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, item) in outcomes.iter().enumerate() {
        if !matches!(item.action, Action::Untag { .. }) {
            continue;
        }
        match chains.iter_mut().find(|(r, _)| *r == item.repository) {
            Some((_, chain)) => chain.push(i),
            None => chains.push((item.repository.clone(), vec![i])),
        }
    }
    let items: &[Outcome] = outcomes;
    let mut results: Vec<(usize, _)> = stream::iter(chains)
        .map(|(_, chain)| {
            let run = &run;
            async move {
                let mut out = Vec::new();
                for i in chain {
                    out.push((i, run(&items[i]).await));
                }
                out
            }
        })
        .buffer_unordered(ACTION_CONCURRENCY)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .flatten()
        .collect();
    let deleted: Vec<(usize, _)> = stream::iter(
        items
            .iter()
            .enumerate()
            .filter(|(_, item)| matches!(item.action, Action::Delete { .. })),
    )
    .map(|(i, item)| {
        let run = &run;
        async move { (i, run(item).await) }
    })
    .buffer_unordered(ACTION_CONCURRENCY)
    .collect()
    .await;
    results.extend(deleted);
    for (i, result) in results {
        let item = &mut outcomes[i];
        match result {
            Ok(placeholders) => item.placeholders = placeholders,
            Err((placeholders, err)) => {
                item.placeholders = placeholders;
                item.error = Some(err);
            }
        }
    }
    check_tags_after(registry, plans, outcomes).await
}

/// Where tags were moved onto placeholders, list the tags again: every kept
/// tag must still be there (a deletion by digest takes exactly the tags the
/// read found on it, all selected), and every removed one gone (else its
/// action failed).
async fn check_tags_after(
    registry: &Registry,
    plans: &BTreeMap<String, RepoPlan>,
    outcomes: &mut [Outcome],
) -> Result<()> {
    for (repository, plan) in plans {
        let untagged = outcomes
            .iter()
            .any(|d| &d.repository == repository && matches!(d.action, Action::Untag { .. }));
        if !untagged {
            continue;
        }
        let after: BTreeSet<String> = registry.tags(repository).await?.into_iter().collect();
        for item in outcomes
            .iter_mut()
            .filter(|d| &d.repository == repository && d.error.is_none())
        {
            if let Action::Untag { tags, .. } = &item.action {
                let left: Vec<&str> = tags
                    .iter()
                    .filter(|t| after.contains(*t))
                    .map(String::as_str)
                    .collect();
                if !left.is_empty() {
                    item.error = Some(still_listed(registry.name(), repository, &left).into());
                }
            }
        }
        let missing: Vec<&str> = plan
            .kept
            .iter()
            .map(|k| k.tag.as_str())
            .filter(|t| !after.contains(*t))
            .collect();
        if !missing.is_empty() {
            return Err(Error::new(
                Kind::Failed,
                format!(
                    "after pruning, `{}/{repository}` no longer lists the kept tags {}: something else removed them at the same time",
                    registry.name(),
                    missing.join(", ")
                ),
            )
            .into());
        }
    }
    Ok(())
}

/// The inventory read for `repository`: every planned repository was read.
pub fn inventory_of<'i>(inventories: &'i [Inventory], repository: &str) -> &'i Inventory {
    inventories
        .iter()
        .find(|i| i.repository == repository)
        .expect("every planned repository was read")
}

/// Carry out one action. On failure, the sizes of placeholders already made.
async fn execute(
    registry: &Registry,
    inventory: &Inventory,
    repository: &str,
    action: &Action,
) -> std::result::Result<Vec<u64>, (Vec<u64>, anyhow::Error)> {
    match action {
        Action::Delete {
            digest,
            children,
            attachments,
            ..
        } => {
            // Attachments first: a failure leaves the image, and what still
            // hangs off it, for the next run to find.
            let sizes = remove_attachments(registry, inventory, repository, attachments)
                .await
                .map_err(|(sizes, err)| {
                    (
                        sizes,
                        err.context(format!("`{repository}@{digest}` was not deleted")),
                    )
                })?;
            for digest in std::iter::once(digest).chain(children) {
                match registry.delete_manifest(repository, digest).await {
                    Ok(Deleted::Yes | Deleted::NotFound) => {}
                    Ok(Deleted::Disabled) => {
                        return Err((sizes, deletion_disabled(registry.name(), None).into()));
                    }
                    Err(err) => return Err((sizes, err)),
                }
            }
            Ok(sizes)
        }
        Action::Untag { digest, tags, .. } => {
            let anchor = inventory.anchor(digest);
            let mut sizes = Vec::new();
            for tag in tags {
                match registry
                    .untag(repository, tag, digest, anchor.as_ref())
                    .await
                {
                    Ok(done) => sizes.push(done.placeholder_size),
                    Err(err) => return Err((sizes, err)),
                }
            }
            Ok(sizes)
        }
    }
}

/// Remove `attachments` in their order: delete each by digest (one already
/// gone is fine), or move its tag onto a placeholder when the manifest stays.
/// The sizes of the placeholders made; on failure, those and the error.
pub async fn remove_attachments(
    registry: &Registry,
    inventory: &Inventory,
    repository: &str,
    attachments: &[Attachment],
) -> std::result::Result<Vec<u64>, (Vec<u64>, anyhow::Error)> {
    let mut sizes = Vec::new();
    for attachment in attachments {
        let what = || {
            format!(
                "cannot remove the {} {} of {}",
                attachment.kind.name(),
                attachment.tag.as_deref().unwrap_or(&attachment.digest),
                attachment.subject
            )
        };
        match (&attachment.tag, attachment.untag_only) {
            (Some(tag), true) => {
                let anchor = inventory.anchor(&attachment.digest);
                match registry
                    .untag(repository, tag, &attachment.digest, anchor.as_ref())
                    .await
                {
                    Ok(done) => sizes.push(done.placeholder_size),
                    Err(err) => return Err((sizes, err.context(what()))),
                }
            }
            _ => match registry
                .delete_manifest(repository, &attachment.digest)
                .await
            {
                Ok(Deleted::Yes | Deleted::NotFound) => {}
                Ok(Deleted::Disabled) => {
                    return Err((sizes, deletion_disabled(registry.name(), None).into()));
                }
                Err(err) => return Err((sizes, err.context(what()))),
            },
        }
    }
    Ok(sizes)
}

/// The digests `action` deletes: the manifest, an index's entries, and the
/// attachments deleted (not only untagged) with them.
pub fn deleted_by(action: &Action) -> Vec<&str> {
    match action {
        Action::Delete {
            digest,
            children,
            attachments,
            ..
        } => std::iter::once(digest.as_str())
            .chain(children.iter().map(String::as_str))
            .chain(
                attachments
                    .iter()
                    .filter(|a| !a.untag_only)
                    .map(|a| a.digest.as_str()),
            )
            .collect(),
        Action::Untag { .. } => Vec::new(),
    }
}

/// The placeholders a dry run of `action` would make, by size: one per tag
/// untagged (the attachment tags untagged included).
fn planned_placeholders(inventory: &Inventory, repository: &str, action: &Action) -> Vec<u64> {
    let size = |tag: &str, digest: &str| {
        placeholder(repository, tag, digest, inventory.anchor(digest).as_ref()).len() as u64
    };
    match action {
        Action::Untag { digest, tags, .. } => tags.iter().map(|t| size(t, digest)).collect(),
        Action::Delete { attachments, .. } => attachments
            .iter()
            .filter(|a| a.untag_only)
            .filter_map(|a| Some(size(a.tag.as_deref()?, &a.digest)))
            .collect(),
    }
}

/// What the next garbage collection frees after `outcomes` (in a dry run: as
/// planned). `all_repositories`: every repository of the registry is among
/// `inventories`.
pub fn freed_by(
    inventories: &[Inventory],
    outcomes: &[Outcome],
    dry_run: bool,
    all_repositories: bool,
) -> Freed {
    let mut deleted: BTreeSet<(String, String)> = BTreeSet::new();
    let mut placeholders: Vec<u64> = Vec::new();
    for item in outcomes {
        if item.error.is_some() && !dry_run {
            placeholders.extend(&item.placeholders);
            continue;
        }
        for digest in deleted_by(&item.action) {
            deleted.insert((item.repository.clone(), digest.to_owned()));
        }
        if dry_run {
            let inventory = inventory_of(inventories, &item.repository);
            placeholders.extend(planned_placeholders(
                inventory,
                &item.repository,
                &item.action,
            ));
        } else {
            placeholders.extend(&item.placeholders);
        }
    }
    // Placeholders on the empty config: only for images with no config known.
    let empty_config = outcomes.iter().any(|d| {
        let inventory = inventory_of(inventories, &d.repository);
        match &d.action {
            Action::Untag { digest, .. } => inventory.anchor(digest).is_none(),
            Action::Delete { attachments, .. } => attachments
                .iter()
                .any(|a| a.untag_only && inventory.anchor(&a.digest).is_none()),
        }
    });
    freed(
        inventories,
        &deleted,
        &placeholders,
        empty_config,
        all_repositories,
    )
}

/// Of the `recorded` untagged digests (per repository), those aseecr's record
/// can forget: deleted now, gone already, or tagged again.
pub fn settled(
    recorded: &BTreeMap<String, Vec<String>>,
    inventories: &[Inventory],
    outcomes: &[Outcome],
) -> Vec<(String, String)> {
    recorded
        .iter()
        .flat_map(|(repository, digests)| {
            let inventory = inventories.iter().find(|i| &i.repository == repository);
            digests.iter().filter_map(move |digest| {
                let deleted = outcomes.iter().any(|d| {
                    &d.repository == repository
                        && d.error.is_none()
                        && deleted_by(&d.action).contains(&digest.as_str())
                });
                let gone = inventory.is_none_or(|i| !i.manifests.contains_key(digest));
                let tagged = inventory.is_some_and(|i| i.tags.iter().any(|(_, d)| d == digest));
                (deleted || gone || tagged).then(|| (repository.clone(), digest.clone()))
            })
        })
        .collect()
}

/// Images deleted and tags removed without their image, by `outcomes`.
pub fn counts<'a>(outcomes: impl IntoIterator<Item = &'a Outcome>) -> (usize, usize) {
    outcomes
        .into_iter()
        .fold((0, 0), |(deletes, untags), d| match &d.action {
            Action::Delete { .. } => (deletes + 1, untags),
            Action::Untag { tags, .. } => (deletes, untags + tags.len()),
        })
}

/// `registry/repository@digest (tags)` or `registry/repository:tag, ...`.
pub fn describe(registry: &str, item: &Outcome) -> String {
    match &item.action {
        Action::Delete { digest, tags, .. } if tags.is_empty() => {
            format!("{registry}/{}@{digest} (untagged)", item.repository)
        }
        Action::Delete { digest, tags, .. } => {
            format!(
                "{registry}/{}@{digest} ({})",
                item.repository,
                tags.join(", ")
            )
        }
        Action::Untag { tags, .. } => tags
            .iter()
            .map(|t| format!("{registry}/{}:{t}", item.repository))
            .collect::<Vec<_>>()
            .join(", "),
    }
}
