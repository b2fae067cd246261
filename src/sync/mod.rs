//! The `sync` file: its YAML shape read and validated as a whole (every error
//! with its line and column), and the tag selection of each image (exact list,
//! regular expression, semver range, newest N) and prune policy. No registry is
//! contacted here.

mod prune;
mod referrers;
mod tls;
mod verify;
mod yaml;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::registry::Platform;
use crate::registry::Reference;
use crate::secret::SecretString;
use crate::yaml::{Node, Pos};
pub use referrers::ReferrersKey;
pub use tls::{CaCert, Tls};
pub use verify::VerifyKey;

/// A validated sync file.
#[derive(Debug)]
pub struct SyncFile {
    pub destinations: Vec<Destination>,
    pub images: Vec<Image>,
    /// `sources`: how to reach a source registry (by its normalized
    /// `host[:port]`, as the images' `source` names it).
    pub sources: BTreeMap<String, Tls>,
    /// `referrers` at the top: the images' default (`None`: the command line's).
    pub referrers: Option<ReferrersKey>,
    /// `verify` at the top: the images' default (`None`: the command line's).
    pub verify: Option<VerifyKey>,
}

/// One named destination registry.
#[derive(Debug)]
pub struct Destination {
    pub name: String,
    /// `host[:port]`, normalized.
    pub registry: String,
    /// `os/arch[/variant]`: copy only this platform of multi-platform images.
    pub platform: Option<Platform>,
    /// From the file (`username` + the password in `passwordEnv`); `None`: the
    /// stored credentials, as every command.
    pub credentials: Option<Credentials>,
    /// `caCert`, `plainHttp`, `tlsVerify`: over the `--dst-*` flags.
    pub tls: Tls,
}

/// A destination's `credentials`.
#[derive(Debug)]
pub struct Credentials {
    pub username: String,
    /// The environment variable that holds the password (`passwordEnv`).
    pub password_env: String,
    /// The password read from it; `None` only from [`parse_unread`].
    pub password: Option<SecretString>,
}

/// One source repository and what of it goes where.
#[derive(Debug)]
pub struct Image {
    /// The source repository (no tag); no registry means Docker Hub, as for mirror.
    pub source: Reference,
    /// The destination repository path; `None`: the source's path.
    pub repository: Option<String>,
    pub selection: Selection,
    /// Indices into [`SyncFile::destinations`], in file order.
    pub destinations: Vec<usize>,
    /// What to remove from the destination repository after copying.
    pub prune: Option<Prune>,
    /// Its `referrers` (`None`: the file's default).
    pub referrers: Option<ReferrersKey>,
    /// Its `verify` (`None`: the file's default).
    pub verify: Option<VerifyKey>,
}

/// An image's `prune`: the policy `prune` applies to its destination repository
/// at each of its destinations once the copies there succeeded. The tags the
/// file selects for that repository are never removed.
#[derive(Debug, Clone)]
pub struct Prune {
    /// `keep: N`: keep the N newest tags (by creation time).
    pub keep: Option<usize>,
    /// `olderThan: AGE`, in seconds: only tags created longer ago.
    pub older_than: Option<i64>,
    /// `tags: REGEX`: the policy applies only to matching tags.
    pub tags: Option<regex::Regex>,
    /// `exclude: REGEX`: matching tags are never removed.
    pub exclude: Option<regex::Regex>,
    /// `untagged: true`: also delete images `mirror` and `sync` replaced earlier
    /// (from aseecr's record).
    pub untagged: bool,
}

impl Image {
    /// The destination repository path.
    pub fn destination_repository(&self) -> &str {
        self.repository
            .as_deref()
            .unwrap_or(&self.source.repository)
    }
}

/// Which tags of an image to copy.
#[derive(Debug)]
pub enum Selection {
    /// Exactly these (`tags: [..]`).
    Tags(Vec<String>),
    /// Of the source's tags: those matching `regex` and `semver`, then the newest
    /// `newest` of them.
    Filter {
        regex: Option<regex::Regex>,
        semver: Option<semver::VersionReq>,
        newest: Option<usize>,
    },
}

impl Selection {
    /// Whether the selection needs the source's tag list.
    pub fn lists_tags(&self) -> bool {
        matches!(self, Selection::Filter { .. })
    }

    /// The tags selected from `available` (the source's tags), oldest first (by
    /// version with `semver`, else as versions read). For [`Selection::Tags`], the
    /// listed tags in the file's order, whatever `available` holds.
    pub fn select(&self, available: &[String]) -> Vec<String> {
        let (regex, range, newest) = match self {
            Selection::Tags(tags) => return tags.clone(),
            Selection::Filter {
                regex,
                semver,
                newest,
            } => (regex, semver, newest),
        };
        // Attachment tags (`sha256-<hex>`, `.sig`, ...) go with their image.
        let mut chosen: Vec<(&String, Option<semver::Version>)> = available
            .iter()
            .filter(|tag| crate::registry::referrers::attachment_tag(tag).is_none())
            .filter(|tag| regex.as_ref().is_none_or(|re| re.is_match(tag)))
            .filter_map(|tag| match range {
                None => Some((tag, None)),
                Some(range) => version_of(tag)
                    .filter(|v| range.matches(v))
                    .map(|v| (tag, Some(v))),
            })
            .collect();
        // Oldest first: by version with a range, else as versions read.
        chosen.sort_by(|(a, va), (b, vb)| match (va, vb) {
            (Some(va), Some(vb)) => va.cmp(vb).then_with(|| a.cmp(b)),
            _ => crate::registry::natural_cmp(a, b),
        });
        if let Some(n) = newest {
            chosen.drain(..chosen.len().saturating_sub(*n));
        }
        chosen.into_iter().map(|(tag, _)| tag.clone()).collect()
    }
}

/// A tag read as a version: `1.25.3`, `v1.25.3`, `2.0.0-rc.1`; anything else is
/// not a version (and never matches a range).
pub fn version_of(tag: &str) -> Option<semver::Version> {
    let text = tag
        .strip_prefix('v')
        .or_else(|| tag.strip_prefix('V'))
        .unwrap_or(tag);
    semver::Version::parse(text).ok()
}

/// A range as users write it: comparators separated by spaces or commas
/// (`>=1.25 <2`, `>= 1.25, < 2`, `~1.25`, `1.25.*`), read by the `semver` crate.
pub fn parse_range(text: &str) -> Result<semver::VersionReq, String> {
    let mut comparators: Vec<String> = Vec::new();
    let mut pending_op = String::new();
    for word in text.split([' ', ',', '\t']).filter(|w| !w.is_empty()) {
        if word.chars().all(|c| "<>=~^".contains(c)) {
            pending_op.push_str(word);
            continue;
        }
        comparators.push(format!("{}{word}", std::mem::take(&mut pending_op)));
    }
    if !pending_op.is_empty() {
        return Err(format!("`{pending_op}` is not followed by a version"));
    }
    if comparators.is_empty() {
        return Err("it is empty".into());
    }
    semver::VersionReq::parse(&comparators.join(", ")).map_err(|err| err.to_string())
}

/// Read and validate a whole sync file. `file` names it in messages; `dir` is
/// its folder, where a relative `caCert` file is read (to check it holds
/// certificates); `env` looks up environment variables (`passwordEnv`). Every problem is found before any
/// is reported: the error names the first as `FILE:LINE:COL: message`, and its
/// `help:` lines the others.
pub fn parse(
    file: &str,
    dir: &Path,
    text: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<SyncFile, Error> {
    parse_with(file, Some(dir), text, Some(env))
}

/// [`parse`] without reading any password or `caCert` file: for a file that
/// runs elsewhere (a Kubernetes CronJob), where the `passwordEnv` variables
/// are set. Every [`Credentials::password`] is `None`, and a `caCert` file is
/// [`CaCert::File`] as written (inline PEM is checked).
pub fn parse_unread(file: &str, text: &str) -> Result<SyncFile, Error> {
    parse_with(file, None, text, None)
}

/// A sync file's name for messages (`<stdin>` for `-`) and its text, read with
/// its size cap.
pub fn read_text(file: &std::path::Path) -> anyhow::Result<(String, String)> {
    use crate::fsutil::ShowPath;
    let name = if file.as_os_str() == "-" {
        "<stdin>".to_owned()
    } else {
        file.shown().to_string()
    };
    let bytes = crate::fsutil::read_input(file, &crate::fsutil::SYNC_FILE)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::usage(format!("{name}: the sync file is not UTF-8 text")))?;
    Ok((name, text))
}

/// Looks up an environment variable (`passwordEnv`).
type Env<'e> = &'e dyn Fn(&str) -> Option<String>;

fn parse_with(
    file: &str,
    dir: Option<&Path>,
    text: &str,
    env: Option<Env<'_>>,
) -> Result<SyncFile, Error> {
    let root = match yaml::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => {
            return Err(Error::usage(format!(
                "{file}: the sync file is empty: it needs `destinations` and `images`"
            ))
            .help(SHAPE_HELP));
        }
        Err(err) => {
            return Err(Error::usage(format!(
                "{file}:{}:{}: {}",
                err.pos.line, err.pos.col, err.message
            ))
            .help("nothing was sent to any registry"));
        }
    };
    let mut checker = Checker {
        env,
        dir: dir.map(Path::to_path_buf),
        errors: Vec::new(),
        copies: 0,
    };
    let parsed = checker.file(&root);
    let mut errors = checker.errors;
    if errors.is_empty() {
        return Ok(parsed.expect("a file without errors is parsed"));
    }
    errors.sort_by_key(|(pos, _)| *pos);
    errors.dedup();
    let total = errors.len();
    let mut lines = errors
        .into_iter()
        .take(MAX_ERRORS_SHOWN)
        .map(|(pos, message)| clipped(format!("{file}:{}:{}: {message}", pos.line, pos.col)));
    let first = lines.next().expect("at least one error");
    let mut error = Error::usage(if total == 1 {
        first
    } else {
        let more = total - 1;
        format!(
            "{first} (and {more} more error{})",
            if more == 1 { "" } else { "s" }
        )
    });
    for line in lines {
        error = error.help(format!("also {line}"));
    }
    if total > MAX_ERRORS_SHOWN {
        error = error.help(format!("... and {} more errors", total - MAX_ERRORS_SHOWN));
    }
    Err(error.help("fix the file; nothing was sent to any registry"))
}

/// The most errors of a sync file reported (the first, by position); the rest
/// are counted. A file can hold hundreds of thousands.
pub const MAX_ERRORS_SHOWN: usize = 20;
/// The most destination names one error lists (`the file names ...`); the rest
/// are counted.
pub const MAX_NAMES_SHOWN: usize = 10;
/// The most copies a sync file names: each image once per destination it goes
/// to, times its tags when it lists them (500 destinations of 200 images).
/// Every one is a copy (and a prune) to plan; a 1 MiB file can name hundreds
/// of millions.
pub const MAX_COPIES: usize = 100_000;
/// The longest reported error line, in characters (a value from the file is
/// quoted in it whole); the rest is counted.
const MAX_ERROR_CHARS: usize = 500;

/// `line` cut at [`MAX_ERROR_CHARS`], the names and values it quotes from
/// the file escaped for the terminal, tabs too.
fn clipped(line: String) -> String {
    let line = crate::output::terminal_safe_name(&line).into_owned();
    match line.char_indices().nth(MAX_ERROR_CHARS) {
        Some((at, _)) => format!(
            "{}... ({} more characters)",
            &line[..at],
            line[at..].chars().count()
        ),
        None => line,
    }
}

/// The destinations' names: by name, and listed for messages (sorted, the first
/// [`MAX_NAMES_SHOWN`], then how many more), made once for every error.
struct Known {
    index: HashMap<String, usize>,
    /// The names, sorted.
    names: Vec<String>,
    listed: String,
}

/// Up to this many names, an unknown one is also told the nearest (a typo);
/// past it the edit distances would cost more than they help.
const MAX_NAMES_SUGGESTED_FROM: usize = 100;

impl Known {
    fn new(index: HashMap<String, usize>) -> Known {
        let mut names: Vec<String> = index.keys().cloned().collect();
        names.sort();
        let shown: Vec<String> = names
            .iter()
            .take(MAX_NAMES_SHOWN)
            .map(|n| format!("`{n}`"))
            .collect();
        let mut listed = shown.join(", ");
        if names.len() > MAX_NAMES_SHOWN {
            listed.push_str(&format!(" and {} more", names.len() - MAX_NAMES_SHOWN));
        }
        Known {
            index,
            names,
            listed,
        }
    }

    /// "unknown destination `c` (the file names `a`, `b`; did you mean `b`?)":
    /// the names the file gives (at most [`MAX_NAMES_SHOWN`]), and the nearest
    /// ones by edit distance when one is close (a typo, not another word).
    fn unknown(&self, name: &str) -> String {
        let suggestion = if self.names.len() <= MAX_NAMES_SUGGESTED_FROM {
            let distance = |candidate: &String| strsim::osa_distance(name, candidate);
            let close = (name.chars().count() / 3).max(1);
            let best = self
                .names
                .iter()
                .map(distance)
                .min()
                .filter(|d| *d <= close);
            let nearest: Vec<String> = self
                .names
                .iter()
                .filter(|candidate| Some(distance(candidate)) == best)
                .map(|n| format!("`{n}`"))
                .collect();
            match nearest.as_slice() {
                [] => String::new(),
                [one] => format!("; did you mean {one}?"),
                [first @ .., last] => format!("; did you mean {} or {last}?", first.join(", ")),
            }
        } else {
            String::new()
        };
        format!(
            "unknown destination `{name}` (the file names {}{suggestion})",
            self.listed
        )
    }
}

const SHAPE_HELP: &str = "see `aseecr sync --help` for the file's shape";

/// Collects every error of the file as it walks it.
struct Checker<'e> {
    /// `None`: passwords are not read ([`parse_unread`]).
    env: Option<Env<'e>>,
    /// The sync file's folder, `caCert` files are read from; `None`: they are
    /// not read ([`parse_unread`]).
    dir: Option<PathBuf>,
    errors: Vec<(Pos, String)>,
    /// Copies named so far (up to [`MAX_COPIES`]).
    copies: usize,
}

/// The entries of a mapping, by key, after checking for unknown and repeated
/// keys and missing required ones.
struct Fields<'n> {
    pos: Pos,
    values: HashMap<&'static str, &'n Node>,
}

impl<'n> Fields<'n> {
    fn get(&self, key: &str) -> Option<&'n Node> {
        self.values.get(key).copied()
    }
}

impl Checker<'_> {
    fn error(&mut self, pos: Pos, message: impl Into<String>) {
        self.errors.push((pos, message.into()));
    }

    /// A mapping with only `allowed` keys, `required` among them.
    fn fields<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
        allowed: &[&'static str],
        required: &[&'static str],
    ) -> Option<Fields<'n>> {
        let Node::Mapping {
            entries,
            start: pos,
            ..
        } = node
        else {
            self.error(
                node.start(),
                format!("{what} must be a mapping, found {}", yaml::kind(node)),
            );
            return None;
        };
        let mut values = HashMap::new();
        for (key, value) in entries {
            let Node::Scalar { value: name, .. } = key else {
                self.error(key.start(), format!("{what}: keys must be plain words"));
                continue;
            };
            let Some(known) = allowed.iter().find(|k| **k == name) else {
                self.error(
                    key.start(),
                    format!(
                        "unknown key `{name}` in {what} (expected one of: {})",
                        allowed.join(", ")
                    ),
                );
                continue;
            };
            if values.insert(*known, value).is_some() {
                self.error(key.start(), format!("`{name}` is repeated in {what}"));
            }
        }
        for key in required {
            if !values.contains_key(key) {
                self.error(*pos, format!("{what} lacks `{key}`"));
            }
        }
        Some(Fields { pos: *pos, values })
    }

    /// A non-empty string scalar.
    fn string(&mut self, node: &Node, what: &str) -> Option<String> {
        match node {
            Node::Scalar { value, .. } if !node.is_null() && !value.trim().is_empty() => {
                Some(value.clone())
            }
            Node::Scalar { .. } if !node.is_null() => {
                self.error(node.start(), format!("{what} must not be empty"));
                None
            }
            Node::Alias { start: pos } => {
                self.error(*pos, format!("{what}: aliases (`*name`) are not supported"));
                None
            }
            _ => {
                self.error(
                    node.start(),
                    format!("{what} must be a string, found {}", yaml::kind(node)),
                );
                None
            }
        }
    }

    /// A non-empty list.
    fn list<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [Node]> {
        match node {
            Node::Sequence {
                items, start: pos, ..
            } if items.is_empty() => {
                self.error(*pos, format!("{what} is empty"));
                None
            }
            Node::Sequence { items, .. } => Some(items),
            _ => {
                self.error(
                    node.start(),
                    format!("{what} must be a list, found {}", yaml::kind(node)),
                );
                None
            }
        }
    }

    fn file(&mut self, root: &Node) -> Option<SyncFile> {
        let fields = self.fields(
            root,
            "the sync file",
            &["destinations", "images", "sources", "referrers", "verify"],
            &["destinations", "images"],
        )?;
        let referrers = match fields.get("referrers") {
            None => Some(None),
            Some(n) => self.referrers(n).map(Some),
        };
        let verify = match fields.get("verify") {
            None => Some(None),
            Some(n) => self.verify(n).map(Some),
        };
        let destination_items = fields
            .get("destinations")
            .and_then(|node| self.list(node, "`destinations`"));
        let destinations = destination_items.map(|items| self.destinations(items));
        // Every name the file gives, also of a destination with another error
        // (the file fails then anyway), so an unknown name is told the whole list.
        let names: Option<Known> = destinations.as_ref().map(|d| {
            Known::new(
                d.iter()
                    .zip(destination_items.unwrap_or_default())
                    .enumerate()
                    .filter_map(|(i, (d, item))| {
                        let name = d.as_ref().map(|d| d.name.clone());
                        name.or_else(|| declared_name(item)).map(|name| (name, i))
                    })
                    .collect(),
            )
        });
        let count = destinations.as_ref().map_or(0, Vec::len);
        let image_nodes = fields
            .get("images")
            .and_then(|node| self.list(node, "`images`"))
            .unwrap_or_default();
        let images: Vec<Option<Image>> = image_nodes
            .iter()
            .map(|item| self.image(item, names.as_ref(), count))
            .collect();
        self.one_prune_per_repository(image_nodes, &images, destinations.as_deref());
        let sources = self.sources(fields.get("sources"), &images);
        if !self.errors.is_empty() {
            return None;
        }
        Some(SyncFile {
            destinations: destinations?.into_iter().collect::<Option<Vec<_>>>()?,
            images: images.into_iter().collect::<Option<Vec<_>>>()?,
            sources: sources?,
            referrers: referrers?,
            verify: verify?,
        })
    }

    fn destinations(&mut self, items: &[Node]) -> Vec<Option<Destination>> {
        let mut names: HashMap<String, Pos> = HashMap::new();
        let mut registries: HashMap<(String, u16), (Pos, String)> = HashMap::new();
        let mut out = Vec::new();
        for item in items {
            let destination = self.destination(item);
            if let Some((destination, name_pos, registry_pos)) = &destination {
                if let Some(first) = names.get(&destination.name) {
                    self.error(
                        *name_pos,
                        format!(
                            "destination `{}` is named twice (first at line {})",
                            destination.name, first.line
                        ),
                    );
                } else {
                    names.insert(destination.name.clone(), *name_pos);
                }
                let key = prune::registry_key(&destination.registry);
                if let Some((first, as_written)) = registries.get(&key) {
                    let other = if *as_written == destination.registry {
                        String::new()
                    } else {
                        format!(", as `{as_written}`")
                    };
                    self.error(
                        *registry_pos,
                        format!(
                            "registry `{}` is a destination twice (first at line {}{other})",
                            destination.registry, first.line
                        ),
                    );
                } else {
                    registries.insert(key, (*registry_pos, destination.registry.clone()));
                }
            }
            out.push(destination.map(|(d, _, _)| d));
        }
        out
    }

    fn destination(&mut self, node: &Node) -> Option<(Destination, Pos, Pos)> {
        let what = "a destination";
        let fields = self.fields(
            node,
            what,
            &[
                "name",
                "registry",
                "platform",
                "credentials",
                "caCert",
                "plainHttp",
                "tlsVerify",
            ],
            &["name", "registry"],
        )?;
        let name = fields.get("name").and_then(|n| {
            let name = self.string(n, "`name`")?;
            Some((name, n.start()))
        });
        let registry = fields.get("registry").and_then(|n| {
            let text = self.string(n, "`registry`")?;
            match crate::registry::reference::normalize_registry(text.trim()) {
                Ok(registry) if !text.contains('/') => Some((registry, n.start())),
                Ok(_) => {
                    self.error(
                        n.start(),
                        format!("`registry` is `host[:port]`, without a path: `{text}`"),
                    );
                    None
                }
                Err(err) => {
                    self.error(n.start(), err.to_string());
                    None
                }
            }
        });
        let platform = match fields.get("platform") {
            None => Some(None),
            Some(n) => self
                .string(n, "`platform`")
                .and_then(|text| match Platform::parse(&text) {
                    Ok(platform) => Some(Some(platform)),
                    Err(err) => {
                        self.error(n.start(), err.to_string());
                        None
                    }
                }),
        };
        let credentials = match fields.get("credentials") {
            None => Some(None),
            Some(n) => self.credentials(n).map(Some),
        };
        let tls = self.tls(&fields, what);
        let ((name, name_pos), (registry, registry_pos)) = (name?, registry?);
        Some((
            Destination {
                name,
                registry,
                platform: platform?,
                credentials: credentials?,
                tls: tls?,
            },
            name_pos,
            registry_pos,
        ))
    }

    fn credentials(&mut self, node: &Node) -> Option<Credentials> {
        let fields = self.fields(
            node,
            "`credentials`",
            &["username", "passwordEnv"],
            &["username", "passwordEnv"],
        )?;
        let username = fields
            .get("username")
            .and_then(|n| self.string(n, "`username`"));
        let password = fields.get("passwordEnv").and_then(|n| {
            let variable = self.string(n, "`passwordEnv`")?;
            let Some(env) = self.env else {
                return Some((variable, None));
            };
            match env(&variable).filter(|p| !p.is_empty()) {
                Some(password) => Some((variable, Some(SecretString::new(password)))),
                None => {
                    self.error(
                        n.start(),
                        format!("the environment variable `{variable}` (`passwordEnv`) is not set"),
                    );
                    None
                }
            }
        });
        let (password_env, password) = password?;
        Some(Credentials {
            username: username?,
            password_env,
            password,
        })
    }

    fn image(&mut self, node: &Node, names: Option<&Known>, count: usize) -> Option<Image> {
        let fields = self.fields(
            node,
            "an image",
            &[
                "source",
                "tags",
                "regex",
                "semver",
                "newest",
                "repository",
                "destinations",
                "prune",
                "referrers",
                "verify",
            ],
            &["source"],
        )?;
        let source = fields.get("source").and_then(|n| {
            let text = self.string(n, "`source`")?;
            match Reference::parse_repository(text.trim(), None) {
                Ok(source) => Some(source),
                Err(err) => {
                    self.error(
                        n.start(),
                        format!("{err} (a source is a repository: tags go in `tags`)"),
                    );
                    None
                }
            }
        });
        let repository = match fields.get("repository") {
            None => Some(None),
            Some(n) => self.string(n, "`repository`").and_then(|text| {
                let text = text.trim().trim_matches('/').to_owned();
                match Reference::parse_repository(&format!("registry.invalid/{text}"), None) {
                    Ok(parsed) if parsed.repository == text => Some(Some(text)),
                    _ => {
                        self.error(
                            n.start(),
                            format!("`repository` is not a valid repository path: `{text}`"),
                        );
                        None
                    }
                }
            }),
        };
        let selection = self.selection(&fields);
        // Each listed tag is a copy per destination (a filter's count is
        // known only from the source).
        let tags = match &selection {
            Some(Selection::Tags(tags)) => tags.len().max(1),
            _ => 1,
        };
        let destinations = match fields.get("destinations") {
            None => self
                .copies(fields.pos, count.saturating_mul(tags))
                .then(|| (0..count).collect()),
            Some(n) => self
                .image_destinations(n, names)
                .filter(|d| self.copies(n.start(), d.len().saturating_mul(tags))),
        };
        let prune = match fields.get("prune") {
            None => Some(None),
            Some(n) => self.prune(n).map(Some),
        };
        let referrers = match fields.get("referrers") {
            None => Some(None),
            Some(n) => self.referrers(n).map(Some),
        };
        let verify = match fields.get("verify") {
            None => Some(None),
            Some(n) => self.verify(n).map(Some),
        };
        Some(Image {
            source: source?,
            repository: repository?,
            selection: selection?,
            destinations: destinations?,
            prune: prune?,
            referrers: referrers?,
            verify: verify?,
        })
    }

    /// Count an image's `count` copies; false (an error, said once) past
    /// [`MAX_COPIES`].
    fn copies(&mut self, pos: Pos, count: usize) -> bool {
        let within = self.copies <= MAX_COPIES;
        self.copies = self.copies.saturating_add(count);
        if self.copies <= MAX_COPIES {
            return true;
        }
        if within {
            self.error(
                pos,
                format!(
                    "the file names more than {MAX_COPIES} copies (each listed tag of an image once per destination it goes to): split it into several files"
                ),
            );
        }
        false
    }

    /// A regular expression; `what` names it in the error.
    fn regex(&mut self, node: &Node, what: &str) -> Option<regex::Regex> {
        let text = self.string(node, what)?;
        match regex::Regex::new(&text) {
            Ok(re) => Some(re),
            Err(err) => {
                // The regex crate's message spans lines; its last line says what.
                let why = err.to_string();
                let why = why.lines().last().unwrap_or("invalid").trim();
                let why = why.strip_prefix("error: ").unwrap_or(why);
                self.error(
                    node.start(),
                    format!("invalid regular expression `{text}`: {why}"),
                );
                None
            }
        }
    }

    fn selection(&mut self, fields: &Fields<'_>) -> Option<Selection> {
        let tags = fields.get("tags");
        let (regex, semver, newest) = (
            fields.get("regex"),
            fields.get("semver"),
            fields.get("newest"),
        );
        if let Some(tags) = tags {
            if let Some(other) = [regex, semver, newest].into_iter().flatten().next() {
                self.error(
                    other.start(),
                    "`tags` lists the tags exactly: it cannot be combined with `regex`, `semver` or `newest`",
                );
                return None;
            }
            let items = self.list(tags, "`tags`")?;
            let mut out = Vec::new();
            let mut seen = BTreeSet::new();
            for item in items {
                let Some(tag) = self.string(item, "a tag") else {
                    continue;
                };
                let valid = tag.len() <= 128
                    && tag
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                    && tag
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
                if !valid {
                    self.error(item.start(), format!("`{tag}` is not a valid tag"));
                } else if seen.insert(tag.clone()) {
                    out.push(tag);
                }
            }
            return Some(Selection::Tags(out));
        }
        if regex.is_none() && semver.is_none() && newest.is_none() {
            self.error(
                fields.pos,
                "an image lacks a tag selection: give `tags`, `regex`, `semver` or `newest`",
            );
            return None;
        }
        let regex = match regex {
            None => Some(None),
            Some(n) => self.regex(n, "`regex`").map(Some),
        };
        let semver = match semver {
            None => Some(None),
            Some(n) => self
                .string(n, "`semver`")
                .and_then(|text| match parse_range(&text) {
                    Ok(range) => Some(Some(range)),
                    Err(why) => {
                        self.error(n.start(), format!("invalid semver range `{text}`: {why}"));
                        None
                    }
                }),
        };
        let newest = match newest {
            None => Some(None),
            Some(n) => {
                self.string(n, "`newest`")
                    .and_then(|text| match text.trim().parse::<usize>() {
                        Ok(count) if count > 0 => Some(Some(count)),
                        _ => {
                            self.error(
                                n.start(),
                                format!("`newest` must be a whole number above 0, found `{text}`"),
                            );
                            None
                        }
                    })
            }
        };
        Some(Selection::Filter {
            regex: regex?,
            semver: semver?,
            newest: newest?,
        })
    }

    fn image_destinations(&mut self, node: &Node, names: Option<&Known>) -> Option<Vec<usize>> {
        let items = self.list(node, "`destinations` of an image")?;
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        let mut ok = true;
        for item in items {
            let Some(name) = self.string(item, "a destination name") else {
                ok = false;
                continue;
            };
            let Some(names) = names else {
                ok = false;
                continue;
            };
            match names.index.get(&name) {
                Some(index) if seen.insert(*index) => out.push(*index),
                Some(_) => {}
                None => {
                    self.error(item.start(), names.unknown(&name));
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }
}

/// The `name` a destination's mapping gives, read without checking the rest.
fn declared_name(item: &Node) -> Option<String> {
    let Node::Mapping { entries, .. } = item else {
        return None;
    };
    entries.iter().find_map(|(key, value)| match (key, value) {
        (Node::Scalar { value: key, .. }, Node::Scalar { value, .. }) if key == "name" => {
            Some(value.clone())
        }
        _ => None,
    })
}
