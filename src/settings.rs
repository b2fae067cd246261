//! Global options + environment + config file, resolved into plain [`Settings`].

use std::io::{BufRead, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};

use crate::cli::GlobalArgs;
use crate::config::{ConfigDir, ConfigFile};
use crate::error::Error;
use crate::output::Printer;
use crate::registry::Platform;
use crate::secret::SecretString;

/// Environment variable holding a password (never a flag, so it stays out of argv).
pub const PASSWORD_ENV: &str = "ASEECR_PASSWORD";

/// Everything a command needs to know about how it was asked to run.
#[derive(Debug, Clone)]
pub struct Settings {
    pub printer: Printer,
    /// `-y/--yes`: skip confirmation prompts.
    pub yes: bool,
    pub config_dir: ConfigDir,
    pub config: ConfigFile,
    /// The folder holding docker's `config.json`.
    pub docker_config_dir: PathBuf,
    /// `--registry` / `ASEECR_REGISTRY`, else the configured default.
    pub default_registry: Option<String>,
    /// Connection settings given on the command line, for this run only.
    pub overrides: ConnectionOverrides,
    /// `--username` / `ASEECR_USERNAME`.
    pub username: Option<String>,
    /// `--password-stdin` / `ASEECR_PASSWORD`.
    pub password: Option<SecretString>,
    /// `ASEECR_PLATFORM`, else the configured platform: what `mirror` copies of
    /// a multi-platform image without `--platform`. Checked where it is used.
    pub default_platform: Option<DefaultPlatform>,
}

/// The default platform as written, and where it was found (for messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultPlatform {
    pub value: String,
    pub origin: &'static str,
}

/// The default platform for this run (`all`: every platform, whatever is configured).
pub const PLATFORM_ENV: &str = "ASEECR_PLATFORM";
/// The `--platform` value (also of `ASEECR_PLATFORM`) that means every platform.
pub const ALL_PLATFORMS: &str = "all";

/// The platforms to copy of a multi-platform image: those `given` with
/// `--platform`, else the default; empty means the whole index. `all` (alone)
/// means the whole index, overriding the default.
pub fn platform_choice(
    given: &[String],
    default: Option<&DefaultPlatform>,
) -> Result<Vec<Platform>> {
    if given.iter().any(|p| p == ALL_PLATFORMS) {
        if given.len() > 1 {
            return Err(Error::usage(
                "`--platform all` copies every platform and cannot be combined with another --platform",
            )
            .help("pass either `--platform all` or one --platform per platform wanted")
            .into());
        }
        return Ok(Vec::new());
    }
    if !given.is_empty() {
        return Ok(given
            .iter()
            .map(|p| Platform::parse(p))
            .collect::<Result<Vec<_>, _>>()?);
    }
    match default {
        None => Ok(Vec::new()),
        Some(default) if default.value == ALL_PLATFORMS => Ok(Vec::new()),
        Some(default) => match Platform::parse(&default.value) {
            Ok(platform) => Ok(vec![platform]),
            Err(err) => Err(Error::usage(format!("{} (from {})", err.message, default.origin))
                .help("set a valid one: `aseecr config set platform linux/amd64`, or `aseecr config unset platform`")
                .into()),
        },
    }
}

/// TLS and protocol settings given for one run.
#[derive(Debug, Clone, Default)]
pub struct ConnectionOverrides {
    pub ca_cert: Option<PathBuf>,
    pub insecure: bool,
    pub plain_http: bool,
    /// `ASEECR_RETRY_BASE_MS`.
    pub retry_base: Option<Duration>,
    /// `ASEECR_PAGE_SIZE`.
    pub page_size: Option<usize>,
    /// `ASEECR_CONNECT_TIMEOUT`.
    pub connect_timeout: Option<Duration>,
    /// `ASEECR_RESPONSE_TIMEOUT`.
    pub response_timeout: Option<Duration>,
    /// `ASEECR_IDLE_TIMEOUT`.
    pub idle_timeout: Option<Duration>,
}

/// First retry delay in milliseconds (tests make it short).
pub const RETRY_BASE_ENV: &str = "ASEECR_RETRY_BASE_MS";
/// Entries per page of `tags` and `catalog`.
pub const PAGE_SIZE_ENV: &str = "ASEECR_PAGE_SIZE";
/// Seconds to connect to a registry (decimals allowed).
pub const CONNECT_TIMEOUT_ENV: &str = "ASEECR_CONNECT_TIMEOUT";
/// Seconds from a request to its response headers (decimals allowed).
pub const RESPONSE_TIMEOUT_ENV: &str = "ASEECR_RESPONSE_TIMEOUT";
/// Seconds in which a body must bring at least 1 KiB (decimals allowed).
pub const IDLE_TIMEOUT_ENV: &str = "ASEECR_IDLE_TIMEOUT";

/// The `--color` choice in aseecr's own terms.
pub fn color_choice(args: &GlobalArgs) -> crate::output::ColorChoice {
    color_choice_of(args.color)
}

pub fn color_choice_of(when: crate::cli::ColorWhen) -> crate::output::ColorChoice {
    use crate::cli::ColorWhen;
    use crate::output::ColorChoice;
    match when {
        ColorWhen::Auto => ColorChoice::Auto,
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
    }
}

impl Settings {
    /// Resolve the global options. Reads the password from stdin when asked to.
    pub fn resolve(args: &GlobalArgs) -> Result<Settings> {
        let printer = Printer::new(args.quiet, args.verbose, args.no_progress);
        let config_dir = match &args.config_dir {
            Some(dir) => dir.clone(),
            None => ConfigDir::default_dir().ok_or_else(|| {
                Error::usage("cannot find the home directory for aseecr's configuration")
                    .help("set ASEECR_CONFIG_DIR or pass --config-dir DIR")
            })?,
        };
        let config_dir = ConfigDir::new(config_dir);
        let config = config_dir.load()?;
        let docker_config_dir = match &args.docker_config {
            Some(dir) => dir.clone(),
            None => directories::BaseDirs::new()
                .map(|dirs| dirs.home_dir().join(".docker"))
                .ok_or_else(|| {
                    Error::usage("cannot find the home directory for docker's config.json")
                        .help("set DOCKER_CONFIG or pass --docker-config DIR")
                })?,
        };
        let default_registry = args
            .registry
            .clone()
            .filter(|r| !r.is_empty())
            .or_else(|| config.registry.clone());
        let default_platform = default_platform(&config);
        let password = if args.password_stdin {
            Some(read_password_stdin()?)
        } else {
            std::env::var(PASSWORD_ENV)
                .ok()
                .filter(|p| !p.is_empty())
                .map(SecretString::new)
        };
        Ok(Settings {
            printer,
            yes: args.yes,
            config_dir,
            config,
            docker_config_dir,
            default_registry,
            overrides: ConnectionOverrides {
                ca_cert: args.ca_cert.clone(),
                insecure: args.insecure,
                plain_http: args.plain_http,
                retry_base: env_number(RETRY_BASE_ENV).map(Duration::from_millis),
                page_size: env_number(PAGE_SIZE_ENV)
                    .filter(|n| *n > 0)
                    .map(|n| n as usize),
                connect_timeout: env_seconds(CONNECT_TIMEOUT_ENV)?,
                response_timeout: env_seconds(RESPONSE_TIMEOUT_ENV)?,
                idle_timeout: env_seconds(IDLE_TIMEOUT_ENV)?,
            },
            username: args.username.clone().filter(|u| !u.is_empty()),
            password,
            default_platform,
        })
    }

    /// The registry a command without one should use, or a usage error saying how to set it.
    pub fn require_registry(&self, given: Option<&str>) -> Result<String> {
        match given.or(self.default_registry.as_deref()) {
            Some(registry) => Ok(crate::registry::reference::normalize_registry(registry)?),
            None => Err(
                Error::usage("no registry given and no default registry is set")
                    .help("pass the registry, e.g. `ecr.dbe-xyz.microsoftdatabox.com:31001`")
                    .help("or set a default: `aseecr config set registry HOST:PORT`")
                    .into(),
            ),
        }
    }

    /// Whether prompts may be shown (stdin is a terminal).
    pub fn interactive(&self) -> bool {
        std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
    }

    pub fn config_path(&self) -> PathBuf {
        self.config_dir.file()
    }

    /// The trust policy to verify with: `given` (`--verify-policy`), else the
    /// configured `verify-policy`, else `trustpolicy.json` in the
    /// configuration folder's `verify/` when it exists; with where it came from.
    pub fn verify_policy(&self, given: Option<&Path>) -> Option<(PathBuf, &'static str)> {
        if let Some(path) = given {
            return Some((path.to_owned(), "--verify-policy"));
        }
        if let Some(path) = &self.config.verify_policy {
            return Some((path.clone(), "`verify-policy` in aseecr's config.json"));
        }
        let default = self.default_verify_policy();
        default
            .exists()
            .then_some((default, "aseecr's configuration folder"))
    }

    /// The trust store folder: `given` (`--trust-store`), else the configured
    /// `trust-store`, else `verify/truststore` in the configuration folder.
    pub fn trust_store(&self, given: Option<&Path>) -> PathBuf {
        given
            .map(Path::to_owned)
            .or_else(|| self.config.trust_store.clone())
            .unwrap_or_else(|| self.default_trust_store())
    }

    /// `verify/trustpolicy.json` in the configuration folder.
    pub fn default_verify_policy(&self) -> PathBuf {
        self.config_dir
            .dir()
            .join(VERIFY_DIR)
            .join("trustpolicy.json")
    }

    /// `verify/truststore` in the configuration folder (notation's layout).
    pub fn default_trust_store(&self) -> PathBuf {
        self.config_dir.dir().join(VERIFY_DIR).join("truststore")
    }
}

/// The folder in the configuration folder holding the default trust policy
/// and trust store of `verify`.
pub const VERIFY_DIR: &str = "verify";

/// `ASEECR_PLATFORM` when set and not empty, else `platform` in config.json.
fn default_platform(config: &ConfigFile) -> Option<DefaultPlatform> {
    let from_env = std::env::var(PLATFORM_ENV)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .map(|value| DefaultPlatform {
            value,
            origin: PLATFORM_ENV,
        });
    from_env.or_else(|| {
        config.platform.clone().map(|value| DefaultPlatform {
            value,
            origin: "`platform` in aseecr's config.json",
        })
    })
}

/// A whole number from an environment variable, if set and valid.
fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// A timeout in seconds from an environment variable: unset or empty is none; a
/// value that is not a positive number of seconds (at most a day) is a usage
/// error, since silently using the default would hide the mistake.
fn env_seconds(name: &str) -> Result<Option<Duration>> {
    let Some(value) = std::env::var(name).ok().filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    parse_seconds(&value).map(Some).ok_or_else(|| {
        Error::usage(format!(
            "{name}=`{value}` is not a number of seconds between 0 and 86400"
        ))
        .help(format!(
            "set it to seconds, e.g. `{name}=30`, or unset it for the default"
        ))
        .into()
    })
}

fn parse_seconds(value: &str) -> Option<Duration> {
    let seconds: f64 = value.trim().parse().ok()?;
    (seconds > 0.0 && seconds <= 86_400.0).then(|| Duration::from_secs_f64(seconds))
}

/// The most read from standard input for `--password-stdin`.
pub const PASSWORD_STDIN_MAX: u64 = 4 * 1024;

fn read_password_stdin() -> Result<SecretString> {
    let bytes = read_password_line(&mut std::io::stdin().lock(), PASSWORD_STDIN_MAX)?;
    let password = decode_password(&bytes)?;
    if password.is_empty() {
        return Err(Error::usage("--password-stdin was given but standard input is empty")
            .help("pipe the password in: `printf '%s' \"$PASSWORD\" | aseecr login -u USER --password-stdin`")
            .into());
    }
    Ok(SecretString::new(password))
}

/// The password's line from `input`, at most `max` bytes: up to the first newline,
/// so that what follows stays for `--from-info -`. A line that starts with the
/// UTF-16 LE byte order mark (PowerShell with `$OutputEncoding` set to Unicode) is
/// read to the end of the input instead, since its newline is two bytes.
fn read_password_line(input: &mut impl BufRead, max: u64) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut limited = Read::take(&mut *input, max + 1);
    let context = "cannot read the password from standard input";
    limited.read_until(b'\n', &mut bytes).context(context)?;
    if bytes.starts_with(&[0xff, 0xfe]) {
        limited.read_to_end(&mut bytes).context(context)?;
    }
    if bytes.len() as u64 > max {
        return Err(Error::usage(format!(
            "the password on standard input is longer than {}",
            crate::fsutil::human_size(max)
        ))
        .help("pipe only the password, on one line: `printf '%s' \"$PASSWORD\" | aseecr login -u USER --password-stdin`")
        .into());
    }
    Ok(bytes)
}

/// The password in the first line of `bytes`, without its line ending. A leading
/// UTF-8 byte order mark (PowerShell 5 piping with `$OutputEncoding` set to UTF-8)
/// is dropped; UTF-16 LE with its byte order mark is decoded.
fn decode_password(bytes: &[u8]) -> Result<String> {
    let text = if let Some(utf16) = bytes.strip_prefix(&[0xff, 0xfe]) {
        let units: Vec<u16> = utf16
            .chunks(2)
            .map(|pair| u16::from_le_bytes([pair[0], pair.get(1).copied().unwrap_or(0)]))
            .collect();
        String::from_utf16(&units).map_err(|_| {
            Error::usage("the password on standard input is not valid UTF-16")
                .help("pipe the password as UTF-8 text")
        })?
    } else {
        let utf8 = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        String::from_utf8(utf8.to_vec()).map_err(|_| {
            Error::usage("the password on standard input is not UTF-8 text")
                .help("pipe the password as UTF-8 text")
        })?
    };
    let line = text.split('\n').next().unwrap_or_default();
    Ok(line.trim_end_matches(['\r', '\0']).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_given_override_the_default_and_all_means_the_whole_index() {
        let strings = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let default = |value: &str| DefaultPlatform {
            value: value.to_owned(),
            origin: PLATFORM_ENV,
        };
        let shown = |p: Vec<Platform>| p.iter().map(ToString::to_string).collect::<Vec<_>>();
        let amd = default("linux/amd64");
        assert_eq!(
            shown(platform_choice(&[], None).unwrap()),
            Vec::<String>::new()
        );
        assert_eq!(
            shown(platform_choice(&[], Some(&amd)).unwrap()),
            ["linux/amd64"]
        );
        assert_eq!(
            shown(platform_choice(&strings(&["linux/arm64/v8"]), Some(&amd)).unwrap()),
            ["linux/arm64/v8"]
        );
        assert!(
            platform_choice(&strings(&["all"]), Some(&amd))
                .unwrap()
                .is_empty()
        );
        assert!(
            platform_choice(&[], Some(&default("all")))
                .unwrap()
                .is_empty()
        );
        for (given, default) in [
            (strings(&["all", "linux/amd64"]), None),
            (strings(&["linux"]), None),
            (Vec::new(), Some(default("amd64"))),
        ] {
            let err = platform_choice(&given, default.as_ref()).unwrap_err();
            let err = crate::error::find(&err).expect("an aseecr error");
            assert_eq!(err.kind, crate::error::Kind::Usage, "{given:?}");
        }
        // An invalid default says where it came from.
        let err = platform_choice(&[], Some(&default("amd64"))).unwrap_err();
        let err = crate::error::find(&err).expect("an aseecr error");
        let parse_error = Platform::parse("amd64").unwrap_err().message;
        assert_eq!(err.message, format!("{parse_error} (from {PLATFORM_ENV})"));
    }

    #[test]
    fn timeouts_are_positive_seconds() {
        assert_eq!(parse_seconds("30"), Some(Duration::from_secs(30)));
        assert_eq!(parse_seconds(" 0.5 "), Some(Duration::from_millis(500)));
        for bad in ["0", "-1", "abc", "1e9", "NaN", "inf"] {
            assert_eq!(parse_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn passwords_from_powershell_pipes_are_decoded() {
        assert_eq!(decode_password(b"s3cret\n").unwrap(), "s3cret");
        assert_eq!(decode_password(b"s3cret\r\nmore\n").unwrap(), "s3cret");
        assert_eq!(
            decode_password(b"\xef\xbb\xbfs3cret\r\n").unwrap(),
            "s3cret"
        );
        let mut utf16 = vec![0xff, 0xfe];
        for unit in "p\u{e4}ss\r\n".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        assert_eq!(decode_password(&utf16).unwrap(), "p\u{e4}ss");
        assert!(decode_password(b"\xff\xffx").is_err());
        // A byte order mark alone is an empty password.
        assert_eq!(decode_password(b"\xef\xbb\xbf\n").unwrap(), "");
    }

    #[test]
    fn the_password_read_is_bounded_and_stops_at_the_line() {
        let mut input: &[u8] = b"pw\nrest of stdin";
        assert_eq!(read_password_line(&mut input, 16).unwrap(), b"pw\n");
        assert_eq!(input, b"rest of stdin");
        let mut endless = std::io::repeat(b'a');
        let err = read_password_line(&mut std::io::BufReader::new(&mut endless), 4096).unwrap_err();
        assert!(err.to_string().contains("longer than 4 KiB"), "{err}");
        let exact = vec![b'a'; 4096];
        assert_eq!(
            read_password_line(&mut exact.as_slice(), 4096)
                .unwrap()
                .len(),
            4096
        );
        // UTF-16 LE: read past the 0x0A of its two-byte newline.
        let mut utf16: &[u8] = b"\xff\xfep\x00\n\x00";
        assert_eq!(read_password_line(&mut utf16, 64).unwrap().len(), 6);
    }
}
