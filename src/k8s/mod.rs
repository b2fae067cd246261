//! Kubernetes helpers as pure functions over text: the image pull secret for a
//! registry ([`secret`]) and the rewriting of workload manifests so their images
//! come from the edge registry ([`relocate`]).

pub mod cronjob;
#[cfg(test)]
mod proptests;
pub mod relocate;
pub mod secret;
pub mod time_zone;
mod yaml;

use crate::error::Error;

/// The name of the image pull secret that an Azure Stack Edge device creates in
/// every namespace of its Kubernetes cluster.
pub const DEFAULT_PULL_SECRET: &str = "ase-ecr-credentials";

/// Check a Secret name (an RFC 1123 DNS subdomain, as Kubernetes requires).
pub fn validate_secret_name(name: &str) -> Result<(), Error> {
    let ok = !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| is_dns_label(label, 253));
    if ok {
        Ok(())
    } else {
        Err(Error::usage(format!("invalid secret name `{name}`"))
            .help("use lower-case letters, digits, `-` and `.`, starting and ending with a letter or digit, e.g. `ase-ecr-credentials`"))
    }
}

/// Check a namespace name (an RFC 1123 DNS label, as Kubernetes requires).
pub fn validate_namespace(namespace: &str) -> Result<(), Error> {
    if is_dns_label(namespace, 63) {
        Ok(())
    } else {
        Err(Error::usage(format!("invalid namespace `{namespace}`"))
            .help("use at most 63 lower-case letters, digits and `-`, starting and ending with a letter or digit"))
    }
}

fn is_dns_label(label: &str, max: usize) -> bool {
    let bytes = label.as_bytes();
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    !bytes.is_empty()
        && bytes.len() <= max
        && bytes.iter().all(|b| alnum(b) || *b == b'-')
        && bytes.first().is_some_and(alnum)
        && bytes.last().is_some_and(alnum)
}

/// `value` as a YAML string scalar: plain when that reads back as the same string,
/// else double-quoted. Plain is used only for conservative cases (no leading digit,
/// no indicator characters, not a YAML 1.1 boolean or null), so some strings that
/// kubectl would leave plain are quoted; both read back the same.
pub fn yaml_string(value: &str) -> String {
    const KEYWORDS: &[&str] = &[
        "y", "yes", "n", "no", "true", "false", "on", "off", "null", "~",
    ];
    let plain = value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '/')
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '/' | ':' | '@'))
        && !value.contains("://")
        && !value.ends_with(':')
        && !KEYWORDS.contains(&value.to_ascii_lowercase().as_str());
    if plain {
        value.to_owned()
    } else {
        // A JSON string is a valid YAML double-quoted scalar.
        serde_json::Value::String(value.to_owned()).to_string()
    }
}

/// `text` as the value of a mapping key whose block content is indented by
/// `indent` spaces: a literal block (`|`, `|-` without a final newline, `|+`
/// with several) when that reads back as exactly `text`, else a double-quoted
/// string. A literal block is refused for text that starts with white space or
/// a blank line (the indentation would be misread) and for text with control
/// characters (a carriage return is a line break in YAML), a byte-order mark or
/// the Unicode line and paragraph separators.
pub fn yaml_text(text: &str, indent: usize) -> String {
    let printable = |c: char| {
        c == '\n'
            || c == '\t'
            || !(c.is_control() || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}'))
    };
    let literal =
        !text.is_empty() && !text.starts_with(char::is_whitespace) && text.chars().all(printable);
    if !literal {
        return double_quoted(text);
    }
    let chomp = if !text.ends_with('\n') {
        "-"
    } else if text.ends_with("\n\n") {
        "+"
    } else {
        ""
    };
    let body = text.strip_suffix('\n').unwrap_or(text);
    let pad = " ".repeat(indent);
    let mut out = format!("|{chomp}");
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    out
}

/// `text` as a YAML double-quoted scalar, with every character YAML does not
/// take raw (controls, DEL, C1 controls, a byte-order mark, the line and
/// paragraph separators) escaped, as are `\\` and `"`.
fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_follow_rfc_1123() {
        assert!(validate_secret_name("ase-ecr-credentials").is_ok());
        assert!(validate_secret_name("a.b-c.d1").is_ok());
        for bad in ["", "Upper", "-x", "x-", "a..b", "a_b", &"x".repeat(254)] {
            let err = validate_secret_name(bad).unwrap_err();
            assert!(
                err.message.contains(&format!("`{bad}`")),
                "{bad}: {}",
                err.message
            );
        }
    }

    #[test]
    fn namespaces_are_dns_labels() {
        assert!(validate_namespace("kube-system").is_ok());
        assert!(validate_namespace(&"a".repeat(63)).is_ok());
        for bad in ["", "a.b", "A", &"a".repeat(64)] {
            assert!(validate_namespace(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn strings_are_quoted_only_when_needed() {
        assert_eq!(yaml_string("ase-ecr-credentials"), "ase-ecr-credentials");
        assert_eq!(
            yaml_string("ecr.example:31001/oss/nginx:1.17"),
            "ecr.example:31001/oss/nginx:1.17"
        );
        assert_eq!(yaml_string("true"), "\"true\"");
        assert_eq!(yaml_string("No"), "\"No\"");
        assert_eq!(yaml_string("123"), "\"123\"");
        assert_eq!(yaml_string("1e3"), "\"1e3\"");
        assert_eq!(yaml_string("[::1]:5000/x"), "\"[::1]:5000/x\"");
        assert_eq!(yaml_string("a: b"), "\"a: b\"");
        assert_eq!(yaml_string(""), "\"\"");
    }
}
