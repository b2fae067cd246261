//! `aseecr digest`: print the digest a reference resolves to.

use anyhow::Result;

use super::{ExitStatus, parse_reference, platform_manifest};
use crate::cli::DigestArgs;
use crate::connect::{self, Side};
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
    settings.printer.data(&digest)?;
    Ok(ExitStatus::Success)
}
