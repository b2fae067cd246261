//! Property tests for hosts-file editing: adding an entry and removing it again
//! gives back the exact bytes, whatever the file held around aseecr's block.

use std::net::IpAddr;

use proptest::prelude::*;

use super::{Change, Entry, Hosts};

/// Lines a hosts file may hold: mappings, comments, blank lines, junk, bytes
/// that are not UTF-8, with LF or CRLF, with or without a final line break.
fn hosts_file() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        "(127\\.0\\.0\\.1|::1|10\\.[0-9]{1,3}\\.0\\.1)[ \t]+[a-z][a-z0-9.-]{0,20}( [a-z]{1,8})?",
        "#[ -~]{0,40}",
        "[ \t]{0,3}",
        "[ -~]{0,40}",
    ]
    .prop_map(String::into_bytes);
    let odd = prop::collection::vec(any::<u8>(), 0..6).prop_map(|bytes| {
        bytes
            .into_iter()
            .filter(|b| *b != b'\n' && *b != b'\r')
            .collect()
    });
    let line = prop_oneof![4 => line, 1 => odd];
    (
        prop::collection::vec(line, 0..8),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, crlf, final_break, bom)| {
            let eol: &[u8] = if crlf { b"\r\n" } else { b"\n" };
            let mut out = Vec::new();
            if bom {
                out.extend_from_slice(b"\xef\xbb\xbf");
            }
            for (i, line) in lines.iter().enumerate() {
                out.extend_from_slice(line);
                if i + 1 < lines.len() || final_break {
                    out.extend_from_slice(eol);
                }
            }
            out
        })
}

fn entry() -> impl Strategy<Value = Entry> {
    (
        "[a-z][a-z0-9-]{0,10}\\.[a-z]{2,6}",
        any::<[u8; 4]>(),
        any::<bool>(),
    )
        .prop_map(|(host, octets, v6)| {
            let ip: IpAddr = if v6 {
                IpAddr::from([0xfd00, 0, 0, 0, 0, 0, 0, u16::from(octets[3])])
            } else {
                IpAddr::from(octets)
            };
            Entry { host, ip }
        })
}

fn apply(bytes: &[u8], change: &Change, names: usize) -> Vec<u8> {
    Hosts::parse(bytes).unwrap().apply(change, names).bytes
}

proptest! {
    #[test]
    fn add_then_remove_gives_back_the_exact_bytes(
        original in hosts_file(),
        first in entry(),
        second in entry(),
        names in 1usize..10,
    ) {
        prop_assume!(first.host != second.host);
        // Any file: with nothing of aseecr's in it.
        let added = apply(&original, &Change::Set(first.clone()), names);
        prop_assert_ne!(&added, &original);
        let removed = apply(&added, &Change::Remove(first.host.clone()), names);
        prop_assert_eq!(&removed, &original);

        // A file that already has aseecr's block: adding and removing another
        // entry gives back that file too.
        let with_block = added;
        let both = apply(&with_block, &Change::Set(second.clone()), names);
        let back = apply(&both, &Change::Remove(second.host.clone()), names);
        prop_assert_eq!(&back, &with_block);

        // Setting what is already there changes nothing.
        prop_assert_eq!(apply(&with_block, &Change::Set(first), names), with_block);
    }

    /// Any bytes: parsing answers, and a parsed file can always take an entry.
    #[test]
    fn any_bytes_parse_or_are_refused(bytes in prop::collection::vec(any::<u8>(), 0..300), extra in entry()) {
        if let Ok(hosts) = Hosts::parse(&bytes) {
            let edit = hosts.apply(&Change::Set(extra), 9);
            prop_assert!(Hosts::parse(&edit.bytes).is_ok());
        }
    }
}
