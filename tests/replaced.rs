//! mirror onto a tag that already points at another digest: the replaced digest
//! is reported with its size, recorded in aseecr's config dir, and deleted by
//! `--prune-replaced` only when no tag of the repository still uses it. Checked
//! with skopeo and against the registry's own storage.

use std::path::Path;

use crate::util::image::{skopeo_digest, skopeo_exists, skopeo_raw};
use crate::util::registry::Options;
use crate::util::{Home, TestImage, TestRegistry};

/// An anonymous plain-HTTP source registry.
fn source() -> TestRegistry {
    TestRegistry::plain()
}

/// `aseecr mirror SRC/from DST/to` with the destination's CA and login.
fn mirror(
    home: &Home,
    src: &TestRegistry,
    dst: &TestRegistry,
    from: &str,
    to: &str,
) -> crate::util::Aseecr {
    crate::util::mirror_into(home, dst)
        .arg(format!("{}/{from}", src.addr))
        .arg(format!("{}/{to}", dst.addr))
}

/// The bytes of a blob's data file in the registry's storage (manifests are
/// stored as blobs too).
fn stored_blob(registry: &TestRegistry, digest: &str) -> u64 {
    let hex = digest.strip_prefix("sha256:").unwrap();
    let path = registry
        .storage()
        .join("docker/registry/v2/blobs/sha256")
        .join(&hex[..2])
        .join(hex)
        .join("data");
    std::fs::metadata(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .len()
}

/// What the registry stores for the image `target`: its manifest(s), config(s)
/// and layers, each blob once, summed from the storage's data files.
fn stored_image(registry: &TestRegistry, repository: &str, digest: &str) -> u64 {
    let mut blobs = std::collections::BTreeSet::new();
    let mut todo = vec![digest.to_owned()];
    while let Some(manifest) = todo.pop() {
        blobs.insert(manifest.clone());
        let raw: serde_json::Value =
            serde_json::from_slice(&skopeo_raw(registry, &format!("{repository}@{manifest}")))
                .unwrap();
        for entry in raw["manifests"].as_array().into_iter().flatten() {
            todo.push(entry["digest"].as_str().unwrap().to_owned());
        }
        for blob in
            std::iter::once(&raw["config"]).chain(raw["layers"].as_array().into_iter().flatten())
        {
            if let Some(digest) = blob["digest"].as_str() {
                blobs.insert(digest.to_owned());
            }
        }
    }
    blobs.iter().map(|b| stored_blob(registry, b)).sum()
}

/// The entries recorded for `registry` in aseecr's `replaced.json`.
fn recorded(config_dir: &Path, registry: &str) -> Vec<serde_json::Value> {
    let Ok(text) = std::fs::read_to_string(config_dir.join("replaced.json")) else {
        return Vec::new();
    };
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    file["registries"][registry]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn a_moved_tag_reports_its_replaced_digest_and_size_and_records_it() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(70, &[60_000, 2000]).push(&src, "a:1", false);
    TestImage::single(71, &[30_000]).push(&src, "b:1", false);
    TestImage::multi(72, &[("linux", "amd64"), ("linux", "arm64")]).push(&src, "m:1", false);

    // A new tag replaces nothing.
    let out = mirror(&home, &src, &dst, "a:1", "app:stable").ok();
    assert!(!out.stdout.contains("replaced"), "{}", out.stdout);
    let old = skopeo_digest(&dst, "app:stable");
    let old_size = stored_image(&dst, "app", &old);

    // Moving it reports the old digest and what the registry stores for it.
    let out = mirror(&home, &src, &dst, "b:1", "app:stable").ok();
    let new = skopeo_digest(&dst, "app:stable");
    assert_eq!(new, skopeo_digest(&src, "b:1"));
    // aseecr's human size of an image of some KiB: one decimal.
    let size_text = format!("{:.1} KiB", old_size as f64 / 1024.0);
    assert!((1024..1 << 20).contains(&old_size), "{old_size}");
    assert!(
        out.stdout
            .contains(&format!("@{new}  copied, replaced {old} ({size_text})")),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("1 replaced ("), "{}", out.stderr);
    assert!(out.stderr.contains("--prune-replaced"), "{}", out.stderr);
    // Nothing deleted: the old image is still there by digest.
    assert!(skopeo_exists(&dst, &format!("app@{old}")));
    let entries = recorded(&home.config_dir(), &dst.addr);
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["repository"], "app");
    assert_eq!(entries[0]["digest"], old.as_str());
    assert_eq!(entries[0]["tag"], "stable");
    assert_eq!(entries[0]["size"], old_size);
    let at = entries[0]["replacedAt"].as_str().unwrap();
    assert!(at.len() == 20 && at.ends_with('Z'), "{at}");
    #[cfg(unix)]
    if !crate::util::windows_target() {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(home.config_dir().join("replaced.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // The same again: up to date, nothing replaced or recorded twice.
    let out = mirror(&home, &src, &dst, "b:1", "app:stable")
        .args(["--format", "json"])
        .ok();
    let json = out.json();
    assert_eq!(json["items"][0]["status"], "up-to-date");
    assert!(json["items"][0].get("replaced").is_none(), "{json}");
    assert_eq!(json["summary"]["replacedCount"], 0);

    // An index replaced: its size is the whole tree. JSON shape; a dry run says
    // what it would replace and records nothing.
    mirror(&home, &src, &dst, "m:1", "app:multi").ok();
    let index = skopeo_digest(&dst, "app:multi");
    let index_size = stored_image(&dst, "app", &index);
    let planned = mirror(&home, &src, &dst, "a:1", "app:multi")
        .args(["--dry-run", "--format", "json"])
        .ok()
        .json();
    assert_eq!(planned["items"][0]["status"], "planned");
    assert_eq!(planned["items"][0]["replaced"]["digest"], index.as_str());
    assert_eq!(planned["items"][0]["replaced"]["size"], index_size);
    assert_eq!(planned["items"][0]["replaced"]["recorded"], false);
    assert_eq!(recorded(&home.config_dir(), &dst.addr).len(), 1);
    let json = mirror(&home, &src, &dst, "a:1", "app:multi")
        .args(["--format", "json"])
        .ok()
        .json();
    assert_eq!(
        json["items"][0]["replaced"],
        serde_json::json!({
            "digest": index, "size": index_size, "pruned": false,
            "manifestsDeleted": 0, "recorded": true
        })
    );
    assert_eq!(json["summary"]["replacedCount"], 1);
    assert_eq!(json["summary"]["prunedCount"], 0);
    let entries = recorded(&home.config_dir(), &dst.addr);
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert_eq!(entries[1]["digest"], index.as_str());
    assert_eq!(entries[1]["tag"], "multi");
}

#[test]
fn prune_replaced_deletes_only_what_no_tag_uses() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(73, &[20_000]).push(&src, "a:1", false);
    TestImage::single(74, &[10_000]).push(&src, "b:1", false);
    TestImage::multi(75, &[("linux", "amd64"), ("linux", "arm64")]).push(&src, "m:1", false);

    // Another tag on the old digest keeps it.
    mirror(&home, &src, &dst, "a:1", "app:stable").ok();
    mirror(&home, &src, &dst, "a:1", "app:keep").ok();
    let old = skopeo_digest(&dst, "app:stable");
    let out = mirror(&home, &src, &dst, "b:1", "app:stable")
        .args(["--prune-replaced", "--format", "json"])
        .ok();
    let replaced = &out.json()["items"][0]["replaced"];
    assert_eq!(replaced["digest"], old.as_str());
    assert_eq!(replaced["pruned"], false);
    assert_eq!(replaced["inUseBy"], serde_json::json!(["keep"]));
    assert_eq!(replaced["recorded"], true);
    assert!(out.stderr.contains("kept the replaced"), "{}", out.stderr);
    assert!(skopeo_exists(&dst, &format!("app@{old}")));
    assert_eq!(skopeo_digest(&dst, "app:keep"), old);
    assert_eq!(recorded(&home.config_dir(), &dst.addr).len(), 1);

    // Once the last tag moves, the old digest goes, and leaves the record.
    let out = mirror(&home, &src, &dst, "b:1", "app:keep")
        .arg("--prune-replaced")
        .ok();
    assert!(
        out.stdout.contains(&format!("replaced {old} (")) && out.stdout.contains(", pruned"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("1 pruned"), "{}", out.stderr);
    assert!(!skopeo_exists(&dst, &format!("app@{old}")));
    assert_eq!(
        skopeo_digest(&dst, "app:stable"),
        skopeo_digest(&src, "b:1")
    );
    assert_eq!(skopeo_digest(&dst, "app:keep"), skopeo_digest(&src, "b:1"));
    assert!(recorded(&home.config_dir(), &dst.addr).is_empty());

    // A replaced image that is an entry of an index another tag uses stays.
    mirror(&home, &src, &dst, "m:1", "multi:all").ok();
    mirror(&home, &src, &dst, "m:1", "multi:arm")
        .args(["--platform", "linux/arm64"])
        .ok();
    let arm = skopeo_digest(&dst, "multi:arm");
    let out = mirror(&home, &src, &dst, "a:1", "multi:arm")
        .args(["--prune-replaced", "--format", "json"])
        .ok();
    let replaced = &out.json()["items"][0]["replaced"];
    assert_eq!(replaced["digest"], arm.as_str());
    assert_eq!(replaced["pruned"], false);
    assert_eq!(replaced["inUseBy"], serde_json::json!(["all"]));
    assert!(skopeo_exists(&dst, &format!("multi@{arm}")));
    assert!(crate::util::image::skopeo_pulls(&dst, "multi:all"));

    // A replaced index no tag uses goes with its entries.
    mirror(&home, &src, &dst, "m:1", "solo:x").ok();
    let index = skopeo_digest(&dst, "solo:x");
    let raw: serde_json::Value = serde_json::from_slice(&skopeo_raw(&dst, "solo:x")).unwrap();
    let children: Vec<String> = raw["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["digest"].as_str().unwrap().to_owned())
        .collect();
    let json = mirror(&home, &src, &dst, "a:1", "solo:x")
        .args(["--prune-replaced", "--format", "json"])
        .ok()
        .json();
    let replaced = &json["items"][0]["replaced"];
    assert_eq!(replaced["digest"], index.as_str());
    assert_eq!(replaced["pruned"], true);
    assert_eq!(replaced["manifestsDeleted"], 3);
    assert_eq!(replaced["recorded"], false);
    assert_eq!(json["summary"]["prunedCount"], 1);
    assert!(!skopeo_exists(&dst, &format!("solo@{index}")));
    for child in &children {
        assert!(!skopeo_exists(&dst, &format!("solo@{child}")), "{child}");
    }
    // The other repository's index is untouched.
    assert!(crate::util::image::skopeo_pulls(&dst, "multi:all"));
    assert!(crate::util::image::skopeo_pulls(&dst, "solo:x"));
}

#[test]
fn prune_replaced_on_a_registry_without_deletion_warns_and_records() {
    let src = source();
    let dst = TestRegistry::start(Options {
        delete: false,
        ..Options::default()
    });
    let home = Home::new();
    TestImage::single(76, &[5000]).push(&src, "a:1", false);
    TestImage::single(77, &[4000]).push(&src, "b:1", false);
    mirror(&home, &src, &dst, "a:1", "app:1").ok();
    let old = skopeo_digest(&dst, "app:1");
    let out = mirror(&home, &src, &dst, "b:1", "app:1")
        .args(["--prune-replaced", "--format", "json"])
        .ok();
    assert!(
        out.stderr.contains("warning:") && out.stderr.contains("deletion is disabled"),
        "{}",
        out.stderr
    );
    let json = out.json();
    assert_eq!(json["items"][0]["status"], "copied");
    let replaced = &json["items"][0]["replaced"];
    assert_eq!(replaced["pruned"], false);
    assert_eq!(replaced["recorded"], true);
    assert_eq!(replaced["error"]["kind"], "registry-refused");
    assert_eq!(skopeo_digest(&dst, "app:1"), skopeo_digest(&src, "b:1"));
    assert!(skopeo_exists(&dst, &format!("app@{old}")));
    let entries = recorded(&home.config_dir(), &dst.addr);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["digest"], old.as_str());
}

#[test]
fn prune_untagged_deletes_what_mirror_replaced_and_untag_left() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(301, &[20_000]).push(&src, "app:v1", false);
    TestImage::single(302, &[20_000]).push(&src, "app:v2", false);
    TestImage::single(303, &[5_000]).push(&src, "app:v3", false);
    mirror(&home, &src, &dst, "app:v1", "app:current").ok();
    let old = skopeo_digest(&dst, "app:current");
    // The tag moves: v1 stays in the repository, untagged, and is recorded.
    mirror(&home, &src, &dst, "app:v2", "app:current").ok();
    // untag leaves v3 untagged too, and records it.
    mirror(&home, &src, &dst, "app:v3", "app:rc").ok();
    let rc = skopeo_digest(&dst, "app:rc");
    crate::util::authed(&home, &dst)
        .args(["untag", &format!("{}/app:rc", dst.addr), "--yes"])
        .ok();
    assert_eq!(recorded(&home.config_dir(), &dst.addr).len(), 2);
    // The collection after untag frees its placeholder, and keeps both images.
    dst.garbage_collect();
    assert!(skopeo_exists(&dst, &format!("app@{rc}")));

    let prune = |extra: &[&str]| {
        crate::util::authed(&home, &dst)
            .args([
                "prune",
                &format!("{}/app", dst.addr),
                "--untagged",
                "--format",
                "json",
            ])
            .args(extra)
    };
    let plan = prune(&["--dry-run"]).ok().json();
    let items = plan["items"].as_array().unwrap();
    let mut digests: Vec<&str> = items
        .iter()
        .map(|i| i["digest"].as_str().unwrap())
        .collect();
    digests.sort();
    let mut expected = vec![old.as_str(), rc.as_str()];
    expected.sort();
    assert_eq!(digests, expected);
    assert!(
        items
            .iter()
            .all(|i| i["action"] == "delete" && i["tags"] == serde_json::json!([]))
    );
    // No tag policy: every tag is kept.
    assert_eq!(plan["kept"][0]["tag"], "current");

    let out = prune(&["--yes"]).ok().json();
    assert!(!skopeo_exists(&dst, &format!("app@{old}")));
    assert!(!skopeo_exists(&dst, &format!("app@{rc}")));
    assert!(skopeo_exists(&dst, "app:current"));
    assert!(recorded(&home.config_dir(), &dst.addr).is_empty());
    let before = dst.blob_bytes();
    dst.garbage_collect();
    assert_eq!(out["freed"]["bytes"], before - dst.blob_bytes());
}
