//! Resumed transfers: a `mirror` killed with SIGKILL in the middle of a large
//! layer continues on the rerun from what it had, instead of starting the
//! layer again; the bytes the source sends on the rerun are counted by the
//! test proxy in front of it.

#![cfg(unix)]

use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use sha2::Digest;

use crate::util::image::layer_digests;
use crate::util::proxy::{Behaviour, Proxy};
use crate::util::{Home, TestImage, TestRegistry};

const LAYER: usize = 24 << 20;

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// Wait until `path` holds at least `bytes`, then kill the child with SIGKILL.
fn kill_when_written(mut child: std::process::Child, path: &Path, bytes: u64) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(60);
    while file_len(path) < bytes {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("mirror ended ({status}) before it wrote {bytes} bytes");
        }
        assert!(Instant::now() < deadline, "{} never grew", path.display());
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    file_len(path)
}

#[test]
fn a_layout_download_killed_at_90_percent_fetches_only_the_rest() {
    let src = TestRegistry::plain();
    let home = Home::new();
    TestImage::single(601, &[LAYER, 20_000]).push(&src, "big:1", false);
    let layer = layer_digests(&src, "big:1").into_iter().next().unwrap();
    let proxy = Proxy::start(&src.addr, Behaviour::default());
    let layout = home.path().join("site");
    let mirror = || {
        home.aseecr()
            .args(["mirror", "--src-plain-http"])
            .arg(format!("{}/big:1", proxy.addr))
            .arg(format!("oci:{}:big:1", layout.display()))
    };
    let hex = layer.strip_prefix("sha256:").unwrap();
    let partial = layout.join(format!("blobs/sha256/{hex}.partial"));

    // 4 MiB/s: the layer takes 6 s; killed once 90% is on disk.
    let child = mirror().args(["--limit-rate", "4M"]).spawn();
    let kept = kill_when_written(child, &partial, LAYER as u64 * 9 / 10);
    assert!(kept < LAYER as u64, "{kept}");
    assert!(!layout.join(format!("blobs/sha256/{hex}")).exists());
    let first_run = proxy.stats.blob_bytes.load(Ordering::SeqCst);

    let out = mirror().ok();
    assert!(
        out.stderr.is_empty() || !out.stderr.contains("error"),
        "{}",
        out.stderr
    );
    let rerun = proxy.stats.blob_bytes.load(Ordering::SeqCst) - first_run;
    // The rest of the layer (about 10%) and the small blobs, nothing more.
    assert!(
        rerun as u64 <= LAYER as u64 * 15 / 100,
        "the rerun fetched {rerun} bytes of a {LAYER}-byte layer"
    );
    let ranges = proxy.stats.blob_ranges.lock().unwrap().clone();
    assert!(
        ranges
            .iter()
            .any(|r| r.starts_with("bytes=") && r != "bytes=0-0"),
        "{ranges:?}"
    );
    // The layer is whole and right, and no partial file is left.
    let written = std::fs::read(layout.join(format!("blobs/sha256/{hex}"))).unwrap();
    assert_eq!(format!("{:x}", sha2::Sha256::digest(&written)), hex);
    assert!(!partial.exists());
    // skopeo reads the layout it made.
    let check = crate::util::image::skopeo(
        &src,
        &[
            "inspect".into(),
            "--raw".into(),
            format!("oci:{}:big:1", layout.display()),
        ],
    );
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

/// A partial file whose bytes are not the blob's (changed on disk) is found out
/// by the digest check at the end: it is removed and the blob fetched whole
/// again in the same run, without blaming the source.
#[test]
fn a_damaged_partial_file_is_fetched_again_whole() {
    let src = TestRegistry::plain();
    let home = Home::new();
    TestImage::single(602, &[3 << 20]).push(&src, "small:1", false);
    let layer = layer_digests(&src, "small:1").into_iter().next().unwrap();
    let hex = layer.strip_prefix("sha256:").unwrap();
    TestImage::single(603, &[1_000]).push(&src, "tiny:1", false);
    let layout = home.path().join("site");
    home.aseecr()
        .args(["mirror", "--src-plain-http"])
        .arg(format!("{}/tiny:1", src.addr))
        .arg(format!("oci:{}:tiny:1", layout.display()))
        .ok();
    let dir = layout.join("blobs/sha256");
    std::fs::write(dir.join(format!("{hex}.partial")), vec![0x55u8; 1 << 20]).unwrap();
    let mirror = || {
        home.aseecr()
            .args(["mirror", "--src-plain-http"])
            .arg(format!("{}/small:1", src.addr))
            .arg(format!("oci:{}:small:1", layout.display()))
    };
    let out = mirror().ok();
    assert!(!out.stderr.contains("mismatch"), "{}", out.stderr);
    assert!(!dir.join(format!("{hex}.partial")).exists());
    let written = std::fs::read(dir.join(hex)).unwrap();
    assert_eq!(format!("{:x}", sha2::Sha256::digest(&written)), hex);
}

/// The largest `data` file of the registry's upload sessions.
fn upload_data(registry: &TestRegistry) -> u64 {
    registry
        .leftover_uploads()
        .iter()
        .map(|upload| file_len(&Path::new(upload).join("data")))
        .max()
        .unwrap_or(0)
}

/// `mirror` of `image` from `src` to `dst_addr` (both plain HTTP).
fn mirror_plain(
    home: &Home,
    src: &TestRegistry,
    dst_addr: &str,
    image: &str,
) -> crate::util::Aseecr {
    home.aseecr()
        .args(["mirror", "--src-plain-http", "--dst-plain-http"])
        .arg(format!("{}/{image}", src.addr))
        .arg(format!("{dst_addr}/{image}"))
}

/// Wait until `done`, then `after` longer, then send `signal` to the child.
fn kill_when(
    mut child: std::process::Child,
    mut done: impl FnMut() -> bool,
    after: Duration,
    signal: &str,
) -> std::process::Output {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("mirror ended ({status}) before it was stopped");
        }
        assert!(Instant::now() < deadline, "the transfer never got there");
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(after);
    let status = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    child.wait_with_output().unwrap()
}

/// The upload of a 320 MiB layer over a slow link (16 MiB/s) goes in
/// checkpoints of a few seconds of transfer (about 32 MiB each here); killed
/// with SIGKILL at 90% (behind a proxy that passes requests on whole, so the
/// registry holds exactly the checkpoints it acknowledged), the rerun continues
/// the registry's session and sends only what was missing: at most one
/// checkpoint's worth.
#[test]
fn an_upload_killed_at_90_percent_sends_only_the_rest_on_the_rerun() {
    const BIG: usize = 320 << 20;
    let src = TestRegistry::plain();
    let dst = TestRegistry::plain();
    let home = Home::new();
    let image = TestImage::single(611, &[BIG, 10_000]);
    image.push(&src, "big:1", false);
    let proxy = Proxy::start(&dst.addr, Behaviour::default());
    let child = mirror_plain(&home, &src, &proxy.addr, "big:1")
        .args(["--limit-rate", "16M"])
        .spawn();
    // The session is kept in the configuration folder, its offset written after
    // each checkpoint the registry acknowledged. The proxy passes each one on
    // once it has all of it (two seconds, 32 MiB at 16 MiB/s): killed 0.1 s
    // after the ninth was acknowledged, the tenth is in flight and none of it
    // passed on.
    let journal = home.config_dir().join("uploads");
    let kept_offset = || -> u64 {
        let Ok(mut entries) = std::fs::read_dir(&journal) else {
            return 0;
        };
        let Some(Ok(entry)) = entries.next() else {
            return 0;
        };
        std::fs::read(entry.path())
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
            .and_then(|kept| kept["offset"].as_u64())
            .unwrap_or(0)
    };
    kill_when(
        child,
        || kept_offset() >= (BIG as u64) * 9 / 10,
        Duration::from_millis(100),
        "-KILL",
    );
    let first_run = proxy.stats.upload_bytes.load(Ordering::SeqCst);
    assert!(first_run < BIG + 10_000, "{first_run}");
    assert_eq!(std::fs::read_dir(&journal).unwrap().count(), 1);

    let out = mirror_plain(&home, &src, &proxy.addr, "big:1").ok();
    let rerun = proxy.stats.upload_bytes.load(Ordering::SeqCst) - first_run;
    assert!(
        rerun <= BIG * 15 / 100,
        "the rerun sent {rerun} bytes of an {BIG}-byte layer: {}",
        out.stderr
    );
    assert_eq!(
        crate::util::image::skopeo_pull_digest(&dst, "big:1").as_deref(),
        Some(image.digest().as_str())
    );
    assert_eq!(dst.leftover_uploads(), Vec::<String>::new());
    assert_eq!(std::fs::read_dir(&journal).unwrap().count(), 0);
}

/// Killed in the middle of a chunk on a direct connection, the registry holds
/// bytes its session state does not account for, and distribution refuses to
/// continue that session: the rerun finds out with one request and uploads the
/// layer afresh, and the image arrives whole.
#[test]
fn an_upload_killed_mid_chunk_is_started_again_when_the_registry_refuses_the_session() {
    const BIG: usize = 40 << 20;
    let src = TestRegistry::plain();
    let dst = TestRegistry::plain();
    let home = Home::new();
    let image = TestImage::single(612, &[BIG]);
    image.push(&src, "big:1", false);
    let child = mirror_plain(&home, &src, &dst.addr, "big:1")
        .args(["--limit-rate", "16M"])
        .spawn();
    // Past the first checkpoint's acknowledgement (two seconds, 32 MiB at
    // 16 MiB/s), in the middle of the second.
    kill_when(
        child,
        || upload_data(&dst) >= (BIG as u64) * 85 / 100,
        Duration::ZERO,
        "-KILL",
    );
    let out = mirror_plain(&home, &src, &dst.addr, "big:1").ok();
    assert_eq!(
        crate::util::image::skopeo_pull_digest(&dst, "big:1").as_deref(),
        Some(image.digest().as_str()),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_dir(home.config_dir().join("uploads"))
            .unwrap()
            .count(),
        0
    );
}

/// Ctrl-C ends the current chunk early but cleanly: the registry acknowledges
/// what it got, the session is kept (said in the one line), and the rerun sends
/// only the rest.
#[test]
fn ctrl_c_keeps_a_large_upload_for_the_rerun() {
    const BIG: usize = 40 << 20;
    let src = TestRegistry::plain();
    let dst = TestRegistry::plain();
    let home = Home::new();
    let image = TestImage::single(613, &[BIG]);
    image.push(&src, "big:1", false);
    let proxy = Proxy::start(&dst.addr, Behaviour::default());
    let child = mirror_plain(&home, &src, &proxy.addr, "big:1")
        .args(["--limit-rate", "8M"])
        .spawn();
    let out = kill_when(
        child,
        || upload_data(&dst) >= (BIG as u64) / 2,
        Duration::from_millis(200),
        "-INT",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains(
            "interrupted: 0 of 1 image mirrored, 0 uploads cancelled, 1 kept to continue; run the same command again to continue"
        ),
        "{stderr}"
    );
    let held = upload_data(&dst);
    assert!(held >= (BIG as u64) / 2 && held < BIG as u64, "{held}");

    let before = proxy.stats.upload_bytes.load(Ordering::SeqCst);
    mirror_plain(&home, &src, &proxy.addr, "big:1").ok();
    let rerun = (proxy.stats.upload_bytes.load(Ordering::SeqCst) - before) as u64;
    // The rest of the layer, and the image's small config.
    assert!(
        rerun >= BIG as u64 - held && rerun <= BIG as u64 - held + 64 * 1024,
        "the rerun sent {rerun} bytes; the registry held {held} of {BIG}"
    );
    assert_eq!(
        crate::util::image::skopeo_pull_digest(&dst, "big:1").as_deref(),
        Some(image.digest().as_str())
    );
    assert_eq!(dst.leftover_uploads(), Vec::<String>::new());
}

/// A kept session whose location is at another origin (planted in the
/// journal, here a live session opened through a second proxy in front of the
/// same registry) is never continued: nothing reaches that origin, the entry is
/// dropped and the layer uploaded afresh to the registry itself.
#[test]
fn a_kept_session_at_another_origin_is_not_continued() {
    const BIG: usize = 33 << 20;
    let src = TestRegistry::plain();
    let dst = TestRegistry::plain();
    let home = Home::new();
    let image = TestImage::single(614, &[BIG]);
    image.push(&src, "big:1", false);
    let manifest: serde_json::Value =
        serde_json::from_slice(&crate::util::image::skopeo_raw(&src, "big:1")).unwrap();
    let layer = manifest["layers"][0]["digest"].as_str().unwrap().to_owned();
    let size = manifest["layers"][0]["size"].as_u64().unwrap();
    let elsewhere = Proxy::start(&dst.addr, Behaviour::default());
    let location = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(async {
            reqwest::Client::new()
                .post(format!("http://{}/v2/big/blobs/uploads/", elsewhere.addr))
                .header("content-length", "0")
                .send()
                .await
        })
        .unwrap()
        .headers()["location"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(location.contains(&elsewhere.addr), "{location}");
    let journal = home.config_dir().join("uploads");
    std::fs::create_dir_all(&journal).unwrap();
    let key = sha2::Sha256::digest(format!("{}\nbig\n{layer}", dst.addr).as_bytes());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let kept = serde_json::json!({
        "registry": dst.addr, "repository": "big", "digest": layer, "size": size,
        "location": location, "offset": 0, "updated": now,
    });
    let entry = journal.join(format!("{}.json", hex::encode(&key[..12])));
    std::fs::write(&entry, serde_json::to_vec(&kept).unwrap()).unwrap();
    let before = elsewhere.stats.requests.load(Ordering::SeqCst);

    let out = mirror_plain(&home, &src, &dst.addr, "big:1").ok();
    let reached = elsewhere.stats.requests.load(Ordering::SeqCst) - before;
    let sent = elsewhere.stats.upload_bytes.load(Ordering::SeqCst);
    assert_eq!(
        (reached, sent),
        (0, 0),
        "{:?}: {}",
        elsewhere.stats.paths.lock().unwrap(),
        out.stderr
    );
    assert_eq!(
        crate::util::image::skopeo_pull_digest(&dst, "big:1").as_deref(),
        Some(image.digest().as_str())
    );
    assert!(!entry.exists());
}
