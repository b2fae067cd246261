//! Signature checks for Notary Project envelopes and their certificate chains:
//! RSASSA-PSS and ECDSA P-256/P-384 with `ring`, ECDSA P-521 with RustCrypto `p521`
//! (ring has no P-521), RSA PKCS#1 v1.5 for certificates signed that way.

use ring::signature as rs;
use x509_parser::oid_registry as oids;
use x509_parser::prelude::X509Certificate;
use x509_parser::public_key::PublicKey;
use x509_parser::signature_algorithm::SignatureAlgorithm;
use x509_parser::x509::SubjectPublicKeyInfo;

/// The envelope signature algorithms the Notary Project signature specification allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    Ps256,
    Ps384,
    Ps512,
    Es256,
    Es384,
    Es512,
}

impl Alg {
    /// The JWS `alg` name.
    pub fn from_jws(name: &str) -> Option<Alg> {
        Some(match name {
            "PS256" => Alg::Ps256,
            "PS384" => Alg::Ps384,
            "PS512" => Alg::Ps512,
            "ES256" => Alg::Es256,
            "ES384" => Alg::Es384,
            "ES512" => Alg::Es512,
            _ => return None,
        })
    }

    /// The COSE algorithm number (RFC 9053, RFC 8230).
    pub fn from_cose(value: i64) -> Option<Alg> {
        Some(match value {
            -37 => Alg::Ps256,
            -38 => Alg::Ps384,
            -39 => Alg::Ps512,
            -7 => Alg::Es256,
            -35 => Alg::Es384,
            -36 => Alg::Es512,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Alg::Ps256 => "PS256",
            Alg::Ps384 => "PS384",
            Alg::Ps512 => "PS512",
            Alg::Es256 => "ES256",
            Alg::Es384 => "ES384",
            Alg::Es512 => "ES512",
        }
    }
}

/// Check an envelope signature (ECDSA as the fixed-size `r || s` both JWS and COSE
/// use) with the signing certificate's key. The key must be of the algorithm's kind:
/// an RSA key of at least 2048 bits for PS*, the algorithm's own curve for ES*.
pub fn verify_envelope(
    alg: Alg,
    spki: &SubjectPublicKeyInfo<'_>,
    message: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    let key = spki.subject_public_key.data.as_ref();
    let parsed = spki
        .parsed()
        .map_err(|_| "the signing certificate's public key cannot be read".to_string())?;
    let ring_alg: &dyn rs::VerificationAlgorithm = match (alg, &parsed) {
        (Alg::Ps256, PublicKey::RSA(_)) => &rs::RSA_PSS_2048_8192_SHA256,
        (Alg::Ps384, PublicKey::RSA(_)) => &rs::RSA_PSS_2048_8192_SHA384,
        (Alg::Ps512, PublicKey::RSA(_)) => &rs::RSA_PSS_2048_8192_SHA512,
        (Alg::Es256, PublicKey::EC(_)) if curve(spki) == Some(Curve::P256) => {
            &rs::ECDSA_P256_SHA256_FIXED
        }
        (Alg::Es384, PublicKey::EC(_)) if curve(spki) == Some(Curve::P384) => {
            &rs::ECDSA_P384_SHA384_FIXED
        }
        (Alg::Es512, PublicKey::EC(_)) if curve(spki) == Some(Curve::P521) => {
            return p521_verify(key, message, signature, false);
        }
        _ => {
            return Err(format!(
                "the envelope's algorithm {} does not match the signing certificate's key",
                alg.name()
            ));
        }
    };
    rs::UnparsedPublicKey::new(ring_alg, key)
        .verify(message, signature)
        .map_err(|_| "the signature does not match the signed content".to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Curve {
    P256,
    P384,
    P521,
}

fn curve(spki: &SubjectPublicKeyInfo<'_>) -> Option<Curve> {
    let params = spki.algorithm.parameters.as_ref()?;
    let oid = params.as_oid().ok()?;
    if oid == oids::OID_EC_P256 {
        Some(Curve::P256)
    } else if oid == oids::OID_NIST_EC_P384 {
        Some(Curve::P384)
    } else if oid == oids::OID_NIST_EC_P521 {
        Some(Curve::P521)
    } else {
        None
    }
}

fn p521_verify(key: &[u8], message: &[u8], signature: &[u8], der: bool) -> Result<(), String> {
    use p521::ecdsa::signature::Verifier;
    let key = p521::ecdsa::VerifyingKey::from_sec1_bytes(key)
        .map_err(|_| "the signing certificate's P-521 key cannot be read".to_string())?;
    let sig = if der {
        p521::ecdsa::Signature::from_der(signature)
    } else {
        p521::ecdsa::Signature::from_slice(signature)
    }
    .map_err(|_| "the signature is not a P-521 ECDSA signature".to_string())?;
    key.verify(message, &sig)
        .map_err(|_| "the signature does not match the signed content".to_string())
}

/// Whether `cert` was signed by the key in `issuer` (a chain link). SHA-1 signatures
/// are refused, as the specification requires.
pub fn verify_cert_signature(
    cert: &X509Certificate<'_>,
    issuer: &SubjectPublicKeyInfo<'_>,
) -> Result<(), String> {
    let algorithm = SignatureAlgorithm::try_from(&cert.signature_algorithm)
        .map_err(|_| "its signature algorithm is not supported".to_string())?;
    let message = cert.tbs_certificate.as_ref();
    let signature = cert.signature_value.data.as_ref();
    let key = issuer.subject_public_key.data.as_ref();
    let issuer_curve = curve(issuer);
    let ring_alg: &dyn rs::VerificationAlgorithm = match &algorithm {
        SignatureAlgorithm::RSA => {
            let oid = &cert.signature_algorithm.algorithm;
            if *oid == oids::OID_PKCS1_SHA256WITHRSA {
                &rs::RSA_PKCS1_2048_8192_SHA256
            } else if *oid == oids::OID_PKCS1_SHA384WITHRSA {
                &rs::RSA_PKCS1_2048_8192_SHA384
            } else if *oid == oids::OID_PKCS1_SHA512WITHRSA {
                &rs::RSA_PKCS1_2048_8192_SHA512
            } else {
                return Err("it is signed with SHA-1 or another refused algorithm".into());
            }
        }
        SignatureAlgorithm::RSASSA_PSS(params) => {
            let hash = params.hash_algorithm_oid();
            if *hash == oids::OID_NIST_HASH_SHA256 {
                &rs::RSA_PSS_2048_8192_SHA256
            } else if *hash == oids::OID_NIST_HASH_SHA384 {
                &rs::RSA_PSS_2048_8192_SHA384
            } else if *hash == oids::OID_NIST_HASH_SHA512 {
                &rs::RSA_PSS_2048_8192_SHA512
            } else {
                return Err("it is signed with RSASSA-PSS over a refused hash".into());
            }
        }
        SignatureAlgorithm::ECDSA => {
            let oid = &cert.signature_algorithm.algorithm;
            let sha256 = *oid == oids::OID_SIG_ECDSA_WITH_SHA256;
            let sha384 = *oid == oids::OID_SIG_ECDSA_WITH_SHA384;
            let sha512 = *oid == oids::OID_SIG_ECDSA_WITH_SHA512;
            match issuer_curve {
                Some(Curve::P256) if sha256 => &rs::ECDSA_P256_SHA256_ASN1,
                Some(Curve::P256) if sha384 => &rs::ECDSA_P256_SHA384_ASN1,
                Some(Curve::P384) if sha256 => &rs::ECDSA_P384_SHA256_ASN1,
                Some(Curve::P384) if sha384 => &rs::ECDSA_P384_SHA384_ASN1,
                Some(Curve::P521) if sha512 => return p521_verify(key, message, signature, true),
                _ => return Err("its ECDSA curve and hash are not supported".into()),
            }
        }
        _ => return Err("its signature algorithm is not supported".into()),
    };
    rs::UnparsedPublicKey::new(ring_alg, key)
        .verify(message, signature)
        .map_err(|_| "its signature does not verify with its issuer's key".to_string())
}

/// The key size rule for signing and CA certificates: RSA of 2048 bits or more,
/// ECDSA of 256 bits or more.
pub fn key_strong_enough(spki: &SubjectPublicKeyInfo<'_>) -> bool {
    match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => rsa.key_size() >= 2048,
        Ok(PublicKey::EC(_)) => curve(spki).is_some(),
        _ => false,
    }
}

/// A hash algorithm of a CMS structure (RFC 3161 tokens).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    /// From the content bytes of its OID; SHA-1 and others are refused.
    pub fn from_oid(oid: &[u8]) -> Option<Hash> {
        const NIST: [u8; 8] = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02];
        match oid.split_last() {
            Some((1, head)) if head == NIST => Some(Hash::Sha256),
            Some((2, head)) if head == NIST => Some(Hash::Sha384),
            Some((3, head)) if head == NIST => Some(Hash::Sha512),
            _ => None,
        }
    }

    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        use sha2::Digest as _;
        match self {
            Hash::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Hash::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Hash::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }
}

/// A CMS signer's signature (RFC 5652 SignerInfo): `algorithm` the content bytes of
/// its signatureAlgorithm OID, `hash` its digestAlgorithm. RSA PKCS#1 v1.5 and
/// ECDSA; RSASSA-PSS signers are not supported yet.
pub fn verify_cms(
    algorithm: &[u8],
    hash: Hash,
    key: &SubjectPublicKeyInfo<'_>,
    message: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    const PKCS1: [u8; 8] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01];
    const ECDSA: [u8; 7] = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03];
    let rsa = match algorithm.split_last() {
        Some((1, head)) if head == PKCS1 => true,
        Some((11, head)) if head == PKCS1 && hash == Hash::Sha256 => true,
        Some((12, head)) if head == PKCS1 && hash == Hash::Sha384 => true,
        Some((13, head)) if head == PKCS1 && hash == Hash::Sha512 => true,
        Some((2..=4, head)) if head == ECDSA => false,
        _ => return Err("the timestamp's signature algorithm is not supported".into()),
    };
    let bytes = key.subject_public_key.data.as_ref();
    let ring_alg: &dyn rs::VerificationAlgorithm = match (rsa, hash, curve(key)) {
        (true, Hash::Sha256, _) => &rs::RSA_PKCS1_2048_8192_SHA256,
        (true, Hash::Sha384, _) => &rs::RSA_PKCS1_2048_8192_SHA384,
        (true, Hash::Sha512, _) => &rs::RSA_PKCS1_2048_8192_SHA512,
        (false, Hash::Sha256, Some(Curve::P256)) => &rs::ECDSA_P256_SHA256_ASN1,
        (false, Hash::Sha384, Some(Curve::P256)) => &rs::ECDSA_P256_SHA384_ASN1,
        (false, Hash::Sha256, Some(Curve::P384)) => &rs::ECDSA_P384_SHA256_ASN1,
        (false, Hash::Sha384, Some(Curve::P384)) => &rs::ECDSA_P384_SHA384_ASN1,
        (false, Hash::Sha512, Some(Curve::P521)) => {
            return p521_verify(bytes, message, signature, true);
        }
        _ => return Err("the timestamp's key, curve and hash are not supported together".into()),
    };
    rs::UnparsedPublicKey::new(ring_alg, bytes)
        .verify(message, signature)
        .map_err(|_| "the timestamp's signature does not verify with its certificate".to_string())
}
