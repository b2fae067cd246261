//! `usage` (`du`): sizes, sharing, the de-duplicated total and the largest images,
//! checked against the blobs of the pushed layouts and the registry's own storage.

use std::collections::{BTreeMap, BTreeSet};

use crate::util::image::skopeo_digest;
use crate::util::{Home, TestImage, TestRegistry, authed};

type Blobs = BTreeMap<String, u64>;

/// Two base layers every image but the index is built on (tools only on the first).
const BASE: [(u64, usize); 2] = [(9001, 60_000), (9002, 30_000)];

/// What each repository holds, pushed with skopeo: `(repository, tag, image)`.
struct Fixture {
    registry: TestRegistry,
    pushed: Vec<(&'static str, &'static str, TestImage)>,
}

impl Fixture {
    fn new() -> Fixture {
        let registry = TestRegistry::edge();
        let app_1 = TestImage::dated(
            91,
            &[BASE[0], BASE[1], (9101, 5_000)],
            "2026-01-01T00:00:00Z",
        );
        let app_2 = TestImage::dated(
            92,
            &[BASE[0], BASE[1], (9102, 8_000)],
            "2026-02-01T00:00:00Z",
        );
        let web = TestImage::dated(
            93,
            &[BASE[0], BASE[1], (9103, 3_000)],
            "2026-03-01T00:00:00Z",
        );
        let tools = TestImage::dated(94, &[BASE[0], (9104, 20_000)], "2026-04-01T00:00:00Z");
        let multi = TestImage::multi(95, &[("linux", "amd64"), ("linux", "arm64")]);
        let pushed = vec![
            ("app", "1.0", app_1),
            ("app", "2.0", app_2),
            (
                "app",
                "latest",
                TestImage::dated(
                    92,
                    &[BASE[0], BASE[1], (9102, 8_000)],
                    "2026-02-01T00:00:00Z",
                ),
            ),
            ("team/web", "v1", web),
            // The whole of app:1.0 again, under another repository.
            (
                "team/web",
                "from-app",
                TestImage::dated(
                    91,
                    &[BASE[0], BASE[1], (9101, 5_000)],
                    "2026-01-01T00:00:00Z",
                ),
            ),
            ("tools", "v1", tools),
            ("tools", "multi", multi),
        ];
        for (repository, tag, image) in &pushed {
            image.push(&registry, &format!("{repository}:{tag}"), false);
        }
        Fixture { registry, pushed }
    }

    /// Every blob of the images pushed to `repository`, each once.
    fn blobs_of(&self, repository: &str) -> Blobs {
        self.pushed
            .iter()
            .filter(|(r, _, _)| *r == repository)
            .flat_map(|(_, _, image)| image.blobs())
            .collect()
    }

    fn repositories(&self) -> Vec<&'static str> {
        let names: BTreeSet<&str> = self.pushed.iter().map(|(r, _, _)| *r).collect();
        names.into_iter().collect()
    }

    /// `(repository, tags, digest, size)` of every tagged image, largest first
    /// (then by repository and digest), tags in the registry's (sorted) order.
    fn images(&self) -> Vec<(String, Vec<String>, String, u64)> {
        let mut images: BTreeMap<(String, String), (Vec<String>, u64)> = BTreeMap::new();
        for (repository, tag, image) in &self.pushed {
            let size = image.blobs().values().sum();
            let entry = images
                .entry((repository.to_string(), image.digest()))
                .or_insert((Vec::new(), size));
            entry.0.push(tag.to_string());
            entry.0.sort();
        }
        let mut images: Vec<_> = images
            .into_iter()
            .map(|((repository, digest), (tags, size))| (repository, tags, digest, size))
            .collect();
        images.sort_by(|a, b| b.3.cmp(&a.3).then(a.0.cmp(&b.0)).then(a.2.cmp(&b.2)));
        images
    }
}

fn size(blobs: &Blobs) -> u64 {
    blobs.values().sum()
}

/// `sizes` of `repository` when `others` are the other repositories read:
/// (size, unique, shared).
fn expected_sizes(mine: &Blobs, others: &[Blobs]) -> (u64, u64, u64) {
    let unique: u64 = mine
        .iter()
        .filter(|(digest, _)| others.iter().all(|other| !other.contains_key(*digest)))
        .map(|(_, size)| size)
        .sum();
    (size(mine), unique, size(mine) - unique)
}

/// The repository's entry of a usage report.
fn entry<'a>(report: &'a serde_json::Value, repository: &str) -> &'a serde_json::Value {
    report["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["repository"] == repository)
        .unwrap_or_else(|| panic!("no `{repository}` in {report}"))
}

/// aseecr's human sizes (output::human_bytes), to find the numbers in text output.
fn human(bytes: u64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let (mut value, mut unit) = (bytes as f64, 0);
    while value >= 1024.0 && unit < units.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", units[unit])
    }
}

#[test]
fn every_repository_is_sized_and_each_blob_counted_once() {
    let fixture = Fixture::new();
    let registry = &fixture.registry;
    let home = Home::new();
    let r = &registry.addr;
    let report = authed(&home, registry)
        .args(["usage", r, "--format", "json"])
        .ok()
        .json();
    assert_eq!(report["registry"], r.as_str());
    assert_eq!(report["scope"], "all");
    let names: Vec<&str> = report["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["repository"].as_str().unwrap())
        .collect();
    assert_eq!(names, fixture.repositories());

    let all: Vec<(&str, Blobs)> = fixture
        .repositories()
        .into_iter()
        .map(|name| (name, fixture.blobs_of(name)))
        .collect();
    for (name, blobs) in &all {
        let others: Vec<Blobs> = all
            .iter()
            .filter(|(other, _)| other != name)
            .map(|(_, b)| b.clone())
            .collect();
        let (size, unique, shared) = expected_sizes(blobs, &others);
        let got = entry(&report, name);
        assert_eq!(got["size"], size, "{name}: {got}");
        assert_eq!(got["uniqueSize"], unique, "{name}: {got}");
        assert_eq!(got["sharedSize"], shared, "{name}: {got}");
        assert_eq!(got["blobs"], blobs.len(), "{name}: {got}");
    }
    // Each repository shares the base layer(s); app and team/web a whole image.
    assert!(entry(&report, "tools")["sharedSize"].as_u64().unwrap() >= BASE[0].1 as u64);
    let app = entry(&report, "app");
    assert_eq!(
        (app["tagCount"].as_u64(), app["manifests"].as_u64()),
        (Some(3), Some(2))
    );
    // The index counts itself and both of its images.
    let tools = entry(&report, "tools");
    assert_eq!(
        (tools["tagCount"].as_u64(), tools["manifests"].as_u64()),
        (Some(2), Some(4))
    );

    // The total is each blob once: what the registry's storage really holds.
    let union: Blobs = all.iter().flat_map(|(_, b)| b.clone()).collect();
    let total = &report["totals"];
    assert_eq!(total["size"], size(&union), "{total}");
    assert_eq!(total["size"], registry.blob_bytes(), "{total}");
    assert_eq!(total["blobs"], union.len());
    assert_eq!(
        total["sumOfRepositorySizes"],
        all.iter().map(|(_, b)| size(b)).sum::<u64>()
    );
    assert_eq!(
        (
            total["repositoryCount"].as_u64(),
            total["tagCount"].as_u64(),
            total["manifests"].as_u64()
        ),
        (Some(3), Some(7), Some(2 + 2 + 4))
    );

    // The five largest images, with every tag on their digest.
    let expected: Vec<serde_json::Value> = fixture
        .images()
        .into_iter()
        .take(5)
        .map(|(repository, tags, digest, size)| {
            serde_json::json!({"repository": repository, "tags": tags, "digest": digest, "size": size})
        })
        .collect();
    assert_eq!(report["largest"], serde_json::Value::Array(expected));
    // Digests as an independent client computes them.
    let app_2 = report["largest"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["tags"] == serde_json::json!(["2.0", "latest"]))
        .expect("app:2.0 among the largest");
    assert_eq!(app_2["digest"], skopeo_digest(registry, "app:2.0"));
    let top = authed(&home, registry)
        .args(["du", r, "--top", "1", "--format", "json"])
        .ok()
        .json();
    assert_eq!(top["largest"].as_array().unwrap().len(), 1);
    assert_eq!(top["largest"][0], report["largest"][0]);
}

#[test]
fn text_output_and_named_repositories() {
    let fixture = Fixture::new();
    let registry = &fixture.registry;
    let home = Home::new();
    let r = &registry.addr;
    // The default registry, every repository: a table, the total, the largest.
    let out = authed(&home, registry)
        .arg("usage")
        .env("ASEECR_REGISTRY", r)
        .ok();
    let report = authed(&home, registry)
        .args(["usage", "--format", "json"])
        .env("ASEECR_REGISTRY", r)
        .ok()
        .json();
    let lines = out.lines();
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        header,
        [
            "REPOSITORY",
            "TAGS",
            "MANIFESTS",
            "SIZE",
            "UNIQUE",
            "SHARED"
        ]
    );
    for (line, entry) in lines[1..4]
        .iter()
        .zip(report["repositories"].as_array().unwrap())
    {
        let expected = format!(
            "{} {} {} {} {} {}",
            entry["repository"].as_str().unwrap(),
            entry["tagCount"],
            entry["manifests"],
            human(entry["size"].as_u64().unwrap()),
            human(entry["uniqueSize"].as_u64().unwrap()),
            human(entry["sharedSize"].as_u64().unwrap()),
        );
        assert_eq!(
            line.split_whitespace().collect::<Vec<_>>().join(" "),
            expected
        );
    }
    let total = &report["totals"];
    assert_eq!(
        lines[4],
        format!(
            "total: {} stored ({} blobs; {} counted per repository) in 3 repositories, 7 tags, 8 manifests",
            human(total["size"].as_u64().unwrap()),
            total["blobs"],
            human(total["sumOfRepositorySizes"].as_u64().unwrap()),
        )
    );
    assert_eq!(lines[5], "");
    assert_eq!(lines[6], "largest 5 images:");
    let first = &report["largest"][0];
    let tags: Vec<String> = first["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            format!(
                "{}:{}",
                first["repository"].as_str().unwrap(),
                t.as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        lines[8].split_whitespace().collect::<Vec<_>>().join(" "),
        format!(
            "{} {} {}",
            human(first["size"].as_u64().unwrap()),
            tags.join(", "),
            first["digest"].as_str().unwrap()
        )
    );
    assert_eq!(lines.len(), 7 + 1 + 5, "{}", out.stdout);
    assert!(!out.stderr.contains("note:"), "{}", out.stderr);

    // Named repositories are compared with each other only, and say so.
    let tools = fixture.blobs_of("tools");
    let named = authed(&home, registry)
        .args(["du", &format!("{r}/tools"), "--format", "json"])
        .ok()
        .json();
    assert_eq!(named["scope"], "named");
    assert_eq!(named["repositories"].as_array().unwrap().len(), 1);
    let alone = entry(&named, "tools");
    assert_eq!(
        (&alone["size"], &alone["uniqueSize"], &alone["sharedSize"]),
        (
            &serde_json::json!(size(&tools)),
            &serde_json::json!(size(&tools)),
            &serde_json::json!(0)
        )
    );
    assert_eq!(named["totals"]["size"], size(&tools));
    let app = fixture.blobs_of("app");
    let web = fixture.blobs_of("team/web");
    let pair = authed(&home, registry)
        .args([
            "usage",
            &format!("{r}/team/web"),
            &format!("{r}/app"),
            &format!("{r}/app"),
            "--format",
            "json",
        ])
        .ok()
        .json();
    let names: Vec<&str> = pair["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["repository"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["team/web", "app"]);
    let (_, unique, shared) = expected_sizes(&web, std::slice::from_ref(&app));
    assert_eq!(entry(&pair, "team/web")["uniqueSize"], unique);
    assert_eq!(entry(&pair, "team/web")["sharedSize"], shared);
    let union: Blobs = app.into_iter().chain(web).collect();
    assert_eq!(pair["totals"]["size"], size(&union));
    authed(&home, registry)
        .args(["usage", &format!("{r}/tools"), "--top", "0"])
        .ok()
        .stderr_has("note: only the repository named was read, so nothing counts as shared");
    authed(&home, registry)
        .args(["usage", &format!("{r}/tools"), &format!("{r}/app")])
        .ok()
        .stderr_has("note: only the 2 repositories named were read, so unique and shared compare them with each other only; without REPO every repository of");
}

#[test]
fn missing_repositories_mixed_registries_and_empty_ones() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let r = &registry.addr;
    // No repositories at all.
    authed(&home, &registry)
        .args(["usage", r])
        .ok()
        .stderr_has("has no repositories");
    let empty = authed(&home, &registry)
        .args(["usage", r, "--format", "json"])
        .ok()
        .json();
    assert_eq!(empty["repositories"], serde_json::json!([]));
    assert_eq!(empty["totals"]["size"], 0);

    TestImage::single(96, &[1000]).push(&registry, "app:1", false);
    TestImage::single(97, &[1000]).push(&registry, "gone:1", false);
    // A named repository that does not exist: exit 4, nothing printed as data.
    let out = authed(&home, &registry)
        .args(["usage", &format!("{r}/app"), &format!("{r}/nope")])
        .run()
        .code(4)
        .stderr_has("`nope` not found");
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let missing = authed(&home, &registry)
        .args(["usage", &format!("{r}/nope"), "--format", "json"])
        .run()
        .code(4)
        .json();
    assert_eq!(
        missing["error"]["kind"], "repository-not-found",
        "{missing}"
    );

    // Repositories on two registries, or a registry with its repositories: usage errors.
    authed(&home, &registry)
        .args(["usage", &format!("{r}/app"), "127.0.0.1:1/app"])
        .run()
        .code(2)
        .stderr_has("different registries")
        .stderr_has("help: run `aseecr usage` once per registry");
    authed(&home, &registry)
        .args(["usage", r, &format!("{r}/app")])
        .run()
        .code(2)
        .stderr_has("is a registry, named together with repositories");

    // A repository of the catalog whose every tag was deleted is listed, empty.
    authed(&home, &registry)
        .args(["delete", &format!("{r}/gone:1"), "--yes"])
        .ok();
    let report = authed(&home, &registry)
        .args(["usage", r, "--format", "json"])
        .ok()
        .json();
    let gone = entry(&report, "gone");
    assert_eq!(
        (gone["tagCount"].as_u64(), gone["size"].as_u64()),
        (Some(0), Some(0)),
        "{report}"
    );
    assert!(entry(&report, "app")["size"].as_u64().unwrap() > 1000);
}

#[test]
fn usage_progress_is_drawn_on_a_terminal_only() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(98, &[1000]).push(&registry, "app:1", false);
    let tty = authed(&home, &registry)
        .env("TERM", "xterm")
        .args(["usage", &registry.addr])
        .run_on_terminal();
    assert_eq!(tty.code, 0, "{tty:?}");
    assert!(tty.stdout.contains("reading repositories"), "{tty:?}");
    assert!(tty.stdout.contains("total: "), "{tty:?}");
    let piped = authed(&home, &registry)
        .args(["usage", &registry.addr])
        .ok();
    assert!(
        !piped.stderr.contains("reading repositories"),
        "{}",
        piped.stderr
    );
}
