//! The hidden `aseecr build-image` (release CI's container image), run as the real
//! binary on the test's own aseecr, and checked with skopeo and by reading the layer.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use crate::util::Home;

const EPOCH: &str = "1700000000";

/// skopeo with its caches in `home`.
fn skopeo(home: &Home, args: &[&str]) -> Vec<u8> {
    let out = Command::new("skopeo")
        .arg("--insecure-policy")
        .args(args)
        .env("_CONTAINERS_ROOTLESS_UID", "65534")
        .env("XDG_DATA_HOME", home.path().join("xdg"))
        .env("TMPDIR", home.path())
        .output()
        .expect("run skopeo (apt-get install skopeo)");
    assert!(
        out.status.success(),
        "skopeo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A CA bundle of two self-signed certificates, PEM.
fn bundle(home: &Home) -> (std::path::PathBuf, String) {
    let mut pem = String::new();
    for name in ["root-a.example", "root-b.example"] {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec![name.to_owned()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        pem.push_str(&cert.pem());
    }
    let path = home.path().join("ca-certificates.crt");
    std::fs::write(&path, &pem).unwrap();
    (path, pem)
}

/// `build-image` of `binary`; the test's own aseecr is linked against the C
/// library, so dynamic programs are let through (and warned about).
fn build(home: &Home, binary: &Path, ca: &Path, dest: &str) -> crate::util::cmd::Output {
    home.aseecr()
        .args(["build-image", "--allow-dynamic", "--binary"])
        .arg(binary)
        .arg("--ca-bundle")
        .arg(ca)
        .args([
            "--image-version",
            "9.9.9",
            "--revision",
            "0123abc",
            "--source-date-epoch",
            EPOCH,
            dest,
        ])
        .run()
}

#[test]
fn build_image_writes_one_layer_with_the_program_and_the_ca_bundle() {
    let home = Home::new();
    let program = std::path::PathBuf::from(crate::util::program());
    let (ca, pem) = bundle(&home);
    let archive = home.path().join("aseecr-image.tar");
    let dest = format!("oci-archive:{}:9.9.9", archive.display());
    let out = build(&home, &program, &ca, &dest);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let digest = out.stdout.trim().to_owned();
    assert!(
        digest.starts_with("sha256:") && digest.len() == 71,
        "{}",
        out.stdout
    );
    // The test's aseecr is linked against the C library: said, and let through
    // only because the test asks; without --allow-dynamic it is refused.
    assert!(
        out.stderr.contains("is dynamically linked"),
        "{}",
        out.stderr
    );
    let refused = home
        .aseecr()
        .args(["build-image", "--binary"])
        .arg(&program)
        .arg("--ca-bundle")
        .arg(&ca)
        .args([
            "--image-version",
            "1",
            &format!("oci:{}", home.path().join("refused").display()),
        ])
        .run();
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("help: build it static"),
        "{}",
        refused.stderr
    );
    assert!(!home.path().join("refused").exists());
    assert!(out.stderr.contains("2 certificates"), "{}", out.stderr);

    // skopeo reads it: an OCI manifest of one gzip layer, and the config.
    let raw = skopeo(&home, &["inspect", "--raw", &dest]);
    let manifest: serde_json::Value = serde_json::from_slice(&raw).unwrap();
    assert_eq!(
        manifest["mediaType"],
        "application/vnd.oci.image.manifest.v1+json"
    );
    let layers = manifest["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 1);
    assert_eq!(
        layers[0]["mediaType"],
        "application/vnd.oci.image.layer.v1.tar+gzip"
    );
    assert_eq!(
        format!(
            "sha256:{}",
            hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&raw))
        ),
        digest
    );
    let config: serde_json::Value =
        serde_json::from_slice(&skopeo(&home, &["inspect", "--config", "--raw", &dest])).unwrap();
    assert_eq!(config["os"], "linux");
    assert_eq!(config["architecture"], "amd64");
    assert_eq!(config["created"], "2023-11-14T22:13:20Z");
    let c = &config["config"];
    assert_eq!(
        c["Entrypoint"],
        serde_json::json!(["/usr/local/bin/aseecr"])
    );
    assert_eq!(c["User"], "65532:65532");
    assert_eq!(c["WorkingDir"], "/tmp");
    assert_eq!(
        c["Env"],
        serde_json::json!([
            "PATH=/usr/local/bin",
            "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
            "HOME=/tmp"
        ])
    );
    let labels = &c["Labels"];
    assert_eq!(labels["org.opencontainers.image.version"], "9.9.9");
    assert_eq!(labels["org.opencontainers.image.revision"], "0123abc");
    assert_eq!(labels["org.opencontainers.image.title"], "aseecr");
    assert_eq!(
        labels["org.opencontainers.image.created"],
        "2023-11-14T22:13:20Z"
    );
    assert_eq!(manifest["annotations"], *labels);

    // skopeo copies it out; the layer holds exactly the program, the bundle and
    // their directories, owned by root, with the modes a container needs.
    let copied = home.path().join("copied");
    skopeo(
        &home,
        &["copy", &dest, &format!("dir:{}", copied.display())],
    );
    let layer_hex = layers[0]["digest"]
        .as_str()
        .unwrap()
        .trim_start_matches("sha256:");
    let gz = std::fs::read(copied.join(layer_hex)).unwrap();
    let mut tar = Vec::new();
    flate2::read::GzDecoder::new(gz.as_slice())
        .read_to_end(&mut tar)
        .unwrap();
    assert_eq!(
        config["rootfs"]["diff_ids"][0],
        format!(
            "sha256:{}",
            hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&tar))
        )
    );
    let mut entries = Vec::new();
    let mut archive = tar::Archive::new(tar.as_slice());
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let header = entry.header().clone();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        let mut body = Vec::new();
        entry.read_to_end(&mut body).unwrap();
        assert_eq!(
            (header.uid().unwrap(), header.gid().unwrap()),
            (0, 0),
            "{path}"
        );
        assert_eq!(header.mtime().unwrap(), 1_700_000_000, "{path}");
        match path.as_str() {
            "usr/local/bin/aseecr" => assert_eq!(body, std::fs::read(&program).unwrap()),
            "etc/ssl/certs/ca-certificates.crt" => assert_eq!(body, pem.as_bytes()),
            _ => assert!(body.is_empty(), "{path}"),
        }
        entries.push((path, header.mode().unwrap()));
    }
    let expected: Vec<(String, u32)> = [
        ("etc/", 0o755),
        ("etc/ssl/", 0o755),
        ("etc/ssl/certs/", 0o755),
        ("etc/ssl/certs/ca-certificates.crt", 0o644),
        ("tmp/", 0o1777),
        ("usr/", 0o755),
        ("usr/local/", 0o755),
        ("usr/local/bin/", 0o755),
        ("usr/local/bin/aseecr", 0o755),
    ]
    .iter()
    .map(|(p, m)| ((*p).to_owned(), *m))
    .collect();
    assert_eq!(entries, expected);

    // The same inputs give the same image, in a layout directory too.
    let dir = home.path().join("layout");
    let again = build(
        &home,
        &program,
        &ca,
        &format!("oci:{}:9.9.9", dir.display()),
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.stdout.trim(), digest);
    let raw_dir = skopeo(
        &home,
        &["inspect", "--raw", &format!("oci:{}:9.9.9", dir.display())],
    );
    assert_eq!(raw_dir, raw);
}

#[test]
fn build_image_refuses_what_cannot_be_an_image() {
    let home = Home::new();
    let (ca, _) = bundle(&home);
    let script = home.path().join("aseecr.sh");
    std::fs::write(&script, "#!/bin/sh\necho hi\n").unwrap();
    let archive = home.path().join("image.tar");
    let dest = format!("oci-archive:{}:1", archive.display());
    let out = build(&home, &script, &ca, &dest);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("is not a 64-bit Linux program for amd64 or arm64"),
        "{}",
        out.stderr
    );
    assert!(!archive.exists());

    // An ELF header of an amd64 program without program headers: enough to be
    // taken as a program (on every lane, the Windows one included).
    let mut elf = vec![0u8; 64];
    elf[..6].copy_from_slice(b"\x7fELF\x02\x01");
    elf[18] = 0x3e;
    let program = home.path().join("program");
    std::fs::write(&program, &elf).unwrap();
    let out = build(&home, &program, &script, &dest);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("not a certificate"), "{}", out.stderr);
    assert!(!archive.exists());

    let out = build(&home, &program, &ca, "docker-archive:x.tar:a:1");
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("help: write it as oci:DIR:NAME or oci-archive:FILE:NAME"),
        "{}",
        out.stderr
    );

    // Hidden: not in the help, the completions' command list or the man page.
    let help = home.aseecr().arg("--help").run();
    assert!(!help.stdout.contains("build-image"), "{}", help.stdout);
    let man = home.aseecr().arg("man").run();
    assert!(!man.stdout.contains("build-image"));
}
