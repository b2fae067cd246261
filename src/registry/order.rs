//! How tags are ordered and how old an image may be: names in the order people
//! read versions, and ages such as `30d` (prune policies, sync files, `tags`).

use std::cmp::Ordering;

use crate::error::Error;

/// `30d`, `12h`, `90m`, `2w`, `45s`: an age in seconds.
pub fn parse_age(text: &str) -> Result<i64, Error> {
    let invalid = || {
        Error::usage(format!("invalid age `{text}`"))
            .help("give a number and a unit: s, m, h, d or w, as in `30d` or `12h`")
    };
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(invalid)?;
    let (number, unit) = text.split_at(split);
    let number: i64 = number.parse().map_err(|_| invalid())?;
    let unit = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return Err(invalid()),
    };
    number.checked_mul(unit).ok_or_else(invalid)
}

/// Order names as people read versions: runs of digits by value (`1.9` before
/// `1.10`), the rest by character; ties by the plain string order.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a, b);
    loop {
        match (x.chars().next(), y.chars().next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let end_x = x.find(|c: char| !c.is_ascii_digit()).unwrap_or(x.len());
                let end_y = y.find(|c: char| !c.is_ascii_digit()).unwrap_or(y.len());
                let (nx, ny) = (
                    x[..end_x].trim_start_matches('0'),
                    y[..end_y].trim_start_matches('0'),
                );
                let order = nx.len().cmp(&ny.len()).then_with(|| nx.cmp(ny));
                if order != Ordering::Equal {
                    return order;
                }
                x = &x[end_x..];
                y = &y[end_y..];
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                x = &x[c.len_utf8()..];
                y = &y[d.len_utf8()..];
            }
        }
    }
}
