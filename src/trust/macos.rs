//! The macOS OS trust store: the System keychain, changed with `security`.
//! Only argv is built here, so the logic is unit-tested on every OS.

use anyhow::Result;

use super::{Action, Environment, Fingerprint, Op, Outcome, Request, Store};

/// The keychain that holds system-wide trust.
pub const SYSTEM_KEYCHAIN: &str = "/Library/Keychains/System.keychain";

/// `security add-trusted-cert`: a self-signed certificate is a root (`trustRoot`);
/// any other is trusted as one (`trustAsRoot`). The certificate file comes last.
pub fn add_argv(keychain: &str, self_signed: bool) -> Vec<String> {
    let policy = if self_signed {
        "trustRoot"
    } else {
        "trustAsRoot"
    };
    [
        "security",
        "add-trusted-cert",
        "-d",
        "-r",
        policy,
        "-k",
        keychain,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

/// `security delete-certificate -Z SHA256 -t`: deletes the certificate and its
/// trust settings.
pub fn remove_argv(keychain: &str, fingerprint: &Fingerprint) -> Vec<String> {
    vec![
        "security".to_owned(),
        "delete-certificate".to_owned(),
        "-Z".to_owned(),
        hex::encode_upper(fingerprint),
        "-t".to_owned(),
        keychain.to_owned(),
    ]
}

/// `security find-certificate -a -Z`: lists every certificate with its hashes.
pub fn find_argv(keychain: &str) -> Vec<String> {
    ["security", "find-certificate", "-a", "-Z", keychain]
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
}

/// Whether `find-certificate -Z` output lists the certificate
/// (`SHA-256 hash: HEX` lines).
pub fn listed(output: &str, fingerprint: &Fingerprint) -> bool {
    let wanted = hex::encode(fingerprint);
    output.lines().any(|line| {
        line.trim()
            .strip_prefix("SHA-256 hash:")
            .is_some_and(|hash| hash.trim().eq_ignore_ascii_case(&wanted))
    })
}

/// Plan the System keychain: ask `security` whether the certificate is there,
/// then add it (with trust settings) or delete it.
pub fn plan(env: &Environment, request: &Request<'_>) -> Result<Action> {
    let keychain = env.system_path(SYSTEM_KEYCHAIN).display().to_string();
    let fingerprint = request.cert.fingerprint();
    let present = match query(env, &find_argv(&keychain))? {
        Some(output) => listed(&output, &fingerprint),
        None => false,
    };
    Ok(match (request.remove, present) {
        (false, true) => Action::new(Store::Os, Outcome::AlreadyTrusted, keychain),
        (false, false) => Action::new(Store::Os, Outcome::Add, keychain.clone()).op(Op::Run {
            argv: add_argv(&keychain, request.cert.info.self_signed),
            cert_file: Some(request.cert.pem().into_bytes()),
            stdin: None,
        }),
        (true, true) => Action::new(Store::Os, Outcome::Remove, keychain.clone()).op(Op::Run {
            argv: remove_argv(&keychain, &fingerprint),
            cert_file: None,
            stdin: None,
        }),
        (true, false) => Action::new(Store::Os, Outcome::NotTrusted, keychain),
    })
}

/// Run a read-only `security` query; `None` under `--root` without a replacement.
fn query(env: &Environment, argv: &[String]) -> Result<Option<String>> {
    if env.root.is_some() && env.command.is_none() {
        return Ok(None);
    }
    let mut command = match &env.command {
        Some(program) => {
            let mut c = std::process::Command::new(program);
            c.args(argv);
            c
        }
        None => {
            let mut c = std::process::Command::new(&argv[0]);
            c.args(&argv[1..]);
            c
        }
    };
    let output = command
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|err| anyhow::Error::new(err).context("cannot run `security`"))?;
    Ok(Some(String::from_utf8_lossy(&output.stdout).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argv_for_security() {
        assert_eq!(
            add_argv(SYSTEM_KEYCHAIN, true),
            [
                "security",
                "add-trusted-cert",
                "-d",
                "-r",
                "trustRoot",
                "-k",
                "/Library/Keychains/System.keychain"
            ]
        );
        assert_eq!(add_argv("/k", false)[4], "trustAsRoot");
        let fp = [0xab; 32];
        let argv = remove_argv("/k", &fp);
        assert_eq!(argv[..3], ["security", "delete-certificate", "-Z"]);
        assert_eq!(argv[3], "AB".repeat(32));
        assert_eq!(
            find_argv("/k"),
            ["security", "find-certificate", "-a", "-Z", "/k"]
        );
    }

    #[test]
    fn finds_the_certificate_in_security_output() {
        let fp = [0x1f; 32];
        let output = format!(
            "SHA-256 hash: {}\nSHA-1 hash: 00\nkeychain: \"/Library/Keychains/System.keychain\"\n",
            hex::encode_upper(fp)
        );
        assert!(listed(&output, &fp));
        assert!(!listed(&output, &[0x2f; 32]));
        assert!(!listed("", &fp));
    }
}
