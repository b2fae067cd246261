//! Test images: OCI layouts built on disk and pushed with skopeo, an independent
//! client; and skopeo as the oracle for what aseecr wrote.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use sha2::{Digest, Sha256};
use tempfile::TempDir;

use super::registry::{TestRegistry, USER};

pub struct TestImage {
    layout: TempDir,
}

fn digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// Deterministic bytes that do not compress.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.extend_from_slice(&state.to_le_bytes());
    }
    out.truncate(len);
    out
}

impl TestImage {
    /// A one-platform image (linux/amd64) whose layers hold `layer_sizes` bytes each.
    pub fn single(seed: u64, layer_sizes: &[usize]) -> TestImage {
        let image = TestImage::empty();
        let (digest, size) = image.write_image(seed, "linux", "amd64", layer_sizes);
        image.write_index(&[(crate_oci_manifest(), digest, size)]);
        image
    }

    /// A one-platform image (linux/amd64) whose layers are real tar archives, each
    /// holding one file of `layer_sizes` bytes: what `docker load` and `podman
    /// load` can unpack (the other images' layers are bytes that are no tar).
    pub fn loadable(seed: u64, layer_sizes: &[usize]) -> TestImage {
        let image = TestImage::empty();
        let layers: Vec<Vec<u8>> = layer_sizes
            .iter()
            .enumerate()
            .map(|(i, size)| {
                let mut builder = tar::Builder::new(Vec::new());
                let mut header = tar::Header::new_gnu();
                header.set_size(*size as u64);
                header.set_mode(0o644);
                header.set_mtime(1_700_000_000);
                header.set_cksum();
                let data = noise(seed * 1000 + i as u64, *size);
                builder
                    .append_data(
                        &mut header,
                        format!("layer-{seed}-{i}.bin"),
                        data.as_slice(),
                    )
                    .unwrap();
                builder.into_inner().unwrap()
            })
            .collect();
        let (digest, size) =
            image.write_raw_layers(seed, "linux", "amd64", layers, "2026-01-02T03:04:05Z");
        image.write_index(&[(crate_oci_manifest(), digest, size)]);
        image
    }

    /// A one-platform image created at `created` (RFC 3339) from layers given as
    /// `(seed, size)`: the same pair is the same layer, so images can share a base.
    pub fn dated(seed: u64, layers: &[(u64, usize)], created: &str) -> TestImage {
        let image = TestImage::empty();
        let (digest, size) = image.write_layers(seed, "linux", "amd64", layers, created);
        image.write_index(&[(crate_oci_manifest(), digest, size)]);
        image
    }

    /// A multi-platform index, one small image per `os/arch`.
    pub fn multi(seed: u64, platforms: &[(&str, &str)]) -> TestImage {
        let image = TestImage::empty();
        let mut entries = Vec::new();
        for (i, (os, arch)) in platforms.iter().enumerate() {
            let (digest, size) = image.write_image(seed * 100 + i as u64, os, arch, &[2048, 1024]);
            entries.push((crate_oci_manifest(), digest, size, Some((*os, *arch))));
        }
        // An index inside the layout's index.json.
        let manifests: Vec<serde_json::Value> = entries
            .iter()
            .map(|(media_type, digest, size, platform)| {
                let (os, arch) = platform.unwrap();
                serde_json::json!({
                    "mediaType": media_type, "digest": digest, "size": size,
                    "platform": {"os": os, "architecture": arch}
                })
            })
            .collect();
        let index = serde_json::to_vec(&serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": manifests,
        }))
        .unwrap();
        let index_digest = image.write_blob(&index);
        image.write_index(&[(
            "application/vnd.oci.image.index.v1+json",
            index_digest,
            index.len(),
        )]);
        image
    }

    /// Every blob of the layout (manifests, configs, layers) and its size in bytes:
    /// what a registry stores for the image once it is pushed in OCI form.
    pub fn blobs(&self) -> std::collections::BTreeMap<String, u64> {
        std::fs::read_dir(self.layout.path().join("blobs/sha256"))
            .unwrap()
            .map(|entry| {
                let entry = entry.unwrap();
                let name = entry.file_name().to_string_lossy().into_owned();
                (format!("sha256:{name}"), entry.metadata().unwrap().len())
            })
            .collect()
    }

    /// The digest of the top manifest (the image, or the index of `multi`).
    pub fn digest(&self) -> String {
        let index: serde_json::Value =
            serde_json::from_slice(&std::fs::read(self.layout.path().join("index.json")).unwrap())
                .unwrap();
        index["manifests"][0]["digest"].as_str().unwrap().to_owned()
    }

    fn empty() -> TestImage {
        let layout = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(layout.path().join("blobs/sha256")).unwrap();
        std::fs::write(
            layout.path().join("oci-layout"),
            r#"{"imageLayoutVersion":"1.0.0"}"#,
        )
        .unwrap();
        TestImage { layout }
    }

    fn write_blob(&self, bytes: &[u8]) -> String {
        let digest = digest(bytes);
        let path = self
            .layout
            .path()
            .join("blobs/sha256")
            .join(digest.trim_start_matches("sha256:"));
        std::fs::write(path, bytes).unwrap();
        digest
    }

    fn write_image(
        &self,
        seed: u64,
        os: &str,
        arch: &str,
        layer_sizes: &[usize],
    ) -> (String, usize) {
        let layers: Vec<(u64, usize)> = layer_sizes
            .iter()
            .enumerate()
            .map(|(i, size)| (seed * 1000 + i as u64, *size))
            .collect();
        self.write_layers(seed, os, arch, &layers, "2026-01-02T03:04:05Z")
    }

    fn write_layers(
        &self,
        seed: u64,
        os: &str,
        arch: &str,
        layer_seeds: &[(u64, usize)],
        created: &str,
    ) -> (String, usize) {
        let raw = layer_seeds
            .iter()
            .map(|(layer_seed, size)| noise(*layer_seed, *size))
            .collect();
        self.write_raw_layers(seed, os, arch, raw, created)
    }

    /// An image of these uncompressed layers (each stored gzipped), its config
    /// naming their diff_ids.
    fn write_raw_layers(
        &self,
        seed: u64,
        os: &str,
        arch: &str,
        raw_layers: Vec<Vec<u8>>,
        created: &str,
    ) -> (String, usize) {
        let mut layers = Vec::new();
        let mut diff_ids = Vec::new();
        for raw in raw_layers {
            diff_ids.push(digest(&raw));
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(&raw).unwrap();
            let gz = gz.finish().unwrap();
            let d = self.write_blob(&gz);
            layers.push(serde_json::json!({
                "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                "digest": d, "size": gz.len()
            }));
        }
        let config = serde_json::to_vec(&serde_json::json!({
            "architecture": arch, "os": os, "created": created,
            "config": {"Env": [format!("SEED={seed}")]},
            "rootfs": {"type": "layers", "diff_ids": diff_ids}
        }))
        .unwrap();
        let config_digest = self.write_blob(&config);
        let manifest = serde_json::to_vec(&serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config.len()},
            "layers": layers
        }))
        .unwrap();
        let manifest_digest = self.write_blob(&manifest);
        (manifest_digest, manifest.len())
    }

    fn write_index(&self, entries: &[(&str, String, usize)]) {
        let manifests: Vec<serde_json::Value> = entries
            .iter()
            .map(|(media_type, digest, size)| {
                serde_json::json!({
                    "mediaType": media_type, "digest": digest, "size": size,
                    "annotations": {"org.opencontainers.image.ref.name": "latest"}
                })
            })
            .collect();
        std::fs::write(
            self.layout.path().join("index.json"),
            serde_json::to_vec(&serde_json::json!({"schemaVersion": 2, "manifests": manifests}))
                .unwrap(),
        )
        .unwrap();
    }

    pub fn layout(&self) -> &Path {
        self.layout.path()
    }

    /// Push to `registry` as `target` (`repo:tag`); `docker` converts to Docker
    /// schema 2 media types.
    pub fn push(&self, registry: &TestRegistry, target: &str, docker: bool) {
        let mut args: Vec<String> = vec!["copy".into(), "--all".into(), "--quiet".into()];
        if docker {
            args.extend(["--format".into(), "v2s2".into()]);
        }
        args.extend(dest_args(registry));
        args.push(format!("oci:{}:latest", self.layout.path().display()));
        args.push(format!("docker://{}/{target}", registry.addr));
        let output = skopeo(registry, &args);
        assert!(
            output.status.success(),
            "skopeo push of {target} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

fn crate_oci_manifest() -> &'static str {
    "application/vnd.oci.image.manifest.v1+json"
}

fn dest_args(registry: &TestRegistry) -> Vec<String> {
    let mut args = vec![
        "--dest-authfile".into(),
        auth_file(registry).display().to_string(),
    ];
    if registry.tls() {
        args.extend([
            "--dest-cert-dir".into(),
            registry.cert_dir().display().to_string(),
        ]);
    } else {
        args.push("--dest-tls-verify=false".into());
    }
    args
}

fn src_args(registry: &TestRegistry) -> Vec<String> {
    let mut args = vec![
        "--authfile".into(),
        auth_file(registry).display().to_string(),
    ];
    if registry.tls() {
        args.extend([
            "--cert-dir".into(),
            registry.cert_dir().display().to_string(),
        ]);
    } else {
        args.push("--tls-verify=false".into());
    }
    args
}

/// A docker config.json with the test credentials, for skopeo.
pub fn auth_file(registry: &TestRegistry) -> PathBuf {
    let path = registry.dir().join("skopeo-auth.json");
    let password = registry.options.password;
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{password}"));
    std::fs::write(
        &path,
        serde_json::to_vec(&serde_json::json!({"auths": {registry.addr.clone(): {"auth": auth}}}))
            .unwrap(),
    )
    .unwrap();
    path
}

/// Run skopeo with its caches kept in the registry's temp dir.
pub fn skopeo(registry: &TestRegistry, args: &[String]) -> std::process::Output {
    Command::new("skopeo")
        .arg("--insecure-policy")
        .args(args)
        .env("_CONTAINERS_ROOTLESS_UID", "65534")
        .env("XDG_DATA_HOME", registry.dir().join("xdg"))
        .env("TMPDIR", registry.dir())
        .output()
        .expect("run skopeo (apt-get install skopeo)")
}

/// `skopeo inspect --raw` of `target`: the manifest bytes as the registry serves them.
pub fn skopeo_raw(registry: &TestRegistry, target: &str) -> Vec<u8> {
    let mut args = vec!["inspect".into(), "--raw".into()];
    args.extend(src_args(registry));
    args.push(format!("docker://{}/{target}", registry.addr));
    let output = skopeo(registry, &args);
    assert!(
        output.status.success(),
        "skopeo inspect of {target} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// `skopeo inspect --config --raw` of `target`: the image config's bytes.
pub fn skopeo_config(registry: &TestRegistry, target: &str) -> Vec<u8> {
    let mut args = vec!["inspect".into(), "--config".into(), "--raw".into()];
    args.extend(src_args(registry));
    args.push(format!("docker://{}/{target}", registry.addr));
    let output = skopeo(registry, &args);
    assert!(
        output.status.success(),
        "skopeo inspect --config of {target} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// The digest skopeo computes for `target`.
pub fn skopeo_digest(registry: &TestRegistry, target: &str) -> String {
    digest(&skopeo_raw(registry, target))
}

/// The tags of `repository`, as `skopeo list-tags` lists them.
pub fn skopeo_tags(registry: &TestRegistry, repository: &str) -> Vec<String> {
    let mut args = vec!["list-tags".into()];
    args.extend(src_args(registry));
    args.push(format!("docker://{}/{repository}", registry.addr));
    let output = skopeo(registry, &args);
    assert!(
        output.status.success(),
        "skopeo list-tags of {repository} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let listed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    listed["Tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_owned())
        .collect()
}

/// Whether skopeo finds `target`.
pub fn skopeo_exists(registry: &TestRegistry, target: &str) -> bool {
    let mut args = vec!["inspect".into(), "--raw".into()];
    args.extend(src_args(registry));
    args.push(format!("docker://{}/{target}", registry.addr));
    skopeo(registry, &args).status.success()
}

/// Whether skopeo can pull `target` whole (manifest and every blob) into a layout.
pub fn skopeo_pulls(registry: &TestRegistry, target: &str) -> bool {
    skopeo_pull_digest(registry, target).is_some()
}

/// Pull `target` whole with skopeo (manifest and every blob, unchanged) and
/// return the digest of its top manifest; `None` when it cannot be pulled.
pub fn skopeo_pull_digest(registry: &TestRegistry, target: &str) -> Option<String> {
    let out = registry
        .dir()
        .join(format!("pull-{}", target.replace(['/', ':'], "_")));
    let _ = std::fs::remove_dir_all(&out);
    let mut args = vec!["copy".into(), "--all".into()];
    args.extend(
        src_args(registry)
            .into_iter()
            .map(|a| a.replace("--cert-dir", "--src-cert-dir"))
            .map(|a| a.replace("--tls-verify", "--src-tls-verify"))
            .map(|a| a.replace("--authfile", "--src-authfile")),
    );
    args.push(format!("docker://{}/{target}", registry.addr));
    args.push(format!("oci:{}:x", out.display()));
    if !skopeo(registry, &args).status.success() {
        return None;
    }
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("index.json")).ok()?).ok()?;
    index["manifests"][0]["digest"].as_str().map(str::to_owned)
}

/// The layer digests of an image manifest, as skopeo reads them.
pub fn layer_digests(registry: &TestRegistry, target: &str) -> Vec<String> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&skopeo_raw(registry, target)).unwrap();
    manifest["layers"]
        .as_array()
        .expect("an image manifest")
        .iter()
        .map(|l| l["digest"].as_str().unwrap().to_owned())
        .collect()
}

/// Push blobs and a manifest with plain HTTP requests (POST + PUT per blob), for
/// manifests skopeo will not write, such as ones with foreign layers.
pub fn raw_push(
    registry: &TestRegistry,
    repository: &str,
    tag: &str,
    blobs: &[Vec<u8>],
    manifest: &[u8],
    media_type: &str,
) {
    assert!(!registry.tls(), "raw_push speaks plain HTTP");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let base = format!("http://{}/v2/{repository}", registry.addr);
        for blob in blobs {
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
                .put(format!("{url}{separator}digest={}", digest(blob)))
                .body(blob.clone())
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 201);
        }
        let response = client
            .put(format!("{base}/manifests/{tag}"))
            .header("content-type", media_type)
            .body(manifest.to_vec())
            .send()
            .await
            .unwrap();
        let status = response.status();
        assert_eq!(status, 201, "{}", response.text().await.unwrap());
    });
}
