//! Fallback indexes without requests: the entry aseecr writes for a referrer,
//! whether an index a fallback tag holds may be used, merging wanted entries
//! into the entries already there, and cosign's tags of a subject.

use bytes::Bytes;
use serde_json::{Map, Value};

use super::{AttachmentTag, Referrer, attachment_tag, fallback_tag};
use crate::registry::limits;
use crate::registry::manifest::{DOCKER_LIST, OCI_INDEX};

/// The cosign tags (`.sig`, `.att`, `.sbom`) among `tags` that belong to
/// `subject` (a digest), in the order given.
pub fn cosign_tags(tags: &[String], subject: &str) -> Vec<String> {
    let stem = fallback_tag(subject);
    tags.iter()
        .filter(|tag| {
            matches!(attachment_tag(tag), Some(AttachmentTag::Cosign { .. }))
                && tag.rsplit_once('.').is_some_and(|(s, _)| s == stem)
        })
        .cloned()
        .collect()
}

/// The index entry aseecr writes for a referrer: keys in a fixed order,
/// `artifactType` and `annotations` only when there are some.
pub(super) fn entry(referrer: &Referrer) -> Value {
    let mut object = Map::new();
    object.insert("mediaType".into(), referrer.media_type.clone().into());
    object.insert("digest".into(), referrer.digest.clone().into());
    object.insert("size".into(), referrer.size.into());
    if let Some(artifact_type) = &referrer.artifact_type {
        object.insert("artifactType".into(), artifact_type.clone().into());
    }
    if !referrer.annotations.is_empty() {
        let annotations: Map<String, Value> = referrer
            .annotations
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.clone())))
            .collect();
        object.insert("annotations".into(), annotations.into());
    }
    Value::Object(object)
}

/// A referrer as an index entry describes it; `None` for an entry without a
/// media type, digest or size.
pub(super) fn referrer(entry: &Value) -> Option<Referrer> {
    let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_owned);
    Some(Referrer {
        media_type: text("mediaType")?,
        digest: text("digest")?,
        size: entry.get("size")?.as_u64()?,
        artifact_type: text("artifactType").filter(|t| !t.is_empty()),
        annotations: entry
            .get("annotations")
            .and_then(Value::as_object)
            .map(|a| {
                a.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// The bytes of a fallback index holding `entries` (compact; the same entries
/// give the same bytes, so an unchanged index keeps its digest).
pub(super) fn index_bytes(entries: &[Value]) -> Bytes {
    let mut object = Map::new();
    object.insert("schemaVersion".into(), 2.into());
    object.insert("mediaType".into(), OCI_INDEX.into());
    object.insert("manifests".into(), entries.to_vec().into());
    Bytes::from(serde_json::to_vec(&Value::Object(object)).unwrap_or_default())
}

/// The entries of what a fallback tag holds (`media_type`: as the registry
/// says, see [`crate::registry::Manifest`]), or why it is not a fallback index
/// of `subject`: not an OCI image index (a Docker list, an image), or the
/// subject itself (a registry that resolves `sha256-<hex>` as a digest), or
/// more entries than aseecr reads.
pub(super) fn validate(
    media_type: &str,
    digest: &str,
    bytes: &[u8],
    subject: &str,
) -> Result<Vec<Value>, String> {
    if digest == subject {
        return Err("the subject itself, not an index of its referrers".into());
    }
    if media_type == DOCKER_LIST {
        return Err("a Docker manifest list, not an OCI image index".into());
    }
    if media_type != OCI_INDEX {
        return Err(format!("a `{media_type}`, not an OCI image index"));
    }
    let value: Value =
        serde_json::from_slice(bytes).map_err(|err| format!("not valid JSON ({err})"))?;
    let object = value.as_object().ok_or("not a JSON object")?;
    match object.get("mediaType").and_then(Value::as_str) {
        Some(OCI_INDEX) => {}
        Some(other) => return Err(format!("a `{other}`, not an OCI image index")),
        None if object.contains_key("config") => {
            return Err("an image manifest, not an index".into());
        }
        None => {}
    }
    let entries = object
        .get("manifests")
        .and_then(Value::as_array)
        .ok_or("an index without `manifests`")?;
    if entries.len() > limits::MAX_REFERRERS {
        return Err(format!(
            "an index of {} entries, more than the {} aseecr reads",
            entries.len(),
            limits::MAX_REFERRERS
        ));
    }
    Ok(entries.clone())
}

/// `existing` with `wanted` merged in, or `None` when it already says all of
/// it. Entries already there stay as they are (other tools' fields included),
/// except one with a wanted digest that lacks `artifactType` or annotations
/// the wanted one has: it is replaced in place (a repair). Missing ones are
/// appended in the order wanted.
pub(super) fn merge(existing: &[Value], wanted: &[Referrer]) -> Option<Vec<Value>> {
    let mut merged = existing.to_vec();
    let mut changed = false;
    for want in wanted {
        let at = merged
            .iter()
            .position(|e| e.get("digest").and_then(Value::as_str) == Some(&want.digest));
        match at {
            Some(at) => {
                let lacks = |key: &str| merged[at].get(key).is_none();
                let repair = (want.artifact_type.is_some() && lacks("artifactType"))
                    || (!want.annotations.is_empty() && lacks("annotations"));
                if repair {
                    merged[at] = entry(want);
                    changed = true;
                }
            }
            None => {
                merged.push(entry(want));
                changed = true;
            }
        }
    }
    changed.then_some(merged)
}

/// `existing` without the entries whose digest is in `digests`, or `None`
/// when none of them is there.
pub(super) fn without(existing: &[Value], digests: &[String]) -> Option<Vec<Value>> {
    let kept: Vec<Value> = existing
        .iter()
        .filter(|e| {
            !e.get("digest")
                .and_then(Value::as_str)
                .is_some_and(|d| digests.iter().any(|x| x == d))
        })
        .cloned()
        .collect();
    (kept.len() != existing.len()).then_some(kept)
}

/// Whether every wanted digest is among `entries`.
pub(super) fn lists_all(entries: &[Value], wanted: &[Referrer]) -> bool {
    wanted.iter().all(|w| {
        entries
            .iter()
            .any(|e| e.get("digest").and_then(Value::as_str) == Some(&w.digest))
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::registry::manifest::{OCI_MANIFEST, sha256_digest};

    const HEX: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    fn referrer(digest: &str, annotated: bool) -> Referrer {
        let mut annotations = BTreeMap::new();
        if annotated {
            annotations.insert("org.opencontainers.image.created".into(), "2026".into());
        }
        Referrer {
            media_type: OCI_MANIFEST.into(),
            digest: digest.into(),
            size: 10,
            artifact_type: Some("application/spdx+json".into()),
            annotations,
        }
    }

    #[test]
    fn cosign_tags_are_those_of_the_subject() {
        let subject = format!("sha256:{HEX}");
        let other = format!("sha256-{}", "b".repeat(64));
        let tags: Vec<String> = [
            format!("sha256-{HEX}.sig"),
            format!("sha256-{HEX}"),
            format!("{other}.sig"),
            "latest".into(),
            format!("sha256-{HEX}.att"),
            format!("sha256-{HEX}.sbom"),
            format!("sha256-{HEX}.tar"),
        ]
        .into();
        assert_eq!(
            cosign_tags(&tags, &subject),
            vec![
                format!("sha256-{HEX}.sig"),
                format!("sha256-{HEX}.att"),
                format!("sha256-{HEX}.sbom")
            ]
        );
        assert!(cosign_tags(&tags, "sha256:cc").is_empty());
    }

    #[test]
    fn entries_have_a_fixed_key_order_and_round_trip() {
        let one = referrer("sha256:11", true);
        let text = serde_json::to_string(&entry(&one)).unwrap();
        assert_eq!(
            text,
            r#"{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:11","size":10,"artifactType":"application/spdx+json","annotations":{"org.opencontainers.image.created":"2026"}}"#
        );
        assert_eq!(super::referrer(&entry(&one)), Some(one.clone()));
        let bytes = index_bytes(&[entry(&one)]);
        assert!(bytes.starts_with(
            br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"#
        ));
        assert_eq!(bytes, index_bytes(&[entry(&one)]));
    }

    #[test]
    fn only_an_oci_index_other_than_the_subject_is_used() {
        let subject = format!("sha256:{HEX}");
        let index = index_bytes(&[entry(&referrer("sha256:11", true))]);
        let digest = sha256_digest(&index);
        assert_eq!(
            validate(OCI_INDEX, &digest, &index, &subject)
                .unwrap()
                .len(),
            1
        );
        // The GitLab case: the tag resolves to the subject itself.
        let err = validate(OCI_INDEX, &subject, &index, &subject).unwrap_err();
        assert!(err.contains("subject itself"), "{err}");
        assert!(validate(DOCKER_LIST, &digest, &index, &subject).is_err());
        assert!(validate(OCI_MANIFEST, &digest, &index, &subject).is_err());
        // The header says index, the body says otherwise.
        let body = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","manifests":[]}"#;
        assert!(validate(OCI_INDEX, &digest, body, &subject).is_err());
        let bare = br#"{"schemaVersion":2,"manifests":[]}"#;
        assert_eq!(validate(OCI_INDEX, &digest, bare, &subject), Ok(vec![]));
        let image = br#"{"schemaVersion":2,"config":{},"manifests":[]}"#;
        assert!(validate(OCI_INDEX, &digest, image, &subject).is_err());
        assert!(validate(OCI_INDEX, &digest, b"[]", &subject).is_err());
    }

    #[test]
    fn merging_keeps_foreign_entries_adds_missing_and_repairs_bare_ones() {
        let foreign: Value = serde_json::json!({"mediaType": OCI_MANIFEST, "digest": "sha256:ff", "size": 3, "x-tool": true});
        let bare =
            serde_json::json!({"mediaType": OCI_MANIFEST, "digest": "sha256:11", "size": 10});
        let existing = vec![foreign.clone(), bare];
        let wanted = [referrer("sha256:11", true), referrer("sha256:22", true)];
        let merged = merge(&existing, &wanted).unwrap();
        assert_eq!(merged.len(), 3);
        assert_eq!(merged[0], foreign);
        assert_eq!(merged[1], entry(&wanted[0]));
        assert_eq!(merged[2], entry(&wanted[1]));
        assert!(lists_all(&merged, &wanted));
        assert_eq!(merge(&merged, &wanted), None);
        // An entry with all it needs is never rewritten, even if it differs.
        let mine = [referrer("sha256:ff", false)];
        let mut typed = foreign.clone();
        typed["artifactType"] = "x".into();
        assert_eq!(merge(&[typed], &mine), None);
        assert_eq!(without(&merged, &["sha256:11".into()]).unwrap().len(), 2);
        assert_eq!(without(&merged, &["sha256:99".into()]), None);
    }
}
