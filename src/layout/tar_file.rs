//! Writing an archive file whole or not at all: a tar streamed into a temporary
//! file beside it, flushed, synced and renamed over it in one step, and the
//! write errors that name the file (no space left gets its own help). Both
//! archive writers (`oci-archive:` and `docker-archive:`) end here. Reading:
//! the bound on the extension entries the tar crate reads into memory
//! ([`ListReader`]).

use std::io::{BufWriter, Read, Seek};
use std::path::Path;

use anyhow::Result;

use crate::error::{Error, Kind};
use crate::fsutil::ShowPath;

/// The buffer between the tar writer and the file.
const BUFFER: usize = 256 * 1024;

/// The tar being written into the temporary file.
pub(super) type TarBuilder<'f> = tar::Builder<BufWriter<&'f std::fs::File>>;

/// Write the tar that `fill` appends its entries to into a temporary file
/// beside `archive`, then put it in place of `archive` in one rename. When
/// `fill` (or any step) fails, `archive` is untouched and the temporary file
/// goes.
pub(super) fn write_archive(
    archive: &Path,
    fill: impl FnOnce(&mut TarBuilder<'_>) -> Result<()>,
) -> Result<()> {
    let parent = crate::fsutil::dir_of(archive);
    let temp = crate::fsutil::temp_file_for(archive).map_err(|err| write_error(parent, &err))?;
    let mut builder = tar::Builder::new(BufWriter::with_capacity(BUFFER, temp.as_file()));
    fill(&mut builder)?;
    let out = builder
        .into_inner()
        .map_err(|err| write_error(archive, &err))?;
    out.into_inner()
        .map_err(|err| write_error(archive, err.error()))?
        .sync_all()
        .map_err(|err| write_error(archive, &err))?;
    crate::fsutil::persist(temp, archive).map_err(|err| write_error(archive, &err))?;
    Ok(())
}

/// A failed write, naming the file; no space left gets its own help.
pub(super) fn write_error(path: &Path, err: &std::io::Error) -> anyhow::Error {
    let full = err.raw_os_error() == Some(28) || err.kind() == std::io::ErrorKind::StorageFull;
    let mut error = Error::new(
        Kind::Failed,
        format!("cannot write `{}`: {err}", path.shown()),
    );
    if full {
        error = error
            .help("free space on that disk (or write elsewhere) and run the same command again");
    }
    error.into()
}

/// The size of a tar header.
const HEADER: u64 = 512;

/// An archive as the tar crate lists it (`entries_with_seek`), bounding what it
/// reads into memory. Listing seeks to every header (past the data of the entry
/// before), so what is read between two seeks is one header and, for an
/// extension entry (GNU long name or long link, PAX header), its data, which the
/// tar crate reads whole before the entry it describes. A header declaring an
/// extension entry larger than [`TAR_EXTENSION`](crate::fsutil::TAR_EXTENSION)
/// fails with [`ExtensionTooLarge`] before its data is read; and whatever the
/// headers say, no more than one header and that limit is read in a row.
pub(super) struct ListReader<R> {
    inner: R,
    /// Bytes read since the last seek.
    run: u64,
}

impl<R> ListReader<R> {
    pub(super) fn new(inner: R) -> ListReader<R> {
        ListReader { inner, run: 0 }
    }
}

/// An extension entry over [`TAR_EXTENSION`](crate::fsutil::TAR_EXTENSION).
#[derive(Debug)]
pub(super) struct ExtensionTooLarge;

impl std::fmt::Display for ExtensionTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a tar extension entry is too large")
    }
}

impl std::error::Error for ExtensionTooLarge {}

impl ExtensionTooLarge {
    /// Whether `err` (from the tar crate) is this.
    pub(super) fn is(err: &std::io::Error) -> bool {
        err.get_ref()
            .is_some_and(|inner| inner.is::<ExtensionTooLarge>())
    }
}

/// Whether `block` is a tar header (its checksum holds) declaring an extension
/// entry larger than the limit. Anything else is left to the tar crate.
fn oversized_extension(block: &[u8]) -> bool {
    let Ok(block) = <&[u8; HEADER as usize]>::try_from(block) else {
        return false;
    };
    let header = tar::Header::from_byte_slice(block);
    // As the tar crate sums it: the checksum field counts as spaces.
    let sum = block[..148]
        .iter()
        .chain(&block[156..])
        .map(|&b| u32::from(b))
        .sum::<u32>()
        + 8 * u32::from(b' ');
    let kind = header.entry_type();
    let extension = kind.is_gnu_longname()
        || kind.is_gnu_longlink()
        || kind.is_pax_local_extensions()
        || kind.is_pax_global_extensions();
    header.cksum().is_ok_and(|stored| stored == sum)
        && extension
        && header
            .entry_size()
            .is_ok_and(|size| size > crate::fsutil::TAR_EXTENSION.max)
}

impl<R: Read> Read for ListReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let allowed = (HEADER + crate::fsutil::TAR_EXTENSION.max).saturating_sub(self.run);
        if allowed == 0 {
            return Err(std::io::Error::other(ExtensionTooLarge));
        }
        let want = buf
            .len()
            .min(usize::try_from(allowed).unwrap_or(usize::MAX));
        let read = self.inner.read(&mut buf[..want])?;
        if self.run == 0 && oversized_extension(&buf[..read]) {
            return Err(std::io::Error::other(ExtensionTooLarge));
        }
        self.run += read as u64;
        Ok(read)
    }
}

impl<R: Seek> Seek for ListReader<R> {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        self.run = 0;
        self.inner.seek(pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tar holding `entries` (type, declared size, data written), then the end.
    fn tar_of(entries: &[(u8, u64, usize)]) -> Vec<u8> {
        let mut bytes = Vec::new();
        for &(kind, size, written) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_path("entry").unwrap();
            header.set_entry_type(tar::EntryType::new(kind));
            header.set_size(size);
            header.set_cksum();
            bytes.extend_from_slice(header.as_bytes());
            bytes.extend(std::iter::repeat_n(b'a', written.div_ceil(512) * 512));
        }
        bytes.extend([0u8; 1024]);
        bytes
    }

    fn list(bytes: Vec<u8>) -> std::io::Result<Vec<u64>> {
        let mut archive = tar::Archive::new(ListReader::new(std::io::Cursor::new(bytes)));
        archive
            .entries_with_seek()?
            .map(|entry| entry.map(|e| e.size()))
            .collect()
    }

    #[test]
    fn extension_entries_over_the_limit_are_refused_before_they_are_read() {
        let max = crate::fsutil::TAR_EXTENSION.max;
        // A long name within the limit describes the next entry.
        let fine = tar_of(&[(b'L', 600, 600), (b'0', 3, 3)]);
        assert_eq!(list(fine).unwrap(), [3]);
        for kind in [b'L', b'K', b'x', b'g'] {
            // Declared huge, with little data behind it (as a crafted file).
            let err = list(tar_of(&[(kind, 1 << 40, 1024), (b'0', 3, 3)])).unwrap_err();
            assert!(ExtensionTooLarge::is(&err), "{}: {err}", kind as char);
            let err = list(tar_of(&[(kind, max + 1, 0)])).unwrap_err();
            assert!(ExtensionTooLarge::is(&err), "{}: {err}", kind as char);
        }
        // File data is seeked past, not read, whatever its size.
        let big = tar_of(&[(b'0', 4 * max, 4 * max as usize), (b'0', 1, 1)]);
        assert_eq!(list(big).unwrap(), [4 * max, 1]);
        // Not a tar (no header checksum holds), though `x` is where a type is.
        let err = list(vec![b'x'; 2000]).unwrap_err();
        assert!(!ExtensionTooLarge::is(&err), "{err}");
        // Many empty entries in a row are one header each.
        let many: Vec<(u8, u64, usize)> = (0..5000).map(|_| (b'5', 0, 0)).collect();
        assert_eq!(list(tar_of(&many)).unwrap().len(), 5000);
    }
}
