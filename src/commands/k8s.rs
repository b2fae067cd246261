//! `aseecr k8s`: print an image pull secret, relocate manifests to the registry,
//! print a CronJob that runs `aseecr sync`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::ExitStatus;
use super::report::{Shown, TextReporter, print_text};
use crate::cli::{Format, K8sCommand, K8sCronJobArgs, K8sRelocateArgs, K8sSecretArgs};
use crate::connect::{self, Side};
use crate::error::{Error, Kind};
use crate::fsutil::ShowPath;
use crate::k8s::cronjob::{CronJob, MountedFile};
use crate::k8s::relocate::{Relocation, edge_reference, image_references, relocate};
use crate::k8s::secret::secret_manifest;
use crate::k8s::{validate_namespace, validate_secret_name};
use crate::mirror::{self, LimitRate, MirrorOptions, Referrers, SourceReads};
use crate::output::json;
use crate::registry::Reference;
use crate::settings::Settings;

pub async fn run(command: K8sCommand, settings: &Settings) -> Result<ExitStatus> {
    match command {
        K8sCommand::Secret(args) => secret(args, settings),
        K8sCommand::Relocate(args) => relocate_files(args, settings).await,
        K8sCommand::CronJob(args) => cronjob(args, settings),
    }
}

/// Check everything (names, schedule, the whole sync file, the certificates)
/// before printing anything.
fn cronjob(args: K8sCronJobArgs, settings: &Settings) -> Result<ExitStatus> {
    let secret = check_names(&args)?;
    let (name, text) = crate::sync::read_text(&args.file)?;
    let file = crate::sync::parse_unread(&name, &text)?;
    refuse_ca_files(&file)?;
    mirror::refuse_verify_files(&file)?;
    let (verify_files, trust_store) = mirror::cronjob_files(settings, args.verify.paths())?;
    let password_envs = password_envs(&file)?;
    let (image, pull_secret) = cronjob_image(&args, settings, &file)?;
    let login_secret = login_secret(&args, settings, &file)?;
    let job = CronJob {
        name: &args.name,
        namespace: args.namespace.as_deref(),
        schedule: args.schedule.trim(),
        time_zone: args.time_zone.as_deref(),
        image: &image,
        pull_secret: pull_secret.as_deref(),
        login_secret: login_secret.as_deref(),
        sync_file: &text,
        files: mounted_files(&args)?
            .into_iter()
            .chain(verify_files)
            .collect(),
        trust_store,
        flags: sync_flags(&args)?,
        secret: &secret,
        password_envs,
    };
    let printer = &settings.printer;
    let manifest = crate::k8s::cronjob::manifests(&job);
    let secret_command = (!job.password_envs.is_empty())
        .then(|| crate::k8s::cronjob::secret_command(&secret, job.namespace, &job.password_envs));
    if args.format.format == Format::Json {
        printer.json(&json::K8sCronJob {
            name: args.name.clone(),
            namespace: args.namespace.clone(),
            schedule: job.schedule.to_owned(),
            image: image.clone(),
            manifest,
            secret: secret.clone(),
            password_envs: job.password_envs.clone(),
            secret_command,
            login_secret: login_secret.clone(),
        })?;
        return Ok(ExitStatus::Success);
    }
    printer.raw(manifest.as_bytes())?;
    if let Some(command) = secret_command {
        printer.status(format!(
            "the CronJob reads {} password{} from the Secret `{secret}`; create it before the first run (bash):",
            job.password_envs.len(),
            if job.password_envs.len() == 1 { "" } else { "s" }
        ));
        for line in command.lines() {
            printer.status(line);
        }
    }
    Ok(ExitStatus::Success)
}

/// The CronJob's names, schedule and time zone checked; the name of the
/// Secret holding the passwords.
fn check_names(args: &K8sCronJobArgs) -> Result<String> {
    use crate::k8s::cronjob::{validate_name, validate_schedule};

    validate_name(&args.name)?;
    if let Some(namespace) = &args.namespace {
        validate_namespace(namespace)?;
    }
    validate_schedule(&args.schedule)?;
    if let Some(zone) = &args.time_zone {
        crate::k8s::time_zone::validate_time_zone(zone)?;
    }
    let secret = args
        .secret
        .clone()
        .unwrap_or_else(|| format!("{}-passwords", args.name));
    validate_secret_name(&secret)?;
    if let Some(pull_secret) = &args.pull_secret {
        validate_secret_name(pull_secret)?;
    }
    validate_secret_name(&args.login_secret)?;
    Ok(secret)
}

/// The variables holding the destinations' passwords, each once, checked.
/// Only the sync file reaches the pod (in the ConfigMap): a `caCert` naming a
/// file would fail there, so it is refused here with the forms that travel.
fn refuse_ca_files(file: &crate::sync::SyncFile) -> Result<()> {
    use crate::sync::CaCert;
    let destinations = file
        .destinations
        .iter()
        .map(|d| (format!("destination `{}`", d.name), &d.tls));
    let sources = file
        .sources
        .iter()
        .map(|(registry, tls)| (format!("source `{registry}`"), tls));
    for (whose, tls) in destinations.chain(sources) {
        if let Some(CaCert::File(path)) = &tls.ca_cert {
            return Err(Error::usage(format!(
                "the {whose} names `caCert: {}`, a file the CronJob's pod does not have",
                crate::output::terminal_safe_name(&path.to_string_lossy())
            ))
            .help(
                "write the certificate into the sync file (`caCert: |` and the PEM lines), \
                 or pass it with --dst-ca-cert / --src-ca-cert, which go into the ConfigMap",
            )
            .into());
        }
    }
    Ok(())
}

fn password_envs(file: &crate::sync::SyncFile) -> Result<Vec<String>> {
    let mut password_envs: Vec<String> = Vec::new();
    for destination in &file.destinations {
        let Some(credentials) = &destination.credentials else {
            continue;
        };
        crate::k8s::cronjob::validate_variable(&credentials.password_env, &destination.name)?;
        if !password_envs.contains(&credentials.password_env) {
            password_envs.push(credentials.password_env.clone());
        }
    }
    Ok(password_envs)
}

/// The Secret whose docker config logs the pod in to the destinations that
/// have no `credentials` in the file: none when every destination has them.
/// Inside the pod nobody can run `aseecr login`, so without it (--no-login-secret)
/// a warning names those destinations.
fn login_secret(
    args: &K8sCronJobArgs,
    settings: &Settings,
    file: &crate::sync::SyncFile,
) -> Result<Option<String>> {
    let without: Vec<&str> = file
        .destinations
        .iter()
        .filter(|d| d.credentials.is_none())
        .map(|d| d.name.as_str())
        .collect();
    if without.is_empty() {
        return Ok(None);
    }
    if args.no_login_secret {
        let names = without
            .iter()
            .map(|name| format!("`{}`", crate::output::terminal_safe_name(name)))
            .collect::<Vec<_>>()
            .join(", ");
        settings.printer.warn(format!(
            "the pod has no login for {names} (no `credentials` in the file, --no-login-secret): a registry that asks for a password will refuse it"
        ));
        return Ok(None);
    }
    Ok(Some(args.login_secret.clone()))
}

/// The aseecr image the CronJob runs, and the pull secret it needs (the
/// default one when the image is on the device's registry).
fn cronjob_image(
    args: &K8sCronJobArgs,
    settings: &Settings,
    file: &crate::sync::SyncFile,
) -> Result<(String, Option<String>)> {
    let configured = settings
        .default_registry
        .as_deref()
        .map(crate::registry::reference::normalize_registry)
        .transpose()?;
    let image = match &args.image {
        Some(image) => image.clone(),
        None => {
            let Some(registry) = &configured else {
                return Err(Error::usage("no --image given and no default registry is set")
                    .help("name the aseecr image: `--image ecr.dbe-xyz.microsoftdatabox.com:31001/aseecr:VERSION`")
                    .help("or set the registry it is on: `aseecr config set registry HOST:PORT`")
                    .into());
            };
            format!("{registry}/aseecr:{}", env!("CARGO_PKG_VERSION"))
        }
    };
    let reference = Reference::parse(&image, None)?;
    let pull_secret = if args.no_pull_secret {
        None
    } else if let Some(name) = &args.pull_secret {
        Some(name.clone())
    } else {
        let on_device = configured.as_deref() == Some(reference.registry.as_str())
            || file
                .destinations
                .iter()
                .any(|d| d.registry == reference.registry);
        on_device.then(|| crate::k8s::DEFAULT_PULL_SECRET.to_owned())
    };
    Ok((image, pull_secret))
}

/// The `--src-ca-cert` and `--dst-ca-cert` files, read and mounted.
fn mounted_files(args: &K8sCronJobArgs) -> Result<Vec<MountedFile>> {
    let mut files = Vec::new();
    let sides = [
        (&args.sides.src_ca_cert, "src-ca.crt", "--src-ca-cert"),
        (&args.sides.dst_ca_cert, "dst-ca.crt", "--dst-ca-cert"),
    ];
    for (path, key, option) in sides {
        if let Some(path) = path {
            let certificates = crate::pki::read(path)?;
            files.push(MountedFile {
                key,
                option,
                text: crate::pki::to_pem(&certificates),
            });
        }
    }
    Ok(files)
}

/// The flags the CronJob passes on to `aseecr sync`, `--limit-rate` checked.
fn sync_flags(args: &K8sCronJobArgs) -> Result<Vec<String>> {
    let mut flags: Vec<String> = [
        (args.sides.src_insecure, "--src-insecure"),
        (args.sides.src_plain_http, "--src-plain-http"),
        (args.sides.dst_insecure, "--dst-insecure"),
        (args.sides.dst_plain_http, "--dst-plain-http"),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, flag)| flag.to_owned())
    .collect();
    if let Some(rate) = &args.limit_rate {
        let rate = LimitRate::parse(rate)?;
        flags.extend(["--limit-rate".to_owned(), rate.text().to_owned()]);
    }
    let referrers = &args.referrers;
    match Referrers::from_flags(referrers.no_referrers, &referrers.referrers_types)? {
        Referrers::All => {}
        Referrers::None => flags.push("--no-referrers".to_owned()),
        Referrers::Types(types) => {
            for kind in types {
                flags.extend(["--referrers-type".to_owned(), kind]);
            }
        }
    }
    Ok(flags)
}

fn secret(args: K8sSecretArgs, settings: &Settings) -> Result<ExitStatus> {
    let registry = settings.require_registry(args.registry.as_deref())?;
    validate_secret_name(&args.name)?;
    if let Some(namespace) = &args.namespace {
        validate_namespace(namespace)?;
    }
    // `--username` with `--password-stdin`/ASEECR_PASSWORD, else the credential
    // store: `connect::stored_credentials` is where the store plugs in.
    let Some(credentials) = connect::credentials(settings, &registry, Side::Single)? else {
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
    if args.format.format == Format::Json {
        if let Some(path) = &args.output {
            crate::fsutil::write_atomic(path, manifest.as_bytes(), Some(0o600))?;
        }
        printer.json(&json::K8sSecret {
            registry: registry.clone(),
            name: args.name.clone(),
            namespace: args.namespace.clone(),
            written_to: args.output.as_ref().map(|path| path.shown().to_string()),
            manifest: args.output.is_none().then_some(manifest),
        })?;
        if args.output.is_none() {
            printer.warn(format!(
                "the secret in the JSON above contains the password for `{registry}` (base64, not encrypted)"
            ));
        }
        return Ok(ExitStatus::Success);
    }
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
    let pull_secret = check_relocate(&args)?;
    if settings.default_registry.is_none() {
        return Err(
            Error::usage("no registry given and no default registry is set")
                .help("pass the registry: `--registry ecr.dbe-xyz.microsoftdatabox.com:31001`")
                .help("or set a default: `aseecr config set registry HOST:PORT`")
                .into(),
        );
    }
    let registry = settings.require_registry(None)?;

    // Read every input and find its images before touching any registry or file.
    let (inputs, images) = read_inputs(&args)?;
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

    let presence = check_presence(&args, settings, &registry, &results).await?;
    let json = args.format.format == Format::Json;
    if !json {
        print_changes(settings, &args, &results);
        for image in &presence.missing {
            settings.printer.warn(format!(
                "`{image}` is not in the registry: mirror it before applying (`aseecr mirror SOURCE` or `k8s relocate --mirror`)"
            ));
        }
        if let Some(warning) = &presence.unchecked {
            settings.printer.warn(warning);
        }
    }
    if args.in_place {
        for result in &results {
            let Some(path) = &result.path else { continue };
            if result.relocation.text != result.original {
                write_keeping_mode(path, result.relocation.text.as_bytes())?;
            }
        }
    } else if !json {
        settings.printer.raw(joined(&results).as_bytes())?;
    }
    if json {
        settings
            .printer
            .json(&relocation_json(&args, &registry, &results, presence))?;
        return Ok(ExitStatus::Success);
    }
    let mut summary = relocate_summary(&args, &registry, pull_secret.is_some(), &results);
    if !presence.missing.is_empty() {
        summary.push_str(&format!("; {} not in the registry", presence.missing.len()));
    }
    settings.printer.status(summary);
    Ok(ExitStatus::Success)
}

/// The arguments checked: standard input named at most once and not rewritten
/// in place; the pull secret to add, if any.
fn check_relocate(args: &K8sRelocateArgs) -> Result<Option<&str>> {
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
    let sides = &args.sides;
    if !args.mirror && (sides.src_ca_cert.is_some() || sides.src_insecure || sides.src_plain_http) {
        return Err(
            Error::usage("the --src-* options apply to the sources of --mirror")
                .help("add --mirror to copy the images first, or drop the --src-* options")
                .into(),
        );
    }
    let referrers = &args.referrers;
    if !args.mirror && (referrers.no_referrers || !referrers.referrers_types.is_empty()) {
        return Err(Error::usage(
            "--no-referrers and --referrers-type apply to the copies of --mirror",
        )
        .help("add --mirror to copy the images first, or drop them")
        .into());
    }
    Referrers::from_flags(referrers.no_referrers, &referrers.referrers_types)?;
    if args.no_pull_secret {
        return Ok(None);
    }
    validate_secret_name(&args.pull_secret)?;
    Ok(Some(args.pull_secret.as_str()))
}

/// One input as read: its path (`None` for stdin), its label and its text.
type Input = (Option<PathBuf>, String, String);

/// Every input, and with `--mirror` or `--pin` the images they name, each once.
fn read_inputs(args: &K8sRelocateArgs) -> Result<(Vec<Input>, Vec<String>)> {
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
    Ok((inputs, images))
}

/// Each change on stderr: the notes, every image moved, every pull secret added.
fn print_changes(settings: &Settings, args: &K8sRelocateArgs, results: &[Relocated]) {
    let printer = &settings.printer;
    for result in results {
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
    }
}

/// `k8s relocate --format json`: every input's changes, the result and the counts.
fn relocation_json(
    args: &K8sRelocateArgs,
    registry: &str,
    results: &[Relocated],
    presence: Presence,
) -> json::K8sRelocation {
    let files: Vec<json::RelocatedFile> = results
        .iter()
        .map(|result| {
            let relocation = &result.relocation;
            json::RelocatedFile {
                file: result.label.clone(),
                changes: relocation
                    .changes
                    .iter()
                    .map(|change| json::ImageChange {
                        line: change.line,
                        object: change.object.to_string(),
                        container: change.container.clone(),
                        from: change.old.clone(),
                        to: change.new.clone(),
                    })
                    .collect(),
                unchanged_count: relocation.unchanged,
                pull_secret_added: relocation
                    .pull_secret_added
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
                notes: relocation.notes.iter().map(ToString::to_string).collect(),
                rewritten: args.in_place && relocation.text != result.original,
            }
        })
        .collect();
    let summary = json::RelocationSummary {
        relocated: files.iter().map(|f| f.changes.len()).sum(),
        already_there: files.iter().map(|f| f.unchanged_count).sum(),
        pull_secrets_added: files.iter().map(|f| f.pull_secret_added.len()).sum(),
        files_rewritten: files.iter().filter(|f| f.rewritten).count(),
    };
    json::K8sRelocation {
        registry: registry.to_owned(),
        in_place: args.in_place,
        manifest: (!args.in_place).then(|| joined(results)),
        presence_checked: presence.checked,
        not_checked_because: presence.unchecked,
        missing: presence.missing,
        files,
        summary,
    }
}

/// Every relocated input, as one YAML stream.
fn joined(results: &[Relocated]) -> String {
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
    out
}

/// The closing line: images relocated, pull secrets added, files rewritten.
fn relocate_summary(
    args: &K8sRelocateArgs,
    registry: &str,
    adds_pull_secret: bool,
    results: &[Relocated],
) -> String {
    let changed: usize = results.iter().map(|r| r.relocation.changes.len()).sum();
    let secrets: usize = results
        .iter()
        .map(|r| r.relocation.pull_secret_added.len())
        .sum();
    let mut summary = format!(
        "relocated {changed} image{} to `{registry}`",
        if changed == 1 { "" } else { "s" }
    );
    let unchanged: usize = results.iter().map(|r| r.relocation.unchanged).sum();
    if unchanged > 0 {
        summary.push_str(&format!(" ({unchanged} already there)"));
    }
    if adds_pull_secret {
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
    summary
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
    if args.verify.any() && !args.mirror {
        return Err(Error::usage(
            "--verify-key, --verify-policy and --trust-store check the images --mirror copies",
        )
        .help("add --mirror, or check the images with `aseecr verify REF` before relocating")
        .into());
    }
    let verification = mirror::verification(settings, args.verify.paths())?;
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
        let options = MirrorOptions {
            no_referrers: args.referrers.no_referrers,
            referrers_types: args.referrers.referrers_types.clone(),
            source: super::source_flags(&args.sides),
            destination: super::destination_flags(&args.sides),
            ..MirrorOptions::default()
        };
        let mut plan = options.check(settings.default_platform.as_ref())?;
        plan.verification = verification;
        let reporter = TextReporter::new(quiet.printer, Shown::Whole);
        let reads = SourceReads::Direct;
        let mirrored = mirror::mirror_images(&quiet, &plan, planned, reads, &reporter).await?;
        print_text(&quiet.printer, &mirrored, true)?;
        if mirrored.failed() > 0 {
            return Err(Error::new(
                Kind::Failed,
                "some images could not be mirrored; no manifest was rewritten",
            )
            .into());
        }
    }
    if args.pin {
        let flags = super::destination_flags(&args.sides);
        let client = connect::open(settings, registry, Side::Destination(&flags))?;
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

/// Whether the registry has the images the manifests now point at.
#[derive(Debug, Default)]
struct Presence {
    checked: bool,
    /// Each once, in the order the manifests name them.
    missing: Vec<String>,
    /// Why the registry could not be asked (a warning).
    unchecked: Option<String>,
}

/// One HEAD per relocated image (each once) in the registry, unless --mirror or
/// --pin already made sure. Missing images, or a registry that cannot be asked,
/// are warnings, or with --require-present an error before anything is written.
async fn check_presence(
    args: &K8sRelocateArgs,
    settings: &Settings,
    registry: &str,
    results: &[Relocated],
) -> Result<Presence> {
    let mut images: Vec<&str> = Vec::new();
    for change in results.iter().flat_map(|r| &r.relocation.changes) {
        if !images.contains(&change.new.as_str()) {
            images.push(&change.new);
        }
    }
    if args.mirror || args.pin || images.is_empty() {
        return Ok(Presence::default());
    }
    let flags = super::destination_flags(&args.sides);
    let asked = async {
        let client = connect::open(settings, registry, Side::Destination(&flags))?;
        let mut missing = Vec::new();
        for image in &images {
            let reference = Reference::parse(image, None)?;
            if !client.manifest_exists(&reference).await? {
                missing.push((*image).to_owned());
            }
        }
        anyhow::Ok(missing)
    };
    let missing = match asked.await {
        Ok(missing) => missing,
        Err(err) if !args.require_present => {
            return Ok(Presence {
                unchecked: Some(format!(
                    "could not ask `{registry}` whether it has the relocated images, so they are not checked: {err:#}"
                )),
                ..Presence::default()
            });
        }
        Err(err) => {
            return Err(err.context(format!(
                "cannot check that `{registry}` has the relocated images (--require-present)"
            )));
        }
    };
    if args.require_present && !missing.is_empty() {
        let mut error = Error::new(
            Kind::NotFound,
            format!(
                "{} relocated image{} not in `{registry}`; nothing was written: {}",
                missing.len(),
                if missing.len() == 1 { " is" } else { "s are" },
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        error = error
            .help("mirror them first: add --mirror, or `aseecr mirror SOURCE` for each")
            .help("or drop --require-present to write the manifests with a warning");
        return Err(error.into());
    }
    Ok(Presence {
        checked: true,
        missing,
        unchecked: None,
    })
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
