//! The container clients' per-registry certificate folders: docker's and
//! containers' (podman, buildah, skopeo, CRI-O) `certs.d/HOST:PORT/ca.crt`, and
//! containerd's `certs.d/HOST:PORT/` with `ca.crt` and a `hosts.toml` naming it.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::{Action, Environment, Op, Os, Outcome, Request, Store, plan_file};
use crate::fsutil;

/// The first line of every hosts.toml aseecr writes; only such files are replaced or removed.
const HOSTS_TOML_MARKER: &str = "# Written by `aseecr trust-cert`";

/// Docker's folder for `registry` on this OS.
pub fn docker_dir(registry: &str) -> PathBuf {
    let home = || {
        directories::BaseDirs::new()
            .map(|dirs| dirs.home_dir().to_owned())
            .unwrap_or_default()
    };
    docker_dir_on(Os::current(), registry, home)
}

/// Docker's folder for `registry` on `os`. On Windows docker drops the `:` (not
/// allowed in file names): `%ProgramData%\docker\certs.d\HOSTPORT`. On macOS
/// Docker Desktop copies `~/.docker/certs.d` into its VM's `/etc/docker/certs.d`
/// when it starts, and documents a `ca.crt` there as enough (no keychain entry).
fn docker_dir_on(os: Os, registry: &str, home: impl FnOnce() -> PathBuf) -> PathBuf {
    match os {
        Os::Windows => {
            let program_data =
                std::env::var_os("ProgramData").unwrap_or_else(|| r"C:\ProgramData".into());
            PathBuf::from(program_data)
                .join("docker")
                .join("certs.d")
                .join(registry.replace(':', ""))
        }
        Os::Macos => home().join(".docker").join("certs.d").join(registry),
        Os::Linux => Path::new("/etc/docker/certs.d").join(registry),
    }
}

/// The containers-common folder for `registry`.
pub fn containers_dir(registry: &str) -> PathBuf {
    Path::new("/etc/containers/certs.d").join(registry)
}

/// containerd's folder for `registry`.
pub fn containerd_dir(registry: &str) -> PathBuf {
    Path::new("/etc/containerd/certs.d").join(registry)
}

/// Plan `DIR/ca.crt` for docker or containers.
pub fn plan_ca_file(
    env: &Environment,
    request: &Request<'_>,
    store: Store,
    dir: &Path,
) -> Result<Action> {
    let path = env.system_path(dir.join("ca.crt"));
    plan_file(store, request, &path, true)
}

/// The hosts.toml that points containerd at `ca` for `registry`.
pub fn hosts_toml(registry: &str, ca: &Path) -> String {
    format!(
        "{HOSTS_TOML_MARKER} for {registry}; `aseecr trust-cert --remove` deletes it.\n\
         server = \"https://{registry}\"\n\n\
         [host.\"https://{registry}\"]\n  ca = \"{}\"\n",
        ca.display()
    )
}

/// Plan containerd: `ca.crt` as for docker, plus a hosts.toml naming it (with the
/// path as seen from inside the root). A hosts.toml aseecr did not write is never
/// touched; the user is told what to add to it.
pub fn plan_containerd(env: &Environment, request: &Request<'_>, registry: &str) -> Result<Action> {
    let dir = containerd_dir(registry);
    let ca_system = dir.join("ca.crt");
    let toml_path = env.system_path(dir.join("hosts.toml"));
    let wanted = hosts_toml(registry, &ca_system);
    let existing = match fsutil::read_path(&toml_path, fsutil::ASEECR_CONFIG.max) {
        // A file that is not UTF-8 text is not one aseecr wrote.
        Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(super::io_error(err, "read", &toml_path)),
    };
    let ours = existing
        .as_deref()
        .is_some_and(|text| text.starts_with(HOSTS_TOML_MARKER));
    let mut action = plan_ca_file(env, request, Store::Containerd, &dir)?;
    let foreign_note = format!(
        "`{}` was not written by aseecr and is left alone; add `ca = \"{}\"` under `[host.\"https://{registry}\"]` in it",
        toml_path.display(),
        ca_system.display()
    );
    if request.remove {
        if action.outcome == Outcome::Remove {
            if ours {
                // Remove the toml before the now-empty folders go.
                let first_dir = action
                    .ops
                    .iter()
                    .position(|op| matches!(op, Op::RemoveEmptyDir { .. }))
                    .unwrap_or(action.ops.len());
                action.ops.insert(
                    first_dir,
                    Op::Remove {
                        path: toml_path.clone(),
                    },
                );
            } else if existing.is_some() {
                action.notes.push(format!(
                    "`{}` was not written by aseecr and is left alone",
                    toml_path.display()
                ));
            }
        }
        return Ok(action);
    }
    match existing {
        Some(text) if text == wanted => {}
        Some(_) if !ours => action.notes.push(foreign_note),
        _ => {
            if action.outcome == Outcome::AlreadyTrusted {
                action.outcome = Outcome::Add;
            }
            action = action.op(Op::Write {
                path: toml_path,
                contents: wanted.into_bytes(),
            });
        }
    }
    Ok(action)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::{Certificate, Holds, apply, file_holds, plan};

    fn holds(path: &Path, request: &Request<'_>) -> Holds {
        file_holds(path, &request.cert.fingerprint()).unwrap()
    }

    fn cert() -> Certificate {
        let key = rcgen::KeyPair::generate().unwrap();
        let params = rcgen::CertificateParams::new(vec!["ecr.example".to_owned()]).unwrap();
        Certificate::from_der(params.self_signed(&key).unwrap().der()).unwrap()
    }

    #[test]
    fn containerd_gets_a_ca_and_a_hosts_toml_and_loses_both() {
        let root = tempfile::tempdir().unwrap();
        let env = crate::trust::tests::env_inside(root.path());
        let cert = cert();
        let add = Request {
            cert: &cert,
            registry: Some("ecr.example:31001"),
            remove: false,
        };
        let mut actions = plan(&env, &add, &[Store::Containerd]).unwrap();
        assert_eq!(actions[0].outcome, Outcome::Add);
        apply(&env, &mut actions).unwrap();
        let dir = root.path().join("etc/containerd/certs.d/ecr.example:31001");
        let toml = std::fs::read_to_string(dir.join("hosts.toml")).unwrap();
        assert!(toml.contains("server = \"https://ecr.example:31001\""));
        assert!(toml.contains("[host.\"https://ecr.example:31001\"]\n  ca = \"/etc/containerd/certs.d/ecr.example:31001/ca.crt\""));
        assert_eq!(holds(&dir.join("ca.crt"), &add), Holds::Same);
        assert_eq!(
            plan(&env, &add, &[Store::Containerd]).unwrap()[0].outcome,
            Outcome::AlreadyTrusted
        );

        let remove = Request {
            remove: true,
            ..add
        };
        let mut actions = plan(&env, &remove, &[Store::Containerd]).unwrap();
        assert_eq!(actions[0].outcome, Outcome::Remove);
        apply(&env, &mut actions).unwrap();
        assert!(!dir.exists());
    }

    #[test]
    fn a_foreign_hosts_toml_is_left_alone() {
        let root = tempfile::tempdir().unwrap();
        let env = crate::trust::tests::env_inside(root.path());
        let dir = root.path().join("etc/containerd/certs.d/ecr.example:31001");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("hosts.toml"), "server = \"https://mirror\"\n").unwrap();
        let cert = cert();
        let add = Request {
            cert: &cert,
            registry: Some("ecr.example:31001"),
            remove: false,
        };
        let mut actions = plan(&env, &add, &[Store::Containerd]).unwrap();
        assert!(
            actions[0].notes[0].contains("left alone"),
            "{:?}",
            actions[0].notes
        );
        apply(&env, &mut actions).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("hosts.toml")).unwrap(),
            "server = \"https://mirror\"\n"
        );
        let remove = Request {
            remove: true,
            ..add
        };
        let mut actions = plan(&env, &remove, &[Store::Containerd]).unwrap();
        apply(&env, &mut actions).unwrap();
        assert!(dir.join("hosts.toml").exists());
        assert!(!dir.join("ca.crt").exists());
    }

    #[test]
    fn docker_dirs_per_os() {
        let home = || PathBuf::from("/Users/me");
        assert_eq!(
            docker_dir_on(Os::Linux, "a.b:5000", home),
            Path::new("/etc/docker/certs.d/a.b:5000")
        );
        // Docker Desktop for Mac copies ~/.docker/certs.d into its VM.
        assert_eq!(
            docker_dir_on(Os::Macos, "a.b:5000", home),
            Path::new("/Users/me/.docker/certs.d/a.b:5000")
        );
        assert!(
            docker_dir_on(Os::Windows, "a.b:5000", home)
                .ends_with(Path::new("docker").join("certs.d").join("a.b5000"))
        );
        assert_eq!(
            containers_dir("a.b:5000"),
            Path::new("/etc/containers/certs.d/a.b:5000")
        );
    }
}
