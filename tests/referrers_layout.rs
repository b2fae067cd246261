//! Referrers through OCI layouts and archives: `mirror` from a real
//! docker-registry 2.8 (fallback tag schema) into `oci:DIR` and
//! `oci-archive:FILE` writes each image's referrers and cosign tags there, and
//! from there into another 2.8 registry puts them back, every digest kept.
//! Checked with a reader of the image-layout spec written here (JSON walking,
//! not aseecr's code), with the tests' referrers reader (`util::referrers::list`)
//! and with skopeo.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::util::image::skopeo_raw;
use crate::util::referrers::{self as fx, Attached, Found};
use crate::util::{Aseecr, Home, TestImage, TestRegistry};

const REPO: &str = "lab/app";
const REF_NAME: &str = "org.opencontainers.image.ref.name";

fn signed_source(seed: u64) -> (TestRegistry, Attached) {
    let src = TestRegistry::plain();
    TestImage::single(seed, &[3000, 200]).push(&src, &format!("{REPO}:1"), false);
    let attached = fx::attach(&src, REPO, "1");
    (src, attached)
}

fn mirror(home: &Home) -> Aseecr {
    home.aseecr().arg("mirror")
}

/// What an image layout at `dir` holds, read as the image-layout spec says:
/// `index.json`'s descriptors, each manifest a blob at `blobs/ALG/HEX`.
struct LayoutRead {
    /// name -> the manifest's bytes.
    named: BTreeMap<String, Vec<u8>>,
    /// subject digest -> the descriptors listed without a name whose
    /// manifest's `subject` names it.
    referrers: BTreeMap<String, Vec<Value>>,
    /// Every descriptor of `index.json`.
    entries: Vec<Value>,
}

fn blob(dir: &Path, digest: &str) -> Vec<u8> {
    let (alg, hex) = digest.split_once(':').unwrap();
    let bytes = std::fs::read(dir.join("blobs").join(alg).join(hex))
        .unwrap_or_else(|err| panic!("blob {digest}: {err}"));
    assert_eq!(
        fx::sha256(&bytes),
        digest,
        "blob {digest} holds other bytes"
    );
    bytes
}

fn read_layout(dir: &Path) -> LayoutRead {
    let layout: Value =
        serde_json::from_slice(&std::fs::read(dir.join("oci-layout")).unwrap()).unwrap();
    assert_eq!(layout["imageLayoutVersion"], "1.0.0");
    let index: Value =
        serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap();
    let entries = index["manifests"].as_array().unwrap().clone();
    let mut read = LayoutRead {
        named: BTreeMap::new(),
        referrers: BTreeMap::new(),
        entries: entries.clone(),
    };
    for entry in entries {
        let digest = entry["digest"].as_str().unwrap();
        let bytes = blob(dir, digest);
        assert_eq!(entry["size"], bytes.len(), "{entry}");
        match entry["annotations"][REF_NAME].as_str() {
            Some(name) => {
                read.named.insert(name.to_owned(), bytes);
            }
            None => {
                let manifest: Value = serde_json::from_slice(&bytes).unwrap();
                let subject = manifest["subject"]["digest"].as_str().unwrap().to_owned();
                read.referrers.entry(subject).or_default().push(entry);
            }
        }
    }
    read
}

fn sorted(mut entries: Vec<Value>) -> Vec<Value> {
    entries.sort_by(|a, b| a["digest"].as_str().cmp(&b["digest"].as_str()));
    entries
}

/// The layout holds the image, every referrer listed in full under its
/// subject (as the spec's referrers list gives them), and the cosign tag
/// named beside the image, all byte for byte.
fn assert_layout_holds(dir: &Path, attached: &Attached) {
    let read = read_layout(dir);
    assert_eq!(
        read.named.get(&format!("{REPO}:1")),
        Some(&attached.subject.bytes),
        "the image in {}",
        dir.display()
    );
    assert_eq!(
        read.named.get(&format!("{REPO}:{}", attached.cosign_tag)),
        Some(&attached.cosign.bytes),
        "the cosign tag"
    );
    assert_eq!(read.named.len(), 2, "{:?}", read.named.keys());
    assert_eq!(
        sorted(
            read.referrers
                .get(&attached.subject.digest)
                .cloned()
                .unwrap_or_default()
        ),
        sorted(vec![attached.sbom.entry(), attached.signature.entry()]),
        "the image's referrers in index.json"
    );
    assert_eq!(
        read.referrers.get(&attached.sbom.digest).cloned(),
        Some(vec![attached.sbom_signature.entry()]),
        "the SBOM's referrers in index.json"
    );
    for pushed in [
        &attached.sbom,
        &attached.signature,
        &attached.sbom_signature,
    ] {
        assert_eq!(blob(dir, &pushed.digest), pushed.bytes);
    }
}

/// `dst` holds the image and every referrer byte for byte, listed under its
/// subject in the fallback index, and the cosign tag.
fn assert_registry_holds(dst: &TestRegistry, attached: &Attached) {
    assert_eq!(
        skopeo_raw(dst, &format!("{REPO}:1")),
        attached.subject.bytes
    );
    let (found, entries) = fx::list(&dst.addr, REPO, &attached.subject.digest);
    assert_eq!(found, Found::Tag);
    assert_eq!(
        sorted(entries),
        sorted(vec![attached.sbom.entry(), attached.signature.entry()])
    );
    let (found, entries) = fx::list(&dst.addr, REPO, &attached.sbom.digest);
    assert_eq!(
        (found, entries),
        (Found::Tag, vec![attached.sbom_signature.entry()])
    );
    for pushed in [
        &attached.sbom,
        &attached.signature,
        &attached.sbom_signature,
    ] {
        assert_eq!(
            skopeo_raw(dst, &format!("{REPO}@{}", pushed.digest)),
            pushed.bytes
        );
    }
    assert_eq!(
        skopeo_raw(dst, &format!("{REPO}:{}", attached.cosign_tag)),
        attached.cosign.bytes
    );
}

/// (digest or tag, status) of each referrer of the only image of a report.
fn statuses(report: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = report["items"][0]["referrers"]
        .as_array()
        .unwrap_or_else(|| panic!("no referrers in {report}"))
        .iter()
        .map(|r| {
            let what = r["tag"].as_str().or(r["digest"].as_str()).unwrap();
            (what.to_owned(), r["status"].as_str().unwrap().to_owned())
        })
        .collect();
    out.sort();
    out
}

fn expected(attached: &Attached, status: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = [
        &attached.sbom.digest,
        &attached.signature.digest,
        &attached.sbom_signature.digest,
        &attached.cosign_tag,
    ]
    .into_iter()
    .map(|what| (what.clone(), status.to_owned()))
    .collect();
    out.sort();
    out
}

#[test]
fn registry_to_oci_archive_to_registry_keeps_every_referrer_and_digest() {
    let (src, attached) = signed_source(2131);
    let dst = TestRegistry::plain();
    let home = Home::new();
    let archive = dst.dir().join("bundle.tar");
    let out = mirror(&home)
        .args(["--src-plain-http", "--format", "json"])
        .arg(format!("{}/{REPO}:1", src.addr))
        .arg(format!("oci-archive:{}", archive.display()))
        .ok();
    let report = out.json();
    assert_eq!(statuses(&report), expected(&attached, "copied"), "{report}");

    let unpacked = dst.dir().join("unpacked");
    tar::Archive::new(std::fs::File::open(&archive).unwrap())
        .unpack(&unpacked)
        .unwrap();
    assert_layout_holds(&unpacked, &attached);

    let out = mirror(&home)
        .args(["--dst-plain-http", "--format", "json"])
        // No name: the image is the archive's only one (its referrers and
        // cosign tag are not images).
        .arg(format!("oci-archive:{}", archive.display()))
        .arg(format!("{}/{REPO}:1", dst.addr))
        .ok();
    let report = out.json();
    assert_eq!(statuses(&report), expected(&attached, "copied"), "{report}");
    assert_registry_holds(&dst, &attached);
}

#[test]
fn registry_to_oci_dir_to_registry_with_all_tags_keeps_referrers_and_no_attachment_tag_as_image() {
    let (src, attached) = signed_source(2132);
    let dst = TestRegistry::plain();
    let home = Home::new();
    let dir = dst.dir().join("layout");
    // The source's tags: `1`, the cosign tag and two fallback tags. Only `1`
    // is an image; the rest go with it.
    let out = mirror(&home)
        .args(["--src-plain-http", "--all-tags", "--format", "json"])
        .arg(format!("{}/{REPO}", src.addr))
        .arg(format!("oci:{}", dir.display()))
        .ok();
    let report = out.json();
    assert_eq!(report["items"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(statuses(&report), expected(&attached, "copied"), "{report}");
    assert_layout_holds(&dir, &attached);

    // Again: all there already.
    let out = mirror(&home)
        .args(["--src-plain-http", "--all-tags", "--format", "json"])
        .arg(format!("{}/{REPO}", src.addr))
        .arg(format!("oci:{}", dir.display()))
        .ok();
    assert_eq!(statuses(&out.json()), expected(&attached, "present"));
    assert_eq!(read_layout(&dir).entries.len(), 5, "no entry twice");

    let out = mirror(&home)
        .args(["--dst-plain-http", "--all-tags", "--format", "json"])
        .arg(format!("oci:{}", dir.display()))
        .arg("--to")
        .arg(&dst.addr)
        .ok();
    let report = out.json();
    assert_eq!(report["items"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(statuses(&report), expected(&attached, "copied"), "{report}");
    assert_registry_holds(&dst, &attached);
}

#[test]
fn no_referrers_into_a_layout_writes_none_and_a_type_filter_keeps_that_type() {
    let (src, attached) = signed_source(2133);
    let home = Home::new();
    let dir = src.dir().join("layout");
    mirror(&home)
        .args(["--src-plain-http", "--no-referrers"])
        .arg(format!("{}/{REPO}:1", src.addr))
        .arg(format!("oci:{}", dir.display()))
        .ok();
    let read = read_layout(&dir);
    assert_eq!(read.entries.len(), 1, "{:?}", read.entries);
    assert!(read.referrers.is_empty());
    assert_eq!(
        read.named.get(&format!("{REPO}:1")),
        Some(&attached.subject.bytes)
    );
    for pushed in [&attached.sbom, &attached.signature, &attached.cosign] {
        let (_, hex) = pushed.digest.split_once(':').unwrap();
        assert!(
            !dir.join("blobs/sha256").join(hex).exists(),
            "{}",
            pushed.digest
        );
    }

    // Only the SBOM: the signatures (the image's and the SBOM's) and the
    // cosign tag are skipped.
    let typed = src.dir().join("typed");
    let out = mirror(&home)
        .args(["--src-plain-http", "--format", "json"])
        .args(["--referrers-type", fx::SPDX])
        .arg(format!("{}/{REPO}:1", src.addr))
        .arg(format!("oci:{}", typed.display()))
        .ok();
    let report = out.json();
    let mut want = expected(&attached, "skipped-type");
    for (what, status) in &mut want {
        if *what == attached.sbom.digest {
            *status = "copied".into();
        }
    }
    assert_eq!(statuses(&report), want, "{report}");
    let read = read_layout(&typed);
    assert_eq!(read.entries.len(), 2, "{:?}", read.entries);
    assert_eq!(
        read.referrers.get(&attached.subject.digest).cloned(),
        Some(vec![attached.sbom.entry()])
    );
}
