//! Arguments of the commands about aseecr itself: version, completions and the
//! hidden build-image.

use std::path::PathBuf;

use clap::Args;

use super::FormatArg;

/// Arguments of `aseecr version`.
#[derive(Debug, Args)]
pub struct VersionArgs {
    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `aseecr completions`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  aseecr completions bash > ~/.local/share/bash-completion/completions/aseecr\n  \
        aseecr completions powershell >> $PROFILE\n\nHow to install each shell's script: aseecr completions --help",
    after_long_help = COMPLETIONS_INSTALL
)]
pub struct CompletionsArgs {
    /// The shell to print the completion script for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,

    #[command(flatten)]
    pub format: FormatArg,
}

/// How to install the script of each shell (the long help of `aseecr completions`).
const COMPLETIONS_INSTALL: &str = "\
Examples:
  aseecr completions bash > ~/.local/share/bash-completion/completions/aseecr
  aseecr completions powershell >> $PROFILE

Installing the script (the .deb and .rpm packages already install bash, zsh and fish):

bash:
  mkdir -p ~/.local/share/bash-completion/completions
  aseecr completions bash > ~/.local/share/bash-completion/completions/aseecr

zsh:
  mkdir -p ~/.zfunc
  aseecr completions zsh > ~/.zfunc/_aseecr
  then in ~/.zshrc, before `compinit`: fpath=(~/.zfunc $fpath)

fish:
  mkdir -p ~/.config/fish/completions
  aseecr completions fish > ~/.config/fish/completions/aseecr.fish

powershell:
  aseecr completions powershell >> $PROFILE
  (create the profile first if needed: New-Item -Force -ItemType File $PROFILE)

elvish:
  aseecr completions elvish > ~/.config/elvish/aseecr-completions.elv
  then in ~/.config/elvish/rc.elv: eval (slurp < ~/.config/elvish/aseecr-completions.elv)

Open a new shell afterwards.";

/// Arguments of the hidden `aseecr __complete`, which the completion scripts call.
#[derive(Debug, Args)]
pub struct CompleteArgs {
    /// The word being completed: [REGISTRY/]REPO or [REGISTRY/]REPO:TAG-PREFIX
    #[arg(value_name = "WORD", default_value = "", allow_hyphen_values = true)]
    pub word: String,
}

/// Arguments of the hidden `aseecr build-image` (scripts/package-image.sh).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  aseecr build-image --binary aseecr --ca-bundle /etc/ssl/certs/ca-certificates.crt \\\n      --image-version 0.1.0 oci-archive:dist/aseecr-0.1.0-image.tar:aseecr:0.1.0"
)]
pub struct BuildImageArgs {
    /// Where the image goes: oci:DIR:NAME or oci-archive:FILE:NAME (NAME: aseecr:VERSION)
    #[arg(value_name = "DEST")]
    pub destination: String,

    /// The aseecr program to put in the image (a static Linux executable)
    #[arg(long, value_name = "FILE")]
    pub binary: PathBuf,

    /// The CA certificates (PEM) the image trusts, e.g. /etc/ssl/certs/ca-certificates.crt
    #[arg(long, value_name = "FILE")]
    pub ca_bundle: PathBuf,

    /// The version the image is labelled with
    #[arg(long, value_name = "VERSION")]
    pub image_version: String,

    /// The source revision (git commit) the image is labelled with
    #[arg(long, value_name = "REVISION")]
    pub revision: Option<String>,

    /// Build even when the program is dynamically linked (it will not start; for tests)
    #[arg(long)]
    pub allow_dynamic: bool,

    /// The creation time, in seconds since 1970 (reproducible builds)
    #[arg(
        long,
        value_name = "SECONDS",
        env = "SOURCE_DATE_EPOCH",
        hide_env_values = true,
        default_value_t = 0
    )]
    pub source_date_epoch: i64,
}
