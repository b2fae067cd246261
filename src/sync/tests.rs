//! Tests of the sync file's parser: whole files read and validated, every error
//! with its line and column, and the tag selection and prune policy they give.

use super::*;

fn env(name: &str) -> Option<String> {
    (name == "PLANT_A_PASSWORD").then(|| "pw".to_owned())
}

fn parse_ok(text: &str) -> SyncFile {
    parse("sync.yaml", std::path::Path::new("."), text, &env)
        .unwrap_or_else(|err| panic!("{err}: {:?}", err.help))
}

fn parse_err(text: &str) -> Error {
    parse("sync.yaml", std::path::Path::new("."), text, &env).expect_err("the file is refused")
}

const GOOD: &str = "\
destinations:
  - name: plant-a
    registry: ecr.a.example.com:31001
    platform: linux/amd64
    credentials: {username: u, passwordEnv: PLANT_A_PASSWORD}
  - name: plant-b
    registry: ecr.b.example.com:31001
images:
  - source: mcr.microsoft.com/oss/nginx/nginx
    tags: [\"1.25.3\", 1.25.4]
    repository: nginx
    destinations: [plant-b]
  - source: example.com/app
    semver: '>=1.25 <2'
    newest: 2
";

#[test]
fn a_valid_file_reads_whole() {
    let file = parse_ok(GOOD);
    assert_eq!(file.destinations.len(), 2);
    let a = &file.destinations[0];
    assert_eq!(a.registry, "ecr.a.example.com:31001");
    assert_eq!(
        a.platform.as_ref().map(ToString::to_string).as_deref(),
        Some("linux/amd64")
    );
    let credentials = a.credentials.as_ref().unwrap();
    assert_eq!(credentials.username, "u");
    assert_eq!(credentials.password_env, "PLANT_A_PASSWORD");
    assert_eq!(
        credentials.password.as_ref().map(|p| p.expose()),
        Some("pw")
    );
    let nginx = &file.images[0];
    assert_eq!(nginx.source.repository, "oss/nginx/nginx");
    assert_eq!(nginx.destination_repository(), "nginx");
    assert_eq!(nginx.destinations, vec![1]);
    assert!(
        matches!(&nginx.selection, Selection::Tags(t) if t == &["1.25.3".to_owned(), "1.25.4".to_owned()])
    );
    assert_eq!(file.images[1].destinations, vec![0, 1]);
    assert_eq!(file.images[1].destination_repository(), "app");
}

#[test]
fn every_error_is_reported_with_its_line_and_column() {
    let text = "\
destinations:
  - name: a
    registry: r1.example.com
    colour: red
  - name: a
    registry: r1.example.com
images:
  - source: example.com/app
    regex: '(unclosed'
    destinations: [nowhere]
  - source: example.com/other
    semver: '>=banana'
";
    let err = parse_err(text);
    assert_eq!(err.kind, crate::error::Kind::Usage);
    assert_eq!(
        err.message,
        "sync.yaml:4:5: unknown key `colour` in a destination (expected one of: name, registry, platform, credentials, caCert, plainHttp, tlsVerify) (and 5 more errors)"
    );
    let help = err.help.join("\n");
    for expected in [
        "also sync.yaml:5:11: destination `a` is named twice (first at line 2)",
        "also sync.yaml:6:15: registry `r1.example.com` is a destination twice (first at line 3)",
        "also sync.yaml:9:12: invalid regular expression `(unclosed`",
        "also sync.yaml:10:20: unknown destination `nowhere` (the file names `a`)",
        "also sync.yaml:12:13: invalid semver range `>=banana`",
    ] {
        assert!(help.contains(expected), "missing {expected:?} in\n{help}");
    }
}

#[test]
fn types_missing_keys_and_empty_lists_are_refused() {
    let cases = [
        (
            "destinations: []\nimages: []\n",
            "sync.yaml:1:15: `destinations` is empty",
        ),
        (
            "destinations:\n  - registry: r.example.com\nimages:\n  - source: a/b\n    tags: [x]\n",
            "sync.yaml:2:5: a destination lacks `name`",
        ),
        (
            "destinations:\n  - {name: a, registry: r.example.com}\nimages:\n  - source: a/b\n    newest: many\n",
            "sync.yaml:5:13: `newest` must be a whole number above 0, found `many`",
        ),
        (
            "destinations:\n  - {name: a, registry: r.example.com, platform: amd64}\nimages:\n  - source: a/b\n    tags: [x]\n",
            "sync.yaml:2:50: ",
        ),
        (
            "destinations:\n  - {name: a, registry: r.example.com}\nimages:\n  - source: a/b\n",
            "sync.yaml:4:5: an image lacks a tag selection",
        ),
        (
            "destinations:\n  - {name: a, registry: r.example.com}\nimages:\n  - source: a/b\n    tags: [x]\n    regex: y\n",
            "sync.yaml:6:12: `tags` lists the tags exactly",
        ),
        (
            "destinations:\n  - {name: a, registry: r.example.com, credentials: {username: u, passwordEnv: UNSET}}\nimages:\n  - source: a/b\n    tags: [x]\n",
            "sync.yaml:2:80: the environment variable `UNSET` (`passwordEnv`) is not set",
        ),
        (
            "destinations:\n  - {name: a, registry: r.example.com, credentials: {username: \"\", passwordEnv: PLANT_A_PASSWORD}}\nimages:\n  - source: a/b\n    tags: ['  ']\n",
            "sync.yaml:2:64: `username` must not be empty (and 1 more error)",
        ),
        ("destinations: [\n", "sync.yaml:2:1: not valid YAML"),
        ("", "sync.yaml: the sync file is empty"),
    ];
    for (text, expected) in cases {
        let err = parse_err(text);
        assert!(
            err.message.starts_with(expected),
            "{text:?}: expected {expected:?}, got {:?}",
            err.message
        );
    }
}

fn tags(list: &[&str]) -> Vec<String> {
    list.iter().map(|t| (*t).to_owned()).collect()
}

fn filter(regex: Option<&str>, range: Option<&str>, newest: Option<usize>) -> Selection {
    Selection::Filter {
        regex: regex.map(|r| regex::Regex::new(r).unwrap()),
        semver: range.map(|r| parse_range(r).unwrap()),
        newest,
    }
}

#[test]
fn semver_ranges_select_versions_and_skip_other_tags() {
    let available = tags(&[
        "1.24.0",
        "1.25.3",
        "v1.25.4",
        "2.0.0",
        "latest",
        "1.25",
        "1.25.5-rc.1",
    ]);
    assert_eq!(
        filter(None, Some(">=1.25 <2"), None).select(&available),
        tags(&["1.25.3", "v1.25.4"])
    );
    assert_eq!(
        filter(None, Some(">= 1.25, < 2"), None).select(&available),
        tags(&["1.25.3", "v1.25.4"])
    );
    assert_eq!(
        filter(None, Some(">=1"), Some(2)).select(&available),
        tags(&["v1.25.4", "2.0.0"])
    );
    assert!(parse_range(">=").is_err());
    assert!(parse_range("").is_err());
    assert!(parse_range(">=1.x.banana").is_err());
}

#[test]
fn newest_without_semver_orders_as_people_read_versions() {
    let available = tags(&["1.9", "1.10", "1.2", "latest"]);
    assert_eq!(
        filter(Some(r"^1\."), None, Some(2)).select(&available),
        tags(&["1.9", "1.10"])
    );
    assert_eq!(
        filter(Some(r"^1\."), None, None).select(&available),
        tags(&["1.2", "1.9", "1.10"])
    );
}

#[test]
fn a_file_read_for_elsewhere_names_its_password_variables_without_reading_them() {
    let text = "destinations:\n  - {name: a, registry: r.example.com, credentials: {username: u, passwordEnv: UNSET}}\nimages:\n  - source: a/b\n    tags: [x]\n";
    // Unset here: `parse` refuses the file, `parse_unread` does not look.
    assert!(
        parse_err(text)
            .message
            .contains("`UNSET` (`passwordEnv`) is not set")
    );
    let file = parse_unread("sync.yaml", text).unwrap();
    let credentials = file.destinations[0].credentials.as_ref().unwrap();
    assert_eq!(credentials.username, "u");
    assert_eq!(credentials.password_env, "UNSET");
    assert!(credentials.password.is_none());
    // Every other check still runs, with its position.
    let err = parse_unread("sync.yaml", "destinations: []\nimages: []\n").unwrap_err();
    assert!(
        err.message.starts_with("sync.yaml:1:15: "),
        "{}",
        err.message
    );
}

#[test]
fn a_prune_policy_reads_whole() {
    let file = parse_ok(&format!(
        "{GOOD}    prune:\n      keep: 2\n      olderThan: 30d\n      tags: '^2\\.'\n      exclude: '^2\\.0\\.0$'\n      untagged: true\n"
    ));
    let prune = file.images[1].prune.as_ref().expect("a prune policy");
    assert_eq!(prune.keep, Some(2));
    assert_eq!(prune.older_than, Some(30 * 86_400));
    assert!(prune.tags.as_ref().unwrap().is_match("2.1"));
    assert!(prune.exclude.as_ref().unwrap().is_match("2.0.0"));
    assert!(prune.untagged);
    assert!(file.images[0].prune.is_none());
}

#[test]
fn prune_errors_name_their_line() {
    let cases = [
        (
            "    prune: {tags: '^1'}\n",
            "sync.yaml:16:12: `prune` needs a policy",
        ),
        (
            "    prune: {keep: -1}\n",
            "sync.yaml:16:19: `keep` must be a whole number",
        ),
        (
            "    prune: {keep: 0}\n",
            "sync.yaml:16:19: `keep: 0` would remove every tag the file does not select",
        ),
        (
            "    prune: {olderThan: 30x}\n",
            "sync.yaml:16:24: invalid age `30x`",
        ),
        (
            "    prune: {keep: 1, exclude: '('}\n",
            "sync.yaml:16:31: invalid regular expression `(`",
        ),
        (
            "    prune: {untagged: yes}\n",
            "sync.yaml:16:23: `untagged` must be true or false",
        ),
        (
            "    prune: {keep: 1, every: 2}\n",
            "sync.yaml:16:22: unknown key `every` in `prune`",
        ),
    ];
    for (prune, expected) in cases {
        let err = parse_err(&format!("{GOOD}{prune}"));
        assert!(
            err.message.starts_with(expected),
            "{prune}: {}",
            err.message
        );
    }
}

#[test]
fn one_repository_is_pruned_by_one_image_per_destination() {
    let head = "\
destinations:
  - {name: a, registry: a.example.com}
  - {name: b, registry: b.example.com}
images:
";
    let err = parse_err(&format!(
        "{head}  - {{source: x.example.com/app, tags: ['1'], prune: {{keep: 1}}}}
  - source: y.example.com/app
    tags: ['2']
    prune: {{keep: 2}}
"
    ));
    assert!(
        err.message.starts_with(
            "sync.yaml:8:5: repository `app` is pruned by two images (first at line 5)"
        ),
        "{}",
        err.message
    );
    // At different destinations, or under other names, they do not meet.
    parse_ok(&format!(
        "{head}  - {{source: x.example.com/app, tags: ['1'], prune: {{keep: 1}}, destinations: [a]}}
  - {{source: y.example.com/app, tags: ['2'], prune: {{keep: 2}}, destinations: [b]}}
  - {{source: z.example.com/app, tags: ['3'], prune: {{keep: 2}}, repository: other}}
"
    ));
}

#[test]
fn one_registry_written_two_ways_is_one_destination() {
    for (a, b) in [
        ("127.0.0.1:5000", "localhost:5000"),
        ("LOCALHOST:5000", "[::1]:5000"),
        ("ecr.example.com", "ECR.example.com:443"),
    ] {
        let err = parse_err(&format!(
            "destinations:\n  - {{name: a, registry: '{a}'}}\n  - {{name: b, registry: '{b}'}}\nimages:\n  - source: x.example.com/app\n    tags: ['1']\n    prune: {{keep: 1}}\n"
        ));
        assert!(
            err.message.starts_with("sync.yaml:3:25: registry `")
                && err
                    .message
                    .contains("is a destination twice (first at line 2, as `"),
            "{a} {b}: {}",
            err.message
        );
    }
    // Other ports, other hosts: other registries.
    parse_ok(
        "destinations:\n  - {name: a, registry: 'localhost:5000'}\n  - {name: b, registry: 'localhost:5001'}\n  - {name: c, registry: '127.0.0.2:5000'}\nimages:\n  - source: x.example.com/app\n    tags: ['1']\n    prune: {keep: 1}\n",
    );
}

#[test]
fn thousands_of_errors_are_reported_as_the_first_few_each_naming_a_few_destinations() {
    let mut text = String::from("destinations:\n");
    for i in 0..300 {
        text.push_str(&format!(
            "  - {{name: d{i:03}, registry: r{i}.example.com}}\n"
        ));
    }
    text.push_str("images:\n  - source: x.example.com/app\n    tags: ['1']\n    destinations: [");
    let unknown: Vec<String> = (0..100).map(|i| format!("u{i}")).collect();
    text.push_str(&unknown.join(", "));
    text.push_str("]\n");
    let err = parse_err(&text);
    assert!(
        err.message.starts_with(
            "sync.yaml:305:20: unknown destination `u0` (the file names `d000`, `d001`, `d002`, `d003`, `d004`, `d005`, `d006`, `d007`, `d008`, `d009` and 290 more)"
        ) && err.message.ends_with("(and 99 more errors)"),
        "{}",
        err.message
    );
    assert_eq!(err.help.len(), MAX_ERRORS_SHOWN + 1, "{:?}", err.help);
    assert_eq!(err.help[MAX_ERRORS_SHOWN - 1], "... and 80 more errors");
    // A long value quoted in an error: its line is cut.
    let text = format!(
        "destinations:\n  - {{name: a, registry: r.example.com}}\nimages:\n  - source: x.example.com/app\n    regex: '({}'\n",
        "a".repeat(5000)
    );
    let err = parse_err(&text);
    assert!(
        err.message.chars().count() < MAX_ERROR_CHARS + 40
            && err.message.contains("aaa... (")
            && err.message.ends_with(" more characters)"),
        "{}",
        err.message
    );
}

#[test]
fn images_times_destinations_are_bounded() {
    let mut text = String::from("destinations:\n");
    for i in 0..400 {
        text.push_str(&format!("  - {{name: d{i}, registry: r{i}.example.com}}\n"));
    }
    text.push_str("images:\n");
    for i in 0..300 {
        text.push_str(&format!(
            "  - {{source: x.example.com/app{i}, tags: ['1'], prune: {{keep: 1}}}}\n"
        ));
    }
    let err = parse_err(&text);
    // Image 251 (line 653) is the first past 100,000 copies; said once.
    assert_eq!(
        err.message,
        "sync.yaml:653:5: the file names more than 100000 copies (each listed tag of an image once per destination it goes to): split it into several files"
    );
    // Listed destinations count as many; listed tags count once each.
    let two = text.replace("prune: {keep: 1}}", "destinations: [d0, d1]}");
    parse_ok(&two);
    let tags: Vec<String> = (0..200).map(|i| format!("'{i}'")).collect();
    let many = two.replace("tags: ['1']", &format!("tags: [{}]", tags.join(", ")));
    assert!(parse_err(&many).message.contains("more than 100000 copies"));
}

#[test]
fn tls_keys_read_per_destination_and_per_source_registry() {
    let file = parse_ok(
        "sources:\n  Src.Example:5000: {plainHttp: true}\n  docker.io: {tlsVerify: true}\n\
         destinations:\n  - {name: a, registry: a.example, tlsVerify: false}\n  - {name: b, registry: b.example, plainHttp: false}\n\
         images:\n  - {source: src.example:5000/app, tags: [x]}\n  - {source: nginx, tags: [x]}\n",
    );
    assert_eq!(file.sources["src.example:5000"].plain_http, Some(true));
    assert_eq!(file.sources["docker.io"].tls_verify, Some(true));
    assert_eq!(file.destinations[0].tls.tls_verify, Some(false));
    assert_eq!(file.destinations[1].tls.plain_http, Some(false));
    assert_eq!(file.destinations[1].tls.ca_cert, None);

    // Read for elsewhere, a caCert file is kept as written, unread.
    let file = parse_unread(
        "sync.yaml",
        "destinations:\n  - {name: a, registry: a.example, caCert: certs/a.pem}\nimages:\n  - {source: a.example/x, tags: [x]}\n",
    )
    .unwrap();
    assert_eq!(
        file.destinations[0].tls.ca_cert,
        Some(CaCert::File("certs/a.pem".into()))
    );

    let err = parse_err(
        "destinations:\n  - {name: a, registry: a.example, plainHttp: true, tlsVerify: true}\n  - {name: b, registry: b.example, tlsVerify: false, caCert: x.pem}\n\
         images:\n  - {source: a.example/x, tags: [x]}\n",
    );
    let all = format!("{} {:?}", err.message, err.help);
    assert!(
        all.contains(
            "sync.yaml:2:64: `tlsVerify: true` contradicts `plainHttp: true` in a destination"
        ),
        "{all}"
    );
    assert!(all.contains("sync.yaml:3:"), "{all}");
    assert!(all.contains("x.pem"), "{all}");
}

#[test]
fn referrers_are_set_for_the_file_and_per_image() {
    let file = parse_ok(&format!(
        "referrers: false\n{GOOD}    referrers: [application/spdx+json, application/vnd.cncf.notary.signature]\n"
    ));
    assert_eq!(file.referrers, Some(ReferrersKey::None));
    assert_eq!(file.images[0].referrers, None);
    assert_eq!(
        file.images[1].referrers,
        Some(ReferrersKey::Types(vec![
            "application/spdx+json".into(),
            "application/vnd.cncf.notary.signature".into()
        ]))
    );
    let file = parse_ok(&format!("{GOOD}    referrers: true\n"));
    assert_eq!(file.referrers, None);
    assert_eq!(file.images[1].referrers, Some(ReferrersKey::All));
    let cases = [
        (
            "    referrers: some\n",
            "sync.yaml:16:16: `referrers` must be true, false or a list of artifact types, found `some`",
        ),
        (
            "    referrers: [spdx]\n",
            "sync.yaml:16:17: `spdx` in `referrers` is not an artifact type",
        ),
        (
            "    referrers: []\n",
            "sync.yaml:16:16: `referrers` is empty",
        ),
    ];
    for (line, expected) in cases {
        let err = parse_err(&format!("{GOOD}{line}"));
        assert!(err.message.starts_with(expected), "{line}: {}", err.message);
    }
}
