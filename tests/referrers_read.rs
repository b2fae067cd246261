//! `inspect --referrers` against Debian's docker-registry 2.8 (no referrers API:
//! the fallback tag schema) and against the referrers API as the test proxy
//! emulates it over 2.8 (no OCI 1.1 registry can be installed here: see
//! util::referrers), cross-checked with the reader written from the spec in
//! util::referrers (it does not call aseecr's code) and with skopeo.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::util::image::skopeo_digest;
use crate::util::proxy::{Behaviour, Proxy};
use crate::util::referrers::{
    self, CREATED, Found, NOTATION, OCI_INDEX, SPDX, THUMBPRINT, attach, get_manifest, tag_for,
};
use crate::util::{Home, TestImage, TestRegistry, authed};

/// `(subject, referrer, artifactType)` of every referrer in aseecr's tree.
fn edges(subject: &str, nodes: &Value, out: &mut BTreeSet<(String, String, String)>) {
    for node in nodes.as_array().expect("a list of referrers") {
        let digest = node["digest"].as_str().unwrap().to_owned();
        out.insert((
            subject.to_owned(),
            digest.clone(),
            node["artifactType"].as_str().unwrap_or("").to_owned(),
        ));
        edges(&digest, &node["referrers"], out);
    }
}

/// The same edges, as the spec reader walks them from `subject` at `addr`.
fn read_edges(addr: &str, repository: &str, subject: &str) -> BTreeSet<(String, String, String)> {
    referrers::walk(addr, repository, subject)
        .into_iter()
        .map(|(_, s, entry)| {
            (
                s,
                entry["digest"].as_str().unwrap().to_owned(),
                entry["artifactType"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn inspect(home: &Home, target: &str, json: bool) -> crate::util::cmd::Output {
    let mut command = home
        .aseecr()
        .args(["inspect", "--plain-http", target, "--referrers"]);
    if json {
        command = command.args(["--format", "json"]);
    }
    command.ok()
}

#[test]
fn inspect_referrers_walks_the_fallback_tags_of_a_2_8_registry() {
    let registry = TestRegistry::plain();
    let home = Home::new();
    TestImage::single(21, &[1024]).push(&registry, "app:1", false);
    let attached = attach(&registry, "app", "1");
    let subject = &attached.subject.digest;
    let r = &registry.addr;

    let tree = inspect(&home, &format!("{r}/app:1"), true).json();
    assert_eq!(tree["digest"], subject.as_str());
    assert_eq!(tree["via"], "fallback-tag");
    let mut found = BTreeSet::new();
    edges(subject, &tree["referrers"], &mut found);
    // The SBOM, the signature, and the signature on the SBOM: as the spec
    // reader finds them.
    assert_eq!(found.len(), 3, "{tree:#}");
    assert_eq!(found, read_edges(r, "app", subject));
    assert!(found.contains(&(
        attached.sbom.digest.clone(),
        attached.sbom_signature.digest.clone(),
        NOTATION.to_owned()
    )));
    let signature = tree["referrers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["digest"] == attached.signature.digest.as_str())
        .unwrap();
    assert_eq!(signature["created"], "2026-12-07T01:02:03Z");
    assert_eq!(signature["size"], attached.signature.size);
    assert_eq!(signature["mediaType"], referrers::OCI_MANIFEST);
    assert!(signature["annotations"][THUMBPRINT].is_string());
    // The cosign tag, with the digest skopeo reads for it.
    let cosign = &tree["cosign"][0];
    assert_eq!(cosign["tag"], attached.cosign_tag.as_str());
    assert_eq!(cosign["kind"], "signature");
    assert_eq!(
        cosign["digest"],
        skopeo_digest(&registry, &format!("app:{}", attached.cosign_tag)).as_str()
    );
    assert_eq!(tree["cosign"].as_array().unwrap().len(), 1);
    assert!(tree.get("platforms").is_none());

    let text = inspect(&home, &format!("{r}/app:1"), false);
    for needle in [
        "Referrers:   3 (fallback tag)",
        &format!("  {SPDX}  {}", attached.sbom.digest),
        &format!("    {NOTATION}  {}", attached.sbom_signature.digest),
        "created 2026-12-07T00:00:00Z",
        THUMBPRINT,
        "Cosign tags: 1",
        &attached.cosign_tag,
    ] {
        assert!(
            text.stdout.contains(needle),
            "{needle} missing:\n{}",
            text.stdout
        );
    }

    // An image nothing hangs off.
    TestImage::single(22, &[512]).push(&registry, "bare:1", false);
    let tree = inspect(&home, &format!("{r}/bare:1"), true).json();
    assert_eq!(tree["via"], "none");
    assert_eq!(tree["referrers"], serde_json::json!([]));
    assert_eq!(tree["cosign"], serde_json::json!([]));
    inspect(&home, &format!("{r}/bare:1"), false).stdout_has("Referrers:   0");
}

#[test]
fn inspect_referrers_covers_the_index_and_every_platform_manifest() {
    let registry = TestRegistry::plain();
    let home = Home::new();
    TestImage::multi(23, &[("linux", "amd64"), ("linux", "arm64")])
        .push(&registry, "multi:1", false);
    let index = get_manifest(&registry, "multi", "1").unwrap();
    let parsed: Value = serde_json::from_slice(&index.bytes).unwrap();
    let platforms: Vec<String> = parsed["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["digest"].as_str().unwrap().to_owned())
        .collect();
    // The index gets the full set; the first platform a signature of its own.
    attach(&registry, "multi", "1");
    let amd64 = get_manifest(&registry, "multi", &platforms[0]).unwrap();
    let signature = referrers::push_signature(&registry, "multi", &amd64, "platform-signer");
    referrers::write_index(&registry, "multi", &amd64.digest, &[signature.entry()]);

    let r = &registry.addr;
    let tree = inspect(&home, &format!("{r}/multi:1"), true).json();
    let mut found = BTreeSet::new();
    edges(&index.digest, &tree["referrers"], &mut found);
    assert_eq!(found, read_edges(r, "multi", &index.digest));
    assert_eq!(found.len(), 3);
    let listed = tree["platforms"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["platform"], "linux/amd64");
    assert_eq!(listed[0]["via"], "fallback-tag");
    assert_eq!(
        listed[0]["referrers"][0]["digest"],
        signature.digest.as_str()
    );
    assert_eq!(listed[0]["referrers"][0]["artifactType"], NOTATION);
    assert_eq!(listed[1]["via"], "none");
    assert_eq!(listed[1]["referrers"], serde_json::json!([]));
    // With --platform, only that platform's manifest is the subject.
    let one = home
        .aseecr()
        .args([
            "inspect",
            "--plain-http",
            &format!("{r}/multi:1"),
            "--referrers",
        ])
        .args(["--platform", "linux/amd64", "--format", "json"])
        .ok()
        .json();
    assert_eq!(one["digest"], amd64.digest.as_str());
    assert_eq!(one["referrers"][0]["digest"], signature.digest.as_str());
}

/// The referrers API, as the test proxy emulates it over distribution 2.8 (it
/// serves `/referrers/<digest>` from the fallback index, one entry a page):
/// no registry implementing OCI 1.1 can be installed here.
#[test]
fn inspect_referrers_reads_every_page_of_the_referrers_api() {
    let upstream = TestRegistry::plain();
    TestImage::single(24, &[1024]).push(&upstream, "app:1", false);
    let attached = attach(&upstream, "app", "1");
    let subject = &attached.subject.digest;
    let proxy = Proxy::start(
        &upstream.addr,
        Behaviour {
            referrers_api: Some(1),
            ..Behaviour::default()
        },
    );
    let (found_by, entries) = referrers::list(&proxy.addr, "app", subject);
    assert_eq!((found_by, entries.len()), (Found::Api, 2));

    let home = Home::new();
    let tree = inspect(&home, &format!("{}/app:1", proxy.addr), true).json();
    assert_eq!(tree["via"], "api");
    let mut found = BTreeSet::new();
    edges(subject, &tree["referrers"], &mut found);
    assert_eq!(found.len(), 3);
    assert_eq!(found, read_edges(&proxy.addr, "app", subject));
    // Both pages of the subject's list were read, and no fallback tag.
    let paths = proxy.stats.paths.lock().unwrap().clone();
    let pages = paths
        .iter()
        .filter(|p| p.ends_with(&format!("/referrers/{subject}")))
        .count();
    assert!(pages >= 2, "{paths:#?}");
    assert!(
        !paths
            .iter()
            .any(|p| p.ends_with(&format!("/manifests/{}", tag_for(subject)))),
        "{paths:#?}"
    );
    inspect(&home, &format!("{}/app:1", proxy.addr), false)
        .stdout_has("Referrers:   3 (referrers API)");
}

/// A registry that resolves `sha256-<hex>` as the digest `sha256:<hex>` (as
/// GitLab's does, oras-go #1396) hands back the subject itself for the
/// fallback tag: its children are no referrers.
#[test]
fn inspect_referrers_ignores_a_fallback_tag_that_holds_the_subject_itself() {
    let upstream = TestRegistry::plain();
    TestImage::multi(25, &[("linux", "amd64"), ("linux", "arm64")])
        .push(&upstream, "multi:1", false);
    let index = get_manifest(&upstream, "multi", "1").unwrap();
    let proxy = Proxy::start(
        &upstream.addr,
        Behaviour {
            manifests: [(
                tag_for(&index.digest),
                (OCI_INDEX.to_owned(), index.bytes.clone()),
            )]
            .into(),
            ..Behaviour::default()
        },
    );
    assert_eq!(
        referrers::list(&proxy.addr, "multi", &index.digest).0,
        Found::Nothing
    );
    let home = Home::new();
    let tree = inspect(&home, &format!("{}/multi:1", proxy.addr), true).json();
    assert_eq!(tree["via"], "none");
    assert_eq!(tree["referrers"], serde_json::json!([]));
    let warning = tree["warnings"][0].as_str().unwrap();
    assert!(warning.contains("the subject itself"), "{warning}");
    inspect(&home, &format!("{}/multi:1", proxy.addr), false)
        .stdout_has("Referrers:   0")
        .stderr_has("the subject itself");
}

/// ggcr (cosign) writes entries without annotations: the tree shows what the
/// referrer manifests say. An entry whose manifest names another subject is
/// not shown, and said so.
#[test]
fn inspect_referrers_reads_each_referrer_from_its_own_manifest() {
    let registry = TestRegistry::plain();
    let home = Home::new();
    TestImage::single(26, &[1024]).push(&registry, "app:1", false);
    TestImage::single(27, &[1024]).push(&registry, "app:2", false);
    let one = get_manifest(&registry, "app", "1").unwrap();
    let two = get_manifest(&registry, "app", "2").unwrap();
    let sbom = referrers::push_sbom(&registry, "app", &one);
    let signature = referrers::push_signature(&registry, "app", &one, "signer");
    let stray = referrers::push_signature(&registry, "app", &two, "other");
    referrers::write_ggcr_index(&registry, "app", &one.digest, &[&sbom, &signature, &stray]);

    let r = &registry.addr;
    let tree = inspect(&home, &format!("{r}/app:1"), true).json();
    let nodes = tree["referrers"].as_array().unwrap();
    assert_eq!(nodes.len(), 2, "{tree:#}");
    let shown = nodes
        .iter()
        .find(|n| n["digest"] == signature.digest.as_str())
        .unwrap();
    assert_eq!(shown["annotations"][CREATED], "2026-12-07T01:02:03Z");
    assert!(shown["annotations"][THUMBPRINT].is_string());
    let warning = tree["warnings"][0].as_str().unwrap();
    assert!(
        warning.contains(&stray.digest) && warning.contains("another subject"),
        "{warning}"
    );
}

#[test]
fn inspect_referrers_neutralises_control_characters_from_the_registry() {
    let registry = TestRegistry::plain();
    let home = Home::new();
    TestImage::single(28, &[1024]).push(&registry, "app:1", false);
    let subject = get_manifest(&registry, "app", "1").unwrap();
    let hostile = referrers::push_artifact(
        &registry,
        "app",
        "application/x\u{1b}[31mred",
        ("application/octet-stream", b"payload"),
        &subject,
        &[
            (
                "dev.example.signer",
                "evil\u{1b}]0;pwned\u{7}\u{1b}[2J\nhelp: run this",
            ),
            (CREATED, "2026\u{1b}[2J"),
        ],
    );
    referrers::write_index(&registry, "app", &subject.digest, &[hostile.entry()]);
    let out = inspect(&home, &format!("{}/app:1", registry.addr), false);
    assert!(
        !out.stdout.contains('\u{1b}') && !out.stdout.contains('\u{7}'),
        "{:?}",
        out.stdout
    );
    for needle in [
        r"application/x\u{1b}[31mred",
        r"evil\u{1b}]0;pwned\u{7}\u{1b}[2J\u{a}help: run this",
    ] {
        assert!(
            out.stdout.contains(needle),
            "{needle} missing:\n{}",
            out.stdout
        );
    }
    assert!(!out.stdout.contains("\nhelp: run this"));
}

/// The edge registry's shape (TLS, a password): asking for the referrers API
/// and the fallback tag goes through its login like every request.
#[test]
fn inspect_referrers_on_a_registry_that_wants_a_login() {
    let registry = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(30, &[512]).push(&registry, "app:1", false);
    let tree = authed(&home, &registry)
        .args([
            "inspect",
            &format!("{}/app:1", registry.addr),
            "--referrers",
        ])
        .args(["--format", "json"])
        .ok()
        .json();
    assert_eq!(tree["via"], "none");
    assert_eq!(tree["referrers"], serde_json::json!([]));
    assert_eq!(tree["warnings"], serde_json::json!([]));
}

/// A referrers API whose pages link back to themselves is an error, not a
/// loop: at most `MAX_REFERRER_PAGES` pages are read, none twice.
#[test]
fn inspect_referrers_refuses_pages_that_loop() {
    let upstream = TestRegistry::plain();
    TestImage::single(31, &[512]).push(&upstream, "app:1", false);
    let proxy = Proxy::start(
        &upstream.addr,
        Behaviour {
            referrers_loop: true,
            ..Behaviour::default()
        },
    );
    Home::new()
        .aseecr()
        .args(["inspect", "--plain-http", &format!("{}/app:1", proxy.addr)])
        .arg("--referrers")
        .run()
        .code(1)
        .stderr_has("their pages loop")
        .stderr_has("help: ");
    let pages = proxy
        .stats
        .paths
        .lock()
        .unwrap()
        .iter()
        .filter(|p| p.contains("/referrers/"))
        .count();
    assert!(pages <= 2, "{pages} pages read");
}

/// The proxy's emulation of an OCI 1.1 registry, which the copy tests use as
/// a destination: a manifest PUT carrying `subject` is answered with
/// `OCI-Subject` and listed by the API at once (and `inspect` shows it).
#[test]
fn the_emulated_referrers_api_files_what_is_pushed_with_a_subject() {
    let upstream = TestRegistry::plain();
    TestImage::single(32, &[512]).push(&upstream, "app:1", false);
    let subject = get_manifest(&upstream, "app", "1").unwrap();
    let proxy = Proxy::start(
        &upstream.addr,
        Behaviour {
            referrers_api: Some(10),
            ..Behaviour::default()
        },
    );
    // The artifact's blobs go straight to the registry; its manifest through the proxy.
    let sbom = referrers::push_sbom(&upstream, "app", &subject);
    let answer = referrers::put_at(
        &proxy.addr,
        "app",
        &sbom.digest,
        referrers::OCI_MANIFEST,
        &sbom.bytes,
    );
    assert_eq!(answer, (201, Some(subject.digest.clone())));
    let (found, entries) = referrers::list(&proxy.addr, "app", &subject.digest);
    assert_eq!(found, Found::Api);
    assert_eq!(entries, vec![sbom.entry()]);
    let tree = inspect(&Home::new(), &format!("{}/app:1", proxy.addr), true).json();
    assert_eq!(tree["via"], "api");
    assert_eq!(tree["referrers"][0]["digest"], sbom.digest.as_str());
}
