//! The only code that speaks the registry protocol: references, TLS, auth, the HTTP
//! client, manifests, tags, catalog and deletion.

pub mod reference;
