//! TLS trust, pinning of CA:TRUE self-signed certificates, plain HTTP, wrong
//! passwords and unreachable registries.

use rustls_pki_types::pem::PemObject;

use crate::util::registry::{Options, PASSWORD, Tls, USER};
use crate::util::{Home, TestImage, TestRegistry};

#[test]
fn untrusted_certificate_is_refused_and_ca_cert_accepted() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(20, &[64]).push(&registry, "a:1", false);
    let target = format!("{}/a", registry.addr);
    home.aseecr()
        .args(["tags", &target, "-u", USER])
        .env("ASEECR_PASSWORD", PASSWORD)
        .run()
        .code(5)
        .stderr_has("unknown authority")
        .stderr_has("aseecr trust-cert");
    home.aseecr()
        .args(["tags", &target, "-u", USER, "--ca-cert"])
        .arg(registry.ca_file())
        .env("ASEECR_PASSWORD", PASSWORD)
        .ok()
        .stdout_has("1");
    // A certificate for something else does not help.
    let other = TestRegistry::edge();
    home.aseecr()
        .args(["tags", &target, "-u", USER, "--ca-cert"])
        .arg(other.ca_file())
        .env("ASEECR_PASSWORD", PASSWORD)
        .run()
        .code(5);
}

#[test]
fn self_signed_ca_true_certificate_is_pinned() {
    let registry = TestRegistry::start(Options {
        tls: Tls::SelfSignedCa,
        ..Options::default()
    });
    let home = Home::new();
    TestImage::single(21, &[64]).push(&registry, "b:1", false);
    let target = format!("{}/b", registry.addr);
    home.aseecr()
        .args(["tags", &target, "-u", USER])
        .env("ASEECR_PASSWORD", PASSWORD)
        .run()
        .code(5);
    home.aseecr()
        .args(["tags", &target, "-u", USER, "--ca-cert"])
        .arg(registry.server_cert())
        .env("ASEECR_PASSWORD", PASSWORD)
        .ok()
        .stdout_has("1");
    // DER works as well as PEM.
    let pem = std::fs::read(registry.server_cert()).unwrap();
    let der = rustls_pki_types::CertificateDer::from_pem_slice(&pem).unwrap();
    let der_path = home.path().join("device.cer");
    std::fs::write(&der_path, der.as_ref()).unwrap();
    home.aseecr()
        .args(["tags", &target, "-u", USER, "--ca-cert"])
        .arg(&der_path)
        .env("ASEECR_PASSWORD", PASSWORD)
        .ok()
        .stdout_has("1");
}

#[test]
fn insecure_and_plain_http_warn() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(22, &[64]).push(&registry, "c:1", false);
    home.aseecr()
        .args([
            "tags",
            &format!("{}/c", registry.addr),
            "--insecure",
            "-u",
            USER,
        ])
        .env("ASEECR_PASSWORD", PASSWORD)
        .ok()
        .stdout_has("1")
        .stderr_has("verification is off");

    let plain = TestRegistry::plain();
    TestImage::single(23, &[64]).push(&plain, "d:1", false);
    home.aseecr()
        .args(["tags", &format!("{}/d", plain.addr), "--plain-http"])
        .ok()
        .stdout_has("1")
        .stderr_has("plain HTTP");
    // HTTPS to a plain-HTTP port says so.
    home.aseecr()
        .args(["tags", &format!("{}/d", plain.addr)])
        .run()
        .code(5)
        .stderr_has("--plain-http");
    // And plain HTTP to an HTTPS port (a bare 400) says the registry speaks HTTPS.
    let out = home
        .aseecr()
        .args(["tags", &format!("{}/c", registry.addr), "--plain-http"])
        .args(["--format", "json"])
        .run()
        .code(5)
        .stderr_has("it speaks HTTPS")
        .stderr_has("drop `--plain-http`");
    assert_eq!(out.json()["error"]["kind"], "tls-required");
    // The same for a mirror destination given `--dst-plain-http` by mistake.
    home.aseecr()
        .args(["mirror", "--src-plain-http", "--dst-plain-http"])
        .arg(format!("{}/d:1", plain.addr))
        .arg(format!("{}/d:1", registry.addr))
        .run()
        .code(5)
        .stderr_has("it speaks HTTPS")
        .stderr_has("--dst-plain-http");
}

#[test]
fn wrong_or_missing_password_is_an_auth_error() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let target = format!("{}/e", registry.addr);
    let out = home
        .aseecr()
        .args(registry.connection_args())
        .args(["tags", &target, "-u", USER])
        .env("ASEECR_PASSWORD", "wrong-password")
        .run()
        .code(3)
        .stderr_has("rejected the credentials")
        .stderr_has("aseecr login")
        .stderr_lacks("wrong-password");
    assert!(!out.stderr.contains("Basic "));
    home.aseecr()
        .args(registry.connection_args())
        .args(["tags", &target])
        .run()
        .code(3)
        .stderr_has("requires authentication");
    home.aseecr()
        .args(registry.connection_args())
        .args(["tags", &target, "-u", USER])
        .run()
        .code(2)
        .stderr_has("without a password");
}

#[test]
fn unreachable_registries_exit_6() {
    let home = Home::new();
    let port = crate::util::registry::free_port();
    home.aseecr()
        .args(["tags", &format!("127.0.0.1:{port}/x")])
        .run()
        .code(6)
        .stderr_has("connection refused");
    home.aseecr()
        .args(["tags", "no-such-host.invalid:31001/x"])
        .run()
        .code(6)
        .stderr_has("does not resolve")
        .stderr_has("aseecr setup-host");
}

#[test]
fn verbose_logs_requests_without_secrets() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(24, &[64]).push(&registry, "f:1", false);
    let out = home
        .aseecr()
        .args(registry.connection_args())
        .args(["tags", &format!("{}/f", registry.addr), "-u", USER, "-vv"])
        .env("ASEECR_PASSWORD", PASSWORD)
        .ok()
        .stderr_has("GET https://")
        .stderr_has("-> 200")
        .stderr_lacks(PASSWORD);
    assert!(!out.stderr.contains("Authorization"), "{}", out.stderr);
}

#[test]
fn mirror_help_names_the_flag_of_the_side_that_failed() {
    let plain = TestRegistry::plain();
    let edge = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(24, &[64]).push(&plain, "e:1", false);
    TestImage::single(25, &[64]).push(&edge, "f:1", false);
    let mirror = || {
        home.aseecr()
            .arg("mirror")
            .env("ASEECR_PASSWORD", PASSWORD)
            .args(["-u", USER])
    };
    // A plain-HTTP source: `--plain-http` would switch the destination too.
    mirror()
        .arg("--dst-ca-cert")
        .arg(edge.ca_file())
        .arg(format!("{}/e:1", plain.addr))
        .arg(format!("{}/e:1", edge.addr))
        .run()
        .code(5)
        .stderr_has("pass `--src-plain-http`")
        .stderr_lacks("pass `--plain-http`");
    // An untrusted source.
    home.aseecr()
        .args(["mirror", "--dst-plain-http"])
        .arg(format!("{}/f:1", edge.addr))
        .arg(format!("{}/f:1", plain.addr))
        .run()
        .code(5)
        .stderr_has("`--src-ca-cert FILE`")
        .stderr_lacks("`--ca-cert FILE`");
    // An untrusted destination.
    mirror()
        .arg("--src-plain-http")
        .arg(format!("{}/e:1", plain.addr))
        .arg(format!("{}/e:1", edge.addr))
        .run()
        .code(5)
        .stderr_has("`--dst-ca-cert FILE`")
        .stderr_lacks("`--ca-cert FILE`");
}
