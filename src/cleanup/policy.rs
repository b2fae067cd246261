//! A prune policy and the plan it gives for one repository.

use std::collections::{BTreeMap, BTreeSet};

use regex::Regex;

use super::attachments::{self, Attachment, Listed, is_attachment_tag};
use crate::registry::{Inventory, natural_cmp, parse_time};

/// Which tags a prune removes. Filters compose: a tag is selected when it
/// matches `tags` (all tags when unset), does not match `exclude`, is not among
/// the `keep` newest of the matched tags, is older than `older_than`, and is
/// not `protected`.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub keep: Option<usize>,
    /// Seconds: only tags created longer ago than this are selected.
    pub older_than: Option<i64>,
    pub tags: Option<Regex>,
    pub exclude: Option<Regex>,
    /// Untagged digests of the repository known from aseecr's record
    /// (`--untagged`): deleted when no tag and nothing kept needs them.
    pub untagged: BTreeSet<String>,
    /// Tags that are never removed (`sync`: the tags its file selects for the
    /// repository). They still count among the newest for `keep`.
    pub protected: BTreeSet<String>,
    /// Seconds since the Unix epoch, the moment ages are measured from.
    pub now: i64,
}

impl Policy {
    /// A sync file's `prune` policy at `now`, never removing `protected` tags,
    /// deleting the recorded `untagged` digests when the file asks for that.
    pub fn of_sync(
        prune: &crate::sync::Prune,
        now: i64,
        protected: BTreeSet<String>,
        untagged: BTreeSet<String>,
    ) -> Policy {
        Policy {
            keep: prune.keep,
            older_than: prune.older_than,
            tags: prune.tags.clone(),
            exclude: prune.exclude.clone(),
            untagged: if prune.untagged {
                untagged
            } else {
                BTreeSet::new()
            },
            protected,
            now,
        }
    }
}

/// What happens to a digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Every tag on it is selected and nothing kept needs it: delete the manifest
    /// (and the entries of an index that nothing kept needs, and the
    /// attachments of both).
    Delete {
        digest: String,
        tags: Vec<String>,
        /// Index entries deleted with it.
        children: Vec<String>,
        /// Its attachments and its entries', removed first, leaves first.
        attachments: Vec<Attachment>,
    },
    /// Some tags on it are selected but the digest stays (another tag, or a kept
    /// image, needs it): only those tags go.
    Untag {
        digest: String,
        tags: Vec<String>,
        /// Why the digest stays.
        reason: String,
    },
}

impl Action {
    pub fn digest(&self) -> &str {
        match self {
            Action::Delete { digest, .. } | Action::Untag { digest, .. } => digest,
        }
    }
}

/// A tag the policy keeps, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub tag: String,
    pub digest: String,
    pub reason: &'static str,
}

/// One repository's plan.
#[derive(Debug, Clone, Default)]
pub struct RepoPlan {
    pub actions: Vec<Action>,
    pub kept: Vec<Kept>,
}

/// Plan one repository: select tags by the policy, then decide per digest.
pub fn plan(inventory: &Inventory, policy: &Policy) -> RepoPlan {
    plan_with(inventory, policy, &Listed::new())
}

/// [`plan`], with the referrers a referrers API listed for the subjects
/// deleted (none on a registry that keeps them in fallback indexes, which the
/// inventory reads).
pub fn plan_with(inventory: &Inventory, policy: &Policy, listed: &Listed) -> RepoPlan {
    let (selected, mut kept) = select_tags(inventory, policy);
    let held = Held::new(inventory, &kept);
    // Attachment tags reach these: live while the tags stay, and removed
    // only with their subject.
    let attached = attachments::attachment_closure(inventory);
    let mut actions = tag_actions(inventory, &selected, &held, &attached);
    let mut deleted: BTreeSet<String> = actions
        .iter()
        .filter(|action| matches!(action, Action::Delete { .. }))
        .map(|action| action.digest().to_owned())
        .collect();
    // Untagged digests from the record: those no tag and nothing kept needs.
    let tagged: BTreeSet<&str> = inventory.tags.iter().map(|(_, d)| d.as_str()).collect();
    for digest in &policy.untagged {
        if inventory.manifests.contains_key(digest)
            && !tagged.contains(digest.as_str())
            && !held.closure.contains(digest)
            && !attached.contains(digest)
            && subject_of_kept(inventory, digest, &held.digests).is_none()
            && deleted.insert(digest.clone())
        {
            actions.push(Action::Delete {
                digest: digest.clone(),
                tags: Vec::new(),
                children: Vec::new(),
                attachments: Vec::new(),
            });
        }
    }
    delete_children(inventory, &mut actions, &mut deleted);
    add_attachments(inventory, &mut actions, listed);
    kept.sort_by(|a, b| natural_cmp(&a.tag, &b.tag));
    sort_actions(&mut actions);
    RepoPlan { actions, kept }
}

/// Give each deletion the attachments of the manifests it deletes.
fn add_attachments(inventory: &Inventory, actions: &mut [Action], listed: &Listed) {
    let removed: BTreeSet<String> = actions
        .iter()
        .flat_map(|action| match action {
            Action::Delete { tags, .. } | Action::Untag { tags, .. } => tags.iter().cloned(),
        })
        .collect();
    let deletions: Vec<Vec<String>> = actions
        .iter()
        .map(|action| match action {
            Action::Delete {
                digest, children, ..
            } => std::iter::once(digest).chain(children).cloned().collect(),
            Action::Untag { .. } => Vec::new(),
        })
        .collect();
    let found = attachments::for_deletions(inventory, &deletions, &removed, listed);
    for (action, found) in actions.iter_mut().zip(found) {
        if let Action::Delete { attachments, .. } = action {
            *attachments = found;
        }
    }
}

/// The tags the policy selects (tag -> digest), and the ones it keeps with why.
fn select_tags<'i>(
    inventory: &'i Inventory,
    policy: &Policy,
) -> (BTreeMap<&'i str, &'i str>, Vec<Kept>) {
    let created = |digest: &str| {
        inventory
            .manifests
            .get(digest)
            .and_then(|m| m.created.as_ref())
            .and_then(|(time, _)| parse_time(time))
    };
    let mut kept = Vec::new();
    let mut matched: Vec<(&str, &str, i64)> = Vec::new();
    // Attachment tags are not the user's: neither counted nor selected; they
    // go with their subject.
    for (tag, digest) in inventory
        .tags
        .iter()
        .filter(|(tag, _)| !is_attachment_tag(tag))
    {
        let keep = |reason| Kept {
            tag: tag.clone(),
            digest: digest.clone(),
            reason,
        };
        if policy.tags.as_ref().is_some_and(|re| !re.is_match(tag)) {
            kept.push(keep("not matched by --tags"));
        } else if policy.exclude.as_ref().is_some_and(|re| re.is_match(tag)) {
            kept.push(keep("matched by --exclude"));
        } else if policy.keep.is_none() && policy.older_than.is_none() {
            kept.push(keep("no tag policy (--keep, --older-than)"));
        } else {
            match created(digest) {
                Some(time) => matched.push((tag, digest, time)),
                None => kept.push(keep("no creation time")),
            }
        }
    }
    // Newest first; equal times by version order, highest first.
    matched.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| natural_cmp(b.0, a.0)));
    let mut selected: BTreeMap<&str, &str> = BTreeMap::new();
    for (rank, (tag, digest, time)) in matched.iter().enumerate() {
        let reason = if policy.keep.is_some_and(|n| rank < n) {
            Some("among the newest --keep")
        } else if policy
            .older_than
            .is_some_and(|age| *time >= policy.now - age)
        {
            Some("newer than --older-than")
        } else if policy.protected.contains(*tag) {
            Some("selected by the sync file")
        } else {
            None
        };
        match reason {
            Some(reason) => kept.push(Kept {
                tag: tag.to_string(),
                digest: digest.to_string(),
                reason,
            }),
            None => {
                selected.insert(tag, digest);
            }
        }
    }
    (selected, kept)
}

/// What the kept tags hold on to: their digests, and each one's image whole.
struct Held<'k> {
    digests: BTreeSet<&'k str>,
    /// Every manifest a kept tag's image is made of (itself included).
    closure: BTreeSet<String>,
}

impl<'k> Held<'k> {
    fn new(inventory: &Inventory, kept: &'k [Kept]) -> Held<'k> {
        let digests: BTreeSet<&str> = kept.iter().map(|k| k.digest.as_str()).collect();
        let mut closure: BTreeSet<String> = BTreeSet::new();
        for digest in &digests {
            closure.extend(inventory.closure(digest));
        }
        Held { digests, closure }
    }
}

/// For each digest with selected tags: delete it, or (when something kept needs
/// it, or it is an attachment an attachment tag reaches) untag only, with the
/// reason.
fn tag_actions(
    inventory: &Inventory,
    selected: &BTreeMap<&str, &str>,
    held: &Held<'_>,
    attached: &BTreeSet<String>,
) -> Vec<Action> {
    let mut by_digest: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (tag, digest) in selected {
        by_digest.entry(digest).or_default().push(tag.to_string());
    }
    let mut actions = Vec::new();
    for (digest, mut tags) in by_digest {
        tags.sort_by(|a, b| natural_cmp(a, b));
        let stays = if held.digests.contains(digest) {
            Some("another tag on the digest is kept".to_owned())
        } else if held.closure.contains(digest) {
            Some("it is part of a kept multi-platform image".to_owned())
        } else if attached.contains(digest) {
            Some(
                "it is an attachment (signature, SBOM, referrers index) of another image"
                    .to_owned(),
            )
        } else {
            subject_of_kept(inventory, digest, &held.digests)
                .map(|artifact| format!("kept artifact {artifact} refers to it"))
        };
        actions.push(match stays {
            Some(reason) => Action::Untag {
                digest: digest.to_owned(),
                tags,
                reason,
            },
            None => Action::Delete {
                digest: digest.to_owned(),
                tags,
                children: Vec::new(),
                attachments: Vec::new(),
            },
        });
    }
    actions
}

/// An index's entries go with it, unless something that stays needs them;
/// each entry is deleted once, with the first index that has it.
fn delete_children(inventory: &Inventory, actions: &mut [Action], deleted: &mut BTreeSet<String>) {
    let mut staying: BTreeSet<String> = BTreeSet::new();
    for (_, digest) in &inventory.tags {
        if !deleted.contains(digest) {
            staying.extend(inventory.closure(digest));
        }
    }
    for action in actions {
        if let Action::Delete {
            digest, children, ..
        } = action
        {
            let mut below: Vec<String> = inventory
                .closure(digest)
                .into_iter()
                .filter(|d| d != digest && !staying.contains(d))
                .collect();
            below.retain(|d| !deleted.contains(d));
            deleted.extend(below.iter().cloned());
            *children = below;
        }
    }
}

/// In version order of their first tag; untagged digests last, by digest.
fn sort_actions(actions: &mut [Action]) {
    actions.sort_by(|a, b| {
        let first = |action: &Action| match action {
            Action::Delete { tags, .. } | Action::Untag { tags, .. } => tags.first().cloned(),
        };
        match (first(a), first(b)) {
            (Some(x), Some(y)) => natural_cmp(&x, &y),
            (x, y) => x
                .is_none()
                .cmp(&y.is_none())
                .then_with(|| a.digest().cmp(b.digest())),
        }
    });
}

/// A kept artifact whose `subject` is `digest`.
fn subject_of_kept(
    inventory: &Inventory,
    digest: &str,
    kept_digests: &BTreeSet<&str>,
) -> Option<String> {
    kept_digests
        .iter()
        .flat_map(|k| inventory.closure(k))
        .find(|m| {
            inventory
                .manifests
                .get(m)
                .and_then(|info| info.subject.as_deref())
                == Some(digest)
        })
}
