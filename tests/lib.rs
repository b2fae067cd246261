//! Integration tests: the real aseecr binary against real registries on 127.0.0.1.

mod util;

mod build_image;
mod cli;
mod connection;
mod delete;
mod device_cert;
mod docker_archive;
mod doctor;
mod engines;
mod fanout;
mod faults;
mod gc;
mod guarantees;
mod hosts;
mod json;
mod k8s;
mod kills;
mod layers;
mod layout;
mod limits;
mod login;
mod mirror;
mod packaging;
mod platforms;
mod prune;
mod rate;
mod read;
mod replaced;
mod resume;
mod snapshots;
mod source_size;
mod sync;
mod trust;
mod usage;
mod windows;
