//! Integration tests: the real aseecr binary against real registries on 127.0.0.1.

mod util;

mod cli;
mod connection;
mod delete;
mod device_cert;
mod doctor;
mod faults;
mod gc;
mod guarantees;
mod hosts;
mod json;
mod k8s;
mod kills;
mod layers;
mod limits;
mod login;
mod mirror;
mod packaging;
mod prune;
mod read;
mod replaced;
mod trust;
mod usage;
mod windows;
