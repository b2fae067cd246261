//! Image references parsed the way docker parses them:
//! `[host[:port]/]path[:tag][@sha256:hex]`, with the docker.io and `library/`
//! defaults, a configurable default registry, ports and IPv6 literals; and the one
//! parser of registry endpoints (`host[:port]`) that every command uses.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::error::Error;

/// Docker Hub's name in references.
pub const DOCKER_HUB: &str = "docker.io";
/// The host that serves Docker Hub's registry API.
pub const DOCKER_HUB_API: &str = "registry-1.docker.io";

const NAME_MAX: usize = 255;
const REFERENCE_HELP: &str =
    "write it as [HOST[:PORT]/]PATH[:TAG][@sha256:DIGEST], e.g. `ecr.example.com:31001/nginx:1.25`";
const HOST_NAME_MAX: usize = 253;
const HOST_LABEL_MAX: usize = 63;

/// The longest tag distribution accepts.
const TAG_MAX: usize = 128;

/// A parsed image reference. `registry` is `host[:port]` (IPv6 hosts in brackets).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    pub registry: String,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl Reference {
    /// Parse an image reference. A reference without a registry goes to
    /// `default_registry` when one is set, else to Docker Hub (with `library/`
    /// for one-component names). A reference without tag or digest means `latest`.
    pub fn parse(input: &str, default_registry: Option<&str>) -> Result<Reference, Error> {
        let bad = |what: String| {
            Error::usage(format!("invalid image reference `{input}`: {what}")).help(REFERENCE_HELP)
        };
        if input.is_empty() {
            return Err(bad("it is empty".into()));
        }
        if input.chars().any(char::is_whitespace) {
            return Err(bad("it contains white space".into()));
        }
        let (rest, digest) = match input.split_once('@') {
            Some((rest, digest)) => {
                validate_digest(digest).map_err(&bad)?;
                (rest, Some(digest.to_owned()))
            }
            None => (input, None),
        };
        // A tag follows the last ':' that comes after the last '/' (a ':' before
        // it belongs to a port).
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => {
                let tag = &rest[last_slash + i + 1..];
                if !is_tag(tag) {
                    return Err(bad(format!(
                        "tag `{tag}` may hold only letters, digits, `_`, `.` and `-` (at most 128, not starting with `.` or `-`)"
                    )));
                }
                (&rest[..last_slash + i], Some(tag.to_owned()))
            }
            None => (rest, None),
        };
        if name.is_empty() {
            return Err(bad("the repository name is missing".into()));
        }
        let (registry, path) = match name.split_once('/') {
            Some((first, path)) if looks_like_registry(first) => (
                normalize_registry(first).map_err(|e| bad(e.message))?,
                path.to_owned(),
            ),
            _ => match default_registry {
                Some(default) => (
                    normalize_registry(default).map_err(|e| bad(e.message))?,
                    name.to_owned(),
                ),
                None => (DOCKER_HUB.to_owned(), name.to_owned()),
            },
        };
        if name.starts_with('[') && !name.contains('/') {
            return Err(bad(
                "a registry host needs a repository path after it".into()
            ));
        }
        let path = if registry == DOCKER_HUB && !path.contains('/') {
            format!("library/{path}")
        } else {
            path
        };
        validate_path(&path).map_err(&bad)?;
        if registry.len() + 1 + path.len() > NAME_MAX {
            return Err(bad(format!(
                "the name is longer than {NAME_MAX} characters"
            )));
        }
        Ok(Reference {
            registry,
            repository: path,
            tag,
            digest,
        })
    }

    /// Parse a repository (no tag or digest allowed).
    pub fn parse_repository(
        input: &str,
        default_registry: Option<&str>,
    ) -> Result<Reference, Error> {
        let reference = Reference::parse(input, default_registry)?;
        if reference.tag.is_some() || reference.digest.is_some() {
            return Err(Error::usage(format!(
                "`{input}` names an image, but a repository is expected here"
            ))
            .help(format!(
                "drop the tag or digest: `{}`",
                reference.repository_name()
            )));
        }
        Ok(reference)
    }

    /// What the manifest endpoint is asked for: the digest, else the tag, else `latest`.
    pub fn manifest_reference(&self) -> &str {
        self.digest
            .as_deref()
            .or(self.tag.as_deref())
            .unwrap_or("latest")
    }

    /// The tag, `latest` when neither tag nor digest was given.
    pub fn tag_or_default(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(tag), _) => Some(tag),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }

    /// `registry/repository`.
    pub fn repository_name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    /// This tag and digest in `repository` of `registry` (normalized), the
    /// path checked as [`Reference::parse`] checks it.
    pub fn moved_to(&self, registry: &str, repository: &str) -> Result<Reference, Error> {
        let repository = if registry == DOCKER_HUB && !repository.contains('/') {
            format!("library/{repository}")
        } else {
            repository.to_owned()
        };
        let moved = Reference {
            registry: registry.to_owned(),
            repository,
            ..self.clone()
        };
        let bad = |what: String| {
            Error::usage(format!("invalid image reference `{moved}`: {what}")).help(REFERENCE_HELP)
        };
        validate_path(&moved.repository).map_err(bad)?;
        if moved.registry.len() + 1 + moved.repository.len() > NAME_MAX {
            return Err(bad(format!(
                "the name is longer than {NAME_MAX} characters"
            )));
        }
        Ok(moved)
    }

    /// The same repository with another tag.
    pub fn with_tag(&self, tag: &str) -> Reference {
        Reference {
            tag: Some(tag.to_owned()),
            digest: None,
            ..self.clone()
        }
    }

    /// The same repository pinned to a digest.
    pub fn with_digest(&self, digest: &str) -> Reference {
        Reference {
            tag: None,
            digest: Some(digest.to_owned()),
            ..self.clone()
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

/// Whether a reference as typed names its registry (`host[:port]/path...`), rather
/// than leaving it to the default (Docker Hub, or the configured registry).
pub fn names_registry(input: &str) -> bool {
    let name = input.split('@').next().unwrap_or(input);
    name.split_once('/')
        .is_some_and(|(first, _)| looks_like_registry(first))
}

/// Whether a registry is a public one (Docker Hub, MCR, GHCR, Quay, ...): never one
/// a hosts-file entry is for.
pub fn is_public_registry(registry: &str) -> bool {
    let host = registry_host(registry).to_ascii_lowercase();
    const PUBLIC: &[&str] = &[
        DOCKER_HUB,
        DOCKER_HUB_API,
        "index.docker.io",
        "mcr.microsoft.com",
        "ghcr.io",
        "quay.io",
        "gcr.io",
        "registry.k8s.io",
        "public.ecr.aws",
        "nvcr.io",
        "registry.gitlab.com",
    ];
    const PUBLIC_SUFFIXES: &[&str] = &[".gcr.io", ".pkg.dev", ".azurecr.io", ".amazonaws.com"];
    PUBLIC.contains(&host.as_str()) || PUBLIC_SUFFIXES.iter().any(|s| host.ends_with(s))
}

/// Docker's rule: the first path component is a registry when it has a `.` or a
/// `:`, is `localhost`, is an IPv6 literal, or has upper-case letters.
fn looks_like_registry(first: &str) -> bool {
    first.contains('.')
        || first.contains(':')
        || first.starts_with('[')
        || first == "localhost"
        || first.chars().any(|c| c.is_ascii_uppercase())
}

/// A registry endpoint, `host[:port]`, as [`parse_endpoint`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Lower-cased: a host name (without a final `.`), an IPv4 address, or an IPv6
    /// address in brackets.
    pub host: String,
    pub port: Option<u16>,
}

impl Endpoint {
    /// True when the host is an IP address rather than a name.
    pub fn host_is_ip(&self) -> bool {
        self.host.starts_with('[') || self.host.parse::<Ipv4Addr>().is_ok()
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port {
            Some(port) => write!(f, "{}:{port}", self.host),
            None => f.write_str(&self.host),
        }
    }
}

/// Why [`parse_endpoint`] refused its input; the caller says which input it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    #[error("it is empty")]
    Empty,
    #[error("a registry is a host and port, without a path")]
    Path,
    #[error("the IPv6 address has no closing `]`")]
    UnclosedBracket,
    #[error("`{0}` is not an IPv6 address")]
    NotIpv6(String),
    #[error("expected `:PORT` after the IPv6 address")]
    AfterIpv6,
    #[error("an IPv6 address must be written in brackets, e.g. `[::1]:5000`")]
    UnbracketedIpv6,
    #[error("the host name is empty")]
    EmptyHost,
    #[error("the host name is longer than {HOST_NAME_MAX} characters")]
    LongHost,
    #[error(
        "`{0}` is not a valid host name (labels of letters, digits and inner `-`, separated by `.`)"
    )]
    BadHost(String),
    #[error("`{0}` is not a valid host name (its last label is numeric)")]
    NumericHost(String),
    #[error("port `{0}` is not a number from 1 to 65535")]
    BadPort(String),
}

/// Parse a registry endpoint given by the user: `host[:port]`, optionally with an
/// `http://` or `https://` scheme, trailing `/` and a `/v1` or `/v2` API suffix. The
/// host is a name of RFC 1123 labels (a final `.` is dropped; the last label is not
/// all digits), an IPv4 address, or an IPv6 address in brackets; it is lower-cased.
/// The port is a number from 1 to 65535.
pub fn parse_endpoint(input: &str) -> Result<Endpoint, EndpointError> {
    let trimmed = input.trim();
    let without_scheme = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .unwrap_or(trimmed);
    let host_port = without_scheme.trim_end_matches('/');
    let host_port = host_port.strip_suffix("/v1").unwrap_or(host_port);
    let host_port = host_port.strip_suffix("/v2").unwrap_or(host_port);
    if host_port.is_empty() {
        return Err(EndpointError::Empty);
    }
    if host_port.contains('/') {
        return Err(EndpointError::Path);
    }
    let (host, port) = if let Some(rest) = host_port.strip_prefix('[') {
        let (ip, after) = rest.split_once(']').ok_or(EndpointError::UnclosedBracket)?;
        if ip.parse::<Ipv6Addr>().is_err() {
            return Err(EndpointError::NotIpv6(ip.to_owned()));
        }
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':').ok_or(EndpointError::AfterIpv6)?),
        };
        (format!("[{}]", ip.to_ascii_lowercase()), port)
    } else {
        if host_port.matches(':').count() > 1 {
            return Err(EndpointError::UnbracketedIpv6);
        }
        let (host, port) = match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        };
        (checked_host(host)?, port)
    };
    let port = port.map(checked_port).transpose()?;
    Ok(Endpoint { host, port })
}

/// An IPv4 address as written, or a host name checked and lower-cased.
fn checked_host(host: &str) -> Result<String, EndpointError> {
    if host.is_empty() {
        return Err(EndpointError::EmptyHost);
    }
    if host.parse::<Ipv4Addr>().is_ok() {
        return Ok(host.to_owned());
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.len() > HOST_NAME_MAX {
        return Err(EndpointError::LongHost);
    }
    for label in host.split('.') {
        let valid = !label.is_empty()
            && label.len() <= HOST_LABEL_MAX
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !valid {
            return Err(EndpointError::BadHost(host.to_owned()));
        }
    }
    if host
        .rsplit('.')
        .next()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(EndpointError::NumericHost(host.to_owned()));
    }
    Ok(host.to_ascii_lowercase())
}

fn checked_port(port: &str) -> Result<u16, EndpointError> {
    match port.parse::<u16>() {
        Ok(n) if n > 0 && !port.starts_with('+') => Ok(n),
        _ => Err(EndpointError::BadPort(port.to_owned())),
    }
}

/// Normalize a registry given by the user: [`parse_endpoint`], then map
/// `index.docker.io` (and Docker Hub's API host) to `docker.io`.
pub fn normalize_registry(input: &str) -> Result<String, Error> {
    let endpoint = parse_endpoint(input).map_err(|reason| {
        Error::usage(format!("invalid registry `{input}`: {reason}"))
            .help("write it as HOST[:PORT], e.g. `ecr.dbe-xyz.microsoftdatabox.com:31001` or `[::1]:5000`")
    })?;
    let host = if endpoint.host == "index.docker.io" || endpoint.host == DOCKER_HUB_API {
        DOCKER_HUB.to_owned()
    } else {
        endpoint.host
    };
    Ok(Endpoint { host, ..endpoint }.to_string())
}

/// The host part of `host[:port]` (without IPv6 brackets).
pub fn registry_host(registry: &str) -> &str {
    if let Some(rest) = registry.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    registry.split(':').next().unwrap_or(registry)
}

/// The port of a normalized `host[:port]`, if one is given.
pub fn registry_port(registry: &str) -> Option<u16> {
    let after_host = match registry.strip_prefix('[') {
        Some(rest) => rest.split_once(']').map_or("", |(_, after)| after),
        None => registry.split_once(':').map_or("", |(_, port)| port),
    };
    after_host.trim_start_matches(':').parse().ok()
}

fn validate_path(path: &str) -> Result<(), String> {
    for component in path.split('/') {
        if component.is_empty() {
            return Err(format!("repository path `{path}` has an empty component"));
        }
        if !is_path_component(component) {
            return Err(format!(
                "repository path component `{component}` may hold only lower-case letters, digits and single `.`, `_`, `__` or `-` separators"
            ));
        }
    }
    Ok(())
}

/// A path component in distribution's grammar,
/// `[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`: runs of lower-case letters and digits
/// joined by `.`, `_`, `__` or dashes. Checked by hand rather than with a regex:
/// every run parses a reference, and compiling a regex is most of the code a plain
/// `mirror` would otherwise touch (docs/decisions.md); `proptests` holds it to the
/// pattern.
pub(crate) fn is_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let run = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let mut i = 0;
    loop {
        let start = i;
        while bytes.get(i).is_some_and(run) {
            i += 1;
        }
        if i == start {
            return false;
        }
        match bytes.get(i) {
            None => return true,
            Some(b'.') => i += 1,
            Some(b'_') if bytes.get(i + 1) == Some(&b'_') => i += 2,
            Some(b'_') => i += 1,
            Some(b'-') => {
                while bytes.get(i) == Some(&b'-') {
                    i += 1;
                }
            }
            Some(_) => return false,
        }
    }
}

/// A tag in distribution's grammar, `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
pub(crate) fn is_tag(tag: &str) -> bool {
    let word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    match tag.as_bytes().split_first() {
        Some((first, rest)) => {
            word(first)
                && rest.len() < TAG_MAX
                && rest.iter().all(|b| word(b) || *b == b'.' || *b == b'-')
        }
        None => false,
    }
}

/// A digest aseecr accepts: `sha256:` and 64, or `sha512:` and 128, lower-case
/// hex digits (the algorithms distribution registers; anything else would be
/// sent to the registry only to fail there, or worse, be trusted unchecked).
pub fn validate_digest(digest: &str) -> Result<(), String> {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return Err(format!(
            "digest `{digest}` is not of the form ALGORITHM:HEX, e.g. `sha256:` and 64 hex digits"
        ));
    };
    let length = match algorithm {
        "sha256" => 64,
        "sha512" => 128,
        _ => {
            return Err(format!(
                "digest `{digest}` uses `{algorithm}`; only `sha256:` (64 hex digits) and `sha512:` (128 hex digits) are supported"
            ));
        }
    };
    if hex.len() != length
        || !hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(format!(
            "digest `{digest}` must be `{algorithm}:` followed by {length} lower-case hex digits"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn parse(input: &str) -> Reference {
        Reference::parse(input, None).unwrap_or_else(|e| panic!("{input}: {e}"))
    }

    #[test]
    fn docker_hub_defaults() {
        let r = parse("nginx");
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str()),
            ("docker.io", "library/nginx")
        );
        assert_eq!(r.manifest_reference(), "latest");
        let r = parse("bitnami/redis:7");
        assert_eq!(r.repository, "bitnami/redis");
        assert_eq!(r.tag.as_deref(), Some("7"));
        assert_eq!(
            parse("index.docker.io/nginx").to_string(),
            "docker.io/library/nginx"
        );
    }

    #[test]
    fn registries_ports_and_ipv6() {
        let r = parse("ecr.dbe-xyz.microsoftdatabox.com:31001/oss/nginx:1.17.5-alpine");
        assert_eq!(r.registry, "ecr.dbe-xyz.microsoftdatabox.com:31001");
        assert_eq!(r.repository, "oss/nginx");
        assert_eq!(r.tag.as_deref(), Some("1.17.5-alpine"));
        let r = parse("localhost:5000/app");
        assert_eq!(
            (r.registry.as_str(), r.tag.as_deref()),
            ("localhost:5000", None)
        );
        let r = parse(&format!("[::1]:5000/app:v1@{D}"));
        assert_eq!(r.registry, "[::1]:5000");
        assert_eq!(r.tag.as_deref(), Some("v1"));
        assert_eq!(r.digest.as_deref(), Some(D));
        assert_eq!(r.manifest_reference(), D);
        assert_eq!(registry_host(&r.registry), "::1");
        assert_eq!(registry_host("a.b:1"), "a.b");
        assert_eq!(registry_port("a.b:31001"), Some(31001));
        assert_eq!(registry_port("[::1]:5000"), Some(5000));
        assert_eq!(registry_port("a.b"), None);
        assert_eq!(r.to_string(), format!("[::1]:5000/app:v1@{D}"));
    }

    #[test]
    fn default_registry_applies_to_bare_names() {
        let r = Reference::parse("nginx:1", Some("ecr.example:31001")).unwrap();
        assert_eq!(r.to_string(), "ecr.example:31001/nginx:1");
        let r = Reference::parse("other.example/x", Some("ecr.example:31001")).unwrap();
        assert_eq!(r.registry, "other.example");
    }

    #[test]
    fn bad_parts_are_named() {
        let err = |input: &str| Reference::parse(input, None).unwrap_err().message;
        assert!(err("Nginx").contains("`Nginx`"), "{}", err("Nginx"));
        assert!(err("a.io/UPPER/x").contains("`UPPER`"));
        assert!(err("nginx:bad tag").contains("white space"));
        assert!(err("nginx:-x").contains("tag `-x`"));
        assert!(err("nginx@sha256:abc").contains("digest `sha256:abc`"));
        assert!(err("a.io:99999/x").contains("port `99999`"));
        assert!(err("a.io//x").contains("empty component"));
        assert!(err("").contains("empty"));
        assert!(err("[::1/x").contains("closing"));
        assert!(err("[zz]:5/x").contains("not an IPv6"));
        assert!(Reference::parse_repository("a.io/x:1", None).is_err());
    }

    #[test]
    fn only_sha256_and_sha512_digests_are_accepted() {
        let usage = |input: &str| {
            let err = Reference::parse(input, None).unwrap_err();
            assert_eq!(err.kind, crate::error::Kind::Usage, "{input}");
            err.message
        };
        let md5 = usage("a@md5:9dd4e461268c8034f5c8564e155c67a6");
        assert!(md5.contains("`md5`"), "{md5}");
        let typo = usage(&format!("a@sha56:{}", &D["sha256:".len()..]));
        assert!(typo.contains("`sha56`"), "{typo}");
        let upper = D.to_uppercase().replace("SHA256", "sha256");
        assert!(usage(&format!("a@{upper}")).contains("lower-case"));
        assert!(usage(&format!("a@sha512:{}", "ab".repeat(32))).contains("128"));
        assert!(usage("a@sha256").contains("ALGORITHM:HEX"));
        let sha512 = format!("sha512:{}", "0f".repeat(64));
        assert_eq!(parse(&format!("a@{sha512}")).digest, Some(sha512));
        assert_eq!(parse(&format!("a@{D}")).digest.as_deref(), Some(D));
    }

    #[test]
    fn registry_normalization() {
        assert_eq!(
            normalize_registry("https://Ecr.Example:31001/").unwrap(),
            "ecr.example:31001"
        );
        assert_eq!(
            normalize_registry("https://index.docker.io/v1/").unwrap(),
            "docker.io"
        );
        assert!(normalize_registry("a..b").is_err());
        assert!(normalize_registry("::1").is_err());
        assert!(normalize_registry("a.b:0").is_err());
    }

    #[test]
    fn endpoints_are_parsed_one_way() {
        let ok = |input: &str, host: &str, port: Option<u16>| {
            assert_eq!(
                parse_endpoint(input),
                Ok(Endpoint {
                    host: host.to_owned(),
                    port
                }),
                "{input}"
            );
        };
        ok("ecr.example.com", "ecr.example.com", None);
        ok("  ECR.Example.com:31001  ", "ecr.example.com", Some(31001));
        ok("https://ecr.example.com:443/", "ecr.example.com", Some(443));
        ok("http://ecr.example.com/v2/", "ecr.example.com", None);
        ok("ecr.example.com:31001/v2", "ecr.example.com", Some(31001));
        ok("https://index.docker.io/v1/", "index.docker.io", None);
        ok("registry.local.", "registry.local", None);
        ok("localhost:05000", "localhost", Some(5000));
        ok("10.0.0.1:5000", "10.0.0.1", Some(5000));
        ok("[FD00::1]:5000", "[fd00::1]", Some(5000));
        ok("[::1]", "[::1]", None);
        assert!(parse_endpoint("10.0.0.1").unwrap().host_is_ip());
        assert!(parse_endpoint("[::1]").unwrap().host_is_ip());
        assert!(!parse_endpoint("a.example").unwrap().host_is_ip());

        use EndpointError as E;
        for (input, err) in [
            ("", E::Empty),
            (" https:// ", E::Empty),
            ("/v2/", E::Empty),
            ("a.example/path", E::Path),
            ("a.example/v2/x", E::Path),
            ("[::1:5000", E::UnclosedBracket),
            ("[zz]:5", E::NotIpv6("zz".into())),
            ("[::1]5000", E::AfterIpv6),
            ("fd00::1", E::UnbracketedIpv6),
            (":5000", E::EmptyHost),
            ("a..b", E::BadHost("a..b".into())),
            ("bad_name.example", E::BadHost("bad_name.example".into())),
            ("-lead.example", E::BadHost("-lead.example".into())),
            ("name with space", E::BadHost("name with space".into())),
            ("x.123", E::NumericHost("x.123".into())),
            ("10.0.0.256", E::NumericHost("10.0.0.256".into())),
            ("a.b:0", E::BadPort("0".into())),
            ("a.b:+1", E::BadPort("+1".into())),
            ("a.b:99999", E::BadPort("99999".into())),
            ("a.b:", E::BadPort(String::new())),
        ] {
            assert_eq!(parse_endpoint(input), Err(err), "{input}");
        }
        let label = "a".repeat(64);
        assert_eq!(
            parse_endpoint(&format!("{label}.com")),
            Err(E::BadHost(format!("{label}.com")))
        );
        let long = vec!["a".repeat(63); 4].join(".");
        assert_eq!(parse_endpoint(&long), Err(E::LongHost));
    }

    #[test]
    fn normalized_registries_are_endpoints() {
        assert_eq!(
            normalize_registry("ecr.example:31001/v2/").unwrap(),
            "ecr.example:31001"
        );
        assert_eq!(
            normalize_registry("[FD00::1]:05000").unwrap(),
            "[fd00::1]:5000"
        );
        assert_eq!(
            normalize_registry("registry-1.docker.io").unwrap(),
            "docker.io"
        );
        let err = normalize_registry("bad_name.example").unwrap_err();
        assert_eq!(
            err.message,
            "invalid registry `bad_name.example`: `bad_name.example` is not a valid host name (labels of letters, digits and inner `-`, separated by `.`)"
        );
    }
}
