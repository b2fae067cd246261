//! Progress bars on stderr (indicatif), drawn only when the printer allows it.
//!
//! The copy engine tells each image's plan (its blobs and their sizes) before any
//! blob moves, so the overall bar shows the real total from the start; blobs the
//! destination already has, or mounts, count as done when they are found.

use std::collections::HashMap;
use std::sync::Mutex;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use super::{Printer, human_bytes, terminal_safe};
use crate::registry::copy::{BlobOutcome, ImagePlan, Observer};

/// Until the first image's blobs are known: no bar, so no total to misread.
const PLANNING_TEMPLATE: &str = "{spinner} {msg}";
const TOTAL_TEMPLATE: &str =
    "{spinner} {msg} {bytes}/{total_bytes} {wide_bar} {bytes_per_sec} eta {eta}";
/// A destination's line in a run to several registries.
const LINE_TEMPLATE: &str =
    "{spinner} {prefix}  {msg} {bytes}/{total_bytes} {wide_bar} {bytes_per_sec}";
const IMAGE_TEMPLATE: &str = "{prefix} {msg}";
const BLOB_TEMPLATE: &str = "  {prefix} {msg:<10} {bytes}/{total_bytes} {bar:30}";
/// Blobs smaller than this get no bar of their own.
const BLOB_BAR_MIN: u64 = 1 << 20;

/// Items counted as they are done (repositories read), with a bar.
const COUNT_TEMPLATE: &str = "{spinner} {msg} {pos}/{len} {wide_bar} {elapsed}";

/// Progress of a known number of items: `⠋ reading repositories 3/20 ====>   4s`.
/// Hidden unless the printer draws progress (a terminal, not -q, --no-progress or JSON).
pub struct CountProgress {
    bar: ProgressBar,
}

impl CountProgress {
    pub fn new(printer: &Printer, message: &str, total: usize) -> CountProgress {
        if !printer.progress() {
            return CountProgress {
                bar: ProgressBar::hidden(),
            };
        }
        let bar = ProgressBar::new(total as u64);
        if let Ok(style) = ProgressStyle::with_template(COUNT_TEMPLATE) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(message.to_owned());
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        CountProgress { bar }
    }

    /// One more item done.
    pub fn inc(&self) {
        self.bar.inc(1);
    }

    /// Remove the bar (before the result is printed).
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// The numbers behind the bars, apart from drawing so they can be tested.
#[derive(Debug, Default)]
struct State {
    /// Bytes of every blob of every planned image, each digest once.
    total: u64,
    /// Bytes copied so far, plus the sizes of blobs found or mounted.
    done: u64,
    blobs: HashMap<String, BlobState>,
    images: Vec<ImageState>,
}

#[derive(Debug, Default)]
struct BlobState {
    size: u64,
    /// Bytes of the current attempt counted in `done`.
    moved: u64,
    finished: bool,
    /// Indexes into `State::images` of the images that need it.
    images: Vec<usize>,
}

#[derive(Debug)]
struct ImageState {
    blobs: usize,
    finished: usize,
}

impl State {
    /// Add an image's blobs; returns its index.
    fn plan(&mut self, blobs: &[(String, u64)]) -> usize {
        let index = self.images.len();
        let mut image = ImageState {
            blobs: blobs.len(),
            finished: 0,
        };
        for (digest, size) in blobs {
            let blob = self.blobs.entry(digest.clone()).or_insert_with(|| {
                self.total += size;
                BlobState {
                    size: *size,
                    ..BlobState::default()
                }
            });
            if blob.finished {
                image.finished += 1;
            }
            blob.images.push(index);
        }
        self.images.push(image);
        index
    }

    /// The blob state, created (and counted in the total) if no plan named it.
    fn blob(&mut self, digest: &str, size: u64) -> &mut BlobState {
        self.blobs.entry(digest.to_owned()).or_insert_with(|| {
            self.total += size;
            BlobState {
                size,
                ..BlobState::default()
            }
        })
    }

    /// A transfer (re)starts: what an earlier attempt counted is taken back.
    fn started(&mut self, digest: &str, size: u64) {
        let blob = self.blob(digest, size);
        let was_finished = std::mem::take(&mut blob.finished);
        let counted = if was_finished { blob.size } else { blob.moved };
        blob.moved = 0;
        let images = if was_finished {
            blob.images.clone()
        } else {
            Vec::new()
        };
        self.done = self.done.saturating_sub(counted);
        for i in images {
            self.images[i].finished = self.images[i].finished.saturating_sub(1);
        }
    }

    fn progress(&mut self, digest: &str, bytes: u64) {
        if let Some(blob) = self.blobs.get_mut(digest) {
            blob.moved += bytes;
        }
        self.done += bytes;
    }

    /// A failed attempt will be retried from zero.
    fn retrying(&mut self, digest: &str) {
        if let Some(blob) = self.blobs.get_mut(digest) {
            self.done = self.done.saturating_sub(std::mem::take(&mut blob.moved));
        }
    }

    /// A blob is there (copied, found or mounted: `ok`), or failed.
    fn finished(&mut self, digest: &str, size: u64, ok: bool) {
        let blob = self.blob(digest, size);
        if blob.finished {
            // Also needed by another repository of the run: counted once.
            return;
        }
        let moved = std::mem::take(&mut blob.moved);
        let images = if ok {
            blob.finished = true;
            blob.images.clone()
        } else {
            Vec::new()
        };
        let size = blob.size;
        self.done = self.done.saturating_sub(moved);
        if ok {
            self.done += size;
        }
        for i in images {
            self.images[i].finished += 1;
        }
    }

    fn blobs_finished(&self) -> usize {
        self.blobs.values().filter(|b| b.finished).count()
    }
}

/// Mirror progress: a line per image (name, platforms, blobs done of its
/// count), the overall bar (blobs, bytes of the real total, rate, ETA), and a
/// bar per large blob in flight.
pub struct MirrorProgress {
    multi: MultiProgress,
    total: ProgressBar,
    state: Mutex<State>,
    /// One line per planned image, by its index in the state.
    images: Mutex<Vec<(ProgressBar, String)>>,
    blobs: Mutex<HashMap<String, ProgressBar>>,
    enabled: bool,
    /// One line only (a destination's, among others): no image lines, no blob bars.
    line: bool,
}

/// The progress of a run to several registries: one line per destination.
pub struct DestinationLines {
    multi: MultiProgress,
    enabled: bool,
}

impl DestinationLines {
    pub fn new(printer: &Printer) -> DestinationLines {
        let enabled = printer.progress();
        let multi = if enabled {
            MultiProgress::new()
        } else {
            MultiProgress::with_draw_target(indicatif::ProgressDrawTarget::hidden())
        };
        DestinationLines { multi, enabled }
    }

    /// The line of one destination: its blobs and bytes done of those planned.
    pub fn line(&self, registry: &str) -> MirrorProgress {
        let progress = MirrorProgress::in_multi(self.multi.clone(), self.enabled, true);
        progress
            .total
            .set_prefix(terminal_safe(registry).into_owned());
        progress
    }
}

impl MirrorProgress {
    pub fn new(printer: &Printer) -> MirrorProgress {
        let enabled = printer.progress();
        let multi = if enabled {
            MultiProgress::new()
        } else {
            MultiProgress::with_draw_target(indicatif::ProgressDrawTarget::hidden())
        };
        MirrorProgress::in_multi(multi, enabled, false)
    }

    fn in_multi(multi: MultiProgress, enabled: bool, line: bool) -> MirrorProgress {
        let total = multi.add(ProgressBar::new(0));
        if let Ok(style) = ProgressStyle::with_template(PLANNING_TEMPLATE) {
            total.set_style(style);
        }
        total.set_message("reading manifests");
        if enabled {
            total.enable_steady_tick(std::time::Duration::from_millis(120));
        }
        MirrorProgress {
            multi,
            total,
            state: Mutex::new(State::default()),
            images: Mutex::new(Vec::new()),
            blobs: Mutex::new(HashMap::new()),
            enabled,
            line,
        }
    }

    /// Remove the bars (before the summary is printed).
    pub fn finish(&self) {
        for (bar, _) in self.images.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            bar.finish_and_clear();
        }
        self.total.finish_and_clear();
        let _ = self.multi.clear();
    }

    fn blobs(&self) -> std::sync::MutexGuard<'_, HashMap<String, ProgressBar>> {
        self.blobs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Apply a change to the state, then show it: the overall bar and the lines
    /// of the images whose blob counts may have moved.
    fn update(&self, change: impl FnOnce(&mut State)) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        change(&mut state);
        self.total.set_length(state.total);
        self.total.set_position(state.done.min(state.total));
        self.total.set_message(format!(
            "{}/{} blobs",
            state.blobs_finished(),
            state.blobs.len()
        ));
        if self.enabled && !self.line {
            let images = self.images.lock().unwrap_or_else(|p| p.into_inner());
            for (i, (bar, about)) in images.iter().enumerate() {
                let Some(image) = state.images.get(i) else {
                    continue;
                };
                if bar.is_finished() {
                    continue;
                }
                let message = image_message(about, image);
                if image.finished >= image.blobs {
                    // Drawn at once, whatever the redraw rate: the line ends here.
                    bar.finish_with_message(message);
                } else {
                    bar.set_message(message);
                }
            }
        }
    }
}

/// `linux/amd64, linux/arm64  3/12 blobs (11.7 MiB)`.
fn image_message(about: &str, image: &ImageState) -> String {
    let mark = if image.finished >= image.blobs {
        "done"
    } else {
        "copying"
    };
    format!("{about}{}/{} blobs  {mark}", image.finished, image.blobs)
}

fn short(digest: &str) -> String {
    let hex = digest.split_once(':').map_or(digest, |(_, hex)| hex);
    hex.chars().take(12).collect()
}

impl Observer for MirrorProgress {
    fn image_planned(&self, plan: &ImagePlan<'_>) {
        let bytes: u64 = plan.blobs.iter().map(|(_, size)| size).sum();
        let mut about = String::new();
        if !plan.platforms.is_empty() {
            about.push_str(&terminal_safe(&plan.platforms.join(", ")));
            about.push_str("  ");
        }
        about.push_str(&format!("{}  ", human_bytes(bytes)));
        // Hidden until it joins the others: nothing is drawn on its own.
        let bar = ProgressBar::with_draw_target(Some(0), indicatif::ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(IMAGE_TEMPLATE) {
            bar.set_style(style);
        }
        bar.set_prefix(terminal_safe(plan.image).into_owned());
        let mut images = self.images.lock().unwrap_or_else(|p| p.into_inner());
        let template = if self.line {
            LINE_TEMPLATE
        } else {
            TOTAL_TEMPLATE
        };
        if images.is_empty()
            && let Ok(style) = ProgressStyle::with_template(template)
        {
            self.total.set_style(style.progress_chars("=> "));
        }
        let bar = if self.line {
            bar
        } else {
            self.multi.insert_before(&self.total, bar)
        };
        images.push((bar, about));
        drop(images);
        self.update(|state| {
            state.plan(plan.blobs);
        });
    }

    fn blob_started(&self, digest: &str, size: u64) {
        self.update(|state| state.started(digest, size));
        if !self.enabled || self.line || size < BLOB_BAR_MIN {
            return;
        }
        let bar = self.multi.add(ProgressBar::new(size));
        if let Ok(style) = ProgressStyle::with_template(BLOB_TEMPLATE) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(terminal_safe(&short(digest)).into_owned());
        bar.set_message("copying");
        if let Some(old) = self.blobs().insert(digest.to_owned(), bar) {
            old.finish_and_clear();
            self.multi.remove(&old);
        }
    }

    fn blob_progress(&self, digest: &str, bytes: u64) {
        self.update(|state| state.progress(digest, bytes));
        if let Some(bar) = self.blobs().get(digest) {
            bar.inc(bytes);
        }
    }

    fn blob_retrying(&self, digest: &str, attempt: u32, _reason: &str) {
        // The restarted transfer counts again from zero.
        self.update(|state| state.retrying(digest));
        if let Some(bar) = self.blobs().get(digest) {
            bar.set_position(0);
            bar.set_message(format!("retry {attempt}"));
        }
    }

    fn blob_finished(&self, digest: &str, size: u64, outcome: Option<BlobOutcome>) {
        self.update(|state| state.finished(digest, size, outcome.is_some()));
        if let Some(bar) = self.blobs().remove(digest) {
            bar.finish_and_clear();
            self.multi.remove(&bar);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blobs(list: &[(&str, u64)]) -> Vec<(String, u64)> {
        list.iter().map(|(d, s)| ((*d).to_owned(), *s)).collect()
    }

    #[test]
    fn the_total_is_known_from_the_plan_and_shared_blobs_count_once() {
        let mut state = State::default();
        state.plan(&blobs(&[("a", 100), ("b", 50)]));
        state.plan(&blobs(&[("a", 100), ("c", 10)]));
        assert_eq!(state.total, 160);
        assert_eq!(state.done, 0);
        assert_eq!(state.blobs.len(), 3);

        // a is copied in two chunks; b was already there; c is mounted.
        state.started("a", 100);
        state.progress("a", 60);
        assert_eq!(state.done, 60);
        state.progress("a", 40);
        state.finished("a", 100, true);
        state.finished("b", 50, true);
        assert_eq!(state.done, 150);
        assert_eq!(state.images[0].finished, 2);
        assert_eq!(state.images[1].finished, 1);
        state.finished("c", 10, true);
        assert_eq!((state.done, state.total), (160, 160));
        assert_eq!(state.blobs_finished(), 3);
        assert_eq!(state.images[1].finished, 2);
        // Mounted again into another repository: still counted once.
        state.finished("c", 10, true);
        assert_eq!(state.done, 160);
        assert_eq!(state.images[1].finished, 2);
    }

    #[test]
    fn retries_and_failures_take_back_what_they_counted() {
        let mut state = State::default();
        state.plan(&blobs(&[("a", 100)]));
        state.started("a", 100);
        state.progress("a", 70);
        state.retrying("a");
        assert_eq!(state.done, 0);
        state.progress("a", 30);
        state.finished("a", 100, false);
        assert_eq!(state.done, 0);
        assert_eq!(state.images[0].finished, 0);
        assert_eq!(state.blobs_finished(), 0);
    }

    #[test]
    fn an_image_planned_after_its_blobs_arrived_counts_them() {
        let mut state = State::default();
        state.plan(&blobs(&[("a", 100)]));
        state.finished("a", 100, true);
        let second = state.plan(&blobs(&[("a", 100), ("b", 1)]));
        assert_eq!(state.images[second].finished, 1);
        assert_eq!(state.total, 101);
        // Written again (the registry lost it): the image waits for it again.
        state.started("a", 100);
        assert_eq!(state.done, 0);
        assert_eq!(state.images[second].finished, 0);
    }

    #[test]
    fn an_image_line_names_platforms_and_counts() {
        let image = ImageState {
            blobs: 12,
            finished: 3,
        };
        assert_eq!(
            image_message("linux/amd64, linux/arm64  11.7 MiB  ", &image),
            "linux/amd64, linux/arm64  11.7 MiB  3/12 blobs  copying"
        );
    }
}
