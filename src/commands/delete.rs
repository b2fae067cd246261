//! `aseecr delete`: delete images by tag or digest without ever removing a tag that
//! was not named.
//!
//! The registry can only delete a manifest by digest, and that removes every tag
//! pointing at it. So every target is resolved first, the repository's tags are
//! listed and resolved to find the other tags on each digest, and if any would go
//! without being named, nothing is deleted unless `--force`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::Result;

use super::report::print_error;
use super::{ExitStatus, error_json, parse_reference};
use crate::cleanup::{Attachment, Freed, Listed};
use crate::cli::{DeleteArgs, Format};
use crate::connect::{self, Side};
use crate::error::{Error, Kind};
use crate::output::{human_bytes, json};
use crate::registry::{Deleted, Inventory, Reference, Registry};
use crate::settings::Settings;

const GC_NOTE: &str = "the registry frees the space in its next garbage collection";

/// One digest to delete in one repository.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Key {
    registry: String,
    repository: String,
    digest: String,
}

#[derive(Debug, Default)]
struct Plan {
    /// Tags named on the command line for this digest.
    named: BTreeSet<String>,
    /// Every tag that points at this digest now.
    tags: BTreeSet<String>,
    /// The references named that resolved to it, as typed.
    typed: Vec<String>,
}

/// One manifest to delete, with every tag on it.
#[derive(Debug)]
struct Entry {
    /// The first reference named that resolved to it, as typed.
    reference: String,
    registry: String,
    repository: String,
    digest: String,
    tags: Vec<String>,
    /// Its attachments (and those of an index's entries no other tag
    /// reaches), removed before it.
    attachments: Vec<Attachment>,
    /// Sizes of the placeholders made to take attachment tags off manifests
    /// that stay.
    placeholders: Vec<u64>,
    /// A referrer whose subject stays: the subject and the digest of its
    /// fallback index, which lists this manifest and is rewritten without it.
    unlisted_from: Option<(String, String)>,
}

/// Every tag of the repositories named (to find the other tags on each digest)
/// and every other repository (for what garbage collection frees), per
/// registry, and whether the whole registry was read.
type Inventories = BTreeMap<String, (Vec<Inventory>, bool)>;

/// What one deletion came to: the manifest and the error that stopped it, if any.
type Outcome = (Entry, Option<anyhow::Error>);

pub async fn run(args: DeleteArgs, settings: &Settings) -> Result<ExitStatus> {
    // Parse everything first: bad input changes nothing.
    let references = args
        .references
        .iter()
        .map(|input| parse_reference(settings, input))
        .collect::<Result<Vec<_>>>()?;
    let registries = open_registries(settings, &references)?;
    let (mut plans, failures) =
        resolve_all(settings, &registries, &args.references, &references).await?;
    let mut inventories = read_inventories(settings, &registries, &plans).await?;
    check_safety(&mut plans, &inventories, args.force)?;
    let listed = api_referrers(&registries, &mut inventories, &plans).await?;
    let mut attachments = attachments_of(&plans, &inventories, &listed);
    let unlist = unlisted(&plans, &inventories, &attachments);
    let entries: Vec<Entry> = plans
        .iter()
        .map(|(key, plan)| Entry {
            reference: plan.typed[0].clone(),
            registry: key.registry.clone(),
            repository: key.repository.clone(),
            digest: key.digest.clone(),
            tags: plan.tags.iter().cloned().collect(),
            attachments: attachments.remove(key).unwrap_or_default(),
            placeholders: Vec::new(),
            unlisted_from: unlist.get(key).cloned(),
        })
        .collect();
    let format = args.format.format;
    if args.dry_run {
        // Each manifest is listed once, on stdout, by `finish`.
        let planned = entries.into_iter().map(|entry| (entry, None)).collect();
        return finish(settings, format, true, failures, planned, &inventories);
    }
    if !entries.is_empty() {
        super::confirm_change(settings, "deleting", "nothing was deleted", || {
            let list: Vec<String> = entries.iter().map(describe).collect();
            format!("Delete {}?", list.join(", "))
        })?;
    }
    let results = delete_all(settings, &registries, &inventories, entries).await?;
    finish(settings, format, false, failures, results, &inventories)
}

/// One client per registry named.
fn open_registries(
    settings: &Settings,
    references: &[Reference],
) -> Result<HashMap<String, Registry>> {
    let mut registries: HashMap<String, Registry> = HashMap::new();
    for reference in references {
        if !registries.contains_key(&reference.registry) {
            let registry = connect::open(settings, &reference.registry, Side::Single)?;
            registries.insert(reference.registry.clone(), registry);
        }
    }
    Ok(registries)
}

/// Resolve every target to a digest; the tags named per digest, and the
/// references that did not resolve, as typed (reported as they fail; a single
/// one fails the run). `typed`: each of `references` as typed.
async fn resolve_all(
    settings: &Settings,
    registries: &HashMap<String, Registry>,
    typed: &[String],
    references: &[Reference],
) -> Result<(BTreeMap<Key, Plan>, Vec<(String, anyhow::Error)>)> {
    let mut failures: Vec<(String, anyhow::Error)> = Vec::new();
    let mut plans: BTreeMap<Key, Plan> = BTreeMap::new();
    for (input, reference) in typed.iter().zip(references) {
        let registry = &registries[&reference.registry];
        match resolve_target(registry, reference).await {
            Ok(digest) => {
                let plan = plans
                    .entry(Key {
                        registry: reference.registry.clone(),
                        repository: reference.repository.clone(),
                        digest,
                    })
                    .or_default();
                plan.typed.push(input.clone());
                if let Some(tag) = &reference.tag {
                    plan.named.insert(tag.clone());
                } else if reference.digest.is_none() {
                    plan.named.insert("latest".to_owned());
                }
            }
            Err(err) => {
                if references.len() == 1 {
                    return Err(err);
                }
                print_error(&settings.printer, Some(&reference.to_string()), &err);
                failures.push((input.clone(), err));
            }
        }
    }
    Ok((plans, failures))
}

/// Read each registry once: every tag of the repositories named (to find the
/// other tags on each digest) and every other repository (for what garbage
/// collection frees; it is registry-wide).
async fn read_inventories(
    settings: &Settings,
    registries: &HashMap<String, Registry>,
    plans: &BTreeMap<Key, Plan>,
) -> Result<Inventories> {
    let printer = &settings.printer;
    let mut inventories = Inventories::new();
    for name in plans
        .keys()
        .map(|k| k.registry.clone())
        .collect::<BTreeSet<_>>()
    {
        let repositories: Vec<String> = plans
            .keys()
            .filter(|k| k.registry == name)
            .map(|k| k.repository.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        // The digests named are read too, so an untagged one is counted.
        let mut targets: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for key in plans.keys().filter(|k| k.registry == name) {
            targets
                .entry(key.repository.clone())
                .or_default()
                .push(key.digest.clone());
        }
        let read = crate::cleanup::read_registry(&registries[&name], Some(&repositories), &targets, |err| {
            printer.warn(format!(
                "cannot list the repositories of `{name}` ({err:#}): what garbage collection frees is counted from the named repositories only"
            ))
        })
        .await
        .map_err(|err| err.context("cannot read which tags point at each digest, so nothing was deleted"))?;
        inventories.insert(name, read);
    }
    Ok(inventories)
}

/// Fill in every tag on each digest, then refuse (unless `force`) a deletion
/// that would break a multi-platform image or take tags that were not named.
fn check_safety(
    plans: &mut BTreeMap<Key, Plan>,
    inventories: &Inventories,
    force: bool,
) -> Result<()> {
    let inventory =
        |registry: &str, repository: &str| inventory_in(inventories, registry, repository);
    let mut broken: Vec<String> = Vec::new();
    let repositories: BTreeSet<(String, String)> = plans
        .keys()
        .map(|k| (k.registry.clone(), k.repository.clone()))
        .collect();
    for (registry_name, repository) in repositories {
        let inventory = inventory(&registry_name, &repository);
        for (key, plan) in plans.iter_mut() {
            if key.registry == registry_name && key.repository == repository {
                plan.tags = inventory
                    .tags
                    .iter()
                    .filter(|(_, digest)| *digest == key.digest)
                    .map(|(tag, _)| tag.clone())
                    .collect();
            }
        }
        let deleted: BTreeSet<&str> = plans
            .keys()
            .filter(|k| k.registry == registry_name && k.repository == repository)
            .map(|k| k.digest.as_str())
            .collect();
        broken.extend(broken_indexes(
            inventory,
            &deleted,
            &registry_name,
            &repository,
        ));
    }
    if !broken.is_empty() && !force {
        return Err(Error::new(
            Kind::Failed,
            format!(
                "refusing to delete: it would break a multi-platform image: {}",
                broken.join("; ")
            ),
        )
        .help("delete the whole image by its tag instead, or pass `--force` to delete the platform anyway")
        .into());
    }
    let unnamed: Vec<String> = plans
        .iter()
        .flat_map(|(key, plan)| {
            plan.tags
                .difference(&plan.named)
                .map(move |tag| format!("{}/{}:{tag}", key.registry, key.repository))
        })
        .collect();
    if !unnamed.is_empty() && !force {
        // The tags named by tag (not by digest) can go alone with `untag`.
        let by_tag: Vec<&str> = plans
            .values()
            .filter(|plan| !plan.tags.is_subset(&plan.named))
            .flat_map(|plan| plan.typed.iter())
            .filter(|typed| !typed.contains('@'))
            .map(String::as_str)
            .collect();
        let mut help = "deleting by digest removes every tag on that digest; name those tags too, or pass `--force` to delete them as well".to_owned();
        if !by_tag.is_empty() {
            help.push_str(&format!(
                "; to remove only the tag{} named and keep the image: `aseecr untag {}`",
                if by_tag.len() == 1 { "" } else { "s" },
                by_tag.join(" ")
            ));
        }
        return Err(Error::new(
            Kind::Failed,
            format!(
                "refusing to delete: the registry would also remove {} tag{} not named: {}",
                unnamed.len(),
                if unnamed.len() == 1 { "" } else { "s" },
                unnamed.join(", ")
            ),
        )
        .help(help)
        .into());
    }
    Ok(())
}

/// The attachments each deletion takes with it (see `cleanup::for_deletions`):
/// those of the manifest, and of an index's entries no remaining tag reaches.
/// `listed`: what a referrers API listed, per (registry, repository).
fn attachments_of(
    plans: &BTreeMap<Key, Plan>,
    inventories: &Inventories,
    listed: &BTreeMap<(String, String), Listed>,
) -> BTreeMap<Key, Vec<Attachment>> {
    let mut out = BTreeMap::new();
    let repositories: BTreeSet<(String, String)> = plans
        .keys()
        .map(|k| (k.registry.clone(), k.repository.clone()))
        .collect();
    for (registry, repository) in repositories {
        let inventory = inventory_in(inventories, &registry, &repository);
        let keys: Vec<&Key> = plans
            .keys()
            .filter(|k| k.registry == registry && k.repository == repository)
            .collect();
        let removed: BTreeSet<String> = keys
            .iter()
            .flat_map(|k| plans[*k].tags.iter().cloned())
            .collect();
        let deletions: Vec<Vec<String>> = keys
            .iter()
            .map(|k| {
                let mut subjects = vec![k.digest.clone()];
                subjects.extend(
                    inventory
                        .closure(&k.digest)
                        .into_iter()
                        .filter(|d| *d != k.digest),
                );
                subjects
            })
            .collect();
        let empty = Listed::new();
        let listed = listed
            .get(&(registry.clone(), repository.clone()))
            .unwrap_or(&empty);
        let found = crate::cleanup::for_deletions(inventory, &deletions, &removed, listed);
        for (key, found) in keys.into_iter().zip(found) {
            out.insert(key.clone(), found);
        }
    }
    out
}

/// On a registry with the referrers API, the referrers of what is deleted
/// (and of an index's entries) carry no tag: list them, once per repository
/// (not at all once the registry showed it has no such API, as distribution
/// 2.8), and read those the inventory lacks.
async fn api_referrers(
    registries: &HashMap<String, Registry>,
    inventories: &mut Inventories,
    plans: &BTreeMap<Key, Plan>,
) -> Result<BTreeMap<(String, String), Listed>> {
    let mut out = BTreeMap::new();
    let repositories: BTreeSet<(String, String)> = plans
        .keys()
        .map(|k| (k.registry.clone(), k.repository.clone()))
        .collect();
    let mut without_api: BTreeSet<String> = BTreeSet::new();
    for (name, repository) in repositories {
        let registry = &registries[&name];
        if without_api.contains(&name) {
            registry.remember_referrers_api(&repository, false);
            continue;
        }
        let keys: Vec<&Key> = plans
            .keys()
            .filter(|k| k.registry == name && k.repository == repository)
            .collect();
        let inventory = inventory_in(inventories, &name, &repository);
        let subjects: Vec<String> = keys
            .iter()
            .flat_map(|k| inventory.closure(&k.digest))
            .collect();
        let Some(listed) = crate::cleanup::api_referrers(registry, &repository, &subjects).await?
        else {
            without_api.insert(name);
            continue;
        };
        let missing: Vec<String> = listed
            .values()
            .flatten()
            .filter(|d| !inventory.manifests.contains_key(*d))
            .cloned()
            .collect();
        if !missing.is_empty() {
            let mut extra: Vec<String> = keys.iter().map(|k| k.digest.clone()).collect();
            extra.extend(missing);
            let read = registry.inventory_with(&repository, &extra).await?;
            if let Some((list, _)) = inventories.get_mut(&name)
                && let Some(slot) = list.iter_mut().find(|i| i.repository == repository)
            {
                *slot = read;
            }
        }
        out.insert((name, repository), listed);
    }
    Ok(out)
}

/// The deleted manifests a fallback index of a subject that stays lists (a
/// signature or SBOM deleted by digest): the subject and its index's digest.
fn unlisted(
    plans: &BTreeMap<Key, Plan>,
    inventories: &Inventories,
    attachments: &BTreeMap<Key, Vec<Attachment>>,
) -> BTreeMap<Key, (String, String)> {
    let mut out = BTreeMap::new();
    for key in plans.keys() {
        let inventory = inventory_in(inventories, &key.registry, &key.repository);
        let Some(subject) = inventory
            .manifests
            .get(&key.digest)
            .and_then(|m| m.subject.clone())
        else {
            continue;
        };
        // The subject goes too (named, or as another deletion's attachment):
        // its index goes with it.
        let gone = plans.keys().any(|k| {
            k.registry == key.registry && k.repository == key.repository && k.digest == subject
        }) || attachments
            .iter()
            .filter(|(k, _)| k.registry == key.registry && k.repository == key.repository)
            .flat_map(|(_, list)| list)
            .any(|a| a.digest == subject);
        let tag = crate::registry::referrers::fallback_tag(&subject);
        let index = inventory
            .tags
            .iter()
            .find(|(t, _)| *t == tag)
            .map(|(_, digest)| digest)
            .filter(|digest| {
                inventory
                    .manifests
                    .get(*digest)
                    .is_some_and(|m| m.is_index && m.children.contains(&key.digest))
            });
        if let (false, Some(index)) = (gone, index) {
            out.insert(key.clone(), (subject, index.clone()));
        }
    }
    out
}

/// The inventory read for `repository` of `registry` (every named one was read).
fn inventory_in<'i>(
    inventories: &'i Inventories,
    registry: &str,
    repository: &str,
) -> &'i Inventory {
    inventories[registry]
        .0
        .iter()
        .find(|i| i.repository == repository)
        .expect("every named repository was read")
}

/// Images inside a tagged index that is not being deleted: deleting one breaks
/// that index for every client.
fn broken_indexes(
    inventory: &Inventory,
    deleted: &BTreeSet<&str>,
    registry: &str,
    repository: &str,
) -> Vec<String> {
    let mut indexes: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    // A referrers index lists signatures and SBOMs, not platforms: a referrer
    // deleted by digest is taken off it instead (see `unlisted`).
    for (tag, digest) in inventory
        .tags
        .iter()
        .filter(|(tag, _)| !crate::cleanup::is_attachment_tag(tag))
    {
        let is_index = inventory.manifests.get(digest).is_some_and(|m| m.is_index);
        if is_index && !deleted.contains(digest.as_str()) {
            indexes.entry(digest).or_default().push(tag);
        }
    }
    let mut broken = Vec::new();
    for (index_digest, tags) in indexes {
        for child in inventory.manifests[index_digest]
            .children
            .iter()
            .filter(|c| deleted.contains(c.as_str()))
        {
            let platform = inventory
                .manifests
                .get(child)
                .and_then(|m| m.platforms.first().cloned())
                .unwrap_or_else(|| "an".to_owned());
            broken.push(format!(
                "{child} is the {platform} image of {}",
                tags.iter()
                    .map(|t| format!("{registry}/{repository}:{t}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    broken
}

/// Delete each manifest (its attachments first), reporting each failure as
/// it happens; a single manifest's failure fails the run.
async fn delete_all(
    settings: &Settings,
    registries: &HashMap<String, Registry>,
    inventories: &Inventories,
    entries: Vec<Entry>,
) -> Result<Vec<Outcome>> {
    let printer = &settings.printer;
    let single = entries.len() == 1;
    let mut results = Vec::new();
    for mut entry in entries {
        let registry = &registries[&entry.registry];
        let inventory = inventory_in(inventories, &entry.registry, &entry.repository);
        let removed = crate::cleanup::remove_attachments(
            registry,
            inventory,
            &entry.repository,
            &entry.attachments,
        )
        .await;
        let deleted = match removed {
            Ok(sizes) => {
                entry.placeholders = sizes;
                registry
                    .delete_manifest(&entry.repository, &entry.digest)
                    .await
            }
            Err((sizes, err)) => {
                entry.placeholders = sizes;
                Err(err.context(format!("`{}` was not deleted", describe(&entry))))
            }
        };
        let deleted = match (deleted, &entry.unlisted_from) {
            (Ok(Deleted::Yes), Some((subject, _))) => registry
                .remove_referrers(&entry.repository, subject, std::slice::from_ref(&entry.digest))
                .await
                .map(|_| Deleted::Yes)
                .map_err(|err| {
                    err.context(format!(
                        "`{}` was deleted, but the fallback index of its subject {subject} still lists it",
                        describe(&entry)
                    ))
                }),
            (deleted, _) => deleted,
        };
        let refused = match deleted {
            Ok(Deleted::Yes) => None,
            Ok(Deleted::Disabled) => Some(super::deletion_disabled(
                &entry.registry,
                Some("nothing was deleted"),
            )),
            Ok(Deleted::NotFound) => Some(Error::not_found(format!(
                "`{}/{}@{}` was already gone",
                entry.registry, entry.repository, entry.digest
            ))),
            Err(err) => {
                if single {
                    return Err(err);
                }
                print_error(printer, Some(&describe(&entry)), &err);
                results.push((entry, Some(err)));
                continue;
            }
        };
        // The registry's own answer: disabled, or already gone.
        let failure = match refused {
            Some(err) if single => return Err(err.into()),
            Some(err) => {
                let err = anyhow::Error::from(err);
                print_error(printer, None, &err);
                Some(err)
            }
            None => None,
        };
        results.push((entry, failure));
    }
    Ok(results)
}

/// Print the outcome: references that did not resolve, then each manifest with
/// the error that stopped its deletion, if any.
fn finish(
    settings: &Settings,
    format: Format,
    dry_run: bool,
    unresolved: Vec<(String, anyhow::Error)>,
    results: Vec<Outcome>,
    inventories: &Inventories,
) -> Result<ExitStatus> {
    let failed = !unresolved.is_empty() || results.iter().any(|(_, err)| err.is_some());
    let freed = freed_by(inventories, &results, dry_run);
    match format {
        Format::Json => report_json(settings, dry_run, &unresolved, &results, freed)?,
        Format::Text => report_text(settings, dry_run, unresolved.len(), &results, freed)?,
    }
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// What the next garbage collection frees: from each registry, the blobs of the
/// manifests deleted (or to delete), their attachments included, that nothing
/// else references, and the placeholders that took attachment tags off
/// manifests that stay. `dry_run`: as planned.
fn freed_by(inventories: &Inventories, results: &[Outcome], dry_run: bool) -> Freed {
    let mut freed = Freed {
        all_repositories: true,
        ..Freed::default()
    };
    for (name, (read, complete)) in inventories {
        let mut deleted: BTreeSet<(String, String)> = BTreeSet::new();
        let mut placeholders: Vec<u64> = Vec::new();
        let mut empty_config = false;
        for (entry, err) in results.iter().filter(|(entry, _)| &entry.registry == name) {
            if !dry_run {
                placeholders.extend(&entry.placeholders);
            }
            if err.is_some() {
                continue;
            }
            let inventory = inventory_in(inventories, name, &entry.repository);
            deleted.insert((entry.repository.clone(), entry.digest.clone()));
            // The subject's fallback index is replaced (or deleted when it
            // listed nothing else): its own bytes go.
            if let Some((_, index)) = &entry.unlisted_from {
                deleted.insert((entry.repository.clone(), index.clone()));
            }
            for attachment in &entry.attachments {
                if !attachment.untag_only {
                    deleted.insert((entry.repository.clone(), attachment.digest.clone()));
                    continue;
                }
                let anchor = inventory.anchor(&attachment.digest);
                empty_config |= anchor.is_none();
                if dry_run && let Some(tag) = &attachment.tag {
                    placeholders.push(
                        crate::registry::placeholder(
                            &entry.repository,
                            tag,
                            &attachment.digest,
                            anchor.as_ref(),
                        )
                        .len() as u64,
                    );
                }
            }
        }
        let one = crate::cleanup::freed(read, &deleted, &placeholders, empty_config, *complete);
        freed.bytes += one.bytes;
        freed.blobs += one.blobs;
        freed.all_repositories &= one.all_repositories;
    }
    freed
}

fn report_json(
    settings: &Settings,
    dry_run: bool,
    unresolved: &[(String, anyhow::Error)],
    results: &[Outcome],
    freed: Freed,
) -> Result<()> {
    let mut items: Vec<json::DeleteItem> = unresolved
        .iter()
        .map(|(reference, err)| json::DeleteItem {
            reference: reference.clone(),
            status: json::Status::Failed,
            registry: None,
            repository: None,
            digest: None,
            tags: None,
            attachments: Vec::new(),
            unlisted_from: None,
            error: Some(error_json(err)),
        })
        .collect();
    items.extend(results.iter().map(|(entry, err)| json::DeleteItem {
        reference: entry.reference.clone(),
        status: match (err, dry_run) {
            (Some(_), _) => json::Status::Failed,
            (None, true) => json::Status::Planned,
            (None, false) => json::Status::Deleted,
        },
        registry: Some(entry.registry.clone()),
        repository: Some(entry.repository.clone()),
        digest: Some(entry.digest.clone()),
        tags: Some(entry.tags.clone()),
        attachments: entry.attachments.iter().map(Into::into).collect(),
        unlisted_from: entry.unlisted_from.as_ref().map(|(s, _)| s.clone()),
        error: err.as_ref().map(error_json),
    }));
    let summary = json::BatchCounts::of(items.iter().map(|item| &item.error));
    settings.printer.json(&json::DeleteReport {
        dry_run,
        items,
        summary,
        note: GC_NOTE,
        freed: freed.into(),
    })?;
    Ok(())
}

/// Each manifest deleted (or to delete) on stdout, then the summary on stderr.
fn report_text(
    settings: &Settings,
    dry_run: bool,
    unresolved: usize,
    results: &[Outcome],
    freed: Freed,
) -> Result<()> {
    let printer = &settings.printer;
    let entries: Vec<&Entry> = results
        .iter()
        .filter(|(_, err)| err.is_none())
        .map(|(entry, _)| entry)
        .collect();
    for entry in &entries {
        printer.data(format!(
            "{}/{}@{}{}{}",
            entry.registry,
            entry.repository,
            entry.digest,
            if entry.tags.is_empty() {
                String::new()
            } else {
                format!(" ({})", entry.tags.join(", "))
            },
            crate::cleanup::attachments_note(&entry.attachments)
        ))?;
        if let Some((subject, _)) = &entry.unlisted_from {
            printer.status(format!(
                "{} {} the fallback index of its subject {subject}",
                entry.digest,
                if dry_run {
                    "would be taken off"
                } else {
                    "was taken off"
                }
            ));
        }
    }
    printer.status(text_summary(
        dry_run,
        entries.len(),
        unresolved + results.len(),
        freed,
    ));
    Ok(())
}

/// The closing line of a text run: how many manifests went (or would go), how
/// many of the items (references that did not resolve, manifests) failed, and
/// the garbage-collection note only when something was deleted.
fn text_summary(dry_run: bool, done: usize, total: usize, freed: Freed) -> String {
    let manifests = |n: usize| format!("{n} manifest{}", if n == 1 { "" } else { "s" });
    let failed = total - done;
    let mut line = match (dry_run, done) {
        (true, 0) => "nothing to delete".to_owned(),
        (true, n) => format!("would delete {}", manifests(n)),
        (false, 0) => "nothing deleted".to_owned(),
        (false, n) => format!("deleted {}", manifests(n)),
    };
    if failed > 0 {
        line.push_str(&format!("; {failed} of {total} failed (errors above)"));
    }
    if done > 0 {
        line.push_str(&format!(
            "; {GC_NOTE}, at most {}{}",
            human_bytes(freed.bytes),
            if freed.all_repositories {
                ""
            } else {
                " (counting the named repositories only)"
            }
        ));
    }
    line
}

fn describe(entry: &Entry) -> String {
    let tags = if entry.tags.is_empty() {
        "no tags".to_owned()
    } else {
        format!("tags {}", entry.tags.join(", "))
    };
    format!(
        "{}/{}@{} ({tags}){}",
        entry.registry,
        entry.repository,
        entry.digest,
        crate::cleanup::attachments_note(&entry.attachments)
    )
}

/// The digest a target names: its digest, or what its tag resolves to.
async fn resolve_target(registry: &Registry, reference: &Reference) -> Result<String> {
    let descriptor = registry.resolve(reference).await?;
    if let (Some(expected), Some(tag)) = (&reference.digest, &reference.tag) {
        // `repo:tag@digest`: the tag must still point at that digest.
        let current = registry.resolve(&reference.with_tag(tag)).await?;
        if current.digest != *expected {
            return Err(Error::usage(format!(
                "`{reference}`: tag `{tag}` now points at {}, not at the digest given",
                current.digest
            ))
            .into());
        }
    }
    Ok(descriptor.digest)
}

#[cfg(test)]
mod tests {
    use super::{Freed, GC_NOTE, text_summary};

    const FREED: Freed = Freed {
        bytes: 2048,
        blobs: 3,
        all_repositories: true,
    };

    #[test]
    fn the_summary_says_how_many_of_how_many_failed() {
        assert_eq!(
            text_summary(false, 0, 3, FREED),
            "nothing deleted; 3 of 3 failed (errors above)"
        );
        assert_eq!(
            text_summary(false, 1, 3, FREED),
            format!("deleted 1 manifest; 2 of 3 failed (errors above); {GC_NOTE}, at most 2.0 KiB")
        );
        assert_eq!(
            text_summary(true, 2, 2, FREED),
            format!("would delete 2 manifests; {GC_NOTE}, at most 2.0 KiB")
        );
        assert_eq!(text_summary(true, 0, 0, FREED), "nothing to delete");
    }
}
