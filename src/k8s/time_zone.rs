//! The IANA time zone names a CronJob's `timeZone` takes, compiled in (from
//! tzdata's `tzdata.zi`, see docs/decisions.md), so the check is the same
//! offline on every system, with or without a zoneinfo folder.

use crate::error::Error;

/// The names, one a line after `#` comments: zones and their links (`US/Eastern`).
const NAMES: &str = include_str!("time_zones.txt");

/// A name no further than this (edits) from a known one is suggested.
const NEAREST_DISTANCE: usize = 3;

fn names() -> impl Iterator<Item = &'static str> {
    NAMES
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

/// Check a `--time-zone`: an IANA name as Kubernetes reads it (Go's
/// `time.LoadLocation`, without `Local`), e.g. `Europe/Berlin` or `UTC`.
pub fn validate_time_zone(zone: &str) -> Result<(), Error> {
    if names().any(|name| name == zone) {
        return Ok(());
    }
    let shown = crate::output::terminal_safe_name(zone);
    let mut error = Error::usage(format!("unknown time zone `{shown}`"));
    let lower = zone.to_ascii_lowercase();
    // Only a name as long as a real one is compared: the distance is quadratic.
    let nearest = names()
        .filter(|_| zone.len() <= 64)
        .map(|name| {
            let distance = strsim::osa_distance(&lower, &name.to_ascii_lowercase());
            (distance, name)
        })
        .min();
    if let Some((distance, name)) = nearest
        && distance <= NEAREST_DISTANCE.min(zone.chars().count() / 2)
    {
        error = error.help(format!("did you mean `--time-zone {name}`?"));
    }
    Err(error.help(
        "give an IANA time zone name (Area/City), e.g. `--time-zone Europe/Berlin` or `--time-zone UTC`",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iana_names_pass_and_others_fail_with_the_nearest() {
        for good in [
            "UTC",
            "Europe/Berlin",
            "America/Argentina/Buenos_Aires",
            "US/Eastern",
            "Etc/GMT+5",
        ] {
            assert!(validate_time_zone(good).is_ok(), "{good}");
        }
        for (bad, nearest) in [
            ("Mars/Olympus", None),
            ("Europe/Berlni", Some("Europe/Berlin")),
            ("europe/berlin", Some("Europe/Berlin")),
            ("Local", None),
            ("", None),
            ("../../etc/passwd", None),
        ] {
            let err = validate_time_zone(bad).unwrap_err();
            assert_eq!(err.kind, crate::error::Kind::Usage);
            let help = err.help.join("\n");
            assert!(help.contains("Europe/Berlin"), "{help}");
            match nearest {
                Some(name) => assert!(
                    help.contains(&format!("did you mean `--time-zone {name}`")),
                    "{help}"
                ),
                None => assert!(!help.contains("did you mean"), "{bad}: {help}"),
            }
        }
        assert!(names().count() > 500);
    }
}
