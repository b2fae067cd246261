//! Integration tests: the real aseecr binary against real registries on 127.0.0.1.

mod util;

mod connection;
mod delete;
mod hosts;
mod mirror;
mod packaging;
mod read;
