//! The command line a new user meets first: no arguments, `version`, the words
//! other registry tools use, and examples in every `--help`.

use crate::util::Home;

#[test]
fn no_arguments_print_the_help_without_hidden_commands() {
    let home = Home::new();
    // The harness sets DOCKER_CONFIG and ASEECR_CONFIG_DIR, as many shells do:
    // options from the environment must not hide the help. The help is what a
    // bare call asks for: stdout, exit 0, as cargo, gh and kubectl answer.
    let out = home.aseecr().run().code(0);
    assert!(out.stdout.contains("Usage: aseecr"), "{}", out.stdout);
    assert!(out.stdout.contains("Commands:"), "{}", out.stdout);
    assert!(
        !out.stdout
            .lines()
            .any(|l| l.trim_start().starts_with("man "))
            && !out.stdout.contains("man,"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("Start here: `aseecr setup`"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("Examples:\n  aseecr "),
        "{}",
        out.stdout
    );
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    let verbose = home.aseecr().arg("-v").run().code(0);
    assert!(verbose.stdout.contains("Commands:"), "{}", verbose.stdout);
}

/// A command's help puts its own options and examples first: the global options
/// are listed in `aseecr --help` only, and named in one line elsewhere.
#[test]
fn a_command_help_ends_with_its_examples_not_the_global_options() {
    let home = Home::new();
    for flag in ["-h", "--help"] {
        let out = home.aseecr().args(["setup", flag]).ok();
        assert!(!out.stdout.contains("--docker-config"), "{}", out.stdout);
        assert!(
            out.stdout.contains("Examples:\n  aseecr setup"),
            "{}",
            out.stdout
        );
        assert!(
            out.stdout.trim_end().ends_with("`aseecr --help`"),
            "{}",
            out.stdout
        );
        let top = home.aseecr().arg(flag).ok();
        assert!(
            top.stdout.contains("--docker-config <DIR>"),
            "{}",
            top.stdout
        );
    }
    // Images in files are named in mirror's short help already.
    let mirror = home.aseecr().args(["mirror", "-h"]).ok();
    for transport in ["oci:DIR", "oci-archive:FILE", "docker-archive:FILE"] {
        assert!(mirror.stdout.contains(transport), "{}", mirror.stdout);
    }
    // Folded in help only: a global option still works after the command.
    home.aseecr()
        .args(["tags", "--plain-http", "127.0.0.1:1/x"])
        .run()
        .code(6);
}

/// Help names the environment variables an option reads, never their values
/// (a registry or user name from the environment is nobody's business in a paste).
#[test]
fn help_never_prints_environment_values() {
    let home = Home::new();
    for args in [&["--help"][..], &["setup", "--help"], &["mirror", "-h"]] {
        let out = home
            .aseecr()
            .env("ASEECR_REGISTRY", "zq-registry.example")
            .env("ASEECR_USERNAME", "zq-user")
            .env("ASEECR_HOSTS_FILE", "/zq/hosts")
            .args(args)
            .ok();
        assert!(!out.stdout.contains("zq"), "{args:?}: {}", out.stdout);
    }
    let out = home
        .aseecr()
        .env("ASEECR_REGISTRY", "zq-registry.example")
        .arg("--help")
        .ok();
    assert!(
        out.stdout.contains("[env: ASEECR_REGISTRY]"),
        "{}",
        out.stdout
    );
}

#[test]
fn version_as_a_command_and_a_flag() {
    let home = Home::new();
    let flag = home.aseecr().arg("--version").ok();
    let command = home.aseecr().arg("version").ok();
    assert_eq!(flag.stdout, command.stdout);
    assert_eq!(
        command.stdout.trim(),
        format!("aseecr {}", env!("CARGO_PKG_VERSION"))
    );
    let json = home
        .aseecr()
        .args(["version", "--format", "json"])
        .ok()
        .json();
    assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn other_tools_words_lead_to_the_right_command() {
    let home = Home::new();
    for (word, command) in [
        ("push", "mirror"),
        ("list", "tags"),
        ("remove", "delete"),
        ("purge", "prune"),
    ] {
        home.aseecr()
            .args([word, "x"])
            .run()
            .code(2)
            .stderr_has(&format!("`{word}` is not an aseecr command"))
            .stderr_has(&format!("aseecr {command}"));
    }
    // The aliases crane and regctl users type are commands.
    for (alias, title) in [
        ("cp", "Copy images"),
        ("ls", "List the tags"),
        ("rm", "Delete images"),
    ] {
        home.aseecr().args([alias, "--help"]).ok().stdout_has(title);
    }
    // A typo still gets clap's suggestion.
    home.aseecr()
        .arg("mirorr")
        .run()
        .code(2)
        .stderr_has("mirror");
}

#[test]
fn help_shows_examples() {
    let home = Home::new();
    for command in [
        &["delete"][..],
        &["tags"],
        &["inspect"],
        &["usage"],
        &["login"],
        &["doctor"],
        &["k8s", "relocate"],
        &["k8s", "cronjob"],
        &["mirror"],
        &["setup"],
        &["sync"],
        &["untag"],
        &["prune"],
    ] {
        for flag in ["--help", "-h"] {
            let out = home.aseecr().args(command).arg(flag).ok();
            assert!(
                out.stdout.contains("Examples:\n  aseecr "),
                "{command:?} {flag}: {}",
                out.stdout
            );
        }
    }
}

const ESC: char = '\u{1b}';

#[test]
fn logs_into_a_pipe_carry_no_escape_codes() {
    let home = Home::new();
    // Nothing listens on port 1: a quick failure, with debug lines on the way.
    let out = home
        .aseecr()
        .env_remove("NO_COLOR")
        .args(["-vv", "--plain-http", "tags", "127.0.0.1:1/x"])
        .run()
        .code(6);
    assert!(out.stderr.contains("DEBUG"), "{}", out.stderr);
    assert!(!out.stderr.contains(ESC), "{:?}", out.stderr);
    // Asked for, the log is coloured too.
    let out = home
        .aseecr()
        .env_remove("NO_COLOR")
        .args([
            "-vv",
            "--color",
            "always",
            "--plain-http",
            "tags",
            "127.0.0.1:1/x",
        ])
        .run()
        .code(6);
    assert!(out.stderr.contains("\u{1b}[34mDEBUG"), "{:?}", out.stderr);
}

#[test]
fn color_always_styles_the_labels_and_never_the_escaped_text() {
    let home = Home::new();
    // A reference carrying an escape sequence of its own.
    let out = home
        .aseecr()
        .env_remove("NO_COLOR")
        .args(["--color", "always", "tags", "x\u{1b}[2Jy z"])
        .run()
        .code(2);
    assert!(
        out.stderr.contains("\u{1b}[31merror:\u{1b}[0m"),
        "{:?}",
        out.stderr
    );
    assert!(out.stderr.contains("help:\u{1b}[0m"), "{:?}", out.stderr);
    assert!(out.stderr.contains("x\\u{1b}[2Jy"), "{:?}", out.stderr);
    assert!(!out.stderr.contains("\u{1b}[2J"), "{:?}", out.stderr);
    // clap's own errors follow the same flag, either way.
    let out = home
        .aseecr()
        .args(["--color", "always", "--bogus"])
        .run()
        .code(2);
    assert!(out.stderr.contains(ESC), "{:?}", out.stderr);
    let out = home
        .aseecr()
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .args(["--color", "never", "--bogus"])
        .run()
        .code(2);
    assert!(!out.stderr.contains(ESC), "{:?}", out.stderr);
    // And the error for another tool's word.
    let out = home.aseecr().args(["--color=always", "push"]).run().code(2);
    assert!(out.stderr.contains("\u{1b}[31merror:"), "{:?}", out.stderr);
}

#[test]
fn no_color_turns_auto_off() {
    let home = Home::new();
    let bad = ["--color", "auto", "tags", "bad ref"];
    // CLICOLOR_FORCE makes auto colour even into a pipe; NO_COLOR wins over it.
    let forced = home
        .aseecr()
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .args(bad)
        .run()
        .code(2);
    assert!(forced.stderr.contains(ESC), "{:?}", forced.stderr);
    let out = home
        .aseecr()
        .env("NO_COLOR", "1")
        .env("CLICOLOR_FORCE", "1")
        .args(bad)
        .run()
        .code(2);
    assert!(!out.stderr.contains(ESC), "{:?}", out.stderr);
    assert!(
        out.stderr.contains("error: invalid image reference"),
        "{}",
        out.stderr
    );

    // On a real terminal: coloured by default, plain with NO_COLOR. Without
    // `script` (util-linux, essential on Debian) this fails rather than pass.
    let tty = home
        .aseecr()
        .env_remove("NO_COLOR")
        .env("TERM", "xterm")
        .args(bad)
        .run_on_terminal();
    assert_eq!(tty.code, 2, "{tty:?}");
    assert!(tty.stdout.contains("\u{1b}[31merror:"), "{:?}", tty.stdout);
    let tty = home
        .aseecr()
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .args(bad)
        .run_on_terminal();
    assert!(tty.stdout.contains("error: invalid"), "{:?}", tty.stdout);
    assert!(!tty.stdout.contains(ESC), "{:?}", tty.stdout);
}

#[test]
fn config_path_as_json() {
    let home = Home::new();
    let text = home.aseecr().args(["config", "path"]).run();
    assert_eq!(text.code, 0, "{}", text.stderr);
    let out = home
        .aseecr()
        .args(["config", "path", "--format", "json"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out.stdout).unwrap(),
        serde_json::json!({"path": text.stdout.trim_end()})
    );
}

#[test]
fn completions_as_json_carry_the_same_script() {
    let home = Home::new();
    let text = home.aseecr().args(["completions", "bash"]).run();
    assert_eq!(text.code, 0, "{}", text.stderr);
    let out = home
        .aseecr()
        .args(["completions", "bash", "--format", "json"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out.stdout).unwrap(),
        serde_json::json!({"shell": "bash", "script": text.stdout})
    );
}

/// Without -v, an error still prints every cause that explains it, one
/// `caused by:` line each (as rustup does): here `setup` wraps trust-cert's
/// "cannot check the `os` store", whose cause is what the reader needs.
#[test]
fn an_error_prints_every_cause_without_verbose() {
    let home = Home::new();
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cert_file = dir.path().join("ecr.cer");
    std::fs::write(&cert_file, cert.pem()).unwrap();
    // A root with no os-release: the OS store cannot be found.
    let root = dir.path().join("root");
    std::fs::create_dir(&root).unwrap();
    let out = home
        .aseecr()
        .args([
            "setup",
            "--endpoint",
            "localhost:31001",
            "--ip",
            "127.0.0.1",
        ])
        .arg("--cert")
        .arg(&cert_file)
        .arg("--root")
        .arg(&root)
        .arg("--hosts-file")
        .arg(dir.path().join("hosts"))
        .args(["--store", "os", "-u", "ase-ecr-user", "--password-stdin"])
        .args(["--yes", "--dry-run"])
        .stdin("password\n")
        .run()
        .code(2);
    let report: Vec<&str> = out
        .stderr
        .lines()
        .skip_while(|line| !line.starts_with("error:"))
        .collect();
    assert_eq!(
        report,
        [
            "error: step 2 of 5 (certificate trust) failed",
            "  caused by: cannot check the `os` store",
            "  caused by: cannot tell where this system keeps trusted certificates (no os-release file)",
            "help: leave the OS store out: `--store docker,containers,containerd,aseecr`, and add the certificate to the OS store by hand",
        ],
        "{}",
        out.stderr
    );
}

/// The first cells of the first table after the line `heading` of a docs page.
fn doc_terms(page: &str, heading: &str) -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(page);
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .skip_while(|l| l.trim() != heading)
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .next()
                .unwrap()
                .trim()
                .replace('`', "")
        })
        .collect()
}

/// The terms of a `.SH TITLE` section of `.TP` entries of the manual page.
fn man_terms(page: &str, title: &str) -> Vec<String> {
    let lines: Vec<&str> = page
        .lines()
        .skip_while(|l| *l != title)
        .skip(1)
        .take_while(|l| !l.starts_with(".SH"))
        .collect();
    lines
        .windows(2)
        .filter(|w| w[0] == ".TP")
        .map(|w| {
            w[1].replace("\\fB", "")
                .replace("\\fR", "")
                .replace("\\-", "-")
        })
        .collect()
}

#[test]
fn the_man_page_lists_the_documented_exit_codes_and_environment() {
    let page = Home::new().aseecr().arg("man").ok().stdout;
    let codes = doc_terms("docs/exit-codes.md", "# Exit codes and error kinds");
    assert!(
        codes.len() >= 9 && codes.contains(&"130".to_owned()),
        "{codes:?}"
    );
    assert_eq!(man_terms(&page, ".SH \"EXIT STATUS\""), codes);
    let variables = doc_terms("docs/guarantees.md", "## Environment");
    assert!(
        variables.contains(&"ASEECR_REGISTRY".to_owned()),
        "{variables:?}"
    );
    assert_eq!(man_terms(&page, ".SH ENVIRONMENT"), variables);
}

/// An error written to a stderr nobody reads any more (`2>&1 | head -1` after
/// `head` has gone) keeps its exit code: the line is dropped, no panic (101).
#[test]
fn an_error_into_a_closed_stderr_keeps_its_exit_code() {
    let home = Home::new();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let status = std::process::Command::new(crate::util::program())
        .arg("--config-dir")
        .arg(home.path().join("config"))
        .args(["inspect", "nginx"])
        .env_remove("ASEECR_REGISTRY")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(writer)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
}
