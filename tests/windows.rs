//! What only the Windows build can show, run in the Windows lane (.ci/windows-lane.sh)
//! with aseecr.exe under wine: the system hosts file, the LocalMachine Root store, a
//! credential helper .exe, the default folders under the user's profile, exit codes
//! through wine. With the Linux program each test returns at once. Also checks that
//! tests/windows-skips.txt only names tests that ask for it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};

use crate::util::{Home, TestRegistry, windows_skips, windows_target};

const ROOT_CERTIFICATES: &str = r"HKLM\Software\Microsoft\SystemCertificates\Root\Certificates";

/// The lane's wine prefix (it exports WINEPREFIX).
fn prefix() -> PathBuf {
    std::env::var_os("WINEPREFIX")
        .map(PathBuf::from)
        .expect("the Windows lane sets WINEPREFIX")
}

/// `C:\` of the prefix.
fn drive_c() -> PathBuf {
    prefix().join("drive_c")
}

/// `wine64 reg ARGS...` in the lane's prefix: (exit code, stdout).
fn reg(args: &[&str]) -> (i32, String) {
    let wine = std::env::var_os("WINELOADER").unwrap_or_else(|| "/usr/lib/wine/wine64".into());
    let output = Command::new(wine)
        .arg("reg")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run wine64 reg");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// The thumbprints (SHA-1, as key names) of the certificates in LocalMachine Root.
fn root_store_keys() -> Vec<String> {
    // reg prints each subkey as a full path: `HKEY_LOCAL_MACHINE\...\Certificates\<SHA1>`.
    let (_, out) = reg(&["query", ROOT_CERTIFICATES]);
    out.lines()
        .filter(|line| line.contains(r"\Root\Certificates\"))
        .filter_map(|line| line.trim().rsplit('\\').next())
        .map(str::to_owned)
        .collect()
}

/// A Windows path for a path of this machine (wine maps `/` to `Z:\`).
fn windows_path(path: &Path) -> String {
    format!("Z:{}", path.display()).replace('/', "\\")
}

/// The user profile folder wine made in the prefix (`C:\users\<user>`).
fn user_profile() -> PathBuf {
    std::fs::read_dir(drive_c().join("users"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.file_name().is_some_and(|name| name != "Public"))
        .expect("a user profile in the wine prefix")
}

#[test]
fn every_skip_names_one_test() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    // Without whitespace, so a call rustfmt wrapped still matches.
    let sources: String = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .map(|path| std::fs::read_to_string(path).unwrap())
        .collect::<String>()
        .split_whitespace()
        .collect();
    let skips = windows_skips();
    assert!(!skips.is_empty());
    for (name, reason) in skips {
        assert!(reason.len() > 10, "`{name}` needs a reason");
        assert_eq!(
            sources.matches(&format!("fn{name}()")).count(),
            1,
            "tests/windows-skips.txt names `{name}`, which is not one test"
        );
    }
}

#[test]
#[ignore = "Windows lane only (.ci/windows-lane.sh): it needs aseecr.exe under wine"]
fn setup_host_edits_the_system32_hosts_file_with_crlf() {
    assert!(
        windows_target(),
        "run by .ci/windows-lane.sh, with aseecr.exe under wine"
    );
    let _machine = machine_lock();
    let hosts = drive_c().join("windows/system32/drivers/etc/hosts");
    let original = std::fs::read(&hosts).ok();
    // A new hosts file gets Windows line endings.
    let _ = std::fs::remove_file(&hosts);
    let home = Home::new();
    let out = home
        .aseecr()
        .args([
            "setup-host",
            "ecr.dbe-win.microsoftdatabox.com:31001",
            "10.0.0.7",
            "--yes",
        ])
        .ok();
    let written = std::fs::read(&hosts);
    let removed = home
        .aseecr()
        .args([
            "setup-host",
            "ecr.dbe-win.microsoftdatabox.com",
            "--remove",
            "--yes",
        ])
        .run();
    let after_remove = std::fs::read(&hosts);
    match &original {
        Some(bytes) => std::fs::write(&hosts, bytes).unwrap(),
        None => {
            let _ = std::fs::remove_file(&hosts);
        }
    }
    assert!(
        out.stderr
            .to_lowercase()
            .contains(r"c:\windows\system32\drivers\etc\hosts"),
        "{}",
        out.stderr
    );
    assert_eq!(
        String::from_utf8(written.unwrap()).unwrap(),
        "# BEGIN aseecr (managed by `aseecr setup-host`; edits here are overwritten)\r\n\
         10.0.0.7 ecr.dbe-win.microsoftdatabox.com\r\n# END aseecr\r\n"
    );
    removed.code(0);
    assert!(after_remove.unwrap().is_empty());
}

#[test]
#[ignore = "Windows lane only (.ci/windows-lane.sh): it needs aseecr.exe under wine"]
fn trust_cert_adds_to_and_removes_from_local_machine_root() {
    assert!(
        windows_target(),
        "run by .ci/windows-lane.sh, with aseecr.exe under wine"
    );
    // A fresh certificate each run, so its thumbprint is new to the store.
    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(vec!["ecr.dbe-win.microsoftdatabox.com".to_owned()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "aseecr Windows lane test");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).unwrap();
    let home = Home::new();
    let file = home.path().join("device.cer");
    std::fs::write(&file, cert.der()).unwrap();

    let _machine = machine_lock();
    let before = root_store_keys();
    home.aseecr()
        .args(["trust-cert", "--store", "os", "--yes"])
        .arg(&file)
        .ok()
        .stderr_has("os: added")
        .stderr_has(r"LocalMachine\Root");
    let added: Vec<String> = root_store_keys()
        .into_iter()
        .filter(|key| !before.contains(key))
        .collect();
    assert_eq!(added.len(), 1, "new keys in {ROOT_CERTIFICATES}: {added:?}");
    let key = format!("{ROOT_CERTIFICATES}\\{}", added[0]);

    // Another process finds it.
    home.aseecr()
        .args(["trust-cert", "--store", "os", "--yes"])
        .arg(&file)
        .ok()
        .stderr_has("os: already trusted");
    // The Windows store is never under --root.
    home.aseecr()
        .args(["trust-cert", "--store", "os", "--yes", "--root"])
        .arg(home.path())
        .arg(&file)
        .run()
        .code(2)
        .stderr_has("cannot be redirected with --root");

    home.aseecr()
        .args(["trust-cert", "--store", "os", "--remove", "--yes"])
        .arg(&file)
        .ok()
        .stderr_has("os: removed");
    // wine 8's CertDeleteCertificateFromStore keeps a reference on the system store,
    // so the deletion never reaches the registry (docs: PLATFORM-NOTES item 6). Real
    // Windows flushes it. Clean up here, in the test only, so the next run starts clean.
    if reg(&["query", &key]).0 == 0 {
        eprintln!("wine kept {key} after the removal; deleting it with reg");
        assert_eq!(reg(&["delete", &key, "/f"]).0, 0);
    }
    assert_ne!(reg(&["query", &key]).0, 0, "{key} is still there");
}

/// On Windows the LocalMachine Root store stays one of trust-cert's default
/// stores: Docker Desktop reads only it (as the device's manual says). The one
/// line said before anything changes tells what that means for a `CA:TRUE`
/// certificate and why the store is there; `--remove` without `--store` takes
/// the certificate out of every store, the Root store included.
#[test]
#[ignore = "Windows lane only (.ci/windows-lane.sh): it needs aseecr.exe under wine"]
fn trust_cert_keeps_the_root_store_a_default_and_says_why() {
    assert!(
        windows_target(),
        "run by .ci/windows-lane.sh, with aseecr.exe under wine"
    );
    const REGISTRY: &str = "ecr.dbe-win.microsoftdatabox.com:31001";
    // A fresh device-like certificate each run, so its thumbprint is new to the store.
    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(vec!["ecr.dbe-win.microsoftdatabox.com".to_owned()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "aseecr Windows lane default stores");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).unwrap();
    let home = Home::new();
    let file = home.path().join("device.cer");
    std::fs::write(&file, cert.der()).unwrap();
    let docker_dir =
        drive_c().join("ProgramData/docker/certs.d/ecr.dbe-win.microsoftdatabox.com31001");

    let _machine = machine_lock();
    let before = root_store_keys();
    let added = home
        .aseecr()
        .args(["--registry", REGISTRY, "trust-cert", "--yes"])
        .arg(&file)
        .run();
    let docker_had_it = docker_dir.join("ca.crt").exists();
    let removed = home
        .aseecr()
        .args(["--registry", REGISTRY, "trust-cert", "--remove", "--yes"])
        .run();
    // wine keeps a deleted Root certificate (see
    // trust_cert_adds_to_and_removes_from_local_machine_root): cleaned here.
    let new_keys: Vec<String> = root_store_keys()
        .into_iter()
        .filter(|key| !before.contains(key))
        .collect();
    for key in &new_keys {
        reg(&["delete", &format!("{ROOT_CERTIFICATES}\\{key}"), "/f"]);
    }
    let _ = std::fs::remove_dir_all(&docker_dir);

    let added = added
        .code(0)
        .stderr_has("os: added")
        .stderr_has(r"LocalMachine\Root")
        .stderr_has("docker: added")
        .stderr_has("aseecr: added")
        .stderr_has("warning: the OS store would trust this CA:TRUE certificate for every HTTPS site, not only `ecr.dbe-win.microsoftdatabox.com:31001`: whoever holds its key could impersonate any server to this machine; it is a default here because Docker Desktop reads only the LocalMachine Root store; without Docker Desktop leave it out: `--store docker,aseecr`");
    assert_eq!(
        added.stderr.matches("warning:").count(),
        1,
        "{}",
        added.stderr
    );
    assert!(
        added.stderr.find("warning:").unwrap() < added.stderr.find("os: added").unwrap(),
        "{}",
        added.stderr
    );
    assert_eq!(
        new_keys.len(),
        1,
        "new keys in {ROOT_CERTIFICATES}: {new_keys:?}"
    );
    assert!(docker_had_it, "{}", added.stderr);
    removed
        .code(0)
        .stderr_has("os: removed")
        .stderr_has("docker: removed")
        .stderr_has("aseecr: removed");
}

#[test]
#[ignore = "Windows lane only (.ci/windows-lane.sh): it needs aseecr.exe under wine"]
fn trust_cert_fetch_trusts_the_device_certificate_from_local_machine_root() {
    assert!(
        windows_target(),
        "run by .ci/windows-lane.sh, with aseecr.exe under wine"
    );
    use crate::util::registry::{Auth, Options, Tls};
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    use sha2::{Digest, Sha256};
    // A device's certificate: self-signed, CA:TRUE, new each run.
    let registry = TestRegistry::start(Options {
        tls: Tls::SelfSignedCa,
        auth: Auth::Anonymous,
        ..Options::default()
    });
    let pem = std::fs::read(registry.server_cert()).unwrap();
    let der = CertificateDer::from_pem_slice(&pem).unwrap();
    let fingerprint = hex::encode(Sha256::digest(&der));
    let home = Home::new();
    let _machine = machine_lock();
    // Not trusted yet: refused.
    home.aseecr()
        .args(["catalog", &registry.addr])
        .run()
        .code(5);
    let before = root_store_keys();
    home.aseecr()
        .args(["--registry", &registry.addr, "trust-cert", "--fetch"])
        .args(["--fingerprint", &fingerprint, "--store", "os", "--yes"])
        .ok()
        .stderr_has("os: added");
    let added: Vec<String> = root_store_keys()
        .into_iter()
        .filter(|key| !before.contains(key))
        .collect();
    assert_eq!(added.len(), 1, "new keys in {ROOT_CERTIFICATES}: {added:?}");
    // From the Root store alone (no --ca-cert, nothing in aseecr's own store): the
    // presented certificate is byte-equal to a trusted root, so it is accepted.
    home.aseecr().args(["catalog", &registry.addr]).ok();

    home.aseecr()
        .args(["--registry", &registry.addr, "trust-cert", "--fetch"])
        .args([
            "--fingerprint",
            &fingerprint,
            "--store",
            "os",
            "--remove",
            "--yes",
        ])
        .ok()
        .stderr_has("os: removed");
    // wine keeps the deleted key (see trust_cert_adds_to_and_removes_from_local_machine_root).
    let key = format!("{ROOT_CERTIFICATES}\\{}", added[0]);
    if reg(&["query", &key]).0 == 0 {
        assert_eq!(reg(&["delete", &key, "/f"]).0, 0);
    }
}

/// A home with the test credential helper installed as `docker-credential-NAME.exe`
/// in `bin`, keeping its credentials in `store`.
fn install_helper(home: &Home, name: &str) -> (PathBuf, PathBuf) {
    let helpers = std::env::var_os("ASEECR_TEST_WIN_HELPERS")
        .map(PathBuf::from)
        .expect("the Windows lane sets ASEECR_TEST_WIN_HELPERS");
    let bin = home.path().join("bin");
    let store = home.path().join("helper-store");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(&store).unwrap();
    std::fs::copy(
        helpers.join("docker-credential-testfile.exe"),
        bin.join(format!("docker-credential-{name}.exe")),
    )
    .unwrap();
    (bin, store)
}

use crate::util::login;
use crate::util::registry::{PASSWORD, USER};

#[test]
#[ignore = "Windows lane only (.ci/windows-lane.sh): it needs aseecr.exe under wine"]
fn credential_helper_exe_from_docker_desktop() {
    assert!(
        windows_target(),
        "run by .ci/windows-lane.sh, with aseecr.exe under wine"
    );
    let registry = TestRegistry::edge();
    let home = Home::new();
    // Docker Desktop writes `credsStore: desktop`; the helper is found on PATH, which
    // wine builds from WINEPATH.
    let (bin, store) = install_helper(&home, "desktop");
    std::fs::write(
        home.docker_config(),
        r#"{"auths":{},"credsStore":"desktop"}"#,
    )
    .unwrap();
    let with_helper = |aseecr: crate::util::Aseecr| {
        aseecr
            .env("WINEPATH", windows_path(&bin))
            .env("TESTHELPER_STORE", &store)
    };
    with_helper(login(&home, &registry))
        .ok()
        .stderr_has("docker-credential-desktop");
    let config = std::fs::read_to_string(home.docker_config()).unwrap();
    assert!(
        !config.contains("auth\""),
        "the password went into the file: {config}"
    );
    assert_eq!(std::fs::read_dir(&store).unwrap().count(), 1);
    with_helper(home.aseecr().args(["catalog", &registry.addr])).ok();
    with_helper(home.aseecr().args(["logout", &registry.addr])).ok();
    assert_eq!(std::fs::read_dir(&store).unwrap().count(), 0);

    // `wincred` (Credential Manager) without its helper: a clear error, exit 1.
    std::fs::write(home.docker_config(), r#"{"credsStore":"wincred"}"#).unwrap();
    login(&home, &registry)
        .run()
        .code(1)
        .stderr_has("cannot find the credential helper `docker-credential-wincred` on PATH");
}

#[test]
#[ignore = "Windows lane only (.ci/windows-lane.sh): it needs aseecr.exe under wine"]
fn credential_helper_cmd_found_through_pathext() {
    assert!(
        windows_target(),
        "run by .ci/windows-lane.sh, with aseecr.exe under wine"
    );
    // Docker finds helpers with Go's LookPath, which tries every PATHEXT extension: a
    // `docker-credential-NAME.cmd` wrapper works with docker, so it must with aseecr.
    // wine's cmd.exe runs it; the script hands its argument and stdin to the .exe.
    let registry = TestRegistry::edge();
    let home = Home::new();
    let (bin, store) = install_helper(&home, "testfile");
    std::fs::write(
        bin.join("docker-credential-wrapped.cmd"),
        "@echo off\r\n\"%~dp0docker-credential-testfile.exe\" %*\r\n",
    )
    .unwrap();
    std::fs::write(
        home.docker_config(),
        r#"{"auths":{},"credsStore":"wrapped"}"#,
    )
    .unwrap();
    let with_helper = |aseecr: crate::util::Aseecr| {
        aseecr
            .env("WINEPATH", windows_path(&bin))
            .env("TESTHELPER_STORE", &store)
    };
    with_helper(login(&home, &registry))
        .ok()
        .stderr_has("docker-credential-wrapped");
    assert_eq!(std::fs::read_dir(&store).unwrap().count(), 1);
    with_helper(home.aseecr().args(["catalog", &registry.addr])).ok();
    with_helper(home.aseecr().args(["logout", &registry.addr])).ok();
    assert_eq!(std::fs::read_dir(&store).unwrap().count(), 0);
}

#[test]
#[ignore = "Windows lane only (.ci/windows-lane.sh): it needs aseecr.exe under wine"]
fn default_folders_are_under_the_user_profile() {
    assert!(
        windows_target(),
        "run by .ci/windows-lane.sh, with aseecr.exe under wine"
    );
    let registry = TestRegistry::edge();
    let home = Home::new();
    let profile = user_profile();
    let config = profile.join("AppData/Roaming/aseecr/config/config.json");
    let docker = profile.join(".docker/config.json");
    // No ASEECR_CONFIG_DIR or DOCKER_CONFIG: %APPDATA% and %USERPROFILE%.
    let defaults = |aseecr: crate::util::Aseecr| {
        aseecr
            .env_remove("ASEECR_CONFIG_DIR")
            .env_remove("DOCKER_CONFIG")
    };
    let set =
        defaults(
            home.aseecr()
                .args(["config", "set", "registry", "win-default.example:5000"]),
        )
        .run();
    let written = std::fs::read_to_string(&config);
    let got = defaults(home.aseecr().args(["config", "get", "registry"])).run();
    let logged_in = defaults(login(&home, &registry)).run();
    let docker_written = std::fs::read_to_string(&docker);
    let _ = std::fs::remove_dir_all(profile.join("AppData/Roaming/aseecr"));
    let _ = std::fs::remove_file(&docker);
    set.code(0);
    assert!(
        written
            .as_deref()
            .is_ok_and(|text| text.contains("win-default.example:5000")),
        "{}: {written:?}",
        config.display()
    );
    got.code(0).stdout_has("win-default.example:5000");
    logged_in.code(0);
    assert!(
        docker_written
            .as_deref()
            .is_ok_and(|text| text.contains(&registry.addr)),
        "{}: {docker_written:?}",
        docker.display()
    );
}

#[test]
#[ignore = "Windows lane only (.ci/windows-lane.sh): it needs aseecr.exe under wine"]
fn exit_codes_pass_through() {
    assert!(
        windows_target(),
        "run by .ci/windows-lane.sh, with aseecr.exe under wine"
    );
    let registry = TestRegistry::edge();
    let home = Home::new();
    let repo = format!("{}/none", registry.addr);
    home.aseecr().arg("--version").ok();
    home.aseecr().arg("--no-such-flag").run().code(2);
    crate::util::authed(&home, &registry)
        .args(["tags", &repo])
        .run()
        .code(4);
    crate::util::authed(&home, &registry)
        .env("ASEECR_PASSWORD", "wrong")
        .args(["tags", &repo])
        .run()
        .code(3);
    home.aseecr().args(["tags", &repo]).run().code(5);
    let port = crate::util::registry::free_port();
    home.aseecr()
        .args(["tags", &format!("127.0.0.1:{port}/x")])
        .run()
        .code(6);
    std::fs::write(home.docker_config(), r#"{"credsStore":"wincred"}"#).unwrap();
    login(&home, &registry).run().code(1);
}

#[test]
#[ignore = "Windows lane only (.ci/windows-lane.sh): it needs aseecr.exe under wine"]
fn help_and_messages_show_windows_paths() {
    assert!(
        windows_target(),
        "run by .ci/windows-lane.sh, with aseecr.exe under wine"
    );
    // `--store docker` names docker's Windows folder, not /etc/docker.
    let home = Home::new();
    let help = home.aseecr().args(["trust-cert", "--help"]).ok().stdout;
    // Wrapped at 100 columns: compare words.
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains(
            r"Docker's per-registry folder: %ProgramData%\docker\certs.d\HOSTPORT\ca.crt"
        ) && !help.contains("Docker's per-registry folder: /etc"),
        "{help}"
    );

    // The harness passes DOCKER_CONFIG and ASEECR_CONFIG_DIR typed with `/`; the files
    // aseecr joins to them are shown with `/` too, not as `/tmp/../docker\config.json`.
    let registry = TestRegistry::edge();
    let out = login(&home, &registry).ok();
    assert!(
        out.stderr
            .contains(&home.docker_config().display().to_string())
            && !out.stderr.contains(r"docker\config.json"),
        "{}",
        out.stderr
    );
    home.aseecr()
        .args(["config", "path"])
        .ok()
        .stdout_has(&home.config_dir().join("config.json").display().to_string());
}

/// Tests that change what the whole prefix shares (the system32 hosts file, the
/// LocalMachine Root store) take this, so one never sees another's changes.
static MACHINE: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn machine_lock() -> std::sync::MutexGuard<'static, ()> {
    MACHINE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The aseecr commands README's PowerShell walkthrough runs, in order.
const WALKTHROUGH: &[&str] = &[
    "setup-host",
    "trust-cert",
    "login",
    "config",
    "mirror",
    "tags",
    "inspect",
    "delete",
    "doctor",
    "logout",
];

/// One command of the walkthrough: its arguments after `aseecr`, with variables
/// replaced, and whether the password is piped into it.
#[derive(Debug)]
struct Step {
    args: Vec<String>,
    password_piped: bool,
}

/// README's PowerShell walkthrough as steps. `vars` gives each `$Name` its value (the
/// block's own `$Name = ...` lines are the device's values and are not used); a word
/// with any other `$` fails, so the block cannot grow something this cannot run.
fn readme_walkthrough(vars: &[(&str, String)]) -> Vec<Step> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = &readme[readme
        .find("### PowerShell")
        .expect("README has a PowerShell section")..];
    let block = section
        .split("```powershell\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("a ```powershell block");
    let mut steps = Vec::new();
    for line in block.lines() {
        // A comment starts at ` #` (no command of the block holds a `#`).
        let line = line.split(" #").next().unwrap().trim();
        if line.is_empty() || (line.starts_with('$') && line.contains(" = ")) {
            continue;
        }
        let (password_piped, command) = match line.split_once(" | ") {
            Some(("$env:ECR_PASSWORD", command)) => (true, command),
            Some(_) => panic!("README's walkthrough pipes something else: `{line}`"),
            None => (false, line),
        };
        let words = crate::util::shell_words(command);
        assert_eq!(words[0], "aseecr", "`{line}`");
        let args = words[1..]
            .iter()
            .map(|word| {
                let mut word = word.clone();
                for (name, value) in vars {
                    word = word.replace(name, value);
                }
                assert!(!word.contains('$'), "no value for `{word}` in `{line}`");
                word
            })
            .collect();
        steps.push(Step {
            args,
            password_piped,
        });
    }
    steps
}

#[test]
fn readme_walkthrough_is_what_the_lane_runs() {
    // Runs everywhere: README's block and WALKTHROUGH agree, and every line parses.
    let steps = readme_walkthrough(&[
        ("$Endpoint", "localhost:5000".to_owned()),
        ("$HOME", r"C:\Users\me".to_owned()),
    ]);
    let commands: Vec<&str> = steps.iter().map(|step| step.args[0].as_str()).collect();
    assert_eq!(
        commands, WALKTHROUGH,
        "README's PowerShell walkthrough changed: update WALKTHROUGH and readme_powershell_walkthrough"
    );
    assert!(steps[2].password_piped && steps[2].args.contains(&"--password-stdin".to_owned()));
    assert!(
        steps[1]
            .args
            .contains(&r"C:\Users\me\Downloads\ecr.cer".to_owned())
    );
}

#[test]
#[ignore = "Windows lane only (.ci/windows-lane.sh): it needs aseecr.exe under wine"]
fn readme_powershell_walkthrough() {
    assert!(
        windows_target(),
        "run by .ci/windows-lane.sh, with aseecr.exe under wine"
    );
    use crate::util::TestImage;
    use crate::util::registry::{Options, Tls};
    let _machine = machine_lock();
    // The device: a self-signed CA:TRUE certificate, as devices have, named `localhost`
    // (wine resolves names with glibc, so the endpoint must resolve on this machine).
    let registry = TestRegistry::start(Options {
        tls: Tls::SelfSignedCa,
        ..Options::default()
    });
    let endpoint = format!("localhost:{}", registry.addr.rsplit(':').next().unwrap());
    // mcr.microsoft.com stands in as a local registry.
    let upstream = TestRegistry::plain();
    TestImage::single(41, &[2048, 700]).push(&upstream, "oss/nginx/nginx:1.17.5-alpine", true);
    let home = Home::new();
    std::fs::create_dir_all(home.path().join("Downloads")).unwrap();
    std::fs::copy(registry.ca_file(), home.path().join("Downloads/ecr.cer")).unwrap();

    let hosts = drive_c().join("windows/system32/drivers/etc/hosts");
    let hosts_before = std::fs::read(&hosts).ok();
    let roots_before = root_store_keys();
    let docker_certs = drive_c().join(format!(
        "ProgramData/docker/certs.d/{}",
        endpoint.replace(':', "")
    ));

    let steps = readme_walkthrough(&[
        ("$Endpoint", endpoint.clone()),
        ("$HOME", windows_path(home.path())),
    ]);
    let mut results = Vec::new();
    for step in &steps {
        let mut args = step.args.clone();
        for arg in &mut args {
            // The device's values, for local ones.
            *arg = arg
                .replace("10.128.44.41", "127.0.0.1")
                .replace("ase-ecr-user", USER)
                .replace("mcr.microsoft.com", &upstream.addr);
        }
        match args[0].as_str() {
            // A terminal would ask; the test answers.
            "setup-host" | "trust-cert" | "delete" => args.push("--yes".into()),
            "mirror" => args.push("--src-plain-http".into()),
            _ => {}
        }
        let mut aseecr = home.aseecr().args(&args);
        if step.password_piped {
            aseecr = aseecr.stdin(format!("{PASSWORD}\n"));
        }
        let out = aseecr.run();
        let ok = out.code == 0;
        results.push(out);
        if !ok {
            break;
        }
    }

    // Undo what the walkthrough changed in the prefix before judging it.
    match &hosts_before {
        Some(bytes) => std::fs::write(&hosts, bytes).unwrap(),
        None => {
            let _ = std::fs::remove_file(&hosts);
        }
    }
    for key in root_store_keys()
        .into_iter()
        .filter(|key| !roots_before.contains(key))
    {
        reg(&["delete", &format!("{ROOT_CERTIFICATES}\\{key}"), "/f"]);
    }
    let _ = std::fs::remove_dir_all(&docker_certs);

    for out in &results {
        assert_eq!(
            out.code, 0,
            "`{}` exited {}\n--- stdout\n{}\n--- stderr\n{}",
            out.command, out.code, out.stdout, out.stderr
        );
    }
    assert_eq!(results.len(), WALKTHROUGH.len());
    let output = |command: &str| &results[WALKTHROUGH.iter().position(|c| *c == command).unwrap()];
    assert!(output("trust-cert").stderr.contains(r"LocalMachine\Root"));
    assert!(
        output("tags")
            .stdout
            .lines()
            .any(|line| line.trim() == "2.0")
    );
    assert!(output("inspect").stdout.contains("sha256:"));
    assert!(!crate::util::image::skopeo_exists(&registry, "nginx:2.0"));
    let config = std::fs::read_to_string(home.docker_config()).unwrap();
    assert!(!config.contains(&endpoint), "logout left {config}");
}
