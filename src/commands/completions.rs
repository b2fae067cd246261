//! `aseecr completions`: the shell completion scripts, generated from the command line itself.

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, Format};
use crate::commands::ExitStatus;
use crate::output::json;
use crate::settings::Settings;

pub fn run(args: CompletionsArgs, settings: &Settings) -> Result<ExitStatus> {
    let script = script(args.shell);
    match args.format.format {
        Format::Json => settings.printer.json(&json::Completions {
            shell: args.shell.to_string(),
            script: String::from_utf8_lossy(&script).into_owned(),
        })?,
        Format::Text => settings.printer.raw(&script)?,
    }
    Ok(ExitStatus::Success)
}

/// The completion script of `shell` for the current command line.
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut command = completed(Cli::command());
    let name = command.get_name().to_owned();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, name, &mut script);
    script
}

/// Commands only release CI runs, left out of the completions.
const NOT_COMPLETED: &[&str] = &["build-image"];

/// `full` without the [`NOT_COMPLETED`] subcommands (clap completes hidden ones):
/// the same root, rebuilt with the other subcommands.
fn completed(full: clap::Command) -> clap::Command {
    let mut root = clap::Command::new("aseecr")
        .version(env!("CARGO_PKG_VERSION"))
        .propagate_version(true)
        .args(full.get_arguments().cloned())
        .subcommands(
            full.get_subcommands()
                .filter(|c| !NOT_COMPLETED.contains(&c.get_name()))
                .cloned(),
        );
    if let Some(about) = full.get_about() {
        root = root.about(about.clone());
    }
    if let Some(about) = full.get_long_about() {
        root = root.long_about(about.clone());
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn every_shell_gets_a_script_naming_the_commands() {
        for shell in clap_complete::Shell::value_variants() {
            let script = String::from_utf8(script(*shell)).unwrap();
            assert!(script.contains("aseecr"), "{shell}: {script}");
            assert!(script.contains("setup-host"), "{shell} lacks setup-host");
            assert!(script.contains("completions"), "{shell} lacks completions");
            assert!(
                !script.contains("build-image"),
                "{shell} completes build-image"
            );
        }
    }
}
