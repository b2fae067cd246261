//! Integration tests: the real aseecr binary against real registries on 127.0.0.1.

mod util;

mod connection;
mod delete;
mod doctor;
mod hosts;
mod k8s;
mod layers;
mod login;
mod mirror;
mod packaging;
mod read;
mod trust;
mod windows;
