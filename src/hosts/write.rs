//! The careful write of a hosts file: replace it through a temporary file and a
//! rename, keeping a backup, its permissions and owner, and rewriting in place only
//! when it cannot be replaced (a bind mount); on any failure the file keeps its bytes.
//! [`lock()`] makes read-modify-write exclusive between aseecr runs.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::backup_path;
use crate::fsutil::ShowPath;
use crate::fsutil::{self, FileLock};

/// Read a hosts file, at most [`fsutil::HOSTS_FILE`]'s limit (a larger one fails
/// with [`io::ErrorKind::FileTooLarge`]); a missing file reads as empty.
pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    // `--hosts-file` names it: whatever the user names is read (bounded).
    match fsutil::read_named(path, fsutil::HOSTS_FILE.max) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        other => other,
    }
}

/// The file (a symbolic link's target, else `path`) that [`write`](fn@write) replaces.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        fs::canonicalize(path)
    } else {
        Ok(path.to_path_buf())
    }
}

/// The lock file of a hosts file: `.hosts.aseecr.lock` next to it (next to a
/// symbolic link's target). It exists only while a run holds it (on Unix).
fn lock_path(path: &Path) -> io::Result<PathBuf> {
    let target = resolve(path)?;
    let mut name = std::ffi::OsString::from(".");
    name.push(target.file_name().unwrap_or_default());
    name.push(".aseecr.lock");
    Ok(target.with_file_name(name))
}

/// Take the exclusive lock on the hosts file at `path`, waiting at most
/// [`fsutil::LOCK_WAIT`] for another aseecr run. Hold it from reading the file to
/// writing it, so that concurrent runs apply their changes one after the other.
/// Under the lock no live run can own a temporary file, so any left next to the file
/// by a killed run is removed.
pub fn lock(path: &Path) -> io::Result<FileLock> {
    let lock = FileLock::acquire(&lock_path(path)?, fsutil::LOCK_WAIT)?;
    let target = resolve(path)?;
    fsutil::remove_stale_temps(&target, Duration::ZERO, false);
    fsutil::remove_stale_temps(&backup_path(&target), Duration::ZERO, false);
    Ok(lock)
}

/// Why a write failed. In every case the file holds its previous bytes.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("permission denied writing `{}`", path.shown())]
    PermissionDenied {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("`{}` is on a read-only file system", path.shown())]
    ReadOnly {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("`{}` changed while aseecr was editing it", path.shown())]
    Changed { path: PathBuf },
    #[error("cannot {action} `{}`", path.shown())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl WriteError {
    fn from_io(action: &'static str, path: &Path, source: io::Error) -> WriteError {
        let path = path.to_path_buf();
        match source.kind() {
            io::ErrorKind::PermissionDenied => WriteError::PermissionDenied { path, source },
            io::ErrorKind::ReadOnlyFilesystem => WriteError::ReadOnly { path, source },
            _ => WriteError::Io {
                action,
                path,
                source,
            },
        }
    }
}

/// What [`write`](fn@write) did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The file that was written (a symbolic link's target; else the path given).
    pub target: PathBuf,
    /// The copy of the previous file, when there was one.
    pub backup: Option<PathBuf>,
    /// True when the file was rewritten in place because it could not be replaced
    /// (a bind-mounted file, as in containers).
    pub in_place: bool,
}

/// The two operations a write can fail in, replaceable in tests.
struct Ops {
    write: fn(&mut File, &[u8]) -> io::Result<()>,
    rename: fn(&Path, &Path) -> io::Result<()>,
}

const REAL_OPS: Ops = Ops {
    write: |file, bytes| file.write_all(bytes),
    rename: |from, to| fs::rename(from, to),
};

/// Replace the file at `path` (read earlier as `original`) with `contents`. The
/// caller holds [`lock()`] since reading `original`.
///
/// Writes a temporary file in the same directory and renames it over the file, after
/// copying the previous file to [`backup_path`]; keeps its permissions (and owner, on
/// Unix). Follows a symbolic link to its target. Only when the rename is impossible
/// (the file is a mount point: EBUSY, EXDEV) rewrites the file in place, restoring the
/// old bytes if that fails. Fails without changing anything when the file cannot be
/// written or no longer holds `original`.
pub fn write(path: &Path, original: &[u8], contents: &[u8]) -> Result<Written, WriteError> {
    write_with(path, original, contents, &REAL_OPS)
}

fn write_with(
    path: &Path,
    original: &[u8],
    contents: &[u8],
    ops: &Ops,
) -> Result<Written, WriteError> {
    let target = resolve(path).map_err(|e| WriteError::from_io("follow the link", path, e))?;
    let metadata = match fs::metadata(&target) {
        Ok(metadata) => Some(metadata),
        Err(err) if err.kind() == io::ErrorKind::NotFound => None,
        Err(err) => return Err(WriteError::from_io("read", &target, err)),
    };
    let current = read(&target).map_err(|e| WriteError::from_io("read", &target, e))?;
    if current != original {
        return Err(WriteError::Changed { path: target });
    }
    if metadata.is_some() {
        // Fails for read-only files, file systems and immutable files before anything is written.
        OpenOptions::new()
            .write(true)
            .open(&target)
            .map_err(|e| WriteError::from_io("open for writing", &target, e))?;
    }
    let dir = fsutil::dir_of(&target).to_path_buf();
    let mut temp = fsutil::temp_file_for(&target)
        .map_err(|e| WriteError::from_io("create a temporary file in", &dir, e))?;
    (ops.write)(temp.as_file_mut(), contents)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| WriteError::from_io("write a temporary file in", &dir, e))?;
    match &metadata {
        Some(metadata) => {
            copy_owner_and_mode(temp.as_file(), metadata)
                .map_err(|e| WriteError::from_io("set permissions in", &dir, e))?;
        }
        None => set_default_mode(temp.as_file())
            .map_err(|e| WriteError::from_io("set permissions in", &dir, e))?,
    }

    let backup = match &metadata {
        Some(metadata) => {
            let backup = backup_path(&target);
            let existed = backup.exists();
            write_backup(&backup, original, metadata)?;
            Some((backup, existed))
        }
        None => None,
    };
    let remove_new_backup = || {
        if let Some((backup, false)) = &backup {
            let _ = fs::remove_file(backup);
        }
    };

    let temp_path = temp.into_temp_path();
    match (ops.rename)(&temp_path, &target) {
        Ok(()) => {
            // The temporary name no longer exists; do not let its guard delete anything.
            let _ = temp_path.keep();
            sync_dir(&dir);
            Ok(Written {
                target,
                backup: backup.map(|(path, _)| path),
                in_place: false,
            })
        }
        Err(err) if metadata.is_some() && rename_impossible(&err) => {
            drop(temp_path);
            if let Err(err) = rewrite_in_place(&target, original, contents, ops) {
                remove_new_backup();
                return Err(err);
            }
            Ok(Written {
                target,
                backup: backup.map(|(path, _)| path),
                in_place: true,
            })
        }
        Err(err) => {
            remove_new_backup();
            Err(WriteError::from_io("replace", &target, err))
        }
    }
}

/// EBUSY (the file is a mount point) or EXDEV: a rename cannot replace this file.
/// On Windows also a refused or sharing-violating replace of a file that could be
/// opened for writing (a program such as an antivirus holds it open without
/// FILE_SHARE_DELETE).
fn rename_impossible(err: &io::Error) -> bool {
    const ERROR_SHARING_VIOLATION: i32 = 32;
    let busy = matches!(
        err.kind(),
        io::ErrorKind::ResourceBusy | io::ErrorKind::CrossesDevices
    );
    busy || (cfg!(windows)
        && (err.kind() == io::ErrorKind::PermissionDenied
            || err.raw_os_error() == Some(ERROR_SHARING_VIOLATION)))
}

/// Overwrite the file from its start and then cut it to length, so it is never
/// shorter than needed; on failure write the old bytes back.
fn rewrite_in_place(
    target: &Path,
    original: &[u8],
    contents: &[u8],
    ops: &Ops,
) -> Result<(), WriteError> {
    let mut file = OpenOptions::new()
        .write(true)
        .open(target)
        .map_err(|e| WriteError::from_io("open for writing", target, e))?;
    let result = (ops.write)(&mut file, contents)
        .and_then(|()| file.set_len(contents.len() as u64))
        .and_then(|()| file.sync_all());
    if let Err(err) = result {
        let restored = file
            .seek(SeekFrom::Start(0))
            .and_then(|_| file.write_all(original))
            .and_then(|()| file.set_len(original.len() as u64))
            .and_then(|()| file.sync_all());
        let action = match restored {
            Ok(()) => "rewrite (the previous contents were restored)",
            Err(_) => "rewrite (restore it from the backup)",
        };
        return Err(WriteError::from_io(action, target, err));
    }
    Ok(())
}

fn write_backup(backup: &Path, original: &[u8], metadata: &fs::Metadata) -> Result<(), WriteError> {
    let dir = fsutil::dir_of(backup);
    let mut temp = fsutil::temp_file_for(backup)
        .map_err(|e| WriteError::from_io("create a temporary file in", dir, e))?;
    temp.write_all(original)
        .and_then(|()| temp.as_file().sync_all())
        .and_then(|()| copy_owner_and_mode(temp.as_file(), metadata))
        .map_err(|e| WriteError::from_io("write the backup", backup, e))?;
    temp.persist(backup)
        .map_err(|e| WriteError::from_io("write the backup", backup, e.error))?;
    Ok(())
}

#[cfg(unix)]
fn copy_owner_and_mode(file: &File, metadata: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    // Keeping the owner needs privileges we may not have; the mode is what matters.
    let _ = std::os::unix::fs::fchown(file, Some(metadata.uid()), Some(metadata.gid()));
    file.set_permissions(metadata.permissions())
}

#[cfg(not(unix))]
fn copy_owner_and_mode(file: &File, metadata: &fs::Metadata) -> io::Result<()> {
    file.set_permissions(metadata.permissions())
}

#[cfg(unix)]
fn set_default_mode(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn set_default_mode(_file: &File) -> io::Result<()> {
    Ok(())
}

/// Make a rename durable (Unix); best effort.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir_names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn write_replaces_the_file_and_keeps_a_backup_and_the_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hosts");
        fs::write(&path, b"old\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        }
        let written = write(&path, b"old\n", b"new\n").unwrap();
        assert_eq!(written.target, path);
        assert!(!written.in_place);
        assert_eq!(fs::read(&path).unwrap(), b"new\n");
        assert_eq!(fs::read(backup_path(&path)).unwrap(), b"old\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        // One backup only: the next change replaces it with the then-current file.
        write(&path, b"new\n", b"newer\n").unwrap();
        assert_eq!(fs::read(backup_path(&path)).unwrap(), b"new\n");
        assert_eq!(dir_names(dir.path()), ["hosts", "hosts.aseecr.bak"]);
    }

    #[test]
    fn write_creates_a_missing_file_without_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hosts");
        let written = write(&path, b"", b"10.0.0.1 a.example\n").unwrap();
        assert_eq!(written.backup, None);
        assert_eq!(fs::read(&path).unwrap(), b"10.0.0.1 a.example\n");
        assert_eq!(dir_names(dir.path()), ["hosts"]);
    }

    #[test]
    fn write_refuses_a_file_that_changed_since_it_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hosts");
        fs::write(&path, b"someone else\n").unwrap();
        let err = write(&path, b"old\n", b"new\n").unwrap_err();
        assert!(matches!(err, WriteError::Changed { .. }), "{err:?}");
        assert_eq!(fs::read(&path).unwrap(), b"someone else\n");
        assert_eq!(dir_names(dir.path()), ["hosts"]);
    }

    /// Writes half of the bytes, then fails, like a full disk or a killed process.
    fn failing_write(file: &mut File, bytes: &[u8]) -> io::Result<()> {
        file.write_all(&bytes[..bytes.len() / 2])?;
        Err(io::Error::new(
            io::ErrorKind::StorageFull,
            "no space left on device",
        ))
    }

    #[test]
    fn an_interrupted_write_leaves_the_original_intact() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hosts");
        let original = b"127.0.0.1 localhost\n# keep me\n";
        fs::write(&path, original).unwrap();
        let ops = Ops {
            write: failing_write,
            rename: REAL_OPS.rename,
        };
        let err =
            write_with(&path, original, b"a much longer replacement text\n", &ops).unwrap_err();
        assert!(matches!(err, WriteError::Io { .. }), "{err:?}");
        assert_eq!(fs::read(&path).unwrap(), original);
        // No temporary file and no backup are left behind.
        assert_eq!(dir_names(dir.path()), ["hosts"]);
    }

    fn busy_rename(_: &Path, _: &Path) -> io::Result<()> {
        Err(io::Error::from(io::ErrorKind::ResourceBusy))
    }

    #[test]
    fn a_file_that_cannot_be_renamed_over_is_rewritten_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hosts");
        fs::write(&path, b"a long original line\nand another\n").unwrap();
        let ops = Ops {
            write: REAL_OPS.write,
            rename: busy_rename,
        };
        let written = write_with(
            &path,
            b"a long original line\nand another\n",
            b"short\n",
            &ops,
        )
        .unwrap();
        assert!(written.in_place);
        assert_eq!(fs::read(&path).unwrap(), b"short\n");
        assert_eq!(
            fs::read(backup_path(&path)).unwrap(),
            b"a long original line\nand another\n"
        );
        assert_eq!(dir_names(dir.path()), ["hosts", "hosts.aseecr.bak"]);
    }

    #[test]
    fn an_interrupted_in_place_rewrite_restores_the_original() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hosts");
        let original = b"short\n";
        fs::write(&path, original).unwrap();
        // The temporary file is written by the real writer; the in-place rewrite fails.
        fn write_then_fail_in_place(file: &mut File, bytes: &[u8]) -> io::Result<()> {
            if file.metadata()?.len() == 0 {
                file.write_all(bytes)
            } else {
                failing_write(file, bytes)
            }
        }
        let ops = Ops {
            write: write_then_fail_in_place,
            rename: busy_rename,
        };
        let err = write_with(&path, original, b"a much longer replacement\n", &ops).unwrap_err();
        assert!(
            err.to_string().contains("previous contents were restored"),
            "{err}"
        );
        assert_eq!(fs::read(&path).unwrap(), original);
        // The backup made for this change is removed again: nothing changed.
        assert_eq!(dir_names(dir.path()), ["hosts"]);
    }

    #[cfg(unix)]
    #[test]
    fn write_follows_a_symbolic_link() {
        let dir = tempfile::tempdir().unwrap();
        let real_dir = dir.path().join("real");
        fs::create_dir(&real_dir).unwrap();
        let real = real_dir.join("hosts");
        fs::write(&real, b"old\n").unwrap();
        let link = dir.path().join("hosts");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let written = write(&link, b"old\n", b"new\n").unwrap();
        assert_eq!(written.target, fs::canonicalize(&real).unwrap());
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&link).unwrap(), b"new\n");
    }
}
