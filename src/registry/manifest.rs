//! Manifests: media types, the Accept list every manifest request sends, digests,
//! and parsing into images and indexes (via oci-client's manifest types).

use bytes::Bytes;
use oci_client::manifest::{
    IMAGE_MANIFEST_LIST_MEDIA_TYPE, IMAGE_MANIFEST_MEDIA_TYPE, OCI_IMAGE_INDEX_MEDIA_TYPE,
    OCI_IMAGE_MEDIA_TYPE, OciImageIndex, OciImageManifest,
};
use sha2::{Digest as _, Sha256, Sha512};

use super::limits::MAX_MANIFESTS;
use crate::error::{Error, Kind};

pub const OCI_INDEX: &str = OCI_IMAGE_INDEX_MEDIA_TYPE;
pub const OCI_MANIFEST: &str = OCI_IMAGE_MEDIA_TYPE;
pub const DOCKER_LIST: &str = IMAGE_MANIFEST_LIST_MEDIA_TYPE;
pub const DOCKER_MANIFEST: &str = IMAGE_MANIFEST_MEDIA_TYPE;
pub const DOCKER_SCHEMA1: &str = "application/vnd.docker.distribution.manifest.v1+json";
pub const DOCKER_SCHEMA1_SIGNED: &str = "application/vnd.docker.distribution.manifest.v1+prettyjws";

/// Sent on every manifest request, so that a tag resolves to the digest that
/// really exists (distribution converts or hides manifests whose type is missing).
pub const ACCEPT: &str = "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json";

/// `sha256:<hex>` of some bytes.
pub fn sha256_digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// Hashes bytes with the algorithm of a digest (`sha256:` or `sha512:`, the two
/// that references accept), to check them against it.
#[derive(Clone)]
pub enum Hasher {
    Sha256(Sha256),
    Sha512(Sha512),
}

impl Hasher {
    /// A hasher for `digest`'s algorithm; None for any other algorithm.
    pub fn for_digest(digest: &str) -> Option<Hasher> {
        if digest.starts_with("sha256:") {
            Some(Hasher::Sha256(Sha256::new()))
        } else if digest.starts_with("sha512:") {
            Some(Hasher::Sha512(Sha512::new()))
        } else {
            None
        }
    }

    pub fn update(&mut self, bytes: &[u8]) {
        match self {
            Hasher::Sha256(h) => h.update(bytes),
            Hasher::Sha512(h) => h.update(bytes),
        }
    }

    /// `algorithm:hex` of everything hashed so far.
    pub fn digest(&self) -> String {
        match self {
            Hasher::Sha256(h) => format!("sha256:{}", hex::encode(h.clone().finalize())),
            Hasher::Sha512(h) => format!("sha512:{}", hex::encode(h.clone().finalize())),
        }
    }
}

/// Whether `bytes` hash to `digest`; false for an algorithm aseecr does not know.
pub fn matches_digest(digest: &str, bytes: &[u8]) -> bool {
    Hasher::for_digest(digest).is_some_and(|mut hasher| {
        hasher.update(bytes);
        hasher.digest() == digest
    })
}

/// What a reference points at: digest, media type, size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Descriptor {
    pub digest: String,
    pub media_type: String,
    pub size: u64,
}

/// A manifest exactly as the registry sent it.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub bytes: Bytes,
    pub media_type: String,
    pub digest: String,
}

/// A manifest's content, parsed.
#[derive(Debug, Clone)]
pub enum Content {
    Image(Box<OciImageManifest>),
    Index(OciImageIndex),
}

impl Manifest {
    /// Build from bytes and the Content-Type header, computing the digest.
    pub fn new(bytes: Bytes, content_type: Option<&str>) -> Manifest {
        let declared = content_type
            .map(|t| t.split(';').next().unwrap_or(t).trim().to_owned())
            .filter(|t| !t.is_empty() && t != "application/json" && t != "text/plain");
        let media_type = declared.unwrap_or_else(|| media_type_field(&bytes));
        let digest = sha256_digest(&bytes);
        Manifest {
            bytes,
            media_type,
            digest,
        }
    }

    pub fn descriptor(&self) -> Descriptor {
        Descriptor {
            digest: self.digest.clone(),
            media_type: self.media_type.clone(),
            size: self.bytes.len() as u64,
        }
    }

    /// Parse the manifest. Schema 1 and unknown types are clear errors.
    pub fn content(&self) -> Result<Content, Error> {
        match self.media_type.as_str() {
            OCI_INDEX | DOCKER_LIST => {
                let index: OciImageIndex =
                    serde_json::from_slice(&self.bytes).map_err(|err| self.invalid(err))?;
                // Whoever walks it (mirror, inspect, delete) fetches per entry.
                if index.manifests.len() > MAX_MANIFESTS {
                    return Err(Error::new(
                        Kind::RegistryRefused,
                        format!(
                            "index {} has {} entries, more than the {MAX_MANIFESTS} aseecr reads",
                            self.digest,
                            index.manifests.len()
                        ),
                    ));
                }
                Ok(Content::Index(index))
            }
            OCI_MANIFEST | DOCKER_MANIFEST => serde_json::from_slice(&self.bytes)
                .map(|m| Content::Image(Box::new(m)))
                .map_err(|err| self.invalid(err)),
            DOCKER_SCHEMA1 | DOCKER_SCHEMA1_SIGNED => Err(Error::usage(format!(
                "manifest {} uses the deprecated Docker schema 1 format, which aseecr does not handle",
                self.digest
            ))
            .help("rebuild or re-push the image with a current client to get a schema 2 or OCI manifest")),
            other => Err(Error::usage(format!(
                "manifest {} has media type `{other}`, which is not an image manifest or index",
                self.digest
            ))),
        }
    }

    fn invalid(&self, err: serde_json::Error) -> Error {
        Error::new(
            Kind::Failed,
            format!(
                "manifest {} ({}) is not valid: {err}",
                self.digest, self.media_type
            ),
        )
    }
}

fn media_type_field(bytes: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct Probe {
        #[serde(rename = "mediaType")]
        media_type: Option<String>,
        #[serde(rename = "schemaVersion")]
        schema_version: Option<u32>,
        manifests: Option<serde_json::Value>,
    }
    match serde_json::from_slice::<Probe>(bytes) {
        Ok(Probe {
            media_type: Some(media_type),
            ..
        }) => media_type,
        Ok(Probe {
            schema_version: Some(1),
            ..
        }) => DOCKER_SCHEMA1.to_owned(),
        Ok(Probe {
            manifests: Some(_), ..
        }) => OCI_INDEX.to_owned(),
        _ => OCI_MANIFEST.to_owned(),
    }
}

/// `os/arch[/variant]` of an index entry.
pub fn platform_string(platform: &oci_client::manifest::Platform) -> String {
    let mut text = format!("{}/{}", platform.os, platform.architecture);
    if let Some(variant) = platform.variant.as_deref().filter(|v| !v.is_empty()) {
        text.push('/');
        text.push_str(variant);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_type_from_header_or_body() {
        let body = Bytes::from_static(br#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"a","digest":"sha256:00","size":1},"layers":[]}"#);
        let m = Manifest::new(body.clone(), Some("application/json"));
        assert_eq!(m.media_type, DOCKER_MANIFEST);
        assert!(matches!(m.content().unwrap(), Content::Image(_)));
        assert_eq!(m.digest, sha256_digest(&body));
        let m = Manifest::new(
            Bytes::from_static(br#"{"schemaVersion":1,"name":"x"}"#),
            None,
        );
        assert_eq!(m.media_type, DOCKER_SCHEMA1);
        let err = m.content().unwrap_err();
        assert_eq!(err.kind, Kind::Usage, "{}", err.message);
        let m = Manifest::new(
            Bytes::from_static(br#"{"schemaVersion":2,"manifests":[]}"#),
            None,
        );
        assert!(matches!(m.content().unwrap(), Content::Index(_)));
    }

    #[test]
    fn digests_are_checked_in_their_own_algorithm() {
        let sha512 = format!("sha512:{}", hex::encode(Sha512::digest(b"x")));
        assert!(matches_digest(&sha512, b"x"));
        assert!(!matches_digest(&sha512, b"y"));
        assert!(matches_digest(&sha256_digest(b"x"), b"x"));
        assert!(!matches_digest(
            "md5:9dd4e461268c8034f5c8564e155c67a6",
            b"x"
        ));
    }

    #[test]
    fn accept_lists_all_four_types() {
        for t in [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST] {
            assert!(ACCEPT.contains(t));
        }
    }
}
