//! The default platform: `config set platform`, followed by `mirror` unless
//! `--platform` is given (`--platform all`: the whole index), not by `digest`.

use crate::util::image::{skopeo_digest, skopeo_exists, skopeo_raw};
use crate::util::{Home, TestImage, TestRegistry};

/// `aseecr mirror` from a plain-HTTP source into `dst` with its CA and login.
fn mirror(home: &Home, dst: &TestRegistry) -> crate::util::Aseecr {
    crate::util::mirror_into(home, dst)
}

/// The digest of `index`'s entry for the architecture `arch`.
fn child_digest(index: &serde_json::Value, arch: &str) -> String {
    index["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["platform"]["architecture"] == arch)
        .unwrap()["digest"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn config_sets_lists_and_unsets_the_default_platform() {
    let home = Home::new();
    let config = |args: &[&str]| home.aseecr().arg("config").args(args);
    config(&["get", "platform"])
        .run()
        .code(4)
        .stderr_has("no default platform is set")
        .stderr_has("aseecr config set platform linux/amd64");
    config(&["set", "platform", "linux/arm64/v8"])
        .ok()
        .stderr_has("default platform is now `linux/arm64/v8`");
    config(&["get", "platform"])
        .ok()
        .stdout_has("linux/arm64/v8");
    config(&["list"])
        .ok()
        .stdout_has("registry = (not set)")
        .stdout_has("platform = linux/arm64/v8");
    let listed = config(&["list", "--format", "json"]).ok().json();
    assert_eq!(listed["platform"], "linux/arm64/v8");
    // Checked by --platform's own parser; `all` is what no default already means.
    config(&["set", "platform", "linux"])
        .run()
        .code(2)
        .stderr_has("invalid platform `linux`")
        .stderr_has("help: e.g. `aseecr config set platform linux/amd64`");
    config(&["set", "platform", "all"])
        .run()
        .code(2)
        .stderr_has("help: to copy every platform by default: `aseecr config unset platform`");
    config(&["get", "platform"])
        .ok()
        .stdout_has("linux/arm64/v8");
    config(&["unset", "platform"])
        .ok()
        .stderr_has("default platform unset");
    config(&["get", "platform"]).run().code(4);
    config(&["list"]).ok().stdout_has("platform = (not set)");
    let listed = config(&["list", "--format", "json"]).ok().json();
    assert!(listed.get("platform").is_none(), "{listed}");
    config(&["set", "colour", "x"])
        .run()
        .code(2)
        .stderr_has("known settings: registry, platform");
}

#[test]
fn mirror_copies_only_the_default_platform_unless_told_all() {
    let src = TestRegistry::plain();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::multi(70, &[("linux", "amd64"), ("linux", "arm64")]).push(&src, "m:1", false);
    let index: serde_json::Value = serde_json::from_slice(&skopeo_raw(&src, "m:1")).unwrap();
    let child = |arch: &str| child_digest(&index, arch);
    home.aseecr()
        .args(["config", "set", "platform", "linux/amd64"])
        .ok();

    // The default: only linux/amd64, pushed as that platform's own manifest.
    let out = mirror(&home, &dst)
        .arg(format!("{}/m:1", src.addr))
        .arg(format!("{}/one:1", dst.addr))
        .ok();
    assert!(
        out.stderr.contains("only some platforms were copied"),
        "{}",
        out.stderr
    );
    // Said up front, with the way out.
    assert!(
        out.stderr
            .contains("copying only `linux/amd64` of multi-platform images (the default platform"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("`--platform all`"), "{}", out.stderr);
    let raw: serde_json::Value = serde_json::from_slice(&skopeo_raw(&dst, "one:1")).unwrap();
    assert!(
        raw.get("manifests").is_none(),
        "not one platform's image: {raw}"
    );
    assert!(raw["layers"].is_array(), "{raw}");
    assert_eq!(skopeo_digest(&dst, "one:1"), child("amd64"));

    // ASEECR_PLATFORM wins over the configuration; --platform over both.
    mirror(&home, &dst)
        .env("ASEECR_PLATFORM", "linux/arm64")
        .arg(format!("{}/m:1", src.addr))
        .arg(format!("{}/arm:1", dst.addr))
        .ok();
    assert_eq!(skopeo_digest(&dst, "arm:1"), child("arm64"));
    mirror(&home, &dst)
        .args(["--platform", "linux/arm64"])
        .arg(format!("{}/m:1", src.addr))
        .arg(format!("{}/arm:2", dst.addr))
        .ok();
    assert_eq!(skopeo_digest(&dst, "arm:2"), child("arm64"));

    // --platform all: the whole index, byte for byte, both platforms.
    let out = mirror(&home, &dst)
        .args(["--platform", "all", "--format", "json"])
        .arg(format!("{}/m:1", src.addr))
        .arg(format!("{}/all:1", dst.addr))
        .ok();
    assert_eq!(out.json()["items"][0]["digestChanged"], false);
    assert_eq!(skopeo_raw(&dst, "all:1"), skopeo_raw(&src, "m:1"));
    let whole: serde_json::Value = serde_json::from_slice(&skopeo_raw(&dst, "all:1")).unwrap();
    assert_eq!(whole["manifests"].as_array().unwrap().len(), 2);
    // ASEECR_PLATFORM=all does the same for a run (k8s relocate --mirror has no --platform).
    mirror(&home, &dst)
        .env("ASEECR_PLATFORM", "all")
        .arg(format!("{}/m:1", src.addr))
        .arg(format!("{}/all:2", dst.addr))
        .ok();
    assert_eq!(skopeo_digest(&dst, "all:2"), skopeo_digest(&src, "m:1"));

    // `digest` keeps naming what the tag points at: the index, not the default platform.
    home.aseecr()
        .args(["digest", &format!("{}/m:1", src.addr), "--plain-http"])
        .ok()
        .stdout_has(&skopeo_digest(&src, "m:1"));

    // Invalid values are refused before anything is written.
    mirror(&home, &dst)
        .args(["--platform", "all", "--platform", "linux/amd64"])
        .arg(format!("{}/m:1", src.addr))
        .arg(format!("{}/bad:1", dst.addr))
        .run()
        .code(2)
        .stderr_has("cannot be combined");
    mirror(&home, &dst)
        .env("ASEECR_PLATFORM", "amd64")
        .arg(format!("{}/m:1", src.addr))
        .arg(format!("{}/bad:2", dst.addr))
        .run()
        .code(2)
        .stderr_has("invalid platform `amd64`")
        .stderr_has("ASEECR_PLATFORM");
    mirror(&home, &dst)
        .args(["--platform", "linux/amd64/"])
        .arg(format!("{}/m:1", src.addr))
        .arg(format!("{}/bad:3", dst.addr))
        .run()
        .code(2)
        .stderr_has("invalid platform");
    for tag in ["bad:1", "bad:2", "bad:3"] {
        assert!(!skopeo_exists(&dst, tag), "{tag}");
    }
}

#[test]
fn sync_copies_each_destinations_platform_and_the_default_elsewhere() {
    let src = TestRegistry::plain();
    let (a, b) = (TestRegistry::edge(), TestRegistry::edge());
    let home = Home::new();
    TestImage::multi(71, &[("linux", "amd64"), ("linux", "arm64")]).push(&src, "m:1", false);
    let index: serde_json::Value = serde_json::from_slice(&skopeo_raw(&src, "m:1")).unwrap();
    let child = |arch: &str| child_digest(&index, arch);
    let file = home.path().join("sync.yaml");
    std::fs::write(
        &file,
        format!(
            "destinations:
  - name: arm
    registry: {}
    platform: linux/arm64
    credentials: {{username: {user}, passwordEnv: EDGE_PASSWORD}}
  - name: default
    registry: {}
    credentials: {{username: {user}, passwordEnv: EDGE_PASSWORD}}
images:
  - source: {}/m
    repository: m
    tags: ['1']
",
            a.addr,
            b.addr,
            src.addr,
            user = crate::util::registry::USER,
        ),
    )
    .unwrap();
    let bundle = home.path().join("cas.pem");
    let pem = std::fs::read_to_string(a.ca_file()).unwrap()
        + &std::fs::read_to_string(b.ca_file()).unwrap();
    std::fs::write(&bundle, pem).unwrap();
    let sync = || {
        home.aseecr()
            .arg("sync")
            .arg(&file)
            .arg("--src-plain-http")
            .arg("--dst-ca-cert")
            .arg(&bundle)
            .env("EDGE_PASSWORD", crate::util::registry::PASSWORD)
    };

    // A default platform that does not parse stops the run before any request.
    sync()
        .env("ASEECR_PLATFORM", "linux")
        .run()
        .code(2)
        .stderr_has("invalid platform `linux`");
    assert!(!skopeo_exists(&a, "m:1") && !skopeo_exists(&b, "m:1"));

    sync().env("ASEECR_PLATFORM", "linux/amd64").ok();
    assert_eq!(skopeo_digest(&a, "m:1"), child("arm64"));
    assert_eq!(skopeo_digest(&b, "m:1"), child("amd64"));
}
