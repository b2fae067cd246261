//! Referrers (signatures, SBOMs, attestations) and cosign tags copied along
//! with the images by `mirror`, `mirror --to A --to B`, `sync` and `k8s
//! relocate --mirror`, between real docker-registry 2.8 registries (no
//! referrers API: the referrers tag schema's fallback index), checked with
//! skopeo and with the reader written in the tests from the spec
//! (`util::referrers::list`). Where a registry with the referrers API is
//! needed, the test proxy emulates it over 2.8 (`Behaviour::referrers_api`):
//! no OCI 1.1 registry can be installed here (zot, distribution 3 and regctl
//! are in neither Debian nor PyPI); those tests say so.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

use crate::util::image::{skopeo_exists, skopeo_raw};
use crate::util::proxy::{Behaviour, Proxy};
use crate::util::referrers::{self as fx, Attached, Found};
use crate::util::{Aseecr, Home, TestImage, TestRegistry};

const REPO: &str = "lab/app";

/// A plain-HTTP 2.8 registry holding `lab/app:1` (seed `seed`) with an SBOM, a
/// signature, a signature on the SBOM, their fallback indexes and a cosign
/// `.sig` tag.
fn signed_source(seed: u64) -> (TestRegistry, Attached) {
    let src = TestRegistry::plain();
    TestImage::single(seed, &[3000, 200]).push(&src, &format!("{REPO}:1"), false);
    let attached = fx::attach(&src, REPO, "1");
    (src, attached)
}

/// `aseecr mirror` between plain-HTTP registries (or proxies).
fn mirror(home: &Home) -> Aseecr {
    home.aseecr()
        .args(["mirror", "--src-plain-http", "--dst-plain-http"])
}

/// The entries as a set (order is the writer's business).
fn set(entries: &[Value]) -> BTreeSet<String> {
    entries.iter().map(Value::to_string).collect()
}

/// What the reader written from the spec finds at `addr` for `digest`.
fn listed(addr: &str, digest: &str) -> (Found, BTreeSet<String>) {
    let (found, entries) = fx::list(addr, REPO, digest);
    (found, set(&entries))
}

/// `dst` (read at `addr`: the registry, or a proxy in front of it) holds
/// every referrer of `attached` byte for byte, listed in full under its
/// subject, and the cosign tag; skopeo reads the fallback index and the tag.
fn assert_carried(dst: &TestRegistry, addr: &str, attached: &Attached, via: Found) {
    let subject = &attached.subject.digest;
    assert_eq!(
        listed(addr, subject),
        (
            via,
            set(&[attached.sbom.entry(), attached.signature.entry()])
        ),
        "the image's referrers at {addr}"
    );
    assert_eq!(
        listed(addr, &attached.sbom.digest),
        (via, set(&[attached.sbom_signature.entry()])),
        "the SBOM's referrers at {addr}"
    );
    for pushed in [
        &attached.sbom,
        &attached.signature,
        &attached.sbom_signature,
    ] {
        assert_eq!(
            skopeo_raw(dst, &format!("{REPO}@{}", pushed.digest)),
            pushed.bytes,
            "{} at the destination",
            pushed.digest
        );
    }
    assert_eq!(
        skopeo_raw(dst, &format!("{REPO}:{}", attached.cosign_tag)),
        attached.cosign.bytes
    );
    // skopeo reads the fallback index the run wrote (2.8 keeps it, also under
    // the emulated API).
    let index: Value = serde_json::from_slice(&skopeo_raw(
        dst,
        &format!("{REPO}:{}", fx::tag_for(subject)),
    ))
    .unwrap();
    assert_eq!(index["mediaType"], fx::OCI_INDEX);
    assert_eq!(
        set(index["manifests"].as_array().unwrap()),
        set(&[attached.sbom.entry(), attached.signature.entry()])
    );
}

/// Each referrer of the only image of a JSON report: (digest or tag, status).
fn statuses(report: &Value) -> BTreeSet<(String, String)> {
    report["items"][0]["referrers"]
        .as_array()
        .unwrap_or_else(|| panic!("no referrers in {report}"))
        .iter()
        .map(|r| {
            let what = r["tag"].as_str().or(r["digest"].as_str()).unwrap();
            (what.to_owned(), r["status"].as_str().unwrap().to_owned())
        })
        .collect()
}

fn expected(attached: &Attached, status: &str) -> BTreeSet<(String, String)> {
    [
        &attached.sbom.digest,
        &attached.signature.digest,
        &attached.sbom_signature.digest,
        &attached.cosign_tag,
    ]
    .into_iter()
    .map(|what| (what.clone(), status.to_owned()))
    .collect()
}

#[test]
fn mirror_copies_every_referrer_and_cosign_tag_between_fallback_registries() {
    let (src, attached) = signed_source(2101);
    let dst = TestRegistry::plain();
    let home = Home::new();
    let out = mirror(&home)
        .args(["--format", "json"])
        .arg(format!("{}/{REPO}:1", src.addr))
        .arg(format!("{}/{REPO}:1", dst.addr))
        .ok();
    let report = out.json();
    assert_eq!(statuses(&report), expected(&attached, "copied"), "{report}");
    assert_eq!(report["summary"]["referrersCopied"], 4, "{report}");
    let sbom = report["items"][0]["referrers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["digest"] == attached.sbom.digest.as_str())
        .unwrap()
        .clone();
    assert_eq!(sbom["artifactType"], fx::SPDX);
    assert_eq!(sbom["subject"], attached.subject.digest.as_str());
    assert_carried(&dst, &dst.addr, &attached, Found::Tag);

    // Again: every referrer is there, listed.
    let out = mirror(&home)
        .args(["--format", "json"])
        .arg(format!("{}/{REPO}:1", src.addr))
        .arg(format!("{}/{REPO}:1", dst.addr))
        .ok();
    assert_eq!(statuses(&out.json()), expected(&attached, "present"));

    // In text: the image's line counts them.
    let out = mirror(&home)
        .arg(format!("{}/{REPO}:1", src.addr))
        .arg(format!("{}/{REPO}:1", dst.addr))
        .ok();
    assert!(
        out.stdout.contains("up to date; referrers: 4 present"),
        "{}",
        out.stdout
    );
}

#[test]
fn the_referrers_of_each_platform_manifest_of_an_index_go_too() {
    let src = TestRegistry::plain();
    let dst = TestRegistry::plain();
    let home = Home::new();
    TestImage::multi(2102, &[("linux", "amd64"), ("linux", "arm64")]).push(
        &src,
        &format!("{REPO}:2"),
        false,
    );
    let index: Value = serde_json::from_slice(&skopeo_raw(&src, &format!("{REPO}:2"))).unwrap();
    let arm = index["manifests"][1]["digest"].as_str().unwrap().to_owned();
    let platform = fx::get_manifest(&src, REPO, &arm).unwrap();
    let signature = fx::push_signature(&src, REPO, &platform, "arm-signer");
    fx::write_index(&src, REPO, &arm, &[signature.entry()]);
    let top = fx::attach(&src, REPO, "2");

    mirror(&home)
        .arg(format!("{}/{REPO}:2", src.addr))
        .arg(format!("{}/{REPO}:2", dst.addr))
        .ok();
    assert_carried(&dst, &dst.addr, &top, Found::Tag);
    assert_eq!(
        listed(&dst.addr, &arm),
        (Found::Tag, set(&[signature.entry()]))
    );

    // --platform linux/arm64 alone: a new manifest, so the index's referrers
    // stay behind; the platform's go.
    let other = TestRegistry::plain();
    let out = mirror(&home)
        .args(["--platform", "linux/arm64", "--format", "json"])
        .arg(format!("{}/{REPO}:2", src.addr))
        .arg(format!("{}/{REPO}:2", other.addr))
        .ok();
    let report = out.json();
    let copied: Vec<&str> = report["items"][0]["referrers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["digest"].as_str().unwrap())
        .collect();
    assert_eq!(copied, vec![signature.digest.as_str()], "{report}");
    assert_eq!(listed(&other.addr, &top.subject.digest).0, Found::Nothing);
}

/// Requests the proxy passed on.
fn requests(proxy: &Proxy) -> usize {
    proxy.stats.paths.lock().unwrap().len()
}

#[test]
fn a_no_op_rerun_costs_at_most_two_requests_per_subject_with_referrers() {
    let (src, attached) = signed_source(2103);
    let dst = TestRegistry::plain();
    let home = Home::new();
    let src_proxy = Proxy::start(&src.addr, Behaviour::default());
    let dst_proxy = Proxy::start(&dst.addr, Behaviour::default());
    let run = |extra: &[&str]| {
        mirror(&home)
            .args(extra)
            .arg(format!("{}/{REPO}:1", src_proxy.addr))
            .arg(format!("{}/{REPO}:1", dst_proxy.addr))
            .ok()
    };
    run(&[]);
    assert_carried(&dst, &dst.addr, &attached, Found::Tag);
    let written = writes(&dst_proxy);
    // The rerun's requests, with and without referrers: the difference is
    // what the referrers cost.
    let count = |extra: &[&str]| {
        let before = requests(&src_proxy) + requests(&dst_proxy);
        run(extra);
        requests(&src_proxy) + requests(&dst_proxy) - before
    };
    let without = count(&["--no-referrers"]);
    let with = count(&[]);
    // Subjects with referrers: the image and the SBOM (the signatures have
    // none, and no fallback tag says otherwise: not asked). Per subject: one
    // listing at the source, one read at the destination. Once per
    // repository: the source's tag list and each side's referrers API probe.
    // The cosign tag: one read on each side, as any tag.
    let subjects = 2;
    let per_repository = 3;
    let cosign_tags = 1;
    let budget = 2 * subjects + per_repository + 2 * cosign_tags;
    let src_paths = src_proxy.stats.paths.lock().unwrap().clone();
    let dst_paths = dst_proxy.stats.paths.lock().unwrap().clone();
    assert!(
        with - without <= budget,
        "{with} - {without} requests > {budget}; source {src_paths:#?}, destination {dst_paths:#?}"
    );
    assert_eq!(writes(&dst_proxy), written, "a rerun writes nothing");
}

/// The writes the proxy passed on.
fn writes(proxy: &Proxy) -> usize {
    proxy
        .stats
        .paths
        .lock()
        .unwrap()
        .iter()
        .filter(|p| p.starts_with("PUT") || p.starts_with("POST") || p.starts_with("DELETE"))
        .count()
}

#[test]
fn a_source_and_a_destination_with_the_referrers_api_emulated_by_the_proxy() {
    // No registry with the referrers API can be installed here: the test proxy
    // serves `/referrers/<digest>` from the 2.8 registry's fallback index (one
    // entry a page, so that the reader follows `Link`), and as a destination
    // answers manifest PUTs with a subject with `OCI-Subject`, keeping the
    // fallback index itself.
    let (src, attached) = signed_source(2104);
    let dst = TestRegistry::plain();
    let home = Home::new();
    let api = Behaviour {
        referrers_api: Some(1),
        ..Behaviour::default()
    };
    let src_api = Proxy::start(&src.addr, api.clone());
    let dst_api = Proxy::start(&dst.addr, api);
    let out = mirror(&home)
        .args(["--format", "json"])
        .arg(format!("{}/{REPO}:1", src_api.addr))
        .arg(format!("{}/{REPO}:1", dst_api.addr))
        .ok();
    assert_eq!(statuses(&out.json()), expected(&attached, "copied"));
    // The source was asked through its API, not its fallback tag.
    let src_paths = src_api.stats.paths.lock().unwrap().clone();
    assert!(
        src_paths.iter().any(|p| p.contains("/referrers/")),
        "{src_paths:#?}"
    );
    assert_carried(&dst, &dst_api.addr, &attached, Found::Api);
    // aseecr wrote no fallback index to a registry that keeps its own lists.
    let dst_paths = dst_api.stats.paths.lock().unwrap().clone();
    let index_put = format!(
        "PUT /v2/{REPO}/manifests/{}",
        fx::tag_for(&attached.subject.digest)
    );
    assert!(!dst_paths.contains(&index_put), "{dst_paths:#?}");

    // From the API source to a fallback destination.
    let plain = TestRegistry::plain();
    mirror(&home)
        .arg(format!("{}/{REPO}:1", src_api.addr))
        .arg(format!("{}/{REPO}:1", plain.addr))
        .ok();
    assert_carried(&plain, &plain.addr, &attached, Found::Tag);
}

#[test]
fn a_fan_out_gives_each_destination_a_complete_index() {
    let (src, attached) = signed_source(2105);
    let one = TestRegistry::plain();
    let two = TestRegistry::plain();
    let home = Home::new();
    let src_proxy = Proxy::start(&src.addr, Behaviour::default());
    mirror(&home)
        .arg(format!("{}/{REPO}:1", src_proxy.addr))
        .args(["--to", &one.addr, "--to", &two.addr])
        .ok();
    assert_carried(&one, &one.addr, &attached, Found::Tag);
    assert_carried(&two, &two.addr, &attached, Found::Tag);
    // The source's fallback indexes were read once for both destinations.
    let paths = src_proxy.stats.paths.lock().unwrap().clone();
    let tag = fx::tag_for(&attached.subject.digest);
    let reads = paths
        .iter()
        .filter(|p| p.starts_with("GET") && p.ends_with(&format!("/manifests/{tag}")))
        .count();
    assert_eq!(reads, 1, "{paths:#?}");
}

#[test]
fn two_runs_adding_different_referrers_to_one_subject_at_once_both_end_in_the_index() {
    // One image on two sources, a different signature on each; both mirrored
    // into one destination repository at the same time, 20 times. The image
    // and the empty config blob the signatures share are there first: two
    // uploads of one blob at once are 2.8's own race (a manifest PUT naming
    // it then fails with DIGEST_INVALID), not the fallback index's.
    let first = TestRegistry::plain();
    let second = TestRegistry::plain();
    let dst = TestRegistry::plain();
    let home = Home::new();
    fx::push_blob(&dst, REPO, b"{}");
    for round in 0..20u64 {
        let tag = format!("r{round}");
        let image = TestImage::single(2200 + round, &[500]);
        image.push(&first, &format!("{REPO}:{tag}"), false);
        image.push(&second, &format!("{REPO}:{tag}"), false);
        let mut signatures = Vec::new();
        for (registry, signer) in [(&first, "first"), (&second, "second")] {
            let subject = fx::get_manifest(registry, REPO, &tag).unwrap();
            // Each its own envelope (the fixture's is one per subject).
            let envelope = format!("cose-envelope-{signer}-{round}");
            let signature = fx::push_artifact(
                registry,
                REPO,
                fx::NOTATION,
                ("application/cose", envelope.as_bytes()),
                &subject,
                &[(fx::THUMBPRINT, signer)],
            );
            fx::write_index(registry, REPO, &subject.digest, &[signature.entry()]);
            signatures.push((subject, signature));
        }
        mirror(&home)
            .arg("--no-referrers")
            .arg(format!("{}/{REPO}:{tag}", first.addr))
            .arg(format!("{}/{REPO}:{tag}", dst.addr))
            .ok();
        let children: Vec<_> = [&first, &second]
            .into_iter()
            .map(|src| {
                mirror(&home)
                    .args(["--format", "json"])
                    .arg(format!("{}/{REPO}:{tag}", src.addr))
                    .arg(format!("{}/{REPO}:{tag}", dst.addr))
                    .spawn()
            })
            .collect();
        let mut said = String::new();
        for child in children {
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success(), "{stderr}");
            said.push_str(&stderr);
            said.push_str(&String::from_utf8_lossy(&output.stdout));
        }
        let subject = &signatures[0].0.digest;
        let wanted: Vec<Value> = signatures.iter().map(|(_, s)| s.entry()).collect();
        assert_eq!(
            listed(&dst.addr, subject),
            (Found::Tag, set(&wanted)),
            "round {round}: {said}"
        );
    }
}

#[test]
fn no_referrers_copies_none_and_a_type_filter_keeps_only_that_type() {
    let (src, attached) = signed_source(2106);
    let home = Home::new();
    let none = TestRegistry::plain();
    let out = mirror(&home)
        .args(["--no-referrers", "--format", "json"])
        .arg(format!("{}/{REPO}:1", src.addr))
        .arg(format!("{}/{REPO}:1", none.addr))
        .ok();
    assert_eq!(out.json()["items"][0]["referrers"], serde_json::json!([]));
    assert_eq!(
        listed(&none.addr, &attached.subject.digest).0,
        Found::Nothing
    );
    assert!(!skopeo_exists(
        &none,
        &format!("{REPO}:{}", attached.cosign_tag)
    ));
    assert!(!skopeo_exists(
        &none,
        &format!("{REPO}@{}", attached.sbom.digest)
    ));

    // Only SBOMs: the signature, the signature on the SBOM (its type is not
    // given) and the cosign tag stay behind.
    let some = TestRegistry::plain();
    let out = mirror(&home)
        .args(["--referrers-type", fx::SPDX, "--format", "json"])
        .arg(format!("{}/{REPO}:1", src.addr))
        .arg(format!("{}/{REPO}:1", some.addr))
        .ok();
    let report = out.json();
    let wanted: BTreeSet<(String, String)> = [
        (attached.sbom.digest.clone(), "copied"),
        (attached.signature.digest.clone(), "skipped-type"),
        (attached.sbom_signature.digest.clone(), "skipped-type"),
        (attached.cosign_tag.clone(), "skipped-type"),
    ]
    .into_iter()
    .map(|(what, status)| (what, status.to_owned()))
    .collect();
    assert_eq!(statuses(&report), wanted, "{report}");
    assert_eq!(
        listed(&some.addr, &attached.subject.digest),
        (Found::Tag, set(&[attached.sbom.entry()]))
    );
    assert_eq!(listed(&some.addr, &attached.sbom.digest).0, Found::Nothing);
    assert!(!skopeo_exists(
        &some,
        &format!("{REPO}:{}", attached.cosign_tag)
    ));

    // Both types: the SBOM brings its signature.
    let both = TestRegistry::plain();
    mirror(&home)
        .args([
            "--referrers-type",
            fx::SPDX,
            "--referrers-type",
            fx::NOTATION,
        ])
        .arg(format!("{}/{REPO}:1", src.addr))
        .arg(format!("{}/{REPO}:1", both.addr))
        .ok();
    assert_eq!(
        listed(&both.addr, &attached.sbom.digest),
        (Found::Tag, set(&[attached.sbom_signature.entry()]))
    );

    // Contradicting or malformed: a usage error before any request.
    mirror(&home)
        .args(["--no-referrers", "--referrers-type", fx::SPDX])
        .arg(format!("{}/{REPO}:1", src.addr))
        .arg(format!("{}/{REPO}:1", both.addr))
        .run()
        .code(2);
    mirror(&home)
        .args(["--referrers-type", "spdx"])
        .arg(format!("{}/{REPO}:1", src.addr))
        .arg(format!("{}/{REPO}:1", both.addr))
        .run()
        .code(2)
        .stderr_has("invalid --referrers-type `spdx`");
}

/// A sync file sending `lab/app:1` of `src` to `dst`, with `image` lines
/// (indented) and `top` lines before it.
fn sync_file(
    home: &Home,
    src: &TestRegistry,
    dst: &TestRegistry,
    top: &str,
    image: &str,
) -> PathBuf {
    let file = home.path().join("fleet.yaml");
    std::fs::write(
        &file,
        format!(
            "{top}sources:\n  {src}: {{plainHttp: true}}\ndestinations:\n  - name: a\n    registry: {dst}\n    plainHttp: true\nimages:\n  - source: {src}/{REPO}\n    tags: [\"1\"]\n{image}",
            src = src.addr,
            dst = dst.addr,
        ),
    )
    .unwrap();
    file
}

#[test]
fn sync_copies_referrers_as_its_file_says() {
    let (src, attached) = signed_source(2107);
    let home = Home::new();
    let all = TestRegistry::plain();
    let file = sync_file(&home, &src, &all, "", "");
    home.aseecr().arg("sync").arg(&file).ok();
    assert_carried(&all, &all.addr, &attached, Found::Tag);

    // The image's key: only signatures.
    let signatures = TestRegistry::plain();
    let file = sync_file(
        &home,
        &src,
        &signatures,
        "referrers: false\n",
        &format!("    referrers: [{}]\n", fx::NOTATION),
    );
    home.aseecr().arg("sync").arg(&file).ok();
    assert_eq!(
        listed(&signatures.addr, &attached.subject.digest),
        (Found::Tag, set(&[attached.signature.entry()]))
    );

    // The file's default: none (and it wins over the command line's).
    let none = TestRegistry::plain();
    let file = sync_file(&home, &src, &none, "referrers: false\n", "");
    home.aseecr()
        .args(["sync", "--referrers-type", fx::SPDX])
        .arg(&file)
        .ok();
    assert!(skopeo_exists(&none, &format!("{REPO}:1")));
    assert_eq!(
        listed(&none.addr, &attached.subject.digest).0,
        Found::Nothing
    );

    // No key: the command line's choice.
    let flag = TestRegistry::plain();
    let file = sync_file(&home, &src, &flag, "", "");
    home.aseecr()
        .args(["sync", "--no-referrers"])
        .arg(&file)
        .ok();
    assert_eq!(
        listed(&flag.addr, &attached.subject.digest).0,
        Found::Nothing
    );
}

#[test]
fn relocate_mirror_copies_referrers_and_cronjob_passes_the_choice_to_sync() {
    let (src, attached) = signed_source(2108);
    let dst = TestRegistry::plain();
    let home = Home::new();
    let manifest = home.path().join("pod.yaml");
    std::fs::write(
        &manifest,
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: {}/{REPO}:1\n",
            src.addr
        ),
    )
    .unwrap();
    home.aseecr()
        .args([
            "--registry",
            &dst.addr,
            "--plain-http",
            "k8s",
            "relocate",
            "--mirror",
        ])
        .arg(&manifest)
        .ok();
    assert_carried(&dst, &dst.addr, &attached, Found::Tag);

    home.aseecr()
        .args([
            "--registry",
            &dst.addr,
            "--plain-http",
            "k8s",
            "relocate",
            "--no-referrers",
        ])
        .arg(&manifest)
        .run()
        .code(2)
        .stderr_has("--mirror");

    // cronjob: the choice goes to the pod's `aseecr sync`.
    let file = sync_file(&home, &src, &dst, "", "");
    let out = home
        .aseecr()
        .args(["k8s", "cronjob"])
        .arg(&file)
        .args(["--schedule", "@daily", "--image", "x/aseecr:1"])
        .args([
            "--referrers-type",
            fx::SPDX,
            "--referrers-type",
            fx::NOTATION,
        ])
        .ok();
    // (YAML quotes the type with a `+`, not the other.)
    let expected = format!(
        "                - \"--referrers-type\"\n                - \"{}\"\n                - \"--referrers-type\"\n                - {}\n",
        fx::SPDX,
        fx::NOTATION
    );
    assert!(out.stdout.contains(&expected), "{}", out.stdout);
    let out = home
        .aseecr()
        .args(["k8s", "cronjob"])
        .arg(&file)
        .args([
            "--schedule",
            "@daily",
            "--image",
            "x/aseecr:1",
            "--no-referrers",
        ])
        .ok();
    assert!(
        out.stdout
            .contains("                - \"--no-referrers\"\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_docker_archive_cannot_hold_referrers_said_once_per_run() {
    let (src, attached) = signed_source(2109);
    TestImage::single(2110, &[300]).push(&src, &format!("{REPO}:2"), false);
    fx::attach(&src, REPO, "2");
    let home = Home::new();
    let list = home.path().join("images.txt");
    std::fs::write(&list, format!("{0}/{REPO}:1\n{0}/{REPO}:2\n", src.addr)).unwrap();
    let archive = home.path().join("app.tar");
    let out = mirror(&home)
        .arg("-f")
        .arg(&list)
        .arg(format!("docker-archive:{}", archive.display()))
        .ok();
    let said = out.stderr.matches("cannot hold referrers").count();
    assert_eq!(said, 1, "{}", out.stderr);
    // The images are there, without their referrers.
    assert!(archive.exists());
    let _ = attached;
}

#[test]
fn a_referrer_added_later_joins_the_index_and_the_replaced_index_is_recorded_where_it_cannot_go() {
    use crate::util::registry::{Auth, Options, Tls};
    let src = TestRegistry::plain();
    TestImage::single(2111, &[700]).push(&src, &format!("{REPO}:1"), false);
    let subject = fx::get_manifest(&src, REPO, "1").unwrap();
    let first = fx::push_signature(&src, REPO, &subject, "first");
    fx::write_index(&src, REPO, &subject.digest, &[first.entry()]);
    // Deletion disabled: the index a new one replaces cannot be deleted.
    let dst = TestRegistry::start(Options {
        tls: Tls::None,
        auth: Auth::Anonymous,
        delete: false,
        ..Options::default()
    });
    let home = Home::new();
    let run = || {
        mirror(&home)
            .arg(format!("{}/{REPO}:1", src.addr))
            .arg(format!("{}/{REPO}:1", dst.addr))
            .ok()
    };
    run();
    let tag = fx::tag_for(&subject.digest);
    let old = crate::util::image::skopeo_digest(&dst, &format!("{REPO}:{tag}"));

    let sbom = fx::push_sbom(&src, REPO, &subject);
    fx::write_index(&src, REPO, &subject.digest, &[first.entry(), sbom.entry()]);
    let out = run();
    assert!(
        out.stdout.contains("referrers: 1 copied, 1 present"),
        "{}",
        out.stdout
    );
    assert_eq!(
        listed(&dst.addr, &subject.digest),
        (Found::Tag, set(&[first.entry(), sbom.entry()]))
    );
    let record: Value = serde_json::from_str(
        &std::fs::read_to_string(home.config_dir().join("replaced.json")).unwrap(),
    )
    .unwrap();
    let entries = record["registries"][&dst.addr].as_array().unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e["digest"] == old.as_str() && e["tag"] == tag.as_str()),
        "{record}"
    );
}

#[test]
fn a_docker_subject_and_a_ggcr_index_without_annotations_give_full_entries() {
    // The subject is a Docker v2 image (2.8 takes referrers of it, unlike
    // some deployments: distribution#4927); the source's fallback index was
    // written the way go-containerregistry (cosign) writes it, entries
    // without annotations. The destination's entries are built from each
    // referrer's manifest: full.
    let src = TestRegistry::plain();
    TestImage::single(2112, &[900]).push(&src, &format!("{REPO}:1"), true);
    let subject = fx::get_manifest(&src, REPO, "1").unwrap();
    assert!(
        subject.media_type.contains("docker"),
        "{}",
        subject.media_type
    );
    let signature = fx::push_signature(&src, REPO, &subject, "signer");
    let sbom = fx::push_sbom(&src, REPO, &subject);
    fx::write_ggcr_index(&src, REPO, &subject.digest, &[&signature, &sbom]);
    let dst = TestRegistry::plain();
    let home = Home::new();
    mirror(&home)
        .arg(format!("{}/{REPO}:1", src.addr))
        .arg(format!("{}/{REPO}:1", dst.addr))
        .ok();
    assert_eq!(
        listed(&dst.addr, &subject.digest),
        (Found::Tag, set(&[signature.entry(), sbom.entry()]))
    );
}

#[test]
fn a_fallback_tag_holding_the_subject_itself_is_not_read_as_its_referrers() {
    // A registry that resolves `sha256-<hex>` as the digest (GitLab, oras-go
    // #1396) hands back the subject as its "index"; written here as a tag on
    // 2.8 holding the subject's own bytes.
    let src = TestRegistry::plain();
    TestImage::multi(2113, &[("linux", "amd64"), ("linux", "arm64")]).push(
        &src,
        &format!("{REPO}:1"),
        false,
    );
    let subject = fx::get_manifest(&src, REPO, "1").unwrap();
    fx::push_manifest(
        &src,
        REPO,
        &fx::tag_for(&subject.digest),
        &subject.media_type,
        &subject.bytes,
    );
    let dst = TestRegistry::plain();
    let home = Home::new();
    let out = mirror(&home)
        .args(["--format", "json"])
        .arg(format!("{}/{REPO}:1", src.addr))
        .arg(format!("{}/{REPO}:1", dst.addr))
        .ok();
    let report = out.json();
    assert_eq!(
        report["items"][0]["referrers"],
        serde_json::json!([]),
        "{report}"
    );
    assert_eq!(
        report["items"][0]["referrersUnlisted"][0]["subject"],
        subject.digest.as_str(),
        "{report}"
    );
    assert!(
        out.stderr
            .contains("the referrers of one manifest were not copied"),
        "{}",
        out.stderr
    );
    // Nothing written at the destination's fallback tag.
    assert!(!skopeo_exists(
        &dst,
        &format!("{REPO}:{}", fx::tag_for(&subject.digest))
    ));
}

#[test]
fn all_tags_leaves_attachment_tags_to_their_image_and_reads_the_tag_list_once() {
    let (src, attached) = signed_source(2114);
    let dst = TestRegistry::plain();
    let home = Home::new();
    let proxy = Proxy::start(&src.addr, Behaviour::default());
    // The destination already lists a signature of its own for the image:
    // --all-tags must not copy the source's fallback index over it by tag.
    mirror(&home)
        .arg("--no-referrers")
        .arg(format!("{}/{REPO}:1", src.addr))
        .arg(format!("{}/{REPO}:1", dst.addr))
        .ok();
    let own = fx::push_signature(&dst, REPO, &attached.subject, "edge-signer");
    fx::write_index(&dst, REPO, &attached.subject.digest, &[own.entry()]);
    let out = mirror(&home)
        .args(["--all-tags", "--format", "json"])
        .arg(format!("{}/{REPO}", proxy.addr))
        .arg(format!("{}/", dst.addr))
        .ok();
    let report = out.json();
    // One image: the attachment tags went with it, not as images.
    assert_eq!(report["items"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(statuses(&report), expected(&attached, "copied"));
    assert_eq!(
        listed(&dst.addr, &attached.subject.digest),
        (
            Found::Tag,
            set(&[
                own.entry(),
                attached.sbom.entry(),
                attached.signature.entry()
            ])
        )
    );
    let paths = proxy.stats.paths.lock().unwrap().clone();
    let lists = paths.iter().filter(|p| p.contains("/tags/list")).count();
    assert_eq!(lists, 1, "{paths:#?}");

    // sync's selections skip them too.
    let other = TestRegistry::plain();
    let file = home.path().join("all.yaml");
    std::fs::write(
        &file,
        format!(
            "sources:\n  {s}: {{plainHttp: true}}\ndestinations:\n  - name: a\n    registry: {d}\n    plainHttp: true\nimages:\n  - source: {s}/{REPO}\n    regex: '.*'\n",
            s = src.addr,
            d = other.addr
        ),
    )
    .unwrap();
    let out = home
        .aseecr()
        .args(["sync", "--format", "json"])
        .arg(&file)
        .ok();
    let report = out.json();
    assert_eq!(
        report["images"][0]["tags"],
        serde_json::json!(["1"]),
        "{report}"
    );
    assert_carried(&other, &other.addr, &attached, Found::Tag);
}

/// The request lines the proxy passed on, for a failure message.
fn paths(proxy: &Proxy) -> Vec<String> {
    proxy.stats.paths.lock().unwrap().clone()
}

#[test]
fn a_dry_run_lists_the_referrers_it_would_copy_and_writes_nothing() {
    let (src, attached) = signed_source(2131);
    let dst = TestRegistry::plain();
    let home = Home::new();
    let dst_proxy = Proxy::start(&dst.addr, Behaviour::default());
    let to = format!("{}/{REPO}:1", dst_proxy.addr);
    let from = format!("{}/{REPO}:1", src.addr);
    let dry = |format: &str| {
        mirror(&home)
            .args(["--dry-run", "--format", format])
            .args([&from, &to])
            .ok()
    };

    // Nothing there yet: the image and every referrer would be copied.
    let report = dry("json").json();
    assert_eq!(statuses(&report), expected(&attached, "would-copy"));
    assert_eq!(report["summary"]["referrersToCopy"], 4, "{report}");
    assert_eq!(writes(&dst_proxy), 0, "{:#?}", paths(&dst_proxy));

    // The image there without its referrers: still 4 to copy, in text too.
    mirror(&home).arg("--no-referrers").args([&from, &to]).ok();
    let written = writes(&dst_proxy);
    let report = dry("json").json();
    assert_eq!(report["items"][0]["status"], "up-to-date");
    assert_eq!(statuses(&report), expected(&attached, "would-copy"));
    let text = dry("text");
    let stdout = text.stdout.clone();
    let stderr = text.stderr.clone();
    assert!(stdout.contains("referrers: 4 to copy"), "{stdout}");
    assert!(stderr.contains("4 referrers to copy"), "{stderr}");
    assert!(!stderr.contains("nothing to copy"), "{stderr}");
    assert_eq!(
        writes(&dst_proxy),
        written,
        "dry runs write nothing: {:#?}",
        paths(&dst_proxy)
    );
    assert_eq!(
        listed(&dst.addr, &attached.subject.digest).0,
        Found::Nothing
    );

    // Copied: every one present, and the dry run says nothing to copy.
    mirror(&home).args([&from, &to]).ok();
    assert_carried(&dst, &dst.addr, &attached, Found::Tag);
    let written = writes(&dst_proxy);
    let report = dry("json").json();
    assert_eq!(statuses(&report), expected(&attached, "present"));
    assert_eq!(report["summary"]["referrersToCopy"], 0);
    dry("text").stderr_has("up to date: nothing to copy");
    assert_eq!(writes(&dst_proxy), written, "{:#?}", paths(&dst_proxy));
}

/// A sync file sending `lab/app:1` from `src` to the registry at `dst` (a
/// proxy's address).
fn sync_file_to(home: &Home, src: &TestRegistry, dst: &str) -> PathBuf {
    let file = home.path().join("check.yaml");
    std::fs::write(
        &file,
        format!(
            "sources:\n  {src}: {{plainHttp: true}}\ndestinations:\n  - name: a\n    registry: {dst}\n    plainHttp: true\nimages:\n  - source: {src}/{REPO}\n    tags: [\"1\"]\n",
            src = src.addr,
        ),
    )
    .unwrap();
    file
}

#[test]
fn sync_check_reports_a_destination_missing_only_referrers_as_not_in_sync() {
    let (src, attached) = signed_source(2132);
    let dst = TestRegistry::plain();
    let home = Home::new();
    let dst_proxy = Proxy::start(&dst.addr, Behaviour::default());
    let file = sync_file_to(&home, &src, &dst_proxy.addr);
    home.aseecr()
        .args(["sync", "--no-referrers"])
        .arg(&file)
        .ok();
    assert!(skopeo_exists(&dst, &format!("{REPO}:1")));
    let written = writes(&dst_proxy);

    // The image is there, its referrers are not: changes pending (10).
    let out = home
        .aseecr()
        .args(["sync", "--check", "--format", "json"])
        .arg(&file)
        .run()
        .code(10);
    let report = out.json();
    assert_eq!(report["summary"]["changesPending"], true, "{report}");
    assert_eq!(report["summary"]["referrersToCopy"], 4, "{report}");
    assert_eq!(report["summary"]["upToDate"], 1, "{report}");
    let item = &report["destinations"][0]["items"][0];
    let referrers: BTreeSet<(String, String)> = item["referrers"]
        .as_array()
        .unwrap_or_else(|| panic!("no referrers in {item}"))
        .iter()
        .map(|r| {
            let what = r["tag"].as_str().or(r["digest"].as_str()).unwrap();
            (what.to_owned(), r["status"].as_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(referrers, expected(&attached, "would-copy"));
    let out = home
        .aseecr()
        .args(["sync", "--check"])
        .arg(&file)
        .run()
        .code(10);
    let stdout = out.stdout.clone();
    let stderr = out.stderr.clone();
    assert!(stdout.contains("would copy referrers"), "{stdout}");
    assert!(stderr.contains("changes pending"), "{stderr}");
    assert!(stderr.contains("4 referrers to copy"), "{stderr}");
    home.aseecr()
        .args(["sync", "--dry-run"])
        .arg(&file)
        .ok()
        .stderr_has("4 referrers to copy");
    assert_eq!(
        writes(&dst_proxy),
        written,
        "checks write nothing: {:#?}",
        paths(&dst_proxy)
    );

    // Synced with its referrers: in sync.
    home.aseecr().arg("sync").arg(&file).ok();
    assert_carried(&dst, &dst.addr, &attached, Found::Tag);
    home.aseecr()
        .args(["sync", "--check"])
        .arg(&file)
        .ok()
        .stderr_has("up to date");
}
