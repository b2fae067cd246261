//! Everything the program writes: data on stdout, everything else on stderr.

pub mod json;
pub mod progress;
pub mod prompt;

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};

use serde::Serialize;

/// When to colour output: `--color`, decided once for the whole run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    /// When the stream is a terminal and the environment allows it (`NO_COLOR`,
    /// `CLICOLOR`, `CLICOLOR_FORCE`, `TERM=dumb`): the policy clap's own output
    /// follows, from the same crate.
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Make this the choice of the whole process: clap's messages, the log and
    /// every [`Printer`] built after it follow it.
    pub fn apply(self) {
        anstream::ColorChoice::write_global(match self {
            ColorChoice::Auto => anstream::ColorChoice::Auto,
            ColorChoice::Always => anstream::ColorChoice::Always,
            ColorChoice::Never => anstream::ColorChoice::Never,
        });
    }
}

/// Whether text written to stderr gets colour, by the process's [`ColorChoice`].
pub fn stderr_color() -> bool {
    anstream::AutoStream::choice(&io::stderr()) != anstream::ColorChoice::Never
}

/// Whether text written to stdout gets colour, by the process's [`ColorChoice`].
pub fn stdout_color() -> bool {
    anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never
}

/// The fixed words aseecr colours. Only these are styled, and only around
/// themselves: untrusted text is escaped ([`terminal_safe`]) and never styled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// `error:`
    Error,
    /// `warning:`
    Warning,
    /// `help:`
    Help,
    /// doctor's `ok  `
    Ok,
    /// doctor's `warn`
    Warn,
    /// doctor's `FAIL`
    Fail,
}

impl Label {
    pub fn text(self) -> &'static str {
        match self {
            Label::Error => "error:",
            Label::Warning => "warning:",
            Label::Help => "help:",
            Label::Ok => "ok  ",
            Label::Warn => "warn",
            Label::Fail => "FAIL",
        }
    }

    fn style(self) -> anstyle::Style {
        use anstyle::{AnsiColor, Style};
        let color = |c: AnsiColor| Style::new().fg_color(Some(c.into()));
        match self {
            Label::Error | Label::Fail => color(AnsiColor::Red).bold(),
            Label::Warning | Label::Warn => color(AnsiColor::Yellow).bold(),
            Label::Help => color(AnsiColor::Cyan).bold(),
            Label::Ok => color(AnsiColor::Green),
        }
    }

    /// The label, styled when `color`.
    pub fn paint(self, color: bool) -> String {
        if color {
            let style = self.style();
            format!("{style}{}{style:#}", self.text())
        } else {
            self.text().to_owned()
        }
    }
}

/// The one writer of user-visible output, built from -q / -v / --no-progress
/// and the colour choice.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    quiet: bool,
    verbose: u8,
    progress: bool,
    stdout_color: bool,
    stderr_color: bool,
}

impl Printer {
    /// Colour follows the process's [`ColorChoice`] (applied before).
    pub fn new(quiet: bool, verbose: u8, no_progress: bool) -> Self {
        Printer {
            quiet,
            verbose,
            progress: !quiet && !no_progress && io::stderr().is_terminal(),
            stdout_color: stdout_color(),
            stderr_color: stderr_color(),
        }
    }

    /// A line of data on stdout that starts with a label (doctor's `ok`/`FAIL`):
    /// the label styled when stdout takes colour, the rest escaped.
    pub fn labeled_data(&self, indent: &str, label: Label, rest: &str) -> io::Result<()> {
        let line = format!(
            "{indent}{} {}",
            label.paint(self.stdout_color),
            terminal_safe(rest)
        );
        write_line(line.as_bytes())
    }

    /// An `error:` line on stderr for one failed item of a batch (the run goes
    /// on). Shown under -q too, which keeps data and errors.
    pub fn error(&self, line: impl AsRef<str>) {
        write_err(format_args!(
            "{} {}",
            Label::Error.paint(self.stderr_color),
            terminal_safe(line.as_ref())
        ));
    }

    /// A `help:` line on stderr under an item's [`Printer::error`].
    pub fn help(&self, line: impl AsRef<str>) {
        write_err(format_args!(
            "{} {}",
            Label::Help.paint(self.stderr_color),
            terminal_safe(line.as_ref())
        ));
    }

    /// Write one line of data to stdout, its control characters escaped
    /// ([`terminal_safe`]).
    pub fn data(&self, line: impl AsRef<str>) -> io::Result<()> {
        write_line(terminal_safe(line.as_ref()).as_bytes())
    }

    /// Write raw bytes to stdout, unchanged: for output that is data for a pipe
    /// (manifest bytes, YAML, completions, the man page), not text for a person.
    pub fn raw(&self, bytes: &[u8]) -> io::Result<()> {
        let mut out = io::stdout().lock();
        out.write_all(bytes)?;
        out.flush()
    }

    /// Write a value as one pretty-printed JSON object to stdout (JSON escapes
    /// control characters itself).
    pub fn json<T: Serialize>(&self, value: &T) -> io::Result<()> {
        let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
        write_line(text.as_bytes())
    }

    /// A `caused by:` line under an [`Printer::error`].
    pub fn cause(&self, line: impl AsRef<str>) {
        write_err(format_args!(
            "  caused by: {}",
            terminal_safe(line.as_ref())
        ));
    }

    /// A human status line on stderr, hidden by -q.
    pub fn status(&self, line: impl AsRef<str>) {
        if !self.quiet {
            write_err(format_args!("{}", terminal_safe(line.as_ref())));
        }
    }

    /// A `warning:` line on stderr, hidden by -q.
    pub fn warn(&self, line: impl AsRef<str>) {
        if !self.quiet {
            write_err(format_args!(
                "{} {}",
                Label::Warning.paint(self.stderr_color),
                terminal_safe(line.as_ref())
            ));
        }
    }

    /// Detail shown with -v.
    pub fn detail(&self, line: impl AsRef<str>) {
        if self.verbose > 0 {
            write_err(format_args!("{}", terminal_safe(line.as_ref())));
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

/// One line on stderr. A stderr nobody reads any more (`2>&1 | head -1`) is
/// not an error of the run: the line is dropped, as a closed stdout ends the
/// run with exit 0, instead of a panic (exit 101).
fn write_err(line: std::fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}

fn write_line(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// `text` made safe to show on a terminal as one line: every control character
/// but the tab (C0 including CR and LF, DEL, C1), the bidirectional-text
/// controls and every other invisible format character (zero-width spaces and
/// joiners, the byte order mark U+FEFF, soft hyphen, tag characters), and the
/// line and paragraph separators U+2028 and U+2029 are written as
/// `\u{1b}`-style escapes, so names, registry messages and file contents
/// cannot move the cursor, retitle the window, clear the screen, fake a line
/// of their own, or hide or reorder what they show. Every other character is
/// kept. The tab is kept for lines of files that hold it (a hosts file):
/// names use [`terminal_safe_name`].
///
/// The [`Printer`] applies it to every text line and `run()` to the error
/// report; JSON output escapes on its own and raw output is left as it is.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// A name (of a destination, a tag, a file's entry) made safe as
/// [`terminal_safe`] does, its tabs escaped too: a name never holds one, and
/// one would pass for the space between columns.
pub fn terminal_safe_name(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, tab: bool) -> Cow<'_, str> {
    let unsafe_char = |c: char| (c.is_control() && (tab || c != '\t')) || invisible(c);
    if !text.contains(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            safe.extend(c.escape_unicode());
        } else {
            safe.push(c);
        }
    }
    Cow::Owned(safe)
}

/// Unicode's format characters (general category Cf, as of Unicode 16: they
/// show nothing, or reorder or hide the text around them) and its line and
/// paragraph separators (Zl, Zp).
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{ad}'
        | '\u{600}'..='\u{605}'
        | '\u{61c}'
        | '\u{6dd}'
        | '\u{70f}'
        | '\u{890}'..='\u{891}'
        | '\u{8e2}'
        | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206f}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}'
        | '\u{110bd}'
        | '\u{110cd}'
        | '\u{13430}'..='\u{1343f}'
        | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}'
        | '\u{e0001}'
        | '\u{e0020}'..='\u{e007f}')
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
    fn control_characters_are_escaped_and_unicode_kept() {
        assert!(matches!(terminal_safe("nginx:1.0\tü ✓"), Cow::Borrowed(_)));
        assert_eq!(
            terminal_safe("a\u{1b}]0;title\u{7}\u{1b}[2Jb"),
            "a\\u{1b}]0;title\\u{7}\\u{1b}[2Jb"
        );
        assert_eq!(
            terminal_safe("one\ntwo\rthree\u{7f}\u{9b}"),
            "one\\u{a}two\\u{d}three\\u{7f}\\u{9b}"
        );
        assert_eq!(terminal_safe("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(terminal_safe("日本語"), "日本語");
    }

    #[test]
    fn invisible_characters_and_separators_are_escaped_and_tabs_in_names() {
        assert_eq!(
            terminal_safe("\u{feff}plant\u{2028}a\u{2029}b\u{200b}c\u{2060}d\u{e0041}"),
            "\\u{feff}plant\\u{2028}a\\u{2029}b\\u{200b}c\\u{2060}d\\u{e0041}"
        );
        assert_eq!(terminal_safe("soft\u{ad}hyphen"), "soft\\u{ad}hyphen");
        // Lines of a hosts file keep their tabs; names do not.
        assert_eq!(
            terminal_safe("127.0.0.1\tlocalhost"),
            "127.0.0.1\tlocalhost"
        );
        assert_eq!(
            terminal_safe_name("plant\ta\u{feff}"),
            "plant\\u{9}a\\u{feff}"
        );
        assert_eq!(terminal_safe_name("plant-a ü ✓"), "plant-a ü ✓");
        assert!(matches!(terminal_safe_name("日本語"), Cow::Borrowed(_)));
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(1 << 30), "1.0 GiB");
    }
}
