//! A hostile or dead registry: every body read is capped, every wait has a
//! deadline, index walks and pagination are bounded, digests are checked, and a
//! failed mirror leaves no upload session behind. Faults come from the proxy;
//! limits are made short with the documented environment variables.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use sha2::Digest;

use crate::util::image::{layer_digests, skopeo_digest, skopeo_exists, skopeo_raw};
use crate::util::proxy::{Behaviour, Endless, LIE, Missing, Proxy};
use crate::util::{Aseecr, Home, TestImage, TestRegistry};

const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

/// An anonymous plain-HTTP registry behind the proxy.
fn upstream() -> TestRegistry {
    TestRegistry::plain()
}

/// aseecr speaking plain HTTP to the proxy.
fn via(home: &Home) -> Aseecr {
    home.aseecr().arg("--plain-http")
}

/// `aseecr mirror` from the proxy into `dst`.
fn mirror_via(home: &Home, proxy: &Proxy, dst: &TestRegistry, repo_tag: &str) -> Aseecr {
    crate::util::mirror_into(home, dst)
        .arg(format!("{}/{repo_tag}", proxy.addr))
        .arg(format!("{}/{repo_tag}", dst.addr))
}

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(bytes)))
}

#[test]
fn endless_bodies_stop_at_their_caps() {
    let registry = upstream();
    TestImage::single(60, &[64]).push(&registry, "app:v1", false);
    let home = Home::new();
    let cases = [
        (Endless::Manifest, "inspect", "app:v1", 1, "more than 4 MiB"),
        (Endless::Manifest, "digest", "app:v1", 1, "more than 4 MiB"),
        // The error body is dropped at its cap; the status still says what failed.
        (
            Endless::ErrorBody,
            "inspect",
            "app:v1",
            1,
            "400 Bad Request",
        ),
        (Endless::TagsPage, "tags", "app", 1, "more than 4 MiB"),
        (Endless::Token, "tags", "app", 1, "more than 1 MiB"),
    ];
    for (endless, command, target, code, needle) in cases {
        let proxy = Proxy::start(
            &registry.addr,
            Behaviour {
                endless: Some(endless),
                token: endless == Endless::Token,
                ..Behaviour::default()
            },
        );
        let started = Instant::now();
        via(&home)
            .args([command, &format!("{}/{target}", proxy.addr)])
            .run()
            .code(code)
            .stderr_has(needle);
        let elapsed = started.elapsed();
        assert!(
            elapsed < Duration::from_secs(10),
            "{endless:?}: {elapsed:?}"
        );
        // The client hung up at the cap: what the proxy managed to hand over is
        // the cap plus socket buffers, not hundreds of MiB.
        let sent = proxy.stats.endless_bytes.load(Ordering::SeqCst);
        assert!(sent < 64 << 20, "{endless:?}: {sent} bytes sent");
    }
}

/// A manifest that is not there, with a 404 whose body never ends, announces
/// 1 GiB or trickles: the body is dropped at its cap or its pace, and the status
/// alone says what failed (not found, exit 4), within seconds.
#[test]
fn a_missing_manifests_hostile_404_body_is_bounded() {
    let src = upstream();
    let dst = TestRegistry::edge();
    TestImage::single(66, &[64]).push(&src, "app:v1", false);
    let home = Home::new();
    for missing in [
        Missing::Endless,
        Missing::Huge,
        Missing::Trickle(Duration::from_secs(2)),
    ] {
        let proxy = Proxy::start(
            &src.addr,
            Behaviour {
                missing_manifest: Some(missing),
                ..Behaviour::default()
            },
        );
        let source = format!("{}/app:v1", proxy.addr);
        let runs = [
            via(&home).args(["inspect", &source]),
            via(&home).args(["digest", &source]),
            mirror_via(&home, &proxy, &dst, "app:v1"),
        ];
        for run in runs {
            let before = proxy.stats.endless_bytes.load(Ordering::SeqCst);
            let started = Instant::now();
            let out = run
                .env("ASEECR_IDLE_TIMEOUT", "1")
                .run()
                .code(4)
                .stderr_has(&format!("tag `{source}` not found"));
            let elapsed = started.elapsed();
            assert!(
                elapsed < Duration::from_secs(10),
                "{missing:?}: {elapsed:?}: {}",
                out.stderr
            );
            // Read up to the 1 MiB cap at most: what the proxy managed to hand
            // over is that plus socket buffers, not the 1 GiB it offered.
            let sent = proxy.stats.endless_bytes.load(Ordering::SeqCst) - before;
            assert!(sent < 64 << 20, "{missing:?}: {sent} bytes sent");
        }
    }
    assert!(!skopeo_exists(&dst, "app:v1"));
}

#[test]
fn silent_servers_and_trickling_bodies_time_out() {
    let src = upstream();
    let dst = TestRegistry::edge();
    TestImage::single(61, &[40_000, 3000]).push(&src, "slow:1", false);
    let home = Home::new();

    // Accepts, never answers: two attempts of the response timeout, exit 6.
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            silent: true,
            ..Behaviour::default()
        },
    );
    let started = Instant::now();
    via(&home)
        .args(["tags", &format!("{}/slow", proxy.addr)])
        .env("ASEECR_RESPONSE_TIMEOUT", "1")
        .run()
        .code(6)
        .stderr_has("did not answer in time");
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(2) && elapsed < Duration::from_secs(8),
        "{elapsed:?}"
    );
    assert_eq!(proxy.stats.requests.load(Ordering::SeqCst), 2);

    // A manifest sent a byte every 100 ms: below 1 KiB per idle window, exit 6.
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            pace_manifests: Some((1, Duration::from_millis(100))),
            ..Behaviour::default()
        },
    );
    let started = Instant::now();
    via(&home)
        .args(["inspect", &format!("{}/slow:1", proxy.addr)])
        .env("ASEECR_IDLE_TIMEOUT", "1")
        .run()
        .code(6)
        .stderr_has("stopped sending the manifest");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );

    // A blob that trickles during a mirror: tried twice, then exit 6, and the
    // destination keeps no upload session.
    let layer = layer_digests(&src, "slow:1")[0].clone();
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            pace_blob: Some((layer, 1, Duration::from_millis(100))),
            ..Behaviour::default()
        },
    );
    let started = Instant::now();
    mirror_via(&home, &proxy, &dst, "slow:1")
        .env("ASEECR_IDLE_TIMEOUT", "1")
        .run()
        .code(6)
        .stderr_has("stopped sending blob");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    assert!(!skopeo_exists(&dst, "slow:1"));
    assert_eq!(dst.leftover_uploads(), Vec::<String>::new());
}

/// A blob that trickles is held to the idle timeout whoever reads it: the
/// layout writer, and the spool of a mirror to several destinations.
#[test]
fn a_trickling_blob_times_out_into_a_layout_and_into_several_destinations() {
    let src = upstream();
    TestImage::single(67, &[1000]).push(&src, "drip:1", false);
    let layer = layer_digests(&src, "drip:1")[0].clone();
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            pace_blob: Some((layer, 1, Duration::from_millis(50))),
            ..Behaviour::default()
        },
    );
    let home = Home::new();
    let source = format!("{}/drip:1", proxy.addr);
    let layout = home.path().join("site");
    let (one, two) = (TestRegistry::plain(), TestRegistry::plain());
    // One destination fails with the timeout's code; several count as a batch.
    let runs = [
        (
            home.aseecr()
                .args(["mirror", "--src-plain-http", &source])
                .arg(format!("oci:{}:drip:1", layout.display())),
            6,
        ),
        (
            home.aseecr()
                .args(["mirror", "--src-plain-http", "--dst-plain-http", &source])
                .args(["--to", &format!("{}/edge", one.addr)])
                .args(["--to", &format!("{}/edge", two.addr)]),
            1,
        ),
    ];
    for (run, code) in runs {
        let started = Instant::now();
        let out = run
            .env("ASEECR_IDLE_TIMEOUT", "1")
            .run()
            .code(code)
            .stderr_has("the idle timeout");
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "{:?}: {}",
            started.elapsed(),
            out.stderr
        );
    }
    // Into one registry, the failure is still the timeout's kind.
    let out = home
        .aseecr()
        .args(["mirror", "--src-plain-http", "--dst-plain-http", &source])
        .arg(format!("{}/drip:1", one.addr))
        .args(["--format", "json"])
        .env("ASEECR_IDLE_TIMEOUT", "1")
        .run()
        .code(6);
    let json = out.json();
    assert_eq!(json["items"][0]["error"]["kind"], "timeout", "{json}");
}

/// An OCI index of `entries` entries naming `child` (an index or an image).
fn index_of(child: &(String, Vec<u8>), entries: usize) -> Vec<u8> {
    let entry = serde_json::json!({
        "mediaType": child.0,
        "digest": sha256(&child.1),
        "size": child.1.len(),
    });
    serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": vec![entry; entries],
    }))
    .unwrap()
}

#[test]
fn index_walks_are_bounded_and_fetch_each_manifest_once() {
    let src = upstream();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(62, &[2000]).push(&src, "leaf:1", false);
    let leaf = (OCI_MANIFEST.to_owned(), skopeo_raw(&src, "leaf:1"));

    // 1000 levels of indexes: refused at level 9, nothing pushed, no overflow.
    let mut manifests = HashMap::new();
    let mut child = leaf.clone();
    for _ in 0..1000 {
        let index = (OCI_INDEX.to_owned(), index_of(&child, 1));
        manifests.insert(sha256(&index.1), index.clone());
        child = index;
    }
    manifests.insert("deep".to_owned(), child);
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            manifests,
            ..Behaviour::default()
        },
    );
    mirror_via(&home, &proxy, &dst, "leaf:deep")
        .run()
        .code(1)
        .stderr_has("nested more than 8 levels");
    assert_eq!(proxy.stats.manifest_requests.load(Ordering::SeqCst), 8);
    assert!(!skopeo_exists(&dst, "leaf:deep"));

    // 30 entries naming the same child, 6 levels deep: each manifest fetched
    // once (and pushed once), the copy complete.
    let mut manifests = HashMap::new();
    let mut child = leaf.clone();
    for _ in 0..6 {
        let index = (OCI_INDEX.to_owned(), index_of(&child, 30));
        manifests.insert(sha256(&index.1), index.clone());
        child = index;
    }
    let top = sha256(&child.1);
    manifests.insert("wide".to_owned(), child);
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            manifests,
            ..Behaviour::default()
        },
    );
    // (--no-referrers: the referrers step would read the fallback tag.)
    let json = mirror_via(&home, &proxy, &dst, "leaf:wide")
        .args(["--no-referrers", "--format", "json"])
        .ok()
        .json();
    assert_eq!(json["items"][0]["manifestsPushed"], 7, "{json}");
    // The tag, five indexes by digest and the leaf: seven requests.
    let requests = proxy.stats.manifest_requests.load(Ordering::SeqCst);
    assert_eq!(requests, 7, "{:?}", proxy.stats.paths.lock().unwrap());
    assert_eq!(skopeo_digest(&dst, "leaf:wide"), top);

    // More than 1,000 distinct manifests over two levels: refused before
    // fetching the third level.
    let images = |from: usize| -> Vec<serde_json::Value> {
        (from..from + 600)
            .map(|i| {
                serde_json::json!({
                    "mediaType": OCI_MANIFEST,
                    "digest": sha256(format!("child {i}").as_bytes()),
                    "size": 100,
                })
            })
            .collect()
    };
    let index = |entries: Vec<serde_json::Value>| {
        let bytes = serde_json::to_vec(&serde_json::json!({
            "schemaVersion": 2,
            "mediaType": OCI_INDEX,
            "manifests": entries,
        }))
        .unwrap();
        (OCI_INDEX.to_owned(), bytes)
    };
    let halves = [index(images(0)), index(images(600))];
    let top = index(
        halves
            .iter()
            .map(|h| serde_json::json!({"mediaType": OCI_INDEX, "digest": sha256(&h.1), "size": h.1.len()}))
            .collect(),
    );
    let mut manifests: HashMap<String, (String, Vec<u8>)> =
        halves.iter().map(|h| (sha256(&h.1), h.clone())).collect();
    manifests.insert("many".to_owned(), top);
    // And one index of 1,001 entries, which no command reads.
    manifests.insert(
        "huge".to_owned(),
        index(
            images(0)
                .into_iter()
                .chain(images(600))
                .take(1001)
                .collect(),
        ),
    );
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            manifests,
            ..Behaviour::default()
        },
    );
    mirror_via(&home, &proxy, &dst, "leaf:many")
        .run()
        .code(1)
        .stderr_has("more than 1000 manifests");
    assert_eq!(proxy.stats.manifest_requests.load(Ordering::SeqCst), 3);
    via(&home)
        .args(["inspect", &format!("{}/leaf:huge", proxy.addr)])
        .run()
        .code(1)
        .stderr_has("1001 entries, more than the 1000");
}

#[test]
fn pagination_loops_and_floods_are_bounded() {
    let registry = upstream();
    let home = Home::new();

    // A Link back to the same page: an error after one page, not 100,000.
    let proxy = Proxy::start(
        &registry.addr,
        Behaviour {
            tags_link_self: true,
            ..Behaviour::default()
        },
    );
    via(&home)
        .args(["tags", &format!("{}/loop", proxy.addr)])
        .run()
        .code(1)
        .stderr_has("loop");
    assert_eq!(proxy.stats.requests.load(Ordering::SeqCst), 1);

    // 40 pages of 5,000 new tags: all 200,000 once, in order, quickly.
    let proxy = Proxy::start(
        &registry.addr,
        Behaviour {
            tag_flood: Some(40),
            ..Behaviour::default()
        },
    );
    let started = Instant::now();
    let out = via(&home)
        .args(["tags", &format!("{}/flood", proxy.addr)])
        .ok();
    let elapsed = started.elapsed();
    let lines = out.lines();
    assert_eq!(lines.len(), 200_000);
    assert_eq!(lines[0], "p0-t0");
    assert_eq!(lines[5_000], "p1-t0");
    assert_eq!(lines[199_999], "p39-t4999");
    assert!(elapsed < Duration::from_secs(15), "{elapsed:?}");
}

#[test]
fn a_lying_digest_header_is_never_printed_or_deleted() {
    let registry = upstream();
    TestImage::single(63, &[128]).push(&registry, "app:v1", false);
    let real = skopeo_digest(&registry, "app:v1");
    let home = Home::new();
    let proxy = Proxy::start(
        &registry.addr,
        Behaviour {
            lie_digest: true,
            ..Behaviour::default()
        },
    );
    let target = format!("{}/app:v1", proxy.addr);
    for args in [
        vec!["digest", target.as_str()],
        vec!["inspect", target.as_str()],
        vec!["delete", target.as_str(), "--yes"],
    ] {
        let out = via(&home)
            .args(&args)
            .run()
            .code(1)
            .stderr_has("digest mismatch")
            .stderr_has(&real);
        assert!(!out.stdout.contains(LIE), "{args:?}: {}", out.stdout);
    }
    assert!(skopeo_exists(&registry, "app:v1"), "the image was deleted");
    // Without the lie, the real digest.
    via(&home)
        .args(["digest", &format!("{}/app:v1", registry.addr)])
        .ok()
        .stdout_has(&real);
}

#[test]
fn a_failed_mirror_leaves_no_upload_session() {
    let src = upstream();
    let dst = TestRegistry::edge();
    let home = Home::new();
    // A corrupted small layer fails at once while a large one is still uploading
    // (64 KiB every 50 ms): both sessions must end, committed or cancelled.
    TestImage::single(64, &[50_000, 4_300_000]).push(&src, "leak:1", false);
    let layers = layer_digests(&src, "leak:1");
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            corrupt_blob: Some(layers[0].clone()),
            pace_blob: Some((layers[1].clone(), 64 * 1024, Duration::from_millis(50))),
            ..Behaviour::default()
        },
    );
    mirror_via(&home, &proxy, &dst, "leak:1")
        .run()
        .code(1)
        .stderr_has("digest mismatch");
    assert!(!skopeo_exists(&dst, "leak:1"));
    assert_eq!(dst.leftover_uploads(), Vec::<String>::new());

    // A large blob whose last chunk does not match: the PATCH that held it back
    // is cancelled too.
    TestImage::single(65, &[4_300_000]).push(&src, "leak:2", false);
    let layer = layer_digests(&src, "leak:2")[0].clone();
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            corrupt_blob: Some(layer),
            ..Behaviour::default()
        },
    );
    mirror_via(&home, &proxy, &dst, "leak:2")
        .run()
        .code(1)
        .stderr_has("digest mismatch");
    assert_eq!(dst.leftover_uploads(), Vec::<String>::new());
}

#[test]
fn an_index_listing_an_invalid_digest_is_refused_before_any_url_holds_it() {
    let src = upstream();
    let home = Home::new();
    TestImage::single(61, &[1000]).push(&src, "leaf:odd", false);
    let bytes = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": [{"mediaType": OCI_MANIFEST, "digest": "sha256:../../_catalog", "size": 100}],
    }))
    .unwrap();
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            manifests: HashMap::from([("odd".to_owned(), (OCI_INDEX.to_owned(), bytes))]),
            ..Behaviour::default()
        },
    );
    for args in [
        vec!["tags", "--long"],
        vec!["usage"],
        vec!["prune", "--keep", "5", "--dry-run"],
    ] {
        via(&home)
            .args(&args)
            .arg(format!("{}/leaf", proxy.addr))
            .run()
            .code(1)
            .stderr_has("lists an invalid digest");
    }
    let paths = proxy.stats.paths.lock().unwrap();
    assert!(
        paths
            .iter()
            .all(|p| !p.contains("..") && (!p.contains("/manifests/") || p.ends_with("/odd"))),
        "{paths:?}"
    );
}
