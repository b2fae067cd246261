//! Progress bars on stderr (indicatif), drawn only when the printer allows it.

use std::collections::HashMap;
use std::sync::Mutex;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use super::Printer;
use crate::registry::copy::{BlobOutcome, Observer};

const TOTAL_TEMPLATE: &str =
    "{spinner} {msg} {bytes}/{total_bytes} {wide_bar} {bytes_per_sec} eta {eta}";
const BLOB_TEMPLATE: &str = "  {prefix} {msg:<10} {bytes}/{total_bytes} {bar:30}";
/// Blobs smaller than this get no bar of their own.
const BLOB_BAR_MIN: u64 = 1 << 20;

/// Mirror progress: overall bytes, rate and ETA, plus a bar per large blob in flight.
pub struct MirrorProgress {
    multi: MultiProgress,
    total: ProgressBar,
    blobs: Mutex<HashMap<String, ProgressBar>>,
    enabled: bool,
}

impl MirrorProgress {
    pub fn new(printer: &Printer) -> MirrorProgress {
        let enabled = printer.progress();
        let multi = if enabled {
            MultiProgress::new()
        } else {
            MultiProgress::with_draw_target(indicatif::ProgressDrawTarget::hidden())
        };
        let total = multi.add(ProgressBar::new(0));
        if let Ok(style) = ProgressStyle::with_template(TOTAL_TEMPLATE) {
            total.set_style(style.progress_chars("=> "));
        }
        total.set_message("copying");
        if enabled {
            total.enable_steady_tick(std::time::Duration::from_millis(120));
        }
        MirrorProgress {
            multi,
            total,
            blobs: Mutex::new(HashMap::new()),
            enabled,
        }
    }

    /// Remove the bars (before the summary is printed).
    pub fn finish(&self) {
        self.total.finish_and_clear();
        let _ = self.multi.clear();
    }

    fn blobs(&self) -> std::sync::MutexGuard<'_, HashMap<String, ProgressBar>> {
        self.blobs.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn short(digest: &str) -> String {
    let hex = digest.split_once(':').map_or(digest, |(_, hex)| hex);
    hex.chars().take(12).collect()
}

impl Observer for MirrorProgress {
    fn blob_started(&self, digest: &str, size: u64) {
        self.total.inc_length(size);
        if !self.enabled || size < BLOB_BAR_MIN {
            return;
        }
        let bar = self.multi.add(ProgressBar::new(size));
        if let Ok(style) = ProgressStyle::with_template(BLOB_TEMPLATE) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(super::terminal_safe(&short(digest)).into_owned());
        bar.set_message("copying");
        self.blobs().insert(digest.to_owned(), bar);
    }

    fn blob_progress(&self, digest: &str, bytes: u64) {
        self.total.inc(bytes);
        if let Some(bar) = self.blobs().get(digest) {
            bar.inc(bytes);
        }
    }

    fn blob_retrying(&self, digest: &str, attempt: u32, _reason: &str) {
        if let Some(bar) = self.blobs().get(digest) {
            // The restarted transfer counts again from zero.
            self.total
                .set_position(self.total.position().saturating_sub(bar.position()));
            bar.set_position(0);
            bar.set_message(format!("retry {attempt}"));
        }
    }

    fn blob_finished(&self, digest: &str, _size: u64, _outcome: Option<BlobOutcome>) {
        if let Some(bar) = self.blobs().remove(digest) {
            bar.finish_and_clear();
            self.multi.remove(&bar);
        }
    }
}
