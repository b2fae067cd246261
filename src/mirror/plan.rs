//! The options of a copy run as given, and the checked [`MirrorPlan`] they
//! become: every option parsed once into its typed value, before any request.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use regex::Regex;

use super::verify::Verification;
use crate::connect::SideFlags;
use crate::error::Error;
use crate::registry::Platform;
use crate::registry::rate::RateLimit;
use crate::settings::{DefaultPlatform, platform_choice};

/// `--jobs` when not given and the sources are near.
pub const DEFAULT_JOBS: u16 = 8;
/// The most blobs copied at once: `--jobs`' ceiling, and the most the
/// round-trip rule picks.
pub const MAX_JOBS: u16 = 64;
/// Without `--jobs`: [`DEFAULT_JOBS`] more for every this much round trip to
/// the farthest source (see [`MirrorPlan::jobs_for`]).
pub const ROUND_TRIP_PER_DEFAULT_JOBS: Duration = Duration::from_millis(25);

/// How to mirror, as given: everything of `aseecr mirror` but the image list
/// and the output format; also what `sync` and `k8s relocate --mirror` fill
/// in ([`Default`] agrees with the command line's defaults).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MirrorOptions {
    /// Copy only these platforms (`os/arch[/variant]`) of a multi-platform image
    /// (`all`: every one; none given: the default platform, if one is set).
    pub platforms: Vec<String>,
    /// Copy every tag of each source repository.
    pub all_tags: bool,
    /// Copy the tags of each source repository that match this regular expression.
    pub tags: Option<String>,
    /// Blobs copied at once (`--jobs`); `None`: as the round trip asks (see
    /// [`MirrorPlan::jobs_for`]).
    pub jobs: Option<u16>,
    /// Plan only; write nothing.
    pub dry_run: bool,
    /// `--limit-rate`: bytes per second read from the sources, as given.
    pub limit_rate: Option<String>,
    /// Copy foreign (non-distributable) layers too.
    pub include_nondistributable: bool,
    /// Delete the digest a moved tag pointed at before, when no tag uses it.
    pub prune_replaced: bool,
    /// `--no-referrers`: copy no signature, SBOM or attestation along.
    pub no_referrers: bool,
    /// `--referrers-type`: copy only the referrers of these artifact types.
    pub referrers_types: Vec<String>,
    pub source: SideFlags,
    pub destination: SideFlags,
}

/// Which referrers (signatures, SBOMs, attestations: the manifests whose
/// `subject` names the image) and cosign tags a copy takes along.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Referrers {
    /// Every one (the default).
    #[default]
    All,
    /// None (`--no-referrers`).
    None,
    /// Those whose artifact type is one of these (`--referrers-type`).
    Types(Vec<String>),
}

impl Referrers {
    /// The policy of `--no-referrers` and `--referrers-type` (both given: a
    /// usage error).
    pub fn from_flags(none: bool, types: &[String]) -> Result<Referrers> {
        match (none, types) {
            (false, []) => Ok(Referrers::All),
            (true, []) => Ok(Referrers::None),
            (false, types) => {
                if let Some(bad) = types.iter().find(|t| !is_media_type(t)) {
                    return Err(Error::usage(format!(
                        "invalid --referrers-type `{bad}`: not a media type"
                    ))
                    .help("give an artifact type such as application/spdx+json or application/vnd.cncf.notary.signature")
                    .into());
                }
                Ok(Referrers::Types(types.to_vec()))
            }
            (true, _) => Err(Error::usage(
                "--no-referrers and --referrers-type contradict each other",
            )
            .help("give --referrers-type TYPE to copy some referrers, --no-referrers to copy none")
            .into()),
        }
    }

    /// Whether any referrer is copied.
    pub fn any(&self) -> bool {
        !matches!(self, Referrers::None)
    }

    /// Whether a referrer of this artifact type is copied.
    pub fn keeps(&self, artifact_type: Option<&str>) -> bool {
        match self {
            Referrers::All => true,
            Referrers::None => false,
            Referrers::Types(types) => artifact_type.is_some_and(|t| types.iter().any(|k| k == t)),
        }
    }
}

/// `type/subtype` with the characters RFC 6838 allows in a media type name.
pub fn is_media_type(text: &str) -> bool {
    let name = |s: &str| {
        !s.is_empty()
            && s.len() <= 127
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    text.split_once('/')
        .is_some_and(|(kind, sub)| name(kind) && name(sub))
}

/// Which tags of a source repository a run copies.
#[derive(Debug, Clone)]
pub enum TagSelection {
    /// The tag (or digest) each source names.
    Named,
    /// `--all-tags`: every tag.
    All,
    /// `--tags REGEX`: the tags it matches.
    Matching(Regex),
}

impl TagSelection {
    /// Whether sources are repositories expanded to their tags.
    pub fn by_tags(&self) -> bool {
        !matches!(self, TagSelection::Named)
    }

    /// Whether a filter leaves tags out (`--tags`).
    pub fn filtered(&self) -> bool {
        matches!(self, TagSelection::Matching(_))
    }

    /// Whether `tag` is copied when the repository is expanded.
    pub fn keeps(&self, tag: &str) -> bool {
        match self {
            TagSelection::Matching(re) => re.is_match(tag),
            TagSelection::Named | TagSelection::All => true,
        }
    }
}

/// A checked `--limit-rate`: its rate, and the text it was given as (trimmed),
/// to pass on to another run of aseecr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitRate {
    bytes_per_second: u64,
    text: String,
}

impl LimitRate {
    /// The one parser of `--limit-rate` ([`RateLimit::parse`]'s rules).
    pub fn parse(text: &str) -> Result<LimitRate> {
        Ok(LimitRate {
            bytes_per_second: RateLimit::parse(text)?,
            text: text.trim().to_owned(),
        })
    }

    /// The flag's value as given, trimmed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// A new bucket at this rate, for one run's reads.
    pub fn limit(&self) -> RateLimit {
        RateLimit::new(self.bytes_per_second)
    }
}

/// A copy run's options, checked: what every run (single, fan-out, layout)
/// reads, never the text it came from.
#[derive(Debug, Clone)]
pub struct MirrorPlan {
    /// The platforms to copy of a multi-platform image; empty: all of them.
    pub platforms: Vec<Platform>,
    pub tags: TagSelection,
    /// Blobs copied at once, when given (`--jobs`); see [`MirrorPlan::jobs_for`].
    pub jobs: Option<usize>,
    pub dry_run: bool,
    /// The limit on the bytes read from the sources. Where it applies is the
    /// run's choice: on each read of a run into one registry, on the spool's
    /// one read in a fan-out ([`super::SourceReads`]).
    pub limit_rate: Option<LimitRate>,
    pub include_nondistributable: bool,
    pub prune_replaced: bool,
    /// The referrers copied along with each image (unless `referrers_of`
    /// names the image).
    pub referrers: Referrers,
    /// Per source image (its reference as written, with its tag): the
    /// referrers copied along with it instead (a sync file's `referrers:`).
    pub referrers_of: HashMap<String, Referrers>,
    pub source: SideFlags,
    pub destination: SideFlags,
    /// Source registries (`host[:port]`) reached otherwise than by `source`
    /// (a sync file's `sources:`).
    pub sources: HashMap<String, SideFlags>,
    /// What the images are verified with at the source, before their copy
    /// (nothing, unless the command sets it), and the verdicts of the run.
    pub verification: Arc<Verification>,
}

impl MirrorPlan {
    /// Blobs copied at once: `--jobs` when given; else [`DEFAULT_JOBS`] for
    /// every [`ROUND_TRIP_PER_DEFAULT_JOBS`] (begun) of `round_trip`, the
    /// farthest source's, at most [`MAX_JOBS`]. A blob costs its copy a round
    /// trip or two before its first byte; more of them in flight keep a far
    /// link busy, where a fixed number leaves it idle between small blobs.
    pub fn jobs_for(&self, round_trip: Option<Duration>) -> usize {
        if let Some(jobs) = self.jobs {
            return jobs;
        }
        let steps = round_trip.map_or(1, |rtt| {
            rtt.as_micros()
                .div_ceil(ROUND_TRIP_PER_DEFAULT_JOBS.as_micros())
                .max(1)
        });
        let jobs = u128::from(DEFAULT_JOBS).saturating_mul(steps);
        usize::try_from(jobs.min(u128::from(MAX_JOBS))).unwrap_or(usize::from(MAX_JOBS))
    }

    /// The flags of source registry `registry`.
    pub fn source_flags(&self, registry: &str) -> &SideFlags {
        self.sources.get(registry).unwrap_or(&self.source)
    }

    /// The referrers copied along with source image `source`.
    pub fn referrers_for(&self, source: &str) -> &Referrers {
        self.referrers_of.get(source).unwrap_or(&self.referrers)
    }
}

impl MirrorOptions {
    /// The platforms (given, else the default), the tag filter and the rate
    /// limit, checked; the first bad one is a usage error.
    pub fn check(&self, default_platform: Option<&DefaultPlatform>) -> Result<MirrorPlan> {
        let platforms = platform_choice(&self.platforms, default_platform)?;
        let tags = match &self.tags {
            Some(re) => TagSelection::Matching(Regex::new(re).map_err(|err| {
                Error::usage(format!("invalid --tags regular expression `{re}`: {err}"))
            })?),
            None if self.all_tags => TagSelection::All,
            None => TagSelection::Named,
        };
        let limit_rate = self
            .limit_rate
            .as_deref()
            .map(LimitRate::parse)
            .transpose()?;
        let referrers = Referrers::from_flags(self.no_referrers, &self.referrers_types)?;
        Ok(MirrorPlan {
            platforms,
            tags,
            jobs: self.jobs.map(usize::from),
            dry_run: self.dry_run,
            limit_rate,
            include_nondistributable: self.include_nondistributable,
            prune_replaced: self.prune_replaced,
            referrers,
            referrers_of: HashMap::new(),
            source: self.source.clone(),
            destination: self.destination.clone(),
            sources: HashMap::new(),
            verification: Arc::new(Verification::default()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_referrers_policy_keeps_by_artifact_type() {
        assert_eq!(Referrers::from_flags(false, &[]).unwrap(), Referrers::All);
        assert!(!Referrers::from_flags(true, &[]).unwrap().any());
        let some = Referrers::from_flags(false, &["application/spdx+json".into()]).unwrap();
        assert!(some.keeps(Some("application/spdx+json")));
        assert!(!some.keeps(Some("application/vnd.cncf.notary.signature")));
        assert!(!some.keeps(None));
        assert!(Referrers::All.keeps(None));
        assert!(is_media_type("application/vnd.cncf.notary.signature"));
        assert!(!is_media_type("application/") && !is_media_type("a b/c"));
    }

    #[test]
    fn the_check_types_every_option_once() {
        let options = MirrorOptions {
            platforms: vec!["linux/arm64".into()],
            tags: Some("^v1".into()),
            limit_rate: Some(" 20M ".into()),
            ..MirrorOptions::default()
        };
        let plan = options.check(None).unwrap();
        assert_eq!(plan.platforms[0].to_string(), "linux/arm64");
        assert!(plan.tags.by_tags() && plan.tags.filtered());
        assert!(plan.tags.keeps("v1.2") && !plan.tags.keeps("2.0"));
        assert_eq!(plan.limit_rate.as_ref().map(LimitRate::text), Some("20M"));
        assert_eq!(plan.jobs, None);
        assert_eq!(plan.jobs_for(None), usize::from(DEFAULT_JOBS));

        let all = MirrorOptions {
            all_tags: true,
            ..MirrorOptions::default()
        };
        let plan = all.check(None).unwrap();
        assert!(plan.tags.by_tags() && !plan.tags.filtered() && plan.tags.keeps("x"));
        assert!(!MirrorOptions::default().check(None).unwrap().tags.by_tags());
    }

    #[test]
    fn jobs_follow_the_round_trip_unless_given() {
        let plan = MirrorOptions::default().check(None).unwrap();
        let ms = Duration::from_millis;
        assert_eq!(plan.jobs_for(Some(ms(1))), 8);
        assert_eq!(plan.jobs_for(Some(ms(25))), 8);
        assert_eq!(plan.jobs_for(Some(ms(26))), 16);
        assert_eq!(plan.jobs_for(Some(ms(100))), 32);
        assert_eq!(plan.jobs_for(Some(ms(300))), 64);
        assert_eq!(plan.jobs_for(Some(Duration::MAX)), 64);
        let given = MirrorOptions {
            jobs: Some(2),
            ..MirrorOptions::default()
        };
        assert_eq!(given.check(None).unwrap().jobs_for(Some(ms(300))), 2);
    }

    #[test]
    fn a_bad_option_is_a_usage_error() {
        for options in [
            MirrorOptions {
                tags: Some("(".into()),
                ..MirrorOptions::default()
            },
            MirrorOptions {
                limit_rate: Some("20MB".into()),
                ..MirrorOptions::default()
            },
            MirrorOptions {
                platforms: vec!["linux".into()],
                ..MirrorOptions::default()
            },
            MirrorOptions {
                no_referrers: true,
                referrers_types: vec!["application/spdx+json".into()],
                ..MirrorOptions::default()
            },
            MirrorOptions {
                referrers_types: vec!["spdx".into()],
                ..MirrorOptions::default()
            },
        ] {
            let err = options.check(None).unwrap_err();
            let kind = crate::error::find(&err).map(|e| e.kind);
            assert_eq!(kind, Some(crate::error::Kind::Usage), "{options:?}");
        }
    }
}
