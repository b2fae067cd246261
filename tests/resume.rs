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
    let layer = layer_digests(&src, "big:1")
        .into_iter()
        .next()
        .unwrap();
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
    assert!(out.stderr.is_empty() || !out.stderr.contains("error"), "{}", out.stderr);
    let rerun = proxy.stats.blob_bytes.load(Ordering::SeqCst) - first_run;
    // The rest of the layer (about 10%) and the small blobs, nothing more.
    assert!(
        rerun as u64 <= LAYER as u64 * 15 / 100,
        "the rerun fetched {rerun} bytes of a {LAYER}-byte layer"
    );
    let ranges = proxy.stats.blob_ranges.lock().unwrap().clone();
    assert!(
        ranges.iter().any(|r| r.starts_with("bytes=") && r != "bytes=0-0"),
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
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

/// A partial file whose bytes are not the blob's (changed on disk) is found out
/// by the digest check at the end: the blob is fetched whole again.
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
    let out = mirror().run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("digest mismatch, nothing was written"),
        "{}",
        out.stderr
    );
    assert!(!dir.join(format!("{hex}.partial")).exists());
    mirror().ok();
    let written = std::fs::read(dir.join(hex)).unwrap();
    assert_eq!(format!("{:x}", sha2::Sha256::digest(&written)), hex);
}
