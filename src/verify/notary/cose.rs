//! The COSE_Sign1 envelope (`application/cose`, tag 18), read with `coset`.

use coset::cbor::value::Value;
use coset::iana::EnumI64 as _;
use coset::{
    CoseSign1, Label, RegisteredLabel, RegisteredLabelWithPrivate, TaggedCborSerializable,
};

use super::super::{Failure, VerifyError};
use super::crypto::Alg;
use super::envelope::{
    AUTHENTIC_TIME, EXPIRY, Envelope, MAX_CHAIN, SCHEME_HEADER, SIGNING_TIME, Scheme, TIMESTAMP,
    check_crit,
};

/// The COSE header label of `x5chain` (RFC 9360).
const X5CHAIN: i64 = 33;

fn bad(message: impl Into<String>) -> VerifyError {
    VerifyError::new(Failure::Malformed, message)
}

fn text_label<'a>(rest: &'a [(Label, Value)], name: &str) -> Option<&'a Value> {
    rest.iter()
        .find(|(label, _)| matches!(label, Label::Text(t) if t == name))
        .map(|(_, v)| v)
}

/// An epoch date/time (RFC 8949 tag 1, integer seconds).
fn epoch(rest: &[(Label, Value)], name: &str) -> Result<Option<i64>, VerifyError> {
    let Some(value) = text_label(rest, name) else {
        return Ok(None);
    };
    let inner = match value {
        Value::Tag(1, inner) => inner.as_ref(),
        other => other,
    };
    match inner {
        Value::Integer(i) => i64::try_from(i128::from(*i))
            .map(Some)
            .map_err(|_| bad(format!("the COSE header {name} is out of range"))),
        Value::Float(f) if f.is_finite() => Ok(Some(*f as i64)),
        _ => Err(bad(format!(
            "the COSE header {name} is not an epoch date/time"
        ))),
    }
}

fn chain(value: Option<&Value>) -> Result<Vec<Vec<u8>>, VerifyError> {
    let certs = match value {
        Some(Value::Bytes(one)) => vec![one.clone()],
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|v| match v {
                Value::Bytes(b) => Ok(b.clone()),
                _ => Err(bad("an x5chain entry is not a byte string")),
            })
            .collect::<Result<_, _>>()?,
        _ => return Err(bad("the COSE envelope has no x5chain certificate chain")),
    };
    if certs.len() > MAX_CHAIN {
        return Err(bad(format!(
            "the certificate chain holds more than {MAX_CHAIN} certificates"
        )));
    }
    Ok(certs)
}

/// Read a COSE_Sign1_Tagged envelope as the COSE envelope specification defines it.
pub fn parse_cose(bytes: &[u8]) -> Result<Envelope, VerifyError> {
    let sign1 = CoseSign1::from_tagged_slice(bytes)
        .map_err(|e| bad(format!("the envelope is not a tagged COSE_Sign1: {e}")))?;
    let header = &sign1.protected.header;
    let alg = match &header.alg {
        Some(RegisteredLabelWithPrivate::Assigned(a)) => Alg::from_cose(a.to_i64()),
        Some(RegisteredLabelWithPrivate::PrivateUse(n)) => Alg::from_cose(*n),
        _ => None,
    }
    .ok_or_else(|| {
        VerifyError::new(
            Failure::Unsupported,
            "unsupported or missing COSE algorithm",
        )
    })?;
    let crit: Vec<String> = header
        .crit
        .iter()
        .map(|label| match label {
            RegisteredLabel::Text(t) => t.clone(),
            RegisteredLabel::Assigned(a) => format!("label {}", a.to_i64()),
        })
        .collect();
    let rest = &header.rest;
    let authentic_signing_time = epoch(rest, AUTHENTIC_TIME)?;
    let expiry = epoch(rest, EXPIRY)?;
    check_crit(&crit, authentic_signing_time.is_some(), expiry.is_some())?;
    // The signer's own claim of time: not trusted, but it must be well formed.
    epoch(rest, SIGNING_TIME)?;
    let scheme = match text_label(rest, SCHEME_HEADER) {
        Some(Value::Text(s)) => Scheme::parse(s)?,
        _ => return Err(bad("the COSE protected header has no signing scheme")),
    };
    let content_type = match &header.content_type {
        Some(RegisteredLabel::Text(t)) => t.clone(),
        Some(RegisteredLabel::Assigned(a)) => format!("content format {}", a.to_i64()),
        None => String::new(),
    };
    let unprotected = &sign1.unprotected.rest;
    let x5 = unprotected
        .iter()
        .find(|(label, _)| *label == Label::Int(X5CHAIN))
        .map(|(_, v)| v);
    let timestamp = match text_label(unprotected, TIMESTAMP) {
        Some(Value::Bytes(b)) => Some(b.clone()),
        Some(_) => {
            return Err(bad(
                "the COSE timestamp countersignature is not a byte string",
            ));
        }
        None => None,
    };
    Ok(Envelope {
        alg,
        signed: sign1.tbs_data(&[]),
        signature: sign1.signature.clone(),
        payload: sign1
            .payload
            .clone()
            .ok_or_else(|| bad("the COSE envelope's payload is detached"))?,
        content_type,
        scheme,
        authentic_signing_time,
        expiry,
        chain: chain(x5)?,
        timestamp,
    })
}
