//! Platform selectors (`os/arch[/variant]`): parsed once from a flag or a
//! config file, matched against the entries of an image index.

use crate::error::Error;

/// The most platforms one message lists ([`Platform::listed`]); the rest are
/// counted.
pub const MAX_PLATFORMS_LISTED: usize = 20;

/// A platform selector, `os/arch[/variant]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    pub os: String,
    pub arch: String,
    pub variant: Option<String>,
}

impl Platform {
    pub fn parse(input: &str) -> Result<Platform, Error> {
        let parts: Vec<&str> = input.split('/').collect();
        match parts.as_slice() {
            [os, arch] if !os.is_empty() && !arch.is_empty() => Ok(Platform {
                os: os.to_string(),
                arch: arch.to_string(),
                variant: None,
            }),
            [os, arch, variant] if !os.is_empty() && !arch.is_empty() && !variant.is_empty() => {
                Ok(Platform {
                    os: os.to_string(),
                    arch: arch.to_string(),
                    variant: Some(variant.to_string()),
                })
            }
            _ => Err(Error::usage(format!(
                "invalid platform `{input}`: expected OS/ARCH or OS/ARCH/VARIANT, e.g. `linux/amd64` or `linux/arm64/v8`"
            ))),
        }
    }

    /// Platforms (an index's, as written) for a message: each once, in order
    /// of first appearance, the first [`MAX_PLATFORMS_LISTED`] and how many
    /// more. An index may list one platform a thousand times.
    pub fn listed(platforms: impl IntoIterator<Item = String>) -> String {
        let mut seen = std::collections::HashSet::new();
        let distinct: Vec<String> = platforms
            .into_iter()
            .filter(|p| seen.insert(p.clone()))
            .collect();
        let mut listed = distinct
            .iter()
            .take(MAX_PLATFORMS_LISTED)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if distinct.len() > MAX_PLATFORMS_LISTED {
            listed.push_str(&format!(
                " and {} more",
                distinct.len() - MAX_PLATFORMS_LISTED
            ));
        }
        listed
    }

    /// Whether an index entry's platform is this one (any variant when none is given).
    pub fn matches(&self, platform: &oci_client::manifest::Platform) -> bool {
        platform.os.to_string() == self.os
            && platform.architecture.to_string() == self.arch
            && self
                .variant
                .as_deref()
                .is_none_or(|v| platform.variant.as_deref() == Some(v))
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.os, self.arch)?;
        if let Some(variant) = &self.variant {
            write!(f, "/{variant}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_are_listed_once_each_and_capped() {
        let same = std::iter::repeat_n("linux/amd64".to_owned(), 1000);
        assert_eq!(Platform::listed(same), "linux/amd64");
        let mixed = ["linux/arm64", "linux/amd64", "linux/arm64"].map(String::from);
        assert_eq!(Platform::listed(mixed), "linux/arm64, linux/amd64");
        let many = (0..50).map(|i| format!("linux/arch{i}"));
        let listed = Platform::listed(many);
        assert!(listed.starts_with("linux/arch0, linux/arch1, "), "{listed}");
        assert!(listed.ends_with("linux/arch19 and 30 more"), "{listed}");
        assert_eq!(Platform::listed(Vec::new()), "");
    }

    #[test]
    fn platforms_parse() {
        assert_eq!(
            Platform::parse("linux/amd64").unwrap().to_string(),
            "linux/amd64"
        );
        assert_eq!(
            Platform::parse("linux/arm64/v8")
                .unwrap()
                .variant
                .as_deref(),
            Some("v8")
        );
        for bad in ["linux", "linux/", "/amd64", "a/b/c/d", ""] {
            assert!(Platform::parse(bad).is_err(), "{bad}");
        }
    }
}
