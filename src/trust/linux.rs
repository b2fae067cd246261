//! The Linux OS trust store: the distribution family (from `/etc/os-release`),
//! its anchors folder, and the command that rebuilds the system bundle.

use std::path::Path;

use anyhow::Result;

use super::{Action, Environment, Holds, Op, Outcome, Request, Store, file_holds};
use crate::error::Error;
use crate::fsutil;

/// How a family of distributions keeps extra trust anchors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Debian, Ubuntu, Alpine and their derivatives.
    Debian,
    /// Fedora, RHEL, CentOS, Rocky, Alma, Amazon Linux, Azure Linux.
    Fedora,
    /// Arch and derivatives (p11-kit).
    Arch,
    /// openSUSE and SLES.
    Suse,
}

impl Family {
    /// The folder extra anchors go in.
    pub fn anchors(self) -> &'static str {
        match self {
            Family::Debian => "/usr/local/share/ca-certificates",
            Family::Fedora => "/etc/pki/ca-trust/source/anchors",
            Family::Arch => "/etc/ca-certificates/trust-source/anchors",
            Family::Suse => "/etc/pki/trust/anchors",
        }
    }

    /// The command that rebuilds the system bundle after an anchor was removed.
    /// Debian's `update-ca-certificates` only tells `/etc/ssl/certs` and its
    /// hooks about changes it can see: a deleted local anchor leaves its links
    /// dangling and is never reported as removed. `--fresh` clears every link
    /// and rebuilds them from the anchors that are left. The other families
    /// rebuild their outputs in full on every run.
    pub fn remove_command(self) -> Vec<String> {
        let mut argv = self.refresh_command();
        if self == Family::Debian {
            argv.push("--fresh".to_owned());
        }
        argv
    }

    /// The command that rebuilds the system bundle from the anchors.
    pub fn refresh_command(self) -> Vec<String> {
        let argv: &[&str] = match self {
            Family::Debian | Family::Suse => &["update-ca-certificates"],
            Family::Fedora => &["update-ca-trust", "extract"],
            Family::Arch => &["trust", "extract-compat"],
        };
        argv.iter().map(|s| (*s).to_owned()).collect()
    }

    fn from_id(id: &str) -> Option<Family> {
        Some(match id {
            "debian" | "ubuntu" | "alpine" | "linuxmint" | "raspbian" | "pop" | "kali" => {
                Family::Debian
            }
            "fedora" | "rhel" | "centos" | "rocky" | "almalinux" | "ol" | "amzn" | "mariner"
            | "azurelinux" => Family::Fedora,
            "arch" | "manjaro" | "endeavouros" => Family::Arch,
            "suse" | "opensuse" | "opensuse-leap" | "opensuse-tumbleweed" | "sles" | "sled" => {
                Family::Suse
            }
            _ => return None,
        })
    }
}

/// The family named by os-release text: `ID` first, then each `ID_LIKE` entry.
pub fn detect(os_release: &str) -> Option<Family> {
    let value = |key: &str| {
        os_release.lines().find_map(|line| {
            let (k, v) = line.trim().split_once('=')?;
            (k == key).then(|| v.trim().trim_matches(['"', '\'']).to_ascii_lowercase())
        })
    };
    let mut ids: Vec<String> = value("ID").into_iter().collect();
    if let Some(like) = value("ID_LIKE") {
        ids.extend(like.split_whitespace().map(str::to_owned));
    }
    ids.iter().find_map(|id| Family::from_id(id))
}

/// The family of the system at the environment's root.
pub fn detect_in(env: &Environment) -> Result<Family> {
    let mut id = None;
    for candidate in ["/etc/os-release", "/usr/lib/os-release"] {
        let bytes = fsutil::read_path(&env.system_path(candidate), fsutil::OS_RELEASE_MAX);
        if let Ok(text) = bytes.map(|b| String::from_utf8_lossy(&b).into_owned()) {
            if let Some(family) = detect(&text) {
                return Ok(family);
            }
            id = text.lines().find_map(|l| {
                l.strip_prefix("ID=")
                    .map(|v| v.trim_matches('"').to_owned())
            });
            break;
        }
    }
    let what = match id {
        Some(id) => format!("`ID={id}` in os-release"),
        None => "no os-release file".to_owned(),
    };
    Err(Error::usage(format!(
        "cannot tell where this system keeps trusted certificates ({what})"
    ))
    .help("leave the OS store out: `--store docker,containers,containerd,aseecr`, and add the certificate to the OS store by hand")
    .into())
}

/// Plan the OS store: an `aseecr-REGISTRY.crt` file in the anchors folder, then
/// the refresh command. Removal deletes only aseecr's files holding this certificate.
pub fn plan(env: &Environment, request: &Request<'_>) -> Result<Action> {
    let family = match detect_in(env) {
        Ok(family) => family,
        // aseecr adds to no OS store it cannot tell, so there is nothing of its
        // own to remove there: `--remove` (every store) goes on with the others.
        Err(_) if request.remove => {
            return Ok(Action::new(
                Store::Os,
                Outcome::NotTrusted,
                "the OS store (a system aseecr does not know)",
            ));
        }
        Err(err) => return Err(err),
    };
    let anchors = env.system_path(family.anchors());
    let fingerprint = request.cert.fingerprint();
    let ours = anchors.join(format!("aseecr-{}.crt", super::file_stem(request)));
    let matching = matching_files(&anchors, &fingerprint)?;
    let refresh = Op::Run {
        argv: if request.remove {
            family.remove_command()
        } else {
            family.refresh_command()
        },
        cert_file: None,
        stdin: None,
    };
    if request.remove {
        if matching.is_empty() {
            let outcome = if file_holds(&ours, &fingerprint)? == Holds::Missing {
                Outcome::NotTrusted
            } else {
                Outcome::KeptOther
            };
            return Ok(Action::new(Store::Os, outcome, ours.display().to_string()));
        }
        let target = matching
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let mut action = Action::new(Store::Os, Outcome::Remove, target);
        let links: Vec<String> = matching.iter().map(|p| debian_link(p)).collect();
        for path in matching {
            action = action.op(Op::Remove { path });
        }
        action = action.op(refresh);
        if family == Family::Debian {
            action = tell_hooks(env, action, &links)?;
        }
        return Ok(action);
    }
    if let Some(existing) = matching.first() {
        return Ok(Action::new(
            Store::Os,
            Outcome::AlreadyTrusted,
            existing.display().to_string(),
        ));
    }
    let outcome = if ours.exists() {
        Outcome::Replace
    } else {
        Outcome::Add
    };
    Ok(Action::new(Store::Os, outcome, ours.display().to_string())
        .op(Op::Write {
            path: ours,
            contents: request.cert.pem().into_bytes(),
        })
        .op(refresh))
}

/// Debian's hooks (`/etc/ca-certificates/update.d`, such as the Java keystore's).
const DEBIAN_HOOKS: &str = "/etc/ca-certificates/update.d";
/// Where Debian links each anchor.
const DEBIAN_CERTS: &str = "/etc/ssl/certs";

/// The link `update-ca-certificates` makes for the anchor `crt`: its name without
/// `.crt`, spaces and commas as `_`, parentheses as `=`, then `.pem`.
fn debian_link(crt: &Path) -> String {
    let stem = crt
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem: String = stem
        .chars()
        .map(|c| match c {
            ' ' | ',' => '_',
            '(' | ')' => '=',
            c => c,
        })
        .collect();
    format!("{DEBIAN_CERTS}/{stem}.pem")
}

/// `update-ca-certificates --fresh` tells its hooks only what it adds, never
/// that a local anchor went: the Java keystore (ca-certificates-java's hook)
/// would go on trusting it. So each hook is run once more, as
/// `update-ca-certificates` runs it, with `-LINK` for each removed anchor.
fn tell_hooks(env: &Environment, mut action: Action, links: &[String]) -> Result<Action> {
    let dir = env.system_path(DEBIAN_HOOKS);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(action),
        Err(err) => return Err(super::io_error(err, "read", &dir)),
    };
    // run-parts' rules: executable files named with letters, digits, `_` and
    // `-`, in order.
    let mut hooks: Vec<String> = entries
        .flatten()
        .filter(|e| executable(&e.path()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
        .collect();
    hooks.sort();
    let stdin: String = links.iter().map(|link| format!("-{link}\n")).collect();
    for hook in hooks {
        action = action.op(Op::Run {
            argv: vec![format!("{DEBIAN_HOOKS}/{hook}")],
            cert_file: None,
            stdin: Some(stdin.clone().into_bytes()),
        });
    }
    Ok(action)
}

#[cfg(unix)]
fn executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn executable(path: &Path) -> bool {
    path.is_file()
}

/// aseecr's files (`aseecr-*.crt`) in `dir` that hold exactly this certificate.
fn matching_files(dir: &Path, fingerprint: &super::Fingerprint) -> Result<Vec<std::path::PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(super::io_error(err, "read", dir)),
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("aseecr-")
            && name.ends_with(".crt")
            && file_holds(&entry.path(), fingerprint)? == Holds::Same
        {
            found.push(entry.path());
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_from_os_release() {
        let cases = [
            ("ID=debian\nVERSION_ID=\"12\"\n", Family::Debian),
            (
                "NAME=\"Ubuntu\"\nID=ubuntu\nID_LIKE=debian\n",
                Family::Debian,
            ),
            ("ID=alpine\n", Family::Debian),
            ("ID=\"rhel\"\nID_LIKE=\"fedora\"\n", Family::Fedora),
            (
                "ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n",
                Family::Fedora,
            ),
            ("ID=fedora\n", Family::Fedora),
            ("ID=arch\n", Family::Arch),
            (
                "ID=\"opensuse-leap\"\nID_LIKE=\"suse opensuse\"\n",
                Family::Suse,
            ),
            ("ID=\"sles\"\n", Family::Suse),
            (
                "ID=somethingnew\nID_LIKE=\"ubuntu debian\"\n",
                Family::Debian,
            ),
        ];
        for (text, family) in cases {
            assert_eq!(detect(text), Some(family), "{text}");
        }
        assert_eq!(detect("ID=nixos\n"), None);
        assert_eq!(detect(""), None);
        assert_eq!(
            Family::Fedora.refresh_command(),
            ["update-ca-trust", "extract"]
        );
        assert_eq!(Family::Arch.refresh_command(), ["trust", "extract-compat"]);
        assert_eq!(
            Family::Debian.remove_command(),
            ["update-ca-certificates", "--fresh"]
        );
        assert_eq!(
            Family::Fedora.remove_command(),
            ["update-ca-trust", "extract"]
        );
        assert_eq!(Family::Suse.anchors(), "/etc/pki/trust/anchors");
    }

    #[test]
    fn detection_reads_the_test_root() {
        let root = tempfile::tempdir().unwrap();
        let env = crate::trust::tests::env_inside(root.path());
        let err = detect_in(&env).unwrap_err();
        assert!(err.to_string().contains("no os-release"), "{err}");
        std::fs::create_dir_all(root.path().join("usr/lib")).unwrap();
        std::fs::write(root.path().join("usr/lib/os-release"), "ID=arch\n").unwrap();
        assert_eq!(detect_in(&env).unwrap(), Family::Arch);
        std::fs::create_dir_all(root.path().join("etc")).unwrap();
        std::fs::write(root.path().join("etc/os-release"), "ID=nixos\n").unwrap();
        let err = detect_in(&env).unwrap_err();
        assert!(err.to_string().contains("`ID=nixos`"), "{err}");
        std::fs::write(root.path().join("etc/os-release"), "ID=\"almalinux\"\n").unwrap();
        assert_eq!(detect_in(&env).unwrap(), Family::Fedora);
    }
}
