//! Referrers: the manifests (signatures, SBOMs, attestations) whose `subject`
//! names another manifest, and the tags that carry them on a registry without
//! the referrers API (OCI distribution spec 1.1, "Referrers Tag Schema") or by
//! cosign's naming convention.
//!
//! This file holds what needs no request: tag names and the index entry a
//! referrer gets. `index` builds, checks and merges fallback indexes (no
//! request either), `read` lists referrers (the API, else the fallback tag),
//! `write` keeps a registry's fallback index (read, merge, write, read back,
//! under a lock per subject), `lock` holds those locks.

mod index;
mod lock;
#[cfg(test)]
mod on_registry;
mod read;
mod write;

use std::collections::BTreeMap;

pub use index::cosign_tags;
pub use lock::LOCKS_DIR;

/// The tag of the fallback index listing the referrers of `digest`: the
/// algorithm cut to 32 characters, `-`, the encoded part cut to 64, then every
/// character a tag cannot hold replaced by `-` (distribution spec, "Referrers
/// Tag Schema"). `sha256:ab…` becomes `sha256-ab…`.
pub fn fallback_tag(digest: &str) -> String {
    let (algorithm, encoded) = digest.split_once(':').unwrap_or((digest, ""));
    let cut = |text: &str, max: usize| text.chars().take(max).collect::<String>();
    format!("{}-{}", cut(algorithm, 32), cut(encoded, 64))
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// What a tag that hangs off another manifest is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentTag {
    /// The fallback index of the referrers of `subject` (`sha256-<hex>`).
    Fallback { subject: String },
    /// A cosign signature, attestation or SBOM of `subject`
    /// (`sha256-<hex>.sig`, `.att`, `.sbom`).
    Cosign { subject: String, kind: CosignKind },
}

/// The three kinds of cosign tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CosignKind {
    Signature,
    Attestation,
    Sbom,
}

impl CosignKind {
    /// The tag suffix, without its dot.
    pub fn suffix(self) -> &'static str {
        match self {
            CosignKind::Signature => "sig",
            CosignKind::Attestation => "att",
            CosignKind::Sbom => "sbom",
        }
    }
}

impl AttachmentTag {
    /// The digest of the manifest the tag hangs off.
    pub fn subject(&self) -> &str {
        match self {
            AttachmentTag::Fallback { subject } | AttachmentTag::Cosign { subject, .. } => subject,
        }
    }
}

/// Whether `tag` is an attachment tag, by its name alone: `<alg>-<hex>` with a
/// known digest algorithm and an encoded part of that algorithm's length (as
/// the tag schema cuts it), optionally followed by `.sig`, `.att` or `.sbom`.
pub fn attachment_tag(tag: &str) -> Option<AttachmentTag> {
    let (stem, kind) = match tag.rsplit_once('.') {
        Some((stem, "sig")) => (stem, Some(CosignKind::Signature)),
        Some((stem, "att")) => (stem, Some(CosignKind::Attestation)),
        Some((stem, "sbom")) => (stem, Some(CosignKind::Sbom)),
        _ => (tag, None),
    };
    let (algorithm, encoded) = stem.split_once('-')?;
    // The fallback tag cuts the encoded part to 64 characters: a sha512
    // subject's tag holds half of its digest, so it names the subject only
    // together with the index it holds (whose entries' `subject` says it).
    let full = match algorithm {
        "sha256" | "blake3" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return None,
    };
    let lower_hex = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    if encoded.len() != full.min(64) || !lower_hex(encoded) {
        return None;
    }
    let subject = format!("{algorithm}:{encoded}");
    Some(match kind {
        None => AttachmentTag::Fallback { subject },
        Some(kind) => AttachmentTag::Cosign { subject, kind },
    })
}

/// One referrer as an index lists it: the descriptor of its manifest with the
/// artifact type and annotations the spec says to copy from the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referrer {
    pub media_type: String,
    pub digest: String,
    pub size: u64,
    /// The manifest's `artifactType`, else its `config.mediaType`; none for an
    /// index without one.
    pub artifact_type: Option<String>,
    pub annotations: BTreeMap<String, String>,
}

impl Referrer {
    /// The entry for a referrer manifest, built from its own bytes (never
    /// copied from someone else's index, which may lack what the spec asks
    /// for). `None` when the bytes are not a JSON object.
    pub fn of_manifest(media_type: &str, digest: &str, bytes: &[u8]) -> Option<Referrer> {
        let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
        let object = value.as_object()?;
        let text = |pointer: &str| {
            value
                .pointer(pointer)
                .and_then(|v| v.as_str())
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let artifact_type = text("/artifactType").or_else(|| text("/config/mediaType"));
        let annotations = object
            .get("annotations")
            .and_then(|a| a.as_object())
            .map(|a| {
                a.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default();
        Some(Referrer {
            media_type: media_type.to_owned(),
            digest: digest.to_owned(),
            size: bytes.len() as u64,
            artifact_type,
            annotations,
        })
    }

    /// The value of the `org.opencontainers.image.created` annotation.
    pub fn created(&self) -> Option<&str> {
        self.annotations
            .get("org.opencontainers.image.created")
            .map(String::as_str)
    }

    /// The digest of the manifest this one's `subject` names, if any.
    pub fn subject_of(bytes: &[u8]) -> Option<String> {
        let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
        value
            .pointer("/subject/digest")
            .and_then(|d| d.as_str())
            .map(str::to_owned)
    }
}

/// What [`crate::registry::Registry::referrers`] found for one subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// In the order the registry lists them.
    pub referrers: Vec<Referrer>,
    pub via: Via,
    /// With [`Via::FallbackTag`]: the digest of the fallback index read.
    pub index: Option<String>,
    /// Why what the fallback tag holds was not used (not an image index, the
    /// subject itself, ...): the list is then empty (the spec: no referrers).
    pub ignored: Option<String>,
}

/// Where a list of referrers came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The registry's referrers API (`GET /v2/<name>/referrers/<digest>`).
    Api,
    /// The fallback tag's image index (distribution spec, "Referrers Tag Schema").
    FallbackTag,
    /// No API, and no usable fallback index: no referrers.
    Nothing,
}

/// What a change to a subject's referrers did to the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexChange {
    /// The fallback index already said what was asked: nothing written.
    Unchanged,
    /// A new fallback index was written and read back. `replaced`: the index it
    /// replaced when that one is still on the registry, untagged (deletion is
    /// disabled), for the caller to record for `prune --untagged`; `None` when
    /// there was none or it was deleted.
    Written { replaced: Option<String> },
    /// The registry has the referrers API: it keeps its own lists.
    ApiIndexes,
    /// The last entry went: the fallback index was deleted, and its tag with it
    /// (never an empty index written).
    Removed,
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    #[test]
    fn fallback_tags_follow_the_spec_examples() {
        assert_eq!(
            fallback_tag(&format!("sha256:{HEX}")),
            format!("sha256-{HEX}")
        );
        let long = format!("{HEX}{}", "b".repeat(64));
        assert_eq!(
            fallback_tag(&format!("sha512:{long}")),
            format!("sha512-{HEX}")
        );
        // The spec's own example of an algorithm and encoding a tag cannot hold.
        assert_eq!(
            fallback_tag(
                "test+algorithm+using+algorithm+separators:alsoSome=InTheEncodedSectionToShowHyphenReplacementAndLotsAndLotsOfCharactersToTruncate"
            ),
            "test-algorithm-using-algorithm-s-alsoSome-InTheEncodedSectionToShowHyphenReplacementAndLotsAndLot"
        );
    }

    #[test]
    fn attachment_tags_are_told_by_name() {
        let subject = format!("sha256:{HEX}");
        assert_eq!(
            attachment_tag(&format!("sha256-{HEX}")),
            Some(AttachmentTag::Fallback {
                subject: subject.clone()
            })
        );
        assert_eq!(
            attachment_tag(&format!("sha256-{HEX}.sig")),
            Some(AttachmentTag::Cosign {
                subject,
                kind: CosignKind::Signature
            })
        );
        assert!(attachment_tag(&format!("sha512-{HEX}")).is_some());
        for tag in [
            "latest",
            "1.2.3",
            "sha256-abc",
            &format!("sha256-{}", HEX.to_uppercase()),
            &format!("md5-{HEX}"),
            &format!("sha256-{HEX}.tar"),
            &format!("sha256-{HEX}a"),
        ] {
            assert_eq!(attachment_tag(tag), None, "{tag}");
        }
    }

    #[test]
    fn an_entry_takes_the_artifact_type_else_the_config_type_and_every_annotation() {
        let bytes = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
            "config":{"mediaType":"application/vnd.cncf.notary.signature","digest":"sha256:44","size":2},
            "layers":[],"annotations":{"io.cncf.notary.x509chain.thumbprint#S256":"[\"ab\"]","b":"c"},
            "subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:11","size":9}}"#;
        let entry = Referrer::of_manifest(
            "application/vnd.oci.image.manifest.v1+json",
            "sha256:99",
            bytes,
        )
        .unwrap();
        assert_eq!(
            entry.artifact_type.as_deref(),
            Some("application/vnd.cncf.notary.signature")
        );
        assert_eq!(entry.annotations.len(), 2);
        assert_eq!(entry.size, bytes.len() as u64);
        assert_eq!(Referrer::subject_of(bytes).as_deref(), Some("sha256:11"));
        let typed = br#"{"artifactType":"application/spdx+json","config":{"mediaType":"application/vnd.oci.empty.v1+json"}}"#;
        let entry = Referrer::of_manifest("m", "d", typed).unwrap();
        assert_eq!(
            entry.artifact_type.as_deref(),
            Some("application/spdx+json")
        );
        assert!(entry.annotations.is_empty());
        assert_eq!(Referrer::subject_of(typed), None);
    }
}
