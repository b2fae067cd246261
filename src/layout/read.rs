//! Reading a layout as a copy [`Source`]: `oci:` directories, `oci-archive:`
//! tars and `docker-archive:` tars (classic ones through [`docker::Classic`]),
//! each opened once with its `index.json` (or `manifest.json`) read and checked.
//! An archive is read in place: its entries are listed once (seeking past the
//! data) and each blob is read at its offset, so nothing is unpacked and memory
//! stays flat.

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use bytes::{Bytes, BytesMut};
use futures_util::future::BoxFuture;
use tokio::io::AsyncReadExt;

use super::tar_file::{ExtensionTooLarge, ListReader};
use super::{Location, Transport, docker, name_of, split_name};
use crate::error::{Error, Kind};
use crate::fsutil::ShowPath;
use crate::registry::Reference;
use crate::registry::copy::{BlobStream, Source, skip_prefix};
use crate::registry::limits::{MAX_LIST_ENTRIES, MAX_MANIFEST_BYTES};
use crate::registry::manifest::{Manifest, sha256_digest};
use crate::registry::referrers::{AttachmentTag, Referrer, attachment_tag, fallback_tag};

/// Chunks read from a blob file: small enough that the chunks in flight
/// (queued for TLS and HTTP/2 on every stream) stay a few MiB in all.
const CHUNK: usize = 64 * 1024;

/// The reference the copy engine reads a layout image by: the layout's name as
/// its "registry", the name's repository and tag.
pub fn reference(layout: &Layout, name: &str) -> Reference {
    // A docker archive's RepoTag is a docker reference: its repository is the
    // path without the registry host (`localhost:5000/app:1` is `app`).
    if layout.transport == Transport::DockerArchive
        && let Ok(parsed) = Reference::parse(name, None)
        && parsed.tag.is_some()
        && parsed.digest.is_none()
    {
        return Reference {
            registry: layout.name.clone(),
            ..parsed
        };
    }
    let (repository, tag) = split_name(name);
    Reference {
        registry: layout.name.clone(),
        repository,
        tag: Some(tag),
        digest: None,
    }
}

/// Where a layout's files are.
enum Files {
    Dir(PathBuf),
    /// The archive, and each regular file's (data offset, size) by path.
    Archive(PathBuf, Arc<HashMap<String, (u64, u64)>>),
}

impl Files {
    /// A layout directory as it is, or an archive's entries listed.
    fn open(location: &Location) -> Result<Files> {
        let path = &location.path;
        match location.transport {
            Transport::Dir => {
                if !path.is_dir() {
                    let what = if path.exists() {
                        "is not a directory"
                    } else {
                        "does not exist"
                    };
                    let mut err = Error::new(Kind::NotFound, format!("`{}` {what}", path.shown()));
                    if path.is_file() {
                        err = err.help(format!(
                            "for a tar of a layout write `oci-archive:{}`",
                            path.display()
                        ));
                    }
                    return Err(err.into());
                }
                Ok(Files::Dir(path.clone()))
            }
            Transport::Archive | Transport::DockerArchive => Ok(Files::Archive(
                path.clone(),
                Arc::new(list_archive(path, location.transport)?),
            )),
        }
    }
}

/// What a docker archive holds, by its `manifest.json` (the images listed) and
/// whether an OCI layout is inside.
enum DockerContents {
    /// No OCI layout: the classic format.
    Classic(Vec<docker::Item>),
    /// An OCI layout, and the images of `manifest.json` when it has one.
    Oci(Option<Vec<docker::Item>>),
}

/// One entry of `index.json`.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: Option<String>,
    pub digest: String,
    pub media_type: String,
    /// For an entry without a name: the digest its manifest's `subject`
    /// names (a referrer listed as oras and aseecr list them), if any.
    pub subject: Option<String>,
}

/// An OCI layout opened for reading.
pub struct Layout {
    /// `oci:PATH`, `oci-archive:PATH` or `docker-archive:PATH`.
    name: String,
    transport: Transport,
    files: Files,
    entries: Vec<Entry>,
    /// The images of a classic `docker save` archive (no OCI layout inside).
    classic: Option<Arc<docker::Classic>>,
    /// A docker archive with an OCI layout inside: the manifest digest of each
    /// image of its `manifest.json`, in order, for `@N`.
    indexed: Vec<Option<String>>,
}

impl Layout {
    /// Open a layout directory or archive and read its `index.json` (bounded).
    pub async fn open(location: &Location) -> Result<Layout> {
        let location = location.clone();
        tokio::task::spawn_blocking(move || Layout::open_blocking(&location))
            .await
            .context("the layout reader stopped")?
    }

    fn open_blocking(location: &Location) -> Result<Layout> {
        let mut layout = Layout {
            name: location.base(),
            transport: location.transport,
            files: Files::open(location)?,
            entries: Vec::new(),
            classic: None,
            indexed: Vec::new(),
        };
        let mut repo_tags = None;
        if location.transport == Transport::DockerArchive {
            match layout.docker_contents()? {
                DockerContents::Classic(items) => {
                    layout.classic = Some(Arc::new(docker::Classic::new(items)));
                    return Ok(layout);
                }
                DockerContents::Oci(items) => repo_tags = items,
            }
        }
        layout.read_index()?;
        if location.transport == Transport::DockerArchive {
            layout.name_by_repo_tags(repo_tags.unwrap_or_default())?;
        }
        Ok(layout)
    }

    /// What a docker archive holds: the classic format, or (Docker 25 and
    /// later) an OCI layout, preferred when both are there.
    fn docker_contents(&self) -> Result<DockerContents> {
        let not_docker = |what: &str| {
            Error::new(
                Kind::Usage,
                format!("`{}` is not a docker archive: {what}", self.name),
            )
            .help("docker-archive: reads what `docker save` and `skopeo copy ... docker-archive:FILE` write")
        };
        let items = match self.read_small("manifest.json", MAX_MANIFEST_BYTES as u64)? {
            Some(bytes) => {
                Some(docker::parse_manifest_json(&bytes).map_err(|what| not_docker(&what))?)
            }
            None => None,
        };
        let oci = self.read_small("oci-layout", 4096)?.is_some() && self.has_file("index.json");
        match (items, oci) {
            (None, false) => {
                Err(not_docker("it has no `manifest.json` and no `index.json`").into())
            }
            (Some(items), false) => Ok(DockerContents::Classic(items)),
            (items, true) => Ok(DockerContents::Oci(items)),
        }
    }

    /// Read the entries of `index.json` (bounded), each digest checked.
    fn read_index(&mut self) -> Result<()> {
        let not_layout = |what: &str| {
            Error::new(
                Kind::Usage,
                format!("`{}` is not an OCI image layout: {what}", self.name),
            )
            .help("oci: and oci-archive: read what `skopeo copy ... oci:DIR:NAME` (or `oci-archive:FILE:NAME`) and aseecr write")
        };
        if self.read_small("oci-layout", 4096)?.is_none() {
            return Err(not_layout("it has no `oci-layout` file").into());
        }
        let Some(index) = self.read_small("index.json", MAX_MANIFEST_BYTES as u64)? else {
            return Err(not_layout("it has no `index.json`").into());
        };
        let value: serde_json::Value = serde_json::from_slice(&index)
            .map_err(|err| not_layout(&format!("its `index.json` is not JSON ({err})")))?;
        let manifests = value
            .get("manifests")
            .and_then(|m| m.as_array())
            .ok_or_else(|| not_layout("its `index.json` has no `manifests` list"))?;
        for entry in manifests {
            let digest = entry.get("digest").and_then(|d| d.as_str()).unwrap_or("");
            self.check_digest(digest)?;
            let name = entry
                .pointer("/annotations/org.opencontainers.image.ref.name")
                .and_then(|n| n.as_str())
                .map(str::to_owned);
            // A manifest listed without a name may be a referrer: its own
            // `subject` says (one small local read).
            let subject = match name {
                None => self
                    .manifest_blob(digest, None)
                    .ok()
                    .and_then(|m| Referrer::subject_of(&m.bytes)),
                Some(_) => None,
            };
            self.entries.push(Entry {
                name,
                subject,
                digest: digest.to_owned(),
                media_type: entry
                    .get("mediaType")
                    .and_then(|m| m.as_str())
                    .unwrap_or_default()
                    .to_owned(),
            });
        }
        Ok(())
    }

    /// Name the images of Docker's OCI layout by the RepoTags of its
    /// `manifest.json` (matched by config), else by `io.containerd.image.name`,
    /// else (untagged) as `@N`, N its place in `manifest.json`.
    fn name_by_repo_tags(&mut self, items: Vec<docker::Item>) -> Result<()> {
        let mut named = Vec::new();
        self.indexed = vec![None; items.len()];
        for entry in std::mem::take(&mut self.entries) {
            let manifest = self.manifest_blob(&entry.digest, None)?;
            let config = serde_json::from_slice::<serde_json::Value>(&manifest.bytes)
                .ok()
                .and_then(|m| m.pointer("/config/digest")?.as_str().map(str::to_owned));
            let at = config.and_then(|config| {
                let hex = config.split_once(':').map_or(config.as_str(), |(_, h)| h);
                items
                    .iter()
                    .position(|item| item.config.rsplit('/').next() == Some(hex))
            });
            if let Some(at) = at {
                self.indexed[at].get_or_insert_with(|| entry.digest.clone());
            }
            let tags: Vec<String> = at.map(|at| items[at].repo_tags.clone()).unwrap_or_default();
            if tags.is_empty() {
                let containerd = self.containerd_name(&entry.digest);
                named.push(Entry {
                    name: containerd
                        .or(entry.name.clone())
                        .or_else(|| at.map(|at| format!("@{at}"))),
                    ..entry.clone()
                });
            }
            for tag in tags {
                named.push(Entry {
                    name: Some(tag),
                    ..entry.clone()
                });
            }
        }
        self.entries = named;
        Ok(())
    }

    /// The `io.containerd.image.name` annotation of an `index.json` entry.
    fn containerd_name(&self, digest: &str) -> Option<String> {
        let index = self
            .read_small("index.json", MAX_MANIFEST_BYTES as u64)
            .ok()??;
        let value: serde_json::Value = serde_json::from_slice(&index).ok()?;
        value
            .get("manifests")?
            .as_array()?
            .iter()
            .find(|e| e.get("digest").and_then(|d| d.as_str()) == Some(digest))?
            .pointer("/annotations/io.containerd.image.name")?
            .as_str()
            .map(str::to_owned)
    }

    fn has_file(&self, path: &str) -> bool {
        match &self.files {
            Files::Dir(dir) => dir.join(path).is_file(),
            Files::Archive(_, entries) => entries.contains_key(path),
        }
    }

    /// `oci:PATH` or `oci-archive:PATH`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Which kind of layout it is (a `docker-archive:` holds no signatures).
    pub fn transport(&self) -> Transport {
        self.transport
    }

    /// The names of the images in `index.json`, in order, each once.
    pub fn names(&self) -> Vec<String> {
        if let Some(classic) = &self.classic {
            return classic.names();
        }
        let mut names: Vec<String> = Vec::new();
        for name in self.entries.iter().filter_map(|e| e.name.clone()) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }

    /// Whether `name` is `@N` of a docker archive: an image without a RepoTag,
    /// which has no name to go under.
    pub fn is_untagged(&self, name: &str) -> bool {
        self.transport == Transport::DockerArchive && docker::image_index(name).is_some()
    }

    /// The name to read when none is given: the only image's, else an error that
    /// lists them.
    /// Referrers (listed without a name) and attachment tags (cosign's
    /// `sha256-<hex>.sig`, a fallback index) are not images of their own.
    pub fn only_name(&self) -> Result<String> {
        let attachment = |name: &str| attachment_tag(&split_name(name).1).is_some();
        let mut names = self.names();
        names.retain(|n| !attachment(n));
        let count = match &self.classic {
            Some(classic) => classic.items.len(),
            None => self
                .entries
                .iter()
                .filter(|e| e.subject.is_none() && !e.name.as_deref().is_some_and(attachment))
                .count(),
        };
        match names.as_slice() {
            [one] if count == 1 => Ok(one.clone()),
            _ if count == 1 && self.classic.is_some() => Ok("@0".to_owned()),
            _ => Err(
                Error::usage(format!("`{}` holds {count} images; name one", self.name,))
                    .help(self.names_help())
                    .into(),
            ),
        }
    }

    fn names_help(&self) -> String {
        let mut names = self.names();
        names.sort();
        if names.is_empty() {
            return "the layout names no image (no org.opencontainers.image.ref.name)".to_owned();
        }
        let shown: Vec<String> = names.iter().take(20).map(|n| format!("`{n}`")).collect();
        let what = if self.transport == Transport::DockerArchive {
            "REF"
        } else {
            "NAME"
        };
        format!(
            "it has {}{}; write {}:{what}, or pass --all-tags for every one",
            shown.join(", "),
            if names.len() > 20 { ", ..." } else { "" },
            self.name
        )
    }

    /// The entry named `name`: the last one, as later writes replace earlier ones.
    /// In a docker archive `@N` is the Nth image of its `manifest.json`.
    fn entry(&self, name: &str) -> Result<&Entry> {
        let docker = self.transport == Transport::DockerArchive;
        if docker && let Some(at) = docker::image_index(name) {
            let digest = self.indexed.get(at).and_then(Option::as_deref);
            return digest
                .and_then(|digest| self.entries.iter().find(|e| e.digest == digest))
                .ok_or_else(|| self.not_named(name));
        }
        self.entries
            .iter()
            .rev()
            .find(|e| e.name.as_deref() == Some(name))
            .or_else(|| {
                docker
                    .then(|| {
                        self.entries.iter().rev().find(|e| {
                            e.name
                                .as_deref()
                                .is_some_and(|n| docker::tag_matches(n, name))
                        })
                    })
                    .flatten()
            })
            .ok_or_else(|| self.not_named(name))
    }

    /// The classic image `name` picks (a RepoTag or `@N`).
    fn classic_image(&self, name: &str) -> Result<usize> {
        self.classic
            .as_ref()
            .and_then(|c| c.find(name))
            .ok_or_else(|| self.not_named(name))
    }

    fn not_named(&self, name: &str) -> anyhow::Error {
        if self.transport == Transport::DockerArchive
            && let Some(at) = docker::image_index(name)
        {
            let count = match &self.classic {
                Some(classic) => classic.items.len(),
                None => self.indexed.len(),
            };
            return Error::new(
                Kind::NotFound,
                format!(
                    "`{}` has no image @{at}: it holds {count} image{} (@0 to @{})",
                    self.name,
                    if count == 1 { "" } else { "s" },
                    count.saturating_sub(1)
                ),
            )
            .help(self.names_help())
            .into();
        }
        Error::new(
            Kind::NotFound,
            format!("`{}` has no image named `{name}`", self.name),
        )
        .help(self.names_help())
        .into()
    }

    /// The path of a blob inside the layout: `blobs/ALG/HEX`.
    fn blob_path(digest: &str) -> String {
        let (algorithm, hex) = digest.split_once(':').unwrap_or(("sha256", digest));
        format!("blobs/{algorithm}/{hex}")
    }

    /// A small file of the layout, whole, or None when it is not there.
    fn read_small(&self, path: &str, max: u64) -> Result<Option<Vec<u8>>> {
        let shown = format!("{}/{path}", self.name);
        let too_big = || {
            Error::new(
                Kind::Usage,
                format!(
                    "`{shown}` is larger than {}",
                    crate::fsutil::human_size(max)
                ),
            )
        };
        match &self.files {
            Files::Dir(dir) => match crate::fsutil::read_path(&dir.join(path), max) {
                Ok(bytes) => Ok(Some(bytes)),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(err) if err.kind() == std::io::ErrorKind::FileTooLarge => Err(too_big().into()),
                Err(err) => Err(self.unreadable(path, &err)),
            },
            Files::Archive(file, entries) => {
                let Some(&(offset, size)) = entries.get(path) else {
                    return Ok(None);
                };
                if size > max {
                    return Err(too_big().into());
                }
                let mut handle = std::fs::File::open(file)
                    .with_context(|| format!("cannot open `{}`", file.shown()))?;
                handle.seek(SeekFrom::Start(offset))?;
                let mut bytes = Vec::with_capacity(size as usize);
                handle
                    .take(size)
                    .read_to_end(&mut bytes)
                    .with_context(|| format!("cannot read `{shown}`"))?;
                Ok(Some(bytes))
            }
        }
    }

    /// A file of the layout directory that cannot be read; one that is not a
    /// regular file (a FIFO) is refused without waiting on it.
    fn unreadable(&self, path: &str, err: &std::io::Error) -> anyhow::Error {
        let error = Error::new(
            Kind::Failed,
            format!("cannot read `{}/{path}`: {err}", self.name),
        );
        if crate::fsutil::is_not_regular(err) {
            return error
                .help("a layout holds regular files only: write the layout again (from the registry or with skopeo)")
                .into();
        }
        error.into()
    }

    fn missing_blob(&self, digest: &str) -> anyhow::Error {
        Error::new(
            Kind::NotFound,
            format!("`{}` lacks blob {digest}: the layout is incomplete", self.name),
        )
        .help("write the layout again from the registry (or with skopeo), then run the same command again")
        .into()
    }

    /// The referrers of `subject` the layout holds: the manifests listed
    /// without a name in `index.json` whose `subject` is `subject` (as oras
    /// and aseecr write them), and those of a fallback index named by the
    /// referrers tag schema (`sha256-<hex>`, as a registry's tag would be).
    /// Each entry is built from the manifest's own bytes; none for a docker
    /// archive in the classic format.
    pub fn referrers(&self, subject: &str) -> Vec<Referrer> {
        let mut found: Vec<Referrer> = Vec::new();
        let mut add = |manifest: Manifest| {
            let named = Referrer::subject_of(&manifest.bytes);
            if named.as_deref() == Some(subject)
                && !found.iter().any(|r| r.digest == manifest.digest)
                && let Some(entry) =
                    Referrer::of_manifest(&manifest.media_type, &manifest.digest, &manifest.bytes)
            {
                found.push(entry);
            }
        };
        for entry in self
            .entries
            .iter()
            .filter(|e| e.subject.as_deref() == Some(subject))
        {
            if let Ok(manifest) = self.manifest_blob(&entry.digest, Some(&entry.media_type)) {
                add(manifest);
            }
        }
        let tag = fallback_tag(subject);
        let indexes = self.entries.iter().filter(|e| {
            e.name.as_deref().is_some_and(|n| split_name(n).1 == tag) && e.digest != subject
        });
        for entry in indexes {
            let Ok(index) = self.manifest_blob(&entry.digest, Some(&entry.media_type)) else {
                continue;
            };
            let Ok(crate::registry::manifest::Content::Index(index)) = index.content() else {
                continue;
            };
            for child in &index.manifests {
                if let Ok(manifest) = self.manifest_blob(&child.digest, Some(&child.media_type)) {
                    add(manifest);
                }
            }
        }
        found
    }

    /// The tags of repository `repository` in the layout that are attachment
    /// tags (cosign's `sha256-<hex>.sig` and the like), as names `REPO:TAG`
    /// split; a fallback index's name is not one (its entries are read by
    /// [`Layout::referrers`]).
    pub fn cosign_tags(&self, repository: &str) -> Vec<String> {
        self.names()
            .into_iter()
            .map(|n| split_name(&n))
            .filter(|(repo, tag)| {
                repo == repository
                    && matches!(attachment_tag(tag), Some(AttachmentTag::Cosign { .. }))
            })
            .map(|(_, tag)| tag)
            .collect()
    }

    /// A manifest stored as a blob, bounded and checked against its digest.
    fn manifest_blob(&self, digest: &str, media_type: Option<&str>) -> Result<Manifest> {
        self.check_digest(digest)?;
        let path = Layout::blob_path(digest);
        // Small (at most MAX_MANIFEST_BYTES) and local: read in place.
        let bytes = self.read_small(&path, MAX_MANIFEST_BYTES as u64)?;
        let Some(bytes) = bytes else {
            return Err(self.missing_blob(digest));
        };
        let actual = sha256_digest(&bytes);
        if digest.starts_with("sha256:") && actual != digest {
            return Err(Error::new(
                Kind::Integrity,
                format!(
                    "manifest {digest} in `{}` hashes to {actual}: the layout is damaged",
                    self.name
                ),
            )
            .into());
        }
        let media_type = media_type.filter(|t| !t.is_empty());
        let mut manifest = Manifest::new(Bytes::from(bytes), media_type);
        manifest.digest = digest.to_owned();
        Ok(manifest)
    }
}

impl Source for Layout {
    fn name(&self) -> &str {
        &self.name
    }

    fn describe(&self, reference: &Reference) -> String {
        match (&reference.digest, name_of(reference)) {
            (Some(digest), _) => format!("{}@{digest}", self.name),
            (None, Some(name)) => format!("{}:{name}", self.name),
            (None, None) => self.name.clone(),
        }
    }

    fn manifest<'a>(&'a self, reference: &'a Reference) -> BoxFuture<'a, Result<Manifest>> {
        Box::pin(async move {
            if let Some(digest) = &reference.digest {
                if let Some(manifest) = self
                    .classic
                    .as_ref()
                    .and_then(|c| c.built_by_digest(digest))
                {
                    return Ok(manifest);
                }
                return self.manifest_blob(digest, None);
            }
            let name = match name_of(reference) {
                Some(name) => name,
                None => self.only_name()?,
            };
            if let (Some(classic), Files::Archive(archive, entries)) = (&self.classic, &self.files)
            {
                let at = self.classic_image(&name)?;
                let (classic, archive, entries) =
                    (classic.clone(), archive.clone(), entries.clone());
                let shown = self.describe(reference);
                // Hashing the layers reads (and gzips) each one: off the runtime.
                return tokio::task::spawn_blocking(move || {
                    classic.manifest(&archive, &shown, &entries, at)
                })
                .await
                .context("the archive reader stopped")?;
            }
            let entry = self.entry(&name)?.clone();
            self.manifest_blob(&entry.digest, Some(&entry.media_type))
        })
    }

    fn blob<'a>(
        &'a self,
        _repository: &'a str,
        digest: &'a str,
        offset: u64,
    ) -> BoxFuture<'a, Result<BlobStream>> {
        Box::pin(async move {
            self.check_digest(digest)?;
            if let (Some(classic), Files::Archive(archive, _)) = (&self.classic, &self.files) {
                // Layers compressed on the way: the bytes before `offset` are made again.
                return classic
                    .blob(archive, digest)
                    .map(|stream| skip_prefix(stream, offset))
                    .ok_or_else(|| self.missing_blob(digest));
            }
            let path = Layout::blob_path(digest);
            let (mut file, limit) = match &self.files {
                // Opening does not wait (a FIFO is refused at once).
                Files::Dir(dir) => match crate::fsutil::open_regular(&dir.join(&path)) {
                    Ok(file) => (tokio::fs::File::from_std(file), u64::MAX),
                    Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                        return Err(self.missing_blob(digest));
                    }
                    Err(err) => return Err(self.unreadable(&path, &err)),
                },
                Files::Archive(archive, entries) => {
                    let Some(&(start, size)) = entries.get(&path) else {
                        return Err(self.missing_blob(digest));
                    };
                    let mut file = tokio::fs::File::open(archive)
                        .await
                        .with_context(|| format!("cannot open `{}`", archive.shown()))?;
                    tokio::io::AsyncSeekExt::seek(&mut file, SeekFrom::Start(start)).await?;
                    (file, size)
                }
            };
            let limit = limit.saturating_sub(offset);
            if offset > 0 {
                tokio::io::AsyncSeekExt::seek(&mut file, SeekFrom::Current(offset as i64)).await?;
            }
            Ok(read_stream(file.take(limit)))
        })
    }

    fn idle_timeout(&self) -> std::time::Duration {
        crate::registry::limits::DEFAULT_IDLE_TIMEOUT
    }

    fn check_digest(&self, digest: &str) -> Result<()> {
        crate::registry::reference::validate_digest(digest).map_err(|problem| {
            Error::new(
                Kind::Integrity,
                format!("`{}` lists an invalid digest: {problem}", self.name),
            )
            .into()
        })
    }
}

/// A file's bytes as a stream of chunks.
fn read_stream(reader: impl tokio::io::AsyncRead + Send + Unpin + 'static) -> BlobStream {
    Box::pin(futures_util::stream::unfold(
        reader,
        |mut reader| async move {
            let mut buffer = BytesMut::with_capacity(CHUNK);
            match reader.read_buf(&mut buffer).await {
                Ok(0) => None,
                Ok(_) => Some((Ok(buffer.freeze()), reader)),
                Err(err) => Some((Err(err), reader)),
            }
        },
    ))
}

/// Why a file is not a tar archive aseecr reads.
fn not_tar(path: &Path, transport: Transport, why: String) -> Error {
    Error::new(
        Kind::Usage,
        format!("`{}` is not a tar archive: {why}", path.shown()),
    )
    .help(if transport == Transport::DockerArchive {
        "docker-archive: reads what `docker save` and `skopeo copy ... docker-archive:FILE` write"
    } else {
        "oci-archive: reads a tar of an OCI image layout (what `skopeo copy ... oci-archive:FILE` writes); for a directory write `oci:DIR`"
    })
}

/// Every regular file of a tar and where its data is, seeking past the data;
/// extension entries are bounded ([`ListReader`]).
fn list_archive(path: &Path, transport: Transport) -> Result<HashMap<String, (u64, u64)>> {
    if path.is_dir() {
        return Err(not_tar(path, transport, "it is a directory".into())
            .help(format!("write `oci:{}`", path.display()))
            .into());
    }
    // An archive is read by seeking: a regular file (a FIFO is refused at once).
    let file = crate::fsutil::open_regular(path).map_err(|err| {
        let kind = if err.kind() == std::io::ErrorKind::NotFound {
            Kind::NotFound
        } else {
            Kind::Failed
        };
        Error::new(kind, format!("cannot open `{}`: {err}", path.shown()))
    })?;
    let not_tar = |why: String| not_tar(path, transport, why);
    let mut archive = tar::Archive::new(ListReader::new(file));
    let mut files = HashMap::new();
    let entries = archive
        .entries_with_seek()
        .map_err(|err| not_tar(err.to_string()))?;
    for entry in entries {
        let entry = entry.map_err(|err| {
            if ExtensionTooLarge::is(&err) {
                let limit = crate::fsutil::TAR_EXTENSION;
                return Error::new(
                    limit.kind,
                    format!(
                        "`{}` holds a tar extension entry larger than {}, aseecr's limit for the {}",
                        path.shown(),
                        crate::fsutil::human_size(limit.max),
                        limit.what
                    ),
                )
                .help(limit.help);
            }
            not_tar(err.to_string())
        })?;
        if files.len() >= MAX_LIST_ENTRIES {
            return Err(not_tar(format!("it has more than {MAX_LIST_ENTRIES} entries")).into());
        }
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .map_err(|err| not_tar(err.to_string()))?
            .to_string_lossy()
            .trim_start_matches("./")
            .to_owned();
        files.insert(name, (entry.raw_file_position(), entry.size()));
    }
    if files.is_empty() {
        return Err(not_tar("it holds no files".into()).into());
    }
    Ok(files)
}
