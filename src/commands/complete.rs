//! `aseecr __complete WORD` (hidden): the repositories or tags that complete WORD,
//! one a line, for the shell completion scripts (src/commands/completions.rs).
//!
//! `REG/rep` lists the repositories of REG's catalog that start with `rep`;
//! `REG/repo:t` the tags of `REG/repo` that start with `t`; a word without a
//! registry uses the default registry (`aseecr config set registry`) and its
//! candidates name none either. Stored credentials only (the shell passes no
//! `--password-stdin`; nothing prompts), at most [`TIME_LIMIT`] in all, answers
//! cached for [`CACHE_TTL`] in the configuration folder; any failure prints nothing
//! and exits 0 (src/lib.rs keeps errors of this command silent).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::Result;
use sha2::{Digest, Sha256};

use crate::cli::CompleteArgs;
use crate::commands::ExitStatus;
use crate::connect::{self, Side};
use crate::settings::Settings;

/// The whole completion, cache, credentials and registry included: a Tab that
/// hangs longer is worse than one that completes nothing.
pub const TIME_LIMIT: Duration = Duration::from_millis(2500);
/// How long a cached catalog or tag list is used before it is asked again.
pub const CACHE_TTL: Duration = Duration::from_secs(60);
/// Cached lists kept in `completion-cache/`; older ones go first when it is full.
pub const MAX_CACHE_ENTRIES: usize = 64;
/// One cached list (a listing larger than this is used but not cached).
pub const MAX_CACHE_BYTES: u64 = 4 << 20;
/// Candidates printed for one word (a shell shows no more usefully).
pub const MAX_CANDIDATES: usize = 1000;

/// The folder of the cached lists, in the configuration folder.
const CACHE_DIR: &str = "completion-cache";

pub async fn run(args: CompleteArgs, settings: &Settings) -> Result<ExitStatus> {
    let found = tokio::time::timeout(TIME_LIMIT, candidates(settings, &args.word)).await;
    let mut out = String::new();
    if let Ok(Ok(candidates)) = &found {
        for candidate in candidates.iter().take(MAX_CANDIDATES) {
            out.push_str(candidate);
            out.push('\n');
        }
    }
    // A closed pipe (the shell gave up) is no error either.
    let _ = std::io::stdout().write_all(out.as_bytes());
    if found.is_err() {
        // Out of time, perhaps in a credential helper that waits for something:
        // leave now, without waiting for it as the runtime's shutdown would.
        std::process::exit(0);
    }
    Ok(ExitStatus::Success)
}

/// What `word` asks for, split from what it says.
#[derive(Debug, PartialEq, Eq)]
struct Word<'a> {
    /// `REG/` as typed (empty: the default registry).
    typed_registry: &'a str,
    registry: Option<&'a str>,
    repository: &'a str,
    /// `Some`: complete the tag (this prefix) of `repository`.
    tag: Option<&'a str>,
}

/// Split `word` by docker's rule: the part before the first `/` is a registry
/// when it holds a `.` or a `:` or is `localhost`.
fn split(word: &str) -> Word<'_> {
    let (typed_registry, registry, rest) = match word.split_once('/') {
        Some((first, rest))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (&word[..first.len() + 1], Some(first), rest)
        }
        _ => ("", None, word),
    };
    let (repository, tag) = match rest.rsplit_once(':') {
        Some((repository, tag)) if !repository.is_empty() => (repository, Some(tag)),
        _ => (rest, None),
    };
    Word {
        typed_registry,
        registry,
        repository,
        tag,
    }
}

/// The candidates for `word`, as the shell should insert them.
async fn candidates(settings: &Settings, word: &str) -> Result<Vec<String>> {
    if word.starts_with('-') || word.contains('@') {
        return Ok(Vec::new());
    }
    let parts = split(word);
    let registry = settings.require_registry(parts.registry)?;
    let (key, prefix, typed) = match parts.tag {
        Some(tag) => (
            format!("tags {registry} {}", parts.repository),
            tag,
            format!("{}{}:", parts.typed_registry, parts.repository),
        ),
        None => (
            format!("catalog {registry}"),
            parts.repository,
            parts.typed_registry.to_owned(),
        ),
    };
    let cache = cache_file(settings, &key);
    let names = match read_cache(&cache) {
        Some(names) => names,
        None => {
            let names = list(settings, &registry, parts.tag.map(|_| parts.repository)).await?;
            write_cache(&cache, &names);
            names
        }
    };
    let mut found: Vec<String> = names
        .into_iter()
        .filter(|name| name.starts_with(prefix) && !name.chars().any(char::is_control))
        .map(|name| format!("{typed}{name}"))
        .collect();
    found.sort();
    found.dedup();
    Ok(found)
}

/// The catalog of `registry`, or the tags of `repository` there.
async fn list(
    settings: &Settings,
    registry: &str,
    repository: Option<&str>,
) -> Result<Vec<String>> {
    // `reopen`: the same client as every command, without the plain-HTTP
    // warning. A credential helper runs as a child process and blocks: on a
    // thread of its own, so the time limit holds while it runs.
    let (settings, registry) = (settings.clone(), registry.to_owned());
    let client =
        tokio::task::spawn_blocking(move || connect::reopen(&settings, &registry, Side::Single))
            .await??;
    match repository {
        Some(repository) => client.tags(repository).await,
        None => client.catalog().await,
    }
}

/// The cache file of `key` (named by its hash: registry and repository names
/// are not file names).
fn cache_file(settings: &Settings, key: &str) -> PathBuf {
    let hash = hex::encode(Sha256::digest(key.as_bytes()));
    settings.config_dir.dir().join(CACHE_DIR).join(&hash[..32])
}

/// The cached list at `path` when younger than [`CACHE_TTL`].
fn read_cache(path: &Path) -> Option<Vec<String>> {
    let metadata = std::fs::symlink_metadata(path).ok()?;
    let age = SystemTime::now()
        .duration_since(metadata.modified().ok()?)
        .ok()?;
    if !metadata.is_file() || age > CACHE_TTL {
        return None;
    }
    let bytes = crate::fsutil::read_path(path, MAX_CACHE_BYTES).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    Some(text.lines().map(str::to_owned).collect())
}

/// Keep `names` at `path`, in a folder only the user reads (0700), after making
/// room; a failure only means the next Tab asks the registry again.
fn write_cache(path: &Path, names: &[String]) {
    let Some(dir) = path.parent() else { return };
    if crate::fsutil::create_private_dir(dir).is_err() {
        return;
    }
    let mut text = String::new();
    for name in names {
        text.push_str(name);
        text.push('\n');
    }
    if text.len() as u64 > MAX_CACHE_BYTES {
        return;
    }
    make_room(dir);
    let _ = crate::fsutil::write_atomic(path, text.as_bytes(), Some(0o600));
}

/// Remove expired lists, then the oldest until one more fits [`MAX_CACHE_ENTRIES`].
fn make_room(dir: &Path) {
    let is_entry = |name: &str| name.len() == 32 && name.bytes().all(|b| b.is_ascii_hexdigit());
    let mut entries: Vec<_> = crate::fsutil::old_entries(dir, Duration::ZERO, is_entry)
        .filter_map(|(entry, metadata)| Some((metadata.modified().ok()?, entry.path())))
        .collect();
    entries.sort();
    let now = SystemTime::now();
    let mut left = entries.len();
    for (modified, path) in entries {
        let expired = now.duration_since(modified).unwrap_or_default() > CACHE_TTL;
        if expired || left >= MAX_CACHE_ENTRIES {
            let _ = std::fs::remove_file(path);
            left -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_by_dockers_registry_rule() {
        let word = split("127.0.0.1:5000/app/we");
        assert_eq!(word.registry, Some("127.0.0.1:5000"));
        assert_eq!(word.typed_registry, "127.0.0.1:5000/");
        assert_eq!((word.repository, word.tag), ("app/we", None));
        let word = split("ecr.example/app:1.");
        assert_eq!((word.repository, word.tag), ("app", Some("1.")));
        let word = split("app/web:");
        assert_eq!(word.registry, None);
        assert_eq!((word.repository, word.tag), ("app/web", Some("")));
        assert_eq!(split("localhost/x").registry, Some("localhost"));
        assert_eq!(split("ap").repository, "ap");
    }
}
