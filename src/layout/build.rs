//! A single-layer image built from local files (aseecr's own container image):
//! the layer tar (deterministic: sorted, fixed times, owner 0:0, gzip without a
//! name or time), its config and its OCI manifest are made in memory and served
//! as a copy [`Source`], so the layout [`Writer`](super::write::Writer) writes
//! them as it writes any copied image: blobs verified, `index.json` last.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use anyhow::{Context, Result};
use bytes::Bytes;
use futures_util::future::BoxFuture;
use serde_json::json;

use crate::error::{Error, Kind};
use crate::registry::Reference;
use crate::registry::copy::{BlobStream, Source};
use crate::registry::manifest::{Manifest, sha256_digest};

const MANIFEST_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";
const CONFIG_TYPE: &str = "application/vnd.oci.image.config.v1+json";
const LAYER_TYPE: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
/// The name the built image has as a source, in messages.
const SOURCE_NAME: &str = "built image";

/// One file of the layer.
#[derive(Debug, Clone)]
pub struct LayerFile {
    /// The path in the image, relative (`usr/local/bin/aseecr`).
    pub path: String,
    pub mode: u32,
    pub bytes: Vec<u8>,
}

/// What goes into the image.
#[derive(Debug, Clone)]
pub struct ImageSpec {
    pub files: Vec<LayerFile>,
    /// Directories to create even when no file is in them: (path, mode).
    pub dirs: Vec<(String, u32)>,
    /// `linux/amd64`, as `os` and `architecture`.
    pub os: String,
    pub architecture: String,
    /// Seconds since 1970: every file's time and the config's `created`.
    pub created: i64,
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub env: Vec<String>,
    /// `UID:GID`.
    pub user: String,
    pub working_dir: String,
    /// Config labels, also the manifest's annotations.
    pub labels: BTreeMap<String, String>,
}

/// The built image: its manifest, and its config and layer by digest.
pub struct BuiltImage {
    manifest: Manifest,
    blobs: HashMap<String, Bytes>,
    /// The layer's size, compressed.
    pub layer_size: u64,
}

impl BuiltImage {
    /// Make the layer, config and manifest of `spec`.
    pub fn build(spec: &ImageSpec) -> Result<BuiltImage> {
        let tar = layer_tar(spec)?;
        let diff_id = sha256_digest(&tar);
        let mut encoder = flate2::GzBuilder::new()
            .mtime(0)
            .write(Vec::new(), flate2::Compression::default());
        encoder.write_all(&tar)?;
        let layer = Bytes::from(encoder.finish()?);
        drop(tar);
        let created = chrono::DateTime::from_timestamp(spec.created, 0)
            .context("the creation time is out of range")?
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        let config = json!({
            "created": created,
            "architecture": spec.architecture,
            "os": spec.os,
            "config": {
                "User": spec.user,
                "Env": spec.env,
                "Entrypoint": spec.entrypoint,
                "Cmd": spec.cmd,
                "WorkingDir": spec.working_dir,
                "Labels": spec.labels,
            },
            "rootfs": { "type": "layers", "diff_ids": [diff_id] },
            "history": [{ "created": created, "created_by": "aseecr build-image" }],
        });
        let config = Bytes::from(serde_json::to_vec(&config)?);
        let manifest = json!({
            "schemaVersion": 2,
            "mediaType": MANIFEST_TYPE,
            "config": {
                "mediaType": CONFIG_TYPE,
                "digest": sha256_digest(&config),
                "size": config.len(),
            },
            "layers": [{
                "mediaType": LAYER_TYPE,
                "digest": sha256_digest(&layer),
                "size": layer.len(),
            }],
            "annotations": spec.labels,
        });
        let manifest = Manifest::new(
            Bytes::from(serde_json::to_vec(&manifest)?),
            Some(MANIFEST_TYPE),
        );
        let layer_size = layer.len() as u64;
        let blobs = [config, layer]
            .into_iter()
            .map(|bytes| (sha256_digest(&bytes), bytes))
            .collect();
        Ok(BuiltImage {
            manifest,
            blobs,
            layer_size,
        })
    }

    /// The reference [`Writer::copy`](super::write::Writer::copy) reads it by.
    pub fn reference(&self) -> Reference {
        Reference {
            registry: SOURCE_NAME.to_owned(),
            repository: String::new(),
            tag: None,
            digest: Some(self.manifest.digest.clone()),
        }
    }

    pub fn digest(&self) -> &str {
        &self.manifest.digest
    }
}

/// The layer as an uncompressed tar: every directory (the parents of each file,
/// and `spec.dirs`) then every file, sorted by path, owned by 0:0, all at
/// `spec.created`.
fn layer_tar(spec: &ImageSpec) -> Result<Vec<u8>> {
    let mut entries: BTreeMap<String, Option<&LayerFile>> = BTreeMap::new();
    let mut dir_modes: HashMap<String, u32> = HashMap::new();
    for (dir, mode) in &spec.dirs {
        let dir = dir.trim_matches('/').to_owned();
        dir_modes.insert(dir.clone(), *mode);
        entries.insert(format!("{dir}/"), None);
    }
    for file in &spec.files {
        let path = file.path.trim_start_matches('/');
        let mut parent = String::new();
        for part in path
            .split('/')
            .collect::<Vec<_>>()
            .split_last()
            .map_or(&[][..], |(_, p)| p)
        {
            parent.push_str(part);
            parent.push('/');
            entries.entry(parent.clone()).or_insert(None);
        }
        if entries.insert(path.to_owned(), Some(file)).is_some() {
            return Err(Error::usage(format!("`{path}` is in the image twice")).into());
        }
    }
    let mut builder = tar::Builder::new(Vec::new());
    let mtime = u64::try_from(spec.created).unwrap_or(0);
    for (path, file) in &entries {
        let mut header = tar::Header::new_ustar();
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(mtime);
        match file {
            None => {
                let mode = dir_modes
                    .get(path.trim_end_matches('/'))
                    .copied()
                    .unwrap_or(0o755);
                header.set_entry_type(tar::EntryType::Directory);
                header.set_mode(mode);
                header.set_size(0);
                builder
                    .append_data(&mut header, path, std::io::empty())
                    .with_context(|| format!("cannot add `{path}` to the layer"))?;
            }
            Some(file) => {
                header.set_entry_type(tar::EntryType::Regular);
                header.set_mode(file.mode);
                header.set_size(file.bytes.len() as u64);
                builder
                    .append_data(&mut header, path, file.bytes.as_slice())
                    .with_context(|| format!("cannot add `{path}` to the layer"))?;
            }
        }
    }
    Ok(builder.into_inner()?)
}

impl Source for BuiltImage {
    fn name(&self) -> &str {
        SOURCE_NAME
    }

    fn manifest<'a>(&'a self, reference: &'a Reference) -> BoxFuture<'a, Result<Manifest>> {
        Box::pin(async move {
            match &reference.digest {
                Some(digest) if *digest == self.manifest.digest => Ok(self.manifest.clone()),
                _ => Err(Error::new(
                    Kind::NotFound,
                    format!("the built image has no manifest `{reference}`"),
                )
                .into()),
            }
        })
    }

    fn blob<'a>(
        &'a self,
        _repository: &'a str,
        digest: &'a str,
        offset: u64,
    ) -> BoxFuture<'a, Result<BlobStream>> {
        Box::pin(async move {
            let bytes = self.blobs.get(digest).cloned().ok_or_else(|| {
                Error::new(
                    Kind::NotFound,
                    format!("the built image has no blob {digest}"),
                )
            })?;
            let bytes = bytes.slice((offset as usize).min(bytes.len())..);
            Ok(Box::pin(futures_util::stream::once(async move { Ok(bytes) })) as BlobStream)
        })
    }

    fn idle_timeout(&self) -> std::time::Duration {
        crate::registry::limits::DEFAULT_IDLE_TIMEOUT
    }

    fn check_digest(&self, digest: &str) -> Result<()> {
        crate::registry::reference::validate_digest(digest)
            .map_err(|problem| Error::new(Kind::Integrity, problem).into())
    }
}

/// What the ELF header of a Linux program says: its architecture (as OCI names
/// it) and whether it asks for a dynamic loader (so needs a C library).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Elf {
    pub architecture: &'static str,
    pub dynamic: bool,
}

/// Read a 64-bit little-endian ELF executable's architecture and whether it
/// has a `PT_INTERP` program header; `None` when `bytes` is not one.
pub fn read_elf(bytes: &[u8]) -> Option<Elf> {
    const PT_INTERP: u32 = 3;
    // Magic, 64-bit, little-endian.
    if bytes.len() < 64 || &bytes[..4] != b"\x7fELF" || bytes[4] != 2 || bytes[5] != 1 {
        return None;
    }
    let u16_at = |at: usize| Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?));
    let u32_at = |at: usize| Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
    let u64_at = |at: usize| Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?));
    let architecture = match u16_at(18)? {
        0x3e => "amd64",
        0xb7 => "arm64",
        _ => return None,
    };
    let (phoff, phentsize, phnum) = (
        usize::try_from(u64_at(32)?).ok()?,
        usize::from(u16_at(54)?),
        usize::from(u16_at(56)?),
    );
    let mut dynamic = false;
    for i in 0..phnum {
        if u32_at(phoff.checked_add(i.checked_mul(phentsize)?)?)? == PT_INTERP {
            dynamic = true;
        }
    }
    Some(Elf {
        architecture,
        dynamic,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn spec() -> ImageSpec {
        ImageSpec {
            files: vec![
                LayerFile {
                    path: "usr/local/bin/tool".into(),
                    mode: 0o755,
                    bytes: b"#!/bin/true\n".to_vec(),
                },
                LayerFile {
                    path: "etc/ssl/certs/ca-certificates.crt".into(),
                    mode: 0o644,
                    bytes: b"certs".to_vec(),
                },
            ],
            dirs: vec![("tmp".into(), 0o1777)],
            os: "linux".into(),
            architecture: "amd64".into(),
            created: 1_700_000_000,
            entrypoint: vec!["/usr/local/bin/tool".into()],
            cmd: vec![],
            env: vec!["HOME=/tmp".into()],
            user: "65532:65532".into(),
            working_dir: "/tmp".into(),
            labels: BTreeMap::from([("org.opencontainers.image.version".into(), "1".into())]),
        }
    }

    #[test]
    fn the_layer_is_sorted_owned_by_root_and_the_same_every_time() {
        let spec = spec();
        let tar = layer_tar(&spec).unwrap();
        assert_eq!(tar, layer_tar(&spec).unwrap());
        let mut archive = tar::Archive::new(tar.as_slice());
        let mut seen = Vec::new();
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            let header = entry.header();
            assert_eq!((header.uid().unwrap(), header.gid().unwrap()), (0, 0));
            assert_eq!(header.mtime().unwrap(), 1_700_000_000);
            let path = entry.path().unwrap().to_string_lossy().into_owned();
            let mode = header.mode().unwrap();
            let mut body = Vec::new();
            entry.read_to_end(&mut body).unwrap();
            seen.push((path, mode, body.len()));
        }
        let expected = [
            ("etc/", 0o755, 0),
            ("etc/ssl/", 0o755, 0),
            ("etc/ssl/certs/", 0o755, 0),
            ("etc/ssl/certs/ca-certificates.crt", 0o644, 5),
            ("tmp/", 0o1777, 0),
            ("usr/", 0o755, 0),
            ("usr/local/", 0o755, 0),
            ("usr/local/bin/", 0o755, 0),
            ("usr/local/bin/tool", 0o755, 12),
        ];
        let expected: Vec<(String, u32, usize)> = expected
            .iter()
            .map(|(p, m, s)| ((*p).to_owned(), *m, *s))
            .collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn the_manifest_names_the_config_and_layer_by_their_digests() {
        let built = BuiltImage::build(&spec()).unwrap();
        let again = BuiltImage::build(&spec()).unwrap();
        assert_eq!(built.digest(), again.digest(), "not reproducible");
        let manifest: serde_json::Value = serde_json::from_slice(&built.manifest.bytes).unwrap();
        let config_digest = manifest["config"]["digest"].as_str().unwrap();
        let layer_digest = manifest["layers"][0]["digest"].as_str().unwrap();
        let config: serde_json::Value =
            serde_json::from_slice(&built.blobs[config_digest]).unwrap();
        assert_eq!(config["config"]["User"], "65532:65532");
        assert_eq!(config["created"], "2023-11-14T22:13:20Z");
        // The diff id is the digest of the layer unzipped.
        let mut tar = Vec::new();
        flate2::read::GzDecoder::new(&built.blobs[layer_digest][..])
            .read_to_end(&mut tar)
            .unwrap();
        assert_eq!(config["rootfs"]["diff_ids"][0], sha256_digest(&tar));
        assert_eq!(
            manifest["layers"][0]["size"],
            built.blobs[layer_digest].len()
        );
    }

    #[test]
    fn elf_headers_say_architecture_and_linking() {
        let mut elf = vec![0u8; 64 + 2 * 56];
        elf[..4].copy_from_slice(b"\x7fELF");
        elf[4] = 2;
        elf[5] = 1;
        elf[18] = 0x3e;
        elf[32] = 64; // program headers right after the ELF header
        elf[54] = 56;
        elf[56] = 2;
        elf[64] = 1; // PT_LOAD
        assert_eq!(
            read_elf(&elf),
            Some(Elf {
                architecture: "amd64",
                dynamic: false
            })
        );
        elf[64 + 56] = 3; // PT_INTERP
        assert!(read_elf(&elf).unwrap().dynamic);
        elf[18] = 0xb7;
        assert_eq!(read_elf(&elf).unwrap().architecture, "arm64");
        elf[18] = 0x28; // 32-bit ARM: not one aseecr builds
        assert_eq!(read_elf(&elf), None);
        assert_eq!(read_elf(b"#!/bin/sh\n"), None);
        // The test binary itself is an ELF file on Linux.
        if cfg!(all(target_os = "linux", target_arch = "x86_64")) {
            let me = std::fs::read(std::env::current_exe().unwrap()).unwrap();
            assert_eq!(read_elf(&me).unwrap().architecture, "amd64");
        }
    }
}
