//! The docker credential-helper protocol (docker/docker-credential-helpers): run
//! `docker-credential-<name> <action>` with the request on stdin and read the answer
//! on stdout. Secrets go only through the pipes, never on argv, and a helper's output
//! is never shown unless it is a plain one-line message without the secret.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use anyhow::Result;
use serde::{Deserialize, Serialize};

use super::Credentials;
use crate::error::{Error, Kind};
use crate::fsutil::ShowPath;
use crate::secret::SecretString;

/// What every helper answers when it holds nothing for a server.
pub const NOT_FOUND_MESSAGE: &str = "credentials not found in native keychain";

/// The longest helper message shown to the user.
const MESSAGE_MAX: usize = 300;

/// A credential helper found on disk.
#[derive(Debug, Clone)]
pub struct Helper {
    name: String,
    program: PathBuf,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct StoreRequest<'a> {
    #[serde(rename = "ServerURL")]
    server_url: &'a str,
    username: &'a str,
    secret: &'a str,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetResponse {
    #[serde(default)]
    username: String,
    #[serde(default)]
    secret: String,
}

/// The program name for helper `name`: `docker-credential-<name>`, without the
/// extension Windows finds it with (see [`file_names`]).
pub fn program_name(name: &str) -> String {
    format!("docker-credential-{name}")
}

/// The extensions Windows tries for a program named without one, in order: PATHEXT
/// (lowercased, each with its dot), or `.com;.exe;.bat;.cmd` when it is unset or empty.
fn windows_extensions(pathext: Option<&str>) -> Vec<String> {
    let exts: Vec<String> = pathext
        .unwrap_or_default()
        .split(';')
        .filter(|ext| !ext.is_empty())
        .map(|ext| {
            let ext = ext.to_ascii_lowercase();
            if ext.starts_with('.') {
                ext
            } else {
                format!(".{ext}")
            }
        })
        .collect();
    if exts.is_empty() {
        [".com", ".exe", ".bat", ".cmd"].map(str::to_owned).to_vec()
    } else {
        exts
    }
}

/// The file names to try in each folder for program `base`, in order, as docker finds
/// its helpers: docker runs `docker-credential-<name>` through Go's `exec.Command`,
/// whose `LookPath` on Windows tries, in every PATH folder, the name itself when it
/// already has an extension, then the name plus each PATHEXT extension (so a
/// `.cmd` or `.bat` helper works). Elsewhere the name is the file name.
fn file_names(base: &str, windows: bool, pathext: Option<&str>) -> Vec<String> {
    if !windows {
        return vec![base.to_owned()];
    }
    let has_extension = base.contains('.');
    has_extension
        .then(|| base.to_owned())
        .into_iter()
        .chain(
            windows_extensions(pathext)
                .into_iter()
                .map(|ext| format!("{base}{ext}")),
        )
        .collect()
}

impl Helper {
    /// Find helper `name` in `extra_dirs`, then on PATH. `source` says where the
    /// name came from (e.g. ``credsStore` in `~/.docker/config.json``) for the error.
    pub fn find(name: &str, extra_dirs: &[PathBuf], source: &str) -> Result<Helper> {
        if name.is_empty() || name.contains(['/', '\\']) || name.contains("..") {
            return Err(Error::new(
                Kind::Failed,
                format!("invalid credential helper name `{name}` ({source})"),
            )
            .help("a helper is named by the part after `docker-credential-`, e.g. `pass`")
            .into());
        }
        let path_dirs = std::env::var_os("PATH")
            .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
            .unwrap_or_default();
        let pathext = std::env::var("PATHEXT").ok();
        let names = file_names(&program_name(name), cfg!(windows), pathext.as_deref());
        let found = extra_dirs
            .iter()
            .chain(&path_dirs)
            .filter(|dir| !dir.as_os_str().is_empty())
            .flat_map(|dir| names.iter().map(move |file| dir.join(file)))
            .find(|candidate| is_executable(candidate));
        match found {
            Some(program) => Ok(Helper {
                name: name.to_owned(),
                program,
            }),
            None => Err(Error::new(
                Kind::Failed,
                format!(
                    "cannot find the credential helper `{}` on PATH ({source})",
                    program_name(name)
                ),
            )
            .help(format!(
                "install {} and put it on PATH, or remove the helper from docker's config.json to keep credentials in that file",
                // What Windows looks for, as docker does.
                if cfg!(windows) {
                    format!("`{}.exe` (or .cmd, .bat: any PATHEXT extension)", program_name(name))
                } else {
                    format!("`{}`", program_name(name))
                }
            ))
            .into()),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// `get`: the credentials for `server_url`, or None when the helper has none.
    pub fn get(&self, server_url: &str) -> Result<Option<Credentials>> {
        let output = self.run("get", server_url.as_bytes())?;
        if !output.status.success() {
            if is_not_found(&output) {
                return Ok(None);
            }
            return Err(self.failure("get", server_url, &output, None));
        }
        let response: GetResponse = serde_json::from_slice(&output.stdout).map_err(|_| {
            Error::new(
                Kind::Failed,
                format!(
                    "credential helper `{}` gave an unreadable answer to `get` for `{server_url}`",
                    self.name
                ),
            )
        })?;
        if response.username.is_empty() && response.secret.is_empty() {
            return Ok(None);
        }
        Ok(Some(Credentials {
            username: response.username,
            password: SecretString::new(response.secret),
        }))
    }

    /// `store`: save `credentials` for `server_url`.
    pub fn store(&self, server_url: &str, credentials: &Credentials) -> Result<()> {
        let request = serde_json::to_vec(&StoreRequest {
            server_url,
            username: &credentials.username,
            secret: credentials.password.expose(),
        })?;
        let output = self.run("store", &request)?;
        if output.status.success() {
            Ok(())
        } else {
            Err(self.failure(
                "store",
                server_url,
                &output,
                Some(credentials.password.expose()),
            ))
        }
    }

    /// `erase`: remove the credentials for `server_url`. Returns false when the helper
    /// said it had none.
    pub fn erase(&self, server_url: &str) -> Result<bool> {
        let output = self.run("erase", server_url.as_bytes())?;
        if output.status.success() {
            Ok(true)
        } else if is_not_found(&output) {
            Ok(false)
        } else {
            Err(self.failure("erase", server_url, &output, None))
        }
    }

    /// Run the helper with `action` as its only argument and `input` on stdin.
    fn run(&self, action: &str, input: &[u8]) -> Result<Output> {
        tracing::debug!("running `{} {action}`", self.program.shown());
        let mut child = Command::new(&self.program)
            .arg(action)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|err| {
                Error::new(
                    Kind::Failed,
                    format!(
                        "cannot run credential helper `{}`: {err}",
                        self.program.shown()
                    ),
                )
            })?;
        if let Some(mut stdin) = child.stdin.take() {
            // A helper that exits without reading its input is judged by its answer.
            if let Err(err) = stdin.write_all(input)
                && err.kind() != std::io::ErrorKind::BrokenPipe
            {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Error::new(
                    Kind::Failed,
                    format!("cannot write to credential helper `{}`: {err}", self.name),
                )
                .into());
            }
        }
        child.wait_with_output().map_err(|err| {
            Error::new(
                Kind::Failed,
                format!("credential helper `{}` failed: {err}", self.name),
            )
            .into()
        })
    }

    /// The error for a failed action, with the helper's message when it is safe to show.
    fn failure(
        &self,
        action: &str,
        server_url: &str,
        output: &Output,
        secret: Option<&str>,
    ) -> anyhow::Error {
        let target = if server_url.is_empty() {
            String::new()
        } else {
            format!(" for `{server_url}`")
        };
        let status = match output.status.code() {
            Some(code) => format!("exit code {code}"),
            None => "killed by a signal".to_owned(),
        };
        let message = match safe_message(output, secret) {
            Some(message) => format!(": {message}"),
            None => String::new(),
        };
        Error::new(
            Kind::Failed,
            format!(
                "credential helper `{}` failed to {action} credentials{target} ({status}){message}",
                self.name
            ),
        )
        .help(format!(
            "check that `{}` works, e.g. run `{} list`",
            program_name(&self.name),
            self.program.shown()
        ))
        .into()
    }
}

fn is_not_found(output: &Output) -> bool {
    String::from_utf8_lossy(&output.stdout).trim() == NOT_FOUND_MESSAGE
}

/// The helper's message (stdout, else stderr) when it is one short line that cannot
/// hold a secret: not JSON, not the secret that was sent.
fn safe_message(output: &Output, secret: Option<&str>) -> Option<String> {
    [&output.stdout, &output.stderr]
        .into_iter()
        .find_map(|bytes| {
            let text = std::str::from_utf8(bytes).ok()?.trim();
            let ok = !text.is_empty()
                && text.len() <= MESSAGE_MAX
                && !text.contains(['\n', '\r', '{', '}'])
                && !text.chars().any(char::is_control)
                && !text.contains("Secret")
                && secret.is_none_or(|secret| secret.is_empty() || !text.contains(secret));
            ok.then(|| text.to_owned())
        })
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn output(code: i32, stdout: &str, stderr: &str) -> Output {
        use std::os::unix::process::ExitStatusExt;
        Output {
            status: std::process::ExitStatus::from_raw(code << 8),
            stdout: stdout.as_bytes().to_vec(),
            stderr: stderr.as_bytes().to_vec(),
        }
    }

    #[cfg(unix)]
    #[test]
    fn only_safe_messages_are_shown() {
        let shown = |out: &Output, secret| safe_message(out, secret);
        assert_eq!(
            shown(
                &output(1, "exit status 2: gpg: decryption failed\n", ""),
                None
            )
            .as_deref(),
            Some("exit status 2: gpg: decryption failed")
        );
        assert_eq!(
            shown(&output(1, "", "no keyring"), None).as_deref(),
            Some("no keyring")
        );
        assert_eq!(
            shown(&output(1, "bad hunter2 here", ""), Some("hunter2")),
            None
        );
        assert_eq!(
            shown(&output(1, r#"{"Username":"u","Secret":"s"}"#, ""), None),
            None
        );
        assert_eq!(shown(&output(1, "line one\nline two", ""), None), None);
        assert_eq!(shown(&output(1, &"x".repeat(400), ""), None), None);
        assert!(is_not_found(&output(
            1,
            "credentials not found in native keychain\n",
            ""
        )));
    }

    #[test]
    fn program_names() {
        assert_eq!(program_name("pass"), "docker-credential-pass");
        let err = Helper::find("../evil", &[], "`credsStore`").unwrap_err();
        assert!(err.to_string().contains("invalid credential helper name"));
    }

    #[test]
    fn windows_lookup_follows_pathext_like_docker() {
        // Go's default when PATHEXT is unset: .com, .exe, .bat, .cmd, in that order.
        assert_eq!(
            file_names("docker-credential-desktop", true, None),
            [
                "docker-credential-desktop.com",
                "docker-credential-desktop.exe",
                "docker-credential-desktop.bat",
                "docker-credential-desktop.cmd"
            ]
        );
        assert_eq!(
            file_names("docker-credential-desktop", true, Some("")),
            file_names("docker-credential-desktop", true, None)
        );
        // PATHEXT's order, lowercased, dots added, empty entries skipped.
        assert_eq!(
            file_names("docker-credential-x", true, Some(".CMD;;EXE;.Ps1")),
            [
                "docker-credential-x.cmd",
                "docker-credential-x.exe",
                "docker-credential-x.ps1"
            ]
        );
        // A name that already has an extension is tried as it is first.
        assert_eq!(
            file_names("docker-credential-acr.v2", true, Some(".EXE")),
            ["docker-credential-acr.v2", "docker-credential-acr.v2.exe"]
        );
        // Elsewhere the name is the file.
        assert_eq!(
            file_names("docker-credential-pass", false, Some(".EXE")),
            ["docker-credential-pass"]
        );
    }

    #[test]
    fn folders_come_before_extensions() {
        // Every extension in the first folder, then the next folder: a .cmd early on
        // PATH wins over an .exe later, as with docker.
        let early = tempfile::tempdir().unwrap();
        let late = tempfile::tempdir().unwrap();
        let base = "docker-credential-aseecrtestorder";
        let (early_name, late_name) = if cfg!(windows) {
            (format!("{base}.cmd"), format!("{base}.exe"))
        } else {
            (base.to_owned(), base.to_owned())
        };
        for (dir, file) in [(&early, &early_name), (&late, &late_name)] {
            let path = dir.path().join(file);
            std::fs::write(&path, "").unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
            }
        }
        let helper = Helper::find(
            "aseecrtestorder",
            &[early.path().to_owned(), late.path().to_owned()],
            "test",
        )
        .unwrap();
        assert_eq!(helper.program, early.path().join(early_name));
    }
}
