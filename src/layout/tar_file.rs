//! Writing an archive file whole or not at all: a tar streamed into a temporary
//! file beside it, flushed, synced and renamed over it in one step, and the
//! write errors that name the file (no space left gets its own help). Both
//! archive writers (`oci-archive:` and `docker-archive:`) end here.

use std::io::BufWriter;
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
    temp.persist(archive)
        .map_err(|err| write_error(archive, &err.error))?;
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
