//! README's bash walkthrough, run as written, in its order, against local registries:
//! the endpoint is `localhost:PORT` (a device-like registry with a self-signed `CA:TRUE`
//! certificate), the node IP `127.0.0.1`, `mcr.microsoft.com` a local plain-HTTP
//! registry (`--src-plain-http`), and `--yes` answers the prompts a terminal would show.
//! What `sudo` would change on the machine is redirected: the hosts file to a temporary
//! file (`ASEECR_HOSTS_FILE`), the trust stores to a Debian-like root (`ASEECR_TRUST_ROOT`)
//! whose `update-ca-certificates` stand-in builds the OS bundle that `SSL_CERT_FILE`
//! names. `kubectl apply` is not run (no cluster): each image the relocated manifest
//! names must be one the registry holds, which is what `kubectl apply` would need.
//! The PowerShell walkthrough runs in the Windows lane (`windows::readme_powershell_walkthrough`).

use std::path::Path;

use crate::util::image::skopeo_exists;
use crate::util::registry::{Options, PASSWORD, Tls, USER};
use crate::util::{Home, TestImage, TestRegistry};

/// The aseecr commands README's bash walkthrough runs, in order.
const WALKTHROUGH: &[&str] = &[
    "setup-host",
    // As root for the machine's stores, then as the user for aseecr's own
    // (sudo's HOME is root's).
    "trust-cert",
    "trust-cert",
    "login",
    "config",
    "mirror",
    "k8s",
    "doctor",
];

/// One command of the walkthrough: its arguments after `aseecr`, with variables
/// replaced, whether the password is piped into it, and whether its output is
/// piped to `kubectl apply -f -`.
#[derive(Debug)]
struct Step {
    args: Vec<String>,
    password_piped: bool,
    to_kubectl: bool,
}

/// README's bash walkthrough as steps. `vars` gives each `$NAME` its value and
/// `home` is `~` (the block's own `NAME=...` lines are the device's values and are
/// not used); a word with any other `$` fails, so the block cannot grow something
/// this cannot run.
fn readme_walkthrough(vars: &[(&str, String)], home: &str) -> Vec<Step> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = &readme[readme.find("### bash").expect("README has a bash section")..];
    let block = section
        .split("```bash\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("a ```bash block");
    let mut steps = Vec::new();
    for line in block.lines() {
        // A comment starts at ` #` (no command of the block holds a `#`).
        let line = line.split(" #").next().unwrap().trim();
        if line.is_empty() || line.split_once('=').is_some_and(|(name, _)| is_name(name)) {
            continue;
        }
        let (password_piped, command) =
            match line.strip_prefix(r#"printf '%s\n' "$ECR_PASSWORD" | "#) {
                Some(command) => (true, command),
                None => (false, line),
            };
        let (to_kubectl, command) = match command.split_once(" | ") {
            Some((command, "kubectl apply -f -")) => (true, command),
            Some(_) => panic!("README's walkthrough pipes something else: `{line}`"),
            None => (false, command),
        };
        // `sudo` is for the machine's hosts file and trust stores, redirected here.
        let command = command.strip_prefix("sudo ").unwrap_or(command);
        let words = crate::util::shell_words(command);
        assert_eq!(words[0], "aseecr", "`{line}`");
        let args = words[1..]
            .iter()
            .map(|word| {
                let mut word = match word.strip_prefix("~/") {
                    Some(rest) => format!("{home}/{rest}"),
                    None => word.clone(),
                };
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
            to_kubectl,
        });
    }
    steps
}

/// A shell variable name (what `NAME=value` assigns).
fn is_name(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| c.is_ascii_uppercase() || c == '_')
}

#[test]
fn readme_walkthrough_is_what_the_test_runs() {
    let steps = readme_walkthrough(&[("$ENDPOINT", "localhost:5000".to_owned())], "/home/me");
    let commands: Vec<&str> = steps.iter().map(|step| step.args[0].as_str()).collect();
    assert_eq!(
        commands, WALKTHROUGH,
        "README's bash walkthrough changed: update WALKTHROUGH and readme_bash_walkthrough"
    );
    assert!(steps[3].password_piped && steps[3].args.contains(&"--password-stdin".to_owned()));
    assert!(steps[6].to_kubectl);
    assert!(
        steps[2]
            .args
            .ends_with(&["--store".to_owned(), "aseecr".to_owned()])
    );
    assert!(
        steps[1]
            .args
            .contains(&"/home/me/Downloads/ecr.cer".to_owned())
    );
}

/// The Pod the walkthrough's `pod.yaml` stands for: the device documentation's
/// example image.
const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: nginx
spec:
  containers:
    - name: nginx
      image: mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine
";

#[test]
fn readme_bash_walkthrough() {
    // The device: a self-signed CA:TRUE certificate, as devices have, named `localhost`.
    let registry = TestRegistry::start(Options {
        tls: Tls::SelfSignedCa,
        ..Options::default()
    });
    let endpoint = format!("localhost:{}", registry.addr.rsplit(':').next().unwrap());
    // mcr.microsoft.com stands in as a local registry.
    let upstream = TestRegistry::plain();
    TestImage::single(42, &[2048, 700]).push(&upstream, "oss/nginx/nginx:1.17.5-alpine", true);
    let home = Home::new();
    std::fs::create_dir_all(home.path().join("Downloads")).unwrap();
    std::fs::copy(registry.ca_file(), home.path().join("Downloads/ecr.cer")).unwrap();
    std::fs::write(home.path().join("pod.yaml"), POD).unwrap();

    // What sudo would change: the hosts file and a Debian-like trust root whose
    // update-ca-certificates builds the OS bundle from its anchors folder.
    let machine = tempfile::tempdir().unwrap();
    let hosts = machine.path().join("hosts");
    std::fs::write(&hosts, "127.0.0.1 localhost\n").unwrap();
    let root = machine.path().join("root");
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("etc/os-release"), "ID=debian\n").unwrap();
    let bundle = machine.path().join("ca-certificates.crt");
    std::fs::write(&bundle, "").unwrap();
    let update = machine.path().join("update-ca-certificates");
    std::fs::write(
        &update,
        format!(
            "#!/bin/sh\ncat '{anchors}'/*.crt > '{bundle}' 2>/dev/null || : > '{bundle}'\n",
            anchors = root.join("usr/local/share/ca-certificates").display(),
            bundle = bundle.display()
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&update, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    let steps = readme_walkthrough(
        &[("$ENDPOINT", endpoint.clone())],
        &home.path().display().to_string(),
    );
    let mut results = Vec::new();
    for step in &steps {
        let mut args = step.args.clone();
        for arg in &mut args {
            // The device's values, for local ones.
            *arg = arg
                .replace("10.128.44.41", "127.0.0.1")
                .replace("ase-ecr-user", USER)
                .replace("mcr.microsoft.com", &upstream.addr);
            if arg == "pod.yaml" {
                *arg = home.path().join("pod.yaml").display().to_string();
            }
        }
        match args[0].as_str() {
            // A terminal would ask; the test answers.
            "setup-host" | "trust-cert" => args.push("--yes".into()),
            "mirror" => args.push("--src-plain-http".into()),
            _ => {}
        }
        let mut aseecr = home
            .aseecr()
            .args(&args)
            .env("ASEECR_HOSTS_FILE", &hosts)
            .env("ASEECR_TRUST_ROOT", &root)
            .env("ASEECR_TRUST_COMMAND", &update)
            .env("SSL_CERT_FILE", &bundle);
        if step.password_piped {
            aseecr = aseecr.stdin(format!("{PASSWORD}\n"));
        }
        let out = aseecr.run();
        assert_eq!(
            out.code, 0,
            "`{}` exited {}\n--- stdout\n{}\n--- stderr\n{}",
            out.command, out.code, out.stdout, out.stderr
        );
        results.push(out);
    }
    assert_eq!(results.len(), WALKTHROUGH.len());
    let output = |command: &str| &results[WALKTHROUGH.iter().position(|c| *c == command).unwrap()];

    assert!(
        std::fs::read_to_string(&hosts)
            .unwrap()
            .contains("127.0.0.1 localhost"),
    );
    // The manifest kubectl would apply names only images the registry holds.
    let manifest = &output("k8s").stdout;
    let images: Vec<&str> = manifest
        .lines()
        .filter_map(|line| line.trim().strip_prefix("image: "))
        .collect();
    assert_eq!(
        images,
        [format!("{endpoint}/oss/nginx/nginx:1.17.5-alpine")],
        "{manifest}"
    );
    for image in images {
        let path = image.strip_prefix(&format!("{endpoint}/")).unwrap();
        assert!(
            skopeo_exists(&registry, path),
            "{image} is not in the registry"
        );
    }
    assert!(manifest.contains("ase-ecr-credentials"), "{manifest}");
    let doctor = &output("doctor").stdout;
    // trust-cert's default stores: the container clients' folders and aseecr's,
    // not the OS store (where the device's CA:TRUE certificate would be a root
    // for every site).
    assert!(
        doctor.contains(
            "trusted by aseecr and, through their certs.d folders, by docker, podman/buildah/skopeo, containerd"
        ),
        "{doctor}"
    );
    assert!(!doctor.contains("every HTTPS site"), "{doctor}");
}
