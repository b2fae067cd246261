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
