//! The completion scripts complete repositories and tags from the registry: real
//! bash sources the generated script and runs its completion function, as Tab does,
//! against a real registry with a password, through the login `aseecr login` stored.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::registry::USER;
use crate::util::{Home, TestImage, TestRegistry};

/// `aseecr login` to `registry` with its password and CA, which aseecr keeps.
fn login(home: &Home, registry: &TestRegistry) {
    home.aseecr()
        .args([
            "login",
            &registry.addr,
            "-u",
            USER,
            "--password-stdin",
            "--ca-cert",
        ])
        .arg(registry.ca_file())
        .stdin(format!("{}\n", registry.options.password))
        .ok();
}

/// The completions bash offers for the command line `line` (cursor at its end),
/// split into words as bash splits them (at `:` too), from the generated script.
fn bash_complete(home: &Home, line: &str) -> Vec<String> {
    let script = home.path().join("aseecr.bash");
    let text = home.aseecr().args(["completions", "bash"]).ok().stdout;
    std::fs::write(&script, text).unwrap();
    // `aseecr` on PATH, as an installed one is.
    let bin = home.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let link = bin.join("aseecr");
    if !link.exists() {
        std::os::unix::fs::symlink(Path::new(&crate::util::program()), &link).unwrap();
    }
    let driver = r#"
source "$1"
COMP_LINE="$2"
COMP_POINT=${#COMP_LINE}
read -ra COMP_WORDS <<<"${COMP_LINE//:/ : }"
[[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
function=$(complete -p aseecr | sed -n 's/.*-F \([^ ]*\) .*/\1/p')
"$function" aseecr "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"#;
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", driver, "driver"])
        .arg(&script)
        .arg(line)
        .env("PATH", path)
        .env("HOME", home.path())
        .env("ASEECR_CONFIG_DIR", home.config_dir())
        .env("DOCKER_CONFIG", home.docker_dir())
        .env_remove("ASEECR_PASSWORD")
        .env_remove("ASEECR_REGISTRY")
        .stdin(Stdio::null())
        .output()
        .expect("run bash");
    assert!(
        output.status.success(),
        "bash failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn push_two(registry: &TestRegistry) {
    let image = TestImage::single(23, &[512]);
    image.push(registry, "apps/web:1.0", false);
    image.push(registry, "apps/web:1.1", false);
    image.push(registry, "apps/worker:2.0", false);
    image.push(registry, "base/os:1", false);
}

#[test]
fn bash_completes_repositories_and_tags_from_the_registry() {
    let mut registry = TestRegistry::edge();
    push_two(&registry);
    let home = Home::new();
    login(&home, &registry);
    let reg = &registry.addr.clone();

    // bash splits at the colon of the port: the candidates are what follows it.
    let port = reg.rsplit_once(':').unwrap().1;
    let words = bash_complete(&home, &format!("aseecr tags {reg}/ap"));
    assert_eq!(
        words,
        [format!("{port}/apps/web"), format!("{port}/apps/worker")]
    );
    let words = bash_complete(&home, &format!("aseecr inspect {reg}/apps/web:"));
    assert_eq!(words, ["1.0", "1.1"]);
    let words = bash_complete(&home, &format!("aseecr delete {reg}/apps/web:1.1"));
    assert_eq!(words, ["1.1"]);

    // A bare name: the default registry's repositories, named without it.
    home.aseecr().args(["config", "set", "registry", reg]).ok();
    let words = bash_complete(&home, "aseecr tags ba");
    assert_eq!(words, ["base/os"]);

    // The answers are cached in the configuration folder, readable by the user only.
    let cache = home.config_dir().join("completion-cache");
    let entries = std::fs::read_dir(&cache).unwrap().count();
    assert_eq!(entries, 2, "one catalog, one tag list");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&cache).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700);
    // Within the minute, a cached answer needs no registry.
    registry.stop();
    let words = bash_complete(&home, &format!("aseecr tags {reg}/apps/web:1"));
    assert_eq!(words, ["1.0", "1.1"]);
    // Flags and commands still come from clap's script.
    let words = bash_complete(&home, "aseecr tags --for");
    assert!(words.contains(&"--format".to_owned()), "{words:?}");
}

#[test]
fn completion_is_silent_and_quick_with_a_wrong_password_or_a_dead_registry() {
    let mut registry = TestRegistry::edge();
    push_two(&registry);
    let home = Home::new();
    login(&home, &registry);
    let reg = registry.addr.clone();
    // The stored password no longer works: nothing, no prompt, exit 0.
    std::fs::write(
        registry.dir().join("htpasswd"),
        format!("{USER}:{}\n", bcrypt::hash("another-password", 4).unwrap()),
    )
    .unwrap();
    registry.restart();
    let out = home
        .aseecr()
        .args(["__complete", &format!("{reg}/ap")])
        .ok();
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
    if !crate::util::windows_target() {
        let words = bash_complete(&home, &format!("aseecr tags {reg}/ap"));
        assert!(words.is_empty(), "{words:?}");
    }

    // A dead registry: nothing, quickly.
    registry.stop();
    let started = Instant::now();
    let out = home
        .aseecr()
        .args(["__complete", &format!("{reg}/apps/web:")])
        .ok();
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    // Nor with a broken configuration.
    std::fs::write(home.config_dir().join("config.json"), "{").unwrap();
    let out = home.aseecr().args(["__complete", "ap"]).ok();
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
}

#[test]
fn completion_gives_up_on_a_credential_helper_that_waits() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    // A helper that waits (as one asking for a passphrase would) holds no Tab for long.
    let bin = home.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let helper = bin.join("docker-credential-waits");
    std::fs::write(&helper, "#!/bin/sh\nsleep 30\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(home.docker_config(), r#"{"credsStore": "waits"}"#).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let started = Instant::now();
    let out = home
        .aseecr()
        .env("PATH", path)
        .args(["__complete", &format!("{}/ap", registry.addr)])
        .ok();
    let took = started.elapsed();
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
    assert!(took < Duration::from_secs(5), "{took:?}");
}
