//! `aseecr digest`: print the digest a reference resolves to.

use anyhow::Result;

use super::{ExitStatus, parse_reference, platform_manifest};
use crate::cli::{DigestArgs, Format};
use crate::connect::{self, Side};
use crate::output::json;
use crate::registry::Platform;
use crate::settings::Settings;

pub async fn run(args: DigestArgs, settings: &Settings) -> Result<ExitStatus> {
    let reference = parse_reference(settings, &args.reference)?;
    let platform = args.platform.as_deref().map(Platform::parse).transpose()?;
    let registry = connect::open(settings, &reference.registry, Side::Single)?;
    let digest = match &platform {
        None => registry.resolve(&reference).await?.digest,
        Some(platform) => {
            let manifest = registry.manifest(&reference).await?;
            platform_manifest(&registry, &reference, manifest, platform)
                .await?
                .digest
        }
    };
    match args.format.format {
        Format::Json => settings.printer.json(&json::DigestReport {
            reference: args.reference,
            platform: args.platform,
            digest,
        })?,
        Format::Text => settings.printer.data(&digest)?,
    }
    Ok(ExitStatus::Success)
}
