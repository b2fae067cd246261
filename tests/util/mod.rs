//! Test harness: real `docker-registry` processes on 127.0.0.1, test images pushed
//! with skopeo, and a strict runner for the aseecr binary.

#![allow(dead_code)]

pub mod cmd;
pub mod image;
pub mod proxy;
pub mod registry;

pub use cmd::{Aseecr, Home};
pub use image::TestImage;
pub use registry::TestRegistry;

/// The host name the test certificates are issued for, like a device's endpoint.
pub const TEST_HOST: &str = "ecr.dbe-test.microsoftdatabox.com";

/// aseecr with the registry's connection flags and the test credentials.
pub fn authed(home: &Home, registry: &TestRegistry) -> Aseecr {
    home.aseecr()
        .args(registry.connection_args())
        .args(["--username", registry::USER])
        .env("ASEECR_PASSWORD", registry::PASSWORD)
}
