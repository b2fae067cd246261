//! `mirror --limit-rate`: one limit on the bytes read from the sources, for the
//! whole run.

use std::time::Instant;

use crate::util::image::skopeo_digest;
use crate::util::registry::{PASSWORD, USER};
use crate::util::{Home, TestImage, TestRegistry};

const MIB: usize = 1 << 20;

/// The test: `--limit-rate 5M` on a 50 MiB copy takes 10 s +- 15%. Three
/// layers, so that two large transfers run at once and share the one limit.
#[test]
fn limit_rate_5m_copies_50_mib_in_10_seconds() {
    let src = TestRegistry::plain();
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(80, &[20 * MIB, 20 * MIB, 10 * MIB]).push(&src, "big:1", false);

    let started = Instant::now();
    let out = home
        .aseecr()
        .arg("mirror")
        .arg("--src-plain-http")
        .arg("--dst-ca-cert")
        .arg(dst.ca_file())
        .args(["-u", USER, "--limit-rate", "5M", "--format", "json"])
        .env("ASEECR_PASSWORD", PASSWORD)
        .arg(format!("{}/big:1", src.addr))
        .arg(format!("{}/big:1", dst.addr))
        .ok();
    let wall = started.elapsed().as_secs_f64();
    let json = out.json();
    let seconds = json["summary"]["seconds"].as_f64().unwrap();
    let bytes = json["summary"]["bytesCopied"].as_u64().unwrap();
    eprintln!(
        "--limit-rate 5M: {bytes} bytes in {seconds:.2} s by aseecr's clock, {wall:.2} s wall time"
    );
    assert!(bytes >= 50 * MIB as u64, "{json}");
    assert_eq!(skopeo_digest(&dst, "big:1"), skopeo_digest(&src, "big:1"));
    // 50 MiB at 5 MiB/s: 10 s +- 15%, for the copy itself...
    assert!((8.5..=11.5).contains(&seconds), "{seconds:.2} s");
    // ...and for the whole process, which under wine also starts wine (generous).
    let start_up = if crate::util::windows_target() {
        20.0
    } else {
        0.5
    };
    assert!(
        (8.5..=11.5 + start_up).contains(&wall),
        "{wall:.2} s wall time"
    );
}

#[test]
fn invalid_rates_are_usage_errors_with_help() {
    let home = Home::new();
    for (rate, says) in [
        ("20X", "invalid --limit-rate `20X`"),
        ("20MB", "KB, MB and GB are ambiguous"),
        ("1K", "below the lowest rate aseecr accepts, 16K"),
        ("", "invalid --limit-rate"),
    ] {
        home.aseecr()
            .args([
                "mirror",
                "--limit-rate",
                rate,
                "a:1",
                "ecr.example:31001/a:1",
            ])
            .run()
            .code(2)
            .stderr_has(says)
            .stderr_has("help: ");
    }
    let failure = home
        .aseecr()
        .args([
            "mirror",
            "--limit-rate",
            "fast",
            "a:1",
            "ecr.example:31001/a:1",
        ])
        .args(["--format", "json"])
        .run()
        .code(2)
        .json();
    assert_eq!(failure["error"]["kind"], "usage", "{failure}");
    assert!(
        failure["error"]["help"][0]
            .as_str()
            .unwrap()
            .contains("1024-based"),
        "{failure}"
    );
}
