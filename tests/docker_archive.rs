//! mirror from and to `docker-archive:FILE[:REF]` (what `docker save` writes),
//! checked with skopeo: aseecr reads the archives skopeo writes and pushes them
//! with gzip layers; skopeo reads the archives aseecr writes. `docker load` and
//! `podman load` of them are in tests/engines.rs.

use std::io::Read;
use std::path::Path;

use crate::util::docker25::{Saved, docker25_save, sha256_of};
use crate::util::image::{skopeo, skopeo_pulls, skopeo_raw};
use crate::util::{Home, TestImage, TestRegistry};

/// `aseecr mirror` with the source over plain HTTP and the destination's CA and login.
fn mirror(home: &Home, dst: &TestRegistry) -> crate::util::Aseecr {
    crate::util::mirror_into(home, dst)
}

fn manifest(registry: &TestRegistry, image: &str) -> serde_json::Value {
    serde_json::from_slice(&skopeo_raw(registry, image)).unwrap()
}

fn config_digest(registry: &TestRegistry, image: &str) -> String {
    manifest(registry, image)["config"]["digest"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Run skopeo copy and insist it worked.
fn skopeo_copy(registry: &TestRegistry, args: &[String]) {
    let mut all = vec!["copy".to_owned()];
    all.extend_from_slice(args);
    let out = skopeo(registry, &all);
    assert!(
        out.status.success(),
        "skopeo {all:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// skopeo writes a docker-archive of `image` from the plain source registry.
fn skopeo_save(src: &TestRegistry, image: &str, archive: &Path, repo_tag: &str) {
    skopeo_copy(
        src,
        &[
            "--src-tls-verify=false".into(),
            format!("docker://{}/{image}", src.addr),
            format!("docker-archive:{}:{repo_tag}", archive.display()),
        ],
    );
}

/// A file of a tar archive, whole.
fn tar_file(archive: &Path, name: &str) -> Option<Vec<u8>> {
    let file = std::fs::File::open(archive).unwrap();
    for entry in tar::Archive::new(file).entries().unwrap() {
        let mut entry = entry.unwrap();
        if entry.path().unwrap().to_string_lossy() == name {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            return Some(bytes);
        }
    }
    None
}

#[test]
fn a_skopeo_docker_archive_goes_to_a_registry_with_gzip_layers_and_the_same_config() {
    let src = TestRegistry::plain();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(31, &[300_000, 1_000_000]).push(&src, "oss/app:1.0", false);
    let archive = dst.dir().join("saved.tar");
    skopeo_save(&src, "oss/app:1.0", &archive, "oss/app:1.0");

    mirror(&home, &dst)
        .arg(format!("docker-archive:{}", archive.display()))
        .arg(format!("{}/edge/app:1.0", dst.addr))
        .ok();

    let pushed = manifest(&dst, "edge/app:1.0");
    assert_eq!(
        pushed["mediaType"],
        "application/vnd.docker.distribution.manifest.v2+json"
    );
    assert_eq!(
        config_digest(&dst, "edge/app:1.0"),
        config_digest(&src, "oss/app:1.0"),
        "the config (and so its rootfs.diff_ids) is the original's, byte for byte"
    );
    let layers = pushed["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 2);
    for layer in layers {
        assert_eq!(
            layer["mediaType"],
            "application/vnd.docker.image.rootfs.diff.tar.gzip"
        );
    }
    // skopeo pulls every blob and checks each digest.
    assert!(skopeo_pulls(&dst, "edge/app:1.0"));

    // The same archive, by its RepoTag, again: the digest is stable.
    mirror(&home, &dst)
        .arg(format!("docker-archive:{}:oss/app:1.0", archive.display()))
        .arg(format!("{}/edge/again:1.0", dst.addr))
        .ok();
    assert_eq!(
        manifest(&dst, "edge/again:1.0"),
        pushed,
        "compressing twice gives the same layer digests"
    );
}

#[test]
fn aseecr_writes_a_docker_archive_skopeo_pushes_and_aseecr_reads_back() {
    let src = TestRegistry::plain();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(32, &[200_000, 50_000]).push(&src, "oss/tool:7", false);
    let archive = dst.dir().join("tool.tar");
    mirror(&home, &dst)
        .arg(format!("{}/oss/tool:7", src.addr))
        .arg(format!("docker-archive:{}", archive.display()))
        .ok();

    // The classic format docker load expects.
    let listed: serde_json::Value =
        serde_json::from_slice(&tar_file(&archive, "manifest.json").unwrap()).unwrap();
    assert_eq!(listed[0]["RepoTags"], serde_json::json!(["oss/tool:7"]));
    let repositories: serde_json::Value =
        serde_json::from_slice(&tar_file(&archive, "repositories").unwrap()).unwrap();
    assert!(repositories["oss/tool"]["7"].is_string());
    // Layers are stored uncompressed, named by their diff_ids.
    let config: serde_json::Value =
        serde_json::from_slice(&tar_file(&archive, listed[0]["Config"].as_str().unwrap()).unwrap())
            .unwrap();
    for (layer, diff_id) in listed[0]["Layers"]
        .as_array()
        .unwrap()
        .iter()
        .zip(config["rootfs"]["diff_ids"].as_array().unwrap())
    {
        let bytes = tar_file(&archive, layer.as_str().unwrap()).unwrap();
        assert_ne!(&bytes[..2], &[0x1f, 0x8b], "not gzipped");
        assert_eq!(
            format!(
                "sha256:{}",
                hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes))
            ),
            diff_id.as_str().unwrap()
        );
    }

    // skopeo reads it and pushes it.
    skopeo_copy(
        &dst,
        &[
            "--dest-authfile".into(),
            crate::util::image::auth_file(&src).display().to_string(),
            "--dest-tls-verify=false".into(),
            format!("docker-archive:{}", archive.display()),
            format!("docker://{}/back/tool:7", src.addr),
        ],
    );
    assert_eq!(
        config_digest(&src, "back/tool:7"),
        config_digest(&src, "oss/tool:7")
    );
    assert!(skopeo_pulls(&src, "back/tool:7"));

    // aseecr reads what it wrote.
    mirror(&home, &dst)
        .arg(format!("docker-archive:{}", archive.display()))
        .arg(format!("{}/edge/tool:7", dst.addr))
        .ok();
    assert_eq!(
        config_digest(&dst, "edge/tool:7"),
        config_digest(&src, "oss/tool:7")
    );
}

#[test]
fn an_archive_with_two_images_is_read_by_ref() {
    let src = TestRegistry::plain();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(33, &[10_000]).push(&src, "oss/a:1", false);
    TestImage::single(34, &[20_000]).push(&src, "oss/b:2", false);
    let list = dst.dir().join("images.txt");
    std::fs::write(&list, format!("{0}/oss/a:1\n{0}/oss/b:2\n", src.addr)).unwrap();
    let archive = dst.dir().join("two.tar");
    mirror(&home, &dst)
        .arg("-f")
        .arg(&list)
        .arg(format!("docker-archive:{}", archive.display()))
        .ok();

    // No REF: which one? Both RepoTags are named.
    mirror(&home, &dst)
        .arg(format!("docker-archive:{}", archive.display()))
        .arg(format!("{}/edge/x:1", dst.addr))
        .run()
        .code(2)
        .stderr_has("`oss/a:1`, `oss/b:2`");
    // A REF that is not there lists the RepoTags.
    mirror(&home, &dst)
        .arg(format!("docker-archive:{}:oss/c:3", archive.display()))
        .arg(format!("{}/edge/x:1", dst.addr))
        .run()
        .code(4)
        .stderr_has("no image named `oss/c:3`")
        .stderr_has("`oss/a:1`, `oss/b:2`");
    mirror(&home, &dst)
        .arg(format!("docker-archive:{}:oss/b:2", archive.display()))
        .arg(format!("{}/edge/b:2", dst.addr))
        .ok();
    assert_eq!(
        config_digest(&dst, "edge/b:2"),
        config_digest(&src, "oss/b:2")
    );
    // skopeo picks the same image by name.
    let out = skopeo(
        &dst,
        &[
            "inspect".into(),
            "--config".into(),
            "--raw".into(),
            format!("docker-archive:{}:oss/a:1", archive.display()),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        format!(
            "sha256:{}",
            hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&out.stdout))
        ),
        config_digest(&src, "oss/a:1")
    );
    // --all-tags takes every image of the archive.
    mirror(&home, &dst)
        .arg("--all-tags")
        .arg(format!("docker-archive:{}", archive.display()))
        .arg("--to")
        .arg(format!("{}/all", dst.addr))
        .ok();
    assert!(skopeo_pulls(&dst, "all/oss/a:1"));
    assert!(skopeo_pulls(&dst, "all/oss/b:2"));
}

#[test]
fn bad_docker_archives_are_clear_errors() {
    let src = TestRegistry::plain();
    let dst = TestRegistry::edge();
    let home = Home::new();
    let to = format!("{}/edge/x:1", dst.addr);

    let not_tar = dst.dir().join("not.tar");
    std::fs::write(&not_tar, vec![b'x'; 2000]).unwrap();
    mirror(&home, &dst)
        .arg(format!("docker-archive:{}", not_tar.display()))
        .arg(&to)
        .run()
        .code(2)
        .stderr_has("is not a tar archive")
        .stderr_has("docker save");

    let empty = dst.dir().join("empty.tar");
    {
        let mut builder = tar::Builder::new(std::fs::File::create(&empty).unwrap());
        let mut header = tar::Header::new_gnu();
        header.set_size(2);
        header.set_cksum();
        builder
            .append_data(&mut header, "hello.txt", &b"hi"[..])
            .unwrap();
        builder.finish().unwrap();
    }
    mirror(&home, &dst)
        .arg(format!("docker-archive:{}", empty.display()))
        .arg(&to)
        .run()
        .code(2)
        .stderr_has("no `manifest.json` and no `index.json`");

    mirror(&home, &dst)
        .arg(format!(
            "docker-archive:{}",
            dst.dir().join("absent.tar").display()
        ))
        .arg(&to)
        .run()
        .code(4);

    // A layer file missing from a skopeo archive.
    TestImage::single(35, &[10_000, 20_000]).push(&src, "oss/x:1", false);
    let saved = dst.dir().join("saved.tar");
    skopeo_save(&src, "oss/x:1", &saved, "oss/x:1");
    let listed: serde_json::Value =
        serde_json::from_slice(&tar_file(&saved, "manifest.json").unwrap()).unwrap();
    let dropped = listed[0]["Layers"][1].as_str().unwrap().to_owned();
    let broken = dst.dir().join("broken.tar");
    {
        let mut builder = tar::Builder::new(std::fs::File::create(&broken).unwrap());
        let file = std::fs::File::open(&saved).unwrap();
        for entry in tar::Archive::new(file).entries().unwrap() {
            let mut entry = entry.unwrap();
            let path = entry.path().unwrap().to_string_lossy().into_owned();
            if path == dropped {
                continue;
            }
            let mut header = entry.header().clone();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            builder
                .append_data(&mut header, &path, bytes.as_slice())
                .unwrap();
        }
        builder.finish().unwrap();
    }
    mirror(&home, &dst)
        .arg(format!("docker-archive:{}", broken.display()))
        .arg(&to)
        .run()
        .code(4)
        .stderr_has(&format!("lacks the layer file `{dropped}`"));
    assert!(!crate::util::image::skopeo_exists(&dst, "edge/x:1"));

    // A multi-platform image needs --platform; the platforms are named.
    TestImage::multi(36, &[("linux", "amd64"), ("linux", "arm64")]).push(&src, "oss/m:1", false);
    let multi = dst.dir().join("multi.tar");
    mirror(&home, &dst)
        .arg(format!("{}/oss/m:1", src.addr))
        .arg(format!("docker-archive:{}", multi.display()))
        .run()
        .code(2)
        .stderr_has("linux/amd64, linux/arm64")
        .stderr_has("--platform");
    assert!(!multi.exists(), "nothing half-written");
    mirror(&home, &dst)
        .args(["--platform", "linux/arm64"])
        .arg(format!("{}/oss/m:1", src.addr))
        .arg(format!("docker-archive:{}", multi.display()))
        .ok();
    let out = skopeo(
        &dst,
        &[
            "inspect".into(),
            "--config".into(),
            "--raw".into(),
            format!("docker-archive:{}", multi.display()),
        ],
    );
    let config: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(config["architecture"], "arm64");
}

#[test]
fn a_64_mib_layer_is_streamed_not_held() {
    assert!(
        Path::new("/usr/bin/time").exists(),
        "GNU time measures the peak RSS: scripts/test.sh installs it (package `time`)"
    );
    let src = TestRegistry::plain();
    let home = Home::new();
    TestImage::single(37, &[64 * 1024 * 1024]).push(&src, "oss/big:1", false);
    let archive = src.dir().join("big.tar");
    skopeo_save(&src, "oss/big:1", &archive, "oss/big:1");
    let out = std::process::Command::new("/usr/bin/time")
        .arg("-v")
        .arg(crate::util::program())
        .args(["mirror", "--dst-plain-http", "-q"])
        .arg(format!("docker-archive:{}", archive.display()))
        .arg(format!("{}/oss/big-back:1", src.addr))
        .env("ASEECR_CONFIG_DIR", home.config_dir())
        .env("DOCKER_CONFIG", home.docker_dir())
        .env("HOME", home.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let kib: u64 = stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak RSS in {stderr}"));
    eprintln!("peak RSS {kib} KiB");
    assert!(kib < 40 * 1024, "peak RSS {kib} KiB for a 64 MiB layer");
    assert!(skopeo_pulls(&src, "oss/big-back:1"));
}

/// skopeo copies an image of the plain registry into `oci:DIR:x`.
fn skopeo_layout(src: &TestRegistry, image: &str, dir: &Path) {
    skopeo_copy(
        src,
        &[
            "--src-tls-verify=false".into(),
            format!("docker://{}/{image}", src.addr),
            format!("oci:{}:x", dir.display()),
        ],
    );
}

/// The config digest skopeo reads from `docker-archive:FILE:REF`.
fn skopeo_archive_config(registry: &TestRegistry, archive: &Path, reference: &str) -> String {
    let out = skopeo(
        registry,
        &[
            "inspect".into(),
            "--config".into(),
            "--raw".into(),
            format!("docker-archive:{}:{reference}", archive.display()),
        ],
    );
    assert!(
        out.status.success(),
        "skopeo inspect docker-archive:...:{reference}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    sha256_of(&out.stdout)
}

#[test]
fn a_docker_25_archive_is_read_by_repo_tag_and_by_index_with_its_digests() {
    let src = TestRegistry::plain();
    let dst = TestRegistry::edge();
    let home = Home::new();
    let work = tempfile::tempdir().unwrap();
    TestImage::single(51, &[200_000, 30_000]).push(&src, "oss/a:1", false);
    TestImage::single(52, &[100_000]).push(&src, "oss/b:2", false);
    TestImage::single(53, &[50_000]).push(&src, "oss/c:3", false);
    let layouts: Vec<_> = ["oss/a:1", "oss/b:2", "oss/c:3"]
        .iter()
        .enumerate()
        .map(|(i, image)| {
            let dir = work.path().join(format!("layout{i}"));
            skopeo_layout(&src, image, &dir);
            dir
        })
        .collect();
    let configs: Vec<String> = ["oss/a:1", "oss/b:2", "oss/c:3"]
        .iter()
        .map(|image| config_digest(&src, image))
        .collect();

    // The graph-driver store: uncompressed layers, a new OCI manifest per image;
    // the third image is untagged.
    let archive = work.path().join("docker25.tar");
    let digests = docker25_save(
        &[
            Saved {
                layout: &layouts[0],
                repo_tags: &["oss/a:1", "oss/a:latest"],
            },
            Saved {
                layout: &layouts[1],
                repo_tags: &["oss/b:2"],
            },
            Saved {
                layout: &layouts[2],
                repo_tags: &[],
            },
        ],
        &archive,
        true,
    );
    // skopeo (which reads manifest.json) agrees on what is in the fixture.
    assert_eq!(skopeo_archive_config(&dst, &archive, "oss/a:1"), configs[0]);
    assert_eq!(skopeo_archive_config(&dst, &archive, "@2"), configs[2]);

    // By RepoTag: the manifest as docker wrote it, layers uncompressed.
    mirror(&home, &dst)
        .arg(format!("docker-archive:{}:oss/a:1", archive.display()))
        .arg(format!("{}/d25/a:1", dst.addr))
        .ok();
    assert_eq!(
        crate::util::image::skopeo_digest(&dst, "d25/a:1"),
        digests[0]
    );
    assert_eq!(config_digest(&dst, "d25/a:1"), configs[0]);
    let pushed = manifest(&dst, "d25/a:1");
    assert_eq!(
        pushed["layers"][0]["mediaType"],
        "application/vnd.oci.image.layer.v1.tar"
    );
    assert!(skopeo_pulls(&dst, "d25/a:1"));
    // The other RepoTag of the same image, as docker.io/... too.
    mirror(&home, &dst)
        .arg(format!(
            "docker-archive:{}:docker.io/oss/a:latest",
            archive.display()
        ))
        .arg(format!("{}/d25/a:latest", dst.addr))
        .ok();
    assert_eq!(
        crate::util::image::skopeo_digest(&dst, "d25/a:latest"),
        digests[0]
    );

    // By index, as skopeo's docker-archive:FILE:@N: the Nth image of manifest.json.
    for (at, target) in [(1, "d25/b:2"), (2, "d25/c:3"), (0, "d25/a:0")] {
        mirror(&home, &dst)
            .arg(format!("docker-archive:{}:@{at}", archive.display()))
            .arg(format!("{}/{target}", dst.addr))
            .ok();
        assert_eq!(
            crate::util::image::skopeo_digest(&dst, target),
            digests[at],
            "@{at}"
        );
        assert_eq!(config_digest(&dst, target), configs[at], "@{at}");
    }
    mirror(&home, &dst)
        .arg(format!("docker-archive:{}:@3", archive.display()))
        .arg(format!("{}/d25/x:1", dst.addr))
        .run()
        .code(4)
        .stderr_has(&format!(
            "error: `docker-archive:{}` has no image @3: it holds 3 images (@0 to @2)",
            archive.display()
        ))
        .stderr_has("help: it has `@2`, `oss/a:1`, `oss/a:latest`, `oss/b:2`; write");
    assert!(!crate::util::image::skopeo_exists(&dst, "d25/x:1"));
    // No REF: which one? Every RepoTag, and the untagged one as @2.
    mirror(&home, &dst)
        .arg(format!("docker-archive:{}", archive.display()))
        .arg(format!("{}/d25/x:1", dst.addr))
        .run()
        .code(2)
        .stderr_has("`@2`, `oss/a:1`, `oss/a:latest`, `oss/b:2`");

    // --all-tags takes the tagged images; the untagged one is named, not pushed.
    mirror(&home, &dst)
        .arg("--all-tags")
        .arg(format!("docker-archive:{}", archive.display()))
        .arg("--to")
        .arg(format!("{}/all", dst.addr))
        .ok()
        .stderr_has(&format!(
            "warning: skipped @2 of `docker-archive:{0}`: it has no RepoTag (mirror it by itself: `docker-archive:{0}:@2 REGISTRY/REPOSITORY:TAG`)",
            archive.display()
        ));
    for (image, digest) in [
        ("oss/a:1", &digests[0]),
        ("oss/a:latest", &digests[0]),
        ("oss/b:2", &digests[1]),
    ] {
        assert_eq!(
            &crate::util::image::skopeo_digest(&dst, &format!("all/{image}")),
            digest
        );
    }
    // The containerd image store: layers and manifests as they were pulled
    // (gzip), so the digests are the registry's.
    let kept = work.path().join("docker25-containerd.tar");
    let digests = docker25_save(
        &[
            Saved {
                layout: &layouts[0],
                repo_tags: &["oss/a:1"],
            },
            Saved {
                layout: &layouts[1],
                repo_tags: &["oss/b:2"],
            },
        ],
        &kept,
        false,
    );
    assert_eq!(
        digests[1],
        crate::util::image::skopeo_digest(&src, "oss/b:2")
    );
    mirror(&home, &dst)
        .arg("--all-tags")
        .arg(format!("docker-archive:{}", kept.display()))
        .arg("--to")
        .arg(format!("{}/kept", dst.addr))
        .ok();
    for (image, digest) in ["oss/a:1", "oss/b:2"].iter().zip(&digests) {
        let target = format!("kept/{image}");
        assert_eq!(&crate::util::image::skopeo_digest(&dst, &target), digest);
        assert!(skopeo_pulls(&dst, &target));
    }
    mirror(&home, &dst)
        .arg(format!("docker-archive:{}:@1", kept.display()))
        .arg(format!("{}/kept/b:at1", dst.addr))
        .ok();
    assert_eq!(
        crate::util::image::skopeo_digest(&dst, "kept/b:at1"),
        digests[1]
    );
}

#[test]
fn a_classic_archive_is_read_by_index_and_an_index_out_of_range_is_named() {
    let src = TestRegistry::plain();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(54, &[10_000]).push(&src, "oss/a:1", false);
    TestImage::single(55, &[20_000]).push(&src, "oss/b:2", false);
    let list = dst.dir().join("images.txt");
    std::fs::write(&list, format!("{0}/oss/a:1\n{0}/oss/b:2\n", src.addr)).unwrap();
    let archive = dst.dir().join("two.tar");
    mirror(&home, &dst)
        .arg("-f")
        .arg(&list)
        .arg(format!("docker-archive:{}", archive.display()))
        .ok();
    // @N is the Nth image of manifest.json (in the order the images finished).
    let listed: serde_json::Value =
        serde_json::from_slice(&tar_file(&archive, "manifest.json").unwrap()).unwrap();
    for at in 0..2 {
        let image = listed[at]["RepoTags"][0].as_str().unwrap();
        let target = format!("idx/{at}:1");
        mirror(&home, &dst)
            .arg(format!("docker-archive:{}:@{at}", archive.display()))
            .arg(format!("{}/{target}", dst.addr))
            .ok();
        assert_eq!(config_digest(&dst, &target), config_digest(&src, image));
        // skopeo's @N picks the same image.
        assert_eq!(
            skopeo_archive_config(&dst, &archive, &format!("@{at}")),
            config_digest(&src, image)
        );
    }
    mirror(&home, &dst)
        .arg(format!("docker-archive:{}:@2", archive.display()))
        .arg(format!("{}/idx/x:1", dst.addr))
        .run()
        .code(4)
        .stderr_has(&format!(
            "error: `docker-archive:{}` has no image @2: it holds 2 images (@0 to @1)",
            archive.display()
        ))
        .stderr_has("help: it has `oss/a:1`, `oss/b:2`; write");
    assert!(!crate::util::image::skopeo_exists(&dst, "idx/x:1"));

    // The same archive with its second image untagged (as `docker save IMAGE-ID`
    // writes it): --all-tags takes the tagged one and names the other.
    let untagged = dst.dir().join("untagged.tar");
    {
        let mut listed = listed.clone();
        listed[1]["RepoTags"] = serde_json::Value::Null;
        let mut builder = tar::Builder::new(std::fs::File::create(&untagged).unwrap());
        let file = std::fs::File::open(&archive).unwrap();
        for entry in tar::Archive::new(file).entries().unwrap() {
            let mut entry = entry.unwrap();
            let path = entry.path().unwrap().to_string_lossy().into_owned();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            if path == "manifest.json" {
                bytes = serde_json::to_vec(&listed).unwrap();
            }
            let mut header = entry.header().clone();
            header.set_size(bytes.len() as u64);
            builder
                .append_data(&mut header, &path, bytes.as_slice())
                .unwrap();
        }
        builder.finish().unwrap();
    }
    let tagged = listed[0]["RepoTags"][0].as_str().unwrap();
    mirror(&home, &dst)
        .arg("--all-tags")
        .arg(format!("docker-archive:{}", untagged.display()))
        .arg("--to")
        .arg(format!("{}/all", dst.addr))
        .ok()
        .stderr_has(&format!(
            "warning: skipped @1 of `docker-archive:{}`: it has no RepoTag",
            untagged.display()
        ));
    assert_eq!(
        config_digest(&dst, &format!("all/{tagged}")),
        config_digest(&src, tagged)
    );
}
