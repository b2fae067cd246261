//! Docker-compatible credentials (being built on its own branch).

use crate::secret::SecretString;

/// A username and password (or identity token, with username `<token>`).
#[derive(Debug, Clone)]
pub struct Credentials {
    pub username: String,
    pub password: SecretString,
}
