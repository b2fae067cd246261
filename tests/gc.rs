//! A mirror reported successful is pullable, also right after the registry's
//! garbage collection: distribution's blob-descriptor cache survives a GC on a
//! running registry and keeps saying that swept blobs exist.

use crate::util::image::{skopeo_digest, skopeo_pulls};
use crate::util::proxy::{Behaviour, Proxy};
use crate::util::registry::{Options, PASSWORD, USER};
use crate::util::{Home, TestImage, TestRegistry};

fn source() -> TestRegistry {
    TestRegistry::plain()
}

/// An edge registry with the in-memory blob-descriptor cache on.
fn cached_edge() -> TestRegistry {
    TestRegistry::start(Options {
        blob_cache: true,
        ..Options::default()
    })
}

fn mirror(home: &Home, dst: &TestRegistry) -> crate::util::Aseecr {
    crate::util::mirror_into(home, dst)
}

fn delete(home: &Home, dst: &TestRegistry, target: &str) {
    home.aseecr()
        .args(["delete", "--yes", "--ca-cert"])
        .arg(dst.ca_file())
        .args(["-u", USER])
        .env("ASEECR_PASSWORD", PASSWORD)
        .arg(format!("{}/{target}", dst.addr))
        .ok();
}

#[test]
fn a_mirror_after_garbage_collection_is_pullable() {
    let src = source();
    let dst = cached_edge();
    let home = Home::new();
    TestImage::single(90, &[150_000, 4000]).push(&src, "oss/app:1", true);
    let from = format!("{}/oss/app:1", src.addr);
    let to = format!("{}/edge/app:1", dst.addr);

    mirror(&home, &dst).arg(&from).arg(&to).ok();
    assert!(skopeo_pulls(&dst, "edge/app:1"));

    // The nightly cleanup: the tag is deleted and GC sweeps its blobs while the
    // registry keeps running (and keeps its cache).
    delete(&home, &dst, "edge/app:1");
    dst.garbage_collect();
    assert_eq!(dst.blob_bytes(), 0, "GC left blobs behind");

    // Mirroring again must give a pullable image, not a tag on missing blobs.
    let out = mirror(&home, &dst).arg(&from).arg(&to).ok();
    assert!(out.stderr.contains("written again"), "{}", out.stderr);
    assert_eq!(
        skopeo_digest(&dst, "edge/app:1"),
        skopeo_digest(&src, "oss/app:1")
    );
    assert!(
        skopeo_pulls(&dst, "edge/app:1"),
        "mirror reported success but the image does not pull:\n{}",
        out.stderr
    );
}

/// A new image whose layers an earlier image shared: the manifest is new (the
/// registry writes it), but the layers it claims to have were swept.
#[test]
fn a_new_image_on_swept_shared_layers_is_pullable() {
    let src = source();
    let dst = cached_edge();
    let home = Home::new();
    // The same layers and config under two manifests (Docker and OCI types).
    let image = TestImage::single(91, &[120_000, 5000]);
    image.push(&src, "oss/app:docker", true);
    image.push(&src, "oss/app:oci", false);

    mirror(&home, &dst)
        .arg(format!("{}/oss/app:docker", src.addr))
        .arg(format!("{}/edge/app:1", dst.addr))
        .ok();
    delete(&home, &dst, "edge/app:1");
    dst.garbage_collect();

    let out = mirror(&home, &dst)
        .args(["--format", "json"])
        .arg(format!("{}/oss/app:oci", src.addr))
        .arg(format!("{}/edge/app:2", dst.addr))
        .ok();
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(
        report["items"][0]["repaired"].as_u64().unwrap() >= 2,
        "{report}"
    );
    assert!(skopeo_pulls(&dst, "edge/app:2"), "{}", out.stderr);

    // Nothing to doubt the next time: an up-to-date image costs one request.
    let again = mirror(&home, &dst)
        .args(["--format", "json"])
        .arg(format!("{}/oss/app:oci", src.addr))
        .arg(format!("{}/edge/app:2", dst.addr))
        .ok();
    let again: serde_json::Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(again["items"][0]["status"], "up-to-date", "{again}");
}

/// What this run wrote itself is not read back: a first copy of an index into
/// an empty repository reads no blob and no manifest back from the
/// destination; only the one read of the tag before copying.
#[test]
fn a_first_copy_reads_nothing_back() {
    let src = source();
    let dst = TestRegistry::plain();
    let home = Home::new();
    let image = TestImage::multi(92, &[("linux", "amd64"), ("linux", "arm64")]);
    image.push(&src, "oss/app:1", false);
    let proxy = Proxy::start(&dst.addr, Behaviour::default());
    let out = home
        .aseecr()
        .args([
            "mirror",
            "--src-plain-http",
            "--dst-plain-http",
            "--no-referrers",
        ])
        .arg(format!("{}/oss/app:1", src.addr))
        .arg(format!("{}/edge/app:1", proxy.addr))
        .ok();
    let paths = proxy.stats.paths.lock().unwrap().clone();
    let reads: Vec<&String> = paths
        .iter()
        .filter(|p| p.starts_with("GET ") || p.starts_with("HEAD "))
        .filter(|p| p.contains("/blobs/sha256:") || p.contains("/manifests/sha256:"))
        .collect();
    assert_eq!(reads, Vec::<&String>::new(), "{paths:#?}\n{}", out.stderr);
    assert_eq!(
        skopeo_digest(&dst, "edge/app:1"),
        skopeo_digest(&src, "oss/app:1")
    );
    assert!(skopeo_pulls(&dst, "edge/app:1"));
}
