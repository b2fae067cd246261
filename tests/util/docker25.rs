//! What Docker 25 and later's `docker save` writes (an OCI layout inside the
//! tar, beside the classic manifest.json), built from layouts skopeo wrote, as
//! no Docker 25 runs on the test machines.

use std::io::Read;
use std::path::Path;

/// One image of a Docker 25 `docker save`: a layout skopeo wrote (`oci:DIR:x`)
/// and the RepoTags docker would list (none: an untagged image).
pub struct Saved<'a> {
    pub layout: &'a Path,
    pub repo_tags: &'a [&'a str],
}

pub fn sha256_of(bytes: &[u8]) -> String {
    format!(
        "sha256:{}",
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(bytes))
    )
}

fn hex_of(digest: &str) -> &str {
    digest.trim_start_matches("sha256:")
}

/// Write what Docker 25 and later's `docker save` writes, following moby's
/// image/tarexport/save.go (v25.0.5): an OCI layout (`oci-layout`, `index.json`
/// with one entry per RepoTag annotated `io.containerd.image.name` = the full
/// reference and `org.opencontainers.image.ref.name` = the tag, an untagged
/// image's entry without annotations, `blobs/sha256/...`) beside the classic
/// `manifest.json` (Config and Layers as `blobs/sha256/HEX` paths, LayerSources)
/// and `repositories`, directories included, files in name order, as
/// archive.Tar walks the export dir. With `graphdriver`, each layer is stored
/// uncompressed under its diff_id and the image gets a new OCI manifest naming
/// those (the classic graph-driver store); without, the layers and manifest
/// are kept as they are (the containerd image store keeps what it pulled).
/// Returns each image's manifest digest.
pub fn docker25_save(images: &[Saved], archive: &Path, graphdriver: bool) -> Vec<String> {
    use std::collections::BTreeMap;
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut items = Vec::new();
    let mut index_entries = Vec::new();
    let mut repositories: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut digests = Vec::new();
    for image in images {
        let blob = |digest: &str| {
            std::fs::read(image.layout.join("blobs/sha256").join(hex_of(digest))).unwrap()
        };
        let index: serde_json::Value =
            serde_json::from_slice(&std::fs::read(image.layout.join("index.json")).unwrap())
                .unwrap();
        let manifest_digest = index["manifests"][0]["digest"].as_str().unwrap().to_owned();
        let manifest_bytes = blob(&manifest_digest);
        let manifest: serde_json::Value = serde_json::from_slice(&manifest_bytes).unwrap();
        let config_digest = manifest["config"]["digest"].as_str().unwrap().to_owned();
        let config_bytes = blob(&config_digest);
        let config: serde_json::Value = serde_json::from_slice(&config_bytes).unwrap();
        let diff_ids: Vec<String> = config["rootfs"]["diff_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap().to_owned())
            .collect();
        files.insert(
            format!("blobs/sha256/{}", hex_of(&config_digest)),
            config_bytes.clone(),
        );
        let mut layer_paths = Vec::new();
        let mut sources = serde_json::Map::new();
        let (manifest_digest, manifest_bytes) = if graphdriver {
            let mut descriptors = Vec::new();
            for (layer, diff_id) in manifest["layers"].as_array().unwrap().iter().zip(&diff_ids) {
                let mut raw = Vec::new();
                flate2::read::GzDecoder::new(blob(layer["digest"].as_str().unwrap()).as_slice())
                    .read_to_end(&mut raw)
                    .unwrap();
                assert_eq!(&sha256_of(&raw), diff_id);
                let size = raw.len();
                files.insert(format!("blobs/sha256/{}", hex_of(diff_id)), raw);
                layer_paths.push(format!("blobs/sha256/{}", hex_of(diff_id)));
                let descriptor = format!(
                    r#"{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{diff_id}","size":{size}}}"#
                );
                sources.insert(diff_id.clone(), serde_json::from_str(&descriptor).unwrap());
                descriptors.push(descriptor);
            }
            // Go's encoding/json: struct fields in declaration order, compact.
            let bytes = format!(
                r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{config_digest}","size":{},"platform":{{"architecture":"{}","os":"{}"}}}},"layers":[{}]}}"#,
                config_bytes.len(),
                config["architecture"].as_str().unwrap(),
                config["os"].as_str().unwrap(),
                descriptors.join(",")
            )
            .into_bytes();
            (sha256_of(&bytes), bytes)
        } else {
            for layer in manifest["layers"].as_array().unwrap() {
                let digest = layer["digest"].as_str().unwrap();
                files.insert(format!("blobs/sha256/{}", hex_of(digest)), blob(digest));
                layer_paths.push(format!("blobs/sha256/{}", hex_of(digest)));
            }
            (manifest_digest, manifest_bytes)
        };
        files.insert(
            format!("blobs/sha256/{}", hex_of(&manifest_digest)),
            manifest_bytes.clone(),
        );
        let descriptor = serde_json::json!({
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": manifest_digest,
            "size": manifest_bytes.len(),
            "platform": {"architecture": config["architecture"], "os": config["os"]},
        });
        if image.repo_tags.is_empty() {
            index_entries.push(descriptor.clone());
        }
        for repo_tag in image.repo_tags {
            let (repository, tag) = repo_tag.rsplit_once(':').unwrap();
            let full = if repository.contains('/') {
                format!("docker.io/{repo_tag}")
            } else {
                format!("docker.io/library/{repo_tag}")
            };
            let mut entry = descriptor.clone();
            entry["annotations"] = serde_json::json!({
                "io.containerd.image.name": full,
                "org.opencontainers.image.ref.name": tag,
            });
            index_entries.push(entry);
            repositories
                .entry(repository.to_owned())
                .or_default()
                .insert(tag.to_owned(), hex_of(diff_ids.last().unwrap()).to_owned());
        }
        let mut item = serde_json::json!({
            "Config": format!("blobs/sha256/{}", hex_of(&config_digest)),
            "RepoTags": image.repo_tags,
            "Layers": layer_paths,
        });
        if !sources.is_empty() {
            item["LayerSources"] = serde_json::Value::Object(sources);
        }
        items.push(item);
        digests.push(manifest_digest);
    }
    files.insert(
        "index.json".into(),
        serde_json::to_vec(&serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": index_entries,
        }))
        .unwrap(),
    );
    let mut manifest_json = serde_json::to_vec(&items).unwrap();
    manifest_json.push(b'\n');
    files.insert("manifest.json".into(), manifest_json);
    if !repositories.is_empty() {
        let mut bytes = serde_json::to_vec(&repositories).unwrap();
        bytes.push(b'\n');
        files.insert("repositories".into(), bytes);
    }
    files.insert(
        "oci-layout".into(),
        br#"{"imageLayoutVersion": "1.0.0"}"#.to_vec(),
    );
    let mut builder = tar::Builder::new(std::fs::File::create(archive).unwrap());
    for dir in ["blobs/", "blobs/sha256/"] {
        let mut header = tar::Header::new_ustar();
        header.set_entry_type(tar::EntryType::Directory);
        header.set_mode(0o755);
        header.set_size(0);
        header.set_mtime(0);
        header.set_cksum();
        builder
            .append_data(&mut header, dir, std::io::empty())
            .unwrap();
    }
    for (name, bytes) in &files {
        let mut header = tar::Header::new_ustar();
        header.set_mode(0o644);
        header.set_size(bytes.len() as u64);
        header.set_mtime(0);
        header.set_cksum();
        builder
            .append_data(&mut header, name, bytes.as_slice())
            .unwrap();
    }
    builder.finish().unwrap();
    digests
}
