//! Whole outputs: the help of every command, the JSON of every command that has
//! `--format json` (one success and one failure each), and the text summaries of
//! mirror, delete, untag, prune, sync, usage, tags, inspect and catalog, each
//! compared line for line with a plain file under tests/snapshots/, so a wrong
//! extra line fails as surely as a missing one.
//!
//! What varies between runs is masked before comparing (tests/util/snapshot.rs):
//! digests become `sha256:[DIGEST-n]` (numbered by first appearance), the harness's
//! registries `[SRC]`/`[DST]` (other loopback ports `127.0.0.1:[PORT]`), temp
//! folders `[TMP]`, durations `[DURATION]` (also JSON `seconds`), rates `[RATE]`,
//! the version `[VERSION]`, certificate fingerprints `[FINGERPRINT]` and the OS's
//! words for an I/O error `[os error N]`. The test images have fixed contents,
//! tags and creation times, so sizes and image dates need no mask.
//!
//! The expected files are the Linux build's outputs; the Windows lane compares
//! with them too (`aseecr.exe` is masked as `aseecr`, `\` in temp paths as `/`),
//! and help that names an OS's own folder is compared word for word there.
//!
//! When an output changes on purpose, write the expected files anew and review the
//! diff before committing it:
//!
//! ```text
//! ASEECR_BLESS=1 cargo test --test integration snapshots::
//! git diff tests/snapshots/
//! ```

use std::collections::BTreeSet;

use crate::util::registry::{PASSWORD, USER};
use crate::util::snapshot::{
    Masks, assert_snapshot, blessing, diff, read_snapshot, render, render_json, snapshot_dir,
};
use crate::util::{Aseecr, Home, TestImage, TestRegistry, authed, mirror_into, windows_target};

/// The widest help clap prints here (`max_term_width` caps it at 100 anyway).
const COLUMNS: &str = "100";

/// aseecr for a help text or a usage error: a fixed width, and without the
/// harness's config folders in the environment, which clap would show in
/// `[env: NAME=value]` and in a usage error's `Usage:` line.
fn for_help(home: &Home) -> Aseecr {
    home.aseecr()
        .env("COLUMNS", COLUMNS)
        .env("LINES", "50")
        .env_remove("ASEECR_CONFIG_DIR")
        .env_remove("DOCKER_CONFIG")
}

/// The subcommands a help text lists under `Commands:`, without `help`.
fn subcommands(help: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut listing = false;
    for line in help.lines() {
        if line == "Commands:" {
            listing = true;
        } else if listing && !line.starts_with(' ') {
            listing = false;
        } else if listing
            && let Some(entry) = line.strip_prefix("  ")
            && entry.starts_with(|c: char| c.is_ascii_alphanumeric())
        {
            let name = entry.split_whitespace().next().unwrap_or_default();
            if name != "help" {
                names.push(name.to_owned());
            }
        }
    }
    names
}

/// The one help text that differs by OS: `--store docker` names docker's folder
/// on the OS the binary is for (`TrustStore::Docker` in src/cli/setup.rs).
const DOCKER_FOLDER_LINUX: &str =
    "Docker's per-registry folder: /etc/docker/certs.d/HOST:PORT/ca.crt";
const DOCKER_FOLDER_WINDOWS: &str =
    r"Docker's per-registry folder: %ProgramData%\docker\certs.d\HOSTPORT\ca.crt";

/// Compare a help text with its file. The files are the Linux build's; the
/// Windows build's help names docker's Windows folder instead, which wraps lines
/// differently, so there it is compared word for word with that one phrase swapped
/// (windows::help_and_messages_show_windows_paths checks the Windows phrase).
fn assert_help(name: &str, rendered: &str) {
    if !windows_target() || !rendered.contains("%ProgramData%") {
        return assert_snapshot(name, rendered);
    }
    if let Err(diff) = windows_help_matches(&read_snapshot(name), rendered) {
        panic!("help differs from tests/snapshots/{name}, word for word:\n{diff}");
    }
}

/// Whether the Windows build's help `rendered` says what the Linux build's
/// `expected` says, word for word, once docker's folder is swapped; else a diff.
fn windows_help_matches(expected: &str, rendered: &str) -> Result<(), String> {
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let actual = words(rendered).replace(DOCKER_FOLDER_WINDOWS, DOCKER_FOLDER_LINUX);
    let expected = words(expected);
    if actual == expected {
        Ok(())
    } else {
        Err(diff(
            &expected.replace(' ', "\n"),
            &actual.replace(' ', "\n"),
        ))
    }
}

#[test]
fn the_windows_help_is_compared_with_the_linux_files() {
    let cli = include_str!("../src/cli/setup.rs");
    assert!(cli.contains(DOCKER_FOLDER_LINUX));
    assert!(cli.contains(DOCKER_FOLDER_WINDOWS));
    // The Windows build's trust-cert help: its docker folder, wrapped elsewhere.
    let linux = read_snapshot("help/aseecr_trust-cert--help.txt");
    let windows = linux
        .replace(DOCKER_FOLDER_LINUX, DOCKER_FOLDER_WINDOWS)
        .replacen("\n", "\n\n", 3);
    assert_ne!(linux, windows);
    assert_eq!(windows_help_matches(&linux, &windows), Ok(()));
    let wrong = windows.replace("Podman", "Docker");
    assert!(windows_help_matches(&linux, &wrong).is_err());
}

/// `--help` and `-h` of `path` and of every subcommand below it, one file each,
/// whose names are added to `written`.
fn walk_help(home: &Home, path: &[String], written: &mut BTreeSet<String>) {
    let stem = std::iter::once("aseecr")
        .chain(path.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("_");
    let mut long_help = String::new();
    for flag in ["--help", "-h"] {
        let out = for_help(home).args(path).arg(flag).run().code(0);
        let name = format!("help/{stem}{flag}.txt");
        assert_help(&name, &render(&out, &Masks::new()));
        written.insert(name);
        if flag == "--help" {
            long_help = out.stdout;
        }
    }
    for sub in subcommands(&long_help) {
        let mut below = path.to_vec();
        below.push(sub);
        walk_help(home, &below, written);
    }
}

/// `aseecr help`, `aseecr` alone, and `--help` and `-h` of every command and
/// subcommand clap lists (walked through the binary's own help, so a new command
/// gets its files when blessed).
#[test]
fn help_of_every_command_and_subcommand() {
    let home = Home::new();
    let mut written = BTreeSet::new();
    let out = for_help(&home).arg("help").run().code(0);
    assert_help("help/aseecr_help.txt", &render(&out, &Masks::new()));
    written.insert("help/aseecr_help.txt".to_owned());
    // No arguments: the short help on stdout, ending on where to start.
    let out = for_help(&home).run().code(0);
    assert_help("help/aseecr.txt", &render(&out, &Masks::new()));
    written.insert("help/aseecr.txt".to_owned());
    walk_help(&home, &[], &mut written);
    assert!(
        written.len() > 40,
        "the walk found too few commands: {written:?}"
    );

    // A file for a command that no longer exists is stale: removed when blessing.
    let dir = snapshot_dir().join("help");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let file = format!("help/{}", entry.unwrap().file_name().to_string_lossy());
        if written.contains(&file) {
            continue;
        }
        if blessing() {
            std::fs::remove_file(snapshot_dir().join(&file)).unwrap();
            eprintln!("removed stale {file}");
        } else {
            panic!("tests/snapshots/{file} belongs to no command (bless to remove it)");
        }
    }
}

/// Masks naming the harness's registries: `127.0.0.1:PORT` as `[NAME]` (also in
/// file names, `127.0.0.1_PORT`), and the port alone as `port [NAME-PORT]`.
fn registry_masks(names: &[(&TestRegistry, &str)]) -> Masks {
    names.iter().fold(Masks::new(), |masks, (registry, name)| {
        let port = registry.addr.rsplit(':').next().unwrap_or_default();
        masks
            .name(registry.addr.clone(), name)
            .name(registry.addr.replace(':', "_"), name)
            .replace(format!("port {port}"), format!("port [{name}-PORT]"))
    })
}

/// Run `command` with `--format json`, require `code`, and compare the whole output.
fn json_snapshot(name: &str, command: Aseecr, code: i32, masks: &Masks) {
    let out = command.args(["--format", "json"]).run().code(code);
    assert_snapshot(&format!("json/{name}.txt"), &render_json(&out, masks));
}

/// Run `command`, require `code`, and compare the whole stdout and stderr.
fn text_snapshot(name: &str, command: Aseecr, code: i32, masks: &Masks) {
    let out = command.run().code(code);
    assert_snapshot(&format!("text/{name}.txt"), &render(&out, masks));
}

/// Creation dates a day apart, for images prune orders by age.
fn created(day: u32) -> String {
    format!("2026-03-{:02}T10:00:00Z", day + 1)
}

/// An edge registry holding `app` (tags 1.0 to 1.3, a day apart, `stable` on 1.1)
/// and `tools:v1`, all on one shared base layer.
fn edge_with_images() -> TestRegistry {
    let registry = TestRegistry::edge();
    let base = (7_100, 20_000);
    for minor in 0..4u32 {
        let image = TestImage::dated(
            1_100 + u64::from(minor),
            &[base, (7_200 + u64::from(minor), 3_000)],
            &created(minor),
        );
        image.push(&registry, &format!("app:1.{minor}"), false);
        if minor == 1 {
            image.push(&registry, "app:stable", false);
        }
    }
    TestImage::dated(1_150, &[base, (7_250, 1_000)], &created(9))
        .push(&registry, "tools:v1", false);
    registry
}

#[test]
fn json_of_registry_reads() {
    let registry = edge_with_images();
    let home = Home::new();
    let masks = registry_masks(&[(&registry, "DST")]);
    let r = &registry.addr;
    let read = |args: &[&str]| authed(&home, &registry).args(args);

    json_snapshot("catalog", read(&["catalog", r]), 0, &masks);
    let port = crate::util::registry::free_port();
    json_snapshot(
        "catalog-refused",
        home.aseecr()
            .args(["catalog", &format!("127.0.0.1:{port}")]),
        6,
        &masks,
    );
    json_snapshot("tags", read(&["tags", &format!("{r}/app")]), 0, &masks);
    json_snapshot(
        "tags-unknown-repository",
        read(&["tags", &format!("{r}/nope")]),
        4,
        &masks,
    );
    json_snapshot(
        "inspect",
        read(&["inspect", &format!("{r}/app:1.0")]),
        0,
        &masks,
    );
    json_snapshot(
        "inspect-unknown-tag",
        read(&["inspect", &format!("{r}/app:nope")]),
        4,
        &masks,
    );
    json_snapshot(
        "digest",
        read(&["digest", &format!("{r}/app:1.0")]),
        0,
        &masks,
    );
    json_snapshot(
        "digest-unknown-tag",
        read(&["digest", &format!("{r}/app:nope")]),
        4,
        &masks,
    );
    json_snapshot("usage", read(&["usage", r]), 0, &masks);
    json_snapshot(
        "usage-wrong-password",
        read(&["usage", r]).env("ASEECR_PASSWORD", "not-the-password"),
        3,
        &masks,
    );
}

#[test]
fn json_of_cleanup() {
    let registry = edge_with_images();
    let home = Home::new();
    let masks = registry_masks(&[(&registry, "DST")]);
    let r = &registry.addr;
    let run = |args: &[String]| authed(&home, &registry).args(args);
    let at = |tail: &str| format!("{r}/{tail}");

    json_snapshot(
        "delete-dry-run",
        run(&["delete".into(), at("app:1.0"), "--dry-run".into()]),
        0,
        &masks,
    );
    // One tag that does not exist in a batch: the item carries the error.
    json_snapshot(
        "delete-one-missing",
        run(&[
            "delete".into(),
            at("app:1.0"),
            at("app:ghost"),
            "--yes".into(),
        ]),
        1,
        &masks,
    );
    json_snapshot(
        "untag",
        run(&["untag".into(), at("app:stable"), "--yes".into()]),
        0,
        &masks,
    );
    json_snapshot(
        "untag-unknown-tag",
        run(&["untag".into(), at("app:ghost"), "--yes".into()]),
        4,
        &masks,
    );
    json_snapshot(
        "prune-dry-run",
        run(&[
            "prune".into(),
            at("app"),
            "--keep".into(),
            "1".into(),
            "--dry-run".into(),
        ]),
        0,
        &masks,
    );
    json_snapshot(
        "prune-no-policy",
        run(&["prune".into(), at("app")]),
        2,
        &masks,
    );
}

#[test]
fn json_of_mirror_and_sync() {
    let src = TestRegistry::plain();
    let dst = TestRegistry::edge();
    let home = Home::new();
    let masks = registry_masks(&[(&src, "SRC"), (&dst, "DST")]);
    TestImage::single(1_200, &[3_000, 1_000]).push(&src, "oss/app:1", false);
    TestImage::single(1_201, &[2_000]).push(&src, "oss/tool:2", false);

    let from = format!("{}/oss/app:1", src.addr);
    json_snapshot(
        "mirror",
        mirror_into(&home, &dst).args([&from, &format!("{}/edge/mirrored:1", dst.addr)]),
        0,
        &masks,
    );
    json_snapshot(
        "mirror-unknown-image",
        mirror_into(&home, &dst).args([
            &format!("{}/oss/app:nope", src.addr),
            &format!("{}/edge/app:nope", dst.addr),
        ]),
        4,
        &masks,
    );
    // A batch with one image that does not exist: the item carries the error. The
    // images share no blob, so what each item copies does not depend on which of
    // them runs first (a source named twice would race with itself).
    json_snapshot(
        "mirror-batch-one-failure",
        mirror_into(&home, &dst)
            .arg(&from)
            .arg(format!("{}/oss/app:nope", src.addr))
            .arg(format!("{}/oss/tool:2", src.addr))
            .args(["--to", &dst.addr]),
        1,
        &masks,
    );

    let file = sync_file(&home, &src, &dst);
    json_snapshot("sync", sync(&home, &file, &dst, PASSWORD), 0, &masks);
    json_snapshot(
        "sync-wrong-password",
        sync(&home, &file, &dst, "not-the-password"),
        1,
        &masks,
    );
}

/// A sync file: `oss/app` of `src` (tag 1) to `edge/app` of `dst`, as `plant-a`.
fn sync_file(home: &Home, src: &TestRegistry, dst: &TestRegistry) -> std::path::PathBuf {
    let file = home.path().join("sync.yaml");
    std::fs::write(
        &file,
        format!(
            "destinations:\n  - name: plant-a\n    registry: {}\n    credentials: {{username: {USER}, passwordEnv: PLANT_A_PASSWORD}}\nimages:\n  - source: {}/oss/app\n    repository: edge/app\n    tags: ['1']\n",
            dst.addr, src.addr
        ),
    )
    .unwrap();
    file
}

fn sync(home: &Home, file: &std::path::Path, dst: &TestRegistry, password: &str) -> Aseecr {
    home.aseecr()
        .arg("sync")
        .arg(file)
        .arg("--src-plain-http")
        .arg("--dst-ca-cert")
        .arg(dst.ca_file())
        .env("PLANT_A_PASSWORD", password)
}

#[test]
fn json_of_local_commands() {
    let home = Home::new();
    let masks = Masks::new();
    let hosts = home.path().join("hosts");
    std::fs::write(&hosts, "127.0.0.1 localhost\n").unwrap();

    json_snapshot(
        "setup-host-list",
        home.aseecr()
            .args(["setup-host", "--list", "--hosts-file"])
            .arg(&hosts),
        0,
        &masks,
    );
    json_snapshot(
        "setup-host-bad-ip",
        home.aseecr()
            .args(["setup-host", "ecr.example.com:31001", "10.0.0.300", "-y"])
            .arg("--hosts-file")
            .arg(&hosts),
        2,
        &masks,
    );
    json_snapshot(
        "trust-cert-missing-file",
        home.aseecr()
            .arg("trust-cert")
            .arg(home.path().join("missing.pem"))
            .args(["--store", "aseecr", "--registry", "ecr.example.com:31001"]),
        4,
        &masks,
    );

    // `version` has no failure of its own: a wrong flag is clap's usage error, text.
    json_snapshot("version", home.aseecr().arg("version"), 0, &masks);
    home.aseecr()
        .args(["config", "set", "registry", "ecr.example.com:31001"])
        .ok();
    json_snapshot(
        "config-list",
        home.aseecr().args(["config", "list"]),
        0,
        &masks,
    );
    json_snapshot(
        "config-set",
        home.aseecr()
            .args(["config", "set", "platform", "linux/arm64"]),
        0,
        &masks,
    );
    json_snapshot(
        "config-set-unknown-key",
        home.aseecr().args(["config", "set", "colour", "x"]),
        2,
        &masks,
    );
    json_snapshot(
        "config-unset",
        home.aseecr().args(["config", "unset", "platform"]),
        0,
        &masks,
    );
    json_snapshot(
        "config-get-unset",
        home.aseecr().args(["config", "get", "platform"]),
        4,
        &masks,
    );
    json_snapshot(
        "config-path",
        home.aseecr().args(["config", "path"]),
        0,
        &masks,
    );

    // The k8s commands, offline: the secret from given credentials, a relocated
    // Deployment, a CronJob for a sync file; each with a failure.
    let registry = "ecr.example.com:31001";
    json_snapshot(
        "k8s-secret",
        home.aseecr()
            .args(["-u", "edgeuser", "k8s", "secret", registry, "-n", "apps"])
            .env("ASEECR_PASSWORD", "example-Pa55"),
        0,
        &masks,
    );
    json_snapshot(
        "k8s-secret-no-credentials",
        home.aseecr().args(["k8s", "secret", registry]),
        3,
        &masks,
    );
    let deployment = home.path().join("web.yaml");
    std::fs::write(
        &deployment,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: nginx\n        image: mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine\n",
    )
    .unwrap();
    json_snapshot(
        "k8s-relocate",
        home.aseecr()
            .args(["--registry", registry, "k8s", "relocate"])
            .arg(&deployment),
        0,
        &masks,
    );
    json_snapshot(
        "k8s-relocate-stdin-in-place",
        home.aseecr()
            .args(["--registry", registry, "k8s", "relocate", "-", "--in-place"])
            .stdin(""),
        2,
        &masks,
    );
    let fleet = home.path().join("fleet.yaml");
    std::fs::write(
        &fleet,
        format!(
            "destinations:\n  - name: plant\n    registry: {registry}\n    credentials: {{username: edgeuser, passwordEnv: PLANT_PASSWORD}}\nimages:\n  - source: mcr.microsoft.com/oss/nginx/nginx\n    tags: ['1.25.3']\n"
        ),
    )
    .unwrap();
    json_snapshot(
        "k8s-cronjob",
        home.aseecr()
            .args(["--registry", registry, "k8s", "cronjob"])
            .arg(&fleet)
            .args(["--schedule", "0 3 * * *"]),
        0,
        &masks,
    );
    json_snapshot(
        "k8s-cronjob-bad-schedule",
        home.aseecr()
            .args(["--registry", registry, "k8s", "cronjob"])
            .arg(&fleet)
            .args(["--schedule", "61 * * * *"]),
        2,
        &masks,
    );

    std::fs::write(home.config_dir().join("config.json"), "{not json").unwrap();
    json_snapshot(
        "config-list-unreadable",
        home.aseecr().args(["config", "list"]),
        1,
        &masks,
    );
}

#[test]
fn json_of_trust_cert_and_doctor() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let masks = registry_masks(&[(&registry, "DST")]);
    json_snapshot(
        "trust-cert-dry-run",
        home.aseecr()
            .arg("trust-cert")
            .arg(registry.ca_file())
            .args([
                "--store",
                "aseecr",
                "--dry-run",
                "--registry",
                &registry.addr,
            ]),
        0,
        &masks,
    );
    json_snapshot("login", crate::util::login(&home, &registry), 0, &masks);
    json_snapshot(
        "logout",
        home.aseecr().args(["logout", &registry.addr]),
        0,
        &masks,
    );
    json_snapshot(
        "login-wrong-password",
        crate::util::login(&home, &registry).stdin("not-the-password\n"),
        3,
        &masks,
    );
    json_snapshot(
        "doctor-unknown-host",
        home.aseecr().args(["doctor", "no-such-host.invalid:31001"]),
        6,
        &masks,
    );
}

#[test]
fn json_of_doctor_on_a_healthy_registry() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let mut masks = registry_masks(&[(&registry, "DST")]);
    if windows_target() {
        // The OS store is one of trust-cert's default stores on Windows (Docker
        // Desktop reads only it), so doctor's fix names it there: check that
        // phrase, then compare the rest with the Linux files.
        const WINDOWS: &str = "the OS store and the container clients' folders";
        let out = authed(&home, &registry)
            .args(["doctor", &registry.addr])
            .run();
        assert!(
            out.stderr.contains(WINDOWS) || out.stdout.contains(WINDOWS),
            "{out:?}"
        );
        masks = masks.replace(WINDOWS, "the container clients' folders");
    }
    json_snapshot(
        "doctor",
        authed(&home, &registry).args(["doctor", &registry.addr]),
        0,
        &masks,
    );
    text_snapshot(
        "doctor",
        authed(&home, &registry).args(["doctor", &registry.addr]),
        0,
        &masks,
    );
}

#[test]
fn text_of_mirror() {
    let src = TestRegistry::plain();
    let dst = TestRegistry::edge();
    let home = Home::new();
    let masks = registry_masks(&[(&src, "SRC"), (&dst, "DST")]);
    TestImage::single(1_300, &[5_000, 2_000]).push(&src, "oss/app:1", false);
    TestImage::single(1_301, &[4_000]).push(&src, "oss/tool:2", false);
    let from = format!("{}/oss/app:1", src.addr);
    let to = format!("{}/edge/app:1", dst.addr);

    text_snapshot(
        "mirror-dry-run",
        mirror_into(&home, &dst).args([&from, &to, "--dry-run"]),
        0,
        &masks,
    );
    text_snapshot(
        "mirror-copy",
        mirror_into(&home, &dst).args([&from, &to]),
        0,
        &masks,
    );
    text_snapshot(
        "mirror-up-to-date",
        mirror_into(&home, &dst).args([&from, &to]),
        0,
        &masks,
    );

    // A batch file: one image copied, one already there, one that does not exist.
    let list = home.path().join("images.txt");
    std::fs::write(
        &list,
        format!(
            "# images for the edge\n{0}/oss/tool:2 {1}/edge/tool:2\n{0}/oss/app:1 {1}/edge/app:1\n{0}/oss/ghost:1 {1}/edge/ghost:1\n",
            src.addr, dst.addr
        ),
    )
    .unwrap();
    text_snapshot(
        "mirror-batch-one-failure",
        mirror_into(&home, &dst).arg("-f").arg(&list),
        1,
        &masks,
    );
}

#[test]
fn text_of_cleanup() {
    let registry = edge_with_images();
    let home = Home::new();
    let masks = registry_masks(&[(&registry, "DST")]);
    let r = &registry.addr;
    let run = |args: &[&str]| authed(&home, &registry).args(args);

    text_snapshot(
        "delete-dry-run",
        run(&["delete", &format!("{r}/app:1.0"), "--dry-run"]),
        0,
        &masks,
    );
    text_snapshot(
        "delete",
        run(&["delete", &format!("{r}/app:1.0"), "--yes"]),
        0,
        &masks,
    );
    // 1.1 shares its digest with `stable`: refused, with the way out.
    text_snapshot(
        "delete-refused-shared-digest",
        run(&["delete", &format!("{r}/app:1.1"), "--yes"]),
        1,
        &masks,
    );
    text_snapshot(
        "untag",
        run(&["untag", &format!("{r}/app:stable"), "--yes"]),
        0,
        &masks,
    );
    text_snapshot(
        "prune-dry-run",
        run(&["prune", &format!("{r}/app"), "--keep", "1", "--dry-run"]),
        0,
        &masks,
    );
    text_snapshot(
        "prune",
        run(&["prune", &format!("{r}/app"), "--keep", "1", "--yes"]),
        0,
        &masks,
    );
}

#[test]
fn text_of_registry_reads() {
    let registry = edge_with_images();
    let home = Home::new();
    let masks = registry_masks(&[(&registry, "DST")]);
    let r = &registry.addr;
    let read = |args: &[&str]| authed(&home, &registry).args(args);

    text_snapshot("catalog", read(&["catalog", r]), 0, &masks);
    text_snapshot("tags", read(&["tags", &format!("{r}/app")]), 0, &masks);
    text_snapshot(
        "tags-unknown-repository",
        read(&["tags", &format!("{r}/nope")]),
        4,
        &masks,
    );
    text_snapshot(
        "tags-long",
        read(&["tags", &format!("{r}/app"), "--long"]),
        0,
        &masks,
    );
    text_snapshot(
        "inspect",
        read(&["inspect", &format!("{r}/app:1.0")]),
        0,
        &masks,
    );
    text_snapshot("usage", read(&["usage", r]), 0, &masks);
    text_snapshot(
        "digest",
        read(&["digest", &format!("{r}/app:1.0")]),
        0,
        &masks,
    );
    text_snapshot(
        "digest-unknown-tag",
        read(&["digest", &format!("{r}/app:nope")]),
        4,
        &masks,
    );
}

#[test]
fn text_of_sync() {
    let src = TestRegistry::plain();
    let dst = TestRegistry::edge();
    let home = Home::new();
    let masks = registry_masks(&[(&src, "SRC"), (&dst, "DST")]);
    TestImage::single(1_400, &[3_000, 1_000]).push(&src, "oss/app:1", false);
    let file = sync_file(&home, &src, &dst);
    // The source's addresses make the table's first column as wide as they are;
    // masked, the columns no longer line up, but they stay the same from run to run
    // (ports of the ephemeral range have five digits).
    text_snapshot(
        "sync-check",
        sync(&home, &file, &dst, PASSWORD).arg("--check"),
        10,
        &masks,
    );
    text_snapshot("sync", sync(&home, &file, &dst, PASSWORD), 0, &masks);
    text_snapshot(
        "sync-up-to-date",
        sync(&home, &file, &dst, PASSWORD),
        0,
        &masks,
    );
}

/// Usage errors (exit 2): clap's own, and the hint for another tool's command word.
#[test]
fn text_of_usage_errors() {
    let home = Home::new();
    let masks = Masks::new();
    // Without the harness's config folders in the environment: clap's usage line
    // names every argument already given, and one from the environment counts
    // (`Usage: aseecr tags --config-dir <DIR> --docker-config <DIR> <REPO>`).
    text_snapshot(
        "usage-error-other-tool-word",
        for_help(&home).args(["push", "app:1"]),
        2,
        &masks,
    );
    text_snapshot(
        "usage-error-unknown-flag",
        for_help(&home).args(["mirror", "--bogus"]),
        2,
        &masks,
    );
    text_snapshot(
        "usage-error-missing-argument",
        for_help(&home).arg("tags"),
        2,
        &masks,
    );
    text_snapshot(
        "usage-error-unknown-format",
        for_help(&home).args(["tags", "app", "--format", "yaml"]),
        2,
        &masks,
    );
    text_snapshot("version", for_help(&home).arg("version"), 0, &masks);
}

#[test]
fn masks_cover_what_varies_and_keep_what_does_not() {
    let full = format!("sha256:{}", "ab".repeat(32));
    let other = format!("sha256:{}", "cd".repeat(32));
    let text = format!(
        "aseecr.exe {v} pushed {full} and {other} to 127.0.0.1:43351 ({short}) in 1.2s, 3.4 MiB/s\r\n\
         Z:\\tmp\\.tmpAbC123\\aseecr\\certs\\x.crt: No such file or directory (os error 2)\n\
         {fingerprint} at 2026-03-01T10:00:00Z\n",
        v = env!("CARGO_PKG_VERSION"),
        short = &full[..19],
        fingerprint = ["3B"; 32].join(":"),
    );
    let masks = Masks::new().name("127.0.0.1:43351", "DST");
    assert_eq!(
        masks.apply(&text),
        "aseecr [VERSION] pushed sha256:[DIGEST-1] and sha256:[DIGEST-2] to [DST] \
         (sha256:[SHORT-1]) in [DURATION], [RATE]\n\
         [TMP]/aseecr/certs/x.crt: [os error 2]\n\
         [FINGERPRINT] at 2026-03-01T10:00:00Z\n"
    );
    assert!(
        masks
            .timestamps()
            .apply(&text)
            .contains("[FINGERPRINT] at [TIME]")
    );
    // Other loopback ports, and a size, are kept apart from durations.
    assert_eq!(
        Masks::new().apply("localhost:5000 and 127.0.0.1_8080.crt: 3.8 KiB, 12 blobs\n"),
        "localhost:[PORT] and 127.0.0.1_[PORT].crt: 3.8 KiB, 12 blobs\n"
    );
}

#[test]
fn a_diff_shows_the_changed_lines_in_context() {
    let changed = diff("a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nX\ne\nf\ng\nh\n");
    assert_eq!(changed, "  b\n  c\n- d\n+ X\n  e\n  f\n");
    let added = diff("one\n", "one\nextra\n");
    assert_eq!(added, "  one\n+ extra\n");
}

/// Every expected file under json/ and text/ is named by a test here (help/ is
/// checked by the walk), so none is left behind when a case is renamed.
#[test]
fn every_snapshot_file_belongs_to_a_case() {
    let source = include_str!("snapshots.rs");
    for folder in ["json", "text"] {
        for entry in std::fs::read_dir(snapshot_dir().join(folder)).unwrap() {
            let file = entry.unwrap().file_name().to_string_lossy().into_owned();
            let case = file.trim_end_matches(".txt");
            assert!(
                source.contains(&format!("\"{case}\"")),
                "tests/snapshots/{folder}/{file} belongs to no case in tests/snapshots.rs: remove it"
            );
        }
    }
}
