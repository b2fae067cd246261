//! The only code that speaks the registry protocol: references, TLS, auth, the HTTP
//! client, manifests, tags, catalog and deletion.

pub mod api;
pub mod auth;
pub mod blob;
pub mod client;
pub mod copy;
pub mod manifest;
pub mod reference;
pub mod tls;

pub use api::Deleted;
pub use client::{Registry, RegistryOptions};
pub use manifest::{Content, Descriptor, Manifest};
pub use reference::Reference;
