//! `docker-archive:FILE[:REF]`: what `docker save` writes, read as a copy
//! source and written by [`write_classic`].
//!
//! Two formats are read. Docker 25 and later put an OCI layout in the tar (with
//! a `manifest.json` beside it); that is read as an OCI layout, its images named
//! by their `RepoTags`. The classic format lists each image's config and
//! uncompressed layer tars in `manifest.json`; such an image becomes a Docker
//! schema 2 manifest whose config is the archive's, byte for byte, and whose
//! layers are the layer tars gzipped. A registry manifest names each layer's
//! digest and size before any upload, so every layer is compressed twice with
//! the same deterministic encoder: once to hash it (when the manifest is made),
//! once while it is sent (and the engine checks that digest as it streams).
//! Nothing is unpacked or held in memory.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Mutex;

use anyhow::{Context, Result};
use bytes::Bytes;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

use super::tar_file::{TarBuilder, write_archive, write_error};
use crate::error::{Error, Kind};
use crate::fsutil::ShowPath;
use crate::registry::Reference;
use crate::registry::copy::BlobStream;
use crate::registry::limits::MAX_MANIFEST_BYTES;
use crate::registry::manifest::{Hasher, Manifest};

const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
const DOCKER_GZIP_LAYER: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";
/// Chunks sent from a layer being compressed.
const CHUNK: usize = 256 * 1024;
/// The gzip level, fixed: the two passes over a layer must give the same bytes.
const LEVEL: u32 = 6;

/// One image of `manifest.json`.
#[derive(Debug, Clone)]
pub struct Item {
    pub config: String,
    pub repo_tags: Vec<String>,
    pub layers: Vec<String>,
}

/// Parse a `manifest.json` (bounded by its reader).
pub fn parse_manifest_json(bytes: &[u8]) -> Result<Vec<Item>, String> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|err| format!("its manifest.json is not JSON ({err})"))?;
    let list = value
        .as_array()
        .ok_or("its manifest.json is not a list of images")?;
    let strings = |v: Option<&serde_json::Value>| -> Vec<String> {
        v.and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    list.iter()
        .map(|entry| {
            let config = entry
                .get("Config")
                .and_then(|c| c.as_str())
                .ok_or("an image in its manifest.json has no Config")?;
            Ok(Item {
                config: config.trim_start_matches("./").to_owned(),
                repo_tags: strings(entry.get("RepoTags")),
                layers: strings(entry.get("Layers"))
                    .into_iter()
                    .map(|l| l.trim_start_matches("./").to_owned())
                    .collect(),
            })
        })
        .collect()
}

/// N of `@N`, which picks the Nth image of `manifest.json` (as skopeo's
/// `docker-archive:FILE:@N` does).
pub fn image_index(name: &str) -> Option<usize> {
    name.strip_prefix('@')?.parse().ok()
}

/// Whether a RepoTag of the archive is the image `name` asks for: the same
/// text, or the same image once both are read as references
/// (`busybox:latest` is `docker.io/library/busybox:latest`).
pub fn tag_matches(repo_tag: &str, name: &str) -> bool {
    if repo_tag == name {
        return true;
    }
    match (
        Reference::parse(repo_tag, None),
        Reference::parse(name, None),
    ) {
        (Ok(a), Ok(b)) => {
            a.tag.is_some()
                && a.tag == b.tag
                && a.repository == b.repository
                && (a.registry == b.registry || !has_host(name))
        }
        _ => false,
    }
}

/// Whether a reference's first component names a registry host.
fn has_host(name: &str) -> bool {
    name.split_once('/')
        .is_some_and(|(first, _)| first.contains(['.', ':']) || first == "localhost")
}

/// How a blob of a classic image is read from the archive.
#[derive(Debug, Clone, Copy)]
struct Stored {
    offset: u64,
    size: u64,
    /// Gzip it on the way out (an uncompressed layer tar).
    compress: bool,
}

/// The classic images of an archive and what has been made of them.
pub struct Classic {
    pub items: Vec<Item>,
    /// Item index -> the manifest made for it.
    built: Mutex<HashMap<usize, Manifest>>,
    /// Digest -> where its bytes are.
    blobs: Mutex<HashMap<String, Stored>>,
    /// Layer file -> what hashing it found: each is read (and gzipped) once,
    /// however often `manifest.json` lists it.
    hashed: Mutex<HashMap<String, Hashed>>,
}

/// A layer file of the archive, hashed.
#[derive(Debug, Clone)]
struct Hashed {
    /// The digest of its uncompressed tar (its `diff_id`).
    unpacked: String,
    /// Its digest and size as the manifest names it (gzipped).
    digest: String,
    length: u64,
    stored: Stored,
}

impl Classic {
    pub fn new(items: Vec<Item>) -> Classic {
        Classic {
            items,
            built: Mutex::new(HashMap::new()),
            blobs: Mutex::new(HashMap::new()),
            hashed: Mutex::new(HashMap::new()),
        }
    }

    /// Every RepoTag, in order, each once; an untagged image as `@N`.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for (at, item) in self.items.iter().enumerate() {
            if item.repo_tags.is_empty() {
                names.push(format!("@{at}"));
            }
            for tag in &item.repo_tags {
                if !names.contains(tag) {
                    names.push(tag.clone());
                }
            }
        }
        names
    }

    /// The image `name` (a RepoTag or `@N`) picks.
    pub fn find(&self, name: &str) -> Option<usize> {
        if let Some(at) = image_index(name) {
            return (at < self.items.len()).then_some(at);
        }
        self.items
            .iter()
            .position(|item| item.repo_tags.iter().any(|t| t == name))
            .or_else(|| {
                self.items
                    .iter()
                    .position(|item| item.repo_tags.iter().any(|t| tag_matches(t, name)))
            })
    }

    /// A manifest made before (by digest).
    pub fn built_by_digest(&self, digest: &str) -> Option<Manifest> {
        let built = self.built.lock().unwrap_or_else(|p| p.into_inner());
        built.values().find(|m| m.digest == digest).cloned()
    }

    /// The Docker schema 2 manifest of image `at`, made once: the config as it
    /// is, each layer hashed (and gzipped first when it is an uncompressed tar),
    /// each layer checked against the config's `rootfs.diff_ids`.
    pub fn manifest(
        &self,
        archive: &Path,
        name: &str,
        entries: &HashMap<String, (u64, u64)>,
        at: usize,
    ) -> Result<Manifest> {
        if let Some(manifest) = self
            .built
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&at)
        {
            return Ok(manifest.clone());
        }
        let item = &self.items[at];
        let mut file = std::fs::File::open(archive)
            .with_context(|| format!("cannot open `{}`", archive.shown()))?;
        let (config, config_stored) = read_config(&mut file, name, entries, item)?;
        let diff_ids = diff_ids(&config, name, item)?;
        let config_digest = crate::registry::manifest::sha256_digest(&config);
        let mut layers = Vec::new();
        let mut stored = vec![(config_digest.clone(), config_stored)];
        for (path, diff_id) in item.layers.iter().zip(&diff_ids) {
            let (digest, length, layer) = self.layer(&mut file, name, entries, path, diff_id)?;
            layers.push(serde_json::json!({
                "mediaType": DOCKER_GZIP_LAYER,
                "size": length,
                "digest": digest,
            }));
            stored.push((digest, layer));
        }
        let manifest = serde_json::json!({
            "schemaVersion": 2,
            "mediaType": DOCKER_MANIFEST,
            "config": {
                "mediaType": DOCKER_CONFIG,
                "size": config.len(),
                "digest": config_digest,
            },
            "layers": layers,
        });
        let bytes = serde_json::to_vec_pretty(&manifest)?;
        let manifest = Manifest::new(Bytes::from(bytes), Some(DOCKER_MANIFEST));
        self.blobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(stored);
        self.built
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(at, manifest.clone());
        Ok(manifest)
    }

    /// A layer file as the manifest names it (its digest and size once
    /// gzipped) and how it is read back, checked against `diff_id`; hashed the
    /// first time only.
    fn layer(
        &self,
        file: &mut std::fs::File,
        name: &str,
        entries: &HashMap<String, (u64, u64)>,
        path: &str,
        diff_id: &str,
    ) -> Result<(String, u64, Stored)> {
        let known = self
            .hashed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(path)
            .cloned();
        let hashed = match known {
            Some(hashed) => hashed,
            None => {
                let hashed = hash_stored_layer(file, name, entries, path)?;
                self.hashed
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(path.to_owned(), hashed.clone());
                hashed
            }
        };
        if hashed.unpacked != diff_id {
            return Err(Error::new(
                Kind::Integrity,
                format!("layer `{path}` in `{name}` hashes to {}, but its config says {diff_id}: the archive is damaged", hashed.unpacked),
            )
            .into());
        }
        Ok((hashed.digest, hashed.length, hashed.stored))
    }

    /// The bytes of a blob of a manifest made before, streamed (a layer tar
    /// gzipped on a thread as it is read); None when no such blob was listed.
    pub fn blob(&self, archive: &Path, digest: &str) -> Option<BlobStream> {
        let stored = *self
            .blobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(digest)?;
        let archive = archive.to_owned();
        let (sender, receiver) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(4);
        std::thread::spawn(move || {
            let result = (|| -> std::io::Result<()> {
                let mut file = std::fs::File::open(&archive)?;
                file.seek(SeekFrom::Start(stored.offset))?;
                let mut reader = file.take(stored.size);
                let mut out = std::io::BufWriter::with_capacity(CHUNK, Sender(&sender));
                if stored.compress {
                    let mut encoder = GzEncoder::new(out, Compression::new(LEVEL));
                    std::io::copy(&mut reader, &mut encoder)?;
                    out = encoder.finish()?;
                } else {
                    std::io::copy(&mut reader, &mut out)?;
                }
                out.flush()
            })();
            if let Err(err) = result {
                let _ = sender.blocking_send(Err(err));
            }
        });
        Some(Box::pin(futures_util::stream::unfold(
            receiver,
            |mut receiver| async move { receiver.recv().await.map(|item| (item, receiver)) },
        )))
    }
}

/// A file that `manifest.json` lists and the archive lacks.
fn missing(name: &str, path: &str, what: &str) -> anyhow::Error {
    Error::new(
        Kind::NotFound,
        format!("`{name}` lacks {what} `{path}` that its manifest.json lists: the archive is incomplete"),
    )
    .help("save the image again (`docker save` or `skopeo copy ... docker-archive:FILE`), then run the same command again")
    .into()
}

/// An image's config, byte for byte (bounded), and where it is in the archive.
fn read_config(
    file: &mut std::fs::File,
    name: &str,
    entries: &HashMap<String, (u64, u64)>,
    item: &Item,
) -> Result<(Vec<u8>, Stored)> {
    let &(offset, size) = entries
        .get(&item.config)
        .ok_or_else(|| missing(name, &item.config, "the config"))?;
    if size > MAX_MANIFEST_BYTES as u64 {
        return Err(Error::new(
            Kind::Usage,
            format!(
                "`{name}/{}` is larger than {}",
                item.config,
                crate::fsutil::human_size(MAX_MANIFEST_BYTES as u64)
            ),
        )
        .into());
    }
    file.seek(SeekFrom::Start(offset))?;
    let mut config = Vec::with_capacity(size as usize);
    file.take(size).read_to_end(&mut config)?;
    let stored = Stored {
        offset,
        size,
        compress: false,
    };
    Ok((config, stored))
}

/// The config's `rootfs.diff_ids`, one for each layer `manifest.json` lists.
fn diff_ids(config: &[u8], name: &str, item: &Item) -> Result<Vec<String>> {
    let value: serde_json::Value = serde_json::from_slice(config).map_err(|err| {
        Error::new(
            Kind::Usage,
            format!(
                "the config `{}` in `{name}` is not JSON ({err})",
                item.config
            ),
        )
    })?;
    let diff_ids: Vec<String> = value
        .pointer("/rootfs/diff_ids")
        .and_then(|d| d.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|d| d.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if diff_ids.len() != item.layers.len() {
        return Err(Error::new(
            Kind::Integrity,
            format!(
                "`{name}` lists {} layers for `{}`, but its config names {} diff_ids: the archive is damaged",
                item.layers.len(),
                item.config,
                diff_ids.len()
            ),
        )
        .into());
    }
    Ok(diff_ids)
}

/// Hash a layer file of the archive: the digest of its tar, and its digest and
/// size gzipped.
fn hash_stored_layer(
    file: &mut std::fs::File,
    name: &str,
    entries: &HashMap<String, (u64, u64)>,
    path: &str,
) -> Result<Hashed> {
    let &(offset, size) = entries
        .get(path)
        .ok_or_else(|| missing(name, path, "the layer file"))?;
    tracing::debug!("hashing layer `{path}` of `{name}`");
    let (unpacked, digest, length, compress) = hash_layer(file, offset, size)
        .with_context(|| format!("cannot read `{path}` in `{name}`"))?;
    Ok(Hashed {
        unpacked,
        digest,
        length,
        stored: Stored {
            offset,
            size,
            compress,
        },
    })
}

/// Writes chunks into the channel a blob stream reads.
struct Sender<'a>(&'a tokio::sync::mpsc::Sender<std::io::Result<Bytes>>);

impl Write for Sender<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .blocking_send(Ok(Bytes::copy_from_slice(buf)))
            .map_err(|_| {
                std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the reader stopped")
            })?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Hashes (and counts) what is written through it.
struct HashWriter {
    hasher: Hasher,
    count: u64,
}

impl Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.hasher.update(buf);
        self.count += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Hashes what is read through it.
struct HashReader<R> {
    inner: R,
    hasher: Hasher,
    count: u64,
}

impl<R> HashReader<R> {
    fn new(inner: R) -> HashReader<R> {
        HashReader {
            inner,
            hasher: sha256(),
            count: 0,
        }
    }
}

impl<R: Read> Read for HashReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.count += n as u64;
        Ok(n)
    }
}

fn sha256() -> Hasher {
    Hasher::for_digest("sha256:").expect("sha256 is known")
}

/// The digest of a layer's tar (its `diff_id`), the digest and size it has in
/// the manifest, and whether it is gzipped on the way out: an uncompressed tar
/// is hashed while it is compressed and hashed; a layer stored gzipped already
/// is hashed as it is (and its tar as it is unpacked).
fn hash_layer(
    file: &mut std::fs::File,
    offset: u64,
    size: u64,
) -> std::io::Result<(String, String, u64, bool)> {
    file.seek(SeekFrom::Start(offset))?;
    let mut magic = [0u8; 2];
    let gzipped = size >= 2 && {
        file.read_exact(&mut magic)?;
        magic == [0x1f, 0x8b]
    };
    file.seek(SeekFrom::Start(offset))?;
    let mut out = HashWriter {
        hasher: sha256(),
        count: 0,
    };
    let mut raw = HashReader::new(file.take(size));
    let unpacked = if gzipped {
        let mut decoder = HashReader::new(GzDecoder::new(&mut raw));
        std::io::copy(&mut decoder, &mut std::io::sink())?;
        decoder.hasher.digest()
    } else {
        let mut encoder = GzEncoder::new(&mut out, Compression::new(LEVEL));
        std::io::copy(&mut raw, &mut encoder)?;
        encoder.finish()?;
        raw.hasher.digest()
    };
    Ok(if gzipped {
        (unpacked, raw.hasher.digest(), raw.count, false)
    } else {
        (unpacked, out.hasher.digest(), out.count, true)
    })
}

/// Write the OCI layout in `dir` (single-platform images, named REPO:TAG) as a
/// classic docker archive: `manifest.json`, `repositories`, each config as
/// `HEX.json` and each layer as the uncompressed `DIFF_ID_HEX.tar` that
/// `docker load` expects, into a temporary file beside `archive` renamed over
/// it. A layer is unpacked twice (once to check it against the config's
/// `rootfs.diff_ids` and learn its size for the tar header, once into the tar,
/// checked again), so nothing is held in memory or unpacked on disk.
pub fn write_classic(dir: &Path, archive: &Path) -> Result<()> {
    let images = named_manifests(dir)?;
    write_archive(archive, |builder| {
        let mut writer = ClassicWriter {
            dir,
            archive,
            builder,
            written: HashSet::new(),
            listed: Vec::new(),
            repositories: BTreeMap::new(),
        };
        for (digest, names) in &images {
            writer.image(digest, names)?;
        }
        writer.finish()
    })
}

/// Each manifest digest of the layout's `index.json` with the names it has
/// there, in the order of `index.json`.
fn named_manifests(dir: &Path) -> Result<Vec<(String, Vec<String>)>> {
    let index = read_json(&dir.join("index.json"))?;
    let mut images: Vec<(String, Vec<String>)> = Vec::new();
    for entry in index
        .get("manifests")
        .and_then(|m| m.as_array())
        .into_iter()
        .flatten()
    {
        let digest = entry
            .get("digest")
            .and_then(|d| d.as_str())
            .unwrap_or_default();
        let name = entry
            .pointer("/annotations/org.opencontainers.image.ref.name")
            .and_then(|n| n.as_str())
            .unwrap_or_default();
        match images.iter_mut().find(|(d, _)| d == digest) {
            Some((_, names)) => names.push(name.to_owned()),
            None => images.push((digest.to_owned(), vec![name.to_owned()])),
        }
    }
    Ok(images)
}

/// A small JSON file of the layout (bounded).
fn read_json(path: &Path) -> Result<serde_json::Value> {
    Ok(serde_json::from_slice(&read_small_file(path)?)?)
}

fn read_small_file(path: &Path) -> Result<Vec<u8>> {
    crate::fsutil::read_path(path, MAX_MANIFEST_BYTES as u64)
        .with_context(|| format!("cannot read `{}`", path.shown()))
}

/// One image of the layout, as a classic archive lists it.
struct LayoutImage {
    config_digest: String,
    /// The config, byte for byte.
    config: Vec<u8>,
    /// Each layer's digest, media type and `diff_id`, bottom first.
    layers: Vec<(String, String, String)>,
}

/// Read an image's manifest and config from the layout, and pair each layer
/// with the `diff_id` its config gives it (`shown` names the image in errors).
fn read_image(dir: &Path, digest: &str, shown: &str) -> Result<LayoutImage> {
    let manifest = read_json(&super::blob_file(dir, digest))?;
    let config_digest = manifest
        .pointer("/config/digest")
        .and_then(|d| d.as_str())
        .context("the manifest names no config")?;
    let config = read_small_file(&super::blob_file(dir, config_digest))?;
    let diff_ids: Vec<String> = serde_json::from_slice::<serde_json::Value>(&config)
        .ok()
        .and_then(|c| c.pointer("/rootfs/diff_ids").cloned())
        .and_then(|d| serde_json::from_value(d).ok())
        .unwrap_or_default();
    let layers: Vec<(String, String)> = manifest
        .get("layers")
        .and_then(|l| l.as_array())
        .into_iter()
        .flatten()
        .map(|l| {
            let get = |k: &str| {
                l.get(k)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            (get("digest"), get("mediaType"))
        })
        .collect();
    if diff_ids.len() != layers.len() {
        return Err(Error::new(
            Kind::Integrity,
            format!(
                "`{shown}` has {} layers, but its config names {} diff_ids: not written",
                layers.len(),
                diff_ids.len()
            ),
        )
        .into());
    }
    Ok(LayoutImage {
        config_digest: config_digest.to_owned(),
        config,
        layers: layers
            .into_iter()
            .zip(diff_ids)
            .map(|((digest, media_type), diff_id)| (digest, media_type, diff_id))
            .collect(),
    })
}

/// A classic archive being written: the tar, the entries in it already (images
/// share configs and layers), and the two lists that close it.
struct ClassicWriter<'a, 'f> {
    /// The layout the images are read from.
    dir: &'a Path,
    archive: &'a Path,
    builder: &'a mut TarBuilder<'f>,
    written: HashSet<String>,
    /// `manifest.json`: one entry per image.
    listed: Vec<serde_json::Value>,
    /// `repositories`: repository -> tag -> the top layer's name.
    repositories: BTreeMap<String, BTreeMap<String, String>>,
}

impl ClassicWriter<'_, '_> {
    /// Add the image `digest` of the layout, under `names`: its config and the
    /// layers the archive does not hold yet, then its entries in both lists.
    fn image(&mut self, digest: &str, names: &[String]) -> Result<()> {
        let shown = names.join(", ");
        let image = read_image(self.dir, digest, &shown)?;
        let config_name = format!("{}.json", image.config_digest.trim_start_matches("sha256:"));
        if self.written.insert(config_name.clone()) {
            self.append(
                &config_name,
                image.config.len() as u64,
                image.config.as_slice(),
            )?;
        }
        let mut layer_names = Vec::new();
        for (layer, media_type, diff_id) in &image.layers {
            if media_type.contains("zstd") {
                return Err(Error::usage(format!(
                    "`{shown}` has a zstd layer ({layer}), which a docker archive cannot hold"
                ))
                .help("mirror it to an oci-archive: instead")
                .into());
            }
            let name = format!("{}.tar", diff_id.trim_start_matches("sha256:"));
            layer_names.push(name.clone());
            if self.written.insert(name.clone()) {
                self.layer(&shown, layer, diff_id, &name)?;
            }
        }
        for name in names {
            let (repository, tag) = super::split_name(name);
            if let Some(last) = layer_names.last() {
                self.repositories
                    .entry(repository)
                    .or_default()
                    .insert(tag, last.trim_end_matches(".tar").to_owned());
            }
        }
        self.listed.push(serde_json::json!({
            "Config": config_name,
            "RepoTags": names,
            "Layers": layer_names,
        }));
        Ok(())
    }

    /// Add a layer as the uncompressed tar `name`: unpacked once to check it
    /// against `diff_id` and learn its size, then again into the archive, checked
    /// again on the way.
    fn layer(&mut self, shown: &str, layer: &str, diff_id: &str, name: &str) -> Result<()> {
        let path = super::blob_file(self.dir, layer);
        let mismatch = |actual: &str| -> anyhow::Error {
            Error::new(
                Kind::Integrity,
                format!("layer {layer} of `{shown}` unpacks to {actual}, but its config's rootfs.diff_ids says {diff_id}: the archive was not written"),
            )
            .into()
        };
        let mut first = HashReader::new(open_unpacked(&path)?);
        std::io::copy(&mut first, &mut std::io::sink())
            .with_context(|| format!("cannot unpack layer {layer}"))?;
        let actual = first.hasher.digest();
        if actual != diff_id {
            return Err(mismatch(&actual));
        }
        let mut second = HashReader::new(open_unpacked(&path)?);
        self.append(name, first.count, &mut second)?;
        let again = second.hasher.digest();
        if again != diff_id || second.count != first.count {
            return Err(mismatch(&again));
        }
        Ok(())
    }

    /// Add a regular file of `size` bytes read from `data`.
    fn append(&mut self, name: &str, size: u64, data: impl Read) -> Result<()> {
        let mut header = tar::Header::new_gnu();
        header.set_size(size);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_entry_type(tar::EntryType::Regular);
        self.builder
            .append_data(&mut header, name, data)
            .map_err(|err| write_error(self.archive, &err))
    }

    /// Close the archive with `manifest.json` and `repositories`.
    fn finish(mut self) -> Result<()> {
        let manifest_json = serde_json::to_vec(&self.listed)?;
        self.append(
            "manifest.json",
            manifest_json.len() as u64,
            manifest_json.as_slice(),
        )?;
        let repositories = serde_json::to_vec(&self.repositories)?;
        self.append(
            "repositories",
            repositories.len() as u64,
            repositories.as_slice(),
        )
    }
}

/// A layer file of the layout, unpacked on the way when it is gzipped.
fn open_unpacked(path: &Path) -> Result<Box<dyn Read>> {
    let mut file = crate::fsutil::open_regular(path)
        .with_context(|| format!("cannot read `{}`", path.shown()))?;
    let mut magic = [0u8; 2];
    let gzipped = file.read_exact(&mut magic).is_ok() && magic == [0x1f, 0x8b];
    file.seek(SeekFrom::Start(0))?;
    let file = std::io::BufReader::with_capacity(CHUNK, file);
    Ok(if gzipped {
        Box::new(GzDecoder::new(file))
    } else {
        Box::new(file)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_tags_match_like_docker_references() {
        assert!(tag_matches("busybox:latest", "busybox:latest"));
        assert!(tag_matches(
            "busybox:latest",
            "docker.io/library/busybox:latest"
        ));
        assert!(tag_matches("localhost:5000/oss/app:1.0", "oss/app:1.0"));
        assert!(!tag_matches("busybox:latest", "busybox:1.0"));
        assert!(!tag_matches("a.example/app:1", "b.example/app:1"));
    }

    #[test]
    fn manifest_json_parses() {
        let items = parse_manifest_json(
            br#"[{"Config":"c.json","RepoTags":["a:1","b:2"],"Layers":["l1.tar","./l2.tar"]},{"Config":"d.json","RepoTags":null,"Layers":[]}]"#,
        )
        .unwrap();
        assert_eq!(items[0].repo_tags, ["a:1", "b:2"]);
        assert_eq!(items[0].layers, ["l1.tar", "l2.tar"]);
        let classic = Classic::new(items);
        assert_eq!(classic.names(), ["a:1", "b:2", "@1"]);
        assert_eq!(classic.find("b:2"), Some(0));
        assert_eq!(classic.find("@1"), Some(1));
        assert_eq!(classic.find("c:3"), None);
        assert!(parse_manifest_json(b"{}").is_err());
    }
}
