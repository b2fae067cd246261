//! catalog, tags, inspect, digest and reference parsing against a real registry.

use crate::util::image::{skopeo_digest, skopeo_raw};
use crate::util::{Home, TestImage, TestRegistry, authed};

#[test]
fn tags_catalog_inspect_and_digest() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let image = TestImage::single(1, &[3000, 5000]);
    image.push(&registry, "team/app:v1", false);
    image.push(&registry, "team/app:v2", true);
    TestImage::multi(2, &[("linux", "amd64"), ("linux", "arm64")])
        .push(&registry, "multi:1", false);
    let r = &registry.addr;

    let out = authed(&home, &registry)
        .args(["tags", &format!("{r}/team/app")])
        .ok();
    assert_eq!(out.lines(), vec!["v1", "v2"]);
    let json = authed(&home, &registry)
        .args(["tags", &format!("{r}/team/app"), "--format", "json"])
        .ok()
        .json();
    assert_eq!(json["tags"], serde_json::json!(["v1", "v2"]));
    assert_eq!(json["repository"], "team/app");

    let out = authed(&home, &registry).args(["catalog", r]).ok();
    assert_eq!(out.lines(), vec!["multi", "team/app"]);

    // The digest is what an independent client computes.
    let expected = skopeo_digest(&registry, "team/app:v1");
    authed(&home, &registry)
        .args(["digest", &format!("{r}/team/app:v1")])
        .ok()
        .stdout_has(&expected);
    // v2 was pushed as Docker schema 2: its own digest, not a converted one.
    let expected_v2 = skopeo_digest(&registry, "team/app:v2");
    assert_ne!(expected, expected_v2);
    authed(&home, &registry)
        .args(["digest", &format!("{r}/team/app:v2")])
        .ok()
        .stdout_has(&expected_v2);

    let out = authed(&home, &registry)
        .args(["inspect", &format!("{r}/team/app:v1")])
        .ok();
    for needle in [
        expected.as_str(),
        "application/vnd.oci.image.manifest.v1+json",
        "linux/amd64",
        "2026-01-02T03:04:05Z",
        "Layers:      2",
    ] {
        assert!(
            out.stdout.contains(needle),
            "{needle} missing:\n{}",
            out.stdout
        );
    }
    let json = authed(&home, &registry)
        .args(["inspect", &format!("{r}/team/app:v2"), "--format", "json"])
        .ok()
        .json();
    assert_eq!(json["kind"], "image");
    assert_eq!(
        json["mediaType"],
        "application/vnd.docker.distribution.manifest.v2+json"
    );
    assert_eq!(json["image"]["layers"].as_array().unwrap().len(), 2);
    let layer_total: u64 = json["image"]["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["size"].as_u64().unwrap())
        .sum();
    assert!(json["totalSize"].as_u64().unwrap() > layer_total);

    // An index: platforms listed, and the index digest (not a child's).
    let index_digest = skopeo_digest(&registry, "multi:1");
    let json = authed(&home, &registry)
        .args(["inspect", &format!("{r}/multi:1"), "--format", "json"])
        .ok()
        .json();
    assert_eq!(json["kind"], "index");
    assert_eq!(json["digest"], index_digest.as_str());
    let platforms: Vec<&str> = json["platforms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["platform"].as_str().unwrap())
        .collect();
    assert_eq!(platforms, vec!["linux/amd64", "linux/arm64"]);
    authed(&home, &registry)
        .args(["digest", &format!("{r}/multi:1")])
        .ok()
        .stdout_has(&index_digest);

    // --raw prints the manifest bytes unchanged.
    let out = authed(&home, &registry)
        .args(["inspect", "--raw", &format!("{r}/multi:1")])
        .ok();
    assert_eq!(
        out.stdout.as_bytes(),
        skopeo_raw(&registry, "multi:1").as_slice()
    );

    // By digest, too.
    authed(&home, &registry)
        .args(["inspect", &format!("{r}/team/app@{expected}")])
        .ok()
        .stdout_has("linux/amd64");
}

#[test]
fn default_registry_from_config_and_env() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(3, &[100]).push(&registry, "nginx:1.25", false);
    home.aseecr()
        .args(["config", "set", "registry", &registry.addr])
        .ok();
    home.aseecr()
        .args(["config", "get", "registry"])
        .ok()
        .stdout_has(&registry.addr);
    authed(&home, &registry)
        .args(["tags", "nginx"])
        .ok()
        .stdout_has("1.25");
    authed(&home, &registry)
        .args(["catalog"])
        .ok()
        .stdout_has("nginx");
    home.aseecr().args(["config", "unset", "registry"]).ok();
    authed(&home, &registry)
        .args(["tags", "nginx"])
        .env("ASEECR_REGISTRY", &registry.addr)
        .ok()
        .stdout_has("1.25");
    // No registry anywhere: a usage error with the fix.
    home.aseecr()
        .args(["catalog"])
        .run()
        .code(2)
        .stderr_has("no registry given")
        .stderr_has("aseecr config set registry");
}

#[test]
fn catalog_follows_pagination_past_one_page() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    let image = TestImage::single(4, &[64]);
    let names: Vec<String> = (0..7).map(|i| format!("repo{i}")).collect();
    for name in &names {
        image.push(&registry, &format!("{name}:t"), false);
    }
    let out = authed(&home, &registry)
        .args(["catalog", &registry.addr, "-v"])
        .env("ASEECR_PAGE_SIZE", "2")
        .ok();
    assert_eq!(
        out.lines(),
        names.iter().map(String::as_str).collect::<Vec<_>>()
    );
    // Four pages were fetched.
    assert_eq!(
        out.stderr.matches("/v2/_catalog").count(),
        4,
        "{}",
        out.stderr
    );
}

#[test]
fn bad_references_and_unknown_images() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(5, &[64]).push(&registry, "app:v1", false);
    let r = &registry.addr;
    for (input, needle) in [
        ("App:v1", "`App`"),
        ("app:bad tag", "white space"),
        ("app@sha256:123", "digest `sha256:123`"),
        ("app@md5:9dd4e461268c8034f5c8564e155c67a6", "`md5`"),
        ("127.0.0.1:99999/app", "port `99999`"),
    ] {
        home.aseecr()
            .args(["inspect", input])
            .run()
            .code(2)
            .stderr_has("invalid image reference")
            .stderr_has(needle);
    }
    authed(&home, &registry)
        .args(["inspect", &format!("{r}/app:nope")])
        .run()
        .code(4)
        .stderr_has("not found")
        .stderr_has("aseecr tags");
    // A repository that does not exist is said so, and `tags` (which would fail
    // too) is not what is suggested.
    for command in [
        vec!["tags".to_owned(), format!("{r}/nothing-here")],
        vec!["inspect".to_owned(), format!("{r}/nothing-here:1")],
        vec!["digest".to_owned(), format!("{r}/nothing-here:1")],
    ] {
        authed(&home, &registry)
            .args(&command)
            .run()
            .code(4)
            .stderr_has("repository `nothing-here` not found")
            .stderr_has(&format!("aseecr catalog {r}"))
            .stderr_lacks("aseecr tags");
    }
    // A name without a registry never means Docker Hub on a command that reads or
    // writes the edge: with no default registry it is refused before any request.
    for command in [
        &["delete", "app/web:1.0", "--yes"][..],
        &["tags", "app/web"],
        &["inspect", "app/web:1.0"],
        &["digest", "app/web:1.0"],
    ] {
        home.aseecr()
            .args(command)
            .run()
            .code(2)
            .stderr_has("names no registry and no default registry is set")
            .stderr_has("aseecr config set registry")
            .stderr_lacks("setup-host");
    }
    authed(&home, &registry)
        .args(["tags", &format!("{r}/app:v1")])
        .run()
        .code(2)
        .stderr_has("repository is expected");
}

#[test]
fn tags_follow_link_and_n_last_pagination() {
    use crate::util::proxy::{Behaviour, Proxy};

    let upstream = TestRegistry::plain();
    let image = TestImage::single(6, &[64]);
    let tags: Vec<String> = (0..7).map(|i| format!("v{i}")).collect();
    for tag in &tags {
        image.push(&upstream, &format!("paged:{tag}"), false);
    }
    let home = Home::new();
    for link in [true, false] {
        let proxy = Proxy::start(
            &upstream.addr,
            Behaviour {
                paginate_tags: true,
                link,
                ..Behaviour::default()
            },
        );
        let out = home
            .aseecr()
            .args([
                "tags",
                "--plain-http",
                &format!("{}/paged", proxy.addr),
                "-v",
            ])
            .env("ASEECR_PAGE_SIZE", "3")
            .ok();
        assert_eq!(
            out.lines(),
            tags.iter().map(String::as_str).collect::<Vec<_>>(),
            "link={link}"
        );
        let pages = out.stderr.matches("/tags/list").count();
        assert!(pages >= 3, "link={link}: {pages} pages\n{}", out.stderr);
    }
}

/// Names and messages from the registry, argv and input files reach the terminal
/// with their control characters escaped: no ESC, BEL or injected line breaks.
#[test]
fn terminal_escapes_in_names_and_messages_are_neutralised() {
    use crate::util::proxy::{Behaviour, Proxy};

    fn assert_inert(out: &crate::util::cmd::Output) {
        for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            assert!(
                !text.contains(['\u{1b}', '\u{7}', '\u{9b}']),
                "{stream} holds a control character: {text:?}"
            );
        }
    }

    let upstream = TestRegistry::plain();
    let proxy = Proxy::start(
        &upstream.addr,
        Behaviour {
            hostile_text: true,
            ..Behaviour::default()
        },
    );
    let home = Home::new();
    // A tag name from the registry (stdout data).
    let out = home
        .aseecr()
        .args(["tags", "--plain-http", &format!("{}/app", proxy.addr)])
        .ok();
    assert_inert(&out);
    assert_eq!(out.lines(), vec!["1", r"x\u{1b}]0;pwned\u{7}\u{1b}[2J"]);
    // A registry error message, with a line break that would fake a help line.
    let out = home
        .aseecr()
        .args(["inspect", "--plain-http", &format!("{}/app:1", proxy.addr)])
        .run()
        .code(1)
        .stderr_has(r"gone\u{1b}]0;pwned\u{7}\u{1b}[2J\u{a}help: run this");
    assert_inert(&out);
    assert!(!out.stderr.contains("\nhelp: run this"), "{}", out.stderr);
    // A bad reference typed on the command line.
    let out = home
        .aseecr()
        .args(["tags", "bad\u{1b}]0;pwned\u{7}\u{1b}[2J/app"])
        .run()
        .code(2);
    assert_inert(&out);
    // A field of a `--from-info` file.
    let info = home.path().join("info.txt");
    std::fs::write(
        &info,
        "Endpoint  : ecr\u{1b}[2J.example.com:31001\nIPAddress : 10.0.0.5\u{7}\nUsername  : u\nPassword  : p\n",
    )
    .unwrap();
    let out = home
        .aseecr()
        .args(["setup", "--from-info"])
        .arg(&info)
        .arg("--yes")
        .run();
    assert_ne!(out.code, 0);
    assert_inert(&out);
}

#[test]
fn inspect_sizes_config_and_platforms() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(3, &[3000, 5000]).push(&registry, "one:1", false);
    TestImage::multi(2, &[("linux", "amd64"), ("linux", "arm64")])
        .push(&registry, "multi:1", false);
    let r = &registry.addr;
    let inspect = |target: &str, extra: &[&str]| {
        authed(&home, &registry)
            .args(["inspect", &format!("{r}/{target}")])
            .args(extra)
    };

    // One definition of the total size: the image's own figure is the top one.
    let one = inspect("one:1", &["--format", "json"]).ok().json();
    assert_eq!(one["totalSize"], one["image"]["totalSize"], "{one}");
    let layers: u64 = one["image"]["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["size"].as_u64().unwrap())
        .sum();
    let manifest_len = skopeo_raw(&registry, "one:1").len() as u64;
    assert_eq!(
        one["totalSize"].as_u64().unwrap(),
        manifest_len + one["image"]["config"]["size"].as_u64().unwrap() + layers
    );
    // An index: each platform's figure counts its manifest, the top adds the index.
    let multi = inspect("multi:1", &["--format", "json"]).ok().json();
    let platforms = multi["platforms"].as_array().unwrap();
    let children: u64 = platforms
        .iter()
        .map(|p| p["image"]["totalSize"].as_u64().unwrap())
        .sum();
    let index_len = skopeo_raw(&registry, "multi:1").len() as u64;
    assert_eq!(multi["totalSize"].as_u64().unwrap(), index_len + children);

    // --config: the image's configuration, in words or as it is.
    inspect("one:1", &["--config"])
        .ok()
        .stdout_has("Platform:    linux/amd64")
        .stdout_has("Created:     2026-01-02T03:04:05Z")
        .stdout_has("Env:\n  SEED=3");
    let config = inspect("one:1", &["--config", "--format", "json"])
        .ok()
        .json();
    assert_eq!(config["config"]["config"]["Env"][0], "SEED=3");
    let raw = inspect("one:1", &["--config", "--raw"]).ok();
    let raw: serde_json::Value = serde_json::from_str(&raw.stdout).unwrap();
    assert_eq!(raw["architecture"], "amd64");
    // An index has one configuration per platform: pick one.
    inspect("multi:1", &["--config"])
        .run()
        .code(2)
        .stderr_has("multi-platform")
        .stderr_has("--platform linux/amd64");
    inspect("multi:1", &["--config", "--platform", "linux/arm64"])
        .ok()
        .stdout_has("Platform:    linux/arm64")
        .stdout_has("SEED=201");
    // --platform on inspect and digest picks the child.
    let arm = platforms
        .iter()
        .find(|p| p["platform"] == "linux/arm64")
        .unwrap();
    let arm_json = inspect(
        "multi:1",
        &["--platform", "linux/arm64", "--format", "json"],
    )
    .ok()
    .json();
    assert_eq!(arm_json["digest"], arm["digest"]);
    assert_eq!(arm_json["kind"], "image");
    authed(&home, &registry)
        .args([
            "digest",
            &format!("{r}/multi:1"),
            "--platform",
            "linux/arm64",
        ])
        .ok()
        .stdout_has(arm["digest"].as_str().unwrap());
    authed(&home, &registry)
        .args([
            "digest",
            &format!("{r}/multi:1"),
            "--platform",
            "linux/s390x",
        ])
        .run()
        .code(4)
        .stderr_has("linux/amd64, linux/arm64");
}
