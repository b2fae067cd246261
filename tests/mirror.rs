//! mirror: real source and destination registries, checked with skopeo.

use crate::util::image::{skopeo_digest, skopeo_exists, skopeo_raw};
use crate::util::registry::{PASSWORD, USER};
use crate::util::{Home, TestImage, TestRegistry};

/// An anonymous plain-HTTP source registry.
fn source() -> TestRegistry {
    TestRegistry::plain()
}

/// `aseecr mirror` with the source over plain HTTP and the destination's CA and login.
fn mirror(home: &Home, src: &TestRegistry, dst: &TestRegistry) -> crate::util::Aseecr {
    crate::util::mirror_into(home, dst).env("ASEECR_TEST_SOURCE", &src.addr)
}

#[test]
fn mirrors_images_and_indexes_byte_for_byte() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(30, &[200_000, 3000]).push(&src, "oss/app:1.0", true);
    TestImage::multi(
        31,
        &[("linux", "amd64"), ("linux", "arm64"), ("windows", "amd64")],
    )
    .push(&src, "oss/multi:2", false);

    let out = mirror(&home, &src, &dst)
        .arg(format!("{}/oss/app:1.0", src.addr))
        .arg(format!("{}/edge/app:2.0", dst.addr))
        .ok();
    let digest = skopeo_digest(&src, "oss/app:1.0");
    assert_eq!(skopeo_digest(&dst, "edge/app:2.0"), digest);
    assert!(out.stdout.contains(&digest), "{}", out.stdout);
    assert!(out.stderr.contains("3 blobs copied"), "{}", out.stderr);
    // stderr is not a terminal here: no progress bars, no escape codes.
    assert!(
        !out.stderr.contains('\u{1b}') && !out.stderr.contains("eta"),
        "{}",
        out.stderr
    );

    // An index whole: same digest, every child pullable.
    mirror(&home, &src, &dst)
        .arg(format!("{}/oss/multi:2", src.addr))
        .arg(format!("{}/", dst.addr))
        .ok();
    assert_eq!(
        skopeo_raw(&dst, "oss/multi:2"),
        skopeo_raw(&src, "oss/multi:2")
    );
    // A real client can pull every platform.
    for (os, arch) in [("linux", "amd64"), ("linux", "arm64"), ("windows", "amd64")] {
        let out_dir = home.path().join(format!("pull-{os}-{arch}"));
        let mut args: Vec<String> = vec![
            "copy".into(),
            "--quiet".into(),
            "--override-os".into(),
            os.into(),
            "--override-arch".into(),
            arch.into(),
            "--src-authfile".into(),
            crate::util::image::auth_file(&dst).display().to_string(),
            "--src-cert-dir".into(),
            dst.cert_dir().display().to_string(),
        ];
        args.push(format!("docker://{}/oss/multi:2", dst.addr));
        args.push(format!("oci:{}:x", out_dir.display()));
        let output = crate::util::image::skopeo(&dst, &args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    // Again: nothing to do.
    let out = mirror(&home, &src, &dst)
        .arg(format!("{}/oss/app:1.0", src.addr))
        .arg(format!("{}/edge/app:2.0", dst.addr))
        .ok();
    assert!(out.stdout.contains("up to date"), "{}", out.stdout);
}

#[test]
fn platform_selection() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::multi(
        32,
        &[("linux", "amd64"), ("linux", "arm64"), ("linux", "ppc64le")],
    )
    .push(&src, "m:1", false);
    // One platform: that platform's manifest, unchanged.
    mirror(&home, &src, &dst)
        .args(["--platform", "linux/arm64"])
        .arg(format!("{}/m:1", src.addr))
        .arg(format!("{}/one:1", dst.addr))
        .ok();
    let index: serde_json::Value = serde_json::from_slice(&skopeo_raw(&src, "m:1")).unwrap();
    let arm = index["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["platform"]["architecture"] == "arm64")
        .unwrap()["digest"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(skopeo_digest(&dst, "one:1"), arm);
    // Two: a new index of just those.
    let out = mirror(&home, &src, &dst)
        .args([
            "--platform",
            "linux/amd64",
            "--platform",
            "linux/ppc64le",
            "--format",
            "json",
        ])
        .arg(format!("{}/m:1", src.addr))
        .arg(format!("{}/two:1", dst.addr))
        .ok();
    let json = out.json();
    assert_eq!(json["items"][0]["digestChanged"], true);
    let two: serde_json::Value = serde_json::from_slice(&skopeo_raw(&dst, "two:1")).unwrap();
    let arches: Vec<&str> = two["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["platform"]["architecture"].as_str().unwrap())
        .collect();
    assert_eq!(arches, vec!["amd64", "ppc64le"]);
    // No match: a usage error naming what exists.
    mirror(&home, &src, &dst)
        .args(["--platform", "windows/amd64"])
        .arg(format!("{}/m:1", src.addr))
        .arg(format!("{}/none:1", dst.addr))
        .run()
        .code(2)
        .stderr_has("linux/arm64");
    assert!(!skopeo_exists(&dst, "none:1"));
}

#[test]
fn bad_input_and_failed_login_write_nothing() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(33, &[1000]).push(&src, "a:1", false);
    mirror(&home, &src, &dst)
        .arg(format!("{}/a:nope", src.addr))
        .arg(format!("{}/a:1", dst.addr))
        .run()
        .code(4)
        .stderr_has("not found");
    mirror(&home, &src, &dst)
        .arg(format!("{}/a:1", src.addr))
        .arg(format!("{}/a:1", dst.addr))
        .env("ASEECR_PASSWORD", "wrong")
        .run()
        .code(3)
        .stderr_has("rejected the credentials");
    // Several images: one login check fails the run before any of them starts.
    mirror(&home, &src, &dst)
        .arg(format!("{}/a:1", src.addr))
        .arg(format!("{}/a:1", src.addr))
        .arg(format!("{}/a:1", src.addr))
        .args(["--to", &dst.addr])
        .env("ASEECR_PASSWORD", "wrong")
        .run()
        .code(3)
        .stderr_has("cannot log in to the destination");
    // Three images without --to: which is the destination? Refused, nothing sent.
    mirror(&home, &src, &dst)
        .arg(format!("{}/a:1", src.addr))
        .arg(format!("{}/a:1", dst.addr))
        .arg(format!("{}/b:1", dst.addr))
        .run()
        .code(2)
        .stderr_has("which one is the destination")
        .stderr_has("--to REGISTRY");
    assert_eq!(dst.blob_bytes(), 0);
    mirror(&home, &src, &dst)
        .args(["--platform", "linux"])
        .arg(format!("{}/a:1", src.addr))
        .run()
        .code(2)
        .stderr_has("invalid platform");
}

use std::sync::atomic::Ordering;

use crate::util::image::layer_digests;
use crate::util::proxy::{Behaviour, Proxy};

/// `aseecr mirror` from a proxy (plain HTTP, anonymous or token) into `dst`.
fn mirror_via(
    home: &Home,
    proxy: &Proxy,
    dst: &TestRegistry,
    repo_tag: &str,
) -> crate::util::Aseecr {
    crate::util::mirror_into(home, dst)
        .arg(format!("{}/{repo_tag}", proxy.addr))
        .arg(format!("{}/{repo_tag}", dst.addr))
}

#[test]
fn a_busy_token_service_is_waited_for_as_it_asks() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(44, &[2000]).push(&src, "lib/busy:1", true);
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            token: true,
            token_unavailable: 2,
            ..Behaviour::default()
        },
    );
    let started = std::time::Instant::now();
    mirror_via(&home, &proxy, &dst, "lib/busy:1").ok();
    // Two answers of `Retry-After: 1`: at least two seconds of waiting (a lower
    // bound only; a slow machine makes it longer, never shorter).
    assert!(started.elapsed() >= std::time::Duration::from_secs(2));
    assert_eq!(proxy.stats.token_unavailable_sent.load(Ordering::SeqCst), 2);
    assert!(proxy.stats.token_requests.load(Ordering::SeqCst) >= 3);
    assert_eq!(
        skopeo_digest(&dst, "lib/busy:1"),
        skopeo_digest(&src, "lib/busy:1")
    );
}

#[test]
fn token_source_with_cdn_redirects_never_leaks_authorization() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(40, &[150_000, 2000]).push(&src, "lib/web:3", true);
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            token: true,
            redirect_blobs: true,
            ..Behaviour::default()
        },
    );
    mirror_via(&home, &proxy, &dst, "lib/web:3").ok();
    assert_eq!(
        skopeo_digest(&dst, "lib/web:3"),
        skopeo_digest(&src, "lib/web:3")
    );
    assert!(proxy.stats.token_requests.load(Ordering::SeqCst) >= 1);
    assert_eq!(
        proxy.stats.cdn_requests.load(Ordering::SeqCst),
        3,
        "config + 2 layers from the CDN"
    );
    assert!(
        !proxy.stats.cdn_saw_authorization.load(Ordering::SeqCst),
        "the Authorization header reached the CDN host"
    );
}

#[test]
fn digest_mismatch_pushes_nothing() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(41, &[50_000]).push(&src, "bad:1", false);
    let layer = layer_digests(&src, "bad:1")[0].clone();
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            corrupt_blob: Some(layer.clone()),
            ..Behaviour::default()
        },
    );
    mirror_via(&home, &proxy, &dst, "bad:1")
        .run()
        .code(1)
        .stderr_has("digest mismatch");
    assert!(!skopeo_exists(&dst, "bad:1"));
    // The corrupted blob was not committed.
    let blob_dir = dst
        .storage()
        .join("docker/registry/v2/blobs/sha256")
        .join(&layer["sha256:".len().."sha256:".len() + 2])
        .join(&layer["sha256:".len()..]);
    assert!(!blob_dir.exists(), "the corrupted blob was stored");
}

#[test]
fn dropped_connection_and_503s_are_retried() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(42, &[2_000_000, 1000]).push(&src, "big:1", false);
    let layer = layer_digests(&src, "big:1")[0].clone();
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            drop_blob_once: Some(layer),
            unavailable: 2,
            ..Behaviour::default()
        },
    );
    // The retry is logged with -v, blaming the source that stopped, not the destination.
    mirror_via(&home, &proxy, &dst, "big:1")
        .arg("-v")
        .ok()
        .stderr_has(&format!("the source `{}` stopped sending blob", proxy.addr));
    assert!(proxy.stats.dropped.load(Ordering::SeqCst));
    assert_eq!(proxy.stats.unavailable_sent.load(Ordering::SeqCst), 2);
    assert_eq!(skopeo_digest(&dst, "big:1"), skopeo_digest(&src, "big:1"));
}

#[test]
fn interrupted_run_leaves_no_manifest_and_rerun_completes() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(43, &[30_000, 40_000, 50_000]).push(&src, "int:1", false);
    let layers = layer_digests(&src, "int:1");
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            stall_blob: Some(layers[2].clone()),
            ..Behaviour::default()
        },
    );
    // Start a run that stalls on one blob, then kill it.
    let mut child = std::process::Command::new(crate::util::program())
        .args(["mirror", "--src-plain-http", "--dst-ca-cert"])
        .arg(dst.ca_file())
        .args(["-u", USER])
        .arg(format!("{}/int:1", proxy.addr))
        .arg(format!("{}/int:1", dst.addr))
        .env("ASEECR_PASSWORD", PASSWORD)
        .env("ASEECR_CONFIG_DIR", home.config_dir())
        .env("DOCKER_CONFIG", home.docker_dir())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !proxy.stats.stalled.load(Ordering::SeqCst) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(proxy.stats.stalled.load(Ordering::SeqCst));
    assert!(
        !skopeo_exists(&dst, "int:1"),
        "a manifest was pushed before its blobs"
    );

    // Again, straight from the source: only what is missing is copied.
    let json = mirror(&home, &src, &dst)
        .args(["--format", "json"])
        .arg(format!("{}/int:1", src.addr))
        .arg(format!("{}/int:1", dst.addr))
        .ok()
        .json();
    assert!(
        json["summary"]["blobsPresent"].as_u64().unwrap() >= 1,
        "{json}"
    );
    assert!(
        json["summary"]["blobsCopied"].as_u64().unwrap() >= 1,
        "{json}"
    );
    assert_eq!(skopeo_digest(&dst, "int:1"), skopeo_digest(&src, "int:1"));
}

#[test]
fn many_images_share_blobs_and_rerun_costs_two_requests() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    let image = TestImage::single(44, &[20_000, 30_000]);
    for tag in ["1.0", "1.1", "2.0"] {
        image.push(&src, &format!("shared/base:{tag}"), false);
    }
    TestImage::single(45, &[10_000]).push(&src, "other:x", false);
    let list = home.path().join("images.txt");
    std::fs::write(
        &list,
        format!(
            "# images for the edge\n{0}/other:x {1}/copies/other:y\n\n{0}/shared/base:1.0   # same blobs as below\n",
            src.addr, dst.addr
        ),
    )
    .unwrap();
    // -f FILE plus --all-tags: other:x, then base under a second repository name.
    let json = mirror(&home, &src, &dst)
        .args(["-f"])
        .arg(&list)
        .args(["--format", "json"])
        .env("ASEECR_REGISTRY", &dst.addr)
        .ok()
        .json();
    assert_eq!(json["items"].as_array().unwrap().len(), 2);
    assert!(skopeo_exists(&dst, "copies/other:y"));
    assert!(skopeo_exists(&dst, "shared/base:1.0"));
    // All tags into a new repository: each blob crosses once for the three tags.
    let json = mirror(&home, &src, &dst)
        .args(["--all-tags", "--format", "json"])
        .arg(format!("{}/shared/base", src.addr))
        .arg(format!("{}/mirror/base", dst.addr))
        .ok()
        .json();
    assert_eq!(json["items"].as_array().unwrap().len(), 3);
    assert_eq!(json["summary"]["blobsCopied"], 3, "{json}");
    assert_eq!(json["summary"]["blobsPresent"], 6, "{json}");
    assert!(skopeo_exists(&dst, "mirror/base:2.0"));
    // Two repositories in one run: the second mounts from the first.
    std::fs::write(
        &list,
        format!(
            "{0}/shared/base:1.0 {1}/a/base:1.0\n{0}/shared/base:1.1 {1}/b/base:1.1\n",
            src.addr, dst.addr
        ),
    )
    .unwrap();
    let json = mirror(&home, &src, &dst)
        .args(["-f"])
        .arg(&list)
        .args(["--format", "json"])
        .ok()
        .json();
    assert_eq!(json["summary"]["blobsCopied"], 3, "{json}");
    assert_eq!(json["summary"]["blobsMounted"], 3, "{json}");
    assert!(skopeo_exists(&dst, "b/base:1.1"));
    // --tags filters.
    let json = mirror(&home, &src, &dst)
        .args(["--tags", "^1\\.", "--dry-run", "--format", "json"])
        .arg(format!("{}/shared/base", src.addr))
        .arg(format!("{}/third/base", dst.addr))
        .ok()
        .json();
    let sources: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources.len(), 2, "{sources:?}");
    assert!(sources.iter().all(|s| s.contains(":1.")));
    assert_eq!(json["dryRun"], true);
    assert!(!skopeo_exists(&dst, "third/base:1.0"), "dry run wrote");

    // A re-run of a mirrored image: at most two requests to the destination.
    let out = mirror(&home, &src, &dst)
        .arg("-vv")
        .arg(format!("{}/shared/base:1.0", src.addr))
        .arg(format!("{}/shared/base:1.0", dst.addr))
        .ok()
        .stdout_has("up to date");
    let to_destination = out
        .stderr
        .lines()
        .filter(|l| l.contains(&format!("https://{}/", dst.addr)) && l.contains(" -> "))
        .count();
    assert!(
        to_destination <= 2,
        "{to_destination} requests:\n{}",
        out.stderr
    );
}

#[test]
fn foreign_layers_are_left_out_unless_asked() {
    use sha2::Digest;
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    let digest = |b: &[u8]| format!("sha256:{}", hex::encode(sha2::Sha256::digest(b)));
    let layer = b"an ordinary layer".to_vec();
    let foreign = b"a windows base layer".to_vec();
    let config =
        br#"{"architecture":"amd64","os":"windows","rootfs":{"type":"layers","diff_ids":[]}}"#
            .to_vec();
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "digest": digest(&config), "size": config.len()},
        "layers": [
            {"mediaType": "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", "digest": digest(&foreign), "size": foreign.len(),
             "urls": ["https://mcr.microsoft.com/v2/windows/servercore/blobs/x"]},
            {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "digest": digest(&layer), "size": layer.len()}
        ]
    }))
    .unwrap();
    crate::util::image::raw_push(
        &src,
        "win/app",
        "1",
        &[config, foreign.clone(), layer],
        &manifest,
        "application/vnd.docker.distribution.manifest.v2+json",
    );
    let json = mirror(&home, &src, &dst)
        .args(["--format", "json"])
        .arg(format!("{}/win/app:1", src.addr))
        .arg(format!("{}/win/app:1", dst.addr))
        .ok()
        .stderr_has("foreign layer")
        .json();
    assert_eq!(
        json["items"][0]["skippedForeign"][0],
        digest(&foreign).as_str()
    );
    assert_eq!(json["summary"]["blobsCopied"], 2);
    assert_eq!(
        skopeo_digest(&dst, "win/app:1"),
        skopeo_digest(&src, "win/app:1")
    );
    let json = mirror(&home, &src, &dst)
        .args(["--include-nondistributable", "--format", "json"])
        .arg(format!("{}/win/app:1", src.addr))
        .arg(format!("{}/win/full:1", dst.addr))
        .ok()
        .json();
    assert_eq!(json["items"][0]["skippedForeign"], serde_json::json!([]));
    assert_eq!(
        json["summary"]["blobsCopied"].as_u64().unwrap()
            + json["summary"]["blobsMounted"].as_u64().unwrap(),
        3,
        "{json}"
    );
}

#[test]
fn identity_tokens_are_exchanged_as_refresh_tokens() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(46, &[1000]).push(&src, "private/app:1", false);
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            token: true,
            identity_token: Some("refresh-abc123".into()),
            ..Behaviour::default()
        },
    );
    // Without the identity token the source refuses.
    mirror_via(&home, &proxy, &dst, "private/app:1")
        .run()
        .code(3);
    std::fs::write(
        home.docker_config(),
        format!(
            r#"{{"auths":{{"{}":{{"identitytoken":"refresh-abc123"}}}}}}"#,
            proxy.addr
        ),
    )
    .unwrap();
    mirror_via(&home, &proxy, &dst, "private/app:1")
        .ok()
        .stderr_lacks("refresh-abc123");
    assert!(proxy.stats.refresh_grants.load(Ordering::SeqCst) >= 1);
    assert!(skopeo_exists(&dst, "private/app:1"));
}

#[test]
fn expired_tokens_are_renewed_during_a_run() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(47, &[1000, 2000, 3000, 4000]).push(&src, "long/run:1", false);
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            token: true,
            token_lifetime: Some(2),
            ..Behaviour::default()
        },
    );
    mirror_via(&home, &proxy, &dst, "long/run:1")
        .arg("-j")
        .arg("1")
        .ok();
    assert!(proxy.stats.expired_tokens_refused.load(Ordering::SeqCst) >= 1);
    assert_eq!(
        skopeo_digest(&dst, "long/run:1"),
        skopeo_digest(&src, "long/run:1")
    );
}

#[test]
fn several_sources_go_where_to_says() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(34, &[1500]).push(&src, "oss/a:1", true);
    TestImage::single(35, &[1600]).push(&src, "oss/b:2", true);
    // --src-plain-http is for the source only: the destination stays HTTPS.
    mirror(&home, &src, &dst)
        .arg(format!("{}/oss/a:1", src.addr))
        .arg(format!("{}/oss/b:2", src.addr))
        .args(["--to", &format!("{}/edge", dst.addr)])
        .ok();
    assert_eq!(
        skopeo_digest(&dst, "edge/oss/a:1"),
        skopeo_digest(&src, "oss/a:1")
    );
    assert_eq!(
        skopeo_digest(&dst, "edge/oss/b:2"),
        skopeo_digest(&src, "oss/b:2")
    );
    // One source with --to: the same rule.
    mirror(&home, &src, &dst)
        .arg(format!("{}/oss/a:1", src.addr))
        .args(["--to", &dst.addr])
        .ok();
    assert!(skopeo_exists(&dst, "oss/a:1"));
}

/// Sizes as indicatif shows them (`{total_bytes}`): binary prefixes, two decimals.
fn indicatif_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.2} {}", UNITS[unit])
}

#[test]
fn progress_on_a_terminal_shows_the_real_total_and_each_image() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::multi(60, &[("linux", "amd64"), ("linux", "arm64")]).push(&src, "multi:1", false);
    let from = format!("{}/multi:1", src.addr);
    // The plan, for the numbers the bars must show.
    let plan = mirror(&home, &src, &dst)
        .args(["--dry-run", "--format", "json", &from])
        .arg(format!("{}/multi:1", dst.addr))
        .ok()
        .json();
    let blobs = plan["items"][0]["blobsToCopy"].as_u64().unwrap();
    let bytes = plan["items"][0]["bytesToCopy"].as_u64().unwrap();
    assert!(blobs >= 4, "{plan}");

    let tty = mirror(&home, &src, &dst)
        .env("TERM", "xterm")
        .arg(&from)
        .arg(format!("{}/multi:1", dst.addr))
        .run_on_terminal();
    assert_eq!(tty.code, 0, "{tty:?}");
    let screen = &tty.stdout;
    // Every frame of the overall bar (`N/M blobs DONE/TOTAL ...`) shows the
    // whole image's total, never a total that grows as blobs start.
    let totals: Vec<String> = screen
        .split(" blobs ")
        .skip(1)
        .filter(|rest| !rest.starts_with(' ') && !rest.starts_with("copied"))
        .filter_map(|rest| rest.split_once('/'))
        .map(|(_, total)| {
            total
                .split_whitespace()
                .take(2)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert!(!totals.is_empty(), "no progress drawn:\n{screen:?}");
    let total = indicatif_bytes(bytes);
    assert!(
        totals.iter().all(|t| *t == total),
        "totals {totals:?}, expected each to be {total}"
    );
    // The image's line: its name, platforms and blob count, done at the end.
    assert!(
        screen.contains(&format!("{from} linux/amd64, linux/arm64")),
        "{screen:?}"
    );
    assert!(
        screen.contains(&format!("{blobs}/{blobs} blobs  done")),
        "{screen:?}"
    );
    assert!(screen.contains("mirrored 1 image:"), "{screen:?}");

    // Asked not to, or writing JSON: no bars even on a terminal.
    for (flags, to) in [
        (&["--no-progress"][..], "b"),
        (&["-q"], "c"),
        (&["--format", "json"], "d"),
    ] {
        let tty = mirror(&home, &src, &dst)
            .env("TERM", "xterm")
            .args(flags)
            .arg(&from)
            .arg(format!("{}/{to}/multi:1", dst.addr))
            .run_on_terminal();
        assert_eq!(tty.code, 0, "{tty:?}");
        // No bar, and no line redrawn in place.
        assert!(!tty.stdout.contains(" eta "), "{flags:?}: {:?}", tty.stdout);
        assert!(
            !tty.stdout.contains('\u{1b}'),
            "{flags:?}: {:?}",
            tty.stdout
        );
    }
}

#[test]
fn summaries_say_each_thing_once_in_words() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(61, &[50_000, 2000]).push(&src, "app:1", false);
    let from = format!("{}/app:1", src.addr);
    let to = format!("{}/app:1", dst.addr);

    // A dry run: one line for the image, one summary, nothing about "up to date".
    let out = mirror(&home, &src, &dst)
        .args(["--dry-run", &from, &to])
        .ok();
    assert_eq!(out.lines().len(), 1, "{}", out.stdout);
    assert!(out.stdout.contains("would copy 3 blobs"), "{}", out.stdout);
    assert!(
        out.stderr.contains("would mirror 1 image: 3 blobs to copy"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("dry run, nothing written"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("up to date"), "{}", out.stderr);
    assert!(
        !out.stderr.contains("would copy"),
        "said twice:\n{}",
        out.stderr
    );

    // A copy: counters that happened, none that did not.
    let out = mirror(&home, &src, &dst).args([&from, &to]).ok();
    assert!(
        out.stderr.contains("mirrored 1 image: 3 blobs copied ("),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(" 0 "), "{}", out.stderr);

    // Nothing to do: said in words, without zero counters or a rate.
    let out = mirror(&home, &src, &dst).args([&from, &to]).ok();
    assert!(out.stdout.contains("up to date"), "{}", out.stdout);
    let summary = out.stderr.lines().last().unwrap_or_default();
    assert_eq!(summary, "up to date: nothing to copy", "{}", out.stderr);

    // Three images (three sources, --to the destination) that all fail: how
    // many of how many.
    let out = mirror(&home, &src, &dst)
        .arg(format!("{}/ghost:1", src.addr))
        .arg(format!("{}/ghost:2", src.addr))
        .arg(format!("{}/ghost:3", src.addr))
        .args(["--to", &dst.addr])
        .run()
        .code(1);
    assert!(out.stderr.contains("3 of 3 failed"), "{}", out.stderr);
    assert_eq!(out.stderr.matches("error:").count(), 3, "{}", out.stderr);
}

#[test]
fn copies_within_one_registry_are_mounts() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(36, &[3000, 2000]).push(&src, "oss/app:1", true);
    mirror(&home, &src, &dst)
        .arg(format!("{}/oss/app:1", src.addr))
        .arg(format!("{}/edge/app:1", dst.addr))
        .ok();
    // A later run copies it to other repositories of the same registry: every
    // blob is mounted from the source repository, none goes through aseecr.
    for target in ["edge/copy:1", "team/app:2"] {
        let out = home
            .aseecr()
            .args(["mirror", "--ca-cert"])
            .arg(dst.ca_file())
            .args(["-u", USER, "--format", "json"])
            .env("ASEECR_PASSWORD", PASSWORD)
            .arg(format!("{}/edge/app:1", dst.addr))
            .arg(format!("{}/{target}", dst.addr))
            .ok();
        let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let item = &report["items"][0];
        assert_eq!(item["blobsCopied"], 0, "{report}");
        assert_eq!(item["blobsMounted"], 3, "{report}");
        assert_eq!(
            skopeo_digest(&dst, target),
            skopeo_digest(&src, "oss/app:1")
        );
    }
}

/// An index listing one platform a thousand times: the error for a platform
/// it lacks names that platform once (it named it a thousand times).
#[test]
fn an_index_repeating_one_platform_names_it_once_in_the_error() {
    use sha2::Digest as _;
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(45, &[2000]).push(&src, "leaf:1", false);
    let leaf = skopeo_raw(&src, "leaf:1");
    let entry = serde_json::json!({
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": format!("sha256:{}", hex::encode(sha2::Sha256::digest(&leaf))),
        "size": leaf.len(),
        "platform": {"os": "linux", "architecture": "amd64"},
    });
    let index = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": vec![entry; 1000],
    }))
    .unwrap();
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            manifests: std::collections::HashMap::from([(
                "same".to_owned(),
                ("application/vnd.oci.image.index.v1+json".to_owned(), index),
            )]),
            ..Behaviour::default()
        },
    );
    let out = mirror_via(&home, &proxy, &dst, "leaf:same")
        .args(["--platform", "linux/arm64"])
        .run()
        .code(2)
        .stderr_has("has no platform matching `linux/arm64`; it has linux/amd64\n");
    assert_eq!(
        out.stderr.matches("linux/amd64").count(),
        1,
        "{}",
        out.stderr
    );
    assert!(!skopeo_exists(&dst, "leaf:same"));
}

#[test]
fn a_tag_filter_that_matches_nothing_is_not_found() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(46, &[1_000]).push(&src, "app/web:1.0", false);
    let out = mirror(&home, &src, &dst)
        .args(["--all-tags", "--tags", "^2\\."])
        .arg(format!("{}/app/web", src.addr))
        .arg(format!("{}/app/web", dst.addr))
        .run()
        .code(4)
        .stderr_has(&format!("no tag of `{}/app/web` matches `^2\\.`", src.addr))
        .stderr_has("aseecr tags");
    assert!(!out.stderr.contains("nothing mirrored"), "{}", out.stderr);
    assert!(!skopeo_exists(&dst, "app/web:1.0"));
}

#[test]
fn all_tags_are_reported_in_version_order() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    // The registry lists tags by string (1.10 before 1.2); people read versions.
    let tags = ["1.2", "1.9", "1.10", "2.0", "10.0"];
    for (i, tag) in tags.iter().enumerate() {
        TestImage::single(47 + i as u64, &[1_000 * (5 - i)]).push(
            &src,
            &format!("app/web:{tag}"),
            false,
        );
    }
    let out = mirror(&home, &src, &dst)
        .args(["--all-tags"])
        .arg(format!("{}/app/web", src.addr))
        .arg(format!("{}/app/web", dst.addr))
        .ok();
    let listed: Vec<&str> = out
        .stdout
        .lines()
        .map(|l| l.split('@').next().unwrap().rsplit(':').next().unwrap())
        .collect();
    assert_eq!(listed, tags, "{}", out.stdout);
    let json = mirror(&home, &src, &dst)
        .args(["--all-tags", "--format", "json"])
        .arg(format!("{}/app/web", src.addr))
        .arg(format!("{}/app/web", dst.addr))
        .ok()
        .json();
    let listed: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["source"].as_str().unwrap().rsplit(':').next().unwrap())
        .collect();
    assert_eq!(listed, tags, "{json}");
}

#[test]
fn a_source_without_a_registry_is_docker_hubs_and_says_so() {
    let src = source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(53, &[1_000]).push(&src, "app:1.0", false);
    let d = &dst.addr;
    // With a default registry set, a bare source still names Docker Hub: said
    // before anything is read. Tests stay on 127.0.0.1: the request that follows
    // goes through a proxy at a closed local port and fails there.
    let out = mirror(&home, &src, &dst)
        .env("ASEECR_REGISTRY", d)
        .env("HTTPS_PROXY", "http://127.0.0.1:9")
        .env("HTTP_PROXY", "http://127.0.0.1:9")
        .env("ALL_PROXY", "http://127.0.0.1:9")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .arg("aseecr-no-such-image:0")
        .arg(format!("oci:{}", home.path().join("out").display()))
        .run();
    assert_ne!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!(
            "`aseecr-no-such-image:0` means docker.io/library/aseecr-no-such-image:0 (a mirror source without a registry is Docker Hub's; write `{d}/aseecr-no-such-image:0` for the default registry's)"
        )),
        "{}",
        out.stderr
    );
    // A source that names its registry: no note.
    let out = mirror(&home, &src, &dst)
        .env("ASEECR_REGISTRY", d)
        .arg(format!("{}/app:1.0", src.addr))
        .ok();
    assert!(!out.stderr.contains("Docker Hub"), "{}", out.stderr);
    assert!(skopeo_exists(&dst, "app:1.0"));
}
