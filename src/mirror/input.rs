//! The image list of a run as given (`SRC [DST]` arguments, `-f FILE`, `--to`,
//! `--to-file`), read into source and destination pairs; nothing is opened
//! or contacted here.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::error::Error;
use crate::fsutil::ShowPath;
use crate::layout::Location;
use crate::registry::Reference;

/// What names the images of a run and where they go, as given.
#[derive(Debug, Clone, Default)]
pub struct ImageList {
    /// `SRC [DST]`, or several sources with `--to`.
    pub images: Vec<String>,
    /// `--to REGISTRY[/PREFIX]` (or a layout), each once.
    pub to: Vec<String>,
    /// `--to-file FILE`: one destination per line.
    pub to_file: Option<PathBuf>,
    /// `-f FILE`: `SRC [DST]` lines.
    pub file: Option<PathBuf>,
    /// `--prefix`: a path put before each repository at the destination.
    pub prefix: Option<String>,
}

/// Where images come from, as typed.
#[derive(Debug, Clone)]
pub enum SourceSpec {
    Registry(Reference),
    Layout(Location),
}

/// One line of work before tags are expanded: a source and where it goes.
#[derive(Debug, Clone)]
pub struct Pair {
    pub source: SourceSpec,
    /// The destination as given (`None`: mapped to the default registry).
    pub destination: Option<String>,
    /// The source as typed when it names no registry (Docker Hub's, as
    /// docker reads it; worth a note when a default registry is set).
    pub bare_source: Option<String>,
}

/// Every `--to` and `--to-file` destination, in order, each once.
pub fn destinations(list: &ImageList) -> Result<Vec<String>> {
    let mut all: Vec<String> = list.to.clone();
    if let Some(path) = &list.to_file {
        for line in read_lines(path)? {
            let line = line.split('#').next().unwrap_or("").trim();
            if !line.is_empty() {
                all.push(line.to_owned());
            }
        }
        if all.is_empty() {
            return Err(
                Error::usage(format!("`{}` names no destination", path.shown()))
                    .help("list one REGISTRY[/PREFIX] per line")
                    .into(),
            );
        }
    }
    let mut seen = std::collections::HashSet::new();
    all.retain(|d| seen.insert(d.trim_end_matches('/').to_owned()));
    if all.len() > 1
        && let Some(layout) = all.iter().find(|d| Location::parse(d).is_some())
    {
        return Err(Error::usage(format!(
            "`{layout}` is a layout: several destinations must be registries"
        ))
        .help("write a layout or archive in a run of its own")
        .into());
    }
    Ok(all)
}

/// The SRC [DST] pairs from the arguments and `-f FILE`, going to `to` (one
/// `--to`) when they name no destination of their own.
pub fn read_pairs(list: &ImageList, to: Option<&str>) -> Result<Vec<Pair>> {
    // `--to REGISTRY[/PREFIX]` is a destination like `DST/`: the repository path
    // kept; `--to oci:DIR` (or `oci-archive:FILE`) is a layout. With -f, one
    // layout argument is the destination: `mirror -f images.txt oci-archive:FILE`.
    let layout_to = match (list.images.as_slice(), to, &list.file) {
        ([one], None, Some(_)) if Location::parse(one).is_some() => Some(one.clone()),
        _ => None,
    };
    let images: &[String] = if layout_to.is_some() {
        &[]
    } else {
        &list.images
    };
    let to = layout_to.or_else(|| {
        to.map(|to| {
            let to = to.strip_prefix("docker://").unwrap_or(to);
            if Location::parse(to).is_some() {
                to.to_owned()
            } else {
                format!("{}/", to.trim_end_matches('/'))
            }
        })
    });
    let mut pairs = Vec::new();
    match (images, &to) {
        ([], _) => {}
        (sources, Some(to)) => {
            for source in sources {
                pairs.push(pair(source, Some(to))?);
            }
        }
        ([source], None) => pairs.push(pair(source, None)?),
        ([source, destination], None) => pairs.push(pair(source, Some(destination))?),
        (images, None) => {
            return Err(Error::usage(format!(
                "mirror takes SRC [DST], but {} images were given: which one is the destination?",
                images.len()
            ))
            .help("to copy several images, name the destination registry: `aseecr mirror IMAGE... --to REGISTRY`")
            .help("or list `SRC [DST]` lines in a file: `aseecr mirror -f FILE`")
            .into());
        }
    }
    if let Some(path) = &list.file {
        let lines = read_lines(path)?;
        for (number, line) in lines.iter().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            let context = || format!("{}, line {}", path.shown(), number + 1);
            let parsed = match words.as_slice() {
                [source] => pair(source, to.as_deref()),
                [source, destination] => pair(source, Some(destination)),
                _ => Err(Error::usage(format!(
                    "{}: expected `SRC [DST]`, found {} words",
                    context(),
                    words.len()
                ))
                .into()),
            };
            pairs.push(parsed.with_context(context)?);
        }
    }
    Ok(pairs)
}

fn read_lines(path: &Path) -> Result<Vec<String>> {
    let text = crate::fsutil::read_input(path, &crate::fsutil::IMAGE_LIST)?;
    Ok(String::from_utf8_lossy(&text)
        .lines()
        .map(str::to_owned)
        .collect())
}

/// A registry name no reference can name (`.invalid` is reserved).
const BARE_PROBE: &str = "bare.invalid";

fn pair(source: &str, destination: Option<&str>) -> Result<Pair> {
    let typed = source;
    let mut bare_source = None;
    let source = match Location::parse(source) {
        Some(location) => SourceSpec::Layout(location?),
        // Sources keep docker's meaning: no registry means Docker Hub.
        None => {
            let text = source.strip_prefix("docker://").unwrap_or(source);
            // Parsed against a stand-in default: it is used only when the
            // text names no registry.
            if Reference::parse(text, Some(BARE_PROBE)).is_ok_and(|r| r.registry == BARE_PROBE) {
                bare_source = Some(typed.to_owned());
            }
            SourceSpec::Registry(Reference::parse(text, None)?)
        }
    };
    let destination = destination.map(|d| d.strip_prefix("docker://").unwrap_or(d).to_owned());
    Ok(Pair {
        source,
        destination,
        bare_source,
    })
}
