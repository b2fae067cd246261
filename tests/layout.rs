//! mirror to and from OCI layouts (`oci:DIR`, `oci-archive:FILE`), checked with
//! skopeo: skopeo reads what aseecr writes and aseecr reads what skopeo writes.

use std::path::Path;
use std::time::{Duration, Instant};

use sha2::{Digest as _, Sha256};

use crate::util::image::{skopeo, skopeo_digest};
use crate::util::tmpfs::Tmpfs;
use crate::util::{Home, TestImage, TestRegistry};

fn source() -> TestRegistry {
    TestRegistry::plain()
}

/// `aseecr mirror` with the source over plain HTTP and the destination's CA and login.
fn mirror(home: &Home, dst: &TestRegistry) -> crate::util::Aseecr {
    crate::util::mirror_into(home, dst)
}

/// The manifest bytes skopeo reads from a layout reference (`oci:DIR:NAME`).
fn skopeo_layout_raw(registry: &TestRegistry, target: &str) -> Vec<u8> {
    let out = skopeo(registry, &["inspect".into(), "--raw".into(), target.into()]);
    assert!(
        out.status.success(),
        "skopeo inspect {target}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// skopeo copy from the plain-HTTP source registry to `target`.
fn skopeo_from(src: &TestRegistry, image: &str, target: &str) {
    let out = skopeo(
        src,
        &[
            "copy".into(),
            "--all".into(),
            "--src-tls-verify=false".into(),
            format!("docker://{}/{image}", src.addr),
            target.into(),
        ],
    );
    assert!(
        out.status.success(),
        "skopeo copy to {target}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The file names under `blobs/sha256` of a tar archive.
fn archive_blobs(archive: &Path) -> Vec<String> {
    let file = std::fs::File::open(archive).unwrap();
    let mut names = Vec::new();
    for entry in tar::Archive::new(file).entries().unwrap() {
        let entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        if entry.header().entry_type().is_file() && path.starts_with("blobs/sha256/") {
            names.push(path);
        }
    }
    names
}

#[test]
fn registry_to_directory_and_back_keeps_digests() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(80, &[300_000, 2_000_000]).push(&src, "oss/app:1.0", false);
    let digest_at_source = skopeo_digest(&src, "oss/app:1.0");
    let dir = dst.dir().join("layout");

    let out = mirror(&home, &dst)
        .arg(format!("docker://{}/oss/app:1.0", src.addr))
        .arg(format!("oci:{}:app", dir.display()))
        .ok();
    assert!(out.stdout.contains(&digest_at_source), "{}", out.stdout);
    // skopeo reads what aseecr wrote, byte for byte.
    let raw = skopeo_layout_raw(&dst, &format!("oci:{}:app", dir.display()));
    assert_eq!(digest(&raw), digest_at_source);
    // No temporary file is left among the blobs.
    let blobs: Vec<String> = std::fs::read_dir(dir.join("blobs/sha256"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(blobs.len(), 4, "{blobs:?}");
    assert!(blobs.iter().all(|b| b.len() == 64), "{blobs:?}");

    // A second run finds it there.
    mirror(&home, &dst)
        .arg(format!("{}/oss/app:1.0", src.addr))
        .arg(format!("oci:{}:app", dir.display()))
        .ok()
        .stdout_has("up to date");

    mirror(&home, &dst)
        .arg(format!("oci:{}:app", dir.display()))
        .arg(format!("{}/edge/app:1.0", dst.addr))
        .ok();
    assert_eq!(skopeo_digest(&dst, "edge/app:1.0"), digest_at_source);
}

#[test]
fn many_images_into_one_archive_store_shared_blobs_once() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    let image = TestImage::single(81, &[100_000, 50_000]);
    image.push(&src, "oss/a:1", false);
    image.push(&src, "oss/b:2", false);
    TestImage::multi(82, &[("linux", "amd64"), ("linux", "arm64")]).push(
        &src,
        "oss/multi:3",
        false,
    );
    let list = dst.dir().join("images.txt");
    std::fs::write(
        &list,
        format!("{0}/oss/a:1\n{0}/oss/b:2\n{0}/oss/multi:3\n", src.addr),
    )
    .unwrap();
    let archive = dst.dir().join("site-bundle.tar");

    let out = mirror(&home, &dst)
        .arg("-f")
        .arg(&list)
        .arg(format!("oci-archive:{}", archive.display()))
        .args(["--format", "json"])
        .ok();
    let report = out.json();
    assert_eq!(report["summary"]["succeeded"], 3, "{report}");
    // oss/a:1 and oss/b:2 are one image: manifest, config and two layers once.
    let single = archive_blobs(&archive);
    let mut unique = single.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(single.len(), unique.len());
    // No temporary directory is left beside the archive.
    let left: Vec<_> = std::fs::read_dir(dst.dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".aseecr"))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    // skopeo reads each image from the archive.
    for (name, image) in [("oss/a:1", "oss/a:1"), ("oss/multi:3", "oss/multi:3")] {
        let raw = skopeo_layout_raw(&dst, &format!("oci-archive:{}:{name}", archive.display()));
        assert_eq!(digest(&raw), skopeo_digest(&src, image));
    }
    let multi_image_blobs = {
        let dir = dst.dir().join("check");
        skopeo_from(&src, "oss/multi:3", &format!("oci:{}:m", dir.display()));
        std::fs::read_dir(dir.join("blobs/sha256")).unwrap().count()
    };
    // a (4 blobs, b the same) and the index's blobs, each once.
    assert_eq!(single.len(), 4 + multi_image_blobs, "{single:?}");

    // The whole release into a registry, under a prefix.
    mirror(&home, &dst)
        .arg(format!("oci-archive:{}", archive.display()))
        .arg("--all-tags")
        .arg("--to")
        .arg(format!("{}/site", dst.addr))
        .ok();
    for image in ["oss/a:1", "oss/b:2", "oss/multi:3"] {
        assert_eq!(
            skopeo_digest(&dst, &format!("site/{image}")),
            skopeo_digest(&src, image),
            "{image}"
        );
    }

    // One platform of the index: the child manifest itself.
    mirror(&home, &dst)
        .arg(format!("oci-archive:{}:oss/multi:3", archive.display()))
        .arg(format!("{}/one/multi:arm", dst.addr))
        .args(["--platform", "linux/arm64"])
        .ok();
    let index: serde_json::Value =
        serde_json::from_slice(&crate::util::image::skopeo_raw(&src, "oss/multi:3")).unwrap();
    let arm = index["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["platform"]["architecture"] == "arm64")
        .unwrap()["digest"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(skopeo_digest(&dst, "one/multi:arm"), arm);
}

#[test]
fn reads_what_skopeo_writes_and_skopeo_reads_the_archive_it_gets() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(83, &[500_000]).push(&src, "oss/tool:7", false);
    let expected = skopeo_digest(&src, "oss/tool:7");
    let from_skopeo = dst.dir().join("skopeo.tar");
    skopeo_from(
        &src,
        "oss/tool:7",
        &format!("oci-archive:{}:v7", from_skopeo.display()),
    );
    // A bare name has no repository: the destination names it.
    mirror(&home, &dst)
        .arg(format!("oci-archive:{}:v7", from_skopeo.display()))
        .arg(format!("{}/edge/tool", dst.addr))
        .ok();
    assert_eq!(skopeo_digest(&dst, "edge/tool:v7"), expected);

    // aseecr's archive, pushed by skopeo.
    let ours = dst.dir().join("ours.tar");
    mirror(&home, &dst)
        .arg(format!("{}/oss/tool:7", src.addr))
        .arg(format!("oci-archive:{}", ours.display()))
        .ok();
    let out = skopeo(
        &src,
        &[
            "copy".into(),
            "--dest-tls-verify=false".into(),
            format!("oci-archive:{}:oss/tool:7", ours.display()),
            format!("docker://{}/back/tool:7", src.addr),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(skopeo_digest(&src, "back/tool:7"), expected);

    // A dry run writes nothing.
    let planned = dst.dir().join("planned.tar");
    mirror(&home, &dst)
        .arg(format!("{}/oss/tool:7", src.addr))
        .arg(format!("oci-archive:{}", planned.display()))
        .arg("--dry-run")
        .ok()
        .stderr_has("dry run, nothing written");
    assert!(!planned.exists());
}

#[test]
fn bad_layouts_are_clear_errors() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(84, &[10_000]).push(&src, "oss/x:1", false);
    let not_tar = dst.dir().join("notes.tar");
    std::fs::write(&not_tar, "these are notes, not a tar archive\n".repeat(40)).unwrap();
    mirror(&home, &dst)
        .arg(format!("oci-archive:{}", not_tar.display()))
        .arg(format!("{}/x:1", dst.addr))
        .run()
        .code(2)
        .stderr_has("is not a tar archive")
        .stderr_has("help:");

    let dir = dst.dir().join("plain-dir");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("readme"), "x").unwrap();
    mirror(&home, &dst)
        .arg(format!("oci:{}:1", dir.display()))
        .arg(format!("{}/x:1", dst.addr))
        .run()
        .code(2)
        .stderr_has("is not an OCI image layout");

    let layout = dst.dir().join("layout");
    skopeo_from(&src, "oss/x:1", &format!("oci:{}:one", layout.display()));
    mirror(&home, &dst)
        .arg(format!("oci:{}:two", layout.display()))
        .arg(format!("{}/x:1", dst.addr))
        .run()
        .code(4)
        .stderr_has("has no image named `two`")
        .stderr_has("`one`");

    // A missing layer: the layout is incomplete, and nothing is pushed.
    let manifest: serde_json::Value = serde_json::from_slice(&skopeo_layout_raw(
        &dst,
        &format!("oci:{}:one", layout.display()),
    ))
    .unwrap();
    let layer = manifest["layers"][0]["digest"].as_str().unwrap();
    std::fs::remove_file(layout.join("blobs/sha256").join(&layer["sha256:".len()..])).unwrap();
    mirror(&home, &dst)
        .arg(format!("oci:{}:one", layout.display()))
        .arg(format!("{}/x:1", dst.addr))
        .run()
        .code(4)
        .stderr_has(&format!("lacks blob {layer}"));
    assert!(!crate::util::image::skopeo_exists(&dst, "x:1"));
}

/// The names in `dir`.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The modification time of `dir`: it changes when an entry is created or
/// removed there, so an unchanged time means nothing came and went.
fn mtime(dir: &Path) -> std::time::SystemTime {
    std::fs::metadata(dir).unwrap().modified().unwrap()
}

/// Start `command`, wait until `writing` says blobs are being written, let it
/// copy a little longer, send SIGINT; its exit code and stderr without the
/// plain-HTTP warning.
#[cfg(unix)]
fn interrupt_while(command: crate::util::Aseecr, writing: impl Fn() -> bool) -> (i32, Vec<String>) {
    let child = command.spawn();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !writing() {
        assert!(Instant::now() < deadline, "the copy never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(700));
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines = stderr
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("warning: talking plain HTTP"))
        .map(str::to_owned)
        .collect();
    (output.status.code().unwrap_or(-1), lines)
}

/// A file's permission bits.
#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Ctrl-C while an archive is being written (slowed by --limit-rate, so it is
/// mid-copy; its temporary layout private meanwhile): exit 130 with one line, no archive (an earlier one unchanged) and
/// no temporary directory or file left. Into a layout directory: exit 130 with
/// one line, no image named; a rerun completes either.
#[cfg(unix)]
#[test]
fn ctrl_c_while_writing_an_archive_or_a_layout_exits_130_and_a_rerun_completes() {
    let src = source();
    let home = Home::new();
    TestImage::single(86, &[10_000]).push(&src, "oss/small:1", false);
    TestImage::single(87, &[3_000_000, 3_000_000]).push(&src, "oss/big:1", false);
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("out");
    std::fs::create_dir(&dir).unwrap();
    let archive = dir.join("bundle.tar");
    let plain = || home.aseecr().args(["mirror", "--src-plain-http"]);
    plain()
        .arg(format!("{}/oss/small:1", src.addr))
        .arg(format!("oci-archive:{}", archive.display()))
        .ok();
    let before = std::fs::read(&archive).unwrap();

    for existing in [true, false] {
        if !existing {
            std::fs::remove_file(&archive).unwrap();
        }
        // Blobs are being written into the temporary layout.
        let writing = || {
            names_in(&dir)
                .iter()
                .filter(|n| n.starts_with(".aseecr-layout-"))
                .any(|temp| {
                    let blobs = dir.join(temp).join("blobs/sha256");
                    let started = std::fs::read_dir(&blobs).is_ok_and(|mut d| d.next().is_some());
                    // Private while the run lasts: the folder 0700, its blobs 0600
                    // (Unix modes; the Windows build under wine has none to check).
                    if started && !crate::util::windows_target() {
                        assert_eq!(mode(&dir.join(temp)), 0o700, "{temp}");
                        for blob in std::fs::read_dir(&blobs).unwrap().flatten() {
                            assert_eq!(mode(&blob.path()), 0o600, "{:?}", blob.path());
                        }
                    }
                    started
                })
        };
        let (code, lines) = interrupt_while(
            plain()
                .args(["--limit-rate", "1M"])
                .arg(format!("{}/oss/big:1", src.addr))
                .arg(format!("oci-archive:{}", archive.display())),
            writing,
        );
        assert_eq!(code, 130, "{lines:?}");
        assert_eq!(
            lines,
            [format!(
                "interrupted: 0 of 1 image mirrored, `oci-archive:{}` not written; run the same command again to continue",
                archive.display()
            )]
        );
        if existing {
            assert_eq!(names_in(&dir), ["bundle.tar"]);
            assert!(
                std::fs::read(&archive).unwrap() == before,
                "the old archive changed"
            );
        } else {
            assert_eq!(names_in(&dir), Vec::<String>::new());
        }
    }
    // A rerun writes it whole.
    plain()
        .arg(format!("{}/oss/big:1", src.addr))
        .arg(format!("oci-archive:{}", archive.display()))
        .ok();
    let raw = skopeo_layout_raw(
        &src,
        &format!("oci-archive:{}:oss/big:1", archive.display()),
    );
    assert_eq!(digest(&raw), skopeo_digest(&src, "oss/big:1"));
    assert_eq!(names_in(&dir), ["bundle.tar"]);

    // A layout directory.
    let layout = work.path().join("layout");
    let blobs = layout.join("blobs/sha256");
    let (code, lines) = interrupt_while(
        plain()
            .args(["--limit-rate", "1M"])
            .arg(format!("{}/oss/big:1", src.addr))
            .arg(format!("oci:{}", layout.display())),
        || std::fs::read_dir(&blobs).is_ok_and(|mut d| d.next().is_some()),
    );
    assert_eq!(code, 130, "{lines:?}");
    assert_eq!(
        lines,
        [format!(
            "interrupted: 0 of 1 image mirrored into `oci:{}`; run the same command again to continue",
            layout.display()
        )]
    );
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(layout.join("index.json")).unwrap()).unwrap();
    assert_eq!(
        index["manifests"],
        serde_json::json!([]),
        "no image is named"
    );
    plain()
        .arg(format!("{}/oss/big:1", src.addr))
        .arg(format!("oci:{}", layout.display()))
        .ok();
    let raw = skopeo_layout_raw(&src, &format!("oci:{}:oss/big:1", layout.display()));
    assert_eq!(digest(&raw), skopeo_digest(&src, "oss/big:1"));
    let mut left = names_in(&blobs);
    left.retain(|name| name.len() != 64);
    assert_eq!(left, Vec::<String>::new(), "temporary files are left");
}

/// A dry run into an archive or a new layout directory creates nothing, not
/// even for a moment (the directory's modification time stays).
#[test]
fn a_dry_run_into_an_archive_or_an_empty_directory_creates_nothing() {
    let src = source();
    let home = Home::new();
    TestImage::single(88, &[20_000]).push(&src, "oss/tool:9", false);
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("out");
    std::fs::create_dir(&dir).unwrap();
    let archive = dir.join("bundle.tar");
    let run = |target: String| {
        home.aseecr()
            .args(["mirror", "--src-plain-http", "--dry-run"])
            .arg(format!("{}/oss/tool:9", src.addr))
            .arg(target)
    };
    // No archive yet, then an existing one (written for real first).
    for existing in [false, true] {
        if existing {
            home.aseecr()
                .args(["mirror", "--src-plain-http"])
                .arg(format!("{}/oss/tool:9", src.addr))
                .arg(format!("oci-archive:{}", archive.display()))
                .ok();
        }
        let listed = names_in(&dir);
        std::thread::sleep(Duration::from_millis(20));
        let since = mtime(&dir);
        for target in [
            format!("oci-archive:{}", archive.display()),
            format!("docker-archive:{}", archive.display()),
        ] {
            run(target).ok().stderr_has("dry run, nothing written");
        }
        assert_eq!(names_in(&dir), listed);
        assert_eq!(
            mtime(&dir),
            since,
            "something was created and removed in {dir:?}"
        );
    }
    // An empty directory stays empty.
    let empty = work.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let since = mtime(&empty);
    run(format!("oci:{}", empty.display()))
        .ok()
        .stderr_has("dry run, nothing written");
    assert_eq!(names_in(&empty), Vec::<String>::new());
    assert_eq!(mtime(&empty), since);
}

/// Every file under `dir`, relative, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                walk(root, &path, found);
            } else {
                found.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut found = Vec::new();
    walk(dir, dir, &mut found);
    found.sort();
    found
}

/// The one `error:` line and the `help:` about space of a run that filled the disk.
fn check_disk_full(out: crate::util::cmd::Output) -> String {
    let out = out.code(1);
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", out.stderr);
    // The file that could not be written and why: on the error line or its one
    // `caused by:` line.
    assert!(
        out.stderr.contains("No space left on device"),
        "{}",
        out.stderr
    );
    out.stderr_has(
        "help: free space on that disk (or write elsewhere) and run the same command again",
    )
    .stderr
}

/// A disk that fills up while a layout, or an archive, is written: exit 1, one
/// `error:` line with a `help:` about space, no image half-named and nothing an
/// archive leaves; after making room the same command completes, skopeo reads
/// the result with the source's digests, and no temporary file remains.
#[test]
fn a_full_disk_fails_cleanly_and_a_rerun_after_making_room_completes() {
    let src = source();
    let home = Home::new();
    // 3 MB that do not compress: more than a 2 MiB disk holds.
    TestImage::single(89, &[1_500_000, 1_500_000]).push(&src, "oss/big:1", false);
    let expected = skopeo_digest(&src, "oss/big:1");
    let run = |target: String| {
        home.aseecr()
            .args(["mirror", "--src-plain-http"])
            .arg(format!("{}/oss/big:1", src.addr))
            .arg(target)
    };

    // A layout directory: the blobs do not fit.
    let disk = Tmpfs::mount("2m");
    let layout = disk.path().join("layout");
    check_disk_full(run(format!("oci:{}", layout.display())).run());
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(layout.join("index.json")).unwrap()).unwrap();
    assert_eq!(
        index["manifests"],
        serde_json::json!([]),
        "no image is named"
    );
    // Whatever is left is whole blobs, or the start of one in `HEX.partial`
    // for the rerun to continue (the layout writer may keep those), or nothing.
    for file in files_under(&layout.join("blobs")) {
        let hex = file.trim_start_matches("sha256/");
        if let Some(hex) = hex.strip_suffix(".partial") {
            assert_eq!(hex.len(), 64, "{file}");
            continue;
        }
        let bytes = std::fs::read(layout.join("blobs").join(&file)).unwrap();
        assert_eq!(
            digest(&bytes),
            format!("sha256:{hex}"),
            "{file} is not a whole blob"
        );
    }
    disk.grow("64m");
    run(format!("oci:{}", layout.display())).ok();
    let raw = skopeo_layout_raw(&src, &format!("oci:{}:oss/big:1", layout.display()));
    assert_eq!(digest(&raw), expected);
    let files = files_under(disk.path());
    assert!(
        files.iter().all(|f| f == "layout/index.json"
            || f == "layout/oci-layout"
            || f.strip_prefix("layout/blobs/sha256/")
                .is_some_and(|h| h.len() == 64)),
        "{files:?}"
    );
    assert_eq!(files.len(), 2 + 4, "{files:?}");
    drop(disk);

    // An archive: its temporary layout does not fit, then (4 MiB) the layout
    // fits but the tar beside it does not. Nothing is left either time.
    for size in ["2m", "4m"] {
        let disk = Tmpfs::mount(size);
        let archive = disk.path().join("bundle.tar");
        let stderr = check_disk_full(run(format!("oci-archive:{}", archive.display())).run());
        // 2 MiB: a blob of the temporary layout; 4 MiB: the tar beside it.
        let failed = if size == "2m" {
            "/blobs/sha256/"
        } else {
            "/bundle.tar"
        };
        assert!(stderr.contains(failed), "{size}: {stderr}");
        assert_eq!(files_under(disk.path()), Vec::<String>::new(), "{size}");
        disk.grow("64m");
        run(format!("oci-archive:{}", archive.display())).ok();
        let raw = skopeo_layout_raw(
            &src,
            &format!("oci-archive:{}:oss/big:1", archive.display()),
        );
        assert_eq!(digest(&raw), expected);
        assert_eq!(files_under(disk.path()), ["bundle.tar"], "{size}");
    }
}
