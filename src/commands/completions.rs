//! `aseecr completions`: the shell completion scripts, generated from the command line itself.

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::commands::ExitStatus;
use crate::settings::Settings;

pub fn run(args: CompletionsArgs, settings: &Settings) -> Result<ExitStatus> {
    settings.printer.raw(&script(args.shell))?;
    Ok(ExitStatus::Success)
}

/// The completion script of `shell` for the current command line.
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut command = Cli::command();
    let name = command.get_name().to_owned();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, name, &mut script);
    script
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
        }
    }
}
