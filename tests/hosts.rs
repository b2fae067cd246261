//! `aseecr setup-host` against hosts files in temporary directories (never /etc/hosts).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const HOST: &str = "ecr.dbe-hw6h1t2.microsoftdatabox.com";
const ENDPOINT: &str = "ecr.dbe-hw6h1t2.microsoftdatabox.com:31001";
const BEGIN: &str = "# BEGIN aseecr (managed by `aseecr setup-host`; edits here are overwritten)";
const END: &str = "# END aseecr";

/// A temporary directory holding a hosts file and aseecr's own config dirs.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new(contents: &[u8]) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("hosts"), contents).unwrap();
        Fixture { dir }
    }

    fn hosts(&self) -> PathBuf {
        self.dir.path().join("hosts")
    }

    fn read(&self) -> Vec<u8> {
        std::fs::read(self.hosts()).unwrap()
    }

    /// Run aseecr with stdin not a terminal and the hosts file from ASEECR_HOSTS_FILE.
    fn run(&self, args: &[&str]) -> Output {
        self.run_with_file(&self.hosts(), args)
    }

    fn run_with_file(&self, hosts: &Path, args: &[&str]) -> Output {
        Command::new(crate::util::program())
            .args(args)
            .env("ASEECR_HOSTS_FILE", hosts)
            .env("ASEECR_CONFIG_DIR", self.dir.path().join("config"))
            .env("DOCKER_CONFIG", self.dir.path().join("docker"))
            .env_remove("ASEECR_REGISTRY")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name != "config" && name != "docker")
            // On Windows the lock file stays (std cannot tell a replaced lock file
            // apart there; docs/decisions.md).
            .filter(|name| !(crate::util::windows_target() && name == ".hosts.aseecr.lock"))
            .collect();
        names.sort();
        names
    }
}

/// The line ending aseecr gives a hosts file it creates or that has no lines yet:
/// CRLF on Windows, like the system's own hosts file.
fn new_line() -> &'static str {
    if crate::util::windows_target() {
        "\r\n"
    } else {
        "\n"
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap()
}

#[test]
fn add_is_idempotent_and_keeps_every_other_byte() {
    let original: &[u8] = b"\xEF\xBB\xBF# comment \xE9\xFF\r\n127.0.0.1\tlocalhost  loopback # alias\r\n\r\n::1 localhost";
    let fixture = Fixture::new(original);

    let output = fixture.run(&["setup-host", ENDPOINT, "10.128.44.41", "--yes"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stdout(&output), "");
    let err = stderr(&output);
    assert!(
        err.contains(&format!("`{HOST}` now maps to `10.128.44.41`")),
        "{err}"
    );
    assert!(err.contains("skipped the resolver check"), "{err}");
    let expected = [
        original,
        format!("\r\n{BEGIN}\r\n10.128.44.41 {HOST}\r\n{END}").as_bytes(),
    ]
    .concat();
    assert_eq!(fixture.read(), expected);
    // The previous file is kept once, next to it.
    assert_eq!(
        std::fs::read(fixture.dir.path().join("hosts.aseecr.bak")).unwrap(),
        original
    );

    let again = fixture.run(&["setup-host", ENDPOINT, "10.128.44.41", "--yes"]);
    assert_eq!(code(&again), 0);
    assert!(
        stderr(&again).contains("nothing to change"),
        "{}",
        stderr(&again)
    );
    assert_eq!(fixture.read(), expected);

    let removed = fixture.run(&["setup-host", ENDPOINT, "--remove", "--yes"]);
    assert_eq!(code(&removed), 0, "{}", stderr(&removed));
    assert!(stderr(&removed).contains(&format!("removed `{HOST}`")));
    assert_eq!(fixture.read(), original);
    assert_eq!(fixture.names(), ["hosts", "hosts.aseecr.bak"]);

    let nothing = fixture.run(&["setup-host", ENDPOINT, "--remove", "--yes"]);
    assert_eq!(code(&nothing), 0);
    assert!(
        stderr(&nothing).contains("nothing to remove"),
        "{}",
        stderr(&nothing)
    );
    assert_eq!(fixture.read(), original);
}

#[test]
fn a_new_address_replaces_the_old_one() {
    let fixture = Fixture::new(b"127.0.0.1 localhost\n");
    let first = fixture.run(&["setup-host", ENDPOINT, "10.0.0.1", "-y"]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let second = fixture.run(&[
        "setup-host",
        &format!("https://{}", ENDPOINT.to_uppercase()),
        "fd00::41",
        "-y",
    ]);
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    let expected = format!("127.0.0.1 localhost\n{BEGIN}\nfd00::41 {HOST}\n{END}\n");
    assert_eq!(String::from_utf8(fixture.read()).unwrap(), expected);
}

#[test]
fn list_prints_the_block_as_text_and_json() {
    let fixture = Fixture::new(
        format!(
            "127.0.0.1 localhost\n{BEGIN}\n10.0.0.1 a.example b.example\nfd00::1 c.example\n{END}\n"
        )
        .as_bytes(),
    );
    let text = fixture.run(&["setup-host", "--list"]);
    assert_eq!(code(&text), 0, "{}", stderr(&text));
    assert_eq!(
        stdout(&text),
        "a.example 10.0.0.1\nb.example 10.0.0.1\nc.example fd00::1\n"
    );

    let json = fixture.run(&["setup-host", "--list", "--format", "json"]);
    assert_eq!(code(&json), 0);
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(value["hostsFile"], fixture.hosts().display().to_string());
    assert_eq!(
        value["entries"],
        serde_json::json!([
            {"host": "a.example", "ip": "10.0.0.1"},
            {"host": "b.example", "ip": "10.0.0.1"},
            {"host": "c.example", "ip": "fd00::1"},
        ])
    );

    let empty = Fixture::new(b"127.0.0.1 localhost\n");
    let none = empty.run(&["setup-host", "--list"]);
    assert_eq!(code(&none), 0);
    assert_eq!(stdout(&none), "");
    assert!(stderr(&none).contains("aseecr has no entries"));
}

#[test]
fn dry_run_prints_a_diff_and_changes_nothing() {
    let original = format!("127.0.0.1 localhost\n{BEGIN}\n10.0.0.1 {HOST}\n{END}\n");
    let fixture = Fixture::new(original.as_bytes());
    let output = fixture.run(&["setup-host", ENDPOINT, "10.0.0.2", "--dry-run"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let label = fixture.hosts().display().to_string();
    assert_eq!(
        stdout(&output),
        format!(
            "--- {label}\n+++ {label} (after)\n@@ aseecr block @@\n {BEGIN}\n-10.0.0.1 {HOST}\n+10.0.0.2 {HOST}\n {END}\n"
        )
    );
    assert!(stderr(&output).contains("dry run: nothing was changed"));
    assert_eq!(fixture.read(), original.as_bytes());
    assert_eq!(fixture.names(), ["hosts"]);

    let json = fixture.run(&[
        "setup-host",
        ENDPOINT,
        "--remove",
        "--dry-run",
        "--format",
        "json",
    ]);
    assert_eq!(code(&json), 0);
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(value["changed"], true);
    assert_eq!(value["dryRun"], true);
    assert_eq!(value["entries"], serde_json::json!([]));
    assert!(
        value["diff"]
            .as_str()
            .unwrap()
            .contains(&format!("-10.0.0.1 {HOST}"))
    );
    assert_eq!(fixture.read(), original.as_bytes());
}

#[test]
fn without_a_terminal_a_change_needs_yes() {
    let fixture = Fixture::new(b"127.0.0.1 localhost\n");
    let output = fixture.run(&["setup-host", ENDPOINT, "10.0.0.1"]);
    assert_eq!(code(&output), 2);
    assert_eq!(stdout(&output), "");
    let err = stderr(&output);
    assert!(
        err.contains("needs confirmation, and standard input is not a terminal"),
        "{err}"
    );
    assert!(err.contains("help: pass --yes"), "{err}");
    assert_eq!(fixture.read(), b"127.0.0.1 localhost\n");
    assert_eq!(fixture.names(), ["hosts"]);
}

#[test]
fn json_report_after_a_change() {
    let fixture = Fixture::new(b"");
    let output = fixture.run(&[
        "setup-host",
        ENDPOINT,
        "10.0.0.1",
        "--yes",
        "--format",
        "json",
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(value["changed"], true);
    assert_eq!(value["dryRun"], false);
    assert_eq!(
        value["entries"],
        serde_json::json!([{"host": HOST, "ip": "10.0.0.1"}])
    );
    assert_eq!(
        String::from_utf8(fixture.read()).unwrap(),
        format!("{BEGIN}\n10.0.0.1 {HOST}\n{END}\n").replace('\n', new_line())
    );
}

#[test]
fn bad_input_exits_2_and_changes_nothing() {
    let fixture = Fixture::new(b"127.0.0.1 localhost\n");
    let cases: [(&[&str], &str); 5] = [
        (
            &["setup-host", ENDPOINT, "10.0.0.300", "-y"],
            "invalid IP address `10.0.0.300`",
        ),
        (
            &["setup-host", "bad_name.example:31001", "10.0.0.1", "-y"],
            "invalid endpoint `bad_name.example:31001`",
        ),
        (
            &["setup-host", "10.0.0.9:31001", "10.0.0.1", "-y"],
            "is an IP address",
        ),
        (
            &["setup-host", "ecr.example.com:0", "10.0.0.1", "-y"],
            "port `0`",
        ),
        (&["setup-host", ENDPOINT, "-y"], "IP"),
    ];
    for (args, message) in cases {
        let output = fixture.run(args);
        assert_eq!(code(&output), 2, "{args:?}: {}", stderr(&output));
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(stdout(&output), "");
    }
    assert_eq!(fixture.read(), b"127.0.0.1 localhost\n");
    assert_eq!(fixture.names(), ["hosts"]);
}

#[test]
fn a_malformed_block_is_left_alone() {
    let original = format!("127.0.0.1 localhost\n{BEGIN}\n10.0.0.1 {HOST}\n");
    let fixture = Fixture::new(original.as_bytes());
    let output = fixture.run(&["setup-host", ENDPOINT, "10.0.0.2", "-y"]);
    assert_eq!(code(&output), 1);
    let err = stderr(&output);
    assert!(
        err.contains("line 2 starts an aseecr block that has no `# END aseecr` line"),
        "{err}"
    );
    assert!(err.contains("help: fix or delete"), "{err}");
    assert_eq!(fixture.read(), original.as_bytes());
}

#[test]
fn conflicting_lines_outside_the_block_are_warned_about() {
    let original = format!("10.9.9.9 {HOST} other\n");
    let fixture = Fixture::new(original.as_bytes());
    let output = fixture.run(&["setup-host", ENDPOINT, "10.0.0.1", "-y"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains(&format!(
            "warning: line 1 of `{}` maps `{HOST}` to `10.9.9.9`; it comes first",
            fixture.hosts().display()
        )),
        "{err}"
    );
    assert!(fixture.read().starts_with(original.as_bytes()));
}

#[test]
fn a_missing_file_is_created() {
    let fixture = Fixture::new(b"");
    let path = fixture.dir.path().join("new-hosts");
    let output = fixture.run_with_file(&path, &["setup-host", ENDPOINT, "10.0.0.1", "-y"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        String::from_utf8(std::fs::read(&path).unwrap()).unwrap(),
        format!("{BEGIN}\n10.0.0.1 {HOST}\n{END}\n").replace('\n', new_line())
    );
}

#[test]
fn a_path_under_a_file_fails_with_exit_1() {
    // Root cannot bypass this one: a regular file cannot hold another file.
    let fixture = Fixture::new(b"127.0.0.1 localhost\n");
    let path = fixture.hosts().join("hosts");
    let output = fixture.run_with_file(&path, &["setup-host", ENDPOINT, "10.0.0.1", "-y"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    // Windows reports a path under a file as "path not found", so the file counts
    // as missing and it is the creation that fails.
    let expected = if crate::util::windows_target() {
        "error: cannot lock the hosts file"
    } else {
        "error: cannot read the hosts file"
    };
    assert!(stderr(&output).starts_with(expected), "{}", stderr(&output));
    assert_eq!(fixture.read(), b"127.0.0.1 localhost\n");
    assert_eq!(fixture.names(), ["hosts"]);
}

/// Undoes `chattr +i` when the test ends, so the temporary directory can be removed.
#[cfg(target_os = "linux")]
struct Immutable(Vec<PathBuf>);

#[cfg(target_os = "linux")]
impl Immutable {
    /// Make the paths immutable; `None` when chattr is missing or not permitted here.
    fn set(paths: &[PathBuf]) -> Option<Immutable> {
        let mut guard = Immutable(Vec::new());
        for path in paths {
            let ok = Command::new("chattr")
                .arg("+i")
                .arg(path)
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                return None;
            }
            guard.0.push(path.clone());
        }
        Some(guard)
    }
}

#[cfg(target_os = "linux")]
impl Drop for Immutable {
    fn drop(&mut self) {
        for path in &self.0 {
            let _ = Command::new("chattr").arg("-i").arg(path).status();
        }
    }
}

/// Permission bits when not root; an immutable file and directory when root (which
/// ignores permission bits but not the immutable attribute).
#[cfg(target_os = "linux")]
#[test]
fn a_file_that_cannot_be_written_gives_a_clear_error_and_stays_unchanged() {
    use std::os::unix::fs::PermissionsExt;
    let original = b"127.0.0.1 localhost\n";
    let fixture = Fixture::new(original);
    let is_root = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .any(|line| line.starts_with("Uid:") && line.split_whitespace().nth(2) == Some("0"));
    let _guard;
    if is_root {
        _guard = Immutable::set(&[fixture.hosts(), fixture.dir.path().to_path_buf()]);
        assert!(
            _guard.is_some(),
            "running as root, this test needs `chattr +i` (e2fsprogs and CAP_LINUX_IMMUTABLE) on the temporary directory"
        );
    } else {
        std::fs::set_permissions(fixture.hosts(), std::fs::Permissions::from_mode(0o444)).unwrap();
        std::fs::set_permissions(fixture.dir.path(), std::fs::Permissions::from_mode(0o555))
            .unwrap();
        _guard = None;
    }
    let output = fixture.run(&["setup-host", ENDPOINT, "10.0.0.1", "-y"]);
    if !is_root {
        std::fs::set_permissions(fixture.dir.path(), std::fs::Permissions::from_mode(0o755))
            .unwrap();
    }
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.starts_with(&format!(
            "error: permission denied writing `{}`",
            fixture.hosts().display()
        )),
        "{err}"
    );
    assert!(err.contains("nothing was changed"), "{err}");
    let elevated = if crate::util::windows_target() {
        "run it elevated, in a terminal opened as Administrator: `aseecr"
    } else {
        "run it elevated: `sudo aseecr"
    };
    assert!(
        err.contains(&format!(
            "help: {elevated} setup-host {ENDPOINT} 10.0.0.1 --hosts-file {}`",
            fixture.hosts().display()
        )),
        "{err}"
    );
    assert_eq!(fixture.read(), original);
    drop(_guard);
    assert_eq!(fixture.names(), ["hosts"]);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_followed_and_kept() {
    let fixture = Fixture::new(b"127.0.0.1 localhost\n");
    let link = fixture.dir.path().join("link");
    std::os::unix::fs::symlink(fixture.hosts(), &link).unwrap();
    let output = fixture.run_with_file(&link, &["setup-host", ENDPOINT, "10.0.0.1", "-y"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        String::from_utf8(fixture.read()).unwrap(),
        format!("127.0.0.1 localhost\n{BEGIN}\n10.0.0.1 {HOST}\n{END}\n")
    );
}

/// A dry run on a fresh machine plans every step: the hosts entry step 1 would
/// add does not exist yet, so the later steps are planned, not tried.
#[test]
fn setup_dry_run_plans_every_step_before_the_host_resolves() {
    let fixture = Fixture::new(b"127.0.0.1 localhost\n");
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec![HOST.to_owned()]).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let cert = fixture.dir.path().join("ecr.cer");
    std::fs::write(&cert, params.self_signed(&key).unwrap().pem()).unwrap();
    let info = fixture.dir.path().join("info.txt");
    std::fs::write(
        &info,
        format!("Endpoint  : {ENDPOINT}\nIPAddress : 127.0.0.1\nUsername  : ase-ecr-user\nPassword  : secret-pw\n"),
    )
    .unwrap();
    let root = fixture.dir.path().join("root");
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("etc/os-release"), "ID=debian\n").unwrap();
    let out = fixture.run(&[
        "setup",
        "--from-info",
        info.to_str().unwrap(),
        "--cert",
        cert.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
        "--trust-command",
        "true",
        "--dry-run",
    ]);
    let err = stderr(&out);
    assert_eq!(code(&out), 0, "{err}");
    for line in [
        "[1/5] hosts file (dry run)",
        &format!("+127.0.0.1 {HOST}"),
        "[2/5] certificate trust (dry run)",
        "docker: would add",
        "[3/5] login (dry run)",
        "would check the password of `ase-ecr-user`",
        "after step 1",
        "[4/5] default registry (dry run)",
        "[5/5] doctor (dry run)",
        "dry run: nothing was changed",
    ] {
        assert!(err.contains(line), "lacks {line:?}:\n{err}");
    }
    assert!(!err.contains("does not resolve"), "{err}");
    assert!(!err.contains("secret-pw"), "{err}");
    assert_eq!(fixture.read(), b"127.0.0.1 localhost\n");
    assert!(!root.join("etc/docker").exists());
    assert!(!fixture.dir.path().join("docker").exists());
    assert!(!fixture.dir.path().join("config/config.json").exists());
}
