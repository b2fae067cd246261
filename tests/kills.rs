//! `kill -9` at random moments during the commands that write files: afterwards each
//! file holds its old or its new contents, never a part, and the next run succeeds.
//! And during the commands that write to a registry (`mirror`, `delete`): every
//! tag that exists can be pulled whole, and a rerun completes.
//!
//! Seeded: a failure prints its seed; `ASEECR_KILL_SEED=N` replays it.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::{Duration, Instant};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use crate::util::image::{skopeo_digest, skopeo_exists, skopeo_pull_digest};
use crate::util::registry::{PASSWORD, USER};
use crate::util::{Aseecr, Home, TestImage, TestRegistry, authed};

/// Kills per command.
const KILLS: usize = 15;
/// Kills per registry command (each costs a transfer and skopeo pulls).
const REGISTRY_KILLS: usize = 12;

/// A small seeded generator (xorshift64*), so a failing run can be replayed.
struct Rng(u64);

impl Rng {
    fn new() -> (Rng, u64) {
        let seed = std::env::var("ASEECR_KILL_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .subsec_nanos() as u64
            });
        (Rng(seed | 1), seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

/// How long one run of `command` takes, unkilled (it must succeed).
fn timed(command: Aseecr) -> Duration {
    let start = Instant::now();
    command.ok();
    start.elapsed()
}

/// Start `command` and SIGKILL it after a random moment within `window`.
fn kill_at_random(command: Aseecr, rng: &mut Rng, window: Duration) -> Duration {
    let mut child: Child = command.spawn();
    let delay = Duration::from_micros(rng.below(window.as_micros() as u64));
    std::thread::sleep(delay);
    let _ = child.kill();
    let _ = child.wait();
    delay
}

/// Panics with the seed and the kill, so the failure can be replayed.
fn check(ok: bool, seed: u64, kill: usize, delay: Duration, what: impl FnOnce() -> String) {
    assert!(
        ok,
        "ASEECR_KILL_SEED={seed}, kill {kill} after {delay:?}: {}",
        what()
    );
}

/// Names in `dir` that are neither in `expected` nor aseecr's temporary files for
/// one of them (fresh ones may stay: they may belong to a live run).
fn unexpected_names(dir: &Path, expected: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // On Windows the hosts file's lock file stays by design (docs/decisions.md).
        .filter(|name| !(crate::util::windows_target() && name == ".hosts.aseecr.lock"))
        .filter(|name| {
            !expected.contains(&name.as_str())
                && !expected
                    .iter()
                    .any(|e| name.starts_with(&format!(".{e}.aseecr-")))
        })
        .collect()
}

#[test]
fn killed_setup_host_leaves_the_old_or_the_new_hosts_file() {
    let (mut rng, seed) = Rng::new();
    let home = Home::new();
    let dir = home.path().join("etc");
    std::fs::create_dir_all(&dir).unwrap();
    let hosts = dir.join("hosts");
    std::fs::write(&hosts, "127.0.0.1 localhost\n").unwrap();
    let run = |n: usize| {
        home.aseecr()
            .args([
                "setup-host",
                &format!("k{n}.example"),
                &format!("10.1.0.{n}"),
            ])
            .args(["--yes", "--hosts-file"])
            .arg(&hosts)
    };
    let window = timed(run(0)).mul_f32(1.2);
    let mut committed = vec![0];
    for kill in 1..=KILLS {
        let old = std::fs::read_to_string(&hosts).unwrap();
        let delay = kill_at_random(run(kill), &mut rng, window);
        let text = std::fs::read_to_string(&hosts).unwrap();
        let mut new = committed.clone();
        new.push(kill);
        let wanted = |names: &[usize]| {
            let mut text = "127.0.0.1 localhost\n# BEGIN aseecr (managed by `aseecr setup-host`; edits here are overwritten)\n".to_owned();
            for n in names {
                text.push_str(&format!("10.1.0.{n} k{n}.example\n"));
            }
            text + "# END aseecr\n"
        };
        check(
            text == old || text == wanted(&new),
            seed,
            kill,
            delay,
            || format!("the hosts file is neither the old nor the new one:\n{text}"),
        );
        if text != old {
            committed = new;
        }
        let backup = std::fs::read_to_string(dir.join("hosts.aseecr.bak")).unwrap_or_default();
        check(
            backup.is_empty()
                || backup == "127.0.0.1 localhost\n"
                || backup.ends_with("# END aseecr\n"),
            seed,
            kill,
            delay,
            || format!("the backup is partial:\n{backup}"),
        );
    }
    // The next run succeeds and leaves no lock and no temporary copy.
    run(KILLS + 1).ok();
    let left = unexpected_names(&dir, &["hosts", "hosts.aseecr.bak"]);
    assert!(left.is_empty(), "ASEECR_KILL_SEED={seed}: left {left:?}");
    let left = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            !(crate::util::windows_target()
                && e.as_ref().unwrap().file_name() == ".hosts.aseecr.lock")
        })
        .count();
    assert_eq!(
        left, 2,
        "ASEECR_KILL_SEED={seed}: the next run removes temporary copies"
    );
}

#[test]
fn killed_login_leaves_the_old_or_the_new_docker_config() {
    let (mut rng, seed) = Rng::new();
    let registry = TestRegistry::edge();
    let home = Home::new();
    let login = || crate::util::login(&home, &registry);
    let window = timed(login()).mul_f32(1.2);
    for kill in 1..=KILLS {
        let old = format!("{{\"psFormat\":\"round {kill}\"}}");
        std::fs::write(home.docker_config(), &old).unwrap();
        // `spawn` writes no stdin: the password comes from the environment.
        let killed = home
            .aseecr()
            .args(["login", &registry.addr, "-u", USER, "--ca-cert"])
            .arg(registry.ca_file())
            .env("ASEECR_PASSWORD", PASSWORD);
        let delay = kill_at_random(killed, &mut rng, window);
        let text = std::fs::read_to_string(home.docker_config()).unwrap();
        let new = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .filter(|config| {
                config["psFormat"] == format!("round {kill}").as_str()
                    && config["auths"][registry.addr.as_str()]["auth"].is_string()
            });
        check(text == old || new.is_some(), seed, kill, delay, || {
            format!("config.json is neither the old nor the new one:\n{text}")
        });
        // aseecr's own config, when written, is whole too.
        let aseecr = home.config_dir().join("config.json");
        if let Ok(text) = std::fs::read_to_string(&aseecr) {
            check(
                serde_json::from_str::<serde_json::Value>(&text).is_ok(),
                seed,
                kill,
                delay,
                || format!("aseecr's config.json is partial:\n{text}"),
            );
        }
    }
    login().ok().stderr_has("Login Succeeded");
    let left = unexpected_names(&home.docker_dir(), &["config.json"]);
    assert!(left.is_empty(), "ASEECR_KILL_SEED={seed}: left {left:?}");
}

const REGISTRY: &str = "ecr.dbe-test.microsoftdatabox.com:31001";

/// A self-signed `CA:TRUE` certificate naming the registry, as devices issue.
fn device_cert() -> (String, Vec<u8>) {
    let key = KeyPair::generate().unwrap();
    let host = "ecr.dbe-test.microsoftdatabox.com";
    let mut params = CertificateParams::new(vec![host.to_owned()]).unwrap();
    params.distinguished_name.push(DnType::CommonName, host);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).unwrap();
    (cert.pem(), cert.der().to_vec())
}

/// Every `.crt` and `.pem` file under `dir`.
fn cert_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            cert_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "crt" || e == "pem") {
            out.push(path);
        }
    }
}

#[test]
fn killed_trust_cert_leaves_each_store_file_old_or_new() {
    let (mut rng, seed) = Rng::new();
    let home = Home::new();
    let sandbox = tempfile::tempdir().unwrap();
    let root = sandbox.path().join("root");
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("etc/os-release"), "ID=debian\n").unwrap();
    let script = sandbox.path().join("true.sh");
    std::fs::write(&script, "#!/bin/sh\nexit 0\n").unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let certs = [device_cert(), device_cert()];
    let files: Vec<PathBuf> = certs
        .iter()
        .enumerate()
        .map(|(i, (pem, _))| {
            let path = sandbox.path().join(format!("device{i}.pem"));
            std::fs::write(&path, pem).unwrap();
            path
        })
        .collect();
    let trust = |i: usize| {
        home.aseecr()
            .env("ASEECR_TRUST_COMMAND", &script)
            .args([
                "--registry",
                REGISTRY,
                "trust-cert",
                "--yes",
                "--store",
                "all",
                "--root",
            ])
            .arg(&root)
            .arg(&files[i % 2])
    };
    let window = timed(trust(0)).mul_f32(1.2);
    for kill in 1..=KILLS {
        let delay = kill_at_random(trust(kill), &mut rng, window);
        let mut found = Vec::new();
        cert_files(&root, &mut found);
        cert_files(&home.config_dir(), &mut found);
        check(found.len() >= 5, seed, kill, delay, || format!("{found:?}"));
        for path in found {
            let bytes = std::fs::read(&path).unwrap();
            let ders: Vec<_> = CertificateDer::pem_slice_iter(&bytes)
                .collect::<Result<_, _>>()
                .unwrap_or_default();
            let whole = ders.len() == 1
                && certs
                    .iter()
                    .any(|(_, der)| ders[0].as_ref() == der.as_slice());
            check(whole, seed, kill, delay, || {
                format!(
                    "`{}` is not one whole certificate:\n{}",
                    path.display(),
                    String::from_utf8_lossy(&bytes)
                )
            });
        }
        let config = std::fs::read_to_string(home.config_dir().join("config.json")).unwrap();
        check(
            serde_json::from_str::<serde_json::Value>(&config).is_ok(),
            seed,
            kill,
            delay,
            || format!("aseecr's config.json is partial:\n{config}"),
        );
    }
    trust(KILLS + 1).ok();
}

/// An anonymous plain-HTTP source registry.
fn plain_source() -> TestRegistry {
    TestRegistry::plain()
}

#[test]
fn killed_mirror_leaves_only_whole_tags_and_a_rerun_completes() {
    let (mut rng, seed) = Rng::new();
    let src = plain_source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    // Large layers are mid-transfer for most of the run.
    TestImage::single(80, &[4_300_000, 4_200_000, 40_000, 1_000]).push(&src, "big:1", false);
    let digest = skopeo_digest(&src, "big:1");
    let mirror = |target: &str| {
        authed(&home, &dst)
            .args(["mirror", "--src-plain-http", "--dst-ca-cert"])
            .arg(dst.ca_file())
            .arg(format!("{}/big:1", src.addr))
            .arg(format!("{}/{target}", dst.addr))
    };
    // Each run goes to a new repository, so each one transfers every blob.
    let window = timed(mirror("k0/big:1")).mul_f32(1.2);
    let mut list = String::new();
    for kill in 1..=REGISTRY_KILLS {
        let target = format!("k{kill}/big:1");
        let delay = kill_at_random(mirror(&target), &mut rng, window);
        if skopeo_exists(&dst, &target) {
            let pulled = skopeo_pull_digest(&dst, &target);
            check(pulled.as_ref() == Some(&digest), seed, kill, delay, || {
                format!("`{target}` exists but pulls as {pulled:?}")
            });
        }
        list.push_str(&format!("{}/big:1 {}/{target}\n", src.addr, dst.addr));
    }
    // One rerun of every killed mirror completes them all.
    let file = home.path().join("images.txt");
    std::fs::write(&file, list).unwrap();
    authed(&home, &dst)
        .args(["mirror", "--src-plain-http", "--dst-ca-cert"])
        .arg(dst.ca_file())
        .arg("-f")
        .arg(&file)
        .ok();
    for kill in 1..=REGISTRY_KILLS {
        let target = format!("k{kill}/big:1");
        assert_eq!(
            skopeo_pull_digest(&dst, &target).as_ref(),
            Some(&digest),
            "ASEECR_KILL_SEED={seed}: `{target}` after the rerun"
        );
    }
}

#[test]
fn killed_delete_removes_only_named_tags_and_a_rerun_completes() {
    let (mut rng, seed) = Rng::new();
    let src = plain_source();
    let dst = TestRegistry::edge();
    let home = Home::new();
    // Five distinct images: three to delete, two to keep.
    let tags = ["t0", "t1", "t2", "t3", "t4"];
    let mut digests = Vec::new();
    for (i, tag) in tags.iter().enumerate() {
        TestImage::single(90 + i as u64, &[2_000 + i, 500]).push(
            &src,
            &format!("img:{tag}"),
            false,
        );
        digests.push(skopeo_digest(&src, &format!("img:{tag}")));
    }
    let (named, kept) = tags.split_at(3);
    let setup = |repo: &str| {
        let list = home.path().join("images.txt");
        let lines: String = tags
            .iter()
            .map(|tag| format!("{}/img:{tag} {}/{repo}:{tag}\n", src.addr, dst.addr))
            .collect();
        std::fs::write(&list, lines).unwrap();
        authed(&home, &dst)
            .args(["mirror", "--src-plain-http", "--dst-ca-cert"])
            .arg(dst.ca_file())
            .arg("-f")
            .arg(&list)
            .ok();
    };
    let delete = |repo: &str| {
        authed(&home, &dst)
            .args(["delete", "--yes"])
            .args(named.iter().map(|tag| format!("{}/{repo}:{tag}", dst.addr)))
    };
    setup("d0");
    let window = timed(delete("d0")).mul_f32(1.2);
    for kill in 1..=REGISTRY_KILLS {
        let repo = format!("d{kill}");
        setup(&repo);
        let delay = kill_at_random(delete(&repo), &mut rng, window);
        for (tag, digest) in tags.iter().zip(&digests) {
            let target = format!("{repo}:{tag}");
            let exists = skopeo_exists(&dst, &target);
            check(exists || named.contains(tag), seed, kill, delay, || {
                format!("`{target}` was deleted but not named")
            });
            if exists {
                let pulled = skopeo_pull_digest(&dst, &target);
                check(pulled.as_ref() == Some(digest), seed, kill, delay, || {
                    format!("`{target}` exists but pulls as {pulled:?}")
                });
            }
        }
        // The rerun deletes what is left; tags the killed run already deleted
        // are reported as not found (a partial batch failure, exit 1).
        let out = delete(&repo).run();
        let not_found = out
            .stderr
            .lines()
            .filter(|l| l.starts_with("error:"))
            .all(|l| l.contains("not found") || l.contains("already gone"));
        check(
            (out.code == 0 || out.code == 1) && not_found,
            seed,
            kill,
            delay,
            || format!("rerun exited {}:\n{}", out.code, out.stderr),
        );
        for tag in named {
            check(
                !skopeo_exists(&dst, &format!("{repo}:{tag}")),
                seed,
                kill,
                delay,
                || format!("`{repo}:{tag}` is still there after the rerun"),
            );
        }
        for tag in kept {
            check(
                skopeo_exists(&dst, &format!("{repo}:{tag}")),
                seed,
                kill,
                delay,
                || format!("`{repo}:{tag}` was deleted by the rerun"),
            );
        }
    }
}
