//! Test harness: real `docker-registry` processes on 127.0.0.1, test images pushed
//! with skopeo, and a strict runner for the aseecr binary.

#![allow(dead_code)]

pub mod cmd;
pub mod docker25;
pub mod engines;
pub mod image;
pub mod proxy;
pub mod referrers;
pub mod registry;
pub mod root;
pub mod snapshot;
pub mod tmpfs;

pub use cmd::{Aseecr, Home};
pub use image::TestImage;
pub use registry::TestRegistry;

/// The program under test: `ASEECR_TEST_BIN` when set (the Windows lane's wrapper
/// that runs aseecr.exe under wine, see .ci/windows-lane.sh), else the crate's binary.
pub fn program() -> std::ffi::OsString {
    std::env::var_os("ASEECR_TEST_BIN")
        .filter(|program| !program.is_empty())
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_aseecr").into())
}

/// Whether the program under test is the Windows build (`ASEECR_TEST_WINDOWS=1`,
/// set by the Windows lane), so tests hold Windows expectations.
pub fn windows_target() -> bool {
    std::env::var_os("ASEECR_TEST_WINDOWS").is_some_and(|value| value == "1")
}

/// The reasons tests are skipped in the Windows lane: one `name: reason` a line.
const WINDOWS_SKIPS: &str = include_str!("../windows-skips.txt");

/// The skip-list entries as (test name, reason).
pub fn windows_skips() -> Vec<(&'static str, &'static str)> {
    test_list(WINDOWS_SKIPS, "windows-skips.txt")
}

/// A list of tests, one `name: reason` a line (`#` starts a comment line), as
/// (test name, reason).
pub fn test_list(text: &'static str, file: &str) -> Vec<(&'static str, &'static str)> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (name, reason) = line
                .split_once(':')
                .unwrap_or_else(|| panic!("{file}: `{line}` lacks `: reason`"));
            (name.trim(), reason.trim())
        })
        .collect()
}

/// The host name the test certificates are issued for, like a device's endpoint.
pub const TEST_HOST: &str = "ecr.dbe-test.microsoftdatabox.com";

/// `aseecr mirror` from a plain-HTTP source into `dst`, with its CA and the test login.
pub fn mirror_into(home: &Home, dst: &TestRegistry) -> Aseecr {
    home.aseecr()
        .arg("mirror")
        .arg("--src-plain-http")
        .arg("--dst-ca-cert")
        .arg(dst.ca_file())
        .args(["-u", registry::USER])
        .env("ASEECR_PASSWORD", registry::PASSWORD)
}

/// `aseecr login REGISTRY` with the test user, the password on stdin and the CA.
pub fn login(home: &Home, registry: &TestRegistry) -> Aseecr {
    home.aseecr()
        .args([
            "login",
            &registry.addr,
            "-u",
            registry::USER,
            "--password-stdin",
            "--ca-cert",
        ])
        .arg(registry.ca_file())
        .stdin(format!("{}\n", registry::PASSWORD))
}

/// aseecr with the registry's connection flags and the test credentials.
pub fn authed(home: &Home, registry: &TestRegistry) -> Aseecr {
    home.aseecr()
        .args(registry.connection_args())
        .args(["--username", registry::USER])
        .env("ASEECR_PASSWORD", registry::PASSWORD)
}

/// Words of a walkthrough's command line (bash or PowerShell as README writes
/// them): split at spaces, double quotes group and are removed.
pub fn shell_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in command.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}
