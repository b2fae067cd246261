//! The certificate chain of a Notary Project signature: the order and links the
//! signature specification requires ("Certificate Requirements"), the anchor in a
//! named trust store, validity at a time, and the signing certificate's subject.
//! Only basic constraints, key usage and extended key usage are honoured; other
//! extensions are ignored, as the specification says ("fail open").

use x509_parser::objects::{oid_registry, oid2abbrev};
use x509_parser::prelude::{FromDer, X509Certificate, X509Name};

use super::super::policy::DistinguishedName;
use super::super::{Failure, VerifyError};
use super::crypto;

fn untrusted(message: impl Into<String>) -> VerifyError {
    VerifyError::new(Failure::UntrustedChain, message)
}

/// Parse each DER certificate of the chain (trailing bytes refused).
pub fn parse(ders: &[Vec<u8>]) -> Result<Vec<X509Certificate<'_>>, VerifyError> {
    ders.iter()
        .enumerate()
        .map(|(i, der)| match X509Certificate::from_der(der) {
            Ok((&[], cert)) => Ok(cert),
            _ => Err(VerifyError::new(
                Failure::Malformed,
                format!(
                    "certificate {} of the signature's chain is not a DER X.509 certificate",
                    i + 1
                ),
            )),
        })
        .collect()
}

fn position(i: usize, len: usize) -> String {
    match i {
        0 => "the signing certificate".to_string(),
        i if i + 1 == len => "the chain's root certificate".to_string(),
        i => format!("intermediate certificate {i}"),
    }
}

/// The chain's order, links and extensions: each certificate issued and signed by
/// the next, the last self-signed, CA certificates with critical basic constraints
/// (cA, path length honoured) and a critical key usage with keyCertSign, the
/// signing certificate per `leaf_rules`. `timestamping` selects the TSA rules.
pub fn check_structure(
    certs: &[X509Certificate<'_>],
    timestamping: bool,
) -> Result<(), VerifyError> {
    let len = certs.len();
    for (i, cert) in certs.iter().enumerate() {
        let what = position(i, len);
        if !crypto::key_strong_enough(cert.public_key()) {
            return Err(untrusted(format!(
                "{what} has a key weaker than RSA 2048 or ECDSA P-256, or of another kind"
            )));
        }
        let issuer = certs.get(i + 1).unwrap_or(cert);
        if cert.issuer().as_raw() != issuer.subject().as_raw() {
            return Err(untrusted(if i + 1 == len {
                format!("{what} is not self-signed: the chain does not end with a root")
            } else {
                format!("{what} is not issued by the next certificate of the chain")
            }));
        }
        crypto::verify_cert_signature(cert, issuer.public_key())
            .map_err(|reason| untrusted(format!("{what}: {reason}")))?;
        if i == 0 {
            leaf_rules(cert, len == 1, timestamping)
                .map_err(|r| untrusted(format!("{what} {r}")))?;
        } else {
            ca_rules(cert, i - 1).map_err(|r| untrusted(format!("{what} {r}")))?;
        }
    }
    Ok(())
}

fn ca_rules(cert: &X509Certificate<'_>, below: usize) -> Result<(), String> {
    match cert.basic_constraints() {
        Ok(Some(bc)) if bc.critical && bc.value.ca => {
            if let Some(max) = bc.value.path_len_constraint
                && (max as usize) < below
            {
                return Err(format!(
                    "allows {max} CA certificates below it and has {below}"
                ));
            }
        }
        Ok(Some(bc)) if !bc.value.ca => return Err("is not a CA certificate".into()),
        Ok(Some(_)) => return Err("has basic constraints not marked critical".into()),
        _ => return Err("has no basic constraints".into()),
    }
    match cert.key_usage() {
        Ok(Some(ku)) if ku.critical && ku.value.key_cert_sign() => Ok(()),
        Ok(Some(ku)) if !ku.critical => Err("has a key usage not marked critical".into()),
        Ok(Some(_)) => Err("has a key usage without certificate signing".into()),
        _ => Err("has no key usage".into()),
    }
}

/// The signing (or timestamping) certificate's rules: not a CA (unless it is the
/// only certificate), a key usage with digitalSignature, and an extended key usage
/// that, when present, holds none of the uses the specification excludes (code
/// signing); for a TSA, an extended key usage of timeStamping only.
fn leaf_rules(cert: &X509Certificate<'_>, alone: bool, timestamping: bool) -> Result<(), String> {
    if !alone
        && let Ok(Some(bc)) = cert.basic_constraints()
        && bc.value.ca
    {
        return Err("is a CA certificate".into());
    }
    match cert.key_usage() {
        Ok(Some(ku)) if !ku.value.digital_signature() => {
            return Err("has a key usage without digitalSignature".into());
        }
        Ok(Some(ku)) if !ku.critical && !timestamping => {
            return Err("has a key usage not marked critical".into());
        }
        Ok(Some(_)) => {}
        _ => return Err("has no key usage".into()),
    }
    let eku = cert
        .extended_key_usage()
        .map_err(|_| "has an extended key usage that cannot be read".to_string())?;
    if timestamping {
        return match eku {
            Some(e)
                if e.value.time_stamping
                    && e.critical
                    && !e.value.any
                    && !e.value.code_signing
                    && !e.value.server_auth
                    && !e.value.client_auth
                    && !e.value.email_protection
                    && e.value.other.is_empty() =>
            {
                Ok(())
            }
            _ => Err(
                "is not a timestamping certificate (critical extended key usage timeStamping only)"
                    .into(),
            ),
        };
    }
    match eku {
        Some(e)
            if e.value.any
                || e.value.server_auth
                || e.value.client_auth
                || e.value.email_protection
                || e.value.time_stamping =>
        {
            Err("is not a code-signing certificate: its extended key usage allows other uses (any, server or client authentication, e-mail or timestamping)".into())
        }
        Some(e) if !e.value.code_signing && e.value.other.is_empty() => {
            Err("has an extended key usage without code signing".into())
        }
        _ => Ok(()),
    }
}

/// Whether a certificate of the chain is one of the trust store's certificates.
pub fn anchored<'a>(chain: &[Vec<u8>], mut anchors: impl Iterator<Item = &'a [u8]>) -> bool {
    anchors.any(|anchor| chain.iter().any(|der| der.as_slice() == anchor))
}

/// The first certificate of the chain not valid at `at` (seconds since the epoch),
/// with its position, or none.
pub fn invalid_at(certs: &[X509Certificate<'_>], at: i64) -> Option<String> {
    certs.iter().enumerate().find_map(|(i, cert)| {
        let v = cert.validity();
        let what = position(i, certs.len());
        if at < v.not_before.timestamp() {
            Some(format!("{what} is not valid before {}", v.not_before))
        } else if at > v.not_after.timestamp() {
            Some(format!("{what} expired on {}", v.not_after))
        } else {
            None
        }
    })
}

fn pairs(name: &X509Name<'_>) -> Vec<(String, String)> {
    name.iter_rdn()
        .flat_map(|rdn| rdn.iter())
        .map(|attr| {
            let kind = match oid2abbrev(attr.attr_type(), oid_registry()) {
                Ok("emailAddress") => "E".to_string(),
                Ok(short) => short.to_string(),
                Err(_) => attr.attr_type().to_id_string(),
            };
            let value = attr.as_str().map(str::to_owned).unwrap_or_default();
            (kind, value)
        })
        .collect()
}

/// The subject's attributes, for matching against trusted identities.
pub fn subject(cert: &X509Certificate<'_>) -> DistinguishedName {
    let pairs = pairs(cert.subject());
    DistinguishedName::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// The subject as notation prints it (last RDN first, `,` between; `,` `+` `"` `\`
/// `<` `>` `;` escaped), e.g. `CN=Signer,O=Org,L=City,ST=State,C=US`.
pub fn subject_text(cert: &X509Certificate<'_>) -> String {
    let escape = |v: &str| {
        let mut out = String::new();
        for (i, c) in v.chars().enumerate() {
            let edge =
                (i == 0 && matches!(c, ' ' | '#')) || (i + 1 == v.chars().count() && c == ' ');
            if edge || matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';') {
                out.push('\\');
            }
            out.push(c);
        }
        out
    };
    let mut parts: Vec<String> = pairs(cert.subject())
        .iter()
        .map(|(k, v)| format!("{k}={}", escape(v)))
        .collect();
    parts.reverse();
    parts.join(",")
}
