//! Progress bars on stderr (indicatif), drawn only when the printer allows it.

use indicatif::{ProgressBar, ProgressStyle};

use super::Printer;

const SPINNER_TEMPLATE: &str = "{spinner} {msg}";

/// A spinner for a step of unknown length, hidden unless progress is on.
pub fn spinner(printer: &Printer, message: impl Into<String>) -> ProgressBar {
    if !printer.progress() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template(SPINNER_TEMPLATE) {
        bar.set_style(style);
    }
    bar.set_message(message.into());
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    bar
}
