//! The `aseecr config` subcommands.

use clap::Subcommand;

use super::FormatArg;

/// The `aseecr config` subcommands.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Set KEY to VALUE (keys: registry, platform, verify-policy, trust-store)
    #[command(
        after_help = "Examples:\n  aseecr config set registry ecr.dbe-x.microsoftdatabox.com:31001\n  aseecr config set platform linux/amd64\n  aseecr config set verify-policy ~/.config/notation/trustpolicy.json\n  aseecr config set trust-store ~/.config/notation/truststore"
    )]
    Set {
        /// The setting
        #[arg(value_name = "KEY")]
        key: String,
        /// Its new value
        #[arg(value_name = "VALUE")]
        value: String,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Print the value of KEY
    #[command(after_help = "Examples:\n  aseecr config get registry")]
    Get {
        /// The setting
        #[arg(value_name = "KEY")]
        key: String,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Remove KEY, going back to its default
    #[command(
        after_help = "Examples:\n  aseecr config unset registry\n  aseecr config unset platform"
    )]
    Unset {
        /// The setting
        #[arg(value_name = "KEY")]
        key: String,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Print every setting and the registries aseecr remembers
    #[command(after_help = "Examples:\n  aseecr config list\n  aseecr config list --format json")]
    List {
        #[command(flatten)]
        format: FormatArg,
    },
    /// Print the path of the configuration file
    #[command(after_help = "Examples:\n  aseecr config path")]
    Path {
        #[command(flatten)]
        format: FormatArg,
    },
}
