//! doctor against real registries: healthy, delete off, wrong password, untrusted
//! certificate, unresolvable name, and a hosts-file mismatch.

use crate::util::registry::{Options, PASSWORD, USER};
use crate::util::{Home, TestImage, TestRegistry};

fn doctor(home: &Home, registry: &TestRegistry) -> crate::util::Aseecr {
    home.aseecr()
        .arg("doctor")
        .args(registry.connection_args())
        .args(["-u", USER])
        .env("ASEECR_PASSWORD", PASSWORD)
}

#[test]
fn healthy_registry_passes_and_probes_leave_nothing() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(60, &[100]).push(&registry, "keep:1", false);
    let out = doctor(&home, &registry).arg(&registry.addr).ok();
    for name in [
        "resolve", "connect", "tls", "api", "login", "push", "delete",
    ] {
        assert!(out.stdout.contains(name), "{name} missing:\n{}", out.stdout);
    }
    assert!(!out.stdout.contains("FAIL"), "{}", out.stdout);
    // Trusted through --ca-cert only: the OS store does not know it.
    assert!(out.stdout.contains("not by the OS store"), "{}", out.stdout);
    let json = doctor(&home, &registry)
        .arg(&registry.addr)
        .args(["--format", "json"])
        .ok()
        .json();
    assert_eq!(json["ok"], true);
    assert_eq!(json["checks"].as_array().unwrap().len(), 7);
    // The push and delete probes left no repository behind.
    home.aseecr()
        .args(registry.connection_args())
        .args(["catalog", &registry.addr, "-u", USER])
        .env("ASEECR_PASSWORD", PASSWORD)
        .ok()
        .stdout_has("keep")
        .stderr_lacks("aseecr-doctor");
    let catalog = home
        .aseecr()
        .args(registry.connection_args())
        .args(["catalog", &registry.addr, "-u", USER])
        .env("ASEECR_PASSWORD", PASSWORD)
        .ok();
    assert_eq!(catalog.lines(), vec!["keep"]);
}

#[test]
fn broken_links_stop_with_the_fix() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    // Wrong password.
    let out = doctor(&home, &registry)
        .arg(&registry.addr)
        .env("ASEECR_PASSWORD", "nope")
        .run()
        .code(3);
    assert!(out.stdout.contains("FAIL login"), "{}", out.stdout);
    // Said once: the FAIL line and its help, no `error:` repeating it.
    assert!(
        out.stdout.contains("help: log in again: `aseecr login"),
        "{}",
        out.stdout
    );
    assert!(!out.stderr.contains("error:"), "{}", out.stderr);
    assert!(
        !out.stdout.contains("push"),
        "went past the broken link:\n{}",
        out.stdout
    );
    // Untrusted certificate.
    let out = home
        .aseecr()
        .args(["doctor", &registry.addr, "-u", USER])
        .env("ASEECR_PASSWORD", PASSWORD)
        .run()
        .code(5)
        .stdout_has("aseecr trust-cert");
    assert!(out.stdout.contains("FAIL tls"), "{}", out.stdout);
    // A name that does not resolve.
    let out = home
        .aseecr()
        .args(["doctor", "no-such-host.invalid:31001"])
        .run()
        .code(6)
        .stdout_has("help: map it to the device's node IP: `aseecr setup-host");
    assert!(out.stdout.contains("FAIL resolve"), "{}", out.stdout);
}

#[test]
fn deletion_disabled_is_reported() {
    let registry = TestRegistry::start(Options {
        delete: false,
        ..Options::default()
    });
    let home = Home::new();
    let out = doctor(&home, &registry)
        .arg(&registry.addr)
        .run()
        .code(1)
        .stdout_has("deletion is disabled");
    assert!(out.stdout.contains("ok   push"), "{}", out.stdout);
    assert!(out.stdout.contains("FAIL delete"), "{}", out.stdout);
}

#[test]
fn hosts_file_mapping_is_compared_with_resolution() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let port = registry.addr.rsplit(':').next().unwrap().to_owned();
    let endpoint = format!("localhost:{port}");
    let hosts = home.path().join("hosts");
    std::fs::write(&hosts, "127.0.0.1 localhost\n").unwrap();
    home.aseecr()
        .args([
            "setup-host",
            &endpoint,
            "10.255.255.1",
            "--yes",
            "--hosts-file",
        ])
        .arg(&hosts)
        .ok();
    let out = doctor(&home, &registry)
        .arg(&endpoint)
        .arg("--hosts-file")
        .arg(&hosts)
        .run()
        .code(6)
        .stdout_has("not to 10.255.255.1");
    assert!(out.stdout.contains("FAIL resolve"), "{}", out.stdout);
    home.aseecr()
        .args([
            "setup-host",
            &endpoint,
            "127.0.0.1",
            "--yes",
            "--hosts-file",
        ])
        .arg(&hosts)
        .ok();
    doctor(&home, &registry)
        .arg(&endpoint)
        .arg("--hosts-file")
        .arg(&hosts)
        .ok()
        .stdout_has("(hosts file)")
        .stdout_has("ok   delete");
}

#[test]
fn a_certificate_expiring_soon_is_a_warning() {
    let registry = TestRegistry::start(Options {
        expires_in_days: Some(10),
        ..Options::default()
    });
    let home = Home::new();
    let out = doctor(&home, &registry).arg(&registry.addr).ok();
    assert!(out.stdout.contains("warn expiry"), "{}", out.stdout);
    assert!(
        out.stdout.contains("expires in 9 days") || out.stdout.contains("expires in 10 days"),
        "{}",
        out.stdout
    );
}

/// The certificate is in the container clients' `certs.d` folders (not the OS
/// store): doctor says which clients trust it instead of "docker will refuse it".
#[test]
fn client_folders_are_counted_as_trust() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let root = home.path().join("root");
    std::fs::create_dir_all(&root).unwrap();
    let trust = |args: &[&str]| {
        home.aseecr()
            .env("ASEECR_TRUST_ROOT", &root)
            .args(["--registry", &registry.addr, "trust-cert"])
            .arg(registry.ca_file())
            .args(args)
            .args(["--yes"])
            .ok();
    };
    trust(&["--store", "docker,containers,containerd,aseecr"]);
    let doctor = || {
        home.aseecr()
            .env("ASEECR_TRUST_ROOT", &root)
            .args(["doctor", &registry.addr, "-u", USER])
            .env("ASEECR_PASSWORD", PASSWORD)
    };
    let out = doctor().ok();
    let tls = out
        .stdout
        .lines()
        .find(|l| l.contains("tls"))
        .unwrap_or_default()
        .to_owned();
    assert!(tls.starts_with("ok"), "{}", out.stdout);
    for client in ["docker", "podman", "containerd"] {
        assert!(tls.contains(client), "{client}: {}", out.stdout);
    }
    assert!(tls.contains("not by the OS store"), "{}", out.stdout);
    assert!(!out.stdout.contains("will refuse it"), "{}", out.stdout);

    // Only docker's folder left: docker trusts it, the others are named as refusing.
    trust(&["--remove", "--store", "containers,containerd"]);
    let out = doctor().ok();
    let tls = out
        .stdout
        .lines()
        .find(|l| l.contains("tls"))
        .unwrap_or_default()
        .to_owned();
    assert!(tls.starts_with("warn"), "{}", out.stdout);
    assert!(
        tls.contains("trusted by aseecr and docker"),
        "{}",
        out.stdout
    );
    assert!(tls.contains("podman"), "{}", out.stdout);
    assert!(tls.contains("containerd"), "{}", out.stdout);
    assert!(tls.contains("will refuse it"), "{}", out.stdout);

    // JSON says it per client.
    let json = doctor().args(["--format", "json"]).ok().json();
    let check = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "tls")
        .unwrap()
        .clone();
    assert_eq!(check["status"], "warn", "{check}");
}
