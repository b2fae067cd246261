//! Certificates as bytes: reading PEM (one or more `CERTIFICATE` blocks) or DER
//! files, refusing private keys and anything that is not an X.509 certificate,
//! and writing PEM. What a certificate says (names, validity, fingerprints) is
//! `trust::cert`'s business; how a connection trusts one is `registry::tls`'s.

use std::path::Path;

use anyhow::{Context, Result};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::error::Error;
use crate::fsutil;
use crate::fsutil::ShowPath;

/// Read every certificate in a PEM or DER file (see [`parse`]); an error in the
/// content is reported with the file's name.
pub fn read(path: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let bytes = fsutil::read_file(path, &fsutil::CERTIFICATE)?;
    parse(&bytes).with_context(|| format!("in `{}`", path.shown()))
}

/// Parse a PEM (one or more `CERTIFICATE` blocks) or DER certificate file.
/// Refuses a file holding a private key anywhere, and anything that is not a
/// certificate. Messages say "the file", for callers to name it.
pub fn parse(bytes: &[u8]) -> Result<Vec<CertificateDer<'static>>, Error> {
    let refuse_key = || {
        Error::usage("the file holds a private key; refusing to read it as a certificate")
            .help("give the certificate alone (the `.crt`/`.cer`/`.pem` file without the key); a private key must never be copied into a trust store")
    };
    if contains(bytes, b"-----BEGIN ") {
        if contains(bytes, b"PRIVATE KEY-----") || PrivateKeyDer::from_pem_slice(bytes).is_ok() {
            return Err(refuse_key());
        }
        let ders = CertificateDer::pem_slice_iter(bytes)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|err| Error::usage(format!("the file is not valid PEM: {err}")))?;
        if ders.is_empty() {
            return Err(Error::usage(
                "the file holds no certificate (PEM without a `CERTIFICATE` block)",
            )
            .help(
                "give the registry's certificate as PEM (`-----BEGIN CERTIFICATE-----`) or DER",
            ));
        }
        for der in &ders {
            parse_x509(der)?;
        }
        return Ok(ders);
    }
    if PrivateKeyDer::try_from(bytes).is_ok() {
        return Err(refuse_key());
    }
    match parse_x509(bytes) {
        Ok(_) => Ok(vec![CertificateDer::from(bytes.to_vec())]),
        Err(_) => Err(
            Error::usage("the file is not a certificate (expected PEM or DER X.509)")
                .help("give the registry's certificate, e.g. the `.cer` downloaded from the device's local UI"),
        ),
    }
}

/// Parse one DER X.509 certificate; the bytes must be exactly one certificate.
pub fn parse_x509(der: &[u8]) -> Result<X509Certificate<'_>, Error> {
    let (rest, cert) = X509Certificate::from_der(der)
        .map_err(|err| Error::usage(format!("not an X.509 certificate: {err}")))?;
    if !rest.is_empty() {
        return Err(Error::usage(
            "not an X.509 certificate: extra bytes after the certificate",
        ));
    }
    Ok(cert)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// One certificate as a PEM block (what every store on disk gets).
pub fn pem(der: &[u8]) -> String {
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in body.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    pem
}

/// A certificate's SHA-256 fingerprint as `AA:BB:...`, upper case, as
/// `openssl x509 -fingerprint -sha256` prints it.
pub fn sha256_colon(der: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Certificates as PEM text, one block each (the format docker and containerd read).
pub fn to_pem(certificates: &[CertificateDer<'_>]) -> String {
    certificates.iter().map(|cert| pem(cert.as_ref())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{CertificateParams, KeyPair};

    fn make() -> (rcgen::Certificate, KeyPair) {
        let key = KeyPair::generate().unwrap();
        let params = CertificateParams::new(vec!["a.example".to_owned()]).unwrap();
        (params.self_signed(&key).unwrap(), key)
    }

    #[test]
    fn pem_and_der_read_alike_and_pem_round_trips() {
        let (a, _) = make();
        let (b, _) = make();
        assert_eq!(parse(a.der()).unwrap(), [a.der().clone()]);
        let bundle = format!("{}\n{}", a.pem(), b.pem());
        let both = parse(bundle.as_bytes()).unwrap();
        assert_eq!(both, [a.der().clone(), b.der().clone()]);
        assert_eq!(parse(to_pem(&both).as_bytes()).unwrap(), both);
        assert_eq!(to_pem(&both), format!("{}{}", pem(a.der()), pem(b.der())));
        assert!(to_pem(&both).lines().all(|line| line.len() <= 64));
    }

    #[test]
    fn keys_and_garbage_are_refused() {
        let (cert, key) = make();
        let both = format!("{}{}", cert.pem(), key.serialize_pem());
        let err = parse(both.as_bytes()).unwrap_err();
        assert!(err.message.contains("private key"), "{}", err.message);
        let err = parse(&key.serialize_der()).unwrap_err();
        assert!(err.message.contains("private key"), "{}", err.message);
        let err = parse(b"hello").unwrap_err();
        assert!(err.message.contains("not a certificate"), "{}", err.message);
        let broken = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let err = parse(broken.as_bytes()).unwrap_err();
        assert!(err.message.contains("not an X.509"), "{}", err.message);
        let mut trailing = cert.der().to_vec();
        trailing.extend_from_slice(b"junk");
        assert!(parse(&trailing).is_err());
    }

    #[test]
    fn read_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        let err = read(&path).unwrap_err();
        assert_eq!(
            crate::error::find(&err).unwrap().kind,
            crate::error::Kind::NotFound
        );
        std::fs::write(&path, "garbage").unwrap();
        let err = read(&path).unwrap_err();
        assert!(err.to_string().contains("ca.pem"), "{err}");
        assert_eq!(
            crate::error::find(&err).unwrap().kind,
            crate::error::Kind::Usage
        );
    }
}
