//! `aseecr untag`: remove only the named tags. Every other tag, and the image
//! itself, stay (see `registry::untag` for how, on a registry without a tag
//! delete). Afterwards each repository's tags are listed again to prove that no
//! other tag went.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::Result;

use super::report::print_error;
use super::{ExitStatus, error_json, parse_reference};
use crate::cli::{Format, UntagArgs};
use crate::connect::{self, Side};
use crate::error::{Error, Kind};
use crate::output::{human_bytes, json};
use crate::records::{ReplacedDigest, ReplacedRecord};
use crate::registry::manifest::Manifest;
use crate::registry::probe::Deletion;
use crate::registry::referrers::attachment_tag;
use crate::registry::{Anchor, Reference, Registry, placeholder};
use crate::settings::Settings;

/// One named tag and how untagging it went.
struct Item {
    /// As typed.
    typed: String,
    reference: Reference,
    tag: String,
    manifest: Option<Manifest>,
    /// The config the placeholder references (see `registry::untag`).
    anchor: Option<Anchor>,
    error: Option<anyhow::Error>,
    placeholder_size: Option<u64>,
    /// The attachment tags of the image (referrers index, cosign tags): they
    /// stay with it.
    attachments: Vec<String>,
}

/// Each repository's tags before the change, by (registry, repository).
type TagsBefore = BTreeMap<(String, String), Vec<String>>;

pub async fn run(args: UntagArgs, settings: &Settings) -> Result<ExitStatus> {
    // Parse everything first: bad input changes nothing.
    let references = args
        .references
        .iter()
        .map(|input| parse_tag(settings, input))
        .collect::<Result<Vec<_>>>()?;
    let mut registries: HashMap<String, Registry> = HashMap::new();
    for (_, reference, _) in &references {
        if !registries.contains_key(&reference.registry) {
            let registry = connect::open(settings, &reference.registry, Side::Single)?;
            registries.insert(reference.registry.clone(), registry);
        }
    }
    // One tag named: its failure is the command's (exit code of its kind).
    let single = args.references.len() == 1;
    let (before, mut items) = read_targets(settings, &registries, references, single).await?;
    let todo = items.iter().filter(|i| i.manifest.is_some()).count();
    if !args.dry_run && todo > 0 {
        super::confirm_change(settings, "untagging", "no tag was removed", || {
            let list: Vec<String> = items
                .iter()
                .filter(|i| i.manifest.is_some())
                .map(|i| i.reference.to_string())
                .collect();
            format!("Remove the tags {}?", list.join(", "))
        })?;
        require_deletion(&registries, &items).await?;
        untag_all(settings, &registries, &mut items, single).await?;
        record_untagged(settings, &registries, &items);
        verify_only_named_went(settings, &registries, &mut items, &before).await?;
    }
    report(settings, args.format.format, args.dry_run, &items)
}

/// A reference that names a tag (and no digest): as typed, parsed, and its tag.
fn parse_tag(settings: &Settings, input: &str) -> Result<(String, Reference, String)> {
    let reference = parse_reference(settings, input)?;
    let Some(tag) = reference.tag.clone().filter(|_| reference.digest.is_none()) else {
        return Err(Error::usage(format!("`{input}` names no tag to remove"))
            .help(match reference.digest {
                Some(_) => {
                    "untag removes tags; to delete an image by its digest, use `aseecr delete`"
                }
                None => "name the tag: REPO:TAG",
            })
            .into());
    };
    Ok((input.to_owned(), reference, tag))
}

/// Each repository's tags before, and what each named tag points at (each
/// failure reported as it happens; a single tag's fails the run).
async fn read_targets(
    settings: &Settings,
    registries: &HashMap<String, Registry>,
    references: Vec<(String, Reference, String)>,
    single: bool,
) -> Result<(TagsBefore, Vec<Item>)> {
    let mut before = TagsBefore::new();
    let mut items: Vec<Item> = Vec::new();
    let mut seen = BTreeSet::new();
    for (typed, reference, tag) in references {
        if !seen.insert(reference.to_string()) {
            continue;
        }
        let registry = &registries[&reference.registry];
        let key = (reference.registry.clone(), reference.repository.clone());
        if !before.contains_key(&key) {
            before.insert(key.clone(), registry.tags(&reference.repository).await?);
        }
        let (manifest, error) = match registry.manifest(&reference).await {
            Ok(manifest) => (Some(manifest), None),
            Err(err) if single => return Err(err),
            Err(err) => {
                print_error(&settings.printer, Some(&reference.to_string()), &err);
                (None, Some(err))
            }
        };
        let anchor = match &manifest {
            Some(manifest) => registry.anchor_for(&reference.repository, manifest).await,
            None => None,
        };
        let attachments = manifest
            .as_ref()
            .map(|m| attachment_tags(&before[&key], &m.digest))
            .unwrap_or_default();
        items.push(Item {
            typed,
            reference,
            tag,
            manifest,
            anchor,
            error,
            placeholder_size: None,
            attachments,
        });
    }
    Ok((before, items))
}

/// The attachment tags of `digest` among `tags`: its referrers index and its
/// cosign tags, in version order.
fn attachment_tags(tags: &[String], digest: &str) -> Vec<String> {
    let mut found: Vec<String> = tags
        .iter()
        .filter(|tag| attachment_tag(tag).is_some_and(|a| a.subject() == digest))
        .cloned()
        .collect();
    found.sort_by(|a, b| crate::registry::natural_cmp(a, b));
    found
}

/// A registry that cannot delete would be left with placeholders: ask first.
async fn require_deletion(registries: &HashMap<String, Registry>, items: &[Item]) -> Result<()> {
    for (name, registry) in registries {
        let repository = &items
            .iter()
            .find(|i| &i.reference.registry == name)
            .map(|i| i.reference.repository.clone())
            .unwrap_or_default();
        if registry.probe_delete(repository).await? == Deletion::Disabled {
            return Err(super::deletion_disabled(name, Some("no tag was removed")).into());
        }
    }
    Ok(())
}

/// Untag each item that resolved, reporting each failure as it happens.
async fn untag_all(
    settings: &Settings,
    registries: &HashMap<String, Registry>,
    items: &mut [Item],
    single: bool,
) -> Result<()> {
    for item in items.iter_mut() {
        let Some(manifest) = &item.manifest else {
            continue;
        };
        let registry = &registries[&item.reference.registry];
        match registry
            .untag(
                &item.reference.repository,
                &item.tag,
                &manifest.digest,
                item.anchor.as_ref(),
            )
            .await
        {
            Ok(done) => item.placeholder_size = Some(done.placeholder_size),
            Err(err) => {
                if single {
                    return Err(err);
                }
                print_error(&settings.printer, Some(&item.reference.to_string()), &err);
                item.error = Some(err);
            }
        }
    }
    Ok(())
}

/// The images stay, perhaps without a tag: aseecr's record lets `prune
/// --untagged` find them later (it deletes only untagged ones).
fn record_untagged(settings: &Settings, registries: &HashMap<String, Registry>, items: &[Item]) {
    let record = ReplacedRecord::in_dir(settings.config_dir.dir());
    let now = crate::records::now_rfc3339();
    for name in registries.keys() {
        let entries: Vec<ReplacedDigest> = items
            .iter()
            .filter(|i| i.placeholder_size.is_some() && &i.reference.registry == name)
            .filter_map(|i| {
                Some(ReplacedDigest {
                    repository: i.reference.repository.clone(),
                    digest: i.manifest.as_ref()?.digest.clone(),
                    size: None,
                    replaced_at: now.clone(),
                    tag: i.tag.clone(),
                })
            })
            .collect();
        if !entries.is_empty()
            && let Err(err) = record.add(name, &entries)
        {
            settings.printer.warn(format!(
                "cannot update aseecr's record of untagged images: {err:#}"
            ));
        }
    }
}

/// Prove that only the named tags went, and that they did: a tag the registry
/// still lists fails its item (reported here).
async fn verify_only_named_went(
    settings: &Settings,
    registries: &HashMap<String, Registry>,
    items: &mut [Item],
    before: &TagsBefore,
) -> Result<()> {
    for ((name, repository), tags) in before {
        let registry = &registries[name];
        let after: BTreeSet<String> = registry.tags(repository).await?.into_iter().collect();
        for item in items.iter_mut().filter(|i| {
            i.placeholder_size.is_some()
                && i.error.is_none()
                && &i.reference.registry == name
                && &i.reference.repository == repository
                && after.contains(&i.tag)
        }) {
            let err = anyhow::Error::from(crate::registry::still_listed(
                name,
                repository,
                &[item.tag.as_str()],
            ));
            print_error(&settings.printer, Some(&item.reference.to_string()), &err);
            item.error = Some(err);
        }
        let removed: BTreeSet<&str> = items
            .iter()
            .filter(|i| {
                i.placeholder_size.is_some()
                    && &i.reference.registry == name
                    && &i.reference.repository == repository
            })
            .map(|i| i.tag.as_str())
            .collect();
        let missing: Vec<&String> = tags
            .iter()
            .filter(|t| !removed.contains(t.as_str()) && !after.contains(*t))
            .collect();
        if !missing.is_empty() {
            return Err(Error::new(
                Kind::Failed,
                format!(
                    "after untagging, `{name}/{repository}` no longer lists {}: something else removed them at the same time",
                    missing
                        .iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .into());
        }
    }
    Ok(())
}

/// The placeholder size of each tag removed (or to remove), and whether the
/// empty config, uploaded for a placeholder, may be freed too.
fn placeholders(items: &[Item]) -> (Vec<u64>, bool) {
    let sizes = items
        .iter()
        .filter(|i| i.manifest.is_some() && i.error.is_none())
        .map(|i| {
            i.placeholder_size.unwrap_or_else(|| {
                let digest = i
                    .manifest
                    .as_ref()
                    .map(|m| m.digest.as_str())
                    .unwrap_or_default();
                placeholder(&i.reference.repository, &i.tag, digest, i.anchor.as_ref()).len() as u64
            })
        })
        .collect();
    let empty = items
        .iter()
        .any(|i| i.manifest.is_some() && i.error.is_none() && i.anchor.is_none());
    (sizes, empty)
}

/// Print each tag and the summary (or the JSON report), and end with exit 1
/// when any tag failed.
fn report(
    settings: &Settings,
    format: Format,
    dry_run: bool,
    items: &[Item],
) -> Result<ExitStatus> {
    let printer = &settings.printer;
    // What the next garbage collection frees: only the placeholders (and the
    // empty config if nothing else uses it); nothing else is deleted, the images stay.
    let (planned, empty) = placeholders(items);
    let freed = crate::cleanup::freed(&[], &BTreeSet::new(), &planned, empty, false);
    match format {
        Format::Json => {
            let entries: Vec<json::UntagItem> = items
                .iter()
                .map(|i| json::UntagItem {
                    reference: i.typed.clone(),
                    registry: i.reference.registry.clone(),
                    repository: i.reference.repository.clone(),
                    tag: i.tag.clone(),
                    digest: i.manifest.as_ref().map(|m| m.digest.clone()),
                    attachment_tags: i.attachments.clone(),
                    status: match (&i.error, dry_run) {
                        (Some(_), _) => json::Status::Failed,
                        (None, true) => json::Status::Planned,
                        (None, false) => json::Status::Untagged,
                    },
                    error: i.error.as_ref().map(error_json),
                })
                .collect();
            let summary = json::BatchCounts::of(entries.iter().map(|e| &e.error));
            printer.json(&json::UntagReport {
                dry_run,
                items: entries,
                summary,
                freed: freed.into(),
            })?;
        }
        Format::Text => {
            for item in items.iter().filter(|i| i.error.is_none()) {
                let digest = item
                    .manifest
                    .as_ref()
                    .map(|m| m.digest.as_str())
                    .unwrap_or_default();
                let stay = match item.attachments.len() {
                    0 => String::new(),
                    1 => "; its attachment tag stays with it".to_owned(),
                    n => format!("; its {n} attachment tags stay with it"),
                };
                printer.data(format!("{} (was {digest}{stay})", item.reference))?;
            }
            let n = planned.len();
            let tags = format!("{n} tag{}", if n == 1 { "" } else { "s" });
            let failed = items.iter().filter(|i| i.error.is_some()).count();
            let failed = if failed > 0 {
                format!("; {failed} of {} failed (errors above)", items.len())
            } else {
                String::new()
            };
            printer.status(match (dry_run, n) {
                (_, 0) => format!("no tag removed{failed}"),
                (true, _) => format!(
                    "would remove {tags}{failed}; the images stay, by digest and by their other tags"
                ),
                (false, _) => format!(
                    "removed {tags}{failed}; the images stay, by digest and by their other tags; the next garbage collection frees at most {} (the placeholder manifests)",
                    human_bytes(freed.bytes)
                ),
            });
        }
    }
    let failed = items.iter().any(|i| i.error.is_some());
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}
