//! The hosts file as bytes: aseecr's marked block of entries, parsed and edited so
//! that every byte outside the block survives, and the checks of the endpoint and IP
//! address that make an entry. The careful write of the result is [`write()`] (in
//! `write.rs`); the whole change on disk, confirmed, written and checked, is
//! [`apply()`] (in `apply.rs`).
//!
//! Everything here is a pure function over bytes. The block looks like this (names
//! are grouped per address; Windows reads at most 9 per line):
//!
//! ```text
//! # BEGIN aseecr (managed by `aseecr setup-host`; edits here are overwritten)
//! 10.128.44.41 ecr.dbe-hw6h1t2.microsoftdatabox.com
//! # END aseecr
//! ```
//!
//! Placement rules that make add-then-remove give back the exact original bytes:
//! a new block is appended at the end of the file. When the file did not end with a
//! line break, the block goes after a new line break and itself ends without one (its
//! last line is a comment, so no parser can lose an entry to it); a block at the end
//! of the file without a final line break therefore owns the line break before it,
//! and removing it removes that line break too.

mod apply;
#[cfg(test)]
mod proptests;
mod write;

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::registry::reference::{EndpointError, parse_endpoint};

pub use apply::{Applied, HostEntry, apply, entries_json, push_hosts_file, read_hosts};
pub use write::{WriteError, lock, read, write};

/// The start of the first line of aseecr's block.
pub const BEGIN_PREFIX: &str = "# BEGIN aseecr";
/// The first line of aseecr's block as aseecr writes it.
pub const BEGIN_LINE: &str =
    "# BEGIN aseecr (managed by `aseecr setup-host`; edits here are overwritten)";
/// The last line of aseecr's block.
pub const END_LINE: &str = "# END aseecr";
/// Windows' resolver reads at most this many names from one hosts line.
pub const WINDOWS_MAX_NAMES_PER_LINE: usize = 9;
/// What a backup file's name adds to the hosts file's name.
pub const BACKUP_SUFFIX: &str = ".aseecr.bak";

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The system hosts file: `%SystemRoot%\System32\drivers\etc\hosts` on Windows,
/// `/etc/hosts` elsewhere.
pub fn system_path() -> PathBuf {
    #[cfg(windows)]
    {
        let root = std::env::var_os("SystemRoot")
            .filter(|root| !root.is_empty())
            .unwrap_or_else(|| r"C:\Windows".into());
        PathBuf::from(root).join(r"System32\drivers\etc\hosts")
    }
    #[cfg(not(windows))]
    {
        PathBuf::from("/etc/hosts")
    }
}

/// Where the copy of the previous file is kept: `hosts.aseecr.bak` next to it.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(BACKUP_SUFFIX);
    path.with_file_name(name)
}

/// How many names one line may hold on this operating system.
pub fn max_names_per_line() -> usize {
    if cfg!(windows) {
        WINDOWS_MAX_NAMES_PER_LINE
    } else {
        usize::MAX
    }
}

/// One name and the address it maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub host: String,
    pub ip: IpAddr,
}

/// What to do to the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Map the host to the address, replacing any address it had.
    Set(Entry),
    /// Remove the host's entry.
    Remove(String),
}

/// The host name of a registry endpoint, parsed as every endpoint is
/// ([`parse_endpoint`]: scheme, trailing `/` and `/v2` allowed, lower-cased) and then
/// held to the hosts file's rule: the host must be a name, not an IP address. The port
/// is dropped: hosts files have none.
pub fn endpoint_host(endpoint: &str) -> Result<String, Error> {
    let bad = |what: String| {
        Error::usage(format!("invalid endpoint `{endpoint}`: {what}"))
            .help("write it as HOST[:PORT], e.g. `ecr.dbe-xyz.microsoftdatabox.com:31001`")
    };
    let parsed = match parse_endpoint(endpoint) {
        Ok(parsed) => parsed,
        // `fd00::1`: what matters here is that it is an address, not its brackets.
        Err(EndpointError::UnbracketedIpv6) => {
            return Err(bad(
                "it is an IP address; the hosts file maps a host name to an address".into(),
            ));
        }
        Err(reason) => return Err(bad(reason.to_string())),
    };
    if parsed.host_is_ip() {
        return Err(bad(format!(
            "`{}` is an IP address; the hosts file maps a host name to an address",
            parsed.host
        )));
    }
    Ok(parsed.host)
}

/// Parse an IPv4 or IPv6 address given by the user.
pub fn parse_ip(input: &str) -> Result<IpAddr, Error> {
    let trimmed = input.trim();
    let unbracketed = trimmed
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .unwrap_or(trimmed);
    unbracketed.parse::<IpAddr>().map_err(|_| {
        Error::usage(format!("invalid IP address `{input}`")).help(
            "give an IPv4 address such as `10.128.44.41` or an IPv6 address such as `fd00::41`",
        )
    })
}

/// Why the file's aseecr block cannot be read; the file is left alone.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParseError {
    #[error("line {line} starts an aseecr block that has no `{END_LINE}` line")]
    Unterminated { line: usize },
    #[error("line {line} starts a second aseecr block")]
    SecondBlock { line: usize },
    #[error("line {line} ends an aseecr block that never started")]
    StrayEnd { line: usize },
    #[error("line {line} in the aseecr block is not `ADDRESS NAME...`")]
    BadLine { line: usize },
}

/// One line of the file: byte offsets of its start, the end of its content (before
/// `\r\n` or `\n`) and its end (after the line break).
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    content_end: usize,
    end: usize,
}

fn lines(bytes: &[u8]) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let (content_end, end) = match bytes[start..].iter().position(|&b| b == b'\n') {
            Some(i) => {
                let nl = start + i;
                let content_end = if nl > start && bytes[nl - 1] == b'\r' {
                    nl - 1
                } else {
                    nl
                };
                (content_end, nl + 1)
            }
            None => (bytes.len(), bytes.len()),
        };
        lines.push(Line {
            start,
            content_end,
            end,
        });
        start = end;
    }
    lines
}

/// The text of a line without a leading byte order mark and surrounding white space.
fn content<'a>(bytes: &'a [u8], line: &Line) -> &'a [u8] {
    let mut text = &bytes[line.start..line.content_end];
    if line.start == 0 {
        text = text.strip_prefix(BOM).unwrap_or(text);
    }
    text.trim_ascii()
}

/// The address and names of a hosts line, comments removed; `None` for blank lines.
fn fields(text: &[u8]) -> Option<(&[u8], Vec<&[u8]>)> {
    let text = match text.iter().position(|&b| b == b'#') {
        Some(i) => &text[..i],
        None => text,
    };
    let mut words = text
        .split(u8::is_ascii_whitespace)
        .filter(|w| !w.is_empty());
    let address = words.next()?;
    Some((address, words.collect()))
}

/// aseecr's block as found in the file.
#[derive(Debug, Clone)]
struct Block {
    /// Offset of the `# BEGIN aseecr` line.
    start: usize,
    /// Offset of the end of the `# END aseecr` line's text (before its line break).
    content_end: usize,
    /// Offset after the `# END aseecr` line's line break.
    end: usize,
    /// Line numbers (1-based) of the first and last line.
    first_line: usize,
    last_line: usize,
}

/// A hosts file read into memory, with its aseecr block located and parsed.
#[derive(Debug, Clone)]
pub struct Hosts {
    bytes: Vec<u8>,
    block: Option<Block>,
    entries: Vec<Entry>,
    eol: &'static [u8],
}

/// A line outside aseecr's block that maps the same name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// 1-based line number.
    pub line: usize,
    /// The address that line gives, as written.
    pub address: String,
    /// Whether the line comes before aseecr's block (most resolvers use the first match).
    pub before_block: bool,
}

/// The result of applying a [`Change`].
#[derive(Debug, Clone)]
pub struct Edit {
    /// The whole new file.
    pub bytes: Vec<u8>,
    /// Whether `bytes` differ from the file.
    pub changed: bool,
    /// The entries of the block after the change.
    pub entries: Vec<Entry>,
    old_block: Vec<String>,
    new_block: Vec<String>,
}

impl Hosts {
    /// Read a file's bytes; fails when the aseecr block is malformed, so nothing
    /// is rewritten from a misunderstanding.
    pub fn parse(bytes: &[u8]) -> Result<Hosts, ParseError> {
        let all = lines(bytes);
        let mut block: Option<Block> = None;
        let mut open: Option<(usize, usize)> = None;
        let mut entries = Vec::new();
        for (index, line) in all.iter().enumerate() {
            let number = index + 1;
            let text = content(bytes, line);
            if text.starts_with(BEGIN_PREFIX.as_bytes()) {
                if open.is_some() || block.is_some() {
                    return Err(ParseError::SecondBlock { line: number });
                }
                // A byte order mark before the block stays outside it.
                let start = if line.start == 0 && bytes.starts_with(BOM) {
                    BOM.len()
                } else {
                    line.start
                };
                open = Some((start, number));
            } else if text == END_LINE.as_bytes() {
                let Some((start, first_line)) = open.take() else {
                    return Err(ParseError::StrayEnd { line: number });
                };
                block = Some(Block {
                    start,
                    content_end: line.content_end,
                    end: line.end,
                    first_line,
                    last_line: number,
                });
            } else if open.is_some() {
                if text.starts_with(b"#") {
                    continue;
                }
                let Some((address, names)) = fields(text) else {
                    continue;
                };
                let bad = || ParseError::BadLine { line: number };
                let ip = std::str::from_utf8(address)
                    .ok()
                    .and_then(|a| a.parse::<IpAddr>().ok())
                    .ok_or_else(bad)?;
                if names.is_empty() {
                    return Err(bad());
                }
                for name in names {
                    let host = std::str::from_utf8(name).map_err(|_| bad())?;
                    let host = host.to_ascii_lowercase();
                    if !entries.iter().any(|e: &Entry| e.host == host) {
                        entries.push(Entry { host, ip });
                    }
                }
            }
        }
        if let Some((_, line)) = open {
            return Err(ParseError::Unterminated { line });
        }
        let eol: &'static [u8] = match bytes.iter().position(|&b| b == b'\n') {
            Some(i) if i > 0 && bytes[i - 1] == b'\r' => b"\r\n",
            Some(_) => b"\n",
            None if cfg!(windows) => b"\r\n",
            None => b"\n",
        };
        Ok(Hosts {
            bytes: bytes.to_vec(),
            block,
            entries,
            eol,
        })
    }

    /// The entries of aseecr's block, in file order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Lines outside aseecr's block that map `host` to another address than `ip`
    /// (with `ip` `None`: to any address).
    pub fn conflicts(&self, host: &str, ip: Option<IpAddr>) -> Vec<Conflict> {
        let mut found = Vec::new();
        for (index, line) in lines(&self.bytes).iter().enumerate() {
            let number = index + 1;
            if let Some(block) = &self.block
                && (block.first_line..=block.last_line).contains(&number)
            {
                continue;
            }
            let Some((address, names)) = fields(content(&self.bytes, line)) else {
                continue;
            };
            if !names
                .iter()
                .any(|name| name.eq_ignore_ascii_case(host.as_bytes()))
            {
                continue;
            }
            let same = std::str::from_utf8(address)
                .ok()
                .and_then(|a| a.parse::<IpAddr>().ok())
                .is_some_and(|a| Some(a) == ip);
            if !same {
                found.push(Conflict {
                    line: number,
                    address: String::from_utf8_lossy(address).into_owned(),
                    before_block: self.block.as_ref().is_none_or(|b| number < b.first_line),
                });
            }
        }
        found
    }

    /// Apply a change. Bytes outside the block are kept exactly; when the entries do
    /// not change, the file does not either.
    pub fn apply(&self, change: &Change, max_names_per_line: usize) -> Edit {
        let mut entries = self.entries.clone();
        match change {
            Change::Set(entry) => match entries.iter_mut().find(|e| e.host == entry.host) {
                Some(existing) => existing.ip = entry.ip,
                None => entries.push(entry.clone()),
            },
            Change::Remove(host) => entries.retain(|e| e.host != *host),
        }
        let old_block = match &self.block {
            Some(block) => String::from_utf8_lossy(&self.bytes[block.start..block.content_end])
                .lines()
                .map(str::to_owned)
                .collect(),
            None => Vec::new(),
        };
        if entries == self.entries {
            return Edit {
                bytes: self.bytes.clone(),
                changed: false,
                entries,
                new_block: old_block.clone(),
                old_block,
            };
        }
        let new_block = render_block(&entries, max_names_per_line);
        let text = new_block.join(std::str::from_utf8(self.eol).unwrap_or("\n"));
        let bytes = &self.bytes;
        let mut out = Vec::with_capacity(bytes.len() + text.len() + 2);
        match (&self.block, entries.is_empty()) {
            (Some(block), false) => {
                out.extend_from_slice(&bytes[..block.start]);
                out.extend_from_slice(text.as_bytes());
                out.extend_from_slice(&bytes[block.content_end..]);
            }
            (Some(block), true) => {
                let mut start = block.start;
                if block.end == block.content_end {
                    // The block ends the file without a line break: it owns the one before it.
                    if bytes[..start].ends_with(b"\r\n") {
                        start -= 2;
                    } else if bytes[..start].ends_with(b"\n") {
                        start -= 1;
                    }
                }
                out.extend_from_slice(&bytes[..start]);
                out.extend_from_slice(&bytes[block.end..]);
            }
            (None, _) => {
                out.extend_from_slice(bytes);
                if bytes.is_empty() || bytes.ends_with(b"\n") {
                    out.extend_from_slice(text.as_bytes());
                    out.extend_from_slice(self.eol);
                } else {
                    out.extend_from_slice(self.eol);
                    out.extend_from_slice(text.as_bytes());
                }
            }
        }
        Edit {
            changed: out != self.bytes,
            bytes: out,
            entries,
            old_block,
            new_block,
        }
    }
}

/// The lines of a block holding `entries`: names grouped by address in order of
/// first appearance, at most `max_names_per_line` names per line. Empty when there
/// are no entries (the block is removed).
fn render_block(entries: &[Entry], max_names_per_line: usize) -> Vec<String> {
    if entries.is_empty() {
        return Vec::new();
    }
    let mut groups: Vec<(IpAddr, Vec<&str>)> = Vec::new();
    for entry in entries {
        match groups.iter_mut().find(|(ip, _)| *ip == entry.ip) {
            Some((_, names)) => names.push(&entry.host),
            None => groups.push((entry.ip, vec![&entry.host])),
        }
    }
    let mut out = vec![BEGIN_LINE.to_owned()];
    for (ip, names) in groups {
        for chunk in names.chunks(max_names_per_line.max(1)) {
            out.push(format!("{ip} {}", chunk.join(" ")));
        }
    }
    out.push(END_LINE.to_owned());
    out
}

impl Edit {
    /// A unified-style diff of the block, labelled with the file's name.
    pub fn diff(&self, label: &str) -> String {
        let mut out = format!("--- {label}\n+++ {label} (after)\n@@ aseecr block @@\n");
        for (tag, line) in diff_lines(&self.old_block, &self.new_block) {
            out.push(tag);
            out.push_str(line);
            out.push('\n');
        }
        out
    }
}

/// Line diff by longest common subsequence (blocks are a few lines long).
fn diff_lines<'a>(old: &'a [String], new: &'a [String]) -> Vec<(char, &'a str)> {
    let (n, m) = (old.len(), new.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if old[i] == new[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < n || j < m {
        if i < n && j < m && old[i] == new[j] {
            out.push((' ', old[i].as_str()));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(('-', old[i].as_str()));
            i += 1;
        } else {
            out.push(('+', new[j].as_str()));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: &str = "ecr.dbe-hw6h1t2.microsoftdatabox.com";

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn set(host: &str, address: &str) -> Change {
        Change::Set(Entry {
            host: host.to_owned(),
            ip: ip(address),
        })
    }

    /// Apply a change with no limit on names per line and return the new bytes.
    fn apply(bytes: &[u8], change: &Change) -> Vec<u8> {
        Hosts::parse(bytes).unwrap().apply(change, usize::MAX).bytes
    }

    fn block(eol: &str, lines: &[&str]) -> String {
        let mut all = vec![BEGIN_LINE];
        all.extend_from_slice(lines);
        all.push(END_LINE);
        all.join(eol)
    }

    #[test]
    fn adds_a_block_at_the_end_and_keeps_everything_else() {
        let original = b"127.0.0.1\tlocalhost loopback # alias\n\n# a comment\n::1 localhost\n";
        let after = apply(original, &set(HOST, "10.128.44.41"));
        let expected = format!(
            "{}{}\n",
            String::from_utf8_lossy(original),
            block("\n", &[&format!("10.128.44.41 {HOST}")])
        );
        assert_eq!(String::from_utf8(after).unwrap(), expected);
    }

    #[test]
    fn second_run_changes_nothing() {
        let once = apply(b"127.0.0.1 localhost\n", &set(HOST, "10.0.0.1"));
        let edit = Hosts::parse(&once)
            .unwrap()
            .apply(&set(HOST, "10.0.0.1"), usize::MAX);
        assert!(!edit.changed);
        assert_eq!(edit.bytes, once);
    }

    #[test]
    fn new_address_replaces_the_old_one() {
        let once = apply(b"127.0.0.1 localhost\n", &set(HOST, "10.0.0.1"));
        let twice = apply(&once, &set(HOST, "10.0.0.2"));
        let expected = format!(
            "127.0.0.1 localhost\n{}\n",
            block("\n", &[&format!("10.0.0.2 {HOST}")])
        );
        assert_eq!(String::from_utf8(twice.clone()).unwrap(), expected);
        let hosts = Hosts::parse(&twice).unwrap();
        assert_eq!(
            hosts.entries(),
            [Entry {
                host: HOST.into(),
                ip: ip("10.0.0.2")
            }]
        );
    }

    #[test]
    fn removing_the_last_entry_gives_back_the_original_bytes() {
        let originals: [&[u8]; 8] = [
            b"",
            b"127.0.0.1 localhost\n",
            b"127.0.0.1 localhost",
            b"127.0.0.1 localhost\r\n::1 localhost\r\n",
            b"127.0.0.1 localhost\r\n::1 localhost",
            b"\xEF\xBB\xBF127.0.0.1 localhost\r\n",
            b"\xEF\xBB\xBF",
            b"# caf\xE9 \xFF\xFE latin-1\n10.1.1.1 old-box  # \x80\n\n\n",
        ];
        for original in originals {
            let added = apply(original, &set(HOST, "10.0.0.1"));
            assert!(added.starts_with(original), "{original:?}");
            let hosts = Hosts::parse(&added).unwrap();
            assert_eq!(hosts.entries().len(), 1, "{original:?}");
            let removed = apply(&added, &Change::Remove(HOST.into()));
            assert_eq!(removed, original, "{:?}", String::from_utf8_lossy(&added));
        }
    }

    #[test]
    fn crlf_files_get_a_crlf_block() {
        let after = apply(b"127.0.0.1 localhost\r\n", &set(HOST, "10.0.0.1"));
        let expected = format!(
            "127.0.0.1 localhost\r\n{}\r\n",
            block("\r\n", &[&format!("10.0.0.1 {HOST}")])
        );
        assert_eq!(String::from_utf8(after).unwrap(), expected);
    }

    #[test]
    fn missing_final_newline_stays_missing() {
        let after = apply(b"127.0.0.1 localhost", &set(HOST, "10.0.0.1"));
        let expected = format!(
            "127.0.0.1 localhost\n{}",
            block("\n", &[&format!("10.0.0.1 {HOST}")])
        );
        assert_eq!(String::from_utf8(after.clone()).unwrap(), expected);
        // Changing the address keeps the block's (missing) final line break too.
        let replaced = apply(&after, &set(HOST, "10.0.0.9"));
        assert!(!replaced.ends_with(b"\n"));
        assert!(replaced.starts_with(b"127.0.0.1 localhost\n"));
    }

    #[test]
    fn a_bom_is_kept_and_a_block_after_it_is_found() {
        let original = b"\xEF\xBB\xBF127.0.0.1 localhost\n";
        let after = apply(original, &set(HOST, "10.0.0.1"));
        assert!(after.starts_with(original));
        // A block right at the start of a file with a byte order mark is still found.
        let at_start = [BOM, block("\n", &["10.0.0.1 a.example"]).as_bytes(), b"\n"].concat();
        let hosts = Hosts::parse(&at_start).unwrap();
        assert_eq!(hosts.entries().len(), 1);
        let removed = apply(&at_start, &Change::Remove("a.example".into()));
        assert_eq!(removed, BOM);
    }

    #[test]
    fn non_utf8_bytes_around_the_block_survive_a_replacement() {
        let before = b"\xFF\xFEjunk\n";
        let after_text = b"\n# trailing \x80\x81 comment\r\n";
        let file = [
            &before[..],
            block("\n", &[&format!("10.0.0.1 {HOST}")]).as_bytes(),
            &after_text[..],
        ]
        .concat();
        let replaced = apply(&file, &set(HOST, "10.0.0.2"));
        let expected = [
            &before[..],
            block("\n", &[&format!("10.0.0.2 {HOST}")]).as_bytes(),
            &after_text[..],
        ]
        .concat();
        assert_eq!(replaced, expected);
    }

    #[test]
    fn a_block_in_the_middle_is_edited_where_it_is() {
        let file = format!(
            "127.0.0.1 localhost\n{}\n192.168.1.1 router # mine\n",
            block("\n", &["10.0.0.1 a.example", "10.0.0.2 b.example"])
        );
        let removed = apply(file.as_bytes(), &Change::Remove("a.example".into()));
        let expected = format!(
            "127.0.0.1 localhost\n{}\n192.168.1.1 router # mine\n",
            block("\n", &["10.0.0.2 b.example"])
        );
        assert_eq!(String::from_utf8(removed.clone()).unwrap(), expected);
        let gone = apply(&removed, &Change::Remove("b.example".into()));
        assert_eq!(gone, b"127.0.0.1 localhost\n192.168.1.1 router # mine\n");
    }

    #[test]
    fn removing_an_absent_entry_changes_nothing() {
        let file = b"127.0.0.1 localhost\n";
        let edit = Hosts::parse(file)
            .unwrap()
            .apply(&Change::Remove(HOST.into()), usize::MAX);
        assert!(!edit.changed);
        assert_eq!(edit.bytes, file);
    }

    #[test]
    fn several_registries_share_one_block() {
        let mut file = b"127.0.0.1 localhost\n".to_vec();
        file = apply(&file, &set("a.example", "10.0.0.1"));
        file = apply(&file, &set("b.example", "10.0.0.2"));
        file = apply(&file, &set("c.example", "10.0.0.1"));
        file = apply(&file, &set("d.example", "fd00::41"));
        let expected = format!(
            "127.0.0.1 localhost\n{}\n",
            block(
                "\n",
                &[
                    "10.0.0.1 a.example c.example",
                    "10.0.0.2 b.example",
                    "fd00::41 d.example"
                ]
            )
        );
        assert_eq!(String::from_utf8(file.clone()).unwrap(), expected);
        let hosts = Hosts::parse(&file).unwrap();
        let hosts_listed: Vec<&str> = hosts.entries().iter().map(|e| e.host.as_str()).collect();
        assert_eq!(
            hosts_listed,
            ["a.example", "c.example", "b.example", "d.example"]
        );
        // Moving one name to another address splits it off its line.
        file = apply(&file, &set("a.example", "10.0.0.2"));
        assert!(String::from_utf8_lossy(&file).contains("\n10.0.0.2 a.example b.example\n"));
        assert!(String::from_utf8_lossy(&file).contains("\n10.0.0.1 c.example\n"));
    }

    #[test]
    fn windows_lines_hold_at_most_nine_names() {
        let mut hosts = Hosts::parse(b"").unwrap();
        let mut edit = None;
        for n in 0..20 {
            let next = hosts.apply(
                &set(&format!("r{n}.example"), "10.0.0.1"),
                WINDOWS_MAX_NAMES_PER_LINE,
            );
            hosts = Hosts::parse(&next.bytes).unwrap();
            edit = Some(next);
        }
        let text = String::from_utf8(edit.unwrap().bytes).unwrap();
        let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("10.")).collect();
        assert_eq!(lines.len(), 3);
        let counts: Vec<usize> = lines.iter().map(|l| l.split(' ').count() - 1).collect();
        assert_eq!(counts, [9, 9, 2]);
        assert_eq!(hosts.entries().len(), 20);
        assert!(lines[1].starts_with("10.0.0.1 r9.example r10.example"));
    }

    #[test]
    fn ipv6_entries_round_trip() {
        let file = apply(b"", &set(HOST, "FD00:0:0::41"));
        assert!(String::from_utf8_lossy(&file).contains(&format!("\nfd00::41 {HOST}\n")));
        let hosts = Hosts::parse(&file).unwrap();
        assert_eq!(hosts.entries()[0].ip, ip("fd00::41"));
    }

    #[test]
    fn conflicts_are_lines_outside_the_block() {
        let file = format!(
            "10.9.9.9 other {HOST} # alias\n10.0.0.1 {}\n#10.8.8.8 {HOST}\n{}\n",
            HOST.to_uppercase(),
            block("\n", &[&format!("10.0.0.1 {HOST}")])
        );
        let hosts = Hosts::parse(file.as_bytes()).unwrap();
        let found = hosts.conflicts(HOST, Some(ip("10.0.0.1")));
        assert_eq!(
            found,
            [Conflict {
                line: 1,
                address: "10.9.9.9".into(),
                before_block: true
            }]
        );
        // For a removal, every other mapping of the name matters.
        assert_eq!(hosts.conflicts(HOST, None).len(), 2);
        assert!(hosts.conflicts("nothing.example", None).is_empty());
    }

    #[test]
    fn malformed_blocks_are_refused() {
        let unterminated = format!("127.0.0.1 localhost\n{BEGIN_LINE}\n10.0.0.1 a.example\n");
        assert_eq!(
            Hosts::parse(unterminated.as_bytes()).unwrap_err(),
            ParseError::Unterminated { line: 2 }
        );
        let two = format!("{}\n{}\n", block("\n", &[]), block("\n", &[]));
        assert_eq!(
            Hosts::parse(two.as_bytes()).unwrap_err(),
            ParseError::SecondBlock { line: 3 }
        );
        let stray = format!("{END_LINE}\n");
        assert_eq!(
            Hosts::parse(stray.as_bytes()).unwrap_err(),
            ParseError::StrayEnd { line: 1 }
        );
        let bad = block("\n", &["not-an-address a.example"]);
        assert_eq!(
            Hosts::parse(bad.as_bytes()).unwrap_err(),
            ParseError::BadLine { line: 2 }
        );
        let nameless = block("\n", &["10.0.0.1"]);
        assert_eq!(
            Hosts::parse(nameless.as_bytes()).unwrap_err(),
            ParseError::BadLine { line: 2 }
        );
    }

    #[test]
    fn diff_shows_the_block_change() {
        let once = apply(b"127.0.0.1 localhost\n", &set(HOST, "10.0.0.1"));
        let edit = Hosts::parse(&once)
            .unwrap()
            .apply(&set(HOST, "10.0.0.2"), usize::MAX);
        let diff = edit.diff("/etc/hosts");
        let expected = format!(
            "--- /etc/hosts\n+++ /etc/hosts (after)\n@@ aseecr block @@\n {BEGIN_LINE}\n-10.0.0.1 {HOST}\n+10.0.0.2 {HOST}\n {END_LINE}\n"
        );
        assert_eq!(diff, expected);
        let added = Hosts::parse(b"")
            .unwrap()
            .apply(&set(HOST, "10.0.0.1"), usize::MAX);
        assert_eq!(
            added
                .diff("h")
                .lines()
                .filter(|l| l.starts_with('+'))
                .count(),
            4
        );
    }

    #[test]
    fn endpoints_become_host_names() {
        assert_eq!(
            endpoint_host("ecr.dbe-hw6h1t2.microsoftdatabox.com:31001").unwrap(),
            HOST
        );
        assert_eq!(
            endpoint_host("https://ECR.Example.com:443/").unwrap(),
            "ecr.example.com"
        );
        assert_eq!(endpoint_host("registry.local.").unwrap(), "registry.local");
        assert_eq!(endpoint_host("localhost").unwrap(), "localhost");
        for bad in [
            "",
            "10.0.0.1",
            "10.0.0.1:5000",
            "[::1]:5000",
            "fd00::1",
            "host:0",
            "host:99999",
            "host:port",
            "bad_name.example",
            "-lead.example",
            "a..b",
            "ecr.example.com/path",
            "name with space",
            "x.123",
        ] {
            let err = endpoint_host(bad).unwrap_err();
            assert_eq!(err.kind, crate::error::Kind::Usage, "{bad}");
        }
        assert!(endpoint_host(&format!("{}.com", "a".repeat(64))).is_err());
    }

    #[test]
    fn endpoints_are_read_like_registries() {
        use crate::registry::reference::{normalize_registry, registry_host};
        for spelling in [
            "ecr.example.com",
            "ECR.Example.COM:31001",
            "https://ecr.example.com:31001/",
            "http://ecr.example.com",
            "ecr.example.com/v2",
            "https://ecr.example.com:31001/v2/",
            "ecr.example.com/v1/",
            "ecr.example.com.:31001",
            " ecr.example.com ",
        ] {
            let registry = normalize_registry(spelling).unwrap();
            assert_eq!(
                endpoint_host(spelling).unwrap(),
                registry_host(&registry),
                "{spelling}"
            );
            assert_eq!(registry_host(&registry), "ecr.example.com", "{spelling}");
        }
        let label = "a".repeat(64);
        let long_label = format!("{label}.com");
        for bad in [
            "",
            "https://",
            "ecr.example.com/path",
            "ecr.example.com/v2/_catalog",
            "ecr.example.com:0",
            "ecr.example.com:99999",
            "ecr.example.com:port",
            "ecr.example.com:+1",
            "bad_name.example",
            "-lead.example",
            "a..b",
            "x.123",
            "name with space",
            "[::1",
            "[zz]:5000",
            "fd00::1",
            &long_label,
        ] {
            assert!(normalize_registry(bad).is_err(), "{bad}");
            assert!(endpoint_host(bad).is_err(), "{bad}");
        }
        // The hosts file's own rule: a registry may be an IP address, an entry not.
        for ip in [
            "10.0.0.1",
            "10.0.0.1:5000",
            "[::1]:5000",
            "https://[FD00::1]/v2/",
        ] {
            assert!(normalize_registry(ip).is_ok(), "{ip}");
            let err = endpoint_host(ip).unwrap_err();
            assert!(err.message.contains("is an IP address"), "{ip}: {err:?}");
        }
    }

    #[test]
    fn addresses_are_checked() {
        assert_eq!(parse_ip("10.128.44.41").unwrap(), ip("10.128.44.41"));
        assert_eq!(parse_ip("[fd00::41]").unwrap(), ip("fd00::41"));
        for bad in [
            "",
            "10.0.0",
            "10.0.0.256",
            "host",
            "fd00::41::1",
            "fe80::1%eth0",
        ] {
            assert!(parse_ip(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn backup_sits_next_to_the_file() {
        assert_eq!(
            backup_path(Path::new("/etc/hosts")),
            Path::new("/etc/hosts.aseecr.bak")
        );
    }
}
