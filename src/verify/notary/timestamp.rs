//! The RFC 3161 timestamp countersignature of a `notary.x509` signature: a CMS
//! SignedData (RFC 5652) whose content is a TSTInfo over the envelope's signature,
//! checked as trust-store-trust-policy.md says: the message imprint, the signed
//! attributes (content type, message digest, signing-certificate-v2), the TSA's
//! signature, the TSA certificate chain to a `tsa` trust store (timestamping
//! extended key usage, valid at the timestamp's time), and the time range the
//! accuracy gives. Read with a small DER walker: the structures are fixed and
//! aseecr needs only these fields.

use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::{FromDer, X509Certificate};

use super::super::{Failure, VerifyError};
use super::chain;
use super::crypto::{self, Hash};
use super::envelope::MAX_CHAIN;

const SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
const TST_INFO: &[u8] = &[
    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04,
];
const CONTENT_TYPE: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03];
const MESSAGE_DIGEST: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04];
const SIGNING_CERT_V2: &[u8] = &[
    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x02, 0x2f,
];
/// The baseline time-stamp policy (RFC 3628): an accuracy of one second.
const BASELINE_POLICY: &[u8] = &[0x04, 0x00, 0x8f, 0x67, 0x01, 0x01];

/// The authenticated time: `genTime` and the range its accuracy allows, in seconds
/// since the epoch.
#[derive(Debug, Clone, Copy)]
pub struct Authenticated {
    pub gen_time: i64,
    pub lower: i64,
    pub upper: i64,
}

fn bad(message: impl Into<String>) -> VerifyError {
    VerifyError::new(Failure::Timestamp, message)
}

/// One DER element.
#[derive(Clone, Copy)]
struct Tlv<'a> {
    tag: u8,
    content: &'a [u8],
    raw: &'a [u8],
}

/// Take the next element off `input` (definite lengths, low tag numbers: DER).
fn next<'a>(input: &mut &'a [u8]) -> Result<Tlv<'a>, VerifyError> {
    let err = || bad("the timestamp token is not DER");
    let all = *input;
    let (&tag, rest) = all.split_first().ok_or_else(err)?;
    let (&first, mut rest) = rest.split_first().ok_or_else(err)?;
    if tag & 0x1f == 0x1f {
        return Err(err());
    }
    let len = match first {
        n if n < 0x80 => n as usize,
        0x81..=0x84 => {
            let count = (first & 0x7f) as usize;
            if rest.len() < count {
                return Err(err());
            }
            let (bytes, tail) = rest.split_at(count);
            rest = tail;
            bytes.iter().fold(0usize, |acc, b| (acc << 8) | *b as usize)
        }
        _ => return Err(err()),
    };
    if rest.len() < len {
        return Err(err());
    }
    let header = all.len() - rest.len();
    let (content, tail) = rest.split_at(len);
    *input = tail;
    Ok(Tlv {
        tag,
        content,
        raw: &all[..header + len],
    })
}

fn expect<'a>(input: &mut &'a [u8], tag: u8, what: &str) -> Result<Tlv<'a>, VerifyError> {
    let tlv = next(input)?;
    if tlv.tag != tag {
        return Err(bad(format!(
            "the timestamp token's {what} is not where RFC 3161 puts it"
        )));
    }
    Ok(tlv)
}

fn children(content: &[u8]) -> Result<Vec<Tlv<'_>>, VerifyError> {
    let mut input = content;
    let mut out = Vec::new();
    while !input.is_empty() {
        out.push(next(&mut input)?);
    }
    Ok(out)
}

/// The hash of an AlgorithmIdentifier element.
fn hash_of(alg: &Tlv<'_>) -> Result<Hash, VerifyError> {
    let mut input = alg.content;
    let oid = expect(&mut input, 0x06, "hash algorithm")?;
    Hash::from_oid(oid.content)
        .ok_or_else(|| bad("the timestamp uses a hash other than SHA-256/384/512"))
}

/// The parts of the SignedData that verification needs.
struct SignedData<'a> {
    tst_info: &'a [u8],
    certificates: Vec<&'a [u8]>,
    signer: Tlv<'a>,
}

fn signed_data(token: &[u8]) -> Result<SignedData<'_>, VerifyError> {
    let mut input = token;
    let content_info = expect(&mut input, 0x30, "ContentInfo")?;
    let mut ci = content_info.content;
    if expect(&mut ci, 0x06, "content type")?.content != SIGNED_DATA {
        return Err(bad("the timestamp token is not a CMS SignedData"));
    }
    let explicit = expect(&mut ci, 0xa0, "content")?;
    let mut sd = expect(&mut &explicit.content[..], 0x30, "SignedData")?.content;
    expect(&mut sd, 0x02, "version")?;
    expect(&mut sd, 0x31, "digest algorithms")?;
    let mut encap = expect(&mut sd, 0x30, "encapsulated content")?.content;
    if expect(&mut encap, 0x06, "content type")?.content != TST_INFO {
        return Err(bad("the timestamp token's content is not a TSTInfo"));
    }
    let wrapped = expect(&mut encap, 0xa0, "eContent")?;
    let tst_info = expect(&mut &wrapped.content[..], 0x04, "eContent")?.content;
    let mut certificates = Vec::new();
    let mut item = next(&mut sd)?;
    if item.tag == 0xa0 {
        certificates = children(item.content)?
            .iter()
            .filter(|c| c.tag == 0x30)
            .map(|c| c.raw)
            .collect();
        item = next(&mut sd)?;
    }
    if item.tag == 0xa1 {
        item = next(&mut sd)?;
    }
    if item.tag != 0x31 {
        return Err(bad("the timestamp token has no signer infos"));
    }
    let signers = children(item.content)?;
    let [signer] = signers.as_slice() else {
        return Err(bad("the timestamp token has other than one signer"));
    };
    if certificates.len() > MAX_CHAIN {
        return Err(bad(format!(
            "the timestamp token holds more than {MAX_CHAIN} certificates"
        )));
    }
    Ok(SignedData {
        tst_info,
        certificates,
        signer: *signer,
    })
}

/// TSTInfo: the message imprint's hash and value, the policy, genTime, accuracy.
fn tst_info(bytes: &[u8]) -> Result<(Hash, &[u8], Authenticated), VerifyError> {
    let mut outer = bytes;
    let mut input = expect(&mut outer, 0x30, "TSTInfo")?.content;
    expect(&mut input, 0x02, "TSTInfo version")?;
    let policy = expect(&mut input, 0x06, "policy")?;
    let mut imprint = expect(&mut input, 0x30, "message imprint")?.content;
    let hash = hash_of(&expect(&mut imprint, 0x30, "imprint algorithm")?)?;
    let hashed = expect(&mut imprint, 0x04, "hashed message")?.content;
    expect(&mut input, 0x02, "serial number")?;
    let gen_bytes = expect(&mut input, 0x18, "genTime")?.content;
    let text =
        std::str::from_utf8(gen_bytes).map_err(|_| bad("the timestamp's genTime is not text"))?;
    let seconds = text
        .get(..14)
        .ok_or_else(|| bad("the timestamp's genTime is too short"))?;
    let gen_time = chrono::NaiveDateTime::parse_from_str(seconds, "%Y%m%d%H%M%S")
        .map_err(|_| bad("the timestamp's genTime is not a time"))?
        .and_utc()
        .timestamp();
    let fraction = i64::from(text.len() > 15);
    let mut accuracy = if policy.content == BASELINE_POLICY {
        1
    } else {
        0
    };
    if let Ok(acc) = next(&mut input)
        && acc.tag == 0x30
    {
        accuracy = 0;
        for part in children(acc.content)? {
            if part.content.len() > 4 {
                return Err(bad("the timestamp's accuracy is out of range"));
            }
            let value = part
                .content
                .iter()
                .fold(0i64, |a, b| (a << 8) | i64::from(*b));
            accuracy += match part.tag {
                0x02 => value,
                _ => 1, // milliseconds or microseconds: round up to a second
            };
        }
    }
    let range = Authenticated {
        gen_time,
        lower: gen_time - accuracy,
        upper: gen_time + accuracy + fraction,
    };
    Ok((hash, hashed, range))
}

/// A SignerInfo's parts.
struct Signer<'a> {
    /// The signed attributes as signed: the `[0]` re-tagged as a SET.
    signed: Vec<u8>,
    /// The signer's certificate: issuer and serial, or `[0]` key identifier.
    sid: Tlv<'a>,
    hash: Hash,
    /// The content bytes of the signature algorithm's OID.
    sig_oid: &'a [u8],
    signature: &'a [u8],
    attrs: Tlv<'a>,
}

fn signer_parts<'a>(signer: &Tlv<'a>) -> Result<Signer<'a>, VerifyError> {
    let mut input = signer.content;
    expect(&mut input, 0x02, "signer version")?;
    let sid = next(&mut input)?;
    let hash = hash_of(&expect(&mut input, 0x30, "digest algorithm")?)?;
    let attrs = expect(&mut input, 0xa0, "signed attributes")?;
    let mut signed = attrs.raw.to_vec();
    signed[0] = 0x31;
    let mut sig_alg = expect(&mut input, 0x30, "signature algorithm")?.content;
    let sig_oid = expect(&mut sig_alg, 0x06, "signature algorithm")?.content;
    let signature = expect(&mut input, 0x04, "signature")?.content;
    Ok(Signer {
        signed,
        sid,
        hash,
        sig_oid,
        signature,
        attrs,
    })
}

fn attribute<'a>(attrs: &Tlv<'a>, oid: &[u8]) -> Result<Option<Tlv<'a>>, VerifyError> {
    for attr in children(attrs.content)? {
        let mut input = attr.content;
        if expect(&mut input, 0x06, "attribute type")?.content == oid {
            let mut values = expect(&mut input, 0x31, "attribute values")?.content;
            return Ok(Some(next(&mut values)?));
        }
    }
    Ok(None)
}

fn find_signer(certs: &[X509Certificate<'_>], sid: &Tlv<'_>) -> Option<usize> {
    certs.iter().position(|cert| match sid.tag {
        0x30 => {
            let mut input = sid.content;
            let issuer = next(&mut input).ok();
            let serial = next(&mut input).ok();
            issuer.is_some_and(|i| i.raw == cert.issuer().as_raw())
                && serial.is_some_and(|s| s.content == cert.tbs_certificate.raw_serial())
        }
        0x80 => cert.extensions().iter().any(|ext| {
            matches!(ext.parsed_extension(), ParsedExtension::SubjectKeyIdentifier(k) if k.0 == sid.content)
        }),
        _ => false,
    })
}

/// signing-certificate-v2: its first ESSCertIDv2 hashes the signer's certificate.
fn check_signing_certificate(attrs: &Tlv<'_>, signer_der: &[u8]) -> Result<(), VerifyError> {
    let value = attribute(attrs, SIGNING_CERT_V2)?
        .ok_or_else(|| bad("the timestamp has no signing-certificate-v2 attribute"))?;
    let mut input = value.content;
    let mut certs = expect(&mut input, 0x30, "ESSCertIDv2 list")?.content;
    let mut id = expect(&mut certs, 0x30, "ESSCertIDv2")?.content;
    let mut first = next(&mut id)?;
    let hash = if first.tag == 0x30 {
        let h = hash_of(&first)?;
        first = next(&mut id)?;
        h
    } else {
        Hash::Sha256
    };
    if first.tag != 0x04 || first.content != hash.digest(signer_der).as_slice() {
        return Err(bad(
            "the timestamp's signing-certificate-v2 does not name its signer's certificate",
        ));
    }
    Ok(())
}

/// Verify `token` as the timestamp of `signature`, its TSA chain anchored in `anchors`.
pub fn verify(
    token: &[u8],
    signature: &[u8],
    anchors: &[&[u8]],
) -> Result<Authenticated, VerifyError> {
    let sd = signed_data(token)?;
    let (imprint_hash, hashed, range) = tst_info(sd.tst_info)?;
    if imprint_hash.digest(signature) != hashed {
        return Err(bad(
            "the timestamp is for another signature (its message imprint differs)",
        ));
    }
    let Signer {
        signed,
        sid,
        hash,
        sig_oid,
        signature: sig,
        attrs,
    } = signer_parts(&sd.signer)?;
    match attribute(&attrs, CONTENT_TYPE)? {
        Some(ct) if ct.content == TST_INFO => {}
        _ => return Err(bad("the timestamp's signed content type is not TSTInfo")),
    }
    match attribute(&attrs, MESSAGE_DIGEST)? {
        Some(md) if md.content == hash.digest(sd.tst_info).as_slice() => {}
        _ => {
            return Err(bad(
                "the timestamp's message digest does not match its TSTInfo",
            ));
        }
    }
    let pool: Vec<&[u8]> = sd
        .certificates
        .iter()
        .copied()
        .chain(anchors.iter().copied())
        .collect();
    let parsed: Vec<X509Certificate<'_>> = pool
        .iter()
        .map(|der| match X509Certificate::from_der(der) {
            Ok((_, cert)) => Ok(cert),
            Err(_) => Err(bad("a certificate of the timestamp is not X.509")),
        })
        .collect::<Result<_, _>>()?;
    let signer = find_signer(&parsed, &sid)
        .ok_or_else(|| bad("the timestamp token lacks its signer's certificate"))?;
    check_signing_certificate(&attrs, pool[signer])?;
    crypto::verify_cms(sig_oid, hash, parsed[signer].public_key(), &signed, sig).map_err(bad)?;
    let indices = build_chain(signer, &parsed)?;
    let ders: Vec<Vec<u8>> = indices.iter().map(|&i| pool[i].to_vec()).collect();
    let tsa_chain: Vec<X509Certificate<'_>> = indices.iter().map(|&i| parsed[i].clone()).collect();
    chain::check_structure(&tsa_chain, true)
        .map_err(|e| bad(format!("the timestamp's certificate chain: {}", e.message)))?;
    if !chain::anchored(&ders, anchors.iter().copied()) {
        return Err(bad(
            "the timestamp's certificate chains to no certificate in the `tsa` trust stores",
        ));
    }
    if let Some(reason) = chain::invalid_at(&tsa_chain, range.gen_time) {
        return Err(bad(format!(
            "at the timestamp's time, the timestamping {}",
            reason.replacen("the ", "", 1)
        )));
    }
    Ok(range)
}

/// The TSA's chain from its certificate up to a self-signed root (indices into
/// `pool`), each issuer found by name and signature among the token's certificates
/// and the `tsa` anchors.
fn build_chain(signer: usize, pool: &[X509Certificate<'_>]) -> Result<Vec<usize>, VerifyError> {
    let mut chain = vec![signer];
    let mut current = &pool[signer];
    while current.issuer().as_raw() != current.subject().as_raw() {
        if chain.len() >= MAX_CHAIN {
            return Err(bad("the timestamp's certificate chain is too long"));
        }
        let issuer = pool
            .iter()
            .position(|c| {
                c.subject().as_raw() == current.issuer().as_raw()
                    && crypto::verify_cert_signature(current, c.public_key()).is_ok()
            })
            .ok_or_else(|| {
                bad("the timestamp's certificate chain leads to no root in the `tsa` trust stores")
            })?;
        chain.push(issuer);
        current = &pool[issuer];
    }
    Ok(chain)
}
