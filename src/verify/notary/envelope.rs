//! The parts of a Notary Project signature envelope that verification needs, read
//! from the JWS JSON serialization (`application/jose+json`); COSE is in `cose.rs`.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Map, Value};

use super::super::{Failure, VerifyError};
use super::crypto::Alg;

/// The payload content type the specification defines.
pub const PAYLOAD_TYPE: &str = "application/vnd.cncf.notary.payload.v1+json";
pub const SCHEME_HEADER: &str = "io.cncf.notary.signingScheme";
pub const SIGNING_TIME: &str = "io.cncf.notary.signingTime";
pub const AUTHENTIC_TIME: &str = "io.cncf.notary.authenticSigningTime";
pub const EXPIRY: &str = "io.cncf.notary.expiry";
pub const TIMESTAMP: &str = "io.cncf.notary.timestampSignature";
/// The most certificates a chain may hold.
pub const MAX_CHAIN: usize = 10;

/// The signing scheme (signing-scheme.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    X509,
    SigningAuthority,
}

impl Scheme {
    pub fn parse(value: &str) -> Result<Scheme, VerifyError> {
        match value {
            "notary.x509" => Ok(Scheme::X509),
            "notary.x509.signingAuthority" => Ok(Scheme::SigningAuthority),
            other => Err(VerifyError::new(
                Failure::Malformed,
                format!("unsupported signing scheme {other:?}"),
            )),
        }
    }
}

/// One envelope, read but not yet checked.
#[derive(Debug)]
pub struct Envelope {
    pub alg: Alg,
    /// The bytes the signature covers (JWS signing input, COSE Sig_structure).
    pub signed: Vec<u8>,
    pub signature: Vec<u8>,
    pub payload: Vec<u8>,
    pub content_type: String,
    pub scheme: Scheme,
    /// Seconds since the epoch; vouched for by the signing authority.
    pub authentic_signing_time: Option<i64>,
    pub expiry: Option<i64>,
    /// DER certificates, signing certificate first, root last.
    pub chain: Vec<Vec<u8>>,
    /// The RFC 3161 TimeStampToken countersignature, if any.
    pub timestamp: Option<Vec<u8>>,
}

fn bad(message: impl Into<String>) -> VerifyError {
    VerifyError::new(Failure::Malformed, message)
}

/// The `crit` rules both envelopes share: it names the signing scheme, names only
/// headers aseecr processes (a verification plugin it cannot run is refused), and
/// names the critical headers that are present.
pub fn check_crit(
    crit: &[String],
    has_authentic: bool,
    has_expiry: bool,
) -> Result<(), VerifyError> {
    if !crit.iter().any(|c| c == SCHEME_HEADER) {
        return Err(bad(
            "the protected header's crit does not name the signing scheme",
        ));
    }
    for name in crit {
        if ![SCHEME_HEADER, AUTHENTIC_TIME, EXPIRY].contains(&name.as_str()) {
            return Err(bad(format!(
                "the signature requires the header {name:?}, which aseecr does not process"
            )));
        }
    }
    for (present, name) in [(has_authentic, AUTHENTIC_TIME), (has_expiry, EXPIRY)] {
        if present && !crit.iter().any(|c| c == name) {
            return Err(bad(format!("the header {name} is not marked critical")));
        }
    }
    Ok(())
}

fn b64url(value: &str, what: &str) -> Result<Vec<u8>, VerifyError> {
    URL_SAFE_NO_PAD
        .decode(value.trim_end_matches('='))
        .map_err(|_| bad(format!("the JWS {what} is not base64url")))
}

fn string<'a>(map: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, VerifyError> {
    match map.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(bad(format!("the JWS header {key} is not a string"))),
    }
}

fn rfc3339(map: &Map<String, Value>, key: &str) -> Result<Option<i64>, VerifyError> {
    let Some(text) = string(map, key)? else {
        return Ok(None);
    };
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| Some(t.timestamp()))
        .map_err(|_| bad(format!("the JWS header {key} is not an RFC 3339 time")))
}

/// Read a JWS envelope (JSON serialization, one signature, as the JWS envelope
/// specification defines).
pub fn parse_jws(bytes: &[u8]) -> Result<Envelope, VerifyError> {
    let top: Map<String, Value> = serde_json::from_slice(bytes)
        .map_err(|e| bad(format!("the JWS envelope is not a JSON object: {e}")))?;
    let field = |key: &str| -> Result<&str, VerifyError> {
        string(&top, key)?.ok_or_else(|| bad(format!("the JWS envelope has no {key}")))
    };
    let protected_b64 = field("protected")?;
    let payload_b64 = field("payload")?;
    let signature = b64url(field("signature")?, "signature")?;
    let payload = b64url(payload_b64, "payload")?;
    let protected: Map<String, Value> =
        serde_json::from_slice(&b64url(protected_b64, "protected header")?)
            .map_err(|_| bad("the JWS protected header is not a JSON object"))?;
    let alg_name = string(&protected, "alg")?.ok_or_else(|| bad("the JWS header has no alg"))?;
    let alg = Alg::from_jws(alg_name).ok_or_else(|| {
        VerifyError::new(
            Failure::Unsupported,
            format!("unsupported JWS algorithm {alg_name:?}"),
        )
    })?;
    let crit: Vec<String> = match protected.get("crit") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| bad("crit holds a non-string"))
            })
            .collect::<Result<_, _>>()?,
        _ => return Err(bad("the JWS protected header has no crit list")),
    };
    let scheme_name = string(&protected, SCHEME_HEADER)?
        .ok_or_else(|| bad("the JWS header has no signing scheme"))?;
    let authentic_signing_time = rfc3339(&protected, AUTHENTIC_TIME)?;
    let expiry = rfc3339(&protected, EXPIRY)?;
    check_crit(&crit, authentic_signing_time.is_some(), expiry.is_some())?;
    // The signer's own claim of time: not trusted, but it must be well formed.
    rfc3339(&protected, SIGNING_TIME)?;
    let unprotected = match top.get("header") {
        Some(Value::Object(map)) => map.clone(),
        None => Map::new(),
        Some(_) => return Err(bad("the JWS unprotected header is not an object")),
    };
    let chain = match unprotected.get("x5c") {
        Some(Value::Array(items)) if !items.is_empty() && items.len() <= MAX_CHAIN => items
            .iter()
            .map(|v| {
                v.as_str()
                    .and_then(|s| STANDARD.decode(s).ok())
                    .ok_or_else(|| bad("an x5c certificate is not base64 DER"))
            })
            .collect::<Result<_, _>>()?,
        Some(Value::Array(items)) if !items.is_empty() => {
            return Err(bad(format!(
                "the certificate chain holds more than {MAX_CHAIN} certificates"
            )));
        }
        _ => return Err(bad("the JWS envelope has no x5c certificate chain")),
    };
    let timestamp = match string(&unprotected, TIMESTAMP)? {
        Some(text) => Some(
            STANDARD
                .decode(text)
                .map_err(|_| bad("the timestamp is not base64"))?,
        ),
        None => None,
    };
    Ok(Envelope {
        alg,
        signed: format!("{protected_b64}.{payload_b64}").into_bytes(),
        signature,
        payload,
        content_type: string(&protected, "cty")?.unwrap_or_default().to_owned(),
        scheme: Scheme::parse(scheme_name)?,
        authentic_signing_time,
        expiry,
        chain,
        timestamp,
    })
}
