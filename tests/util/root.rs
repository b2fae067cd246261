//! Tests that need root: listed in tests/root-only.txt, which scripts/test.sh reads
//! to leave them out of a run as another user (the runner then counts them as
//! filtered out); run anyway, they fail at once saying so.

/// The root-only tests: one `name: reason` a line.
const ROOT_ONLY: &str = include_str!("../root-only.txt");

/// The list's entries as (test name, reason).
pub fn root_only() -> Vec<(&'static str, &'static str)> {
    super::test_list(ROOT_ONLY, "root-only.txt")
}

/// Whether this process runs as root (effective user id 0).
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .any(|line| line.starts_with("Uid:") && line.split_whitespace().nth(2) == Some("0"))
}

/// Fail the calling test at once, in words, when not root: `what` says what needs
/// it. Such a test must be listed in tests/root-only.txt.
pub fn require_root(what: &str) {
    assert!(
        is_root(),
        "this test needs root ({what}); scripts/test.sh skips it for non-root runs \
         (tests/root-only.txt), or run it as root"
    );
}
