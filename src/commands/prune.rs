//! `aseecr prune`: delete images by policy (keep the newest N, older than an age,
//! by tag pattern), never an image another kept tag or image needs, and say what
//! the registry's next garbage collection frees.
//!
//! Requests grow linearly: every repository is read once (`Registry::inventory`:
//! one request per tag, per distinct manifest, per image config), every action
//! is two requests per digest (the DELETE, and a HEAD proving the manifest is
//! gone; three per removed tag), and a repository whose tags were moved onto
//! placeholders is listed once more at the end to prove no kept tag went and
//! every removed one did.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use regex::Regex;

use super::report::{print_error, prune_action_line, prune_items_json, prune_kept_json};
use super::{ExitStatus, parse_repository};
use crate::cleanup::{self, Outcome, Policy, RepoPlan};
use crate::cli::{Format, PruneArgs};
use crate::connect::{self, Side};
use crate::error::Error;
use crate::output::{human_bytes, json};
use crate::records::ReplacedRecord;
use crate::registry::{Inventory, Reference};
use crate::settings::Settings;

pub async fn run(args: PruneArgs, settings: &Settings) -> Result<ExitStatus> {
    let printer = &settings.printer;
    let policy = policy(&args)?;
    let (registry_name, named) = targets(&args, settings)?;
    let registry = connect::open(settings, &registry_name, Side::Single)?;

    // Untagged digests aseecr recorded (mirror replaced them, untag left them).
    let record = ReplacedRecord::in_dir(settings.config_dir.dir());
    let recorded = if args.untagged {
        recorded_digests(&record, &registry_name, named.as_deref())?
    } else {
        BTreeMap::new()
    };
    let (inventories, all_repositories) =
        cleanup::read_registry(&registry, named.as_deref(), &recorded, |err| {
            printer.warn(format!(
                "cannot list the repositories of `{registry_name}` ({err:#}): what garbage collection frees is counted from the named repositories only"
            ))
        })
        .await?;
    let mut inventories = inventories;
    let mut plans = plan(&inventories, named.as_deref(), &policy, &recorded);
    add_api_referrers(&registry, &mut inventories, &mut plans, &policy, &recorded).await?;
    let mut done = cleanup::outcomes(&plans);

    if !args.dry_run && !done.is_empty() {
        super::confirm_change(settings, "pruning", "nothing was deleted", || {
            let (deletes, untags) = cleanup::counts(&done);
            let attached = attachments(&done);
            format!(
                "Delete {deletes} image{}{} and remove {untags} more tag{} in `{registry_name}`?",
                plural(deletes),
                match attached {
                    0 => String::new(),
                    n => format!(" (with {n} attachment{})", plural(n)),
                },
                plural(untags)
            )
        })?;
        cleanup::check_deletion(&registry, &done[0].repository, "nothing was deleted").await?;
        let applied = cleanup::apply(&registry, &inventories, &plans, &mut done).await;
        for item in done.iter().filter(|d| d.error.is_some()) {
            let err = item.error.as_ref().expect("filtered");
            let what = cleanup::describe(&registry_name, item);
            print_error(printer, Some(&what), err);
        }
        applied?;
    }

    // The record forgets what is deleted now, gone, or tagged again.
    if !args.dry_run && !recorded.is_empty() {
        let forget = cleanup::settled(&recorded, &inventories, &done);
        if let Err(err) = record.forget(&registry_name, &forget) {
            printer.warn(format!(
                "cannot update aseecr's record of untagged images: {err:#}"
            ));
        }
    }

    let freed = cleanup::freed_by(&inventories, &done, args.dry_run, all_repositories);
    let pruned = Pruned {
        registry: &registry_name,
        inventories: &inventories,
        plans: &plans,
        done: &done,
        freed,
    };
    match args.format.format {
        Format::Json => printer.json(&pruned.to_json(args.dry_run))?,
        Format::Text => pruned.print_text(settings, args.dry_run)?,
    }
    Ok(if done.iter().any(|d| d.error.is_some()) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// The untagged digests recorded for `registry`, by repository (of the named
/// ones, when repositories are named).
fn recorded_digests(
    record: &ReplacedRecord,
    registry: &str,
    named: Option<&[String]>,
) -> Result<BTreeMap<String, Vec<String>>> {
    let mut recorded: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in record.list(registry)? {
        if named.is_none_or(|n| n.contains(&entry.repository)) {
            recorded
                .entry(entry.repository)
                .or_default()
                .push(entry.digest);
        }
    }
    Ok(recorded)
}

/// The plan of each repository pruned (the named ones, else every one read),
/// each with its recorded untagged digests.
fn plan(
    inventories: &[Inventory],
    named: Option<&[String]>,
    policy: &Policy,
    recorded: &BTreeMap<String, Vec<String>>,
) -> BTreeMap<String, RepoPlan> {
    inventories
        .iter()
        .filter(|inventory| named.is_none_or(|n| n.contains(&inventory.repository)))
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
        .collect()
}

/// On a registry with the referrers API, the referrers of what the plans
/// delete carry no tag: list them (asked once per registry when it has no
/// such API, as distribution 2.8), read those the inventory lacks, and plan
/// again with them, so they go with their subjects.
async fn add_api_referrers(
    registry: &crate::registry::Registry,
    inventories: &mut [Inventory],
    plans: &mut BTreeMap<String, RepoPlan>,
    policy: &Policy,
    recorded: &BTreeMap<String, Vec<String>>,
) -> Result<()> {
    let mut without_api = false;
    for (repository, repo_plan) in plans.iter_mut() {
        let subjects: Vec<String> = repo_plan
            .actions
            .iter()
            .flat_map(|action| match action {
                cleanup::Action::Delete {
                    digest, children, ..
                } => std::iter::once(digest).chain(children).cloned().collect(),
                cleanup::Action::Untag { .. } => Vec::new(),
            })
            .collect();
        if subjects.is_empty() {
            continue;
        }
        if without_api {
            registry.remember_referrers_api(repository, false);
            continue;
        }
        let Some(listed) = cleanup::api_referrers(registry, repository, &subjects).await? else {
            without_api = true;
            continue;
        };
        if listed.is_empty() {
            continue;
        }
        let Some(inventory) = inventories.iter_mut().find(|i| &i.repository == repository) else {
            continue;
        };
        let missing: Vec<String> = listed
            .values()
            .flatten()
            .filter(|d| !inventory.manifests.contains_key(*d))
            .cloned()
            .collect();
        let mut extra = recorded.get(repository).cloned().unwrap_or_default();
        if !missing.is_empty() {
            extra.extend(missing);
            *inventory = registry.inventory_with(repository, &extra).await?;
        }
        let policy = Policy {
            untagged: extra
                .into_iter()
                .filter(|d| recorded.get(repository).is_some_and(|r| r.contains(d)))
                .collect(),
            ..policy.clone()
        };
        *repo_plan = cleanup::plan_with(inventory, &policy, &listed);
    }
    Ok(())
}

/// What a prune did (or, in a dry run, would do), for its report.
struct Pruned<'a> {
    registry: &'a str,
    inventories: &'a [Inventory],
    plans: &'a BTreeMap<String, RepoPlan>,
    done: &'a [Outcome],
    freed: cleanup::Freed,
}

impl Pruned<'_> {
    fn to_json(&self, dry_run: bool) -> json::PruneReport {
        let items = prune_items_json(self.inventories, self.done, dry_run);
        json::PruneReport {
            dry_run,
            registry: self.registry.to_owned(),
            summary: json::BatchCounts::of(items.iter().map(|i| &i.error)),
            items,
            kept: prune_kept_json(self.plans),
            freed: self.freed.into(),
        }
    }

    /// Each action done on stdout, then the summary line on stderr.
    fn print_text(&self, settings: &Settings, dry_run: bool) -> Result<()> {
        let printer = &settings.printer;
        for item in self.done.iter().filter(|d| d.error.is_none()) {
            printer.data(format!(
                "{}{}",
                if dry_run { "would " } else { "" },
                prune_action_line(self.registry, self.inventories, item)
            ))?;
        }
        // What was done: the actions that did not fail (a dry run, all planned).
        let (deletes, untags) =
            cleanup::counts(self.done.iter().filter(|d| dry_run || d.error.is_none()));
        let failed = self.done.iter().filter(|d| d.error.is_some()).count();
        let kept: usize = self.plans.values().map(|p| p.kept.len()).sum();
        let repositories = self.plans.len();
        let mut line = format!(
            "{} {deletes} image{} and {} {untags} tag{} in {repositories} repositor{}; kept {kept} tag{}",
            if dry_run { "would delete" } else { "deleted" },
            plural(deletes),
            if dry_run { "remove" } else { "removed" },
            plural(untags),
            if repositories == 1 { "y" } else { "ies" },
            plural(kept),
        );
        let attached = attachments(self.done.iter().filter(|d| dry_run || d.error.is_none()));
        if attached > 0 {
            line.push_str(&format!(
                "; {} {attached} attachment{} (signatures, SBOMs, referrers indexes, cosign tags) with the images",
                if dry_run { "would remove" } else { "removed" },
                plural(attached)
            ));
        }
        if failed > 0 {
            line.push_str(&format!(
                "; {failed} of {} failed (errors above)",
                self.done.len()
            ));
        }
        if deletes + untags > 0 {
            let freed = self.freed;
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
        Ok(())
    }
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
            .map(crate::registry::parse_age)
            .transpose()?,
        tags: regex("--tags", &args.tags)?,
        exclude: regex("--exclude", &args.exclude)?,
        untagged: BTreeSet::new(),
        protected: BTreeSet::new(),
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

/// How many attachments the deletions of `outcomes` remove.
fn attachments<'a>(outcomes: impl IntoIterator<Item = &'a Outcome>) -> usize {
    outcomes
        .into_iter()
        .map(|d| match &d.action {
            cleanup::Action::Delete { attachments, .. } => attachments.len(),
            cleanup::Action::Untag { .. } => 0,
        })
        .sum()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
