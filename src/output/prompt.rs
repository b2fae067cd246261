//! Questions asked on the terminal. Callers decide whether asking is allowed
//! (`--yes`, no terminal) and what a failure to ask means for them.

/// Ask a yes/no question on the terminal; `default` is the answer to Enter.
pub fn confirm(prompt: &str, default: bool) -> dialoguer::Result<bool> {
    dialoguer::Confirm::new()
        .with_prompt(super::terminal_safe(prompt))
        .default(default)
        .interact()
}
