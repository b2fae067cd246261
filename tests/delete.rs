//! delete: shared-digest safety, --force, --dry-run, disabled deletion, garbage collection.

use crate::util::image::skopeo_exists;
use crate::util::registry::Options;
use crate::util::{Home, TestImage, TestRegistry, authed};

#[test]
fn shared_digest_is_refused_then_allowed_with_force() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let shared = TestImage::single(10, &[4096]);
    shared.push(&registry, "app:v1", false);
    shared.push(&registry, "app:stable", false);
    TestImage::single(11, &[4096]).push(&registry, "app:v2", false);
    let r = &registry.addr;

    // Refused: nothing deleted, the other tag named.
    authed(&home, &registry)
        .args(["delete", &format!("{r}/app:v1")])
        .run()
        .code(1)
        .stderr_has("refusing to delete")
        .stderr_has("app:stable")
        .stderr_has("--force")
        .stderr_has(&format!(
            "to remove only the tag named and keep the image: `aseecr untag {r}/app:v1`"
        ));
    assert!(skopeo_exists(&registry, "app:v1"));
    assert!(skopeo_exists(&registry, "app:stable"));

    // The plan, without deleting.
    let out = authed(&home, &registry)
        .args([
            "delete",
            &format!("{r}/app:v1"),
            "--force",
            "--dry-run",
            "--format",
            "json",
        ])
        .ok();
    let json = out.json();
    assert_eq!(json["dryRun"], true);
    assert_eq!(
        json["items"][0]["tags"],
        serde_json::json!(["stable", "v1"])
    );
    assert!(skopeo_exists(&registry, "app:v1"));

    // Forced: both tags go, v2 stays.
    let out = authed(&home, &registry)
        .args(["delete", &format!("{r}/app:v1"), "--force", "--yes"])
        .ok()
        .stderr_has("garbage collection");
    assert!(out.stdout.contains("(stable, v1)"), "{}", out.stdout);
    assert!(!skopeo_exists(&registry, "app:v1"));
    assert!(!skopeo_exists(&registry, "app:stable"));
    assert!(skopeo_exists(&registry, "app:v2"));
}

#[test]
fn naming_every_tag_needs_no_force_and_gc_frees_the_blobs() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let big = TestImage::single(12, &[300_000]);
    big.push(&registry, "web:a", false);
    big.push(&registry, "web:b", false);
    TestImage::single(13, &[1000]).push(&registry, "web:keep", false);
    let r = &registry.addr;
    let before = registry.blob_bytes();

    let json = authed(&home, &registry)
        .args([
            "delete",
            "--yes",
            &format!("{r}/web:a"),
            &format!("{r}/web:b"),
            "--format",
            "json",
        ])
        .ok()
        .json();
    assert_eq!(json["items"].as_array().unwrap().len(), 1);
    assert_eq!(json["items"][0]["tags"], serde_json::json!(["a", "b"]));
    assert!(
        json["note"]
            .as_str()
            .unwrap()
            .contains("garbage collection")
    );
    authed(&home, &registry)
        .args(["tags", &format!("{r}/web")])
        .ok()
        .stdout_has("keep");
    assert!(!skopeo_exists(&registry, "web:a"));

    registry.garbage_collect();
    let after = registry.blob_bytes();
    assert!(
        before - after > 300_000,
        "garbage collection freed only {} bytes",
        before - after
    );
    // What delete said the collection would free, exactly.
    assert_eq!(json["freed"]["bytes"], before - after);
    assert_eq!(json["freed"]["allRepositories"], true);
    assert!(skopeo_exists(&registry, "web:keep"));
}

#[test]
fn delete_by_digest_and_unknown_tags() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(14, &[100]).push(&registry, "x:only", false);
    let r = &registry.addr;
    let digest = authed(&home, &registry)
        .args(["digest", &format!("{r}/x:only")])
        .ok()
        .stdout
        .trim()
        .to_owned();
    // By digest, the tag on it was not named: refused.
    authed(&home, &registry)
        .args(["delete", &format!("{r}/x@{digest}")])
        .run()
        .code(1)
        .stderr_has("x:only");
    // repo:tag@digest names both.
    authed(&home, &registry)
        .args(["delete", &format!("{r}/x:only@{digest}"), "--yes"])
        .ok();
    assert!(!skopeo_exists(&registry, "x:only"));
    // Unknown tag: not-found exit code, nothing else touched.
    authed(&home, &registry)
        .args(["delete", &format!("{r}/x:ghost")])
        .run()
        .code(4)
        .stderr_has("not found");
}

#[test]
fn disabled_deletion_is_reported() {
    let registry = TestRegistry::start(Options {
        delete: false,
        ..Options::default()
    });
    let home = Home::new();
    TestImage::single(15, &[100]).push(&registry, "y:1", false);
    authed(&home, &registry)
        .args(["delete", "--yes", &format!("{}/y:1", registry.addr)])
        .run()
        .code(1)
        .stderr_has("deletion is disabled")
        .stderr_has("delete");
    assert!(skopeo_exists(&registry, "y:1"));
    // untag and prune ask first, so no tag is left on a placeholder.
    TestImage::single(15, &[100]).push(&registry, "y:2", false);
    authed(&home, &registry)
        .args(["untag", "--yes", &format!("{}/y:2", registry.addr)])
        .run()
        .code(1)
        .stderr_has("deletion is disabled");
    authed(&home, &registry)
        .args([
            "prune",
            "--yes",
            &format!("{}/y", registry.addr),
            "--keep",
            "0",
        ])
        .run()
        .code(1)
        .stderr_has("deletion is disabled");
    let y1 = crate::util::image::skopeo_digest(&registry, "y:1");
    assert_eq!(crate::util::image::skopeo_digest(&registry, "y:2"), y1);
}

#[test]
fn deleting_one_platform_of_a_tagged_index_is_refused() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    TestImage::multi(16, &[("linux", "amd64"), ("linux", "arm64")])
        .push(&registry, "multi:1", false);
    let index: serde_json::Value =
        serde_json::from_slice(&crate::util::image::skopeo_raw(&registry, "multi:1")).unwrap();
    let child = index["manifests"][1]["digest"].as_str().unwrap().to_owned();
    let r = &registry.addr;
    authed(&home, &registry)
        .args(["delete", &format!("{r}/multi@{child}")])
        .run()
        .code(1)
        .stderr_has("multi-platform")
        .stderr_has("linux/arm64")
        .stderr_has("multi:1");
    assert!(skopeo_exists(&registry, &format!("multi@{child}")));
    // Deleting the index and the child together is fine.
    authed(&home, &registry)
        .args([
            "delete",
            "--yes",
            &format!("{r}/multi:1"),
            &format!("{r}/multi@{child}"),
        ])
        .ok();
    assert!(!skopeo_exists(&registry, "multi:1"));
}

#[test]
fn without_a_terminal_deleting_needs_yes() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(47, &[100]).push(&registry, "z:1", false);
    let r = &registry.addr;
    authed(&home, &registry)
        .args(["delete", &format!("{r}/z:1")])
        .run()
        .code(2)
        .stderr_has("needs confirmation")
        .stderr_has("--yes");
    assert!(skopeo_exists(&registry, "z:1"));
    // A dry run needs no confirmation; --yes deletes.
    authed(&home, &registry)
        .args(["delete", &format!("{r}/z:1"), "--dry-run"])
        .ok();
    authed(&home, &registry)
        .args(["delete", &format!("{r}/z:1"), "--yes"])
        .ok();
    assert!(!skopeo_exists(&registry, "z:1"));
}

#[test]
fn dry_run_lists_each_manifest_once_and_failures_are_counted() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(16, &[100]).push(&registry, "once:1", false);
    let r = &registry.addr;
    let out = authed(&home, &registry)
        .args(["delete", "--dry-run", &format!("{r}/once:1")])
        .ok();
    assert_eq!(out.lines().len(), 1, "{}", out.stdout);
    assert!(out.stdout.contains("once@sha256:"), "{}", out.stdout);
    assert!(
        !out.stderr.contains("once@"),
        "listed twice:\n{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("would delete 1 manifest"),
        "{}",
        out.stderr
    );
    assert!(skopeo_exists(&registry, "once:1"));

    // Every reference fails: how many of how many, and no garbage-collection note.
    let out = authed(&home, &registry)
        .args(["delete", &format!("{r}/once:nope"), &format!("{r}/gone:1")])
        .run()
        .code(1);
    assert!(
        out.stderr.contains("nothing deleted; 2 of 2 failed"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("some references failed"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("garbage collection"), "{}", out.stderr);
}

#[test]
fn deleting_an_untagged_image_says_what_garbage_collection_frees() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(17, &[30_000]).push(&registry, "u:1", false);
    let old = crate::util::image::skopeo_digest(&registry, "u:1");
    // The tag moves on: the old image stays, untagged.
    TestImage::single(18, &[1_000]).push(&registry, "u:1", false);
    registry.garbage_collect();
    let before = registry.blob_bytes();
    let json = authed(&home, &registry)
        .args([
            "delete",
            "--yes",
            "--format",
            "json",
            &format!("{}/u@{old}", registry.addr),
        ])
        .ok()
        .json();
    registry.garbage_collect();
    let freed = before - registry.blob_bytes();
    assert!(
        freed > 30_000,
        "garbage collection freed only {freed} bytes"
    );
    assert_eq!(json["freed"]["bytes"], freed);
}

/// A registry that answers 202 to every manifest DELETE and deletes nothing
/// (the proxy answers for it): `delete` and `untag` check each change, report
/// each one as failed with its own error kind and exit 1; the untagged tag is
/// put back on its image, never left on a placeholder.
#[test]
fn delete_and_untag_report_deletions_the_registry_answered_but_did_not_do() {
    use crate::util::image::skopeo_digest;
    use crate::util::proxy::{Behaviour, Proxy};

    let registry = TestRegistry::plain();
    TestImage::single(16, &[100]).push(&registry, "z:1", false);
    TestImage::single(17, &[100]).push(&registry, "z:2", false);
    TestImage::single(18, &[100]).push(&registry, "z:3", false);
    let digests: Vec<String> = ["z:1", "z:2", "z:3"]
        .iter()
        .map(|t| skopeo_digest(&registry, t))
        .collect();
    let proxy = Proxy::start(
        &registry.addr,
        Behaviour {
            fake_delete: true,
            ..Behaviour::default()
        },
    );
    let home = Home::new();
    let p = &proxy.addr;
    let run = |args: &[&str]| home.aseecr().arg("--plain-http").args(args).arg("--yes");

    // One image: its error, exit 1.
    run(&["delete", &format!("{p}/z:1")])
        .run()
        .code(1)
        .stderr_has(&format!(
            "answered 202 Accepted to the DELETE of `{p}/z@{}` but still serves it",
            digests[0]
        ))
        .stderr_has("help:");
    // Two: each failed, none counted as deleted.
    let out = run(&["delete", &format!("{p}/z:1"), &format!("{p}/z:2")])
        .run()
        .code(1)
        .stderr_has("nothing deleted; 2 of 2 failed (errors above)");
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let json = run(&["delete", &format!("{p}/z:1"), "--format", "json"])
        .run()
        .code(1)
        .json();
    assert_eq!(json["error"]["kind"], "not-deleted", "{json}");
    let json = run(&[
        "delete",
        &format!("{p}/z:1"),
        &format!("{p}/z:2"),
        "--format",
        "json",
    ])
    .run()
    .code(1)
    .json();
    assert_eq!(json["summary"]["failed"], 2, "{json}");
    for item in json["items"].as_array().unwrap() {
        assert_eq!(item["status"], "failed", "{item}");
        assert_eq!(item["error"]["kind"], "not-deleted", "{item}");
    }

    // untag: the placeholder's delete is checked; the tag goes back on its image.
    run(&["untag", &format!("{p}/z:3")])
        .run()
        .code(1)
        .stderr_has("cannot untag `z:3`; it still points at")
        .stderr_has("but still serves it");
    let out = run(&["untag", &format!("{p}/z:2"), &format!("{p}/z:3")])
        .run()
        .code(1)
        .stderr_has("no tag removed; 2 of 2 failed (errors above)");
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    for (tag, digest) in ["z:1", "z:2", "z:3"].iter().zip(&digests) {
        assert_eq!(&skopeo_digest(&registry, tag), digest, "{tag}");
    }
}
