//! Referrers (signatures, SBOMs, attestations) copied along with the images by
//! `mirror`, `mirror --to A --to B`, `sync` and `k8s relocate --mirror`, to real
//! docker-registry 2.8 destinations (the referrers tag schema), checked with
//! skopeo and a reader written here from the spec.

use sha2::{Digest, Sha256};

use crate::util::image::{raw_push, skopeo_raw};
use crate::util::{Home, TestImage, TestRegistry};

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

/// A Notary-style signature artifact of `subject`, as notation writes it: the
/// empty config (with its optional `data`), one `application/cose` layer,
/// `artifactType`, `subject` and annotations. Returns (blobs, manifest).
fn signature(subject: &str, subject_size: usize, seed: u8) -> (Vec<Vec<u8>>, Vec<u8>) {
    let config = b"{}".to_vec();
    let envelope = vec![0xd2, 0x84, seed, 0x01, 0x02];
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "artifactType": "application/vnd.cncf.notary.signature",
        "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": sha256(&config), "size": 2, "data": "e30="},
        "layers": [{"mediaType": "application/cose", "digest": sha256(&envelope), "size": envelope.len()}],
        "subject": {"mediaType": OCI_MANIFEST, "digest": subject, "size": subject_size},
        "annotations": {"io.cncf.notary.x509chain.thumbprint#S256": "[\"ab\"]", "org.opencontainers.image.created": "2026-12-07T00:00:00Z"}
    });
    (
        vec![config, envelope],
        serde_json::to_vec(&manifest).unwrap(),
    )
}

#[test]
fn an_artifact_manifest_is_copied_byte_for_byte() {
    let src = TestRegistry::plain();
    let dst = TestRegistry::edge();
    let home = Home::new();
    let image = TestImage::single(2101, &[3000]);
    image.push(&src, "lab/app:1", false);
    let subject = skopeo_raw(&src, "lab/app:1");
    let (blobs, manifest) = signature(&sha256(&subject), subject.len(), 1);
    let digest = sha256(&manifest);
    raw_push(&src, "lab/app", &digest, &blobs, &manifest, OCI_MANIFEST);

    crate::util::mirror_into(&home, &dst)
        .arg(format!("{}/lab/app@{digest}", src.addr))
        .arg(format!("{}/lab/app@{digest}", dst.addr))
        .ok();
    assert_eq!(skopeo_raw(&dst, &format!("lab/app@{digest}")), manifest);
}
