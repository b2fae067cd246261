//! login / logout: credentials checked before storing, stored as docker does,
//! reused by aseecr and by skopeo; certificates remembered; setup end to end.

use crate::util::registry::{Options, PASSWORD, Tls, USER};
use crate::util::{Home, TestImage, TestRegistry};

use crate::util::login;

#[test]
fn login_stores_docker_credentials_that_skopeo_and_aseecr_reuse() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(70, &[100]).push(&registry, "app:1", false);
    // Another entry that must survive untouched.
    std::fs::write(
        home.docker_config(),
        r#"{"auths":{"other.example:5000":{"auth":"b3RoZXI6c2VjcmV0"}},"psFormat":"table"}"#,
    )
    .unwrap();
    login(&home, &registry)
        .ok()
        .stderr_has("Login Succeeded")
        .stderr_lacks(PASSWORD);
    let config: serde_json::Value =
        serde_json::from_slice(&std::fs::read(home.docker_config()).unwrap()).unwrap();
    assert_eq!(
        config["auths"]["other.example:5000"]["auth"],
        "b3RoZXI6c2VjcmV0"
    );
    assert_eq!(config["psFormat"], "table");
    assert!(config["auths"][registry.addr.as_str()]["auth"].is_string());
    #[cfg(unix)]
    // Windows has ACLs, not modes: the mode is a Linux expectation.
    if !crate::util::windows_target() {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(home.docker_config())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // aseecr reuses both the credentials and the remembered certificate.
    home.aseecr()
        .args(["tags", &format!("{}/app", registry.addr)])
        .ok()
        .stdout_has("1");
    // skopeo authenticates with the same docker config.
    let output = crate::util::image::skopeo(
        &registry,
        &[
            "inspect".into(),
            "--raw".into(),
            "--authfile".into(),
            home.docker_config().display().to_string(),
            "--cert-dir".into(),
            registry.cert_dir().display().to_string(),
            format!("docker://{}/app:1", registry.addr),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // The image pull secret comes from the stored credentials.
    home.aseecr()
        .args(["k8s", "secret", &registry.addr])
        .ok()
        .stdout_has("kubernetes.io/dockerconfigjson")
        .stderr_has("contains the password");

    // Logout removes only this registry.
    home.aseecr()
        .args(["logout", &registry.addr])
        .ok()
        .stderr_has("Removed");
    let config: serde_json::Value =
        serde_json::from_slice(&std::fs::read(home.docker_config()).unwrap()).unwrap();
    assert!(config["auths"].get(registry.addr.as_str()).is_none());
    assert_eq!(
        config["auths"]["other.example:5000"]["auth"],
        "b3RoZXI6c2VjcmV0"
    );
    home.aseecr()
        .args(["tags", &format!("{}/app", registry.addr)])
        .run()
        .code(3)
        .stderr_has("aseecr login");
    home.aseecr()
        .args(["logout", &registry.addr])
        .ok()
        .stderr_has("Not logged in");
}

#[test]
fn wrong_password_stores_nothing() {
    let registry = TestRegistry::edge();
    let home = Home::new();
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
        .stdin("not-the-password\n")
        .run()
        .code(3)
        .stderr_has("nothing was stored")
        .stderr_lacks("not-the-password");
    assert!(!home.docker_config().exists());
    assert!(
        !home.config_dir().join("config.json").exists(),
        "the certificate was remembered"
    );
    // No username and no terminal: a usage error, nothing asked.
    home.aseecr()
        .args(["login", &registry.addr])
        .run()
        .code(2)
        .stderr_has("no username");
    // An untrusted certificate: refused, nothing stored.
    home.aseecr()
        .args(["login", &registry.addr, "-u", USER, "--password-stdin"])
        .stdin(format!("{PASSWORD}\n"))
        .run()
        .code(5);
    assert!(!home.docker_config().exists());
}

#[cfg(unix)]
#[test]
fn login_goes_through_a_credential_helper() {
    use std::os::unix::fs::PermissionsExt;
    let registry = TestRegistry::edge();
    let home = Home::new();
    let bin = home.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let store = home.path().join("helper-store");
    std::fs::create_dir_all(&store).unwrap();
    // A real credential helper: keeps each server's JSON in a file.
    let script = format!(
        r#"#!/bin/sh
set -e
dir={store}
case "$1" in
  store) input=$(cat); url=$(printf '%s' "$input" | sed 's/.*"ServerURL":"\([^"]*\)".*/\1/'); printf '%s' "$input" > "$dir/$(printf '%s' "$url" | tr '/:' '__')" ;;
  get) url=$(cat); f="$dir/$(printf '%s' "$url" | tr '/:' '__')"; if [ -f "$f" ]; then cat "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  erase) url=$(cat); rm -f "$dir/$(printf '%s' "$url" | tr '/:' '__')" ;;
  list) echo '{{}}' ;;
esac
"#,
        store = store.display()
    );
    let helper = bin.join("docker-credential-testfile");
    std::fs::write(&helper, script).unwrap();
    std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(home.docker_config(), r#"{"credsStore":"testfile"}"#).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    login(&home, &registry)
        .env("PATH", &path)
        .ok()
        .stderr_has("docker-credential-testfile");
    let config = std::fs::read_to_string(home.docker_config()).unwrap();
    assert!(
        !config.contains("auth\""),
        "the password went into the file: {config}"
    );
    assert_eq!(std::fs::read_dir(&store).unwrap().count(), 1);
    home.aseecr()
        .args(["catalog", &registry.addr])
        .env("PATH", &path)
        .ok();
    home.aseecr()
        .args(["logout", &registry.addr])
        .env("PATH", &path)
        .ok();
    assert_eq!(std::fs::read_dir(&store).unwrap().count(), 0);
}

#[test]
fn setup_runs_the_whole_procedure() {
    let registry = TestRegistry::start(Options {
        tls: Tls::SelfSignedCa,
        ..Options::default()
    });
    let home = Home::new();
    TestImage::single(71, &[100]).push(&registry, "hello:1", false);
    let port = registry.addr.rsplit(':').next().unwrap();
    let endpoint = format!("localhost:{port}");
    let info = home.path().join("info.txt");
    std::fs::write(
        &info,
        format!(
            "Endpoint{pad}IPAddress Username Password\n--------{pad}--------- -------- --------\n{endpoint} 127.0.0.1 {USER} {PASSWORD}\n",
            pad = " ".repeat(endpoint.len().saturating_sub(7)),
        ),
    )
    .unwrap();
    let hosts = home.path().join("hosts");
    std::fs::write(&hosts, "127.0.0.1 localhost\n").unwrap();
    let root = home.path().join("root");
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("etc/os-release"), "ID=debian\n").unwrap();
    let out = home
        .aseecr()
        .args(["setup", "--from-info"])
        .arg(&info)
        .arg("--cert")
        .arg(registry.server_cert())
        .arg("--hosts-file")
        .arg(&hosts)
        .arg("--root")
        .arg(&root)
        .arg("--trust-command")
        .arg("true")
        .arg("--yes")
        .ok()
        .stderr_lacks(PASSWORD);
    assert!(
        out.stdout.contains("ok   delete"),
        "{}\n{}",
        out.stdout,
        out.stderr
    );
    assert!(std::fs::read_to_string(&hosts).unwrap().contains("aseecr"));
    assert!(
        root.join(format!("etc/docker/certs.d/{endpoint}/ca.crt"))
            .exists()
    );
    home.aseecr()
        .args(["config", "get", "registry"])
        .ok()
        .stdout_has(&endpoint);
    // Everything remembered: a bare name works with no flags.
    home.aseecr().args(["tags", "hello"]).ok().stdout_has("1");
    // Without --yes and without a terminal it changes nothing.
    home.aseecr()
        .args(["setup", "--from-info"])
        .arg(&info)
        .arg("--cert")
        .arg(registry.server_cert())
        .run()
        .code(2)
        .stderr_has("--yes");
}

/// A self-signed-CA registry, the device's registry info for it (`localhost:PORT`),
/// a hosts file and a trust root: what `setup` needs, sandboxed.
struct SetupBed {
    registry: TestRegistry,
    home: Home,
    endpoint: String,
    hosts: std::path::PathBuf,
    root: std::path::PathBuf,
}

impl SetupBed {
    fn new() -> SetupBed {
        let registry = TestRegistry::start(Options {
            tls: Tls::SelfSignedCa,
            ..Options::default()
        });
        let home = Home::new();
        let port = registry.addr.rsplit(':').next().unwrap();
        let endpoint = format!("localhost:{port}");
        let hosts = home.path().join("hosts");
        std::fs::write(&hosts, "127.0.0.1 localhost\n").unwrap();
        let root = home.path().join("root");
        std::fs::create_dir_all(root.join("etc")).unwrap();
        std::fs::write(root.join("etc/os-release"), "ID=debian\n").unwrap();
        SetupBed {
            registry,
            home,
            endpoint,
            hosts,
            root,
        }
    }

    /// `Get-HcsKubernetesContainerRegistryInfo`'s list form, with these values.
    fn info(&self, ip: &str, user: Option<&str>, password: Option<&str>) -> std::path::PathBuf {
        let mut text = format!("Endpoint  : {}\nIPAddress : {ip}\n", self.endpoint);
        if let Some(user) = user {
            text.push_str(&format!("Username  : {user}\n"));
        }
        if let Some(password) = password {
            text.push_str(&format!("Password  : {password}\n"));
        }
        let path = self.home.path().join("info.txt");
        std::fs::write(&path, text).unwrap();
        path
    }

    /// `aseecr setup` with the sandbox's hosts file and trust root.
    fn setup(&self) -> crate::util::Aseecr {
        self.home
            .aseecr()
            .arg("setup")
            .arg("--hosts-file")
            .arg(&self.hosts)
            .arg("--root")
            .arg(&self.root)
            .arg("--trust-command")
            .arg("true")
    }

    fn nothing_changed(&self) {
        assert_eq!(
            std::fs::read_to_string(&self.hosts).unwrap(),
            "127.0.0.1 localhost\n"
        );
        assert!(!self.root.join("etc/docker").exists());
        assert!(!self.root.join("usr").exists());
        assert!(!self.home.docker_config().exists());
        assert!(!self.home.config_dir().join("config.json").exists());
    }
}

#[test]
fn setup_checks_given_values_before_changing_anything() {
    let bed = SetupBed::new();
    // A wrong IP in the registry info: refused at once, no password needed.
    bed.setup()
        .arg("--from-info")
        .arg(bed.info("10.0.0.999", None, None))
        .arg("--cert")
        .arg(bed.registry.server_cert())
        .arg("--yes")
        .run()
        .code(2)
        .stderr_has("invalid IP address `10.0.0.999`")
        .stderr_has("--ip");
    bed.nothing_changed();
    // A certificate path that does not exist.
    bed.setup()
        .arg("--from-info")
        .arg(bed.info("127.0.0.1", None, Some(PASSWORD)))
        .args(["--cert", "~/Downloads/missing.cer", "--yes"])
        .run()
        .code(4)
        .stderr_has("missing.cer");
    // A file that is not a certificate.
    let not_cert = bed.home.path().join("notes.txt");
    std::fs::write(&not_cert, "hello").unwrap();
    bed.setup()
        .arg("--from-info")
        .arg(bed.info("127.0.0.1", None, Some(PASSWORD)))
        .arg("--cert")
        .arg(&not_cert)
        .arg("--yes")
        .run()
        .code(2)
        .stderr_has("notes.txt");
    // A bad endpoint flag.
    bed.setup()
        .args(["--endpoint", "ecr x:31001", "--ip", "127.0.0.1", "--yes"])
        .run()
        .code(2)
        .stderr_has("invalid registry `ecr x:31001`");
    bed.nothing_changed();
}

#[test]
fn setup_dry_run_prints_every_step_and_changes_nothing() {
    let bed = SetupBed::new();
    // No username or password in the info, no terminal, no --yes: a dry run needs none.
    let cert_copy = bed.home.path().join("ecr.cer");
    std::fs::copy(bed.registry.server_cert(), &cert_copy).unwrap();
    let out = bed
        .setup()
        .arg("--from-info")
        .arg(bed.info("127.0.0.1", None, None))
        // `~` is expanded and the quotes of a pasted path removed.
        .args([
            "--cert",
            "\"~/ecr.cer\" ",
            "--dry-run",
            "--store",
            "docker,aseecr",
        ])
        .ok()
        .stderr_has("It would change (dry run: nothing is changed):")
        .stderr_has("[1/5] hosts file (dry run)")
        .stderr_has(&format!("+127.0.0.1 {}", "localhost"))
        .stderr_has("docker: would add")
        .stderr_has("aseecr: would add")
        .stderr_lacks("os: would add")
        .stderr_lacks("containers: would add")
        .stderr_has("would check the password of `ase-ecr-user`")
        .stderr_has(&format!("would set `registry = {}`", bed.endpoint))
        .stderr_has("dry run: nothing was changed");
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    bed.nothing_changed();
}

#[test]
fn setup_keeps_the_registry_answer_when_the_password_is_wrong() {
    let bed = SetupBed::new();
    bed.setup()
        .arg("--from-info")
        .arg(bed.info("127.0.0.1", Some(USER), Some("not-the-password")))
        .arg("--cert")
        .arg(bed.registry.server_cert())
        .arg("--yes")
        .run()
        .code(3)
        .stderr_has("step 3 of 5 (login) failed: `")
        .stderr_has("rejected the credentials (HTTP 401)")
        .stderr_lacks("not-the-password");
    assert!(!bed.home.docker_config().exists());
}

/// The whole procedure typed at a terminal, with the mistakes of a first try:
/// each wrong answer is asked again at once, and a wrong password again after the 401.
#[cfg(unix)]
#[test]
fn setup_asks_again_at_the_prompt_that_was_wrong() {
    let bed = SetupBed::new();
    let downloads = bed.home.path().join("Downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    std::fs::copy(bed.registry.server_cert(), downloads.join("ecr.cer")).unwrap();
    let mut pty = bed.setup().pty();
    let intro = pty.answer("Registry endpoint, HOST:PORT", "ecr x:31001");
    assert!(intro.contains("It changes, once you confirm"), "{intro}");
    for change in [
        "the hosts file",
        "trust stores",
        "docker's credentials",
        "aseecr's configuration",
    ] {
        assert!(intro.contains(change), "{intro}");
    }
    pty.expect("invalid registry `ecr x:31001`");
    pty.answer("Registry endpoint, HOST:PORT", &bed.endpoint);
    pty.answer("node IP address: ", "10.0.0.999");
    pty.expect("invalid IP address `10.0.0.999`");
    pty.answer("node IP address: ", "127.0.0.1");
    pty.answer("Certificate file", "~/Downloads/missing.cer");
    pty.expect("missing.cer");
    // As Windows Explorer's "Copy as path" gives it, with a trailing space.
    pty.answer("Certificate file", "\"~/Downloads/ecr.cer\" ");
    pty.answer("Username [ase-ecr-user]: ", USER);
    pty.answer("Password", "not-the-password");
    pty.answer("Go ahead? [Y/n]", "y");
    pty.expect("rejected the credentials (HTTP 401)");
    pty.expect("(2 tries left)");
    pty.answer("Password", PASSWORD);
    pty.expect("Login Succeeded");
    let rest = pty.finish(0);
    assert!(rest.contains("is ready"), "{rest}");
    assert!(!rest.contains(PASSWORD));
    assert!(
        std::fs::read_to_string(&bed.hosts)
            .unwrap()
            .contains("aseecr")
    );
    bed.home
        .aseecr()
        .args(["config", "get", "registry"])
        .ok()
        .stdout_has(&bed.endpoint);
}

/// Three wrong passwords: the 401 is in the final error, nothing is stored.
#[cfg(unix)]
#[test]
fn setup_stops_after_three_wrong_passwords() {
    let bed = SetupBed::new();
    let mut pty = bed
        .setup()
        .arg("--from-info")
        .arg(bed.info("127.0.0.1", Some(USER), None))
        .arg("--cert")
        .arg(bed.registry.server_cert())
        .pty();
    pty.answer("Password", "wrong-1");
    pty.answer("Go ahead? [Y/n]", "");
    pty.answer("Password", "wrong-2");
    pty.expect("(1 try left)");
    pty.answer("Password", "wrong-3");
    let rest = pty.finish(3);
    assert!(
        rest.contains("error: step 3 of 5 (login) failed: `")
            && rest.contains("rejected the credentials (HTTP 401)"),
        "{rest}"
    );
    assert!(!bed.home.docker_config().exists());
}

#[test]
fn password_stdin_takes_powershell_encodings_and_is_bounded() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let login = |stdin: Vec<u8>| {
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
            .stdin(stdin)
            .run()
    };
    // PowerShell 5 with `$OutputEncoding` UTF-8: a byte order mark, CRLF.
    login(format!("\u{feff}{PASSWORD}\r\n").into_bytes())
        .code(0)
        .stderr_has("Login Succeeded");
    // With `$OutputEncoding` Unicode: UTF-16 LE with its byte order mark.
    let mut utf16 = vec![0xff, 0xfe];
    for unit in format!("{PASSWORD}\r\n").encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    login(utf16).code(0).stderr_has("Login Succeeded");
    // Not a password: refused before anything is read past 4 KiB.
    login(vec![b'x'; 64 * 1024])
        .code(2)
        .stderr_has("the password on standard input is longer than 4 KiB");
}

#[test]
fn login_fails_when_the_token_service_cannot_be_given_the_credentials() {
    use std::sync::atomic::Ordering;

    use crate::util::proxy::{Behaviour, Proxy};

    let upstream = TestRegistry::plain();
    // The realm is plain HTTP on another port: the credentials are withheld and
    // the token service hands out anonymous tokens, so /v2/ answers 200 whatever
    // the password. That must not read as a successful login.
    let proxy = Proxy::start(
        &upstream.addr,
        Behaviour {
            token: true,
            token_elsewhere: true,
            ..Behaviour::default()
        },
    );
    let home = Home::new();
    home.aseecr()
        .args([
            "login",
            &proxy.addr,
            "--plain-http",
            "-u",
            USER,
            "--password-stdin",
        ])
        .stdin("not-the-password\n")
        .run()
        .code(3)
        .stderr_has("plain HTTP on another host")
        .stderr_has("nothing was stored")
        .stderr_lacks("Login Succeeded")
        .stderr_lacks("not-the-password");
    assert!(!home.docker_config().exists());
    assert!(!home.config_dir().join("config.json").exists());
    assert!(proxy.stats.token_requests.load(Ordering::SeqCst) >= 1);
    assert!(
        !proxy
            .stats
            .token_elsewhere_saw_authorization
            .load(Ordering::SeqCst),
        "the credentials went to a plain-HTTP token service on another host"
    );
}

#[test]
fn login_and_logout_keep_the_rest_of_docker_config_byte_for_byte() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    // As docker writes it (tab-indented, no final newline), with values an f64
    // cannot hold and text serde_json would write differently.
    let original = "{\n\t\"auths\": {\n\t\t\"other.example:5000\": {\n\t\t\t\"auth\": \"b3RoZXI6c2VjcmV0\",\n\t\t\t\"email\": 98765432109876543210\n\t\t}\n\t},\n\t\"big\": 123456789012345678901234567890,\n\t\"precise\": 0.30000000000000000001,\n\t\"huge\": 1e400,\n\t\"nested\": {\"a\": [1.0, -0, 1E+2], \"escaped\": \"caf\\u00e9 \\u003chtml\\u003e\"},\n\t\"psFormat\": \"table\"\n}";
    std::fs::write(home.docker_config(), original).unwrap();
    login(&home, &registry).ok().stderr_has("Login Succeeded");
    let logged_in = std::fs::read_to_string(home.docker_config()).unwrap();
    // (serde_json::Value cannot read `1e400`; docker can.)
    assert!(
        logged_in.contains(&format!(
            "\t\t\"{}\": {{\n\t\t\t\"auth\": \"",
            registry.addr
        )),
        "{logged_in}"
    );
    let rest = |text: &str| text[text.find("\n\t\"big\"").unwrap()..].to_owned();
    assert_eq!(rest(&logged_in), rest(original));
    assert!(logged_in.contains("\t\t\t\"email\": 98765432109876543210\n"));
    home.aseecr()
        .args(["logout", &registry.addr])
        .ok()
        .stderr_has("Removed");
    assert_eq!(
        std::fs::read_to_string(home.docker_config()).unwrap(),
        original
    );
}

/// `value` with every string's `from` parts replaced by their `to`, and the
/// certificate's validity and fingerprint (which change with each run) masked.
fn masked(value: serde_json::Value, masks: &[(&str, &str)]) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(mut text) => {
            for (from, to) in masks {
                text = text.replace(from, to);
            }
            Value::String(text)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(|v| masked(v, masks)).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(key, v)| match key.as_str() {
                    "notBefore" | "notAfter" | "sha256" => (key, Value::from("MASKED")),
                    _ => (key, masked(v, masks)),
                })
                .collect(),
        ),
        other => other,
    }
}

/// Run with `--format json`, require `code` and one JSON object on stdout.
fn json(command: crate::util::Aseecr, code: i32) -> serde_json::Value {
    let out = command.args(["--format", "json"]).run().code(code);
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON object ({e}):\n{}", out.stdout))
}

#[test]
fn setup_prints_one_object_on_success_and_failure() {
    let bed = SetupBed::new();
    let home_path = bed.home.path().display().to_string();
    let port = bed.endpoint.rsplit(':').next().unwrap().to_owned();
    let certs = bed.registry.dir().display().to_string();
    let masks = [
        (home_path.as_str(), "HOME"),
        (certs.as_str(), "CERTS"),
        (port.as_str(), "PORT"),
    ];
    let planned = json(
        bed.setup()
            .arg("--from-info")
            .arg(bed.info("127.0.0.1", None, None))
            .arg("--cert")
            .arg(bed.registry.server_cert())
            .args(["--dry-run", "--store", "docker,aseecr"]),
        0,
    );
    let diff = "--- HOME/hosts\n+++ HOME/hosts (after)\n@@ aseecr block @@\n\
        +# BEGIN aseecr (managed by `aseecr setup-host`; edits here are overwritten)\n\
        +127.0.0.1 localhost\n+# END aseecr\n";
    let name = "CN=ecr.dbe-test.microsoftdatabox.com";
    assert_eq!(
        masked(planned, &masks),
        serde_json::json!({
            "registry": "localhost:PORT",
            "dryRun": true,
            "hosts": {
                "hostsFile": "HOME/hosts",
                "changed": true,
                "dryRun": true,
                "entries": [{"host": "localhost", "ip": "127.0.0.1"}],
                "diff": diff,
            },
            "trust": {
                "registry": "localhost:PORT",
                "source": "CERTS/server.crt",
                "certificate": {
                    "subject": name,
                    "issuer": name,
                    "sans": ["DNS:ecr.dbe-test.microsoftdatabox.com", "DNS:localhost", "IP:127.0.0.1"],
                    "notBefore": "MASKED",
                    "notAfter": "MASKED",
                    "isCa": true,
                    "selfSigned": true,
                    "sha256": "MASKED",
                },
                "remove": false,
                "dryRun": true,
                "actions": [
                    {
                        "store": "docker",
                        "outcome": "add",
                        "target": "HOME/root/etc/docker/certs.d/localhost:PORT/ca.crt",
                    },
                    {
                        "store": "aseecr",
                        "outcome": "add",
                        "target": "HOME/aseecr/certs/localhost_PORT.crt",
                    },
                ],
                "restart": [],
            },
            "defaultRegistry": false,
        })
    );
    bed.nothing_changed();

    let rejected = json(
        bed.setup()
            .arg("--from-info")
            .arg(bed.info("127.0.0.1", Some(USER), Some("not-the-password")))
            .arg("--cert")
            .arg(bed.registry.server_cert())
            .args(["--store", "docker,aseecr", "--yes"]),
        3,
    );
    assert_eq!(
        masked(rejected, &masks),
        serde_json::json!({"error": {
            "kind": "auth-rejected",
            "message": "step 3 of 5 (login) failed: `localhost:PORT` rejected the credentials \
                (HTTP 401): UNAUTHORIZED: authentication required: login to `localhost:PORT` \
                failed; nothing was stored: `localhost:PORT` rejected the credentials (HTTP 401): \
                UNAUTHORIZED: authentication required",
            "help": ["log in again: `aseecr login localhost:PORT`"],
        }})
    );
    assert!(!bed.home.docker_config().exists());
}

#[test]
fn setup_prints_every_step_and_the_doctor_checks_in_one_object() {
    let bed = SetupBed::new();
    let home_path = bed.home.path().display().to_string();
    let port = bed.endpoint.rsplit(':').next().unwrap().to_owned();
    let certs = bed.registry.dir().display().to_string();
    let masks = [
        (home_path.as_str(), "HOME"),
        (certs.as_str(), "CERTS"),
        (port.as_str(), "PORT"),
    ];
    let done = json(
        bed.setup()
            .arg("--from-info")
            .arg(bed.info("127.0.0.1", Some(USER), Some(PASSWORD)))
            .arg("--cert")
            .arg(bed.registry.server_cert())
            .args(["--store", "docker,aseecr", "--yes"]),
        0,
    );
    let name = "CN=ecr.dbe-test.microsoftdatabox.com";
    let ok = |name: &str, detail: &str| serde_json::json!({"name": name, "status": "ok", "detail": detail});
    assert_eq!(
        masked(done, &masks),
        serde_json::json!({
            "registry": "localhost:PORT",
            "dryRun": false,
            "hosts": {
                "hostsFile": "HOME/hosts",
                "changed": true,
                "dryRun": false,
                "entries": [{"host": "localhost", "ip": "127.0.0.1"}],
                "backup": "HOME/hosts.aseecr.bak",
            },
            "trust": {
                "registry": "localhost:PORT",
                "source": "CERTS/server.crt",
                "certificate": {
                    "subject": name,
                    "issuer": name,
                    "sans": ["DNS:ecr.dbe-test.microsoftdatabox.com", "DNS:localhost", "IP:127.0.0.1"],
                    "notBefore": "MASKED",
                    "notAfter": "MASKED",
                    "isCa": true,
                    "selfSigned": true,
                    "sha256": "MASKED",
                },
                "remove": false,
                "dryRun": false,
                "actions": [
                    {
                        "store": "docker",
                        "outcome": "add",
                        "target": "HOME/root/etc/docker/certs.d/localhost:PORT/ca.crt",
                    },
                    {
                        "store": "aseecr",
                        "outcome": "add",
                        "target": "HOME/aseecr/certs/localhost_PORT.crt",
                    },
                ],
                "restart": [
                    "docker: no restart; dockerd reads /etc/docker/certs.d on every pull",
                    "aseecr: no restart; the next command uses it",
                ],
            },
            "login": {
                "registry": "localhost:PORT",
                "username": USER,
                "storedIn": "config-file",
                "configFile": "HOME/docker/config.json",
                "caCert": "HOME/aseecr/certs/localhost_PORT.crt",
            },
            "defaultRegistry": true,
            "doctor": {
                "registry": "localhost:PORT",
                "ok": true,
                "checks": [
                    ok("resolve", "`localhost` -> 127.0.0.1 (hosts file)"),
                    ok("connect", "TCP 127.0.0.1 port PORT"),
                    {
                        "name": "tls",
                        "status": "warn",
                        "detail": format!("trusted by aseecr and docker (certs.d), but not by the OS store nor the folders of podman/buildah/skopeo, containerd: they will refuse it ({name})"),
                        "help": ["trust it in the container clients' folders: `aseecr trust-cert --fetch --registry localhost:PORT` (then restart the clients it names)"],
                    },
                    ok("api", "/v2/ answers 401 (registry/2.0)"),
                    ok("login", "the stored credentials are accepted"),
                    ok("push", "uploads are accepted"),
                    ok("delete", "deletion is enabled"),
                ],
            },
        })
    );
}

/// A doctor step that finds a problem keeps its checks in the report, with the
/// error, and the run exits with the error's code.
#[test]
fn setup_reports_a_failed_doctor_step_inside_its_object() {
    let bed = SetupBed::new();
    let port = bed.endpoint.rsplit(':').next().unwrap().to_owned();
    // The hosts file says 127.0.0.2; the system resolver (another file) says 127.0.0.1.
    let failed = json(
        bed.setup()
            .arg("--from-info")
            .arg(bed.info("127.0.0.2", Some(USER), Some(PASSWORD)))
            .arg("--cert")
            .arg(bed.registry.server_cert())
            .args(["--store", "aseecr", "--yes"]),
        6,
    );
    let failed = masked(failed, &[(port.as_str(), "PORT")]);
    // Steps 1 to 4 as in a run that succeeds (compared whole there); here, that
    // they are all present and nothing else is.
    let keys: Vec<&str> = failed
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = [
        "registry",
        "dryRun",
        "hosts",
        "trust",
        "login",
        "defaultRegistry",
        "doctor",
        "error",
    ];
    expected.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, expected, "{failed}");
    assert_eq!(failed["defaultRegistry"], true, "{failed}");
    let message = "`localhost` resolves to 127.0.0.1, not to 127.0.0.2 as the hosts file says";
    let help = [
        "another hosts-file line or a DNS cache wins; flush the DNS cache and check `aseecr setup-host --list`",
    ];
    assert_eq!(
        failed["doctor"],
        serde_json::json!({
            "registry": "localhost:PORT",
            "ok": false,
            "checks": [{"name": "resolve", "status": "failed", "detail": message, "help": help}],
            "error": {"kind": "dns", "message": message, "help": help},
        })
    );
    assert_eq!(
        failed["error"],
        serde_json::json!({
            "kind": "dns",
            "message": format!("step 5 of 5 (doctor) found a problem: {message}"),
            "help": help,
        })
    );
}
