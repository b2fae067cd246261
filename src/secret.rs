//! Secrets: a string that never shows itself in Debug or Display output, and
//! the credentials (username and password, or identity token) built on it.

use std::fmt;

/// A password or token. Printing it prints `(redacted)`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    pub fn new(value: impl Into<String>) -> Self {
        SecretString(value.into())
    }

    /// The secret itself, for the one place that must send or store it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

/// The username docker uses for an identity token (the token is the password).
pub const TOKEN_USERNAME: &str = "<token>";

/// A username and password, or an identity token with username `<token>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: SecretString,
}

impl Credentials {
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        Credentials {
            username: username.into(),
            password: SecretString::new(password),
        }
    }

    /// An identity token (docker's `identitytoken`), held as `<token>` + the token.
    pub fn identity_token(token: impl Into<String>) -> Self {
        Credentials::new(TOKEN_USERNAME, token)
    }

    /// Whether these are an identity token rather than a username and password.
    pub fn is_identity_token(&self) -> bool {
        self.username == TOKEN_USERNAME
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_the_value() {
        let secret = SecretString::new("hunter2");
        assert_eq!(format!("{secret} {secret:?}"), "(redacted) (redacted)");
        assert_eq!(secret.expose(), "hunter2");
    }
}
