//! The only code that speaks the registry protocol: references, TLS, auth, the HTTP
//! client, manifests, tags, catalog and deletion.

mod api;
mod auth;
mod blob;
mod client;
pub mod copy;
mod inventory;
pub mod limits;
pub mod manifest;
mod order;
mod platform;
pub mod probe;
#[cfg(test)]
mod proptests;
pub mod rate;
pub mod reference;
pub mod referrers;
mod replaced;
mod resume;
pub mod tls;
mod untag;
mod walk;

pub use api::Deleted;
pub use client::{ConnectOptions, Registry, Remembered};
#[cfg(test)]
pub use inventory::{CreatedFrom, ManifestInfo};
pub use inventory::{Inventory, parse_time};
pub use manifest::Content;
pub use order::{natural_cmp, parse_age};
pub use platform::Platform;
pub use reference::Reference;
pub use referrers::{LOCKS_DIR, Referrer, Via, cosign_tags};
pub use untag::{Anchor, empty_config_digest, placeholder, still_listed};
