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
fn every_skip_names_a_test_that_asks_for_it() {
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
        assert!(
            sources.contains(&format!("fn{name}()")),
            "tests/windows-skips.txt names `{name}`, which is no test"
        );
        assert!(
            sources.contains(&format!("skip_on_windows(\"{name}\"")),
            "`{name}` is in tests/windows-skips.txt but does not call skip_on_windows"
        );
    }
}

#[test]
fn setup_host_edits_the_system32_hosts_file_with_crlf() {
    if !windows_target() {
        return;
    }
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
fn trust_cert_adds_to_and_removes_from_local_machine_root() {
    if !windows_target() {
        return;
    }
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

#[test]
fn credential_helper_exe_from_docker_desktop() {
    if !windows_target() {
        return;
    }
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
        .stderr_has("cannot find the credential helper `docker-credential-wincred.exe` on PATH");
}

#[test]
fn default_folders_are_under_the_user_profile() {
    if !windows_target() {
        return;
    }
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
fn exit_codes_pass_through() {
    if !windows_target() {
        return;
    }
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
