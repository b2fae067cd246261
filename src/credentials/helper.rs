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

/// The program name for helper `name`: `docker-credential-<name>` (`.exe` on Windows).
pub fn program_name(name: &str) -> String {
    format!("docker-credential-{name}{}", std::env::consts::EXE_SUFFIX)
}

impl Helper {
    /// Find helper `name` in `extra_dirs`, then on PATH. `source` says where the
    /// name came from (e.g. ``credsStore` in `~/.docker/config.json``) for the error.
    pub fn find(name: &str, extra_dirs: &[PathBuf], source: &str) -> Result<Helper> {
        let program = program_name(name);
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
        let found = extra_dirs
            .iter()
            .chain(&path_dirs)
            .filter(|dir| !dir.as_os_str().is_empty())
            .map(|dir| dir.join(&program))
            .find(|candidate| is_executable(candidate));
        match found {
            Some(program) => Ok(Helper {
                name: name.to_owned(),
                program,
            }),
            None => Err(Error::new(
                Kind::Failed,
                format!("cannot find the credential helper `{program}` on PATH ({source})"),
            )
            .help(format!(
                "install `{program}` and put it on PATH, or remove the helper from docker's config.json to keep credentials in that file"
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
        tracing::debug!("running `{} {action}`", self.program.display());
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
                        self.program.display()
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
            self.program.display()
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
        let name = program_name("pass");
        assert!(name.starts_with("docker-credential-pass"));
        assert_eq!(cfg!(windows), name.ends_with(".exe"));
        let err = Helper::find("../evil", &[], "`credsStore`").unwrap_err();
        assert!(err.to_string().contains("invalid credential helper name"));
    }
}
