//! What the commands print that more than one of them prints: a copy run's
//! progress, notices, image lines, summary and JSON (mirror, sync, k8s
//! relocate --mirror), and a prune's lines and JSON (prune, sync).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::error_json;
use crate::cleanup::{self, Action, Outcome, RepoPlan, inventory_of};
use crate::fsutil::ShowPath;
use crate::mirror::{
    Cleanup, ImageOutcome, LayoutStop, Mirrored, Notice, Progress, ReferrerOutcome, ReferrerStatus,
    Reporter, Verdict,
};
use crate::output::progress::{DestinationLines, MirrorProgress};
use crate::output::{Printer, human_bytes, json};
use crate::registry::copy::{self, ImageReport, Replaced, is_interrupted};
use crate::registry::{Inventory, natural_cmp};
use crate::verify;

/// How a copy run's progress is shown.
pub(crate) enum Shown {
    /// A whole display for each destination (or none, when the printer draws
    /// no progress).
    Whole,
    /// One line per destination, among the others'.
    Lines(DestinationLines),
    /// This one line, among other runs' (a `sync` destination's).
    Line(Box<Mutex<Option<MirrorProgress>>>),
}

/// A copy run told on stderr: warnings and errors as they come, each image's
/// notes (its line on stdout is [`print_text`]'s, at the end).
pub(crate) struct TextReporter {
    printer: Printer,
    shown: Shown,
}

impl TextReporter {
    pub(crate) fn new(printer: Printer, shown: Shown) -> TextReporter {
        TextReporter { printer, shown }
    }
}

impl Progress for MirrorProgress {
    fn finish(&self) {
        MirrorProgress::finish(self);
    }
}

impl Reporter for TextReporter {
    fn progress(&self, destination: &str) -> Arc<dyn Progress> {
        match &self.shown {
            Shown::Whole => Arc::new(MirrorProgress::new(&self.printer)),
            Shown::Lines(lines) => Arc::new(lines.line(destination)),
            Shown::Line(line) => {
                let given = line.lock().unwrap_or_else(|p| p.into_inner()).take();
                Arc::new(given.unwrap_or_else(|| MirrorProgress::new(&self.printer)))
            }
        }
    }

    fn notice(&self, notice: Notice) {
        match notice_line(&notice) {
            (true, line) => self.printer.warn(line),
            (false, line) => self.printer.status(line),
        }
    }

    fn image(&self, image: &ImageOutcome, dry_run: bool, interrupted: bool) {
        match &image.result {
            Ok(report) => report_image(&self.printer, report, image.cleanup.as_ref(), dry_run),
            // The interruption line says it once for all.
            Err(err) if interrupted && is_interrupted(err) => {}
            Err(err) => print_error(&self.printer, Some(&image.source), err),
        }
    }

    fn destination_done(&self, registry: &str, outcome: Result<&Mirrored, &anyhow::Error>) {
        match outcome {
            Ok(mirrored) => self
                .printer
                .status(format!("`{registry}`: {}", summary(mirrored))),
            Err(err) => print_error(&self.printer, Some(&format!("`{registry}`")), err),
        }
    }
}

/// Print an error on stderr, the one way every error is printed (by `run`,
/// and for each failed item of a batch): the lines of [`error_lines`], control
/// characters escaped, the labels coloured when stderr takes colour.
pub(crate) fn print_error(printer: &Printer, what: Option<&str>, err: &anyhow::Error) {
    let lines = error_lines(what, err, printer.verbose());
    printer.error(&lines.message);
    for cause in &lines.causes {
        printer.cause(cause);
    }
    for help in lines.help {
        printer.help(help);
    }
}

/// What an error report says.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ErrorLines {
    /// After `error:`: the message, led by the item that failed when given.
    message: String,
    /// `caused by:` lines, one per cause, outermost first: every cause the
    /// message or an earlier line does not already say (with -v, every cause
    /// as it is).
    causes: Vec<String>,
    /// `help:` lines.
    help: Vec<String>,
}

pub(crate) fn error_lines(what: Option<&str>, err: &anyhow::Error, verbose: u8) -> ErrorLines {
    let message = err.to_string();
    let mut causes: Vec<String> = err.chain().skip(1).map(ToString::to_string).collect();
    if verbose == 0 {
        // The whole chain, as rustup prints it: the innermost cause is often the
        // one that explains ("no os-release file"); a context that repeats its
        // cause's text (`...: {err}`) is not said twice.
        let mut said = vec![message.clone()];
        causes.retain(|cause| {
            let new = !said.iter().any(|line| line.contains(cause.as_str()));
            if new {
                said.push(cause.clone());
            }
            new
        });
    }
    ErrorLines {
        message: match what {
            Some(what) => format!("{what}: {message}"),
            None => message,
        },
        causes,
        help: super::hints::help_lines(err),
    }
}

/// A notice in words, and whether it is a warning (else a status line).
fn notice_line(notice: &Notice) -> (bool, String) {
    let warning = |line: String| (true, line);
    match notice {
        Notice::UntaggedSkipped { layout, name } => warning(format!(
            "skipped {name} of `{layout}`: it has no RepoTag (mirror it by itself: `{layout}:{name} REGISTRY/REPOSITORY:TAG`)"
        )),
        Notice::NoImages { layout, filtered } => {
            warning(format!("`{layout}` names no image{}", matching(*filtered)))
        }
        Notice::BareSource {
            source,
            hub,
            default_registry,
        } => (
            false,
            format!(
                "`{source}` means {hub} (a mirror source without a registry is Docker Hub's; write `{default_registry}/{}` for the default registry's)",
                source.strip_prefix("docker://").unwrap_or(source)
            ),
        ),
        Notice::NoTags {
            repository,
            filtered,
        } => warning(format!("`{repository}` has no tags{}", matching(*filtered))),
        Notice::TagsUnreadable { repository, error } => warning(format!(
            "cannot read the tags of `{repository}` to prune what they replaced: {error:#}"
        )),
        Notice::RecordNotWritten { path, error } => warning(format!(
            "cannot record the replaced digests in `{}`: {error:#}",
            path.shown()
        )),
        Notice::ReplacedStay { count, record } => (
            false,
            format!(
                "{} on the registry, untagged, until deleted (recorded in `{}`); --prune-replaced deletes a replaced digest no tag uses",
                if *count == 1 {
                    "the replaced digest stays".to_owned()
                } else {
                    format!("{count} replaced digests stay")
                },
                record.shown()
            ),
        ),
        Notice::ReferrersNotKept { destination } => warning(format!(
            "`{destination}` cannot hold referrers (signatures, SBOMs, attestations): any the images have are left out (a registry keeps them; --no-referrers says this is meant)"
        )),
        Notice::ReferrersUnlisted { count, first } => warning(format!(
            "the referrers of {} not copied: {first}{}",
            if *count == 1 {
                "one manifest were".to_owned()
            } else {
                format!("{count} manifests were")
            },
            if *count > 1 {
                "; --format json lists every one"
            } else {
                ""
            }
        )),
        Notice::ReferrersFailed { count, first } => warning(format!(
            "{} not copied (the images are): {first}{}",
            if *count == 1 {
                "a referrer was".to_owned()
            } else {
                format!("{count} referrers were")
            },
            if *count > 1 {
                "; --format json lists every one"
            } else {
                ""
            }
        )),
    }
}

/// ` matching --tags` when a filter left tags out.
fn matching(filtered: bool) -> &'static str {
    if filtered { " matching --tags" } else { "" }
}

/// The one line that says what an interrupted run did, if it was interrupted.
pub(crate) fn interruption_line(mirrored: &Mirrored) -> Option<String> {
    let stop = mirrored.interruption.as_ref()?;
    let total = mirrored.images.len();
    let done = total - mirrored.failed();
    let images = format!(
        "{done} of {total} image{} mirrored",
        if total == 1 { "" } else { "s" }
    );
    let uploads = if let Some(layout) = &stop.layout {
        return Some(match layout {
            LayoutStop::Dir(dir) => format!(
                "interrupted: {images} into `{dir}`; run the same command again to continue"
            ),
            LayoutStop::Archive(archive) => format!(
                "interrupted: {images}, `{archive}` not written; run the same command again to continue"
            ),
        });
    } else if stop.at_once {
        "stopped at once, open uploads left to the registry's purging".to_owned()
    } else {
        let n = stop.uploads_cancelled;
        let mut uploads = format!("{n} upload{} cancelled", if n == 1 { "" } else { "s" });
        if stop.uploads_kept > 0 {
            uploads.push_str(&format!(", {} kept to continue", stop.uploads_kept));
        }
        uploads
    };
    Some(format!(
        "interrupted: {images}, {uploads}; run the same command again to continue"
    ))
}

/// One referrer of a copied image, on the wire.
fn referrer_json(referrer: &ReferrerOutcome) -> json::MirrorReferrer {
    json::MirrorReferrer {
        subject: referrer.subject.clone(),
        digest: referrer.digest.clone(),
        artifact_type: referrer.artifact_type.clone(),
        tag: referrer.tag.clone(),
        status: referrer.status.name(),
        reason: match &referrer.status {
            ReferrerStatus::Failed(reason) => Some(reason.clone()),
            _ => None,
        },
    }
}

/// The wire format of a copy run (docs/json.md).
pub(crate) fn mirror_json(mirrored: &Mirrored) -> json::MirrorReport {
    let items: Vec<json::MirrorItem> = mirrored
        .images
        .iter()
        .map(|image| match &image.result {
            Ok(report) => json::MirrorItem {
                source: image.source.clone(),
                destination: image.destination.clone(),
                status: wire_status(report.outcome),
                copy: Some(json::MirrorCopy {
                    source_digest: report.source_digest.clone(),
                    destination_digest: report.destination_digest.clone(),
                    digest_changed: report.digest_changed,
                    blobs_copied: report.blobs_copied,
                    blobs_present: report.blobs_present,
                    blobs_mounted: report.blobs_mounted,
                    bytes_copied: report.bytes_copied,
                    blobs_to_copy: report.blobs_to_copy,
                    bytes_to_copy: report.bytes_to_copy,
                    manifests_pushed: report.manifests_pushed,
                    repaired: report.repaired,
                    skipped_foreign: report.skipped_foreign.clone(),
                    referrers: image.referrers.iter().map(referrer_json).collect(),
                    referrers_unlisted: image
                        .referrers_unlisted
                        .iter()
                        .map(|(subject, reason)| json::MirrorUnlisted {
                            subject: subject.clone(),
                            reason: reason.clone(),
                        })
                        .collect(),
                    replaced: report.replaced.as_ref().map(|replaced| {
                        let cleanup = image.cleanup.as_ref();
                        json::MirrorReplaced {
                            digest: replaced.digest.clone(),
                            size: replaced.size,
                            pruned: cleanup.is_some_and(|c| c.pruned),
                            manifests_deleted: cleanup.map_or(0, |c| c.manifests_deleted),
                            in_use_by: cleanup.map(|c| c.in_use_by.clone()).unwrap_or_default(),
                            recorded: cleanup.is_some_and(|c| c.recorded),
                            error: cleanup.and_then(|c| c.error.as_ref()).map(error_json),
                        }
                    }),
                }),
                verification: image.verification.as_ref().map(verification_json),
                error: None,
            },
            Err(err) => json::MirrorItem {
                source: image.source.clone(),
                destination: image.destination.clone(),
                status: json::Status::Failed,
                copy: None,
                verification: image.verification.as_ref().map(verification_json),
                error: Some(error_json(err)),
            },
        })
        .collect();
    json::MirrorReport {
        dry_run: mirrored.dry_run,
        summary: json::MirrorSummary {
            counts: json::BatchCounts::of(items.iter().map(|item| &item.error)),
            up_to_date: mirrored.up_to_date(),
            blobs_copied: mirrored.blobs_copied(),
            blobs_present: mirrored.ok().map(|r| r.blobs_present).sum(),
            blobs_mounted: mirrored.ok().map(|r| r.blobs_mounted).sum(),
            bytes_copied: mirrored.bytes_copied(),
            replaced_count: mirrored.replaced().0,
            pruned_count: mirrored.pruned(),
            referrers_copied: mirrored.referrers().0,
            referrers_failed: mirrored.referrers().1,
            referrers_to_copy: mirrored.referrers_to_copy(),
            seconds: mirrored.seconds,
        },
        items,
    }
}

/// What `verify` and the copies' `verification` say of each requirement.
mod checks {
    use std::path::Path;

    use crate::fsutil::ShowPath;
    use crate::output::json::{
        LoggedCheck, RejectedSignature, Status, VerifiedSignature, VerifyCheck,
    };
    use crate::verify::{By, CheckReport, Outcome};

    /// The status of one requirement's outcome (`verify`, and copies' `verification`).
    fn check_status(outcome: &Outcome) -> Status {
        match outcome {
            Outcome::Verified { .. } => Status::Verified,
            Outcome::Skipped => Status::Skipped,
            Outcome::Audited { .. } => Status::Unverified,
            Outcome::Failed { .. } => Status::Failed,
        }
    }

    /// The whole image's status: failed, else unverified (audit), else skipped
    /// when every requirement was, else verified.
    pub(in crate::commands) fn overall(checks: &[CheckReport]) -> Status {
        let statuses: Vec<Status> = checks.iter().map(|c| check_status(&c.outcome)).collect();
        if statuses.contains(&Status::Failed) {
            Status::Failed
        } else if statuses.contains(&Status::Unverified) {
            Status::Unverified
        } else if statuses.iter().all(|s| *s == Status::Skipped) {
            Status::Skipped
        } else {
            Status::Verified
        }
    }

    /// One requirement, as `verify` and copies' `verification` report it.
    pub(in crate::commands) fn check_json(check: &CheckReport) -> VerifyCheck {
        let shown = |path: &Path| path.shown().to_string();
        let (by, key, key_id, policy, statement, level) = match &check.by {
            By::Key { file, key_id } => (
                "key",
                Some(shown(file)),
                Some(key_id.clone()),
                None,
                None,
                Some("strict"),
            ),
            By::Policy {
                file,
                statement,
                level,
            } => (
                "policy",
                None,
                None,
                Some(shown(file)),
                statement.clone(),
                level.map(|l| l.name()),
            ),
        };
        let (signature, reason) = match &check.outcome {
            Outcome::Verified { envelope, verified } => (
                Some(VerifiedSignature {
                    envelope: envelope.kind.name(),
                    manifest: envelope.manifest.clone(),
                    blob: envelope.blob.clone(),
                    identity: verified.identity.clone(),
                    timestamp: verified.timestamp.clone(),
                    logged: verified
                        .logged
                        .iter()
                        .map(|l| LoggedCheck {
                            check: l.check.name(),
                            reason: l.reason.clone(),
                        })
                        .collect(),
                }),
                None,
            ),
            Outcome::Skipped => (None, Some("the statement's level is skip".to_owned())),
            Outcome::Audited { reason } | Outcome::Failed { reason, .. } => {
                (None, Some(reason.clone()))
            }
        };
        VerifyCheck {
            by,
            status: check_status(&check.outcome),
            key,
            key_id,
            policy,
            statement,
            level,
            signature,
            reason,
            rejected: check
                .rejected
                .iter()
                .map(|(envelope, err)| RejectedSignature {
                    envelope: envelope.kind.name(),
                    manifest: envelope.manifest.clone(),
                    blob: envelope.blob.clone(),
                    failure: err.failure.name(),
                    message: err.message.clone(),
                })
                .collect(),
        }
    }
}

pub(super) use checks::{check_json, overall};

/// How an image's source was verified, as `aseecr verify` reports it.
fn verification_json(verdict: &Verdict) -> json::ImageVerification {
    let signature = verdict
        .checks
        .iter()
        .find_map(|check| match &check.outcome {
            verify::Outcome::Verified { envelope, verified } => Some((envelope, verified)),
            _ => None,
        });
    json::ImageVerification {
        digest: verdict.digest.clone(),
        status: overall(&verdict.checks),
        identity: signature.map(|(_, verified)| verified.identity.clone()),
        envelope: signature.map(|(envelope, _)| envelope.kind.name()),
        checks: verdict.checks.iter().map(check_json).collect(),
    }
}

/// `; verified by IDENTITY (ENVELOPE)` for an image verified before its copy,
/// `; unverified (audit): REASON` for one copied under `audit`.
fn verification_status(verdict: Option<&Verdict>) -> String {
    let Some(verdict) = verdict else {
        return String::new();
    };
    let mut said = Vec::new();
    for check in &verdict.checks {
        match &check.outcome {
            verify::Outcome::Verified { envelope, verified } => said.push(format!(
                "verified by {} ({})",
                verified.identity,
                envelope.kind.name()
            )),
            verify::Outcome::Audited { reason } => {
                said.push(format!("unverified (audit): {reason}"));
            }
            verify::Outcome::Skipped => said.push("verification skipped (level skip)".into()),
            verify::Outcome::Failed { .. } => {}
        }
    }
    said.dedup();
    if said.is_empty() {
        return String::new();
    }
    format!("; {}", said.join(", "))
}

/// The wire word for what the copy engine (or the layout writer) did with
/// an image.
fn wire_status(outcome: copy::Outcome) -> json::Status {
    match outcome {
        copy::Outcome::Copied => json::Status::Copied,
        copy::Outcome::UpToDate => json::Status::UpToDate,
        copy::Outcome::Planned => json::Status::Planned,
    }
}

/// What one copied image leaves to say besides its line: replaced digests
/// kept or not deleted, foreign layers left out, repairs, a changed digest.
fn report_image(printer: &Printer, report: &ImageReport, cleanup: Option<&Cleanup>, dry_run: bool) {
    if let (Some(replaced), Some(cleanup)) = (&report.replaced, cleanup) {
        if !cleanup.in_use_by.is_empty() {
            let tags: Vec<String> = cleanup.in_use_by.iter().map(|t| format!("`{t}`")).collect();
            printer.status(format!(
                "{}: kept the replaced {}: {} {} still {} it",
                report.destination,
                replaced.digest,
                if tags.len() == 1 { "tag" } else { "tags" },
                tags.join(", "),
                if tags.len() == 1 { "uses" } else { "use" },
            ));
        }
        if let Some(err) = &cleanup.error {
            printer.warn(format!(
                "{}: cannot delete the replaced {}: {err:#}{}",
                report.destination,
                replaced.digest,
                if cleanup.recorded {
                    "; it stays recorded for `aseecr prune --untagged`"
                } else {
                    ""
                }
            ));
        }
    }
    if !report.skipped_foreign.is_empty() {
        printer.warn(format!(
            "{}: left out {} foreign layer{} (not distributable); pass --include-nondistributable to copy them",
            report.source,
            report.skipped_foreign.len(),
            if report.skipped_foreign.len() == 1 { "" } else { "s" }
        ));
    }
    if report.repaired > 0 {
        printer.warn(format!(
            "{}: the registry claimed {} blob(s) or manifest(s) it could not serve (its cache is stale after a garbage collection); they were written again and read back",
            report.destination, report.repaired,
        ));
    }
    // A dry run's plan is its line in `print_text`, once.
    if !dry_run && report.digest_changed {
        printer.status(format!(
            "{}: the destination digest differs from the source's ({}) because only some platforms were copied",
            report.destination, report.source_digest
        ));
    }
}

/// The text report: each image on stdout (or stderr with `to_stderr`), one line
/// each, then one summary line on stderr.
pub(crate) fn print_text(
    printer: &Printer,
    mirrored: &Mirrored,
    to_stderr: bool,
) -> std::io::Result<()> {
    for image in &mirrored.images {
        let Ok(report) = &image.result else {
            continue;
        };
        let mut line = format!(
            "{}@{}  {}",
            report.destination,
            report.destination_digest,
            image_status(report)
        );
        line.push_str(&referrers_status(&image.referrers));
        line.push_str(&verification_status(image.verification.as_ref()));
        if let Some(replaced) = &report.replaced {
            line.push_str(&replaced_status(
                replaced,
                image.cleanup.as_ref(),
                mirrored.dry_run,
            ));
        }
        if to_stderr {
            printer.status(line);
        } else {
            printer.data(line)?;
        }
    }
    if let Some(line) = interruption_line(mirrored) {
        printer.status(line);
        return Ok(());
    }
    printer.status(summary(mirrored));
    Ok(())
}

/// `; referrers: 2 copied, 1 present` (a dry run: `3 to copy`) when the
/// image has any.
fn referrers_status(referrers: &[ReferrerOutcome]) -> String {
    let count = |name: &str| referrers.iter().filter(|r| r.status.name() == name).count();
    let counts: Vec<String> = ["copied", "would-copy", "present", "skipped-type", "failed"]
        .into_iter()
        .map(|name| (count(name), name))
        .filter(|(n, _)| *n > 0)
        .map(|(n, name)| match name {
            "would-copy" => format!("{n} to copy"),
            _ => format!("{n} {}", name.replace("-type", " by type")),
        })
        .collect();
    if counts.is_empty() {
        return String::new();
    }
    format!("; referrers: {}", counts.join(", "))
}

/// The images in the order people read them, not the order the copies
/// finished in: each destination repository where it first appears, and its
/// tags in version order (`1.9` before `1.10`), as `aseecr tags` lists them.
pub(crate) fn in_version_order(images: &mut Vec<ImageOutcome>) {
    fn split(destination: &str) -> (&str, &str) {
        let name = destination.split('@').next().unwrap_or(destination);
        match name.rfind(':') {
            Some(colon) if colon > name.rfind('/').unwrap_or(0) => {
                (&name[..colon], &name[colon + 1..])
            }
            _ => (name, ""),
        }
    }
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, image) in images.iter().enumerate() {
        first.entry(split(&image.destination).0).or_insert(index);
    }
    let rank: Vec<usize> = images
        .iter()
        .map(|image| first[split(&image.destination).0])
        .collect();
    let mut order: Vec<usize> = (0..images.len()).collect();
    order.sort_by(|&a, &b| {
        rank[a].cmp(&rank[b]).then_with(|| {
            natural_cmp(
                split(&images[a].destination).1,
                split(&images[b].destination).1,
            )
        })
    });
    let mut slots: Vec<Option<ImageOutcome>> = images.drain(..).map(Some).collect();
    images.extend(order.iter().filter_map(|&i| slots[i].take()));
}

/// What a moved tag left behind, as the end of an image's line:
/// `, replaced sha256:... (12.3 MiB)`, then `, pruned` when it was deleted.
fn replaced_status(replaced: &Replaced, cleanup: Option<&Cleanup>, dry_run: bool) -> String {
    let size = replaced
        .size
        .map_or_else(|| "size unknown".to_owned(), human_bytes);
    let verb = if dry_run { "; replaces" } else { ", replaced" };
    let mut text = format!("{verb} {} ({size})", replaced.digest);
    if cleanup.is_some_and(|c| c.pruned) {
        text.push_str(", pruned");
    }
    text
}

/// `3 blobs`, `1 blob`.
fn blobs(n: usize) -> String {
    format!("{n} blob{}", if n == 1 { "" } else { "s" })
}

/// `2 images`, `1 image`.
fn images(n: usize) -> String {
    format!("{n} image{}", if n == 1 { "" } else { "s" })
}

/// What happened to (or, in a dry run, would happen to) one image, in words.
fn image_status(report: &ImageReport) -> String {
    match report.outcome {
        copy::Outcome::UpToDate => "up to date".to_owned(),
        copy::Outcome::Planned => match (report.blobs_to_copy, report.blobs_present) {
            (0, 0) => "would push the manifest only".to_owned(),
            (0, present) => format!(
                "would push the manifest only: its {} already there",
                match present {
                    1 => "blob is".to_owned(),
                    n => format!("{n} blobs are"),
                }
            ),
            (n, present) => {
                let mut line = format!(
                    "would copy {} ({})",
                    blobs(n),
                    human_bytes(report.bytes_to_copy)
                );
                if present > 0 {
                    line.push_str(&format!(", {present} already there"));
                }
                line
            }
        },
        copy::Outcome::Copied => "copied".to_owned(),
    }
}

/// The one closing line: what the run did, saying only the counts that are not
/// zero, and how many of how many images failed.
fn summary(mirrored: &Mirrored) -> String {
    let total = mirrored.images.len();
    let failed = mirrored.failed();
    let succeeded = total - failed;
    let up_to_date = mirrored.up_to_date();
    let failures = match failed {
        0 => String::new(),
        n => format!("{n} of {total} failed (errors above)"),
    };
    if succeeded == 0 {
        if failures.is_empty() {
            return "nothing to mirror".to_owned();
        }
        return format!(
            "{}: {failures}",
            if mirrored.dry_run {
                "dry run"
            } else {
                "nothing mirrored"
            }
        );
    }
    let referrers_to_copy = mirrored.referrers_to_copy();
    if up_to_date == succeeded && referrers_to_copy == 0 {
        let what = match total {
            1 => "up to date: nothing to copy".to_owned(),
            _ if failed == 0 => format!("all {} up to date: nothing to copy", images(total)),
            _ => format!("{} up to date, nothing to copy", images(up_to_date)),
        };
        return join(what, &failures);
    }
    let mut details = Vec::new();
    if mirrored.dry_run {
        let to_copy: usize = mirrored.ok().map(|r| r.blobs_to_copy).sum();
        let bytes: u64 = mirrored.ok().map(|r| r.bytes_to_copy).sum();
        if to_copy > 0 {
            details.push(format!(
                "{} to copy ({})",
                blobs(to_copy),
                human_bytes(bytes)
            ));
        }
        let present: usize = mirrored.ok().map(|r| r.blobs_present).sum();
        if present > 0 {
            details.push(format!("{present} already there"));
        }
        if up_to_date > 0 {
            details.push(format!("{up_to_date} up to date"));
        }
        if referrers_to_copy > 0 {
            details.push(format!(
                "{referrers_to_copy} referrer{} to copy",
                if referrers_to_copy == 1 { "" } else { "s" }
            ));
        }
        details.extend(replaced_details(mirrored));
        let head = match succeeded - up_to_date {
            0 => "would copy referrers only".to_owned(),
            n => format!("would mirror {}", images(n)),
        };
        let line = format!("{}; dry run, nothing written", with_details(head, &details));
        return join(line, &failures);
    }
    let copied = mirrored.blobs_copied();
    if copied > 0 {
        let bytes = mirrored.bytes_copied();
        let mut moved = format!(
            "{} copied ({} in {:.1}s",
            blobs(copied),
            human_bytes(bytes),
            mirrored.seconds
        );
        if mirrored.seconds > 0.0 {
            let rate = human_bytes((bytes as f64 / mirrored.seconds) as u64);
            moved.push_str(&format!(", {rate}/s"));
        }
        moved.push(')');
        details.push(moved);
    }
    let present: usize = mirrored.ok().map(|r| r.blobs_present).sum();
    if present > 0 {
        details.push(format!("{present} already there"));
    }
    let mounted: usize = mirrored.ok().map(|r| r.blobs_mounted).sum();
    if mounted > 0 {
        details.push(format!("{mounted} mounted"));
    }
    if up_to_date > 0 {
        details.push(format!("{up_to_date} up to date"));
    }
    details.extend(replaced_details(mirrored));
    let head = format!("mirrored {}", images(succeeded - up_to_date));
    join(with_details(head, &details), &failures)
}

/// `1 replaced (12.3 MiB)`, `1 pruned`: what moved tags left behind.
fn replaced_details(mirrored: &Mirrored) -> Vec<String> {
    let (replaced, bytes) = mirrored.replaced();
    let mut details = Vec::new();
    if replaced > 0 {
        details.push(format!("{replaced} replaced ({})", human_bytes(bytes)));
    }
    let pruned = mirrored.pruned();
    if pruned > 0 {
        details.push(format!("{pruned} pruned"));
    }
    details
}

fn with_details(head: String, details: &[String]) -> String {
    if details.is_empty() {
        head
    } else {
        format!("{head}: {}", details.join(", "))
    }
}

fn join(line: String, failures: &str) -> String {
    if failures.is_empty() {
        line
    } else {
        format!("{line}; {failures}")
    }
}

/// The JSON items of a prune's `outcomes`.
pub(crate) fn prune_items_json(
    inventories: &[Inventory],
    outcomes: &[Outcome],
    dry_run: bool,
) -> Vec<json::PruneItem> {
    outcomes
        .iter()
        .map(|d| {
            let (action, tags, children, size, reason) = match &d.action {
                Action::Delete {
                    digest,
                    tags,
                    children,
                    ..
                } => (
                    json::PruneAction::Delete,
                    tags.clone(),
                    children.clone(),
                    Some(inventory_of(inventories, &d.repository).size_of(digest)),
                    None,
                ),
                Action::Untag { tags, reason, .. } => (
                    json::PruneAction::Untag,
                    tags.clone(),
                    Vec::new(),
                    None,
                    Some(reason.clone()),
                ),
            };
            let attachments = match &d.action {
                Action::Delete { attachments, .. } => attachments.iter().map(Into::into).collect(),
                Action::Untag { .. } => Vec::new(),
            };
            json::PruneItem {
                repository: d.repository.clone(),
                action,
                digest: d.action.digest().to_owned(),
                tags,
                children,
                attachments,
                size,
                reason,
                status: match (&d.error, dry_run) {
                    (Some(_), _) => json::Status::Failed,
                    (None, true) => json::Status::Planned,
                    (None, false) => json::Status::Done,
                },
                error: d.error.as_ref().map(error_json),
            }
        })
        .collect()
}

/// The JSON list of the tags a prune's `plans` keep.
pub(crate) fn prune_kept_json(plans: &BTreeMap<String, RepoPlan>) -> Vec<json::PruneKept> {
    plans
        .iter()
        .flat_map(|(repository, plan)| {
            plan.kept.iter().map(|k| json::PruneKept {
                repository: repository.clone(),
                tag: k.tag.clone(),
                digest: k.digest.clone(),
                reason: k.reason,
            })
        })
        .collect()
}

/// The line printed for a done (or planned) prune action.
pub(crate) fn prune_action_line(
    registry: &str,
    inventories: &[Inventory],
    item: &Outcome,
) -> String {
    match &item.action {
        Action::Delete {
            digest,
            attachments,
            ..
        } => format!(
            "delete {}  {}{}",
            cleanup::describe(registry, item),
            human_bytes(inventory_of(inventories, &item.repository).size_of(digest)),
            cleanup::attachments_note(attachments)
        ),
        Action::Untag { reason, .. } => format!(
            "untag  {}  (the image stays: {reason})",
            cleanup::describe(registry, item)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(dry_run: bool, reports: Vec<anyhow::Result<ImageReport>>) -> Mirrored {
        Mirrored {
            dry_run,
            images: reports
                .into_iter()
                .map(|result| ImageOutcome {
                    source: "src".into(),
                    destination: "dst".into(),
                    result,
                    cleanup: None,
                    referrers: Vec::new(),
                    referrers_unlisted: Vec::new(),
                    verification: None,
                })
                .collect(),
            seconds: 0.25,
            interruption: None,
        }
    }

    fn report(outcome: copy::Outcome) -> ImageReport {
        ImageReport {
            outcome,
            ..ImageReport::default()
        }
    }

    #[test]
    fn an_error_says_its_item_every_new_cause_and_its_help() {
        let err = anyhow::Error::new(
            crate::error::Error::usage("the root cause").help("do this instead"),
        )
        .context("cannot copy `x`")
        .context("the run failed");
        let lines = error_lines(Some("a.example/x:1"), &err, 0);
        assert_eq!(
            lines,
            ErrorLines {
                message: "a.example/x:1: the run failed".to_owned(),
                causes: vec!["cannot copy `x`".to_owned(), "the root cause".to_owned()],
                help: vec!["do this instead".to_owned()],
            }
        );
        assert_eq!(
            error_lines(None, &err, 1).causes,
            ["cannot copy `x`", "the root cause"]
        );
        // A cause the message already says is not said again.
        let repeated = anyhow::anyhow!("boom").context("copy failed: boom");
        let lines = error_lines(None, &repeated, 0);
        assert_eq!(lines.message, "copy failed: boom");
        assert!(lines.causes.is_empty() && lines.help.is_empty());
        // Nor one an earlier cause says; the cause below it still is.
        let deep = anyhow::anyhow!("no os-release file")
            .context("missing")
            .context("cannot read /etc/os-release: missing")
            .context("cannot check the `os` store");
        assert_eq!(
            error_lines(None, &deep, 0).causes,
            ["cannot read /etc/os-release: missing", "no os-release file"]
        );
        // With -v, every cause as it is.
        assert_eq!(error_lines(None, &deep, 1).causes.len(), 3);
    }

    #[test]
    fn notices_are_whole_lines_and_only_the_kept_digests_are_no_warning() {
        let no_tags = Notice::NoTags {
            repository: "quay.io/org/app".to_owned(),
            filtered: true,
        };
        assert_eq!(
            notice_line(&no_tags),
            (
                true,
                "`quay.io/org/app` has no tags matching --tags".to_owned()
            )
        );
        let skipped = Notice::UntaggedSkipped {
            layout: "oci:dir".to_owned(),
            name: "@1".to_owned(),
        };
        assert_eq!(
            notice_line(&skipped).1,
            "skipped @1 of `oci:dir`: it has no RepoTag (mirror it by itself: `oci:dir:@1 REGISTRY/REPOSITORY:TAG`)"
        );
        let unreadable = Notice::TagsUnreadable {
            repository: "edge:5000/app".to_owned(),
            error: anyhow::anyhow!("refused").context("cannot list"),
        };
        assert_eq!(
            notice_line(&unreadable).1,
            "cannot read the tags of `edge:5000/app` to prune what they replaced: cannot list: refused"
        );
        let stay = Notice::ReplacedStay {
            count: 2,
            record: std::path::PathBuf::from("replaced.json"),
        };
        let (warning, line) = notice_line(&stay);
        assert!(!warning);
        assert!(
            line.starts_with(
                "2 replaced digests stay on the registry, untagged, until deleted (recorded in `"
            ),
            "{line}"
        );
    }

    #[test]
    fn a_no_op_run_says_up_to_date_without_zero_counters() {
        let line = summary(&run(false, vec![Ok(report(copy::Outcome::UpToDate))]));
        assert_eq!(line, "up to date: nothing to copy");
        let line = summary(&run(
            true,
            vec![
                Ok(report(copy::Outcome::UpToDate)),
                Ok(report(copy::Outcome::UpToDate)),
            ],
        ));
        assert_eq!(line, "all 2 images up to date: nothing to copy");
    }

    #[test]
    fn a_copy_says_only_the_counts_that_happened() {
        let copied = ImageReport {
            blobs_copied: 3,
            bytes_copied: 2 << 20,
            blobs_mounted: 1,
            ..report(copy::Outcome::Copied)
        };
        assert_eq!(
            summary(&run(
                false,
                vec![Ok(copied), Ok(report(copy::Outcome::UpToDate))]
            )),
            "mirrored 1 image: 3 blobs copied (2.0 MiB in 0.2s, 8.0 MiB/s), 1 mounted, 1 up to date"
        );
    }

    #[test]
    fn a_dry_run_says_each_image_once_and_one_summary() {
        let planned = ImageReport {
            blobs_to_copy: 2,
            bytes_to_copy: 3 << 20,
            blobs_present: 1,
            ..report(copy::Outcome::Planned)
        };
        assert_eq!(
            image_status(&planned),
            "would copy 2 blobs (3.0 MiB), 1 already there"
        );
        let manifest_only = ImageReport {
            blobs_present: 4,
            ..report(copy::Outcome::Planned)
        };
        assert_eq!(
            image_status(&manifest_only),
            "would push the manifest only: its 4 blobs are already there"
        );
        assert_eq!(
            summary(&run(
                true,
                vec![Ok(planned), Ok(report(copy::Outcome::UpToDate))]
            )),
            "would mirror 1 image: 2 blobs to copy (3.0 MiB), 1 already there, 1 up to date; dry run, nothing written"
        );
    }

    #[test]
    fn failures_are_counted_of_the_total() {
        let failed = || Err(anyhow::anyhow!("boom"));
        assert_eq!(
            summary(&run(false, vec![failed(), failed()])),
            "nothing mirrored: 2 of 2 failed (errors above)"
        );
        assert_eq!(
            summary(&run(
                false,
                vec![Ok(report(copy::Outcome::UpToDate)), failed()]
            )),
            "1 image up to date, nothing to copy; 1 of 2 failed (errors above)"
        );
    }
}
