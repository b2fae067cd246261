//! `aseecr build-image` (hidden; scripts/package-image.sh runs it in release CI):
//! aseecr's container image, one layer holding the static program and a CA
//! bundle, written into an OCI layout or archive by the layout writer, without
//! a container engine.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::{Context, Result};

use crate::cli::BuildImageArgs;
use crate::commands::ExitStatus;
use crate::error::Error;
use crate::fsutil::ShowPath;
use crate::layout::build::{BuiltImage, Elf, ImageSpec, LayerFile, read_elf};
use crate::layout::write::Writer;
use crate::layout::{Location, Transport};
use crate::output::Printer;
use crate::output::progress::MirrorProgress;
use crate::registry::copy::{CopyOptions, Observer};
use crate::settings::Settings;

/// Where the program is in the image (on `PATH`, the entrypoint).
pub const PROGRAM_PATH: &str = "/usr/local/bin/aseecr";
/// Where the CA bundle is: Debian's place, which rustls-native-certs probes,
/// also named by `SSL_CERT_FILE`.
pub const CA_BUNDLE_PATH: &str = "/etc/ssl/certs/ca-certificates.crt";
/// The user the image runs as ("nonroot" in distroless images).
pub const USER: &str = "65532:65532";

pub async fn run(args: BuildImageArgs, settings: &Settings) -> Result<ExitStatus> {
    let location = destination(&args.destination)?;
    let name = location
        .name
        .clone()
        .unwrap_or_else(|| args.image_version.clone());
    let printer = &settings.printer;
    let (program, elf) = read_program(&args, printer)?;
    let bundle = crate::fsutil::read_file(&args.ca_bundle, &crate::fsutil::CA_BUNDLE)?;
    let certificates =
        crate::pki::parse(&bundle).with_context(|| format!("in `{}`", args.ca_bundle.shown()))?;
    // Written as PEM whatever it was read as: SSL_CERT_FILE names a PEM bundle.
    let bundle = crate::pki::to_pem(&certificates);
    let spec = image_spec(&args, program, bundle, elf.architecture)?;
    // Compressing the program takes a few seconds: off the runtime.
    let built = tokio::task::spawn_blocking(move || BuiltImage::build(&spec))
        .await
        .context("the image builder stopped")??;
    let destination = write(printer, &location, &name, &built).await?;
    printer.status(format!(
        "built {destination}: linux/{}, {} certificates, layer {} bytes",
        elf.architecture,
        certificates.len(),
        built.layer_size
    ));
    printer.data(built.digest())?;
    Ok(ExitStatus::Success)
}

/// The OCI layout or archive the image goes to.
fn destination(destination: &str) -> Result<Location> {
    match Location::parse(destination) {
        Some(Ok(location)) if location.transport != Transport::DockerArchive => Ok(location),
        Some(Err(err)) => Err(err.into()),
        _ => Err(
            Error::usage(format!("`{destination}` is not an OCI layout destination"))
                .help("write it as oci:DIR:NAME or oci-archive:FILE:NAME")
                .into(),
        ),
    }
}

/// The program, checked to be a static Linux executable (a dynamic one only
/// with `--allow-dynamic`, with a warning).
fn read_program(args: &BuildImageArgs, printer: &Printer) -> Result<(Vec<u8>, Elf)> {
    let program = crate::fsutil::read_file(&args.binary, &crate::fsutil::PROGRAM)?;
    let Some(elf) = read_elf(&program) else {
        return Err(Error::usage(format!(
            "`{}` is not a 64-bit Linux program for amd64 or arm64",
            args.binary.shown()
        ))
        .help("build it for Linux: `cargo build --release --target x86_64-unknown-linux-musl`")
        .into());
    };
    if elf.dynamic {
        let problem = format!(
            "`{}` is dynamically linked: it would not start in the image, which holds no C library",
            args.binary.shown()
        );
        if !args.allow_dynamic {
            return Err(Error::usage(problem)
                .help("build it static: `cargo build --release --target x86_64-unknown-linux-musl`")
                .into());
        }
        printer.warn(problem);
    }
    Ok((program, elf))
}

/// The OCI labels: title, description, version, licence, creation time, revision.
fn labels(args: &BuildImageArgs) -> Result<BTreeMap<String, String>> {
    let created = chrono::DateTime::from_timestamp(args.source_date_epoch, 0)
        .ok_or_else(|| {
            Error::usage(format!(
                "the time {} is out of range",
                args.source_date_epoch
            ))
        })?
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let mut labels = BTreeMap::from([
        ("org.opencontainers.image.title", "aseecr".to_owned()),
        (
            "org.opencontainers.image.description",
            env!("CARGO_PKG_DESCRIPTION").to_owned(),
        ),
        (
            "org.opencontainers.image.version",
            args.image_version.clone(),
        ),
        (
            "org.opencontainers.image.licenses",
            env!("CARGO_PKG_LICENSE").to_owned(),
        ),
        ("org.opencontainers.image.created", created),
    ]);
    if let Some(revision) = &args.revision {
        labels.insert("org.opencontainers.image.revision", revision.clone());
    }
    Ok(labels.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// The image: one layer with the program and the CA bundle, run as [`USER`].
fn image_spec(
    args: &BuildImageArgs,
    program: Vec<u8>,
    bundle: String,
    architecture: &str,
) -> Result<ImageSpec> {
    Ok(ImageSpec {
        files: vec![
            LayerFile {
                path: PROGRAM_PATH.to_owned(),
                mode: 0o755,
                bytes: program,
            },
            LayerFile {
                path: CA_BUNDLE_PATH.to_owned(),
                mode: 0o644,
                bytes: bundle.into_bytes(),
            },
        ],
        // HOME: aseecr keeps its settings there.
        dirs: vec![("tmp".to_owned(), 0o1777)],
        os: "linux".to_owned(),
        architecture: architecture.to_owned(),
        created: args.source_date_epoch,
        entrypoint: vec![PROGRAM_PATH.to_owned()],
        cmd: Vec::new(),
        env: vec![
            "PATH=/usr/local/bin".to_owned(),
            format!("SSL_CERT_FILE={CA_BUNDLE_PATH}"),
            "HOME=/tmp".to_owned(),
        ],
        user: USER.to_owned(),
        working_dir: "/tmp".to_owned(),
        labels: labels(args)?,
    })
}

/// Write the built image into the layout or archive; how it is described.
async fn write(
    printer: &Printer,
    location: &Location,
    name: &str,
    built: &BuiltImage,
) -> Result<String> {
    let writer = Writer::open(location, 2)?;
    let destination = writer.describe(name);
    let progress = Arc::new(MirrorProgress::new(printer));
    let observer: Arc<dyn Observer> = progress.clone();
    let report = writer
        .copy(
            built,
            &built.reference(),
            name,
            &CopyOptions::default(),
            &observer,
        )
        .await;
    progress.finish();
    report?;
    writer.finish().await?;
    Ok(destination.to_string())
}
