//! Runs the real aseecr binary in an isolated environment (its own config dir,
//! docker config dir and HOME) and checks stdout, stderr and exit code.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The longest one run of aseecr may take in a test: far above any test's need
/// (the slowest, under wine, take seconds), far below CI's limit.
const RUN_DEADLINE: Duration = Duration::from_secs(300);

/// Everything `from` gives until end of file, as text.
fn read_all(mut from: impl std::io::Read) -> String {
    let mut bytes = Vec::new();
    let _ = from.read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// An isolated home for one test: aseecr's config dir and docker's config dir.
pub struct Home {
    dir: TempDir,
}

impl Home {
    pub fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("aseecr")).unwrap();
        std::fs::create_dir_all(dir.path().join("docker")).unwrap();
        Home { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("aseecr")
    }

    pub fn docker_dir(&self) -> PathBuf {
        self.dir.path().join("docker")
    }

    pub fn docker_config(&self) -> PathBuf {
        self.docker_dir().join("config.json")
    }

    pub fn aseecr(&self) -> Aseecr {
        Aseecr::new(self)
    }
}

impl Default for Home {
    fn default() -> Self {
        Home::new()
    }
}

pub struct Aseecr {
    command: Command,
    stdin: Option<Vec<u8>>,
    display: Vec<String>,
}

impl Aseecr {
    pub fn new(home: &Home) -> Aseecr {
        let mut command = Command::new(super::program());
        for (key, _) in std::env::vars() {
            // SUDO_USER: trust-cert adds a note under sudo (a test run by sudo
            // would see it everywhere).
            if key.starts_with("ASEECR_") || key == "DOCKER_CONFIG" || key == "SUDO_USER" {
                command.env_remove(key);
            }
        }
        command
            .env("ASEECR_CONFIG_DIR", home.config_dir())
            .env("DOCKER_CONFIG", home.docker_dir())
            .env("HOME", home.path())
            .env("ASEECR_RETRY_BASE_MS", "10")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        Aseecr {
            command,
            stdin: None,
            display: Vec::new(),
        }
    }

    pub fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> Self {
        self.display
            .push(arg.as_ref().to_string_lossy().into_owned());
        self.command.arg(arg);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        for arg in args {
            self = self.arg(arg);
        }
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    /// Run without `key` in the environment (such as the harness's `NO_COLOR`).
    pub fn env_remove(mut self, key: &str) -> Self {
        self.command.env_remove(key);
        self
    }

    /// Run on a pseudo-terminal (stdin, stdout and stderr), under `script`, and
    /// return everything it wrote there, escape sequences included (`script`,
    /// util-linux, is essential on Debian: without it the test fails).
    pub fn run_on_terminal(self) -> Output {
        let script = ["/usr/bin/script", "/bin/script"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .expect("`script` (util-linux, essential on Debian) runs aseecr on a terminal");
        let program = std::ffi::OsStr::to_string_lossy(self.command.get_program()).into_owned();
        let words: Vec<String> = std::iter::once(program)
            .chain(
                self.command
                    .get_args()
                    .map(|a| a.to_string_lossy().into_owned()),
            )
            .map(|word| format!("'{}'", word.replace('\'', "'\\''")))
            .collect();
        let mut command = Command::new(script);
        command.args(["-q", "-e", "-c", &words.join(" "), "/dev/null"]);
        for (key, value) in self.command.get_envs() {
            match value {
                Some(value) => command.env(key, value),
                None => command.env_remove(key),
            };
        }
        let output = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .expect("run aseecr under script");
        Output {
            command: self.display.join(" "),
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(input.into());
        self
    }

    pub fn run(mut self) -> Output {
        let input = self.stdin.clone();
        let output = self.run_once();
        // Under wine, a process start now and then ends with exit 1 and no output
        // at all (seen twice in full lanes, never alone); aseecr itself never
        // fails without an `error:` line. Run such a start once more, saying so.
        if crate::util::windows_target()
            && output.code == 1
            && output.stdout.is_empty()
            && output.stderr.is_empty()
        {
            eprintln!(
                "`aseecr {}` ended with exit 1 and no output under wine: running it again",
                output.command
            );
            self.stdin = input;
            return self.run_once();
        }
        output
    }

    fn run_once(&mut self) -> Output {
        if self.stdin.is_some() {
            self.command.stdin(Stdio::piped());
        }
        self.command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = self.command.spawn().expect("run aseecr");
        if let Some(input) = self.stdin.take() {
            let mut stdin = child.stdin.take().unwrap();
            // A command that fails before reading its input closes the pipe early.
            if let Err(err) = stdin.write_all(&input)
                && err.kind() != std::io::ErrorKind::BrokenPipe
            {
                panic!("cannot write to aseecr's stdin: {err}");
            }
        }
        let (stdout, stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
        let stdout = std::thread::spawn(move || read_all(stdout));
        let stderr = std::thread::spawn(move || read_all(stderr));
        // A run that hangs fails its test, with the command, instead of holding
        // up the whole suite until CI's own limit.
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > RUN_DEADLINE {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "`aseecr {}` still ran after {RUN_DEADLINE:?}: killed",
                    self.display.join(" ")
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        Output {
            command: self.display.join(" "),
            code: status.code().unwrap_or(-1),
            stdout: stdout.join().unwrap(),
            stderr: stderr.join().unwrap(),
        }
    }

    /// Start it without waiting, stdout and stderr piped (stdin as set by
    /// [`Aseecr::stdin`] is not written): for concurrent runs and for killing it.
    pub fn spawn(mut self) -> std::process::Child {
        self.command.stdout(Stdio::piped()).stderr(Stdio::piped());
        self.command.spawn().expect("run aseecr")
    }

    /// Start it on a pseudo-terminal (its stdin, stdout and stderr all the terminal,
    /// which does not echo), to type answers at its prompts as a person would.
    #[cfg(unix)]
    pub fn pty(mut self) -> Pty {
        self.command
            .stdin(Stdio::inherit())
            .stdout(Stdio::inherit())
            .stderr(Stdio::inherit());
        let session = rexpect::session::spawn_command(self.command, Some(60_000))
            .expect("run aseecr on a pseudo-terminal");
        Pty {
            session,
            command: self.display.join(" "),
        }
    }

    /// Run and require exit code 0.
    pub fn ok(self) -> Output {
        self.run().code(0)
    }
}

#[derive(Debug)]
pub struct Output {
    pub command: String,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Require this exit code.
    pub fn code(self, expected: i32) -> Output {
        assert_eq!(
            self.code, expected,
            "`aseecr {}` exited {} (expected {expected})\n--- stdout\n{}\n--- stderr\n{}",
            self.command, self.code, self.stdout, self.stderr
        );
        self
    }

    pub fn stdout_has(self, needle: &str) -> Output {
        assert!(
            self.stdout.contains(needle),
            "stdout of `aseecr {}` lacks {needle:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.command,
            self.stdout,
            self.stderr
        );
        self
    }

    pub fn stderr_has(self, needle: &str) -> Output {
        assert!(
            self.stderr.contains(needle),
            "stderr of `aseecr {}` lacks {needle:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.command,
            self.stdout,
            self.stderr
        );
        self
    }

    pub fn stderr_lacks(self, needle: &str) -> Output {
        assert!(
            !self.stderr.contains(needle) && !self.stdout.contains(needle),
            "output of `aseecr {}` contains {needle:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.command,
            self.stdout,
            self.stderr
        );
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout of `aseecr {}` is not JSON ({e}):\n{}",
                self.command, self.stdout
            )
        })
    }

    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }
}

/// aseecr on a pseudo-terminal: wait for text, type lines, then check the exit code.
#[cfg(unix)]
pub struct Pty {
    session: rexpect::session::PtySession,
    command: String,
}

#[cfg(unix)]
impl Pty {
    /// Wait for `text`; returns what came before it.
    pub fn expect(&mut self, text: &str) -> String {
        self.session
            .exp_string(text)
            .unwrap_or_else(|err| panic!("`aseecr {}` did not print {text:?}: {err}", self.command))
    }

    /// Type `line` and Enter.
    pub fn type_line(&mut self, line: &str) {
        self.session.send_line(line).expect("type on the terminal");
    }

    /// Wait for `prompt`, then answer it.
    pub fn answer(&mut self, prompt: &str, line: &str) -> String {
        let before = self.expect(prompt);
        self.type_line(line);
        before
    }

    /// Read to the end and require exit code `code`; returns the rest of the output.
    pub fn finish(mut self, code: i32) -> String {
        let rest = self
            .session
            .exp_eof()
            .unwrap_or_else(|err| panic!("`aseecr {}` did not end: {err}", self.command));
        let status = self.session.process().wait().expect("wait for aseecr");
        let exited = match status {
            rexpect::process::WaitStatus::Exited(_, exited) => Some(exited),
            _ => None,
        };
        assert_eq!(
            exited,
            Some(code),
            "`aseecr {}` ended with {status:?}, expected exit {code}\n--- output\n{rest}",
            self.command
        );
        rest
    }
}
