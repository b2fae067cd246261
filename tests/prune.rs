//! tags --long, untag and prune against a real registry: policies over images with
//! set creation times, every kept tag still pulls, an index's entries never
//! break, a dry run changes no byte of storage, and the bytes prune says the next
//! garbage collection frees are exactly what `docker-registry garbage-collect`
//! frees.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::util::image::{skopeo_digest, skopeo_exists, skopeo_pull_digest};
use crate::util::{Home, TestImage, TestRegistry, authed};

/// Layers every version shares (one base), by seed and size.
const BASE: (u64, usize) = (7_000, 40_000);

fn created(day: u32) -> String {
    format!("2026-03-{:02}T10:00:00Z", day + 1)
}

/// `app/web` with versions 1.0 to 1.9 (a day apart, 1.9 newest), `stable` on
/// 1.2 and `latest` on 1.9; returns each tag's digest.
fn versions(registry: &TestRegistry, repository: &str) -> BTreeMap<String, String> {
    let mut digests = BTreeMap::new();
    for minor in 0..10u32 {
        let image = TestImage::dated(
            900 + minor as u64,
            &[BASE, (9_000 + minor as u64, 3_000 + minor as usize)],
            &created(minor),
        );
        let tag = format!("1.{minor}");
        image.push(registry, &format!("{repository}:{tag}"), false);
        if minor == 2 {
            image.push(registry, &format!("{repository}:stable"), false);
        }
        if minor == 9 {
            image.push(registry, &format!("{repository}:latest"), false);
        }
        digests.insert(
            tag,
            skopeo_digest(registry, &format!("{repository}:1.{minor}")),
        );
    }
    digests
}

/// Every file of the registry's storage and its bytes.
fn storage(registry: &TestRegistry) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(&registry.storage(), &mut files);
    files
}

fn tags(home: &Home, registry: &TestRegistry, repository: &str) -> Vec<String> {
    listed(authed(home, registry).args([
        "tags",
        &format!("{}/{repository}", registry.addr),
        "--format",
        "json",
    ]))
}

/// The tags `aseecr tags ... --format json` lists.
fn listed(command: crate::util::Aseecr) -> Vec<String> {
    command.ok().json()["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn tags_in_version_order_and_in_detail_newest_first() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let r = &registry.addr;
    for (seed, tag, day) in [(1, "1.9", 3), (2, "1.10", 5), (3, "1.2", 1)] {
        TestImage::dated(seed, &[BASE, (seed, 2_000)], &created(day)).push(
            &registry,
            &format!("app:{tag}"),
            false,
        );
    }
    TestImage::multi(4, &[("linux", "amd64"), ("linux", "arm64")]).push(
        &registry,
        "app:multi",
        false,
    );
    let out = authed(&home, &registry)
        .args(["tags", &format!("{r}/app")])
        .ok();
    assert_eq!(out.lines(), ["1.2", "1.9", "1.10", "multi"]);

    let out = authed(&home, &registry)
        .args(["tags", &format!("{r}/app"), "--long", "--format", "json"])
        .ok();
    let json = out.json();
    // The multi-platform test image is dated 2026-01-02 (both platforms): oldest.
    assert_eq!(
        json["tags"],
        serde_json::json!(["1.10", "1.9", "1.2", "multi"])
    );
    let details = json["details"].as_array().unwrap();
    assert_eq!(details[0]["created"], created(5));
    assert_eq!(details[0]["createdFrom"], "config");
    assert_eq!(details[0]["platforms"], serde_json::json!(["linux/amd64"]));
    assert_eq!(details[0]["digest"], skopeo_digest(&registry, "app:1.10"));
    assert_eq!(details[3]["createdFrom"], "newest-platform");
    assert_eq!(
        details[3]["platforms"],
        serde_json::json!(["linux/amd64", "linux/arm64"])
    );
    // The size is what the registry stores for the image: with one image in a
    // fresh registry, every blob it holds.
    let alone = TestRegistry::edge();
    TestImage::dated(1, &[BASE, (1, 2_000)], &created(3)).push(&alone, "one:1.9", false);
    let out = authed(&home, &alone)
        .args([
            "tags",
            &format!("{}/one", alone.addr),
            "--long",
            "--format",
            "json",
        ])
        .ok();
    assert_eq!(out.json()["details"][0]["size"], alone.blob_bytes());

    // Text: a table, newest first; `--sort name` for version order.
    let out = authed(&home, &registry)
        .args(["tags", &format!("{r}/app"), "-l"])
        .ok();
    let lines = out.lines();
    assert!(lines[0].starts_with("TAG"), "{}", out.stdout);
    assert!(lines[1].starts_with("1.10 "), "{}", out.stdout);
    assert!(lines[1].contains("linux/amd64"), "{}", out.stdout);
    let out = authed(&home, &registry)
        .args(["tags", &format!("{r}/app"), "--long", "--sort", "name"])
        .ok();
    assert!(out.lines()[1].starts_with("1.2 "), "{}", out.stdout);
}

#[test]
fn untag_removes_only_the_named_tags() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let r = &registry.addr;
    let image = TestImage::dated(20, &[BASE, (20, 1_000)], &created(1));
    image.push(&registry, "app:1.0", false);
    image.push(&registry, "app:stable", false);
    TestImage::dated(21, &[BASE, (21, 1_000)], &created(2)).push(&registry, "app:1.1", false);
    let digest = skopeo_digest(&registry, "app:1.0");

    // Refused without a tag, by digest, and without a terminal or --yes.
    authed(&home, &registry)
        .args(["untag", &format!("{r}/app@{digest}")])
        .run()
        .code(2)
        .stderr_has("aseecr delete");
    authed(&home, &registry)
        .args(["untag", &format!("{r}/app:stable")])
        .run()
        .code(2)
        .stderr_has("--yes");
    let before = storage(&registry);
    let out = authed(&home, &registry)
        .args([
            "untag",
            &format!("{r}/app:stable"),
            "--dry-run",
            "--format",
            "json",
        ])
        .ok();
    assert_eq!(out.json()["items"][0]["status"], "planned");
    assert_eq!(out.json()["items"][0]["digest"], digest.as_str());
    assert!(before == storage(&registry), "a dry run changed storage");

    let out = authed(&home, &registry)
        .args([
            "untag",
            &format!("{r}/app:stable"),
            "--yes",
            "--format",
            "json",
        ])
        .ok();
    let json = out.json();
    assert_eq!(json["summary"]["succeeded"], 1);
    assert!(json["freed"]["bytes"].as_u64().unwrap() > 0);
    assert_eq!(tags(&home, &registry, "app"), ["1.0", "1.1"]);
    assert_eq!(
        skopeo_pull_digest(&registry, "app:1.0"),
        Some(digest.clone())
    );

    // The last tag on an image: the image stays, by digest.
    authed(&home, &registry)
        .args(["untag", &format!("{r}/app:1.0"), "--yes"])
        .ok()
        .stdout_has(&digest)
        .stderr_has("the images stay");
    assert_eq!(tags(&home, &registry, "app"), ["1.1"]);
    assert!(skopeo_exists(&registry, &format!("app@{digest}")));
    // A tag that is not there: exit 4 (not found), nothing changed.
    authed(&home, &registry)
        .args(["untag", &format!("{r}/app:nope"), "--yes"])
        .run()
        .code(4);
    assert_eq!(tags(&home, &registry, "app"), ["1.1"]);
}

#[test]
fn prune_keeps_the_newest_and_protected_tags_and_a_dry_run_changes_nothing() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let r = &registry.addr;
    let digests = versions(&registry, "app/web");
    let prune = |extra: &[&str]| {
        authed(&home, &registry)
            .args(["prune", &format!("{r}/app/web"), "--keep", "3"])
            .args(["--exclude", "^(latest|stable)$"])
            .args(extra)
    };

    let before = storage(&registry);
    let out = prune(&["--dry-run", "--format", "json"]).ok();
    assert!(before == storage(&registry), "a dry run changed storage");
    let plan = out.json();
    let kept: Vec<&str> = plan["kept"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["tag"].as_str().unwrap())
        .collect();
    assert_eq!(kept, ["1.7", "1.8", "1.9", "latest", "stable"]);
    let untag: Vec<&serde_json::Value> = plan["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["action"] == "untag")
        .collect();
    assert_eq!(untag.len(), 1);
    assert_eq!(untag[0]["tags"], serde_json::json!(["1.2"]));
    assert_eq!(untag[0]["digest"], digests["1.2"].as_str());
    assert_eq!(plan["summary"]["total"], 7);

    // The text plan says what it would do, line by line, and does nothing.
    let out = prune(&["--dry-run"]).ok();
    assert!(before == storage(&registry), "a dry run changed storage");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 7, "{}", out.stdout);
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("would delete ") || l.starts_with("would untag ")),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("would untag "), "{}", out.stdout);

    // Without a terminal, --yes is needed; then the plan is carried out.
    prune(&[]).run().code(2).stderr_has("--yes");
    let out = prune(&["--yes"]).ok();
    assert!(
        out.stdout
            .lines()
            .all(|l| l.starts_with("delete ") || l.starts_with("untag ")),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("deleted 6 images and removed 1 tag"),
        "{}",
        out.stderr
    );
    assert_eq!(
        tags(&home, &registry, "app/web"),
        ["1.7", "1.8", "1.9", "latest", "stable"]
    );
    for tag in ["1.7", "1.8", "1.9", "latest", "stable"] {
        let expected = match tag {
            "latest" => &digests["1.9"],
            "stable" => &digests["1.2"],
            _ => &digests[tag],
        };
        assert_eq!(
            skopeo_pull_digest(&registry, &format!("app/web:{tag}")).as_ref(),
            Some(expected),
            "{tag}"
        );
    }
    assert!(!skopeo_exists(
        &registry,
        &format!("app/web@{}", digests["1.0"])
    ));
    // Nothing left to do: a second run selects nothing.
    prune(&["--yes"])
        .ok()
        .stderr_has("deleted 0 images and removed 0 tags");
}

#[test]
fn prune_says_exactly_what_garbage_collection_frees() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let r = &registry.addr;
    versions(&registry, "app/web");
    // Another repository on the same base, and one version's own layer.
    TestImage::dated(77, &[BASE, (9_003, 3_003)], &created(20)).push(&registry, "app/api:1", false);
    // A multi-platform image, old, whose entries go with it.
    TestImage::multi(5, &[("linux", "amd64"), ("linux", "arm64")]).push(
        &registry,
        "app/web:multi",
        false,
    );

    let dry = authed(&home, &registry)
        .args([
            "prune",
            "--all-repositories",
            r,
            "--keep",
            "2",
            "--tags",
            "^(1\\.|multi)",
        ])
        .args(["--dry-run", "--format", "json"])
        .ok()
        .json();
    let out = authed(&home, &registry)
        .args([
            "prune",
            "--all-repositories",
            r,
            "--keep",
            "2",
            "--tags",
            "^(1\\.|multi)",
        ])
        .args(["--yes", "--format", "json"])
        .ok()
        .json();
    let predicted = out["freed"]["bytes"].as_u64().unwrap();
    assert_eq!(out["freed"]["allRepositories"], true);
    assert!(predicted > 0);
    let multi = out["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["tags"] == serde_json::json!(["multi"]))
        .expect("the old index is deleted");
    assert_eq!(multi["children"].as_array().unwrap().len(), 2);
    // The dry run predicted the same deletions (placeholders differ by a nonce only).
    assert_eq!(
        dry["items"].as_array().unwrap().len(),
        out["items"].as_array().unwrap().len()
    );

    let before = registry.blob_bytes();
    registry.garbage_collect();
    let freed = before - registry.blob_bytes();
    assert_eq!(
        freed, predicted,
        "predicted {predicted} bytes, garbage collection freed {freed}"
    );
    // What stays still pulls, and the other repository's shared layers with it.
    for tag in ["1.8", "1.9", "latest", "stable"] {
        assert!(
            skopeo_pull_digest(&registry, &format!("app/web:{tag}")).is_some(),
            "{tag}"
        );
    }
    assert!(skopeo_pull_digest(&registry, "app/api:1").is_some());
}

#[test]
fn prune_refuses_unclear_policies() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let r = &registry.addr;
    let run = |args: &[&str]| authed(&home, &registry).arg("prune").args(args).run();
    run(&[&format!("{r}/app")])
        .code(2)
        .stderr_has("needs a policy");
    run(&[&format!("{r}/app"), "--keep", "2", "--tags", "("])
        .code(2)
        .stderr_has("invalid --tags pattern");
    run(&[&format!("{r}/app"), "--older-than", "30"])
        .code(2)
        .stderr_has("30d");
    run(&["--keep", "2"])
        .code(2)
        .stderr_has("--all-repositories");
    run(&["--all-repositories", &format!("{r}/app"), "--keep", "1"]).code(2);
    run(&[&format!("{r}/missing"), "--keep", "1", "--yes"])
        .code(4)
        .stderr_has("missing");
}

#[test]
fn prune_requests_grow_with_tags_not_their_square() {
    use crate::util::proxy::{Behaviour, Proxy};

    use std::sync::atomic::Ordering;
    let registry = TestRegistry::plain();
    let (repositories, versions) = (3usize, 5u32);
    for repository in 0..repositories {
        for version in 0..versions {
            let seed = 500 + (repository as u64) * 10 + version as u64;
            let image = TestImage::dated(seed, &[BASE, (seed, 1_000)], &created(version));
            image.push(&registry, &format!("r{repository}:v{version}"), false);
            if version == 1 {
                image.push(&registry, &format!("r{repository}:stable"), false);
            }
        }
    }
    let proxy = Proxy::start(&registry.addr, Behaviour::default());
    let home = Home::new();
    let out = home
        .aseecr()
        .args(["prune", "--plain-http", "--all-repositories", &proxy.addr])
        .args([
            "--keep",
            "2",
            "--exclude",
            "^stable$",
            "--yes",
            "--format",
            "json",
        ])
        .ok()
        .json();
    let requests = proxy.stats.requests.load(Ordering::SeqCst);
    // Per repository: v0 and v2 deleted, v1 untagged (stable stays on it).
    let tags = repositories * (versions as usize + 1);
    let digests = repositories * versions as usize;
    let deletions = repositories * 2;
    let untagged = repositories;
    // Each deletion is checked with a HEAD: two requests per deleted digest.
    // The referrers API is asked once for the run (distribution 2.8: a 404,
    // then the first subject's fallback tag): two more.
    let referrers_probe = 2;
    let bound = tags + digests + 2 * deletions + repositories + 5 * untagged + 2 + referrers_probe;
    assert_eq!(out["summary"]["succeeded"], repositories * 3, "{out}");
    eprintln!("prune: {requests} requests (bound {bound})");
    assert!(
        requests <= bound,
        "{requests} requests for {tags} tags, {digests} digests, {deletions} deletions, {untagged} untagged tags: more than {bound}"
    );
    for repository in 0..repositories {
        let left = tags_of(&home, &proxy.addr, &format!("r{repository}"));
        assert_eq!(left, ["stable", "v3", "v4"]);
    }
}

fn tags_of(home: &Home, registry: &str, repository: &str) -> Vec<String> {
    listed(home.aseecr().args([
        "tags",
        "--plain-http",
        &format!("{registry}/{repository}"),
        "--format",
        "json",
    ]))
}

#[test]
fn prune_never_breaks_a_kept_multi_platform_image() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let r = &registry.addr;
    TestImage::multi(8, &[("linux", "amd64"), ("linux", "arm64")]).push(&registry, "app:v2", false);
    // One platform of the kept index, tagged on its own.
    let index: serde_json::Value =
        serde_json::from_slice(&crate::util::image::skopeo_raw(&registry, "app:v2")).unwrap();
    let arm = index["manifests"][1]["digest"].as_str().unwrap().to_owned();
    let copy = crate::util::image::skopeo(
        &registry,
        &[
            "copy".into(),
            "--quiet".into(),
            "--src-authfile".into(),
            crate::util::image::auth_file(&registry)
                .display()
                .to_string(),
            "--dest-authfile".into(),
            crate::util::image::auth_file(&registry)
                .display()
                .to_string(),
            "--src-cert-dir".into(),
            registry.cert_dir().display().to_string(),
            "--dest-cert-dir".into(),
            registry.cert_dir().display().to_string(),
            format!("docker://{r}/app@{arm}"),
            format!("docker://{r}/app:v2-arm64"),
        ],
    );
    assert!(
        copy.status.success(),
        "{}",
        String::from_utf8_lossy(&copy.stderr)
    );

    let out = authed(&home, &registry)
        .args([
            "prune",
            &format!("{r}/app"),
            "--tags",
            "^v2-arm64$",
            "--keep",
            "0",
        ])
        .args(["--yes", "--format", "json"])
        .ok()
        .json();
    let item = &out["items"][0];
    assert_eq!(item["action"], "untag", "{out}");
    assert_eq!(item["reason"], "it is part of a kept multi-platform image");
    assert_eq!(tags(&home, &registry, "app"), ["v2"]);
    // Every platform of v2 still pulls.
    assert!(crate::util::image::skopeo_pulls(&registry, "app:v2"));
    assert!(skopeo_exists(&registry, &format!("app@{arm}")));
}

/// A registry that answers 202 to every manifest DELETE and deletes nothing
/// (the proxy answers for it): prune checks each change and reports what
/// really happened. Every action failed, with its own error kind, exit 1, and
/// the tag to untag still points at its image, not at a placeholder.
#[test]
fn prune_reports_deletions_the_registry_answered_but_did_not_do() {
    use crate::util::proxy::{Behaviour, Proxy};
    use std::sync::atomic::Ordering;

    let registry = TestRegistry::plain();
    for version in 0..4u32 {
        let seed = 560 + version as u64;
        let image = TestImage::dated(seed, &[BASE, (seed, 1_000)], &created(version));
        image.push(&registry, &format!("app:v{version}"), false);
        if version == 1 {
            image.push(&registry, "app:stable", false);
        }
    }
    let before: BTreeMap<String, String> = ["v0", "v1", "v2", "v3", "stable"]
        .into_iter()
        .map(|t| (t.to_owned(), skopeo_digest(&registry, &format!("app:{t}"))))
        .collect();
    let proxy = Proxy::start(
        &registry.addr,
        Behaviour {
            fake_delete: true,
            ..Behaviour::default()
        },
    );
    let home = Home::new();
    let prune = |format: &str| {
        home.aseecr()
            .args(["prune", "--plain-http", &format!("{}/app", proxy.addr)])
            .args(["--keep", "1", "--exclude", "^stable$", "--yes"])
            .args(["--format", format])
            .run()
            .code(1)
    };
    // v0 and v2 deleted, v1 untagged (stable stays on it): none of it done.
    let out = prune("text")
        .stderr_has("but still serves")
        .stderr_has("cannot untag `app:v1`; it still points at")
        .stderr_has("deleted 0 images and removed 0 tags in 1 repository; kept 2 tags; 3 of 3 failed (errors above)");
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(proxy.stats.fake_deletes.load(Ordering::SeqCst) >= 3);
    let json = prune("json").json();
    assert_eq!(json["summary"]["failed"], 3, "{json}");
    assert_eq!(json["summary"]["succeeded"], 0, "{json}");
    for item in json["items"].as_array().unwrap() {
        assert_eq!(item["status"], "failed", "{item}");
        assert_eq!(item["error"]["kind"], "not-deleted", "{item}");
    }
    // Nothing changed on the registry: every tag where it was.
    for (tag, digest) in &before {
        assert_eq!(
            &skopeo_digest(&registry, &format!("app:{tag}")),
            digest,
            "{tag}"
        );
    }
}
