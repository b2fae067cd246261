//! Referrers copied along with each image: the signatures, SBOMs and
//! attestations whose `subject` names the image or one of its platform
//! manifests (found through the source's referrers API, else its fallback
//! tag), their own referrers (a signature on an SBOM), and cosign's
//! `sha256-<hex>.sig`/`.att`/`.sbom` tags.
//!
//! Each referrer's blobs and manifest go, bytes unchanged, to the image's
//! destination repository through the run's engine (so a fan-out reads them
//! from the source once); then each subject gets one update of its list at
//! the destination (`Registry::add_referrers`: nothing to write where the
//! registry has the API, else one read-merge-write of the fallback index).
//! Cosign tags are copied as tags. A referrer that fails is reported, never
//! failing its image.
//!
//! A dry run walks the same way with the engine's dry run: it reads the
//! source and the destination's lists and writes nothing; each referrer the
//! destination does not list in full, and each cosign tag it lacks, is
//! reported as `would-copy`.
//!
//! What a no-op rerun costs: the source's tag list once per repository, and
//! per subject that has referrers one listing at the source and one at the
//! destination; a subject without a fallback tag on a source without the
//! API costs nothing. Each cosign tag costs a read on each side, as any tag.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use futures_util::future::BoxFuture;
use tokio::sync::OnceCell;

use super::outcome::{ReferrerOutcome, ReferrerStatus};
use super::plan::Referrers;
use crate::layout::Layout;
use crate::registry::copy::{BlobStream, Engine, ImageReport, Job, Outcome, Source};
use crate::registry::limits::MAX_REFERRER_DEPTH;
use crate::registry::manifest::{Content, Descriptor, Manifest};
use crate::registry::referrers::{IndexChange, Listed, Referrer, Via, cosign_tags, fallback_tag};
use crate::registry::{Platform, Reference, Registry};

/// Referrers and cosign tags taken along with one image (its platform
/// manifests' included); more are reported as failed, not copied.
pub const MAX_REFERRERS_PER_IMAGE: usize = 1_000;

type Once<T> = Arc<OnceCell<Result<Arc<T>, String>>>;

/// What the sources said about referrers, asked once per run and shared by
/// every destination of a fan-out: each source repository's tags and each
/// subject's referrers.
#[derive(Default)]
pub struct Discovery {
    tags: Mutex<HashMap<String, Once<Vec<String>>>>,
    listed: Mutex<HashMap<String, Once<Listed>>>,
}

/// How long a referrer whose copy failed waits before its second try.
const SECOND_TRY_AFTER: std::time::Duration = std::time::Duration::from_millis(300);

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

fn cell<T>(map: &Mutex<HashMap<String, Once<T>>>, key: String) -> Once<T> {
    lock(map).entry(key).or_default().clone()
}

impl Discovery {
    /// The tags of a source repository, read already (`--all-tags`): not
    /// asked again.
    pub fn seed_tags(&self, source: &str, repository: &str, tags: &[String]) {
        let cell = cell(&self.tags, format!("{source}/{repository}"));
        let _ = cell.set(Ok(Arc::new(tags.to_vec())));
    }

    /// The tags of a source repository, read once.
    pub(super) async fn tags(
        &self,
        source: &Registry,
        repository: &str,
    ) -> Result<Arc<Vec<String>>, String> {
        let key = format!("{}/{repository}", source.name());
        cell(&self.tags, key)
            .get_or_init(|| async {
                source
                    .tags(repository)
                    .await
                    .map(Arc::new)
                    .map_err(|err| format!("cannot read the tags of `{repository}`: {err:#}"))
            })
            .await
            .clone()
    }

    /// The referrers of `subject` at the source, asked once. A repository
    /// known to lack the API is not asked about a subject whose fallback tag
    /// is not among its tags.
    pub(super) async fn listed(
        &self,
        source: &Registry,
        repository: &str,
        subject: &str,
        tags: &[String],
    ) -> Result<Arc<Listed>, String> {
        let repo_key = format!("{}/{repository}", source.name());
        let api = source.knows_api(repository);
        if api == Some(false) && !tags.iter().any(|t| *t == fallback_tag(subject)) {
            return Ok(Arc::new(Listed {
                referrers: Vec::new(),
                via: Via::Nothing,
                index: None,
                ignored: None,
            }));
        }
        cell(&self.listed, format!("{repo_key}@{subject}"))
            .get_or_init(|| async {
                let listed = source.referrers(repository, subject).await.map_err(|err| {
                    format!("cannot list the referrers of {subject} in `{repository}`: {err:#}")
                })?;
                Ok(Arc::new(listed))
            })
            .await
            .clone()
    }
}

/// A registry source that keeps the manifests it read for the rest of the
/// run, so that finding an image's platform manifests and its cosign tags'
/// types after the copy asks the registry nothing again.
pub struct Memo {
    inner: Arc<Registry>,
    manifests: Mutex<HashMap<String, Arc<OnceCell<Manifest>>>>,
}

impl Memo {
    pub fn new(inner: Arc<Registry>) -> Memo {
        Memo {
            inner,
            manifests: Mutex::new(HashMap::new()),
        }
    }
}

impl Source for Memo {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn manifest<'a>(&'a self, reference: &'a Reference) -> BoxFuture<'a, anyhow::Result<Manifest>> {
        Box::pin(async move {
            let cell = lock(&self.manifests)
                .entry(reference.to_string())
                .or_default()
                .clone();
            cell.get_or_try_init(|| self.inner.manifest(reference))
                .await
                .cloned()
        })
    }

    fn blob<'a>(
        &'a self,
        repository: &'a str,
        digest: &'a str,
        offset: u64,
    ) -> BoxFuture<'a, anyhow::Result<BlobStream>> {
        Source::blob(&*self.inner, repository, digest, offset)
    }

    fn idle_timeout(&self) -> std::time::Duration {
        self.inner.idle_timeout()
    }

    fn check_digest(&self, digest: &str) -> anyhow::Result<()> {
        Source::check_digest(&*self.inner, digest)
    }
}

/// What the referrers of one run's images are copied with.
pub(super) struct Carrier<'a> {
    pub engine: &'a Engine,
    pub destination: &'a Registry,
    pub discovery: &'a Discovery,
    /// The source registries, by name.
    pub sources: &'a HashMap<String, Arc<Registry>>,
    /// The source layouts, by name (`oci:DIR`, `oci-archive:FILE`): the
    /// referrers they hold go to the registry too.
    pub layouts: &'a HashMap<String, Arc<Layout>>,
    /// The platforms chosen (`--platform`); empty: all.
    pub platforms: &'a [Platform],
    /// A dry run: the source and the destination are read, never written;
    /// what is missing is reported as [`ReferrerStatus::WouldCopy`].
    pub dry_run: bool,
}

/// One image's referrers as they are worked through.
#[derive(Default)]
pub(super) struct Carried {
    pub outcomes: Vec<ReferrerOutcome>,
    /// (subject, why its referrers could not be listed).
    pub unlisted: Vec<(String, String)>,
    /// Fallback indexes a new one replaced that stay on the destination,
    /// untagged (deletion disabled there): (repository, digest, tag).
    pub replaced: Vec<(String, String, String)>,
}

impl Carried {
    /// The subjects at the depth limit: their referrers are not followed,
    /// and each is listed as unlisted, saying why.
    pub(super) fn too_deep(&mut self, level: &[Descriptor]) {
        for subject in level {
            self.unlisted.push((
                subject.digest.clone(),
                format!(
                    "its referrers are more than {MAX_REFERRER_DEPTH} levels below the image: not followed"
                ),
            ));
        }
    }
}

impl Carried {
    fn full(&self) -> bool {
        self.outcomes.len() >= MAX_REFERRERS_PER_IMAGE
    }
}

impl Carrier<'_> {
    /// Copy the referrers of a copied image (`report`: the engine's), as
    /// `policy` says. A source that is not a registry has none to give.
    pub(super) async fn carry(
        &self,
        job: &Job,
        report: &ImageReport,
        policy: &Referrers,
    ) -> Carried {
        let mut carried = Carried::default();
        let source = match (
            self.sources.get(&job.from.registry),
            self.layouts.get(&job.from.registry),
        ) {
            (Some(registry), _) => Origin::Registry(registry),
            (None, Some(layout)) => Origin::Layout(layout),
            (None, None) => return carried,
        };
        if !policy.any()
            || job.source.name() != source.name()
            || !matches!(
                report.outcome,
                Outcome::Copied | Outcome::UpToDate | Outcome::Planned
            )
        {
            return carried;
        }
        let subjects = match self.subjects(job, report).await {
            Ok(subjects) => subjects,
            Err(err) => {
                carried.unlisted.push((report.source_digest.clone(), err));
                return carried;
            }
        };
        let tags = match source {
            Origin::Registry(source) => {
                match self.discovery.tags(source, &job.from.repository).await {
                    Ok(tags) => tags,
                    Err(err) => {
                        carried.unlisted.push((report.source_digest.clone(), err));
                        Arc::new(Vec::new())
                    }
                }
            }
            Origin::Layout(layout) => Arc::new(layout.cosign_tags(&job.from.repository)),
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
                let step = Step {
                    job,
                    source,
                    subject,
                    tags: &tags,
                    policy,
                };
                next.extend(self.subject(&step, &mut visited, &mut carried).await);
            }
            level = next;
        }
        carried
    }

    /// The subjects of an image: the image as copied (unless `--platform`
    /// made a new one) and every platform manifest of an index that was copied.
    async fn subjects(&self, job: &Job, report: &ImageReport) -> Result<Vec<Descriptor>, String> {
        image_subjects(&*job.source, &job.from, report, self.platforms).await
    }
}

/// The subjects of an image read from `source` at `from`: the image as
/// copied (unless `--platform` made a new one) and every platform manifest of
/// an index that was copied.
pub(super) async fn image_subjects(
    source: &dyn Source,
    from: &Reference,
    report: &ImageReport,
    platforms: &[Platform],
) -> Result<Vec<Descriptor>, String> {
    let top = source
        .manifest(from)
        .await
        .map_err(|err| format!("cannot read `{from}` again: {err:#}"))?;
    let mut subjects = Vec::new();
    if !report.digest_changed {
        subjects.push(top.descriptor());
    }
    if let Ok(Content::Index(index)) = top.content() {
        for entry in &index.manifests {
            let chosen = !report.digest_changed
                || entry
                    .platform
                    .as_ref()
                    .is_some_and(|p| platforms.iter().any(|want| want.matches(p)));
            if chosen && !subjects.iter().any(|s| s.digest == entry.digest) {
                subjects.push(Descriptor {
                    digest: entry.digest.clone(),
                    media_type: entry.media_type.clone(),
                    size: entry.size.max(0) as u64,
                });
            }
        }
    }
    Ok(subjects)
}

impl Carrier<'_> {
    /// One subject: its referrers listed at the source, those the policy keeps
    /// copied and listed at the destination, then its cosign tags. Returns the
    /// referrers to look below next.
    async fn subject(
        &self,
        step: &Step<'_>,
        visited: &mut HashSet<String>,
        carried: &mut Carried,
    ) -> Vec<Descriptor> {
        let subject = &step.subject.digest;
        let repository = &step.job.from.repository;
        let listed = match step.source {
            Origin::Layout(layout) => Ok(Arc::new(Listed {
                referrers: layout.referrers(subject),
                via: Via::Nothing,
                index: None,
                ignored: None,
            })),
            Origin::Registry(source) => {
                self.discovery
                    .listed(source, repository, subject, step.tags)
                    .await
            }
        };
        let listed = match listed {
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
        let mut wanted = Vec::new();
        for referrer in listed.iter() {
            if !visited.insert(referrer.digest.clone()) {
                continue;
            }
            if !step.policy.keeps(referrer.artifact_type.as_deref()) {
                carried
                    .outcomes
                    .push(outcome(subject, referrer, ReferrerStatus::SkippedType));
            } else if carried.full() {
                carried
                    .outcomes
                    .push(outcome(subject, referrer, too_many()));
            } else {
                wanted.push(referrer.clone());
            }
        }
        let below = self.copy_listed(step, wanted, carried).await;
        for tag in cosign_tags(step.tags, subject) {
            if carried.full() {
                break;
            }
            let done = self.copy_cosign(step, &tag).await;
            carried.outcomes.push(done);
        }
        below
    }

    /// Copy the referrers of one subject that the destination does not list
    /// yet, then list them there in one update. Returns those now there.
    async fn copy_listed(
        &self,
        step: &Step<'_>,
        wanted: Vec<Referrer>,
        carried: &mut Carried,
    ) -> Vec<Descriptor> {
        if wanted.is_empty() {
            return Vec::new();
        }
        let subject = &step.subject.digest;
        let to = &step.job.to;
        // A destination that cannot say lists nothing: the update below reads
        // its list again and says what is wrong.
        let there = self
            .destination
            .referrers(&to.repository, subject)
            .await
            .map(|listed| listed.referrers)
            .unwrap_or_default();
        let mut below = Vec::new();
        let mut entries = Vec::new();
        let mut pending = Vec::new();
        for referrer in wanted {
            below.push(descriptor(&referrer));
            if there.iter().any(|d| listed_in_full(&referrer, d)) {
                carried
                    .outcomes
                    .push(outcome(subject, &referrer, ReferrerStatus::Present));
                continue;
            }
            match self.copy_one(step, &referrer).await {
                // Read-only checks passed (the engine runs dry too); the
                // destination's list lacks it, so it would be written.
                Ok(_) if self.dry_run => {
                    carried
                        .outcomes
                        .push(outcome(subject, &referrer, ReferrerStatus::WouldCopy))
                }
                Ok((entry, status)) => {
                    entries.push(entry);
                    pending.push((referrer, status));
                }
                Err(reason) => {
                    below.pop();
                    carried.outcomes.push(outcome(
                        subject,
                        &referrer,
                        ReferrerStatus::Failed(reason),
                    ));
                }
            }
        }
        if entries.is_empty() {
            return below;
        }
        let listed = self
            .destination
            .add_referrers(&to.repository, step.subject, &entries)
            .await;
        if let Ok(IndexChange::Written {
            replaced: Some(digest),
        }) = &listed
        {
            let tag = fallback_tag(subject);
            carried
                .replaced
                .push((to.repository.clone(), digest.clone(), tag));
        }
        for (referrer, status) in pending {
            let status = match &listed {
                Ok(_) => status,
                Err(err) => ReferrerStatus::Failed(format!(
                    "copied, but not listed at the destination: {err:#}"
                )),
            };
            carried.outcomes.push(outcome(subject, &referrer, status));
        }
        below
    }

    /// One referrer's manifest read (its `subject` checked), then copied with
    /// its blobs, bytes unchanged; its index entry built from that manifest.
    async fn copy_one(
        &self,
        step: &Step<'_>,
        referrer: &Referrer,
    ) -> Result<(Referrer, ReferrerStatus), String> {
        let from = step.job.from.with_digest(&referrer.digest);
        let manifest = step
            .job
            .source
            .manifest(&from)
            .await
            .map_err(|err| format!("cannot read it at the source: {err:#}"))?;
        let subject = &step.subject.digest;
        let named = Referrer::subject_of(&manifest.bytes);
        if named.as_deref() != Some(subject.as_str()) {
            return Err(format!(
                "the source lists it as a referrer of {subject}, but its manifest's subject is {}",
                named.as_deref().unwrap_or("missing")
            ));
        }
        let entry = Referrer::of_manifest(&manifest.media_type, &manifest.digest, &manifest.bytes)
            .ok_or_else(|| "its manifest is not a JSON object".to_owned())?;
        let job = Job {
            source: step.job.source.clone(),
            from,
            to: step.job.to.with_digest(&referrer.digest),
        };
        // Tried twice: a registry writing the same repository for another run
        // at that moment can refuse a manifest whose blobs it holds (2.8 reads
        // a blob link that the other run is rewriting), and a moment later
        // takes it.
        let mut copied = self.engine.copy(&job).await;
        if copied.is_err() {
            tokio::time::sleep(SECOND_TRY_AFTER).await;
            copied = self.engine.copy(&job).await;
        }
        match copied {
            Ok(report) if report.outcome == Outcome::UpToDate => {
                Ok((entry, ReferrerStatus::Present))
            }
            Ok(_) => Ok((entry, ReferrerStatus::Copied)),
            Err(err) => Err(format!("{err:#}")),
        }
    }

    /// A cosign tag of the subject, copied as that tag (kept by
    /// `--referrers-type` when its artifact type or one of its layers' media
    /// types is one of those given).
    async fn copy_cosign(&self, step: &Step<'_>, tag: &str) -> ReferrerOutcome {
        let from = step.job.from.with_tag(tag);
        let mut done = ReferrerOutcome {
            subject: step.subject.digest.clone(),
            digest: String::new(),
            artifact_type: None,
            tag: Some(tag.to_owned()),
            status: ReferrerStatus::Copied,
        };
        let manifest = match step.job.source.manifest(&from).await {
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
        if let Referrers::Types(_) = step.policy {
            let mut types = vec![done.artifact_type.clone()];
            if let Ok(Content::Image(image)) = manifest.content() {
                types.extend(image.layers.iter().map(|l| Some(l.media_type.clone())));
            }
            if !types.iter().any(|t| step.policy.keeps(t.as_deref())) {
                done.status = ReferrerStatus::SkippedType;
                return done;
            }
        }
        let job = Job {
            source: step.job.source.clone(),
            from,
            to: step.job.to.with_tag(tag),
        };
        done.status = match self.engine.copy(&job).await {
            Ok(report) if report.outcome == Outcome::UpToDate => ReferrerStatus::Present,
            Ok(report) if report.outcome == Outcome::Planned => ReferrerStatus::WouldCopy,
            Ok(_) => ReferrerStatus::Copied,
            Err(err) => ReferrerStatus::Failed(format!("{err:#}")),
        };
        done
    }
}

/// One subject's work: where it comes from and goes.
struct Step<'a> {
    job: &'a Job,
    source: Origin<'a>,
    subject: &'a Descriptor,
    tags: &'a [String],
    policy: &'a Referrers,
}

/// Where a copied image's referrers are found.
#[derive(Clone, Copy)]
enum Origin<'a> {
    /// A registry: its referrers API, else fallback tags; cosign tags.
    Registry(&'a Registry),
    /// A layout: the referrers `index.json` lists (`Layout::referrers`);
    /// cosign tags named in it.
    Layout(&'a Layout),
}

impl Origin<'_> {
    fn name(&self) -> &str {
        match self {
            Origin::Registry(registry) => registry.name(),
            Origin::Layout(layout) => layout.name(),
        }
    }
}

/// Whether the destination's entry `there` lists `wanted` as fully as the
/// source does (an entry lacking the artifact type or an annotation is
/// written again, whole).
fn listed_in_full(wanted: &Referrer, there: &Referrer) -> bool {
    there.digest == wanted.digest
        && (wanted.artifact_type.is_none() || there.artifact_type == wanted.artifact_type)
        && wanted
            .annotations
            .iter()
            .all(|(k, v)| there.annotations.get(k) == Some(v))
}

pub(super) fn descriptor(referrer: &Referrer) -> Descriptor {
    Descriptor {
        digest: referrer.digest.clone(),
        media_type: referrer.media_type.clone(),
        size: referrer.size,
    }
}

pub(super) fn outcome(
    subject: &str,
    referrer: &Referrer,
    status: ReferrerStatus,
) -> ReferrerOutcome {
    ReferrerOutcome {
        subject: subject.to_owned(),
        digest: referrer.digest.clone(),
        artifact_type: referrer.artifact_type.clone(),
        tag: None,
        status,
    }
}

pub(super) fn too_many() -> ReferrerStatus {
    ReferrerStatus::Failed(format!(
        "more than {MAX_REFERRERS_PER_IMAGE} referrers hang off this image: the rest are not copied"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(digest: &str, artifact_type: Option<&str>, annotations: &[(&str, &str)]) -> Referrer {
        Referrer {
            media_type: "application/vnd.oci.image.manifest.v1+json".into(),
            digest: digest.into(),
            size: 1,
            artifact_type: artifact_type.map(str::to_owned),
            annotations: annotations
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn an_entry_lacking_what_the_source_lists_is_written_again() {
        let wanted = entry("sha256:1", Some("application/spdx+json"), &[("a", "b")]);
        assert!(listed_in_full(&wanted, &wanted));
        let more = entry(
            "sha256:1",
            Some("application/spdx+json"),
            &[("a", "b"), ("c", "d")],
        );
        assert!(listed_in_full(&wanted, &more));
        for there in [
            entry("sha256:2", Some("application/spdx+json"), &[("a", "b")]),
            entry("sha256:1", None, &[("a", "b")]),
            entry("sha256:1", Some("application/spdx+json"), &[]),
        ] {
            assert!(!listed_in_full(&wanted, &there), "{there:?}");
        }
        // A source entry without annotations (as go-containerregistry writes
        // them) is satisfied by a full one.
        let bare = entry("sha256:1", None, &[]);
        assert!(listed_in_full(&bare, &wanted));
    }
}
