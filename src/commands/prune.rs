//! `aseecr prune`: delete images by policy (keep the newest N, older than an age,
//! by tag pattern), never an image another kept tag or image needs, and say what
//! the registry's next garbage collection frees.
//!
//! Requests grow linearly: every repository is read once (`Registry::inventory`:
//! one request per tag, per distinct manifest, per image config), every action
//! is one request per digest (two per removed tag), and a repository whose tags
//! were moved onto placeholders is listed once more at the end to prove no kept
//! tag went.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use futures_util::stream::{self, StreamExt};
use regex::Regex;

use super::{ExitStatus, error_json, open_registry, parse_repository};
use crate::cleanup::{self, Action, Policy, RepoPlan};
use crate::cli::{Format, PruneArgs};
use crate::error::{Error, Kind};
use crate::output::{human_bytes, json};
use crate::records::ReplacedRecord;
use crate::registry::probe::Deletion;
use crate::registry::{Anchor, Deleted, Reference, Registry, placeholder};
use crate::settings::Settings;

/// One action and how it went.
struct Done {
    repository: String,
    action: Action,
    error: Option<anyhow::Error>,
    /// Sizes of the placeholders made to remove tags.
    placeholders: Vec<u64>,
}

/// Deletions and untags in flight at once.
const ACTION_CONCURRENCY: usize = 8;

pub async fn run(args: PruneArgs, settings: &Settings) -> Result<ExitStatus> {
    let printer = &settings.printer;
    let policy = policy(&args)?;
    let (registry_name, named) = targets(&args, settings)?;
    let registry = open_registry(settings, &registry_name)?;

    // Untagged digests aseecr recorded (mirror replaced them, untag left them).
    let record = ReplacedRecord::in_dir(settings.config_dir.dir());
    let mut recorded: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if args.untagged {
        for entry in record.list(&registry_name)? {
            let wanted = named.as_ref().is_none_or(|n| n.contains(&entry.repository));
            if wanted {
                recorded
                    .entry(entry.repository)
                    .or_default()
                    .push(entry.digest);
            }
        }
    }
    let (inventories, all_repositories) =
        cleanup::read_registry(&registry, named.as_deref(), &recorded, |err| {
            printer.warn(format!(
                "cannot list the repositories of `{registry_name}` ({err:#}): what garbage collection frees is counted from the named repositories only"
            ))
        })
        .await?;
    let targets: Vec<String> = match &named {
        Some(named) => named.clone(),
        None => inventories.iter().map(|i| i.repository.clone()).collect(),
    };

    let plans: BTreeMap<String, RepoPlan> = inventories
        .iter()
        .filter(|inventory| targets.contains(&inventory.repository))
        .map(|inventory| {
            let policy = Policy {
                untagged: recorded
                    .get(&inventory.repository)
                    .map(|digests| digests.iter().cloned().collect())
                    .unwrap_or_default(),
                ..policy.clone()
            };
            (
                inventory.repository.clone(),
                cleanup::plan(inventory, &policy),
            )
        })
        .collect();
    let inventory_of = |repository: &str| {
        inventories
            .iter()
            .find(|i| i.repository == repository)
            .expect("every planned repository was read")
    };
    let mut done: Vec<Done> = plans
        .iter()
        .flat_map(|(repository, plan)| {
            plan.actions.iter().map(|action| Done {
                repository: repository.clone(),
                action: action.clone(),
                error: None,
                placeholders: Vec::new(),
            })
        })
        .collect();

    if !args.dry_run && !done.is_empty() {
        super::confirm_change(settings, "pruning", "nothing was deleted", || {
            let (deletes, untags) = counts(&done);
            format!(
                "Delete {deletes} image{} and remove {untags} more tag{} in `{registry_name}`?",
                plural(deletes),
                plural(untags)
            )
        })?;
        let first = &done[0].repository;
        if registry.probe_delete(first).await? == Deletion::Disabled {
            return Err(
                super::deletion_disabled(&registry_name, Some("nothing was deleted")).into(),
            );
        }
        // Actions are independent of each other (an index and its entries are
        // one action): a few at a time, as a registry checking a password on
        // every request is the bottleneck. But untags go first, one at a time
        // per repository, and deletions after them: an untag rewrites a tag's
        // link file, and distribution 2.8 can read it empty while it is being
        // rewritten, which fails another request's tag lookup after it deleted
        // its manifest, leaving that manifest's tags behind (seen once).
        let run = |item: &'_ Done| {
            let anchor = inventory_of(&item.repository).anchor(item.action.digest());
            let registry = &registry;
            let (repository, action) = (item.repository.clone(), item.action.clone());
            async move { execute(registry, &repository, &action, anchor.as_ref()).await }
        };
        let mut chains: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, item) in done.iter().enumerate() {
            if !matches!(item.action, Action::Untag { .. }) {
                continue;
            }
            match chains.iter_mut().find(|(r, _)| *r == item.repository) {
                Some((_, chain)) => chain.push(i),
                None => chains.push((item.repository.clone(), vec![i])),
            }
        }
        let mut results: Vec<Option<_>> = done.iter().map(|_| None).collect();
        let untagged: Vec<Vec<(usize, _)>> = stream::iter(chains)
            .map(|(_, chain)| {
                let run = &run;
                let done = &done;
                async move {
                    let mut out = Vec::new();
                    for i in chain {
                        out.push((i, run(&done[i]).await));
                    }
                    out
                }
            })
            .buffer_unordered(ACTION_CONCURRENCY)
            .collect()
            .await;
        for (i, result) in untagged.into_iter().flatten() {
            results[i] = Some(result);
        }
        let deleted: Vec<(usize, _)> = stream::iter(
            done.iter()
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
        for (i, result) in deleted {
            results[i] = Some(result);
        }
        let results: Vec<_> = results
            .into_iter()
            .map(|r| r.expect("every action ran"))
            .collect();
        for (item, result) in done.iter_mut().zip(results) {
            match result {
                Ok(placeholders) => item.placeholders = placeholders,
                Err((placeholders, err)) => {
                    printer.error(format!("{}: {err:#}", describe(&registry_name, item)));
                    item.placeholders = placeholders;
                    item.error = Some(err);
                }
            }
        }
        // Prove that every kept tag is still there where tags were moved onto
        // placeholders (a deletion by digest takes exactly the tags the read
        // found on it, all selected).
        for (repository, plan) in &plans {
            let untagged = done
                .iter()
                .any(|d| &d.repository == repository && matches!(d.action, Action::Untag { .. }));
            if !untagged {
                continue;
            }
            let after: BTreeSet<String> = registry.tags(repository).await?.into_iter().collect();
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
                        "after pruning, `{registry_name}/{repository}` no longer lists the kept tags {}: something else removed them at the same time",
                        missing.join(", ")
                    ),
                )
                .into());
            }
        }
    }

    // The record forgets what is deleted now, gone, or tagged again.
    if !args.dry_run && !recorded.is_empty() {
        let forget: Vec<(String, String)> = recorded
            .iter()
            .flat_map(|(repository, digests)| {
                let inventory = inventories.iter().find(|i| &i.repository == repository);
                let done = &done;
                digests.iter().filter_map(move |digest| {
                    let deleted = done.iter().any(|d| {
                        &d.repository == repository
                            && d.error.is_none()
                            && d.action.digest() == digest
                    });
                    let gone = inventory.is_none_or(|i| !i.manifests.contains_key(digest));
                    let tagged = inventory.is_some_and(|i| i.tags.iter().any(|(_, d)| d == digest));
                    (deleted || gone || tagged).then(|| (repository.clone(), digest.clone()))
                })
            })
            .collect();
        if let Err(err) = record.forget(&registry_name, &forget) {
            printer.warn(format!(
                "cannot update aseecr's record of untagged images: {err:#}"
            ));
        }
    }

    // What the next garbage collection frees.
    let mut deleted: BTreeSet<(String, String)> = BTreeSet::new();
    let mut placeholders: Vec<u64> = Vec::new();
    for item in &done {
        if item.error.is_some() && !args.dry_run {
            placeholders.extend(&item.placeholders);
            continue;
        }
        match &item.action {
            Action::Delete {
                digest, children, ..
            } => {
                deleted.insert((item.repository.clone(), digest.clone()));
                for child in children {
                    deleted.insert((item.repository.clone(), child.clone()));
                }
            }
            Action::Untag { digest, tags, .. } if args.dry_run => {
                let anchor = inventory_of(&item.repository).anchor(digest);
                placeholders.extend(tags.iter().map(|tag| {
                    placeholder(&item.repository, tag, digest, anchor.as_ref()).len() as u64
                }));
            }
            Action::Untag { .. } => placeholders.extend(&item.placeholders),
        }
    }
    // Placeholders on the empty config: only for images with no config known.
    let empty_config = done.iter().any(|d| {
        matches!(d.action, Action::Untag { .. })
            && inventory_of(&d.repository)
                .anchor(d.action.digest())
                .is_none()
    });
    let freed = cleanup::freed(
        &inventories,
        &deleted,
        &placeholders,
        empty_config,
        all_repositories,
    );

    let failed = done.iter().any(|d| d.error.is_some());
    match args.format.format {
        Format::Json => {
            let items: Vec<json::PruneItem> = done
                .iter()
                .map(|d| {
                    let (action, tags, children, size, reason) = match &d.action {
                        Action::Delete {
                            digest,
                            tags,
                            children,
                        } => (
                            "delete",
                            tags.clone(),
                            children.clone(),
                            Some(inventory_of(&d.repository).size_of(digest)),
                            None,
                        ),
                        Action::Untag { tags, reason, .. } => (
                            "untag",
                            tags.clone(),
                            Vec::new(),
                            None,
                            Some(reason.clone()),
                        ),
                    };
                    json::PruneItem {
                        repository: d.repository.clone(),
                        action,
                        digest: d.action.digest().to_owned(),
                        tags,
                        children,
                        size,
                        reason,
                        status: match (&d.error, args.dry_run) {
                            (Some(_), _) => "failed",
                            (None, true) => "planned",
                            (None, false) => "done",
                        },
                        error: d.error.as_ref().map(error_json),
                    }
                })
                .collect();
            let summary = json::BatchCounts::of(items.iter().map(|i| &i.error));
            let kept = plans
                .iter()
                .flat_map(|(repository, plan)| {
                    plan.kept.iter().map(|k| json::PruneKept {
                        repository: repository.clone(),
                        tag: k.tag.clone(),
                        digest: k.digest.clone(),
                        reason: k.reason,
                    })
                })
                .collect();
            printer.json(&json::PruneReport {
                dry_run: args.dry_run,
                registry: registry_name.clone(),
                items,
                kept,
                summary,
                freed: json::Freed {
                    bytes: freed.bytes,
                    blobs: freed.blobs,
                    all_repositories: freed.all_repositories,
                    note: json::FREED_NOTE,
                },
            })?;
        }
        Format::Text => {
            for item in done.iter().filter(|d| d.error.is_none()) {
                printer.data(match &item.action {
                    Action::Delete { digest, .. } => format!(
                        "delete {}  {}",
                        describe(&registry_name, item),
                        human_bytes(inventory_of(&item.repository).size_of(digest))
                    ),
                    Action::Untag { reason, .. } => format!(
                        "untag  {}  (the image stays: {reason})",
                        describe(&registry_name, item)
                    ),
                })?;
            }
            let (deletes, untags) = counts(&done);
            let kept: usize = plans.values().map(|p| p.kept.len()).sum();
            let repositories = plans.len();
            let mut line = format!(
                "{} {deletes} image{} and {} {untags} tag{} in {repositories} repositor{}; kept {kept} tag{}",
                if args.dry_run {
                    "would delete"
                } else {
                    "deleted"
                },
                plural(deletes),
                if args.dry_run { "remove" } else { "removed" },
                plural(untags),
                if repositories == 1 { "y" } else { "ies" },
                plural(kept),
            );
            if deletes + untags > 0 {
                line.push_str(&format!(
                    "; the next garbage collection frees at most {} ({} blob{}{})",
                    human_bytes(freed.bytes),
                    freed.blobs,
                    plural(freed.blobs),
                    if freed.all_repositories {
                        ""
                    } else {
                        ", counting the named repositories only"
                    }
                ));
            }
            printer.status(line);
        }
    }
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// The policy from the command line; a prune without a rule is refused.
fn policy(args: &PruneArgs) -> Result<Policy> {
    if args.keep.is_none() && args.older_than.is_none() && !args.untagged {
        return Err(Error::usage("prune needs a policy: nothing would be selected")
            .help("give --keep N, --older-than AGE or --untagged (and --dry-run to see the plan first)")
            .into());
    }
    let regex = |flag: &str, pattern: &Option<String>| -> Result<Option<Regex>> {
        pattern
            .as_deref()
            .map(|p| {
                Regex::new(p).map_err(|err| {
                    let first = err.to_string();
                    let first = first.lines().last().unwrap_or_default().trim().to_owned();
                    anyhow::Error::new(
                        Error::usage(format!("invalid {flag} pattern `{p}`: {first}")).help(
                            "write a regular expression, such as '^1\\.' or '^(latest|stable)$'",
                        ),
                    )
                })
            })
            .transpose()
    };
    Ok(Policy {
        keep: args.keep,
        older_than: args
            .older_than
            .as_deref()
            .map(cleanup::parse_age)
            .transpose()?,
        tags: regex("--tags", &args.tags)?,
        exclude: regex("--exclude", &args.exclude)?,
        untagged: BTreeSet::new(),
        now: chrono::Utc::now().timestamp(),
    })
}

/// The registry, and the named repositories (`None`: every repository).
fn targets(args: &PruneArgs, settings: &Settings) -> Result<(String, Option<Vec<String>>)> {
    if args.all_repositories {
        let registry = match args.repositories.as_slice() {
            [] => settings.default_registry.clone().ok_or_else(|| {
                Error::usage("--all-repositories needs a registry, and no default registry is set")
                    .help("name it: `aseecr prune --all-repositories HOST:PORT ...`, or `aseecr config set registry HOST:PORT`")
            })?,
            [registry] => crate::registry::reference::normalize_registry(registry)?,
            _ => {
                return Err(Error::usage(
                    "with --all-repositories, name only the registry, not repositories",
                )
                .help("drop --all-repositories to prune the named repositories only")
                .into());
            }
        };
        return Ok((registry, None));
    }
    if args.repositories.is_empty() {
        return Err(Error::usage("name the repositories to prune")
            .help("or pass --all-repositories to prune every repository of the registry")
            .into());
    }
    let mut registry: Option<String> = None;
    let mut repositories = Vec::new();
    for input in &args.repositories {
        let reference: Reference = parse_repository(settings, input)?;
        match &registry {
            Some(r) if r != &reference.registry => {
                return Err(Error::usage(format!(
                    "`{input}` is on `{}`, the others on `{r}`: prune one registry at a time",
                    reference.registry
                ))
                .into());
            }
            _ => registry = Some(reference.registry.clone()),
        }
        if !repositories.contains(&reference.repository) {
            repositories.push(reference.repository);
        }
    }
    Ok((registry.unwrap_or_default(), Some(repositories)))
}

/// Carry out one action. On failure, the sizes of placeholders already made.
async fn execute(
    registry: &Registry,
    repository: &str,
    action: &Action,
    anchor: Option<&Anchor>,
) -> std::result::Result<Vec<u64>, (Vec<u64>, anyhow::Error)> {
    match action {
        Action::Delete {
            digest, children, ..
        } => {
            for digest in std::iter::once(digest).chain(children) {
                match registry.delete_manifest(repository, digest).await {
                    Ok(Deleted::Yes | Deleted::NotFound) => {}
                    Ok(Deleted::Disabled) => {
                        return Err((
                            Vec::new(),
                            super::deletion_disabled(registry.name(), None).into(),
                        ));
                    }
                    Err(err) => return Err((Vec::new(), err)),
                }
            }
            Ok(Vec::new())
        }
        Action::Untag { digest, tags, .. } => {
            let mut sizes = Vec::new();
            for tag in tags {
                match registry.untag(repository, tag, digest, anchor).await {
                    Ok(done) => sizes.push(done.placeholder_size),
                    Err(err) => return Err((sizes, err)),
                }
            }
            Ok(sizes)
        }
    }
}

/// `registry/repository@digest (tags)` or `registry/repository:tag, ...`.
fn describe(registry: &str, item: &Done) -> String {
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

/// Images deleted and tags removed without their image.
fn counts(done: &[Done]) -> (usize, usize) {
    let deletes = done
        .iter()
        .filter(|d| matches!(d.action, Action::Delete { .. }))
        .count();
    let untags = done
        .iter()
        .map(|d| match &d.action {
            Action::Untag { tags, .. } => tags.len(),
            Action::Delete { .. } => 0,
        })
        .sum();
    (deletes, untags)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
