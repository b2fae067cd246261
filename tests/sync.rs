//! sync: one file, two TLS+auth destinations with different passwords, a plain
//! source; results checked with skopeo.

use std::path::PathBuf;

use crate::util::image::{skopeo_digest, skopeo_exists};
use crate::util::registry::Options;
use crate::util::{Home, TestImage, TestRegistry};

const TAGS: [&str; 5] = ["1.24.0", "1.25.3", "1.25.4", "2.0.0", "latest"];
const SELECTED: [&str; 2] = ["1.25.3", "1.25.4"];

/// A source with every tag of [`TAGS`] (each its own image) and two edge
/// registries with their own passwords.
fn fleet() -> (TestRegistry, TestRegistry, TestRegistry) {
    let src = TestRegistry::plain();
    for (seed, tag) in TAGS.iter().enumerate() {
        TestImage::single(700 + seed as u64, &[3000, 1000]).push(
            &src,
            &format!("oss/app:{tag}"),
            true,
        );
    }
    let (a, b) = plants(true);
    (src, a, b)
}

/// Two edge registries with their own passwords; `b_deletes: false` turns
/// deletion off on the second.
fn plants(b_deletes: bool) -> (TestRegistry, TestRegistry) {
    let a = TestRegistry::start(Options {
        password: "plant-a-Pa55",
        ..Options::default()
    });
    let b = TestRegistry::start(Options {
        password: "plant-b-Pa55",
        delete: b_deletes,
        ..Options::default()
    });
    (a, b)
}

/// The sync file for the fleet, and one CA file that trusts both destinations.
fn write_files(
    home: &Home,
    src: &TestRegistry,
    a: &str,
    b: &str,
    cas: &[&TestRegistry],
) -> (PathBuf, PathBuf) {
    let file = write_file(home, "sync.yaml", src, a, b, "    semver: '>=1.25 <2'\n");
    let bundle = home.path().join("cas.pem");
    let pem: String = cas
        .iter()
        .map(|r| std::fs::read_to_string(r.ca_file()).unwrap())
        .collect();
    std::fs::write(&bundle, pem).unwrap();
    (file, bundle)
}

fn sync(home: &Home, file: &PathBuf, bundle: &PathBuf) -> crate::util::Aseecr {
    home.aseecr()
        .arg("sync")
        .arg(file)
        .arg("--src-plain-http")
        .arg("--dst-ca-cert")
        .arg(bundle)
        .env("PLANT_A_PASSWORD", "plant-a-Pa55")
        .env("PLANT_B_PASSWORD", "plant-b-Pa55")
}

#[test]
fn semver_selection_reaches_both_destinations_and_check_tells_pending_from_done() {
    let (src, a, b) = fleet();
    let home = Home::new();
    let (file, bundle) = write_files(&home, &src, &a.addr, &b.addr, &[&a, &b]);

    let out = sync(&home, &file, &bundle).arg("--check").run().code(10);
    assert!(out.stdout.contains("would copy"), "{}", out.stdout);
    assert!(out.stderr.contains("changes pending"), "{}", out.stderr);
    assert!(!skopeo_exists(&a, "edge/app:1.25.3"), "--check wrote");

    let out = sync(&home, &file, &bundle).ok();
    let header = out.lines()[0].split_whitespace().collect::<Vec<_>>();
    assert_eq!(header, ["IMAGE", "plant-a", "plant-b"], "{}", out.stdout);
    let row = out.lines()[1];
    assert!(row.contains("oss/app (2 tags)"), "{}", out.stdout);
    assert_eq!(row.matches("copied").count(), 2, "{}", out.stdout);
    for edge in [&a, &b] {
        for tag in SELECTED {
            assert_eq!(
                skopeo_digest(edge, &format!("edge/app:{tag}")),
                skopeo_digest(&src, &format!("oss/app:{tag}"))
            );
        }
        for tag in ["1.24.0", "2.0.0", "latest"] {
            assert!(
                !skopeo_exists(edge, &format!("edge/app:{tag}")),
                "{tag} copied"
            );
        }
    }

    let out = sync(&home, &file, &bundle)
        .args(["--check", "--format", "json"])
        .ok();
    let report = out.json();
    assert_eq!(
        report["summary"],
        serde_json::json!({
            "total": 4, "succeeded": 4, "failed": 0,
            "destinationCount": 2, "destinationsFailed": 0,
            "copied": 0, "upToDate": 4, "planned": 0,
            "prunedImages": 0, "prunedTags": 0, "referrersToCopy": 0,
            "changesPending": false,
        }),
        "{report}"
    );
    assert_eq!(report["images"][0]["tags"], serde_json::json!(SELECTED));
    let names: Vec<&str> = report["destinations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["plant-a", "plant-b"]);
    assert_eq!(
        report["destinations"][1]["items"][0]["status"],
        "up-to-date"
    );
}

#[test]
fn a_stopped_destination_fails_alone_and_a_rerun_completes_it() {
    let (src, a, mut b) = fleet();
    let home = Home::new();
    let (file, bundle) = write_files(&home, &src, &a.addr, &b.addr, &[&a, &b]);
    b.stop();

    let out = sync(&home, &file, &bundle).run().code(1);
    assert!(out.stderr.contains("plant-b"), "{}", out.stderr);
    // The failure keeps its advice.
    assert!(
        out.stderr.contains(&format!(
            "help: check the address and port, and that the registry runs: `aseecr doctor {}`",
            b.addr
        )),
        "{}",
        out.stderr
    );
    let row = out.lines()[1].split_whitespace().collect::<Vec<_>>();
    assert_eq!(row[row.len() - 2..], ["copied", "failed"], "{}", out.stdout);
    for tag in SELECTED {
        assert_eq!(
            skopeo_digest(&a, &format!("edge/app:{tag}")),
            skopeo_digest(&src, &format!("oss/app:{tag}"))
        );
    }

    b.restart();
    let out = sync(&home, &file, &bundle).ok();
    let row = out.lines()[1].split_whitespace().collect::<Vec<_>>();
    assert_eq!(
        row[row.len() - 2..],
        ["up-to-date", "copied"],
        "{}",
        out.stdout
    );
    for tag in SELECTED {
        assert_eq!(
            skopeo_digest(&b, &format!("edge/app:{tag}")),
            skopeo_digest(&src, &format!("oss/app:{tag}"))
        );
    }
}

#[test]
fn file_errors_name_their_line_and_no_registry_is_contacted() {
    // Every registry of these files is this listener: a request would show up
    // as a connection it accepted.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let home = Home::new();
    let head = format!(
        "destinations:\n  - name: a\n    registry: {addr}\n  - name: b\n    registry: other.example.com\n"
    );
    let cases = [
        (
            format!("{head}images:\n  - source: {addr}/app\n    tags: [x]\n    color: red\n"),
            "sync.yaml:9:5: unknown key `color` in an image",
        ),
        (
            format!("{head}images:\n  - source: {addr}/app\n    regex: '^(1'\n"),
            "sync.yaml:8:12: invalid regular expression `^(1`",
        ),
        (
            format!("{head}images:\n  - source: {addr}/app\n    semver: '>=1.x.y'\n"),
            "sync.yaml:8:13: invalid semver range `>=1.x.y`",
        ),
        (
            format!(
                "{head}  - name: a\n    registry: third.example.com\nimages:\n  - source: {addr}/app\n    tags: [x]\n"
            ),
            "sync.yaml:6:11: destination `a` is named twice (first at line 2)",
        ),
        (
            format!(
                "{head}images:\n  - source: {addr}/app\n    tags: [x]\n    destinations: [a, c]\n"
            ),
            "sync.yaml:9:23: unknown destination `c`",
        ),
        (
            format!(
                "destinations:\n  - name: a\n    registry: {addr}\n    credentials: {{username: \"\", passwordEnv: PW}}\nimages:\n  - source: {addr}/app\n    tags: [x]\n"
            ),
            "sync.yaml:4:29: `username` must not be empty",
        ),
    ];
    let file = home.path().join("sync.yaml");
    for (text, expected) in &cases {
        std::fs::write(&file, text).unwrap();
        let out = home
            .aseecr()
            .arg("sync")
            .arg(&file)
            .arg("--dst-plain-http")
            .run()
            .code(2)
            .stderr_has(expected)
            .stderr_has("help: fix the file; nothing was sent to any registry");
        assert_eq!(out.stderr.matches("error:").count(), 1, "{}", out.stderr);
    }
    // All errors at once: the first on the `error:` line, with the count.
    let all: String = format!(
        "{head}  - name: a\n    registry: {addr}\nimages:\n  - source: {addr}/app\n    regex: '('\n    semver: nope\n    destinations: [zzz]\n"
    );
    let out = home
        .aseecr()
        .args(["sync", "-", "--format", "json"])
        .stdin(all)
        .run()
        .code(2);
    let report = out.json();
    assert_eq!(report["error"]["kind"], "usage", "{report}");
    let message = report["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("<stdin>:6:11: destination `a` is named twice")
            && message.ends_with("(and 4 more errors)"),
        "{message}"
    );
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "aseecr connected to a registry of an invalid file"
    );
}

/// The source of the prune tests: five versions a month apart, and `old` on the
/// same image as 1.1.0.
fn dated_source() -> TestRegistry {
    let src = TestRegistry::plain();
    let versions = [
        ("1.0.0", "2024-01-01T00:00:00Z"),
        ("1.1.0", "2024-02-01T00:00:00Z"),
        ("1.2.0", "2024-03-01T00:00:00Z"),
        ("2.0.0", "2024-04-01T00:00:00Z"),
        ("2.1.0", "2024-05-01T00:00:00Z"),
    ];
    for (seed, (tag, created)) in versions.iter().enumerate() {
        let seed = 900 + seed as u64;
        let image = TestImage::dated(seed, &[(seed, 2000)], created);
        image.push(&src, &format!("oss/app:{tag}"), true);
        if *tag == "1.1.0" {
            image.push(&src, "oss/app:old", true);
        }
    }
    src
}

/// A sync file for destinations `a` (plant-a) and `b` (plant-b) with one image
/// of `src`, whose selection and more are `image` (indented lines).
fn write_file(
    home: &Home,
    name: &str,
    src: &TestRegistry,
    a: &str,
    b: &str,
    image: &str,
) -> PathBuf {
    let file = home.path().join(name);
    std::fs::write(
        &file,
        format!(
            "destinations:
  - name: plant-a
    registry: {a}
    credentials: {{username: edgeuser, passwordEnv: PLANT_A_PASSWORD}}
  - name: plant-b
    registry: {b}
    credentials:
      username: edgeuser
      passwordEnv: PLANT_B_PASSWORD
images:
  - source: {}/oss/app
    repository: edge/app
{image}",
            src.addr
        ),
    )
    .unwrap();
    file
}

fn tags_of(registry: &TestRegistry, repository: &str) -> Vec<String> {
    let mut tags = crate::util::image::skopeo_tags(registry, repository);
    tags.sort();
    tags
}

#[test]
fn a_prune_policy_removes_what_the_file_does_not_keep_and_never_what_it_selects() {
    let src = dated_source();
    // plant-b has deletion turned off: its prune fails, alone.
    let (a, b) = plants(false);
    let home = Home::new();
    let (_, bundle) = write_files(&home, &src, &a.addr, &b.addr, &[&a, &b]);
    // What an earlier file put there.
    let before = write_file(
        &home,
        "before.yaml",
        &src,
        &a.addr,
        &b.addr,
        "    tags: [1.0.0, 1.1.0, old, 1.2.0]\n",
    );
    sync(&home, &before, &bundle).ok();
    let file = write_file(
        &home,
        "sync.yaml",
        &src,
        &a.addr,
        &b.addr,
        "    semver: '>=2'\n    prune:\n      keep: 1\n      exclude: '^old$'\n",
    );

    // --check plans against the destination as it is: 1.2.0 is the newest
    // there until 2.x is copied, so only 1.1.0 (untag: `old` keeps its image)
    // and 1.0.0 are to go. Nothing changes.
    let out = sync(&home, &file, &bundle)
        .args(["--check", "--format", "json"])
        .run()
        .code(10);
    let report = out.json();
    let pruned = &report["destinations"][0]["prunes"][0];
    assert_eq!(pruned["repository"], "edge/app", "{report}");
    assert_eq!(pruned["status"], "planned", "{report}");
    let planned: Vec<(String, String)> = pruned["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["action"].as_str().unwrap().to_owned(),
                i["tags"][0].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        planned,
        [
            ("delete".to_owned(), "1.0.0".to_owned()),
            ("untag".to_owned(), "1.1.0".to_owned())
        ],
        "{report}"
    );
    // The same at plant-b: --check does not try deleting.
    assert_eq!(report["summary"]["prunedImages"], 2, "{report}");
    assert_eq!(report["summary"]["prunedTags"], 2, "{report}");
    assert_eq!(tags_of(&a, "edge/app"), ["1.0.0", "1.1.0", "1.2.0", "old"]);

    // The run: 2.x copied to both; at plant-a everything but the newest, the
    // selected tags and `old` goes; plant-b refuses deletion: exit 1, its
    // copies stand, its tags stay.
    let out = sync(&home, &file, &bundle).run().code(1);
    let row = out.lines()[1];
    assert!(row.contains("copied, pruned 3"), "{}", out.stdout);
    assert!(row.contains("copied, prune failed"), "{}", out.stdout);
    let out = out
        .stderr_has("deletion is disabled on")
        .stderr_has("help: enable it in the registry's configuration");
    assert!(
        out.stderr.contains("delete ") && out.stderr.contains("untag "),
        "{}",
        out.stderr
    );
    assert_eq!(tags_of(&a, "edge/app"), ["2.0.0", "2.1.0", "old"]);
    assert_eq!(
        skopeo_digest(&a, "edge/app:old"),
        skopeo_digest(&src, "oss/app:1.1.0")
    );
    for tag in ["2.0.0", "2.1.0"] {
        assert_eq!(
            skopeo_digest(&a, &format!("edge/app:{tag}")),
            skopeo_digest(&src, &format!("oss/app:{tag}"))
        );
    }
    assert_eq!(
        tags_of(&b, "edge/app"),
        ["1.0.0", "1.1.0", "1.2.0", "2.0.0", "2.1.0", "old"]
    );

    // Then plant-a is settled: its prune has nothing left to do.
    let out = sync(&home, &file, &bundle)
        .args(["--check", "--format", "json"])
        .run();
    let report = out.json();
    let a_pruned = &report["destinations"][0]["prunes"][0];
    assert_eq!(a_pruned["items"].as_array().unwrap().len(), 0, "{report}");
    let kept: Vec<&str> = a_pruned["kept"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["tag"].as_str().unwrap())
        .collect();
    assert_eq!(kept, ["2.0.0", "2.1.0", "old"], "{report}");
    assert_eq!(
        report["destinations"][0]["items"][0]["status"],
        "up-to-date"
    );
}

#[test]
fn untagged_true_deletes_the_image_a_moved_tag_left_in_the_same_run() {
    let src = TestRegistry::plain();
    let first = TestImage::dated(950, &[(950, 2000)], "2024-01-01T00:00:00Z");
    first.push(&src, "oss/app:latest", true);
    let (a, b) = plants(true);
    let home = Home::new();
    let (_, bundle) = write_files(&home, &src, &a.addr, &b.addr, &[&a, &b]);
    let file = write_file(
        &home,
        "sync.yaml",
        &src,
        &a.addr,
        &b.addr,
        "    tags: [latest]\n    destinations: [plant-a]\n    prune: {untagged: true}\n",
    );
    sync(&home, &file, &bundle).ok();
    let old = skopeo_digest(&a, "edge/app:latest");

    // `latest` moves at the source: the run copies it, mirror records the image
    // it replaced, and the prune deletes that image.
    TestImage::dated(951, &[(951, 2000)], "2024-02-01T00:00:00Z").push(
        &src,
        "oss/app:latest",
        true,
    );
    let out = sync(&home, &file, &bundle).args(["--format", "json"]).ok();
    let report = out.json();
    let pruned = &report["destinations"][0]["prunes"][0];
    assert_eq!(pruned["status"], "done", "{report}");
    assert_eq!(pruned["items"][0]["action"], "delete", "{report}");
    assert_eq!(pruned["items"][0]["digest"], old.as_str(), "{report}");
    assert_eq!(
        pruned["items"][0]["tags"],
        serde_json::json!([]),
        "{report}"
    );
    assert_eq!(report["summary"]["prunedImages"], 1, "{report}");
    assert!(
        !skopeo_exists(&a, &format!("edge/app@{old}")),
        "the replaced image stayed"
    );
    assert_eq!(
        skopeo_digest(&a, "edge/app:latest"),
        skopeo_digest(&src, "oss/app:latest")
    );
    // plant-b gets nothing from this file and prunes nothing.
    assert!(
        report["destinations"][1].get("prunes").is_none(),
        "{report}"
    );
}

/// An image naming an unknown destination is told every name the file gives,
/// also one whose destination has an error of its own, and the nearest of them.
#[test]
fn an_unknown_destination_lists_every_name_and_suggests_the_nearest() {
    let home = Home::new();
    let file = home.path().join("sync.yaml");
    let text = |wanted: &str| {
        format!(
            "destinations:\n  - name: plant-a\n    registry: \"not a registry\"\n  - name: plant-b\n    registry: b.example.com:31001\nimages:\n  - source: a.example.com/app\n    tags: [x]\n    destinations: [{wanted}]\n"
        )
    };
    for (wanted, expected) in [
        (
            "plant-c",
            "sync.yaml:9:20: unknown destination `plant-c` (the file names `plant-a`, `plant-b`; did you mean `plant-a` or `plant-b`?)",
        ),
        (
            "plnat-b",
            "sync.yaml:9:20: unknown destination `plnat-b` (the file names `plant-a`, `plant-b`; did you mean `plant-b`?)",
        ),
        (
            "elsewhere",
            "sync.yaml:9:20: unknown destination `elsewhere` (the file names `plant-a`, `plant-b`)\n",
        ),
    ] {
        std::fs::write(&file, text(wanted)).unwrap();
        home.aseecr()
            .arg("sync")
            .arg(&file)
            .run()
            .code(2)
            .stderr_has(expected)
            .stderr_has("help: fix the file; nothing was sent to any registry");
    }
}

/// A sync file near its 1 MiB cap whose every error names every destination
/// (thousands of destinations, an image listing as many unknown ones): `sync`
/// and `k8s cronjob` report the first errors, each naming a few destinations,
/// and say how many more there are, in a few KiB of stderr.
#[test]
fn a_file_with_thousands_of_errors_is_reported_in_a_few_lines() {
    let home = Home::new();
    let count = 12_000;
    let mut text = String::from("destinations:\n");
    for i in 0..count {
        text.push_str(&format!(
            "  - {{name: plant-{i:05}, registry: r{i:05}.example.com}}\n"
        ));
    }
    text.push_str("images:\n  - source: example.com/app\n    tags: [x]\n    destinations: [");
    let unknown: Vec<String> = (0..count).map(|i| format!("x{i:05}")).collect();
    text.push_str(&unknown.join(", "));
    text.push_str("]\n");
    assert!(
        text.len() > 700_000 && text.len() <= 1 << 20,
        "{}",
        text.len()
    );
    let file = home.path().join("sync.yaml");
    std::fs::write(&file, &text).unwrap();
    let runs = [
        home.aseecr().arg("sync").arg("--dry-run").arg(&file),
        home.aseecr()
            .args(["--registry", "ecr.example.com:31001", "k8s", "cronjob"])
            .arg(&file)
            .args(["--schedule", "@daily"]),
    ];
    for command in runs {
        let out = command.run().code(2);
        assert!(
            out.stderr.len() < 16 * 1024,
            "{} bytes of stderr: {}...",
            out.stderr.len(),
            &out.stderr[..2000.min(out.stderr.len())]
        );
        assert_eq!(out.stdout, "");
        let first = out.stderr.lines().next().unwrap();
        assert!(
            first.starts_with(&format!("error: {}:", file.display()))
                && first.contains("unknown destination `x00000` (the file names `plant-00000`, ")
                && first.contains(&format!("and {} more)", count - 10))
                && first.ends_with(&format!("(and {} more errors)", count - 1)),
            "{first}"
        );
        assert_eq!(
            out.stderr
                .lines()
                .filter(|l| l.starts_with("help: also "))
                .count(),
            19,
            "{}",
            out.stderr
        );
        assert!(
            out.stderr
                .contains(&format!("help: ... and {} more errors\n", count - 20)),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr
                .ends_with("help: fix the file; nothing was sent to any registry\n"),
            "{}",
            out.stderr
        );
    }
}

/// A selection that matches nothing leaves the prune nothing to keep: the
/// repository's prune is skipped, said on stderr and in the JSON, and every
/// tag stays (before, all but the newest went).
#[test]
fn a_prune_whose_selection_matches_nothing_is_skipped_and_removes_nothing() {
    let src = dated_source();
    let (a, b) = plants(true);
    let home = Home::new();
    let (_, bundle) = write_files(&home, &src, &a.addr, &b.addr, &[&a, &b]);
    let before = write_file(
        &home,
        "before.yaml",
        &src,
        &a.addr,
        &b.addr,
        "    tags: [1.0.0, 1.1.0, 1.2.0]\n    destinations: [plant-a]\n",
    );
    sync(&home, &before, &bundle).ok();
    let file = write_file(
        &home,
        "sync.yaml",
        &src,
        &a.addr,
        &b.addr,
        "    regex: '^9\\.'\n    destinations: [plant-a]\n    prune: {keep: 1}\n",
    );
    let out = sync(&home, &file, &bundle)
        .ok()
        .stderr_has("no tag matches the selection; nothing to copy")
        .stderr_has(
            "not pruning `edge/app`: the file selects no tag for it, so the prune would keep none",
        );
    assert!(out.lines()[1].contains("no tags"), "{}", out.stdout);
    assert_eq!(tags_of(&a, "edge/app"), ["1.0.0", "1.1.0", "1.2.0"]);
    let out = sync(&home, &file, &bundle).args(["--format", "json"]).ok();
    let report = out.json();
    let pruned = &report["destinations"][0]["prunes"][0];
    assert_eq!(pruned["status"], "skipped", "{report}");
    assert_eq!(tags_of(&a, "edge/app"), ["1.0.0", "1.1.0", "1.2.0"]);
}

/// `keep: 0` is refused before any request, with help.
#[test]
fn keep_zero_is_refused_before_any_change() {
    let src = dated_source();
    let (a, b) = plants(true);
    let home = Home::new();
    let (_, bundle) = write_files(&home, &src, &a.addr, &b.addr, &[&a, &b]);
    let before = write_file(
        &home,
        "before.yaml",
        &src,
        &a.addr,
        &b.addr,
        "    tags: [1.0.0, 1.1.0]\n    destinations: [plant-a]\n",
    );
    sync(&home, &before, &bundle).ok();

    let zero = write_file(
        &home,
        "zero.yaml",
        &src,
        &a.addr,
        &b.addr,
        "    tags: [1.2.0]\n    destinations: [plant-a]\n    prune: {keep: 0}\n",
    );
    let out = sync(&home, &zero, &bundle).run().code(2);
    assert!(
        out.stderr.starts_with(&format!(
            "error: {}:15:19: `keep: 0` would remove every tag the file does not select: keep 1 or more\n",
            zero.display()
        )),
        "{}",
        out.stderr
    );
    out.stderr_has("help: fix the file; nothing was sent to any registry");
    assert_eq!(tags_of(&a, "edge/app"), ["1.0.0", "1.1.0"]);
}

#[test]
fn one_registry_named_two_ways_is_refused_before_any_change() {
    let src = dated_source();
    let (a, b) = plants(true);
    let home = Home::new();
    let (_, bundle) = write_files(&home, &src, &a.addr, &b.addr, &[&a, &b]);
    let before = write_file(
        &home,
        "before.yaml",
        &src,
        &a.addr,
        &b.addr,
        "    tags: [1.0.0, 1.1.0]\n    destinations: [plant-a]\n",
    );
    sync(&home, &before, &bundle).ok();

    // One registry named twice (`127.0.0.1:PORT` and `localhost:PORT`): one
    // image copies 2.0.0 into edge/app at `localhost`, the other prunes
    // edge/app at 127.0.0.1 keeping only its own tag (it removed 2.0.0).
    let port = a.addr.rsplit_once(':').unwrap().1;
    let twice = write_file(
        &home,
        "twice.yaml",
        &src,
        &a.addr,
        &format!("localhost:{port}"),
        &format!(
            "    tags: [1.2.0]\n    destinations: [plant-a]\n    prune: {{keep: 1}}\n  - source: {}/oss/app\n    repository: edge/app\n    tags: [2.0.0]\n    destinations: [plant-b]\n",
            src.addr
        ),
    );
    let out = sync(&home, &twice, &bundle)
        .env("PLANT_B_PASSWORD", "plant-a-Pa55")
        .run()
        .code(2);
    assert!(
        out.stderr.starts_with(&format!(
            "error: {}:6:15: registry `localhost:{port}` is a destination twice (first at line 3, as `{}`)",
            twice.display(),
            a.addr
        )),
        "{}",
        out.stderr
    );
    assert_eq!(tags_of(&a, "edge/app"), ["1.0.0", "1.1.0"]);
}

/// One destination reads straight from the sources, as `mirror` does: 32 MiB
/// of layers go through a 20 MiB TMPDIR (the spool kept every blob there and
/// the run failed blaming the source), and nothing is written there.
#[test]
fn one_destination_is_copied_without_a_spool() {
    let src = TestRegistry::plain();
    TestImage::single(960, &[16 << 20, 16 << 20]).push(&src, "oss/app:1.0.0", true);
    let (a, b) = plants(true);
    let home = Home::new();
    let (_, bundle) = write_files(&home, &src, &a.addr, &b.addr, &[&a, &b]);
    let file = write_file(
        &home,
        "sync.yaml",
        &src,
        &a.addr,
        &b.addr,
        "    tags: [1.0.0]\n    destinations: [plant-a]\n",
    );
    let tmp = crate::util::tmpfs::Tmpfs::mount("20m");
    let out = sync(&home, &file, &bundle).env("TMPDIR", tmp.path()).ok();
    assert!(out.lines()[1].contains("copied"), "{}", out.stdout);
    assert_eq!(
        skopeo_digest(&a, "edge/app:1.0.0"),
        skopeo_digest(&src, "oss/app:1.0.0")
    );
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

/// Destination names holding a tab, a byte order mark and a line separator
/// are shown escaped, in the table and on stderr (they were printed raw).
#[test]
fn invisible_characters_in_destination_names_are_escaped() {
    let (src, a, b) = fleet();
    let home = Home::new();
    let (file, bundle) = write_files(&home, &src, &a.addr, &b.addr, &[&a, &b]);
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("plant-a", "\"plant\\ta\"")
        .replace("[plant-a]", "[\"plant\\ta\"]")
        .replace("- name: plant-b", "- name: \"\\uFEFFplant-b\\u2028x\"");
    std::fs::write(&file, text).unwrap();
    let out = sync(&home, &file, &bundle).arg("--dry-run").ok();
    for raw in ['\t', '\u{feff}', '\u{2028}'] {
        assert!(
            !out.stdout.contains(raw) && !out.stderr.contains(raw),
            "{raw:?} printed raw:\n{}\n{}",
            out.stdout,
            out.stderr
        );
    }
    let header = out.lines()[0];
    assert!(
        header.contains("plant\\u{9}a") && header.contains("\\u{feff}plant-b\\u{2028}x"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr
            .contains(&format!("plant\\u{{9}}a ({}): 2 images", a.addr)),
        "{}",
        out.stderr
    );
}

/// Every image goes to every destination unless it names some: 5,000 of each
/// in 470 KiB are 25 million copies to plan (validating that took minutes and
/// 3.5 GB). More than 100,000 copies are refused.
#[test]
fn a_file_naming_millions_of_copies_is_refused() {
    let home = Home::new();
    let mut text = String::from("destinations:\n");
    for i in 0..5000 {
        text.push_str(&format!("  - {{name: d{i}, registry: r{i}.example.com}}\n"));
    }
    text.push_str("images:\n");
    for i in 0..5000 {
        text.push_str(&format!(
            "  - {{source: example.com/a{i}, tags: [x], prune: {{keep: 1}}}}\n"
        ));
    }
    let file = home.path().join("sync.yaml");
    std::fs::write(&file, &text).unwrap();
    let runs = [
        home.aseecr()
            .args(["--registry", "ecr.example.com:31001", "k8s", "cronjob"])
            .arg(&file)
            .args(["--schedule", "@daily"]),
        home.aseecr().arg("sync").arg("--dry-run").arg(&file),
    ];
    for command in runs {
        let out = command.run().code(2);
        assert_eq!(
            out.stderr,
            format!(
                "error: {}:5023:5: the file names more than 100000 copies (each listed tag of an image once per destination it goes to): split it into several files\nhelp: fix the file; nothing was sent to any registry\n",
                file.display()
            )
        );
    }
}

/// A source that lists no tags (its images deleted) with `olderThan`: the
/// selection is empty, so the prune is skipped and the destination's tags
/// stay (before, every tag older than the age went).
#[test]
fn a_source_listing_no_tags_prunes_nothing() {
    let src = dated_source();
    let (a, b) = plants(true);
    let home = Home::new();
    let (_, bundle) = write_files(&home, &src, &a.addr, &b.addr, &[&a, &b]);
    let before = write_file(
        &home,
        "before.yaml",
        &src,
        &a.addr,
        &b.addr,
        "    tags: [1.0.0, 1.2.0]\n    destinations: [plant-a]\n",
    );
    sync(&home, &before, &bundle).ok();
    for tag in ["1.0.0", "1.1.0", "1.2.0", "2.0.0", "2.1.0"] {
        let args: Vec<String> = vec![
            "delete".into(),
            "--tls-verify=false".into(),
            format!("docker://{}/oss/app:{tag}", src.addr),
        ];
        let out = crate::util::image::skopeo(&src, &args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let file = write_file(
        &home,
        "sync.yaml",
        &src,
        &a.addr,
        &b.addr,
        "    regex: '.*'\n    destinations: [plant-a]\n    prune: {olderThan: 1d}\n",
    );
    sync(&home, &file, &bundle)
        .ok()
        .stderr_has("no tag matches the selection; nothing to copy")
        .stderr_has("not pruning `edge/app`: the file selects no tag for it");
    assert_eq!(tags_of(&a, "edge/app"), ["1.0.0", "1.2.0"]);
}

#[test]
fn each_destination_trusts_its_own_ca_and_a_source_is_plain_http_from_the_file() {
    let (src, a, b) = fleet();
    assert!(a.tls() && b.tls());
    let home = Home::new();
    // a's CA as a file next to the sync file (named relative to it), b's
    // written into the file itself; the source is plain HTTP by `sources:`.
    let folder = home.path().join("fleet");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(a.ca_file(), folder.join("plant-a-ca.pem")).unwrap();
    let b_pem: String = std::fs::read_to_string(b.ca_file())
        .unwrap()
        .lines()
        .map(|line| format!("      {line}\n"))
        .collect();
    let file = folder.join("sync.yaml");
    std::fs::write(
        &file,
        format!(
            "sources:
  {}:
    plainHttp: true
destinations:
  - name: plant-a
    registry: {}
    caCert: plant-a-ca.pem
    credentials: {{username: edgeuser, passwordEnv: PLANT_A_PASSWORD}}
  - name: plant-b
    registry: {}
    credentials: {{username: edgeuser, passwordEnv: PLANT_B_PASSWORD}}
    caCert: |
{b_pem}images:
  - source: {}/oss/app
    repository: edge/app
    semver: '>=1.25 <2'
",
            src.addr, a.addr, b.addr, src.addr
        ),
    )
    .unwrap();
    let run = || {
        home.aseecr()
            .arg("sync")
            .arg(&file)
            .env("PLANT_A_PASSWORD", "plant-a-Pa55")
            .env("PLANT_B_PASSWORD", "plant-b-Pa55")
    };
    let out = run().ok();
    let row = out.lines()[1];
    assert_eq!(row.matches("copied").count(), 2, "{}", out.stdout);
    for edge in [&a, &b] {
        for tag in SELECTED {
            assert_eq!(
                skopeo_digest(edge, &format!("edge/app:{tag}")),
                skopeo_digest(&src, &format!("oss/app:{tag}"))
            );
        }
    }
    run()
        .arg("--check")
        .ok()
        .stderr_has("up to date: 2 destinations");

    // A file the CA does not exist at is refused with its line, before any request.
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("plant-a-ca.pem", "missing.pem");
    std::fs::write(&file, text).unwrap();
    run()
        .run()
        .code(2)
        .stderr_has("sync.yaml:7:13: `caCert`")
        .stderr_has("missing.pem");
}

#[test]
fn file_tls_keys_are_checked_with_their_line() {
    let home = Home::new();
    let file = home.path().join("sync.yaml");
    std::fs::write(
        &file,
        "sources:
  src.example:5000: {plainHttp: yes}
  other.example: {plainHttp: true}
destinations:
  - name: a
    registry: a.example:31001
    plainHttp: true
    caCert: |
      -----BEGIN CERTIFICATE-----
      not base64
      -----END CERTIFICATE-----
images:
  - source: src.example:5000/app
    tags: [x]
",
    )
    .unwrap();
    let out = home.aseecr().arg("sync").arg(&file).run().code(2);
    for line in [
        "sync.yaml:2:33: `plainHttp` must be true or false, found `yes`",
        "sync.yaml:3:3: source registry `other.example` in `sources` is the registry of no image",
        "sync.yaml:9:7: `caCert` (inline PEM)",
    ] {
        assert!(out.stderr.contains(line), "{line}\n{}", out.stderr);
    }
}

#[test]
fn the_plain_http_warning_is_said_once_per_registry() {
    let (src, a, b) = fleet();
    let home = Home::new();
    let (file, bundle) = write_files(&home, &src, &a.addr, &b.addr, &[&a, &b]);
    let out = sync(&home, &file, &bundle).arg("--check").run().code(10);
    let warning = format!("talking plain HTTP to `{}`", src.addr);
    assert_eq!(out.stderr.matches(&warning).count(), 1, "{}", out.stderr);
}

#[test]
fn a_check_where_every_source_failed_is_not_up_to_date() {
    // Nothing listens at the source; the destinations are never reached (no
    // tag to copy there).
    let source = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = source.local_addr().unwrap().to_string();
    drop(source);
    let home = Home::new();
    let file = home.path().join("sync.yaml");
    std::fs::write(
        &file,
        format!(
            "destinations:
  - {{name: a, registry: a.invalid:31001}}
  - {{name: b, registry: b.invalid:31001}}
images:
  - {{source: {addr}/app, semver: '>=1'}}
  - {{source: {addr}/web, newest: 2}}
"
        ),
    )
    .unwrap();
    let out = home
        .aseecr()
        .args(["sync", "--check", "--src-plain-http"])
        .arg(&file)
        .run()
        .code(1);
    let last = out.stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("check failed: 2 destinations"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("up to date:"), "{}", out.stderr);
}

#[test]
fn an_untrusted_destination_is_told_the_destination_s_certificate_options() {
    let (src, a, b) = fleet();
    let home = Home::new();
    // The bundle trusts plant-a only.
    let (file, bundle) = write_files(&home, &src, &a.addr, &b.addr, &[&a]);
    let out = sync(&home, &file, &bundle).arg("--check").run().code(1);
    assert!(
        out.stderr.contains("give its destination `caCert: FILE`")
            && out.stderr.contains("`--dst-ca-cert FILE`"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("pass `--ca-cert FILE`"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_plain_http_source_is_told_its_sources_key_and_src_flag() {
    let src = TestRegistry::plain();
    TestImage::single(990, &[500]).push(&src, "oss/app:1.0.0", true);
    let home = Home::new();
    let file = home.path().join("sync.yaml");
    std::fs::write(
        &file,
        format!(
            "destinations:\n  - {{name: a, registry: a.invalid:31001}}\nimages:\n  - {{source: {}/oss/app, newest: 1}}\n",
            src.addr
        ),
    )
    .unwrap();
    home.aseecr()
        .args(["sync", "--check"])
        .arg(&file)
        .run()
        .code(1)
        .stderr_has(&format!(
            "give it `plainHttp: true` under `sources:` `{}:` in the sync file, or pass `--src-plain-http`",
            src.addr
        ))
        .stderr_lacks("pass `--plain-http`");
}

/// Each destination's image lines (and JSON items) come in version order, as
/// `mirror --all-tags` and `tags` list them, not in the order the copies
/// finished in (the smallest image, listed last, finishes first).
#[test]
fn each_destinations_images_are_reported_in_version_order() {
    let src = TestRegistry::plain();
    let tags = ["1.2", "1.9", "1.10", "2.0", "10.0"];
    for (i, tag) in tags.iter().enumerate() {
        TestImage::single(980 + i as u64, &[4_000 * (5 - i)]).push(
            &src,
            &format!("oss/app:{tag}"),
            true,
        );
    }
    let (a, b) = plants(true);
    let home = Home::new();
    let (_, bundle) = write_files(&home, &src, &a.addr, &b.addr, &[&a, &b]);
    let file = write_file(
        &home,
        "sync.yaml",
        &src,
        &a.addr,
        &b.addr,
        "    tags: ['10.0', '1.10', '2.0', '1.9', '1.2']\n",
    );
    let out = sync(&home, &file, &bundle).ok();
    for edge in [&a, &b] {
        let listed: Vec<&str> = out
            .stderr
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("{}/edge/app:", edge.addr)))
            .map(|l| l.split('@').next().unwrap())
            .collect();
        assert_eq!(listed, tags, "{}", out.stderr);
    }
    let json = sync(&home, &file, &bundle)
        .args(["--format", "json"])
        .ok()
        .json();
    for destination in json["destinations"].as_array().unwrap() {
        let listed: Vec<&str> = destination["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["source"].as_str().unwrap().rsplit(':').next().unwrap())
            .collect();
        assert_eq!(listed, tags, "{json}");
    }
}

/// A destination that answers 202 to DELETE and deletes nothing: the sync's
/// prune reports what really happened (kind `not-deleted`, exit 1) instead of
/// what the registry said, and every tag stays where it was.
#[test]
fn a_prune_at_a_registry_that_lies_about_deleting_fails_and_changes_nothing() {
    use crate::util::proxy::{Behaviour, Proxy};
    use std::sync::atomic::Ordering;

    let src = dated_source();
    let dst = TestRegistry::plain();
    for tag in ["1.0.0", "1.1.0", "1.2.0"] {
        let image = TestImage::dated(
            950 + tag.len() as u64 + u64::from(tag.as_bytes()[2]),
            &[(951, 2000)],
            "2024-01-01T00:00:00Z",
        );
        image.push(&dst, &format!("edge/app:{tag}"), true);
    }
    let before: Vec<(String, String)> = tags_of(&dst, "edge/app")
        .into_iter()
        .map(|t| {
            let digest = skopeo_digest(&dst, &format!("edge/app:{t}"));
            (t, digest)
        })
        .collect();
    let proxy = Proxy::start(
        &dst.addr,
        Behaviour {
            fake_delete: true,
            ..Behaviour::default()
        },
    );
    let home = Home::new();
    let file = home.path().join("sync.yaml");
    std::fs::write(
        &file,
        format!(
            "destinations:
  - name: plant
    registry: {}
    plainHttp: true
images:
  - source: {}/oss/app
    repository: edge/app
    tags: [2.1.0]
    prune:
      keep: 1
",
            proxy.addr, src.addr
        ),
    )
    .unwrap();
    let out = home
        .aseecr()
        .arg("sync")
        .arg(&file)
        .args(["--src-plain-http", "--format", "json"])
        .run()
        .code(1);
    let report = out.json();
    let prune = &report["destinations"][0]["prunes"][0];
    assert_eq!(prune["status"], "failed", "{report}");
    let items = prune["items"].as_array().unwrap();
    assert!(!items.is_empty(), "{report}");
    for item in items {
        assert_eq!(item["status"], "failed", "{item}");
        assert_eq!(item["error"]["kind"], "not-deleted", "{item}");
    }
    assert!(proxy.stats.fake_deletes.load(Ordering::SeqCst) >= 1);
    // The copy stands; nothing the registry claimed to delete is gone.
    assert!(skopeo_exists(&dst, "edge/app:2.1.0"));
    for (tag, digest) in &before {
        assert_eq!(
            &skopeo_digest(&dst, &format!("edge/app:{tag}")),
            digest,
            "{tag}"
        );
    }
}
