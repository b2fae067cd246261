//! The command line a new user meets first: no arguments, `version`, the words
//! other registry tools use, and examples in every `--help`.

use crate::util::Home;

#[test]
fn no_arguments_print_the_help_without_hidden_commands() {
    let home = Home::new();
    // The harness sets DOCKER_CONFIG and ASEECR_CONFIG_DIR, as many shells do:
    // options from the environment must not hide the help.
    let out = home.aseecr().run().code(2);
    assert!(out.stderr.contains("Usage: aseecr"), "{}", out.stderr);
    assert!(out.stderr.contains("Commands:"), "{}", out.stderr);
    assert!(
        !out.stderr
            .lines()
            .any(|l| l.trim_start().starts_with("man "))
            && !out.stderr.contains("man,"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
    let verbose = home.aseecr().arg("-v").run().code(2);
    assert!(verbose.stderr.contains("Commands:"), "{}", verbose.stderr);
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
    for (word, command) in [("push", "mirror"), ("list", "tags"), ("untag", "delete")] {
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
        &["login"],
        &["doctor"],
        &["k8s", "relocate"],
        &["mirror"],
    ] {
        let out = home.aseecr().args(command).arg("--help").ok();
        assert!(
            out.stdout.contains("Examples:\n  aseecr "),
            "{command:?}: {}",
            out.stdout
        );
    }
}
