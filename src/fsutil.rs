//! Files: reading one named on the command line with a clear error, atomic
//! writes (a temporary file in the same directory, then a rename), and names
//! safe on every OS.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use crate::error::{Error, Kind};

/// Read a file given on the command line (`what` names it in the error): a missing
/// file is not-found (exit 4), any other failure exit 1.
pub fn read_file(path: &Path, what: &str) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|err| {
        let kind = if err.kind() == std::io::ErrorKind::NotFound {
            Kind::NotFound
        } else {
            Kind::Failed
        };
        Error::new(
            kind,
            format!("cannot read {what} `{}`: {err}", path.display()),
        )
        .into()
    })
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

/// Write `bytes` to `path` so that readers see the old file or the new one, never
/// a partial one. `mode` sets Unix permissions (e.g. 0o600 for files holding secrets).
pub fn write_atomic(path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let mut temp = tempfile::Builder::new()
        .prefix(".aseecr-")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in `{}`", dir.display()))?;
    #[cfg(unix)]
    if let Some(mode) = mode {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("cannot set permissions on `{}`", temp.path().display()))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    temp.persist(path)
        .map_err(|err| err.error)
        .with_context(|| format!("cannot replace `{}`", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
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
}
