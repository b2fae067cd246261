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
    let commands = image_commands(&command).join(" ");
    let script = String::from_utf8_lossy(&script).into_owned();
    let script = match shell {
        clap_complete::Shell::Bash => {
            script.replace("complete -F _aseecr ", "complete -F _aseecr_images ")
                + &BASH_IMAGES.replace("@COMMANDS@", &commands)
        }
        clap_complete::Shell::Zsh => zsh_images(&script),
        clap_complete::Shell::Fish => script + &FISH_IMAGES.replace("@COMMANDS@", &commands),
        clap_complete::Shell::PowerShell => powershell_images(&script, &commands),
        _ => script,
    };
    script.into_bytes()
}

/// Commands only release CI runs, and the scripts' own helper, left out of the completions.
const NOT_COMPLETED: &[&str] = &["build-image", "__complete"];

/// The value names of positional arguments that are images or repositories:
/// completed from the registry by `aseecr __complete`.
const IMAGE_VALUES: &[&str] = &["IMAGE", "REF", "REPO"];

/// The subcommands with an image or repository argument.
fn image_commands(root: &clap::Command) -> Vec<String> {
    root.get_subcommands()
        .filter(|c| {
            c.get_positionals().any(|arg| {
                arg.get_value_names()
                    .is_some_and(|names| names.iter().any(|n| IMAGE_VALUES.contains(&n.as_str())))
            })
        })
        .map(|c| c.get_name().to_owned())
        .collect()
}

/// Appended to clap's bash script: clap's completion, then the repositories or
/// tags `aseecr __complete` gives for the word under the cursor, taken from
/// COMP_LINE because bash splits `host:port/repo:tag` at the colons.
const BASH_IMAGES: &str = r#"
# Repositories and tags from the registry (cached briefly; silent on failure).
_aseecr_images() {
    _aseecr "$@"
    local word found="" i
    for word in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
        case " @COMMANDS@ " in *" $word "*) found=1; break ;; esac
    done
    [[ -n "$found" ]] || return 0
    local line="${COMP_LINE:0:COMP_POINT}"
    word="${line##*[[:space:]]}"
    [[ "$word" == -* ]] && return 0
    local prefix=""
    if [[ "$word" == *:* && "$COMP_WORDBREAKS" == *:* ]]; then
        prefix="${word%"${word##*:}"}"
    fi
    local IFS=$'
'
    for i in $(command aseecr __complete "$word" 2>/dev/null </dev/null); do
        COMPREPLY+=("${i#"$prefix"}")
    done
}
"#;

/// Appended to clap's fish script.
const FISH_IMAGES: &str = r#"
# Repositories and tags from the registry (cached briefly; silent on failure).
complete -c aseecr -n "__fish_seen_subcommand_from @COMMANDS@" -a "(command aseecr __complete (commandline -ct) 2>/dev/null </dev/null)"
"#;

/// clap's zsh script with the image and repository arguments completed by
/// `_aseecr_images` instead of file names.
fn zsh_images(script: &str) -> String {
    let mut out = String::new();
    for line in script.lines() {
        let image = [
            "::images -- ",
            ":repository -- ",
            ":reference -- ",
            "::repositories -- ",
            "::references -- ",
        ]
        .iter()
        .any(|start| {
            line.starts_with(&format!("'{start}")) || line.starts_with(&format!("'*{start}"))
        });
        if image && line.ends_with(":_default' \\") {
            out.push_str(&line.replacen(":_default' \\", ":_aseecr_images' \\", 1));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out.replacen(ZSH_LAST, ZSH_IMAGES, 1)
}

/// The start of the zsh script's last statement, which [`ZSH_IMAGES`] goes before.
const ZSH_LAST: &str = "\nif [ \"$funcstack[1]\" = \"_aseecr\" ]; then";

/// Put before the zsh script's last statement.
const ZSH_IMAGES: &str = r#"
# Repositories and tags from the registry (cached briefly; silent on failure).
(( $+functions[_aseecr_images] )) ||
_aseecr_images() {
    local -a candidates
    candidates=(${(f)"$(command aseecr __complete "$PREFIX$SUFFIX" 2>/dev/null </dev/null)"})
    compadd -Q -S '' -- $candidates
    _default
}

if [ "$funcstack[1]" = "_aseecr" ]; then"#;

/// clap's PowerShell script, adding the registry's candidates to an image
/// argument's before they are filtered.
fn powershell_images(script: &str, commands: &str) -> String {
    let commands: Vec<String> = commands
        .split(' ')
        .map(|c| format!("'aseecr;{c}'"))
        .collect();
    let hook = POWERSHELL_IMAGES.replace("@COMMANDS@", &commands.join(", "));
    script.replacen(
        "    $completions.Where{ $_.CompletionText -like \"$wordToComplete*\" }",
        &format!("{hook}    $completions.Where{{ $_.CompletionText -like \"$wordToComplete*\" }}"),
        1,
    )
}

/// Inserted into clap's PowerShell completer.
const POWERSHELL_IMAGES: &str = r#"    # Repositories and tags from the registry (cached briefly; silent on failure).
    if (@(@COMMANDS@) -contains $command -and -not $wordToComplete.StartsWith('-')) {
        $completions += @(aseecr __complete "$wordToComplete" 2>$null | ForEach-Object {
            [CompletionResult]::new($_, $_, [CompletionResultType]::ParameterValue, $_)
        })
    }

"#;

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
            assert!(
                !script.contains("__complete\""),
                "{shell} completes __complete"
            );
        }
    }

    #[test]
    fn bash_zsh_fish_and_powershell_ask_the_registry_for_images() {
        use clap_complete::Shell;
        let text = |shell| String::from_utf8(script(shell)).unwrap();
        let bash = text(Shell::Bash);
        assert!(bash.contains("complete -F _aseecr_images -o nosort"));
        assert!(bash.contains("aseecr __complete \"$word\""));
        let zsh = text(Shell::Zsh);
        assert!(zsh.contains("_aseecr_images() {"));
        assert!(zsh.contains(":_aseecr_images' \\"));
        assert!(zsh.trim_end().ends_with("fi"), "{zsh}");
        let fish = text(Shell::Fish);
        assert!(fish.contains("__fish_seen_subcommand_from mirror tags inspect"));
        let powershell = text(Shell::PowerShell);
        assert!(powershell.contains("aseecr __complete \"$wordToComplete\""));
        assert!(powershell.contains("'aseecr;tags'"));
        for script in [&bash, &zsh, &fish, &powershell] {
            for command in ["delete", "untag", "prune", "digest", "usage"] {
                assert!(script.contains(command));
            }
        }
    }
}
