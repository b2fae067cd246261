//! OCI image layouts on disk: `oci:DIR[:NAME]` (a directory),
//! `oci-archive:FILE[:NAME]` (the same as a tar) and `docker-archive:FILE[:REF]`
//! (what `docker save` writes, see [`docker`]): where a location points and how
//! its images are named (here), read as a copy
//! [`Source`](crate::registry::copy::Source) by [`read`](mod@read) and written by [`write`](mod@write).
//!
//! Several images share one layout, each named by an
//! `org.opencontainers.image.ref.name` annotation in `index.json`, as skopeo
//! writes them; every blob is stored once under `blobs/ALG/HEX`.

pub mod build;
pub mod docker;
pub mod read;
mod tar_file;
pub mod write;

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::registry::Reference;

pub use read::{Layout, reference};

/// The annotation that names an image in a layout's `index.json`.
pub const REF_NAME: &str = "org.opencontainers.image.ref.name";
/// Which kind of layout a location names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// `oci:DIR`
    Dir,
    /// `oci-archive:FILE`
    Archive,
    /// `docker-archive:FILE`
    DockerArchive,
}

/// `oci:PATH[:NAME]` or `oci-archive:PATH[:NAME]`, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub transport: Transport,
    pub path: PathBuf,
    /// The image's name in the layout (`org.opencontainers.image.ref.name`).
    pub name: Option<String>,
}

impl Location {
    /// `Some` when `input` starts with `oci:` or `oci-archive:`. The path ends
    /// at the first `:` (after a Windows drive letter), as in skopeo.
    pub fn parse(input: &str) -> Option<Result<Location, Error>> {
        let (transport, rest) = if let Some(rest) = input.strip_prefix("oci-archive:") {
            (Transport::Archive, rest)
        } else if let Some(rest) = input.strip_prefix("docker-archive:") {
            (Transport::DockerArchive, rest)
        } else if let Some(rest) = input.strip_prefix("oci:") {
            (Transport::Dir, rest)
        } else {
            return None;
        };
        let drive = rest.len() >= 3
            && rest.as_bytes()[0].is_ascii_alphabetic()
            && rest.as_bytes()[1] == b':'
            && matches!(rest.as_bytes()[2], b'\\' | b'/');
        let split_from = if drive { 2 } else { 0 };
        let (path, name) = match rest[split_from..].find(':') {
            Some(at) => (&rest[..split_from + at], Some(&rest[split_from + at + 1..])),
            None => (rest, None),
        };
        if path.is_empty() {
            return Some(Err(Error::usage(format!(
                "invalid location `{input}`: the path is empty"
            ))
            .help(
                "write it as oci:DIR[:NAME], oci-archive:FILE[:NAME] or docker-archive:FILE[:REF]",
            )));
        }
        if let Some(name) = name
            && !valid_name(name)
        {
            return Some(Err(Error::usage(format!(
                "invalid image name `{name}` in `{input}`"
            ))
            .help("a layout name is letters, digits and `._-:@+/`, e.g. `1.25` or `library/nginx:1.25`")));
        }
        Some(Ok(Location {
            transport,
            path: PathBuf::from(path),
            name: name.map(str::to_owned),
        }))
    }

    /// `oci:PATH` / `oci-archive:PATH`, without the name.
    pub fn base(&self) -> String {
        let prefix = match self.transport {
            Transport::Dir => "oci",
            Transport::Archive => "oci-archive",
            Transport::DockerArchive => "docker-archive",
        };
        format!("{prefix}:{}", self.path.display())
    }

    pub fn with_name(&self, name: Option<&str>) -> Location {
        Location {
            name: name.map(str::to_owned),
            ..self.clone()
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.base())?;
        if let Some(name) = &self.name {
            write!(f, ":{name}")?;
        }
        Ok(())
    }
}

/// The OCI grammar of `org.opencontainers.image.ref.name`, loosely: no white
/// space or control characters, not empty, not too long.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 512
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-:@+/".contains(c))
}

/// A layout name as an image reference's repository and tag: `REPO:TAG` (a `:`
/// after the last `/`) names both; a bare `TAG` (skopeo's `oci:DIR:TAG`) names no
/// repository (empty).
pub fn split_name(name: &str) -> (String, String) {
    let last = name.rsplit('/').next().unwrap_or(name);
    match last.rfind(':') {
        Some(at) => {
            let split = name.len() - last.len() + at;
            (name[..split].to_owned(), name[split + 1..].to_owned())
        }
        None => (String::new(), name.to_owned()),
    }
}

/// The name a reference read by [`reference`](fn@reference) stands for.
pub fn name_of(reference: &Reference) -> Option<String> {
    let tag = reference.tag.as_deref()?;
    Some(if reference.repository.is_empty() {
        tag.to_owned()
    } else {
        format!("{}:{tag}", reference.repository)
    })
}

/// Where a blob is in the layout at `dir`: `blobs/ALG/HEX`.
pub(crate) fn blob_file(dir: &Path, digest: &str) -> PathBuf {
    let (algorithm, hex) = digest.split_once(':').unwrap_or(("sha256", digest));
    dir.join("blobs").join(algorithm).join(hex)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_parse_like_skopeo() {
        let l = Location::parse("oci:/tmp/x:1.0").unwrap().unwrap();
        assert_eq!(
            (l.transport, l.path.to_str(), l.name.as_deref()),
            (Transport::Dir, Some("/tmp/x"), Some("1.0"))
        );
        let l = Location::parse("oci-archive:b.tar:library/nginx:1.25")
            .unwrap()
            .unwrap();
        assert_eq!(l.name.as_deref(), Some("library/nginx:1.25"));
        let l = Location::parse(r"oci:C:\dir").unwrap().unwrap();
        assert_eq!((l.path.to_str(), l.name), (Some(r"C:\dir"), None));
        assert!(Location::parse("oci:").unwrap().is_err());
        assert!(Location::parse("oci:x:bad name").unwrap().is_err());
        assert!(Location::parse("registry:5000/app").is_none());
    }

    #[test]
    fn names_split_into_repository_and_tag() {
        assert_eq!(split_name("v1"), (String::new(), "v1".into()));
        assert_eq!(
            split_name("library/nginx:1.25"),
            ("library/nginx".into(), "1.25".into())
        );
        assert_eq!(
            split_name("host:5000/app"),
            (String::new(), "host:5000/app".into())
        );
    }
}
