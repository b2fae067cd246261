//! Questions asked on the terminal. Callers decide whether asking is allowed
//! (`--yes`, no terminal) and what a failure to ask means for them.
//!
//! Every answer is a line: typed, then Enter. A yes/no that took a single key
//! left the Enter behind, and the next question took it as "the default"; a line
//! cannot be half-consumed that way. The terminal's own line editing (backspace,
//! Ctrl-U) works while typing.

use std::io::{self, BufRead, Read, Write};

use super::terminal_safe;
use crate::error::Error;
use crate::secret::SecretString;

/// Whether a change may be made without asking (`--yes`) and whether asking is
/// possible (standard input is a terminal): what a command fills for the lower
/// modules that confirm their own changes.
#[derive(Debug, Clone, Copy)]
pub struct Consent {
    /// `--yes`: go ahead without asking.
    pub yes: bool,
    /// A person is at the terminal to ask.
    pub interactive: bool,
}

/// The longest answer read; the rest of a longer line is read as the next answer.
const MAX_ANSWER: u64 = 4096;

/// Ask a yes/no question on the terminal: `y`/`yes`/`n`/`no` (any case), then
/// Enter; an empty line is `default`. Any other answer asks again.
pub fn confirm(prompt: &str, default: bool) -> io::Result<bool> {
    confirm_on(&mut io::stdin().lock(), &mut io::stderr(), prompt, default)
}

/// [`confirm`] on any input and output.
pub fn confirm_on(
    input: &mut impl BufRead,
    output: &mut impl Write,
    prompt: &str,
    default: bool,
) -> io::Result<bool> {
    let choices = if default { "[Y/n]" } else { "[y/N]" };
    loop {
        write!(output, "{} {choices} ", terminal_safe(prompt))?;
        output.flush()?;
        let answer = read_answer(input)?;
        match answer.to_ascii_lowercase().as_str() {
            "" => return Ok(default),
            "y" | "yes" => return Ok(true),
            "n" | "no" => return Ok(false),
            _ => writeln!(output, "  type `y` or `n`, then Enter")?,
        }
    }
}

/// Ask for a value on the terminal until `check` accepts it. An empty line is
/// `default` when there is one (shown in brackets). What `check` rejects is shown
/// with its help lines, and the question is asked again.
pub fn ask<T>(
    prompt: &str,
    default: Option<&str>,
    check: impl FnMut(&str) -> Result<T, Error>,
) -> io::Result<T> {
    ask_on(
        &mut io::stdin().lock(),
        &mut io::stderr(),
        prompt,
        default,
        check,
    )
}

/// [`ask`] on any input and output.
pub fn ask_on<T>(
    input: &mut impl BufRead,
    output: &mut impl Write,
    prompt: &str,
    default: Option<&str>,
    mut check: impl FnMut(&str) -> Result<T, Error>,
) -> io::Result<T> {
    loop {
        match default {
            Some(default) => write!(
                output,
                "{} [{}]: ",
                terminal_safe(prompt),
                terminal_safe(default)
            )?,
            None => write!(output, "{}: ", terminal_safe(prompt))?,
        }
        output.flush()?;
        let answer = read_answer(input)?;
        let answer = match (answer.is_empty(), default) {
            (true, Some(default)) => default.to_owned(),
            (true, None) => continue,
            (false, _) => answer,
        };
        match check(&answer) {
            Ok(value) => return Ok(value),
            Err(err) => {
                writeln!(output, "  {}", terminal_safe(&err.message))?;
                for help in &err.help {
                    writeln!(output, "  help: {}", terminal_safe(help))?;
                }
            }
        }
    }
}

/// Ask for a password on the terminal, without echo.
pub fn password() -> Result<SecretString, Error> {
    let password = dialoguer::Password::new()
        .with_prompt("Password")
        .interact()
        .map_err(|err| Error::usage(format!("cannot read the password: {err}")))?;
    Ok(SecretString::new(password))
}

/// One line, without surrounding whitespace; the end of the input is an error.
fn read_answer(input: &mut impl BufRead) -> io::Result<String> {
    let mut line = Vec::new();
    let read = Read::take(&mut *input, MAX_ANSWER).read_until(b'\n', &mut line)?;
    if read == 0 {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the input ended before an answer",
        ));
    }
    Ok(String::from_utf8_lossy(&line).trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn confirm_with(typed: &str, default: bool) -> (io::Result<bool>, String) {
        let mut output = Vec::new();
        let answer = confirm_on(&mut typed.as_bytes(), &mut output, "Go?", default);
        (answer, String::from_utf8(output).unwrap())
    }

    #[test]
    fn confirm_reads_whole_lines() {
        assert!(confirm_with("y\n", false).0.unwrap());
        assert!(confirm_with(" YES \r\n", false).0.unwrap());
        assert!(!confirm_with("n\n", true).0.unwrap());
        assert!(!confirm_with("No\n", true).0.unwrap());
        assert!(confirm_with("\n", true).0.unwrap());
        assert!(!confirm_with("\n", false).0.unwrap());
        // An unclear answer asks again; the Enter after it is not the next answer.
        let (answer, shown) = confirm_with("yep\nn\n", true);
        assert!(!answer.unwrap());
        assert_eq!(shown.matches("Go? [Y/n]").count(), 2, "{shown}");
        assert!(shown.contains("type `y` or `n`"));
        // Two questions, two lines: the second gets its own answer.
        let mut input: &[u8] = b"y\nyes\n";
        let mut sink = Vec::new();
        assert!(confirm_on(&mut input, &mut sink, "1?", false).unwrap());
        assert!(confirm_on(&mut input, &mut sink, "2?", false).unwrap());
        assert_eq!(
            confirm_with("", true).0.unwrap_err().kind(),
            io::ErrorKind::UnexpectedEof
        );
    }

    #[test]
    fn ask_repeats_until_the_answer_is_valid() {
        let mut input: &[u8] = b"\nabc\n 42 \n";
        let mut output = Vec::new();
        let number = ask_on(&mut input, &mut output, "Number", None, |s| {
            s.parse::<u32>()
                .map_err(|_| Error::usage(format!("`{s}` is not a number")).help("type digits"))
        })
        .unwrap();
        assert_eq!(number, 42);
        let shown = String::from_utf8(output).unwrap();
        assert_eq!(shown.matches("Number: ").count(), 3, "{shown}");
        assert!(shown.contains("  `abc` is not a number\n  help: type digits\n"));

        let mut input: &[u8] = b"\n";
        let mut output = Vec::new();
        let name = ask_on(&mut input, &mut output, "User", Some("ase"), |s| {
            Ok(s.to_owned())
        })
        .unwrap();
        assert_eq!(name, "ase");
        assert_eq!(String::from_utf8(output).unwrap(), "User [ase]: ");
    }
}
