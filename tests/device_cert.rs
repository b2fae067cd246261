//! A device-like registry (a self-signed `CA:TRUE` certificate): trusted through
//! the OS store as OS clients trust it, judged so by doctor, and a re-issued
//! certificate told apart from an unknown one. The OS store is a temp bundle
//! (`SSL_CERT_FILE`, honoured by rustls-native-certs), never the machine's.

use crate::util::registry::{Options, PASSWORD, Tls, USER};
use crate::util::{Home, TestImage, TestRegistry};

fn device() -> TestRegistry {
    TestRegistry::start(Options {
        tls: Tls::SelfSignedCa,
        ..Options::default()
    })
}

#[test]
fn a_self_signed_root_of_the_os_store_is_trusted() {
    let registry = device();
    let other = device();
    let home = Home::new();
    TestImage::single(90, &[64]).push(&registry, "dev:1", false);
    let target = format!("{}/dev", registry.addr);
    let tags = |bundle: &std::path::Path| {
        home.aseecr()
            .args(["tags", &target, "-u", USER])
            .env("ASEECR_PASSWORD", PASSWORD)
            .env("SSL_CERT_FILE", bundle)
    };
    // The device certificate is a root of the OS store: accepted, as curl does.
    tags(&registry.server_cert()).ok().stdout_has("1");
    // Another device's certificate in the OS store does not help.
    tags(&other.server_cert())
        .run()
        .code(5)
        .stderr_has("CA certificate used as a server certificate");
    // doctor judges the OS store the same way.
    let out = home
        .aseecr()
        .args(["doctor", &registry.addr, "-u", USER])
        .env("ASEECR_PASSWORD", PASSWORD)
        .env("SSL_CERT_FILE", registry.server_cert())
        .ok();
    assert!(
        out.stdout.contains("trusted by the OS store and aseecr"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("not by the OS store"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_reissued_certificate_is_told_apart_from_an_unknown_one() {
    let registry = device();
    let previous = device();
    let home = Home::new();
    TestImage::single(91, &[64]).push(&registry, "dev:1", false);
    let target = format!("{}/dev", registry.addr);
    // aseecr remembers the previous device certificate for this registry.
    home.aseecr()
        .args([
            "--registry",
            &registry.addr,
            "trust-cert",
            "--store",
            "aseecr",
        ])
        .arg(previous.server_cert())
        .ok();
    let tags = || {
        home.aseecr()
            .args(["tags", &target, "-u", USER])
            .env("ASEECR_PASSWORD", PASSWORD)
            .env("SSL_CERT_FILE", previous.server_cert())
    };
    let out = tags()
        .run()
        .code(5)
        .stderr_has("the registry now presents SHA-256")
        .stderr_has("you trusted SHA-256")
        .stderr_has(" on 20")
        .stderr_has("--replace");
    assert!(!out.stderr.contains("unknown authority"), "{}", out.stderr);
    let json = tags().args(["--format", "json"]).run().code(5).json();
    assert_eq!(json["error"]["kind"], "tls-changed");
    // Trusting the new one needs --replace, then it works.
    home.aseecr()
        .args([
            "--registry",
            &registry.addr,
            "trust-cert",
            "--store",
            "aseecr",
        ])
        .arg(registry.server_cert())
        .run()
        .code(2)
        .stderr_has("--replace");
    home.aseecr()
        .args([
            "--registry",
            &registry.addr,
            "trust-cert",
            "--store",
            "aseecr",
            "--replace",
        ])
        .arg(registry.server_cert())
        .ok();
    tags().ok().stdout_has("1");
}

/// The SHA-256 of the one certificate in a PEM file, as aseecr prints it.
fn sha256_colon(pem_file: &std::path::Path) -> String {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    use sha2::{Digest, Sha256};
    let der = CertificateDer::from_pem_file(pem_file).unwrap();
    Sha256::digest(der.as_ref())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// A re-issued `CA:FALSE` certificate has the same subject as the one trusted,
/// so webpki checks it against that one's key and refuses it as a bad
/// signature: still told as the registry's certificate having changed, with
/// both fingerprints, and the command in the help works.
#[test]
fn a_reissued_server_certificate_is_told_apart_too() {
    let registry = TestRegistry::start(Options {
        tls: Tls::SelfSigned,
        ..Options::default()
    });
    let previous = TestRegistry::start(Options {
        tls: Tls::SelfSigned,
        ..Options::default()
    });
    let home = Home::new();
    TestImage::single(92, &[64]).push(&registry, "dev:1", false);
    let target = format!("{}/dev", registry.addr);
    home.aseecr()
        .args([
            "--registry",
            &registry.addr,
            "trust-cert",
            "--store",
            "aseecr",
        ])
        .arg(previous.server_cert())
        .ok();
    let tags = || {
        home.aseecr()
            .args(["tags", &target, "-u", USER])
            .env("ASEECR_PASSWORD", PASSWORD)
            .env("SSL_CERT_FILE", previous.server_cert())
    };
    let now = sha256_colon(&registry.server_cert());
    let before = sha256_colon(&previous.server_cert());
    let out = tags()
        .run()
        .code(5)
        .stderr_has(&format!("the registry now presents SHA-256 {now}"))
        .stderr_has(&format!("you trusted SHA-256 {before}"))
        .stderr_has(&format!(
            "`aseecr trust-cert --fetch --registry {} --replace`",
            registry.addr
        ));
    assert!(!out.stderr.contains("BadSignature"), "{}", out.stderr);
    let json = tags().args(["--format", "json"]).run().code(5).json();
    assert_eq!(json["error"]["kind"], "tls-changed");
    // doctor says the same.
    let out = home
        .aseecr()
        .args(["doctor", &registry.addr, "-u", USER, "--format", "json"])
        .env("ASEECR_PASSWORD", PASSWORD)
        .env("SSL_CERT_FILE", previous.server_cert())
        .run();
    assert!(out.stdout.contains("tls-changed"), "{}", out.stdout);
    assert!(out.stdout.contains(&now), "{}", out.stdout);
    // The command the help gives (the fingerprint confirmed as its refusal
    // without a terminal asks) replaces the old certificate; then it works.
    home.aseecr()
        .args([
            "trust-cert",
            "--fetch",
            "--registry",
            &registry.addr,
            "--replace",
            "--store",
            "aseecr",
            "--fingerprint",
            &now,
        ])
        .ok()
        .stderr_has("aseecr: replaced the previous certificate");
    tags().ok().stdout_has("1");
}

/// A `CA:TRUE` device certificate in the OS store is a root for every site:
/// doctor says so (and how to trust it only for the registry); a `CA:FALSE`
/// one cannot sign for other sites, so it gets no such warning.
#[test]
fn doctor_reports_a_device_certificate_trusted_as_a_root_for_all_sites() {
    let home = Home::new();
    let doctor = |registry: &TestRegistry| {
        home.aseecr()
            .args(["doctor", &registry.addr, "-u", USER])
            .env("ASEECR_PASSWORD", PASSWORD)
            .env("SSL_CERT_FILE", registry.server_cert())
            .ok()
    };
    let ca_true = device();
    let out = doctor(&ca_true);
    assert!(
        out.stdout.contains("trusted by the OS store and aseecr"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("warn tls")
            && out.stdout.contains("a root of the OS store")
            && out.stdout.contains("every HTTPS site"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("--store docker,containers,containerd,aseecr"),
        "{}",
        out.stdout
    );
    let ca_false = TestRegistry::start(Options {
        tls: Tls::SelfSigned,
        ..Options::default()
    });
    let out = doctor(&ca_false);
    assert!(
        out.stdout.contains("trusted by the OS store and aseecr"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("every HTTPS site"), "{}", out.stdout);
}
