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
pub mod probe;
#[cfg(test)]
mod proptests;
pub mod reference;
pub mod tls;
mod untag;

pub use api::Deleted;
pub use client::{ConnectOptions, Registry, Remembered};
pub use inventory::{CreatedFrom, Inventory, ManifestInfo, parse_time};
pub use manifest::{Content, Descriptor};
pub use reference::Reference;
pub use untag::{Untagged, empty_config_digest};
