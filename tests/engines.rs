//! The archives aseecr writes, loaded by the real engines: `docker load` into a
//! private dockerd (Debian's docker.io) and `podman load` into private podman
//! storage; and what `docker save` / `podman save` write, pushed by aseecr and
//! pulled back with skopeo. Each engine is rooted in a temp dir (util::engines).

use std::path::Path;

use crate::util::engines::{Dockerd, Podman};
use crate::util::image::{skopeo_config, skopeo_pulls, skopeo_raw};
use crate::util::root::root_only;
use crate::util::{Home, TestImage, TestRegistry};

fn mirror(home: &Home, dst: &TestRegistry) -> crate::util::Aseecr {
    crate::util::mirror_into(home, dst)
}

/// The config digest and its rootfs.diff_ids of `image` in `registry`.
fn config_of(registry: &TestRegistry, image: &str) -> (String, Vec<String>) {
    let manifest: serde_json::Value = serde_json::from_slice(&skopeo_raw(registry, image)).unwrap();
    let digest = manifest["config"]["digest"].as_str().unwrap().to_owned();
    let config: serde_json::Value =
        serde_json::from_slice(&skopeo_config(registry, image)).unwrap();
    let diff_ids = config["rootfs"]["diff_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_owned())
        .collect();
    (digest, diff_ids)
}

/// `aseecr mirror SRC/IMAGE docker-archive:FILE`.
fn write_docker_archive(home: &Home, src: &TestRegistry, image: &str, archive: &Path) {
    let dst = TestRegistry::plain();
    mirror(home, &dst)
        .arg(format!("{}/{image}", src.addr))
        .arg(format!("docker-archive:{}", archive.display()))
        .ok();
}

#[test]
fn docker_loads_what_aseecr_writes_and_what_docker_saves_goes_to_a_registry() {
    crate::util::root::require_root("it starts a private dockerd");
    let src = TestRegistry::plain();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::loadable(41, &[300_000, 100_000]).push(&src, "oss/tool:7", false);
    TestImage::loadable(42, &[200_000]).push(&src, "oss/base:1", false);
    let (tool_config, tool_diff_ids) = config_of(&src, "oss/tool:7");
    let (base_config, _) = config_of(&src, "oss/base:1");
    let work = tempfile::tempdir().unwrap();
    let tool = work.path().join("tool.tar");
    let base = work.path().join("base.tar");
    write_docker_archive(&home, &src, "oss/tool:7", &tool);
    write_docker_archive(&home, &src, "oss/base:1", &base);

    let daemon = Dockerd::start();
    let loaded = daemon.docker_ok(&["load", "-i", &tool.display().to_string()]);
    assert!(loaded.contains("Loaded image: oss/tool:7"), "{loaded}");
    let inspect: serde_json::Value =
        serde_json::from_str(&daemon.docker_ok(&["image", "inspect", "oss/tool:7"])).unwrap();
    let image = &inspect[0];
    assert_eq!(
        image["Id"],
        tool_config.as_str(),
        "the image ID is the config digest"
    );
    assert_eq!(image["RepoTags"], serde_json::json!(["oss/tool:7"]));
    assert_eq!(image["RootFS"]["Layers"], serde_json::json!(tool_diff_ids));
    assert_eq!(image["Architecture"], "amd64");
    daemon.docker_ok(&["load", "-i", &base.display().to_string()]);

    // The Docker 25 format the docker_archive tests build (util::docker25) is
    // what docker loads too: this older dockerd reads its manifest.json.
    let layout = work.path().join("layout");
    let out = crate::util::image::skopeo(
        &src,
        &[
            "copy".into(),
            "--src-tls-verify=false".into(),
            format!("docker://{}/oss/tool:7", src.addr),
            format!("oci:{}:x", layout.display()),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docker25 = work.path().join("docker25.tar");
    crate::util::docker25::docker25_save(
        &[crate::util::docker25::Saved {
            layout: &layout,
            repo_tags: &["oss/tool:25"],
        }],
        &docker25,
        true,
    );
    let loaded = daemon.docker_ok(&["load", "-i", &docker25.display().to_string()]);
    assert!(loaded.contains("Loaded image: oss/tool:25"), "{loaded}");
    let inspect: serde_json::Value =
        serde_json::from_str(&daemon.docker_ok(&["image", "inspect", "oss/tool:25"])).unwrap();
    assert_eq!(inspect[0]["Id"], tool_config.as_str());
    assert_eq!(
        inspect[0]["RootFS"]["Layers"],
        serde_json::json!(tool_diff_ids)
    );

    // docker save of both into one (classic) archive: aseecr pushes each image.
    let both = work.path().join("both.tar");
    daemon.docker_ok(&[
        "save",
        "-o",
        &both.display().to_string(),
        "oss/tool:7",
        "oss/base:1",
    ]);
    drop(daemon);
    mirror(&home, &dst)
        .arg("--all-tags")
        .arg(format!("docker-archive:{}", both.display()))
        .arg("--to")
        .arg(format!("{}/site", dst.addr))
        .ok();
    assert_eq!(config_of(&dst, "site/oss/tool:7").0, tool_config);
    assert_eq!(config_of(&dst, "site/oss/base:1").0, base_config);
    assert!(skopeo_pulls(&dst, "site/oss/tool:7"));
    assert!(skopeo_pulls(&dst, "site/oss/base:1"));
    // One of them by its RepoTag.
    mirror(&home, &dst)
        .arg(format!("docker-archive:{}:oss/base:1", both.display()))
        .arg(format!("{}/one/base:1", dst.addr))
        .ok();
    assert_eq!(config_of(&dst, "one/base:1").0, base_config);
}

#[test]
fn podman_loads_what_aseecr_writes_and_what_podman_saves_goes_to_a_registry() {
    let src = TestRegistry::plain();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::loadable(43, &[250_000, 50_000]).push(&src, "oss/tool:8", false);
    TestImage::loadable(44, &[120_000]).push(&src, "oss/base:2", false);
    let (tool_config, tool_diff_ids) = config_of(&src, "oss/tool:8");
    let (base_config, base_diff_ids) = config_of(&src, "oss/base:2");
    let work = tempfile::tempdir().unwrap();
    let tool = work.path().join("tool.tar");
    write_docker_archive(&home, &src, "oss/tool:8", &tool);
    // And an OCI archive, which podman loads too.
    let base = work.path().join("base-oci.tar");
    mirror(&home, &dst)
        .arg(format!("{}/oss/base:2", src.addr))
        .arg(format!("oci-archive:{}", base.display()))
        .ok();

    let podman = Podman::new();
    podman.podman_ok(&["load", "-i", &tool.display().to_string()]);
    let inspect: serde_json::Value =
        serde_json::from_str(&podman.podman_ok(&["image", "inspect", "oss/tool:8"])).unwrap();
    let image = &inspect[0];
    assert_eq!(
        format!("sha256:{}", image["Id"].as_str().unwrap()),
        tool_config,
        "the image ID is the config digest"
    );
    let tags: Vec<&str> = image["RepoTags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    // podman names an image with no registry `localhost/...`.
    assert_eq!(tags, ["localhost/oss/tool:8"]);
    assert_eq!(image["RootFS"]["Layers"], serde_json::json!(tool_diff_ids));

    podman.podman_ok(&["load", "-i", &base.display().to_string()]);
    let inspect: serde_json::Value =
        serde_json::from_str(&podman.podman_ok(&["image", "inspect", "oss/base:2"])).unwrap();
    assert_eq!(
        format!("sha256:{}", inspect[0]["Id"].as_str().unwrap()),
        base_config
    );
    assert_eq!(
        inspect[0]["RootFS"]["Layers"],
        serde_json::json!(base_diff_ids)
    );

    // podman save of both into one docker archive: aseecr pushes each image.
    let both = work.path().join("both.tar");
    podman.podman_ok(&[
        "save",
        "--multi-image-archive",
        "--format",
        "docker-archive",
        "-o",
        &both.display().to_string(),
        "oss/tool:8",
        "oss/base:2",
    ]);
    let out = mirror(&home, &dst)
        .arg("--all-tags")
        .arg(format!("docker-archive:{}", both.display()))
        .arg("--to")
        .arg(format!("{}/site", dst.addr))
        .ok();
    // The RepoTag `localhost/oss/tool:8` is a docker reference: its repository
    // is `oss/tool`, under the --to prefix.
    out.stdout_has(&format!("{}/site/oss/tool:8@", dst.addr))
        .stdout_has(&format!("{}/site/oss/base:2@", dst.addr));
    assert_eq!(config_of(&dst, "site/oss/tool:8").0, tool_config);
    assert_eq!(config_of(&dst, "site/oss/base:2").0, base_config);
    assert!(skopeo_pulls(&dst, "site/oss/tool:8"));
    assert!(skopeo_pulls(&dst, "site/oss/base:2"));
    // One by the name podman gave it, and by the same name without `localhost/`.
    mirror(&home, &dst)
        .arg(format!(
            "docker-archive:{}:localhost/oss/base:2",
            both.display()
        ))
        .arg(format!("{}/one/base:2", dst.addr))
        .ok();
    assert_eq!(config_of(&dst, "one/base:2").0, base_config);
    mirror(&home, &dst)
        .arg(format!("docker-archive:{}:oss/tool:8", both.display()))
        .arg(format!("{}/one/tool:8", dst.addr))
        .ok();
    assert_eq!(config_of(&dst, "one/tool:8").0, tool_config);
}

/// tests/root-only.txt names tests, each exactly one, with a reason; and every test
/// that starts a dockerd or mounts a tmpfs is in it, so that scripts/test.sh leaves
/// it out of a run as another user (counted as filtered out, not passed).
#[test]
fn every_root_only_test_is_listed_and_one_test() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let sources: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .map(|path| std::fs::read_to_string(path).unwrap())
        .collect();
    // Without whitespace, so a signature rustfmt wrapped still matches.
    let joined: String = sources.concat().split_whitespace().collect();
    let listed = root_only();
    assert!(!listed.is_empty());
    for (name, reason) in &listed {
        assert!(reason.len() > 10, "`{name}` needs a reason");
        assert_eq!(
            joined.matches(&format!("fn{name}()")).count(),
            1,
            "tests/root-only.txt names `{name}`, which is not one test"
        );
    }
    // Spelled in two pieces, so this test does not look like one that calls them.
    let root_calls = [concat!("Dockerd", "::start("), concat!("Tmpfs", "::mount")];
    for source in &sources {
        for test in source.split("#[test]").skip(1) {
            let name = test
                .split("fn ")
                .nth(1)
                .and_then(|rest| rest.split('(').next())
                .unwrap_or_default()
                .trim();
            if root_calls.iter().any(|call| test.contains(call)) {
                assert!(
                    listed.iter().any(|(listed, _)| *listed == name),
                    "`{name}` needs root but is not in tests/root-only.txt"
                );
            }
        }
    }
}
