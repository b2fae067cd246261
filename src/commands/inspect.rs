//! `aseecr inspect`: an image's digest, media type, platforms, layers and sizes.

use anyhow::Result;
use futures_util::future::try_join_all;

use super::{ExitStatus, open_registry, parse_reference};
use crate::cli::{Format, InspectArgs};
use crate::output::human_bytes;
use crate::output::json::{Blob, Image, Inspection, PlatformEntry};
use crate::registry::manifest::platform_string;
use crate::registry::{Content, Reference, Registry};
use crate::settings::Settings;

#[derive(serde::Deserialize)]
struct ConfigFields {
    created: Option<String>,
    os: Option<String>,
    architecture: Option<String>,
    variant: Option<String>,
}

pub async fn run(args: InspectArgs, settings: &Settings) -> Result<ExitStatus> {
    let reference = parse_reference(settings, &args.reference)?;
    let registry = open_registry(settings, &reference.registry)?;
    let manifest = registry.manifest(&reference).await?;
    let printer = &settings.printer;
    if args.raw {
        printer.raw(&manifest.bytes)?;
        return Ok(ExitStatus::Success);
    }
    let inspection = match manifest.content()? {
        Content::Image(_) => {
            let image = describe_image(&registry, &reference, &manifest.digest).await?;
            Inspection {
                reference: reference.to_string(),
                digest: manifest.digest.clone(),
                media_type: manifest.media_type.clone(),
                kind: "image",
                total_size: manifest.bytes.len() as u64 + image.total_size,
                image: Some(image),
                platforms: None,
            }
        }
        Content::Index(index) => {
            let children = index.manifests.iter().map(|entry| {
                let registry = &registry;
                let reference = &reference;
                async move {
                    let image = if is_image_type(&entry.media_type) {
                        Some(describe_image(registry, reference, &entry.digest).await?)
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
            });
            let platforms = try_join_all(children).await?;
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
                reference: reference.to_string(),
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
        Format::Text => print_text(settings, &inspection)?,
    }
    Ok(ExitStatus::Success)
}

fn is_image_type(media_type: &str) -> bool {
    use crate::registry::manifest::{DOCKER_MANIFEST, OCI_MANIFEST};
    media_type == OCI_MANIFEST || media_type == DOCKER_MANIFEST
}

async fn describe_image(registry: &Registry, reference: &Reference, digest: &str) -> Result<Image> {
    let manifest = registry.manifest(&reference.with_digest(digest)).await?;
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
    let total_size = config.size + layers.iter().map(|l| l.size).sum::<u64>();
    Ok(Image {
        platform,
        created: fields.and_then(|f| f.created),
        config,
        layers,
        total_size,
    })
}

fn print_text(settings: &Settings, inspection: &Inspection) -> std::io::Result<()> {
    let printer = &settings.printer;
    printer.data(format!("Reference:   {}", inspection.reference))?;
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
                .map(|i| human_bytes(i.total_size + entry.size))
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
