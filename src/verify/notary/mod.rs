//! Notary Project signature verification: a JWS (`application/jose+json`) or COSE
//! (`application/cose`) envelope checked against one trust policy statement and
//! its trust stores, as the Notary Project specifications define it
//! (signature-specification.md, signature-envelope-jws.md,
//! signature-envelope-cose.md, trust-store-trust-policy.md).
//!
//! The checks, in the specification's order, each under the statement's action
//! for its validation (enforce: the verification fails; log: it goes on and the
//! failure is in [`Verified::logged`]; skip: not made):
//! - integrity (always enforced): the envelope parses, its critical headers are
//!   all understood, the content type is the Notary payload's, the signature
//!   verifies with the signing certificate's key, and the payload's
//!   `targetArtifact` names the subject (digest, size, media type);
//! - authenticity: the chain is ordered signing certificate -> intermediates ->
//!   self-signed root and meets the certificate requirements (code-signing key and
//!   extended key usage, CA basic constraints and key usage, key sizes, no SHA-1),
//!   a certificate of it is in a `ca` store (`signingAuthority` for that scheme)
//!   the statement names, and the signing certificate's subject is a trusted
//!   identity;
//! - expiry: the signature's optional `io.cncf.notary.expiry` is not past;
//! - authentic timestamp: `notary.x509` — every certificate valid now, unless the
//!   RFC 3161 timestamp must be verified (a `tsa` store named, `verifyTimestamp`),
//!   which this build does not do yet: that check fails with
//!   [`Failure::Timestamp`] ("not checked"), never passes silently;
//!   `notary.x509.signingAuthority` — every certificate valid at the signed
//!   authentic signing time;
//! - revocation: not checked (no OCSP or CRL requests); logged when not skipped.

mod chain;
mod cose;
mod crypto;
mod envelope;
#[cfg(test)]
mod samples;
#[cfg(test)]
mod tests;
mod timestamp;

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;

use super::policy::{Action, Check, PolicyStatement, VerifyTimestamp};
use super::store::{StoreType, TrustStore};
use super::{COSE, Failure, JWS, Logged, Verified, VerifyError};
use crate::registry::manifest::Descriptor;
use envelope::{Envelope, PAYLOAD_TYPE, Scheme};

/// Verify one Notary Project signature envelope of `subject` (its media type as
/// the signature manifest's layer says) under `policy`, with the certificates of
/// the stores it names in `store`.
pub fn verify(
    envelope: &[u8],
    media_type: &str,
    subject: &Descriptor,
    store: &TrustStore,
    policy: &PolicyStatement,
) -> Result<Verified, VerifyError> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    verify_at(envelope, media_type, subject, store, policy, now)
}

/// The failures a statement's actions decide on, collected as verification goes.
struct Outcome<'a> {
    policy: &'a PolicyStatement,
    logged: Vec<Logged>,
}

impl Outcome<'_> {
    fn action(&self, check: Check) -> Action {
        self.policy
            .actions
            .get(&check)
            .copied()
            .unwrap_or_else(|| self.policy.level.action(check))
    }

    /// Apply the statement's action for `check` to `result`.
    fn decide(&mut self, check: Check, result: Result<(), VerifyError>) -> Result<(), VerifyError> {
        match (result, self.action(check)) {
            (Ok(()), _) | (Err(_), Action::Skip) => Ok(()),
            (Err(err), Action::Enforce) => Err(err),
            (Err(err), Action::Log) => {
                self.logged.push(Logged {
                    check,
                    reason: err.message,
                });
                Ok(())
            }
        }
    }
}

/// [`verify`] at `now` (seconds since the epoch).
pub(crate) fn verify_at(
    bytes: &[u8],
    media_type: &str,
    subject: &Descriptor,
    store: &TrustStore,
    policy: &PolicyStatement,
    now: i64,
) -> Result<Verified, VerifyError> {
    let mut outcome = Outcome {
        policy,
        logged: Vec::new(),
    };
    if outcome.action(Check::Integrity) == Action::Skip {
        return Err(VerifyError::new(
            Failure::Unsupported,
            "the trust policy statement's level is skip: nothing to verify",
        ));
    }
    // Integrity: always enforced.
    let env = match media_type {
        JWS => envelope::parse_jws(bytes)?,
        COSE => cose::parse_cose(bytes)?,
        other => {
            return Err(VerifyError::new(
                Failure::Unsupported,
                format!("unsupported signature envelope type {other:?}"),
            ));
        }
    };
    if env.content_type != PAYLOAD_TYPE {
        return Err(VerifyError::new(
            Failure::Unsupported,
            format!("unsupported payload content type {:?}", env.content_type),
        ));
    }
    let certs = chain::parse(&env.chain)?;
    crypto::verify_envelope(env.alg, certs[0].public_key(), &env.signed, &env.signature)
        .map_err(|reason| VerifyError::new(Failure::BadSignature, reason))?;
    check_payload(&env.payload, subject)?;

    let identity = chain::subject_text(&certs[0]);
    let authenticity = authenticity(&env, &certs, store, policy);
    outcome.decide(Check::Authenticity, authenticity)?;
    let expiry = match env.expiry {
        Some(at) if at < now => Err(VerifyError::new(
            Failure::Expired,
            format!("the signature expired at {}", rfc3339(at)),
        )),
        _ => Ok(()),
    };
    outcome.decide(Check::Expiry, expiry)?;
    let timestamp = match authentic_timestamp(&env, &certs, store, policy, now) {
        Ok(at) => at.map(rfc3339),
        Err(err) => {
            outcome.decide(Check::AuthenticTimestamp, Err(err))?;
            None
        }
    };
    if outcome.action(Check::Revocation) != Action::Skip {
        outcome.logged.push(Logged {
            check: Check::Revocation,
            reason: "revocation was not checked: aseecr makes no OCSP or CRL requests".into(),
        });
    }
    Ok(Verified {
        identity,
        timestamp,
        logged: outcome.logged,
    })
}

fn rfc3339(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| at.to_string())
}

#[derive(Deserialize)]
struct Payload {
    #[serde(rename = "targetArtifact")]
    target: Target,
}

#[derive(Deserialize)]
struct Target {
    #[serde(rename = "mediaType")]
    media_type: String,
    digest: String,
    size: u64,
}

/// The signed payload's target artifact must be the subject: digest, size and
/// media type.
fn check_payload(payload: &[u8], subject: &Descriptor) -> Result<(), VerifyError> {
    let parsed: Payload = serde_json::from_slice(payload).map_err(|e| {
        VerifyError::new(
            Failure::Malformed,
            format!("the signed payload is not a Notary Project payload: {e}"),
        )
    })?;
    let t = parsed.target;
    let wrong = |what: &str, signed: &str, subject: &str| {
        Err(VerifyError::new(
            Failure::WrongSubject,
            format!("the signature is for {what} {signed:?}, the image's is {subject:?}"),
        ))
    };
    if t.digest != subject.digest {
        return wrong("the digest", &t.digest, &subject.digest);
    }
    if t.size != subject.size {
        return wrong("the size", &t.size.to_string(), &subject.size.to_string());
    }
    if t.media_type != subject.media_type {
        return wrong("the media type", &t.media_type, &subject.media_type);
    }
    Ok(())
}

/// The chain's requirements, its anchor in the scheme's stores, the identity.
fn authenticity(
    env: &Envelope,
    certs: &[x509_parser::prelude::X509Certificate<'_>],
    store: &TrustStore,
    policy: &PolicyStatement,
) -> Result<(), VerifyError> {
    chain::check_structure(certs, false)?;
    let kind = match env.scheme {
        Scheme::X509 => StoreType::Ca,
        Scheme::SigningAuthority => StoreType::SigningAuthority,
    };
    if !store.has(kind) {
        return Err(VerifyError::new(
            Failure::UntrustedChain,
            format!(
                "the signature's scheme needs a `{}` trust store and the trust policy statement {:?} names none",
                kind.name(),
                policy.name
            ),
        ));
    }
    if !chain::anchored(&env.chain, store.anchors(kind).map(|c| c.der.as_slice())) {
        return Err(VerifyError::new(
            Failure::UntrustedChain,
            format!(
                "the signing certificate chains to no certificate in the `{}` trust stores of statement {:?}",
                kind.name(),
                policy.name
            ),
        ));
    }
    let subject = chain::subject(&certs[0]);
    if !policy.trusted_identities.allows(&subject) {
        return Err(VerifyError::new(
            Failure::UntrustedIdentity,
            format!(
                "the signer {:?} is none of the trusted identities of statement {:?}",
                chain::subject_text(&certs[0]),
                policy.name
            ),
        ));
    }
    Ok(())
}

/// Certificate validity per the signing scheme (see the module's notes); the
/// timestamp's `genTime` when one was verified.
fn authentic_timestamp(
    env: &Envelope,
    certs: &[x509_parser::prelude::X509Certificate<'_>],
    store: &TrustStore,
    policy: &PolicyStatement,
    now: i64,
) -> Result<Option<i64>, VerifyError> {
    let expired = |reason: String| VerifyError::new(Failure::Expired, reason);
    match env.scheme {
        Scheme::SigningAuthority => {
            let Some(at) = env.authentic_signing_time else {
                return Err(VerifyError::new(
                    Failure::Malformed,
                    "the signature has no authentic signing time, which its scheme requires",
                ));
            };
            match chain::invalid_at(certs, at) {
                Some(reason) => Err(expired(format!(
                    "at the authentic signing time {}, {reason}",
                    rfc3339(at)
                ))),
                None => Ok(None),
            }
        }
        Scheme::X509 => {
            let invalid_now = chain::invalid_at(certs, now);
            let wanted = store.has(StoreType::Tsa)
                && match policy.verify_timestamp {
                    VerifyTimestamp::Always => true,
                    VerifyTimestamp::AfterCertExpiry => invalid_now.is_some(),
                };
            if !wanted {
                return match invalid_now {
                    Some(reason) => Err(expired(reason)),
                    None => Ok(None),
                };
            }
            let Some(token) = &env.timestamp else {
                return Err(VerifyError::new(
                    Failure::Timestamp,
                    "the signature has no RFC 3161 timestamp countersignature, which the trust policy's `tsa` store requires",
                ));
            };
            let anchors: Vec<&[u8]> = store
                .anchors(StoreType::Tsa)
                .map(|c| c.der.as_slice())
                .collect();
            let range = timestamp::verify(token, &env.signature, &anchors)?;
            for at in [range.lower, range.upper] {
                if let Some(reason) = chain::invalid_at(certs, at) {
                    return Err(expired(format!(
                        "at the timestamp's time {}, {reason}",
                        rfc3339(range.gen_time)
                    )));
                }
            }
            Ok(Some(range.gen_time))
        }
    }
}
