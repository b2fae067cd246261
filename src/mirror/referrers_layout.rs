//! Referrers written into an OCI layout or archive along with each image read
//! from a registry: the same referrers as a registry copy takes (the image's,
//! its platform manifests', referrers of referrers; `--no-referrers` and
//! `--referrers-type` as there), each one's blobs and manifest in `blobs/`,
//! bytes unchanged, and listed in `index.json` without a name, its descriptor
//! with the artifact type and annotations (as oras lists the referrers it
//! copies into a layout). Cosign tags become named images, `REPO:sha256-<hex>.sig`
//! beside the image. Reading them back (`Layout::referrers`) finds both.

use std::collections::HashSet;
use std::sync::Arc;

use super::outcome::{ReferrerOutcome, ReferrerStatus};
use super::plan::Referrers;
use super::referrers::{
    Carried, Discovery, MAX_REFERRERS_PER_IMAGE, descriptor, image_subjects, outcome, too_many,
};
use crate::layout::write::Writer;
use crate::registry::copy::{CopyOptions, ImageReport, Observer, Outcome, Source};
use crate::registry::limits::MAX_REFERRER_DEPTH;
use crate::registry::manifest::{Content, Descriptor};
use crate::registry::referrers::{Referrer, cosign_tags};
use crate::registry::{Platform, Reference, Registry};

/// What the referrers of a run into a layout are written with.
pub(super) struct LayoutCarrier<'a> {
    pub writer: &'a Writer,
    pub discovery: &'a Discovery,
    pub platforms: &'a [Platform],
    pub observer: Arc<dyn Observer>,
}

/// One image whose referrers go into the layout.
pub(super) struct Image<'a> {
    pub registry: &'a Registry,
    pub source: &'a dyn Source,
    pub from: &'a Reference,
    /// The image's name in the layout (`REPO:TAG`): its cosign tags are named
    /// beside it.
    pub name: &'a str,
}

impl LayoutCarrier<'_> {
    /// Write the referrers of an image copied into the layout, as `policy` says.
    pub(super) async fn carry(
        &self,
        image: &Image<'_>,
        report: &ImageReport,
        policy: &Referrers,
    ) -> Carried {
        let mut carried = Carried::default();
        if !policy.any() || !matches!(report.outcome, Outcome::Copied | Outcome::UpToDate) {
            return carried;
        }
        let subjects = match image_subjects(image.source, image.from, report, self.platforms).await
        {
            Ok(subjects) => subjects,
            Err(err) => {
                carried.unlisted.push((report.source_digest.clone(), err));
                return carried;
            }
        };
        let repository = &image.from.repository;
        let tags = match self.discovery.tags(image.registry, repository).await {
            Ok(tags) => tags,
            Err(err) => {
                carried.unlisted.push((report.source_digest.clone(), err));
                Arc::new(Vec::new())
            }
        };
        let mut visited: HashSet<String> = subjects.iter().map(|s| s.digest.clone()).collect();
        let mut level = subjects;
        for depth in 0.. {
            if level.is_empty() {
                break;
            }
            if depth == MAX_REFERRER_DEPTH {
                carried.too_deep(&level);
                break;
            }
            let mut next = Vec::new();
            for subject in &level {
                let below = self
                    .subject(image, subject, &tags, policy, &mut visited, &mut carried)
                    .await;
                next.extend(below);
            }
            level = next;
        }
        carried
    }

    /// One subject's referrers and cosign tags written; returns the
    /// referrers written, to look below next.
    async fn subject(
        &self,
        image: &Image<'_>,
        subject: &Descriptor,
        tags: &[String],
        policy: &Referrers,
        visited: &mut HashSet<String>,
        carried: &mut Carried,
    ) -> Vec<Descriptor> {
        let subject = &subject.digest;
        let repository = &image.from.repository;
        let listed = match self
            .discovery
            .listed(image.registry, repository, subject, tags)
            .await
        {
            Ok(listed) => {
                if let Some(why) = &listed.ignored {
                    let why = format!("its fallback tag at the source is not used: {why}");
                    carried.unlisted.push((subject.clone(), why));
                }
                listed.referrers.clone()
            }
            Err(err) => {
                carried.unlisted.push((subject.clone(), err));
                Vec::new()
            }
        };
        let mut below = Vec::new();
        for referrer in &listed {
            if !visited.insert(referrer.digest.clone()) {
                continue;
            }
            let status = if !policy.keeps(referrer.artifact_type.as_deref()) {
                ReferrerStatus::SkippedType
            } else if carried.outcomes.len() >= MAX_REFERRERS_PER_IMAGE {
                too_many()
            } else {
                match self.write_one(image, subject, referrer).await {
                    Ok(status) => {
                        below.push(descriptor(referrer));
                        status
                    }
                    Err(reason) => ReferrerStatus::Failed(reason),
                }
            };
            carried.outcomes.push(outcome(subject, referrer, status));
        }
        for tag in cosign_tags(tags, subject) {
            if carried.outcomes.len() >= MAX_REFERRERS_PER_IMAGE {
                break;
            }
            let done = self.write_cosign(image, subject, &tag, policy).await;
            carried.outcomes.push(done);
        }
        below
    }

    /// One referrer's manifest read (its `subject` checked), then written
    /// with its blobs and listed in `index.json`.
    async fn write_one(
        &self,
        image: &Image<'_>,
        subject: &str,
        referrer: &Referrer,
    ) -> Result<ReferrerStatus, String> {
        let from = image.from.with_digest(&referrer.digest);
        let manifest = image
            .source
            .manifest(&from)
            .await
            .map_err(|err| format!("cannot read it at the source: {err:#}"))?;
        let named = Referrer::subject_of(&manifest.bytes);
        if named.as_deref() != Some(subject) {
            return Err(format!(
                "the source lists it as a referrer of {subject}, but its manifest's subject is {}",
                named.as_deref().unwrap_or("missing")
            ));
        }
        let entry = Referrer::of_manifest(&manifest.media_type, &manifest.digest, &manifest.bytes)
            .ok_or_else(|| "its manifest is not a JSON object".to_owned())?;
        match self
            .writer
            .copy_referrer(image.source, &from, &entry, &self.observer)
            .await
        {
            Ok(report) if report.outcome == Outcome::UpToDate => Ok(ReferrerStatus::Present),
            Ok(_) => Ok(ReferrerStatus::Copied),
            Err(err) => Err(format!("{err:#}")),
        }
    }

    /// A cosign tag of the subject, written as an image named `REPO:TAG`
    /// beside the image (kept by `--referrers-type` as a registry copy keeps it).
    async fn write_cosign(
        &self,
        image: &Image<'_>,
        subject: &str,
        tag: &str,
        policy: &Referrers,
    ) -> ReferrerOutcome {
        let from = image.from.with_tag(tag);
        let mut done = ReferrerOutcome {
            subject: subject.to_owned(),
            digest: String::new(),
            artifact_type: None,
            tag: Some(tag.to_owned()),
            status: ReferrerStatus::Copied,
        };
        let manifest = match image.source.manifest(&from).await {
            Ok(manifest) => manifest,
            Err(err) => {
                done.status =
                    ReferrerStatus::Failed(format!("cannot read it at the source: {err:#}"));
                return done;
            }
        };
        done.digest = manifest.digest.clone();
        done.artifact_type =
            Referrer::of_manifest(&manifest.media_type, &manifest.digest, &manifest.bytes)
                .and_then(|r| r.artifact_type);
        if let Referrers::Types(_) = policy {
            let mut types = vec![done.artifact_type.clone()];
            if let Ok(Content::Image(image)) = manifest.content() {
                types.extend(image.layers.iter().map(|l| Some(l.media_type.clone())));
            }
            if !types.iter().any(|t| policy.keeps(t.as_deref())) {
                done.status = ReferrerStatus::SkippedType;
                return done;
            }
        }
        let name = cosign_name(image.name, tag);
        let options = CopyOptions::default();
        done.status = match self
            .writer
            .copy(image.source, &from, &name, &options, &self.observer)
            .await
        {
            Ok(report) if report.outcome == Outcome::UpToDate => ReferrerStatus::Present,
            Ok(_) => ReferrerStatus::Copied,
            Err(err) => ReferrerStatus::Failed(format!("{err:#}")),
        };
        done
    }
}

/// The layout name of a cosign tag of the image named `image`: the tag under
/// the image's repository (`lab/app:sha256-<hex>.sig`), or alone when the
/// image's name has none.
fn cosign_name(image: &str, tag: &str) -> String {
    let (repository, _) = crate::layout::split_name(image);
    if repository.is_empty() {
        tag.to_owned()
    } else {
        format!("{repository}:{tag}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosign_tags_are_named_beside_their_image() {
        assert_eq!(
            cosign_name("lab/app:1", "sha256-ab.sig"),
            "lab/app:sha256-ab.sig"
        );
        assert_eq!(cosign_name("v1", "sha256-ab.sig"), "sha256-ab.sig");
    }
}
