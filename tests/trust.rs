//! `aseecr trust-cert` against a temporary root (`--root`), with the OS command
//! replaced by a script that records its argv, and `--fetch` against a real
//! TLS docker-registry.

use std::path::{Path, PathBuf};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use sha2::{Digest, Sha256};
use tempfile::TempDir;

use crate::util::registry::{Auth, Options, Tls};
use crate::util::{Aseecr, Home, TestRegistry};

const REGISTRY: &str = "ecr.dbe-test.microsoftdatabox.com:31001";
const HOST: &str = "ecr.dbe-test.microsoftdatabox.com";

/// A generated certificate and the ways a test hands it over.
struct TestCert {
    pem: String,
    der: Vec<u8>,
    key_pem: String,
}

impl TestCert {
    fn new(sans: &[&str], ca: bool, years: Option<(i32, i32)>) -> TestCert {
        let key = KeyPair::generate().unwrap();
        let mut params =
            CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        params.distinguished_name.push(
            DnType::CommonName,
            sans.first().copied().unwrap_or("test CA"),
        );
        if ca {
            params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        }
        if let Some((from, to)) = years {
            params.not_before = rcgen::date_time_ymd(from, 1, 1);
            params.not_after = rcgen::date_time_ymd(to, 1, 1);
        }
        let cert = params.self_signed(&key).unwrap();
        TestCert {
            pem: cert.pem(),
            der: cert.der().to_vec(),
            key_pem: key.serialize_pem(),
        }
    }

    /// A self-signed `CA:TRUE` certificate naming the registry, as devices issue.
    fn device() -> TestCert {
        TestCert::new(&[HOST], true, None)
    }

    fn sha256_hex(&self) -> String {
        hex::encode(Sha256::digest(&self.der))
    }

    fn sha256_colon(&self) -> String {
        Sha256::digest(&self.der)
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":")
    }
}

/// A fake system: a root folder with an os-release, and a recording OS command.
struct Sandbox {
    dir: TempDir,
    home: Home,
}

impl Sandbox {
    fn new(os_release: &str) -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("root/etc")).unwrap();
        std::fs::write(dir.path().join("root/etc/os-release"), os_release).unwrap();
        let script = dir.path().join("record.sh");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{log}'\nsed 's/^/  stdin: /' >> '{log}'\n[ -z \"$FAIL_COMMAND\" ] || {{ echo 'simulated failure' >&2; exit 3; }}\n",
                log = dir.path().join("argv.log").display()
            ),
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        Sandbox {
            dir,
            home: Home::new(),
        }
    }

    fn debian() -> Sandbox {
        Sandbox::new("PRETTY_NAME=\"Debian GNU/Linux 12\"\nID=debian\n")
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("root")
    }

    fn path(&self, system: &str) -> PathBuf {
        self.root().join(system.trim_start_matches('/'))
    }

    fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Every argv the replaced OS command was run with, one line each.
    fn argv_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("argv.log")).unwrap_or_default()
    }

    /// `aseecr --registry REGISTRY trust-cert ...` inside the sandbox.
    fn aseecr(&self) -> Aseecr {
        self.home
            .aseecr()
            .env("ASEECR_TRUST_ROOT", self.root())
            .env("ASEECR_TRUST_COMMAND", self.dir.path().join("record.sh"))
            .args(["--registry", REGISTRY, "trust-cert"])
    }

    /// Every file under the root, relative to it, sorted.
    fn files(&self) -> Vec<String> {
        fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(base, &path, out);
                } else {
                    out.push(path.strip_prefix(base).unwrap().display().to_string());
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.root(), &self.root(), &mut out);
        out.sort();
        out
    }

    fn remembered_ca(&self) -> Option<PathBuf> {
        let text = std::fs::read_to_string(self.home.config_dir().join("config.json")).ok()?;
        let config: serde_json::Value = serde_json::from_str(&text).unwrap();
        config["registries"][REGISTRY]["ca_cert"]
            .as_str()
            .map(PathBuf::from)
    }
}

/// The DER of the one certificate in a PEM file (every store writes PEM).
fn pem_file_der(path: &Path) -> Vec<u8> {
    let text = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let certs: Vec<_> = CertificateDer::pem_slice_iter(&text)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(certs.len(), 1, "{}", path.display());
    certs[0].to_vec()
}

const DOCKER_CA: &str = "/etc/docker/certs.d/ecr.dbe-test.microsoftdatabox.com:31001/ca.crt";
/// Docker's CA file for the registry on the OS under test, relative to the root:
/// Docker on Windows keeps `C:\ProgramData\docker\certs.d\HOSTPORT` (no colon).
fn docker_ca() -> &'static str {
    if crate::util::windows_target() {
        "ProgramData/docker/certs.d/ecr.dbe-test.microsoftdatabox.com31001/ca.crt"
    } else {
        DOCKER_CA.trim_start_matches('/')
    }
}
const CONTAINERS_CA: &str =
    "/etc/containers/certs.d/ecr.dbe-test.microsoftdatabox.com:31001/ca.crt";
const CONTAINERD_DIR: &str = "/etc/containerd/certs.d/ecr.dbe-test.microsoftdatabox.com:31001";
const DEBIAN_ANCHOR: &str =
    "/usr/local/share/ca-certificates/aseecr-ecr.dbe-test.microsoftdatabox.com_31001.crt";

#[test]
fn trusts_a_pem_certificate_everywhere_once() {
    let sandbox = Sandbox::debian();
    let cert = TestCert::device();
    let file = sandbox.file("device.pem", &cert.pem);
    let out = sandbox
        .aseecr()
        .arg(&file)
        .args(["--yes", "--store", "all"])
        .ok()
        .stderr_has("subject:   CN=ecr.dbe-test.microsoftdatabox.com")
        .stderr_has(&format!("SHA-256:   {}", cert.sha256_colon()))
        .stderr_has("kind:      CA, self-signed")
        .stderr_has("os: added")
        .stderr_has("ran `update-ca-certificates`")
        .stderr_has("docker: added")
        .stderr_has("containers: added")
        .stderr_has("containerd: added")
        .stderr_has("aseecr: added")
        .stderr_has("docker: no restart; dockerd reads /etc/docker/certs.d on every pull")
        .stderr_lacks("systemctl restart docker")
        .stderr_lacks("Docker Desktop")
        // The one warning: a CA:TRUE certificate in the OS store is a root for every site.
        .stderr_has("warning: the OS store would trust this CA:TRUE certificate");
    assert_eq!(out.stderr.matches("warning").count(), 1, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert_eq!(sandbox.argv_log(), "update-ca-certificates\n");
    for path in [
        DEBIAN_ANCHOR,
        DOCKER_CA,
        CONTAINERS_CA,
        &format!("{CONTAINERD_DIR}/ca.crt"),
    ] {
        assert_eq!(pem_file_der(&sandbox.path(path)), cert.der, "{path}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(sandbox.path(DEBIAN_ANCHOR))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644, "anchors must be world-readable");
    }
    let toml =
        std::fs::read_to_string(sandbox.path(&format!("{CONTAINERD_DIR}/hosts.toml"))).unwrap();
    assert!(
        toml.contains(&format!("server = \"https://{REGISTRY}\"")),
        "{toml}"
    );
    assert!(
        toml.contains(&format!(
            "[host.\"https://{REGISTRY}\"]\n  ca = \"{CONTAINERD_DIR}/ca.crt\""
        )),
        "{toml}"
    );
    let remembered = sandbox
        .remembered_ca()
        .expect("aseecr remembers the certificate");
    assert_eq!(pem_file_der(&remembered), cert.der);
    // Nothing but certificates and hosts.toml were written: no key anywhere.
    assert!(!sandbox.files().iter().any(|f| f.contains("key")));

    // Second run: already trusted everywhere, nothing rewritten, nothing run.
    let before = std::fs::metadata(sandbox.path(DOCKER_CA))
        .unwrap()
        .modified()
        .unwrap();
    let out = sandbox
        .aseecr()
        .arg(&file)
        .args(["--yes", "--store", "all"])
        .ok();
    assert_eq!(
        out.stderr.matches("already trusted").count(),
        5,
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("Restarts"), "{}", out.stderr);
    assert_eq!(sandbox.argv_log(), "update-ca-certificates\n");
    let after = std::fs::metadata(sandbox.path(DOCKER_CA))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
    // Without --yes and without a terminal it still succeeds: nothing to confirm.
    sandbox
        .aseecr()
        .arg(&file)
        .args(["--store", "all"])
        .ok()
        .stderr_has("already trusted");
}

#[test]
fn der_input_and_every_linux_family() {
    let cert = TestCert::device();
    let cases = [
        (
            "ID=fedora\n",
            "/etc/pki/ca-trust/source/anchors",
            "update-ca-trust extract",
        ),
        (
            "ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n",
            "/etc/pki/ca-trust/source/anchors",
            "update-ca-trust extract",
        ),
        (
            "ID=arch\n",
            "/etc/ca-certificates/trust-source/anchors",
            "trust extract-compat",
        ),
        (
            "ID=\"opensuse-leap\"\nID_LIKE=\"suse opensuse\"\n",
            "/etc/pki/trust/anchors",
            "update-ca-certificates",
        ),
        (
            "ID=alpine\n",
            "/usr/local/share/ca-certificates",
            "update-ca-certificates",
        ),
        (
            "ID=ubuntu\nID_LIKE=debian\n",
            "/usr/local/share/ca-certificates",
            "update-ca-certificates",
        ),
    ];
    for (os_release, anchors, command) in cases {
        let sandbox = Sandbox::new(os_release);
        let file = sandbox.file("device.cer", &cert.der);
        let out = sandbox
            .aseecr()
            .arg(&file)
            .args(["--yes", "--store", "os", "--format", "json"])
            .ok();
        let json = out.json();
        assert_eq!(json["actions"][0]["store"], "os");
        assert_eq!(json["actions"][0]["outcome"], "add");
        assert_eq!(
            json["actions"][0]["commands"][0][0],
            command.split(' ').next().unwrap()
        );
        assert_eq!(json["certificate"]["sha256"], cert.sha256_colon());
        assert_eq!(sandbox.argv_log(), format!("{command}\n"), "{os_release}");
        let anchor = sandbox.path(&format!(
            "{anchors}/aseecr-ecr.dbe-test.microsoftdatabox.com_31001.crt"
        ));
        // DER in, PEM out.
        assert_eq!(pem_file_der(&anchor), cert.der, "{os_release}");
        assert_eq!(sandbox.files().len(), 2, "{:?}", sandbox.files());
    }
}

#[test]
fn remove_undoes_exactly_what_was_added() {
    let sandbox = Sandbox::debian();
    let cert = TestCert::device();
    let file = sandbox.file("device.pem", &cert.pem);
    // Unrelated files that must survive: another anchor, a client key in docker's folder.
    let other_anchor = sandbox.path("/usr/local/share/ca-certificates/corp-root.crt");
    std::fs::create_dir_all(other_anchor.parent().unwrap()).unwrap();
    std::fs::write(&other_anchor, TestCert::new(&[], true, None).pem).unwrap();
    // Debian's hooks: the Java keystore's (executable), and a file run-parts skips.
    let hooks = sandbox.path("/etc/ca-certificates/update.d");
    std::fs::create_dir_all(&hooks).unwrap();
    std::fs::write(hooks.join("README"), "not a hook").unwrap();
    std::fs::write(hooks.join("jks-keystore"), "#!/bin/sh\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            hooks.join("jks-keystore"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
    }
    sandbox
        .aseecr()
        .arg(&file)
        .args(["--yes", "--store", "all"])
        .ok();
    let client_key = sandbox.path(DOCKER_CA).with_file_name("client.key");
    std::fs::write(&client_key, "not ours").unwrap();
    // containers' ca.crt now holds a different certificate: --remove must keep it.
    let replacement = TestCert::new(&[HOST], true, None);
    std::fs::write(sandbox.path(CONTAINERS_CA), &replacement.pem).unwrap();

    let out = sandbox
        .aseecr()
        .arg(&file)
        .args(["--remove", "--yes", "--format", "json"])
        .ok();
    let json = out.json();
    let outcomes: Vec<(String, String)> = json["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["store"].as_str().unwrap().to_owned(),
                a["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("os", "remove"),
            ("docker", "remove"),
            ("containers", "kept-other"),
            ("containerd", "remove"),
            ("aseecr", "remove"),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    // Removal rebuilds every link (a plain run leaves dangling ones behind), then
    // tells each hook the anchor went (`--fresh` tells them only what it adds),
    // so the Java keystore drops it too.
    let link = Path::new(DEBIAN_ANCHOR)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert_eq!(
        sandbox.argv_log(),
        format!(
            "update-ca-certificates\nupdate-ca-certificates --fresh\n/etc/ca-certificates/update.d/jks-keystore\n  stdin: -/etc/ssl/certs/{link}.pem\n"
        )
    );
    assert!(!sandbox.path(DEBIAN_ANCHOR).exists());
    assert!(other_anchor.exists());
    assert!(!sandbox.path(DOCKER_CA).exists());
    assert!(
        client_key.exists(),
        "docker's folder keeps files aseecr did not write"
    );
    assert_eq!(pem_file_der(&sandbox.path(CONTAINERS_CA)), replacement.der);
    assert!(
        !sandbox.path(CONTAINERD_DIR).exists(),
        "the emptied containerd folder goes"
    );
    assert_eq!(sandbox.remembered_ca(), None);

    // Removing again: nothing to do, nothing run.
    let out = sandbox.aseecr().arg(&file).args(["--remove", "--yes"]).ok();
    assert!(
        out.stderr.contains("os: not trusted there"),
        "{}",
        out.stderr
    );
    assert_eq!(sandbox.argv_log().lines().count(), 4);
}

#[test]
fn dry_run_writes_nothing() {
    let sandbox = Sandbox::debian();
    let cert = TestCert::device();
    let file = sandbox.file("device.pem", &cert.pem);
    let out = sandbox
        .aseecr()
        .arg(&file)
        .args(["--dry-run", "--format", "json", "--store", "all"])
        .ok();
    let json = out.json();
    assert_eq!(json["dryRun"], true);
    assert_eq!(json["actions"].as_array().unwrap().len(), 5);
    assert!(
        json["actions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["outcome"] == "add")
    );
    assert_eq!(
        json["actions"][0]["commands"][0][0],
        "update-ca-certificates"
    );
    sandbox
        .aseecr()
        .arg(&file)
        .args(["--dry-run", "--store", "all"])
        .ok()
        .stderr_has("docker: would add")
        .stderr_has("would run `update-ca-certificates`");
    assert_eq!(sandbox.files(), ["etc/os-release"]);
    assert_eq!(sandbox.argv_log(), "");
    assert!(!sandbox.home.config_dir().join("config.json").exists());
}

#[test]
fn store_subset_and_confirmation() {
    let sandbox = Sandbox::debian();
    let cert = TestCert::device();
    let file = sandbox.file("device.pem", &cert.pem);
    // No terminal and no --yes: refused before anything changes.
    sandbox
        .aseecr()
        .arg(&file)
        .args(["--store", "docker,aseecr"])
        .run()
        .code(2)
        .stderr_has("error: trust-cert changes system files and needs confirmation")
        .stderr_has("help: pass --yes");
    assert_eq!(sandbox.files(), ["etc/os-release"]);
    // aseecr's own store is not a system file: no confirmation needed.
    sandbox
        .aseecr()
        .arg(&file)
        .args(["--store", "aseecr"])
        .ok()
        .stderr_has("aseecr: added");
    sandbox
        .aseecr()
        .arg(&file)
        .args(["--store", "docker,aseecr", "-y"])
        .ok()
        .stderr_has("docker: added")
        .stderr_has("aseecr: already trusted")
        .stderr_lacks("containers:");
    assert_eq!(sandbox.files(), [docker_ca(), "etc/os-release"]);
    assert_eq!(sandbox.argv_log(), "");
}

#[test]
fn the_os_store_alone_needs_no_registry() {
    let sandbox = Sandbox::debian();
    let cert = TestCert::device();
    let file = sandbox.file("device.pem", &cert.pem);
    let base = || {
        sandbox
            .home
            .aseecr()
            .env("ASEECR_TRUST_ROOT", sandbox.root())
            .env("ASEECR_TRUST_COMMAND", sandbox.dir.path().join("record.sh"))
            .arg("trust-cert")
            .arg(&file)
    };
    base()
        .arg("-y")
        .run()
        .code(2)
        .stderr_has("no registry given")
        .stderr_has("--store os");
    base()
        .args(["-y", "--store", "os"])
        .ok()
        .stderr_has("os: added");
    let name = format!("aseecr-sha256-{}.crt", &cert.sha256_hex()[..16]);
    assert!(
        sandbox
            .path("/usr/local/share/ca-certificates")
            .join(name)
            .exists(),
        "{:?}",
        sandbox.files()
    );
}

#[test]
fn bad_files_are_refused_and_nothing_changes() {
    let sandbox = Sandbox::debian();
    let cert = TestCert::device();
    let key = sandbox.file("key.pem", &cert.key_pem);
    sandbox
        .aseecr()
        .arg(&key)
        .arg("-y")
        .run()
        .code(2)
        .stderr_has("holds a private key");
    let both = sandbox.file("both.pem", format!("{}{}", cert.pem, cert.key_pem));
    sandbox
        .aseecr()
        .arg(&both)
        .arg("-y")
        .run()
        .code(2)
        .stderr_has("holds a private key");
    let garbage = sandbox.file("garbage.cer", "this is not a certificate\n");
    sandbox
        .aseecr()
        .arg(&garbage)
        .arg("-y")
        .run()
        .code(2)
        .stderr_has("is not a certificate");
    sandbox
        .aseecr()
        .arg(sandbox.dir.path().join("missing.pem"))
        .arg("-y")
        .run()
        .code(4)
        .stderr_has("cannot read certificate file");
    let expired = TestCert::new(&[HOST], true, Some((2000, 2001)));
    let expired_file = sandbox.file("expired.pem", &expired.pem);
    sandbox
        .aseecr()
        .arg(&expired_file)
        .arg("-y")
        .run()
        .code(2)
        .stderr_has("expired on 2001-01-01T00:00:00Z")
        .stderr_has("--force");
    sandbox
        .aseecr()
        .arg(&expired_file)
        .args(["-y", "--fingerprint", "00".repeat(32).as_str()])
        .run()
        .code(5)
        .stderr_has("no certificate has the fingerprint");
    assert_eq!(sandbox.files(), ["etc/os-release"]);
    assert_eq!(sandbox.argv_log(), "");
    sandbox
        .aseecr()
        .arg(&expired_file)
        .args(["-y", "--force", "--store", "docker"])
        .ok()
        .stderr_has("warning: the certificate expired");
}

#[test]
fn a_bundle_needs_a_fingerprint_and_host_names_are_checked() {
    let sandbox = Sandbox::debian();
    let device = TestCert::device();
    let wrong_host = TestCert::new(&["other.example.com"], false, None);
    let bundle = sandbox.file("bundle.pem", format!("{}{}", wrong_host.pem, device.pem));
    sandbox
        .aseecr()
        .arg(&bundle)
        .arg("-y")
        .run()
        .code(2)
        .stderr_has("holds 2 certificates")
        .stderr_has(&format!("--fingerprint {}", device.sha256_colon()));
    sandbox
        .aseecr()
        .arg(&bundle)
        .args(["-y", "--store", "docker", "--fingerprint"])
        .arg(device.sha256_hex().to_uppercase())
        .ok()
        .stderr_has("docker: added")
        .stderr_lacks("warning");
    assert_eq!(pem_file_der(&sandbox.path(docker_ca())), device.der);
    // A server certificate for another host: refused, in every store, as an
    // expired one is, unless forced.
    let files = sandbox.files();
    let argv = sandbox.argv_log();
    sandbox
        .aseecr()
        .arg(&bundle)
        .args(["-y", "--fingerprint"])
        .arg(wrong_host.sha256_colon().to_lowercase())
        .run()
        .code(2)
        .stderr_has(
            "error: the certificate's names do not include `ecr.dbe-test.microsoftdatabox.com`",
        )
        .stderr_has("--force")
        .stderr_lacks("docker:");
    assert_eq!(sandbox.files(), files);
    assert_eq!(sandbox.argv_log(), argv);
    assert_eq!(pem_file_der(&sandbox.path(docker_ca())), device.der);
    sandbox
        .aseecr()
        .arg(&bundle)
        .args([
            "-y",
            "--force",
            "--replace",
            "--store",
            "docker",
            "--fingerprint",
        ])
        .arg(wrong_host.sha256_colon().to_lowercase())
        .ok()
        .stderr_has(
            "warning: the certificate's names do not include `ecr.dbe-test.microsoftdatabox.com`",
        )
        .stderr_has("docker: replaced the previous certificate");
    assert_eq!(pem_file_der(&sandbox.path(docker_ca())), wrong_host.der);
}

#[test]
fn os_command_failures_and_unknown_systems_are_reported() {
    let sandbox = Sandbox::debian();
    let cert = TestCert::device();
    let file = sandbox.file("device.pem", &cert.pem);
    sandbox
        .aseecr()
        .env("FAIL_COMMAND", "1")
        .arg(&file)
        .args(["-y", "--store", "os"])
        .run()
        .code(1)
        .stderr_has("`update-ca-certificates` failed")
        .stderr_has("simulated failure");
    // Without a replacement command nothing is run under --root.
    sandbox
        .home
        .aseecr()
        .env("ASEECR_TRUST_ROOT", sandbox.root())
        .args(["--registry", REGISTRY, "trust-cert"])
        .arg(&file)
        .args(["-y", "--store", "os", "--remove"])
        .ok()
        .stderr_has("did not run `update-ca-certificates --fresh`");
    let unknown = Sandbox::new("ID=nixos\n");
    let file = unknown.file("device.pem", &cert.pem);
    unknown
        .aseecr()
        .arg(&file)
        .args(["-y", "--store", "all"])
        .run()
        .code(2)
        .stderr_has("`ID=nixos`")
        .stderr_has("--store docker,containers,containerd,aseecr");
    // The default stores need no OS store, and removal (every store) finds
    // nothing of aseecr's in one it cannot tell.
    unknown.aseecr().arg(&file).arg("-y").ok();
    unknown
        .aseecr()
        .args(["--remove", "-y"])
        .ok()
        .stderr_has("os: not trusted there")
        .stderr_has("docker: removed");
    assert_eq!(unknown.files(), ["etc/os-release"]);
}

fn fetch_registry() -> TestRegistry {
    TestRegistry::start(Options {
        tls: Tls::SelfSignedCa,
        auth: Auth::Anonymous,
        ..Options::default()
    })
}

#[test]
fn fetch_shows_the_presented_certificate_and_installs_only_a_matching_fingerprint() {
    let registry = fetch_registry();
    let server_der = pem_file_der(&registry.server_cert());
    let fingerprint_hex = hex::encode(Sha256::digest(&server_der));
    let sandbox = Sandbox::debian();
    let fetch = || {
        sandbox
            .home
            .aseecr()
            .env("ASEECR_TRUST_ROOT", sandbox.root())
            .env("ASEECR_TRUST_COMMAND", sandbox.dir.path().join("record.sh"))
            .args(["--registry", &registry.addr, "trust-cert", "--fetch", "-y"])
    };
    // Before trusting, the registry is refused.
    sandbox
        .home
        .aseecr()
        .args(["catalog", &registry.addr])
        .run()
        .code(5);
    // No terminal and no fingerprint: shown, not installed (even with --yes).
    fetch()
        .run()
        .code(2)
        .stderr_has(&format!("Certificate from `https://{}`", registry.addr))
        .stderr_has("fingerprint nobody checked")
        .stderr_has("--fingerprint");
    // A wrong fingerprint: exit 5, nothing installed.
    fetch()
        .args(["--fingerprint", &"ab".repeat(32)])
        .run()
        .code(5)
        .stderr_has("no certificate has the fingerprint");
    assert_eq!(sandbox.files(), ["etc/os-release"]);
    assert_eq!(sandbox.remembered_ca(), None);
    // The right one (plain upper-case hex): installed.
    let out = fetch()
        .args([
            "--fingerprint",
            &fingerprint_hex.to_uppercase(),
            "--format",
            "json",
        ])
        .ok();
    let json = out.json();
    assert_eq!(json["source"], format!("https://{}", registry.addr));
    assert_eq!(json["presented"].as_array().unwrap().len(), 1);
    assert_eq!(json["certificate"]["sans"][2], "IP:127.0.0.1");
    assert!(
        json["actions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["outcome"] == "add")
    );
    let docker_ca = sandbox
        .path("/etc/docker/certs.d")
        .join(&registry.addr)
        .join("ca.crt");
    assert_eq!(pem_file_der(&docker_ca), server_der);
    // aseecr now trusts the registry without --ca-cert.
    sandbox.home.aseecr().args(["catalog", &registry.addr]).ok();
}

/// Each question takes a line: the Enter after `y` at the fingerprint question is
/// not the answer to the next one (it used to be, and the default "no" cancelled).
#[cfg(unix)]
#[test]
fn fetch_questions_take_one_line_each() {
    let registry = fetch_registry();
    let sandbox = Sandbox::debian();
    let mut pty = sandbox
        .home
        .aseecr()
        .env("ASEECR_TRUST_ROOT", sandbox.root())
        .env("ASEECR_TRUST_COMMAND", sandbox.dir.path().join("record.sh"))
        .args(["--registry", &registry.addr, "trust-cert", "--fetch"])
        .pty();
    pty.answer("fingerprint of", "y");
    pty.answer("Change these system trust stores? [y/N]", "sure");
    pty.expect("type `y` or `n`, then Enter");
    pty.answer("Change these system trust stores? [y/N]", "YES");
    let rest = pty.finish(0);
    assert!(rest.contains("docker: added"), "{rest}");
    assert!(rest.contains("Restarts:"), "{rest}");
    assert!(
        sandbox
            .path("/etc/docker/certs.d")
            .join(&registry.addr)
            .join("ca.crt")
            .exists()
    );
    // An empty line is the default: no.
    let sandbox = Sandbox::debian();
    let mut pty = sandbox
        .home
        .aseecr()
        .env("ASEECR_TRUST_ROOT", sandbox.root())
        .args(["--registry", &registry.addr, "trust-cert", "--fetch"])
        .pty();
    pty.answer("fingerprint of", "");
    let rest = pty.finish(5);
    assert!(rest.contains("the fingerprint was not confirmed"), "{rest}");
    assert_eq!(sandbox.files(), ["etc/os-release"]);
}

#[test]
fn fetch_from_a_closed_port_is_a_connection_error() {
    let port = crate::util::registry::free_port();
    let sandbox = Sandbox::debian();
    sandbox
        .home
        .aseecr()
        .args([
            "--registry",
            &format!("127.0.0.1:{port}"),
            "trust-cert",
            "--fetch",
            "--dry-run",
        ])
        .run()
        .code(6)
        .stderr_has("cannot connect to `127.0.0.1:");
}

#[test]
fn remove_leaves_no_empty_certs_d_folders() {
    let sandbox = Sandbox::debian();
    let cert = TestCert::device();
    let file = sandbox.file("device.pem", &cert.pem);
    let before = sandbox.files();
    sandbox.aseecr().arg(&file).arg("--yes").ok();
    assert!(sandbox.path("/etc/containers/certs.d").exists());
    sandbox.aseecr().arg(&file).args(["--remove", "--yes"]).ok();
    assert_eq!(sandbox.files(), before);
    for dir in [
        "/etc/docker/certs.d",
        "/etc/containers/certs.d",
        "/etc/containerd/certs.d",
    ] {
        assert!(!sandbox.path(dir).exists(), "{dir} is left behind");
    }
    // The default stores leave the OS store alone: nothing to rebuild.
    assert_eq!(sandbox.argv_log(), "");
}

#[test]
fn a_different_certificate_is_replaced_only_with_replace() {
    let sandbox = Sandbox::debian();
    let old = TestCert::device();
    let new = TestCert::device();
    let old_file = sandbox.file("old.pem", &old.pem);
    let new_file = sandbox.file("new.pem", &new.pem);
    sandbox.aseecr().arg(&old_file).arg("--yes").ok();
    let files = sandbox.files();
    sandbox
        .aseecr()
        .arg(&new_file)
        .arg("--yes")
        .run()
        .code(2)
        .stderr_has("a different certificate is already trusted for this registry in: docker")
        .stderr_has("--replace");
    assert_eq!(sandbox.files(), files);
    assert_eq!(pem_file_der(&sandbox.path(DOCKER_CA)), old.der);
    sandbox
        .aseecr()
        .arg(&new_file)
        .args(["--yes", "--replace"])
        .ok()
        .stderr_has("docker: replaced the previous certificate");
    assert_eq!(pem_file_der(&sandbox.path(DOCKER_CA)), new.der);
    let config: serde_json::Value = serde_json::from_slice(
        &std::fs::read(sandbox.home.config_dir().join("config.json")).unwrap(),
    )
    .unwrap();
    assert!(
        config["registries"][REGISTRY]["trusted_on"]
            .as_str()
            .is_some_and(|date| date.ends_with('Z')),
        "{config}"
    );
}

#[test]
fn remove_by_registry_alone_removes_what_is_trusted_for_it() {
    let sandbox = Sandbox::debian();
    let cert = TestCert::device();
    let file = sandbox.file("device.pem", &cert.pem);
    let before = sandbox.files();
    sandbox
        .aseecr()
        .arg(&file)
        .args(["--yes", "--store", "all"])
        .ok();
    // The help's own example: no FILE, the registry names what to remove.
    sandbox
        .home
        .aseecr()
        .env("ASEECR_TRUST_ROOT", sandbox.root())
        .env("ASEECR_TRUST_COMMAND", sandbox.dir.path().join("record.sh"))
        .args(["trust-cert", "--remove", "--registry", REGISTRY, "--yes"])
        .ok()
        .stderr_has(&format!("SHA-256:   {}", cert.sha256_colon()))
        .stderr_has("os: removed")
        .stderr_has("docker: removed")
        .stderr_has("aseecr: removed");
    assert_eq!(sandbox.files(), before);
    assert_eq!(sandbox.remembered_ca(), None);
    // Nothing left to remove: a clear error, exit 2.
    sandbox
        .aseecr()
        .args(["--remove", "--yes"])
        .run()
        .code(2)
        .stderr_has(&format!("no certificate is trusted for `{REGISTRY}`"))
        .stderr_has("help:");

    // Two different certificates trusted for the registry (one store was
    // changed by hand): each is named, --fingerprint picks one.
    let other = TestCert::device();
    sandbox.aseecr().arg(&file).arg("--yes").ok();
    std::fs::write(sandbox.path(CONTAINERS_CA), &other.pem).unwrap();
    let files = sandbox.files();
    sandbox
        .aseecr()
        .args(["--remove", "--yes"])
        .run()
        .code(2)
        .stderr_has(&cert.sha256_colon())
        .stderr_has(&other.sha256_colon())
        .stderr_has("--fingerprint");
    assert_eq!(sandbox.files(), files);
    sandbox
        .aseecr()
        .args(["--remove", "--yes", "--fingerprint", &other.sha256_hex()])
        .ok()
        .stderr_has("containers: removed");
    assert_eq!(pem_file_der(&sandbox.path(DOCKER_CA)), cert.der);
}

/// The wizard: an endpoint typed without a port gets the device's port 31001
/// (and says so); a run that fails after changing the hosts file and the trust
/// stores (here: login, the name resolves nowhere) undoes what it changed.
#[cfg(unix)]
#[test]
fn setup_wizard_defaults_the_port_and_undoes_a_failed_run() {
    let sandbox = Sandbox::debian();
    let cert = TestCert::device();
    let file = sandbox.file("ecr.cer", &cert.pem);
    let hosts = sandbox.file("hosts", "127.0.0.1 localhost\n");
    let before = sandbox.files();
    let mut pty = sandbox
        .home
        .aseecr()
        .env("ASEECR_TRUST_ROOT", sandbox.root())
        .env("ASEECR_TRUST_COMMAND", sandbox.dir.path().join("record.sh"))
        .env("ASEECR_HOSTS_FILE", &hosts)
        .env("ASEECR_PASSWORD", "not-checked-anywhere")
        .args(["-u", "ase-ecr-user", "setup", "--ip", "127.0.0.1", "--yes"])
        .arg("--cert")
        .arg(&file)
        .pty();
    // The endpoint is asked for: typed without a port.
    pty.answer("Registry endpoint, HOST:PORT", HOST);
    pty.expect(&format!(
        "no port given: using the device's port 31001 (`{REGISTRY}`)"
    ));
    pty.expect("docker: added");
    let text = pty.finish(6);
    assert!(!text.contains("port 443"), "{text}");
    for line in [
        "the run failed: undoing what this run changed",
        "docker: removed",
        "containerd: removed",
        "aseecr: removed",
        &format!("removed `{HOST}`"),
        "step 3 of 5 (login) failed",
    ] {
        assert!(text.contains(line), "lacks {line:?}:\n{text}");
    }
    assert_eq!(
        std::fs::read_to_string(&hosts).unwrap(),
        "127.0.0.1 localhost\n",
        "{text}"
    );
    assert_eq!(sandbox.files(), before, "{text}");
    for dir in [
        "/etc/docker/certs.d",
        "/etc/containers/certs.d",
        "/etc/containerd/certs.d",
    ] {
        assert!(!sandbox.path(dir).exists(), "{dir} is left behind:\n{text}");
    }
    assert_eq!(sandbox.remembered_ca(), None, "{text}");
    // setup's default stores leave the OS store alone: nothing added, nothing rebuilt.
    assert!(!text.contains("os: "), "{text}");
    assert_eq!(sandbox.argv_log(), "", "{text}");
}

/// The one line said before a `CA:TRUE` certificate goes into the OS store.
const OS_STORE_WARNING: &str = "warning: the OS store would trust this CA:TRUE certificate for every HTTPS site, not only `ecr.dbe-test.microsoftdatabox.com:31001`: whoever holds its key could impersonate any server to this machine; the container clients and aseecr need only their own stores, the default (`--store docker,containers,containerd,aseecr`)";

/// On Linux the default stores are the ones scoped to the registry: a `CA:TRUE`
/// device certificate in the OS store would be a root for every HTTPS site. The
/// OS store is an explicit choice (`--store all` or `os`), warned about in one
/// line before anything changes (not for a `CA:FALSE` certificate, which cannot
/// sign for other sites); `--remove` takes it out of every store, the OS store too.
#[test]
fn the_os_store_is_an_explicit_choice_with_a_warning() {
    let sandbox = Sandbox::debian();
    let cert = TestCert::device();
    let device = sandbox.file("device.pem", &cert.pem);
    let out = sandbox
        .aseecr()
        .arg(&device)
        .arg("--yes")
        .ok()
        .stderr_has("docker: added")
        .stderr_has("containers: added")
        .stderr_has("containerd: added")
        .stderr_has("aseecr: added")
        .stderr_lacks("os: ")
        .stderr_lacks("warning");
    assert!(!out.stderr.contains("CA:TRUE"), "{}", out.stderr);
    assert!(
        !sandbox.path(DEBIAN_ANCHOR).exists(),
        "{:?}",
        sandbox.files()
    );
    assert_eq!(sandbox.argv_log(), "", "the OS bundle is not rebuilt");

    // Asked for: warned about once, before the confirmation a terminal would ask.
    let out = sandbox
        .aseecr()
        .arg(&device)
        .args(["--store", "all", "--dry-run"])
        .ok()
        .stderr_has(OS_STORE_WARNING)
        .stderr_has("os: would add");
    assert_eq!(out.stderr.matches("warning:").count(), 1, "{}", out.stderr);
    sandbox
        .aseecr()
        .arg(&device)
        .args(["--store", "all"])
        .run()
        .code(2)
        .stderr_has(OS_STORE_WARNING)
        .stderr_has("needs confirmation");
    assert!(!sandbox.path(DEBIAN_ANCHOR).exists());
    let out = sandbox
        .aseecr()
        .arg(&device)
        .args(["--store", "all", "--yes"])
        .ok()
        .stderr_has(OS_STORE_WARNING)
        .stderr_has("os: added")
        .stderr_has("docker: already trusted");
    assert_eq!(out.stderr.matches("warning:").count(), 1, "{}", out.stderr);
    let warned = out.stderr.find(OS_STORE_WARNING).unwrap();
    assert!(warned < out.stderr.find("os: added").unwrap());
    assert_eq!(pem_file_der(&sandbox.path(DEBIAN_ANCHOR)), cert.der);
    assert_eq!(sandbox.argv_log(), "update-ca-certificates\n");

    // --remove without --store: every store, the OS store included.
    sandbox
        .aseecr()
        .args(["--remove", "--yes"])
        .ok()
        .stderr_has("os: removed")
        .stderr_has("docker: removed")
        .stderr_has("aseecr: removed");
    assert_eq!(sandbox.files(), ["etc/os-release"]);
    assert!(
        sandbox
            .argv_log()
            .ends_with("update-ca-certificates --fresh\n"),
        "{}",
        sandbox.argv_log()
    );

    // A CA:FALSE certificate cannot sign for other sites: no warning.
    let server = sandbox.file("server.pem", TestCert::new(&[HOST], false, None).pem);
    sandbox
        .aseecr()
        .arg(&server)
        .args(["--store", "os", "--yes"])
        .ok()
        .stderr_has("os: added")
        .stderr_lacks("warning");
}

/// The same through `setup`: by default the OS store is left alone; asked for,
/// the one line is said with setup's own summary, before "Go ahead?", once.
#[test]
fn setup_leaves_the_os_store_alone_unless_asked() {
    let sandbox = Sandbox::debian();
    let device = sandbox.file("ecr.cer", TestCert::device().pem);
    let hosts = sandbox.file("hosts", "127.0.0.1 localhost\n");
    let setup = |stores: Option<&str>| {
        let mut aseecr = sandbox
            .home
            .aseecr()
            .env("ASEECR_TRUST_ROOT", sandbox.root())
            .env("ASEECR_TRUST_COMMAND", sandbox.dir.path().join("record.sh"))
            .env("ASEECR_HOSTS_FILE", &hosts)
            .args(["setup", "--endpoint", REGISTRY, "--ip", "127.0.0.1"])
            .arg("--cert")
            .arg(&device)
            .arg("--dry-run");
        if let Some(stores) = stores {
            aseecr = aseecr.args(["--store", stores]);
        }
        aseecr.ok()
    };
    setup(None)
        .stderr_has("the device's certificate in docker, containers, containerd, aseecr")
        .stderr_has("docker: would add")
        .stderr_lacks("os: would add")
        .stderr_lacks("CA:TRUE");
    let out = setup(Some("all"))
        .stderr_has("the device's certificate in os, docker, containers, containerd, aseecr")
        .stderr_has(OS_STORE_WARNING)
        .stderr_has("os: would add");
    assert_eq!(
        out.stderr.matches(OS_STORE_WARNING).count(),
        1,
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.find(OS_STORE_WARNING).unwrap() < out.stderr.find("[1/5]").unwrap(),
        "{}",
        out.stderr
    );
    assert_eq!(sandbox.files(), ["etc/os-release"]);
}

/// The whole way round against a device-like registry: trusted by default, the
/// container clients' folders and aseecr trust it and doctor is content; put
/// into the OS store (here a Debian-like root whose `update-ca-certificates`
/// stand-in builds the bundle `SSL_CERT_FILE` names), doctor reports a device
/// certificate trusted as a root for every site.
#[test]
fn doctor_reports_the_device_certificate_once_it_is_a_root_of_the_os_store() {
    use crate::util::registry::{PASSWORD, USER};
    let registry = TestRegistry::start(Options {
        tls: Tls::SelfSignedCa,
        ..Options::default()
    });
    let sandbox = Sandbox::debian();
    let bundle = sandbox.file("bundle.crt", "");
    let update = sandbox.file(
        "update.sh",
        format!(
            "#!/bin/sh\ncat '{anchors}'/*.crt > '{bundle}' 2>/dev/null || : > '{bundle}'\n",
            anchors = sandbox.path("/usr/local/share/ca-certificates").display(),
            bundle = bundle.display()
        ),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&update, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let aseecr = || {
        sandbox
            .home
            .aseecr()
            .env("ASEECR_TRUST_ROOT", sandbox.root())
            .env("ASEECR_TRUST_COMMAND", &update)
            .env("SSL_CERT_FILE", &bundle)
            .env("ASEECR_PASSWORD", PASSWORD)
    };
    let trust = |stores: &[&str]| {
        aseecr()
            .args(["--registry", &registry.addr, "trust-cert", "--yes"])
            .arg(registry.server_cert())
            .args(stores)
            .ok()
    };
    let doctor = || aseecr().args(["doctor", &registry.addr, "-u", USER]).ok();

    trust(&[]).stderr_lacks("os: ");
    assert_eq!(std::fs::read(&bundle).unwrap(), b"");
    let out = doctor();
    assert!(
        out.stdout.contains(
            "ok   tls      trusted by aseecr and, through their certs.d folders, by docker, podman/buildah/skopeo, containerd"
        ),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("every HTTPS site"), "{}", out.stdout);

    trust(&["--store", "all"])
        .stderr_has("os: added")
        .stderr_has(
            "warning: the OS store would trust this CA:TRUE certificate for every HTTPS site",
        );
    let out = doctor();
    assert!(
        out.stdout.contains("trusted by the OS store and aseecr"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "warn tls      the device's certificate (CA:TRUE) is a root of the OS store: this machine trusts it for every HTTPS site"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(&format!(
            "`aseecr trust-cert --fetch --registry {} --remove --store os`",
            registry.addr
        )),
        "{}",
        out.stdout
    );
}

/// Under sudo aseecr's own store is the configuration of the user sudo runs as;
/// with the OS store left out (the default), the invoking user's aseecr would
/// not trust the registry: the `aseecr` line says the command that does it. Not
/// said once the OS store trusts the certificate, nor without sudo.
#[cfg(unix)]
#[test]
fn under_sudo_the_aseecr_store_says_how_your_own_runs_trust_it() {
    let sandbox = Sandbox::debian();
    let device = sandbox.file("device.pem", TestCert::device().pem);
    let note = format!(
        "run by sudo: this is the configuration of the user sudo runs as; for your own aseecr runs, also run `aseecr trust-cert {} --registry {REGISTRY} --store aseecr` without sudo",
        device.display()
    );
    sandbox
        .aseecr()
        .arg(&device)
        .args(["--yes", "--store", "docker,aseecr"])
        .ok()
        .stderr_lacks("run by sudo");
    sandbox
        .aseecr()
        .env("SUDO_USER", "operator")
        .args(["--remove", "--yes"])
        .ok()
        .stderr_lacks("run by sudo");
    let out = sandbox
        .aseecr()
        .env("SUDO_USER", "operator")
        .arg(&device)
        .args(["--yes", "--format", "json"])
        .ok();
    let json = out.json();
    assert_eq!(json["actions"][3]["store"], "aseecr");
    assert_eq!(json["actions"][3]["notes"][0], note.as_str());
    sandbox
        .aseecr()
        .env("SUDO_USER", "operator")
        .arg(&device)
        .args(["--yes", "--store", "all"])
        .ok()
        .stderr_has("os: added")
        .stderr_lacks("run by sudo");
}
