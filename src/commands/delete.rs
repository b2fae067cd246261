//! `aseecr delete`: delete images by tag or digest without ever removing a tag that
//! was not named.
//!
//! The registry can only delete a manifest by digest, and that removes every tag
//! pointing at it. So every target is resolved first, the repository's tags are
//! listed and resolved to find the other tags on each digest, and if any would go
//! without being named, nothing is deleted unless `--force`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::Result;
use futures_util::stream::{self, StreamExt, TryStreamExt};

use super::{ExitStatus, error_json, open_registry, parse_reference};
use crate::cli::{DeleteArgs, Format};
use crate::error::{Error, Kind};
use crate::output::json;
use crate::registry::{Content, Deleted, Descriptor, Reference, Registry, manifest};
use crate::settings::Settings;

/// Tags resolved at once while looking for tags that share a digest.
const RESOLVE_CONCURRENCY: usize = 8;

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
}

/// One manifest to delete, with every tag on it.
#[derive(Debug)]
struct Entry {
    registry: String,
    repository: String,
    digest: String,
    tags: Vec<String>,
}

pub async fn run(args: DeleteArgs, settings: &Settings) -> Result<ExitStatus> {
    let printer = &settings.printer;
    // Parse everything first: bad input changes nothing.
    let references = args
        .references
        .iter()
        .map(|input| parse_reference(settings, input))
        .collect::<Result<Vec<_>>>()?;

    let mut registries: HashMap<String, Registry> = HashMap::new();
    for reference in &references {
        if !registries.contains_key(&reference.registry) {
            let registry = open_registry(settings, &reference.registry)?;
            registries.insert(reference.registry.clone(), registry);
        }
    }

    // Resolve every target to a digest.
    let mut failures: Vec<(String, anyhow::Error)> = Vec::new();
    let mut plans: BTreeMap<Key, Plan> = BTreeMap::new();
    for reference in &references {
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
                printer.error(format!("{reference}: {err:#}"));
                failures.push((reference.to_string(), err));
            }
        }
    }

    // Find every tag on each digest.
    let repositories: BTreeSet<(String, String)> = plans
        .keys()
        .map(|k| (k.registry.clone(), k.repository.clone()))
        .collect();
    // Images inside a tagged index that is not being deleted: deleting one breaks
    // that index for every client.
    let mut broken: Vec<String> = Vec::new();
    for (registry_name, repository) in repositories {
        let registry = &registries[&registry_name];
        let tag_digests = tag_digests(registry, &repository).await?;
        for (key, plan) in plans.iter_mut() {
            if key.registry == registry_name && key.repository == repository {
                plan.tags = tag_digests
                    .iter()
                    .filter(|(_, descriptor)| descriptor.digest == key.digest)
                    .map(|(tag, _)| tag.clone())
                    .collect();
            }
        }
        let deleted: BTreeSet<&str> = plans
            .keys()
            .filter(|k| k.registry == registry_name && k.repository == repository)
            .map(|k| k.digest.as_str())
            .collect();
        let mut indexes: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (tag, descriptor) in &tag_digests {
            let is_index = descriptor.media_type == manifest::OCI_INDEX
                || descriptor.media_type == manifest::DOCKER_LIST;
            if is_index && !deleted.contains(descriptor.digest.as_str()) {
                indexes.entry(&descriptor.digest).or_default().push(tag);
            }
        }
        for (index_digest, tags) in indexes {
            let reference = Reference {
                registry: registry_name.clone(),
                repository: repository.clone(),
                tag: None,
                digest: Some(index_digest.to_owned()),
            };
            let Content::Index(index) = registry.manifest(&reference).await?.content()? else {
                continue;
            };
            for entry in index
                .manifests
                .iter()
                .filter(|e| deleted.contains(e.digest.as_str()))
            {
                let platform = entry
                    .platform
                    .as_ref()
                    .map(crate::registry::manifest::platform_string)
                    .unwrap_or_else(|| "an".to_owned());
                broken.push(format!(
                    "{} is the {platform} image of {}",
                    entry.digest,
                    tags.iter()
                        .map(|t| format!("{registry_name}/{repository}:{t}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    if !broken.is_empty() && !args.force {
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

    // Refuse when a deletion would take tags that were not named.
    let unnamed: Vec<String> = plans
        .iter()
        .flat_map(|(key, plan)| {
            plan.tags
                .difference(&plan.named)
                .map(move |tag| format!("{}/{}:{tag}", key.registry, key.repository))
        })
        .collect();
    if !unnamed.is_empty() && !args.force {
        return Err(Error::new(
            Kind::Failed,
            format!(
                "refusing to delete: the registry would also remove {} tag{} not named: {}",
                unnamed.len(),
                if unnamed.len() == 1 { "" } else { "s" },
                unnamed.join(", ")
            ),
        )
        .help("deleting by digest removes every tag on that digest; name those tags too, or pass `--force` to delete them as well")
        .into());
    }

    let entries: Vec<Entry> = plans
        .iter()
        .map(|(key, plan)| Entry {
            registry: key.registry.clone(),
            repository: key.repository.clone(),
            digest: key.digest.clone(),
            tags: plan.tags.iter().cloned().collect(),
        })
        .collect();

    if args.dry_run {
        // Each manifest is listed once, on stdout, by `finish`.
        let planned = entries.into_iter().map(|entry| (entry, None)).collect();
        return finish(settings, args.format.format, true, failures, planned);
    }

    if !entries.is_empty() {
        super::confirm_change(settings, "deleting", "nothing was deleted", || {
            let list: Vec<String> = entries.iter().map(describe).collect();
            format!("Delete {}?", list.join(", "))
        })?;
    }

    let mut results = Vec::new();
    for entry in entries {
        let registry = &registries[&entry.registry];
        let failure: Option<anyhow::Error> = match registry
            .delete_manifest(&entry.repository, &entry.digest)
            .await
        {
            Ok(Deleted::Yes) => None,
            Ok(Deleted::Disabled) => {
                let err = disabled(&entry.registry);
                if plans.len() == 1 {
                    return Err(err.into());
                }
                printer.error(format!("{err}"));
                Some(err.into())
            }
            Ok(Deleted::NotFound) => {
                let err = Error::not_found(format!(
                    "`{}/{}@{}` was already gone",
                    entry.registry, entry.repository, entry.digest
                ));
                if plans.len() == 1 {
                    return Err(err.into());
                }
                printer.error(format!("{err}"));
                Some(err.into())
            }
            Err(err) => {
                if plans.len() == 1 {
                    return Err(err);
                }
                printer.error(format!("{}: {err:#}", describe(&entry)));
                Some(err)
            }
        };
        results.push((entry, failure));
    }
    finish(settings, args.format.format, false, failures, results)
}

/// Print the outcome: references that did not resolve, then each manifest with
/// the error that stopped its deletion, if any.
fn finish(
    settings: &Settings,
    format: Format,
    dry_run: bool,
    unresolved: Vec<(String, anyhow::Error)>,
    results: Vec<(Entry, Option<anyhow::Error>)>,
) -> Result<ExitStatus> {
    let printer = &settings.printer;
    let failed = !unresolved.is_empty() || results.iter().any(|(_, err)| err.is_some());
    match format {
        Format::Json => {
            let mut items: Vec<json::DeleteItem> = unresolved
                .iter()
                .map(|(reference, err)| json::DeleteItem {
                    reference: reference.clone(),
                    status: "failed",
                    registry: None,
                    repository: None,
                    digest: None,
                    tags: None,
                    error: Some(error_json(err)),
                })
                .collect();
            items.extend(results.iter().map(|(entry, err)| json::DeleteItem {
                reference: format!("{}/{}@{}", entry.registry, entry.repository, entry.digest),
                status: match (err, dry_run) {
                    (Some(_), _) => "failed",
                    (None, true) => "planned",
                    (None, false) => "deleted",
                },
                registry: Some(entry.registry.clone()),
                repository: Some(entry.repository.clone()),
                digest: Some(entry.digest.clone()),
                tags: Some(entry.tags.clone()),
                error: err.as_ref().map(error_json),
            }));
            let summary = json::BatchCounts::of(items.iter().map(|item| &item.error));
            printer.json(&json::DeleteReport {
                dry_run,
                items,
                summary,
                note: GC_NOTE,
            })?;
        }
        Format::Text => {
            let entries: Vec<&Entry> = results
                .iter()
                .filter(|(_, err)| err.is_none())
                .map(|(entry, _)| entry)
                .collect();
            for entry in &entries {
                printer.data(format!(
                    "{}/{}@{}{}",
                    entry.registry,
                    entry.repository,
                    entry.digest,
                    if entry.tags.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", entry.tags.join(", "))
                    }
                ))?;
            }
            printer.status(text_summary(
                dry_run,
                entries.len(),
                unresolved.len() + results.len(),
            ));
        }
    }
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// The closing line of a text run: how many manifests went (or would go), how
/// many of the items (references that did not resolve, manifests) failed, and
/// the garbage-collection note only when something was deleted.
fn text_summary(dry_run: bool, done: usize, total: usize) -> String {
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
        line.push_str(&format!("; {GC_NOTE}"));
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
        "{}/{}@{} ({tags})",
        entry.registry, entry.repository, entry.digest
    )
}

fn disabled(registry: &str) -> Error {
    Error::new(
        Kind::RegistryRefused,
        format!("deletion is disabled on `{registry}` (HTTP 405): nothing was deleted"),
    )
    .help("enable it in the registry's configuration: `storage: delete: enabled: true` (or REGISTRY_STORAGE_DELETE_ENABLED=true)")
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

/// Every tag of a repository with the digest it resolves to.
async fn tag_digests(registry: &Registry, repository: &str) -> Result<Vec<(String, Descriptor)>> {
    let tags = registry.tags(repository).await?;
    let base = Reference {
        registry: registry.name().to_owned(),
        repository: repository.to_owned(),
        tag: None,
        digest: None,
    };
    stream::iter(tags)
        .map(|tag| {
            let reference = base.with_tag(&tag);
            async move {
                match registry.resolve(&reference).await {
                    Ok(descriptor) => Ok(Some((tag, descriptor))),
                    // A tag deleted since the listing shares nothing.
                    Err(err) if crate::error::find(&err).is_some_and(|e| e.kind.is_not_found()) => {
                        Ok(None)
                    }
                    Err(err) => Err(err.context(format!(
                        "cannot check which digest tag `{tag}` points at, so nothing was deleted"
                    ))),
                }
            }
        })
        .buffer_unordered(RESOLVE_CONCURRENCY)
        .try_filter_map(|found| async move { Ok(found) })
        .try_collect()
        .await
}

#[cfg(test)]
mod tests {
    use super::{GC_NOTE, text_summary};

    #[test]
    fn the_summary_says_how_many_of_how_many_failed() {
        assert_eq!(
            text_summary(false, 0, 3),
            "nothing deleted; 3 of 3 failed (errors above)"
        );
        assert_eq!(
            text_summary(false, 1, 3),
            format!("deleted 1 manifest; 2 of 3 failed (errors above); {GC_NOTE}")
        );
        assert_eq!(
            text_summary(true, 2, 2),
            format!("would delete 2 manifests; {GC_NOTE}")
        );
        assert_eq!(text_summary(true, 0, 0), "nothing to delete");
    }
}
