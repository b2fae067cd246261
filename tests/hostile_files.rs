//! Hostile local files: crafted archives (oversized tar extension entries, one
//! layer listed many times), FIFOs and links planted where aseecr reads or
//! writes its own files, a layout blob with the wrong bytes, and several runs
//! writing one layout at once.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest as _, Sha256};

use crate::util::image::skopeo;
use crate::util::{Home, TestImage, TestRegistry};

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// What a finished run printed and its exit code.
struct Finished {
    code: i32,
    stderr: String,
}

/// Wait for `child` at most `limit`: a run still going then is killed and the
/// test fails (a run that waits on a FIFO would hang for ever).
fn finish_within(mut child: Child, limit: Duration, what: &str) -> Finished {
    let mut stderr = child.stderr.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {limit:?}, killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = out.join();
    Finished {
        code: status.code().unwrap_or(-1),
        stderr: err.join().unwrap(),
    }
}

/// A copy of `image`'s OCI layout in `dir`, its image named `name`.
fn named_layout(image: &TestImage, dir: &Path, name: &str) {
    let from = image.layout();
    std::fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
    std::fs::copy(from.join("oci-layout"), dir.join("oci-layout")).unwrap();
    for entry in std::fs::read_dir(from.join("blobs/sha256")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(
            entry.path(),
            dir.join("blobs/sha256").join(entry.file_name()),
        )
        .unwrap();
    }
    let mut index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(from.join("index.json")).unwrap()).unwrap();
    index["manifests"][0]["annotations"] =
        serde_json::json!({ "org.opencontainers.image.ref.name": name });
    std::fs::write(dir.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
}

/// An empty layout (what `skopeo` or aseecr start one with).
fn empty_layout(dir: &Path) {
    std::fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    std::fs::write(
        dir.join("index.json"),
        br#"{"schemaVersion":2,"manifests":[]}"#,
    )
    .unwrap();
}

/// The layer digests of the one image of `image`'s layout.
fn layers_of(image: &TestImage) -> Vec<String> {
    let dir = image.layout();
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap();
    let digest = index["manifests"][0]["digest"].as_str().unwrap();
    let hex = digest.strip_prefix("sha256:").unwrap();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("blobs/sha256").join(hex)).unwrap())
            .unwrap();
    manifest["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["digest"].as_str().unwrap().to_owned())
        .collect()
}

fn blob_file(layout: &Path, digest: &str) -> PathBuf {
    layout
        .join("blobs/sha256")
        .join(digest.strip_prefix("sha256:").unwrap())
}

/// The names of `index.json` in the layout at `dir`.
fn names_in(dir: &Path) -> Vec<String> {
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap();
    let mut names: Vec<String> = index["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["annotations"]["org.opencontainers.image.ref.name"].as_str())
        .map(str::to_owned)
        .collect();
    names.sort();
    names
}

/// A tar header of `kind` declaring `size` bytes.
fn header(name: &str, kind: u8, size: u64) -> Vec<u8> {
    let mut header = tar::Header::new_gnu();
    header.set_path(name).unwrap();
    header.set_entry_type(tar::EntryType::new(kind));
    header.set_size(size);
    header.set_mode(0o644);
    header.set_cksum();
    header.as_bytes().to_vec()
}

/// A crafted archive: an extension entry of `kind` declaring 8 GiB, which the
/// file holds (as zeros, a sparse file that takes no disk), then a regular file.
fn oversized_extension_tar(path: &Path, kind: u8) {
    const DECLARED: u64 = 8 << 30;
    let mut bytes = header("././@LongLink", kind, DECLARED);
    bytes.resize(512 + 4096, b'a');
    std::fs::write(path, &bytes).unwrap();
    let file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    file.set_len(512 + DECLARED).unwrap();
    drop(file);
    let mut tail = header("index.json", b'0', 2);
    tail.extend_from_slice(b"{}");
    tail.resize(1024 + 1024, 0);
    let mut file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    std::io::Write::write_all(&mut file, &tail).unwrap();
}

/// An archive whose GNU long name, long link or PAX header declares gigabytes is
/// refused from its header, with the limit and a help line, before any of it is
/// read: the run stays within 1 GiB of address space (without the bound it reads
/// the entry whole and runs out of memory).
#[test]
fn an_oversized_tar_extension_entry_is_refused_before_it_is_read() {
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    for (transport, kind) in [
        ("oci-archive", b'L'),
        ("docker-archive", b'x'),
        ("oci-archive", b'K'),
        ("docker-archive", b'g'),
    ] {
        let archive = dir
            .path()
            .join(format!("{}-{}.tar", transport, kind as char));
        oversized_extension_tar(&archive, kind);
        let mut command = if crate::util::windows_target() {
            Command::new(crate::util::program())
        } else {
            let mut command = Command::new("prlimit");
            command
                .arg(format!("--as={}", 1u64 << 30))
                .arg("--")
                .arg(crate::util::program());
            command
        };
        command
            .arg("mirror")
            .arg(format!("{transport}:{}", archive.display()))
            .arg(format!("oci:{}:x", out.display()))
            .env("ASEECR_CONFIG_DIR", home.config_dir())
            .env("DOCKER_CONFIG", home.docker_dir())
            .env("HOME", home.path())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let run = finish_within(command.spawn().unwrap(), Duration::from_secs(60), transport);
        let what = format!("{transport} with a `{}` entry", kind as char);
        assert_eq!(run.code, 2, "{what}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "error: `{}` holds a tar extension entry larger than 1 MiB, aseecr's limit for the long name or PAX header of a tar entry",
                archive.display()
            )),
            "{what}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("help: such an entry holds a path"),
            "{what}: {}",
            run.stderr
        );
        assert!(!out.exists(), "{what}: nothing written");
    }
}

/// A classic docker archive whose manifest.json lists one layer file 40 times
/// (and its config 40 diff_ids): the layer is read and gzipped once, the image
/// is written with its 40 layer entries and one layer blob.
#[test]
fn a_layer_listed_many_times_in_a_docker_archive_is_gzipped_once() {
    const TIMES: usize = 40;
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let mut layer = tar::Builder::new(Vec::new());
    let mut file = tar::Header::new_gnu();
    let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7919 % 251) as u8).collect();
    file.set_size(data.len() as u64);
    file.set_mode(0o644);
    file.set_cksum();
    layer
        .append_data(&mut file, "data.bin", data.as_slice())
        .unwrap();
    let layer = layer.into_inner().unwrap();
    let diff_id = sha256(&layer);
    let config = serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64",
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": vec![diff_id; TIMES]},
    }))
    .unwrap();
    let manifest = serde_json::to_vec(&serde_json::json!([{
        "Config": "config.json",
        "RepoTags": ["oss/repeat:1"],
        "Layers": vec!["layer.tar"; TIMES],
    }]))
    .unwrap();
    let archive = dir.path().join("repeat.tar");
    let mut builder = tar::Builder::new(std::fs::File::create(&archive).unwrap());
    for (name, bytes) in [
        ("config.json", &config),
        ("layer.tar", &layer),
        ("manifest.json", &manifest),
    ] {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, name, bytes.as_slice())
            .unwrap();
    }
    builder.finish().unwrap();
    drop(builder);

    let layout = dir.path().join("layout");
    let out = home
        .aseecr()
        .args(["-v", "mirror"])
        .arg(format!("docker-archive:{}", archive.display()))
        .arg(format!("oci:{}:repeat", layout.display()))
        .ok();
    let hashed = out
        .stderr
        .lines()
        .filter(|l| l.contains("hashing layer `layer.tar`"))
        .count();
    assert_eq!(hashed, 1, "{}", out.stderr);
    // Written: the manifest lists the layer 40 times; the layout holds it once
    // (manifest, config, layer).
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(layout.join("index.json")).unwrap()).unwrap();
    let digest = index["manifests"][0]["digest"].as_str().unwrap();
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(blob_file(&layout, digest)).unwrap()).unwrap();
    let layers = written["layers"].as_array().unwrap();
    assert_eq!(layers.len(), TIMES);
    assert!(layers.iter().all(|l| l["digest"] == layers[0]["digest"]));
    assert_eq!(
        std::fs::read_dir(layout.join("blobs/sha256"))
            .unwrap()
            .count(),
        3
    );
}

/// A FIFO where aseecr reads a file of its own or of a layout (a source
/// layout's index.json, a layer blob, the record of replaced digests) fails the
/// run at once, naming it; a FIFO in place of an upload journal entry is
/// ignored and the blob uploaded. Without the check each run waits for ever
/// for a writer to open the FIFO.
#[cfg(unix)]
#[test]
fn a_fifo_in_place_of_a_file_fails_or_is_ignored_without_waiting() {
    let limit = Duration::from_secs(30);
    let mkfifo = |path: &Path| {
        let _ = std::fs::remove_file(path);
        let status = Command::new("mkfifo").arg(path).status().unwrap();
        assert!(status.success(), "mkfifo {}", path.display());
    };
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let image = TestImage::single(2001, &[20_000]);
    let layer = layers_of(&image).remove(0);
    let copy = |from: &Path, what: &str| {
        let child = home
            .aseecr()
            .arg("mirror")
            .arg(format!("oci:{}:x", from.display()))
            .arg(format!("oci:{}:x", dir.path().join("out").display()))
            .spawn();
        finish_within(child, limit, what)
    };

    // A source layout's index.json.
    let index_fifo = dir.path().join("index-fifo");
    named_layout(&image, &index_fifo, "x");
    mkfifo(&index_fifo.join("index.json"));
    let run = copy(&index_fifo, "index.json");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "error: cannot read `oci:{}/index.json`: it is a FIFO, not a regular file",
            index_fifo.display()
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("help: a layout holds regular files only")
    );

    // A layer blob of a source layout.
    let blob_fifo = dir.path().join("blob-fifo");
    named_layout(&image, &blob_fifo, "x");
    mkfifo(&blob_file(&blob_fifo, &layer));
    let run = copy(&blob_fifo, "a layer blob");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("it is a FIFO, not a regular file")
            && run.stderr.contains(layer.strip_prefix("sha256:").unwrap()),
        "{}",
        run.stderr
    );
    assert!(names_in(&dir.path().join("out")).is_empty());

    // The record of replaced digests, which `prune --untagged` reads.
    let src = TestRegistry::plain();
    image.push(&src, "app:1", false);
    let record = home.config_dir().join("replaced.json");
    mkfifo(&record);
    let child = home
        .aseecr()
        .args(["prune", "--plain-http", "--untagged", "--dry-run"])
        .arg(format!("{}/app", src.addr))
        .spawn();
    let run = finish_within(child, limit, "replaced.json");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "error: cannot read record of replaced digests `{}`: it is a FIFO, not a regular file",
            record.display()
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("help: aseecr keeps this file small; move it away")
    );
    std::fs::remove_file(&record).unwrap();

    // An upload journal entry of a blob large enough to be uploaded resumably
    // (32 MiB): not a session to continue; the blob is uploaded whole.
    let dst = TestRegistry::plain();
    let big = TestImage::single(2002, &[33 << 20]);
    big.push(&src, "big:1", false);
    let big_layer = layers_of(&big).remove(0);
    let key = Sha256::digest(format!("{}\nbig\n{big_layer}", dst.addr).as_bytes());
    let uploads = home.config_dir().join("uploads");
    std::fs::create_dir_all(&uploads).unwrap();
    let journal = uploads.join(format!("{}.json", hex::encode(&key[..12])));
    mkfifo(&journal);
    let child = home
        .aseecr()
        .args(["mirror", "--src-plain-http", "--dst-plain-http"])
        .arg(format!("{}/big:1", src.addr))
        .arg(format!("{}/big:1", dst.addr))
        .spawn();
    let run = finish_within(child, limit, "an upload journal entry");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        crate::util::image::skopeo_digest(&dst, "big:1"),
        big.digest()
    );
}

/// A `.partial` file planted in a layout as a symbolic link (or a hard link)
/// to a file elsewhere: aseecr never writes through it. The run removes it,
/// writes the blob anew, and the file it pointed at is unchanged.
#[cfg(unix)]
#[test]
fn a_planted_partial_link_is_not_written_through() {
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let src = TestRegistry::plain();
    let image = TestImage::single(2003, &[300_000, 200_000]);
    image.push(&src, "app:1", false);
    let layers = layers_of(&image);
    let victims = dir.path().join("victims");
    std::fs::create_dir(&victims).unwrap();
    let layout = dir.path().join("layout");
    empty_layout(&layout);
    let precious = b"precious data that no layout owns\n".repeat(1000);
    // The first layer's partial file is a symbolic link, the second's a hard link.
    for (at, layer) in layers.iter().enumerate() {
        let victim = victims.join(format!("victim-{at}"));
        std::fs::write(&victim, &precious).unwrap();
        let partial = layout.join("blobs/sha256").join(format!(
            "{}.partial",
            layer.strip_prefix("sha256:").unwrap()
        ));
        if at == 0 {
            std::os::unix::fs::symlink(&victim, &partial).unwrap();
        } else {
            std::fs::hard_link(&victim, &partial).unwrap();
        }
    }
    let out = home
        .aseecr()
        .args(["mirror", "--src-plain-http"])
        .arg(format!("{}/app:1", src.addr))
        .arg(format!("oci:{}:app", layout.display()))
        .run();
    for at in 0..layers.len() {
        let victim = victims.join(format!("victim-{at}"));
        assert!(
            std::fs::read(&victim).unwrap() == precious,
            "{victim:?} changed: {}",
            out.stderr
        );
    }
    out.code(0);
    for layer in &layers {
        let path = blob_file(&layout, layer);
        let meta = std::fs::symlink_metadata(&path).unwrap();
        assert!(meta.is_file(), "{path:?}");
        assert_eq!(&sha256(&std::fs::read(&path).unwrap()), layer);
    }
    // skopeo reads the layout aseecr wrote.
    let out = skopeo(
        &src,
        &[
            "inspect".into(),
            "--raw".into(),
            format!("oci:{}:app", layout.display()),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(sha256(&out.stdout), image.digest());
}

/// Six runs writing six images into one layout at once: every name is in
/// index.json afterwards (each run locks it across processes while it adds
/// its name), and skopeo reads every image. Two rounds, into a new layout and
/// into the same one again.
#[test]
fn concurrent_runs_into_one_layout_keep_every_name() {
    const RUNS: usize = 6;
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let src = TestRegistry::plain();
    let images: Vec<TestImage> = (0..RUNS)
        .map(|at| {
            let image = TestImage::single(2010 + at as u64, &[40_000 + at * 1000]);
            image.push(&src, &format!("app{at}:1"), false);
            image
        })
        .collect();
    let layout = dir.path().join("shared");
    let mut expected = Vec::new();
    for round in 0..2 {
        let children: Vec<Child> = (0..RUNS)
            .map(|at| {
                home.aseecr()
                    .args(["mirror", "--src-plain-http"])
                    .arg(format!("{}/app{at}:1", src.addr))
                    .arg(format!("oci:{}:app{at}-{round}", layout.display()))
                    .spawn()
            })
            .collect();
        for (at, child) in children.into_iter().enumerate() {
            let run = finish_within(child, Duration::from_secs(120), "a concurrent run");
            assert_eq!(run.code, 0, "run {at} of round {round}: {}", run.stderr);
            expected.push(format!("app{at}-{round}"));
        }
        expected.sort();
        assert_eq!(names_in(&layout), expected, "after round {round}");
    }
    for round in 0..2 {
        for (at, image) in images.iter().enumerate() {
            let out = skopeo(
                &src,
                &[
                    "inspect".into(),
                    "--raw".into(),
                    format!("oci:{}:app{at}-{round}", layout.display()),
                ],
            );
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(sha256(&out.stdout), image.digest());
        }
    }
}

/// A layout blob of the right size whose bytes are not the blob's (damaged or
/// planted) is not taken as present: it is written again, so the image a later
/// run names there is whole.
#[test]
fn a_layout_blob_with_the_right_size_and_wrong_bytes_is_written_again() {
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let src = TestRegistry::plain();
    let image = TestImage::single(2020, &[250_000]);
    image.push(&src, "app:1", false);
    let layer = layers_of(&image).remove(0);
    let size = image.blobs()[&layer] as usize;
    let layout = dir.path().join("layout");
    empty_layout(&layout);
    let path = blob_file(&layout, &layer);
    std::fs::write(&path, vec![0x5au8; size]).unwrap();
    home.aseecr()
        .args(["mirror", "--src-plain-http"])
        .arg(format!("{}/app:1", src.addr))
        .arg(format!("oci:{}:app", layout.display()))
        .ok();
    assert_eq!(sha256(&std::fs::read(&path).unwrap()), layer);
    // The layout is whole: it goes back to a registry with the same digest.
    home.aseecr()
        .args(["mirror", "--dst-plain-http"])
        .arg(format!("oci:{}:app", layout.display()))
        .arg(format!("{}/back:1", src.addr))
        .ok();
    assert_eq!(
        crate::util::image::skopeo_digest(&src, "back:1"),
        image.digest()
    );
}
