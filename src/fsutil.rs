//! Files: reading one named on the command line with a clear error and a size cap,
//! atomic writes (a temporary file in the same directory, then a rename) that clean up
//! what a killed run left, an exclusive lock for read-modify-write, private
//! directories, and names safe on every OS.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result};

use crate::error::{Error, Kind};

const MIB: u64 = 1024 * 1024;

/// A path as messages show it, with one separator: on Windows, the one the path was
/// typed with (its first). A folder typed with `/` (`DOCKER_CONFIG=C:/Users/me/.docker`,
/// or `/tmp/x` under wine) and a name joined to it by aseecr would otherwise read
/// `C:/Users/me/.docker\config.json`; now `C:/Users/me/.docker/config.json`, and a path
/// typed with `\` keeps `\` throughout. Only for showing: files and commands get the path itself.
pub trait ShowPath {
    fn shown(&self) -> Shown<'_>;
}

impl ShowPath for Path {
    fn shown(&self) -> Shown<'_> {
        Shown(self)
    }
}

/// See [`ShowPath`].
pub struct Shown<'a>(&'a Path);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&with_os_separators(
            &self.0.display().to_string(),
            cfg!(windows),
        ))
    }
}

/// `path` with every separator made the first one it holds, when `windows` (where `/`
/// and `\` both separate); unchanged elsewhere, where `\` is a file-name byte.
fn with_os_separators(path: &str, windows: bool) -> std::borrow::Cow<'_, str> {
    match path.find(['/', '\\']) {
        Some(at) if windows => {
            let (typed, other) = if path[at..].starts_with('/') {
                ('/', '\\')
            } else {
                ('\\', '/')
            };
            path.replace(other, &typed.to_string()).into()
        }
        _ => path.into(),
    }
}

/// The most aseecr reads into memory from one file or from standard input, and what
/// it says when an input is larger. The limits are listed in docs/guarantees.md ("Bounded
/// inputs").
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// What the input is, for messages ("certificate file").
    pub what: &'static str,
    /// The largest accepted size in bytes.
    pub max: u64,
    /// Usage (exit 2) for inputs named on the command line, Failed (exit 1) for the
    /// files aseecr edits.
    pub kind: Kind,
    pub help: &'static str,
}

/// A certificate file (`trust-cert FILE`, `--ca-cert`): PEM or DER, a few KiB.
pub const CERTIFICATE: Limit = Limit {
    what: "certificate file",
    max: MIB,
    kind: Kind::Usage,
    help: "a certificate file (PEM or DER) is a few KiB; check that this is the certificate",
};
/// A Kubernetes manifest (`k8s relocate`, `-` for standard input). Its span tree
/// takes about 45 times the text (measured: 4 MiB -> 186 MB peak), so the cap is
/// what bounds memory.
pub const MANIFEST: Limit = Limit {
    what: "manifest",
    max: 4 * MIB,
    kind: Kind::Usage,
    help: "split the manifests into several files and run aseecr on each",
};
/// An image list (`mirror -f FILE`, `-` for standard input).
pub const IMAGE_LIST: Limit = Limit {
    what: "image list",
    max: 4 * MIB,
    kind: Kind::Usage,
    help: "split the list into several files and run `aseecr mirror -f` on each",
};
/// A sync file (`sync FILE`, `-` for standard input): a few KiB for a fleet.
pub const SYNC_FILE: Limit = Limit {
    what: "sync file",
    max: MIB,
    kind: Kind::Usage,
    help: "a sync file lists destinations and images (a few KiB); split it into several files",
};
/// The program put into aseecr's container image (`build-image --binary`): a
/// static aseecr is 10-20 MiB.
pub const PROGRAM: Limit = Limit {
    what: "program",
    max: 256 * MIB,
    kind: Kind::Usage,
    help: "give the aseecr executable (a release build is 10-20 MiB)",
};
/// The CA bundle put into aseecr's container image (`build-image --ca-bundle`):
/// Debian's is about 220 KiB.
pub const CA_BUNDLE: Limit = Limit {
    what: "CA bundle",
    max: 4 * MIB,
    kind: Kind::Usage,
    help: "give the system's bundle, e.g. /etc/ssl/certs/ca-certificates.crt",
};
/// The device's registry info (`setup --from-info FILE`).
pub const REGISTRY_INFO: Limit = Limit {
    what: "registry info file",
    max: MIB,
    kind: Kind::Usage,
    help: "give the text the device's `Get-HcsContainerRegistryInfo` printed (a few lines)",
};
/// The hosts file that `setup-host` edits and `doctor` reads.
pub const HOSTS_FILE: Limit = Limit {
    what: "hosts file",
    max: 4 * MIB,
    kind: Kind::Failed,
    help: "a hosts file this large is not one aseecr edits; check --hosts-file, or add the entry by hand",
};
/// docker's `config.json`.
pub const DOCKER_CONFIG: Limit = Limit {
    what: "docker config",
    max: 4 * MIB,
    kind: Kind::Failed,
    help: "check the file (DOCKER_CONFIG or ~/.docker/config.json), or move it away to start from an empty one",
};
/// aseecr's own `config.json` (and containerd's `hosts.toml`, which aseecr writes).
pub const ASEECR_CONFIG: Limit = Limit {
    what: "aseecr configuration file",
    max: 4 * MIB,
    kind: Kind::Failed,
    help: "aseecr writes small files; move this one away and run the command again",
};

/// aseecr's record of replaced digests (`replaced.json`): at most 20,000 entries
/// of at most about 700 bytes each (`records::MAX_ENTRIES`).
pub const REPLACED_RECORD: Limit = Limit {
    what: "record of replaced digests",
    max: 16 * MIB,
    kind: Kind::Failed,
    help: "aseecr keeps this file small; move it away (it only lists digests for `prune --untagged`) and run the command again",
};

/// One extension entry of a tar archive (`oci-archive:`, `docker-archive:`): a GNU
/// long name or long link, or a PAX header, which is read whole into memory before
/// the entry it describes. Real ones hold a path or a few attributes.
pub const TAR_EXTENSION: Limit = Limit {
    what: "long name or PAX header of a tar entry",
    max: MIB,
    kind: Kind::Usage,
    help: "such an entry holds a path or a few attributes (bytes, not MiB); the archive is damaged or was not written by `docker save`, skopeo or aseecr: save or copy the image again",
};

/// The most read of a system's `os-release` (it is a few hundred bytes).
pub const OS_RELEASE_MAX: u64 = 64 * 1024;

/// `bytes` for people: `1 MiB`, `16 MiB`, `512 KiB`, `10 bytes`.
pub fn human_size(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// Read all of `reader`, but never more than `max` bytes: one byte more fails with
/// [`io::ErrorKind::FileTooLarge`]. Works for pipes and devices (`/dev/zero`), whose
/// size no metadata tells.
pub fn read_to_limit(reader: impl Read, max: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("it is larger than {}", human_size(max)),
        ));
    }
    Ok(bytes)
}

/// Read the file at `path` with [`read_to_limit`]: a regular file only (see
/// [`open_regular`]), for the files aseecr keeps and the layouts it reads.
pub fn read_path(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    read_to_limit(open_regular(path)?, max)
}

/// Where aseecr expected a regular file: what it found instead ("a FIFO").
#[derive(Debug)]
pub struct NotRegular(pub &'static str);

impl std::fmt::Display for NotRegular {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "it is {}, not a regular file", self.0)
    }
}

impl std::error::Error for NotRegular {}

/// Whether `err` is [`NotRegular`].
pub fn is_not_regular(err: &io::Error) -> bool {
    err.get_ref().is_some_and(|inner| inner.is::<NotRegular>())
}

/// What a file that is not a regular file is, for messages.
fn file_type_name(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
    }
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    }
}

/// Fail with [`NotRegular`] unless the open `file` is a regular file.
pub fn check_regular(file: &File) -> io::Result<()> {
    let file_type = file.metadata()?.file_type();
    if file_type.is_file() {
        return Ok(());
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        NotRegular(file_type_name(file_type)),
    ))
}

/// `options` opening without waiting (a FIFO with no writer would block `open`
/// itself) and, when `follow` is false, without following a symbolic link at the
/// last component (it fails instead). Unix only; elsewhere `options` as they are.
fn never_blocking(options: &mut OpenOptions, follow: bool) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
        std::os::unix::fs::OpenOptionsExt::custom_flags(options, libc::O_NONBLOCK | nofollow);
    }
    #[cfg(not(unix))]
    let _ = follow;
    options
}

/// Open `path` for reading only when it is a regular file (a symbolic link to one
/// is followed): a FIFO, device or directory in its place fails at once with
/// [`NotRegular`] instead of waiting for a writer or reading without end.
pub fn open_regular(path: &Path) -> io::Result<File> {
    let file = never_blocking(OpenOptions::new().read(true), true).open(path)?;
    check_regular(&file)?;
    Ok(file)
}

/// Open an existing file aseecr writes in a directory others may write to (a
/// blob's partial file), for reading and writing, never through a symbolic link
/// and only when it is a regular file: a link fails (`ELOOP` on Unix), anything
/// else than a regular file with [`NotRegular`].
pub fn open_own_file(path: &Path) -> io::Result<File> {
    #[cfg(not(unix))]
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            NotRegular("a symbolic link"),
        ));
    }
    let file = never_blocking(OpenOptions::new().read(true).write(true), false).open(path)?;
    check_regular(&file)?;
    Ok(file)
}

/// Create `path` as a new file, readable and writable by its owner only (0600 on
/// Unix), failing when anything (a file, a symbolic link) is there already.
pub fn create_own_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// A temporary directory in `parent` named `PREFIX` and random letters, readable
/// by its owner only (0700 on Unix), removed when dropped: for data of a run in
/// progress (an archive's layout before it is packed).
pub fn private_temp_dir_in(parent: &Path, prefix: &str) -> io::Result<tempfile::TempDir> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o700));
    }
    builder.tempdir_in(parent)
}

/// The error for an input larger than its limit; `label` names it (a path, `<stdin>`).
pub fn too_large(label: &str, limit: &Limit) -> Error {
    Error::new(
        limit.kind,
        format!(
            "`{label}` is larger than {}, aseecr's limit for the {}",
            human_size(limit.max),
            limit.what
        ),
    )
    .help(limit.help)
}

fn read_error(path: &Path, limit: &Limit, err: io::Error) -> anyhow::Error {
    if err.kind() == io::ErrorKind::FileTooLarge {
        return too_large(&path.shown().to_string(), limit).into();
    }
    if is_not_regular(&err) {
        return Error::new(
            Kind::Failed,
            format!("cannot read {} `{}`: {err}", limit.what, path.shown()),
        )
        .help(limit.help)
        .into();
    }
    let kind = if err.kind() == io::ErrorKind::NotFound {
        Kind::NotFound
    } else {
        Kind::Failed
    };
    Error::new(
        kind,
        format!("cannot read {} `{}`: {err}", limit.what, path.shown()),
    )
    .into()
}

/// Read a file given on the command line, at most `limit.max` bytes: a missing file
/// is not-found (exit 4), a larger one `limit.kind`, any other failure exit 1.
/// Named by the user, it may be a pipe (`-f <(command)`, `/dev/stdin`).
pub fn read_file(path: &Path, limit: &Limit) -> Result<Vec<u8>> {
    read_named(path, limit.max).map_err(|err| read_error(path, limit, err))
}

/// Read a file the user named (on the command line, `--hosts-file`) with
/// [`read_to_limit`]: any kind of file, a pipe or a device too.
pub fn read_named(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    read_to_limit(File::open(path)?, max)
}

/// [`read_file`], where `-` means standard input.
pub fn read_input(path: &Path, limit: &Limit) -> Result<Vec<u8>> {
    if path.as_os_str() != "-" {
        return read_file(path, limit);
    }
    read_to_limit(io::stdin().lock(), limit.max).map_err(|err| {
        if err.kind() == io::ErrorKind::FileTooLarge {
            too_large("<stdin>", limit).into()
        } else {
            Error::new(
                Kind::Failed,
                format!("cannot read the {} from standard input: {err}", limit.what),
            )
            .into()
        }
    })
}

/// Read a file aseecr keeps (a configuration file): a missing file is `None`.
pub fn read_optional(path: &Path, limit: &Limit) -> Result<Option<Vec<u8>>> {
    match read_path(path, limit.max) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(read_error(path, limit, err)),
    }
}

/// `name` (e.g. a registry, `host:port`) as a file name safe on every OS: ASCII
/// letters, digits, `.` and `-` are kept, anything else becomes `_`.
pub fn safe_file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Create `dir` readable by its owner only (0700 on Unix, as docker creates its
/// config directory); its parents are created as usual. An existing directory is
/// left as it is.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create `{}`", parent.shown()))?;
    }
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    match builder.create(dir) {
        Err(err) if err.kind() != io::ErrorKind::AlreadyExists => {
            Err(err).with_context(|| format!("cannot create `{}`", dir.shown()))
        }
        _ => Ok(()),
    }
}

/// The length of the random part of aseecr's temporary file names (tempfile's default).
const TEMP_RANDOM_LEN: usize = 6;
/// How old a temporary file of [`write_atomic`] must be before a later write of the
/// same file removes it as left by a killed run. A live write holds its temporary
/// file for milliseconds (seconds on a slow disk).
pub const STALE_TEMP_AGE: Duration = Duration::from_secs(5 * 60);
/// The most directory entries looked at when cleaning up temporary files.
const MAX_ENTRIES_SCANNED: usize = 10_000;

/// The name of a temporary file for `target` starts with this: `.config.json.aseecr-`,
/// then [`TEMP_RANDOM_LEN`] random letters and digits follow.
fn temp_prefix(target: &Path) -> String {
    format!(
        ".{}.aseecr-",
        target.file_name().unwrap_or_default().to_string_lossy()
    )
}

/// Whether `name` is a temporary file aseecr makes for `target` (or the older,
/// target-less `.aseecr-XXXXXX` of `write_atomic`).
fn is_temp_of(name: &str, target: &Path, legacy: bool) -> bool {
    let random = |rest: &str| {
        rest.len() == TEMP_RANDOM_LEN && rest.bytes().all(|b| b.is_ascii_alphanumeric())
    };
    let prefix = temp_prefix(target);
    name.strip_prefix(prefix.as_str()).is_some_and(random)
        || (legacy && name.strip_prefix(".aseecr-").is_some_and(random))
}

/// A temporary file next to `target`, named for it (see [`remove_stale_temps`]).
pub fn temp_file_for(target: &Path) -> io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(&temp_prefix(target))
        .rand_bytes(TEMP_RANDOM_LEN)
        .tempfile_in(dir_of(target))
}

/// The directory `path` is in (`.` for a bare name).
pub fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Remove temporary files that aseecr made for `target` and a killed run left behind:
/// only regular files whose name is exactly aseecr's pattern for this target, and only
/// when at least `min_age` old (zero when the caller holds the target's lock, so no
/// live run can own one). Best effort; returns how many were removed.
pub fn remove_stale_temps(target: &Path, min_age: Duration, legacy: bool) -> usize {
    let mut removed = 0;
    for (entry, metadata) in old_entries(dir_of(target), min_age, |n| is_temp_of(n, target, legacy))
    {
        if metadata.is_file() && std::fs::remove_file(entry.path()).is_ok() {
            tracing::debug!(
                "removed `{}`, left by an interrupted run",
                entry.path().shown()
            );
            removed += 1;
        }
    }
    removed
}

/// The entries of `dir` (at most [`MAX_ENTRIES_SCANNED`] read) whose name `named`
/// accepts and that are at least `min_age` old, with their metadata (of the entry
/// itself: links are not followed). For removing what killed runs left.
pub fn old_entries(
    dir: &Path,
    min_age: Duration,
    named: impl Fn(&str) -> bool,
) -> impl Iterator<Item = (std::fs::DirEntry, std::fs::Metadata)> {
    let now = SystemTime::now();
    std::fs::read_dir(dir)
        .into_iter()
        .flat_map(|entries| entries.take(MAX_ENTRIES_SCANNED).flatten())
        .filter(move |entry| entry.file_name().to_str().is_some_and(&named))
        .filter_map(move |entry| {
            // `DirEntry::metadata` does not follow symbolic links.
            let metadata = entry.metadata().ok()?;
            let age = metadata
                .modified()
                .ok()
                .and_then(|modified| now.duration_since(modified).ok())
                .unwrap_or(Duration::ZERO);
            (age >= min_age).then_some((entry, metadata))
        })
}

/// Write `bytes` to `path` so that readers see the old file or the new one, never
/// a partial one. `mode` sets Unix permissions (e.g. 0o600 for files holding secrets).
/// Temporary files an earlier, killed write of `path` left (older than
/// [`STALE_TEMP_AGE`]) are removed first.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<()> {
    let dir = dir_of(path);
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.shown()))?;
    remove_stale_temps(path, STALE_TEMP_AGE, true);
    let mut temp = temp_file_for(path)
        .with_context(|| format!("cannot create a temporary file in `{}`", dir.shown()))?;
    #[cfg(unix)]
    if let Some(mode) = mode {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("cannot set permissions on `{}`", temp.path().shown()))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("cannot write `{}`", path.shown()))?;
    persist(temp, path).with_context(|| format!("cannot replace `{}`", path.shown()))?;
    Ok(())
}

/// How long [`persist`] keeps trying while Windows refuses to replace a file
/// another process has open (it reads it, or scans it).
const REPLACE_WAIT: Duration = Duration::from_secs(5);

/// Rename `temp` over `path`. Windows refuses ("access denied") while another
/// process has `path` open, e.g. a concurrent run reading a layout's
/// `index.json`: there the rename is tried again for up to [`REPLACE_WAIT`].
pub fn persist(temp: tempfile::NamedTempFile, path: &Path) -> std::io::Result<()> {
    let deadline = std::time::Instant::now() + REPLACE_WAIT;
    let mut temp = temp;
    loop {
        match temp.persist(path) {
            Ok(_) => return Ok(()),
            Err(err) if refused_while_open(&err.error) && std::time::Instant::now() < deadline => {
                temp = err.file;
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(err) => return Err(err.error),
        }
    }
}

/// Rename `from` over `to`, tried again like [`persist`].
pub fn rename(from: &Path, to: &Path) -> std::io::Result<()> {
    let deadline = std::time::Instant::now() + REPLACE_WAIT;
    loop {
        match std::fs::rename(from, to) {
            Err(err) if refused_while_open(&err) && std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            result => return result,
        }
    }
}

/// Windows' answer to replacing a file that is open elsewhere; never on Unix,
/// where a rename replaces an open file.
fn refused_while_open(err: &std::io::Error) -> bool {
    cfg!(windows) && err.kind() == std::io::ErrorKind::PermissionDenied
}

/// How long [`FileLock::acquire`] waits for another run to finish.
pub const LOCK_WAIT: Duration = Duration::from_secs(30);

/// An exclusive lock on a lock file, held until dropped. On Unix the lock file is
/// removed when the lock is released, so none is left next to the file it guards; a
/// run that was waiting on the removed file notices (the path names another file or
/// none) and locks again. Windows cannot tell that from std, so there the lock file
/// stays. A killed run's lock is released by the OS.
#[derive(Debug)]
pub struct FileLock {
    file: File,
    /// Removed on release (Unix only; see above).
    #[cfg_attr(not(unix), allow(dead_code))]
    path: PathBuf,
}

impl FileLock {
    /// Lock `path` (created if missing), waiting at most `wait` for another holder;
    /// then fails with [`io::ErrorKind::TimedOut`].
    /// A symbolic link or a FIFO planted at `path` fails (the lock file is never
    /// opened through a link, nor waited on).
    pub fn acquire(path: &Path, wait: Duration) -> io::Result<FileLock> {
        let deadline = Instant::now() + wait;
        loop {
            let file = never_blocking(
                OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(false),
                false,
            )
            .open(path)?;
            check_regular(&file)?;
            match file.try_lock() {
                Ok(()) => {
                    if is_file_at(&file, path)? {
                        return Ok(FileLock {
                            file,
                            path: path.to_owned(),
                        });
                    }
                    // The holder before us removed it: lock the file now at `path`.
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    if Instant::now() >= deadline {
                        return Err(io::Error::new(
                            io::ErrorKind::TimedOut,
                            format!(
                                "another aseecr run held `{}` for {} s",
                                path.shown(),
                                wait.as_secs()
                            ),
                        ));
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(std::fs::TryLockError::Error(err)) => return Err(err),
            }
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        // Removed while still locked; closing the file then releases the lock.
        #[cfg(unix)]
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Whether the open `file` is the file at `path` (it may have been removed and
/// created anew since it was opened).
#[cfg(unix)]
fn is_file_at(file: &File, path: &Path) -> io::Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let open = file.metadata()?;
    Ok(match std::fs::metadata(path) {
        Ok(now) => now.dev() == open.dev() && now.ino() == open.ino(),
        Err(err) if err.kind() == io::ErrorKind::NotFound => false,
        Err(err) => return Err(err),
    })
}

/// Windows: the lock file is never removed, so it is always the file at `path`.
#[cfg(not(unix))]
fn is_file_at(_file: &File, _path: &Path) -> io::Result<bool> {
    Ok(true)
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_are_shown_with_the_separator_they_were_typed_with() {
        assert_eq!(
            with_os_separators("/tmp/x/docker\\config.json", true),
            "/tmp/x/docker/config.json"
        );
        assert_eq!(
            with_os_separators("C:/Users/me/.docker\\config.json", true),
            "C:/Users/me/.docker/config.json"
        );
        assert_eq!(
            with_os_separators("C:\\Users\\me\\.docker/config.json", true),
            "C:\\Users\\me\\.docker\\config.json"
        );
        assert_eq!(with_os_separators("config.json", true), "config.json");
        // A backslash in a Unix file name is part of the name.
        assert_eq!(with_os_separators("/tmp/a\\b", false), "/tmp/a\\b");
        assert_eq!(Path::new("/etc/hosts").shown().to_string(), "/etc/hosts");
    }

    use super::*;

    #[test]
    fn file_names_keep_only_safe_characters() {
        assert_eq!(
            safe_file_name("ecr.dbe-x.example.com:31001"),
            "ecr.dbe-x.example.com_31001"
        );
        assert_eq!(safe_file_name("[::1]:5000"), "___1__5000");
        assert_eq!(safe_file_name("a/b\\c é"), "a_b_c__");
    }

    #[test]
    fn replaces_the_file_and_sets_the_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("file");
        write_atomic(&path, b"one", None).unwrap();
        write_atomic(&path, b"two", Some(0o600)).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
    }

    #[test]
    fn reads_stop_one_byte_past_the_limit() {
        assert_eq!(read_to_limit(&b"abcd"[..], 4).unwrap(), b"abcd");
        let err = read_to_limit(&b"abcde"[..], 4).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
        // An endless reader is read only up to the limit.
        let err = read_to_limit(io::repeat(0), MIB).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
        assert_eq!(human_size(16 * MIB), "16 MiB");
        assert_eq!(human_size(512 * 1024), "512 KiB");
    }

    #[test]
    fn a_file_over_its_limit_is_the_limits_kind_with_help() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.pem");
        std::fs::write(&path, vec![b'a'; (CERTIFICATE.max + 1) as usize]).unwrap();
        let err = read_file(&path, &CERTIFICATE).unwrap_err();
        let err = err.downcast_ref::<Error>().unwrap();
        assert_eq!(err.kind, Kind::Usage);
        assert!(err.message.contains("larger than 1 MiB"), "{}", err.message);
        assert_eq!(err.help, [CERTIFICATE.help]);
        let missing = read_file(&dir.path().join("none"), &CERTIFICATE).unwrap_err();
        assert_eq!(
            missing.downcast_ref::<Error>().unwrap().kind,
            Kind::NotFound
        );
        assert!(
            read_optional(&dir.path().join("none"), &DOCKER_CONFIG)
                .unwrap()
                .is_none()
        );
    }

    #[cfg(unix)]
    #[test]
    fn private_dirs_are_0700_and_existing_ones_are_left_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let private = dir.path().join("a").join("aseecr");
        create_private_dir(&private).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&private), 0o700);
        let existing = dir.path().join("b");
        std::fs::create_dir(&existing).unwrap();
        std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o750)).unwrap();
        create_private_dir(&existing).unwrap();
        assert_eq!(mode(&existing), 0o750);
    }

    #[cfg(unix)]
    fn mkfifo(path: &Path) {
        let status = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap();
        assert!(status.success());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_directory_is_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("replaced.json");
        mkfifo(&fifo);
        // No writer ever opens it: a blocking open would wait for ever.
        let err = read_path(&fifo, MIB).unwrap_err();
        assert!(is_not_regular(&err), "{err}");
        assert_eq!(err.to_string(), "it is a FIFO, not a regular file");
        let err = read_optional(&fifo, &REPLACED_RECORD).unwrap_err();
        let err = err.downcast_ref::<Error>().unwrap();
        assert_eq!(err.kind, Kind::Failed);
        assert!(err.message.ends_with("it is a FIFO, not a regular file"));
        assert_eq!(err.help, [REPLACED_RECORD.help]);
        let err = open_regular(dir.path()).unwrap_err();
        assert_eq!(err.to_string(), "it is a directory, not a regular file");
        // A lock file is never a FIFO either.
        let err = FileLock::acquire(&fifo, LOCK_WAIT).unwrap_err();
        assert!(is_not_regular(&err), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn own_files_are_created_private_and_never_opened_through_a_link() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"keep").unwrap();
        let link = dir.path().join("blob.partial");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        assert!(open_own_file(&link).is_err());
        let err = create_own_file(&link).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        // A dangling link is not created through either.
        let dangling = dir.path().join("dangling.partial");
        std::os::unix::fs::symlink(dir.path().join("made"), &dangling).unwrap();
        assert!(create_own_file(&dangling).is_err());
        assert!(FileLock::acquire(&dangling, LOCK_WAIT).is_err());
        assert!(!dir.path().join("made").exists());
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
        let own = dir.path().join("own.partial");
        create_own_file(&own).unwrap();
        let mode = std::fs::metadata(&own).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        open_own_file(&own).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn private_temp_dirs_are_0700() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let temp = private_temp_dir_in(dir.path(), ".aseecr-layout-").unwrap();
        let mode = std::fs::metadata(temp.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        assert!(
            temp.path()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".aseecr-layout-")
        );
    }

    fn age(path: &Path, by: Duration) {
        let file = File::options().write(true).open(path).unwrap();
        file.set_modified(SystemTime::now() - by).unwrap();
    }

    #[test]
    fn stale_temporary_files_of_the_target_alone_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("config.json");
        let old = Duration::from_secs(3600);
        let names = [
            ".config.json.aseecr-Ab12Cd",   // ours, old: removed
            ".aseecr-Xy98Zw",               // ours (older naming), old: removed
            ".config.json.aseecr-Fresh1",   // ours, fresh: kept
            ".config.json.aseecr-toolong1", // not the pattern
            ".other.json.aseecr-Ab12Cd",    // another target's
            "config.json.aseecr-Ab12Cd",    // no leading dot
            "config.json",
        ];
        for name in names {
            std::fs::write(dir.path().join(name), b"x").unwrap();
            if name != ".config.json.aseecr-Fresh1" {
                age(&dir.path().join(name), old);
            }
        }
        // A directory with our name is not a file we made.
        std::fs::create_dir(dir.path().join(".config.json.aseecr-Dir123")).unwrap();
        write_atomic(&target, b"new", None).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".config.json.aseecr-Dir123",
                ".config.json.aseecr-Fresh1",
                ".config.json.aseecr-toolong1",
                ".other.json.aseecr-Ab12Cd",
                "config.json",
                "config.json.aseecr-Ab12Cd",
            ]
        );
        // Under the target's lock no live run owns one, so age does not matter.
        assert_eq!(remove_stale_temps(&target, Duration::ZERO, false), 1);
    }

    #[test]
    fn the_lock_excludes_a_second_holder_and_leaves_no_file_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".hosts.aseecr.lock");
        let first = FileLock::acquire(&path, LOCK_WAIT).unwrap();
        let err = FileLock::acquire(&path, Duration::from_millis(50)).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        let waiter = std::thread::spawn({
            let path = path.clone();
            move || FileLock::acquire(&path, LOCK_WAIT).map(drop)
        });
        std::thread::sleep(Duration::from_millis(50));
        drop(first);
        waiter.join().unwrap().unwrap();
        #[cfg(unix)]
        assert!(!path.exists());
    }
}
