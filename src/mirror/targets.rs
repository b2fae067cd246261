//! Where each source goes: layout sources opened once and expanded to their
//! images, each destination mapped to a typed reference, and the route of the
//! run (one layout, or one list of images per destination registry).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Result;

use super::Reporter;
use super::input::{ImageList, Pair, SourceSpec, destinations, read_pairs};
use super::outcome::Notice;
use super::plan::{MirrorPlan, TagSelection};
use crate::error::Error;
use crate::layout::{Layout, Location};
use crate::registry::Reference;
use crate::registry::copy::Source;
use crate::settings::Settings;

/// A source ready to copy from: a registry reference, or an image of an open
/// layout (with the reference the engine reads it by).
#[derive(Clone)]
pub enum Src {
    Registry(Reference),
    Layout(Arc<Layout>, Reference),
}

impl Src {
    pub(super) fn reference(&self) -> &Reference {
        match self {
            Src::Registry(reference) | Src::Layout(_, reference) => reference,
        }
    }

    pub(super) fn describe(&self) -> String {
        match self {
            Src::Registry(reference) => reference.to_string(),
            Src::Layout(layout, reference) => layout.describe(reference),
        }
    }
}

/// Where a run writes, with what goes there.
pub enum Route {
    /// Into one layout or archive: every source.
    Layout(Location, Vec<Src>),
    /// Into registries: for each destination, its (source, destination) pairs,
    /// all in that one registry.
    Registries(Vec<Vec<(Src, Reference)>>),
}

/// Read the image list, open its layout sources and map every source to its
/// destination: all the input checked before any copy.
pub async fn route(
    settings: &Settings,
    list: &ImageList,
    plan: &MirrorPlan,
    reporter: &dyn Reporter,
) -> Result<Route> {
    let destinations = destinations(list)?;
    let targets: Vec<Option<&str>> = if destinations.is_empty() {
        vec![None]
    } else {
        destinations.iter().map(|d| Some(d.as_str())).collect()
    };
    // Layout sources are opened once here and expanded to their images: each
    // image's name says where it goes.
    let mut layouts: HashMap<PathBuf, Arc<Layout>> = HashMap::new();
    let mut expanded_per_destination = Vec::new();
    let mut layout_to = None;
    for to in &targets {
        let pairs = read_pairs(list, *to)?;
        if expanded_per_destination.is_empty() {
            notice_bare_sources(settings, &pairs, reporter);
        }
        check_pairs(&pairs, *to, targets.len())?;
        layout_to = layout_destination(&pairs)?;
        let expanded = expand(&pairs, &plan.tags, &mut layouts, reporter).await?;
        expanded_per_destination.push(expanded);
    }
    if let Some(location) = layout_to {
        let expanded = expanded_per_destination.remove(0);
        let sources = expanded.into_iter().map(|(source, _)| source).collect();
        return Ok(Route::Layout(location, sources));
    }
    let mut planned_per_destination = Vec::new();
    for expanded in expanded_per_destination {
        let mut planned = Vec::new();
        for (source, destination) in expanded {
            // Registry sources with --all-tags are expanded later, by tag.
            let by_tags = plan.tags.by_tags() && matches!(source, Src::Registry(_));
            let destination = map_destination(
                settings,
                list.prefix.as_deref(),
                by_tags,
                &source,
                destination.as_deref(),
            )?;
            planned.push((source, destination));
        }
        planned_per_destination.push(planned);
    }
    Ok(Route::Registries(planned_per_destination))
}

/// A source without a registry is Docker Hub's even when a default registry
/// is set (as docker and skopeo read a source): said once per source.
fn notice_bare_sources(settings: &Settings, pairs: &[Pair], reporter: &dyn Reporter) {
    let Some(default_registry) = settings.default_registry.as_deref() else {
        return;
    };
    for pair in pairs {
        if let (Some(source), SourceSpec::Registry(reference)) = (&pair.bare_source, &pair.source) {
            reporter.notice(Notice::BareSource {
                source: source.clone(),
                hub: reference.to_string(),
                default_registry: default_registry.to_owned(),
            });
        }
    }
}

/// Something to mirror, and with several `--to`, no pair naming its own
/// destination.
fn check_pairs(pairs: &[Pair], to: Option<&str>, targets: usize) -> Result<()> {
    if pairs.is_empty() {
        return Err(Error::usage("nothing to mirror: no source image given")
            .help("aseecr mirror SRC [DST], or list `SRC [DST]` lines in a file with -f FILE")
            .into());
    }
    if targets > 1
        && let Some(named) = pairs.iter().find(|p| {
            p.destination.as_deref().map(|d| d.trim_end_matches('/'))
                != to.map(|t| t.trim_end_matches('/'))
        })
    {
        return Err(Error::usage(format!(
            "`{}` names its own destination, but the run copies to {targets} registries",
            named.destination.as_deref().unwrap_or_default(),
        ))
        .help("with several --to, list sources only (`SRC` lines)")
        .into());
    }
    Ok(())
}

/// Each pair's source, a layout's expanded to its images (opened once per run).
async fn expand(
    pairs: &[Pair],
    tags: &TagSelection,
    layouts: &mut HashMap<PathBuf, Arc<Layout>>,
    reporter: &dyn Reporter,
) -> Result<Vec<(Src, Option<String>)>> {
    let mut expanded = Vec::new();
    for pair in pairs {
        let location = match &pair.source {
            SourceSpec::Registry(reference) => {
                expanded.push((Src::Registry(reference.clone()), pair.destination.clone()));
                continue;
            }
            SourceSpec::Layout(location) => location,
        };
        let key = location.path.clone();
        let layout = match layouts.get(&key) {
            Some(layout) => layout.clone(),
            None => {
                let layout = Arc::new(Layout::open(location).await?);
                layouts.insert(key, layout.clone());
                layout
            }
        };
        let names = match (&location.name, tags.by_tags()) {
            (Some(name), false) => vec![name.clone()],
            (None, false) => vec![layout.only_name()?],
            (_, true) => layout_names(&layout, tags, reporter),
        };
        for name in names {
            let reference = crate::layout::reference(&layout, &name);
            expanded.push((
                Src::Layout(layout.clone(), reference),
                pair.destination.clone(),
            ));
        }
    }
    Ok(expanded)
}

/// The names of a layout's images that `tags` selects; those without a name
/// are left out, and said so.
fn layout_names(layout: &Layout, tags: &TagSelection, reporter: &dyn Reporter) -> Vec<String> {
    let (untagged, names): (Vec<String>, Vec<String>) = layout
        .names()
        .into_iter()
        .partition(|n| layout.is_untagged(n));
    for name in untagged {
        reporter.notice(Notice::UntaggedSkipped {
            layout: layout.name().to_owned(),
            name,
        });
    }
    let names: Vec<String> = names
        .into_iter()
        .filter(|n| {
            // Attachment tags (cosign's `.sig`, a fallback index) go with
            // their image, as its referrers, not as images of their own.
            let tag = crate::layout::split_name(n).1;
            tags.keeps(&tag) && crate::registry::referrers::attachment_tag(&tag).is_none()
        })
        .collect();
    if names.is_empty() {
        reporter.notice(Notice::NoImages {
            layout: layout.name().to_owned(),
            filtered: tags.filtered(),
        });
    }
    names
}

/// The layout every destination names, or None when they are registries; a
/// run writes into one layout or one registry.
fn layout_destination(pairs: &[Pair]) -> Result<Option<Location>> {
    let mut found: Option<Location> = None;
    let mut registries = false;
    for pair in pairs {
        match pair.destination.as_deref().and_then(Location::parse) {
            Some(location) => {
                let location = location?;
                if let Some(first) = &found
                    && first.base() != location.base()
                {
                    return Err(Error::usage(format!(
                        "one run writes into one layout, but destinations name `{}` and `{}`",
                        first.base(),
                        location.base()
                    ))
                    .help("run aseecr mirror once per destination")
                    .into());
                }
                if found.is_some() && location.name.is_some() {
                    return Err(Error::usage(format!(
                        "`{location}` names one image, but several sources go there"
                    ))
                    .help(format!(
                        "leave the name out (`{}`): each image is named REPOSITORY:TAG",
                        location.base()
                    ))
                    .into());
                }
                found = Some(location);
            }
            None => registries = true,
        }
    }
    if found.is_some() && registries {
        return Err(Error::usage(
            "one run writes into one layout or one registry, but destinations name both",
        )
        .help("run aseecr mirror once per destination")
        .into());
    }
    Ok(found)
}

/// Where a source goes: DST as given, DST/ as a registry (and prefix), or the
/// default registry under the same path.
fn map_destination(
    settings: &Settings,
    prefix: Option<&str>,
    by_tags: bool,
    source: &Src,
    destination: Option<&str>,
) -> Result<Reference> {
    match destination {
        None => {
            let registry = settings
                .require_registry(None)
                .map_err(|err| err.context("no destination given and no default registry set"))?;
            under_path(source, &registry, prefix)
        }
        Some(destination) if destination.ends_with('/') => {
            let trimmed = destination.trim_end_matches('/');
            let (registry, path_prefix) = match trimmed.split_once('/') {
                Some((registry, rest)) => (registry, Some(rest)),
                None => (trimmed, None),
            };
            let registry = crate::registry::reference::normalize_registry(registry)?;
            let prefix = match (path_prefix, prefix) {
                (Some(a), Some(b)) => Some(format!("{a}/{}", b.trim_matches('/'))),
                (Some(a), None) => Some(a.to_owned()),
                (None, b) => b.map(str::to_owned),
            };
            under_path(source, &registry, prefix.as_deref())
        }
        Some(destination) => {
            let mut target = Reference::parse(destination, settings.default_registry.as_deref())?;
            if by_tags && (target.tag.is_some() || target.digest.is_some()) {
                return Err(Error::usage(format!(
                    "with --all-tags or --tags the destination must be a repository, not `{destination}`"
                ))
                .into());
            }
            if target.tag.is_none() && target.digest.is_none() {
                let (tag, digest) = tag_or_digest(source.reference());
                target.tag = tag;
                target.digest = digest;
            }
            Ok(target)
        }
    }
}

/// The source's tag, else its digest.
fn tag_or_digest(source: &Reference) -> (Option<String>, Option<String>) {
    match &source.tag {
        Some(tag) => (Some(tag.clone()), None),
        None => (None, source.digest.clone()),
    }
}

/// The source's repository (under `prefix`) in `registry`, with its tag, else
/// its digest.
fn under_path(source: &Src, registry: &str, prefix: Option<&str>) -> Result<Reference> {
    let reference = source.reference();
    let prefix = prefix
        .map(|p| p.trim_matches('/'))
        .filter(|p| !p.is_empty());
    let path = match prefix {
        // A layout image named by a bare tag (skopeo's `oci:DIR:TAG`) has no
        // repository: the prefix is its repository.
        Some(prefix) if reference.repository.is_empty() => prefix.to_owned(),
        Some(prefix) => format!("{prefix}/{}", reference.repository),
        None if reference.repository.is_empty() => {
            return Err(Error::usage(format!(
                "`{}` names no repository to mirror it to",
                source.describe()
            ))
            .help("name the destination repository: `aseecr mirror SRC REGISTRY/REPOSITORY` or `--to REGISTRY/REPOSITORY`")
            .into());
        }
        None => reference.repository.clone(),
    };
    let (tag, digest) = tag_or_digest(reference);
    let mut target = reference.moved_to(registry, &path)?;
    target.tag = tag;
    target.digest = digest;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Src {
        Src::Registry(Reference::parse(text, None).unwrap())
    }

    #[test]
    fn a_source_keeps_its_path_under_the_prefix_with_its_tag_else_its_digest() {
        let digest = format!("sha256:{}", "a".repeat(64));
        let cases = [
            (
                "docker.io/library/nginx:1.25",
                None,
                "edge:5000/library/nginx:1.25",
            ),
            (
                "quay.io/org/app:2",
                Some("/mirror/"),
                "edge:5000/mirror/org/app:2",
            ),
            (
                &*format!("quay.io/org/app@{digest}"),
                Some("m"),
                &*format!("edge:5000/m/org/app@{digest}"),
            ),
            (
                &*format!("quay.io/org/app:3@{digest}"),
                None,
                "edge:5000/org/app:3",
            ),
        ];
        for (from, prefix, expected) in cases {
            let target = under_path(&source(from), "edge:5000", prefix).unwrap();
            assert_eq!(target.to_string(), expected, "{from} under {prefix:?}");
            assert_eq!(target.registry, "edge:5000");
        }
    }

    #[test]
    fn a_prefix_that_is_no_repository_path_is_refused_as_parsing_would() {
        let err = under_path(
            &source("quay.io/org/app:2"),
            "edge:5000",
            Some("Bad Prefix"),
        )
        .unwrap_err();
        let err = crate::error::find(&err).expect("an aseecr error");
        assert_eq!(err.kind, crate::error::Kind::Usage);
        assert!(
            err.message
                .starts_with("invalid image reference `edge:5000/Bad Prefix/org/app:2`: "),
            "{}",
            err.message
        );
    }
}
