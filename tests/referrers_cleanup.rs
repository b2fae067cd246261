//! Attachments in reading and cleanup, against a real docker-registry 2.8 (no
//! referrers API: the fallback tag schema): `tags` lists attachment tags apart,
//! `prune --keep` does not count them, `untag` leaves them, `delete` and
//! `prune` take an image's referrers, fallback index and cosign tags with it
//! (its platforms' too, and referrers of referrers), `usage` counts their
//! bytes, and the bytes predicted equal what `garbage-collect` frees.
//!
//! The attachments are made by the test fixtures from the specs (not aseecr's
//! code: `util::referrers`); skopeo and the fixtures' independent reader of
//! referrers check what is left.

use std::collections::BTreeMap;

use crate::util::image::{raw_push, skopeo_digest, skopeo_exists, skopeo_raw, skopeo_tags};
use crate::util::referrers::{
    self as fixtures, Attached, Found, OCI_MANIFEST, Pushed, get_manifest, tag_for,
};
use crate::util::{Home, TestImage, TestRegistry};

fn hex_of(digest: &str) -> &str {
    digest.trim_start_matches("sha256:")
}

/// What a signed image carries: the fixtures' SBOM, signature, signature on
/// the SBOM and cosign `.sig`, and the two fallback indexes they wrote.
struct Signed {
    attached: Attached,
    index: Pushed,
    sbom_index: Pushed,
}

impl Signed {
    /// Every manifest of the attachments.
    fn manifests(&self) -> Vec<&Pushed> {
        let a = &self.attached;
        vec![
            &a.sbom,
            &a.signature,
            &a.sbom_signature,
            &a.cosign,
            &self.index,
            &self.sbom_index,
        ]
    }
}

/// Sign `repository:tag` with the fixtures' attachments.
fn sign(registry: &TestRegistry, repository: &str, tag: &str) -> Signed {
    let attached = fixtures::attach(registry, repository, tag);
    let index = get_manifest(registry, repository, &tag_for(&attached.subject.digest)).unwrap();
    let sbom_index = get_manifest(registry, repository, &tag_for(&attached.sbom.digest)).unwrap();
    Signed {
        attached,
        index,
        sbom_index,
    }
}

/// The manifest at `repository:tag`.
fn subject(registry: &TestRegistry, repository: &str, tag: &str) -> Pushed {
    get_manifest(registry, repository, tag).expect("pushed")
}

/// What the independent reader finds hanging off `digest`.
fn referrers_of(registry: &TestRegistry, repository: &str, digest: &str) -> (Found, usize) {
    let (found, entries) = fixtures::list(&registry.addr, repository, digest);
    (found, entries.len())
}

fn aseecr(home: &Home, registry: &TestRegistry) -> crate::util::Aseecr {
    home.aseecr().args(registry.connection_args())
}

/// Whether any manifest of `attachments` is still there, by digest.
fn left(registry: &TestRegistry, repository: &str, attachments: &Signed) -> Vec<String> {
    attachments
        .manifests()
        .into_iter()
        .filter(|m| skopeo_exists(registry, &format!("{repository}@{}", m.digest)))
        .map(|m| m.digest.clone())
        .collect()
}

fn dated(seed: u64, day: u32) -> TestImage {
    TestImage::dated(
        seed,
        &[(4_000, 20_000), (seed, 3_000)],
        &format!("2026-03-{:02}T10:00:00Z", day),
    )
}

/// The tags `aseecr tags --format json` lists, and its attachment tags.
fn listed(home: &Home, registry: &TestRegistry, repository: &str) -> (Vec<String>, Vec<String>) {
    let json = aseecr(home, registry)
        .args(["tags", &format!("{}/{repository}", registry.addr)])
        .args(["--format", "json"])
        .ok()
        .json();
    let names = |key: &str, field: Option<&str>| -> Vec<String> {
        json[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| match field {
                Some(f) => v[f].as_str().unwrap().to_owned(),
                None => v.as_str().unwrap().to_owned(),
            })
            .collect()
    };
    (names("tags", None), names("attachments", Some("tag")))
}

#[test]
fn tags_lists_attachment_tags_apart_in_text_and_json() {
    let registry = TestRegistry::plain();
    let home = Home::new();
    let r = &registry.addr;
    dated(1, 1).push(&registry, "app:1.0", false);
    dated(2, 2).push(&registry, "app:2.0", false);
    let image = subject(&registry, "app", "1.0");
    let signed = sign(&registry, "app", "1.0");
    let index_tag = format!("sha256-{}", hex_of(&image.digest));
    let sig_tag = format!("{index_tag}.sig");
    let sbom_tag = format!("sha256-{}", hex_of(&signed.attached.sbom.digest));

    // Text: the user's tags on stdout; a note says what was left out.
    let out = aseecr(&home, &registry)
        .args(["tags", &format!("{r}/app")])
        .ok()
        .stderr_has("3 attachment tags")
        .stderr_has("--attachments");
    assert_eq!(out.lines(), ["1.0", "2.0"]);
    let out = aseecr(&home, &registry)
        .args(["tags", &format!("{r}/app"), "--attachments"])
        .ok();
    let mut expected = vec![index_tag.clone(), sig_tag.clone(), sbom_tag.clone()];
    expected.sort();
    let mut got: Vec<String> = out.lines().iter().map(|l| l.to_string()).collect();
    got.sort();
    assert_eq!(got, expected);
    // --long: the table of user tags; with --attachments, each one's kind
    // and subject.
    let out = aseecr(&home, &registry)
        .args(["tags", &format!("{r}/app"), "--long"])
        .ok();
    assert_eq!(out.lines().len(), 3, "{}", out.stdout);
    let out = aseecr(&home, &registry)
        .args(["tags", &format!("{r}/app"), "--long", "--attachments"])
        .ok();
    let sig_line = out
        .lines()
        .into_iter()
        .find(|l| l.starts_with(&sig_tag))
        .expect("the .sig tag is listed")
        .to_owned();
    assert!(sig_line.contains("cosign-signature"), "{sig_line}");
    assert!(sig_line.contains("(1.0)"), "{sig_line}");

    // JSON: `tags` are the user's; `attachments` say what each one is.
    let (tags, _) = listed(&home, &registry, "app");
    assert_eq!(tags, ["1.0", "2.0"]);
    let json = aseecr(&home, &registry)
        .args(["tags", &format!("{r}/app"), "--long", "--format", "json"])
        .ok()
        .json();
    assert_eq!(json["tags"], serde_json::json!(["2.0", "1.0"]));
    assert_eq!(json["details"].as_array().unwrap().len(), 2);
    let attachments = json["attachments"].as_array().unwrap();
    let find = |tag: &str| attachments.iter().find(|a| a["tag"] == tag).unwrap();
    assert_eq!(find(&index_tag)["kind"], "referrers-index");
    assert_eq!(find(&index_tag)["subject"], image.digest.as_str());
    assert_eq!(find(&index_tag)["digest"], signed.index.digest.as_str());
    assert_eq!(find(&index_tag)["subjectTags"], serde_json::json!(["1.0"]));
    assert_eq!(find(&sig_tag)["kind"], "cosign-signature");
    assert_eq!(
        find(&sig_tag)["digest"],
        signed.attached.cosign.digest.as_str()
    );
    // The SBOM's own index: its subject (a referrer) has no tag.
    assert_eq!(find(&sbom_tag)["subjectTags"], serde_json::json!([]));
}

#[test]
fn prune_keep_counts_no_attachment_tag_and_takes_them_with_the_image() {
    let registry = TestRegistry::plain();
    let home = Home::new();
    let r = &registry.addr;
    for (seed, tag, day) in [(11, "1.0", 1), (12, "2.0", 2), (13, "3.0", 3)] {
        dated(seed, day).push(&registry, &format!("app:{tag}"), false);
    }
    let old = sign(&registry, "app", "1.0");
    let kept = sign(&registry, "app", "2.0");
    let old_digest = skopeo_digest(&registry, "app:1.0");
    // The attachments are newer than every image (their creation times say
    // December): counted, they would push the images out of the newest two.
    let prune = |extra: &[&str]| {
        aseecr(&home, &registry)
            .args(["prune", &format!("{r}/app"), "--keep", "2"])
            .args(extra)
    };

    let before = skopeo_tags(&registry, "app");
    let plan = prune(&["--dry-run", "--format", "json"]).ok().json();
    assert_eq!(
        skopeo_tags(&registry, "app"),
        before,
        "a dry run changed tags"
    );
    assert!(left(&registry, "app", &old).len() == 6, "a dry run deleted");
    let kept_tags: Vec<&str> = plan["kept"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["tag"].as_str().unwrap())
        .collect();
    assert_eq!(kept_tags, ["2.0", "3.0"]);
    let items = plan["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{plan}");
    assert_eq!(items[0]["action"], "delete");
    assert_eq!(items[0]["digest"], old_digest.as_str());
    assert_eq!(items[0]["status"], "planned");
    let attachments = items[0]["attachments"].as_array().unwrap();
    let digests: Vec<&str> = attachments
        .iter()
        .map(|a| a["digest"].as_str().unwrap())
        .collect();
    let mut expected: Vec<&str> = old.manifests().iter().map(|m| m.digest.as_str()).collect();
    expected.sort();
    let mut sorted = digests.clone();
    sorted.sort();
    assert_eq!(sorted, expected);
    let kinds = |kind: &str| attachments.iter().filter(|a| a["kind"] == kind).count();
    assert_eq!(
        (
            kinds("referrer"),
            kinds("referrers-index"),
            kinds("cosign-signature")
        ),
        (3, 2, 1)
    );
    let text = prune(&["--dry-run"])
        .ok()
        .stderr_has("would delete 1 image and remove 0 tags")
        .stderr_has("would remove 6 attachments");
    assert!(
        text.stdout.contains("would delete ") && text.stdout.contains("with its attachments"),
        "{}",
        text.stdout
    );

    let out = prune(&["--yes", "--format", "json"]).ok().json();
    let predicted = out["freed"]["bytes"].as_u64().unwrap();
    assert_eq!(out["summary"]["succeeded"], 1, "{out}");
    // No orphan: nothing of 1.0's attachments is left, by digest or by tag;
    // 2.0 keeps all of its own.
    assert_eq!(left(&registry, "app", &old), Vec::<String>::new());
    assert_eq!(left(&registry, "app", &kept).len(), 6);
    let tags = skopeo_tags(&registry, "app");
    assert!(
        !tags.iter().any(|t| t.contains(hex_of(&old_digest))),
        "{tags:?}"
    );
    assert!(
        !tags
            .iter()
            .any(|t| t.contains(hex_of(&old.attached.sbom.digest)))
    );
    assert_eq!(tags.len(), 2 + 3, "{tags:?}");
    // The independent reader finds nothing hanging off what went, and all of
    // 2.0's referrers.
    assert_eq!(
        referrers_of(&registry, "app", &old_digest),
        (Found::Nothing, 0)
    );
    let sbom = &old.attached.sbom.digest;
    assert_eq!(referrers_of(&registry, "app", sbom), (Found::Nothing, 0));
    let digest = &kept.attached.subject.digest;
    assert_eq!(referrers_of(&registry, "app", digest), (Found::Tag, 2));

    let before = registry.blob_bytes();
    registry.garbage_collect();
    let freed = before - registry.blob_bytes();
    assert_eq!(
        freed, predicted,
        "predicted {predicted} bytes, garbage collection freed {freed}"
    );
}

#[test]
fn delete_takes_the_attachments_of_an_index_and_of_its_platforms() {
    let registry = TestRegistry::plain();
    let home = Home::new();
    let r = &registry.addr;
    TestImage::multi(21, &[("linux", "amd64"), ("linux", "arm64")]).push(
        &registry,
        "app:multi",
        false,
    );
    dated(22, 2).push(&registry, "app:other", false);
    let kept = sign(&registry, "app", "other");
    // The index signed, and its arm64 platform signed on its own.
    let of_index = sign(&registry, "app", "multi");
    let index: serde_json::Value =
        serde_json::from_slice(&skopeo_raw(&registry, "app:multi")).unwrap();
    let arm = index["manifests"][1]["digest"].as_str().unwrap().to_owned();
    raw_push(
        &registry,
        "app",
        "arm64",
        &[],
        &skopeo_raw(&registry, &format!("app@{arm}")),
        OCI_MANIFEST,
    );
    let of_platform = sign(&registry, "app", "arm64");
    // The platform's own tag goes first (deleting the index alone leaves
    // the platform untagged): its attachments must go with the index.
    let untagged = aseecr(&home, &registry)
        .args([
            "untag",
            &format!("{r}/app:arm64"),
            "--yes",
            "--format",
            "json",
        ])
        .ok()
        .json();
    let placeholder = untagged["freed"]["bytes"].as_u64().unwrap();

    let dry = aseecr(&home, &registry)
        .args(["delete", &format!("{r}/app:multi"), "--dry-run"])
        .ok()
        .stdout_has("with its attachments");
    assert_eq!(left(&registry, "app", &of_index).len(), 6, "{}", dry.stdout);
    let out = aseecr(&home, &registry)
        .args([
            "delete",
            &format!("{r}/app:multi"),
            "--yes",
            "--format",
            "json",
        ])
        .ok()
        .json();
    assert_eq!(out["items"][0]["status"], "deleted", "{out}");
    assert_eq!(
        out["items"][0]["attachments"].as_array().unwrap().len(),
        12,
        "{out}"
    );
    let predicted = out["freed"]["bytes"].as_u64().unwrap();
    assert_eq!(left(&registry, "app", &of_index), Vec::<String>::new());
    assert_eq!(left(&registry, "app", &of_platform), Vec::<String>::new());
    assert_eq!(left(&registry, "app", &kept).len(), 6);
    for gone in [&of_index.attached.subject.digest, &arm] {
        assert_eq!(referrers_of(&registry, "app", gone), (Found::Nothing, 0));
    }
    let other = subject(&registry, "app", "other");
    assert_eq!(
        referrers_of(&registry, "app", &other.digest),
        (Found::Tag, 2)
    );
    let mut expected = vec![
        "other".to_owned(),
        format!("sha256-{}", hex_of(&other.digest)),
        format!("sha256-{}.sig", hex_of(&other.digest)),
        format!("sha256-{}", hex_of(&kept.attached.sbom.digest)),
    ];
    expected.sort();
    let mut tags = skopeo_tags(&registry, "app");
    tags.sort();
    assert_eq!(tags, expected);

    // The collection frees what delete predicted, and the placeholder untag made.
    let before = registry.blob_bytes();
    registry.garbage_collect();
    assert_eq!(before - registry.blob_bytes(), predicted + placeholder);
}

#[test]
fn untag_leaves_the_attachments_and_prune_untagged_takes_them_with_the_image() {
    let registry = TestRegistry::plain();
    let home = Home::new();
    let r = &registry.addr;
    dated(31, 1).push(&registry, "app:1.0", false);
    dated(32, 2).push(&registry, "app:2.0", false);
    let signed = sign(&registry, "app", "1.0");
    let other = sign(&registry, "app", "2.0");
    let digest = skopeo_digest(&registry, "app:1.0");
    // A user tag on each SBOM too: untagging it leaves the SBOM listed in
    // its subject's fallback index, so live (recorded, it is never deleted
    // on its own, only with its subject).
    for (tag, attached) in [("sbom-copy", &signed), ("sbom2-copy", &other)] {
        raw_push(
            &registry,
            "app",
            tag,
            &[],
            &attached.attached.sbom.bytes,
            OCI_MANIFEST,
        );
    }

    let out = aseecr(&home, &registry)
        .args([
            "untag",
            &format!("{r}/app:1.0"),
            "--yes",
            "--format",
            "json",
        ])
        .ok()
        .json();
    let stay = out["items"][0]["attachmentTags"].as_array().unwrap();
    assert_eq!(stay.len(), 2, "{out}");
    let mut placeholders = out["freed"]["bytes"].as_u64().unwrap();
    for tag in ["sbom-copy", "sbom2-copy"] {
        let out = aseecr(&home, &registry)
            .args(["untag", &format!("{r}/app:{tag}"), "--yes"])
            .args(["--format", "json"])
            .ok()
            .json();
        placeholders += out["freed"]["bytes"].as_u64().unwrap();
    }
    // The image stays, by digest, and so does everything attached to it.
    assert!(skopeo_exists(&registry, &format!("app@{digest}")));
    assert_eq!(left(&registry, "app", &signed).len(), 6);
    assert_eq!(referrers_of(&registry, "app", &digest), (Found::Tag, 2));
    let (tags, attachments) = listed(&home, &registry, "app");
    assert_eq!(tags, ["2.0"]);
    assert_eq!(attachments.len(), 6);

    // prune --untagged: the image untag recorded goes, with its attachments;
    // the SBOM, recorded too, is not deleted on its own while its subject's
    // fallback tag lists it (it goes with its subject).
    let out = aseecr(&home, &registry)
        .args(["prune", &format!("{r}/app"), "--untagged", "--yes"])
        .args(["--format", "json"])
        .ok()
        .json();
    let items = out["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{out}");
    assert_eq!(items[0]["digest"], digest.as_str());
    assert_eq!(items[0]["attachments"].as_array().unwrap().len(), 6);
    let predicted = out["freed"]["bytes"].as_u64().unwrap();
    assert!(!skopeo_exists(&registry, &format!("app@{digest}")));
    assert_eq!(left(&registry, "app", &signed), Vec::<String>::new());
    assert_eq!(referrers_of(&registry, "app", &digest), (Found::Nothing, 0));
    // 2.0's SBOM, recorded, stays with all of 2.0's attachments.
    assert_eq!(left(&registry, "app", &other).len(), 6);
    let digest = &other.attached.subject.digest;
    assert_eq!(referrers_of(&registry, "app", digest), (Found::Tag, 2));
    assert_eq!(skopeo_tags(&registry, "app").len(), 1 + 3);
    let before = registry.blob_bytes();
    registry.garbage_collect();
    // The placeholders of the untags are freed by this collection too.
    assert_eq!(before - registry.blob_bytes(), predicted + placeholders);
}

#[test]
fn usage_counts_attachment_bytes_apart() {
    let registry = TestRegistry::plain();
    let home = Home::new();
    let r = &registry.addr;
    dated(41, 1).push(&registry, "app:1.0", false);
    let signed = sign(&registry, "app", "1.0");
    let json = aseecr(&home, &registry)
        .args(["usage", &format!("{r}/app"), "--format", "json"])
        .ok()
        .json();
    let repository = &json["repositories"][0];
    let mut blobs: BTreeMap<String, u64> = BTreeMap::new();
    for manifest in signed.manifests() {
        blobs.insert(manifest.digest.clone(), manifest.size);
        let parsed: serde_json::Value = serde_json::from_slice(&manifest.bytes).unwrap();
        let referenced = parsed["layers"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(parsed.get("config"));
        for blob in referenced {
            blobs.insert(
                blob["digest"].as_str().unwrap().to_owned(),
                blob["size"].as_u64().unwrap(),
            );
        }
    }
    let attachment_bytes: u64 = blobs.values().sum();
    assert_eq!(repository["tagCount"], 1, "{json}");
    assert_eq!(repository["attachmentTagCount"], 3, "{json}");
    assert_eq!(repository["attachmentSize"], attachment_bytes, "{json}");
    // Everything the registry stores is the image and its attachments.
    assert_eq!(repository["size"], registry.blob_bytes(), "{json}");
    assert_eq!(json["totals"]["attachmentSize"], attachment_bytes);
    let largest = json["largest"].as_array().unwrap();
    assert_eq!(largest.len(), 1, "{json}");
    assert_eq!(largest[0]["tags"], serde_json::json!(["1.0"]));
    aseecr(&home, &registry)
        .args(["usage", &format!("{r}/app")])
        .ok()
        .stdout_has("attachments:")
        .stdout_has("3 attachment tags");
}

#[test]
fn deleting_a_referrer_takes_it_off_its_subjects_fallback_index() {
    let registry = TestRegistry::plain();
    let home = Home::new();
    let r = &registry.addr;
    dated(51, 1).push(&registry, "app:1.0", false);
    let signed = sign(&registry, "app", "1.0");
    let subject = signed.attached.subject.digest.clone();
    let delete = |digest: &str| {
        aseecr(&home, &registry)
            .args(["delete", &format!("{r}/app@{digest}"), "--yes"])
            .args(["--format", "json"])
            .ok()
            .json()
    };

    // The signature, by digest: the image's fallback index then lists the
    // SBOM only (the reader finds no entry for a manifest that is gone).
    let out = delete(&signed.attached.signature.digest);
    assert_eq!(out["items"][0]["unlistedFrom"], subject.as_str(), "{out}");
    let mut predicted = out["freed"]["bytes"].as_u64().unwrap();
    let (found, entries) = fixtures::list(&registry.addr, "app", &subject);
    assert_eq!(found, Found::Tag);
    let listed: Vec<&str> = entries
        .iter()
        .map(|e| e["digest"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [signed.attached.sbom.digest.as_str()]);
    // The SBOM: its own signature and fallback index go with it, and the
    // image's fallback index, now listing nothing, goes (never left empty).
    let out = delete(&signed.attached.sbom.digest);
    assert_eq!(out["items"][0]["attachments"].as_array().unwrap().len(), 2);
    predicted += out["freed"]["bytes"].as_u64().unwrap();
    assert_eq!(
        referrers_of(&registry, "app", &subject),
        (Found::Nothing, 0)
    );
    let left = left(&registry, "app", &signed);
    assert_eq!(left, std::slice::from_ref(&signed.attached.cosign.digest));
    let mut tags = skopeo_tags(&registry, "app");
    tags.sort();
    assert_eq!(tags, ["1.0".to_owned(), signed.attached.cosign_tag.clone()]);
    assert!(skopeo_exists(&registry, &format!("app@{subject}")));

    let before = registry.blob_bytes();
    registry.garbage_collect();
    assert_eq!(before - registry.blob_bytes(), predicted);
}

/// A registry with the referrers API, as the test proxy emulates it over
/// distribution 2.8 (no OCI 1.1 registry can be installed here: see
/// `util::referrers`). The emulation serves the API from the fallback
/// indexes, which stay visible as tags, so this shows that referrers listed
/// by the API are removed once, with what the fallback tags give, and that
/// the bytes predicted still equal what garbage collection frees.
#[test]
fn delete_and_prune_through_the_referrers_api() {
    use crate::util::proxy::{Behaviour, Proxy};

    let registry = TestRegistry::plain();
    let home = Home::new();
    for (seed, tag, day) in [(61, "1.0", 1), (62, "2.0", 2), (63, "3.0", 3)] {
        dated(seed, day).push(&registry, &format!("app:{tag}"), false);
    }
    let first = sign(&registry, "app", "1.0");
    let second = sign(&registry, "app", "2.0");
    let proxy = Proxy::start(
        &registry.addr,
        Behaviour {
            referrers_api: Some(1),
            ..Behaviour::default()
        },
    );
    let digest = &first.attached.subject.digest;
    assert_eq!(fixtures::list(&proxy.addr, "app", digest).0, Found::Api);
    let at = |repository: &str| format!("{}/{repository}", proxy.addr);

    let out = home
        .aseecr()
        .args(["delete", "--plain-http", &format!("{}:1.0", at("app"))])
        .args(["--yes", "--format", "json"])
        .ok()
        .json();
    assert_eq!(out["items"][0]["attachments"].as_array().unwrap().len(), 6);
    let mut predicted = out["freed"]["bytes"].as_u64().unwrap();
    let out = home
        .aseecr()
        .args(["prune", "--plain-http", &at("app"), "--keep", "1"])
        .args(["--yes", "--format", "json"])
        .ok()
        .json();
    let items = out["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{out}");
    assert_eq!(items[0]["attachments"].as_array().unwrap().len(), 6);
    predicted += out["freed"]["bytes"].as_u64().unwrap();
    for signed in [&first, &second] {
        assert_eq!(left(&registry, "app", signed), Vec::<String>::new());
        let digest = &signed.attached.subject.digest;
        assert_eq!(fixtures::list(&proxy.addr, "app", digest).1.len(), 0);
    }
    assert_eq!(skopeo_tags(&registry, "app"), ["3.0"]);
    let before = registry.blob_bytes();
    registry.garbage_collect();
    assert_eq!(before - registry.blob_bytes(), predicted);
}
