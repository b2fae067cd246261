use std::collections::BTreeSet;

use regex::Regex;

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
