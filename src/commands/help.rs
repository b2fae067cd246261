//! The `help:` lines of an error, shared by the text report (`help:` on stderr)
//! and the JSON failure object (`error.help`).

use crate::error;

/// The commands and hints that fix `err`, in the order they are printed.
pub(crate) fn help_lines(err: &anyhow::Error) -> Vec<String> {
    error::find(err).map_or_else(Vec::new, |user_error| user_error.help.clone())
}
