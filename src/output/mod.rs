//! Everything the program writes: data on stdout, everything else on stderr.

pub mod json;
pub mod progress;
pub mod prompt;

use std::io::{self, IsTerminal, Write};

use serde::Serialize;

/// The one writer of user-visible output, built from -q / -v / --no-progress.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    quiet: bool,
    verbose: u8,
    progress: bool,
}

impl Printer {
    pub fn new(quiet: bool, verbose: u8, no_progress: bool) -> Self {
        Printer {
            quiet,
            verbose,
            progress: !quiet && !no_progress && io::stderr().is_terminal(),
        }
    }

    /// Write one line of data to stdout.
    pub fn data(&self, line: impl AsRef<str>) -> io::Result<()> {
        let mut out = io::stdout().lock();
        out.write_all(line.as_ref().as_bytes())?;
        out.write_all(b"\n")?;
        out.flush()
    }

    /// Write raw bytes to stdout, unchanged.
    pub fn raw(&self, bytes: &[u8]) -> io::Result<()> {
        let mut out = io::stdout().lock();
        out.write_all(bytes)?;
        out.flush()
    }

    /// Write a value as one pretty-printed JSON object to stdout.
    pub fn json<T: Serialize>(&self, value: &T) -> io::Result<()> {
        let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
        self.data(text)
    }

    /// A human status line on stderr, hidden by -q.
    pub fn status(&self, line: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", line.as_ref());
        }
    }

    /// A `warning:` line on stderr, hidden by -q.
    pub fn warn(&self, line: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("warning: {}", line.as_ref());
        }
    }

    /// Detail shown with -v.
    pub fn detail(&self, line: impl AsRef<str>) {
        if self.verbose > 0 {
            eprintln!("{}", line.as_ref());
        }
    }

    pub fn verbose(&self) -> u8 {
        self.verbose
    }

    /// Whether progress bars should be drawn (stderr is a terminal, not -q or --no-progress).
    pub fn progress(&self) -> bool {
        self.progress
    }

    /// The same printer with progress bars off (used under `--format json`).
    pub fn without_progress(mut self) -> Self {
        self.progress = false;
        self
    }
}

/// Human-readable size: `1.5 MiB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(1 << 30), "1.0 GiB");
    }
}
