//! Connections broken off at random byte offsets, and Ctrl-C: a mirror either
//! completes with the source's digests or fails cleanly, never leaves a tag that
//! points at missing blobs or an upload session behind, and a rerun completes.
//!
//! Seeded: a failure prints its seed; `ASEECR_FAULT_SEED=N` replays the faults
//! (the order of concurrent requests may still differ).

use std::time::{Duration, Instant};

use crate::util::image::{
    layer_digests, skopeo_digest, skopeo_exists, skopeo_pull_digest, skopeo_pulls,
};
use crate::util::proxy::{Behaviour, Proxy};
use crate::util::{Aseecr, Home, TestImage, TestRegistry};

/// Mirrors through the faulty proxies.
const RUNS: usize = 50;
/// One blob or manifest answer in this many is broken off.
const ONE_IN: u64 = 2;

fn plain_registry() -> TestRegistry {
    TestRegistry::plain()
}

fn seed() -> u64 {
    std::env::var("ASEECR_FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos() as u64
        })
}

/// `aseecr mirror SRC DST` over plain HTTP on both sides, with short timeouts.
fn mirror(home: &Home, from: &str, to: &str) -> Aseecr {
    home.aseecr()
        .args(["mirror", "--src-plain-http", "--dst-plain-http", from, to])
        .env("ASEECR_RESPONSE_TIMEOUT", "2")
        .env("ASEECR_IDLE_TIMEOUT", "2")
}

#[test]
fn random_faults_complete_or_fail_cleanly_and_never_break_a_tag() {
    let seed = seed();
    let src = plain_registry();
    let dst = plain_registry();
    let home = Home::new();
    // One large layer (streamed in a PATCH), small ones (one PUT), and an index.
    TestImage::single(70, &[4_300_000, 2_000]).push(&src, "large:1", false);
    TestImage::single(71, &[30_000, 2_000, 500]).push(&src, "small:1", false);
    TestImage::multi(72, &[("linux", "amd64"), ("linux", "arm64")]).push(&src, "multi:1", false);
    let digests =
        ["large:1", "small:1", "multi:1"].map(|image| (image, skopeo_digest(&src, image)));
    // Faults in the source's answers (manifests, blobs) and in the destination's
    // (the "already there?" GET, read-backs).
    let from = Proxy::start(
        &src.addr,
        Behaviour {
            random_drops: Some((seed, ONE_IN)),
            ..Behaviour::default()
        },
    );
    let to = Proxy::start(
        &dst.addr,
        Behaviour {
            random_drops: Some((seed ^ 0x5555, ONE_IN)),
            ..Behaviour::default()
        },
    );
    let started = Instant::now();
    let mut failed = 0;
    for run in 0..RUNS {
        let (image, digest) = &digests[run % digests.len()];
        let target = format!("r{run}/{image}");
        let out = mirror(
            &home,
            &format!("{}/{image}", from.addr),
            &format!("{}/{target}", to.addr),
        )
        .run();
        let context = || {
            format!(
                "ASEECR_FAULT_SEED={seed}, run {run}: exit {}\n--- stderr\n{}",
                out.code, out.stderr
            )
        };
        match out.code {
            0 => {}
            1 | 6 => {
                failed += 1;
                let errors = out
                    .stderr
                    .lines()
                    .filter(|l| l.starts_with("error:"))
                    .count();
                assert_eq!(errors, 1, "{}", context());
            }
            _ => panic!("undocumented exit code: {}", context()),
        }
        // A tag that exists is whole: its manifests and every blob can be pulled.
        if out.code == 0 || skopeo_exists(&dst, &target) {
            let pulled = skopeo_pull_digest(&dst, &target);
            assert_eq!(pulled.as_ref(), Some(digest), "not pullable: {}", context());
        }
        if out.code != 0 {
            mirror(
                &home,
                &format!("{}/{image}", src.addr),
                &format!("{}/{target}", dst.addr),
            )
            .ok();
            assert_eq!(&skopeo_digest(&dst, &target), digest, "{}", context());
        }
    }
    assert_eq!(
        dst.leftover_uploads(),
        Vec::<String>::new(),
        "ASEECR_FAULT_SEED={seed}"
    );
    let dropped = from
        .stats
        .random_dropped
        .load(std::sync::atomic::Ordering::SeqCst)
        + to.stats
            .random_dropped
            .load(std::sync::atomic::Ordering::SeqCst);
    eprintln!(
        "ASEECR_FAULT_SEED={seed}: {RUNS} mirrors, {dropped} answers broken off, {failed} runs failed, {:?}",
        started.elapsed()
    );
    assert!(dropped > 0, "ASEECR_FAULT_SEED={seed}: no fault happened");
}

/// Ctrl-C in the middle of a transfer: both open uploads are cancelled, the
/// finished image stays, exit 130 with one line, and a rerun completes.
#[cfg(unix)]
#[test]
fn ctrl_c_cancels_open_uploads_and_exits_130() {
    let src = plain_registry();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(73, &[3_000]).push(&src, "done:1", false);
    TestImage::single(74, &[4_300_000, 40_000]).push(&src, "slow:1", false);
    let layers = layer_digests(&src, "slow:1");
    // The large layer trickles (64 KiB every 100 ms: mid-PATCH when interrupted);
    // the small one never comes (its session is open, nothing sent yet).
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            pace_blob: Some((layers[0].clone(), 64 * 1024, Duration::from_millis(100))),
            stall_blob: Some(layers[1].clone()),
            ..Behaviour::default()
        },
    );
    let list = home.path().join("images.txt");
    std::fs::write(
        &list,
        format!(
            "{p}/done:1 {d}/done:1\n{p}/slow:1 {d}/slow:1\n",
            p = proxy.addr,
            d = dst.addr
        ),
    )
    .unwrap();
    let run = |list: &std::path::Path| {
        crate::util::authed(&home, &dst)
            .args(["mirror", "--src-plain-http", "--dst-ca-cert"])
            .arg(dst.ca_file())
            .arg("-f")
            .arg(list)
    };
    let child = run(&list).spawn();
    // Wait until the small blob stalls and the large one has been flowing a while.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !proxy
        .stats
        .stalled
        .load(std::sync::atomic::Ordering::SeqCst)
    {
        assert!(Instant::now() < deadline, "the transfer never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(500));
    let interrupted = Instant::now();
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(
        interrupted.elapsed() < Duration::from_secs(5),
        "{:?}",
        interrupted.elapsed()
    );
    assert!(
        stderr.contains(
            "interrupted: 1 of 2 images mirrored, 2 uploads cancelled; run the same command again to continue"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("error:"), "{stderr}");
    assert_eq!(dst.leftover_uploads(), Vec::<String>::new());
    assert!(skopeo_pulls(&dst, "done:1"));
    assert!(!skopeo_exists(&dst, "slow:1"));

    // The same list without the faults: the rest is copied.
    std::fs::write(
        &list,
        format!(
            "{p}/done:1 {d}/done:1\n{p}/slow:1 {d}/slow:1\n",
            p = src.addr,
            d = dst.addr
        ),
    )
    .unwrap();
    run(&list)
        .ok()
        .stderr_has("mirrored 1 image: 2 blobs copied")
        .stderr_has("1 up to date");
    assert_eq!(skopeo_digest(&dst, "slow:1"), skopeo_digest(&src, "slow:1"));
}
