//! `aseecr inspect`: an image's digest, media type, platforms, layers and sizes;
//! with `--referrers`, what hangs off it (see `referrers` below).

use anyhow::Result;
use futures_util::stream::{self, StreamExt, TryStreamExt};

use super::{ExitStatus, parse_reference, platform_manifest};
use crate::cli::{Format, InspectArgs};
use crate::connect::{self, Side};
use crate::error::{Error, Kind};
use crate::output::human_bytes;
use crate::output::json::{Blob, Image, ImageConfig, Inspection, PlatformEntry};
use crate::registry::Platform;
use crate::registry::limits;
use crate::registry::manifest::{Manifest, platform_string};
use crate::registry::{Content, Reference, Registry};
use crate::settings::Settings;

/// Child manifests (and their configs) of an index read at once.
const CHILDREN_AT_ONCE: usize = 4;

#[derive(serde::Deserialize)]
struct ConfigFields {
    created: Option<String>,
    os: Option<String>,
    architecture: Option<String>,
    variant: Option<String>,
}

pub async fn run(args: InspectArgs, settings: &Settings) -> Result<ExitStatus> {
    let reference = parse_reference(settings, &args.reference)?;
    let platform = args.platform.as_deref().map(Platform::parse).transpose()?;
    let registry = connect::open(settings, &reference.registry, Side::Single)?;
    let mut manifest = registry.manifest(&reference).await?;
    if let Some(platform) = &platform {
        manifest = platform_manifest(&registry, &reference, manifest, platform).await?;
    }
    let printer = &settings.printer;
    if args.config {
        return show_config(settings, &args, &registry, &reference, manifest).await;
    }
    if args.referrers {
        return show_referrers(settings, &args, &registry, &reference, manifest).await;
    }
    if args.raw {
        printer.raw(&manifest.bytes)?;
        return Ok(ExitStatus::Success);
    }
    let inspection = match manifest.content()? {
        Content::Image(_) => {
            let image = describe_image(&registry, &reference, &manifest).await?;
            Inspection {
                reference: args.reference.clone(),
                digest: manifest.digest.clone(),
                media_type: manifest.media_type.clone(),
                kind: "image",
                total_size: image.total_size,
                image: Some(image),
                platforms: None,
            }
        }
        Content::Index(index) => {
            // Each distinct child once, a few at a time (an index may list many).
            let mut seen_children = std::collections::HashSet::new();
            let entries: Vec<_> = index
                .manifests
                .iter()
                .filter(|entry| seen_children.insert(entry.digest.clone()))
                .collect();
            let platforms: Vec<PlatformEntry> = stream::iter(entries)
                .map(|entry| {
                    let registry = &registry;
                    let reference = &reference;
                    async move {
                        let image = if is_image_type(&entry.media_type) {
                            let child = registry
                                .manifest(&reference.with_digest(&entry.digest))
                                .await?;
                            Some(describe_image(registry, reference, &child).await?)
                        } else {
                            None
                        };
                        anyhow::Ok(PlatformEntry {
                            platform: entry.platform.as_ref().map(platform_string),
                            digest: entry.digest.clone(),
                            media_type: entry.media_type.clone(),
                            size: entry.size.max(0) as u64,
                            image,
                        })
                    }
                })
                .buffered(CHILDREN_AT_ONCE)
                .try_collect()
                .await?;
            // The bytes the registry stores: this index, each child manifest and
            // each blob, once.
            let mut seen = std::collections::HashSet::new();
            let mut total = manifest.bytes.len() as u64;
            for entry in &platforms {
                total += entry.size;
                if let Some(image) = &entry.image {
                    for blob in std::iter::once(&image.config).chain(&image.layers) {
                        if seen.insert(blob.digest.clone()) {
                            total += blob.size;
                        }
                    }
                }
            }
            Inspection {
                reference: args.reference.clone(),
                digest: manifest.digest.clone(),
                media_type: manifest.media_type.clone(),
                kind: "index",
                image: None,
                platforms: Some(platforms),
                total_size: total,
            }
        }
    };
    match args.format.format {
        Format::Json => printer.json(&inspection)?,
        Format::Text => print_text(settings, &reference, &inspection)?,
    }
    Ok(ExitStatus::Success)
}

fn is_image_type(media_type: &str) -> bool {
    use crate::registry::manifest::{DOCKER_MANIFEST, OCI_MANIFEST};
    media_type == OCI_MANIFEST || media_type == DOCKER_MANIFEST
}

/// An image manifest, its config's platform and created date, and its sizes.
async fn describe_image(
    registry: &Registry,
    reference: &Reference,
    manifest: &Manifest,
) -> Result<Image> {
    let digest = &manifest.digest;
    let Content::Image(image) = manifest.content()? else {
        anyhow::bail!("`{digest}` is an index inside an index, which aseecr does not inspect");
    };
    let config_digest = &image.config.digest;
    let fields = match registry
        .blob_bytes(&reference.repository, config_digest)
        .await
    {
        Ok(bytes) => serde_json::from_slice::<ConfigFields>(&bytes).ok(),
        Err(err) => {
            tracing::debug!("cannot read config {config_digest}: {err:#}");
            None
        }
    };
    let platform = fields
        .as_ref()
        .and_then(|f| match (&f.os, &f.architecture) {
            (Some(os), Some(arch)) => Some(match f.variant.as_deref().filter(|v| !v.is_empty()) {
                Some(variant) => format!("{os}/{arch}/{variant}"),
                None => format!("{os}/{arch}"),
            }),
            _ => None,
        });
    let blob = |d: &oci_client::manifest::OciDescriptor| Blob {
        digest: d.digest.clone(),
        media_type: d.media_type.clone(),
        size: d.size.max(0) as u64,
    };
    let config = blob(&image.config);
    let layers: Vec<Blob> = image.layers.iter().map(blob).collect();
    // One definition everywhere: manifest, config and layers (each blob once).
    let mut seen = std::collections::HashSet::new();
    let total_size = manifest.bytes.len() as u64
        + std::iter::once(&config)
            .chain(&layers)
            .filter(|blob| seen.insert(blob.digest.clone()))
            .map(|blob| blob.size)
            .sum::<u64>();
    Ok(Image {
        platform,
        created: fields.and_then(|f| f.created),
        config,
        layers,
        total_size,
    })
}

/// `reference` is printed resolved (`inspection.reference` is as typed).
fn print_text(
    settings: &Settings,
    reference: &Reference,
    inspection: &Inspection,
) -> std::io::Result<()> {
    let printer = &settings.printer;
    printer.data(format!("Reference:   {reference}"))?;
    printer.data(format!("Digest:      {}", inspection.digest))?;
    printer.data(format!("Media type:  {}", inspection.media_type))?;
    if let Some(image) = &inspection.image {
        print_image(settings, image, "")?;
    }
    if let Some(platforms) = &inspection.platforms {
        printer.data(format!("Platforms:   {}", platforms.len()))?;
        for entry in platforms {
            let size = entry
                .image
                .as_ref()
                .map(|i| human_bytes(i.total_size))
                .unwrap_or_else(|| human_bytes(entry.size));
            printer.data(format!(
                "  {:<16} {}  {size}",
                entry.platform.as_deref().unwrap_or("(unknown)"),
                entry.digest
            ))?;
        }
    }
    printer.data(format!(
        "Total size:  {}",
        human_bytes(inspection.total_size)
    ))
}

fn print_image(settings: &Settings, image: &Image, indent: &str) -> std::io::Result<()> {
    let printer = &settings.printer;
    if let Some(platform) = &image.platform {
        printer.data(format!("{indent}Platform:    {platform}"))?;
    }
    if let Some(created) = &image.created {
        printer.data(format!("{indent}Created:     {created}"))?;
    }
    printer.data(format!(
        "{indent}Config:      {}  {}",
        image.config.digest,
        human_bytes(image.config.size)
    ))?;
    printer.data(format!("{indent}Layers:      {}", image.layers.len()))?;
    for layer in &image.layers {
        printer.data(format!(
            "{indent}  {}  {}",
            layer.digest,
            human_bytes(layer.size)
        ))?;
    }
    Ok(())
}

/// `inspect --config`: the image configuration (of one platform of an index).
async fn show_config(
    settings: &Settings,
    args: &InspectArgs,
    registry: &Registry,
    reference: &Reference,
    manifest: Manifest,
) -> Result<ExitStatus> {
    let manifest = match manifest.content()? {
        Content::Image(_) => manifest,
        Content::Index(index) => {
            let platforms: Vec<String> = index
                .manifests
                .iter()
                .filter_map(|e| e.platform.as_ref().map(platform_string))
                .collect();
            return Err(Error::usage(format!(
                "`{reference}` is a multi-platform image ({}): its configuration is per platform",
                Platform::listed(platforms.iter().cloned())
            ))
            .help(format!(
                "pick one: `aseecr inspect {reference} --config --platform {}`",
                platforms.first().map_or("OS/ARCH", String::as_str)
            ))
            .into());
        }
    };
    let Content::Image(image) = manifest.content()? else {
        unreachable!("checked above");
    };
    let bytes = registry
        .blob_bytes(&reference.repository, &image.config.digest)
        .await?;
    let printer = &settings.printer;
    if args.raw {
        printer.raw(&bytes)?;
        return Ok(ExitStatus::Success);
    }
    let config: serde_json::Value = serde_json::from_slice(&bytes).map_err(|err| {
        Error::new(
            crate::error::Kind::Failed,
            format!("the config {} is not JSON: {err}", image.config.digest),
        )
    })?;
    if args.format.format == Format::Json {
        printer.json(&ImageConfig {
            reference: args.reference.clone(),
            digest: manifest.digest.clone(),
            config: &config,
        })?;
        return Ok(ExitStatus::Success);
    }
    let text = |value: &serde_json::Value| match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let field = |name: &str| config.get("config").and_then(|c| c.get(name));
    printer.data(format!("Reference:   {reference}"))?;
    printer.data(format!("Digest:      {}", manifest.digest))?;
    if let (Some(os), Some(arch)) = (config.get("os"), config.get("architecture")) {
        let mut platform = format!("{}/{}", text(os), text(arch));
        if let Some(variant) = config.get("variant") {
            platform = format!("{platform}/{}", text(variant));
        }
        printer.data(format!("Platform:    {platform}"))?;
    }
    if let Some(created) = config.get("created") {
        printer.data(format!("Created:     {}", text(created)))?;
    }
    for (label, name) in [
        ("Entrypoint:", "Entrypoint"),
        ("Command:", "Cmd"),
        ("WorkingDir:", "WorkingDir"),
        ("User:", "User"),
        ("StopSignal:", "StopSignal"),
    ] {
        if let Some(value) = field(name).filter(|v| !v.is_null() && *v != "") {
            printer.data(format!("{label:<12} {}", text(value)))?;
        }
    }
    if let Some(ports) = field("ExposedPorts").and_then(|p| p.as_object()) {
        let ports: Vec<&str> = ports.keys().map(String::as_str).collect();
        printer.data(format!("Ports:       {}", ports.join(", ")))?;
    }
    if let Some(env) = field("Env").and_then(|e| e.as_array()) {
        printer.data("Env:")?;
        for entry in env {
            printer.data(format!("  {}", text(entry)))?;
        }
    }
    if let Some(labels) = field("Labels").and_then(|l| l.as_object())
        && !labels.is_empty()
    {
        printer.data("Labels:")?;
        for (key, value) in labels {
            printer.data(format!("  {key}={}", text(value)))?;
        }
    }
    Ok(ExitStatus::Success)
}

/// `inspect --referrers`: the referrers of the image and of each of its
/// platform manifests, and theirs in turn, and its cosign tags.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ReferrerTree {
    reference: String,
    digest: String,
    media_type: String,
    #[serde(flatten)]
    hanging: Hanging,
    #[serde(skip_serializing_if = "Option::is_none")]
    platforms: Option<Vec<PlatformReferrers>>,
    /// Fallback indexes or entries that were not used, and why.
    warnings: Vec<String>,
}

/// What hangs off one manifest.
#[derive(Debug, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Hanging {
    /// `api`, `fallback-tag` or `none`.
    via: &'static str,
    referrers: Vec<ReferrerNode>,
    cosign: Vec<CosignEntry>,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct PlatformReferrers {
    platform: Option<String>,
    digest: String,
    media_type: String,
    #[serde(flatten)]
    hanging: Hanging,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ReferrerNode {
    digest: String,
    media_type: String,
    size: u64,
    artifact_type: Option<String>,
    created: Option<String>,
    annotations: std::collections::BTreeMap<String, String>,
    referrers: Vec<ReferrerNode>,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct CosignEntry {
    tag: String,
    /// `signature`, `attestation` or `sbom`.
    kind: &'static str,
    digest: String,
    media_type: String,
    size: u64,
}

/// A future that calls itself (referrers of referrers).
type Boxed<'a, T> = std::pin::Pin<Box<dyn Future<Output = T> + 'a>>;

/// What a walk of referrers keeps across subjects: what was seen (a loop or a
/// shared referrer is shown once) and what was not used.
struct Walk<'a> {
    registry: &'a Registry,
    reference: &'a Reference,
    /// The repository's tags, for cosign's (read once).
    tags: Vec<String>,
    seen: std::collections::HashSet<String>,
    warnings: Vec<String>,
}

async fn show_referrers(
    settings: &Settings,
    args: &InspectArgs,
    registry: &Registry,
    reference: &Reference,
    manifest: Manifest,
) -> Result<ExitStatus> {
    let mut walk = Walk {
        registry,
        reference,
        tags: registry.tags(&reference.repository).await?,
        seen: std::collections::HashSet::from([manifest.digest.clone()]),
        warnings: Vec::new(),
    };
    let hanging = walk.hanging(&manifest.digest).await?;
    let platforms = match manifest.content()? {
        Content::Image(_) => None,
        Content::Index(index) => {
            let mut platforms = Vec::new();
            for entry in &index.manifests {
                if !walk.seen.insert(entry.digest.clone()) {
                    continue;
                }
                platforms.push(PlatformReferrers {
                    platform: entry.platform.as_ref().map(platform_string),
                    digest: entry.digest.clone(),
                    media_type: entry.media_type.clone(),
                    hanging: walk.hanging(&entry.digest).await?,
                });
            }
            Some(platforms)
        }
    };
    let tree = ReferrerTree {
        reference: args.reference.clone(),
        digest: manifest.digest.clone(),
        media_type: manifest.media_type.clone(),
        hanging,
        platforms,
        warnings: walk.warnings,
    };
    let printer = &settings.printer;
    match args.format.format {
        Format::Json => printer.json(&tree)?,
        Format::Text => {
            for warning in &tree.warnings {
                printer.warn(warning);
            }
            print_referrers(settings, reference, &tree)?;
        }
    }
    Ok(ExitStatus::Success)
}

impl Walk<'_> {
    /// The referrers of `subject` (followed down) and its cosign tags.
    async fn hanging(&mut self, subject: &str) -> Result<Hanging> {
        let (via, referrers) = self.referrers(subject.to_owned(), 1).await?;
        let mut cosign = Vec::new();
        for tag in crate::registry::cosign_tags(&self.tags, subject) {
            let kind = match crate::registry::referrers::attachment_tag(&tag) {
                Some(crate::registry::referrers::AttachmentTag::Cosign { kind, .. }) => kind,
                _ => continue,
            };
            let found = self
                .registry
                .manifest(&self.reference.with_tag(&tag))
                .await?;
            cosign.push(CosignEntry {
                tag,
                kind: match kind.suffix() {
                    "sig" => "signature",
                    "att" => "attestation",
                    _ => "sbom",
                },
                digest: found.digest.clone(),
                media_type: found.media_type.clone(),
                size: found.bytes.len() as u64,
            });
        }
        Ok(Hanging {
            via,
            referrers,
            cosign,
        })
    }

    /// The referrers of `subject` at `depth` (1: the image's own), each read
    /// from its manifest (an index entry may lack what the manifest says) and
    /// kept only when its manifest names `subject`.
    fn referrers(
        &mut self,
        subject: String,
        depth: usize,
    ) -> Boxed<'_, Result<(&'static str, Vec<ReferrerNode>)>> {
        Box::pin(async move {
            let repository = &self.reference.repository;
            let listed = self.registry.referrers(repository, &subject).await?;
            if let Some(why) = &listed.ignored {
                self.warnings
                    .push(format!("the referrers of {subject} are not shown: {why}"));
            }
            let via = match listed.via {
                crate::registry::Via::Api => "api",
                crate::registry::Via::FallbackTag => "fallback-tag",
                crate::registry::Via::Nothing => "none",
            };
            let mut nodes = Vec::new();
            for listed in listed.referrers {
                if !self.seen.insert(listed.digest.clone()) {
                    continue;
                }
                if self.seen.len() > limits::MAX_REPOSITORY_MANIFESTS {
                    return Err(Error::new(
                        Kind::RegistryRefused,
                        format!(
                            "`{repository}` has more than {} referrers hanging off `{}`",
                            limits::MAX_REPOSITORY_MANIFESTS,
                            self.reference
                        ),
                    )
                    .into());
                }
                let Some(node) = self.node(&subject, listed, depth).await? else {
                    continue;
                };
                nodes.push(node);
            }
            Ok((via, nodes))
        })
    }

    /// One referrer of `subject`, from its own manifest, with its referrers;
    /// `None` (and a warning) when it is missing or names another subject.
    async fn node(
        &mut self,
        subject: &str,
        listed: crate::registry::Referrer,
        depth: usize,
    ) -> Result<Option<ReferrerNode>> {
        let at = self.reference.with_digest(&listed.digest);
        let manifest = match self.registry.manifest(&at).await {
            Ok(manifest) => manifest,
            Err(err) if crate::error::find(&err).is_some_and(|e| e.kind == Kind::NotFound) => {
                self.warnings.push(format!(
                    "{} is listed as a referrer of {subject} but is not in the repository",
                    listed.digest
                ));
                return Ok(None);
            }
            Err(err) => return Err(err),
        };
        if crate::registry::Referrer::subject_of(&manifest.bytes).as_deref() != Some(subject) {
            self.warnings.push(format!(
                "{} is listed as a referrer of {subject} but its manifest names another subject: not shown",
                listed.digest
            ));
            return Ok(None);
        }
        let own = crate::registry::Referrer::of_manifest(
            &manifest.media_type,
            &manifest.digest,
            &manifest.bytes,
        )
        .unwrap_or(listed);
        let referrers = if depth < limits::MAX_REFERRER_DEPTH {
            self.referrers(own.digest.clone(), depth + 1).await?.1
        } else {
            Vec::new()
        };
        Ok(Some(ReferrerNode {
            created: own.created().map(str::to_owned),
            digest: own.digest,
            media_type: own.media_type,
            size: own.size,
            artifact_type: own.artifact_type,
            annotations: own.annotations,
            referrers,
        }))
    }
}

/// Annotations worth a line of their own in text: who or what signed.
fn signer_annotation(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    [
        "thumbprint",
        "signer",
        "signature",
        "certificate",
        "identity",
        "issuer",
        "predicatetype",
        "bundle.content",
    ]
    .iter()
    .any(|word| key.contains(word))
}

/// At most 100 characters of an annotation's value, for a line of text.
fn shortened(value: &str) -> String {
    let mut chars = value.chars();
    let short: String = chars.by_ref().take(100).collect();
    if chars.next().is_some() {
        format!("{short}…")
    } else {
        short
    }
}

fn print_referrers(
    settings: &Settings,
    reference: &Reference,
    tree: &ReferrerTree,
) -> std::io::Result<()> {
    let printer = &settings.printer;
    printer.data(format!("Reference:   {reference}"))?;
    printer.data(format!("Digest:      {}", tree.digest))?;
    print_hanging(settings, &tree.hanging, "")?;
    if let Some(platforms) = &tree.platforms {
        printer.data(format!("Platforms:   {}", platforms.len()))?;
        for entry in platforms {
            printer.data(format!(
                "  {:<16} {}",
                entry.platform.as_deref().unwrap_or("(unknown)"),
                entry.digest
            ))?;
            print_hanging(settings, &entry.hanging, "    ")?;
        }
    }
    Ok(())
}

fn print_hanging(settings: &Settings, hanging: &Hanging, indent: &str) -> std::io::Result<()> {
    let printer = &settings.printer;
    let via = match hanging.via {
        "api" => " (referrers API)",
        "fallback-tag" => " (fallback tag)",
        _ => "",
    };
    let count = count_nodes(&hanging.referrers);
    printer.data(format!("{indent}Referrers:   {count}{via}"))?;
    print_nodes(settings, &hanging.referrers, &format!("{indent}  "))?;
    if !hanging.cosign.is_empty() {
        printer.data(format!("{indent}Cosign tags: {}", hanging.cosign.len()))?;
        for entry in &hanging.cosign {
            printer.data(format!(
                "{indent}  {:<11} {}  {}  {}",
                entry.kind,
                entry.tag,
                entry.digest,
                human_bytes(entry.size)
            ))?;
        }
    }
    Ok(())
}

fn count_nodes(nodes: &[ReferrerNode]) -> usize {
    nodes.iter().map(|n| 1 + count_nodes(&n.referrers)).sum()
}

fn print_nodes(settings: &Settings, nodes: &[ReferrerNode], indent: &str) -> std::io::Result<()> {
    let printer = &settings.printer;
    for node in nodes {
        let created = node
            .created
            .as_deref()
            .map(|c| format!("  created {c}"))
            .unwrap_or_default();
        printer.data(format!(
            "{indent}{}  {}  {}{created}",
            node.artifact_type
                .as_deref()
                .unwrap_or("(no artifact type)"),
            node.digest,
            human_bytes(node.size)
        ))?;
        for (key, value) in node
            .annotations
            .iter()
            .filter(|(k, _)| signer_annotation(k))
        {
            printer.data(format!("{indent}    {key}: {}", shortened(value)))?;
        }
        print_nodes(settings, &node.referrers, &format!("{indent}  "))?;
    }
    Ok(())
}
