//! Whole-output snapshots: a run's exit code, stdout and stderr, with what varies
//! between runs masked, compared with a plain text file under tests/snapshots/.
//!
//! `ASEECR_BLESS=1` writes the files instead of comparing (see tests/snapshots.rs).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::cmd::Output;

/// The folder of expected outputs.
pub fn snapshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

/// Whether this run writes the expected files instead of comparing with them.
pub fn blessing() -> bool {
    std::env::var_os("ASEECR_BLESS").is_some_and(|value| value == "1")
}

/// A `sha256:` digest, in full (64 hex digits) or shortened to 12 as tables print it.
static DIGEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"sha256:([0-9a-f]{12})([0-9a-f]{52})?\b").expect("digest pattern")
});
/// A port of the loopback address, where the harness's servers listen: as an
/// address (`127.0.0.1:PORT`) or in a file name (`127.0.0.1_PORT.crt`).
static LOOPBACK_PORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(127\.0\.0\.1|localhost)([:_])\d{2,5}\b").expect("port pattern")
});
/// A temp folder made by `tempfile` (`.tmpXXXXXX`), as a Linux path or as wine
/// shows it (`Z:\tmp\...`), with the rest of the path after it.
static TEMP_PATH: LazyLock<Regex> = LazyLock::new(|| {
    let temp = std::env::temp_dir().display().to_string();
    let temp = regex::escape(temp.trim_end_matches('/'));
    Regex::new(&format!(
        r"(?:{temp}|(?:[A-Za-z]:)?[/\\]tmp)[/\\]\.tmp[A-Za-z0-9]{{6}}((?:[/\\][\w.@-]+)*)"
    ))
    .expect("temp path pattern")
});
/// A duration as aseecr prints one: `12ms`, `1.2s`, `3m 4s`, `1h 2m 3s`.
static DURATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:\d+h ?)?(?:\d+m ?)?\d+(?:\.\d+)?(?:ms|µs|s)\b").expect("duration pattern")
});
/// A transfer rate: `12.3 MiB/s`, `512 B/s`.
static RATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d+(?:\.\d+)? ?(?:[KMGT]i?)?B/s\b").expect("rate pattern"));
/// An RFC 3339 time of day with a date, such as a JSON `time` or a log line's.
static TIMESTAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})")
        .expect("timestamp pattern")
});
/// A certificate fingerprint: 32 bytes as colon-separated hex pairs (the test
/// certificates are generated anew in every run).
static FINGERPRINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}\b").expect("fingerprint pattern")
});
/// The operating system's words for an I/O error, which differ between Linux and
/// Windows (`No such file or directory (os error 2)`, `The system cannot find the
/// file specified. (os error 2)`); the code is kept.
static OS_ERROR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Z][A-Za-z ,']*\.? \(os error (\d+)\)").expect("os error pattern")
});

/// Whether a JSON key holds a run time (`seconds`, `durationMs`, `elapsed`), whose
/// value is masked as `"[DURATION]"`.
fn is_duration_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    matches!(key, "seconds" | "ms")
        || key.ends_with("Seconds")
        || key.ends_with("Ms")
        || lower.contains("duration")
        || lower.contains("elapsed")
}

/// `value` with every run time (see [`is_duration_key`]) replaced by `"[DURATION]"`.
fn mask_durations(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if is_duration_key(key) && value.is_number() {
                    *value = serde_json::Value::from("[DURATION]");
                } else {
                    mask_durations(value);
                }
            }
        }
        serde_json::Value::Array(values) => values.iter_mut().for_each(mask_durations),
        _ => {}
    }
}

/// What varies between runs, and the stable words it is replaced by.
///
/// Always masked: full digests (numbered in order of first appearance, so the same
/// digest keeps one name within an output), loopback ports, `tempfile` folders,
/// durations and rates, the version, and the program's `.exe` name. Each test
/// adds the exact texts it knows vary (a registry's address) with [`Masks::name`];
/// times that are not fixed by the test images (`now`) with [`Masks::timestamps`].
#[derive(Debug, Clone, Default)]
pub struct Masks {
    literals: Vec<(String, String)>,
    timestamps: bool,
}

impl Masks {
    pub fn new() -> Masks {
        Masks::default()
    }

    /// Replace `text` with `[name]`, before every other mask but temp paths (a
    /// registry's `127.0.0.1:PORT` as `[DST]`, so two registries stay apart).
    pub fn name(self, text: impl Into<String>, name: &str) -> Masks {
        self.replace(text, format!("[{name}]"))
    }

    /// Replace `text` with `with`, as [`Masks::name`] does.
    pub fn replace(mut self, text: impl Into<String>, with: impl Into<String>) -> Masks {
        self.literals.push((text.into(), with.into()));
        self
    }

    /// Also mask RFC 3339 timestamps (for outputs that print the current time).
    pub fn timestamps(mut self) -> Masks {
        self.timestamps = true;
        self
    }

    /// `text` with everything that varies replaced.
    pub fn apply(&self, text: &str) -> String {
        let text = text.replace("\r\n", "\n");
        // Temp paths first, so their separators are `/` before any name is matched.
        let mut text = TEMP_PATH
            .replace_all(&text, |caps: &Captures| {
                format!("[TMP]{}", caps[1].replace('\\', "/"))
            })
            .into_owned();
        // Longest first, so an address is not cut by a shorter one it contains.
        let mut literals = self.literals.clone();
        literals.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
        for (from, to) in &literals {
            text = text.replace(from.as_str(), to);
        }
        let version = env!("CARGO_PKG_VERSION");
        for (from, to) in [
            ("aseecr.exe".to_owned(), "aseecr"),
            (format!("aseecr {version}"), "aseecr [VERSION]"),
            (format!("aseecr/{version}"), "aseecr/[VERSION]"),
            (format!("\"{version}\""), "\"[VERSION]\""),
        ] {
            text = text.replace(&from, to);
        }
        // Digests by the order they first appear in; a shortened one shares the
        // number of the full one it starts.
        let mut prefixes: Vec<String> = Vec::new();
        let text = DIGEST.replace_all(&text, |caps: &Captures| {
            let prefix = caps[1].to_owned();
            let number = match prefixes.iter().position(|p| *p == prefix) {
                Some(index) => index + 1,
                None => {
                    prefixes.push(prefix);
                    prefixes.len()
                }
            };
            if caps.get(2).is_some() {
                format!("sha256:[DIGEST-{number}]")
            } else {
                format!("sha256:[SHORT-{number}]")
            }
        });
        let text = LOOPBACK_PORT.replace_all(&text, "$1$2[PORT]");
        let text = FINGERPRINT.replace_all(&text, "[FINGERPRINT]");
        let text = OS_ERROR.replace_all(&text, "[os error $1]");
        let text = RATE.replace_all(&text, "[RATE]");
        let text = DURATION.replace_all(&text, "[DURATION]");
        if self.timestamps {
            TIMESTAMP.replace_all(&text, "[TIME]").into_owned()
        } else {
            text.into_owned()
        }
    }
}

/// How a run looked: the command line, exit code, stdout and stderr, masked.
pub fn render(output: &Output, masks: &Masks) -> String {
    render_with_stdout(output, &output.stdout, masks)
}

/// As [`render`], with stdout parsed as exactly one JSON value and printed with
/// sorted keys (so the order fields are written in does not matter).
pub fn render_json(output: &Output, masks: &Masks) -> String {
    let mut stream =
        serde_json::Deserializer::from_str(&output.stdout).into_iter::<serde_json::Value>();
    let mut value = match stream.next() {
        Some(Ok(value)) => value,
        Some(Err(err)) => panic!(
            "stdout of `aseecr {}` is not JSON ({err}):\n{}",
            output.command, output.stdout
        ),
        None => panic!(
            "`aseecr {}` printed no JSON\n--- stderr\n{}",
            output.command, output.stderr
        ),
    };
    assert!(
        stream.next().is_none(),
        "`aseecr {}` printed more than one JSON value:\n{}",
        output.command,
        output.stdout
    );
    value.sort_all_objects();
    mask_durations(&mut value);
    let pretty = serde_json::to_string_pretty(&value).expect("JSON prints") + "\n";
    render_with_stdout(output, &pretty, masks)
}

fn render_with_stdout(output: &Output, stdout: &str, masks: &Masks) -> String {
    let mut text = String::new();
    writeln!(
        text,
        "{}",
        format!("$ aseecr {}", output.command).trim_end()
    )
    .unwrap();
    writeln!(text, "exit code: {}", output.code).unwrap();
    for (name, stream) in [("stdout", stdout), ("stderr", output.stderr.as_str())] {
        writeln!(text, "--- {name}").unwrap();
        text.push_str(stream);
        if !stream.is_empty() && !stream.ends_with('\n') {
            text.push_str("\n[no newline at the end]\n");
        }
    }
    masks.apply(&text)
}

/// The expected text of tests/snapshots/`name` (line ends as `\n`).
pub fn read_snapshot(name: &str) -> String {
    let path = snapshot_dir().join(name);
    match std::fs::read_to_string(&path) {
        Ok(expected) => expected.replace("\r\n", "\n"),
        Err(err) => panic!(
            "no snapshot {} ({err}); write it with \
             `ASEECR_BLESS=1 cargo test --test integration snapshots::` and review it",
            path.display()
        ),
    }
}

/// Compare `actual` with tests/snapshots/`name`, or write it there when blessing.
pub fn assert_snapshot(name: &str, actual: &str) {
    let path = snapshot_dir().join(name);
    if blessing() {
        assert!(
            !super::windows_target(),
            "bless with the Linux build: the expected files are its outputs"
        );
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let unchanged = std::fs::read_to_string(&path).is_ok_and(|old| old == actual);
        if !unchanged {
            std::fs::write(&path, actual).unwrap();
            eprintln!("blessed {}", path.display());
        }
        return;
    }
    if !path.exists() {
        panic!(
            "no snapshot {}; write it with \
             `ASEECR_BLESS=1 cargo test --test integration snapshots::` and review it\n\
             --- actual\n{actual}",
            path.display()
        );
    }
    let expected = read_snapshot(name);
    if expected != actual {
        panic!(
            "output differs from {} (- expected, + actual); if the change is intended, \
             bless it with `ASEECR_BLESS=1 cargo test --test integration snapshots::` \
             and review the diff\n{}",
            path.display(),
            diff(&expected, actual)
        );
    }
}

/// A line diff of `expected` and `actual`: changed lines with two lines of
/// context, `-` for expected, `+` for actual.
pub fn diff(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.lines().collect();
    let new: Vec<&str> = actual.lines().collect();
    // Longest common subsequence, from the end: lcs[i][j] for old[i..], new[j..].
    let mut lcs = vec![vec![0usize; new.len() + 1]; old.len() + 1];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            lcs[i][j] = if old[i] == new[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut lines: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        if i < old.len() && j < new.len() && old[i] == new[j] {
            lines.push((' ', old[i]));
            i += 1;
            j += 1;
        } else if i < old.len() && (j == new.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            lines.push(('-', old[i]));
            i += 1;
        } else {
            lines.push(('+', new[j]));
            j += 1;
        }
    }
    const CONTEXT: usize = 2;
    let changed: Vec<usize> = (0..lines.len()).filter(|&k| lines[k].0 != ' ').collect();
    let mut out = String::new();
    let mut last_shown: Option<usize> = None;
    for (k, (sign, line)) in lines.iter().enumerate() {
        let near = changed
            .iter()
            .any(|&c| k + CONTEXT >= c && k <= c + CONTEXT);
        if !near {
            continue;
        }
        if last_shown.is_some_and(|last| k > last + 1) {
            out.push_str("@@\n");
        }
        writeln!(out, "{sign} {line}").unwrap();
        last_shown = Some(k);
    }
    if out.is_empty() {
        // Same lines, different line ends (a final newline).
        out.push_str("(the texts differ only in their final newline)\n");
    }
    out
}
