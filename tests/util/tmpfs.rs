//! A tmpfs of a given size (root only, as CI runs): a full disk for tests. A test
//! that mounts one is listed in tests/root-only.txt.

use std::path::{Path, PathBuf};

/// A tmpfs mounted on a folder, unmounted when dropped, also when the test fails.
pub struct Tmpfs {
    path: PathBuf,
    /// The folder it is mounted on, when it made one.
    _dir: Option<tempfile::TempDir>,
}

impl Tmpfs {
    /// Mount one on a new temporary folder; a machine where that is not
    /// permitted fails the test, loudly.
    pub fn mount(size: &str) -> Tmpfs {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_owned();
        mount_on(&path, size);
        Tmpfs {
            path,
            _dir: Some(dir),
        }
    }

    /// Mount one over `path`, an existing empty folder (a registry's storage).
    pub fn mount_over(path: &Path, size: &str) -> Tmpfs {
        mount_on(path, size);
        Tmpfs {
            path: path.to_owned(),
            _dir: None,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Make room: the same mount, bigger, its files kept.
    pub fn grow(&self, size: &str) {
        let out = std::process::Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(self.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn mount_on(path: &Path, size: &str) {
    super::root::require_root(&format!("it mounts a {size} tmpfs"));
    let out = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(path)
        .output()
        .expect("run mount");
    assert!(
        out.status.success(),
        "cannot mount a {size} tmpfs on {} (this test needs root, as CI has): {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let unmounted = std::process::Command::new("umount")
            .arg(&self.path)
            .status()
            .is_ok_and(|s| s.success());
        if !unmounted {
            let _ = std::process::Command::new("umount")
                .arg("-l")
                .arg(&self.path)
                .status();
        }
    }
}
