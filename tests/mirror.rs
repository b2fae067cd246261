//! mirror: real source and destination registries, checked with skopeo.

use crate::util::image::{skopeo_digest, skopeo_exists, skopeo_raw};
use crate::util::registry::{Auth, Options, PASSWORD, Tls, USER};
use crate::util::{Home, TestImage, TestRegistry};

/// An anonymous plain-HTTP source registry.
fn source() -> TestRegistry {
    TestRegistry::start(Options {
        tls: Tls::None,
        auth: Auth::Anonymous,
        ..Options::default()
    })
}

/// `aseecr mirror` with the source over plain HTTP and the destination's CA and login.
fn mirror(home: &Home, src: &TestRegistry, dst: &TestRegistry) -> crate::util::Aseecr {
    home.aseecr()
        .arg("mirror")
        .arg("--src-plain-http")
        .arg("--dst-ca-cert")
        .arg(dst.ca_file())
        .args(["-u", USER])
        .env("ASEECR_PASSWORD", PASSWORD)
        .env("ASEECR_TEST_SOURCE", &src.addr)
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
    assert_eq!(json["images"][0]["digestChanged"], true);
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
    assert_eq!(dst.blob_bytes(), 0);
    mirror(&home, &src, &dst)
        .args(["--platform", "linux"])
        .arg(format!("{}/a:1", src.addr))
        .run()
        .code(2)
        .stderr_has("invalid platform");
}
