//! Attachments: what hangs off an image and goes with it. A referrer is a
//! manifest whose `subject` names the image (a signature, an SBOM, an
//! attestation); on a registry without the referrers API a fallback index at
//! the tag `sha256-<hex>` lists them; cosign keeps its signatures,
//! attestations and SBOMs at the tags `sha256-<hex>.sig`, `.att` and `.sbom`.
//!
//! Attachment tags are not the user's tags: a prune policy neither counts nor
//! selects them, and they never keep their image alive. When an image is
//! deleted, its attachments go with it (and theirs: a signature on an SBOM), so
//! no signature is left whose subject is gone. Pure functions over an
//! [`Inventory`] and the referrers the registry listed.

use std::collections::{BTreeMap, BTreeSet};

use crate::registry::Inventory;
use crate::registry::manifest::OCI_INDEX;
use crate::registry::referrers::{AttachmentTag, CosignKind, attachment_tag, fallback_tag};
use crate::registry::{cosign_tags, limits};

/// Referrers a registry's referrers API listed, by subject: digests the
/// inventory may not hold (no tag reaches them).
pub type Listed = BTreeMap<String, Vec<String>>;

/// What an attachment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentKind {
    /// The fallback index listing a subject's referrers (`sha256-<hex>`).
    ReferrersIndex,
    /// A manifest whose `subject` is the image.
    Referrer,
    /// A cosign tag (`sha256-<hex>.sig`, `.att`, `.sbom`).
    Cosign(CosignKind),
}

impl AttachmentKind {
    /// The kind of an attachment tag.
    pub fn of_tag(tag: &AttachmentTag) -> AttachmentKind {
        match tag {
            AttachmentTag::Fallback { .. } => AttachmentKind::ReferrersIndex,
            AttachmentTag::Cosign { kind, .. } => AttachmentKind::Cosign(*kind),
        }
    }

    /// The name in JSON and text.
    pub fn name(self) -> &'static str {
        match self {
            AttachmentKind::ReferrersIndex => "referrers-index",
            AttachmentKind::Referrer => "referrer",
            AttachmentKind::Cosign(CosignKind::Signature) => "cosign-signature",
            AttachmentKind::Cosign(CosignKind::Attestation) => "cosign-attestation",
            AttachmentKind::Cosign(CosignKind::Sbom) => "cosign-sbom",
        }
    }
}

/// One attachment removed with its subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub digest: String,
    pub kind: AttachmentKind,
    /// The manifest it hangs off.
    pub subject: String,
    /// The attachment tag that goes with it (fallback and cosign tags).
    pub tag: Option<String>,
    /// A referrer's `artifactType` (else its config's media type).
    pub artifact_type: Option<String>,
    /// Only the tag goes (moved onto a placeholder, see `registry::untag`):
    /// the manifest is also held by something that stays.
    pub untag_only: bool,
}

impl From<&Attachment> for crate::output::json::RemovedAttachment {
    fn from(attachment: &Attachment) -> Self {
        crate::output::json::RemovedAttachment {
            digest: attachment.digest.clone(),
            kind: attachment.kind.name(),
            subject: attachment.subject.clone(),
            tag: attachment.tag.clone(),
            artifact_type: attachment.artifact_type.clone(),
            removal: if attachment.untag_only {
                "untag"
            } else {
                "delete"
            },
        }
    }
}

/// Tags told apart by name: the user's, and attachment tags.
pub fn is_attachment_tag(tag: &str) -> bool {
    attachment_tag(tag).is_some()
}

/// Every manifest an attachment tag reaches: fallback indexes, the referrers
/// they list, cosign manifests (and what those reach). Live as long as the
/// tag is: never deleted as untagged while it stays.
pub fn attachment_closure(inventory: &Inventory) -> BTreeSet<String> {
    inventory
        .tags
        .iter()
        .filter(|(tag, _)| is_attachment_tag(tag))
        .flat_map(|(_, digest)| inventory.closure(digest))
        .collect()
}

/// The referrers of `subject` the inventory and `listed` know: the entries of
/// a valid fallback index (an OCI index that is not the subject itself; only
/// entries whose manifest names `subject`), then what the API listed. The
/// index, when valid, with its tag.
fn referrers_of(
    inventory: &Inventory,
    subject: &str,
    listed: &Listed,
) -> (Option<(String, String)>, Vec<String>) {
    let tag = fallback_tag(subject);
    let index = inventory
        .tags
        .iter()
        .find(|(t, _)| *t == tag)
        .map(|(_, digest)| digest.clone())
        .filter(|digest| {
            digest != subject
                && inventory
                    .manifests
                    .get(digest)
                    .is_some_and(|m| m.is_index && m.media_type == OCI_INDEX)
        });
    let mut referrers: Vec<String> = Vec::new();
    if let Some(index) = &index {
        for entry in &inventory.manifests[index].children {
            let names_subject = inventory
                .manifests
                .get(entry)
                .is_some_and(|m| m.subject.as_deref() == Some(subject));
            if names_subject && !referrers.contains(entry) {
                referrers.push(entry.clone());
            }
        }
    }
    for digest in listed.get(subject).into_iter().flatten() {
        if !referrers.contains(digest) {
            referrers.push(digest.clone());
        }
    }
    (index.map(|digest| (tag, digest)), referrers)
}

/// The cosign tags of `subject` and their digests.
fn cosign_of(inventory: &Inventory, subject: &str) -> Vec<(String, String, CosignKind)> {
    let names: Vec<String> = inventory.tags.iter().map(|(t, _)| t.clone()).collect();
    cosign_tags(&names, subject)
        .into_iter()
        .filter_map(|tag| {
            let Some(AttachmentTag::Cosign { kind, .. }) = attachment_tag(&tag) else {
                return None;
            };
            let digest = inventory.tags.iter().find(|(t, _)| *t == tag)?.1.clone();
            Some((tag, digest, kind))
        })
        .collect()
}

/// The attachments that go with the manifests `gone` (each deleted), leaves
/// first (a referrer's own attachments before it, referrers before the index
/// listing them): the order to remove them in, so that a failure part way
/// leaves the subject, still listing what is left, for the next run.
///
/// `held`: manifests something that stays needs (the closure of every user
/// tag that stays). A referrer held is left alone; an attachment tag on a held
/// manifest is removed by untagging it. Each attachment is given once, under
/// the first of `gone` it hangs off (directly or through other attachments).
fn attachments_of(
    inventory: &Inventory,
    gone: &[String],
    held: &BTreeSet<String>,
    listed: &Listed,
) -> BTreeMap<String, Vec<Attachment>> {
    let mut seen: BTreeSet<String> = gone.iter().cloned().collect();
    let mut out: BTreeMap<String, Vec<Attachment>> = BTreeMap::new();
    for root in gone {
        let mut found = Vec::new();
        collect(inventory, root, held, listed, &mut seen, &mut found, 0);
        if !found.is_empty() {
            out.insert(root.clone(), found);
        }
    }
    out
}

/// `subject`'s attachments, leaves first, into `found`.
fn collect(
    inventory: &Inventory,
    subject: &str,
    held: &BTreeSet<String>,
    listed: &Listed,
    seen: &mut BTreeSet<String>,
    found: &mut Vec<Attachment>,
    depth: usize,
) {
    // Referrers of referrers as deep as inspect and mirror follow them.
    if depth >= limits::MAX_REFERRER_DEPTH {
        return;
    }
    let (index, referrers) = referrers_of(inventory, subject, listed);
    for referrer in referrers {
        if held.contains(&referrer) || !seen.insert(referrer.clone()) {
            continue;
        }
        collect(inventory, &referrer, held, listed, seen, found, depth + 1);
        found.push(Attachment {
            artifact_type: inventory
                .manifests
                .get(&referrer)
                .and_then(|m| m.artifact_type.clone()),
            digest: referrer,
            kind: AttachmentKind::Referrer,
            subject: subject.to_owned(),
            tag: None,
            untag_only: false,
        });
    }
    let tagged = index
        .map(|(tag, digest)| (tag, digest, AttachmentKind::ReferrersIndex))
        .into_iter()
        .chain(
            cosign_of(inventory, subject)
                .into_iter()
                .map(|(tag, digest, kind)| (tag, digest, AttachmentKind::Cosign(kind))),
        );
    for (tag, digest, kind) in tagged {
        // Held: only the tag goes. Another subject's attachment tag on the
        // same manifest (an empty index two subjects share): deleted once for
        // both, the second delete finds it gone.
        let untag_only = held.contains(&digest);
        if !untag_only && seen.insert(digest.clone()) && kind != AttachmentKind::ReferrersIndex {
            collect(inventory, &digest, held, listed, seen, found, depth + 1);
        }
        found.push(Attachment {
            digest,
            kind,
            subject: subject.to_owned(),
            tag: Some(tag),
            artifact_type: None,
            untag_only,
        });
    }
}

/// The attachments of each deletion: `deletions[i]` lists the manifests the
/// i-th deletes (the manifest first, then an index's entries; an entry some
/// remaining user tag reaches is skipped). `removed`: the user tags the plan
/// removes. What the remaining user tags hold is left; an attachment tag on
/// a manifest another remaining tag points at is only untagged.
pub fn for_deletions(
    inventory: &Inventory,
    deletions: &[Vec<String>],
    removed: &BTreeSet<String>,
    listed: &Listed,
) -> Vec<Vec<Attachment>> {
    let held: BTreeSet<String> = inventory
        .tags
        .iter()
        .filter(|(tag, _)| !removed.contains(tag) && !is_attachment_tag(tag))
        .flat_map(|(_, digest)| inventory.closure(digest))
        .collect();
    let deletions: Vec<Vec<String>> = deletions
        .iter()
        .map(|subjects| {
            subjects
                .iter()
                .enumerate()
                .filter(|(i, d)| *i == 0 || !held.contains(*d))
                .map(|(_, d)| d.clone())
                .collect()
        })
        .collect();
    let gone: Vec<String> = deletions.iter().flatten().cloned().collect();
    let mut found = attachments_of(inventory, &gone, &held, listed);
    let mut removed = removed.clone();
    removed.extend(found.values().flatten().filter_map(|a| a.tag.clone()));
    spare_shared(inventory, &mut found, &removed);
    deletions
        .iter()
        .map(|subjects| {
            subjects
                .iter()
                .flat_map(|s| found.remove(s).unwrap_or_default())
                .collect()
        })
        .collect()
}

/// Mark `untag_only` the attachment tags whose manifest another tag that
/// stays also points at (deleting it by digest would take that tag too),
/// and drop the referrers such a tag reaches. `removed`: every tag removed
/// by the plan (selected user tags and attachment tags).
fn spare_shared(
    inventory: &Inventory,
    attachments: &mut BTreeMap<String, Vec<Attachment>>,
    removed: &BTreeSet<String>,
) {
    let mut staying: BTreeSet<String> = BTreeSet::new();
    for (tag, digest) in &inventory.tags {
        if !removed.contains(tag) {
            staying.extend(inventory.closure(digest));
        }
    }
    for list in attachments.values_mut() {
        list.retain(|a| a.tag.is_some() || !staying.contains(&a.digest));
        for attachment in list.iter_mut() {
            if attachment.tag.is_some() && staying.contains(&attachment.digest) {
                attachment.untag_only = true;
            }
        }
    }
    attachments.retain(|_, list| !list.is_empty());
}

/// `, with its attachments: 2 referrers, 1 referrers index, 1 cosign
/// signature` (nothing when there are none), for the line of a deletion.
pub fn attachments_note(attachments: &[Attachment]) -> String {
    if attachments.is_empty() {
        return String::new();
    }
    let mut counts: BTreeMap<(usize, &str, &str), usize> = BTreeMap::new();
    for attachment in attachments {
        let key = match attachment.kind {
            AttachmentKind::Referrer => (0, "referrer", "referrers"),
            AttachmentKind::ReferrersIndex => (1, "referrers index", "referrers indexes"),
            AttachmentKind::Cosign(CosignKind::Signature) => {
                (2, "cosign signature", "cosign signatures")
            }
            AttachmentKind::Cosign(CosignKind::Attestation) => {
                (3, "cosign attestation", "cosign attestations")
            }
            AttachmentKind::Cosign(CosignKind::Sbom) => (4, "cosign SBOM", "cosign SBOMs"),
        };
        *counts.entry(key).or_default() += 1;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|((_, one, many), n)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
    format!(", with its attachments: {}", parts.join(", "))
}
