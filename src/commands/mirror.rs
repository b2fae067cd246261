//! `aseecr mirror`: copy images from any registry to the edge registry, and
//! between registries and OCI layouts (`oci:DIR`, `oci-archive:FILE`). The
//! command reads its arguments, checks them into a plan, has `crate::mirror`
//! run it, and reports what it did.

use anyhow::Result;

use super::report::{
    Shown, TextReporter, in_version_order, interruption_line, mirror_json, print_text,
};
use super::{AlreadyPrinted, ExitStatus};
use crate::cli::{Format, MirrorArgs};
use crate::mirror::{self, ImageList, MirrorOptions, Route};
use crate::settings::Settings;

pub async fn run(args: MirrorArgs, settings: &Settings) -> Result<ExitStatus> {
    // Bad input changes nothing: check it all before any network traffic.
    let mut plan = options(&args).check(settings.default_platform.as_ref())?;
    plan.verification = mirror::verification(settings, args.verify.paths())?;
    if let Some(default) = settings
        .default_platform
        .as_ref()
        .filter(|d| args.platforms.is_empty() && d.value != crate::settings::ALL_PLATFORMS)
    {
        settings.printer.status(format!(
            "copying only `{}` of multi-platform images (the default platform, from {}); `--platform all` copies every platform",
            default.value, default.origin
        ));
    }
    let json = args.format.format == Format::Json;
    let mut run_settings = settings.clone();
    if json {
        run_settings.printer = run_settings.printer.without_progress();
    }
    let printer = run_settings.printer;
    let route = mirror::route(
        settings,
        &image_list(&args),
        &plan,
        &TextReporter::new(printer, Shown::Whole),
    )
    .await?;
    let shown = match &route {
        Route::Registries(planned) if planned.len() > 1 => {
            Shown::Lines(crate::output::progress::DestinationLines::new(&printer))
        }
        _ => Shown::Whole,
    };
    let reporter = TextReporter::new(printer, shown);
    let mut mirrored = mirror::execute(&run_settings, &plan, route, &reporter).await?;
    in_version_order(&mut mirrored.images);

    let mirrored = if json {
        settings.printer.json(&mirror_json(&mirrored))?;
        if let Some(line) = interruption_line(&mirrored) {
            settings.printer.status(line);
        }
        // A lone image's failure is in the object printed (the same shape as
        // a batch's); the exit code is its kind's.
        mirrored
            .into_result()
            .map_err(|err| anyhow::Error::from(AlreadyPrinted(err)))?
    } else {
        let mirrored = mirrored.into_result()?;
        print_text(&settings.printer, &mirrored, false)?;
        mirrored
    };
    Ok(if mirrored.interruption.is_some() {
        ExitStatus::Interrupted
    } else if mirrored.failed() > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// The options of the run, as given.
fn options(args: &MirrorArgs) -> MirrorOptions {
    MirrorOptions {
        platforms: args.platforms.clone(),
        all_tags: args.all_tags,
        tags: args.tags.clone(),
        jobs: args.jobs,
        dry_run: args.dry_run,
        limit_rate: args.limit_rate.clone(),
        include_nondistributable: args.include_nondistributable,
        prune_replaced: args.prune_replaced,
        no_referrers: args.referrers.no_referrers,
        referrers_types: args.referrers.referrers_types.clone(),
        source: super::source_flags(&args.sides),
        destination: super::destination_flags(&args.sides),
    }
}

/// The images and where they go, as given.
fn image_list(args: &MirrorArgs) -> ImageList {
    ImageList {
        images: args.images.clone(),
        to: args.to.clone(),
        to_file: args.to_file.clone(),
        file: args.file.clone(),
        prefix: args.prefix.clone(),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    #[test]
    fn default_options_agree_with_the_command_line() {
        let cli = Cli::try_parse_from(["aseecr", "mirror", "x"]).unwrap();
        let Command::Mirror(args) = cli.command else {
            panic!("`aseecr mirror x` parsed as another command");
        };
        assert_eq!(options(&args), MirrorOptions::default());
    }
}
