//! `aseecr k8s`: print an image pull secret, relocate manifests to the registry.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::cli::{K8sCommand, K8sRelocateArgs, K8sSecretArgs};
use crate::commands::{ExitStatus, credentials_for, mirror};
use crate::error::{Error, Kind};
use crate::fsutil::ShowPath;
use crate::k8s::relocate::{Relocation, edge_reference, image_references, relocate};
use crate::k8s::secret::secret_manifest;
use crate::k8s::{validate_namespace, validate_secret_name};
use crate::registry::Reference;
use crate::settings::Settings;

pub async fn run(command: K8sCommand, settings: &Settings) -> Result<ExitStatus> {
    match command {
        K8sCommand::Secret(args) => secret(args, settings),
        K8sCommand::Relocate(args) => relocate_files(args, settings).await,
    }
}

fn secret(args: K8sSecretArgs, settings: &Settings) -> Result<ExitStatus> {
    let registry = settings.require_registry(args.registry.as_deref())?;
    validate_secret_name(&args.name)?;
    if let Some(namespace) = &args.namespace {
        validate_namespace(namespace)?;
    }
    // `--username` with `--password-stdin`/ASEECR_PASSWORD, else the credential
    // store: `commands::stored_credentials` is where the store plugs in.
    let Some(credentials) = credentials_for(settings, &registry)? else {
        return Err(Error::new(Kind::Auth, format!("no credentials for `{registry}`"))
            .help(format!("log in first: `aseecr login {registry}`"))
            .help(format!(
                "or give them for this run: `aseecr -u USER --password-stdin k8s secret {registry}`"
            ))
            .into());
    };
    let manifest = secret_manifest(
        &registry,
        &credentials.username,
        &credentials.password,
        args.namespace.as_deref(),
        &args.name,
    );
    let printer = &settings.printer;
    match &args.output {
        Some(path) => {
            crate::fsutil::write_atomic(path, manifest.as_bytes(), Some(0o600))?;
            printer.status(format!(
                "wrote secret `{}` for `{registry}` to `{}` (it contains the password)",
                args.name,
                path.shown()
            ));
        }
        None => {
            printer.raw(manifest.as_bytes())?;
            printer.warn(format!(
                "the secret printed above contains the password for `{registry}` (base64, not encrypted)"
            ));
        }
    }
    Ok(ExitStatus::Success)
}

/// One input of `k8s relocate`, read and relocated.
struct Relocated {
    /// `None` for standard input.
    path: Option<PathBuf>,
    label: String,
    original: String,
    relocation: Relocation,
}

async fn relocate_files(args: K8sRelocateArgs, settings: &Settings) -> Result<ExitStatus> {
    let stdin_count = args.files.iter().filter(|f| is_stdin(f)).count();
    if args.in_place && stdin_count > 0 {
        return Err(
            Error::usage("--in-place cannot rewrite standard input (`-`)")
                .help("drop --in-place to print the result, or name the files")
                .into(),
        );
    }
    if stdin_count > 1 {
        return Err(Error::usage("standard input (`-`) is named more than once").into());
    }
    let pull_secret = if args.no_pull_secret {
        None
    } else {
        validate_secret_name(&args.pull_secret)?;
        Some(args.pull_secret.as_str())
    };
    let registry = settings.require_registry(None)?;

    // Read every input and find its images before touching any registry or file.
    let mut inputs = Vec::new();
    let mut images: Vec<String> = Vec::new();
    for file in &args.files {
        let (path, label, original) = read_input(file)?;
        if args.mirror || args.pin {
            let found = image_references(&original)
                .map_err(anyhow::Error::from)
                .with_context(|| format!("cannot read the images of `{label}`"))?;
            for image in found {
                if !images.contains(&image) {
                    images.push(image);
                }
            }
        }
        inputs.push((path, label, original));
    }
    let pinned = pin_and_mirror(&args, settings, &registry, &images).await?;

    // Relocate every input before writing anything: a bad file changes nothing.
    let mut results = Vec::new();
    for (path, label, original) in inputs {
        let relocation = relocate(&original, pull_secret, |image| match pinned.get(image) {
            Some(target) => Ok(target.clone()),
            None => Ok(edge_reference(image, &registry)?),
        })
        .with_context(|| format!("cannot relocate `{label}`"))?;
        results.push(Relocated {
            path,
            label,
            original,
            relocation,
        });
    }

    let printer = &settings.printer;
    let mut changed = 0;
    let mut secrets = 0;
    for result in &results {
        let Relocated {
            label, relocation, ..
        } = result;
        for note in &relocation.notes {
            printer.warn(format!("{label}: {note}"));
        }
        for change in &relocation.changes {
            let container = change
                .container
                .as_deref()
                .map_or_else(String::new, |name| format!(" container `{name}`"));
            printer.status(format!(
                "{label}:{}: {}{container}: {} -> {}",
                change.line, change.object, change.old, change.new
            ));
        }
        for object in &relocation.pull_secret_added {
            printer.status(format!(
                "{label}: {object}: added imagePullSecrets `{}`",
                args.pull_secret
            ));
        }
        changed += relocation.changes.len();
        secrets += relocation.pull_secret_added.len();
    }

    if args.in_place {
        for result in &results {
            let Some(path) = &result.path else { continue };
            if result.relocation.text != result.original {
                write_keeping_mode(path, result.relocation.text.as_bytes())?;
            }
        }
    } else {
        let mut out = String::new();
        for (index, result) in results.iter().enumerate() {
            if index > 0 {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str("---\n");
            }
            out.push_str(&result.relocation.text);
        }
        printer.raw(out.as_bytes())?;
    }

    let mut summary = format!(
        "relocated {changed} image{} to `{registry}`",
        if changed == 1 { "" } else { "s" }
    );
    let unchanged: usize = results.iter().map(|r| r.relocation.unchanged).sum();
    if unchanged > 0 {
        summary.push_str(&format!(" ({unchanged} already there)"));
    }
    if pull_secret.is_some() {
        summary.push_str(&format!(
            "; added imagePullSecrets `{}` to {secrets} pod spec{}",
            args.pull_secret,
            if secrets == 1 { "" } else { "s" }
        ));
    }
    if args.in_place {
        let files = results
            .iter()
            .filter(|r| r.relocation.text != r.original)
            .count();
        summary.push_str(&format!(
            "; rewrote {files} file{}",
            if files == 1 { "" } else { "s" }
        ));
    }
    printer.status(summary);
    Ok(ExitStatus::Success)
}

/// `--mirror`: copy every image to the registry first. `--pin`: map each image to
/// its registry reference with the digest it has there.
async fn pin_and_mirror(
    args: &K8sRelocateArgs,
    settings: &Settings,
    registry: &str,
    images: &[String],
) -> Result<HashMap<String, String>> {
    let mut pinned = HashMap::new();
    if images.is_empty() {
        return Ok(pinned);
    }
    let mut pairs = Vec::new();
    for image in images {
        let source = Reference::parse(image, None)?;
        let target = Reference::parse(&edge_reference(image, registry)?, None)?;
        pairs.push((image.clone(), source, target));
    }
    if args.mirror {
        let planned = pairs
            .iter()
            .map(|(_, source, target)| (source.clone(), target.clone()))
            .collect();
        // The summary goes to stderr: stdout carries the YAML.
        let mut quiet = settings.clone();
        quiet.printer = quiet.printer.without_progress();
        let options = mirror::MirrorOptions::default();
        let mirrored = mirror::mirror(&quiet, planned, &options, None).await?;
        mirror::print_text(&quiet, &mirrored, true)?;
        if mirrored.failed() > 0 {
            return Err(Error::new(
                Kind::Failed,
                "some images could not be mirrored; no manifest was rewritten",
            )
            .into());
        }
    }
    if args.pin {
        let client = crate::commands::open_registry(settings, registry)?;
        for (image, _, target) in &pairs {
            let descriptor = client.resolve(target).await.with_context(|| {
                format!("cannot pin `{image}`: `{target}` is not in the registry (pass --mirror to copy it first)")
            })?;
            let mut text = target.to_string();
            if target.digest.is_none() {
                text.push('@');
                text.push_str(&descriptor.digest);
            }
            pinned.insert(image.clone(), text);
        }
    }
    Ok(pinned)
}

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The file's path (`None` for stdin), a label for messages, and its text.
fn read_input(file: &Path) -> Result<(Option<PathBuf>, String, String)> {
    let bytes = crate::fsutil::read_input(file, &crate::fsutil::MANIFEST)?;
    if is_stdin(file) {
        let label = "<stdin>".to_owned();
        let text = utf8(bytes, &label)?;
        return Ok((None, label, text));
    }
    let label = file.shown().to_string();
    let text = utf8(bytes, &label)?;
    Ok((Some(file.to_owned()), label, text))
}

fn utf8(bytes: Vec<u8>, label: &str) -> Result<String> {
    String::from_utf8(bytes).map_err(|_| {
        Error::usage(format!("`{label}` is not UTF-8 text"))
            .help("Kubernetes manifests are UTF-8 YAML")
            .into()
    })
}

/// Replace `path` atomically, keeping its permissions (and writing through a symlink).
fn write_keeping_mode(path: &Path, bytes: &[u8]) -> Result<()> {
    let target = std::fs::canonicalize(path)
        .with_context(|| format!("cannot resolve `{}`", path.shown()))?;
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        let metadata = std::fs::metadata(&target)
            .with_context(|| format!("cannot read the permissions of `{}`", path.shown()))?;
        Some(metadata.permissions().mode() & 0o7777)
    };
    #[cfg(not(unix))]
    let mode = None;
    crate::fsutil::write_atomic(&target, bytes, mode)
}
