//! Referrers made in the tests, following the specs and not aseecr's code: an
//! SPDX SBOM artifact, a notation-style signature, a signature on the SBOM (a
//! referrer of a referrer), a cosign-style `.sig` tag, and fallback indexes
//! written as the distribution spec says (also ggcr's way: entries without
//! annotations, sorted by digest). Also an independent reader of referrers
//! (the API, then the fallback tag on 404), and the referrers API as the test
//! proxy emulates it over distribution 2.8 (no OCI 1.1 registry can be
//! installed here: zot, distribution 3 and regctl are in neither Debian nor
//! PyPI).
//!
//! Everything speaks plain HTTP to an anonymous registry ([`TestRegistry::plain`]).

use std::collections::BTreeMap;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::registry::TestRegistry;

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const EMPTY_TYPE: &str = "application/vnd.oci.empty.v1+json";
pub const NOTATION: &str = "application/vnd.cncf.notary.signature";
pub const SPDX: &str = "application/spdx+json";
pub const COSIGN_LAYER: &str = "application/vnd.dev.cosign.simplesigning.v1+json";
pub const CREATED: &str = "org.opencontainers.image.created";
pub const THUMBPRINT: &str = "io.cncf.notary.x509chain.thumbprint#S256";
/// Every manifest type, as a registry client must ask (2.8 hides OCI content otherwise).
pub const ACCEPT: &str = "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json";

pub fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// The fallback tag of a digest (distribution spec, "Referrers Tag Schema"):
/// algorithm cut to 32, `-`, encoded part cut to 64, characters outside
/// `[a-zA-Z0-9._-]` replaced by `-`.
pub fn tag_for(digest: &str) -> String {
    let (alg, enc) = digest.split_once(':').unwrap();
    let alg: String = alg.chars().take(32).collect();
    let enc: String = enc.chars().take(64).collect();
    format!("{alg}-{enc}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// A manifest as pushed: its descriptor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pushed {
    pub media_type: String,
    pub digest: String,
    pub size: u64,
    pub bytes: Vec<u8>,
}

impl Pushed {
    pub fn descriptor(&self) -> Value {
        json!({"mediaType": self.media_type, "digest": self.digest, "size": self.size})
    }

    /// The fallback-index entry the spec asks for: the descriptor with the
    /// manifest's `artifactType` (else `config.mediaType`) and all its annotations.
    pub fn entry(&self) -> Value {
        let manifest: Value = serde_json::from_slice(&self.bytes).unwrap();
        let mut entry = self.descriptor();
        let artifact_type = manifest["artifactType"]
            .as_str()
            .or(manifest["config"]["mediaType"].as_str());
        if let Some(t) = artifact_type {
            entry["artifactType"] = t.into();
        }
        if let Some(a) = manifest.get("annotations") {
            entry["annotations"] = a.clone();
        }
        entry
    }
}

/// What [`attach`] hung off a subject.
#[derive(Debug, Clone)]
pub struct Attached {
    pub subject: Pushed,
    pub sbom: Pushed,
    pub signature: Pushed,
    /// A notation signature whose subject is the SBOM.
    pub sbom_signature: Pushed,
    /// The cosign signature manifest at `sha256-<subject hex>.sig`.
    pub cosign: Pushed,
    pub cosign_tag: String,
}

/// Blocking HTTP for the fixtures (a runtime per call: tests are synchronous).
fn block<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

fn base(registry: &TestRegistry, repository: &str) -> String {
    assert!(!registry.tls(), "the referrer fixtures speak plain HTTP");
    format!("http://{}/v2/{repository}", registry.addr)
}

/// Upload a blob (POST, then PUT with the digest).
pub fn push_blob(registry: &TestRegistry, repository: &str, blob: &[u8]) -> String {
    let base = base(registry, repository);
    let digest = sha256(blob);
    block(async {
        let client = reqwest::Client::new();
        let response = client
            .post(format!("{base}/blobs/uploads/"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 202);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let url = if location.starts_with("http") {
            location
        } else {
            format!("http://{}{location}", registry.addr)
        };
        let separator = if url.contains('?') { '&' } else { '?' };
        let response = client
            .put(format!("{url}{separator}digest={digest}"))
            .body(blob.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
    });
    digest
}

/// PUT a manifest at `reference` (a tag or its digest).
pub fn push_manifest(
    registry: &TestRegistry,
    repository: &str,
    reference: &str,
    media_type: &str,
    bytes: &[u8],
) -> Pushed {
    let base = base(registry, repository);
    block(async {
        let response = reqwest::Client::new()
            .put(format!("{base}/manifests/{reference}"))
            .header("content-type", media_type)
            .body(bytes.to_vec())
            .send()
            .await
            .unwrap();
        let status = response.status();
        assert_eq!(status, 201, "{}", response.text().await.unwrap());
    });
    Pushed {
        media_type: media_type.to_owned(),
        digest: sha256(bytes),
        size: bytes.len() as u64,
        bytes: bytes.to_vec(),
    }
}

/// GET a manifest with the full Accept list: `None` on 404.
pub fn get_manifest(registry: &TestRegistry, repository: &str, reference: &str) -> Option<Pushed> {
    let base = base(registry, repository);
    block(async {
        let response = reqwest::Client::new()
            .get(format!("{base}/manifests/{reference}"))
            .header("accept", ACCEPT)
            .send()
            .await
            .unwrap();
        if response.status() == 404 {
            return None;
        }
        assert_eq!(response.status(), 200);
        let media_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        let bytes = response.bytes().await.unwrap().to_vec();
        Some(Pushed {
            media_type,
            digest: sha256(&bytes),
            size: bytes.len() as u64,
            bytes,
        })
    })
}

/// The 2-byte empty config `{}`, pushed; its descriptor.
fn empty_config(registry: &TestRegistry, repository: &str) -> Value {
    let digest = push_blob(registry, repository, b"{}");
    json!({"mediaType": EMPTY_TYPE, "digest": digest, "size": 2})
}

/// An artifact manifest (empty config, one layer of `layer_bytes`) with
/// `artifactType`, `subject` and annotations, pushed by digest (untagged).
pub fn push_artifact(
    registry: &TestRegistry,
    repository: &str,
    artifact_type: &str,
    layer: (&str, &[u8]),
    subject: &Pushed,
    annotations: &[(&str, &str)],
) -> Pushed {
    let config = empty_config(registry, repository);
    let layer_digest = push_blob(registry, repository, layer.1);
    let annotations: BTreeMap<&str, &str> = annotations.iter().copied().collect();
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "artifactType": artifact_type,
        "config": config,
        "layers": [{"mediaType": layer.0, "digest": layer_digest, "size": layer.1.len()}],
        "subject": subject.descriptor(),
        "annotations": annotations,
    });
    let bytes = serde_json::to_vec(&manifest).unwrap();
    push_manifest(registry, repository, &sha256(&bytes), OCI_MANIFEST, &bytes)
}

/// An SPDX SBOM artifact on `subject` (oras-attach style).
pub fn push_sbom(registry: &TestRegistry, repository: &str, subject: &Pushed) -> Pushed {
    let sbom = format!(
        r#"{{"spdxVersion":"SPDX-2.3","name":"{}"}}"#,
        &subject.digest[7..19]
    );
    push_artifact(
        registry,
        repository,
        SPDX,
        (SPDX, sbom.as_bytes()),
        subject,
        &[(CREATED, "2026-12-07T00:00:00Z")],
    )
}

/// A notation-style signature on `subject` (a COSE layer; the bytes need not
/// be a valid envelope), signed by `signer` (the thumbprint annotation).
pub fn push_signature(
    registry: &TestRegistry,
    repository: &str,
    subject: &Pushed,
    signer: &str,
) -> Pushed {
    let envelope = format!("cose-envelope-of-{}", subject.digest);
    let thumbprints = format!("[\"{}\"]", hex::encode(Sha256::digest(signer.as_bytes())));
    push_artifact(
        registry,
        repository,
        NOTATION,
        ("application/cose", envelope.as_bytes()),
        subject,
        &[
            (CREATED, "2026-12-07T01:02:03Z"),
            (THUMBPRINT, &thumbprints),
        ],
    )
}

/// A cosign-style signature of `subject` at tag `sha256-<hex>.sig`: an image
/// manifest without `subject`, its layer a simple-signing payload.
pub fn push_cosign(
    registry: &TestRegistry,
    repository: &str,
    subject: &Pushed,
) -> (Pushed, String) {
    let payload = format!(
        r#"{{"critical":{{"identity":{{"docker-reference":"{}/{repository}"}},"image":{{"docker-manifest-digest":"{}"}},"type":"cosign container image signature"}},"optional":null}}"#,
        registry.addr, subject.digest
    );
    let config =
        br#"{"architecture":"","os":"","config":{},"rootfs":{"type":"layers","diff_ids":[]}}"#;
    let config_digest = push_blob(registry, repository, config);
    let layer_digest = push_blob(registry, repository, payload.as_bytes());
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config.len()},
        "layers": [{"mediaType": COSIGN_LAYER, "digest": layer_digest, "size": payload.len(),
            "annotations": {"dev.cosignproject.cosign/signature": "MEUCIQDtest"}}],
    });
    let bytes = serde_json::to_vec(&manifest).unwrap();
    let tag = format!("{}.sig", tag_for(&subject.digest));
    (
        push_manifest(registry, repository, &tag, OCI_MANIFEST, &bytes),
        tag,
    )
}

/// Write `subject`'s fallback index listing `entries`, as the spec says.
pub fn write_index(
    registry: &TestRegistry,
    repository: &str,
    subject: &str,
    entries: &[Value],
) -> Pushed {
    let index = json!({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": entries});
    let bytes = serde_json::to_vec(&index).unwrap();
    push_manifest(registry, repository, &tag_for(subject), OCI_INDEX, &bytes)
}

/// Write the fallback index the way ggcr (cosign) does: entries with
/// artifactType but no annotations, sorted by digest.
pub fn write_ggcr_index(
    registry: &TestRegistry,
    repository: &str,
    subject: &str,
    referrers: &[&Pushed],
) -> Pushed {
    let mut entries: Vec<Value> = referrers
        .iter()
        .map(|r| {
            let mut e = r.entry();
            e.as_object_mut().unwrap().remove("annotations");
            e
        })
        .collect();
    entries.sort_by(|a, b| a["digest"].as_str().cmp(&b["digest"].as_str()));
    write_index(registry, repository, subject, &entries)
}

/// Hang an SBOM, a signature, a signature on the SBOM and a cosign `.sig` tag
/// off `repository@subject` (the subject must be there), with the fallback
/// indexes of the subject and of the SBOM written by the spec.
pub fn attach(registry: &TestRegistry, repository: &str, subject: &str) -> Attached {
    let subject = get_manifest(registry, repository, subject).expect("the subject is pushed");
    let sbom = push_sbom(registry, repository, &subject);
    let signature = push_signature(registry, repository, &subject, "release-signer");
    let sbom_signature = push_signature(registry, repository, &sbom, "sbom-signer");
    let (cosign, cosign_tag) = push_cosign(registry, repository, &subject);
    write_index(
        registry,
        repository,
        &subject.digest,
        &[sbom.entry(), signature.entry()],
    );
    write_index(
        registry,
        repository,
        &sbom.digest,
        &[sbom_signature.entry()],
    );
    Attached {
        subject,
        sbom,
        signature,
        sbom_signature,
        cosign,
        cosign_tag,
    }
}

/// How [`list`] found a subject's referrers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Api,
    Tag,
    Nothing,
}

/// The referrers of `digest` as a client written from the spec reads them at
/// `http://addr` (a registry or the proxy): the API (every `Link` page), and
/// on 404 the fallback tag (full Accept list), used only when it is an OCI
/// index other than the subject.
pub fn list(addr: &str, repository: &str, digest: &str) -> (Found, Vec<Value>) {
    block(async {
        let client = reqwest::Client::new();
        let mut url = format!("http://{addr}/v2/{repository}/referrers/{digest}");
        let mut entries = Vec::new();
        loop {
            let response = client
                .get(&url)
                .header("accept", OCI_INDEX)
                .send()
                .await
                .unwrap();
            if response.status() == 404 {
                break;
            }
            assert_eq!(response.status(), 200, "referrers API of {digest}");
            let link = response
                .headers()
                .get("link")
                .map(|l| l.to_str().unwrap().to_owned());
            let page: Value = response.json().await.unwrap();
            entries.extend(page["manifests"].as_array().unwrap().iter().cloned());
            match link {
                Some(link) => {
                    let target = link.split(';').next().unwrap().trim();
                    let target = target.trim_start_matches('<').trim_end_matches('>');
                    url = if target.starts_with("http") {
                        target.to_owned()
                    } else {
                        format!("http://{addr}{target}")
                    };
                }
                None => return (Found::Api, entries),
            }
        }
        let response = client
            .get(format!(
                "http://{addr}/v2/{repository}/manifests/{}",
                tag_for(digest)
            ))
            .header("accept", ACCEPT)
            .send()
            .await
            .unwrap();
        if response.status() == 404 {
            return (Found::Nothing, Vec::new());
        }
        assert_eq!(response.status(), 200);
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        let bytes = response.bytes().await.unwrap();
        let index: Value = serde_json::from_slice(&bytes).unwrap();
        if content_type != OCI_INDEX || sha256(&bytes) == digest || index["mediaType"] != OCI_INDEX
        {
            return (Found::Nothing, Vec::new());
        }
        (Found::Tag, index["manifests"].as_array().unwrap().clone())
    })
}

/// Every referrer reachable from `digest`, referrers of referrers included, as
/// `(depth, subject, entry)`, depth first in listed order.
pub fn walk(addr: &str, repository: &str, digest: &str) -> Vec<(usize, String, Value)> {
    let mut out = Vec::new();
    let mut stack = vec![(1, digest.to_owned())];
    while let Some((depth, subject)) = stack.pop() {
        let (_, entries) = list(addr, repository, &subject);
        for entry in entries.iter().rev() {
            stack.push((depth + 1, entry["digest"].as_str().unwrap().to_owned()));
        }
        for entry in entries {
            out.push((depth, subject.clone(), entry));
        }
        assert!(out.len() < 1000, "referrers loop");
    }
    out
}

/// The referrers API as the test proxy emulates it over distribution 2.8
/// (`upstream`, plain HTTP): the fallback index's entries, `artifactType`
/// filter applied (and said so), `page` entries per page with `Link`.
/// Returns status, headers and body.
pub async fn emulate_list(
    client: &reqwest::Client,
    upstream: &str,
    path: &str,
    query: Option<&str>,
    page: usize,
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let rest = path.trim_start_matches("/v2/");
    let (repository, digest) = rest.split_once("/referrers/").unwrap();
    let index = fetch_index(client, upstream, repository, digest).await;
    let pairs: Vec<(String, String)> = query
        .unwrap_or("")
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let filter = pairs
        .iter()
        .find(|(k, _)| k == "artifactType")
        .map(|(_, v)| {
            v.replace("%2F", "/")
                .replace("%2B", "+")
                .replace("%2f", "/")
                .replace("%2b", "+")
        });
    let start: usize = pairs
        .iter()
        .find(|(k, _)| k == "start")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let entries: Vec<Value> = index
        .into_iter()
        .filter(|e| {
            filter
                .as_ref()
                .is_none_or(|f| e["artifactType"] == f.as_str())
        })
        .collect();
    let end = (start + page.max(1)).min(entries.len());
    let body = json!({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": entries[start.min(end)..end]});
    let mut headers = vec![("content-type".to_owned(), OCI_INDEX.to_owned())];
    if filter.is_some() {
        headers.push(("oci-filters-applied".into(), "artifactType".into()));
    }
    if end < entries.len() {
        let mut next = format!("{path}?start={end}");
        if let Some((_, f)) = pairs.iter().find(|(k, _)| k == "artifactType") {
            next.push_str(&format!("&artifactType={f}"));
        }
        headers.push(("link".into(), format!("<{next}>; rel=\"next\"")));
    }
    (200, headers, serde_json::to_vec(&body).unwrap())
}

/// The entries of `digest`'s fallback index upstream (none when missing).
async fn fetch_index(
    client: &reqwest::Client,
    upstream: &str,
    repository: &str,
    digest: &str,
) -> Vec<Value> {
    let response = client
        .get(format!(
            "http://{upstream}/v2/{repository}/manifests/{}",
            tag_for(digest)
        ))
        .header("accept", ACCEPT)
        .send()
        .await
        .unwrap();
    if !response.status().is_success() {
        return Vec::new();
    }
    let index: Value = response.json().await.unwrap_or(Value::Null);
    index["manifests"].as_array().cloned().unwrap_or_default()
}

/// After a manifest PUT the emulated registry accepted: when the manifest has
/// a `subject`, add it to the subject's fallback index upstream (the
/// emulation's own store) and return the subject digest for `OCI-Subject`.
pub async fn emulate_put(
    client: &reqwest::Client,
    upstream: &str,
    path: &str,
    media_type: &str,
    body: &[u8],
) -> Option<String> {
    let manifest: Value = serde_json::from_slice(body).ok()?;
    let subject = manifest["subject"]["digest"].as_str()?.to_owned();
    let repository = path.trim_start_matches("/v2/").split_once("/manifests/")?.0;
    let mut entries = fetch_index(client, upstream, repository, &subject).await;
    let digest = sha256(body);
    if !entries.iter().any(|e| e["digest"] == digest.as_str()) {
        let pushed = Pushed {
            media_type: media_type.to_owned(),
            digest,
            size: body.len() as u64,
            bytes: body.to_vec(),
        };
        entries.push(pushed.entry());
        let index = json!({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": entries});
        let response = client
            .put(format!(
                "http://{upstream}/v2/{repository}/manifests/{}",
                tag_for(&subject)
            ))
            .header("content-type", OCI_INDEX)
            .body(serde_json::to_vec(&index).unwrap())
            .send()
            .await
            .ok()?;
        assert!(
            response.status().is_success(),
            "the emulation's index write"
        );
    }
    Some(subject)
}

/// Two copies of one image, `race-a:1` and `race-b:1` on `source` (plain
/// HTTP), that differ only in what hangs off them: an SBOM on the first, a
/// signature on the second (each with its fallback index). Returns the
/// subject digest and the two referrer digests.
pub fn race_sources(source: &TestRegistry) -> (String, String, String) {
    let image = super::TestImage::single(2121, &[1024]);
    image.push(source, "race-a:1", false);
    image.push(source, "race-b:1", false);
    let a = get_manifest(source, "race-a", "1").unwrap();
    let b = get_manifest(source, "race-b", "1").unwrap();
    assert_eq!(a.digest, b.digest);
    let sbom = push_sbom(source, "race-a", &a);
    write_index(source, "race-a", &a.digest, &[sbom.entry()]);
    let signature = push_signature(source, "race-b", &b, "race-signer");
    write_index(source, "race-b", &b.digest, &[signature.entry()]);
    (a.digest, sbom.digest, signature.digest)
}

/// Issue #21's race: `rounds` times, two aseecr runs started at once, made by
/// `run(source_reference, destination_repository)` with `race-a:1` and
/// `race-b:1` of [`race_sources`], copy into the same fresh repository of
/// `destination` (plain HTTP, read with the spec reader). Both must succeed
/// and the subject's fallback index there must list both referrers. The runs
/// must share one configuration folder (one `Home`): the lock file that makes
/// them take turns lives there.
pub fn race_two_runs(
    source: &TestRegistry,
    destination: &TestRegistry,
    rounds: usize,
    run: impl Fn(&str, &str) -> super::cmd::Aseecr,
) {
    let (subject, sbom, signature) = race_sources(source);
    for round in 0..rounds {
        let repository = format!("race/r{round}");
        let children: Vec<std::process::Child> = ["race-a:1", "race-b:1"]
            .iter()
            .map(|from| run(&format!("{}/{from}", source.addr), &repository).spawn())
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let (found, entries) = list(&destination.addr, &repository, &subject);
        let digests: Vec<&str> = entries
            .iter()
            .map(|e| e["digest"].as_str().unwrap())
            .collect();
        assert_eq!(found, Found::Tag, "round {round}");
        assert!(
            digests.contains(&sbom.as_str()) && digests.contains(&signature.as_str()),
            "round {round}: the fallback index lists {digests:?}, not both {sbom} and {signature}"
        );
    }
}

/// PUT a manifest at `http://addr/v2/<repository>/manifests/<reference>` (a
/// registry or the proxy): the status and the `OCI-Subject` header, if any.
pub fn put_at(
    addr: &str,
    repository: &str,
    reference: &str,
    media_type: &str,
    bytes: &[u8],
) -> (u16, Option<String>) {
    block(async {
        let response = reqwest::Client::new()
            .put(format!(
                "http://{addr}/v2/{repository}/manifests/{reference}"
            ))
            .header("content-type", media_type)
            .body(bytes.to_vec())
            .send()
            .await
            .unwrap();
        let subject = response
            .headers()
            .get("oci-subject")
            .map(|v| v.to_str().unwrap().to_owned());
        (response.status().as_u16(), subject)
    })
}
