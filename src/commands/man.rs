//! `aseecr man` (hidden): the manual page in roff, generated from the command line itself.
//!
//! One page, `aseecr(1)`: clap_mangen renders the name, synopsis, description and
//! global options; the COMMANDS section is ours, because clap_mangen would point at
//! one page per subcommand (`aseecr-login(1)`, ...) that packages do not install.

use std::io;

use anyhow::Result;
use clap::{Arg, CommandFactory};
use roff::{Roff, bold, italic, roman};

use crate::cli::Cli;
use crate::commands::ExitStatus;
use crate::settings::Settings;

pub fn run(settings: &Settings) -> Result<ExitStatus> {
    settings.printer.raw(&page()?)?;
    Ok(ExitStatus::Success)
}

/// The manual page of the current command line, as roff source.
pub fn page() -> io::Result<Vec<u8>> {
    let mut command = Cli::command();
    command.build();
    let man = clap_mangen::Man::new(command.clone());
    // Every rendered piece starts with the same preamble; keep only the first.
    let preamble = Roff::new().render();
    let mut page = preamble.clone().into_bytes();
    let mut add = |render: &dyn Fn(&mut Vec<u8>) -> io::Result<()>| -> io::Result<()> {
        let mut piece = Vec::new();
        render(&mut piece)?;
        page.extend_from_slice(piece.strip_prefix(preamble.as_bytes()).unwrap_or(&piece));
        Ok(())
    };
    add(&|w| man.render_title(w))?;
    add(&|w| man.render_name_section(w))?;
    add(&|w| man.render_synopsis_section(w))?;
    add(&|w| man.render_description_section(w))?;
    add(&|w| man.render_options_section(w))?;
    add(&|w| commands_section(&command).to_writer(w))?;
    if let Some(after) = command
        .get_after_long_help()
        .or_else(|| command.get_after_help())
    {
        // clap_mangen would title it EXTRA; it holds the examples and where to start.
        let mut roff = Roff::new();
        roff.control("SH", ["EXAMPLES"]);
        preformatted(&mut roff, &after.to_string());
        add(&|w| roff.to_writer(w))?;
    }
    add(&|w| table_section("EXIT STATUS", &exit_codes()).to_writer(w))?;
    add(&|w| table_section("ENVIRONMENT", &environment()).to_writer(w))?;
    add(&|w| man.render_version_section(w))?;
    Ok(page)
}

/// The pages that document the exit codes and the environment: the manual page
/// is rendered from their tables, so the two cannot disagree.
const EXIT_CODES_DOC: &str = include_str!("../../docs/exit-codes.md");
const GUARANTEES_DOC: &str = include_str!("../../docs/guarantees.md");

/// Each exit code and its meaning (the first table of docs/exit-codes.md).
pub fn exit_codes() -> Vec<(String, String)> {
    doc_table(EXIT_CODES_DOC, None)
}

/// Each environment variable and its meaning (docs/guarantees.md, Environment).
pub fn environment() -> Vec<(String, String)> {
    doc_table(GUARANTEES_DOC, Some("## Environment"))
}

/// The rows of the first table (after the line `heading`, when given) of
/// `markdown`: its first two cells, as plain text (no backticks; a link as its
/// text). The header and separator rows are left out.
pub fn doc_table(markdown: &str, heading: Option<&str>) -> Vec<(String, String)> {
    let mut lines = markdown.lines();
    if let Some(heading) = heading {
        lines.find(|line| line.trim() == heading);
    }
    lines
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .filter_map(|line| {
            let mut cells = line.trim().trim_matches('|').split(" | ");
            Some((plain(cells.next()?), plain(cells.next()?)))
        })
        .collect()
}

/// Markdown's inline marks removed: backticks, and `[text](target)` as `text`.
fn plain(cell: &str) -> String {
    let mut text = cell.trim().replace('`', "");
    while let Some(open) = text.find('[') {
        let Some(close) = text[open..].find("](").map(|i| open + i) else {
            break;
        };
        let Some(end) = text[close..].find(')').map(|i| close + i) else {
            break;
        };
        text = format!(
            "{}{}{}",
            &text[..open],
            &text[open + 1..close],
            &text[end + 1..]
        );
    }
    text
}

/// A section of terms and their meaning: `.SH TITLE`, then `.TP` each.
fn table_section(title: &str, rows: &[(String, String)]) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", [title]);
    for (term, meaning) in rows {
        roff.control("TP", []);
        roff.text([bold(term.as_str())]);
        roff.text([roman(meaning.as_str())]);
    }
    roff
}

/// `.SH COMMANDS`: one subsection per visible command, nested commands included.
fn commands_section(command: &clap::Command) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    for sub in visible_subcommands(command) {
        describe(&mut roff, sub);
    }
    roff
}

fn describe(roff: &mut Roff, command: &clap::Command) {
    let usage = command.clone().render_usage().to_string();
    let usage = usage.trim().trim_start_matches("Usage:").trim();
    roff.control("SS", [usage]);
    if let Some(about) = command.get_long_about().or_else(|| command.get_about()) {
        paragraphs(roff, &about.to_string());
    }
    for arg in command.get_arguments().filter(|a| is_own(a)) {
        roff.control("TP", []);
        roff.text(arg_header(arg));
        if let Some(help) = arg.get_long_help().or_else(|| arg.get_help()) {
            roff.text([roman(help.to_string())]);
        }
        let details = arg_details(arg);
        if !details.is_empty() {
            roff.text([roman(format!("[{}]", details.join("; ")))]);
        }
    }
    if let Some(after) = command
        .get_after_long_help()
        .or_else(|| command.get_after_help())
    {
        roff.control("PP", []);
        preformatted(roff, &after.to_string());
    }
    for sub in visible_subcommands(command) {
        describe(roff, sub);
    }
}

/// Text kept line for line, as help prints it (examples must not be refilled).
fn preformatted(roff: &mut Roff, text: &str) {
    roff.control("nf", []);
    for line in text.lines() {
        roff.text([roman(line)]);
    }
    roff.control("fi", []);
}

/// Subcommands worth a section: not hidden, and not clap's own `help`, which
/// would repeat every summary.
fn visible_subcommands(command: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    command
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
}

/// Arguments a command defines itself (global options are listed once, at the top).
fn is_own(arg: &Arg) -> bool {
    !arg.is_hide_set()
        && !arg.is_global_set()
        && !matches!(arg.get_id().as_str(), "help" | "version")
}

fn arg_header(arg: &Arg) -> Vec<roff::Inline> {
    let values = arg
        .get_value_names()
        .map(|names| names.join(" "))
        .unwrap_or_else(|| arg.get_id().as_str().to_uppercase());
    let many = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
    let values = if many { format!("{values}...") } else { values };
    if arg.is_positional() {
        return vec![italic(values)];
    }
    let mut header = Vec::new();
    if let Some(short) = arg.get_short() {
        header.push(bold(format!("-{short}")));
        if arg.get_long().is_some() {
            header.push(roman(", "));
        }
    }
    if let Some(long) = arg.get_long() {
        header.push(bold(format!("--{long}")));
    }
    if arg.get_num_args().is_some_and(|n| n.takes_values()) {
        header.push(roman(" "));
        header.push(italic(values));
    }
    header
}

/// Possible values, default and environment variable, as `help` shows them.
fn arg_details(arg: &Arg) -> Vec<String> {
    let mut details = Vec::new();
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect();
    if !possible.is_empty() {
        details.push(format!("possible values: {}", possible.join(", ")));
    }
    let takes_values = arg.get_num_args().is_some_and(|n| n.takes_values());
    if takes_values && !arg.is_hide_default_value_set() && !arg.get_default_values().is_empty() {
        let defaults: Vec<_> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        details.push(format!("default: {}", defaults.join(", ")));
    }
    if let Some(env) = arg.get_env().filter(|_| !arg.is_hide_env_set()) {
        details.push(format!("env: {}", env.to_string_lossy()));
    }
    details
}

/// Text with blank-line-separated paragraphs.
fn paragraphs(roff: &mut Roff, text: &str) {
    for (i, paragraph) in text.split("\n\n").enumerate() {
        if i > 0 {
            roff.control("PP", []);
        }
        roff.text([roman(paragraph.trim())]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_documents_every_visible_command_and_no_missing_pages() {
        let page = String::from_utf8(page().unwrap()).unwrap();
        assert!(page.starts_with(&Roff::new().render()));
        assert_eq!(page.matches(".TH ").count(), 1, "one title");
        assert!(page.contains(".SH COMMANDS"));
        assert!(page.contains(".SS \"aseecr setup-host"), "{page}");
        assert!(page.contains(".SS \"aseecr config set"), "{page}");
        assert!(page.contains("ASEECR_HOSTS_FILE"));
        // clap_mangen's SUBCOMMANDS section would refer to pages nobody installs.
        assert!(!page.contains("aseecr\\-login(1)"));
        assert!(
            !page.contains(".SS \"aseecr man"),
            "the man command is hidden"
        );
        assert!(
            !page.contains(".SS \"aseecr help"),
            "clap's help command is left out"
        );
        // The exit codes and the environment, from the docs' tables.
        assert!(page.contains(".SH \"EXIT STATUS\""), "{page}");
        assert!(page.contains(".SH ENVIRONMENT"), "{page}");
        assert!(exit_codes().iter().any(|(code, _)| code == "130"));
        assert!(
            exit_codes()
                .iter()
                .all(|(code, _)| code.parse::<u8>().is_ok())
        );
        assert!(
            environment()
                .iter()
                .any(|(name, _)| name == "ASEECR_IDLE_TIMEOUT")
        );
        // The preamble is written once.
        assert_eq!(page.matches(Roff::new().render().as_str()).count(), 1);
    }
}

#[cfg(test)]
mod table_tests {
    use super::*;

    #[test]
    fn markdown_tables_become_plain_rows() {
        let doc = "# T\n\n| a | b |\n|---|---|\n| `x` | see [here](y.md#z), `q` |\n\n## E\n\n| k | v |\n|---|---|\n| `K`, `L` | m |\n";
        assert_eq!(
            doc_table(doc, None),
            [("x".to_owned(), "see here, q".to_owned())]
        );
        assert_eq!(
            doc_table(doc, Some("## E")),
            [("K, L".to_owned(), "m".to_owned())]
        );
    }
}
