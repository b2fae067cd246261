//! What docs/guarantees.md promises: concurrent `setup-host` runs keep
//! every change (the lock), a killed run's temporary files are removed by the next
//! one, configuration directories are private, and oversized inputs fail fast.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::util::{Home, TestRegistry};

/// The names in `dir`, sorted.
/// The names in `dir`; on Windows without the hosts file's lock file, which stays
/// there by design (docs/decisions.md).
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !(crate::util::windows_target() && name == ".hosts.aseecr.lock"))
        .collect();
    names.sort();
    names
}

fn hosts_file(home: &Home) -> PathBuf {
    let dir = home.path().join("etc");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("hosts");
    std::fs::write(&path, "127.0.0.1 localhost\n").unwrap();
    path
}

/// Sets `path`'s modification time `by` into the past.
fn age(path: &Path, by: Duration) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - by).unwrap();
}

#[test]
fn concurrent_setup_host_runs_keep_every_entry() {
    const ROUNDS: usize = 20;
    const RUNS: usize = 3;
    let home = Home::new();
    let hosts = hosts_file(&home);
    for round in 0..ROUNDS {
        let children: Vec<_> = (0..RUNS)
            .map(|run| {
                home.aseecr()
                    .args(["setup-host", &format!("r{round}-{run}.example")])
                    .arg(format!("10.0.{round}.{run}"))
                    .arg("--yes")
                    .arg("--hosts-file")
                    .arg(&hosts)
                    .spawn()
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
    let text = std::fs::read_to_string(&hosts).unwrap();
    for round in 0..ROUNDS {
        for run in 0..RUNS {
            let line = format!("10.0.{round}.{run} r{round}-{run}.example\n");
            assert!(text.contains(&line), "{line:?} is missing:\n{text}");
        }
    }
    assert!(text.starts_with("127.0.0.1 localhost\n"), "{text}");
    // Neither the lock file nor a temporary copy is left next to the file.
    assert_eq!(
        names(hosts.parent().unwrap()),
        ["hosts", "hosts.aseecr.bak"]
    );
}

#[test]
fn the_next_run_removes_a_killed_runs_temporary_files_and_nothing_else() {
    let home = Home::new();
    let hosts = hosts_file(&home);
    let dir = hosts.parent().unwrap();
    // What a run killed before its rename leaves: copies of the new file and of the
    // backup, and the lock file (its lock died with the process).
    let leftovers = [
        ".hosts.aseecr-Ab3dE9",
        ".hosts.aseecr.bak.aseecr-x7Yz01",
        ".hosts.aseecr.lock",
    ];
    // Names like aseecr's that are not: kept.
    let others = [
        ".hosts.aseecr-Ab3dE",
        ".hosts.aseecr-Ab3dE9.txt",
        ".other.aseecr-Ab3dE9",
        "hosts.aseecr-Ab3dE9",
        ".hosts.aseecr-Ab3_E9",
    ];
    for name in leftovers.iter().chain(&others) {
        std::fs::write(dir.join(name), "partial").unwrap();
    }
    home.aseecr()
        .args([
            "setup-host",
            "a.example",
            "10.0.0.1",
            "--yes",
            "--hosts-file",
        ])
        .arg(&hosts)
        .ok();
    let mut expected: Vec<&str> = others.to_vec();
    expected.extend(["hosts", "hosts.aseecr.bak"]);
    expected.sort();
    assert_eq!(names(dir), expected);

    // Atomic writes elsewhere (aseecr's config, docker's config.json): a temporary
    // file old enough to be a killed run's is removed, a fresh one may be a live
    // run's and is kept, as is anything not named like aseecr's.
    let config = home.config_dir();
    for name in [
        ".config.json.aseecr-Old123",
        ".aseecr-Old456",
        ".config.json.aseecr-New789",
    ] {
        std::fs::write(config.join(name), "{").unwrap();
    }
    std::fs::write(config.join(".config.json.aseecr-x"), "{").unwrap();
    age(
        &config.join(".config.json.aseecr-Old123"),
        Duration::from_secs(3600),
    );
    age(&config.join(".aseecr-Old456"), Duration::from_secs(3600));
    age(
        &config.join(".config.json.aseecr-x"),
        Duration::from_secs(3600),
    );
    home.aseecr()
        .args(["config", "set", "registry", "ecr.example:31001"])
        .ok();
    assert_eq!(
        names(&config),
        [
            ".config.json.aseecr-New789",
            ".config.json.aseecr-x",
            "config.json"
        ]
    );
}

#[cfg(unix)]
#[test]
fn configuration_directories_are_created_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let registry = TestRegistry::edge();
    let home = Home::new();
    let config = home.path().join("new").join("aseecr");
    let docker = home.path().join("new").join("docker");
    crate::util::login(&home, &registry)
        .env("ASEECR_CONFIG_DIR", &config)
        .env("DOCKER_CONFIG", &docker)
        .ok();
    assert_eq!(mode(&config), 0o700, "aseecr's config dir");
    assert_eq!(
        mode(&config.join("certs")),
        0o700,
        "remembered certificates"
    );
    assert_eq!(
        mode(&docker),
        0o700,
        "docker's config dir, as docker creates it"
    );
    assert_eq!(mode(&docker.join("config.json")), 0o600);
    // A directory that exists keeps its mode.
    let shared = home.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o755)).unwrap();
    home.aseecr()
        .env("ASEECR_CONFIG_DIR", &shared)
        .args(["config", "set", "registry", "ecr.example:31001"])
        .ok();
    assert_eq!(mode(&shared), 0o755);
}

/// Runs it, requires `code`, the message and a `help:` line, within a few seconds.
fn fails_fast(command: crate::util::Aseecr, code: i32, message: &str) {
    let start = Instant::now();
    command
        .run()
        .code(code)
        .stderr_has(message)
        .stderr_has("\nhelp: ");
    let took = start.elapsed();
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn oversized_inputs_fail_fast_with_the_documented_error() {
    let home = Home::new();
    let big = |name: &str, size: usize| {
        let path = home.path().join(name);
        std::fs::write(&path, vec![b'#'; size]).unwrap();
        path
    };
    // One byte over each limit, and far over it through standard input.
    let cert = big("big.pem", (1 << 20) + 1);
    fails_fast(
        home.aseecr()
            .args(["trust-cert", "--registry", "a.example:1"])
            .arg(&cert),
        2,
        "is larger than 1 MiB, aseecr's limit for the certificate file",
    );
    let manifest = big("big.yaml", (4 << 20) + 1);
    fails_fast(
        home.aseecr()
            .args(["--registry", "a.example:1", "k8s", "relocate"])
            .arg(&manifest),
        2,
        "is larger than 4 MiB, aseecr's limit for the manifest",
    );
    fails_fast(
        home.aseecr()
            .args(["--registry", "a.example:1", "k8s", "relocate", "-"])
            .stdin(vec![b'#'; 17 << 20]),
        2,
        "`<stdin>` is larger than 4 MiB",
    );
    let list = big("images.txt", (4 << 20) + 1);
    fails_fast(
        home.aseecr().args(["mirror", "-f"]).arg(&list),
        2,
        "is larger than 4 MiB, aseecr's limit for the image list",
    );
    let hosts = big("hosts", (4 << 20) + 1);
    fails_fast(
        home.aseecr()
            .args([
                "setup-host",
                "a.example",
                "10.0.0.1",
                "--yes",
                "--hosts-file",
            ])
            .arg(&hosts),
        1,
        "is larger than 4 MiB, aseecr's limit for the hosts file",
    );
    assert_eq!(std::fs::metadata(&hosts).unwrap().len(), (4 << 20) + 1);
    std::fs::write(home.docker_config(), vec![b' '; (4 << 20) + 1]).unwrap();
    fails_fast(
        home.aseecr().args(["logout", "a.example:1"]),
        1,
        "aseecr's limit for the docker config",
    );
}

/// Devices never end: the reader must stop at the limit, not at the end.
#[cfg(unix)]
#[test]
fn endless_devices_are_read_only_up_to_the_limit() {
    let home = Home::new();
    let zero = "/dev/zero";
    fails_fast(
        home.aseecr()
            .args(["trust-cert", "--registry", "a.example:1", zero]),
        2,
        "`/dev/zero` is larger than 1 MiB",
    );
    fails_fast(
        home.aseecr()
            .args(["--registry", "a.example:1", "k8s", "relocate", zero]),
        2,
        "`/dev/zero` is larger than 4 MiB",
    );
    fails_fast(
        home.aseecr().args(["mirror", "-f", zero]),
        2,
        "`/dev/zero` is larger than 4 MiB",
    );
    fails_fast(
        home.aseecr().args([
            "setup-host",
            "a.example",
            "10.0.0.1",
            "--yes",
            "--hosts-file",
            zero,
        ]),
        1,
        "`/dev/zero` is larger than 4 MiB",
    );
    fails_fast(
        home.aseecr().args(["setup", "--from-info", zero]),
        2,
        "`/dev/zero` is larger than 1 MiB, aseecr's limit for the registry info file",
    );
}
