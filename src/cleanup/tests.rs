use std::collections::BTreeSet;

use regex::Regex;

use super::policy::plan_with;
use super::*;
use crate::registry::{CreatedFrom, Inventory, ManifestInfo, natural_cmp, parse_age};

const DAY: i64 = 86_400;
/// 2026-01-01T00:00:00Z
const JAN_1: i64 = 1_767_225_600;

fn time(day: i64) -> String {
    chrono::DateTime::from_timestamp(JAN_1 + day * DAY, 0)
        .unwrap()
        .to_rfc3339()
}

fn image(digest: &str, day: i64, layers: &[(&str, u64)]) -> ManifestInfo {
    ManifestInfo {
        digest: digest.to_owned(),
        media_type: "application/vnd.oci.image.manifest.v1+json".to_owned(),
        size: 500,
        is_index: false,
        children: Vec::new(),
        subject: None,
        artifact_type: None,
        blobs: layers.iter().map(|(d, s)| (d.to_string(), *s)).collect(),
        platforms: vec!["linux/amd64".to_owned()],
        created: Some((time(day), CreatedFrom::Config)),
        config: None,
    }
}

fn index(digest: &str, children: &[&str]) -> ManifestInfo {
    ManifestInfo {
        digest: digest.to_owned(),
        media_type: "application/vnd.oci.image.index.v1+json".to_owned(),
        size: 300,
        is_index: true,
        children: children.iter().map(|c| c.to_string()).collect(),
        subject: None,
        artifact_type: None,
        blobs: Vec::new(),
        platforms: Vec::new(),
        created: Some((time(50), CreatedFrom::NewestPlatform)),
        config: None,
    }
}

/// Ten versions 1.0 to 1.9 (a day apart), `stable` on 1.2 and `latest` on 1.9.
fn versions() -> Inventory {
    let mut inventory = Inventory {
        repository: "app/web".to_owned(),
        ..Inventory::default()
    };
    for minor in 0..10 {
        let digest = format!("m{minor}");
        inventory.tags.push((format!("1.{minor}"), digest.clone()));
        inventory.manifests.insert(
            digest.clone(),
            image(
                &digest,
                minor,
                &[("base", 1000), (&format!("l{minor}"), 10)],
            ),
        );
    }
    inventory.tags.push(("stable".to_owned(), "m2".to_owned()));
    inventory.tags.push(("latest".to_owned(), "m9".to_owned()));
    inventory
}

fn policy(keep: Option<usize>, exclude: Option<&str>) -> Policy {
    Policy {
        keep,
        exclude: exclude.map(|e| Regex::new(e).unwrap()),
        now: JAN_1 + 100 * DAY,
        ..Policy::default()
    }
}

fn deleted_tags(plan: &RepoPlan) -> Vec<String> {
    plan.actions
        .iter()
        .filter_map(|a| match a {
            Action::Delete { tags, .. } => Some(tags.clone()),
            Action::Untag { .. } => None,
        })
        .flatten()
        .collect()
}

fn untagged(plan: &RepoPlan) -> Vec<String> {
    plan.actions
        .iter()
        .filter_map(|a| match a {
            Action::Untag { tags, .. } => Some(tags.clone()),
            Action::Delete { .. } => None,
        })
        .flatten()
        .collect()
}

fn kept(plan: &RepoPlan) -> Vec<&str> {
    plan.kept.iter().map(|k| k.tag.as_str()).collect()
}

#[test]
fn keep_newest_with_moving_tags_excluded() {
    let plan = plan(&versions(), &policy(Some(3), Some("^(latest|stable)$")));
    assert_eq!(kept(&plan), ["1.7", "1.8", "1.9", "latest", "stable"]);
    // 1.2 stays as a digest (stable is on it): only the tag goes.
    assert_eq!(untagged(&plan), ["1.2"]);
    let mut deleted = deleted_tags(&plan);
    deleted.sort_by(|a, b| natural_cmp(a, b));
    assert_eq!(deleted, ["1.0", "1.1", "1.3", "1.4", "1.5", "1.6"]);
}

#[test]
fn protected_tags_stay_and_still_count_among_the_newest() {
    let mut policy = policy(Some(3), Some("^(latest|stable)$"));
    // What a sync file selects: the newest (also kept by rank) and an old one.
    policy.protected = ["1.9".to_owned(), "1.1".to_owned()].into();
    let plan = plan(&versions(), &policy);
    // 1.9 takes one of the three places; 1.1 stays beyond them.
    assert_eq!(
        kept(&plan),
        ["1.1", "1.7", "1.8", "1.9", "latest", "stable"]
    );
    let reason = |tag: &str| plan.kept.iter().find(|k| k.tag == tag).unwrap().reason;
    assert_eq!(reason("1.1"), "selected by the sync file");
    assert_eq!(reason("1.9"), "among the newest --keep");
    let mut deleted = deleted_tags(&plan);
    deleted.sort_by(|a, b| natural_cmp(a, b));
    assert_eq!(deleted, ["1.0", "1.3", "1.4", "1.5", "1.6"]);
}

#[test]
fn keep_counts_tags_newest_first_and_takes_a_digest_when_all_its_tags_go() {
    let plan = plan(&versions(), &policy(Some(3), None));
    assert_eq!(kept(&plan), ["1.8", "1.9", "latest"]);
    assert!(untagged(&plan).is_empty());
    let digest_of_stable = plan.actions.iter().find(|a| a.digest() == "m2").unwrap();
    assert_eq!(
        digest_of_stable,
        &Action::Delete {
            digest: "m2".to_owned(),
            tags: vec!["1.2".to_owned(), "stable".to_owned()],
            children: Vec::new(),
            attachments: Vec::new(),
        }
    );
}

#[test]
fn older_than_and_keep_compose() {
    let mut policy = policy(Some(2), Some("^(latest|stable)$"));
    // Created before day 5 (versions 1.0 to 1.4).
    policy.older_than = Some(95 * DAY);
    let plan = plan(&versions(), &policy);
    let mut gone = deleted_tags(&plan);
    gone.extend(untagged(&plan));
    gone.sort_by(|a, b| natural_cmp(a, b));
    assert_eq!(gone, ["1.0", "1.1", "1.2", "1.3", "1.4"]);
    assert!(kept(&plan).contains(&"1.5"));
}

#[test]
fn a_policy_without_a_rule_selects_nothing() {
    let plan = plan(&versions(), &policy(None, None));
    assert!(plan.actions.is_empty());
    assert_eq!(plan.kept.len(), 12);
}

#[test]
fn an_index_keeps_its_entries_and_takes_them_when_it_goes() {
    let mut inventory = Inventory {
        repository: "multi".to_owned(),
        ..Inventory::default()
    };
    inventory
        .manifests
        .insert("new".to_owned(), index("new", &["a1", "b1"]));
    inventory
        .manifests
        .insert("old".to_owned(), index("old", &["a0", "b1"]));
    for (digest, day) in [("a1", 40), ("b1", 40), ("a0", 1)] {
        inventory
            .manifests
            .insert(digest.to_owned(), image(digest, day, &[(digest, 5)]));
    }
    inventory.manifests.get_mut("old").unwrap().created = Some((time(1), CreatedFrom::Annotation));
    inventory.tags = vec![
        ("v2".to_owned(), "new".to_owned()),
        ("v1".to_owned(), "old".to_owned()),
        // A platform of the kept index, tagged on its own.
        ("v2-arm".to_owned(), "b1".to_owned()),
    ];
    let plan = plan(&inventory, &policy(Some(1), None));
    assert_eq!(kept(&plan), ["v2"]);
    assert!(plan.actions.contains(&Action::Untag {
        digest: "b1".to_owned(),
        tags: vec!["v2-arm".to_owned()],
        reason: "it is part of a kept multi-platform image".to_owned(),
    }));
    // The old index goes with its own entry, not with the one v2 shares.
    assert!(plan.actions.contains(&Action::Delete {
        digest: "old".to_owned(),
        tags: vec!["v1".to_owned()],
        children: vec!["a0".to_owned()],
        attachments: Vec::new(),
    }));
}

#[test]
fn freed_counts_only_blobs_nothing_else_references() {
    let web = versions();
    let mut other = Inventory {
        repository: "other".to_owned(),
        ..Inventory::default()
    };
    other.tags.push(("1".to_owned(), "o1".to_owned()));
    other.manifests.insert(
        "o1".to_owned(),
        image("o1", 1, &[("base", 1000), ("l0", 10)]),
    );
    let deleted: BTreeSet<(String, String)> = ["m0", "m1"]
        .iter()
        .map(|d| ("app/web".to_owned(), d.to_string()))
        .collect();
    let freed = freed(&[web.clone(), other], &deleted, &[], false, true);
    // m0 and m1 themselves and l1; base and l0 are still used.
    assert_eq!(freed.bytes, 500 + 500 + 10);
    assert_eq!(freed.blobs, 3);
    // A placeholder manifest, and the empty config nothing else holds.
    let freed = super::freed(
        std::slice::from_ref(&web),
        &BTreeSet::new(),
        &[321],
        true,
        true,
    );
    assert_eq!((freed.bytes, freed.blobs), (321 + 2, 2));
    // A placeholder on a config the image keeps frees only its own bytes.
    let freed = super::freed(&[web], &BTreeSet::new(), &[321], false, true);
    assert_eq!((freed.bytes, freed.blobs), (321, 1));
}

#[test]
fn versions_sort_naturally() {
    let mut tags = vec!["1.10", "1.9", "latest", "1.2.3", "v2", "1.02", "10", "9"];
    tags.sort_by(|a, b| natural_cmp(a, b));
    assert_eq!(
        tags,
        ["1.02", "1.2.3", "1.9", "1.10", "9", "10", "latest", "v2"]
    );
}

#[test]
fn ages_parse_with_units() {
    assert_eq!(parse_age("30d").unwrap(), 30 * DAY);
    assert_eq!(parse_age("12h").unwrap(), 12 * 3600);
    assert_eq!(parse_age("2w").unwrap(), 14 * DAY);
    for bad in ["30", "d", "-1d", "1y", "99999999999999999999d", ""] {
        assert!(parse_age(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_sync_prune_becomes_a_policy_keeping_the_selected_tags() {
    let prune = crate::sync::Prune {
        keep: Some(2),
        older_than: Some(30 * DAY),
        tags: Some(Regex::new("^2\\.").unwrap()),
        exclude: None,
        untagged: true,
    };
    let policy = Policy::of_sync(
        &prune,
        7,
        ["2.2.0".to_owned()].into(),
        ["sha256:x".to_owned()].into(),
    );
    assert_eq!(
        (policy.keep, policy.older_than, policy.now),
        (Some(2), Some(30 * DAY), 7)
    );
    assert!(policy.tags.unwrap().is_match("2.1"));
    assert!(policy.protected.contains("2.2.0"));
    assert!(policy.untagged.contains("sha256:x"));
    let without = crate::sync::Prune {
        untagged: false,
        ..prune
    };
    let policy = Policy::of_sync(&without, 7, BTreeSet::new(), ["sha256:x".to_owned()].into());
    assert!(
        policy.untagged.is_empty(),
        "recorded digests are deleted only when asked"
    );
}

/// A digest `sha256:<n repeated>`, as attachment tags need real ones.
fn dg(n: u8) -> String {
    format!("sha256:{}", format!("{n:02x}").repeat(32))
}

fn referrer(digest: &str, subject: &str, artifact_type: &str) -> ManifestInfo {
    ManifestInfo {
        subject: Some(subject.to_owned()),
        artifact_type: Some(artifact_type.to_owned()),
        created: Some((time(90), CreatedFrom::Annotation)),
        ..image(
            digest,
            90,
            &[("empty", 2), (&format!("{digest}-layer"), 30)],
        )
    }
}

/// `app`: image X (1.0, old) signed: a fallback index listing an SBOM and a
/// signature, a signature on the SBOM (in the SBOM's own fallback index), a
/// cosign `.sig` tag; image Y (2.0, newer) with a cosign `.att` tag only.
fn signed() -> Inventory {
    let (x, y) = (dg(1), dg(2));
    let (sbom, sig, sbom_sig, cosign, att) = (dg(3), dg(4), dg(5), dg(6), dg(7));
    let (index_x, index_sbom) = (dg(8), dg(9));
    let mut inventory = Inventory {
        repository: "app".to_owned(),
        ..Inventory::default()
    };
    let mut add = |info: ManifestInfo| {
        inventory.manifests.insert(info.digest.clone(), info);
    };
    add(image(&x, 1, &[("base", 1000), ("lx", 10)]));
    add(image(&y, 2, &[("base", 1000), ("ly", 10)]));
    add(referrer(&sbom, &x, "application/spdx+json"));
    add(referrer(&sig, &x, "application/vnd.cncf.notary.signature"));
    add(referrer(
        &sbom_sig,
        &sbom,
        "application/vnd.cncf.notary.signature",
    ));
    add(image(&cosign, 95, &[("cc", 100), ("cl", 20)]));
    add(image(&att, 96, &[("ac", 100), ("al", 20)]));
    let fallback = |digest: &str, children: &[&str]| ManifestInfo {
        created: Some((time(99), CreatedFrom::NewestPlatform)),
        ..index(digest, children)
    };
    add(fallback(&index_x, &[&sbom, &sig]));
    add(fallback(&index_sbom, &[&sbom_sig]));
    let tag = |t: String, d: &str| (t, d.to_owned());
    let hex = |d: &str| d.trim_start_matches("sha256:").to_owned();
    inventory.tags = vec![
        tag("1.0".into(), &x),
        tag("2.0".into(), &y),
        tag(format!("sha256-{}", hex(&x)), &index_x),
        tag(format!("sha256-{}", hex(&sbom)), &index_sbom),
        tag(format!("sha256-{}.sig", hex(&x)), &cosign),
        tag(format!("sha256-{}.att", hex(&y)), &att),
    ];
    inventory
}

fn attachments_of_delete<'p>(plan: &'p RepoPlan, digest: &str) -> &'p [Attachment] {
    plan.actions
        .iter()
        .find_map(|a| match a {
            Action::Delete {
                digest: d,
                attachments,
                ..
            } if d == digest => Some(attachments.as_slice()),
            _ => None,
        })
        .expect("deleted")
}

#[test]
fn keep_counts_no_attachment_tag_and_a_deleted_image_takes_its_attachments() {
    let inventory = signed();
    let plan = plan(&inventory, &policy(Some(1), None));
    // The attachment tags (dated newer than both images) neither count among
    // the newest nor are selected: 2.0 is kept, 1.0 goes.
    assert_eq!(kept(&plan), ["2.0"]);
    assert_eq!(deleted_tags(&plan), ["1.0"]);
    assert_eq!(plan.actions.len(), 1, "{:?}", plan.actions);
    let attachments = attachments_of_delete(&plan, &dg(1));
    let order: Vec<(String, &str)> = attachments
        .iter()
        .map(|a| (a.digest.clone(), a.kind.name()))
        .collect();
    // Leaves first: the signature on the SBOM and the SBOM's index before
    // the SBOM, the referrers before the index listing them, then cosign's.
    assert_eq!(
        order,
        [
            (dg(5), "referrer"),
            (dg(9), "referrers-index"),
            (dg(3), "referrer"),
            (dg(4), "referrer"),
            (dg(8), "referrers-index"),
            (dg(6), "cosign-signature"),
        ]
    );
    assert!(attachments.iter().all(|a| !a.untag_only));
    assert_eq!(
        attachments[0].artifact_type.as_deref(),
        Some("application/vnd.cncf.notary.signature")
    );
    assert_eq!(attachments[0].subject, dg(3));
    // What garbage collection frees: the image's own layer, every attachment
    // manifest and their own blobs; not the base Y keeps.
    let outcomes = outcomes(&[("app".to_owned(), plan)].into());
    let freed = freed_by(&[inventory], &outcomes, true, true);
    let attachment_blobs: u64 =
        [3u8, 4, 5].iter().map(|_| 500 + 30).sum::<u64>() + 2 + (500 + 100 + 20) + 300 * 2;
    assert_eq!(freed.bytes, 500 + 10 + attachment_blobs);
}

#[test]
fn an_attachment_tag_is_never_selected_and_keeps_nothing_alive() {
    let inventory = signed();
    // Every tag matched, none kept by rank: both images go, each with its own.
    let plan = plan(&inventory, &policy(Some(0), None));
    let mut deleted = deleted_tags(&plan);
    deleted.sort();
    assert_eq!(deleted, ["1.0", "2.0"]);
    assert_eq!(attachments_of_delete(&plan, &dg(1)).len(), 6);
    let of_y = attachments_of_delete(&plan, &dg(2));
    assert_eq!(of_y.len(), 1);
    assert_eq!(of_y[0].kind.name(), "cosign-attestation");
    // A user tag on an attachment: only the tag goes, the signature stays.
    let mut inventory = signed();
    inventory.tags.push(("sig-copy".to_owned(), dg(6)));
    let plan = plan_with(
        &inventory,
        &Policy {
            tags: Some(Regex::new("^sig-copy$").unwrap()),
            ..policy(Some(0), None)
        },
        &Listed::new(),
    );
    assert!(matches!(&plan.actions[..], [Action::Untag { digest, .. }] if *digest == dg(6)));
}

#[test]
fn recorded_untagged_digests_an_attachment_tag_reaches_are_live() {
    let inventory = signed();
    // The SBOM (listed by X's index) and an untagged image Z recorded.
    let mut inventory = inventory;
    inventory
        .manifests
        .insert(dg(10), image(&dg(10), 3, &[("lz", 10)]));
    let policy = Policy {
        untagged: [dg(3), dg(10)].into(),
        ..policy(None, None)
    };
    let plan = plan(&inventory, &policy);
    let digests: Vec<&str> = plan.actions.iter().map(|a| a.digest()).collect();
    assert_eq!(digests, [dg(10).as_str()]);
}

#[test]
fn an_untagged_image_recorded_goes_with_its_attachments() {
    // Y lost its tag (untag): only the cosign tag names it.
    let mut inventory = signed();
    inventory.tags.retain(|(t, _)| t != "2.0");
    let policy = Policy {
        untagged: [dg(2)].into(),
        ..policy(None, None)
    };
    let plan = plan(&inventory, &policy);
    let attachments = attachments_of_delete(&plan, &dg(2));
    assert_eq!(attachments.len(), 1);
    assert_eq!(
        attachments[0].tag.as_deref().unwrap(),
        format!("sha256-{}.att", "02".repeat(32))
    );
    assert_eq!(attachments[0].digest, dg(7));
}

#[test]
fn a_shared_attachment_manifest_is_untagged_and_the_api_adds_referrers() {
    let mut inventory = signed();
    // Another tag holds the same bytes as X's cosign signature.
    inventory.tags.push(("keep-me".to_owned(), dg(6)));
    // The referrers API lists one more referrer of X no tag reaches.
    inventory.manifests.insert(
        dg(11),
        referrer(
            &dg(11),
            &dg(1),
            "application/vnd.dev.sigstore.bundle.v0.3+json",
        ),
    );
    let listed: Listed = [(dg(1), vec![dg(11)])].into();
    let policy = Policy {
        tags: Some(Regex::new("^1\\.0$").unwrap()),
        ..policy(Some(0), None)
    };
    let plan = plan_with(&inventory, &policy, &listed);
    let attachments = attachments_of_delete(&plan, &dg(1));
    let cosign = attachments.iter().find(|a| a.digest == dg(6)).unwrap();
    assert!(cosign.untag_only);
    assert!(
        attachments
            .iter()
            .any(|a| a.digest == dg(11) && a.kind.name() == "referrer")
    );
    let outcomes = outcomes(&[("app".to_owned(), plan)].into());
    let freed = freed_by(std::slice::from_ref(&inventory), &outcomes, true, true);
    // The cosign manifest and its blobs stay (keep-me); the placeholder that
    // took its tag goes, with the empty config it was uploaded on.
    let tag = format!("sha256-{}.sig", "01".repeat(32));
    let placeholder = crate::registry::placeholder("app", &tag, &dg(6), None).len() as u64;
    let referrers = 4 * (500 + 30) + 2;
    assert_eq!(
        freed.bytes,
        500 + 10 + referrers + 300 * 2 + placeholder + 2
    );
}

#[test]
fn a_replaced_fallback_index_recorded_goes_alone() {
    // mirror replaced X's fallback index where it could not delete the old
    // one: recorded, it lists the SBOM that the current index lists too.
    let mut inventory = signed();
    inventory
        .manifests
        .insert(dg(12), index(&dg(12), &[&dg(3)]));
    let policy = Policy {
        untagged: [dg(12)].into(),
        ..policy(None, None)
    };
    let plan = plan(&inventory, &policy);
    assert_eq!(
        plan.actions,
        [Action::Delete {
            digest: dg(12),
            tags: Vec::new(),
            children: Vec::new(),
            attachments: Vec::new(),
        }]
    );
}

#[test]
fn a_deletion_line_counts_its_attachments_by_kind() {
    let plan = plan(&signed(), &policy(Some(1), None));
    assert_eq!(
        attachments_note(attachments_of_delete(&plan, &dg(1))),
        ", with its attachments: 3 referrers, 2 referrers indexes, 1 cosign signature"
    );
    assert_eq!(attachments_note(&[]), "");
}
