//! Certificate inspection: the details shown before anything is trusted,
//! SHA-256 fingerprints, and whether a certificate names a registry's host.
//! Reading PEM and DER (refusing private keys and garbage) is [`crate::pki`]'s.

use std::net::IpAddr;

use sha2::{Digest, Sha256};
use x509_parser::extensions::GeneralName;

use crate::error::{Error, Kind};
use crate::pki;

/// A SHA-256 fingerprint of a certificate's DER bytes.
pub type Fingerprint = [u8; 32];

/// One parsed X.509 certificate and what is shown about it.
#[derive(Debug, Clone)]
pub struct Certificate {
    der: Vec<u8>,
    pub info: CertInfo,
}

/// What a person checks before trusting a certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct CertInfo {
    pub subject: String,
    pub issuer: String,
    /// Subject alternative names: `DNS:name` or `IP:address`.
    pub sans: Vec<String>,
    /// RFC 3339, UTC.
    pub not_before: String,
    /// RFC 3339, UTC.
    pub not_after: String,
    /// `CA:TRUE` in basic constraints.
    pub is_ca: bool,
    /// Subject and issuer are the same name.
    pub self_signed: bool,
    /// `AA:BB:...`, upper case, as `openssl x509 -fingerprint -sha256` prints it.
    pub sha256: String,
    pub not_before_unix: i64,
    pub not_after_unix: i64,
    dns_names: Vec<String>,
    ips: Vec<IpAddr>,
}

impl Certificate {
    /// Parse one DER certificate; the bytes must be exactly one certificate.
    pub fn from_der(der: &[u8]) -> Result<Certificate, Error> {
        let cert = pki::parse_x509(der)?;
        let mut sans = Vec::new();
        let mut dns_names = Vec::new();
        let mut ips = Vec::new();
        if let Ok(Some(ext)) = cert.subject_alternative_name() {
            for name in &ext.value.general_names {
                match name {
                    GeneralName::DNSName(dns) => {
                        sans.push(format!("DNS:{dns}"));
                        dns_names.push(dns.to_ascii_lowercase());
                    }
                    GeneralName::IPAddress(bytes) => {
                        let ip = match bytes.len() {
                            4 => <[u8; 4]>::try_from(*bytes).ok().map(IpAddr::from),
                            16 => <[u8; 16]>::try_from(*bytes).ok().map(IpAddr::from),
                            _ => None,
                        };
                        if let Some(ip) = ip {
                            sans.push(format!("IP:{ip}"));
                            ips.push(ip);
                        }
                    }
                    _ => {}
                }
            }
        }
        let is_ca = matches!(cert.basic_constraints(), Ok(Some(ext)) if ext.value.ca);
        let validity = cert.validity();
        let not_before_unix = validity.not_before.timestamp();
        let not_after_unix = validity.not_after.timestamp();
        let fingerprint: Fingerprint = Sha256::digest(der).into();
        let info = CertInfo {
            subject: cert.subject().to_string(),
            issuer: cert.issuer().to_string(),
            sans,
            not_before: rfc3339(not_before_unix),
            not_after: rfc3339(not_after_unix),
            is_ca,
            self_signed: cert.subject().as_raw() == cert.issuer().as_raw(),
            sha256: format_fingerprint(&fingerprint),
            not_before_unix,
            not_after_unix,
            dns_names,
            ips,
        };
        Ok(Certificate {
            der: der.to_vec(),
            info,
        })
    }

    pub fn fingerprint(&self) -> Fingerprint {
        Sha256::digest(&self.der).into()
    }

    /// The certificate's DER bytes, as the Windows certificate store takes and
    /// returns them, and as `doctor` verifies a chain against them.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The certificate as one PEM block (what every store on disk gets).
    pub fn pem(&self) -> String {
        pki::pem(&self.der)
    }

    /// Whether the certificate's validity ended before `now` (Unix seconds).
    pub fn is_expired(&self, now: i64) -> bool {
        self.info.not_after_unix < now
    }

    /// Whether the certificate's validity starts after `now` (Unix seconds).
    pub fn is_not_yet_valid(&self, now: i64) -> bool {
        self.info.not_before_unix > now
    }

    /// Whether a subject alternative name covers `host` (a DNS name or an IP
    /// address, without brackets). `*.example.com` covers one label.
    pub fn names_host(&self, host: &str) -> bool {
        if let Ok(ip) = host.parse::<IpAddr>() {
            return self.info.ips.contains(&ip);
        }
        let host = host.to_ascii_lowercase();
        self.info.dns_names.iter().any(|name| {
            if let Some(suffix) = name.strip_prefix("*.") {
                host.split_once('.')
                    .is_some_and(|(label, rest)| !label.is_empty() && rest == suffix)
            } else {
                *name == host
            }
        })
    }

    /// Whether a missing host name is worth a warning: a server certificate (not a
    /// CA) or a CA that names hosts at all. A plain CA naming no host is normal.
    pub fn should_name_host(&self) -> bool {
        !self.info.is_ca || !self.info.sans.is_empty()
    }
}

/// Parse a PEM (one or more `CERTIFICATE` blocks) or DER certificate file
/// ([`pki::parse`]: refuses private keys and anything that is not a certificate).
pub fn parse(bytes: &[u8]) -> Result<Vec<Certificate>, Error> {
    pki::parse(bytes)?
        .iter()
        .map(|der| Certificate::from_der(der.as_ref()))
        .collect()
}

/// Parse a fingerprint written `AA:BB:...`, `aa bb ...` or as plain hex, with an
/// optional `sha256:` / `SHA256=` prefix.
pub fn parse_fingerprint(input: &str) -> Result<Fingerprint, Error> {
    let trimmed = input.trim();
    let lower = trimmed.to_ascii_lowercase();
    let without_prefix = ["sha256:", "sha256=", "sha256 "]
        .iter()
        .find_map(|prefix| lower.strip_prefix(prefix))
        .unwrap_or(&lower);
    let hex_digits: String = without_prefix
        .chars()
        .filter(|c| !matches!(c, ':' | ' ' | '-'))
        .collect();
    let bad = || {
        Error::usage(format!(
            "`{trimmed}` is not a SHA-256 fingerprint (64 hex digits)"
        ))
        .help("write it as `AA:BB:...` or as plain hex, e.g. from `openssl x509 -noout -fingerprint -sha256 -in FILE`")
    };
    let bytes = hex::decode(&hex_digits).map_err(|_| bad())?;
    Fingerprint::try_from(bytes.as_slice()).map_err(|_| bad())
}

/// `AA:BB:...`, upper case.
pub fn format_fingerprint(fingerprint: &Fingerprint) -> String {
    fingerprint
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Which of `certs` to trust. With a fingerprint: the one it names, else a TLS
/// error (exit 5). Without: the only one; several are ambiguous unless `top_of_chain`
/// (a fetched chain), where the last one presented (closest to the root) is chosen.
pub fn select(
    mut certs: Vec<Certificate>,
    fingerprint: Option<&Fingerprint>,
    top_of_chain: bool,
) -> Result<Certificate, Error> {
    if let Some(wanted) = fingerprint {
        return match certs.iter().position(|c| c.fingerprint() == *wanted) {
            Some(index) => Ok(certs.swap_remove(index)),
            None => {
                let mut err = Error::new(
                    Kind::Tls,
                    format!(
                        "no certificate has the fingerprint `{}`",
                        format_fingerprint(wanted)
                    ),
                );
                for cert in &certs {
                    err = err.help(format!(
                        "found `{}` with SHA-256 {}",
                        cert.info.subject, cert.info.sha256
                    ));
                }
                Err(err.help(
                    "nothing was changed; check the fingerprint against the device's certificate",
                ))
            }
        };
    }
    match certs.len() {
        0 => Err(Error::usage("no certificate to trust")),
        1 => Ok(certs.remove(0)),
        _ if top_of_chain => Ok(certs.pop().expect("several certificates")),
        n => {
            let mut err = Error::usage(format!(
                "the file holds {n} certificates; choose the one to trust with --fingerprint"
            ));
            for cert in &certs {
                err = err.help(format!(
                    "`--fingerprint {}` for `{}`{}",
                    cert.info.sha256,
                    cert.info.subject,
                    if cert.info.is_ca { " (CA)" } else { "" }
                ));
            }
            Err(err)
        }
    }
}

/// Format Unix seconds as RFC 3339 UTC (`2025-01-31T12:00:00Z`).
pub fn rfc3339(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};

    /// A self-signed certificate; `years` bounds its validity (default: 1975 to 4096).
    fn make(sans: &[&str], ca: bool, years: Option<(i32, i32)>) -> (rcgen::Certificate, KeyPair) {
        let key = KeyPair::generate().unwrap();
        let mut params =
            CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "test cert");
        if ca {
            params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        }
        if let Some((from, to)) = years {
            params.not_before = rcgen::date_time_ymd(from, 1, 1);
            params.not_after = rcgen::date_time_ymd(to, 1, 1);
        }
        (params.self_signed(&key).unwrap(), key)
    }

    fn now() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
    }

    #[test]
    fn reads_pem_and_der_alike() {
        let (cert, _) = make(&["ecr.example.com"], false, None);
        let from_pem = parse(cert.pem().as_bytes()).unwrap();
        let from_der = parse(cert.der()).unwrap();
        assert_eq!(from_pem.len(), 1);
        assert_eq!(from_pem[0].der, from_der[0].der);
        assert_eq!(from_pem[0].info, from_der[0].info);
        let info = &from_der[0].info;
        assert_eq!(info.subject, "CN=test cert");
        assert!(info.self_signed);
        assert!(!info.is_ca);
        assert_eq!(info.sans, ["DNS:ecr.example.com"]);
        let expected: Fingerprint = Sha256::digest(cert.der()).into();
        assert_eq!(from_der[0].fingerprint(), expected);
        // Re-encoding as PEM gives the same certificate back.
        assert_eq!(
            parse(from_der[0].pem().as_bytes()).unwrap()[0].der,
            cert.der().as_ref()
        );
    }

    #[test]
    fn a_bundle_is_ambiguous_unless_a_fingerprint_picks_one() {
        let (a, _) = make(&["a.example"], false, None);
        let (b, _) = make(&[], true, None);
        let bundle = format!("{}\n{}", a.pem(), b.pem());
        let certs = parse(bundle.as_bytes()).unwrap();
        assert_eq!(certs.len(), 2);
        let err = select(certs.clone(), None, false).unwrap_err();
        assert_eq!(err.kind, Kind::Usage);
        assert!(
            err.message.contains("holds 2 certificates"),
            "{}",
            err.message
        );
        assert!(err.help.iter().any(|h| h.contains("(CA)")));
        let wanted = certs[1].fingerprint();
        assert_eq!(
            select(certs.clone(), Some(&wanted), false).unwrap().der,
            b.der().as_ref()
        );
        // A fetched chain defaults to its top.
        assert_eq!(
            select(certs.clone(), None, true).unwrap().der,
            b.der().as_ref()
        );
        let err = select(certs, Some(&[7; 32]), true).unwrap_err();
        assert_eq!(err.kind, Kind::Tls);
    }

    #[test]
    fn private_keys_are_refused_even_next_to_a_certificate() {
        let (cert, key) = make(&["a.example"], false, None);
        let err = parse(key.serialize_pem().as_bytes()).unwrap_err();
        assert!(err.message.contains("private key"), "{}", err.message);
        let both = format!("{}{}", cert.pem(), key.serialize_pem());
        assert!(
            parse(both.as_bytes())
                .unwrap_err()
                .message
                .contains("private key")
        );
        let err = parse(&key.serialize_der()).unwrap_err();
        assert!(err.message.contains("private key"), "{}", err.message);
        let rsa = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n";
        assert!(
            parse(rsa.as_bytes())
                .unwrap_err()
                .message
                .contains("private key")
        );
    }

    #[test]
    fn garbage_is_refused() {
        let err = parse(b"hello, I am not a certificate\n").unwrap_err();
        assert!(err.message.contains("not a certificate"), "{}", err.message);
        assert_eq!(err.kind, Kind::Usage);
        let err = parse(b"").unwrap_err();
        assert!(err.message.contains("not a certificate"));
        let csr = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";
        assert!(
            parse(csr.as_bytes())
                .unwrap_err()
                .message
                .contains("no certificate")
        );
        let broken = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert!(parse(broken.as_bytes()).is_err());
        let (cert, _) = make(&["a.example"], false, None);
        let mut trailing = cert.der().to_vec();
        trailing.extend_from_slice(b"junk");
        assert!(parse(&trailing).is_err());
    }

    #[test]
    fn validity_is_checked() {
        let (expired, _) = make(&["a.example"], false, Some((2000, 2001)));
        let cert = &parse(expired.der()).unwrap()[0];
        assert!(cert.is_expired(now()));
        assert!(!cert.is_not_yet_valid(now()));
        let (future, _) = make(&["a.example"], false, Some((2090, 2091)));
        let cert = &parse(future.der()).unwrap()[0];
        assert!(!cert.is_expired(now()));
        assert!(cert.is_not_yet_valid(now()));
    }

    #[test]
    fn host_names_are_matched_against_sans() {
        let (cert, _) = make(
            &["ecr.dbe-x.example.com", "*.wild.example", "10.0.0.5", "::1"],
            false,
            None,
        );
        let cert = &parse(cert.der()).unwrap()[0];
        assert!(cert.names_host("ecr.dbe-x.example.com"));
        assert!(cert.names_host("ECR.dbe-x.example.com"));
        assert!(cert.names_host("a.wild.example"));
        assert!(!cert.names_host("a.b.wild.example"));
        assert!(!cert.names_host("wild.example"));
        assert!(cert.names_host("10.0.0.5"));
        assert!(cert.names_host("::1"));
        assert!(!cert.names_host("10.0.0.6"));
        assert!(!cert.names_host("other.example.com"));
        assert!(cert.info.sans.contains(&"IP:10.0.0.5".to_owned()));
        assert!(cert.should_name_host());
        // A CA naming no host needs no warning.
        let (ca, _) = make(&[], true, None);
        let ca = &parse(ca.der()).unwrap()[0];
        assert!(ca.info.is_ca);
        assert!(!ca.should_name_host());
    }

    #[test]
    fn fingerprints_in_every_common_spelling() {
        let bytes: Fingerprint = core::array::from_fn(|i| i as u8 * 7);
        let colon = format_fingerprint(&bytes);
        assert_eq!(colon.len(), 95);
        assert!(colon.starts_with("00:07:0E:15"));
        assert_eq!(parse_fingerprint(&colon).unwrap(), bytes);
        assert_eq!(parse_fingerprint(&colon.to_lowercase()).unwrap(), bytes);
        assert_eq!(parse_fingerprint(&hex::encode(bytes)).unwrap(), bytes);
        assert_eq!(parse_fingerprint(&hex::encode_upper(bytes)).unwrap(), bytes);
        assert_eq!(
            parse_fingerprint(&format!("SHA256:{}", hex::encode(bytes))).unwrap(),
            bytes
        );
        assert_eq!(
            parse_fingerprint(&format!("sha256={colon}")).unwrap(),
            bytes
        );
        assert!(parse_fingerprint("AA:BB").is_err());
        assert!(parse_fingerprint(&"zz".repeat(32)).is_err());
        assert!(parse_fingerprint("").unwrap_err().help[0].contains("AA:BB"));
    }

    #[test]
    fn dates_are_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_735_689_599), "2024-12-31T23:59:59Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
    }
}
